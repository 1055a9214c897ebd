import Spec

// MARK: - Compiled closures

/// What a compiled expression reads: the packed pre-state, the action's arguments, and the
/// values of bound variables (one slot per quantifier or whole-map update of the model).
struct EvalContext {
  let state: UnsafePointer<UInt64>
  let args: UnsafePointer<UInt64>
  let bound: UnsafeMutablePointer<UInt64>
}

/// A compiled expression: booleans are 0 and 1.
typealias Eval = @Sendable (EvalContext) throws -> Value
/// A compiled effect: reads the context's pre-state, writes the post-state.
typealias Exec = @Sendable (EvalContext, UnsafeMutablePointer<UInt64>) throws -> Void

/// A compiled expression in a struct, so arrays of them keep the closure's natural calling
/// convention (an array of bare closures stores them reabstracted, and calling one goes
/// through a thunk).
struct EvalBox: Sendable {
  let eval: Eval
}

/// A compiled effect in a struct, for the same reason as ``EvalBox``.
struct ExecBox: Sendable {
  let exec: Exec
}

/// A compiled expression and, when it reads nothing, its constant value.
struct CompiledExpr {
  let eval: Eval
  let constant: Value?

  static func constant(_ v: Value) -> CompiledExpr { CompiledExpr(eval: { _ in v }, constant: v) }
  static func dynamic(_ f: @escaping Eval) -> CompiledExpr { CompiledExpr(eval: f, constant: nil) }
}

// MARK: - Semantics shared by folding and evaluation

/// The value semantics of the IR's operators, exactly as in SMT-LIB bit-vectors.
enum Semantics {
  @inline(__always) static func bool(_ b: Bool) -> Value { b ? 1 : 0 }
  @inline(__always) static func div(_ a: Value, _ b: Value) -> Value { b == 0 ? ~0 : a / b }
  @inline(__always) static func mod(_ a: Value, _ b: Value) -> Value { b == 0 ? a : a % b }
  @inline(__always) static func shl(_ a: Value, _ b: Value) -> Value { b >= 64 ? 0 : a &<< b }
  @inline(__always) static func shr(_ a: Value, _ b: Value) -> Value { b >= 64 ? 0 : a &>> b }

  static func apply(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Value {
    switch op {
    case .eq: return bool(a == b)
    case .ne: return bool(a != b)
    case .lt: return bool(a < b)
    case .le: return bool(a <= b)
    case .gt: return bool(a > b)
    case .ge: return bool(a >= b)
    case .add: return a &+ b
    case .sub: return a &- b
    case .mul: return a &* b
    case .div: return div(a, b)
    case .mod: return mod(a, b)
    case .bitAnd: return a & b
    case .bitOr: return a | b
    case .bitXor: return a ^ b
    case .shiftLeft: return shl(a, b)
    case .shiftRight: return shr(a, b)
    case .implies: return bool(a == 0 || b != 0)
    }
  }
}

@inline(never)
func keyError(_ location: String, _ variable: String, _ position: Int, _ domain: Domain, _ value: Value)
  -> ExploreError
{
  .modelRuntime(
    location: location,
    message: "key \(position + 1) of \(variable) is \(value), outside its key domain \(domain)")
}

@inline(never)
func valueError(_ location: String, _ variable: String, _ domain: Domain, _ value: Value) -> ExploreError {
  .modelRuntime(
    location: location,
    message: "assigns \(value) to \(variable), outside its domain \(domain)")
}

// MARK: - Compiler

/// Compiles the IR of one model into closures over packed states, once.
final class ExprCompiler {
  let model: Model
  let layout: PackedLayout
  let keyOrdinals: [[KeyOrdinal]]
  /// The bound-variable slot of each bound variable id.
  private(set) var boundSlots: [Int: Int] = [:]
  /// Where the expressions being compiled live, for runtime error messages.
  var location = ""
  /// Parameter-only subexpressions of the action being compiled and the argument slot each
  /// one's value is stored in (see ``CompiledAction/derived``).
  var derived: [Expr: Int] = [:]
  /// Every value each argument slot (parameter or derived value) of the action being compiled
  /// takes over its argument tuples, when they are few enough to list: a map key read from
  /// such a slot is validated here, once, instead of on every read.
  var argumentValues: [Int: [Value]] = [:]

  init(model: Model, layout: PackedLayout, arena: Arena) {
    self.model = model
    self.layout = layout
    self.keyOrdinals = model.variables.map { $0.keys.map { KeyOrdinal($0, arena: arena) } }
  }

  var boundCount: Int { boundSlots.count }

  func slot(_ variable: BoundVariable) -> Int {
    if let s = boundSlots[variable.id] { return s }
    let s = boundSlots.count
    boundSlots[variable.id] = s
    return s
  }

  func compile(_ expr: Expr) -> Eval { node(expr).eval }

