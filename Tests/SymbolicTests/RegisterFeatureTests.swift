import Explore
import Spec
import Symbolic
import Testing
import _TestSupport

/// A toy RMI-like command: `READ(addr)` takes a 64-bit register sampled at a few values, fails
/// with `ERROR_RTT` and the level in bits [15:8] when the address is unmapped, and returns two
/// outputs on success; `SET(addr)` stores the register.
func registerModel() -> Model {
  let b = ModelBuilder(name: "registers", configuration: Configuration(name: "t", bounds: [:]))
  let last = b.variable("last", .word(bits: 64), initial: 0)
  let mapped = b.variable("mapped", .bool, initial: false)
  let register = Domain.word(bits: 64)
  b.action("READ", by: "host", parameters: [Parameter("addr", register, samples: [0x1000, 0x2003, 0xFFFF_0000_0000])]) {
    a in
    let addr = a.arg("addr")
    a.fail("addr_align", error: "RMI_ERROR_INPUT", code: 1, when: (addr & 0xFFF).ne(0))
    a.fail(
      "unmapped", error: "RMI_ERROR_RTT", code: 4, index: .ite(addr.gt(0xFFFF_FFFF), then: 1, else: 3),
      when: !mapped.value)
    a.output("x1", addr >> 12)
    a.output("x2", last.value)
    a.set(last, to: addr)
  }
  b.action("MAP", by: "host") { a in a.set(mapped, to: true) }
  b.invariant("last-small", last.value.lt(0x1_0000_0000))
  return b.build()
}

@Suite("Registers: sampled 64-bit parameters, X0 indices, outputs")
struct RegisterFeatureTests {
  @Test("the concrete engine returns status | index << 8 and the outputs")
  func concrete() throws {
    let model = registerModel()
    let compiled = try CompiledModel(model)
    let read = try #require(model.action(named: "READ"))
    let s0 = compiled.initialState()
    #expect(
      try compiled.step(s0, action: read, arguments: [0xFFFF_0000_0000]) == .failed(condition: 1, code: 4 | 1 << 8))
    #expect(try compiled.step(s0, action: read, arguments: [0x5000]) == .failed(condition: 1, code: 4 | 3 << 8))
    #expect(try compiled.step(s0, action: read, arguments: [0x2003]) == .failed(condition: 0, code: 1))
    // Any value of the domain is accepted, not only the samples.
    guard
      case .succeeded(let mappedState) = try compiled.step(
        s0, action: try #require(model.action(named: "MAP")), arguments: [])
    else {
      Issue.record("MAP failed")
      return
    }
    #expect(try compiled.outputs(mappedState, action: read, arguments: [0x7000]) == [7, 0])
    #expect(model.actions[read].argumentCount == 3)
  }

  @Test("BMC explores the samples and its trace records index codes and outputs")
  func bmcSamples() throws {
    let model = registerModel()
    let report = try SymbolicChecker(model: model).bmc(properties: [0], depth: 3)
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.steps.map(\.action) == ["MAP", "READ"])
    #expect(trace.steps[1].arguments == [0xFFFF_0000_0000])
    #expect(trace.steps[1].outputs == [0xF_FFF0_0000, 0])
    try expectReplays(trace, model)
  }

  @Test("induction treats a sampled register as any value: no proof from the samples alone")
  func inductionIsNotSampled() throws {
    let b = ModelBuilder(name: "sampled", configuration: Configuration(name: "t", bounds: [:]))
    let x = b.variable("x", .word(bits: 64), initial: 0)
    b.action("SET", by: "host", parameters: [Parameter("v", .word(bits: 64), samples: [1, 2])]) { a in
      a.set(x, to: a.arg("v"))
    }
    b.invariant("x-small", x.value.lt(100))
    let model = b.build()
    let checker = try SymbolicChecker(model: model)
    #expect(checker.bmc(properties: [0], depth: 4).outcome == .holdsBounded(depth: 4))
    guard case .cti(let cti) = checker.induction(properties: [0], lemmas: []).outcome else {
      Issue.record("a register sampled at 1 and 2 must not prove x < 100")
      return
    }
    #expect(cti.action == "SET")
  }

  @Test("the engines agree on the register model")
  func differential() throws {
    try expectEnginesAgree(registerModel(), seed: 0xAB1, samples: 200)
  }
}
