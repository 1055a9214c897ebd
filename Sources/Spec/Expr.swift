import Synchronization

/// A reference to a state variable of a model: its position in `Model.variables`.
public struct VariableID: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let index: Int
  public init(_ index: Int) { self.index = index }
  public static func < (a: Self, b: Self) -> Bool { a.index < b.index }
  public var description: String { "v\(index)" }
}

/// A variable bound by a quantifier or by a whole-map update; unique within a process.
public struct BoundVariable: Hashable, Sendable, CustomStringConvertible {
  public let id: Int
  public let domain: Domain

  private static let counter = Atomic<Int>(0)

  /// Creates a fresh bound variable over a domain.
  public init(_ domain: Domain) {
    self.id = Self.counter.add(1, ordering: .relaxed).newValue
    self.domain = domain
  }

  public var description: String { "b\(id)" }

  /// Hashes the id alone: ids are unique within a process, so this agrees with `==` and avoids
  /// hashing the domain's names at every occurrence.
  public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// Unary operators of the IR.
public enum UnaryOperator: String, Hashable, Sendable {
  /// Boolean negation.
  case not
  /// Bitwise complement of a 64-bit value.
  case bitNot
}

/// Binary operators of the IR.
///
/// Arithmetic wraps modulo 2^64; comparisons are unsigned.
public enum BinaryOperator: String, Hashable, Sendable {
  case eq, ne, lt, le, gt, ge
  case add, sub, mul, div, mod
  case bitAnd, bitOr, bitXor, shiftLeft, shiftRight
  case implies

  /// Whether the operator yields a boolean.
  public var isPredicate: Bool {
    switch self {
    case .eq, .ne, .lt, .le, .gt, .ge, .implies: return true
    default: return false
    }
  }
}

/// Quantifiers over a finite domain.
public enum Quantifier: String, Hashable, Sendable { case forAll, exists }

/// An expression of the modelling language: an inspectable tree that both engines compile.
///
/// The concrete engine compiles an expression once into closures over packed states; the
/// symbolic engine compiles the same tree into Z3 terms. Expressions are either boolean or
/// 64-bit valued; ``Model/validate()`` checks that every operator gets the kind it needs.
///
/// Division and remainder by zero yield all ones and the dividend, as in SMT-LIB bit-vectors,
/// so both engines agree on every input.
public indirect enum Expr: Hashable, Sendable {
  /// A 64-bit constant.
  case literal(Value)
  /// A boolean constant.
  case boolean(Bool)
  /// The value of a state variable; `keys` is empty for a scalar and has one expression per key
  /// for a map.
  case read(VariableID, keys: [Expr])
  /// The action parameter at the given position.
  case parameter(Int)
  /// A bound variable of an enclosing quantifier or whole-map update.
  case bound(BoundVariable)
  case unary(UnaryOperator, Expr)
  case binary(BinaryOperator, Expr, Expr)
  /// Conjunction of any number of booleans (true when empty).
  case and([Expr])
  /// Disjunction of any number of booleans (false when empty).
  case or([Expr])
  /// `condition ? then : else`, where both branches have the same kind.
  case ite(Expr, Expr, Expr)
  /// A quantifier over the elements of the bound variable's domain.
  case quantified(Quantifier, BoundVariable, Expr)
  /// A local definition: `body` with the bound variable standing for `value` (`LET` in TLA+,
  /// `val` in Quint). The value is evaluated once, before the body; the variable's domain
  /// gives its kind (`.bool` for a boolean, a word domain for a value). Build with
  /// ``local(_:_:in:)``.
  ///
  /// The IR is a tree, so a subexpression used many times is copied as many times: a
  /// definition keeps a large shared subexpression (an RTT walk) from being copied into every
  /// use, which is what keeps the model's IR, and both engines' compiled forms, small.
  case local(BoundVariable, value: Expr, body: Expr)
}

// MARK: - Building expressions

extension Expr: ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
  public init(integerLiteral value: UInt64) { self = .literal(value) }
  public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

extension Expr {
  public func eq(_ other: Expr) -> Expr { .binary(.eq, self, other) }
  public func ne(_ other: Expr) -> Expr { .binary(.ne, self, other) }
  public func lt(_ other: Expr) -> Expr { .binary(.lt, self, other) }
  public func le(_ other: Expr) -> Expr { .binary(.le, self, other) }
  public func gt(_ other: Expr) -> Expr { .binary(.gt, self, other) }
  public func ge(_ other: Expr) -> Expr { .binary(.ge, self, other) }
  /// `self → other`.
  public func implies(_ other: Expr) -> Expr { .binary(.implies, self, other) }
  /// Whether the value is one of `values`.
  public func isOne(of values: [Expr]) -> Expr { .or(values.map { self.eq($0) }) }
  /// Bits `[low + width - 1 : low]` of the value, shifted down.
  public func bits(_ low: Expr, width: Int) -> Expr {
    let mask: Value = width >= 64 ? ~0 : (Value(1) << Value(width)) - 1
    return .binary(.bitAnd, .binary(.shiftRight, self, low), .literal(mask))
  }
  /// The value with bits `[low + width - 1 : low]` replaced by `field`.
  public func withBits(_ low: Expr, width: Int, _ field: Expr) -> Expr {
    let mask: Value = width >= 64 ? ~0 : (Value(1) << Value(width)) - 1
    let cleared = Expr.binary(
      .bitAnd, self, .unary(.bitNot, .binary(.shiftLeft, .literal(mask), low)))
    return .binary(.bitOr, cleared, .binary(.shiftLeft, .binary(.bitAnd, field, .literal(mask)), low))
  }

