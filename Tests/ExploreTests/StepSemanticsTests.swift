import Spec
import Testing
import _TestSupport

@testable import Explore

@Suite("Step semantics")
struct StepSemanticsTests {
  @Test("The initial state of die-hard is (0, 0) and values round-trip through packing")
  func initialState() throws {
    let compiled = try CompiledModel(dieHardModel())
    let s0 = compiled.initialState()
    #expect(compiled.values(of: s0) == [0, 0])
    let s = try compiled.state(fromValues: [3, 4])
    #expect(compiled.values(of: s) == [3, 4])
    #expect(s != s0)
    #expect(compiled.fingerprint(s) != compiled.fingerprint(s0))
  }

  @Test("A step returns the whole next state")
  func wholeNextState() throws {
    let compiled = try CompiledModel(dieHardModel())
    let fillBig = try #require(compiled.model.action(named: "fillBig"))
    let pour = try #require(compiled.model.action(named: "pourBigToSmall"))
    guard case .succeeded(let s1) = try compiled.step(compiled.initialState(), action: fillBig, arguments: []) else {
      Issue.record("fillBig should succeed from (0, 0)")
      return
    }
    #expect(compiled.values(of: s1) == [0, 5])
    guard case .succeeded(let s2) = try compiled.step(s1, action: pour, arguments: []) else {
      Issue.record("pourBigToSmall should succeed from (0, 5)")
      return
    }
    #expect(compiled.values(of: s2) == [3, 2])
    #expect(compiled.stepResult(action: pour, outcome: .succeeded(s2)) == .success(code: 0))
  }

