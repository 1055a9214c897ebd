import CZ3

// MARK: - Bit-vector arithmetic and logic

extension Z3Context {
  /// Returns `a + b` modulo 2^width; both must have the same width.
  public func bvAdd(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvadd)
  }

  /// Returns `a - b` modulo 2^width.
  public func bvSub(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvsub)
  }

  /// Returns `a * b` modulo 2^width.
  public func bvMul(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvmul)
  }

  /// Returns the unsigned quotient `a / b` (all ones when `b` is zero, as SMT-LIB defines it).
  public func bvUDiv(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvudiv)
  }

  /// Returns the unsigned remainder `a % b` (`a` when `b` is zero, as SMT-LIB defines it).
  public func bvURem(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvurem)
  }

  /// Returns the bitwise conjunction `a & b`.
  public func bvAnd(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvand)
  }

  /// Returns the bitwise disjunction `a | b`.
  public func bvOr(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvor)
  }

  /// Returns the bitwise exclusive or `a ^ b`.
  public func bvXor(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvxor)
  }

  /// Returns the bitwise complement `~a`.
  public func bvNot(_ a: Z3Expr) throws(Z3Error) -> Z3Expr {
    try unary(a, Z3_mk_bvnot)
  }

  /// Returns `a << b` (zero when `b` is at least the width).
  public func bvShl(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvshl)
  }

  /// Returns the logical right shift `a >> b` (zero when `b` is at least the width).
  public func bvLShr(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvlshr)
  }
}

// MARK: - Unsigned comparisons

extension Z3Context {
  /// Returns the formula `a < b`, unsigned.
  public func bvULT(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvult)
  }

  /// Returns the formula `a <= b`, unsigned.
  public func bvULE(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvule)
  }

  /// Returns the formula `a > b`, unsigned.
  public func bvUGT(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvugt)
  }

  /// Returns the formula `a >= b`, unsigned.
  public func bvUGE(_ a: Z3Expr, _ b: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(a, b, Z3_mk_bvuge)
  }
}

// MARK: - Width changes

extension Z3Context {
  /// Returns `a` widened by `extraBits` zero bits on the left (`extraBits` may be 0).
  public func zeroExtend(_ a: Z3Expr, by extraBits: Int) throws(Z3Error) -> Z3Expr {
    let count = try unsigned(extraBits, "zero-extension width")
    let x = own(a)
    return try makeExpr { Z3_mk_zero_ext($0, count, x) }
  }

  /// Returns bits `high` down to `low` (inclusive) of `a`, a bit-vector of `high - low + 1` bits.
  ///
  /// - Throws: ``Z3Error`` unless `0 <= low <= high < width(a)`.
  public func extract(_ a: Z3Expr, high: Int, low: Int) throws(Z3Error) -> Z3Expr {
    guard 0 <= low, low <= high, let h = UInt32(exactly: high) else {
      throw Z3Error(code: .invalidArgument, message: "cannot extract bits [\(high):\(low)]")
    }
    let (l, x) = (UInt32(low), own(a))
    do {
      return try makeExpr { Z3_mk_extract($0, h, l, x) }
    } catch {
      // Z3 only says "invalid extract application"; name the bounds and the width.
      let width = (try? a.sort.bitVectorWidth).map { "a \($0)-bit vector" } ?? "\(a)"
      throw Z3Error(
        code: error.code, message: "\(error.message): cannot extract bits [\(high):\(low)] of \(width)")
    }
  }

  /// Returns the concatenation of `high` (most significant bits) and `low`.
  public func concat(_ high: Z3Expr, _ low: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(high, low, Z3_mk_concat)
  }
}
