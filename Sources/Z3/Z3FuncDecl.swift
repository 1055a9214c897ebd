import CZ3

/// A Z3 function declaration: an uninterpreted function symbol with a domain and a range.
///
/// Declare one with ``Z3Context/function(named:domain:range:)`` or
/// ``Z3Context/freshFunction(prefix:domain:range:)`` and apply it with ``Z3Context/apply(_:_:)``
/// or by calling it: `try f(x, y)`.
public final class Z3FuncDecl: Hashable, CustomStringConvertible {
  /// The context that owns the declaration; kept alive by it.
  public let context: Z3Context
  /// The raw declaration; valid while this object is alive.
  let raw: Z3_func_decl

  /// Wraps a raw declaration of `context`, taking a reference to it.
  init(context: Z3Context, raw: Z3_func_decl) {
    self.context = context
    self.raw = raw
    Z3_inc_ref(context.raw, Z3_func_decl_to_ast(context.raw, raw))
  }

  deinit {
    Z3_dec_ref(context.raw, Z3_func_decl_to_ast(context.raw, raw))
  }

  /// The declared name.
  public var name: String {
    get throws(Z3Error) {
      let symbol = try context.nonNull { Z3_get_decl_name($0, raw) }
      return try context.string { Z3_get_symbol_string($0, symbol) }
    }
  }

  /// The number of arguments.
  public var arity: Int {
    get throws(Z3Error) { Int(try context.checked { Z3_get_arity($0, raw) }) }
  }

  /// The sort of the function's result.
  public var range: Z3Sort {
    get throws(Z3Error) {
      Z3Sort(context: context, raw: try context.nonNull { Z3_get_range($0, raw) })
    }
  }

  /// Applies the function to arguments; the same as ``Z3Context/apply(_:_:)``.
  ///
  /// - Throws: ``Z3Error`` if the number or sorts of the arguments do not match the declaration.
  public func callAsFunction(_ arguments: Z3Expr...) throws(Z3Error) -> Z3Expr {
    try context.apply(self, arguments)
  }

  /// The SMT-LIB2 rendering of the declaration.
  public var description: String {
    (try? context.string { Z3_func_decl_to_string($0, raw) }) ?? "<func_decl>"
  }

  /// Whether two handles denote the same declaration.
  public static func == (lhs: Z3FuncDecl, rhs: Z3FuncDecl) -> Bool { lhs.raw == rhs.raw }

  /// Hashes the declaration's identity.
  public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}
