import Spec
import Z3

extension SymbolicChecker {
  /// Asks one consecution query with the pre-state's quantifiers over parametric sorts
  /// instantiated at the query's ground terms (``SymbolicOptions/instantiate``).
  ///
  /// Returns `nil` when Z3 answers unsat (the step preserves the invariant: the instantiated
  /// assumptions are weaker than the quantified ones), otherwise the reason the action is
  /// unknown: a sat answer is not a CTI, since the instantiation may have been too weak.
  ///
  /// With ``SymbolicOptions/relevance`` the reduced queries of ``reducedConsecution(_:pre:step:invariant:)`` are asked
  /// first; only when one of them is not unsat is the full query asked, and its answer is the result.
  func instantiatedConsecution(
    _ instance: Instance, pre: SymbolicState, step: Encoder.Step, invariant: [Int]
  ) throws -> String? {
    let action = model.actions[instance.action]
    if options.relevance {
      if try reducedConsecution(instance, pre: pre, step: step, invariant: invariant) { return nil }
      reasked += 1
    }
    let all = Array(invariant.indices)
    let (assertions, count) = try instantiatedQuery(
      instance, pre: pre, step: step, invariant: invariant, goals: all, assumed: all)
    switch try checkFresh(assertions) {
    case .unsat: return nil
    case .sat:
      return "the consecution query of \(action.name) with the quantifiers instantiated at \(count) ground terms is "
        + "satisfiable: the instantiation is incomplete, so this is no counterexample"
    case .unknown(let reason): return "Z3 answered unknown on \(action.name) (instantiated): \(reason)"
    }
  }

  /// The reduced consecution queries of one action (``SymbolicOptions/relevance``): `true` when every one is unsat,
  /// which proves the action's step preserves the invariant.
  ///
  /// - Frame: a goal formula that reads no variable the step writes (``Encoder/Step/written``) has the same value in
  ///   the post-state as in the pre-state, where the invariant holds: it is not asked, and its Skolem constants do not
  ///   join the instantiation terms.
  /// - Relevance: the query assumes only the invariant formulas sharing a variable with the goal or with what the
  ///   action reads or writes. Fewer assumptions make the query weaker, so unsat still proves the goal; a sat answer
  ///   proves nothing, and the caller asks the full query.
  /// - Groups (``SymbolicOptions/goalsPerQuery``): the goals in groups, one query each, instantiated at its own terms.
  ///   A group whose relevant query is not unsat is asked again assuming every invariant formula.
  func reducedConsecution(
    _ instance: Instance, pre: SymbolicState, step: Encoder.Step, invariant: [Int]
  ) throws -> Bool {
    for (group, near) in reducedGroups(instance.action, step: step, invariant: invariant) {
      // A relevant set too narrow for the proof: the group asked again assuming every formula.
      for assumed in near.count < invariant.count ? [near, Array(invariant.indices)] : [near] {
        let (assertions, _) = try instantiatedQuery(
          instance, pre: pre, step: step, invariant: invariant, goals: group, assumed: assumed)
        if try checkFresh(assertions) == .unsat { break }
        if assumed.count == invariant.count { return false }
        reasked += 1
      }
    }
    return true
  }

  /// The reduced queries' goals and assumptions of one action's consecution (``SymbolicOptions/relevance``): the goal
  /// formulas the step can change (positions in `invariant`) in groups of ``SymbolicOptions/goalsPerQuery``, each
  /// with the formulas sharing a variable with it or with what the action reads or writes.
  ///
  /// Frame: a formula reading no variable the step writes (``Encoder/Step/written``, success and failure effects) is
  /// compiled in the post-state from the pre-state's own cells, so it is the same formula as in the pre-state, which
  /// every consecution query assumes: it cannot be the false one, and it is no goal. An action writing nothing an
  /// invariant formula reads has no group.
  func reducedGroups(_ a: Int, step: Encoder.Step, invariant: [Int]) -> [(goals: [Int], assumed: [Int])] {
    let written = Set(step.written.map { VariableID($0[0]) })
    let reads = invariant.map { model.properties[$0].formula.variablesRead }
    let goals = invariant.indices.filter { !reads[$0].isDisjoint(with: written) }
    let touched = model.actions[a].variablesTouched
    let size = options.goalsPerQuery > 0 ? options.goalsPerQuery : max(goals.count, 1)
    return stride(from: 0, to: goals.count, by: size).map { first in
      let group = Array(goals[first..<min(first + size, goals.count)])
      let cone = group.reduce(into: touched) { $0.formUnion(reads[$1]) }
      return (group, invariant.indices.filter { !reads[$0].isDisjoint(with: cone) })
    }
  }

  /// The assertions of an instantiated consecution query, and the number of its instantiation terms.
  ///
  /// The goal formulas `goals` (positions in `invariant`) false in the post-state, their universal quantifiers
  /// Skolemized; the formulas `assumed` true in the pre-state, instantiated at the query's terms; the step; the
  /// distinctness axioms.
  func instantiatedQuery(
    _ instance: Instance, pre: SymbolicState, step: Encoder.Step, invariant: [Int], goals: [Int], assumed: [Int]
  ) throws -> (assertions: [Z3Expr], terms: Int) {
    let action = model.actions[instance.action]
    var skolems: [String: [Z3Expr]] = [:]
    var goal: [Z3Expr] = []
    for k in goals {
      goal.append(
        try encoder.compileSkolemized(model.properties[invariant[k]].formula, state: step.post, skolems: &skolems))
    }
    var terms = encoder.namedTerms()
    for (i, parameter) in action.parameters.enumerated() where encoder.isParametric(parameter.domain) {
      guard case .index(let s) = parameter.domain else { continue }
      terms[s.name, default: []].append(instance.terms[i])
    }
    for (sort, constants) in skolems { terms[sort, default: []] += constants }
    let base = terms
    // With relevance (fewer assumptions than the invariant), only the cells the query reads are followed.
    let cone: Set<VariableID>? =
      assumed.count == invariant.count && goals.count == invariant.count
      ? nil
      : (goals + assumed).reduce(into: action.variablesTouched) {
        $0.formUnion(model.properties[invariant[$1]].formula.variablesRead)
      }
    terms = try encoder.closure(terms, state: pre, variables: cone)
    var assertions = try encoder.domainConstraints(pre, at: terms).plain
    for k in assumed {
      assertions.append(
        try encoder.compileInstantiated(
          model.properties[invariant[k]].formula, state: pre, terms: terms, nested: base))
    }
    do {
      assertions += instance.constraints + [step.enabled, try context.not(try context.and(goal))]
    } catch { throw SymbolicError(error) }
    // Literals met while compiling are named elements too: distinctness comes last.
    assertions += try encoder.distinctness()
    return (assertions, terms.values.map(\.count).reduce(0, +))
  }
}
