import CZ3

// MARK: - Uninterpreted functions

extension Z3Context {
  /// Declares the uninterpreted function `name : domain -> range`.
  ///
  /// The same name and signature always give the same function.
  public func function(named name: String, domain: [Z3Sort], range: Z3Sort) throws(Z3Error)
    -> Z3FuncDecl
  {
    let symbol = try symbol(name)
    let r = own(range)
    let decl = try withRaw(domain) { count, sorts throws(Z3Error) in
      try nonNull { Z3_mk_func_decl($0, symbol, count, sorts, r) }
    }
    return Z3FuncDecl(context: self, raw: decl)
  }

  /// Declares a new uninterpreted function `domain -> range`, distinct from every other, whose
  /// name starts with `prefix`.
  public func freshFunction(prefix: String, domain: [Z3Sort], range: Z3Sort) throws(Z3Error)
    -> Z3FuncDecl
  {
    let r = own(range)
    let decl = try withRaw(domain) { count, sorts throws(Z3Error) in
      try nonNull { Z3_mk_fresh_func_decl($0, prefix, count, sorts, r) }
    }
    return Z3FuncDecl(context: self, raw: decl)
  }

  /// Returns the application `function(arguments...)`.
  ///
  /// - Throws: ``Z3Error`` if the number or sorts of the arguments do not match the declaration.
  public func apply(_ function: Z3FuncDecl, _ arguments: [Z3Expr]) throws(Z3Error) -> Z3Expr {
    let f = own(function)
    return try withRaw(arguments) { count, args throws(Z3Error) in
      try makeExpr { Z3_mk_app($0, f, count, args) }
    }
  }
}
