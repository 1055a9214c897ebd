import Dispatch
import Spec
import Synchronization

/// Something found while processing a frontier state: a violated property or a model error.
enum FrontierEvent {
  case violation(property: Int)
  /// A step from the state (its global transition index) breaks a transition property.
  case transitionViolation(property: Int, step: UInt32)
  case error(String)
}

/// The successors one chunk of the frontier produced that were not yet visited, in frontier
/// order, and the first event in the chunk.
final class ChunkResult: @unchecked Sendable {
  @exclusivity(unchecked) var fingerprints: [UInt64] = []
  @exclusivity(unchecked) var parents: [UInt32] = []
  @exclusivity(unchecked) var steps: [UInt32] = []
  @exclusivity(unchecked) var words: [UInt64] = []
  var event: (index: Int, kind: FrontierEvent)?

  func reset() {
    fingerprints.removeAll(keepingCapacity: true)
    parents.removeAll(keepingCapacity: true)
    steps.removeAll(keepingCapacity: true)
    words.removeAll(keepingCapacity: true)
    event = nil
  }
}

/// What one worker thread owns: its step buffers, coverage counters and chunk-local set.
final class WorkerState: @unchecked Sendable {
  let scratch: Scratch
  let coverage: CoverageCounter
  @exclusivity(unchecked) var local = LocalFingerprintSet()
  let batch = SuccessorBatch()
  /// Per prefix guard of the action being expanded: the next tuple at which to evaluate it.
  let nextCheck: UnsafeMutablePointer<Int>
  /// Verdicts of the check programs' state-reading checks in the state being expanded.
  let cache: CheckCache
  /// Argument tuples on which a compiled closure ran (see ``ExploreReport/evaluatedSteps``).
  var evaluated = 0
  /// A packed state's worth of words for symmetry reduction, allocated on first use.
  private var renamed: UnsafeMutablePointer<UInt64>?

  func symmetryScratch(_ words: Int) -> UnsafeMutablePointer<UInt64> {
    if let renamed { return renamed }
    let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
    buffer.initialize(repeating: 0, count: words)
    renamed = buffer
    return buffer
  }

  init(compiled: CompiledModel, parameterCoverage: Bool = false) {
    scratch = compiled.makeScratch()
    coverage = CoverageCounter(model: compiled.model, parameters: parameterCoverage)
    cache = CheckCache(capacity: compiled.programs.map { $0?.cacheSize ?? 0 }.max() ?? 0)
    nextCheck = .allocate(capacity: compiled.maxArity + 1)
    nextCheck.initialize(repeating: 0, count: compiled.maxArity + 1)
  }

  deinit {
    nextCheck.deallocate()
    renamed?.deallocate()
  }
}

/// The successors of one state, before they are probed against the visited table.
final class SuccessorBatch {
  private(set) var capacity = 0
  private(set) var words = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
  private(set) var fingerprints = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
  private(set) var steps = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
  /// A sink for ``VisitedView/home(_:)`` loads, so the optimiser keeps them.
  var touched: UInt64 = 0

  /// Doubles the capacity, keeping the contents.
  func grow(words stride: Int) {
    let newCapacity = max(64, capacity * 2)
    let w = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity * stride)
    w.update(from: words, count: capacity * stride)
    let f = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
    f.update(from: fingerprints, count: capacity)
    let s = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
    s.update(from: steps, count: capacity)
    words.deallocate()
    fingerprints.deallocate()
    steps.deallocate()
    words = w
    fingerprints = f
    steps = s
    capacity = newCapacity
  }

  deinit {
    words.deallocate()
    fingerprints.deallocate()
    steps.deallocate()
  }
}

/// What the hot loop needs to run one action.
struct ActionPlan {
  /// Unretained: the compiled model keeps every action alive for the whole search.
  let action: Unmanaged<CompiledAction>
  /// Values per stored tuple (parameters and derived values).
  let arity: Int
  let argumentCount: Int
  /// Offset of the action's tuples in the pool, or -1 when they are decoded on demand.
  let offset: Int
  /// The global transition index of the first tuple.
  let base: Int
  /// How to run the action without evaluating what cannot succeed; `nil`: run the fused body on every tuple.
  ///
  /// Unretained, like `action`.
  let program: Unmanaged<CheckProgram>?
}

