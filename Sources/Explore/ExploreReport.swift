import Spec

/// Which actions, failure conditions and status codes an exploration exercised.
public struct Coverage: Hashable, Sendable {
  /// One failure condition of an action and how often it was the first to hold.
  public struct Failure: Hashable, Sendable {
    /// The specification's name for the condition.
    public let name: String
    /// The error's name (`RMI_ERROR_INPUT`).
    public let error: String
    /// The status returned.
    public let code: Value
    /// How often it was the first condition to hold.
    public var fired: Int
  }

  /// One parameter of an action: how often each value exploration tries was part of an enabled
  /// step, and of a successful one (counted only with ``ExploreOptions/parameterCoverage``).
  public struct Parameter: Hashable, Sendable {
    /// The parameter's name.
    public let name: String
    /// Its domain (to render values by their labels).
    public let domain: Domain
    /// The values exploration tries (``Spec/Parameter/values``), in order.
    public let values: [Value]
    /// Whether those values are a strict subset of the domain (``Spec/Parameter/isSampled``).
    public let isSampled: Bool
    /// Per value: steps taken with it (the guard held).
    public var enabled: [Int]
    /// Per value: steps taken with it on which no failure condition held.
    public var succeeded: [Int]

    /// The values no step was ever taken with.
    public var unreached: [Value] { values.indices.filter { enabled[$0] == 0 }.map { values[$0] } }
  }

  /// One action: how often it was tried, enabled, and succeeded, and each failure condition.
  public struct Action: Hashable, Sendable {
    /// The action's name.
    public let name: String
    /// (state, arguments) pairs on which the guard was evaluated.
    public var tried: Int
    /// Pairs on which the guard held (the step was taken: success or failure).
    public var enabled: Int
    /// Steps on which no failure condition held.
    public var succeeded: Int
    /// The status returned on success.
    public let successCode: Value
    /// The failure conditions, in priority order.
    public var failures: [Failure]
    /// Each parameter's values (empty unless ``ExploreOptions/parameterCoverage`` was on).
    public var parameters: [Parameter] = []
  }

  /// Every action, in model order.
  public var actions: [Action]

  /// How often each status code was returned, successes and failures together.
  public var statusCodes: [Value: Int] {
    var result: [Value: Int] = [:]
    for action in actions {
      if action.succeeded > 0 { result[action.successCode, default: 0] += action.succeeded }
      for failure in action.failures where failure.fired > 0 {
        result[failure.code, default: 0] += failure.fired
      }
    }
    return result
  }

  /// Actions whose guard never held.
  public var neverEnabled: [String] { actions.filter { $0.enabled == 0 }.map(\.name) }

  /// `action.condition` for every failure condition that never fired.
  public var unfiredFailures: [String] {
    actions.flatMap { a in a.failures.filter { $0.fired == 0 }.map { "\(a.name).\($0.name)" } }
  }
}

/// Coverage counters of one worker, in one flat buffer so counting never allocates and never
/// goes through exclusivity checks: tried, enabled and succeeded per action, then fired per
/// failure condition; with parameter coverage, a second buffer of (enabled, succeeded) per
/// parameter value.
final class CoverageCounter {
  let actionCount: Int
  let failureBase: [Int]
  let failureCount: Int
  let counts: UnsafeMutablePointer<Int>
  /// Whether parameter values are counted (``ExploreOptions/parameterCoverage``).
  let countsParameters: Bool
  /// Per action and parameter: the offset of its values' counters in ``parameterCounts``.
  let valueBase: [[Int]]
  /// Per action and parameter: the number of values, and how many consecutive argument tuples
  /// share one value (``Action/arguments(at:)``'s order: last parameter fastest).
  let radix: [[Int]]
  let block: [[Int]]
  let parameterCounts: UnsafeMutablePointer<Int>
  let parameterCountSize: Int

