// A YARDSTICK, NOT A MODEL.
//
// This file is a direct, hand-written Z3 encoding of a small GPT model, written against the Z3
// wrapper module and NOT against the Spec IR. It exists ONLY to measure the compiled encoding
// (Spec IR -> Symbolic -> Z3) against what a hand encoding of a comparable model costs on the
// same machine and the same libz3 (`cca-bench baseline`, Benchmarks/README.md). It is not a
// second copy of the CCA semantics: nothing in CCAVerify proves anything with it, no proof
// target uses it, and no result about Arm CCA may be quoted from it. The one specification is
// Models/CCA (DESIGN.md §4: "There is no second hand-written copy of the semantics anywhere").
//
// The model (the project's issue: "atomic transitions, one hypervisor PE with cached GPIs,
// PAS-tagged cache lines"; /work/shared/reference/gpt-invariants.md):
//
// - per granule: the GPI in {NS, REALM, NO_ACCESS}; the RMM state in {UNDELEGATED, DELEGATED};
//   the memory label in {ZERO, HOST, SECRET}; the hypervisor PE's cached GPI (valid bit and
//   value); one cache line per PAS alias (NS, Realm), each {INVALID, CLEAN, DIRTY} with a label;
// - one global `leak` flag, set when a Non-secure read returns SECRET;
// - actions on a nondeterministically chosen granule: hypervisor read, write and GPT-TLB evict;
//   line evict per alias (write-back if dirty); a realm write of SECRET to a DELEGATED granule;
//   delegate and undelegate, each one atomic step with TF-A's sequence (reference/rme.md §2.3,
//   §2.4); undelegate scrubs first (the RMM's buffer_granule_sanitize through the Realm alias);
// - the `no-tlbi-on-delegate` variant skips the TLBI of delegate.
//
// Encodings measured: parametric (granules an uninterpreted sort, state as arrays, the acting
// granule a fresh constant, invariant `not leak and forall g. Q(g)`), bounded (one term per
// granule and field, the acting granule a bit-vector constant or enumerated), and BMC (an
// unrolling with a symbolic action and granule per step, deepening one step at a time).
import Dispatch
import Z3

// MARK: - Values

/// The baseline's encodings of its finite values (2-bit bit-vectors).
enum GPTValue {
  // GPI
  static let ns: UInt64 = 0
  static let realm: UInt64 = 1
  static let noAccess: UInt64 = 2
  // Memory and line labels
  static let zero: UInt64 = 0
  static let host: UInt64 = 1
  static let secret: UInt64 = 2
  // Line states
  static let invalid: UInt64 = 0
  static let clean: UInt64 = 1
  static let dirty: UInt64 = 2
  /// The largest meaningful value of every 2-bit field.
  static let maximum: UInt64 = 2
}

/// The per-granule state fields.
enum GPTField: Int, CaseIterable {
  case gpi, delegated, memory, tlbValid, tlb, lineNS, dataNS, lineRealm, dataRealm

  var isBool: Bool { self == .delegated || self == .tlbValid }
  var name: String { String(describing: self) }
}

/// The actions, each on one granule.
enum GPTAction: Int, CaseIterable {
  case hypRead, hypWrite, tlbEvict, evictNS, evictRealm, realmWrite, delegate, undelegate

  var name: String {
    switch self {
    case .hypRead: "HYP_READ"
    case .hypWrite: "HYP_WRITE"
    case .tlbEvict: "GPT_TLB_EVICT"
    case .evictNS: "LINE_EVICT(NS)"
    case .evictRealm: "LINE_EVICT(Realm)"
    case .realmWrite: "REALM_WRITE_SECRET"
    case .delegate: "DELEGATE"
    case .undelegate: "UNDELEGATE"
    }
  }
}

/// One granule's fields as terms (selects from arrays, or per-granule constants).
struct GranuleView {
  var fields: [Z3Expr]
  subscript(_ f: GPTField) -> Z3Expr {
    get { fields[f.rawValue] }
    set { fields[f.rawValue] = newValue }
  }
}