  public static func + (a: Expr, b: Expr) -> Expr { .binary(.add, a, b) }
  public static func - (a: Expr, b: Expr) -> Expr { .binary(.sub, a, b) }
  public static func * (a: Expr, b: Expr) -> Expr { .binary(.mul, a, b) }
  public static func / (a: Expr, b: Expr) -> Expr { .binary(.div, a, b) }
  public static func % (a: Expr, b: Expr) -> Expr { .binary(.mod, a, b) }
  public static func & (a: Expr, b: Expr) -> Expr { .binary(.bitAnd, a, b) }
  public static func | (a: Expr, b: Expr) -> Expr { .binary(.bitOr, a, b) }
  public static func ^ (a: Expr, b: Expr) -> Expr { .binary(.bitXor, a, b) }
  public static func << (a: Expr, b: Expr) -> Expr { .binary(.shiftLeft, a, b) }
  public static func >> (a: Expr, b: Expr) -> Expr { .binary(.shiftRight, a, b) }
  public static prefix func ~ (a: Expr) -> Expr { .unary(.bitNot, a) }

  public static func && (a: Expr, b: Expr) -> Expr {
    switch (a, b) {
    case (.boolean(true), _): return b
    case (_, .boolean(true)): return a
    case (.and(let x), .and(let y)): return .and(x + y)
    case (.and(let x), _): return .and(x + [b])
    default: return .and([a, b])
    }
  }
  public static func || (a: Expr, b: Expr) -> Expr {
    switch (a, b) {
    case (.boolean(false), _): return b
    case (_, .boolean(false)): return a
    case (.or(let x), .or(let y)): return .or(x + y)
    case (.or(let x), _): return .or(x + [b])
    default: return .or([a, b])
    }
  }
  public static prefix func ! (a: Expr) -> Expr {
    if case .boolean(let b) = a { return .boolean(!b) }
    return .unary(.not, a)
  }

  /// `condition ? a : b`.
  public static func ite(_ condition: Expr, then a: Expr, else b: Expr) -> Expr {
    .ite(condition, a, b)
  }

  /// `body(v)` where `v` stands for `value`, evaluated once.
  ///
  /// `kind` is the value's kind; a constant or a bare variable is substituted directly (see
  /// ``Expr/local(_:value:body:)``).
  public static func local(_ value: Expr, _ kind: ExprKind = .value, in body: (Expr) -> Expr) -> Expr {
    switch value {
    case .literal, .boolean, .parameter, .bound: return body(value)
    default: break
    }
    let variable = BoundVariable(kind == .boolean ? .bool : .word(bits: 64))
    return .local(variable, value: value, body: body(.bound(variable)))
  }