  /// Compiles with constant folding: a subtree that reads no state, parameter or bound
  /// variable becomes its value.
  func node(_ expr: Expr) -> CompiledExpr {
    if !derived.isEmpty, let slot = derived[expr] { return .dynamic { c in c.args[slot] } }
    switch expr {
    case .literal(let v): return .constant(v)
    case .boolean(let b): return .constant(b ? 1 : 0)
    case .parameter(let i): return .dynamic { c in c.args[i] }
    case .bound(let b):
      let s = slot(b)
      return .dynamic { c in c.bound[s] }
    case .read(let id, let keys): return .dynamic(read(id, keys: keys))
    case .unary(let op, let a):
      let x = node(a)
      let complement: Value = op == .not ? 1 : ~0
      if let k = x.constant { return .constant(k ^ complement) }
      let f = x.eval
      return .dynamic { c in try f(c) ^ complement }
    case .binary(let op, let a, let b):
      if op == .eq || op == .ne {
        if let fused = fusedCompare(op, a, b) ?? fusedCompare(op, b, a) { return fused }
      }
      return binary(op, node(a), node(b))
    case .and(let xs): return junction(xs.map(node), isAnd: true)
    case .or(let xs): return junction(xs.map(node), isAnd: false)
    case .ite(let cond, let a, let b):
      let (x, y, z) = (node(cond), node(a), node(b))
      if let k = x.constant { return k != 0 ? y : z }
      let (fc, fa, fb) = (x.eval, y.eval, z.eval)
      return .dynamic { c in try fc(c) != 0 ? try fa(c) : try fb(c) }
    case .quantified(let q, let variable, let body):
      if let unrolled = Self.unrolled(q, variable, body) { return node(unrolled) }
      let s = slot(variable)
      let elements = variable.domain.elements ?? []
      let f = node(body).eval
      switch q {
      case .forAll:
        return .dynamic { c in
          for e in elements {
            c.bound[s] = e
            if try f(c) == 0 { return 0 }
          }
          return 1
        }
      case .exists:
        return .dynamic { c in
          for e in elements {
            c.bound[s] = e
            if try f(c) != 0 { return 1 }
          }
          return 0
        }
      }
    case .local(let variable, let value, let body):
      let s = slot(variable)
      let v = node(value)
      let fb = node(body).eval
      if let k = v.constant {
        return .dynamic { c in
          c.bound[s] = k
          return try fb(c)
        }
      }
      let fv = v.eval
      return .dynamic { c in
        c.bound[s] = try fv(c)
        return try fb(c)
      }
    }
  }

  // MARK: Quantifiers over small domains

  /// The most elements a quantifier is unrolled over, and the most IR nodes its unrolled form
  /// may have.
  static let unrollElements = 8
  static let unrollNodes = 4096

  /// A quantifier over a small domain as the conjunction (`forAll`) or disjunction (`exists`)
  /// of its body with the bound variable replaced by each element, in domain order, or `nil`
  /// when the domain or the unrolled body is too large.
  ///
  /// The semantics are the loop's: the bodies are boolean (validated), evaluated in the same
  /// order and short-circuited at the same element, so values and errors are the same. What it
  /// buys: a map read keyed by the bound variable becomes a read at a key known when the model
  /// is compiled (a fixed bit position), with no bound-variable slot written or read.
  static func unrolled(_ q: Quantifier, _ variable: BoundVariable, _ body: Expr) -> Expr? {
    guard let elements = variable.domain.elements, elements.count <= unrollElements else { return nil }
    guard let size = unrolledSize(body, limit: unrollNodes), size * max(elements.count, 1) <= unrollNodes else {
      return nil
    }
    let parts = elements.map { substitute(body, variable, $0) }
    return q == .forAll ? .and(parts) : .or(parts)
  }

  /// The node count of an expression once its unrollable quantifiers are unrolled, or `nil`
  /// above `limit`.
  private static func unrolledSize(_ e: Expr, limit: Int) -> Int? {
    var total = 1
    if case .quantified(_, let v, let body) = e {
      guard let inner = unrolledSize(body, limit: limit) else { return nil }
      let n = v.domain.elements?.count ?? Int.max
      total += n <= unrollElements ? inner * max(n, 1) : inner
      return total <= limit ? total : nil
    }
    for child in e.children {
      guard let size = unrolledSize(child, limit: limit) else { return nil }
      total += size
      if total > limit { return nil }
    }
    return total
  }

  /// `e` with every free occurrence of `variable` replaced by the literal `value`.
  static func substitute(_ e: Expr, _ variable: BoundVariable, _ value: Value) -> Expr {
    func s(_ x: Expr) -> Expr { substitute(x, variable, value) }
    switch e {
    case .bound(let b): return b == variable ? .literal(value) : e
    case .literal, .boolean, .parameter: return e
    case .read(let id, let keys): return .read(id, keys: keys.map(s))
    case .unary(let op, let a): return .unary(op, s(a))
    case .binary(let op, let a, let b): return .binary(op, s(a), s(b))
    case .and(let xs): return .and(xs.map(s))
    case .or(let xs): return .or(xs.map(s))
    case .ite(let c, let a, let b): return .ite(s(c), s(a), s(b))
    case .quantified(let q, let b, let body): return b == variable ? e : .quantified(q, b, s(body))
    case .local(let b, let x, let body): return .local(b, value: s(x), body: b == variable ? body : s(body))
    }
  }