/// All argument tuples of all actions in one buffer, and one ``ActionPlan`` per action, so the
/// hot loop reads through pointers (no array copies, no reference counting).
final class ArgumentPool: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<UInt64>
  /// Offset of each action's tuples, or -1 when they are decoded on demand.
  let offsets: [Int]
  let plans: UnsafeMutablePointer<ActionPlan>
  let planCount: Int

  init(compiled: CompiledModel, usePrograms: Bool = true) {
    var offsets: [Int] = []
    var total = 0
    for action in compiled.actions {
      if action.argumentTuples.isEmpty {
        offsets.append(-1)
      } else {
        offsets.append(total)
        total += action.argumentTuples.count
      }
    }
    pointer = .allocate(capacity: max(total, 1))
    pointer.initialize(repeating: 0, count: max(total, 1))
    for (a, action) in compiled.actions.enumerated() where offsets[a] >= 0 {
      for (i, v) in action.argumentTuples.enumerated() { pointer[offsets[a] + i] = v }
    }
    self.offsets = offsets
    planCount = compiled.actions.count
    plans = .allocate(capacity: max(planCount, 1))
    for (a, action) in compiled.actions.enumerated() {
      (plans + a).initialize(
        to: ActionPlan(
          action: Unmanaged.passUnretained(action), arity: action.stride, argumentCount: action.argumentCount,
          offset: offsets[a], base: compiled.transitionBase[a],
          program: offsets[a] >= 0 && usePrograms ? compiled.programs[a].map { Unmanaged.passUnretained($0) } : nil))
    }
  }

  deinit {
    pointer.deallocate()
    plans.deinitialize(count: planCount)
    plans.deallocate()
  }
}

/// Level-synchronous parallel breadth-first search with a fingerprint store and parent links.
///
/// Each level's frontier is processed in segments; a segment is split into chunks that workers
/// claim in order. A worker checks each state's properties, then runs every (action, argument
/// tuple) and keeps the successors not yet visited. One thread then merges the chunks in
/// frontier order, so the visited store, the next frontier and every parent link are exactly
/// those of a sequential BFS, whatever the number of workers.
final class BreadthFirstSearch: @unchecked Sendable {
  let compiled: CompiledModel
  let options: ExploreOptions
  let properties: [Int]
  let workers: Int
  let words: Int
  let visited: VisitedStore
  /// The renamings whose orbits count as one state, or `nil` (fingerprints are then plain).
  let symmetry: Symmetry?
  let pool: ArgumentPool
  let workerStates: [WorkerState]
  var chunks: [ChunkResult] = []
  let chunkSize = 256
  let chunksPerSegment: Int
  /// Per action: the checked transition properties that apply to its steps.
  let transitionChecks: [[(property: Int, rule: CompiledTransitionRule)]]
  /// Per action: whether a checked transition property constrains its successful steps, and its failed steps (read once
  /// per action in the hot loop).
  ///
  /// A failure-only rule such as "a failed call changes nothing" costs a successful step nothing.
  let checksSuccesses: [Bool]
  let checksFailures: [Bool]
  let clock = ContinuousClock()
  let start: ContinuousClock.Instant
  let deadline: ContinuousClock.Instant?

  private let bestEvent = Atomic<Int>(Int.max)
  private let nextChunk = Atomic<Int>(0)
  private let abortFlag = Atomic<Bool>(false)

