import Spec

extension CompiledModel: TraceCompleting {
  public func initialValues() -> [Value] { values(of: initialState()) }

  public func completeStep(from values: [Value], action: Int, arguments: [Value], outputs wanted: Bool) throws
    -> CompletedStep
  {
    let previous: State
    do { previous = try state(fromValues: values) } catch { throw TraceCompletionError.notAState("\(error)") }
    let outcome: StepOutcome
    do { outcome = try step(previous, action: action, arguments: arguments) } catch {
      throw TraceCompletionError.step("\(error)")
    }
    var next = values
    if case .succeeded(let s) = outcome { next = self.values(of: s) }
    if case .failed(_, _, let s?) = outcome { next = self.values(of: s) }
    var outputs: [Value] = []
    if wanted, case .succeeded = outcome {
      do { outputs = try self.outputs(previous, action: action, arguments: arguments) } catch {
        throw TraceCompletionError.outputs("\(error)")
      }
    }
    return CompletedStep(next: next, result: stepResult(action: action, outcome: outcome), outputs: outputs)
  }
}
