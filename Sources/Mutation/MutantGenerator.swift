import Spec

/// Generates the mutants of a model from its IR.
public enum MutantGenerator {
  /// Every mutant of the chosen operators and actions, in model order (actions), then operator
  /// order, then position.
  ///
  /// - Parameters:
  ///   - model: the correct model.
  ///   - operators: the operators to apply (default: all).
  ///   - actions: the names of the actions to mutate (default: all).
  ///   - valueSample: how many other values `replace-value` tries per constant (default 2: the
  ///     first and the last other value of the domain).
  ///   - everyFailure: whether `failure-effect` gives each success effect to every failure
  ///     condition (default: to the last one only).
  /// - Complexity: linear in the size of the mutated actions' IR times the number of mutants.
  public static func mutants(
    of model: Model, operators: [MutationOperator] = MutationOperator.allCases, actions: [String]? = nil,
    valueSample: Int = 2, everyFailure: Bool = false
  ) -> [IRMutant] {
    var result: [IRMutant] = []
    let chosen = Set(operators)
    for action in model.actions where actions?.contains(action.name) ?? true {
      for op in MutationOperator.allCases where chosen.contains(op) {
        result += mutants(of: action, in: model, by: op, valueSample: valueSample, everyFailure: everyFailure)
      }
    }
    // The sequence operators need the whole model's step graph; their mutants follow the
    // single-action ones, in the graph's (model) order.
    if chosen.contains(.dropStep) || chosen.contains(.swapSteps) {
      let graph = StepGraph(model)
      let names = actions.map(Set.init)
      if chosen.contains(.dropStep) { result += dropStepMutants(in: model, graph: graph, actions: names) }
      if chosen.contains(.swapSteps) { result += swapStepMutants(in: model, graph: graph, actions: names) }
    }
    return result
  }

  static func rebuild(
    _ a: Action, guardCondition: Expr? = nil, failures: [FailureCondition]? = nil, effects: [Effect]? = nil
  )
    -> Action
  {
    // An output returned on a failure condition the mutant drops is returned on the others only
    // (``Output/failures`` may name only conditions the action has, or the mutant would not validate).
    let kept = failures ?? a.failures
    let names = Set(kept.map(\.name))
    let outputs = a.outputs.map { o in
      o.failures.allSatisfy(names.contains) ? o : Output(o.name, o.value, failures: o.failures.filter(names.contains))
    }
    return Action(
      name: a.name, caller: a.caller, doc: a.doc, parameters: a.parameters,
      guardCondition: guardCondition ?? a.guardCondition,
      failures: kept, effects: effects ?? a.effects, successCode: a.successCode, outputs: outputs)
  }

