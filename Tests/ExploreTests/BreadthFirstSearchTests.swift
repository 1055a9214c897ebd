import Spec
import Synchronization
import Testing
import _TestSupport

@testable import Explore

@Suite("Breadth-first search")
struct BreadthFirstSearchTests {
  func bfs(_ model: Model, _ configure: (inout ExploreOptions) -> Void = { _ in }) throws -> ExploreReport {
    var options = ExploreOptions(mode: .bfs, workers: 1)
    configure(&options)
    return explore(try CompiledModel(model), options: options)
  }

  @Test("Die-hard without properties: exactly the 16 hand-counted states, complete, diameter 7")
  func dieHardStateCount() throws {
    let report = try bfs(dieHardModel()) { $0.properties = [] }
    #expect(report.outcome == .noViolation)
    #expect(report.distinctStates == DieHard.reachableStates)
    #expect(report.complete)
    #expect(report.stoppedBy == nil)
    #expect(report.maxDepthReached == DieHard.diameter)
    #expect(report.bytesPerState > 0)
  }

  @Test("Die-hard: the violation of big-not-4 is a shortest trace of 6 steps ending with big = 4")
  func dieHardShortestViolation() throws {
    let report = try bfs(dieHardModel())
    guard case .violation(let property, let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(property == 0)
    #expect(trace.property == "big-not-4")
    #expect(trace.outcome == .violated)
    #expect(trace.steps.count == DieHard.shortestViolation)
    #expect(trace.states.last?[1] == 4)
    #expect(trace.states.first == [0, 0])
    #expect(trace.steps.allSatisfy { $0.result == .success(code: 0) })
    #expect(!report.complete)
  }

  @Test("Lemmas are skipped by default and checked when asked for")
  func lemmas() throws {
    let model = dieHardModel()
    let lemma = try #require(model.properties.firstIndex { $0.name == "small-not-2" })
    let report = try bfs(model) { $0.properties = [lemma] }
    guard case .violation(let property, let trace) = report.outcome else {
      Issue.record("expected the lemma to be violated")
      return
    }
    #expect(property == lemma)
    #expect(trace.steps.count == 4)
  }

  @Test(
    "Counters (maps, parameters, whole-map reset): (m+1)^n states and a violation after n × m steps",
    arguments: [(3, 2), (2, 3), (4, 1)])
  func counters(count: Int, maximum: Int) throws {
    let model = countersModel(count: count, maximum: Value(maximum))
    let all = try bfs(model) { $0.properties = [] }
    #expect(all.distinctStates == Counters.reachableStates(count: count, maximum: maximum))
    #expect(all.complete)
    #expect(all.maxDepthReached == count * maximum)
    let violated = try bfs(model)
    #expect(violated.trace?.steps.count == Counters.shortestViolation(count: count, maximum: maximum))
  }

  @Test("Parallel BFS finds the same states and the same shortest trace as one worker")
  func parallelMatchesSequential() throws {
    let compiled = try CompiledModel(countersModel(count: 5, maximum: 3))
    let one = explore(compiled, options: ExploreOptions(workers: 1, properties: []))
    let two = explore(compiled, options: ExploreOptions(workers: 2, properties: []))
    let four = explore(compiled, options: ExploreOptions(workers: 4, properties: []))
    #expect(one.distinctStates == 1024)
    #expect(two.distinctStates == one.distinctStates)
    #expect(four.distinctStates == one.distinctStates)
    #expect(two.transitions == one.transitions)
    #expect(two.coverage == one.coverage)
    let v1 = explore(compiled, options: ExploreOptions(workers: 1))
    let v2 = explore(compiled, options: ExploreOptions(workers: 2))
    #expect(v1.trace?.steps.count == 15)
    #expect(v2.trace == v1.trace)
    #expect(v2.distinctStates == v1.distinctStates)
  }

  @Test("Coverage counts tries, successes and each failure condition per state")
  func coverage() throws {
    let report = try bfs(dieHardModel()) { $0.properties = [] }
    let fillSmall = try #require(report.coverage.actions.first { $0.name == "fillSmall" })
    // Tried once in each of the 16 states; fails in the 6 states with small = 3.
    #expect(fillSmall.tried == 16)
    #expect(fillSmall.enabled == 16)
    #expect(fillSmall.succeeded == 10)
    #expect(fillSmall.failures.map(\.fired) == [6])
    // Pour small→big: small_empty in the 6 states (0, 0...5), then big_full in (1,5) (2,5) (3,5).
    let pour = try #require(report.coverage.actions.first { $0.name == "pourSmallToBig" })
    #expect(pour.failures.map(\.fired) == [6, 3])
    #expect(report.transitions == 16 * 6)
    #expect(report.coverage.statusCodes[0] == report.coverage.actions.map(\.succeeded).reduce(0, +))
    #expect(report.coverage.neverEnabled.isEmpty)
  }

  @Test("maxStates stops the search: not complete, stopped by the limit")
  func stateLimit() throws {
    let report = try bfs(countersModel(count: 4, maximum: 3)) {
      $0.properties = []
      $0.maxStates = 50
    }
    #expect(report.distinctStates == 50)
    #expect(!report.complete)
    #expect(report.stoppedBy == .maxStates)
  }

  @Test("maxDepth stops the search at that depth")
  func depthLimit() throws {
    let report = try bfs(dieHardModel()) { $0.maxDepth = 3 }
    #expect(report.outcome == .noViolation)
    #expect(report.maxDepthReached == 3)
    #expect(report.stoppedBy == .maxDepth)
    #expect(!report.complete)
    #expect(report.distinctStates < DieHard.reachableStates)
  }

  @Test("A stop signal set before the run stops it at once; one set from progress stops it mid-run")
  func stopSignal() throws {
    let compiled = try CompiledModel(countersModel(count: 8, maximum: 3))
    let early = StopSignal()
    early.stop()
    let stopped = explore(compiled, options: ExploreOptions(workers: 1, properties: [], stop: early))
    #expect(stopped.stoppedBy == .interrupted)
    #expect(!stopped.complete)

    let signal = StopSignal()
    let calls = Atomic<Int>(0)
    let options = ExploreOptions(
      workers: 2, properties: [],
      progress: { _ in
        calls.add(1, ordering: .relaxed)
        signal.stop()
      }, progressInterval: 0, stop: signal)
    let report = explore(compiled, options: options)
    #expect(calls.load(ordering: .relaxed) >= 1)
    #expect(report.stoppedBy == .interrupted)
    #expect(report.distinctStates < 65536)
    #expect(!report.complete)
  }

  @Test("A time limit of zero stops the search with stoppedBy timeLimit")
  func timeLimit() throws {
    let report = try bfs(countersModel(count: 8, maximum: 3)) {
      $0.properties = []
      $0.timeLimit = 0
    }
    #expect(report.stoppedBy == .timeLimit)
    #expect(!report.complete)
  }

  @Test("A violation in the initial state is a trace without steps")
  func initialViolation() throws {
    let model = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 3)
      b.action("dec", by: "env") { a in a.set(x, to: x.value - 1) }
      b.invariant("x-small", x.value.lt(3))
    }
    let report = try bfs(model)
    #expect(report.trace?.steps.count == 0)
    #expect(report.trace?.states == [[3]])
    #expect(report.distinctStates == 1)
  }

  @Test("A model error during search is an outcome with the trace to the erring state")
  func modelErrorOutcome() throws {
    let model = buildModel { b in
      let x = b.variable("level", .range(0, 3), initial: 0)
      b.action("raise", by: "env") { a in a.set(x, to: x.value + 1) }
    }
    let report = try bfs(model)
    guard case .modelError(let message) = report.outcome else {
      Issue.record("expected a model error, got \(report.outcome)")
      return
    }
    #expect(message.contains("action raise"))
    #expect(message.contains("level"))
    #expect(report.errorTrace?.steps.count == 3)
    #expect(report.errorTrace?.states.last == [3])
  }

  @Test("An invalid property index is reported, not crashed on")
  func invalidProperty() throws {
    let report = try bfs(dieHardModel()) { $0.properties = [7] }
    guard case .modelError(let message) = report.outcome else {
      Issue.record("expected an error")
      return
    }
    #expect(message.contains("7"))
  }

  @Test("Progress snapshots report growing state counts")
  func progress() throws {
    let snapshots = Mutex<[ProgressSnapshot]>([])
    let compiled = try CompiledModel(countersModel(count: 7, maximum: 3))
    let report = explore(
      compiled,
      options: ExploreOptions(
        workers: 1, properties: [], progress: { s in snapshots.withLock { $0.append(s) } }, progressInterval: 0))
    let seen = snapshots.withLock { $0 }
    #expect(report.distinctStates == 16384)
    #expect(!seen.isEmpty)
    #expect(seen.map(\.distinctStates) == seen.map(\.distinctStates).sorted())
    #expect(seen.allSatisfy { $0.distinctStates <= 16384 && $0.depth <= 21 })
  }
}

@Suite("Memory accounting")
struct MemoryAccountingTests {
  @Test("The visited store costs at most 16 bytes per state; packed states are small")
  func bytesPerState() throws {
    let compiled = try CompiledModel(countersModel(count: 6, maximum: 3))
    // Six 2-bit counters pack into one word.
    #expect(compiled.wordsPerState == 1)
    #expect(compiled.bitsPerState == 12)
    let report = explore(compiled, options: ExploreOptions(workers: 1, properties: []))
    #expect(report.distinctStates == 4096)
    // Table 64% to 80% full (10 to 12.5 bytes), 2 bits of parent and a few bits of step.
    #expect(report.bytesPerState >= 10)
    #expect(report.bytesPerState <= 16)
    #expect(report.packedStateBytes == 8)
    #expect(report.peakQueueBytes > 0)
  }
}
