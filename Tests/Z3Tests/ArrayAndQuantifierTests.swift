import Testing
import Z3

@Suite("Arrays, lambdas and quantifiers")
struct ArrayAndQuantifierTests {
  @Test("select(store(a, i, v), i) != v is unsat")
  func readOverWrite() throws {
    let ctx = Z3Context()
    let bv8 = try ctx.bitVectorSort(width: 8)
    let a = try ctx.constant(named: "a", sort: ctx.arraySort(domain: bv8, range: bv8))
    let i = try ctx.constant(named: "i", sort: bv8)
    let v = try ctx.constant(named: "v", sort: bv8)
    let solver = try Z3Solver(context: ctx)
    try solver.assert(ctx.not(ctx.eq(ctx.select(ctx.store(a, i, v), i), v)))
    #expect(try solver.check() == .unsat)
  }

  @Test("a model evaluates array selects, stored and unconstrained")
  func modelSelects() throws {
    let ctx = Z3Context()
    let bv8 = try ctx.bitVectorSort(width: 8)
    let a = try ctx.constant(named: "a", sort: ctx.arraySort(domain: bv8, range: bv8))
    let solver = try Z3Solver(context: ctx)
    let at1 = try ctx.select(a, ctx.bitVector(1, width: 8))
    let at2 = try ctx.select(a, ctx.bitVector(2, width: 8))
    try solver.assert(ctx.eq(at1, ctx.bitVector(42, width: 8)))
    try solver.assert(ctx.bvUGT(at2, at1))
    #expect(try solver.check() == .sat)
    let model = try solver.model()
    #expect(try model.bitVectorValue(of: at1) == 42)
    #expect(try model.bitVectorValue(of: at2) > 42)
    // Model completion gives an unconstrained element some value.
    _ = try model.bitVectorValue(of: ctx.select(a, ctx.bitVector(9, width: 8)))
  }

  @Test("a constant array holds its value everywhere")
  func constantArray() throws {
    let ctx = Z3Context()
    let bv8 = try ctx.bitVectorSort(width: 8)
    let zeros = try ctx.constArray(domain: bv8, value: ctx.bitVector(7, width: 8))
    let i = try ctx.freshConstant(prefix: "i", sort: bv8)
    let solver = try Z3Solver(context: ctx)
    try solver.assert(ctx.not(ctx.eq(ctx.select(zeros, i), ctx.bitVector(7, width: 8))))
    #expect(try solver.check() == .unsat)
  }

  @Test("a lambda array maps each index to its body")
  func lambdaArray() throws {
    let ctx = Z3Context()
    let bv8 = try ctx.bitVectorSort(width: 8)
    let i = try ctx.constant(named: "i", sort: bv8)
    let successor = try ctx.lambda([i], ctx.bvAdd(i, ctx.bitVector(1, width: 8)))
    #expect(try successor.sort == ctx.arraySort(domain: bv8, range: bv8))

    let solver = try Z3Solver(context: ctx)
    // Valid: successor[3] == 4.
    try solver.push()
    try solver.assert(
      ctx.not(ctx.eq(ctx.select(successor, ctx.bitVector(3, width: 8)), ctx.bitVector(4, width: 8))))
    #expect(try solver.check() == .unsat)
    try solver.pop()
    // successor[x] == 0 forces x == 255.
    let x = try ctx.constant(named: "x", sort: bv8)
    try solver.assert(ctx.eq(ctx.select(successor, x), ctx.bitVector(0, width: 8)))
    #expect(try solver.check() == .sat)
    #expect(try solver.model().bitVectorValue(of: x) == 255)
  }

  @Test("a forall over an uninterpreted sort contradicts a ground instance")
  func forallUnsat() throws {
    let ctx = Z3Context()
    let granule = try ctx.uninterpretedSort(named: "Granule")
    let bv8 = try ctx.bitVectorSort(width: 8)
    let state = try ctx.function(named: "state", domain: [granule], range: bv8)
    let g = try ctx.constant(named: "g", sort: granule)
    let x = try ctx.constant(named: "x", sort: granule)
    let solver = try Z3Solver(context: ctx)
    try solver.assert(ctx.forall([x], ctx.eq(state(x), ctx.bitVector(0, width: 8))))
    try solver.assert(ctx.not(ctx.eq(state(g), ctx.bitVector(0, width: 8))))
    #expect(try solver.check() == .unsat)
  }

  @Test("quantified models over an uninterpreted sort expose universe indices")
  func forallSatUniverse() throws {
    let ctx = Z3Context()
    let granule = try ctx.uninterpretedSort(named: "Granule")
    let bool = try ctx.boolSort()
    let delegated = try ctx.function(named: "delegated", domain: [granule], range: bool)
    let (g1, g2) = (
      try ctx.constant(named: "g1", sort: granule), try ctx.constant(named: "g2", sort: granule)
    )
    let x = try ctx.constant(named: "x", sort: granule)
    let y = try ctx.constant(named: "y", sort: granule)
    let solver = try Z3Solver(context: ctx)
    // At most one granule is delegated, and some granule is.
    try solver.assert(
      ctx.forall(
        [x, y], ctx.implies(ctx.and(delegated(x), delegated(y)), ctx.eq(x, y))))
    try solver.assert(ctx.exists([x], delegated(x)))
    try solver.assert(ctx.distinct(g1, g2))
    try solver.assert(delegated(g1))
    #expect(try solver.check() == .sat)
    let model = try solver.model()
    #expect(try model.universe(of: granule).count >= 2)
    let (i1, i2) = (try model.universeIndex(of: g1), try model.universeIndex(of: g2))
    #expect(i1 != i2)
    #expect(try model.boolValue(of: delegated(g1)))
    #expect(try !model.boolValue(of: delegated(g2)))
    #expect(try model.universeIndex(of: g1) == i1)
  }
}
