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
