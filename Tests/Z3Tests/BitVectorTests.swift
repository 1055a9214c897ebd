import Testing
import Z3

@Suite("Bit-vector terms and solving")
struct BitVectorTests {
  @Test("x + 1 == 0 over BV8 has the single solution x == 255")
  func incrementWrapsAround() throws {
    let ctx = Z3Context()
    let solver = try Z3Solver(context: ctx)
    let x = try ctx.constant(named: "x", sort: ctx.bitVectorSort(width: 8))
    try solver.assert(ctx.eq(ctx.bvAdd(x, ctx.bitVector(1, width: 8)), ctx.bitVector(0, width: 8)))
    #expect(try solver.check() == .sat)
    #expect(try solver.model().bitVectorValue(of: x) == 255)

    // And it is the only one.
    try solver.assert(ctx.not(ctx.eq(x, ctx.bitVector(255, width: 8))))
    #expect(try solver.check() == .unsat)
  }

  @Test("the full unsigned 64-bit range round-trips through a model")
  func sixtyFourBitValues() throws {
    let ctx = Z3Context()
    let solver = try Z3Solver(context: ctx)
    let x = try ctx.constant(named: "x", sort: ctx.bitVectorSort(width: 64))
    let y = try ctx.constant(named: "y", sort: ctx.bitVectorSort(width: 64))
    try solver.assert(ctx.eq(x, ctx.bitVector(.max, width: 64)))
    try solver.assert(ctx.eq(y, ctx.bitVector(1 << 63, width: 64)))
    #expect(try solver.check() == .sat)
    let model = try solver.model()
    #expect(try model.bitVectorValue(of: x) == .max)
    #expect(try model.bitVectorValue(of: y) == 1 << 63)
  }

  @Test("closed terms simplify to the values unsigned machine arithmetic gives")
  func operatorsAgreeWithSwift() throws {
    let ctx = Z3Context()
    let a: UInt64 = 0xB7
    let b: UInt64 = 0x1C
    let (x, y) = (try ctx.bitVector(a, width: 8), try ctx.bitVector(b, width: 8))
    let cases: [(Z3Expr, UInt64)] = [
      (try ctx.bvAdd(x, y), (a + b) & 0xFF),
      (try ctx.bvSub(y, x), (b &- a) & 0xFF),
      (try ctx.bvMul(x, y), (a * b) & 0xFF),
      (try ctx.bvUDiv(x, y), a / b),
      (try ctx.bvURem(x, y), a % b),
      (try ctx.bvUDiv(x, ctx.bitVector(0, width: 8)), 0xFF),
      (try ctx.bvAnd(x, y), a & b),
      (try ctx.bvOr(x, y), a | b),
      (try ctx.bvXor(x, y), a ^ b),
      (try ctx.bvNot(x), ~a & 0xFF),
      (try ctx.bvShl(x, ctx.bitVector(3, width: 8)), (a << 3) & 0xFF),
      (try ctx.bvLShr(x, ctx.bitVector(3, width: 8)), a >> 3),
      (try ctx.zeroExtend(x, by: 8), a),
      (try ctx.extract(x, high: 5, low: 2), (a >> 2) & 0xF),
      (try ctx.concat(x, y), a << 8 | b),
    ]
    for (term, expected) in cases {
      #expect(try ctx.simplify(term).numeralValue == expected, "\(term)")
    }
    #expect(try ctx.concat(x, y).sort.bitVectorWidth == 16)
    #expect(try ctx.extract(x, high: 5, low: 2).sort.bitVectorWidth == 4)
    #expect(try ctx.bitVector(0x1FF, width: 8).numeralValue == 0xFF)
  }

  @Test("unsigned comparisons")
  func comparisons() throws {
    let ctx = Z3Context()
    let small = try ctx.bitVector(3, width: 8)
    let large = try ctx.bitVector(200, width: 8)  // negative if read as signed
    let cases: [(Z3Expr, Bool)] = [
      (try ctx.bvULT(small, large), true),
      (try ctx.bvULE(large, large), true),
      (try ctx.bvUGT(small, large), false),
      (try ctx.bvUGE(small, large), false),
    ]
    for (formula, expected) in cases {
      #expect(try ctx.simplify(formula).boolLiteral == expected, "\(formula)")
    }
  }

  @Test("a 64-bit factoring problem under rlimit 1 is unknown with a reason")
  func resourceLimitGivesUnknown() throws {
    let ctx = Z3Context()
    let solver = try Z3Solver(context: ctx)
    let bv64 = try ctx.bitVectorSort(width: 64)
    let (p, q) = (try ctx.constant(named: "p", sort: bv64), try ctx.constant(named: "q", sort: bv64))
    let one = try ctx.bitVector(1, width: 64)
    let limit = try ctx.bitVector(UInt64(UInt32.max), width: 64)
    // 4294967291 * 4294967279, both prime: factoring it is hard for bit-blasting.
    let product = try ctx.bitVector(4_294_967_291 * 4_294_967_279, width: 64)
    try solver.assert(ctx.eq(ctx.bvMul(p, q), product))
    try solver.assert(ctx.and(ctx.bvUGT(p, one), ctx.bvUGT(q, one)))
    try solver.assert(ctx.and(ctx.bvULE(p, limit), ctx.bvULE(q, limit)))
    try solver.setResourceLimit(1)
    let result = try solver.check()
    guard case .unknown(let reason) = result else {
      Issue.record("expected unknown, got \(result)")
      return
    }
    #expect(!reason.isEmpty)
    // The answer is repeatable.
    #expect(try solver.check() == result)
  }

  @Test("a timeout is accepted as a solver parameter and easy problems still finish")
  func timeoutParameter() throws {
    let ctx = Z3Context()
    let solver = try Z3Solver(context: ctx)
    try solver.setTimeout(milliseconds: 60_000)
    let x = try ctx.constant(named: "x", sort: ctx.bitVectorSort(width: 16))
    try solver.assert(ctx.bvUGT(x, ctx.bitVector(0xFFFE, width: 16)))
    #expect(try solver.check() == .sat)
    #expect(try solver.model().bitVectorValue(of: x) == 0xFFFF)
  }
}
