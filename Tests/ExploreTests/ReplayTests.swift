import Spec
import Testing
import _TestSupport

@testable import Explore

@Suite("Replay")
struct ReplayTests {
  func dieHardTrace() throws -> (CompiledModel, Trace) {
    let compiled = try CompiledModel(dieHardModel())
    let report = explore(compiled, options: ExploreOptions(workers: 1))
    return (compiled, try #require(report.trace))
  }

  @Test("A found trace replays exactly")
  func exact() throws {
    let (compiled, trace) = try dieHardTrace()
    #expect(replay(compiled, trace: trace) == .exact)
  }

  @Test("A tampered result diverges at its step")
  func tamperedResult() throws {
    let (compiled, trace) = try dieHardTrace()
    var bad = trace
    let s = bad.steps[2]
    bad.steps[2] = TraceStep(action: s.action, arguments: s.arguments, result: .success(code: 5))
    guard case .diverged(let step, let reason) = replay(compiled, trace: bad) else {
      Issue.record("expected divergence")
      return
    }
    #expect(step == 3)
    #expect(reason.contains(s.action))
  }

  @Test("A tampered state diverges at the step that reaches it, naming the variable")
  func tamperedState() throws {
    let (compiled, trace) = try dieHardTrace()
    var bad = trace
    bad.states[4][0] = (bad.states[4][0] + 1) % 4
    #expect(replay(compiled, trace: bad).divergedStep == 4)
    if case .diverged(_, let reason) = replay(compiled, trace: bad) { #expect(reason.contains("small")) }
  }

  @Test("A tampered initial state or an unknown action diverges where it is")
  func tamperedOther() throws {
    let (compiled, trace) = try dieHardTrace()
    var badStart = trace
    badStart.states[0] = [1, 0]
    #expect(replay(compiled, trace: badStart).divergedStep == 0)
    // From the trace's start, the first step's result and state no longer match.
    #expect(replay(compiled, trace: badStart, fromTraceStart: true).divergedStep == 1)
    var badAction = trace
    badAction.steps[5] = TraceStep(action: "drink", arguments: [], result: .success(code: 0))
    #expect(replay(compiled, trace: badAction).divergedStep == 6)
    var disabled = trace
    disabled.steps[0] = TraceStep(action: "emptyBig", arguments: [], result: .success(code: 0))
    #expect(replay(compiled, trace: disabled).divergedStep == 1)
  }
}

extension ReplayResult {
  var divergedStep: Int? {
    if case .diverged(let step, _) = self { return step }
    return nil
  }
}
