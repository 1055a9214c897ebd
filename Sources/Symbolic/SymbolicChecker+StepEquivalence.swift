import Spec
import Z3

/// What Z3 answered when asked whether a variant's step relation equals the checker's model's:
/// ``SymbolicChecker/stepEquivalence(to:actions:)``.
public struct StepEquivalence: Sendable, Equatable {
  /// The answer for one action.
  public enum Answer: Sendable, Equatable {
    /// Unsat: in every state (of the variables' domains) and for every argument the concrete
    /// engine tries, both models' steps agree.
    case equal
    /// Sat: a state and arguments on which the steps differ. The state need not be reachable.
    case differs(Witness)
    /// Z3 answered unknown or the budget ran out.
    case unknown(String)
  }

  /// A state and arguments on which the two steps differ, and how.
  public struct Witness: Sendable, Equatable {
    /// The arguments, in parameter order.
    public let arguments: [Value]
    /// The pre-state in the model's logical layout (``Spec/Model/layout``).
    public let pre: [Value]
    /// What differs: `enabled`, `result`, `outputs` or `successor`.
    public let aspect: String
  }

  /// One entry per compared action: its name and Z3's answer.
  public let actions: [(name: String, answer: Answer)]

  /// Whether Z3 answered unsat for every compared action: the two models have the same step
  /// relation, so they reach the same states with the same results from the same initial state.
  public var equal: Bool { actions.allSatisfy { $0.answer == .equal } }

  public static func == (a: StepEquivalence, b: StepEquivalence) -> Bool {
    a.actions.map(\.name) == b.actions.map(\.name) && a.actions.map(\.answer) == b.actions.map(\.answer)
  }
}

extension SymbolicChecker {
  /// Asks Z3 whether a variant of the model (a mutant: the same variables and actions, in the
  /// same order) has the same step relation, one query per action.
  ///
  /// For each action the query is: is there a state (every cell in its variable's domain) and
  /// an argument tuple (each argument among the values the concrete engine tries: its domain, or
  /// its samples) on which the two models' steps differ: one enabled and the other not; or both
  /// enabled and another result (the first failure condition that holds, compared by name and
  /// code, or success), another failure index, other outputs on success, or another successor.
  /// This is the concrete comparison of `compareBehaviour` (module Explore) over *every* state
  /// instead of the reachable ones. Unsat for every action means the two models are equivalent
  /// at this configuration at any depth (same initial state, same steps); a difference may lie
  /// in an unreachable state, so `differs` is not a verdict of non-equivalence.
  ///
  /// - Parameters:
  ///   - variant: the other model; its initial state must be the model's (a mutant changes
  ///     actions only).
  ///   - actions: the indices of the actions to compare; `nil`: those whose IR differs.
  /// - Throws: ``SymbolicError`` when the variant cannot be encoded, or when the two models do
  ///   not have the same variables and actions.
  /// - Complexity: one Z3 query per compared action, within ``SymbolicOptions/timeout`` overall.
  public func stepEquivalence(to variant: Model, actions: [Int]? = nil) throws -> StepEquivalence {
    guard variant.variables == model.variables, variant.actions.map(\.name) == model.actions.map(\.name),
      zip(variant.actions, model.actions).allSatisfy({ $0.parameters == $1.parameters })
    else {
      throw SymbolicError.unsupported(
        "step equivalence needs two models over the same variables, actions and parameters")
    }
    try variant.validate()
    begin()
    let other = try Encoder(context: context, model: variant, parametricSorts: options.parametricSorts)
    let compared = actions ?? model.actions.indices.filter { model.actions[$0] != variant.actions[$0] }
    let pre = try encoder.freshState("eq")
    let instances = try instances(tag: "eq", sampled: true, encoding: .symbolic)
    let s = try solver()
    do {
      for c in try encoder.domainConstraints(pre).plain { try s.assert(c) }
      for axiom in try encoder.distinctness() { try s.assert(axiom) }
    } catch { throw SymbolicError(error) }
    var answers: [(name: String, answer: StepEquivalence.Answer)] = []
    for a in compared {
      guard let instance = instances.first(where: { $0.action == a }) else { continue }
      let name = model.actions[a].name
      let stepA = try encoder.step(a, state: pre, parameters: instance.terms)
      let stepB = try other.step(a, state: pre, parameters: instance.terms)
      do {
        // Failure conditions are compared by name and code (a mutant drops or reorders them).
        var keys: [String: Value] = [:]
        func key(_ f: FailureCondition) -> Value {
          let k = "\(f.name)/\(f.code)"
          if let v = keys[k] { return v }
          keys[k] = Value(keys.count + 1)
          return Value(keys.count)
        }
        func result(_ step: Encoder.Step, _ failures: [FailureCondition]) throws -> (code: Z3Expr, index: Z3Expr) {
          var code = try encoder.numeral(0)
          var index = try encoder.numeral(0)
          for (i, f) in failures.enumerated().reversed() {
            code = try context.ite(step.failures[i], try encoder.numeral(key(f)), code)
            index = try context.ite(step.failures[i], step.indices[i] ?? (try encoder.numeral(0)), index)
          }
          return (code, index)
        }
        let (codeA, indexA) = try result(stepA, model.actions[a].failures)
        let (codeB, indexB) = try result(stepB, variant.actions[a].failures)
        let enabledDiffers = try context.not(try context.eq(stepA.enabled, stepB.enabled))
        let resultDiffers = try context.or(
          try context.not(try context.eq(codeA, codeB)), try context.not(try context.eq(indexA, indexB)))
        let succeeded = try context.not(stepA.failed)
        let outputsDiffer = try context.and(
          succeeded,
          try context.or(try zip(stepA.outputs, stepB.outputs).map { try context.not(try context.eq($0, $1)) }))
        let cells = stepA.written.union(stepB.written).sorted { $0.lexicographicallyPrecedes($1) }
        let successorDiffers = try context.or(
          try cells.map {
            try context.not(try context.eq(stepA.post.cells[$0[0]][$0[1]], stepB.post.cells[$0[0]][$0[1]]))
          })
        let aspects = [
          ("enabled", enabledDiffers),
          ("result", try context.and(stepA.enabled, resultDiffers)),
          ("outputs", try context.and(stepA.enabled, outputsDiffer)),
          ("successor", try context.and(stepA.enabled, successorDiffers)),
        ]
        try s.push()
        for c in instance.constraints { try s.assert(c) }
        try s.assert(try context.or(aspects.map(\.1)))
        let answer: StepEquivalence.Answer
        switch try check(s) {
        case .unsat: answer = .equal
        case .unknown(let reason): answer = .unknown("Z3 answered unknown on \(name): \(reason)")
        case .sat:
          let m = try s.model()
          let aspect = aspects.first { (try? m.boolValue(of: $0.1)) == true }?.0 ?? "successor"
          answer = .differs(
            .init(arguments: try argumentValues(m, instance), pre: try stateValues(m, pre), aspect: aspect))
        }
        try s.pop()
        answers.append((name, answer))
        if case .differs = answer { break }
      } catch let e as Z3Error { throw SymbolicError(e) }
    }
    return StepEquivalence(actions: answers)
  }
}
