import Spec

/// What one step of an ``Execution`` did.
public struct ExecutedStep: Hashable, Sendable {
  /// How the step ended.
  public enum Status: Hashable, Sendable {
    /// The action's guard did not hold: nothing happened.
    case disabled
    /// The failure condition at this position of the action held first.
    case failed(condition: Int)
    /// No failure condition held; the effects applied.
    case succeeded
  }

  public let action: Int
  public let arguments: [Value]
  public let status: Status
  /// What a trace records: the success code, or the failure condition's name, error and code
  /// (``CompiledModel/disabledResult`` for a disabled step).
  public let result: StepResult
  /// The outputs the action returned, evaluated in the state before the step: every output on
  /// success, on a failure those the action defines on that condition (``Output/failures``, in
  /// declaration order), none when disabled.
  public let outputs: [Value]
  /// The checked properties (``Execution/checking``) the state after the step violates, then
  /// the checked transition properties the step itself breaks.
  public let violated: [Int]

  /// The step as a trace records it: outputs on success only.
  public func traceStep(of model: Model) -> TraceStep {
    TraceStep(
      action: model.actions[action].name, arguments: arguments, result: result,
      outputs: status == .succeeded ? outputs : [])
  }
}

/// A model error raised while computing the outputs of a step (the step itself ran).
public struct OutputsError: Error, Hashable, Sendable, CustomStringConvertible {
  public let action: String
  public let message: String
  public var description: String { message }
}

/// A model error raised while checking a property after a step (or in the first state).
public struct PropertyError: Error, Hashable, Sendable, CustomStringConvertible {
  public let property: String
  public let message: String
  public var description: String { "property \(property): \(message)" }
}

/// The one way the concrete engine executes given steps: from a state, step (action, arguments)
/// after (action, arguments), collect each step's result and outputs, check properties after
/// every step, and record the trace.
///
/// Every consumer of "run these steps" goes through it: ``CompiledModel/trace(of:from:property:outcome:seed:)``
/// (the traces every engine reports), ``replay(_:trace:fromTraceStart:)`` and ITF completion
/// (``replay(_:_:fromTraceStart:checking:completing:)``, which compares with what a trace
/// recorded), the shrinker, the scenario runner and `cca-verify replay`. The exhaustive and
/// random searches do not: they expand states, not given steps.
///
/// An execution is not thread-safe; make one per thread.
///
/// - Complexity: a step costs the action's compiled guard, failure conditions and effects, plus
///   the checked properties, plus O(slots) when recording.
public final class Execution {
  public let compiled: CompiledModel
  /// The properties checked after every step (indices into `model.properties`).
  public let checking: [Int]
  /// Whether ``states`` and ``steps`` are recorded.
  public let recording: Bool
  private let scratch: Scratch
  private var words: [UInt64]
  /// The logical values of every state so far, the first one first (when recording).
  public private(set) var states: [[Value]] = []
  /// Every step taken so far, as a trace records it (when recording; disabled steps are none).
  public private(set) var steps: [TraceStep] = []
  /// The checked properties the current state violates.
  public private(set) var violated: [Int] = []

  /// Starts an execution in `start` (the model's initial state by default).
  ///
  /// - Throws: ``PropertyError`` when a checked property errs in the start state.
  public init(_ compiled: CompiledModel, from start: State? = nil, checking: [Int] = [], recording: Bool = true) throws
  {
    self.compiled = compiled
    self.checking = checking
    self.recording = recording
    self.scratch = compiled.makeScratch()
    self.words = start?.words ?? compiled.initialWords
    try reset(to: start)
  }

  /// The current state.
  public var state: State { State(words: words) }

  /// The current state's logical values.
  public var values: [Value] { compiled.values(of: state) }

  /// Starts over from `start` (the model's initial state by default), forgetting what was
  /// recorded.
  ///
  /// - Throws: as ``init(_:from:checking:recording:)``.
  public func reset(to start: State? = nil) throws {
    if let start { precondition(start.words.count == compiled.layout.wordCount, "state of another model") }
    words = start?.words ?? compiled.initialWords
    steps = []
    states = recording ? [values] : []
    violated = try checkProperties()
  }

