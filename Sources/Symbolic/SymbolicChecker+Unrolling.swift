import Dispatch
import Spec
import Z3

extension SymbolicChecker {
  /// One unrolled transition: the choice of action instance and the successor state.
  struct Transition {
    let choice: Z3Expr
    /// The instances this step chooses from, with argument constants of their own.
    let instances: [Instance]
    let steps: [Encoder.Step]
    let post: SymbolicState
  }

  /// Asserts one transition from `pre` and returns it.
  ///
  /// The step's action instances get argument constants of their own (``instances(tag:sampled:encoding:)``
  /// with `sampled`), so every step chooses its arguments anew. The successor of each cell is
  /// an `ite` chain over the instances that may write it, keyed by a fresh choice constant; the
  /// chosen instance's guard and argument constraints must hold.
  func extend(_ s: Z3Solver, from pre: SymbolicState, sampled: Bool, tag: String) throws -> Transition {
    let instances = try instances(tag: tag, sampled: sampled)
    // Wide enough to hold `instances.count` itself, so the bound below never wraps.
    let width = max(1, Domain.range(0, Value(instances.count)).bitWidth)
    do {
      let choice = try context.constant(named: "\(tag).choice", sort: try context.bitVectorSort(width: width))
      try s.assert(try context.bvULT(choice, try context.bitVector(Value(instances.count), width: width)))
      var steps: [Encoder.Step] = []
      var writers: [[Int]: [Int]] = [:]
      var selectors: [Z3Expr] = []
      for (i, instance) in instances.enumerated() {
        let step = try encoder.step(instance.action, state: pre, parameters: instance.terms)
        steps.append(step)
        let selected = try context.eq(choice, try context.bitVector(Value(i), width: width))
        selectors.append(selected)
        try s.assert(try context.implies(selected, try context.and([step.enabled] + instance.constraints)))
        for cell in step.written { writers[cell, default: []].append(i) }
      }
      var post = pre
      // Sorted, so terms are built in the same order in every process (Swift's hashing is
      // seeded per process, and Z3's search depends on the order terms are created).
      for (cell, list) in writers.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
        var term = pre.cells[cell[0]][cell[1]]
        for i in list.reversed() {
          term = try context.ite(selectors[i], steps[i].post.cells[cell[0]][cell[1]], term)
        }
        post.cells[cell[0]][cell[1]] = term
      }
      return Transition(choice: choice, instances: instances, steps: steps, post: post)
    } catch { throw SymbolicError(error) }
  }

  /// Bounded model checking: searches for a violation of any of the properties within `depth`
  /// steps of the initial state, deepening one step at a time so the first counterexample found
  /// is a shortest one.
  ///
  /// - Complexity: depth + 1 queries over an unrolling that grows linearly with the depth.
  public func bmc(properties: [Int], depth: Int) -> SymbolicReport {
    guard options.parametricSorts.isEmpty else {
      let start = DispatchTime.now()
      begin()
      return report(
        .unknown("bounded model checking needs a bounded configuration, not a parametric one"), since: start)
    }
    return search(properties: properties, lemmas: [], depth: depth, sampled: true, tag: "s")
  }

  /// Searches the states within `depth` steps of the initial state, shallowest first, for one
  /// where a property or a lemma is false.
  ///
  /// A false property gives a shortest trace (`violated`); a state where only lemmas fail gives
  /// `unknown` naming them. Sampled parameters range over their samples when `sampled` is true
  /// (BMC: every trace is real, the samples are part of the scope) and over their whole domains
  /// otherwise (the base case of k-induction, whose step case covers every value). `tag` names
  /// the unrolled steps' constants (choice and arguments).
  func search(
    properties: [Int], lemmas: [Int], depth: Int, sampled: Bool, tag: String
  ) -> SymbolicReport {
    let start = DispatchTime.now()
    begin()
    do {
      let invariant = properties + lemmas.filter { !properties.contains($0) }
      let s = try solver()
      var states = [try encoder.initialState()]
      var transitions: [Transition] = []
      for d in 0...depth {
        let fs = try formulas(invariant, in: states[d])
        let result: SolverResult
        do {
          try s.push()
          try s.assert(try context.not(try context.and(fs)))
          result = try check(s)
        } catch { throw SymbolicError(error) }
        switch result {
        case .sat:
          var failing: [Int] = []
          do {
            let m = try s.model()
            for (i, f) in zip(invariant, fs) where try !m.boolValue(of: f) { failing.append(i) }
          } catch { throw SymbolicError(error) }
          let broken = failing.filter { properties.contains($0) }
          if !broken.isEmpty {
            let bad = try formulas(broken, in: states[d])
            let trace = try extractTrace(s, states: states, transitions: transitions, properties: broken, bad: bad)
            return report(.violated(trace), since: start)
          }
          let names = failing.map { model.properties[$0].name }.joined(separator: ", ")
          return report(
            .unknown("lemma \(names) is false in a state reachable in \(d) steps, so it cannot be assumed"),
            since: start)
        case .unknown(let reason):
          return report(.unknown("Z3 answered unknown at depth \(d): \(reason)"), since: start)
        case .unsat:
          do { try s.pop() } catch { throw SymbolicError(error) }
        }
        if d < depth {
          let t = try extend(s, from: states[d], sampled: sampled, tag: "\(tag)\(d)")
          transitions.append(t)
          states.append(t.post)
          // Transition properties: does the step just unrolled break one?
          let stepProperties = properties.filter { model.properties[$0].isTransition }
          if !stepProperties.isEmpty,
            let trace = try transitionViolation(s, properties: stepProperties, states: states, transitions: transitions)
          {
            return report(.violated(trace), since: start)
          }
        }
      }
      return report(.holdsBounded(depth: depth), since: start)
    } catch {
      return report(.unknown(SymbolicError(error).description), since: start)
    }
  }

  func extractTrace(
    _ s: Z3Solver, states: [SymbolicState], transitions: [Transition], properties: [Int], bad: [Z3Expr]
  ) throws -> Trace {
    do {
      let m = try s.model()
      var values: [[Value]] = []
      for state in states { values.append(try stateValues(m, state)) }
      var steps: [TraceStep] = []
      for t in transitions {
        let i = Int(try m.bitVectorValue(of: t.choice))
        let instance = t.instances[i]
        let action = model.actions[instance.action]
        let step = t.steps[i]
        var result = StepResult.success(code: action.successCode)
        for (k, (f, condition)) in zip(action.failures, step.failures).enumerated() where try m.boolValue(of: condition)
        {
          let index = try step.indices[k].map { try m.bitVectorValue(of: $0) } ?? 0
          result = .failure(condition: f.name, error: f.error, code: f.code | (index &<< 8))
          break
        }
        var outputs: [Value] = []
        if case .success = result {
          outputs = try step.outputs.map { try m.bitVectorValue(of: $0) }
          result = action.successResult(outputs: outputs)
        }
        let arguments = try argumentValues(m, instance)
        steps.append(TraceStep(action: action.name, arguments: arguments, result: result, outputs: outputs))
      }
      var violated = properties.first ?? 0
      for (p, f) in zip(properties, bad) where try !m.boolValue(of: f) {
        violated = p
        break
      }
      return Trace(
        model: model.name, configuration: model.configuration, states: values, steps: steps,
        property: model.properties[violated].name, outcome: .violated)
    } catch { throw SymbolicError(error) }
  }

  /// k-induction: the base case checks that the whole invariant (properties and lemmas) holds in every state reachable
  /// within k - 1 steps; the step case asks whether k consecutive states satisfying the invariant can be followed by
  /// one that does not.
  ///
  /// Unsat in both is `proved`; a satisfiable step case is a CTI (its last transition).
  ///
  /// The base case checks the lemmas too, because the step case assumes them in its first k
  /// states, and it leaves sampled parameters free over their whole domains, because the step
  /// case covers every value: a base case over the samples alone, or over the properties alone,
  /// could let a lemma that fails within k - 1 steps (or a violation that needs a value outside
  /// the samples) through as `proved`.
  ///
  /// Paths in the step case are not constrained to be loop-free, so some properties need a
  /// larger k than the shortest inductive strengthening would.
  ///
  /// - Complexity: k base-case queries over an unrolling to depth k - 1 plus one step-case query
  ///   over k transitions.
  public func kInduction(properties: [Int], lemmas: [Int], k: Int) -> SymbolicReport {
    if properties.contains(where: { model.properties[$0].isTransition }) {
      return inductionWithTransitions(properties: properties, lemmas: lemmas, k: k)
    }
    let start = DispatchTime.now()
    if k <= 1 { return induction(properties: properties, lemmas: lemmas) }
    guard options.parametricSorts.isEmpty else {
      return SymbolicReport(
        outcome: .unknown("k-induction with k > 1 needs a bounded configuration (its base case is BMC)"),
        seconds: 0, queries: 0, scope: scope, notes: [])
    }
    let base = search(properties: properties, lemmas: lemmas, depth: k - 1, sampled: false, tag: "b")
    switch base.outcome {
    case .violated, .unknown: return base
    default: break
    }
    let baseQueries = base.queries
    begin()
    do {
      let invariant = properties + lemmas.filter { !properties.contains($0) }
      let s = try solver()
      var states = [try encoder.freshState("k0")]
      do {
        let domains = try encoder.domainConstraints(states[0])
        for c in domains.plain + domains.quantified { try s.assert(c) }
      } catch { throw SymbolicError(error) }
      var transitions: [Transition] = []
      for t in 0..<k {
        do { for f in try formulas(invariant, in: states[t]) { try s.assert(f) } } catch { throw SymbolicError(error) }
        let tr = try extend(s, from: states[t], sampled: false, tag: "k\(t)")
        transitions.append(tr)
        states.append(tr.post)
      }
      let result: SolverResult
      do {
        try s.assert(try context.not(try context.and(try formulas(invariant, in: states[k]))))
        result = try check(s)
      } catch { throw SymbolicError(error) }
      let queriesSoFar = baseQueries
      switch result {
      case .unsat:
        let r = report(.proved, since: start)
        return SymbolicReport(
          outcome: r.outcome, seconds: r.seconds, queries: r.queries + queriesSoFar, scope: r.scope, notes: r.notes)
      case .unknown(let reason):
        return report(.unknown("Z3 answered unknown on the \(k)-induction step: \(reason)"), since: start)
      case .sat:
        let m: Z3Model
        do { m = try s.model() } catch { throw SymbolicError(error) }
        let last = transitions[k - 1]
        let i: Int
        do { i = Int(try m.bitVectorValue(of: last.choice)) } catch { throw SymbolicError(error) }
        let cti = try extractCTI(
          s, instance: last.instances[i], pre: states[k - 1], post: states[k], invariant: invariant)
        return report(.cti(cti), since: start)
      }
    } catch {
      return report(.unknown(SymbolicError(error).description), since: start)
    }
  }
}