  init(model: Model, parameters: Bool = false) {
    countsParameters = parameters
    var valueBase: [[Int]] = []
    var radix: [[Int]] = []
    var block: [[Int]] = []
    var slots = 0
    for action in model.actions {
      let r = action.parameters.map { $0.values.count }
      var b = [Int](repeating: 1, count: r.count)
      for i in r.indices.reversed() where i + 1 < r.count { b[i] = b[i + 1] * r[i + 1] }
      var base: [Int] = []
      for n in r {
        base.append(slots)
        if parameters { slots += 2 * n }
      }
      valueBase.append(base)
      radix.append(r)
      block.append(b)
    }
    self.valueBase = valueBase
    self.radix = radix
    self.block = block
    parameterCountSize = slots
    parameterCounts = .allocate(capacity: max(1, slots))
    parameterCounts.initialize(repeating: 0, count: max(1, slots))
    actionCount = model.actions.count
    var base: [Int] = []
    var total = 0
    for action in model.actions {
      base.append(total)
      total += action.failures.count
    }
    failureBase = base
    failureCount = total
    counts = .allocate(capacity: max(1, 3 * actionCount + total))
    counts.initialize(repeating: 0, count: max(1, 3 * actionCount + total))
  }

  deinit {
    counts.deallocate()
    parameterCounts.deallocate()
  }

  /// Counts the values of the argument tuple at position `tuple` of `action`, for a step that was taken (and
  /// `succeeded` or not).
  ///
  /// Only called when ``countsParameters``.
  func recordArguments(action: Int, tuple: Int, succeeded: Bool) {
    let r = radix[action]
    let b = block[action]
    let base = valueBase[action]
    for i in r.indices {
      let slot = base[i] &+ 2 &* ((tuple / b[i]) % r[i])
      parameterCounts[slot] &+= 1
      if succeeded { parameterCounts[slot &+ 1] &+= 1 }
    }
  }

  private var size: Int { 3 * actionCount + failureCount }

  @inline(__always)
  func record(action: Int, code: Int) {
    counts[action] &+= 1
    if code == CompiledModel.disabledCode { return }
    counts[actionCount &+ action] &+= 1
    if code == CompiledModel.succeededCode {
      counts[2 &* actionCount &+ action] &+= 1
    } else {
      counts[3 &* actionCount &+ failureBase[action] &+ code] &+= 1
    }
  }

  /// Records, for one expanded state, the outcomes of the tuples a check program decides by
  /// their arguments alone (``CheckProgram``): they count as tried, and as failures of their
  /// condition, exactly as if they had been evaluated.
  @inline(__always)
  func recordDecided(action: Int, program: CheckProgram) {
    guard program.staticTried > 0 else { return }
    counts[action] &+= program.staticTried
    counts[actionCount &+ action] &+= program.staticTried &- program.staticDisabled
    for (i, n) in program.staticFailed.enumerated() where n > 0 {
      counts[3 &* actionCount &+ failureBase[action] &+ i] &+= n
    }
  }

  /// Records `count` tried tuples whose guard failed.
  @inline(__always)
  func recordDisabled(action: Int, count: Int) {
    counts[action] &+= count
  }

  func add(_ other: CoverageCounter) {
    for i in 0..<size { counts[i] += other.counts[i] }
    if countsParameters && other.countsParameters {
      for i in 0..<parameterCountSize { parameterCounts[i] += other.parameterCounts[i] }
    }
  }

  var transitions: Int { (0..<actionCount).reduce(0) { $0 + counts[actionCount + $1] } }