  /// - Parameter usePrograms: run actions through their ``CheckProgram``s (tests compare with
  ///   `false`, the fused step bodies on every tuple).
  init(
    compiled: CompiledModel, options: ExploreOptions, properties: [Int], usePrograms: Bool = true,
    symmetry: Symmetry? = nil
  ) {
    self.compiled = compiled
    self.symmetry = symmetry
    self.options = options
    self.properties = properties
    self.workers = max(1, options.workers)
    self.words = compiled.wordsPerState
    self.visited = VisitedStore(transitions: compiled.transitionsPerState)
    // Parameter coverage counts every tuple a step ran with, so it runs the fused bodies (the
    // check programs skip the tuples the arguments decide).
    self.pool = ArgumentPool(compiled: compiled, usePrograms: usePrograms && !options.parameterCoverage)
    self.workerStates = (0..<max(1, options.workers)).map { _ in
      WorkerState(compiled: compiled, parameterCoverage: options.parameterCoverage)
    }
    self.chunksPerSegment = max(16, 8 * max(1, options.workers))
    self.transitionChecks = compiled.transitionChecks(properties)
    self.checksSuccesses = transitionChecks.map { $0.contains { $0.rule.outcome.constrains(failed: false) } }
    self.checksFailures = transitionChecks.map { $0.contains { $0.rule.outcome.constrains(failed: true) } }
    let start = ContinuousClock.now
    self.start = start
    // A limit that is not a finite, representable number of milliseconds means no limit.
    self.deadline = options.timeLimit.flatMap {
      $0.isFinite && $0 < 9e12 ? start + .milliseconds(Int64((max($0, 0) * 1000).rounded())) : nil
    }
  }

  var elapsed: Double {
    let d = clock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }

  // MARK: - Run

  func run() -> ExploreReport {
    var report = ExploreReport(
      outcome: .noViolation, mode: .bfs, distinctStates: 0, transitions: 0, maxDepthReached: 0,
      complete: false, stoppedBy: nil, elapsed: 0,
      coverage: CoverageCounter(model: compiled.model).coverage(of: compiled.model),
      seed: options.seed, bytesPerState: 0, packedStateBytes: words * 8, workers: workers,
      walksCompleted: 0, violatingWalk: nil, errorTrace: nil)
    search(&report)
    let total = CoverageCounter(model: compiled.model, parameters: options.parameterCoverage)
    for w in workerStates { total.add(w.coverage) }
    report.coverage = total.coverage(of: compiled.model)
    report.transitions = total.transitions
    report.evaluatedSteps = workerStates.reduce(0) { $0 + $1.evaluated }
    report.distinctStates = visited.count
    report.bytesPerState = visited.count > 0 ? visited.allocatedBytes / visited.count : 0
    report.elapsed = elapsed
    visited._checkInvariants()
    return report
  }

  /// The level loop; fills in the outcome, depth, completeness and stop reason.
  private func search(_ report: inout ExploreReport) {
    var frontier = compiled.initialWords
    guard
      let root = visited.insert(
        frontier.withUnsafeBufferPointer { fingerprint($0.start, workerStates[0]) },
        parent: VisitedStore.noParent, step: UInt32.max)
    else { preconditionFailure("the visited store starts empty") }
    var frontierEntries: [UInt32] = [root]
    var depth = 0
    var lastProgress = 0.0
    let maxStates = min(options.maxStates ?? VisitedStore.maxEntries, VisitedStore.maxEntries)
    if visited.count >= maxStates { report.stoppedBy = .maxStates }

    level: while true {
      report.maxDepthReached = depth
      let expand = (options.maxDepth.map { depth < $0 } ?? true) && report.stoppedBy == nil
      var next: [UInt64] = []
      var nextEntries: [UInt32] = []
      let count = frontierEntries.count
      var position = 0
      while position < count {
        let upper = min(count, position + chunkSize * chunksPerSegment)
        let event = frontier.withUnsafeBufferPointer { states in
          frontierEntries.withUnsafeBufferPointer { entries in
            processSegment(states.start, entries.start, position..<upper, expand: expand)
          }
        }
        if let event {
          finish(&report, event: event, entries: frontierEntries)
          return
        }
        if abortFlag.load(ordering: .relaxed) {
          report.stoppedBy = options.stop?.isStopped == true ? .interrupted : .timeLimit
          return
        }
        // Merge in frontier order.
        var limitHit = false
        merge: for c in 0..<min(chunks.count, (upper - position + chunkSize - 1) / chunkSize) {
          let chunk = chunks[c]
          for j in chunk.fingerprints.indices {
            if visited.count >= maxStates {
              limitHit = true
              break merge
            }
            if let entry = visited.insert(chunk.fingerprints[j], parent: chunk.parents[j], step: chunk.steps[j]) {
              chunk.words.withUnsafeBufferPointer { w in
                next.append(contentsOf: UnsafeBufferPointer(rebasing: w[(j * words)..<((j + 1) * words)]))
              }
              nextEntries.append(entry)
            }
          }
        }
        position = upper
        if let progress = options.progress, elapsed - lastProgress >= options.progressInterval {
          lastProgress = elapsed
          progress(
            ProgressSnapshot(
              elapsed: lastProgress, distinctStates: visited.count,
              statesPerSecond: lastProgress > 0 ? Double(visited.count) / lastProgress : 0, depth: depth,
              queueSize: (count - position) + nextEntries.count, transitions: currentTransitions(),
              walksCompleted: 0))
        }
        if limitHit {
          report.stoppedBy = .maxStates
          // Every known state is checked before returning: the rest of this level, then the next.
          if let found = checkOnly(frontier, frontierEntries, from: position) {
            finish(&report, event: found.event, entries: frontierEntries)
            return
          }
          if !nextEntries.isEmpty {
            report.maxDepthReached = depth + 1
            if let found = checkOnly(next, nextEntries, from: 0) {
              finish(&report, event: found.event, entries: nextEntries)
              return
            }
          }
          return
        }
      }
      if !expand {
        if report.stoppedBy == nil { report.stoppedBy = .maxDepth }
        return
      }
      report.peakQueueBytes = max(
        report.peakQueueBytes,
        (frontier.capacity + next.capacity) * 8 + (frontierEntries.capacity + nextEntries.capacity) * 4)
      if nextEntries.isEmpty {
        report.complete = true
        return
      }
      frontier = next
      frontierEntries = nextEntries
      depth += 1
    }
  }

