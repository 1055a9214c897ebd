import Explore
import Spec
import Testing
import Traces

/// A user's own model, nothing of CCA in it: threads ask a kernel for a lock through a system-call interface, a clock
/// ticks on its own.
///
/// Its lanes come from the parties and the interface it declares, not from any name the renderings know.
enum LockModel {
  static func build(declaringParties: Bool = true) -> Model {
    let thread = Domain.index(IndexSort("Thread", count: 2))
    let b = ModelBuilder(name: "lock", configuration: Configuration(name: "two-threads", bounds: [:]))
    let holder = b.variable("holder", .range(0, 2), doc: "0 = free, else thread + 1", initial: 0)
    let ticks = b.variable("ticks", .range(0, 3), initial: 0)
    let clock = declaringParties ? b.party("clock") : Party("clock")
    let kernel = declaringParties ? b.party("kernel") : Party("kernel")
    let threads = declaringParties ? b.party("thread") : Party("thread")
    if declaringParties {
      b.abi.interfaces = [
        ABIDescription.Interface(
          name: "SYS", caller: threads, handler: kernel, functions: [ABIDescription.NamedValue("SYS_LOCK", 0x10)],
          statuses: [ABIDescription.NamedValue("SYS_OK", 0), ABIDescription.NamedValue("SYS_BUSY", 1)],
          success: "SYS_OK")
      ]
    }
    b.action("SYS_LOCK", by: threads, parameters: [Parameter("thread", thread)]) { a in
      a.fail("held", error: "SYS_BUSY", code: 1, when: holder.value.ne(0))
      a.set(holder, to: a.arg("thread") + 1)
    }
    b.action("TICK", by: clock) { a in a.set(ticks, to: .ite(ticks.value.eq(3), then: 3, else: ticks.value + 1)) }
    _ = kernel
    return b.build()
  }
}

@Suite("Lanes come from the model's own parties")
struct PartyLaneTests {
  @Test("an interface call is drawn from its caller's instance to the handler; other actions in their party's lane")
  func lanesOfAUserModel() throws {
    let model = LockModel.build()
    try model.validate()
    let compiled = try CompiledModel(model)
    let tick = try #require(model.action(named: "TICK"))
    let lock = try #require(model.action(named: "SYS_LOCK"))
    let trace = try compiled.trace(of: [(lock, [1]), (tick, []), (lock, [0])])
    #expect(StepLanes.of(trace.steps[0], model: model) == StepLanes(actor: "kernel", caller: "thread 1"))
    #expect(StepLanes.of(trace.steps[1], model: model) == StepLanes(actor: "clock", caller: nil))
    #expect(model.actions[lock].caller == Party("thread"))
    #expect(model.actions[lock].caller.name == "thread")
    // Lanes are ordered as the model declares its parties: clock, kernel, thread.
    let diagram = TraceMermaid.render(trace, model: model)
    #expect(diagram.contains("participant p0 as clock"), "\(diagram)")
    #expect(diagram.contains("participant p1 as kernel"), "\(diagram)")
    #expect(diagram.contains("participant p2 as thread 1"), "\(diagram)")
    #expect(diagram.contains("p2->>+p1: 1. SYS_LOCK(thread=1)"), "\(diagram)")
  }

  @Test("without an ABI description each action is drawn in its caller's lane, with no arrow")
  func lanesWithoutInterfaces() throws {
    let model = LockModel.build(declaringParties: false)
    #expect(model.abi == ABIDescription())
    #expect(model.parties.map(\.name) == ["thread", "clock"])
    let compiled = try CompiledModel(model)
    let lock = try #require(model.action(named: "SYS_LOCK"))
    let trace = try compiled.trace(of: [(lock, [0])])
    #expect(StepLanes.of(trace.steps[0], model: model) == StepLanes(actor: "thread 0", caller: nil))
  }

  @Test("an action whose caller the model did not declare is a located model error")
  func undeclaredParty() throws {
    let b = ModelBuilder(name: "m", configuration: Configuration(name: "c", bounds: [:]))
    let x = b.variable("x", .bool, initial: false)
    b.party("thread")
    b.action("SET", by: "thraed") { a in a.set(x, to: true) }
    #expect(throws: ModelError.unknownName(kind: "party of action SET", name: "thraed", valid: ["thread"])) {
      try b.build().validate()
    }
  }
}
