/// A model that can fill in what a trace file leaves out: its initial state and its steps.
///
/// A trace reader (Traces' ITF reader) knows only the Spec IR; an engine that executes the model
/// (Explore's `CompiledModel`) conforms, so a hand-written trace is completed by the engine
/// without the reader depending on it.
public protocol TraceCompleting {
  /// The model whose traces this completes.
  var model: Model { get }
  /// The values of the model's initial state, in the model's logical layout.
  func initialValues() -> [Value]
  /// Executes one step from the state with the given values.
  ///
  /// - Returns: the successor's values (the same values when the step is disabled or fails
  ///   without effects), the step's result, and its outputs when `outputs` is true and the step
  ///   succeeded (otherwise empty).
  /// - Throws: ``TraceCompletionError`` saying which part failed.
  func completeStep(from values: [Value], action: Int, arguments: [Value], outputs: Bool) throws -> CompletedStep
}

/// One step executed to complete a trace.
public struct CompletedStep: Sendable {
  public let next: [Value]
  public let result: StepResult
  public let outputs: [Value]

  public init(next: [Value], result: StepResult, outputs: [Value]) {
    self.next = next
    self.result = result
    self.outputs = outputs
  }
}

/// Why a step of a trace could not be completed.
public enum TraceCompletionError: Error, Sendable {
  /// The values before the step are not a state of the model.
  case notAState(String)
  /// The step raised a model error.
  case step(String)
  /// Computing the step's outputs raised a model error.
  case outputs(String)
}