  private func junction(_ parts: [CompiledExpr], isAnd: Bool) -> CompiledExpr {
    // Short-circuit value: `and` stops at 0, `or` at 1.
    let stop: Value = isAnd ? 0 : 1
    var dynamic: [EvalBox] = []
    for p in parts {
      if let k = p.constant {
        if k == stop {
          // Later parts are never evaluated; earlier ones still are (they may raise errors).
          if dynamic.isEmpty { return .constant(stop) }
          dynamic.append(EvalBox(eval: { _ in stop }))
          break
        }
        continue  // a neutral constant
      }
      dynamic.append(EvalBox(eval: p.eval))
    }
    switch dynamic.count {
    case 0: return .constant(stop ^ 1)
    case 1: return .dynamic(dynamic[0].eval)
    case 2:
      let (a, b) = (dynamic[0].eval, dynamic[1].eval)
      return isAnd
        ? .dynamic { c in try a(c) == 0 ? 0 : try b(c) }
        : .dynamic { c in try a(c) != 0 ? 1 : try b(c) }
    case 3:
      let (a, b, d) = (dynamic[0].eval, dynamic[1].eval, dynamic[2].eval)
      return isAnd
        ? .dynamic { c in try a(c) == 0 ? 0 : try b(c) == 0 ? 0 : try d(c) }
        : .dynamic { c in try a(c) != 0 ? 1 : try b(c) != 0 ? 1 : try d(c) }
    default:
      // Nested closures, not a loop over an array: calling a captured closure retains
      // nothing, reading one out of an array retains and releases it on every call.
      var rest = dynamic[dynamic.count - 1].eval
      for box in dynamic.dropLast().reversed() {
        let f: Eval = box.eval
        let tail: Eval = rest
        if isAnd {
          rest = { c in try f(c) == 0 ? 0 : try tail(c) }
        } else {
          rest = { c in try f(c) != 0 ? 1 : try tail(c) }
        }
      }
      return .dynamic(rest)
    }
  }

  // MARK: Binary operators

  private func binary(_ op: BinaryOperator, _ x: CompiledExpr, _ y: CompiledExpr) -> CompiledExpr {
    if let a = x.constant, let b = y.constant { return .constant(Semantics.apply(op, a, b)) }
    let fa = x.eval
    if op == .implies {
      if let a = x.constant { return a == 0 ? .constant(1) : y }
      let fb = y.eval
      return .dynamic { c in try fa(c) == 0 ? 1 : try fb(c) }
    }
    if let k = y.constant, let f = binaryConstant(op, fa, k) { return .dynamic(f) }
    let fb = y.eval
    let f: Eval
    switch op {
    case .eq: f = { c in try fa(c) == fb(c) ? 1 : 0 }
    case .ne: f = { c in try fa(c) != fb(c) ? 1 : 0 }
    case .lt: f = { c in try fa(c) < fb(c) ? 1 : 0 }
    case .le: f = { c in try fa(c) <= fb(c) ? 1 : 0 }
    case .gt: f = { c in try fa(c) > fb(c) ? 1 : 0 }
    case .ge: f = { c in try fa(c) >= fb(c) ? 1 : 0 }
    case .add: f = { c in try fa(c) &+ fb(c) }
    case .sub: f = { c in try fa(c) &- fb(c) }
    case .mul: f = { c in try fa(c) &* fb(c) }
    case .div: f = { c in Semantics.div(try fa(c), try fb(c)) }
    case .mod: f = { c in Semantics.mod(try fa(c), try fb(c)) }
    case .bitAnd: f = { c in try fa(c) & fb(c) }
    case .bitOr: f = { c in try fa(c) | fb(c) }
    case .bitXor: f = { c in try fa(c) ^ fb(c) }
    case .shiftLeft: f = { c in Semantics.shl(try fa(c), try fb(c)) }
    case .shiftRight: f = { c in Semantics.shr(try fa(c), try fb(c)) }
    case .implies: preconditionFailure("handled above")
    }
    return .dynamic(f)
  }