/// The outcome of a baseline check.
enum BaselineOutcome: Equatable {
  case proved
  case cti(action: String)
  case violated(steps: [String])
  case holdsBounded(depth: Int)
  case unknown(String)

  var name: String {
    switch self {
    case .proved: "proved"
    case .cti: "cti"
    case .violated: "violated"
    case .holdsBounded: "holds-bounded"
    case .unknown: "unknown"
    }
  }

  var detail: String {
    switch self {
    case .proved: ""
    case .cti(let action): "consecution fails on \(action)"
    case .violated(let steps): "\(steps.count) steps: \(steps.joined(separator: ", ")) -> leak"
    case .holdsBounded(let depth): "depth \(depth)"
    case .unknown(let reason): reason
    }
  }
}

/// A baseline check's result and cost.
struct BaselineReport {
  var outcome: BaselineOutcome
  /// Wall-clock seconds: building terms and solving.
  var seconds: Double
  /// Seconds inside consecution (or BMC) queries only.
  var solveSeconds: Double
  var queries: Int
  var notes: [String] = []
}

// MARK: - The encoding

/// The hand-written encoding: transition semantics on one granule's view, the invariant, and the
/// three checks.
final class GPTBaseline {
  let ctx: Z3Context
  /// Whether delegate skips its TLBI (`no-tlbi-on-delegate`).
  let mutant: Bool
  let bv2: Z3Sort
  let boolSort: Z3Sort
  fileprivate(set) var queries = 0
  fileprivate(set) var solveSeconds = 0.0

  init(mutant: Bool) throws {
    ctx = Z3Context()
    self.mutant = mutant
    bv2 = try ctx.bitVectorSort(width: 2)
    boolSort = try ctx.boolSort()
  }

  func k(_ v: UInt64) throws -> Z3Expr { try ctx.bitVector(v, width: 2) }
  func t() throws -> Z3Expr { try ctx.bool(true) }
  func f() throws -> Z3Expr { try ctx.bool(false) }

  func sort(_ field: GPTField) -> Z3Sort { field.isBool ? boolSort : bv2 }

  /// The initial value of each field: NS, UNDELEGATED, HOST, no cached GPI (NO_ACCESS), lines
  /// INVALID with ZERO.
  func initialValue(_ field: GPTField) throws -> Z3Expr {
    switch field {
    case .gpi: try k(GPTValue.ns)
    case .delegated, .tlbValid: try f()
    case .memory: try k(GPTValue.host)
    case .tlb: try k(GPTValue.noAccess)
    case .lineNS, .lineRealm: try k(GPTValue.invalid)
    case .dataNS, .dataRealm: try k(GPTValue.zero)
    }
  }

  func initialView() throws -> GranuleView {
    GranuleView(fields: try GPTField.allCases.map { try initialValue($0) })
  }

  // MARK: Semantics of one action on the acting granule

  /// DC CIPAPA on one alias: a dirty line is written back; the line is invalidated (ZERO).
  func cleanInvalidate(_ v: inout GranuleView, line: GPTField, data: GPTField) throws {
    let dirty = try ctx.eq(v[line], try k(GPTValue.dirty))
    v[.memory] = try ctx.ite(dirty, v[data], v[.memory])
    v[line] = try k(GPTValue.invalid)
    v[data] = try k(GPTValue.zero)
  }

  /// The hypervisor's GPC: the cached GPI if valid, else a walk that fills the TLB.
  func protectionCheck(_ v: inout GranuleView) throws -> Z3Expr {
    let effective = try ctx.ite(v[.tlbValid], v[.tlb], v[.gpi])
    v[.tlbValid] = try t()
    v[.tlb] = effective
    return try ctx.eq(effective, try k(GPTValue.ns))
  }

