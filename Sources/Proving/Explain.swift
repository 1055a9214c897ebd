import Mutation
import Spec

extension Prover {
  /// The invariant an induction target asks Z3 to show inductive, as `cca-verify prove --explain`
  /// prints it: the conjunction of the target's properties and the lemmas it assumes (each
  /// proved with them), with each conjunct's kind, reason (its doc) and formula, and the scope.
  ///
  /// What it prints is the invariant *tried*: it was shown inductive exactly when the target's
  /// outcome is `proved` (`outcome`, when given, says which). Other engines check the properties
  /// alone, so their explanation lists only those.
  ///
  /// - Throws: ``InputError`` for a target whose model cannot be built.
  public static func explain(
    _ target: ProofTarget, outcome: TargetResult? = nil, catalog: Catalog = .standard
  ) throws -> String {
    let family = try catalog.family(named: target.model)
    let model = try Catalog.build(family, target.configuration)
    let properties = try Catalog.properties(target.properties, of: model)
    var lemmas: [Int] = []
    switch target.engine {
    case .induction, .kInduction:
      if let names = target.lemmas {
        lemmas = names.isEmpty ? [] : try Catalog.properties(names, of: model, location: "\(target.file): lemmas")
      } else {
        lemmas = model.properties.indices.filter { model.properties[$0].kind == .lemma }
      }
    default: break
    }
    let conjuncts = properties + lemmas.filter { !properties.contains($0) }
    var out = "\(target.name) (\(target.file)): "
    switch (target.engine, outcome?.outcome) {
    case (.induction, .proved?), (.kInduction, .proved?):
      out += "the invariant shown inductive"
    case (.induction, let o?), (.kInduction, let o?):
      out += "the invariant tried, NOT shown inductive (outcome \(o.rawValue))"
    case (.induction, nil), (.kInduction, nil):
      out += "the invariant induction tries"
    default:
      out += "engine \(target.engine.name) checks the properties below (no invariant is shown inductive)"
    }
    if let outcome { out += "\n  scope: \(outcome.scope)" }
    out += "\n  the conjunction of \(conjuncts.count) formulas (\(properties.count) checked, \(lemmas.count) lemmas):\n"
    for i in conjuncts {
      let p = model.properties[i]
      let role = properties.contains(i) ? "property" : "lemma"
      out += "\n  [\(role), \(p.kind.rawValue)] \(p.name)\n"
      if !p.doc.isEmpty { out += "    why: \(p.doc)\n" }
      out += "    formula: \(FormulaText.render(p.formula, model: model))\n"
    }
    return out
  }
}
