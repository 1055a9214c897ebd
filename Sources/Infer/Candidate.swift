import Spec

/// A read of a state variable at quantified or constant keys: `x[q0][NS]`.
public struct CellPattern: Hashable, Sendable {
  /// A key of a read: a quantified variable (an index into ``Candidate/quantified``), or a
  /// constant element of an enumeration (a finite set: its elements are not interchangeable, so
  /// templates name them; index sorts are symmetric and always quantified).
  public enum Key: Hashable, Sendable {
    case bound(Int)
    case literal(Value)
  }

  public let variable: VariableID
  public let keys: [Key]
}

/// A candidate invariant from a template: for all quantified keys (pairwise distinct where
/// `distinct` says), the antecedents imply the consequent.
///
/// `∀ q. (⋀ distinct) ∧ (⋀ cell = value) → consequent`. The consequent is `cell ∉ excluded`
/// (`cell ≠ b` for each excluded `b`), or, for a word-valued cell, `cell ∈ allowed`.
public struct Candidate: Hashable, Sendable {
  public enum Consequent: Hashable, Sendable {
    case excludes([Value])
    case within([Value])
  }

  /// The domains of the quantified variables.
  public let quantified: [Domain]
  /// Pairs of quantified variables (of the same domain) that the template requires distinct.
  public let distinct: [[Int]]
  public let antecedents: [Antecedent]
  public let cell: CellPattern
  public let consequent: Consequent

  public struct Antecedent: Hashable, Sendable {
    public let cell: CellPattern
    public let value: Value
  }

  /// The template family it comes from, for reports: `unary`, `pair`, `triple`.
  public var family: String {
    switch antecedents.count {
    case 0: return "unary"
    case 1: return "pair"
    default: return "triple"
    }
  }

  /// The candidate as an IR formula, ready for both engines.
  public func formula(_ model: Model) -> Expr {
    let bound = quantified.map { BoundVariable($0) }
    func read(_ c: CellPattern) -> Expr {
      .read(
        c.variable,
        keys: c.keys.map {
          switch $0 {
          case .bound(let q): return .bound(bound[q])
          case .literal(let v): return .literal(v)
          }
        })
    }
    func equals(_ c: CellPattern, _ v: Value) -> Expr {
      if model[c.variable].value == .bool { return v != 0 ? read(c) : !read(c) }
      return read(c).eq(.literal(v))
    }
    var premises: [Expr] = distinct.map { Expr.bound(bound[$0[0]]).ne(.bound(bound[$0[1]])) }
    premises += antecedents.map { equals($0.cell, $0.value) }
    let conclusion: Expr
    switch consequent {
    case .excludes(let values): conclusion = .and(values.map { !equals(cell, $0) })
    case .within(let values): conclusion = .or(values.map { equals(cell, $0) })
    }
    var body = premises.isEmpty ? conclusion : Expr.and(premises).implies(conclusion)
    for b in bound.reversed() { body = .quantified(.forAll, b, body) }
    return body
  }

  /// The candidate in mathematical notation with the model's names and value labels:
  /// `∀ g0: Granule. state[g0] = DELEGATED → gpi[g0] ∉ {NS}`.
  public func text(_ model: Model) -> String {
    let names = Self.names(quantified)
    func cell(_ c: CellPattern) -> String {
      let v = model[c.variable]
      return v.name
        + c.keys.enumerated().map { k, key in
          switch key {
          case .bound(let q): return "[\(names[q])]"
          case .literal(let x): return "[\(v.keys[k].render(x))]"
          }
        }.joined()
    }
    func value(_ c: CellPattern, _ v: Value) -> String { model[c.variable].value.render(v) }
    var premises = distinct.map { "\(names[$0[0]]) ≠ \(names[$0[1]])" }
    premises += antecedents.map { "\(cell($0.cell)) = \(value($0.cell, $0.value))" }
    let conclusion: String
    switch consequent {
    case .excludes(let vs):
      conclusion =
        vs.count == 1
        ? "\(cell(self.cell)) ≠ \(value(self.cell, vs[0]))"
        : "\(cell(self.cell)) ∉ {\(vs.map { value(self.cell, $0) }.joined(separator: ", "))}"
    case .within(let vs):
      conclusion = "\(cell(self.cell)) ∈ {\(vs.map { value(self.cell, $0) }.joined(separator: ", "))}"
    }
    let binder =
      quantified.isEmpty
      ? "" : "∀ " + quantified.indices.map { "\(names[$0]): \(quantified[$0])" }.joined(separator: ", ") + ". "
    return binder + (premises.isEmpty ? conclusion : premises.joined(separator: " ∧ ") + " → " + conclusion)
  }

  /// The candidate as modelling-language Swift: a `lemma` declaration a model can paste, with
  /// each variable's handle and each key domain named after it (`granuleState`, `granule`).
  public func swift(_ model: Model, name: String, doc: String) -> String {
    let names = Self.names(quantified)
    func handle(_ s: String) -> String { s.prefix(1).lowercased() + s.dropFirst() }
    func read(_ c: CellPattern) -> String {
      let v = model[c.variable]
      let keys = c.keys.enumerated().map { k, key -> String in
        switch key {
        case .bound(let q): return names[q]
        case .literal(let x):
          let label = v.keys[k].render(x)
          return label == String(x) ? ".literal(\(x))" : ".literal(\(x)) /* \(label) */"
        }
      }
      return c.keys.isEmpty ? "\(handle(v.name)).value" : "\(handle(v.name))[\(keys.joined(separator: ", "))]"
    }
    func literal(_ c: CellPattern, _ v: Value) -> String {
      let domain = model[c.variable].value
      if case .word = domain { return ".literal(0x\(String(v, radix: 16)))" }
      let label = domain.render(v)
      return label == String(v) ? ".literal(\(v))" : ".literal(\(v)) /* \(label) */"
    }
    func equals(_ c: CellPattern, _ v: Value) -> String {
      model[c.variable].value == .bool ? (v != 0 ? read(c) : "!\(read(c))") : "\(read(c)).eq(\(literal(c, v)))"
    }
    var premises = distinct.map { "\(names[$0[0]]).ne(\(names[$0[1]]))" }
    premises += antecedents.map { equals($0.cell, $0.value) }
    let conclusion: String
    switch consequent {
    case .excludes(let vs):
      conclusion =
        vs.count == 1
        ? "!(\(equals(cell, vs[0])))"
        : "!(\(read(cell)).isOne(of: [\(vs.map { literal(cell, $0) }.joined(separator: ", "))]))"
    case .within(let vs):
      conclusion = "\(read(cell)).isOne(of: [\(vs.map { literal(cell, $0) }.joined(separator: ", "))])"
    }
    var body = premises.isEmpty ? conclusion : "(\(premises.joined(separator: " && "))).implies(\(conclusion))"
    for (i, d) in quantified.enumerated().reversed() {
      body = ".forAll(\(handle(d.description))) { \(names[i]) in \(body) }"
    }
    return "b.lemma(\"\(name)\", doc: \"\(doc)\", \(body))"
  }

  /// Names for quantified variables: the domain's initial and a number (`g0`, `p1`).
  static func names(_ domains: [Domain]) -> [String] {
    domains.enumerated().map { i, d in
      let initial = d.description.first.map { String($0).lowercased() } ?? "k"
      return "\(initial.allSatisfy(\.isLetter) ? initial : "k")\(i)"
    }
  }
}
