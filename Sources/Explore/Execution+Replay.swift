import Spec

/// The result of re-executing a trace.
public enum ReplayResult: Hashable, Sendable {
  /// Every step returned the recorded result and reached the recorded state.
  case exact
  /// The trace and the model part ways at `step`: 0 is the trace's header or initial state,
  /// `k ≥ 1` is `trace.steps[k - 1]` (its result or the state `trace.states[k]` it reaches).
  case diverged(step: Int, reason: String)
}

/// A recorded trace executed against the model: the trace completed, where the model first
/// parts from it, and what every step did.
public struct ExecutedTrace: Sendable {
  /// The trace with every value, result and output it leaves out computed (what it gives is
  /// kept as written).
  public let trace: Trace
  public let result: ReplayResult
  /// The checked properties the first state violates (the model's initial state, or the
  /// trace's own first state for a trace that starts anywhere).
  public let initialViolations: [Int]
  /// What the model did at each step, from the state before it as the trace gives it; each
  /// step's ``ExecutedStep/violated`` are the checked properties its successor violates.
  public let steps: [ExecutedStep]
}

extension Execution {
  /// Executes a recorded trace step by step and compares each step's result, outputs (when
  /// recorded) and reached state with what the trace records.
  ///
  /// Each step runs from the state before it as the trace gives it (with what it leaves out
  /// computed), so up to the first divergence that is the model's own state. By default the
  /// trace must start in the model's initial state; with `fromTraceStart` it starts from its
  /// own first state (a counterexample to induction starts anywhere).
  ///
  /// With `completing`, every step is executed, after a divergence too, to compute what the
  /// trace leaves out, and a model error is thrown; without, execution stops at the first
  /// divergence and a model error is one.
  ///
  /// - Throws: ``TraceCompletionError`` when a checked property raises a model error, and (only
  ///   when `completing`) when a state the trace gives is not a state of the model or a step
  ///   raises a model error.
  /// - Complexity: O(steps × (step cost + checked properties + slots)).
  public static func replay(
    _ compiled: CompiledModel, _ recorded: RecordedTrace, fromTraceStart: Bool = false, checking: [Int] = [],
    completing: Bool
  ) throws(TraceCompletionError) -> ExecutedTrace {
    let model = compiled.model
    let layout = model.layout
    let initial = compiled.initialValues()
    var divergence: (step: Int, reason: String)?
    func diverge(_ step: Int, _ reason: String) {
      if divergence == nil { divergence = (step, reason) }
    }
    if recorded.model != model.name {
      diverge(0, "the trace is of model \(recorded.model), not \(model.name)")
    } else if recorded.configuration != model.configuration {
      diverge(
        0, "the trace is for configuration \(recorded.configuration), the model for \(model.configuration)")
    }
    var completed: [[Value]] = []
    var steps: [TraceStep] = []
    var executed: [ExecutedStep] = []
    var initialViolations: [Int] = []
    func finish() -> ExecutedTrace {
      // Stopped before the first state (a header that is not the model's): the trace is empty.
      let trace = Trace(
        model: recorded.model, configuration: recorded.configuration, states: completed.isEmpty ? [initial] : completed,
        steps: steps,
        property: recorded.property, outcome: recorded.outcome, seed: recorded.seed)
      return ExecutedTrace(
        trace: trace, result: divergence.map { .diverged(step: $0.step, reason: $0.reason) } ?? .exact,
        initialViolations: initialViolations, steps: executed)
    }
    guard divergence == nil || completing, let firstGiven = recorded.states.first else { return finish() }
    guard firstGiven.count == layout.count else {
      diverge(0, "the initial state differs: the trace has \(firstGiven.count) values, the model \(layout.count)")
      completed = [firstGiven.map { $0 ?? 0 }]
      return finish()
    }
    let first = firstGiven.indices.map { firstGiven[$0] ?? initial[$0] }
    completed = [first]
    // The execution's state is the completed state before the next step when `inStep`.
    let execution: Execution
    var inStep: Bool
    do {
      if fromTraceStart {
        let start: State
        do { start = try compiled.state(fromValues: first) } catch {
          if completing && !recorded.steps.isEmpty {
            throw TraceCompletionError(.notAState, state: 0, message: "\(error)")
          }
          diverge(0, "the initial state is not a state of the model: \(error)")
          return finish()
        }
        execution = try Execution(compiled, from: start, checking: checking, recording: false)
        inStep = true
      } else {
        execution = try Execution(compiled, checking: checking, recording: false)
        inStep = first == initial
        if !inStep, let difference = difference(initial, first, layout) {
          diverge(0, "the initial state differs: \(difference)")
        }
      }
    } catch {
      throw TraceCompletionError(.property, state: 0, message: "\(error)")
    }
    initialViolations = execution.violated
    if divergence != nil && !completing { return finish() }

    for (index, step) in recorded.steps.enumerated() {
      let number = index + 1
      let name = model.actions[step.action].name
      if !inStep {
        // Only when completing (without, execution stops at the first divergence): the trace
        // gives another state than the model computed, and the next step runs from it.
        let pre: State
        do { pre = try compiled.state(fromValues: completed[index]) } catch {
          throw TraceCompletionError(.notAState, state: index, message: "\(error)")
        }
        do { try execution.reset(to: pre) } catch {
          throw TraceCompletionError(.property, state: index, message: "\(error)")
        }
      }
      let ran: ExecutedStep
      do {
        ran = try execution.step(step.action, step.arguments)
      } catch let error as PropertyError {
        throw TraceCompletionError(.property, state: number, message: "\(error)")
      } catch let error as OutputsError {
        if completing { throw TraceCompletionError(.outputs, state: number, message: error.message) }
        diverge(number, "\(name)'s outputs raised an error: \(error)")
        return finish()
      } catch {
        if completing { throw TraceCompletionError(.step, state: number, message: "\(error)") }
        diverge(number, "\(name) raised an error: \(error)")
        return finish()
      }
      let result = step.result ?? ran.result
      let outputs = step.outputs ?? (ran.status == .succeeded ? ran.outputs : [])
      steps.append(TraceStep(action: name, arguments: step.arguments, result: result, outputs: outputs))
      executed.append(ran)
      let next = execution.values
      let given = recorded.states[number]
      guard given.count == layout.count else {
        diverge(
          number, "the state after \(name) differs: the trace has \(given.count) values, the model \(layout.count)")
        completed.append(next)
        return finish()
      }
      let values = given.indices.map { given[$0] ?? next[$0] }
      completed.append(values)
      inStep = values == next
      if divergence == nil {
        if ran.status == .disabled {
          diverge(number, "\(name) is disabled here")
        } else if ran.result != result {
          diverge(number, "\(name) returned \(describe(ran.result)), the trace says \(describe(result))")
        } else if ran.status == .succeeded, !outputs.isEmpty, ran.outputs != outputs {
          diverge(number, "\(name) output \(ran.outputs), the trace says \(outputs)")
        } else if let difference = difference(next, values, layout) {
          diverge(number, "the state after \(name) differs: \(difference)")
        }
        if divergence != nil && !completing { return finish() }
      }
    }
    return finish()
  }
}