  /// A universally quantified formula over the elements of a domain.
  public static func forAll(_ domain: Domain, _ body: (Expr) -> Expr) -> Expr {
    let variable = BoundVariable(domain)
    return .quantified(.forAll, variable, body(.bound(variable)))
  }

  /// An existentially quantified formula over the elements of a domain.
  public static func exists(_ domain: Domain, _ body: (Expr) -> Expr) -> Expr {
    let variable = BoundVariable(domain)
    return .quantified(.exists, variable, body(.bound(variable)))
  }
}

// MARK: - Hashing

extension Expr {
  /// The number of nodes, in preorder, that ``hash(into:)`` looks at.
  static let hashedNodeBudget = 32

  /// Hashes the first `hashedNodeBudget` nodes of the tree in preorder (operators, payloads
  /// and child counts), not the whole tree.
  ///
  /// Equal expressions have equal prefixes, so this agrees with the synthesized `==`. The
  /// synthesized hash walked the whole subtree, and the compilers look up every node of an
  /// expression in a dictionary keyed by expressions: at the architecture's geometry (runs of
  /// 512 RTT entries) that was quadratic in the expressions' depth and dominated building a
  /// model. Expressions that share their first nodes collide and are told apart by `==`.
  public func hash(into hasher: inout Hasher) {
    var budget = Self.hashedNodeBudget
    hashPrefix(into: &hasher, budget: &budget)
  }

  private func hashPrefix(into hasher: inout Hasher, budget: inout Int) {
    guard budget > 0 else { return }
    budget -= 1
    switch self {
    case .literal(let v):
      hasher.combine(0 as UInt8)
      hasher.combine(v)
    case .boolean(let b):
      hasher.combine(1 as UInt8)
      hasher.combine(b)
    case .read(let id, let keys):
      hasher.combine(2 as UInt8)
      hasher.combine(id)
      hasher.combine(keys.count)
    case .parameter(let i):
      hasher.combine(3 as UInt8)
      hasher.combine(i)
    case .bound(let variable):
      hasher.combine(4 as UInt8)
      hasher.combine(variable)
    case .unary(let op, _):
      hasher.combine(5 as UInt8)
      hasher.combine(op)
    case .binary(let op, _, _):
      hasher.combine(6 as UInt8)
      hasher.combine(op)
    case .and(let xs):
      hasher.combine(7 as UInt8)
      hasher.combine(xs.count)
    case .or(let xs):
      hasher.combine(8 as UInt8)
      hasher.combine(xs.count)
    case .ite:
      hasher.combine(9 as UInt8)
    case .quantified(let q, let variable, _):
      hasher.combine(10 as UInt8)
      hasher.combine(q)
      hasher.combine(variable)
    case .local(let variable, _, _):
      hasher.combine(11 as UInt8)
      hasher.combine(variable)
    }
    for child in children {
      guard budget > 0 else { return }
      child.hashPrefix(into: &hasher, budget: &budget)
    }
  }
}

// MARK: - Traversal

extension Expr {
  /// The direct subexpressions, in evaluation order.
  public var children: [Expr] {
    switch self {
    case .literal, .boolean, .parameter, .bound: return []
    case .read(_, let keys): return keys
    case .unary(_, let a): return [a]
    case .binary(_, let a, let b): return [a, b]
    case .and(let xs), .or(let xs): return xs
    case .ite(let c, let a, let b): return [c, a, b]
    case .quantified(_, _, let body): return [body]
    case .local(_, let value, let body): return [value, body]
    }
  }

  /// Calls `visit` on this expression and every subexpression, parents first.
  public func forEachNode(_ visit: (Expr) -> Void) {
    visit(self)
    for child in children { child.forEachNode(visit) }
  }

  /// The state variables the expression reads.
  public var variablesRead: Set<VariableID> {
    var result: Set<VariableID> = []
    forEachNode { if case .read(let v, _) = $0 { result.insert(v) } }
    return result
  }
}
