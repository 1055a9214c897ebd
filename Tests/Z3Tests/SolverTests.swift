import Testing
import Z3

@Suite("Solver scopes, assumptions and introspection")
struct SolverTests {
  @Test("push and pop restore earlier answers; reset clears everything")
  func scopes() throws {
    let ctx = Z3Context()
    let solver = try Z3Solver(context: ctx)
    let p = try ctx.constant(named: "p", sort: ctx.boolSort())
    try solver.assert(p)
    try solver.push()
    #expect(solver.scopeCount == 1)
    try solver.assert(ctx.not(p))
    #expect(try solver.check() == .unsat)
    try solver.pop()
    #expect(solver.scopeCount == 0)
    #expect(try solver.check() == .sat)
    #expect(try solver.assertions == [p])
    try solver.reset()
    #expect(try solver.assertions.isEmpty)
  }

  @Test("checks under assumptions report an unsat core of assumptions")
  func assumptionsAndCore() throws {
    let ctx = Z3Context()
    let solver = try Z3Solver(context: ctx)
    let bool = try ctx.boolSort()
    let (p, q, r) = (
      try ctx.constant(named: "p", sort: bool), try ctx.constant(named: "q", sort: bool),
      try ctx.constant(named: "r", sort: bool)
    )
    let x = try ctx.constant(named: "x", sort: ctx.bitVectorSort(width: 4))
    try solver.assert(ctx.implies(p, ctx.eq(x, ctx.bitVector(1, width: 4))))
    try solver.assert(ctx.implies(q, ctx.eq(x, ctx.bitVector(2, width: 4))))
    #expect(try solver.check(assuming: [p, r]) == .sat)
    #expect(try solver.check(assuming: [p, q, r]) == .unsat)
    #expect(try Set(solver.unsatCore()) == [p, q])
    // Assumptions are not kept.
    #expect(try solver.check() == .sat)
  }

  @Test("tracked assertions name themselves in the unsat core")
  func trackedAssertions() throws {
    let ctx = Z3Context()
    let solver = try Z3Solver(context: ctx)
    let x = try ctx.constant(named: "x", sort: ctx.bitVectorSort(width: 4))
    let (a, b) = (
      try ctx.constant(named: "a", sort: ctx.boolSort()),
      try ctx.constant(named: "b", sort: ctx.boolSort())
    )
    try solver.assert(ctx.bvULT(x, ctx.bitVector(2, width: 4)), tracking: a)
    try solver.assert(ctx.bvUGT(x, ctx.bitVector(5, width: 4)), tracking: b)
    #expect(try solver.check() == .unsat)
    #expect(try Set(solver.unsatCore()) == [a, b])
  }

  @Test("the SMT-LIB2 dump and term descriptions are readable")
  func dumps() throws {
    let ctx = Z3Context()
    let solver = try Z3Solver(context: ctx, logic: "QF_BV")
    let x = try ctx.constant(named: "counter", sort: ctx.bitVectorSort(width: 8))
    let formula = try ctx.bvULT(x, ctx.bitVector(10, width: 8))
    try solver.assert(formula)
    let dump = try solver.smtLib2
    #expect(dump.contains("(declare-fun counter () (_ BitVec 8))"))
    #expect(dump.contains("(assert (bvult counter #x0a))"))
    #expect(formula.description == "(bvult counter #x0a)")
    #expect(try x.sort.description == "(_ BitVec 8)")
    #expect(try solver.check() == .sat)
    #expect(try solver.model().description.contains("counter"))
  }

  @Test("the library version is 4.8.12 or newer")
  func libraryVersion() {
    #expect(Z3Version.current >= Z3Version(4, 8, 12))
    #expect(Z3.version.contains("\(Z3Version.current.major).\(Z3Version.current.minor)"))
  }
}
