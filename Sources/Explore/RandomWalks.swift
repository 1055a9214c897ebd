import Dispatch
import Spec
import Synchronization

/// How a random walk ended.
enum WalkEnd {
  case completed
  /// No action with positive weight is enabled.
  case deadlocked
  case violation(property: Int)
  case error(any Error)
  case aborted
}

/// What one thread needs for random walks: buffers, counters and the walk's path.
final class WalkWorker {
  let scratch: Scratch
  let coverage: CoverageCounter
  let current: UnsafeMutablePointer<UInt64>
  let words: Int
  /// The global transition index of each step of the current walk.
  var path: [UInt32] = []
  var weights: [Int]
  var enabled: [UInt32] = []
  /// Fingerprints of the states the current walk visited.
  var seen = Set<UInt64>()
  /// The properties of the last ``transitionChecks(_:_:)`` call: state properties, and the
  /// transition properties' checks per action (computed once per property list).
  private var checkedFor: [Int]?
  private(set) var stateProperties: [Int] = []
  private var checks: [[(property: Int, rule: CompiledTransitionRule)]] = []

  /// The transition checks per action among `properties`; also sets ``stateProperties``.
  func transitionChecks(_ compiled: CompiledModel, _ properties: [Int]) -> [[(
    property: Int, rule: CompiledTransitionRule
  )]] {
    if checkedFor != properties {
      checkedFor = properties
      stateProperties = properties.filter { compiled.transitionRules[$0] == nil }
      checks = compiled.transitionChecks(properties)
    }
    return checks
  }

  init(compiled: CompiledModel, parameterCoverage: Bool = false) {
    scratch = compiled.makeScratch()
    coverage = CoverageCounter(model: compiled.model, parameters: parameterCoverage)
    words = compiled.wordsPerState
    current = .allocate(capacity: words)
    current.initialize(repeating: 0, count: words)
    weights = [Int](repeating: 1, count: compiled.actions.count)
  }

  deinit { current.deallocate() }
}

