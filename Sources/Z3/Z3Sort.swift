import CZ3

/// A Z3 sort (type): Boolean, bit-vector of some width, array, or uninterpreted.
///
/// Create sorts with ``Z3Context/boolSort()``, ``Z3Context/bitVectorSort(width:)``,
/// ``Z3Context/arraySort(domain:range:)`` and ``Z3Context/uninterpretedSort(named:)``.
/// Sorts are hash-consed by Z3, so two sorts are `==` exactly when they are the same sort of the
/// same context.
public final class Z3Sort: Hashable, CustomStringConvertible {
  /// The kind of a sort, as far as this wrapper distinguishes them.
  public enum Kind: Hashable, Sendable {
    /// The Boolean sort.
    case bool
    /// A bit-vector sort; see ``Z3Sort/bitVectorWidth``.
    case bitVector
    /// An array sort; see ``Z3Sort/arrayDomain`` and ``Z3Sort/arrayRange``.
    case array
    /// An uninterpreted sort.
    case uninterpreted
    /// Any other sort (integers, reals, datatypes, ...), which this wrapper does not construct.
    case other
  }

  /// The context that owns the sort; kept alive by it.
  public let context: Z3Context
  /// The raw sort; valid while this object is alive.
  let raw: Z3_sort

  /// Wraps a raw sort of `context`, taking a reference to it.
  init(context: Z3Context, raw: Z3_sort) {
    self.context = context
    self.raw = raw
    Z3_inc_ref(context.raw, Z3_sort_to_ast(context.raw, raw))
  }

  deinit {
    Z3_dec_ref(context.raw, Z3_sort_to_ast(context.raw, raw))
  }

  /// The kind of this sort.
  public var kind: Kind {
    get throws(Z3Error) {
      switch try context.checked({ Z3_get_sort_kind($0, raw) }) {
      case Z3_BOOL_SORT: .bool
      case Z3_BV_SORT: .bitVector
      case Z3_ARRAY_SORT: .array
      case Z3_UNINTERPRETED_SORT: .uninterpreted
      default: .other
      }
    }
  }

  /// The width of a bit-vector sort, in bits.
  ///
  /// - Throws: ``Z3Error`` if the sort is not a bit-vector sort.
  public var bitVectorWidth: Int {
    get throws(Z3Error) {
      guard try kind == .bitVector else {
        throw Z3Error(code: .sortError, message: "\(self) is not a bit-vector sort")
      }
      return Int(try context.checked { Z3_get_bv_sort_size($0, raw) })
    }
  }

  /// The index sort of an array sort.
  ///
  /// - Throws: ``Z3Error`` if the sort is not an array sort.
  public var arrayDomain: Z3Sort {
    get throws(Z3Error) {
      Z3Sort(context: context, raw: try context.nonNull { Z3_get_array_sort_domain($0, raw) })
    }
  }

  /// The element sort of an array sort.
  ///
  /// - Throws: ``Z3Error`` if the sort is not an array sort.
  public var arrayRange: Z3Sort {
    get throws(Z3Error) {
      Z3Sort(context: context, raw: try context.nonNull { Z3_get_array_sort_range($0, raw) })
    }
  }

  /// The sort's name, for example `Bool`, `bv` or the name of an uninterpreted sort.
  public var name: String {
    get throws(Z3Error) {
      let symbol = try context.nonNull { Z3_get_sort_name($0, raw) }
      return try context.string { Z3_get_symbol_string($0, symbol) }
    }
  }

  /// The SMT-LIB2 rendering of the sort, for example `(_ BitVec 8)`.
  public var description: String {
    (try? context.string { Z3_sort_to_string($0, raw) }) ?? "<sort>"
  }

  /// Whether two handles denote the same sort (Z3 hash-conses sorts within a context).
  public static func == (lhs: Z3Sort, rhs: Z3Sort) -> Bool { lhs.raw == rhs.raw }

  /// Hashes the sort's identity.
  public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}
