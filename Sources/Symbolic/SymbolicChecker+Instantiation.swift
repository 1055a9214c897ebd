import Spec
import Z3

extension SymbolicChecker {
  /// Asks one consecution query with the pre-state's quantifiers over parametric sorts
  /// instantiated at the query's ground terms (``SymbolicOptions/instantiate``).
  ///
  /// Returns `nil` when Z3 answers unsat (the step preserves the invariant: the instantiated
  /// assumptions are weaker than the quantified ones), otherwise the reason the action is
  /// unknown: a sat answer is not a CTI, since the instantiation may have been too weak.
  func instantiatedConsecution(
    _ instance: Instance, pre: SymbolicState, step: Encoder.Step, invariant: [Int]
  ) throws -> String? {
    let action = model.actions[instance.action]
    var skolems: [String: [Z3Expr]] = [:]
    var goal: [Z3Expr] = []
    for p in invariant {
      goal.append(try encoder.compileSkolemized(model.properties[p].formula, state: step.post, skolems: &skolems))
    }
    var terms = encoder.namedTerms()
    for (i, parameter) in action.parameters.enumerated() where encoder.isParametric(parameter.domain) {
      guard case .index(let s) = parameter.domain else { continue }
      terms[s.name, default: []].append(instance.terms[i])
    }
    for (sort, constants) in skolems { terms[sort, default: []] += constants }
    let base = terms
    terms = try encoder.closure(terms, state: pre)
    var assertions = try encoder.domainConstraints(pre, at: terms).plain
    for p in invariant {
      assertions.append(
        try encoder.compileInstantiated(
          model.properties[p].formula, state: pre, terms: terms, nested: base))
    }
    do {
      assertions += instance.constraints + [step.enabled, try context.not(try context.and(goal))]
    } catch { throw SymbolicError(error) }
    // Literals met while compiling are named elements too: distinctness comes last.
    assertions += try encoder.distinctness()
    switch try checkFresh(assertions) {
    case .unsat: return nil
    case .sat:
      let count = terms.values.map(\.count).reduce(0, +)
      return "the consecution query of \(action.name) with the quantifiers instantiated at \(count) ground terms is "
        + "satisfiable: the instantiation is incomplete, so this is no counterexample"
    case .unknown(let reason): return "Z3 answered unknown on \(action.name) (instantiated): \(reason)"
    }
  }
}
