import Explore
import Foundation
import Infer
import Spec
import Symbolic
import Testing

/// Mutual exclusion with a lock, for `count` processes.
///
/// The property is not inductive on its own (a CTI has one process critical with the lock free),
/// and one lemma fixes that (`pc[p] = CRITICAL → lock`). With `clock`, an action `tick` flips a
/// variable nothing else reads (a step every formula over `pc` and `lock` is framed out of).
func mutexModel(processes count: Int = 3, clock: Bool = false) -> Model {
  let proc = Domain.index(IndexSort("Proc", count: count))
  let pcs = FiniteSet("PC", cases: ["IDLE", "WAITING", "CRITICAL"])
  let b = ModelBuilder(name: "mutex", configuration: Configuration(name: "n\(count)", bounds: ["processes": count]))
  let pc = b.map("pc", keys: [proc], .finite(pcs), doc: "each process's program counter") { _ in 0 }
  let lock = b.variable("lock", .bool, doc: "the lock is held", initial: false)
  b.action("request", by: "process", parameters: [Parameter("p", proc)]) { a in
    a.requires(pc[a.arg("p")].eq(0))
    a.set(pc, [a.arg("p")], to: 1)
  }
  b.action("acquire", by: "process", parameters: [Parameter("p", proc)]) { a in
    a.requires(pc[a.arg("p")].eq(1) && !lock.value)
    a.set(pc, [a.arg("p")], to: 2)
    a.set(lock, to: true)
  }
  b.action("release", by: "process", parameters: [Parameter("p", proc)]) { a in
    a.requires(pc[a.arg("p")].eq(2))
    a.set(pc, [a.arg("p")], to: 0)
    a.set(lock, to: false)
  }
  if clock {
    let ticks = b.variable("ticks", .bool, doc: "flipped by every tick", initial: false)
    b.action("tick", by: "clock", parameters: []) { a in a.set(ticks, to: !ticks.value) }
  }
  b.invariant(
    "mutex",
    .forAll(proc) { p in .forAll(proc) { q in (p.ne(q) && pc[p].eq(2)).implies(pc[q].ne(2)) } })
  return b.build()
}

/// A lock with a holder, where a release by a process that does not hold the lock sets a monitor.
///
/// The monitor's property needs `pc[p] = CRITICAL → holder = p` (a cell equal to a quantified key),
/// which no template states, but the model declares it as an invariant of its own.
func holderModel(processes count: Int = 3) -> Model {
  let proc = Domain.index(IndexSort("Proc", count: count))
  let pcs = FiniteSet("PC", cases: ["IDLE", "CRITICAL"])
  let b = ModelBuilder(name: "holder", configuration: Configuration(name: "n\(count)", bounds: ["processes": count]))
  let pc = b.map("pc", keys: [proc], .finite(pcs), doc: "each process's program counter") { _ in 0 }
  let held = b.variable("held", .bool, doc: "the lock is held", initial: false)
  let holder = b.variable("holder", proc, doc: "the process holding the lock", initial: 0)
  let foreign = b.variable("foreignRelease", .bool, role: .monitor, doc: "a release by a non-holder", initial: false)
  b.action("acquire", by: "process", parameters: [Parameter("p", proc)]) { a in
    a.requires(pc[a.arg("p")].eq(0) && !held.value)
    a.set(pc, [a.arg("p")], to: 1)
    a.set(held, to: true)
    a.set(holder, to: a.arg("p"))
  }
  b.action("release", by: "process", parameters: [Parameter("p", proc)]) { a in
    a.requires(pc[a.arg("p")].eq(1))
    a.set(pc, [a.arg("p")], to: 0)
    a.set(held, to: false)
    a.when(holder.value.ne(a.arg("p"))) { a.set(foreign, to: true) }
  }
  b.monitor("no-foreign-release", flag: foreign)
  b.invariant("holder-is-critical", .forAll(proc) { p in pc[p].eq(1).implies(holder.value.eq(p)) })
  return b.build()
}

/// Lines collected from a progress callback (which may be called from any thread).
final class Lines: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []
  func append(_ line: String) { lock.withLock { lines.append(line) } }
  var all: [String] { lock.withLock { lines } }
}

@Suite("Invariant inference")
struct InferenceTests {
  /// A budget large enough for debug builds; the runs take a second or two.
  static let options = InferenceOptions(budget: 120)