  /// Takes one step from the current state.
  ///
  /// A disabled step changes nothing and is not recorded.
  ///
  /// - Throws: ``ExploreError/invalidArguments(action:message:)`` when the action index or an
  ///   argument is outside its domain, ``ExploreError/modelRuntime(location:message:)`` when the
  ///   model errs, ``OutputsError`` when computing the step's outputs errs (the state is then
  ///   unchanged), ``PropertyError`` when a checked property errs in the state after it.
  @discardableResult
  public func step(_ action: Int, _ arguments: [Value]) throws -> ExecutedStep {
    try compiled.checkArguments(action: action, arguments: arguments)
    let spec = compiled.model.actions[action]
    let code = try run(action, arguments)
    var result = StepResult.success(code: spec.successCode)
    var status = ExecutedStep.Status.succeeded
    var wanted: [Int] = Array(spec.outputs.indices)
    switch code {
    case CompiledModel.disabledCode:
      return ExecutedStep(
        action: action, arguments: arguments, status: .disabled, result: CompiledModel.disabledResult, outputs: [],
        violated: violated)
    case CompiledModel.succeededCode: break
    default:
      // The failure's index (bits [15:8] of the returned value), in the state before the step.
      let index = try compiled.indexFns[action][code].map { f in
        try words.withUnsafeBufferPointer {
          try f.eval(EvalContext(state: $0.start, args: scratch.args, bound: scratch.bound))
        }
      }
      let failure = spec.failures[code]
      result = .failure(condition: failure.name, error: failure.error, code: failure.code | ((index ?? 0) &<< 8))
      status = .failed(condition: code)
      wanted = spec.outputIndices(onFailure: code)
    }
    var outputs: [Value] = []
    if !wanted.isEmpty {
      do {
        let all = try words.withUnsafeBufferPointer { pre in
          try compiled.outputFns[action].map {
            try $0.eval(EvalContext(state: pre.start, args: scratch.args, bound: scratch.bound))
          }
        }
        outputs = wanted.map { all[$0] }
      } catch {
        throw OutputsError(action: spec.name, message: "\(error)")
      }
    }
    if case .succeeded = status { result = spec.successResult(outputs: outputs) }
    // Transition properties compare the state before the step with the one after it.
    let broken = brokenTransitions(action, code)
    commit(action, code)
    violated = try checkProperties() + broken
    let executed = ExecutedStep(
      action: action, arguments: arguments, status: status, result: result, outputs: outputs, violated: violated)
    if recording {
      steps.append(executed.traceStep(of: compiled.model))
      states.append(values)
    }
    return executed
  }

  /// The trace recorded so far.
  ///
  /// - Precondition: the execution records.
  public func trace(property: String? = nil, outcome: Trace.Kind = .violated, seed: UInt64? = nil) -> Trace {
    precondition(recording, "an execution that does not record has no trace")
    let model = compiled.model
    return Trace(
      model: model.name, configuration: model.configuration, states: states, steps: steps, property: property,
      outcome: outcome, seed: seed)
  }

  // MARK: - The core

  /// Runs an action on the current state; the successor, if any, is left in the scratch buffer
  /// until ``commit(_:_:)``.
  private func run(_ action: Int, _ arguments: [Value]) throws -> Int {
    for (i, v) in arguments.enumerated() { scratch.args[i] = v }
    compiled.actions[action].completeArguments(scratch.args)
    return try words.withUnsafeBufferPointer {
      try compiled.run(action, pre: $0.start, args: scratch.args, scratch: scratch)
    }
  }

  /// Takes the successor a run wrote (a success, or a failure condition with effects); returns
  /// whether there was one.
  @discardableResult
  private func commit(_ action: Int, _ code: Int) -> Bool {
    guard compiled.wroteSuccessor(action: action, code: code) else { return false }
    compiled._checkInvariants(scratch.post)
    words.withUnsafeMutableBufferPointer { $0.start.update(from: scratch.post, count: $0.count) }
    return true
  }

