import CZ3

/// A Z3 term (AST): a Boolean formula, a bit-vector or array term, a quantifier or a lambda.
///
/// Build expressions with the methods of ``Z3Context``. Each expression references its Z3 term
/// (`Z3_inc_ref` on creation, `Z3_dec_ref` on deinit) and holds its context strongly.
///
/// `==` and hashing are *structural identity*: Z3 hash-conses terms within a context, so two
/// handles are equal exactly when they denote the same term. That makes expressions usable as
/// dictionary keys (e.g. for caches). To build the SMT equation `a = b`, use
/// ``Z3Context/eq(_:_:)``.
public final class Z3Expr: Hashable, CustomStringConvertible {
  /// The context that owns the term; kept alive by it.
  public let context: Z3Context
  /// The raw term; valid while this object is alive.
  let raw: Z3_ast

  /// Wraps a raw term of `context`, taking a reference to it.
  init(context: Z3Context, raw: Z3_ast) {
    self.context = context
    self.raw = raw
    Z3_inc_ref(context.raw, raw)
  }

  deinit {
    Z3_dec_ref(context.raw, raw)
  }

  /// The sort of the term.
  public var sort: Z3Sort {
    get throws(Z3Error) {
      Z3Sort(context: context, raw: try context.nonNull { Z3_get_sort($0, raw) })
    }
  }

  /// A number identifying the term uniquely within its context while it is alive (`Z3_get_ast_id`).
  public var id: UInt32 {
    Z3_get_ast_id(context.raw, raw)
  }

  /// The value of the term if it is the literal `true` or `false`, otherwise `nil`.
  public var boolLiteral: Bool? {
    get throws(Z3Error) {
      switch try context.checked({ Z3_get_bool_value($0, raw) }) {
      case Z3_L_TRUE: true
      case Z3_L_FALSE: false
      default: nil
      }
    }
  }

  /// The value of the term if it is a numeral that fits in 64 bits, otherwise `nil`.
  ///
  /// Tries `Z3_get_numeral_uint64` first and falls back to parsing the decimal rendering
  /// (`Z3_get_numeral_string`), so the whole unsigned 64-bit range is covered.
  public var numeralValue: UInt64? {
    get throws(Z3Error) {
      guard try context.checked({ Z3_is_numeral_ast($0, raw) }) else { return nil }
      var value: UInt64 = 0
      if try context.checked({ Z3_get_numeral_uint64($0, raw, &value) }) {
        return value
      }
      return UInt64(try context.string { Z3_get_numeral_string($0, raw) })
    }
  }

  /// The SMT-LIB2 rendering of the term (`Z3_ast_to_string`); meant for debugging.
  public var description: String {
    (try? context.string { Z3_ast_to_string($0, raw) }) ?? "<expr>"
  }

  /// Whether two handles denote the same term (structural identity, not an SMT equation).
  public static func == (lhs: Z3Expr, rhs: Z3Expr) -> Bool { lhs.raw == rhs.raw }

  /// Hashes the term's identity.
  public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}