/// Re-executes a trace step by step (by action name and arguments) and compares each step's
/// result, outputs and reached state with the trace: ``Execution/replay(_:_:fromTraceStart:checking:completing:)``
/// on a complete trace, stopping at the first divergence.
///
/// By default the trace must start in the model's initial state; with `fromTraceStart` it
/// starts from `trace.states[0]` (for counterexamples to induction, which start anywhere).
///
/// - Complexity: O(steps × (step cost + state size)).
public func replay(_ compiled: CompiledModel, trace: Trace, fromTraceStart: Bool = false) -> ReplayResult {
  guard trace.states.count == trace.steps.count + 1 else {
    return .diverged(step: 0, reason: "the trace has \(trace.states.count) states for \(trace.steps.count) steps")
  }
  // A step naming an action the model lacks ends the part that can be executed.
  var known = trace
  var unknown: RecordedTrace.UnknownAction?
  let recorded: RecordedTrace
  do { recorded = try RecordedTrace(trace, model: compiled.model) } catch {
    unknown = error
    known.steps = Array(trace.steps[..<(error.step - 1)])
    known.states = Array(trace.states[..<error.step])
    do { recorded = try RecordedTrace(known, model: compiled.model) } catch {
      return .diverged(step: error.step, reason: "the model has no action \(error.name)")
    }
  }
  let executed: ExecutedTrace
  do {
    executed = try Execution.replay(compiled, recorded, fromTraceStart: fromTraceStart, completing: false)
  } catch {
    // Without `completing` and without checked properties, model errors are divergences.
    return .diverged(step: error.state, reason: error.message)
  }
  if executed.result == .exact, let unknown {
    return .diverged(step: unknown.step, reason: "the model has no action \(unknown.name)")
  }
  return executed.result
}

extension CompiledModel: TraceCompleting {
  public func initialValues() -> [Value] { values(of: initialState()) }

  /// Completes a recorded trace with ``Execution/replay(_:_:fromTraceStart:checking:completing:)``.
  public func complete(_ recorded: RecordedTrace) throws -> Trace {
    try Execution.replay(self, recorded, completing: true).trace
  }
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