  @Test("When two failure conditions hold, the first one's code is returned and nothing changes")
  func failureOrder() throws {
    let compiled = try CompiledModel(dieHardModel())
    // From (0, 5): pourSmallToBig has small_empty (2) before big_full (1); both hold.
    let start = try compiled.state(fromValues: [0, 5])
    let pour = try #require(compiled.model.action(named: "pourSmallToBig"))
    let outcome = try compiled.step(start, action: pour, arguments: [])
    #expect(outcome == .failed(condition: 0, code: 2))
    #expect(
      compiled.stepResult(action: pour, outcome: outcome)
        == .failure(condition: "small_empty", error: "EMPTY", code: 2))
    // Reordered conditions give the other code.
    let model = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 0)
      b.action("both", by: "env") { a in
        a.fail("second", error: "B", code: 7, when: x.value.eq(0))
        a.fail("first", error: "A", code: 9, when: x.value.lt(3))
        a.set(x, to: 1)
      }
    }
    let other = try CompiledModel(model)
    #expect(try other.step(other.initialState(), action: 0, arguments: []) == .failed(condition: 0, code: 7))
  }

  @Test("Effects are simultaneous: swapping x and y reads the pre-state")
  func simultaneousSwap() throws {
    let model = buildModel { b in
      let x = b.variable("x", .range(0, 7), initial: 2)
      let y = b.variable("y", .range(0, 7), initial: 5)
      b.action("swap", by: "env") { a in
        a.set(x, to: y.value)
        a.set(y, to: x.value)
      }
    }
    let compiled = try CompiledModel(model)
    let outcome = try compiled.step(compiled.initialState(), action: 0, arguments: [])
    #expect(outcome == .succeeded(try compiled.state(fromValues: [5, 2])))
  }

  @Test("Conditional effects apply only when their condition holds; a later write wins")
  func conditionalEffects() throws {
    let slot = Domain.index(IndexSort("Slot", count: 3))
    let model = buildModel { b in
      let m = b.map("m", keys: [slot], .range(0, 9)) { k in k[0] }
      let flag = b.variable("flag", .bool, initial: false)
      b.action("bump", by: "env", parameters: [Parameter("i", slot)]) { a in
        let i = a.arg("i")
        a.when(i.eq(1)) { a.set(flag, to: true) }
        a.set(m, [i], to: m[i] + 5)
        a.set(m, [0], to: 9)  // writes m[0] after m[i]: wins when i == 0
      }
    }
    let compiled = try CompiledModel(model)
    let s0 = compiled.initialState()
    #expect(compiled.values(of: s0) == [0, 1, 2, 0])
    #expect(
      try compiled.step(s0, action: 0, arguments: [0]) == .succeeded(try compiled.state(fromValues: [9, 1, 2, 0])))
    #expect(
      try compiled.step(s0, action: 0, arguments: [1]) == .succeeded(try compiled.state(fromValues: [9, 6, 2, 1])))
    #expect(
      try compiled.step(s0, action: 0, arguments: [2]) == .succeeded(try compiled.state(fromValues: [9, 1, 7, 0])))
  }

  @Test("assignAll writes exactly the keys whose condition holds")
  func assignAll() throws {
    let row = Domain.index(IndexSort("Row", count: 2))
    let col = Domain.finite(FiniteSet("Col", [("a", 0x10), ("b", 0x20), ("c", 0x30)]))
    let model = buildModel { b in
      let grid = b.map("grid", keys: [row, col], .range(1, 20)) { k in k[0] + 1 }
      b.action("setOdd", by: "env", parameters: [Parameter("v", .range(1, 20))]) { a in
        a.setAll(grid, where: { k in k[0].eq(1) || k[1].eq(0x20) }) { k in a.arg("v") + (k[1] >> 4) - 1 }
      }
    }
    let compiled = try CompiledModel(model)
    #expect(compiled.values(of: compiled.initialState()) == [1, 1, 1, 2, 2, 2])
    let outcome = try compiled.step(compiled.initialState(), action: 0, arguments: [10])
    // Row 0: only column b (0x20) changes to 10 + 2 - 1; row 1: all columns.
    #expect(outcome == .succeeded(try compiled.state(fromValues: [1, 11, 1, 10, 11, 12])))
  }

  @Test("A map read with a key outside its domain is a model error naming action and variable")
  func badKey() throws {
    let slot = Domain.index(IndexSort("Slot", count: 2))
    let model = buildModel { b in
      let m = b.map("table", keys: [slot], .range(0, 3)) { _ in 0 }
      b.action("peek", by: "env", parameters: [Parameter("i", .range(0, 3))]) { a in
        a.fail("nonzero", error: "NZ", code: 1, when: m[a.arg("i")].ne(0))
      }
    }
    let compiled = try CompiledModel(model)
    #expect(
      try compiled.step(compiled.initialState(), action: 0, arguments: [1]) == .succeeded(compiled.initialState()))
    #expect {
      _ = try compiled.step(compiled.initialState(), action: 0, arguments: [2])
    } throws: { error in
      guard case ExploreError.modelRuntime(let location, let message) = error else { return false }
      return location == "action peek" && message.contains("table") && message.contains("2")
    }
  }

  @Test("Assigning a value outside the variable's domain is a model error naming action and variable")
  func valueOutsideDomain() throws {
    let model = buildModel { b in
      let x = b.variable("level", .range(0, 3), initial: 3)
      b.action("raise", by: "env") { a in a.set(x, to: x.value + 1) }
    }
    let compiled = try CompiledModel(model)
    #expect {
      _ = try compiled.step(compiled.initialState(), action: 0, arguments: [])
    } throws: { error in
      guard case ExploreError.modelRuntime(let location, let message) = error else { return false }
      return location == "action raise" && message.contains("level") && message.contains("4")
    }
  }

  @Test("Arguments outside their parameter's domain are rejected")
  func argumentsChecked() throws {
    let compiled = try CompiledModel(countersModel(count: 3, maximum: 2))
    let inc = try #require(compiled.model.action(named: "inc"))
    #expect(throws: ExploreError.self) { try compiled.step(compiled.initialState(), action: inc, arguments: [3]) }
    #expect(throws: ExploreError.self) { try compiled.step(compiled.initialState(), action: inc, arguments: []) }
    #expect(throws: ExploreError.self) { try compiled.state(fromValues: [0, 0, 3]) }
  }

  @Test("Guards disable actions")
  func guards() throws {
    let model = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 0)
      b.action("up", by: "env") { a in
        a.requires(x.value.lt(2))
        a.set(x, to: x.value + 1)
      }
    }
    let compiled = try CompiledModel(model)
    let s2 = try compiled.state(fromValues: [2])
    #expect(try compiled.step(s2, action: 0, arguments: []) == .disabled)
    #expect(
      try compiled.step(compiled.initialState(), action: 0, arguments: [])
        == .succeeded(try compiled.state(fromValues: [1])))
  }

  @Test("Operators follow SMT-LIB bit-vector semantics")
  func operatorSemantics() throws {
    // Each case: an expression over parameter p0 = 7 and p1 = 0, and its expected value.
    let p0 = Expr.parameter(0)
    let p1 = Expr.parameter(1)
    let cases: [(Expr, Value)] = [
      (p0 / p1, ~0), (p0 % p1, 7), (p1 - p0, 0 &- 7), (p0 << 64, 0), (p0 >> 70, 0),
      (p0 << p1, 7), (p0 * p0, 49), (~p1, ~0), (p0 & 3, 3), (p0 | 8, 15), (p0 ^ 5, 2),
      (.ite(p0.gt(p1), then: 1, else: 2), 1), (p0 / 2, 3), (p0 % 4, 3),
      (p0.bits(1, width: 2), 3), (p1.withBits(4, width: 4, p0), 0x70),
    ]
    let model = buildModel { b in
      let out = b.map("out", keys: [.index(IndexSort("Case", count: cases.count))], .word(bits: 64)) { _ in 0 }
      let ok = b.variable("ok", .bool, initial: false)
      b.action("eval", by: "env", parameters: [Parameter("p0", .range(0, 7)), Parameter("p1", .range(0, 7))]) { a in
        for (i, c) in cases.enumerated() { a.set(out, [.literal(Value(i))], to: c.0) }
        // Short-circuit: the out-of-range read on the right is never evaluated.
        a.set(ok, to: p1.eq(0) || out[p0 + 100].eq(0))
      }
    }
    let compiled = try CompiledModel(model)
    guard case .succeeded(let s) = try compiled.step(compiled.initialState(), action: 0, arguments: [7, 0]) else {
      Issue.record("eval should succeed")
      return
    }
    #expect(compiled.values(of: s) == cases.map(\.1) + [1])
  }

  @Test("Properties evaluate on states, quantifiers over their domain")
  func properties() throws {
    let compiled = try CompiledModel(countersModel(count: 3, maximum: 2))
    #expect(try compiled.holds(0, in: compiled.initialState()))
    #expect(try !compiled.holds(0, in: compiled.state(fromValues: [2, 2, 2])))
    #expect(try compiled.holds(0, in: compiled.state(fromValues: [2, 1, 2])))
  }

  @Test("States pack into the bit widths of their domains")
  func packing() throws {
    // 40 booleans and a 3-bit counter fit in one word; a 64-bit word needs its own.
    let model = buildModel { b in
      b.map("bits", keys: [.index(IndexSort("B", count: 40))], .bool) { _ in false }
      b.variable("c", .range(0, 7), initial: 5)
      b.variable("gpi", .finite(FiniteSet("GPI", [("NS", 0x9), ("ROOT", 0xA), ("REALM", 0xB)])), initial: 0xB)
      b.variable(
        "addr", .finite(FiniteSet("PA", [("lo", 0x8000_0000), ("hi", 0xFFFF_0000_0000)])), initial: 0xFFFF_0000_0000)
      b.variable("w", .word(bits: 64), initial: ~0)
    }
    let compiled = try CompiledModel(model)
    // GPI needs 2 bits as an ordinal (3 elements), PA 1 bit: fewer than their raw widths.
    #expect(compiled.bitsPerState == 40 + 3 + 2 + 1 + 64)
    #expect(compiled.wordsPerState == 2)
    #expect(
      compiled.values(of: compiled.initialState()) == [Value](repeating: 0, count: 40) + [5, 0xB, 0xFFFF_0000_0000, ~0])
  }
}

