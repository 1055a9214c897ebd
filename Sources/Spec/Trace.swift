/// The result of one step of a trace.
public enum StepResult: Hashable, Sendable, Codable {
  /// No failure condition held; the effects applied and the action returned `code`.
  case success(code: Value)
  /// The named failure condition held first; the state is unchanged.
  case failure(condition: String, error: String, code: Value)

  /// The status the action returned.
  public var code: Value {
    switch self {
    case .success(let code), .failure(_, _, let code): return code
    }
  }
}

/// One step of a trace: the action, its arguments, and what it returned.
public struct TraceStep: Hashable, Sendable, Codable {
  public let action: String
  public let arguments: [Value]
  public let result: StepResult
  /// The action's outputs on success (X1..X4), in declaration order; empty otherwise.
  public var outputs: [Value]

  public init(action: String, arguments: [Value], result: StepResult, outputs: [Value] = []) {
    self.action = action
    self.arguments = arguments
    self.result = result
    self.outputs = outputs
  }
}

/// A sequence of states and the steps between them, as every engine reports it.
///
/// `states[0]` is the initial state and `states[i + 1]` follows `steps[i]`. States are in the
/// model's logical ``StateLayout``.
public struct Trace: Hashable, Sendable, Codable {
  /// What a trace shows, written as ITF's `#meta.outcome`.
  public enum Kind: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// A run from an initial state to a state that violates ``Trace/property`` (or whose last
    /// step breaks a transition rule).
    case violated
    /// A counterexample to induction: one step from a state that satisfies the invariant (not
    /// necessarily reachable) to one that violates it. Not a violation.
    case cti
    /// A run that shows a behaviour, such as an explorer's witness or a hand-written trace.
    case example
    /// The run of a conformance scenario.
    case scenario
    /// A run to a step the model cannot take: a model error (a value outside its domain).
    case error
    /// A run to the state where two models' behaviours first differ (mutation triage).
    case differs
    /// A run of a variant model to a state the reference model does not reach.
    case outside

    public var description: String { rawValue }
  }

  public let model: String
  public let configuration: Configuration
  public var states: [[Value]]
  public var steps: [TraceStep]
  /// The property the last state violates, if any.
  public var property: String?
  /// What the trace shows (a violation, a CTI, an example run, a scenario).
  public var outcome: Kind
  /// The seed that produced the trace, for random engines.
  public var seed: UInt64?

  public init(
    model: String, configuration: Configuration, states: [[Value]], steps: [TraceStep],
    property: String? = nil, outcome: Kind = .violated, seed: UInt64? = nil
  ) {
    precondition(states.count == steps.count + 1, "a trace has one more state than steps")
    self.model = model
    self.configuration = configuration
    self.states = states
    self.steps = steps
    self.property = property
    self.outcome = outcome
    self.seed = seed
  }
}