  func coverage(of model: Model) -> Coverage {
    Coverage(
      actions: model.actions.enumerated().map { a, action in
        Coverage.Action(
          name: action.name, tried: counts[a], enabled: counts[actionCount + a],
          succeeded: counts[2 * actionCount + a], successCode: action.successCode,
          failures: action.failures.enumerated().map { i, f in
            Coverage.Failure(
              name: f.name, error: f.error, code: f.code, fired: counts[3 * actionCount + failureBase[a] + i])
          },
          parameters: !countsParameters
            ? []
            : action.parameters.enumerated().map { i, p in
              let base = valueBase[a][i]
              return Coverage.Parameter(
                name: p.name, domain: p.domain, values: p.values, isSampled: p.isSampled,
                enabled: p.values.indices.map { parameterCounts[base + 2 * $0] },
                succeeded: p.values.indices.map { parameterCounts[base + 2 * $0 + 1] })
            })
      })
  }
}

/// The result of an exploration: the outcome, what was explored, and why it stopped.
public struct ExploreReport: Hashable, Sendable {
  /// What the exploration found.
  public enum Outcome: Hashable, Sendable {
    /// No checked property was violated in the explored states (a proof only when `complete`).
    case noViolation
    /// A property (an index into `model.properties`) fails in the last state of the trace. In
    /// BFS the trace is a shortest one.
    case violation(property: Int, trace: Trace)
    /// The model did something undefined (``ExploreError``); the message names where.
    case modelError(String)
  }

  /// Why an exploration stopped before finishing its job.
  public enum StopReason: String, Hashable, Sendable {
    case maxDepth, maxStates, timeLimit, interrupted
  }

  /// What was found.
  public var outcome: Outcome
  /// The search strategy that ran.
  public var mode: ExploreOptions.Mode
  /// Distinct states found (by fingerprint), including the initial state.
  public var distinctStates: Int
  /// Enabled steps executed (successes and failures; revisits included).
  public var transitions: Int
  /// The deepest BFS level reached, or the longest random walk.
  public var maxDepthReached: Int
  /// Whether BFS exhausted the reachable states without hitting a limit: only then does
  /// `noViolation` mean the properties hold in every reachable state.
  public var complete: Bool
  /// The limit or interrupt that stopped the run, or `nil` when it finished its job (space
  /// exhausted, violation found, all walks done).
  public var stoppedBy: StopReason?
  /// Wall-clock seconds.
  public var elapsed: Double
  /// Which actions, failure conditions and status codes were exercised.
  public var coverage: Coverage
  /// The run's seed.
  public var seed: UInt64
  /// Bytes the visited store holds per distinct state (fingerprint table at its real capacity,
  /// plus parent links in BFS), measured from the allocated sizes.
  public var bytesPerState: Int
  /// Bytes of one packed state (states in the BFS frontier take this each).
  public var packedStateBytes: Int
  /// BFS: the most bytes the frontier queues (the level being expanded and the next one, at
  /// their allocated capacities) held at the end of a level; not part of `bytesPerState`.
  public var peakQueueBytes: Int = 0
  /// BFS: argument tuples on which a compiled closure ran (a guard conjunct, failure condition or the effects), summed
  /// over the expanded states.
  ///
  /// Tuples decided by their arguments alone, by a cached verdict or by a failing prefix guard count in `transitions`
  /// and the coverage but not here. 0 in random mode.
  public var evaluatedSteps: Int = 0
  /// Worker threads used.
  public var workers: Int
  /// Random: walks completed.
  public var walksCompleted: Int
  /// Random: the index of the walk that found the violation; a single
  /// ``randomWalk(_:chooser:length:swarm:properties:)`` with
  /// `SeededChooser(seed: seed, stream: UInt64(walk))` repeats it.
  public var violatingWalk: Int?
  /// When the outcome is `modelError`, the trace to the state in which the error occurred.
  public var errorTrace: Trace?
  /// Random with `shrink`: the length of the violating walk before shrinking.
  public var unshrunkLength: Int?

  /// Distinct states per second.
  public var statesPerSecond: Double { elapsed > 0 ? Double(distinctStates) / elapsed : 0 }

  /// The violating trace, if any.
  public var trace: Trace? {
    if case .violation(_, let trace) = outcome { return trace }
    return nil
  }
}