  /// Specialisations for a constant right operand, the common shape `x == LITERAL`.
  private func binaryConstant(_ op: BinaryOperator, _ fa: @escaping Eval, _ k: Value) -> Eval? {
    switch op {
    case .eq: return { c in try fa(c) == k ? 1 : 0 }
    case .ne: return { c in try fa(c) != k ? 1 : 0 }
    case .lt: return { c in try fa(c) < k ? 1 : 0 }
    case .le: return { c in try fa(c) <= k ? 1 : 0 }
    case .gt: return { c in try fa(c) > k ? 1 : 0 }
    case .ge: return { c in try fa(c) >= k ? 1 : 0 }
    case .add: return { c in try fa(c) &+ k }
    case .sub: return { c in try fa(c) &- k }
    case .bitAnd: return { c in try fa(c) & k }
    case .bitOr: return { c in try fa(c) | k }
    case .shiftRight:
      if k >= 64 {
        return { c in
          _ = try fa(c); return 0
        }
      }
      return { c in try fa(c) &>> k }
    case .shiftLeft:
      if k >= 64 {
        return { c in
          _ = try fa(c); return 0
        }
      }
      return { c in try fa(c) &<< k }
    default: return nil
    }
  }

  // MARK: Map keys

  /// A key expression, compiled; `slot` is the argument slot it reads directly (a parameter or
  /// derived value), `bound` the bound-variable slot, so reading it costs no closure call, and
  /// `valid` says every value it can take was checked against the key domain at compile time.
  struct Key {
    let slot: Int?
    let bound: Int?
    let valid: Bool
  }

  func key(_ expr: Expr, _ ordinal: KeyOrdinal) -> Key {
    var argument: Int?
    var boundSlot: Int?
    var values: [Value]?
    if !derived.isEmpty, let s = derived[expr] {
      argument = s
    } else {
      switch expr {
      case .parameter(let i): argument = i
      case .bound(let b):
        boundSlot = slot(b)
        values = b.domain.elements
      case .literal(let v): values = [v]
      default: break
      }
    }
    if let argument { values = argumentValues[argument] }
    let valid = values.map { $0.allSatisfy { ordinal.ordinal($0) >= 0 } } ?? false
    return Key(slot: argument, bound: boundSlot, valid: valid)
  }

  /// The value of an expression that reads no state, parameter or bound variable, or `nil`.
  ///
  /// It folds as ``node(_:)`` folds, without compiling anything: `node` would compile every
  /// read's keys, and the callers ask this of keys whose reads are compiled again anyway, which
  /// made compiling nested reads exponential in their depth. `nil` where `node` might fold
  /// (quantifiers, `let`) is safe: the caller then takes its general path.
  func constantValue(_ expr: Expr) -> Value? {
    switch expr {
    case .literal(let v): return v
    case .boolean(let b): return b ? 1 : 0
    case .unary(let op, let a):
      guard let k = constantValue(a) else { return nil }
      return k ^ (op == .not ? 1 : ~0)
    case .binary(let op, let a, let b):
      let x = constantValue(a)
      if op == .implies, x == 0 { return 1 }
      guard let x, let y = constantValue(b) else { return nil }
      return Semantics.apply(op, x, y)
    case .and(let xs), .or(let xs):
      // As `junction`: constant only if every part before the first stopping constant is.
      let stop: Value
      if case .and = expr { stop = 0 } else { stop = 1 }
      for x in xs {
        guard let k = constantValue(x) else { return nil }
        if k == stop { return stop }
      }
      return stop ^ 1
    case .ite(let cond, let a, let b):
      guard let k = constantValue(cond) else { return nil }
      return constantValue(k != 0 ? a : b)
    default: return nil
    }
  }

  // MARK: Map and scalar reads

  /// A key read without a closure call and validated at compile time, as its own ordinal: an
  /// argument slot, a bound-variable slot, or a constant ordinal.
  struct DirectKey: Sendable {
    /// 0: `args[index]`, 1: `bound[index]`, 2: the constant `index`.
    let kind: Int
    let index: Int

    @inline(__always)
    func ordinal(_ c: EvalContext) -> Int {
      kind == 0
        ? Int(truncatingIfNeeded: c.args[index])
        : kind == 1 ? Int(truncatingIfNeeded: c.bound[index]) : index
    }
  }

  /// The argument slot an expression is read from (a parameter or derived value), if any.
  func argumentSlot(_ expr: Expr) -> Int? {
    if !derived.isEmpty, let s = derived[expr] { return s }
    if case .parameter(let i) = expr { return i }
    return nil
  }

  /// The key as a ``DirectKey`` when every value it can take is in its domain and is its own
  /// ordinal, else `nil`.
  func directKey(_ expr: Expr, _ ordinal: KeyOrdinal) -> DirectKey? {
    if let k = constantValue(expr) {
      let o = ordinal.ordinal(k)
      return o >= 0 ? DirectKey(kind: 2, index: o) : nil
    }
    guard case .below = ordinal else { return nil }
    let key = self.key(expr, ordinal)
    guard key.valid else { return nil }
    if let s = key.slot { return DirectKey(kind: 0, index: s) }
    if let s = key.bound { return DirectKey(kind: 1, index: s) }
    return nil
  }