  /// The guard, the acting granule's post-state, and whether the step leaks (sets `leak`).
  func step(_ action: GPTAction, _ pre: GranuleView) throws -> (enabled: Z3Expr, post: GranuleView, leaks: Z3Expr) {
    var v = pre
    switch action {
    case .hypRead:
      let passes = try protectionCheck(&v)
      let hit = try ctx.not(try ctx.eq(pre[.lineNS], try k(GPTValue.invalid)))
      let returned = try ctx.ite(hit, pre[.dataNS], pre[.memory])
      let fill = try ctx.and(passes, try ctx.not(hit))
      v[.lineNS] = try ctx.ite(fill, try k(GPTValue.clean), pre[.lineNS])
      v[.dataNS] = try ctx.ite(fill, pre[.memory], pre[.dataNS])
      return (try t(), v, try ctx.and(passes, try ctx.eq(returned, try k(GPTValue.secret))))
    case .hypWrite:
      let passes = try protectionCheck(&v)
      v[.lineNS] = try ctx.ite(passes, try k(GPTValue.dirty), pre[.lineNS])
      v[.dataNS] = try ctx.ite(passes, try k(GPTValue.host), pre[.dataNS])
      return (try t(), v, try f())
    case .tlbEvict:
      v[.tlbValid] = try f()
      v[.tlb] = try k(GPTValue.noAccess)
      return (pre[.tlbValid], v, try f())
    case .evictNS, .evictRealm:
      let (line, data) = action == .evictNS ? (GPTField.lineNS, GPTField.dataNS) : (.lineRealm, .dataRealm)
      try cleanInvalidate(&v, line: line, data: data)
      return (try ctx.not(try ctx.eq(pre[line], try k(GPTValue.invalid))), v, try f())
    case .realmWrite:
      v[.lineRealm] = try k(GPTValue.dirty)
      v[.dataRealm] = try k(GPTValue.secret)
      return (try ctx.and(pre[.delegated], try ctx.eq(pre[.gpi], try k(GPTValue.realm))), v, try f())
    case .delegate:
      // reference/rme.md §2.3: CMO target (Realm) alias, GPI := REALM, TLBI, CMO source (NS).
      try cleanInvalidate(&v, line: .lineRealm, data: .dataRealm)
      v[.gpi] = try k(GPTValue.realm)
      if !mutant {
        v[.tlbValid] = try f()
        v[.tlb] = try k(GPTValue.noAccess)
      }
      try cleanInvalidate(&v, line: .lineNS, data: .dataNS)
      v[.delegated] = try t()
      let enabled = try ctx.and(try ctx.not(pre[.delegated]), try ctx.eq(pre[.gpi], try k(GPTValue.ns)))
      return (enabled, v, try f())
    case .undelegate:
      // The RMM scrubs through the Realm alias (a dirty ZERO line), then EL3 (§2.4): GPI :=
      // NO_ACCESS, TLBI, CMO source (Realm), CMO target (NS), GPI := NS, TLBI.
      v[.lineRealm] = try k(GPTValue.dirty)
      v[.dataRealm] = try k(GPTValue.zero)
      v[.gpi] = try k(GPTValue.noAccess)
      v[.tlbValid] = try f()
      v[.tlb] = try k(GPTValue.noAccess)
      try cleanInvalidate(&v, line: .lineRealm, data: .dataRealm)
      try cleanInvalidate(&v, line: .lineNS, data: .dataNS)
      v[.gpi] = try k(GPTValue.ns)
      v[.delegated] = try f()
      return (try ctx.and(pre[.delegated], try ctx.eq(pre[.gpi], try k(GPTValue.realm))), v, try f())
    }
  }

  // MARK: The invariant

