import CZ3

// MARK: - Wrapping results

extension Z3Context {
  /// Runs one Z3 call that builds a term and wraps the result, throwing on error.
  @inline(__always)
  func makeExpr(_ call: (Z3_context) -> Z3_ast?) throws(Z3Error) -> Z3Expr {
    Z3Expr(context: self, raw: try nonNull(call))
  }

  /// Builds a term from one argument with a unary Z3 constructor.
  @inline(__always)
  func unary(
    _ a: Z3Expr, _ make: (Z3_context?, Z3_ast?) -> Z3_ast?
  ) throws(Z3Error) -> Z3Expr {
    let x = own(a)
    return try makeExpr { make($0, x) }
  }

  /// Builds a term from two arguments with a binary Z3 constructor.
  @inline(__always)
  func binary(
    _ a: Z3Expr, _ b: Z3Expr, _ make: (Z3_context?, Z3_ast?, Z3_ast?) -> Z3_ast?
  ) throws(Z3Error) -> Z3Expr {
    let (x, y) = (own(a), own(b))
    return try makeExpr { make($0, x, y) }
  }
}

// MARK: - Constants and literals

extension Z3Context {
  /// Returns the constant called `name` of sort `sort`.
  ///
  /// The same name and sort always give the same constant; use ``freshConstant(prefix:sort:)``
  /// for a constant guaranteed to be new.
  public func constant(named name: String, sort: Z3Sort) throws(Z3Error) -> Z3Expr {
    let symbol = try symbol(name)
    let s = own(sort)
    return try makeExpr { Z3_mk_const($0, symbol, s) }
  }

  /// Returns a new constant of sort `sort`, distinct from every other constant, whose name
  /// starts with `prefix`.
  public func freshConstant(prefix: String, sort: Z3Sort) throws(Z3Error) -> Z3Expr {
    let s = own(sort)
    return try makeExpr { Z3_mk_fresh_const($0, prefix, s) }
  }

  /// Returns the Boolean literal `true` or `false`.
  public func bool(_ value: Bool) throws(Z3Error) -> Z3Expr {
    try makeExpr { value ? Z3_mk_true($0) : Z3_mk_false($0) }
  }

  /// Returns the bit-vector numeral `value mod 2^width` of `width` bits.
  ///
  /// - Throws: ``Z3Error`` if `width` is not positive.
  public func bitVector(_ value: UInt64, width: Int) throws(Z3Error) -> Z3Expr {
    let sort = try rawBitVectorSort(width: width)
    let masked = width >= 64 ? value : value & ((1 << UInt64(width)) - 1)
    return try makeExpr { Z3_mk_unsigned_int64($0, masked, sort) }
  }
}

// MARK: - Boolean structure and equality

extension Z3Context {
  /// Returns the negation of a Boolean term.
  public func not(_ a: Z3Expr) throws(Z3Error) -> Z3Expr {
    try unary(a, Z3_mk_not)
  }

  /// Returns the conjunction of Boolean terms; `true` when there are none.
  public func and(_ terms: [Z3Expr]) throws(Z3Error) -> Z3Expr {
    if terms.isEmpty { return try bool(true) }
    return try withRaw(terms) { count, raw throws(Z3Error) in
      try makeExpr { Z3_mk_and($0, count, raw) }
    }
  }

  /// Returns the conjunction of Boolean terms; `true` when there are none.
  public func and(_ terms: Z3Expr...) throws(Z3Error) -> Z3Expr {
    try and(terms)
  }

  /// Returns the disjunction of Boolean terms; `false` when there are none.
  public func or(_ terms: [Z3Expr]) throws(Z3Error) -> Z3Expr {
    if terms.isEmpty { return try bool(false) }
    return try withRaw(terms) { count, raw throws(Z3Error) in
      try makeExpr { Z3_mk_or($0, count, raw) }
    }
  }

  /// Returns the disjunction of Boolean terms; `false` when there are none.
  public func or(_ terms: Z3Expr...) throws(Z3Error) -> Z3Expr {
    try or(terms)
  }

  /// Returns the implication `premise => conclusion`.
  public func implies(_ premise: Z3Expr, _ conclusion: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(premise, conclusion, Z3_mk_implies)
  }

  /// Returns `if condition then then else otherwise`; both branches must have the same sort.
  public func ite(_ condition: Z3Expr, _ then: Z3Expr, _ otherwise: Z3Expr) throws(Z3Error)
    -> Z3Expr
  {
    let (c, t, e) = (own(condition), own(then), own(otherwise))
    return try makeExpr { Z3_mk_ite($0, c, t, e) }
  }

  /// Returns the equation `a = b` (for Booleans, `a <=> b`); both must have the same sort.
  public func eq(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_eq)
  }

  /// Returns the formula that the terms are pairwise different; `true` for fewer than two.
  public func distinct(_ terms: [Z3Expr]) throws(Z3Error) -> Z3Expr {
    if terms.count < 2 { return try bool(true) }
    return try withRaw(terms) { count, raw throws(Z3Error) in
      try makeExpr { Z3_mk_distinct($0, count, raw) }
    }
  }

  /// Returns the formula that the terms are pairwise different; `true` for fewer than two.
  public func distinct(_ terms: Z3Expr...) throws(Z3Error) -> Z3Expr {
    try distinct(terms)
  }
}

// MARK: - Rewriting

extension Z3Context {
  /// Returns `expr` with every occurrence of `from[i]` replaced by `to[i]`, simultaneously.
  ///
  /// - Throws: ``Z3Error`` if the arrays differ in length or a replacement has another sort.
  public func substitute(_ expr: Z3Expr, from: [Z3Expr], to: [Z3Expr]) throws(Z3Error) -> Z3Expr {
    guard from.count == to.count else {
      throw Z3Error(
        code: .invalidArgument,
        message: "substitute needs as many replacements (\(to.count)) as terms (\(from.count))")
    }
    let term = own(expr)
    return try withRaw(from) { count, sources throws(Z3Error) in
      try withRaw(to) { _, targets throws(Z3Error) in
        try makeExpr { Z3_substitute($0, term, count, sources, targets) }
      }
    }
  }

  /// Returns a simplified term equivalent to `expr` (`Z3_simplify`), for example a literal for a closed term.
  public func simplify(_ expr: Z3Expr) throws(Z3Error) -> Z3Expr {
    try unary(expr, Z3_simplify)
  }
}
