import Spec

/// The multi-step sequences of a model, found in its IR: program-counter variables and the
/// actions that advance them.
///
/// A model writes a multi-step operation (a lock, a clean, a TLBI, a sync, an unlock) as one
/// action per step, each guarded by a program counter holding its step and moving the counter
/// on: a guard conjunct `pc[keys] == c` together with an effect `pc[keys] := d` (same variable,
/// same key expressions, both constants, `d != c`) is an *edge* `c -> d` of that counter. Nothing
/// here knows what the steps mean; any model written this way gets the sequence operators.
///
/// The counter's initial value is its idle state: sequences start and end there, so it is never
/// a step to drop or swap (skipping it would fuse two calls, not drop a step).
struct StepGraph {
  /// One step transition: `action`'s effect `effect` moves `variable[keys]` from `from` to `to`.
  struct Edge: Hashable {
    let action: Int
    let effect: Int
    let variable: VariableID
    let keys: [Expr]
    let from: Value
    let to: Value
  }

  let edges: [Edge]
  /// The constant initial value of each counter, when it has one.
  let idle: [VariableID: Value]

  init(_ model: Model) {
    var edges: [Edge] = []
    for (i, action) in model.actions.enumerated() {
      for (variable, keys, from) in Self.counterTests(action.guardCondition) where model[variable].role == .state {
        for (j, effect) in action.effects.enumerated() {
          guard case .assign(variable, keys, .literal(let to), .boolean(true)) = effect, to != from else { continue }
          edges.append(Edge(action: i, effect: j, variable: variable, keys: keys, from: from, to: to))
        }
      }
    }
    self.edges = edges
    var idle: [VariableID: Value] = [:]
    for variable in Set(edges.map(\.variable)) {
      if let initial = model.initial[variable], case .literal(let v) = initial.value { idle[variable] = v }
    }
    self.idle = idle
  }

  /// The guard's conjuncts of the form `variable[keys] == constant` (either side).
  static func counterTests(_ guardCondition: Expr) -> [(VariableID, [Expr], Value)] {
    let conjuncts: [Expr]
    if case .and(let xs) = guardCondition { conjuncts = xs } else { conjuncts = [guardCondition] }
    return conjuncts.compactMap { c in
      switch c {
      case .binary(.eq, .read(let v, let keys), .literal(let value)),
        .binary(.eq, .literal(let value), .read(let v, let keys)):
        return (v, keys, value)
      default:
        return nil
      }
    }
  }

  /// The edges leaving step `value` of `variable`.
  func edges(from value: Value, of variable: VariableID) -> [Edge] {
    edges.filter { $0.variable == variable && $0.from == value }
  }

  /// The edges entering step `value` of `variable`.
  func edges(into value: Value, of variable: VariableID) -> [Edge] {
    edges.filter { $0.variable == variable && $0.to == value }
  }

  /// Whether `value` is a step of `variable` (not its idle state).
  func isStep(_ value: Value, of variable: VariableID) -> Bool {
    idle[variable] != value
  }
}

extension MutantGenerator {
  /// `action` with the counter write of `edge` moved to `value`.
  static func retarget(_ action: Action, _ edge: StepGraph.Edge, to value: Value) -> Action {
    var effects = action.effects
    effects[edge.effect] = .assign(edge.variable, keys: edge.keys, value: .literal(value), when: .boolean(true))
    return rebuild(action, effects: effects)
  }

  /// The two diff lines of a retargeted counter write.
  static func retargetDiff(_ model: Model, _ old: Action, _ new: Action, _ edge: StepGraph.Edge) -> [String] {
    var oldText = IRText(model: model, action: old)
    var newText = IRText(model: model, action: new)
    return [
      "- effect \(edge.effect): " + oldText.effect(old.effects[edge.effect]),
      "+ effect \(edge.effect): " + newText.effect(new.effects[edge.effect]),
    ]
  }

  /// A step's label, with the actions that perform it when they are named otherwise.
  static func describe(_ step: Value, domain: Domain, actions: [String]) -> String {
    let label = domain.render(step)
    return actions == [label] ? label : "\(label) (\(actions.joined(separator: ", ")))"
  }

  /// `drop-step`: each edge `c -> d` into a step `d` becomes `c -> e` for every step `e` that
  /// `d` leads to, so the sequence never performs `d` (a missing TLBI, clean, sync or scrub).
  static func dropStepMutants(in model: Model, graph: StepGraph, actions chosen: Set<String>?) -> [IRMutant] {
    var result: [IRMutant] = []
    for edge in graph.edges where graph.isStep(edge.to, of: edge.variable) {
      let action = model.actions[edge.action]
      guard chosen?.contains(action.name) ?? true else { continue }
      let successors = graph.edges(from: edge.to, of: edge.variable).filter { $0.to != edge.from }
      let targets = Array(Set(successors.map(\.to))).sorted()
      let domain = model[edge.variable].value
      for target in targets {
        let skippedBy = Set(successors.filter { $0.to == target }.map { model.actions[$0.action].name }).sorted()
        let mutated = retarget(action, edge, to: target)
        let position =
          targets.count == 1 ? "\(edge.effect)-skips-\(edge.to)" : "\(edge.effect)-skips-\(edge.to)-to-\(target)"
        result.append(
          IRMutant(
            .dropStep, action: action.name, position: position,
            summary: "skips step \(describe(edge.to, domain: domain, actions: skippedBy)): goes from "
              + "\(domain.render(edge.from)) to \(domain.render(target))",
            diff: retargetDiff(model, action, mutated, edge),
            mutated: mutated))
      }
    }
    return result
  }

  /// `swap-steps`: for a straight run `c -> d -> e -> f` (one edge into `d`, one out of `d`, one out of `e`; `d` and
  /// `e` steps of three different actions), the sequence does `e` before `d`: `c -> e`, `e -> d`, `d -> f`.
  ///
  /// Three actions change; the mutant is named after the first.
  static func swapStepMutants(in model: Model, graph: StepGraph, actions chosen: Set<String>?) -> [IRMutant] {
    var result: [IRMutant] = []
    for first in graph.edges where graph.isStep(first.to, of: first.variable) {
      let v = first.variable
      let d = first.to
      guard graph.edges(into: d, of: v).count == 1 else { continue }
      let out = graph.edges(from: d, of: v)
      guard out.count == 1, let second = out.first, graph.isStep(second.to, of: v), second.to != first.from else {
        continue
      }
      let e = second.to
      let out2 = graph.edges(from: e, of: v)
      guard out2.count == 1, let third = out2.first, third.to != d, third.to != e else { continue }
      guard Set([first.action, second.action, third.action]).count == 3 else { continue }
      let a = model.actions[first.action]
      guard chosen?.contains(a.name) ?? true else { continue }
      let b = model.actions[second.action]
      let c = model.actions[third.action]
      let mutatedA = retarget(a, first, to: e)
      let mutatedC = retarget(c, third, to: d)
      let mutatedB = retarget(b, second, to: third.to)
      let domain = model[v].value
      var diff: [String] = []
      for (old, new, edge) in [(a, mutatedA, first), (c, mutatedC, third), (b, mutatedB, second)] {
        diff += ["  action \(old.name)"] + retargetDiff(model, old, new, edge)
      }
      let position = "\(first.effect)-\(d)-\(e)"
      result.append(
        IRMutant(
          .swapSteps, action: a.name, position: position,
          summary: "does step \(describe(e, domain: domain, actions: [c.name])) before "
            + "\(describe(d, domain: domain, actions: [b.name]))",
          diff: diff, mutated: mutatedA, companions: [mutatedB, mutatedC]))
    }
    return result
  }
}