  /// Q(g): the conjuncts of reference/gpt-invariants.md ("What made `not leak` inductive"), for
  /// this model, plus well-typedness of the 2-bit fields (the value 3 means nothing).
  ///
  /// 1. a valid cached GPI equals the GPT's GPI;
  /// 2. GPI is NS exactly when the granule is UNDELEGATED, REALM exactly when DELEGATED;
  /// 3. an UNDELEGATED granule holds no SECRET in memory or in its valid NS line, and has no
  ///    valid Realm line;
  /// 4. a DELEGATED granule has no valid NS line.
  ///
  /// The reference's fifth conjunct ("a DELEGATED granule's secret is scrubbed") belongs to its
  /// three-state RMM (UNDELEGATED, DELEGATED, DATA) where the scrub (destroy-DATA) and the
  /// undelegate are separate steps. Here a realm writes SECRET straight into a DELEGATED granule
  /// and undelegate scrubs in the same step, so that conjunct is false in reachable states and
  /// not needed: the four above are inductive (the `baseline` table shows it).
  func invariantConjuncts(_ v: GranuleView) throws -> [Z3Expr] {
    var typing: [Z3Expr] = []
    for field in GPTField.allCases where !field.isBool {
      typing.append(try ctx.bvULE(v[field], try k(GPTValue.maximum)))
    }
    let delegated = v[.delegated]
    let undelegated = try ctx.not(delegated)
    let c1 = try ctx.implies(v[.tlbValid], try ctx.eq(v[.tlb], v[.gpi]))
    let c2 = try ctx.and(
      try ctx.eq(try ctx.eq(v[.gpi], try k(GPTValue.ns)), undelegated),
      try ctx.eq(try ctx.eq(v[.gpi], try k(GPTValue.realm)), delegated))
    let nsValid = try ctx.not(try ctx.eq(v[.lineNS], try k(GPTValue.invalid)))
    let c3 = try ctx.implies(
      undelegated,
      try ctx.and(
        try ctx.not(try ctx.eq(v[.memory], try k(GPTValue.secret))),
        try ctx.implies(nsValid, try ctx.not(try ctx.eq(v[.dataNS], try k(GPTValue.secret)))),
        try ctx.eq(v[.lineRealm], try k(GPTValue.invalid))))
    let c4 = try ctx.implies(delegated, try ctx.not(nsValid))
    return [try ctx.and(typing), c1, c2, c3, c4]
  }

  func q(_ v: GranuleView) throws -> Z3Expr { try ctx.and(try invariantConjuncts(v)) }

  // MARK: Solving

  /// How the queries of one check are put to Z3.
  enum SolverMode: String, CaseIterable {
    /// One solver: background assertions once, each query between push and pop (as the compiled
    /// checker does). After a push, libz3 answers with its incremental SMT core.
    case incremental
    /// One `QF_BV` solver (`Z3_mk_solver_for_logic`), push and pop per query: what the compiled
    /// checker uses for bounded queries since 929ba32 (libz3's incremental SAT-based bit-vector
    /// solver). Bounded checks only: the parametric encoding needs arrays and quantifiers.
    case qfbv = "qf-bv"
    /// A new solver per query with the background assertions and the query's own: libz3's
    /// non-incremental path, which may preprocess and bit-blast the whole query first.
    case fresh
  }

  /// The queries of one check: background assertions and the mode they are asked in.
  final class Queries {
    let owner: GPTBaseline
    let mode: SolverMode
    let timeout: Double
    private var background: [Z3Expr] = []
    private var persistent: Z3Solver?

    init(_ owner: GPTBaseline, mode: SolverMode, timeout: Double) {
      self.owner = owner
      self.mode = mode
      self.timeout = timeout
    }

    /// Adds a background assertion, kept for every later query.
    func add(_ formula: Z3Expr) throws {
      background.append(formula)
      if mode != .fresh { try solver().assert(formula) }
    }

    private func solver() throws -> Z3Solver {
      if let persistent { return persistent }
      let s = try owner.newSolver(timeout: timeout, logic: mode == .qfbv ? "QF_BV" : nil)
      persistent = s
      return s
    }

    /// Checks the background with `extra`; the model when satisfiable. `timed` queries count
    /// towards the solve seconds.
    func ask(_ extra: [Z3Expr], timed counted: Bool) throws -> (SolverResult, Z3Model?) {
      let s: Z3Solver
      switch mode {
      case .incremental, .qfbv:
        s = try solver()
        try s.push()
      case .fresh:
        s = try owner.newSolver(timeout: timeout)
        for f in background { try s.assert(f) }
      }
      defer { if mode != .fresh { try? s.pop() } }
      for f in extra { try s.assert(f) }
      owner.queries += 1
      let (result, seconds) = try timed { try s.check() }
      if counted { owner.solveSeconds += seconds }
      return (result, result == .sat ? try s.model() : nil)
    }
  }

