import Spec
import Testing
import _TestSupport

@testable import Explore

/// Failure conditions with effects: "state set, then the error returned" (a mutant's shape).
@Suite("Error-path effects")
struct ErrorPathTests {
  @Test("A failure condition without effects leaves the state unchanged; one with effects gives its successor")
  func stepOutcomes() throws {
    let correct = try CompiledModel(errorPathModel(buggy: false))
    let buggy = try CompiledModel(errorPathModel(buggy: true))
    let acquire = try #require(correct.model.action(named: "acquire"))
    // held = true, value = [0, 0], epoch = 0.
    let held = try correct.state(fromValues: [1, 0, 0, 0])
    #expect(try correct.step(held, action: acquire, arguments: [1, 2]) == .failed(condition: 0, code: 1))
    let outcome = try buggy.step(held, action: acquire, arguments: [1, 2])
    guard case .failed(0, 1, let next?) = outcome else {
      Issue.record("expected busy with a successor, got \(outcome)")
      return
    }
    #expect(buggy.values(of: next) == [1, 0, 2, 0])
    #expect(outcome.successor(of: held) == next)
    #expect(buggy.stepResult(action: acquire, outcome: outcome) == .failure(condition: "busy", error: "BUSY", code: 1))
    // The second condition has no effects even in the buggy model.
    let free = buggy.initialState()
    #expect(try buggy.step(free, action: acquire, arguments: [0, 3]) == .failed(condition: 1, code: 2))
    // An assignAll and a scalar write on an error path.
    let release = try #require(buggy.model.action(named: "release"))
    let dirty = try buggy.state(fromValues: [0, 2, 1, 0])
    guard case .failed(0, 3, let cleared?) = try buggy.step(dirty, action: release, arguments: []) else {
      Issue.record("expected not_held with a successor")
      return
    }
    #expect(buggy.values(of: cleared) == [0, 0, 0, 1])
  }

  @Test("BFS follows failed steps that change state: the buggy lock breaks no-three in 2 steps, the correct one never")
  func bfsFollowsErrorPaths() throws {
    let correct = explore(
      try CompiledModel(errorPathModel(buggy: false)), options: ExploreOptions(mode: .bfs, workers: 1))
    #expect(correct.outcome == .noViolation)
    #expect(correct.complete)
    let report = explore(
      try CompiledModel(errorPathModel(buggy: true)), options: ExploreOptions(mode: .bfs, workers: 2))
    guard case .violation(_, let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.steps.count == 2)
    #expect(trace.steps.last?.result == .failure(condition: "busy", error: "BUSY", code: 1))
    #expect(trace.states.last?[1...2].contains(3) == true)
    #expect(replay(try CompiledModel(errorPathModel(buggy: true)), trace: trace) == .exact)
    // The correct model's states are a strict subset: error paths add states.
    let all = explore(
      try CompiledModel(errorPathModel(buggy: true)), options: ExploreOptions(mode: .bfs, workers: 1, properties: []))
    #expect(all.distinctStates > correct.distinctStates)
  }

  @Test("Random walks follow failed steps that change state (seed 11)")
  func randomFollowsErrorPaths() throws {
    print("random error-path walk: seed 11")
    let report = explore(
      try CompiledModel(errorPathModel(buggy: true)),
      options: ExploreOptions(mode: .random, seed: 11, walks: 200, walkLength: 20, workers: 1))
    guard case .violation(_, let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(replay(try CompiledModel(errorPathModel(buggy: true)), trace: trace) == .exact)
  }
}

/// Transition properties: frame rules over steps, checked by BFS, random walks and shrinking.
@Suite("Transition properties")
struct TransitionPropertyTests {
  @Test("violatedTransitions names the rule a failed step with effects breaks, and only it")
  func stepCheck() throws {
    let buggy = try CompiledModel(errorPathModel(buggy: true, frameRules: true))
    let correct = try CompiledModel(errorPathModel(buggy: false, frameRules: true))
    let failed = try #require(buggy.model.properties.firstIndex { $0.name == "failed-changes-nothing" })
    let acquire = try #require(buggy.model.action(named: "acquire"))
    let release = try #require(buggy.model.action(named: "release"))
    #expect(buggy.isTransitionProperty(failed))
    #expect(!buggy.isTransitionProperty(0))
    let held = try buggy.state(fromValues: [1, 0, 0, 0])
    // busy with an effect: value[1] := 2.
    #expect(try buggy.violatedTransitions(from: held, action: acquire, arguments: [1, 2]) == [failed])
    // busy writing the value it already holds changes nothing: not a violation.
    #expect(try buggy.violatedTransitions(from: held, action: acquire, arguments: [0, 0]) == [])
    // The correct model's failed steps and every successful release keep the frame.
    #expect(try correct.violatedTransitions(from: held, action: acquire, arguments: [1, 2]) == [])
    #expect(try buggy.violatedTransitions(from: held, action: release, arguments: []) == [])
    // A successful acquire is constrained by no rule.
    #expect(try buggy.violatedTransitions(from: buggy.initialState(), action: acquire, arguments: [0, 1]) == [])
  }

