/// The concrete value of every state variable, parameter and expression in a model.
///
/// Values are unsigned 64-bit words. Booleans are 0 and 1, enumeration cases are their
/// architectural encodings, indices are ordinals. Arithmetic wraps modulo 2^64 and comparisons
/// are unsigned, which is exactly the semantics of 64-bit bit-vectors in Z3.
public typealias Value = UInt64

/// A finite set of labelled values: an enumeration with its real encodings, or a set of
/// interesting addresses.
///
/// Enumerations keep the specification's numeric encodings (GPI `NS` is `0x9`), so a trace shows
/// the architecture's numbers and a model reads like the specification's tables.
public struct FiniteSet: Hashable, Sendable, CustomStringConvertible {
  /// The name of the set, used in messages and traces (`GPI`, `PAS`, `PhysicalAddress`).
  public let name: String
  /// The label of each element, in declaration order.
  public let labels: [String]
  /// The value of each element, in declaration order; distinct.
  public let values: [Value]

  /// Creates a finite set from labelled values.
  ///
  /// - Precondition: labels and values have the same count, and values are distinct.
  public init(_ name: String, _ elements: [(String, Value)]) {
    self.name = name
    self.labels = elements.map(\.0)
    self.values = elements.map(\.1)
    precondition(Set(values).count == values.count, "duplicate value in finite set \(name)")
  }

  /// Creates an enumeration whose cases are numbered 0, 1, 2, … in order.
  public init(_ name: String, cases: [String]) {
    self.init(name, cases.enumerated().map { ($0.element, Value($0.offset)) })
  }

  /// The value of the element with the given label.
  ///
  /// - Precondition: the label exists. Model code uses this with literal labels.
  public func value(_ label: String) -> Value {
    guard let index = labels.firstIndex(of: label) else {
      preconditionFailure("\(name) has no element \(label); it has \(labels.joined(separator: ", "))")
    }
    return values[index]
  }

  /// The label of a value, or `nil` when the value is not an element.
  public func label(of value: Value) -> String? {
    values.firstIndex(of: value).map { labels[$0] }
  }

  public var description: String { name }
}

/// A named index sort: the values `0 ..< count`, such as the granules or the PEs of a
/// configuration.
///
/// The symbolic engine may treat an index sort as an uninterpreted sort for parametric proofs,
/// so a model should use index values only as keys and in equalities unless a sort is marked
/// `arithmetic`.
public struct IndexSort: Hashable, Sendable, CustomStringConvertible {
  /// The sort's name (`Granule`, `PE`).
  public let name: String
  /// The number of elements.
  public let count: Int
  /// Whether the model computes with indices of this sort (for example the descriptor word of granule `g` is `g / 16`).
  ///
  /// Such sorts cannot be made uninterpreted.
  public let arithmetic: Bool

  public init(_ name: String, count: Int, arithmetic: Bool = false) {
    self.name = name
    self.count = count
    self.arithmetic = arithmetic
  }

  public var description: String { "\(name)[\(count)]" }
}

/// The finite domain of a state variable, a parameter, or a map key.
public enum Domain: Hashable, Sendable, CustomStringConvertible {
  /// `false` (0) and `true` (1).
  case bool
  /// The integers `lower ... upper`.
  case range(Value, Value)
  /// The elements of a finite set (enumeration cases or chosen addresses).
  case finite(FiniteSet)
  /// The elements of an index sort, `0 ..< count`.
  case index(IndexSort)
  /// Every unsigned word of the given width (1 to 64 bits), such as a GPT descriptor.
  /// Not enumerable: such a domain may hold state but cannot be a parameter or a map key.
  case word(bits: Int)

  /// Whether `value` belongs to the domain.
  public func contains(_ value: Value) -> Bool {
    switch self {
    case .bool: return value <= 1
    case .range(let lower, let upper): return value >= lower && value <= upper
    case .finite(let set): return set.values.contains(value)
    case .index(let sort): return value < Value(sort.count)
    case .word(let bits): return bits >= 64 || value < (Value(1) << Value(bits))
    }
  }

  /// The number of elements, or `nil` for word domains, which are too large to enumerate.
  public var cardinality: Int? {
    switch self {
    case .bool: return 2
    case .range(let lower, let upper): return upper >= lower ? Int(upper - lower) + 1 : 0
    case .finite(let set): return set.values.count
    case .index(let sort): return sort.count
    case .word: return nil
    }
  }

  /// Every element in canonical order (the order ordinals count in), or `nil` for word domains.
  public var elements: [Value]? {
    switch self {
    case .bool: return [0, 1]
    case .range(let lower, let upper): return upper >= lower ? Array(lower...upper) : []
    case .finite(let set): return set.values
    case .index(let sort): return (0..<sort.count).map { Value($0) }
    case .word: return nil
    }
  }

  /// The position of `value` in `elements`, or `nil` when it is not an element.
  public func ordinal(of value: Value) -> Int? {
    switch self {
    case .bool: return value <= 1 ? Int(value) : nil
    case .range(let lower, let upper):
      return value >= lower && value <= upper ? Int(value - lower) : nil
    case .finite(let set): return set.values.firstIndex(of: value)
    case .index(let sort): return value < Value(sort.count) ? Int(value) : nil
    case .word: return nil
    }
  }

  /// The smallest number of bits that holds every element.
  public var bitWidth: Int {
    switch self {
    case .bool: return 1
    case .range(_, let upper): return Self.bits(for: upper)
    case .finite(let set): return Self.bits(for: set.values.max() ?? 0)
    case .index(let sort): return Self.bits(for: Value(max(sort.count - 1, 0)))
    case .word(let bits): return bits
    }
  }

  /// A readable rendering of a value of this domain: the label of a finite-set element, `true`
  /// or `false`, or the number (in hex for words).
  public func render(_ value: Value) -> String {
    switch self {
    case .bool: return value == 0 ? "false" : "true"
    case .finite(let set): return set.label(of: value) ?? "0x\(String(value, radix: 16))"
    case .word: return "0x\(String(value, radix: 16))"
    case .range, .index: return String(value)
    }
  }

  static func bits(for maxValue: Value) -> Int {
    maxValue == 0 ? 1 : 64 - maxValue.leadingZeroBitCount
  }

  public var description: String {
    switch self {
    case .bool: return "Bool"
    case .range(let lower, let upper): return "\(lower)...\(upper)"
    case .finite(let set): return set.name
    case .index(let sort): return sort.name
    case .word(let bits): return "Word\(bits)"
    }
  }
}
