import Foundation
import Spec
import Synchronization

/// A cooperative stop request: the command line sets it on SIGINT, and the engines check it
/// between segments of a BFS level and between random steps, then return the report so far.
public final class StopSignal: Sendable {
  private let flag = Atomic<Bool>(false)

  public init() {}

  /// Asks every engine holding this signal to stop soon.
  public func stop() { flag.store(true, ordering: .relaxed) }

  /// Whether a stop was requested.
  public var isStopped: Bool { flag.load(ordering: .relaxed) }
}

/// A snapshot of a running exploration, passed to the progress callback.
public struct ProgressSnapshot: Sendable, Hashable {
  /// Seconds since the exploration started.
  public var elapsed: Double
  /// Distinct states found so far.
  public var distinctStates: Int
  /// Distinct states per second since the start.
  public var statesPerSecond: Double
  /// The BFS level being expanded, or the longest random walk so far.
  public var depth: Int
  /// The work waiting: BFS states not yet expanded (the rest of this level plus the next level
  /// so far), or random walks not yet started.
  public var queueSize: Int
  /// Enabled steps executed so far.
  public var transitions: Int
  /// Random: walks completed so far; BFS: 0.
  public var walksCompleted: Int

  public init(
    elapsed: Double, distinctStates: Int, statesPerSecond: Double, depth: Int, queueSize: Int,
    transitions: Int, walksCompleted: Int
  ) {
    self.elapsed = elapsed
    self.distinctStates = distinctStates
    self.statesPerSecond = statesPerSecond
    self.depth = depth
    self.queueSize = queueSize
    self.transitions = transitions
    self.walksCompleted = walksCompleted
  }
}

/// How to explore a model: the search mode, its seed and limits, and what to check.
public struct ExploreOptions: Sendable {
  /// The search strategy.
  public enum Mode: String, Sendable, Hashable, CaseIterable {
    /// Exhaustive breadth-first search: shortest counterexamples, `complete` when the reachable
    /// space is exhausted.
    case bfs
    /// Seeded random walks from the initial state (with `swarm`, each walk draws its own action
    /// weights).
    case random
  }

  /// The search strategy (default BFS).
  public var mode: Mode
  /// The seed of every random choice (random mode); recorded in reports and traces.
  public var seed: UInt64
  /// The deepest level BFS expands to (the initial state has depth 0), or the longest random
  /// walk.
  public var maxDepth: Int?
  /// Stop once this many distinct states are known.
  public var maxStates: Int?
  /// Stop after this many seconds of wall-clock time.
  public var timeLimit: Double?
  /// Random: the number of walks.
  public var walks: Int
  /// Random: the number of steps per walk.
  public var walkLength: Int
  /// Whether each random walk draws its own action weights (swarm testing, Groce and others,
  /// 2012).
  ///
  /// Each action is left out with probability 1/2, the others are weighted 1 to 4.
  public var swarm: Bool
  /// Worker threads; defaults to all active processors.
  public var workers: Int
  /// Indices into `model.properties` to check; `nil` checks every property except lemmas.
  public var properties: [Int]?
  /// Called at most every `progressInterval` seconds (never concurrently, on an arbitrary
  /// thread) with a snapshot of the run.
  public var progress: (@Sendable (ProgressSnapshot) -> Void)?
  /// Seconds between progress callbacks.
  public var progressInterval: Double
  /// A cooperative stop flag; when set the engine returns the report so far, `stoppedBy`
  /// `.interrupted`.
  public var stop: StopSignal?
  /// Whether random mode shrinks the violation it reports (``shrink(_:trace:property:budget:)``).
  ///
  /// BFS traces are already shortest. Shrinking is deterministic, so the same seed still gives
  /// the same trace. Set it after `init` (kept out of the initializer so its signature stays
  /// stable).
  public var shrink: Bool = false
  /// Whether the report's coverage counts, per action and parameter, the steps taken with each
  /// value exploration tries (``Coverage/Parameter``); off by default, when the engines' hot
  /// loops pay one predictable branch per step for it.
  public var parameterCoverage: Bool = false
  /// BFS: the index sorts whose elements the model and the checked properties treat alike
  /// (symmetry reduction, see ``Symmetry``); empty (the default) turns the reduction off.
  ///
  /// States that differ only by a renaming of these sorts' elements count once, so
  /// `distinctStates` counts orbits. Sound only when the model and every checked property are
  /// invariant under those renamings; the engine rejects arithmetic and sampled sorts but cannot
  /// check the rest. Random walks ignore it.
  public var symmetricSorts: [String] = []

  public init(
    mode: Mode = .bfs, seed: UInt64 = 0, maxDepth: Int? = nil, maxStates: Int? = nil,
    timeLimit: Double? = nil, walks: Int = 1000, walkLength: Int = 100, swarm: Bool = false,
    workers: Int = ProcessInfo.processInfo.activeProcessorCount, properties: [Int]? = nil,
    progress: (@Sendable (ProgressSnapshot) -> Void)? = nil, progressInterval: Double = 1.0,
    stop: StopSignal? = nil
  ) {
    self.mode = mode
    self.seed = seed
    self.maxDepth = maxDepth
    self.maxStates = maxStates
    self.timeLimit = timeLimit
    self.walks = walks
    self.walkLength = walkLength
    self.swarm = swarm
    self.workers = workers
    self.properties = properties
    self.progress = progress
    self.progressInterval = progressInterval
    self.stop = stop
  }
}
