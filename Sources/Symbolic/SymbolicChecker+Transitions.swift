import Dispatch
import Spec
import Z3

/// Transition properties (``Spec/Property/Kind/transition``) in the symbolic engine.
///
/// A transition property constrains steps, not states: a step of one of the rule's actions
/// whose outcome the rule names may change only the rule's `mayChange` variables. Its violation
/// by one action instance from a symbolic state `pre` is the formula
/// `enabled ∧ outcome ∧ ⋁ (post.c ≠ pre.c)` over the cells `c` the step may write that belong to
/// a variable outside `mayChange`.
///
/// - BMC checks that formula on every unrolled transition, so a counterexample is a trace whose
///   last step breaks the rule (replayed concretely before it is shown).
/// - Induction and k-induction first prove the state properties and lemmas (the invariant), then
///   ask one query: a state satisfying the invariant and a step from it that breaks a rule. Unsat
///   proves the transition property for every reachable step (every reachable state satisfies the
///   proved invariant); sat is a CTI, since the pre-state need not be reachable.
extension SymbolicChecker {
  /// The positions in `properties` split into state properties and transition properties.
  func splitTransitions(_ properties: [Int]) -> (states: [Int], transitions: [Int]) {
    (properties.filter { !model.properties[$0].isTransition }, properties.filter { model.properties[$0].isTransition })
  }

  /// The formula saying that `step` (of `instance`, from `pre`) breaks transition property
  /// `property`, without the guard; `nil` when the rule does not apply to the action.
  func breaks(_ property: Int, action: Int, step: Encoder.Step, pre: SymbolicState) throws -> Z3Expr? {
    guard let rule = model.properties[property].transition,
      rule.actions.contains(model.actions[action].name)
    else { return nil }
    let free = Set(rule.mayChange.map(\.index))
    do {
      let outcome: Z3Expr
      switch rule.outcome {
      case .failure: outcome = step.failed
      case .success: outcome = try context.not(step.failed)
      case .any: outcome = try context.bool(true)
      }
      var changed: [Z3Expr] = []
      for cell in step.written.sorted(by: { $0.lexicographicallyPrecedes($1) }) where !free.contains(cell[0]) {
        changed.append(try context.not(try context.eq(step.post.cells[cell[0]][cell[1]], pre.cells[cell[0]][cell[1]])))
      }
      return try context.and([outcome, try context.or(changed)])
    } catch { throw SymbolicError(error) }
  }

  /// In BMC: whether the last transition (one of its own instances, by its choice) can break
  /// one of `properties`; returns the trace when Z3 finds one, `nil` when unsat.
  ///
  /// - Throws: ``SymbolicError``; an unknown answer is thrown as ``SymbolicError/solver(_:)``.
  func transitionViolation(
    _ s: Z3Solver, properties: [Int], states: [SymbolicState], transitions: [Transition]
  ) throws -> Trace? {
    guard let t = transitions.last, states.count >= 2 else { return nil }
    let instances = t.instances
    let pre = states[states.count - 2]
    let width = max(1, Domain.range(0, Value(instances.count)).bitWidth)
    var perProperty: [(property: Int, term: Z3Expr)] = []
    do {
      for p in properties {
        var cases: [Z3Expr] = []
        for (i, instance) in instances.enumerated() {
          guard let broken = try breaks(p, action: instance.action, step: t.steps[i], pre: pre) else { continue }
          cases.append(
            try context.and([try context.eq(t.choice, try context.bitVector(Value(i), width: width)), broken]))
        }
        if !cases.isEmpty { perProperty.append((p, try context.or(cases))) }
      }
      guard !perProperty.isEmpty else { return nil }
      try s.push()
      defer { try? s.pop() }
      try s.assert(try context.or(perProperty.map(\.term)))
      switch try check(s) {
      case .unsat: return nil
      case .unknown(let reason):
        throw SymbolicError.solver(
          "Z3 answered unknown on a transition property at depth \(transitions.count): \(reason)")
      case .sat:
        let m = try s.model()
        let violated = try perProperty.first { try m.boolValue(of: $0.term) }?.property ?? perProperty[0].property
        return try extractTrace(s, states: states, transitions: transitions, properties: [violated], bad: [])
      }
    } catch let error as SymbolicError {
      throw error
    } catch { throw SymbolicError(error) }
  }

