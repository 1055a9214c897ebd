/// What a trace file says, before the model fills in what it leaves out.
///
/// A hand-written trace may leave out variables of a state and the results and outputs of its
/// steps; a trace an engine wrote gives everything. `states[0]` is the first state and
/// `states[i + 1]` follows `steps[i]`, as in ``Trace``.
public struct RecordedTrace: Hashable, Sendable {
  /// One step as recorded: the action (an index into the model's actions), its arguments, and
  /// what the trace says it returned, if it says.
  public struct Step: Hashable, Sendable {
    public var action: Int
    public var arguments: [Value]
    public var result: StepResult?
    public var outputs: [Value]?

    public init(action: Int, arguments: [Value], result: StepResult? = nil, outputs: [Value]? = nil) {
      self.action = action
      self.arguments = arguments
      self.result = result
      self.outputs = outputs
    }
  }

  public var model: String
  public var configuration: Configuration
  public var property: String?
  public var outcome: Trace.Kind
  public var seed: UInt64?
  /// Per state, per slot of the model's logical layout: the value the trace gives, or `nil`.
  public var states: [[Value?]]
  public var steps: [Step]

  public init(
    model: String, configuration: Configuration, property: String? = nil, outcome: Trace.Kind,
    seed: UInt64? = nil, states: [[Value?]], steps: [Step]
  ) {
    self.model = model
    self.configuration = configuration
    self.property = property
    self.outcome = outcome
    self.seed = seed
    self.states = states
    self.steps = steps
  }

  /// A complete trace, as recorded: every value, result and output given, action names
  /// resolved in `model`.
  ///
  /// - Throws: ``UnknownAction`` for the first step naming an action the model does not have.
  public init(_ trace: Trace, model: Model) throws(UnknownAction) {
    var steps: [Step] = []
    for (i, step) in trace.steps.enumerated() {
      guard let a = model.action(named: step.action) else { throw UnknownAction(step: i + 1, name: step.action) }
      steps.append(Step(action: a, arguments: step.arguments, result: step.result, outputs: step.outputs))
    }
    self.init(
      model: trace.model, configuration: trace.configuration, property: trace.property, outcome: trace.outcome,
      seed: trace.seed, states: trace.states.map { $0.map(Optional.some) }, steps: steps)
  }

  /// A trace step naming an action the model does not have.
  public struct UnknownAction: Error, Hashable, Sendable {
    /// 1-based: step `k` is `trace.steps[k - 1]`.
    public let step: Int
    public let name: String
  }
}

/// A model that can fill in what a trace file leaves out: its initial state, and every value,
/// result and output of a ``RecordedTrace`` that the file does not give.
///
/// A trace reader (Traces' ITF reader) knows only the Spec IR; the engine that executes the model
/// (Explore's `CompiledModel`, through its one `Execution`) conforms, so a hand-written trace is
/// completed by the engine without the reader depending on it.
public protocol TraceCompleting {
  /// The model whose traces this completes.
  var model: Model { get }
  /// The values of the model's initial state, in the model's logical layout.
  func initialValues() -> [Value]
  /// Executes a recorded trace's steps, each from the state before it (as the trace gives it,
  /// completed), and returns the trace with every value, result and output it leaves out
  /// computed; what it does give is kept as written.
  ///
  /// A left-out value of the first state is the initial state's. A step that is disabled keeps
  /// the state before it.
  ///
  /// - Throws: ``TraceCompletionError`` saying which state or step failed.
  func complete(_ recorded: RecordedTrace) throws -> Trace
}

/// Why a trace could not be completed.
public struct TraceCompletionError: Error, Hashable, Sendable {
  public enum Kind: Hashable, Sendable {
    /// `states[state]` (completed) is not a state of the model.
    case notAState
    /// The step into `states[state]` raised a model error.
    case step
    /// Computing the outputs of the step into `states[state]` raised a model error.
    case outputs
    /// A checked property raised a model error in `states[state]`.
    case property
  }

  public let kind: Kind
  /// The index of the state concerned (a step `k` is the step into `states[k]`).
  public let state: Int
  public let message: String

  public init(_ kind: Kind, state: Int, message: String) {
    self.kind = kind
    self.state = state
    self.message = message
  }
}
