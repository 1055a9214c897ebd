import Spec

/// The result of re-executing a trace.
public enum ReplayResult: Hashable, Sendable {
  /// Every step returned the recorded result and reached the recorded state.
  case exact
  /// The trace and the model part ways at `step`: 0 is the trace's header or initial state,
  /// `k ≥ 1` is `trace.steps[k - 1]` (its result or the state `trace.states[k]` it reaches).
  case diverged(step: Int, reason: String)
}

/// Re-executes a trace step by step (by action name and arguments) and compares each step's
/// result and each reached state with the trace.
///
/// By default the trace must start in the model's initial state; with `fromTraceStart` it
/// starts from `trace.states[0]` (for counterexamples to induction, which start anywhere).
///
/// - Complexity: O(steps × (step cost + state size)).
public func replay(_ compiled: CompiledModel, trace: Trace, fromTraceStart: Bool = false) -> ReplayResult {
  let model = compiled.model
  guard trace.model == model.name else {
    return .diverged(step: 0, reason: "the trace is of model \(trace.model), not \(model.name)")
  }
  guard trace.configuration == model.configuration else {
    return .diverged(
      step: 0, reason: "the trace is for configuration \(trace.configuration), the model for \(model.configuration)")
  }
  guard trace.states.count == trace.steps.count + 1 else {
    return .diverged(step: 0, reason: "the trace has \(trace.states.count) states for \(trace.steps.count) steps")
  }
  let layout = model.layout
  var state: State
  if fromTraceStart {
    do {
      state = try compiled.state(fromValues: trace.states[0])
    } catch {
      return .diverged(step: 0, reason: "the initial state is not a state of the model: \(error)")
    }
  } else {
    state = compiled.initialState()
    if let difference = difference(compiled.values(of: state), trace.states[0], layout) {
      return .diverged(step: 0, reason: "the initial state differs: \(difference)")
    }
  }
  for (index, step) in trace.steps.enumerated() {
    let number = index + 1
    guard let action = model.action(named: step.action) else {
      return .diverged(step: number, reason: "the model has no action \(step.action)")
    }
    let outcome: StepOutcome
    do {
      outcome = try compiled.step(state, action: action, arguments: step.arguments)
    } catch {
      return .diverged(step: number, reason: "\(step.action) raised an error: \(error)")
    }
    if case .disabled = outcome {
      return .diverged(step: number, reason: "\(step.action) is disabled here")
    }
    let result = compiled.stepResult(action: action, outcome: outcome)
    guard result == step.result else {
      return .diverged(
        step: number, reason: "\(step.action) returned \(describe(result)), the trace says \(describe(step.result))")
    }
    if case .succeeded = outcome, !step.outputs.isEmpty {
      // Outputs are compared when the trace records them (traces from before outputs existed,
      // and hand-written ones, may leave them out).
      let outputs: [Value]
      do { outputs = try compiled.outputs(state, action: action, arguments: step.arguments) } catch {
        return .diverged(step: number, reason: "\(step.action)'s outputs raised an error: \(error)")
      }
      if outputs != step.outputs {
        return .diverged(step: number, reason: "\(step.action) output \(outputs), the trace says \(step.outputs)")
      }
    }
    state = outcome.successor(of: state)
    if let difference = difference(compiled.values(of: state), trace.states[number], layout) {
      return .diverged(step: number, reason: "the state after \(step.action) differs: \(difference)")
    }
  }
  return .exact
}

/// Describes the first slot where two logical states differ, or `nil` when they are equal.
private func difference(_ actual: [Value], _ recorded: [Value], _ layout: StateLayout) -> String? {
  guard actual.count == recorded.count else {
    return "the trace has \(recorded.count) values, the model \(actual.count)"
  }
  let differing = actual.indices.filter { actual[$0] != recorded[$0] }
  guard let first = differing.first else { return nil }
  let domain = layout.variables[layout.variable(at: first).index].value
  let more = differing.count > 1 ? " (and \(differing.count - 1) more)" : ""
  return
    "\(layout.name(at: first)) is \(domain.render(actual[first])) in the model, \(domain.render(recorded[first])) in the trace\(more)"
}

private func describe(_ result: StepResult) -> String {
  switch result {
  case .success(let code): return "success (\(code))"
  case .failure(let condition, let error, let code): return "\(error) from \(condition) (\(code))"
  }
}