  func newSolver(timeout: Double, logic: String? = nil) throws -> Z3Solver {
    let s = try Z3Solver(context: ctx, logic: logic)
    try s.setTimeout(milliseconds: UInt32(min(timeout * 1000, Double(UInt32.max - 1))))
    return s
  }

  func report(_ outcome: BaselineOutcome, since start: DispatchTime, notes: [String] = []) -> BaselineReport {
    BaselineReport(
      outcome: outcome, seconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9,
      solveSeconds: solveSeconds, queries: queries, notes: notes)
  }

  func begin() -> DispatchTime {
    queries = 0
    solveSeconds = 0
    return DispatchTime.now()
  }

  /// Initiation: Init satisfies the invariant. Returns an outcome when it does not.
  func initiation(_ initialInvariant: Z3Expr, mode: SolverMode, timeout: Double) throws -> BaselineOutcome? {
    let (result, _) = try Queries(self, mode: mode, timeout: timeout).ask([try ctx.not(initialInvariant)], timed: false)
    switch result {
    case .unsat: return nil
    case .sat: return .unknown("the initial state does not satisfy the invariant")
    case .unknown(let reason): return .unknown("initiation: \(reason)")
    }
  }

  /// Consecution for one action instance: nil when it holds (unsat).
  func consecution(_ q: Queries, _ context: [Z3Expr], enabled: Z3Expr, postInvariant: Z3Expr, action: GPTAction) throws
    -> BaselineOutcome?
  {
    switch try q.ask(context + [enabled, try ctx.not(postInvariant)], timed: true).0 {
    case .unsat: return nil
    case .sat: return .cti(action: action.name)
    case .unknown(let reason): return .unknown("Z3 answered unknown on \(action.name): \(reason)")
    }
  }

  /// Vacuity: is the action enabled in some state satisfying the invariant?
  func enabledSomewhere(_ q: Queries, _ context: [Z3Expr], enabled: Z3Expr) throws -> Bool? {
    switch try q.ask(context + [enabled], timed: false).0 {
    case .sat: return true
    case .unsat: return false
    case .unknown: return nil
    }
  }

  func vacuityNotes(_ results: [(GPTAction, Bool?)]) -> [String] {
    results.compactMap { action, enabled in
      switch enabled {
      case true: nil
      case false: "\(action.name) is never enabled under the invariant (its consecution is vacuous)"
      default: "vacuity of \(action.name): Z3 answered unknown"
      }
    }
  }

  // MARK: (i) Parametric induction

  /// Proves `not leak` inductive with `forall g. Q(g)` for any number of granules: granules an
  /// uninterpreted sort, each field an array, the acting granule a fresh constant, the
  /// post-state by `store`; one consecution and one vacuity query per action.
  func parametricInduction(mode: SolverMode, timeout: Double) throws -> BaselineReport {
    let start = begin()
    guard mode != .qfbv else {
      return report(.unknown("the QF_BV solver has no arrays or quantifiers"), since: start)
    }
    let granule = try ctx.uninterpretedSort(named: "Granule")
    func arraySort(_ field: GPTField) throws -> Z3Sort { try ctx.arraySort(domain: granule, range: sort(field)) }
    func view(_ arrays: [Z3Expr], _ g: Z3Expr) throws -> GranuleView {
      GranuleView(fields: try arrays.map { try ctx.select($0, g) })
    }
    let g = try ctx.constant(named: "g", sort: granule)
    func invariant(_ arrays: [Z3Expr], leak: Z3Expr) throws -> Z3Expr {
      try ctx.and(try ctx.not(leak), try ctx.forall([g], try q(try view(arrays, g))))
    }

    // Initiation: constant arrays.
    let initial = try GPTField.allCases.map { try ctx.constArray(domain: granule, value: try initialValue($0)) }
    if let outcome = try initiation(try invariant(initial, leak: try f()), mode: mode, timeout: timeout) {
      return report(outcome, since: start)
    }

    // Consecution.
    let queries = Queries(self, mode: mode, timeout: timeout)
    let pre = try GPTField.allCases.map { try ctx.constant(named: "pre.\($0.name)", sort: try arraySort($0)) }
    let leak = try ctx.constant(named: "pre.leak", sort: boolSort)
    try queries.add(try invariant(pre, leak: leak))
    var vacuity: [(GPTAction, Bool?)] = []
    for action in GPTAction.allCases {
      let a = try ctx.constant(named: "acting.\(action.rawValue)", sort: granule)
      let (enabled, postView, leaks) = try step(action, try view(pre, a))
      let post = try zip(pre, postView.fields).map { try ctx.store($0, a, $1) }
      let postInvariant = try invariant(post, leak: try ctx.or(leak, leaks))
      if let outcome = try consecution(queries, [], enabled: enabled, postInvariant: postInvariant, action: action) {
        return report(outcome, since: start)
      }
      vacuity.append((action, try enabledSomewhere(queries, [], enabled: enabled)))
    }
    return report(.proved, since: start, notes: vacuityNotes(vacuity))
  }

