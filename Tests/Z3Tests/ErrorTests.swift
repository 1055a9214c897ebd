import Testing
import Z3

/// A call that Z3 (or the wrapper) must reject with a thrown error rather than exiting.
enum BadCall: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case bvAddOfDifferentWidths
  case extractAboveWidth
  case extractWithHighBelowLow
  case zeroWidthSort
  case assertNonBoolean
  case popWithoutPush
  case modelBeforeCheck
  case modelAfterUnsat
  case unknownSolverParameter
  case selectWithWrongIndexSort
  case applyWithWrongArity
  case quantifyOverNonConstant
  case substituteWithMismatchedLengths
  case wideValueAsUInt64

  var testDescription: String { rawValue }

  /// The code the call must fail with.
  ///
  /// libz3 4.8.12 reports ill-sorted terms as `exception`.
  var expectedCode: Z3Error.Code {
    switch self {
    case .bvAddOfDifferentWidths, .extractAboveWidth, .unknownSolverParameter,
      .selectWithWrongIndexSort, .applyWithWrongArity:
      .exception
    case .extractWithHighBelowLow, .zeroWidthSort, .assertNonBoolean, .quantifyOverNonConstant,
      .substituteWithMismatchedLengths:
      .invalidArgument
    case .popWithoutPush: .indexOutOfBounds
    case .modelBeforeCheck, .modelAfterUnsat: .invalidUsage
    case .wideValueAsUInt64: .notAValue
    }
  }

  /// Makes the bad call in `ctx`.
  func perform(in ctx: Z3Context) throws(Z3Error) {
    let bv8 = try ctx.bitVectorSort(width: 8)
    let x = try ctx.constant(named: "x", sort: bv8)
    let solver = try Z3Solver(context: ctx)
    switch self {
    case .bvAddOfDifferentWidths:
      _ = try ctx.bvAdd(x, ctx.constant(named: "y", sort: ctx.bitVectorSort(width: 16)))
    case .extractAboveWidth:
      _ = try ctx.extract(x, high: 9, low: 2)
    case .extractWithHighBelowLow:
      _ = try ctx.extract(x, high: 2, low: 5)
    case .zeroWidthSort:
      _ = try ctx.bitVectorSort(width: 0)
    case .assertNonBoolean:
      try solver.assert(x)
    case .popWithoutPush:
      try solver.pop()
    case .modelBeforeCheck:
      _ = try solver.model()
    case .modelAfterUnsat:
      try solver.assert(ctx.bool(false))
      _ = try solver.check()
      _ = try solver.model()
    case .unknownSolverParameter:
      let params = try Z3Params(context: ctx)
      try params.set("no_such_parameter", to: UInt32(1))
      try solver.setParams(params)
    case .selectWithWrongIndexSort:
      let array = try ctx.constant(named: "a", sort: ctx.arraySort(domain: bv8, range: bv8))
      _ = try ctx.select(array, ctx.bool(true))
    case .applyWithWrongArity:
      let f = try ctx.function(named: "f", domain: [bv8], range: bv8)
      _ = try f(x, x)
    case .quantifyOverNonConstant:
      _ = try ctx.forall([ctx.bvAdd(x, x)], ctx.bool(true))
    case .substituteWithMismatchedLengths:
      _ = try ctx.substitute(x, from: [x], to: [])
    case .wideValueAsUInt64:
      let wide = try ctx.constant(named: "w", sort: ctx.bitVectorSort(width: 80))
      try solver.assert(ctx.eq(wide, ctx.bvShl(ctx.bitVector(1, width: 80), ctx.bitVector(70, width: 80))))
      _ = try solver.check()
      _ = try solver.model().bitVectorValue(of: wide)
    }
  }
}

@Suite("Errors become thrown Z3Error values")
struct ErrorTests {
  @Test(
    "a bad call throws a Z3Error with a message, and the context stays usable",
    arguments: BadCall.allCases)
  func badCallThrows(_ call: BadCall) throws {
    let ctx = Z3Context()
    let error = #expect(throws: Z3Error.self) { try call.perform(in: ctx) }
    #expect(error?.message.isEmpty == false)
    #expect(error?.code == call.expectedCode)

    // The context still works after the error.
    let solver = try Z3Solver(context: ctx)
    let y = try ctx.constant(named: "y", sort: ctx.bitVectorSort(width: 8))
    try solver.assert(ctx.eq(y, ctx.bitVector(5, width: 8)))
    #expect(try solver.check() == .sat)
    #expect(try solver.model().bitVectorValue(of: y) == 5)
  }

  @Test("Z3's own message and code come through")
  func z3MessageAndCode() throws {
    let ctx = Z3Context()
    let x = try ctx.constant(named: "x", sort: ctx.bitVectorSort(width: 8))
    let y = try ctx.constant(named: "y", sort: ctx.bitVectorSort(width: 16))
    // libz3 4.8.12 reports ill-sorted applications as Z3_EXCEPTION, not Z3_SORT_ERROR.
    let sortMismatch = #expect(throws: Z3Error.self) { try ctx.bvAdd(x, y) }
    #expect(sortMismatch?.code == .exception)
    #expect(sortMismatch?.message.contains("does not match declaration") == true)

    let solver = try Z3Solver(context: ctx)
    #expect(throws: Z3Error(code: .indexOutOfBounds, message: "cannot pop 1 scopes: only 0 are open")) {
      try solver.pop()
    }
    let noModel = #expect(throws: Z3Error.self) { try solver.model() }
    #expect(noModel == Z3Error(code: .invalidUsage, message: "there is no current model"))

    let nonBoolean = #expect(throws: Z3Error.self) { try solver.assert(x) }
    #expect(nonBoolean?.code == .invalidArgument)

    let params = try Z3Params(context: ctx)
    try params.set("no_such_parameter", to: true)
    let badParameter = #expect(throws: Z3Error.self) { try solver.setParams(params) }
    // The list of every legal parameter that Z3 appends is cut off.
    #expect(badParameter?.message == "unknown parameter 'no_such_parameter'")
  }
}