  /// The fingerprint the visited store keeps for a packed state: plain, or canonical under
  /// ``symmetry``.
  @inline(__always)
  private func fingerprint(_ state: UnsafePointer<UInt64>, _ worker: WorkerState) -> UInt64 {
    guard let symmetry else { return packedFingerprint(state, count: words) }
    return symmetry.canonicalFingerprint(state, scratch: worker.symmetryScratch(words))
  }

  private func currentTransitions() -> Int {
    workerStates.reduce(0) { $0 + $1.coverage.transitions }
  }

  /// Checks the properties of `states[from...]` without expanding them.
  private func checkOnly(_ states: [UInt64], _ entries: [UInt32], from: Int) -> (
    event: (index: Int, kind: FrontierEvent), Void
  )? {
    var position = from
    while position < entries.count {
      let upper = min(entries.count, position + chunkSize * chunksPerSegment)
      let event = states.withUnsafeBufferPointer { s in
        entries.withUnsafeBufferPointer { e in
          processSegment(s.start, e.start, position..<upper, expand: false)
        }
      }
      if let event { return (event, ()) }
      if abortFlag.load(ordering: .relaxed) { return nil }
      position = upper
    }
    return nil
  }

  /// Turns the first event of a level into the report's outcome, with a shortest trace.
  private func finish(_ report: inout ExploreReport, event: (index: Int, kind: FrontierEvent), entries: [UInt32]) {
    let entry = entries[event.index]
    do {
      switch event.kind {
      case .violation(let property):
        let name = compiled.model.properties[property].name
        let trace = try trace(to: entry, property: name, outcome: .violated)
        let last = try compiled.state(fromValues: trace.states[trace.states.count - 1])
        guard try !compiled.holds(property, in: last) else {
          report.outcome = .modelError(
            "internal: the trace to the violation of \(name) does not reproduce it (a 64-bit fingerprint collision)")
          return
        }
        report.outcome = .violation(property: property, trace: trace)
      case .transitionViolation(let property, let step):
        let name = compiled.model.properties[property].name
        let trace = try trace(to: entry, then: step, property: name, outcome: .violated)
        guard try compiled.traceBreaksTransition(trace, property: property) else {
          report.outcome = .modelError(
            "internal: the trace to the violation of \(name) does not reproduce it (a 64-bit fingerprint collision)")
          return
        }
        report.outcome = .violation(property: property, trace: trace)
      case .error(let message):
        report.outcome = .modelError(message)
        report.errorTrace = try trace(to: entry, property: nil, outcome: .error)
      }
    } catch {
      report.outcome = .modelError("internal: re-executing the path to a state failed: \(error)")
    }
  }