  // MARK: (ii) Bounded induction

  /// How a bounded consecution query picks the acting granule.
  enum Acting: String, CaseIterable {
    /// One query per action; the acting granule is a bit-vector constant and every field of the
    /// post-state an `ite` on it.
    case symbolic
    /// One query per action and granule, as the compiled encoding enumerates argument tuples.
    case enumerated
  }

  static func width(for count: Int) -> Int { max(1, Int.bitWidth - count.leadingZeroBitCount) }

  /// The acting granule's fields, selected from per-granule views by an `ite` chain on `a`.
  func select(_ views: [GranuleView], _ a: Z3Expr, width: Int) throws -> GranuleView {
    var selected = views[views.count - 1]
    for i in stride(from: views.count - 2, through: 0, by: -1) {
      let hit = try ctx.eq(a, try ctx.bitVector(UInt64(i), width: width))
      selected = GranuleView(fields: try zip(views[i].fields, selected.fields).map { try ctx.ite(hit, $0, $1) })
    }
    return selected
  }

  /// The same proof unrolled over `granules` granules: each field one constant per granule.
  func boundedInduction(granules n: Int, acting: Acting, mode: SolverMode, timeout: Double) throws -> BaselineReport {
    let start = begin()
    // Initiation (a closed formula: Z3 simplifies it to false at once).
    let initialQ = try q(try initialView())
    if let outcome = try initiation(try ctx.and(Array(repeating: initialQ, count: n)), mode: mode, timeout: timeout) {
      return report(outcome, since: start)
    }

    let queries = Queries(self, mode: mode, timeout: timeout)
    let views = try (0..<n).map { i in
      GranuleView(fields: try GPTField.allCases.map { try ctx.constant(named: "pre.\($0.name)[\(i)]", sort: sort($0)) })
    }
    let leak = try ctx.constant(named: "pre.leak", sort: boolSort)
    let preQ = try views.map { try q($0) }
    try queries.add(try ctx.not(leak))
    for c in preQ { try queries.add(c) }
    var vacuity: [(GPTAction, Bool?)] = []
    let w = Self.width(for: n)
    for action in GPTAction.allCases {
      switch acting {
      case .symbolic:
        let a = try ctx.constant(named: "acting.\(action.rawValue)", sort: try ctx.bitVectorSort(width: w))
        let inRange = [try ctx.bvULT(a, try ctx.bitVector(UInt64(n), width: w))]
        let (enabled, postA, leaks) = try step(action, try select(views, a, width: w))
        var postQ: [Z3Expr] = []
        for (i, v) in views.enumerated() {
          let hit = try ctx.eq(a, try ctx.bitVector(UInt64(i), width: w))
          postQ.append(try q(GranuleView(fields: try zip(postA.fields, v.fields).map { try ctx.ite(hit, $0, $1) })))
        }
        let postInvariant = try ctx.and(try ctx.not(try ctx.or(leak, leaks)), try ctx.and(postQ))
        if let outcome = try consecution(queries, inRange, enabled: enabled, postInvariant: postInvariant, action: action) {
          return report(outcome, since: start)
        }
        vacuity.append((action, try enabledSomewhere(queries, inRange, enabled: enabled)))
      case .enumerated:
        var enabledAnywhere: Bool? = false
        for i in 0..<n {
          let (enabled, post, leaks) = try step(action, views[i])
          var postQ = preQ
          postQ[i] = try q(post)
          let postInvariant = try ctx.and(try ctx.not(try ctx.or(leak, leaks)), try ctx.and(postQ))
          if let outcome = try consecution(queries, [], enabled: enabled, postInvariant: postInvariant, action: action) {
            return report(outcome, since: start)
          }
          if enabledAnywhere != true {
            switch try enabledSomewhere(queries, [], enabled: enabled) {
            case true: enabledAnywhere = true
            case false: break
            default: enabledAnywhere = nil
            }
          }
        }
        vacuity.append((action, enabledAnywhere))
      }
    }
    return report(.proved, since: start, notes: vacuityNotes(vacuity))
  }

