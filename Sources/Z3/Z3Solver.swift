import CZ3

/// A Z3 solver: an incremental stack of assertions that can be checked for satisfiability.
///
/// ```swift
/// let ctx = Z3Context()
/// let solver = try Z3Solver(context: ctx)
/// let x = try ctx.constant(named: "x", sort: ctx.bitVectorSort(width: 8))
/// try solver.assert(ctx.eq(ctx.bvAdd(x, ctx.bitVector(1, width: 8)), ctx.bitVector(0, width: 8)))
/// if try solver.check() == .sat {
///   let value = try solver.model().bitVectorValue(of: x)  // 255
/// }
/// ```
///
/// Resource limits: ``setResourceLimit(_:)`` bounds each check by Z3's deterministic `rlimit`
/// counter (repeatable across runs and machines; prefer it), ``setTimeout(milliseconds:)`` by
/// wall-clock time. A check that hits a limit returns ``SolverResult/unknown(reason:)``.
public final class Z3Solver: CustomStringConvertible {
  /// The context that owns the solver; kept alive by it.
  public let context: Z3Context
  /// The raw solver; valid while this object is alive.
  let raw: Z3_solver

  /// Wraps a raw solver of `context`, taking a reference to it.
  init(context: Z3Context, raw: Z3_solver) {
    self.context = context
    self.raw = raw
    Z3_solver_inc_ref(context.raw, raw)
  }

  deinit {
    Z3_solver_dec_ref(context.raw, raw)
  }

  /// Creates a general-purpose solver (`Z3_mk_solver`), or one tuned for an SMT-LIB logic.
  ///
  /// - Parameters:
  ///   - context: The context whose terms the solver will check.
  ///   - logic: An SMT-LIB logic name such as `"QF_ABV"`, or `nil` for Z3's default solver,
  ///     which handles bit-vectors, arrays, uninterpreted functions and quantifiers together.
  /// - Throws: ``Z3Error`` if Z3 cannot create the solver.
  public convenience init(context: Z3Context, logic: String? = nil) throws(Z3Error) {
    let solver: Z3_solver
    if let logic {
      let symbol = try context.symbol(logic)
      solver = try context.nonNull { Z3_mk_solver_for_logic($0, symbol) }
    } else {
      solver = try context.nonNull { Z3_mk_solver($0) }
    }
    self.init(context: context, raw: solver)
  }

  // MARK: - Assertions and scopes

  /// Adds a Boolean formula to the current scope.
  ///
  /// - Throws: ``Z3Error`` if `formula` is not Boolean.
  public func assert(_ formula: Z3Expr) throws(Z3Error) {
    let term = context.own(formula)
    try context.checked { Z3_solver_assert($0, raw, term) }
  }

  /// Adds a Boolean formula tracked by the Boolean constant `tracker`, which then names the
  /// formula in ``unsatCore()``.
  ///
  /// - Throws: ``Z3Error`` if either argument is not Boolean or `tracker` is not a constant.
  public func assert(_ formula: Z3Expr, tracking tracker: Z3Expr) throws(Z3Error) {
    let term = context.own(formula)
    let track = context.own(tracker)
    try context.checked { Z3_solver_assert_and_track($0, raw, term, track) }
  }

  /// Opens a scope; assertions made after it are removed by the matching ``pop(_:)``.
  public func push() throws(Z3Error) {
    try context.checked { Z3_solver_push($0, raw) }
  }

  /// Closes `count` scopes, removing the assertions made in them.
  ///
  /// - Throws: ``Z3Error`` (index out of bounds) if fewer than `count` scopes are open.
  public func pop(_ count: Int = 1) throws(Z3Error) {
    let scopes = try context.unsigned(count, "scope count")
    guard scopes <= (try context.checked { Z3_solver_get_num_scopes($0, raw) }) else {
      throw Z3Error(
        code: .indexOutOfBounds, message: "cannot pop \(count) scopes: only \(scopeCount) are open")
    }
    try context.checked { Z3_solver_pop($0, raw, scopes) }
  }

  /// The number of open scopes.
  public var scopeCount: Int {
    Int(Z3_solver_get_num_scopes(context.raw, raw))
  }

  /// Removes every assertion and scope (parameters are kept).
  public func reset() throws(Z3Error) {
    try context.checked { Z3_solver_reset($0, raw) }
  }

  /// The formulas currently asserted, in order.
  public var assertions: [Z3Expr] {
    get throws(Z3Error) {
      try context.expressions(of: try context.nonNull { Z3_solver_get_assertions($0, raw) })
    }
  }

  // MARK: - Checking

