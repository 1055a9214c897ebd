import CZ3

// MARK: - Arrays

extension Z3Context {
  /// Returns the element of `array` at `index`.
  ///
  /// - Throws: ``Z3Error`` if `array` is not an array or `index` is not of its domain sort.
  public func select(_ array: Z3Expr, _ index: Z3Expr) throws(Z3Error) -> Z3Expr {
    try binary(array, index, Z3_mk_select)
  }

  /// Returns `array` with the element at `index` replaced by `value`.
  ///
  /// - Throws: ``Z3Error`` if the sorts do not match the array's domain and range.
  public func store(_ array: Z3Expr, _ index: Z3Expr, _ value: Z3Expr) throws(Z3Error) -> Z3Expr {
    let (a, i, v) = (own(array), own(index), own(value))
    return try makeExpr { Z3_mk_store($0, a, i, v) }
  }

  /// Returns the array over `domain` whose every element is `value`.
  public func constArray(domain: Z3Sort, value: Z3Expr) throws(Z3Error) -> Z3Expr {
    let (d, v) = (own(domain), own(value))
    return try makeExpr { Z3_mk_const_array($0, d, v) }
  }

  /// Returns the array `lambda bound. body`: at index `bound` (one constant) or at the tuple
  /// of indices `bound` (several constants), its element is `body`.
  ///
  /// The bound constants are abstracted wherever they occur in `body`.
  ///
  /// - Throws: ``Z3Error`` if `bound` is empty or contains a term that is not a constant.
  public func lambda(_ bound: [Z3Expr], _ body: Z3Expr) throws(Z3Error) -> Z3Expr {
    guard !bound.isEmpty else {
      throw Z3Error(code: .invalidArgument, message: "a lambda needs at least one bound constant")
    }
    let apps = try boundConstants(bound)
    let b = own(body)
    return try withExtendedLifetime(bound) { () throws(Z3Error) -> Z3Expr in
      try apps.withUnsafeBufferPointer { buffer throws(Z3Error) in
        let (count, base) = (UInt32(buffer.count), buffer.baseAddress)
        return try makeExpr { Z3_mk_lambda_const($0, count, base, b) }
      }
    }
  }
}
