import Spec
import Testing
import _TestSupport

@testable import Explore

@Suite("Random walks")
struct RandomWalkTests {
  @Test("The same seed gives the same violation trace; other seeds give other traces")
  func reproducible() throws {
    let compiled = try CompiledModel(dieHardModel())
    let seed: UInt64 = 0x5EED_0001
    print("random walk seed: \(seed)")
    let options = ExploreOptions(mode: .random, seed: seed, walks: 200, walkLength: 50, workers: 1)
    let a = explore(compiled, options: options)
    let b = explore(compiled, options: options)
    let trace = try #require(a.trace, "200 walks of 50 steps should reach big = 4")
    #expect(a.trace == b.trace)
    #expect(a.violatingWalk == b.violatingWalk)
    #expect(trace.seed == seed)
    #expect(trace.states.last?[1] == 4)
    #expect(replay(compiled, trace: trace) == .exact)
    // Different seeds: the walks differ.
    var traces: Set<Trace> = []
    for s in 1...4 as ClosedRange<UInt64> {
      var chooser = SeededChooser(seed: s)
      traces.insert(try randomWalk(compiled, chooser: &chooser, length: 30, properties: []).trace)
    }
    #expect(traces.count == 4)
  }

  @Test("The reported walk does not depend on the number of workers")
  func workersDoNotMatter() throws {
    let compiled = try CompiledModel(countersModel(count: 3, maximum: 2))
    let seed: UInt64 = 42
    print("random walk seed: \(seed)")
    let one = explore(
      compiled, options: ExploreOptions(mode: .random, seed: seed, walks: 64, walkLength: 40, workers: 1))
    let two = explore(
      compiled, options: ExploreOptions(mode: .random, seed: seed, walks: 64, walkLength: 40, workers: 2))
    #expect(one.trace != nil)
    #expect(one.trace == two.trace)
    #expect(one.violatingWalk == two.violatingWalk)
  }

  @Test("A walk of an exploration is repeated by its stream chooser, and by replaying recorded picks")
  func singleWalkReproduction() throws {
    let compiled = try CompiledModel(dieHardModel())
    let seed: UInt64 = 7
    print("random walk seed: \(seed)")
    let report = explore(
      compiled, options: ExploreOptions(mode: .random, seed: seed, walks: 500, walkLength: 40, workers: 1))
    let walk = try #require(report.violatingWalk)
    var chooser = SeededChooser(seed: seed, stream: UInt64(walk))
    let single = try randomWalk(compiled, chooser: &chooser, length: 40, seed: seed)
    #expect(single.trace == report.trace)
    #expect(single.violation == 0)

    var recording = RecordingChooser(SeededChooser(seed: 99))
    let original = try randomWalk(compiled, chooser: &recording, length: 25, swarm: true, properties: [])
    var replaying = ReplayChooser(picks: recording.picks)
    let again = try randomWalk(compiled, chooser: &replaying, length: 25, swarm: true, properties: [])
    #expect(again.trace == original.trace)
    #expect(!replaying.diverged)
    #expect(replaying.position == recording.picks.count)
  }

  @Test("Swarm walks draw their own weights: some walks never use some actions")
  func swarm() throws {
    let compiled = try CompiledModel(dieHardModel())
    let seed: UInt64 = 2024
    print("swarm seed: \(seed)")
    var missing = 0
    for stream in 0..<20 as Range<UInt64> {
      var chooser = SeededChooser(seed: seed, stream: stream)
      let walk = try randomWalk(compiled, chooser: &chooser, length: 40, swarm: true, properties: [])
      if Set(walk.trace.steps.map(\.action)).count < compiled.model.actions.count { missing += 1 }
    }
    #expect(missing > 0)
    let report = explore(
      compiled,
      options: ExploreOptions(
        mode: .random, seed: seed, walks: 50, walkLength: 40, swarm: true, workers: 1, properties: []))
    #expect(report.walksCompleted == 50)
    #expect(report.outcome == .noViolation)
    #expect(report.distinctStates <= DieHard.reachableStates)
    #expect(report.distinctStates > 1)
  }

  @Test("Random exploration counts walks, steps and coverage")
  func accounting() throws {
    let compiled = try CompiledModel(countersModel(count: 3, maximum: 2))
    let report = explore(
      compiled, options: ExploreOptions(mode: .random, seed: 3, walks: 10, walkLength: 20, workers: 1, properties: []))
    // Every step of these walks is enabled (inc and reset have no guards).
    #expect(report.walksCompleted == 10)
    #expect(report.transitions == 200)
    #expect(report.maxDepthReached == 20)
    #expect(report.coverage.actions.map(\.enabled).reduce(0, +) == 200)
    #expect(report.distinctStates <= 27)
  }

