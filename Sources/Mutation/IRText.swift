import Spec

/// Renders IR expressions and effects as short readable text, with the model's variable and
/// parameter names: the lines of a mutant's diff.
struct IRText {
  let model: Model
  /// The action whose parameters expressions name (nil for a state formula: a property).
  let action: Action?
  /// Bound variables renamed `k0`, `k1`, ...
  ///
  /// in order of first appearance.
  private var names: [BoundVariable: String] = [:]
  /// The longest rendering of one item; longer ones end in `...`.
  static let limit = 240

  init(model: Model, action: Action?) {
    self.model = model
    self.action = action
  }

  mutating func name(_ b: BoundVariable) -> String {
    if let n = names[b] { return n }
    let n = "k\(names.count)"
    names[b] = n
    return n
  }

  static func clip(_ s: String) -> String {
    s.count <= limit ? s : String(s.prefix(limit - 3)) + "..."
  }

  /// Characters left for the item being rendered: deep trees (an RTT walk) stop at `...`
  /// instead of being rendered whole and then clipped.
  fileprivate var budget = IRText.limit

  mutating func expr(_ e: Expr) -> String {
    guard budget > 0 else { return "..." }
    let text = render(e)
    budget -= text.count
    return text
  }

  private mutating func render(_ e: Expr) -> String {
    switch e {
    case .literal(let v): return v < 4096 ? "\(v)" : "0x" + String(v, radix: 16)
    case .boolean(let b): return b ? "true" : "false"
    case .read(let id, let keys):
      let name = id.index < model.variables.count ? model[id].name : "\(id)"
      return keys.isEmpty ? name : "\(name)[\(keys.map { expr($0) }.joined(separator: ", "))]"
    case .parameter(let i):
      return action.map { i < $0.parameters.count ? $0.parameters[i].name : "arg\(i)" } ?? "arg\(i)"
    case .bound(let b): return name(b)
    case .unary(.not, let a): return "!" + atom(a)
    case .unary(.bitNot, let a): return "~" + atom(a)
    case .binary(let op, let a, let b): return "\(atom(a)) \(Self.symbol(op)) \(atom(b))"
    case .and(let xs): return xs.isEmpty ? "true" : xs.map { atom($0) }.joined(separator: " && ")
    case .or(let xs): return xs.isEmpty ? "false" : xs.map { atom($0) }.joined(separator: " || ")
    case .ite(let c, let a, let b): return "\(atom(c)) ? \(atom(a)) : \(atom(b))"
    case .quantified(let q, let b, let body):
      return "\(q == .forAll ? "forall" : "exists") \(name(b)) in \(b.domain): \(expr(body))"
    case .local(let b, let value, let body): return "let \(name(b)) = \(expr(value)) in \(expr(body))"
    }
  }

  private mutating func atom(_ e: Expr) -> String {
    switch e {
    case .literal, .boolean, .read, .parameter, .bound, .unary: return expr(e)
    default: return "(" + expr(e) + ")"
    }
  }

  static func symbol(_ op: BinaryOperator) -> String {
    switch op {
    case .eq: return "=="
    case .ne: return "!="
    case .lt: return "<"
    case .le: return "<="
    case .gt: return ">"
    case .ge: return ">="
    case .add: return "+"
    case .sub: return "-"
    case .mul: return "*"
    case .div: return "/"
    case .mod: return "%"
    case .bitAnd: return "&"
    case .bitOr: return "|"
    case .bitXor: return "^"
    case .shiftLeft: return "<<"
    case .shiftRight: return ">>"
    case .implies: return "=>"
    }
  }

  mutating func effect(_ effect: Effect) -> String {
    budget = Self.limit
    switch effect {
    case .assign(let id, let keys, let value, let when):
      let target = keys.isEmpty ? model[id].name : "\(model[id].name)[\(keys.map { expr($0) }.joined(separator: ", "))]"
      let write = "\(target) := \(expr(value))"
      return Self.clip(when == .boolean(true) ? write : "if \(expr(when)): \(write)")
    case .assignAll(let id, let keys, let condition, let value):
      let ks = keys.map { name($0) }.joined(separator: ", ")
      let write = "\(model[id].name)[\(ks)] := \(expr(value))"
      return Self.clip(
        condition == .boolean(true) ? "forall \(ks): \(write)" : "forall \(ks) with \(expr(condition)): \(write)")
    }
  }

  mutating func failure(_ f: FailureCondition, position: Int) -> String {
    budget = Self.limit
    var s = "failure \(position) \(f.name) -> \(f.error): when \(expr(f.condition))"
    s = Self.clip(s)
    for e in f.effects { s += "; then " + effect(e) }
    return s
  }

  mutating func guardText(_ e: Expr) -> String {
    budget = Self.limit
    return Self.clip("requires " + expr(e))
  }
}

/// Renders a state formula (a property's or a lemma's) as text with the model's variable names,
/// for `cca-verify prove --explain`.
public enum FormulaText {
  /// The formula as text, stopping at `...` after about `limit` characters (an invariant over
  /// every granule and RTT entry can be very long).
  public static func render(_ formula: Expr, model: Model, limit: Int = 1_200) -> String {
    var text = IRText(model: model, action: nil)
    text.budget = limit
    let rendered = text.expr(formula)
    return rendered.count <= limit ? rendered : String(rendered.prefix(limit - 3)) + "..."
  }
}
