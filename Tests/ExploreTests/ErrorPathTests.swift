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
    let correct = explore(try CompiledModel(errorPathModel(buggy: false)), options: ExploreOptions(mode: .bfs, workers: 1))
    #expect(correct.outcome == .noViolation)
    #expect(correct.complete)
    let report = explore(try CompiledModel(errorPathModel(buggy: true)), options: ExploreOptions(mode: .bfs, workers: 2))
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