  /// `read == k` or `read != k` as one closure, when the read cannot fail (a scalar, constant keys, or one key
  /// validated at compile time that is its own ordinal) and its values are stored as themselves: the raw bits are
  /// compared with the constant, with no call for the read.
  ///
  /// `k` may stand on either side (it reads nothing, so the order is immaterial).
  private func fusedCompare(_ op: BinaryOperator, _ readExpr: Expr, _ other: Expr) -> CompiledExpr? {
    guard case .read(let id, let keys) = readExpr, let k = constantValue(other) else { return nil }
    let v = id.index
    guard layout.codecs[v].isIdentity else { return nil }
    let base = layout.logical.offsets[v]
    let mask = layout.masks[v]
    let locations = layout.locations
    let equal: Value = op == .eq ? 1 : 0
    let ordinals = keyOrdinals[v]
    if let position = keys.isEmpty ? 0 : constantPosition(keys, ordinals: ordinals, strides: layout.logical.strides[v])
    {
      let at = locations[base &+ position]
      let w = Int(at >> 6)
      let shift = Value(at & 63)
      return .dynamic { c in (c.state[w] &>> shift) & mask == k ? equal : equal ^ 1 }
    }
    guard keys.count == 1, case .below = ordinals[0] else { return nil }
    let key = self.key(keys[0], ordinals[0])
    guard key.valid else { return nil }
    if let s = key.slot {
      return .dynamic { c in
        let at = locations[base &+ Int(truncatingIfNeeded: c.args[s])]
        return (c.state[Int(at >> 6)] &>> Value(at & 63)) & mask == k ? equal : equal ^ 1
      }
    }
    if let s = key.bound {
      return .dynamic { c in
        let at = locations[base &+ Int(truncatingIfNeeded: c.bound[s])]
        return (c.state[Int(at >> 6)] &>> Value(at & 63)) & mask == k ? equal : equal ^ 1
      }
    }
    return nil
  }

  /// The flat slot position of a map cell whose keys are all compile-time constants in their
  /// key domains, or `nil`.
  func constantPosition(_ keys: [Expr], ordinals: [KeyOrdinal], strides: [Int]) -> Int? {
    var position = 0
    for (i, key) in keys.enumerated() {
      guard let k = constantValue(key) else { return nil }
      let o = ordinals[i].ordinal(k)
      guard o >= 0 else { return nil }
      position += o * strides[i]
    }
    return position
  }

