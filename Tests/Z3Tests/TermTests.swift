import Testing
import Z3

@Suite("Term construction and introspection")
struct TermTests {
  @Test("terms are hash-consed: structurally equal terms are equal handles")
  func structuralIdentity() throws {
    let ctx = Z3Context()
    let bv8 = try ctx.bitVectorSort(width: 8)
    let x1 = try ctx.constant(named: "x", sort: bv8)
    let x2 = try ctx.constant(named: "x", sort: bv8)
    #expect(x1 == x2)
    #expect(try ctx.bvAdd(x1, x2) == ctx.bvAdd(x2, x1))
    #expect(try ctx.freshConstant(prefix: "x", sort: bv8) != x1)
    #expect(try Set([x1, x2, ctx.bitVector(1, width: 8)]).count == 2)
  }

  @Test("sorts report their kind and structure")
  func sortIntrospection() throws {
    let ctx = Z3Context()
    let bv12 = try ctx.bitVectorSort(width: 12)
    let granule = try ctx.uninterpretedSort(named: "Granule")
    let array = try ctx.arraySort(domain: granule, range: bv12)
    #expect(try ctx.boolSort().kind == .bool)
    #expect(try bv12.kind == .bitVector)
    #expect(try bv12.bitVectorWidth == 12)
    #expect(try granule.kind == .uninterpreted)
    #expect(try granule.name == "Granule")
    #expect(try array.kind == .array)
    #expect(try array.arrayDomain == granule)
    #expect(try array.arrayRange == bv12)
  }

  @Test("Boolean connectives, including the empty and singleton cases")
  func booleanStructure() throws {
    let ctx = Z3Context()
    let p = try ctx.constant(named: "p", sort: ctx.boolSort())
    let (t, f) = (try ctx.bool(true), try ctx.bool(false))
    #expect(try ctx.and([]).boolLiteral == true)
    #expect(try ctx.or([]).boolLiteral == false)
    #expect(try ctx.distinct([p]).boolLiteral == true)
    #expect(try ctx.simplify(ctx.and([p])) == p)
    #expect(try ctx.simplify(ctx.and(p, f)).boolLiteral == false)
    #expect(try ctx.simplify(ctx.or(p, t)).boolLiteral == true)
    #expect(try ctx.simplify(ctx.implies(f, p)).boolLiteral == true)
    #expect(try ctx.simplify(ctx.ite(t, p, f)) == p)
    #expect(try ctx.simplify(ctx.distinct(t, f)).boolLiteral == true)
    #expect(try p.boolLiteral == nil)
    #expect(try p.numeralValue == nil)
  }

  @Test("substitution replaces constants simultaneously")
  func substitution() throws {
    let ctx = Z3Context()
    let bv8 = try ctx.bitVectorSort(width: 8)
    let (x, y) = (try ctx.constant(named: "x", sort: bv8), try ctx.constant(named: "y", sort: bv8))
    let term = try ctx.bvSub(x, y)
    let swapped = try ctx.substitute(term, from: [x, y], to: [y, x])
    #expect(swapped == (try ctx.bvSub(y, x)))
    let closed = try ctx.substitute(
      term, from: [x, y], to: [ctx.bitVector(10, width: 8), ctx.bitVector(3, width: 8)])
    #expect(try ctx.simplify(closed).numeralValue == 7)
  }

  @Test("uninterpreted functions declare, apply and introspect")
  func functions() throws {
    let ctx = Z3Context()
    let bv8 = try ctx.bitVectorSort(width: 8)
    let f = try ctx.function(named: "owner", domain: [bv8, bv8], range: ctx.boolSort())
    #expect(try f.name == "owner")
    #expect(try f.arity == 2)
    #expect(try f.range == ctx.boolSort())
    let a = try ctx.bitVector(1, width: 8)
    #expect(try f(a, a) == ctx.apply(f, [a, a]))
    let g = try ctx.freshFunction(prefix: "owner", domain: [bv8, bv8], range: ctx.boolSort())
    #expect(g != f)
  }
}