  /// Checks whether the assertions are satisfiable.
  ///
  /// - Returns: `sat`, `unsat`, or `unknown` with Z3's reason (for example a resource limit).
  /// - Throws: ``Z3Error`` if Z3 reports an error during the check (an unknown answer caused by
  ///   a limit is not an error).
  /// - Complexity: NP-hard in general; bounded by the solver's `rlimit` and `timeout`.
  public func check() throws(Z3Error) -> SolverResult {
    try result(try context.checked { Z3_solver_check($0, raw) })
  }

  /// Checks whether the assertions together with the Boolean `assumptions` are satisfiable,
  /// without adding the assumptions.
  ///
  /// After an `unsat` answer, ``unsatCore()`` returns a subset of the assumptions that is
  /// already unsatisfiable with the assertions.
  ///
  /// - Throws: ``Z3Error`` if an assumption is not a Boolean constant or its negation.
  public func check(assuming assumptions: [Z3Expr]) throws(Z3Error) -> SolverResult {
    let answer = try context.withRaw(assumptions) { count, terms throws(Z3Error) in
      try context.checked { Z3_solver_check_assumptions($0, raw, count, terms) }
    }
    return try result(answer)
  }

  /// Maps Z3's three-valued answer to a ``SolverResult``.
  private func result(_ answer: Z3_lbool) throws(Z3Error) -> SolverResult {
    switch answer {
    case Z3_L_TRUE: return .sat
    case Z3_L_FALSE: return .unsat
    default: return .unknown(reason: try reasonUnknown)
    }
  }

  /// Z3's explanation of the last check's unknown answer (`Z3_solver_get_reason_unknown`).
  ///
  /// In libz3 4.8.12 the default solver reports a check stopped by `rlimit` or `timeout` as
  /// just `"unknown"`, so the reason cannot tell a resource limit from incompleteness.
  public var reasonUnknown: String {
    get throws(Z3Error) { try context.string { Z3_solver_get_reason_unknown($0, raw) } }
  }

  /// The model of the last `sat` check.
  ///
  /// - Throws: ``Z3Error`` (invalid usage) if the last check was not `sat`.
  public func model() throws(Z3Error) -> Z3Model {
    Z3Model(context: context, raw: try context.nonNull { Z3_solver_get_model($0, raw) })
  }

  /// The unsat core of the last `unsat` check: assumptions or tracking constants that suffice
  /// for unsatisfiability (not necessarily minimal).
  ///
  /// - Throws: ``Z3Error`` if the last check was not `unsat`.
  public func unsatCore() throws(Z3Error) -> [Z3Expr] {
    try context.expressions(of: try context.nonNull { Z3_solver_get_unsat_core($0, raw) })
  }

  // MARK: - Parameters and limits

  /// Applies a parameter set to the solver; later sets override earlier values.
  ///
  /// - Throws: ``Z3Error`` (invalid argument) if a parameter is unknown to the solver or has
  ///   the wrong type.
  public func setParams(_ params: Z3Params) throws(Z3Error) {
    precondition(params.context === context, "Z3Params from another Z3Context")
    // libz3 4.8.12 creates the underlying solver lazily and validates parameter names only if
    // it exists; otherwise a bad name surfaces as an error from the next check. Any solver call
    // creates it: ask for the scope count so the error is reported here.
    _ = try context.checked { Z3_solver_get_num_scopes($0, raw) }
    do {
      try context.checked { Z3_solver_set_params($0, raw, params.raw) }
    } catch {
      // Z3 appends every legal parameter (hundreds of lines) to "unknown parameter 'x'".
      let message = error.message
      let cut = message.firstRange(of: "\nLegal parameters are:")?.lowerBound ?? message.endIndex
      throw Z3Error(code: error.code, message: String(message[..<cut]))
    }
  }

  /// Bounds every later check by Z3's resource counter (`rlimit`); 0 removes the bound.
  ///
  /// The counter measures work done, not time, so a limit gives the same answer on every run
  /// and machine (for the same libz3). A check that exhausts it returns `unknown`.
  public func setResourceLimit(_ rlimit: UInt32) throws(Z3Error) {
    let params = try Z3Params(context: context)
    try params.set("rlimit", to: rlimit)
    try setParams(params)
  }

  /// Bounds every later check by wall-clock time; `UInt32.max` means no timeout.
  ///
  /// Prefer ``setResourceLimit(_:)`` where answers must be repeatable.
  public func setTimeout(milliseconds: UInt32) throws(Z3Error) {
    let params = try Z3Params(context: context)
    try params.set("timeout", to: milliseconds)
    try setParams(params)
  }

  // MARK: - Debugging

  /// The solver's assertions as an SMT-LIB2 script (`Z3_solver_to_string`).
  public var smtLib2: String {
    get throws(Z3Error) { try context.string { Z3_solver_to_string($0, raw) } }
  }

  /// The SMT-LIB2 dump of the assertions; see ``smtLib2``.
  public var description: String { (try? smtLib2) ?? "<solver>" }
}