  private func read(_ id: VariableID, keys: [Expr]) -> Eval {
    let v = id.index
    let variable = model.variables[v]
    let base = layout.logical.offsets[v]
    let mask = layout.masks[v]
    let codec = layout.codecs[v]
    let locations = layout.locations
    if keys.isEmpty {
      let location = locations[base]
      let w = Int(location >> 6)
      let shift = Value(location & 63)
      if codec.isIdentity { return { c in (c.state[w] &>> shift) & mask } }
      return { c in codec.decode((c.state[w] &>> shift) & mask) }
    }
    let ordinals = keyOrdinals[v]
    let strides = layout.logical.strides[v]
    if let position = constantPosition(keys, ordinals: ordinals, strides: strides) {
      // Every key known at compile time and in its domain (a literal, or an unrolled
      // quantifier's element): a fixed bit position, like a scalar.
      let at = locations[base &+ position]
      let w = Int(at >> 6)
      let shift = Value(at & 63)
      if codec.isIdentity { return { c in (c.state[w] &>> shift) & mask } }
      return { c in codec.decode((c.state[w] &>> shift) & mask) }
    }
    let keyBoxes = keys.map { EvalBox(eval: compile($0)) }
    let name = variable.name
    let domains = variable.keys
    let location = self.location
    if keyBoxes.count == 1 {
      let f = keyBoxes[0].eval
      let ko = ordinals[0]
      let key = self.key(keys[0], ko)
      if key.valid, case .below = ko {
        // Validated at compile time: the key is its own ordinal, no check, no throw.
        if let s = key.slot, codec.isIdentity {
          return { c in
            let at = locations[base &+ Int(truncatingIfNeeded: c.args[s])]
            return (c.state[Int(at >> 6)] &>> Value(at & 63)) & mask
          }
        }
        if let s = key.bound, codec.isIdentity {
          return { c in
            let at = locations[base &+ Int(truncatingIfNeeded: c.bound[s])]
            return (c.state[Int(at >> 6)] &>> Value(at & 63)) & mask
          }
        }
        return { c in
          let at = locations[base &+ Int(truncatingIfNeeded: try f(c))]
          return codec.decode((c.state[Int(at >> 6)] &>> Value(at & 63)) & mask)
        }
      }
      if key.valid {
        return { c in
          let at = locations[base &+ ko.ordinal(try f(c))]
          return codec.decode((c.state[Int(at >> 6)] &>> Value(at & 63)) & mask)
        }
      }
      if case .below(let n) = ko, codec.isIdentity {
        return { c in
          let k = try f(c)
          guard k < n else { throw keyError(location, name, 0, domains[0], k) }
          let at = locations[base &+ Int(truncatingIfNeeded: k)]
          return (c.state[Int(at >> 6)] &>> Value(at & 63)) & mask
        }
      }
      return { c in
        let k = try f(c)
        let o = ko.ordinal(k)
        guard o >= 0 else { throw keyError(location, name, 0, domains[0], k) }
        let at = locations[base &+ o]
        return codec.decode((c.state[Int(at >> 6)] &>> Value(at & 63)) & mask)
      }
    }
    if keyBoxes.count == 2, let d0 = directKey(keys[0], ordinals[0]), let d1 = directKey(keys[1], ordinals[1]) {
      // Both keys validated at compile time: no key closure, no check, no throw.
      let s0 = strides[0]
      if codec.isIdentity {
        return { c in
          let at = locations[base &+ d0.ordinal(c) &* s0 &+ d1.ordinal(c)]
          return (c.state[Int(at >> 6)] &>> Value(at & 63)) & mask
        }
      }
      return { c in
        let at = locations[base &+ d0.ordinal(c) &* s0 &+ d1.ordinal(c)]
        return codec.decode((c.state[Int(at >> 6)] &>> Value(at & 63)) & mask)
      }
    }
    if keyBoxes.count == 2 {
      let (f0, f1) = (keyBoxes[0].eval, keyBoxes[1].eval)
      let (o0, o1) = (ordinals[0], ordinals[1])
      let s0 = strides[0]
      if case .below(let n0) = o0, case .below(let n1) = o1, codec.isIdentity {
        // Both keys their own ordinals: one bounds check each, no lookup, no decoding.
        return { c in
          let k0 = try f0(c)
          guard k0 < n0 else { throw keyError(location, name, 0, domains[0], k0) }
          let k1 = try f1(c)
          guard k1 < n1 else { throw keyError(location, name, 1, domains[1], k1) }
          let at = locations[base &+ Int(truncatingIfNeeded: k0) &* s0 &+ Int(truncatingIfNeeded: k1)]
          return (c.state[Int(at >> 6)] &>> Value(at & 63)) & mask
        }
      }
      if self.key(keys[0], o0).valid && self.key(keys[1], o1).valid {
        return { c in
          let at = locations[base &+ o0.ordinal(try f0(c)) &* s0 &+ o1.ordinal(try f1(c))]
          return codec.decode((c.state[Int(at >> 6)] &>> Value(at & 63)) & mask)
        }
      }
      return { c in
        let k0 = try f0(c)
        let a = o0.ordinal(k0)
        guard a >= 0 else { throw keyError(location, name, 0, domains[0], k0) }
        let k1 = try f1(c)
        let b = o1.ordinal(k1)
        guard b >= 0 else { throw keyError(location, name, 1, domains[1], k1) }
        let at = locations[base &+ a &* s0 &+ b]
        return codec.decode((c.state[Int(at >> 6)] &>> Value(at & 63)) & mask)
      }
    }
    return { c in
      var position = base
      for i in keyBoxes.indices {
        let k = try keyBoxes[i].eval(c)
        let o = ordinals[i].ordinal(k)
        guard o >= 0 else { throw keyError(location, name, i, domains[i], k) }
        position &+= o &* strides[i]
      }
      let at = locations[position]
      return codec.decode((c.state[Int(at >> 6)] &>> Value(at & 63)) & mask)
    }
  }

  // MARK: Effects

  /// Compiles an effect: evaluates everything on the context's pre-state and writes the
  /// post-state, so the effects of one action apply simultaneously.
  func effect(_ effect: Effect) -> Exec {
    switch effect {
    case .assign(let id, let keys, let value, let when):
      return assign(id, keys: keys, value: value, when: when)
    case .assignAll(let id, let keys, let condition, let value):
      return assignAll(id, keys: keys, condition: condition, value: value)
    }
  }

  private func assign(_ id: VariableID, keys: [Expr], value: Expr, when: Expr) -> Exec {
    let condition = node(when)
    if condition.constant == 0 { return { _, _ in } }
    let write = assignCore(id, keys: keys, value: value)
    guard condition.constant == nil else { return write }
    // Captured as a non-optional closure: binding an optional one would retain it per call.
    let cond = condition.eval
    return { c, post in
      if try cond(c) != 0 { try write(c, post) }
    }
  }

