import Spec
import Symbolic
import Testing

/// Instantiated consecution queries asked reduced (frame and relevance) and on several threads: neither changes a
/// report (``SymbolicOptions/relevance``, ``SymbolicOptions/workers``).
@Suite("Reduced and parallel instantiated queries")
struct ReducedQueryTests {
  func options(relevance: Bool, split: Bool = false, workers: Int = 1) -> SymbolicOptions {
    var options = SymbolicOptions(parametricSorts: ["Granule"])
    options.instantiate = true
    options.relevance = relevance
    options.goalsPerQuery = split ? 1 : 0
    options.workers = workers
    return options
  }

  func run(_ model: Model, _ options: SymbolicOptions) throws -> SymbolicReport {
    try SymbolicChecker(model: model, options: options).induction(
      properties: [try propertyIndex(model, "x-implies-w")],
      lemmas: try ["y-implies-u", "u-implies-v", "v-implies-w"].map { try propertyIndex(model, $0) })
  }

  @Test(
    "a reduced query that is satisfiable is asked again in full: proved, as without relevance",
    arguments: [false, true])
  func reaskedInFull(split: Bool) throws {
    let model = relevanceChainModel()
    let full = try run(model, options(relevance: false))
    #expect(full.outcome == .proved)
    #expect(full.reasked == 0)
    let reduced = try run(model, options(relevance: true, split: split))
    #expect(reduced.outcome == .proved)
    // `set` needs u-implies-v, which shares no variable with its goal or with `set`.
    #expect(reduced.reasked == 1)
  }

  @Test("a step that breaks a lemma is unknown with the full query's reason, with or without relevance")
  func failureIsTheFullQuerys() throws {
    let model = relevanceChainModel(breakRaise: true)
    let full = try run(model, options(relevance: false))
    guard case .unknown(let reason) = full.outcome else {
      Issue.record("expected unknown, got \(full.outcome)")
      return
    }
    #expect(reason.contains("raise"))
    #expect(reason.contains("instantiation is incomplete"))
    #expect(try run(model, options(relevance: true)).outcome == full.outcome)
    #expect(try run(model, options(relevance: true, split: true)).outcome == full.outcome)
  }

  @Test("two workers give the report of one", arguments: [false, true])
  func workersGiveTheSameReport(broken: Bool) throws {
    let model = relevanceChainModel(breakRaise: broken, neverEnabled: true)
    let one = try run(model, options(relevance: true))
    let two = try run(model, options(relevance: true, workers: 2))
    #expect(two.outcome == one.outcome)
    #expect(two.queries == one.queries)
    #expect(two.reasked == one.reasked)
    #expect(two.notes == one.notes)
    if !broken {
      // Vacuity is noted only on a proof; its actions are dealt out to both workers.
      for action in ["stuck", "stuck-too"] {
        #expect(one.notes.contains { $0.contains(" \(action) ") }, "\(one.notes)")
      }
    }
    #expect(two.actionSeconds.map(\.action) == one.actionSeconds.map(\.action))
  }
}

/// Bounded induction (no parametric sort) on several threads: the fresh consecution queries are shared among the
/// workers, the shared solver still asks the first one not unsat, so the report (outcome, CTI) is the one of one
/// thread.
@Suite("Bounded induction on several threads")
struct BoundedWorkerTests {
  func run(
    _ model: Model, workers: Int, lemmas: [String] = ["y-implies-u", "u-implies-v", "v-implies-w"]
  ) throws -> SymbolicReport {
    var options = SymbolicOptions()
    options.workers = workers
    return try SymbolicChecker(model: model, options: options).induction(
      properties: [try propertyIndex(model, "x-implies-w")], lemmas: try lemmas.map { try propertyIndex(model, $0) })
  }

  @Test("two workers prove what one proves, with the same notes and action order")
  func provedAlike() throws {
    let model = relevanceChainModel(neverEnabled: true)
    let one = try run(model, workers: 1)
    let two = try run(model, workers: 2)
    #expect(one.outcome == .proved)
    #expect(two.outcome == one.outcome)
    #expect(two.queries == one.queries)
    #expect(two.notes == one.notes)
    #expect(one.notes.contains { $0.contains(" stuck ") }, "\(one.notes)")
    #expect(two.actionSeconds.map(\.action) == one.actionSeconds.map(\.action))
  }

  @Test(
    "a broken step or a dropped lemma gives the CTI of one worker with two",
    arguments: [false, true])
  func sameCTI(dropLemma: Bool) throws {
    let model = relevanceChainModel(breakRaise: !dropLemma)
    let lemmas = dropLemma ? ["y-implies-u", "v-implies-w"] : ["y-implies-u", "u-implies-v", "v-implies-w"]
    let full = try run(model, workers: 1, lemmas: lemmas)
    guard case .cti(let cti) = full.outcome else {
      Issue.record("expected a CTI, got \(full.outcome)")
      return
    }
    // Without u-implies-v, `set` reaches x without w; with `raise` broken, `raise` breaks u-implies-v.
    #expect(cti.action == (dropLemma ? "set" : "raise"))
    #expect(cti.pre != nil && cti.post != nil)
    let two = try run(model, workers: 2, lemmas: lemmas)
    guard case .cti(let other) = two.outcome else {
      Issue.record("two workers: expected a CTI, got \(two.outcome)")
      return
    }
    // The shared solver asks the full query of the same action: its CTI (Z3's model may pick other values when the
    // context's history differs, so the action and the failing formulas are compared).
    #expect(other.action == cti.action)
    #expect(other.failing == cti.failing)
    #expect(other.pre != nil && other.post != nil)
  }
}
