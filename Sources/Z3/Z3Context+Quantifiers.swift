import CZ3

// MARK: - Quantifiers

extension Z3Context {
  /// Returns the formula `forall bound. body`, without patterns (Z3 infers triggers).
  ///
  /// Quantifying over no constants returns `body` itself.
  ///
  /// - Throws: ``Z3Error`` if a bound term is not a constant or `body` is not Boolean.
  public func forall(_ bound: [Z3Expr], _ body: Z3Expr) throws(Z3Error) -> Z3Expr {
    try quantifier(isForall: true, bound, body)
  }

  /// Returns the formula `exists bound. body`, without patterns.
  ///
  /// Quantifying over no constants returns `body` itself.
  ///
  /// - Throws: ``Z3Error`` if a bound term is not a constant or `body` is not Boolean.
  public func exists(_ bound: [Z3Expr], _ body: Z3Expr) throws(Z3Error) -> Z3Expr {
    try quantifier(isForall: false, bound, body)
  }

  /// Builds a quantifier over constants with `Z3_mk_forall_const` or `Z3_mk_exists_const`.
  private func quantifier(isForall: Bool, _ bound: [Z3Expr], _ body: Z3Expr) throws(Z3Error)
    -> Z3Expr
  {
    if bound.isEmpty { return body }
    let apps = try boundConstants(bound)
    let b = own(body)
    return try withExtendedLifetime(bound) { () throws(Z3Error) -> Z3Expr in
      try apps.withUnsafeBufferPointer { buffer throws(Z3Error) in
        let (count, base) = (UInt32(buffer.count), buffer.baseAddress)
        return try makeExpr {
          isForall
            ? Z3_mk_forall_const($0, 0, count, base, 0, nil, b)
            : Z3_mk_exists_const($0, 0, count, base, 0, nil, b)
        }
      }
    }
  }

  /// Converts bound terms to Z3 applications, checking that each is a constant (an application
  /// with no arguments); `Z3_to_app` itself does not check.
  func boundConstants(_ bound: [Z3Expr]) throws(Z3Error) -> [Z3_app?] {
    var apps: [Z3_app?] = []
    apps.reserveCapacity(bound.count)
    for variable in bound {
      let term = own(variable)
      guard try checked({ Z3_is_app($0, term) }) else {
        throw Z3Error(code: .invalidArgument, message: "bound term \(variable) is not a constant")
      }
      let app = try nonNull { Z3_to_app($0, term) }
      guard try checked({ Z3_get_app_num_args($0, app) }) == 0 else {
        throw Z3Error(code: .invalidArgument, message: "bound term \(variable) is not a constant")
      }
      apps.append(app)
    }
    return apps
  }
}
