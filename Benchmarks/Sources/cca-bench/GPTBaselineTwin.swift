// A YARDSTICK, NOT A MODEL.
//
// The hand-written baseline's GPT model (GPTBaseline.swift) written in the Spec IR, so the
// compiled encoding (Spec IR -> Symbolic -> Z3) and the hand-written one check the *same*
// model and the same invariant: `cca-bench baseline` times both side by side. Like the baseline,
// it proves nothing about Arm CCA and no proof target uses it; the one specification of CCA is
// Models/CCA.
//
// Each action computes the acting granule's post-state from its pre-state exactly as
// `GPTBaseline.step` does (the same sequence of DC CIPAPA, GPI writes and TLBIs folded into one
// expression per field), and writes the fields that change.
import Spec

enum GPTBaselineTwin {
  /// The twin at `granules` granules; `mutant` is the `no-tlbi-on-delegate` variant.
  static func model(granules: Int, mutant: Bool) -> Model {
    let granule = Domain.index(IndexSort("Granule", count: granules))
    let value = Domain.range(0, GPTValue.maximum)
    let b = ModelBuilder(
      name: "gpt-baseline-twin",
      configuration: Configuration(name: mutant ? "no-tlbi-on-delegate" : "correct", bounds: ["granules": granules]))
    func field(_ f: GPTField) -> Variable {
      if f.isBool { return b.map(f.name, keys: [granule], .bool) { _ in false } }
      let initial: UInt64
      switch f {
      case .gpi: initial = GPTValue.ns
      case .memory: initial = GPTValue.host
      case .tlb: initial = GPTValue.noAccess
      case .lineNS, .lineRealm: initial = GPTValue.invalid
      default: initial = GPTValue.zero
      }
      return b.map(f.name, keys: [granule], value) { _ in .literal(initial) }
    }
    let fields = GPTField.allCases.map(field)
    let leak = b.variable("leak", .bool, initial: false)
    func k(_ v: UInt64) -> Expr { .literal(v) }

    /// One granule's fields as expressions, written back where they changed.
    struct View {
      var fields: [Expr]
      subscript(_ f: GPTField) -> Expr {
        get { fields[f.rawValue] }
        set { fields[f.rawValue] = newValue }
      }
    }
    func cleanInvalidate(_ v: inout View, line: GPTField, data: GPTField) {
      v[.memory] = .ite(v[line].eq(k(GPTValue.dirty)), then: v[data], else: v[.memory])
      v[line] = k(GPTValue.invalid)
      v[data] = k(GPTValue.zero)
    }
    func protectionCheck(_ v: inout View) -> Expr {
      let effective = Expr.ite(v[.tlbValid], then: v[.tlb], else: v[.gpi])
      v[.tlbValid] = true
      v[.tlb] = effective
      return effective.eq(k(GPTValue.ns))
    }
    for action in GPTAction.allCases {
      b.action(action.name, by: "baseline", parameters: [Parameter("g", granule)]) { a in
        let g = a.arg("g")
        let pre = View(fields: fields.map { $0[g] })
        var v = pre
        switch action {
        case .hypRead:
          let passes = protectionCheck(&v)
          let hit = pre[.lineNS].ne(k(GPTValue.invalid))
          let returned = Expr.ite(hit, then: pre[.dataNS], else: pre[.memory])
          let fill = passes && !hit
          v[.lineNS] = .ite(fill, then: k(GPTValue.clean), else: pre[.lineNS])
          v[.dataNS] = .ite(fill, then: pre[.memory], else: pre[.dataNS])
          a.when(passes && returned.eq(k(GPTValue.secret))) { a.set(leak, to: true) }
        case .hypWrite:
          let passes = protectionCheck(&v)
          v[.lineNS] = .ite(passes, then: k(GPTValue.dirty), else: pre[.lineNS])
          v[.dataNS] = .ite(passes, then: k(GPTValue.host), else: pre[.dataNS])
        case .tlbEvict:
          a.requires(pre[.tlbValid])
          v[.tlbValid] = false
          v[.tlb] = k(GPTValue.noAccess)
        case .evictNS, .evictRealm:
          let (line, data) = action == .evictNS ? (GPTField.lineNS, GPTField.dataNS) : (.lineRealm, .dataRealm)
          a.requires(pre[line].ne(k(GPTValue.invalid)))
          cleanInvalidate(&v, line: line, data: data)
        case .realmWrite:
          a.requires(pre[.delegated] && pre[.gpi].eq(k(GPTValue.realm)))
          v[.lineRealm] = k(GPTValue.dirty)
          v[.dataRealm] = k(GPTValue.secret)
        case .delegate:
          a.requires(!pre[.delegated] && pre[.gpi].eq(k(GPTValue.ns)))
          cleanInvalidate(&v, line: .lineRealm, data: .dataRealm)
          v[.gpi] = k(GPTValue.realm)
          if !mutant {
            v[.tlbValid] = false
            v[.tlb] = k(GPTValue.noAccess)
          }
          cleanInvalidate(&v, line: .lineNS, data: .dataNS)
          v[.delegated] = true
        case .undelegate:
          a.requires(pre[.delegated] && pre[.gpi].eq(k(GPTValue.realm)))
          v[.lineRealm] = k(GPTValue.dirty)
          v[.dataRealm] = k(GPTValue.zero)
          v[.gpi] = k(GPTValue.noAccess)
          v[.tlbValid] = false
          v[.tlb] = k(GPTValue.noAccess)
          cleanInvalidate(&v, line: .lineRealm, data: .dataRealm)
          cleanInvalidate(&v, line: .lineNS, data: .dataNS)
          v[.gpi] = k(GPTValue.ns)
          v[.delegated] = false
        }
        for f in GPTField.allCases where v[f] != pre[f] { a.set(fields[f.rawValue], [g], to: v[f]) }
      }
    }
    b.invariant("no-leak", !leak.value)
    // Q(g), conjuncts 1-4 (GPTBaseline.invariantConjuncts); typing is the fields' domains.
    func at(_ g: Expr) -> View { View(fields: fields.map { $0[g] }) }
    b.lemma("tlb-matches-gpt", .forAll(granule) { g in at(g)[.tlbValid].implies(at(g)[.tlb].eq(at(g)[.gpi])) })
    b.lemma(
      "gpi-matches-state",
      .forAll(granule) { g in
        let v = at(g)
        return v[.gpi].eq(k(GPTValue.ns)).eq(!v[.delegated]) && v[.gpi].eq(k(GPTValue.realm)).eq(v[.delegated])
      })
    b.lemma(
      "undelegated-clean",
      .forAll(granule) { g in
        let v = at(g)
        return (!v[.delegated]).implies(
          v[.memory].ne(k(GPTValue.secret))
            && v[.lineNS].ne(k(GPTValue.invalid)).implies(v[.dataNS].ne(k(GPTValue.secret)))
            && v[.lineRealm].eq(k(GPTValue.invalid)))
      })
    b.lemma(
      "delegated-no-ns-line", .forAll(granule) { g in at(g)[.delegated].implies(at(g)[.lineNS].eq(k(GPTValue.invalid))) })
    return b.build()
  }
}