  // MARK: (iii) BMC

  /// Searches for a leak within `depth` steps of the initial state over `granules` granules,
  /// deepening one step at a time (the first trace found is a shortest one). Each step chooses
  /// an action and an acting granule symbolically.
  func bmc(granules n: Int, depth: Int, mode: SolverMode, timeout: Double) throws -> BaselineReport {
    let start = begin()
    let queries = Queries(self, mode: mode, timeout: timeout)
    let w = Self.width(for: n)
    let actionWidth = Self.width(for: GPTAction.allCases.count)
    var states = [try Array(repeating: initialView(), count: n)]
    var leaks = [try f()]
    var choices: [(action: Z3Expr, granule: Z3Expr)] = []
    for d in 0...depth {
      let (result, model) = try queries.ask([leaks[d]], timed: true)
      switch result {
      case .sat:
        guard let m = model else { return report(.unknown("no model for a sat answer"), since: start) }
        var steps: [String] = []
        for c in choices {
          let action = GPTAction(rawValue: Int(try m.bitVectorValue(of: c.action)))?.name ?? "?"
          steps.append("\(action) g\(try m.bitVectorValue(of: c.granule))")
        }
        return report(.violated(steps: steps), since: start)
      case .unknown(let reason):
        return report(.unknown("Z3 answered unknown at depth \(d): \(reason)"), since: start)
      case .unsat:
        break
      }
      guard d < depth else { break }
      let action = try ctx.constant(named: "s\(d).action", sort: try ctx.bitVectorSort(width: actionWidth))
      let a = try ctx.constant(named: "s\(d).granule", sort: try ctx.bitVectorSort(width: w))
      try queries.add(try ctx.bvULT(action, try ctx.bitVector(UInt64(GPTAction.allCases.count), width: actionWidth)))
      try queries.add(try ctx.bvULT(a, try ctx.bitVector(UInt64(n), width: w)))
      let acting = try select(states[d], a, width: w)
      var post = acting
      var enabled: [Z3Expr] = []
      var leaked: [Z3Expr] = []
      for act in GPTAction.allCases.reversed() {
        let chosen = try ctx.eq(action, try ctx.bitVector(UInt64(act.rawValue), width: actionWidth))
        let (e, p, l) = try step(act, acting)
        enabled.append(try ctx.implies(chosen, e))
        leaked.append(try ctx.and(chosen, l))
        post = GranuleView(fields: try zip(p.fields, post.fields).map { try ctx.ite(chosen, $0, $1) })
      }
      try queries.add(try ctx.and(enabled))
      var next: [GranuleView] = []
      for (i, v) in states[d].enumerated() {
        let hit = try ctx.eq(a, try ctx.bitVector(UInt64(i), width: w))
        next.append(GranuleView(fields: try zip(post.fields, v.fields).map { try ctx.ite(hit, $0, $1) }))
      }
      states.append(next)
      leaks.append(try ctx.or(leaks[d], try ctx.or(leaked)))
      choices.append((action, a))
    }
    return report(.holdsBounded(depth: depth), since: start)
  }
}