  private func assignCore(_ id: VariableID, keys: [Expr], value: Expr) -> Exec {
    let v = id.index
    let variable = model.variables[v]
    let base = layout.logical.offsets[v]
    let mask = layout.masks[v]
    let codec = layout.codecs[v]
    let locations = layout.locations
    let name = variable.name
    let domain = variable.value
    let domains = variable.keys
    let location = self.location
    let ordinals = keyOrdinals[v]
    let strides = layout.logical.strides[v]
    let constant = keys.isEmpty ? 0 : constantPosition(keys, ordinals: ordinals, strides: strides)
    let keyBoxes = constant == nil ? keys.map { EvalBox(eval: compile($0)) } : []
    let valueNode = node(value)
    let f = valueNode.eval
    if let position = constant {
      // A scalar, or every key a compile-time constant in its domain: a fixed bit position.
      let at = locations[base &+ position]
      let w = Int(at >> 6)
      let shift = Value(at & 63)
      let clear = ~(mask &<< shift)
      if let k = valueNode.constant, let bits = codec.encode(k) {
        // A constant in the domain: its bits are known too.
        let shifted = bits &<< shift
        return { _, post in post[w] = (post[w] & clear) | shifted }
      }
      if let s = argumentSlot(value), codec.isIdentity, argumentValues[s]?.allSatisfy({ domain.contains($0) }) == true {
        // A parameter or derived value whose every value is in the domain: stored as itself.
        return { c, post in post[w] = (post[w] & clear) | (c.args[s] &<< shift) }
      }
      return { c, post in
        let x = try f(c)
        guard let bits = codec.encode(x) else { throw valueError(location, name, domain, x) }
        post[w] = (post[w] & clear) | (bits &<< shift)
      }
    }
    let direct = keys.count <= 2 ? keys.indices.compactMap { directKey(keys[$0], ordinals[$0]) } : []
    if direct.count == keys.count, keys.count == 1 || keys.count == 2 {
      // Every key validated at compile time: no key closure, no check; the value is evaluated
      // after the keys as before (they cannot fail).
      let d0 = direct[0]
      let d1 = keys.count == 2 ? direct[1] : DirectKey(kind: 2, index: 0)
      let s0 = keys.count == 2 ? strides[0] : 1
      if let k = valueNode.constant, let bits = codec.encode(k) {
        return { c, post in
          let at = locations[base &+ d0.ordinal(c) &* s0 &+ d1.ordinal(c)]
          let shift = Value(at & 63)
          post[Int(at >> 6)] = (post[Int(at >> 6)] & ~(mask &<< shift)) | (bits &<< shift)
        }
      }
      return { c, post in
        let x = try f(c)
        guard let bits = codec.encode(x) else { throw valueError(location, name, domain, x) }
        let at = locations[base &+ d0.ordinal(c) &* s0 &+ d1.ordinal(c)]
        let w = Int(at >> 6)
        let shift = Value(at & 63)
        post[w] = (post[w] & ~(mask &<< shift)) | (bits &<< shift)
      }
    }
    if keyBoxes.count == 1 {
      let k0 = keyBoxes[0].eval
      let o0 = ordinals[0]
      return { c, post in
        let k = try k0(c)
        let o = o0.ordinal(k)
        guard o >= 0 else { throw keyError(location, name, 0, domains[0], k) }
        let x = try f(c)
        guard let bits = codec.encode(x) else { throw valueError(location, name, domain, x) }
        let at = locations[base &+ o]
        let w = Int(at >> 6)
        let shift = Value(at & 63)
        post[w] = (post[w] & ~(mask &<< shift)) | (bits &<< shift)
      }
    }
    if keyBoxes.count == 2 {
      let (k0, k1) = (keyBoxes[0].eval, keyBoxes[1].eval)
      let (o0, o1) = (ordinals[0], ordinals[1])
      let s0 = strides[0]
      return { c, post in
        let ka = try k0(c)
        let a = o0.ordinal(ka)
        guard a >= 0 else { throw keyError(location, name, 0, domains[0], ka) }
        let kb = try k1(c)
        let b = o1.ordinal(kb)
        guard b >= 0 else { throw keyError(location, name, 1, domains[1], kb) }
        let x = try f(c)
        guard let bits = codec.encode(x) else { throw valueError(location, name, domain, x) }
        let at = locations[base &+ a &* s0 &+ b]
        let w = Int(at >> 6)
        let shift = Value(at & 63)
        post[w] = (post[w] & ~(mask &<< shift)) | (bits &<< shift)
      }
    }
    return { c, post in
      var position = base
      for i in keyBoxes.indices {
        let k = try keyBoxes[i].eval(c)
        let o = ordinals[i].ordinal(k)
        guard o >= 0 else { throw keyError(location, name, i, domains[i], k) }
        position &+= o &* strides[i]
      }
      let x = try f(c)
      guard let bits = codec.encode(x) else { throw valueError(location, name, domain, x) }
      let at = locations[position]
      let w = Int(at >> 6)
      let shift = Value(at & 63)
      post[w] = (post[w] & ~(mask &<< shift)) | (bits &<< shift)
    }
  }

  /// The most cells a whole-map update is unrolled over (see ``assignAll(_:keys:condition:value:)``).
  static let unrollCells = 16