  /// Re-executes the recorded steps from the initial state to an entry (and then the step
  /// with global transition index `then`, if given).
  func trace(to entry: UInt32, then last: UInt32? = nil, property: String?, outcome: Trace.Kind) throws -> Trace {
    let path = visited.path(to: entry)
    var transitions = path.dropFirst().map { Int(visited.step(of: $0)) }
    if let last { transitions.append(Int(last)) }
    let steps = transitions.map { t in
      let a = compiled.action(ofTransition: t)
      return (action: a, arguments: compiled.arguments(action: a, position: t - compiled.transitionBase[a]))
    }
    return try compiled.trace(of: steps, property: property, outcome: outcome)
  }

  // MARK: - Segments

  private func shouldAbort() -> Bool {
    if abortFlag.load(ordering: .relaxed) { return true }
    if options.stop?.isStopped == true || deadline.map({ clock.now >= $0 }) == true {
      abortFlag.store(true, ordering: .relaxed)
      return true
    }
    return false
  }

  /// Processes frontier states `range` on all workers and returns the first event by frontier
  /// position, if any.
  ///
  /// The successors not yet visited are left in `chunks`, in frontier order.
  private func processSegment(
    _ states: UnsafePointer<UInt64>, _ entries: UnsafePointer<UInt32>, _ range: Range<Int>, expand: Bool
  ) -> (index: Int, kind: FrontierEvent)? {
    let chunkCount = (range.count + chunkSize - 1) / chunkSize
    while chunks.count < chunkCount { chunks.append(ChunkResult()) }
    for c in 0..<chunkCount { chunks[c].reset() }
    bestEvent.store(Int.max, ordering: .relaxed)
    nextChunk.store(0, ordering: .relaxed)
    let states = UnsafeSendable(states)
    let entries = UnsafeSendable(entries)
    let view = visited.view
    let work: @Sendable (Int) -> Void = { w in
      let worker = self.workerStates[w]
      while true {
        let c = self.nextChunk.add(1, ordering: .relaxed).oldValue
        if c >= chunkCount || self.shouldAbort() { return }
        let lower = range.lowerBound + c * self.chunkSize
        let upper = min(range.upperBound, lower + self.chunkSize)
        if lower > self.bestEvent.load(ordering: .relaxed) { continue }
        self.processChunk(
          self.chunks[c], worker, states.value, entries.value, lower..<upper, expand: expand, view)
      }
    }
    if workers == 1 || chunkCount == 1 {
      work(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: min(workers, chunkCount), execute: work)
    }
    var first: (index: Int, kind: FrontierEvent)?
    for c in 0..<chunkCount {
      if let e = chunks[c].event, e.index < first?.index ?? Int.max { first = e }
    }
    return first
  }

  private func recordEvent(_ chunk: ChunkResult, _ index: Int, _ kind: FrontierEvent) {
    chunk.event = (index, kind)
    var current = bestEvent.load(ordering: .relaxed)
    while index < current {
      let (exchanged, original) = bestEvent.compareExchange(
        expected: current, desired: index, ordering: .relaxed)
      if exchanged { break }
      current = original
    }
  }

