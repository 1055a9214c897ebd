import CZ3

/// A Z3 context: the owner of every sort, term, solver and model built in it.
///
/// A context is created with `Z3_mk_context_rc` (manual reference counting) and its error
/// handler is disabled at once, so a failing call never makes Z3 call `exit`: the error is
/// recorded, and the wrapper turns it into a thrown ``Z3Error``. Terms are built with the
/// context's methods (`Z3Context+Sorts.swift`, `+Terms`, `+BitVectors`, `+Arrays`,
/// `+Quantifiers`, `+Functions`).
///
/// Every handle (``Z3Sort``, ``Z3Expr``, ``Z3FuncDecl``, ``Z3Solver``, ``Z3Model``, ``Z3Params``)
/// holds its context strongly, so the context is deleted only after the last handle is gone;
/// dropping your own reference to a context while its terms are alive is safe.
///
/// A context is not thread-safe and is deliberately not `Sendable`: use one context per thread
/// (or per task, or per test), and never mix handles from two contexts in one call (that is a
/// programming error and stops the process with a precondition failure).
public final class Z3Context {
  /// The raw context; valid for the lifetime of this object.
  let raw: Z3_context

  /// Creates a context with Z3's default configuration.
  ///
  /// Creation fails only if libz3 cannot allocate a context, which is treated as a fatal
  /// condition rather than a thrown error.
  public init() {
    guard let config = Z3_mk_config() else {
      preconditionFailure("Z3_mk_config returned null (out of memory)")
    }
    defer { Z3_del_config(config) }
    guard let context = Z3_mk_context_rc(config) else {
      preconditionFailure("Z3_mk_context_rc returned null (out of memory)")
    }
    // Immediately: the default handler prints the message and calls exit(1).
    Z3_set_error_handler(context, nil)
    raw = context
  }

  deinit {
    Z3_del_context(raw)
  }
}

// MARK: - The error-checking helper

extension Z3Context {
  /// Runs one Z3 call and throws if Z3 recorded an error for it.
  ///
  /// This is the single place where Z3 error codes become Swift errors. The closure must make
  /// exactly one Z3 call that can fail (most Z3 calls reset the error code on entry, so a second
  /// call would hide the first one's error).
  @inline(__always)
  func checked<T>(_ call: (Z3_context) -> T) throws(Z3Error) -> T {
    let result = call(raw)
    let code = Z3_get_error_code(raw)
    if code != Z3_OK {
      throw error(for: code)
    }
    return result
  }

  /// Runs one Z3 call that returns a handle, and throws if Z3 recorded an error or returned null.
  @inline(__always)
  func nonNull<T>(_ call: (Z3_context) -> T?) throws(Z3Error) -> T {
    guard let result = try checked(call) else {
      throw Z3Error(code: .nullResult, message: "Z3 returned a null handle without an error code")
    }
    return result
  }

  /// Builds the Swift error for a C error code, with Z3's message.
  func error(for code: Z3_error_code) -> Z3Error {
    let message = Z3_get_error_msg(raw, code).map { String(cString: $0) } ?? ""
    return Z3Error(code: Z3Error.Code(code), message: message.isEmpty ? "error \(code.rawValue)" : message)
  }

  /// Copies a string Z3 returned (valid only until the next Z3 call) into a Swift string.
  func string(_ call: (Z3_context) -> UnsafePointer<CChar>?) throws(Z3Error) -> String {
    String(cString: try nonNull(call))
  }

  /// Makes a Z3 symbol for a name (symbols are interned and not reference counted).
  func symbol(_ name: String) throws(Z3Error) -> Z3_symbol {
    try nonNull { Z3_mk_string_symbol($0, name) }
  }

  /// Converts a Swift count or index to Z3's `unsigned`, throwing if it does not fit.
  func unsigned(_ value: Int, _ what: String) throws(Z3Error) -> UInt32 {
    guard let result = UInt32(exactly: value) else {
      throw Z3Error(code: .invalidArgument, message: "\(what) \(value) is not a valid unsigned value")
    }
    return result
  }
}