@Suite("Argument tuples")
struct ArgumentTupleTests {
  @Test("Parameter-only subexpressions are precomputed per tuple; decoding on demand gives the same tuples")
  func derivedArguments() throws {
    let pa = Domain.finite(FiniteSet("PA", [("a", 0x8000_0000), ("b", 0x8000_1000), ("c", 0x8000_1800)]))
    let model = buildModel { b in
      let g = b.map("g", keys: [.index(IndexSort("G", count: 2))], .range(0, 3)) { _ in 0 }
      b.action("touch", by: "env", parameters: [Parameter("pe", .range(0, 1)), Parameter("addr", pa)]) { a in
        let (pe, addr) = (a.args[0], a.args[1])
        a.fail("align", error: "INPUT", code: 1, when: (addr & 0xFFF).ne(0))
        a.set(g, [(addr - 0x8000_0000) >> 12], to: pe + 2)
      }
    }
    let compiled = try CompiledModel(model)
    let action = compiled.actions[0]
    // `(addr & 0xFFF) != 0`, `(addr - base) >> 12` and `pe + 2` are derived.
    #expect(action.derived.count == 3)
    #expect(action.stride == 5)
    let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: action.stride)
    defer { buffer.deallocate() }
    for t in 0..<action.argumentCount {
      action.decodeArguments(t, into: buffer)
      #expect(
        Array(UnsafeBufferPointer(start: buffer, count: action.stride))
          == Array(action.argumentTuples[(t * action.stride)..<((t + 1) * action.stride)]))
    }
    let s0 = compiled.initialState()
    #expect(
      try compiled.step(s0, action: 0, arguments: [1, 0x8000_1000])
        == .succeeded(try compiled.state(fromValues: [0, 3])))
    #expect(try compiled.step(s0, action: 0, arguments: [1, 0x8000_1800]) == .failed(condition: 0, code: 1))
    let report = explore(compiled, options: ExploreOptions(workers: 1, properties: []))
    #expect(report.distinctStates == 9)
  }
}