  private func processChunk(
    _ chunk: ChunkResult, _ worker: WorkerState, _ states: UnsafePointer<UInt64>,
    _ entries: UnsafePointer<UInt32>, _ range: Range<Int>, expand: Bool, _ visited: VisitedView
  ) {
    let scratch = worker.scratch
    let coverage = worker.coverage
    let batch = worker.batch
    let nextCheck = worker.nextCheck
    let cache = worker.cache
    var evaluated = worker.evaluated
    defer { worker.evaluated = evaluated }
    let post = scratch.post
    let bound = scratch.bound
    let words = self.words
    let checks = properties.filter { compiled.transitionRules[$0] == nil }.map { ($0, compiled.propertyFns[$0]) }
    var brokenTransition: (property: Int, step: UInt32)?
    let countsParameters = options.parameterCoverage
    let pool = self.pool.pointer
    let plans = self.pool.plans
    let planCount = self.pool.planCount
    // Move the buffers out of the class so the loop appends without exclusivity checks.
    var local = LocalFingerprintSet()
    swap(&local, &worker.local)
    var fingerprints: [UInt64] = []
    var parents: [UInt32] = []
    var steps: [UInt32] = []
    var successors: [UInt64] = []
    swap(&fingerprints, &chunk.fingerprints)
    swap(&parents, &chunk.parents)
    swap(&steps, &chunk.steps)
    swap(&successors, &chunk.words)
    defer {
      swap(&local, &worker.local)
      swap(&fingerprints, &chunk.fingerprints)
      swap(&parents, &chunk.parents)
      swap(&steps, &chunk.steps)
      swap(&successors, &chunk.words)
    }
    local.removeAll()
    for s in range {
      if s > bestEvent.load(ordering: .relaxed) { return }
      let pre = states + s * words
      do {
        for (p, check) in checks {
          if try check.eval(EvalContext(state: pre, args: UnsafePointer(scratch.args), bound: bound)) == 0 {
            recordEvent(chunk, s, .violation(property: p))
            return
          }
        }
      } catch {
        recordEvent(chunk, s, .error(String(describing: error)))
        return
      }
      if !expand { continue }
      let parent = entries[s]
      // Generate every successor of the state first, then probe the visited table for all of
      // them: the probes are independent loads, so their cache misses overlap.
      var generated = 0
      do {
        for a in 0..<planCount {
          let arity = plans[a].arity
          let offset = plans[a].offset
          let base = plans[a].base
          let count = plans[a].argumentCount
          let checksSuccesses = self.checksSuccesses[a]
          let checksFailures = self.checksFailures[a]
          if let program = plans[a].program {
            try program._withUnsafeGuaranteedRef { program in
              coverage.recordDecided(action: a, program: program)
              let stamp = cache.next() &<< 1
              let entries = cache.entries
              for l in 0..<program.liveCount {
                let t = program.liveTuples[l]
                let context = EvalContext(state: pre, args: UnsafePointer(pool + (offset &+ t &* arity)), bound: bound)
                var code = program.terminal[l]
                var ran = false
                var p = program.pathStart[l]
                let end = program.pathStart[l &+ 1]
                while p < end {
                  let atom = program.pathAtom[p]
                  if atom >= 0 {
                    // A bit-field test, inline: no closure, no cache (it cannot fail). Like a
                    // cache read, it does not count as evaluating the tuple.
                    let a = program.atoms[atom]
                    if ((pre[a.word] &>> a.shift) & a.mask == a.bits) == a.decidesIfEqual {
                      code = program.decided[program.pathCheck[p]]
                      break
                    }
                    p &+= 1
                    continue
                  }
                  let slot = program.pathSlot[p]
                  var entry = entries[slot]
                  let check = program.pathCheck[p]
                  if entry & ~1 != stamp {
                    let v = try program.evals[check]._withUnsafeGuaranteedRef { try $0.eval(context) }
                    entry = stamp | (program.decidesOnZero[check] ? (v == 0 ? 1 : 0) : (v != 0 ? 1 : 0))
                    entries[slot] = entry
                    ran = true
                  }
                  if entry & 1 != 0 {
                    code = program.decided[check]
                    break
                  }
                  p &+= 1
                }
                if code == CompiledModel.succeededCode {
                  ran = true
                  _ = try program.effectsBody(context, post)
                  // A program's action has no failure effects: only its successes write a
                  // successor, so only they can break a transition property.
                  if checksSuccesses,
                    let broken = CompiledModel.firstViolated(
                      transitionChecks[a], action: a, code: code, pre: pre, post: post)
                  {
                    brokenTransition = (broken, UInt32(truncatingIfNeeded: base &+ t))
                    return  // from the closure; the loop over actions stops below
                  }
                  if generated == batch.capacity { batch.grow(words: words) }
                  let slot = batch.words + generated &* words
                  slot.update(from: post, count: words)
                  batch.fingerprints[generated] = packedFingerprint(slot, count: words)
                  batch.steps[generated] = UInt32(truncatingIfNeeded: base &+ t)
                  generated &+= 1
                }
                if ran { evaluated &+= 1 }
                coverage.record(action: a, code: code)
              }
            }
            if brokenTransition != nil { break }
            continue
          }
          // A guaranteed reference: the compiled model owns the action, so the loop neither
          // retains it nor its step closure (refcount traffic on shared objects would also make
          // workers contend for the same cache lines).
          try plans[a].action._withUnsafeGuaranteedRef { action in
            let prefixCount = action.prefixGuardRefs.count
            if prefixCount > 0 {
              for k in 0..<prefixCount { nextCheck[k] = 0 }
            }
            var t = 0
            tuples: while t < count {
              let args: UnsafePointer<UInt64>
              if offset >= 0 {
                args = UnsafePointer(pool + (offset &+ t &* arity))
              } else {
                action.decodeArguments(t, into: scratch.args)
                args = UnsafePointer(scratch.args)
              }
              let context = EvalContext(state: pre, args: args, bound: bound)
              // Guard conjuncts over a prefix of the parameters: once per block of tuples.
              for k in 0..<prefixCount where t == nextCheck[k] {
                let (block, holds) = try action.prefixGuardRefs[k]._withUnsafeGuaranteedRef {
                  ($0.block, try $0.eval(context) != 0)
                }
                nextCheck[k] = t &+ block
                if !holds {
                  coverage.recordDisabled(action: a, count: block)
                  t &+= block
                  for j in k..<prefixCount where nextCheck[j] < t { nextCheck[j] = t }
                  continue tuples
                }
              }
              // `innerBody` is `body` when the action has no prefix guards.
              let code = try action.innerBody(context, post)
              evaluated &+= 1
              coverage.record(action: a, code: code)
              if countsParameters, code != CompiledModel.disabledCode {
                coverage.recordArguments(action: a, tuple: t, succeeded: code == CompiledModel.succeededCode)
              }
              t &+= 1
              if code != CompiledModel.succeededCode {
                // A failed step changes nothing, unless its condition carries effects (a mutant).
                guard code >= 0, action.hasFailureEffects, action.failureChanges[code] else { continue }
              }
              if code == CompiledModel.succeededCode ? checksSuccesses : checksFailures,
                let p = CompiledModel.firstViolated(transitionChecks[a], action: a, code: code, pre: pre, post: post)
              {
                brokenTransition = (p, UInt32(truncatingIfNeeded: base &+ t &- 1))
                return
              }
              if generated == batch.capacity { batch.grow(words: words) }
              let slot = batch.words + generated &* words
              slot.update(from: post, count: words)
              batch.fingerprints[generated] = packedFingerprint(slot, count: words)
              batch.steps[generated] = UInt32(truncatingIfNeeded: base &+ t &- 1)
              generated &+= 1
            }
          }
          if brokenTransition != nil { break }
        }
      } catch {
        recordEvent(chunk, s, .error(String(describing: error)))
        return
      }
      if let broken = brokenTransition {
        recordEvent(chunk, s, .transitionViolation(property: broken.property, step: broken.step))
        return
      }
      // Touch every home slot first (independent loads), keeping the sum so the loads stay.
      var touched: UInt64 = 0
      if let symmetry {
        for g in 0..<generated {
          // The plain fingerprint is already there: it is the identity's.
          batch.fingerprints[g] = symmetry.canonicalFingerprint(
            batch.words + g &* words, scratch: worker.symmetryScratch(words), plain: batch.fingerprints[g])
        }
      }
      for g in 0..<generated { touched &+= visited.home(batch.fingerprints[g]) }
      batch.touched = touched
      for g in 0..<generated {
        let fp = batch.fingerprints[g]
        if visited.contains(fp) || !local.insert(fp) { continue }
        fingerprints.append(fp)
        parents.append(parent)
        steps.append(batch.steps[g])
        successors.append(contentsOf: UnsafeBufferPointer(start: batch.words + g &* words, count: words))
      }
    }
  }
}

/// A pointer handed to worker threads that only read (or write disjoint parts of) it.
struct UnsafeSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