  /// Induction or k-induction (`k`) of `properties` when some are transition properties: proves
  /// the state properties and lemmas first (when there are any), then the transition properties
  /// under them in one query.
  func inductionWithTransitions(properties: [Int], lemmas: [Int], k: Int) -> SymbolicReport {
    let (states, transitions) = splitTransitions(properties)
    let invariant = states + lemmas.filter { !states.contains($0) }
    var previous: SymbolicReport?
    if !invariant.isEmpty {
      let r =
        k <= 1 ? induction(properties: states, lemmas: lemmas) : kInduction(properties: states, lemmas: lemmas, k: k)
      guard case .proved = r.outcome else { return r }
      previous = r
    }
    let start = DispatchTime.now()
    begin()
    let r: SymbolicReport
    do {
      r = report(try transitionObligation(transitions, assuming: invariant), since: start)
    } catch {
      r = report(.unknown(SymbolicError(error).description), since: start)
    }
    guard let previous else { return r }
    return SymbolicReport(
      outcome: r.outcome, seconds: r.seconds + previous.seconds, queries: r.queries + previous.queries, scope: r.scope,
      notes: previous.notes + r.notes)
  }

  /// Asks whether some state satisfying `invariant` has a step that breaks one of `properties`.
  func transitionObligation(_ properties: [Int], assuming invariant: [Int]) throws -> SymbolicOutcome {
    let s = try solver()
    let pre = try encoder.freshState("tpre")
    let instances = try instances(tag: "t", sampled: false)
    let domains = try encoder.domainConstraints(pre)
    var cases: [(instance: Instance, step: Encoder.Step, property: Int, term: Z3Expr)] = []
    do {
      for c in domains.plain { try s.assert(c) }
      for f in try formulas(invariant, in: pre) { try s.assert(f) }
      for instance in instances {
        let step = try encoder.step(instance.action, state: pre, parameters: instance.terms)
        for p in properties {
          guard let broken = try breaks(p, action: instance.action, step: step, pre: pre) else { continue }
          cases.append((instance, step, p, try context.and([step.enabled, broken] + instance.constraints)))
        }
      }
      for axiom in try encoder.distinctness() { try s.assert(axiom) }
      guard !cases.isEmpty else { return .proved }
      try s.assert(try context.or(cases.map(\.term)))
      var result = try check(s)
      if result == .sat && !domains.quantified.isEmpty {
        for c in domains.quantified { try s.assert(c) }
        result = try check(s)
      }
      switch result {
      case .unsat: return .proved
      case .unknown(let reason): return .unknown("Z3 answered unknown on the transition properties: \(reason)")
      case .sat:
        let m = try s.model()
        let found = try cases.first { (try? m.boolValue(of: $0.term)) ?? false } ?? cases[0]
        let cti = try extractCTI(s, instance: found.instance, pre: pre, post: found.step.post, invariant: [])
        return .cti(
          CTI(
            action: cti.action, arguments: cti.arguments, argumentValues: cti.argumentValues, pre: cti.pre,
            post: cti.post, failing: [model.properties[found.property].name]))
      }
    } catch let error as SymbolicError {
      throw error
    } catch { throw SymbolicError(error) }
  }

  /// The transition properties that one step from a concrete state breaks, by the Z3 encoding
  /// (the differential test compares this with the concrete engine's answer).
  ///
  /// - Throws: ``SymbolicError`` when the encoding or Z3 fails, or the configuration is parametric.
  public func violatedTransitions(values: [Value], action: Int, arguments: [Value]) throws -> [Int] {
    guard options.parametricSorts.isEmpty else {
      throw SymbolicError.unsupported("evaluation needs a bounded configuration")
    }
    do {
      let pre = try concreteState(values)
      let parameters = try zip(model.actions[action].parameters, arguments).map { p, v in
        p.domain == .bool ? try context.bool(v != 0) : try context.bitVector(v, width: 64)
      }
      let step = try encoder.step(action, state: pre, parameters: parameters)
      guard try groundBool(step.enabled) else { return [] }
      return try model.properties.indices.filter { p in
        guard let broken = try breaks(p, action: action, step: step, pre: pre) else { return false }
        return try groundBool(broken)
      }
    } catch { throw SymbolicError(error) }
  }
}