  static func mutants(
    of action: Action, in model: Model, by op: MutationOperator, valueSample: Int, everyFailure: Bool
  ) -> [IRMutant] {
    var text = IRText(model: model, action: action)
    func make(_ position: String, _ summary: String, _ diff: [String], _ mutated: Action) -> IRMutant {
      IRMutant(op, action: action.name, position: position, summary: summary, diff: diff, mutated: mutated)
    }
    var result: [IRMutant] = []
    switch op {
    case .dropFailure:
      for (i, f) in action.failures.enumerated() {
        var failures = action.failures
        failures.remove(at: i)
        result.append(
          make(
            "\(i)", "drops failure condition \(f.name) (\(f.error))", ["- " + text.failure(f, position: i)],
            rebuild(action, failures: failures)))
      }
    case .swapFailures:
      for i in action.failures.indices.dropLast() {
        var failures = action.failures
        failures.swapAt(i, i + 1)
        let (a, b) = (action.failures[i], action.failures[i + 1])
        result.append(
          make(
            "\(i)-\(i + 1)", "checks \(b.name) before \(a.name)",
            [
              "- " + text.failure(a, position: i), "- " + text.failure(b, position: i + 1),
              "+ " + text.failure(b, position: i), "+ " + text.failure(a, position: i + 1),
            ], rebuild(action, failures: failures)))
      }
    case .dropEffect:
      for (j, e) in action.effects.enumerated() where !isMonitor(e, model) {
        var effects = action.effects
        effects.remove(at: j)
        result.append(
          make(
            "\(j)", "drops the effect on \(model[e.variable].name)", ["- effect \(j): " + text.effect(e)],
            rebuild(action, effects: effects)))
      }
    case .replaceValue:
      for (j, e) in action.effects.enumerated() where !isMonitor(e, model) {
        for replacement in replacements(e, model: model, sample: valueSample) {
          var effects = action.effects
          effects[j] = replacement.effect
          result.append(
            make(
              "\(j)=\(replacement.label)",
              "assigns \(replacement.label) to \(model[e.variable].name) instead of \(replacement.old)",
              ["- effect \(j): " + text.effect(e), "+ effect \(j): " + text.effect(replacement.effect)],
              rebuild(action, effects: effects)))
        }
      }
    case .weakenGuard:
      let conjuncts: [Expr]
      switch action.guardCondition {
      case .boolean(true): conjuncts = []
      case .and(let xs): conjuncts = xs
      default: conjuncts = [action.guardCondition]
      }
      for (k, c) in conjuncts.enumerated() {
        var rest = conjuncts
        rest.remove(at: k)
        let weakened: Expr = rest.isEmpty ? .boolean(true) : rest.count == 1 ? rest[0] : .and(rest)
        result.append(
          make(
            "\(k)", "drops guard conjunct \(k)", ["- " + text.guardText(c)], rebuild(action, guardCondition: weakened)))
      }
    case .dropStep, .swapSteps:
      // Generated from the model's step graph (StepGraph), not one action at a time.
      break
    case .failureEffect:
      // By default the effect goes on the last failure condition only: the call has passed
      // every other check (so the effect's keys are meaningful) when it sets the state and then
      // fails, the shape of the real bugs. `everyFailure` tries every condition.
      let positions = everyFailure ? Array(action.failures.indices) : action.failures.indices.suffix(1)
      for i in positions {
        let f = action.failures[i]
        for (j, e) in action.effects.enumerated() where !isMonitor(e, model) {
          var failures = action.failures
          failures[i] = FailureCondition(
            name: f.name, error: f.error, code: f.code, index: f.index, when: f.condition, effects: f.effects + [e])
          result.append(
            make(
              "\(i)+\(j)", "failure \(f.name) still writes \(model[e.variable].name) (success effect \(j))",
              ["  " + text.failure(f, position: i), "+   then " + text.effect(e)], rebuild(action, failures: failures)))
        }
      }
    }
    return result
  }

  /// Whether an effect writes a monitor flag: the properties' own instrumentation, which the
  /// operators leave alone (dropping the write that sets a monitor disables the property; it
  /// says nothing about the model).
  static func isMonitor(_ effect: Effect, _ model: Model) -> Bool {
    model[effect.variable].role == .monitor
  }

  /// Other constants for an effect that assigns a constant: a bounded, deterministic sample of
  /// the variable's domain (evenly spaced over the other values, always the first and last).
  static func replacements(_ effect: Effect, model: Model, sample: Int) -> [(
    effect: Effect, label: String, old: String
  )] {
    let domain = model[effect.variable].value
    let value: Expr
    switch effect {
    case .assign(_, _, let v, _): value = v
    case .assignAll(_, _, _, let v): value = v
    }
    func with(_ new: Expr) -> Effect {
      switch effect {
      case .assign(let id, let keys, _, let when): return .assign(id, keys: keys, value: new, when: when)
      case .assignAll(let id, let keys, let condition, _):
        return .assignAll(id, keys: keys, condition: condition, value: new)
      }
    }
    switch value {
    case .boolean(let b):
      return [(with(.boolean(!b)), "\(!b)", "\(b)")]
    case .literal(let v):
      guard let elements = domain.elements else { return [] }
      let others = elements.filter { $0 != v }
      guard !others.isEmpty, sample > 0 else { return [] }
      var picks: [Value]
      if others.count <= sample {
        picks = others
      } else if sample == 1 {
        picks = [others[0]]
      } else {
        picks = (0..<sample).map { others[$0 * (others.count - 1) / (sample - 1)] }
      }
      picks = Array(Set(picks)).sorted()
      return picks.map { (with(.literal($0)), "\($0)", "\(v)") }
    default:
      return []
    }
  }
}