  @Test("BFS reports a shortest trace whose last step is the failed call that changed state; the correct model holds")
  func bfs() throws {
    let model = errorPathModel(buggy: true, frameRules: true)
    let compiled = try CompiledModel(model)
    let failed = try #require(model.properties.firstIndex { $0.name == "failed-changes-nothing" })
    for workers in [1, 2] {
      let report = explore(compiled, options: ExploreOptions(mode: .bfs, workers: workers, properties: [failed]))
      guard case .violation(let p, let trace) = report.outcome else {
        Issue.record("expected a violation, got \(report.outcome)")
        return
      }
      #expect(p == failed)
      #expect(trace.property == "failed-changes-nothing")
      // From the start, release fails not_held and still sets epoch: 1 step.
      #expect(trace.steps.count == 1)
      #expect(trace.steps.last?.result == .failure(condition: "not_held", error: "NOT_HELD", code: 3))
      #expect(trace.states[0] != trace.states[1])
      #expect(replay(compiled, trace: trace) == .exact)
      #expect(try compiled.traceBreaksTransition(trace, property: failed))
    }
    let correct = try CompiledModel(errorPathModel(buggy: false, frameRules: true))
    let holds = explore(correct, options: ExploreOptions(mode: .bfs, workers: 2))
    #expect(holds.outcome == .noViolation)
    #expect(holds.complete)
  }

  @Test("Random walks find it too and shrink the trace to the step that matters (seed 5)")
  func random() throws {
    print("transition-property random walk: seed 5")
    let model = errorPathModel(buggy: true, frameRules: true)
    let compiled = try CompiledModel(model)
    let failed = try #require(model.properties.firstIndex { $0.name == "failed-changes-nothing" })
    var options = ExploreOptions(mode: .random, seed: 5, walks: 100, walkLength: 30, workers: 1, properties: [failed])
    options.shrink = true
    let report = explore(compiled, options: options)
    guard case .violation(let p, let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(p == failed)
    #expect(replay(compiled, trace: trace) == .exact)
    #expect(try compiled.traceBreaksTransition(trace, property: failed))
    #expect(trace.steps.count == 1)
  }

  @Test("Validation rejects a transition rule naming an unknown action")
  func validation() {
    let model = buildModel { b in
      b.variable("x", .bool, initial: false)
      b.action("a", by: "env") { _ in }
      b.transitionProperty("frame", actions: ["a", "nope"], on: .failure)
    }
    #expect(throws: ModelError.self) { try model.validate() }
  }
}

/// Parameter coverage: which values of each parameter the engines took steps with.
@Suite("Parameter coverage")
struct ParameterCoverageTests {
  @Test("BFS counts the steps taken with each value, and the successful ones; off by default")
  func bfs() throws {
    let compiled = try CompiledModel(errorPathModel(buggy: false))
    let off = explore(compiled, options: ExploreOptions(mode: .bfs, workers: 1))
    #expect(off.coverage.actions.allSatisfy { $0.parameters.isEmpty })
    for workers in [1, 2] {
      var options = ExploreOptions(mode: .bfs, workers: workers)
      options.parameterCoverage = true
      let report = explore(compiled, options: options)
      let acquire = try #require(report.coverage.actions.first { $0.name == "acquire" })
      #expect(acquire.parameters.map(\.name) == ["slot", "v"])
      let v = acquire.parameters[1]
      #expect(v.values == [0, 1, 2, 3])
      // Every value is taken; v = 3 always fails (reserved), the others succeed from a free lock.
      #expect(v.enabled.allSatisfy { $0 > 0 })
      #expect(v.succeeded[3] == 0)
      #expect(v.succeeded[0] > 0)
      #expect(v.unreached.isEmpty)
      // Per parameter, the counts add up to the action's.
      #expect(v.enabled.reduce(0, +) == acquire.enabled)
      #expect(acquire.parameters[0].succeeded.reduce(0, +) == acquire.succeeded)
      // The same numbers with any number of workers (counters are merged).
      if workers == 2 {
        var one = options
        one.workers = 1
        #expect(explore(compiled, options: one).coverage == report.coverage)
      }
    }
  }

  @Test("Random walks count the values of the steps they take (seed 3)")
  func random() throws {
    print("parameter coverage random walks: seed 3")
    let compiled = try CompiledModel(errorPathModel(buggy: false))
    var options = ExploreOptions(mode: .random, seed: 3, walks: 20, walkLength: 10, workers: 1)
    options.parameterCoverage = true
    let report = explore(compiled, options: options)
    let acquire = try #require(report.coverage.actions.first { $0.name == "acquire" })
    #expect(acquire.parameters[0].enabled.reduce(0, +) == acquire.enabled)
    #expect(acquire.parameters[1].succeeded.reduce(0, +) == acquire.succeeded)
    #expect(acquire.enabled > 0)
  }
}