// MARK: - Ownership checks and raw arrays

extension Z3Context {
  /// Returns the raw term of an expression after checking that it belongs to this context.
  @inline(__always)
  func own(_ expr: Z3Expr) -> Z3_ast {
    precondition(expr.context === self, "a Z3Expr from another Z3Context was passed to this one")
    return expr.raw
  }

  /// Returns the raw sort after checking that it belongs to this context.
  @inline(__always)
  func own(_ sort: Z3Sort) -> Z3_sort {
    precondition(sort.context === self, "a Z3Sort from another Z3Context was passed to this one")
    return sort.raw
  }

  /// Returns the raw declaration after checking that it belongs to this context.
  @inline(__always)
  func own(_ decl: Z3FuncDecl) -> Z3_func_decl {
    precondition(decl.context === self, "a Z3FuncDecl from another Z3Context was passed to this one")
    return decl.raw
  }

  /// Calls `body` with a temporary C array of the raw terms of `exprs` (no heap allocation for small arrays; `nil` when
  /// empty); the expressions stay alive for the duration of the call.
  ///
  /// The count cannot exceed `UInt32.max`: such an array could not be allocated.
  @inline(__always)
  func withRaw<R, E: Error>(
    _ exprs: [Z3Expr], _ body: (UInt32, UnsafePointer<Z3_ast?>?) throws(E) -> R
  ) throws(E) -> R {
    // withUnsafeTemporaryAllocation is `rethrows`, not typed: carry the error out in a Result.
    let result: Result<R, E> = withUnsafeTemporaryAllocation(
      of: Z3_ast?.self, capacity: exprs.count
    ) { buffer in
      for (index, expr) in exprs.enumerated() {
        buffer.initializeElement(at: index, to: own(expr))
      }
      defer { buffer.deinitialize() }
      return withExtendedLifetime(exprs) {
        Result { () throws(E) -> R in
          try body(UInt32(truncatingIfNeeded: exprs.count), buffer.baseAddress.map { UnsafePointer($0) })
        }
      }
    }
    return try result.get()
  }

  /// Calls `body` with a temporary C array of the raw sorts of `sorts`.
  @inline(__always)
  func withRaw<R, E: Error>(
    _ sorts: [Z3Sort], _ body: (UInt32, UnsafePointer<Z3_sort?>?) throws(E) -> R
  ) throws(E) -> R {
    // withUnsafeTemporaryAllocation is `rethrows`, not typed: carry the error out in a Result.
    let result: Result<R, E> = withUnsafeTemporaryAllocation(
      of: Z3_sort?.self, capacity: sorts.count
    ) { buffer in
      for (index, sort) in sorts.enumerated() {
        buffer.initializeElement(at: index, to: own(sort))
      }
      defer { buffer.deinitialize() }
      return withExtendedLifetime(sorts) {
        Result { () throws(E) -> R in
          try body(UInt32(truncatingIfNeeded: sorts.count), buffer.baseAddress.map { UnsafePointer($0) })
        }
      }
    }
    return try result.get()
  }

  /// Reads a Z3 AST vector into expressions, managing the vector's own reference count.
  func expressions(of vector: Z3_ast_vector) throws(Z3Error) -> [Z3Expr] {
    try checked { Z3_ast_vector_inc_ref($0, vector) }
    defer { Z3_ast_vector_dec_ref(raw, vector) }
    let count = try checked { Z3_ast_vector_size($0, vector) }
    var result: [Z3Expr] = []
    result.reserveCapacity(Int(count))
    for index in 0..<count {
      let element = try nonNull { Z3_ast_vector_get($0, vector, index) }
      result.append(Z3Expr(context: self, raw: element))
    }
    return result
  }
}