extension CompiledModel {
  /// Runs one random walk: every choice (swarm weights, action, arguments) comes from the
  /// chooser, so the same chooser state gives the same walk.
  ///
  /// At each step an action is drawn by weight and an argument tuple uniformly; a disabled pick
  /// is redrawn up to 8 times, then one is drawn uniformly among all enabled picks (the walk
  /// ends, deadlocked, when there is none). Failed steps are steps: they appear in the path and
  /// leave the state unchanged.
  func walk<C: Chooser>(
    chooser: inout C, length: Int, swarm: Bool, properties: [Int], worker: WalkWorker,
    shouldAbort: () -> Bool
  ) -> WalkEnd {
    let n = actions.count
    let transitionChecks = worker.transitionChecks(self, properties)
    let properties = worker.stateProperties
    worker.path.removeAll(keepingCapacity: true)
    worker.seen.removeAll(keepingCapacity: true)
    if swarm {
      for a in 0..<n {
        worker.weights[a] = chooser.choose(below: 2) == 1 ? chooser.choose(below: 4) + 1 : 0
      }
      if !worker.weights.contains(where: { $0 > 0 }), n > 0 {
        worker.weights[chooser.choose(below: n)] = 1
      }
    } else {
      for a in 0..<n { worker.weights[a] = 1 }
    }
    let totalWeight = worker.weights.reduce(0, +)
    let scratch = worker.scratch
    let current = worker.current
    let words = worker.words
    initialWords.withUnsafeBufferPointer { current.update(from: $0.start, count: words) }
    worker.seen.insert(packedFingerprint(current, count: words))
    do {
      for p in properties where try !holds(p, words: current, scratch: scratch) {
        return .violation(property: p)
      }
      guard totalWeight > 0 else { return .deadlocked }
      for step in 0..<length {
        if step & 63 == 63, shouldAbort() { return .aborted }
        var chosen = -1
        var code = CompiledModel.disabledCode
        for _ in 0..<8 {
          var r = chooser.choose(below: totalWeight)
          var a = 0
          while r >= worker.weights[a] {
            r -= worker.weights[a]
            a += 1
          }
          let t = chooser.choose(below: actions[a].argumentCount)
          actions[a].decodeArguments(t, into: scratch.args)
          code = try run(a, pre: current, args: scratch.args, scratch: scratch)
          worker.coverage.record(action: a, code: code)
          if code != CompiledModel.disabledCode {
            chosen = transitionBase[a] + t
            if worker.coverage.countsParameters {
              worker.coverage.recordArguments(action: a, tuple: t, succeeded: code == CompiledModel.succeededCode)
            }
            break
          }
        }
        if chosen < 0 {
          // Enumerate the enabled picks and draw among them.
          worker.enabled.removeAll(keepingCapacity: true)
          for a in 0..<n where worker.weights[a] > 0 {
            for t in 0..<actions[a].argumentCount {
              actions[a].decodeArguments(t, into: scratch.args)
              if try isEnabled(a, pre: current, args: scratch.args, scratch: scratch) {
                worker.enabled.append(UInt32(transitionBase[a] + t))
              }
            }
          }
          if worker.enabled.isEmpty { return .deadlocked }
          chosen = Int(worker.enabled[chooser.choose(below: worker.enabled.count)])
          let a = action(ofTransition: chosen)
          actions[a].decodeArguments(chosen - transitionBase[a], into: scratch.args)
          code = try run(a, pre: current, args: scratch.args, scratch: scratch)
          worker.coverage.record(action: a, code: code)
          if worker.coverage.countsParameters {
            worker.coverage.recordArguments(
              action: a, tuple: chosen - transitionBase[a], succeeded: code == CompiledModel.succeededCode)
          }
        }
        worker.path.append(UInt32(chosen))
        if code == CompiledModel.succeededCode
          || (code >= 0 && wroteSuccessor(action: action(ofTransition: chosen), code: code))
        {
          let a = action(ofTransition: chosen)
          if !transitionChecks[a].isEmpty,
            let p = Self.firstViolated(transitionChecks[a], action: a, code: code, pre: current, post: scratch.post)
          {
            return .violation(property: p)
          }
          current.update(from: scratch.post, count: words)
          worker.seen.insert(packedFingerprint(current, count: words))
          for p in properties where try !holds(p, words: current, scratch: scratch) {
            return .violation(property: p)
          }
        }
      }
    } catch {
      return .error(error)
    }
    return .completed
  }

  /// Whether an action's guard holds.
  func isEnabled(_ action: Int, pre: UnsafePointer<UInt64>, args: UnsafePointer<UInt64>, scratch: Scratch) throws
    -> Bool
  {
    guard let g = actions[action].guardFn else { return true }
    return try g(EvalContext(state: pre, args: args, bound: scratch.bound)) != 0
  }