  @Test("mutex is not inductive alone; inference finds the lock lemma and proves it")
  func mutexProvedByInference() throws {
    let model = mutexModel()
    let plain = try SymbolicChecker(model: model).induction(properties: [0], lemmas: [])
    guard case .cti = plain.outcome else {
      Issue.record("expected a CTI without lemmas, got \(plain.outcome)")
      return
    }
    var options = Self.options
    let shown = Lines()
    options.progress = { shown.append($0) }
    let report = Inference.run(model: model, properties: [0], options: options)
    #expect(report.outcome == .proved, "\(report.outcome)")
    #expect(report.exhaustive)
    // Progress: every note as it is written, and a line per Houdini pass, whose kept counts the
    // notes repeat.
    let passes = shown.all.filter { $0.hasPrefix("Houdini pass ") }
    #expect(!passes.isEmpty && shown.all.filter { !$0.hasPrefix("Houdini pass ") } == report.notes, "\(shown.all)")
    #expect(report.notes.contains { $0.hasPrefix("Houdini's passes") }, "\(report.notes)")
    #expect(report.keptAfterSampling <= report.generated)
    #expect(report.keptAfterHoudini <= report.keptAfterSampling)
    #expect(
      report.lemmas.contains { $0.text == "∀ p0: Proc. pc[p0] = CRITICAL → lock ≠ false" },
      "\(report.lemmas.map(\.text))")
    // The printed lemmas prove the property by ordinary induction, as hand-written ones would.
    let proof = Inference.prove(
      model: model, properties: [0], lemmas: report.lemmas, options: Self.options, seconds: 60)
    #expect(proof.outcome == .proved)
    // Without the lemmas the same check fails: the lemmas carry the proof.
    let bare = Inference.prove(model: model, properties: [0], lemmas: [], options: Self.options, seconds: 60)
    #expect(bare.outcome != .proved)
  }

  @Test("with cores the first induction check takes the lemmas the last pass's cores name, fewer than Houdini kept")
  func coresPickTheFirstProof() throws {
    let model = mutexModel(processes: 3)
    var options = Self.options
    options.tryAlone = false
    options.cores = true
    let cored = Inference.run(model: model, properties: [0], options: options)
    options.cores = false
    let plain = Inference.run(model: model, properties: [0], options: options)
    #expect(cored.outcome == .proved && plain.outcome == .proved, "\(cored.outcome) \(plain.outcome)")
    #expect(cored.keptAfterHoudini == plain.keptAfterHoudini, "\(cored.keptAfterHoudini) \(plain.keptAfterHoudini)")
    let prefix = "induction check with the "
    let note = try #require(cored.notes.first { $0.hasPrefix(prefix) }, "\(cored.notes)")
    let count = try #require(Int(note.dropFirst(prefix.count).prefix { $0.isNumber }))
    #expect(
      note.contains("cores name: inductive") && count < cored.keptAfterHoudini, "\(note) \(cored.keptAfterHoudini)")
    #expect(!cored.notes.contains { $0.hasPrefix("induction check with Houdini's") }, "\(cored.notes)")
    #expect(
      !plain.notes.contains { $0.hasPrefix(prefix) }
        && plain.notes.contains { $0.hasPrefix("induction check with Houdini's") })
  }

  @Test("without minimisation the proof's lemmas are Houdini's whole set; with two workers the same proof")
  func unminimisedOnTwoWorkers() throws {
    let model = mutexModel(processes: 3)
    var options = Self.options
    options.tryAlone = false
    let minimised = Inference.run(model: model, properties: [0], options: options)
    options.minimise = false
    options.workers = 2
    let whole = Inference.run(model: model, properties: [0], options: options)
    #expect(minimised.outcome == .proved && whole.outcome == .proved, "\(minimised.outcome) \(whole.outcome)")
    #expect(whole.keptAfterHoudini == minimised.keptAfterHoudini)
    #expect(whole.notes.contains { $0.contains("not minimised (minimisation off)") }, "\(whole.notes)")
    #expect(!minimised.notes.contains { $0.contains("not minimised") }, "\(minimised.notes)")
    #expect(whole.lemmas.count == whole.keptAfterHoudini && minimised.lemmas.count < whole.lemmas.count)
  }

  @Test("the induction check on two threads (the actions shared out) proves and refutes as on one")
  func proveOnTwoWorkers() throws {
    let model = mutexModel(processes: 3)
    let report = Inference.run(model: model, properties: [0], options: Self.options)
    #expect(report.outcome == .proved, "\(report.outcome)")
    var two = Self.options
    two.workers = 2
    let one = Inference.prove(model: model, properties: [0], lemmas: report.lemmas, options: Self.options, seconds: 60)
    let split = Inference.prove(model: model, properties: [0], lemmas: report.lemmas, options: two, seconds: 60)
    #expect(one.outcome == .proved && split.outcome == .proved, "\(one.outcome) \(split.outcome)")
    // Both parts ask initiation; the consecution queries are shared out, none asked twice.
    #expect(split.queries >= one.queries, "\(split.queries) \(one.queries)")
    // Without the lemmas: a CTI of acquire (the only action that can break mutex) either way.
    let bareOne = Inference.prove(model: model, properties: [0], lemmas: [], options: Self.options, seconds: 60)
    let bareTwo = Inference.prove(model: model, properties: [0], lemmas: [], options: two, seconds: 60)
    guard case .cti(let a) = bareOne.outcome, case .cti(let b) = bareTwo.outcome else {
      Issue.record("expected CTIs, got \(bareOne.outcome) and \(bareTwo.outcome)")
      return
    }
    #expect(a.action == "acquire" && b.action == "acquire", "\(a.action) \(b.action)")
  }

  @Test("mutex proved by inference for any number of processes (parametric)")
  func mutexParametric() throws {
    var options = Self.options
    options.parametricSorts = ["Proc"]
    let report = Inference.run(model: mutexModel(), properties: [0], options: options)
    #expect(report.outcome == .proved, "\(report.outcome)")
    #expect(report.scope == "parametric (Proc)")
  }

  @Test("Docs/writing-a-model.md's tracker is proved by inference; its mutant is violated with a replayable trace")
  func trackerFromTheGuide() throws {
    let model = try Tracker.family.build(Tracker.family.configurations[1])
    let p = try #require(model.properties.firstIndex { $0.name == "delegations-counted" })
    // The templates' path (the property is inductive alone, see the next test).
    var options = Self.options
    options.tryAlone = false
    let report = Inference.run(model: model, properties: [p], options: options)
    #expect(report.outcome == .proved, "\(report.outcome)")
    #expect(report.statesSampled == 16)

    var buggy = Tracker.family.configurations[0]
    buggy.mutant = "undelegate-skips-state-check"
    let mutant = try Tracker.family.build(buggy)
    let found = Inference.run(model: mutant, properties: [p], options: Self.options)
    guard case .violated(let trace) = found.outcome else {
      Issue.record("expected a violation, got \(found.outcome)")
      return
    }
    #expect(trace.steps.map(\.action) == ["DELEGATE", "UNDELEGATE"])
    #expect(replay(try CompiledModel(mutant), trace: trace) == .exact)
  }

  @Test("a property inductive on its own is proved with no lemma, before sampling")
  func inductiveAlone() throws {
    let model = try Tracker.family.build(Tracker.family.configurations[1])
    let p = try #require(model.properties.firstIndex { $0.name == "delegations-counted" })
    let report = Inference.run(model: model, properties: [p], options: Self.options)
    #expect(report.outcome == .proved, "\(report.outcome)")
    #expect(report.lemmas.isEmpty)
    #expect(report.statesSampled == 0)
    // The mutex property is not: the first check gives a CTI and the templates carry the proof.
    let mutex = Inference.run(model: mutexModel(), properties: [0], options: Self.options)
    #expect(mutex.outcome == .proved, "\(mutex.outcome)")
    #expect(!mutex.lemmas.isEmpty)
    #expect(mutex.notes.contains { $0.hasPrefix("the properties alone: CTI") }, "\(mutex.notes)")
  }

  @Test("the cone of influence leaves out a variable the property cannot depend on")
  func coneOfInfluence() throws {
    let proc = Domain.index(IndexSort("Proc", count: 2))
    let b = ModelBuilder(name: "cone", configuration: Configuration(name: "c", bounds: [:]))
    let x = b.variable("x", .bool, doc: "the property's", initial: false)
    let y = b.variable("y", .bool, doc: "feeds x", initial: false)
    let z = b.map("z", keys: [proc], .bool, doc: "written from x, never read back") { _ in false }
    b.action("setY", by: "a", parameters: []) { a in a.set(y, to: true) }
    b.action("copy", by: "a", parameters: []) { a in
      a.requires(y.value)
      a.set(x, to: true)
    }
    b.action("mark", by: "a", parameters: [Parameter("p", proc)]) { a in
      a.requires(x.value)
      a.set(z, [a.arg("p")], to: true)
    }
    b.invariant("x-implies-y", x.value.implies(y.value))
    let model = b.build()
    let cone = Cone.of(model, properties: [0])
    #expect(Set(cone.map { model[$0].name }) == ["x", "y"])
  }

  /// The mutex property, the lock lemma, and five candidates true initially but not preserved.
  static func mutexFormulas(_ model: Model, processes: Int) -> [Expr] {
    let proc = Domain.index(IndexSort("Proc", count: processes))
    let pc = VariableID(0)
    let lock = VariableID(1)
    return [
      model.properties[0].formula,
      .forAll(proc) { p in Expr.read(pc, keys: [p]).eq(2).implies(.read(lock, keys: [])) },
      .forAll(proc) { p in Expr.read(pc, keys: [p]).eq(0) },
      .forAll(proc) { p in Expr.read(pc, keys: [p]).ne(1) },
      .forAll(proc) { p in Expr.read(pc, keys: [p]).ne(2) },
      !Expr.read(lock, keys: []),
      .forAll(proc) { p in Expr.read(pc, keys: [p]).eq(1).implies(!Expr.read(lock, keys: [])) },
    ]
  }

  @Test("Houdini asking in groups, one candidate per query, or of a shared solver keeps the same inductive set")
  func houdiniChunks() throws {
    let model = mutexModel(processes: 2)
    let formulas = Self.mutexFormulas(model, processes: 2)
    var kept: [[Int]] = []
    // A solver per query (the default in a bounded run) and one shared incremental solver.
    let runs = [
      (0, ArgumentEncoding.enumerated, true), (1, .symbolic, true), (2, .symbolic, true), (0, .symbolic, false),
    ]
    for (chunk, arguments, fresh) in runs {
      var options = SymbolicOptions(timeout: 60, arguments: arguments)
      options.freshSolverPerQuery = fresh
      let checker = try SymbolicChecker(model: model, options: options)
      let r = checker.houdini(formulas, protected: [0], chunk: chunk, queryLimit: 30)
      #expect(r.incomplete == nil, "\(r.incomplete ?? "")")
      #expect(r.unanswered.isEmpty)
      kept.append(r.kept)
    }
    #expect(kept.allSatisfy { $0 == [0, 1] }, "\(kept)")
  }

  @Test("Houdini asks nothing of an action that writes no variable a kept formula reads, and reports each pass")
  func houdiniFrameAndPasses() throws {
    let model = mutexModel(processes: 2, clock: true)
    let formulas = Self.mutexFormulas(model, processes: 2)
    var shown: [HoudiniPass] = []
    var steps: [HoudiniActionStep] = []
    let r = try SymbolicChecker(model: model, options: SymbolicOptions(timeout: 60))
      .houdini(
        formulas, protected: [0], chunk: 0, queryLimit: 30, progress: { shown.append($0) },
        actionDone: { steps.append($0) })
    #expect(r.incomplete == nil, "\(r.incomplete ?? "")")
    // The same inductive set as without the clock (houdiniChunks), with no query about `tick`.
    #expect(r.kept == [0, 1], "\(r.kept)")
    #expect(r.perAction["tick"] == nil && r.perAction["acquire"] != nil, "\(r.perAction.keys.sorted())")
    #expect(r.framed == r.passes.count, "tick is left out once per pass: \(r.framed), \(r.passes.count) passes")
    // Each pass is shown as it ends; the counts chain, and the last pass drops nothing.
    #expect(shown == r.passes)
    #expect(r.passes.count >= 2 && r.passes.last?.dropped == 0 && r.passes.last?.kept == r.kept.count)
    #expect(zip(r.passes, r.passes.dropFirst()).allSatisfy { $1.kept == $0.kept - $1.dropped }, "\(r.passes)")
    #expect(r.passes.map(\.pass) == Array(1...r.passes.count))
    // One step report per action asked about (request, acquire, release) per pass; they add up.
    #expect(steps.count == 3 * r.passes.count && !steps.contains { $0.action == "tick" })
    #expect(steps.map(\.dropped).reduce(0, +) == r.passes.map(\.dropped).reduce(0, +))
    #expect(steps.map(\.ctis).reduce(0, +) == r.ctis.filter { $0.action != "(initial state)" }.count)
  }

  @Test("after a CTI Houdini asks again only the group that gave it; the others wait for the next pass")
  func houdiniReaskOnlyTheCTIGroup() throws {
    let (model, formulas) = Self.copyModel()
    var steps: [HoudiniActionStep] = []
    // Groups of one: copy can change [y = 0] (answered unsat) and [!u] (sat, dropped).
    let r = try SymbolicChecker(model: model, options: SymbolicOptions(timeout: 60))
      .houdini(
        formulas, protected: [0], chunk: 1, queryLimit: 30, relevance: false, actionDone: { steps.append($0) })
    #expect(r.incomplete == nil && r.kept == [0, 1, 2], "\(r.incomplete ?? "") \(r.kept)")
    let first = try #require(steps.first { $0.pass == 1 })
    // The CTI of [!u] does not send [y = 0] back to Z3 within the pass: one query per group.
    #expect(first.ctis == 1 && first.dropped == 1 && first.queries == 2, "\(first)")
    // The next pass asks [y = 0] again under the smaller set, and drops nothing.
    #expect(r.passes.count == 2 && r.passes.last?.dropped == 0, "\(r.passes)")
    #expect(steps.last?.queries == 1, "\(steps)")
  }

  /// `copy` sets y to x and flips u; y = 0 rests on x = z and z = 0; `!u` is broken by copy.
  static func copyModel() -> (Model, [Expr]) {
    let small = Domain.index(IndexSort("Small", count: 3))
    let b = ModelBuilder(name: "copy", configuration: Configuration(name: "c", bounds: [:]))
    let x = b.variable("x", small, doc: "read by copy", initial: 0)
    let y = b.variable("y", small, doc: "written by copy", initial: 0)
    let z = b.variable("z", small, doc: "read by no action", initial: 0)
    let u = b.variable("u", .bool, doc: "flipped by copy", initial: false)
    b.action("copy", by: "host", parameters: []) { a in
      a.set(y, to: x.value)
      a.set(u, to: !u.value)
    }
    b.invariant("y-zero", y.value.eq(0))
    let model = b.build()
    return (model, [model.properties[0].formula, x.value.eq(z.value), z.value.eq(0), !u.value])
  }

  @Test(
    "relevance: a query asserts the kept formulas near the goal and the action, widened by what its pre-state falsifies"
  )
  func houdiniRelevance() throws {
    let (model, all4) = Self.copyModel()
    // y = 0 rests on x = z (near: copy reads x) and on z = 0 (shares no variable with the goal
    // or the action): a query asserting only the near ones is sat with z ≠ 0 in its pre-state.
    let formulas = Array(all4.prefix(3))
    let checker = { try SymbolicChecker(model: model, options: SymbolicOptions(timeout: 60)) }
    let near = try checker().houdini(formulas, protected: [0], queryLimit: 30)
    let all = try checker().houdini(formulas, protected: [0], queryLimit: 30, relevance: false)
    #expect(near.incomplete == nil && all.incomplete == nil, "\(near.incomplete ?? "") \(all.incomplete ?? "")")
    #expect(near.kept == [0, 1, 2] && all.kept == near.kept, "\(near.kept) \(all.kept)")
    #expect(near.widened >= 1 && all.widened == 0, "\(near.widened) \(all.widened)")
    #expect(near.ctis.isEmpty, "\(near.ctis)")
  }

  /// `copy2` copies x to y and z to w: y = 0 rests on x = 0 only, w = 0 on z = 0 only.
  static func twoCopiesModel() -> (Model, [Expr]) {
    let small = Domain.index(IndexSort("Small", count: 3))
    let b = ModelBuilder(name: "copies", configuration: Configuration(name: "c", bounds: [:]))
    let x = b.variable("x", small, doc: "copied to y", initial: 0)
    let y = b.variable("y", small, doc: "a copy of x", initial: 0)
    let z = b.variable("z", small, doc: "copied to w", initial: 0)
    let w = b.variable("w", small, doc: "a copy of z", initial: 0)
    b.action("copy2", by: "host", parameters: []) { a in
      a.set(y, to: x.value)
      a.set(w, to: z.value)
    }
    b.invariant("y-zero", y.value.eq(0))
    let model = b.build()
    return (model, [model.properties[0].formula, x.value.eq(0), w.value.eq(0), z.value.eq(0)])
  }

  @Test("cores: a group seeded with another group's core comes back sat, is widened, and the kept set is unchanged")
  func houdiniCores() throws {
    let (model, formulas) = Self.twoCopiesModel()
    let checker = { try SymbolicChecker(model: model, options: SymbolicOptions(timeout: 60)) }
    let plain = try checker().houdini(formulas, protected: [0], chunk: 1, queryLimit: 30)
    let cored = try checker().houdini(formulas, protected: [0], chunk: 1, queryLimit: 30, cores: true)
    #expect(plain.incomplete == nil && cored.incomplete == nil, "\(plain.incomplete ?? "") \(cored.incomplete ?? "")")
    #expect(plain.kept == [0, 1, 2, 3] && cored.kept == plain.kept, "\(plain.kept) \(cored.kept)")
    // The group [w = 0] first asserts the core of [y = 0] ({x = 0}): sat with z ≠ 0, which
    // falsifies z = 0, left out; asked again with the relevant formulas, unsat.
    #expect(plain.widened == 0 && cored.widened == 1, "\(plain.widened) \(cored.widened)")
    #expect(cored.ctis.isEmpty && cored.queries == plain.queries + 1, "\(cored.ctis) \(cored.queries) \(plain.queries)")
    // The last pass's cores: y = 0 rests on x = 0, w = 0 on z = 0.
    #expect(plain.coreSupport(of: [0]) == nil)
    #expect(cored.coreSupport(of: [0]) == [0, 1], "\(cored.cores)")
    #expect(cored.coreSupport(of: [2]) == [2, 3], "\(cored.cores)")
  }

  @Test(
    "cores: a core whose formula a later CTI drops is widened in the next pass; the kept set equals the run without")
  func houdiniCoresAfterDrops() throws {
    // y = 0 rests on x = z and z = 0 (relevance's test model); !u is dropped by the first CTI.
    let (model, formulas) = Self.copyModel()
    let checker = { try SymbolicChecker(model: model, options: SymbolicOptions(timeout: 60)) }
    for chunk in [0, 1] {
      let plain = try checker().houdini(formulas, protected: [0], chunk: chunk, queryLimit: 30)
      let cored = try checker().houdini(formulas, protected: [0], chunk: chunk, queryLimit: 30, cores: true)
      #expect(plain.incomplete == nil && cored.incomplete == nil)
      #expect(plain.kept == [0, 1, 2] && cored.kept == plain.kept, "chunk \(chunk): \(plain.kept) \(cored.kept)")
      #expect(cored.coreSupport(of: [0]) == [0, 1, 2], "chunk \(chunk): \(cored.cores)")
    }
  }

  @Test("cores: an answer whose core is still kept is not asked again; the kept set and its closure are unchanged")
  func houdiniCoresReused() throws {
    let model = mutexModel(processes: 3)
    let formulas = Self.mutexFormulas(model, processes: 3)
    let checker = { try SymbolicChecker(model: model, options: SymbolicOptions(timeout: 60)) }
    let plain = try checker().houdini(formulas, protected: [0], chunk: 1, queryLimit: 30)
    let cored = try checker().houdini(formulas, protected: [0], chunk: 1, queryLimit: 30, cores: true)
    #expect(plain.incomplete == nil && cored.incomplete == nil, "\(plain.incomplete ?? "") \(cored.incomplete ?? "")")
    #expect(plain.kept == [0, 1] && cored.kept == plain.kept, "\(plain.kept) \(cored.kept)")
    // Every pass after the first re-asks only what a drop touched; the last pass drops nothing.
    #expect(plain.reused == 0 && cored.reused > 0, "\(plain.reused) \(cored.reused)")
    #expect(cored.passes.count >= 2 && plain.passes.count >= 2, "\(cored.passes) \(plain.passes)")
    let lastPass = { (r: HoudiniReport) in r.passes[r.passes.count - 1].queries - r.passes[r.passes.count - 2].queries }
    #expect(lastPass(cored) < lastPass(plain), "\(cored.passes) \(plain.passes)")
    // The closure of the goal under the last pass's cores (asked or reused) is inductive.
    let support = try #require(cored.coreSupport(of: [0]))
    let again = try checker().houdini(support.map { formulas[$0] }, protected: [0], chunk: 0, queryLimit: 30)
    #expect(again.incomplete == nil && again.kept.count == support.count, "\(support) \(again.kept)")
  }

  @Test("with relevance every CTI Z3 gives starts from a state satisfying every formula kept at that moment")
  func houdiniRelevanceCTIsAreGenuine() throws {
    let model = mutexModel(processes: 3)
    let formulas = Self.mutexFormulas(model, processes: 3)
    let r = try SymbolicChecker(model: model, options: SymbolicOptions(timeout: 60))
      .houdini(formulas, protected: [0], chunk: 2, queryLimit: 30, relevance: true)
    #expect(r.incomplete == nil && r.kept == [0, 1], "\(r.incomplete ?? "") \(r.kept)")
    let compiled = try Refuter(model: model, formulas: formulas).compiled
    var kept = Set(formulas.indices)
    var checked = 0
    for cti in r.ctis {
      if let values = cti.pre {
        let pre = try compiled.state(fromValues: values)
        for i in kept.sorted() { #expect(try compiled.holds(i, in: pre), "\(cti.action) pre-state falsifies \(i)") }
        checked += 1
      }
      kept.subtract(cti.broken)
    }
    #expect(checked > 0)
  }

  @Test("the concrete refuter drops candidates from Z3's CTI pre-states: same inductive set, fewer queries")
  func houdiniRefuter() throws {
    let model = mutexModel(processes: 3)
    let formulas = Self.mutexFormulas(model, processes: 3)
    let plain = try SymbolicChecker(model: model, options: SymbolicOptions(timeout: 60))
      .houdini(formulas, protected: [0], chunk: 0, queryLimit: 30)
    let refuter = try Refuter(model: model, formulas: formulas, maxStates: 16, seconds: 10)
    let refuted = try SymbolicChecker(model: model, options: SymbolicOptions(timeout: 60))
      .houdini(formulas, protected: [0], chunk: 0, queryLimit: 30, refuter: { refuter.refute($0, $1) })
    #expect(
      plain.incomplete == nil && refuted.incomplete == nil, "\(plain.incomplete ?? "") \(refuted.incomplete ?? "")")
    #expect(plain.kept == [0, 1] && refuted.kept == plain.kept, "\(plain.kept) \(refuted.kept)")
    #expect(refuted.refuted > 0)
    #expect(refuted.queries < plain.queries, "\(refuted.queries) against \(plain.queries)")
    // Each CTI (Z3's and the refuter's) is a real step whose post-state falsifies what it drops.
    let compiled = refuter.compiled
    for cti in refuted.ctis where cti.pre != nil {
      let pre = try compiled.state(fromValues: try #require(cti.pre))
      let post = try compiled.state(fromValues: try #require(cti.post))
      let action = try #require(model.actions.firstIndex { $0.name == cti.action })
      let step = try compiled.step(pre, action: action, arguments: try #require(cti.argumentValues))
      #expect(step.successor(of: pre) == post)
      for i in cti.broken { #expect(try !compiled.holds(i, in: post)) }
    }
  }

  @Test("Houdini on 1, 2 and 3 threads keeps the same inductive set, and its CTIs start from kept states")
  func houdiniWorkers() throws {
    // Enumerated arguments: an instance per process and action (3 · 4 = 12 to share out).
    let model = mutexModel(processes: 4)
    let formulas = Self.mutexFormulas(model, processes: 4)
    let compiled = try Refuter(model: model, formulas: formulas).compiled
    for cores in [false, true] {
      var kept: [Int: [Int]] = [:]
      for workers in [1, 2, 3] {
        let refuter = try Refuter(model: model, formulas: formulas, maxStates: 4, seconds: 10)
        let passes = Lines()
        let r = try SymbolicChecker(model: model, options: SymbolicOptions(timeout: 60, arguments: .enumerated))
          .houdini(
            formulas, protected: [0], chunk: 1, queryLimit: 30, cores: cores, workers: workers,
            refuter: { refuter.refute($0, $1) }, progress: { passes.append("\($0.pass)") })
        #expect(r.incomplete == nil && r.unanswered.isEmpty, "\(workers) workers: \(r.incomplete ?? "")")
        kept[workers] = r.kept
        // Every query is counted once, whichever thread asked it; the passes are shown in order.
        #expect(r.perAction.values.map(\.queries).reduce(0, +) <= r.queries, "\(r.perAction) \(r.queries)")
        #expect(passes.all == r.passes.map { "\($0.pass)" } && r.passes.last?.dropped == 0, "\(r.passes)")
        // A CTI drops formulas only from a pre-state satisfying every formula kept when it was recorded.
        var remaining = Set(formulas.indices)
        for cti in r.ctis {
          if let values = cti.pre {
            let pre = try compiled.state(fromValues: values)
            for i in remaining.sorted() { #expect(try compiled.holds(i, in: pre), "\(cti.action) falsifies \(i)") }
          }
          remaining.subtract(cti.broken)
        }
        #expect(remaining == Set(r.kept))
        if cores { #expect(r.coreSupport(of: [0])?.contains(1) == true, "\(r.cores)") }
      }
      #expect(kept[1] == [0, 1] && kept[2] == kept[1] && kept[3] == kept[1], "cores \(cores): \(kept)")
    }
  }

  @Test("the refuter evaluates after a step only the formulas reading a variable the action writes")
  func refuterTouched() throws {
    let model = mutexModel(processes: 2)
    let formulas = Self.mutexFormulas(model, processes: 2)
    let refuter = try Refuter(model: model, formulas: formulas)
    let request = try #require(model.actions.firstIndex { $0.name == "request" })
    let acquire = try #require(model.actions.firstIndex { $0.name == "acquire" })
    // `request` writes only `pc`: `!lock` (formula 5) cannot change in its steps.
    #expect(!refuter.touched[request].contains(5) && refuter.touched[acquire].contains(5))
    // Over every reachable state and step, a formula outside the action's set keeps its value.
    let compiled = refuter.compiled
    var queue = [compiled.initialState()]
    var seen = Set(queue)
    var checked = 0
    while let state = queue.popLast() {
      for action in model.actions.indices {
        for position in 0..<compiled.argumentCount(action: action) {
          let arguments = compiled.arguments(action: action, position: position)
          let next = try compiled.step(state, action: action, arguments: arguments).successor(of: state)
          for i in formulas.indices where !refuter.touched[action].contains(i) {
            #expect(try compiled.holds(i, in: state) == compiled.holds(i, in: next))
            checked += 1
          }
          if seen.insert(next).inserted { queue.append(next) }
        }
      }
    }
    #expect(checked > 0 && seen.count > 3, "\(checked) \(seen.count)")
  }

  @Test("a property of the model joins the candidates (alongside) and is proved with the inferred lemmas")
  func alongside() throws {
    let model = holderModel()
    let goal = try #require(model.properties.firstIndex { $0.name == "no-foreign-release" })
    // Templates alone cannot state `holder = p`: no proof.
    let alone = Inference.run(model: model, properties: [goal], options: Self.options)
    #expect(alone.outcome != .proved, "\(alone.outcome)")
    var options = Self.options
    options.alongside = ["holder-is-critical"]
    let report = Inference.run(model: model, properties: [goal], options: options)
    #expect(report.outcome == .proved, "\(report.outcome)")
    #expect(report.lemmas.contains { $0.name == "holder-is-critical" }, "\(report.lemmas.map(\.name))")
    // The lemmas (the property among them) prove the goal by ordinary induction; without the
    // property they do not.
    let proof = Inference.prove(model: model, properties: [goal], lemmas: report.lemmas, options: options, seconds: 60)
    #expect(proof.outcome == .proved)
    let without = report.lemmas.filter { $0.name != "holder-is-critical" }
    let weaker = Inference.prove(model: model, properties: [goal], lemmas: without, options: options, seconds: 60)
    #expect(weaker.outcome != .proved)
    // A name that is no property of the model ends the run unknown.
    options.alongside = ["no-such-property"]
    guard case .unknown(let reason) = Inference.run(model: model, properties: [goal], options: options).outcome else {
      Issue.record("expected unknown for an unknown name")
      return
    }
    #expect(reason.contains("no-such-property"))
  }

  @Test("an exhausted budget is unknown, never proved")
  func budgetExhausted() {
    let report = Inference.run(model: mutexModel(), properties: [0], options: InferenceOptions(budget: 0.001))
    guard case .unknown = report.outcome else {
      Issue.record("expected unknown, got \(report.outcome)")
      return
    }
    #expect(report.lemmas.isEmpty)
  }

  @Test("templates: the size of the space and what sampling keeps, on the mutex model")
  func templateCounts() throws {
    let model = mutexModel(processes: 2)
    let compiled = try CompiledModel(model)
    let samples = try Samples.gather(compiled, options: Self.options, seconds: 10)
    #expect(samples.exhaustive)
    // (IDLE/WAITING/CRITICAL per process, lock): 1 + 2·1 + ... every reachable combination.
    let states = Set(samples.states)
    #expect(states.count == samples.states.count)
    #expect(samples.states.allSatisfy { s in s.prefix(2).filter { $0 == 2 }.count <= 1 })
  }

  @Test("sampling leaves swarm walks their share when breadth-first search stops short")
  func walksRun() throws {
    // 8 processes: far more reachable states than the limit of 400.
    let compiled = try CompiledModel(mutexModel(processes: 8))
    var options = Self.options
    options.maxStates = 400
    options.walks = 20
    options.walkLength = 30
    let samples = try Samples.gather(compiled, options: options, seconds: 30)
    #expect(!samples.exhaustive)
    #expect(samples.walks > 0)
    #expect(samples.states.count > 300 && samples.states.count <= 400, "\(samples.states.count)")
    options.walkShare = 0
    let searchOnly = try Samples.gather(compiled, options: options, seconds: 30)
    #expect(searchOnly.walks == 0 && searchOnly.states.count == 400)
  }
}