  @Test("A walk stops when no action is enabled")
  func deadlock() throws {
    let model = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 0)
      b.action("up", by: "env") { a in
        a.requires(x.value.lt(2))
        a.set(x, to: x.value + 1)
      }
    }
    let compiled = try CompiledModel(model)
    var chooser = SeededChooser(seed: 1)
    let walk = try randomWalk(compiled, chooser: &chooser, length: 10)
    #expect(walk.deadlocked)
    #expect(walk.trace.steps.count == 2)
  }

  @Test("SeededChooser is deterministic and stays in range")
  func chooser() {
    var a = SeededChooser(seed: 11)
    var b = SeededChooser(seed: 11)
    var c = SeededChooser(seed: 12)
    let xs = (0..<100).map { _ in a.choose(below: 7) }
    let ys = (0..<100).map { _ in b.choose(below: 7) }
    let zs = (0..<100).map { _ in c.choose(below: 7) }
    #expect(xs == ys)
    #expect(xs != zs)
    #expect(xs.allSatisfy { (0..<7).contains($0) })
    #expect(Set(xs).count == 7)
  }
}

@Suite("Shrinking")
struct ShrinkTests {
  @Test("A long random violation of the counters model shrinks to the 6 necessary increments")
  func countersShrink() throws {
    let compiled = try CompiledModel(countersModel(count: 3, maximum: 2))
    let seed: UInt64 = 5
    print("shrink seed: \(seed)")
    let plain = explore(
      compiled, options: ExploreOptions(mode: .random, seed: seed, walks: 50, walkLength: 200, workers: 1))
    var options = ExploreOptions(mode: .random, seed: seed, walks: 50, walkLength: 200, workers: 1)
    options.shrink = true
    let shrunk = explore(compiled, options: options)
    let original = try #require(plain.trace)
    let small = try #require(shrunk.trace)
    #expect(original.steps.count > 6)
    #expect(shrunk.unshrunkLength == original.steps.count)
    #expect(small.steps.count == Counters.shortestViolation(count: 3, maximum: 2))
    #expect(small.steps.allSatisfy { $0.action == "inc" && $0.result == .success(code: 0) })
    #expect(small.states.last == [2, 2, 2])
    #expect(replay(compiled, trace: small) == .exact)
    // Deterministic: the same seed shrinks to the same trace.
    options.workers = 2
    let again = explore(compiled, options: options)
    #expect(again.trace == small)
  }

  @Test("Die-hard shrinks to a valid violation no shorter than the shortest one")
  func dieHardShrink() throws {
    let compiled = try CompiledModel(dieHardModel())
    let seed: UInt64 = 11
    print("shrink seed: \(seed)")
    let report = explore(
      compiled, options: ExploreOptions(mode: .random, seed: seed, walks: 300, walkLength: 100, workers: 1))
    let trace = try #require(report.trace)
    let small = shrink(compiled, trace: trace, property: 0)
    #expect(small.steps.count <= trace.steps.count)
    #expect(small.steps.count >= DieHard.shortestViolation)
    #expect(small.states.last?[1] == 4)
    #expect(replay(compiled, trace: small) == .exact)
  }
}

@Suite("Random exploration limits")
struct RandomLimitTests {
  @Test("A stop signal or a zero time limit stops random exploration and says why")
  func stops() throws {
    let compiled = try CompiledModel(countersModel(count: 4, maximum: 3))
    let signal = StopSignal()
    signal.stop()
    let stopped = explore(
      compiled,
      options: ExploreOptions(mode: .random, walks: 1000, walkLength: 100, workers: 2, properties: [], stop: signal))
    #expect(stopped.stoppedBy == .interrupted)
    #expect(stopped.walksCompleted == 0)
    let timed = explore(
      compiled,
      options: ExploreOptions(mode: .random, timeLimit: 0, walks: 1000, walkLength: 100, workers: 1, properties: []))
    #expect(timed.stoppedBy == .timeLimit)
    #expect(timed.walksCompleted < 1000)
  }

  @Test("maxStates stops random exploration once that many distinct states are known")
  func stateLimit() throws {
    let compiled = try CompiledModel(countersModel(count: 6, maximum: 3))
    let report = explore(
      compiled,
      options: ExploreOptions(mode: .random, maxStates: 200, walks: 10_000, walkLength: 50, workers: 1, properties: []))
    #expect(report.stoppedBy == .maxStates)
    #expect(report.distinctStates >= 200)
    #expect(report.walksCompleted < 10_000)
    #expect(!report.complete)
  }

  @Test("A model error in a walk is an outcome with the trace leading to it")
  func modelError() throws {
    let model = buildModel { b in
      let x = b.variable("level", .range(0, 3), initial: 0)
      b.action("raise", by: "env") { a in a.set(x, to: x.value + 1) }
    }
    let report = explore(
      try CompiledModel(model), options: ExploreOptions(mode: .random, walks: 5, walkLength: 10, workers: 1))
    guard case .modelError(let message) = report.outcome else {
      Issue.record("expected a model error, got \(report.outcome)")
      return
    }
    #expect(message.contains("level"))
    #expect(report.errorTrace?.steps.count == 3)
    #expect(report.violatingWalk == 0)
  }
}