  /// The action a global transition index belongs to.
  func action(ofTransition t: Int) -> Int {
    var low = 0
    var high = actions.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if transitionBase[mid] <= t { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// The (action, arguments) steps of a path of global transition indices.
  func steps(ofPath path: [UInt32]) -> [(action: Int, arguments: [Value])] {
    path.map { t in
      let a = action(ofTransition: Int(t))
      return (a, arguments(action: a, position: Int(t) - transitionBase[a]))
    }
  }

  /// The property indices to check: the given ones, or every non-lemma.
  func checkedProperties(_ requested: [Int]?) throws -> [Int] {
    guard let requested else {
      return model.properties.indices.filter { model.properties[$0].kind != .lemma }
    }
    for p in requested where !model.properties.indices.contains(p) {
      throw ExploreError.invalidArguments(
        action: "explore", message: "no property at index \(p); the model has \(model.properties.count)")
    }
    return requested
  }
}

/// The result of one random walk.
public struct WalkResult: Hashable, Sendable {
  /// Every step of the walk and every state it visited.
  public var trace: Trace
  /// The property violated in the last state, if the walk stopped at a violation.
  public var violation: Int?
  /// Whether the walk stopped early because no action with positive weight was enabled.
  public var deadlocked: Bool
}

/// Runs one random walk from the initial state, drawing every choice from `chooser`.
///
/// With `swarm`, the walk first draws its action weights from the chooser. The walk stops at
/// the first state violating a checked property. Passing a ``ReplayChooser`` with the picks a
/// ``RecordingChooser`` recorded repeats the walk; `SeededChooser(seed: s, stream: UInt64(w))`
/// repeats walk `w` of an exploration with seed `s`.
///
/// - Throws: ``ExploreError`` when the model errs or a property index is invalid.
/// - Complexity: O(length × step cost), plus a scan of all enabled picks when 8 draws in a row
///   are disabled.
public func randomWalk<C: Chooser>(
  _ compiled: CompiledModel, chooser: inout C, length: Int, swarm: Bool = false,
  properties: [Int]? = nil, seed: UInt64? = nil
) throws -> WalkResult {
  let checked = try compiled.checkedProperties(properties)
  let worker = WalkWorker(compiled: compiled)
  let end = compiled.walk(
    chooser: &chooser, length: length, swarm: swarm, properties: checked, worker: worker,
    shouldAbort: { false })
  var violation: Int?
  var deadlocked = false
  switch end {
  case .error(let error): throw error
  case .violation(let p): violation = p
  case .deadlocked: deadlocked = true
  case .completed, .aborted: break
  }
  let trace = try compiled.trace(
    of: compiled.steps(ofPath: worker.path),
    property: violation.map { compiled.model.properties[$0].name },
    outcome: violation == nil ? .example : .violated, seed: seed)
  return WalkResult(trace: trace, violation: violation, deadlocked: deadlocked)
}

// MARK: - Many walks

/// Seeded random walks on all workers; the reported violation is the one of the lowest
/// walk index, so it does not depend on the number of workers.
final class RandomExploration: @unchecked Sendable {
  let compiled: CompiledModel
  let options: ExploreOptions
  let properties: [Int]
  let workers: Int
  let clock = ContinuousClock()
  let start: ContinuousClock.Instant
  let deadline: ContinuousClock.Instant?

  private let nextWalk = Atomic<Int>(0)
  private let bestWalk = Atomic<Int>(Int.max)
  private let completed = Atomic<Int>(0)
  private let longest = Atomic<Int>(0)
  private let abortFlag = Atomic<Bool>(false)
  private let stateLimitHit = Atomic<Bool>(false)
  private let lastProgressMillis = Atomic<Int>(0)
  private let transitionsDone = Atomic<Int>(0)
  private let visited: Mutex<Set<UInt64>>
  private let events = Mutex<[(walk: Int, end: WalkEnd, path: [UInt32])]>([])
  private let progressLock = Mutex<Void>(())

  init(compiled: CompiledModel, options: ExploreOptions, properties: [Int]) {
    self.compiled = compiled
    self.options = options
    self.properties = properties
    self.workers = max(1, options.workers)
    let start = ContinuousClock.now
    self.start = start
    // A limit that is not a finite, representable number of milliseconds means no limit.
    self.deadline = options.timeLimit.flatMap {
      $0.isFinite && $0 < 9e12 ? start + .milliseconds(Int64((max($0, 0) * 1000).rounded())) : nil
    }
    visited = Mutex([compiled.fingerprint(compiled.initialState())])
  }

  var elapsed: Double {
    let d = clock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }

  private func shouldAbort() -> Bool {
    if abortFlag.load(ordering: .relaxed) { return true }
    if options.stop?.isStopped == true || deadline.map({ clock.now >= $0 }) == true {
      abortFlag.store(true, ordering: .relaxed)
      return true
    }
    return false
  }

  func run() -> ExploreReport {
    let length = min(options.walkLength, options.maxDepth ?? Int.max)
    let walkers = (0..<workers).map { _ in
      UnsafeSendable(WalkWorker(compiled: compiled, parameterCoverage: options.parameterCoverage))
    }
    let work: @Sendable (Int) -> Void = { w in
      let worker = walkers[w].value
      while true {
        let i = self.nextWalk.add(1, ordering: .relaxed).oldValue
        if i >= self.options.walks || self.shouldAbort() || self.stateLimitHit.load(ordering: .relaxed) { return }
        if i > self.bestWalk.load(ordering: .relaxed) { continue }
        var chooser = SeededChooser(seed: self.options.seed, stream: UInt64(i))
        let end = self.compiled.walk(
          chooser: &chooser, length: length, swarm: self.options.swarm, properties: self.properties,
          worker: worker, shouldAbort: self.shouldAbort)
        if case .aborted = end { return }
        self.completed.add(1, ordering: .relaxed)
        self.transitionsDone.add(worker.path.count, ordering: .relaxed)
        var current = self.longest.load(ordering: .relaxed)
        while worker.path.count > current {
          let (done, original) = self.longest.compareExchange(
            expected: current, desired: worker.path.count, ordering: .relaxed)
          if done { break }
          current = original
        }
        let distinct = self.visited.withLock { set in
          set.formUnion(worker.seen)
          return set.count
        }
        if let limit = self.options.maxStates, distinct >= limit {
          self.stateLimitHit.store(true, ordering: .relaxed)
        }
        switch end {
        case .violation, .error:
          self.events.withLock { $0.append((i, end, worker.path)) }
          var best = self.bestWalk.load(ordering: .relaxed)
          while i < best {
            let (done, original) = self.bestWalk.compareExchange(expected: best, desired: i, ordering: .relaxed)
            if done { break }
            best = original
          }
        default: break
        }
        self.reportProgress(distinct: distinct, walkers: walkers)
      }
    }
    if workers == 1 {
      work(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: workers, execute: work)
    }

    let total = CoverageCounter(model: compiled.model, parameters: options.parameterCoverage)
    for w in walkers { total.add(w.value.coverage) }
    let (distinct, capacity) = visited.withLock { ($0.count, $0.capacity) }
    var report = ExploreReport(
      outcome: .noViolation, mode: .random, distinctStates: distinct, transitions: total.transitions,
      maxDepthReached: longest.load(ordering: .relaxed), complete: false, stoppedBy: nil,
      elapsed: 0, coverage: total.coverage(of: compiled.model), seed: options.seed,
      bytesPerState: distinct > 0 ? capacity * MemoryLayout<UInt64>.stride / distinct : 0,
      packedStateBytes: compiled.wordsPerState * 8, workers: workers,
      walksCompleted: completed.load(ordering: .relaxed), violatingWalk: nil, errorTrace: nil)
    let first = events.withLock { $0.min { $0.walk < $1.walk } }
    if let first {
      report.violatingWalk = first.walk
      do {
        switch first.end {
        case .violation(let p):
          let trace = try compiled.trace(
            of: compiled.steps(ofPath: first.path), property: compiled.model.properties[p].name,
            outcome: .violated, seed: options.seed)
          if options.shrink {
            report.unshrunkLength = trace.steps.count
            report.outcome = .violation(property: p, trace: shrink(compiled, trace: trace, property: p))
          } else {
            report.outcome = .violation(property: p, trace: trace)
          }
        case .error(let error):
          report.outcome = .modelError(String(describing: error))
          report.errorTrace = try compiled.trace(
            of: compiled.steps(ofPath: first.path), outcome: .error, seed: options.seed)
        default: break
        }
      } catch {
        report.outcome = .modelError("internal: re-executing walk \(first.walk) failed: \(error)")
      }
    } else if abortFlag.load(ordering: .relaxed) {
      report.stoppedBy = options.stop?.isStopped == true ? .interrupted : .timeLimit
    } else if stateLimitHit.load(ordering: .relaxed) {
      report.stoppedBy = .maxStates
    }
    report.elapsed = elapsed
    return report
  }

  private func reportProgress(distinct: Int, walkers: [UnsafeSendable<WalkWorker>]) {
    guard let progress = options.progress else { return }
    let now = elapsed
    let millis = Int(now * 1000)
    let last = lastProgressMillis.load(ordering: .relaxed)
    guard Double(millis - last) >= options.progressInterval * 1000 else { return }
    guard lastProgressMillis.compareExchange(expected: last, desired: millis, ordering: .relaxed).exchanged else {
      return
    }
    progressLock.withLock { _ in
      progress(
        ProgressSnapshot(
          elapsed: now, distinctStates: distinct, statesPerSecond: now > 0 ? Double(distinct) / now : 0,
          depth: longest.load(ordering: .relaxed),
          queueSize: max(0, options.walks - nextWalk.load(ordering: .relaxed)),
          transitions: transitionsDone.load(ordering: .relaxed), walksCompleted: completed.load(ordering: .relaxed)))
    }
  }
}