  private func assignAll(_ id: VariableID, keys: [BoundVariable], condition: Expr, value: Expr) -> Exec {
    if let cells = unrolledCells(id, keys: keys, condition: condition, value: value) {
      // A small map: one conditional assignment per cell, in the loop's (flat) order, with the
      // keys replaced by the cell's elements. Each cell's condition, then its value, is
      // evaluated on the pre-state as in the loop, so values and errors are the same; the keys
      // become constants (fixed bit positions) and most conditions fold.
      let writes = cells.map { ExecBox(exec: effect($0)) }
      var apply: Exec = { _, _ in }
      for box in writes.reversed() {
        let e = box.exec
        let rest = apply
        apply = { c, post in
          try e(c, post)
          try rest(c, post)
        }
      }
      if let last = writes.last, writes.count == 1 { return last.exec }
      return apply
    }
    let v = id.index
    let variable = model.variables[v]
    let base = layout.logical.offsets[v]
    let mask = layout.masks[v]
    let codec = layout.codecs[v]
    let locations = layout.locations
    let name = variable.name
    let domain = variable.value
    let location = self.location
    let slots = keys.map(slot)
    let elements = variable.keys.map { $0.elements ?? [] }
    let strides = layout.logical.strides[v]
    let count = variable.slotCount
    let condNode = node(condition)
    if condNode.constant == 0 { return { _, _ in } }
    let always: Eval = { _ in 1 }
    let cond: Eval = condNode.constant == nil ? condNode.eval : always
    let f = compile(value)
    let write: @Sendable (EvalContext, UnsafeMutablePointer<UInt64>, Int) throws -> Void = { c, post, flat in
      for i in slots.indices {
        c.bound[slots[i]] = elements[i][(flat / strides[i]) % elements[i].count]
      }
      if try cond(c) == 0 { return }
      let x = try f(c)
      guard let bits = codec.encode(x) else { throw valueError(location, name, domain, x) }
      let at = locations[base &+ flat]
      let w = Int(at >> 6)
      let shift = Value(at & 63)
      post[w] = (post[w] & ~(mask &<< shift)) | (bits &<< shift)
    }
    // A conjunct `key_j == e`, with `e` free of this update's keys, pins key j: only the cells
    // with that key are visited (a row of a two-key map instead of the whole map). The whole
    // condition is still evaluated on each visited cell, so the semantics are unchanged.
    if let (j, pinned) = Self.pinnedKey(condition, keys: keys) {
      let e = compile(pinned)
      let ordinals = Dictionary(elements[j].enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
      let stride = strides[j]
      let outer = stride * elements[j].count
      return { c, post in
        guard let o = ordinals[try e(c)] else { return }  // no key equals it: no cell changes
        var high = 0
        while high < count {
          let start = high + o * stride
          for flat in start..<(start + stride) { try write(c, post, flat) }
          high += outer
        }
      }
    }
    return { c, post in
      for flat in 0..<count { try write(c, post, flat) }
    }
  }

  /// A whole-map update of a small map as one `assign` per cell in flat order, or `nil` when the
  /// map has more than ``unrollCells`` cells or the unrolled IR would be too large.
  private func unrolledCells(_ id: VariableID, keys: [BoundVariable], condition: Expr, value: Expr) -> [Effect]? {
    let variable = model.variables[id.index]
    guard variable.slotCount <= Self.unrollCells, variable.keys.count == keys.count else { return nil }
    let elements = variable.keys.map { $0.elements ?? [] }
    guard elements.allSatisfy({ !$0.isEmpty }) else { return nil }
    var size = 0
    for e in [condition, value] {
      e.forEachNode { _ in size += 1 }
    }
    guard size * variable.slotCount <= Self.unrollNodes else { return nil }
    var cells: [Effect] = []
    var odometer = [Int](repeating: 0, count: keys.count)
    for _ in 0..<variable.slotCount {
      var c = condition
      var x = value
      var literals: [Expr] = []
      for (i, key) in keys.enumerated() {
        let element = elements[i][odometer[i]]
        c = Self.substitute(c, key, element)
        x = Self.substitute(x, key, element)
        literals.append(.literal(element))
      }
      cells.append(.assign(id, keys: literals, value: x, when: c))
      var i = keys.count - 1
      while i >= 0 {
        odometer[i] += 1
        if odometer[i] < elements[i].count { break }
        odometer[i] = 0
        i -= 1
      }
    }
    return cells
  }

  /// The first top-level conjunct of `condition` of the form `key == e` or `e == key` for one of
  /// `keys`, with `e` reading none of `keys`: the key's position and `e`.
  static func pinnedKey(_ condition: Expr, keys: [BoundVariable]) -> (Int, Expr)? {
    let conjuncts: [Expr]
    if case .and(let xs) = condition { conjuncts = xs } else { conjuncts = [condition] }
    let own = Set(keys)
    func free(_ e: Expr) -> Bool {
      var mentions = false
      e.forEachNode { if case .bound(let b) = $0, own.contains(b) { mentions = true } }
      return !mentions
    }
    for conjunct in conjuncts {
      guard case .binary(.eq, let a, let b) = conjunct else { continue }
      if case .bound(let k) = a, let j = keys.firstIndex(of: k), free(b) { return (j, b) }
      if case .bound(let k) = b, let j = keys.firstIndex(of: k), free(a) { return (j, a) }
    }
    return nil
  }
}
