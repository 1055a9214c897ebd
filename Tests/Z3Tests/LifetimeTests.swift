import Testing
import Z3

@Suite("Handle lifetime")
struct LifetimeTests {
  /// Builds many terms in a fresh context and returns them; the caller holds no context reference.
  private func buildTerms(count: Int) throws -> (terms: [Z3Expr], context: WeakContext) {
    let ctx = Z3Context()
    let bv32 = try ctx.bitVectorSort(width: 32)
    let x = try ctx.constant(named: "x", sort: bv32)
    var terms: [Z3Expr] = [x]
    var sum = x
    for i in 0..<count {
      sum = try ctx.bvAdd(sum, ctx.bitVector(UInt64(i), width: 32))
      if i % 100 == 0 { terms.append(sum) }
      _ = try ctx.bvMul(sum, x)  // dropped at once: exercises dec_ref
    }
    terms.append(sum)
    return (terms, WeakContext(ctx))
  }

  @Test("terms keep their context alive after the caller drops it, and release it at the end")
  func termsOutliveContextReference() throws {
    let count = 10_000
    var (terms, weak) = try buildTerms(count: count)
    // The only strong references to the context are the terms' own.
    #expect(weak.context != nil)
    guard let last = terms.last, let x = terms.first else {
      Issue.record("no terms were built")
      return
    }
    let ctx = last.context
    var solver: Z3Solver? = try Z3Solver(context: ctx)
    try solver?.assert(ctx.eq(last, ctx.bitVector(0, width: 32)))
    #expect(try solver?.check() == .sat)
    let model = try solver?.model()
    let expectedX = (0 &- UInt64((0..<count).reduce(UInt32(0)) { $0 &+ UInt32($1) })) & 0xFFFF_FFFF
    #expect(try model?.bitVectorValue(of: x) == expectedX)
    #expect(
      try ctx.simplify(ctx.substitute(last, from: [x], to: [ctx.bitVector(expectedX, width: 32)]))
        .numeralValue == 0)

    // Release everything; the context is deleted after the last handle.
    solver = nil
    _ = consume model
    _ = consume ctx
    terms.removeAll()
    _ = consume last
    _ = consume x
    #expect(weak.context == nil)
    weak = WeakContext(nil)
  }

  @Test("sorts, declarations, solvers and models each keep the context alive")
  func everyHandleRetainsContext() throws {
    var weak = WeakContext(nil)
    var sort: Z3Sort?
    var decl: Z3FuncDecl?
    var solver: Z3Solver?
    var model: Z3Model?
    var params: Z3Params?
    do {
      let ctx = Z3Context()
      weak = WeakContext(ctx)
      sort = try ctx.bitVectorSort(width: 4)
      decl = try ctx.function(named: "f", domain: [], range: ctx.boolSort())
      params = try Z3Params(context: ctx)
      solver = try Z3Solver(context: ctx)
      _ = try solver?.check()
      model = try solver?.model()
    }
    for step in 0..<5 {
      // Each remaining handle still refers to the same, live context.
      let live: [Z3Context?] = [sort?.context, decl?.context, params?.context, solver?.context, model?.context]
      #expect(live.count { $0 != nil } == 5 - step)
      #expect(live.allSatisfy { $0 == nil || $0 === weak.context })
      #expect(weak.context != nil, "context released too early at step \(step)")
      switch step {
      case 0: sort = nil
      case 1: decl = nil
      case 2: params = nil
      case 3: solver = nil
      default: model = nil
      }
    }
    #expect(weak.context == nil)
  }

  @Test("separate contexts work side by side")
  func independentContexts() throws {
    let (a, b) = (Z3Context(), Z3Context())
    let xa = try a.constant(named: "x", sort: a.bitVectorSort(width: 8))
    let xb = try b.constant(named: "x", sort: b.bitVectorSort(width: 8))
    #expect(xa != xb)
    let (sa, sb) = (try Z3Solver(context: a), try Z3Solver(context: b))
    try sa.assert(a.eq(xa, a.bitVector(1, width: 8)))
    try sb.assert(b.eq(xb, b.bitVector(2, width: 8)))
    #expect(try sa.check() == .sat)
    #expect(try sb.check() == .sat)
    #expect(try sa.model().bitVectorValue(of: xa) == 1)
    #expect(try sb.model().bitVectorValue(of: xb) == 2)
  }
}

/// A weak reference to a context, to observe when it is deleted.
struct WeakContext {
  weak var context: Z3Context?
  init(_ context: Z3Context?) { self.context = context }
}