  /// The checked transition properties the step just run (its successor in the scratch
  /// buffer, not yet committed) breaks.
  private func brokenTransitions(_ action: Int, _ code: Int) -> [Int] {
    guard compiled.wroteSuccessor(action: action, code: code) else { return [] }
    return checking.filter { breaks($0, action, code) }
  }

  /// Whether the step just run breaks `property`, when that is a transition property.
  private func breaks(_ property: Int, _ action: Int, _ code: Int) -> Bool {
    guard let rule = compiled.transitionRules[property] else { return false }
    return words.withUnsafeBufferPointer {
      rule.violated(action: action, code: code, pre: $0.start, post: scratch.post)
    }
  }

  private func checkProperties() throws(PropertyError) -> [Int] {
    var failing: [Int] = []
    for p in checking {
      do {
        let holds = try words.withUnsafeBufferPointer { try compiled.holds(p, words: $0.start, scratch: scratch) }
        if !holds { failing.append(p) }
      } catch {
        throw PropertyError(property: compiled.model.properties[p].name, message: "\(error)")
      }
    }
    return failing
  }

  /// Runs `steps` from the current state, without recording, until a state violates `property`
  /// (or, for a transition property, a step breaks it).
  ///
  /// Returns the steps that ran up to and including the violating one (empty when the current
  /// state violates it), or `nil` when no state does, the model errs, or (unless `lenient`) a
  /// step is disabled. A lenient run skips disabled steps, so what it returns replays strictly.
  /// This is the shrinker's inner loop: it allocates nothing per step.
  func firstViolation(
    of property: Int, _ steps: [(action: Int, arguments: [Value])], lenient: Bool
  ) -> [(action: Int, arguments: [Value])]? {
    func holds() throws -> Bool {
      try words.withUnsafeBufferPointer { try compiled.holds(property, words: $0.start, scratch: scratch) }
    }
    var ran: [(action: Int, arguments: [Value])] = []
    do {
      if try !holds() { return [] }
      for step in steps {
        let code = try run(step.action, step.arguments)
        if code == CompiledModel.disabledCode {
          if lenient { continue }
          return nil
        }
        ran.append(step)
        if compiled.wroteSuccessor(action: step.action, code: code), breaks(property, step.action, code) { return ran }
        if commit(step.action, code), try !holds() { return ran }
      }
    } catch {
      return nil
    }
    return nil
  }
}

extension CompiledModel {
  /// Checks that an action index exists and its arguments lie in their domains.
  ///
  /// - Throws: ``ExploreError/invalidArguments(action:message:)`` saying what is wrong.
  func checkArguments(action: Int, arguments: [Value]) throws {
    guard actions.indices.contains(action) else {
      throw ExploreError.invalidArguments(action: "#\(action)", message: "no such action in \(model.name)")
    }
    let spec = model.actions[action]
    guard arguments.count == spec.parameters.count else {
      throw ExploreError.invalidArguments(
        action: spec.name, message: "\(arguments.count) arguments given, it takes \(spec.parameters.count)")
    }
    for (parameter, value) in zip(spec.parameters, arguments) where !parameter.domain.contains(value) {
      throw ExploreError.invalidArguments(
        action: spec.name,
        message: "argument \(parameter.name) = \(value) is outside its domain \(parameter.domain)")
    }
  }

  /// Re-executes a sequence of steps from a state (the initial state by default) and returns
  /// the trace, with each state's logical values and each step's result and outputs.
  ///
  /// - Throws: ``ExploreError`` when an argument is out of its domain, a step is disabled, or
  ///   the model errs.
  /// - Complexity: O(steps × (step cost + slots)).
  public func trace(
    of steps: [(action: Int, arguments: [Value])], from start: State? = nil,
    property: String? = nil, outcome: Trace.Kind = .violated, seed: UInt64? = nil
  ) throws -> Trace {
    let execution = try Execution(self, from: start)
    for (index, step) in steps.enumerated() {
      if try execution.step(step.action, step.arguments).status == .disabled {
        throw ExploreError.invalidArguments(
          action: model.actions[step.action].name, message: "disabled at step \(index + 1)")
      }
    }
    return execution.trace(property: property, outcome: outcome, seed: seed)
  }
}
