import CCAVerifyTesting
import Testing

/// A two-state granule tracker in the style of RMI_GRANULE_DELEGATE / UNDELEGATE.
enum Tracker {
  static let states = FiniteSet("TrackerState", [("UNDELEGATED", 0), ("DELEGATED", 1)])
  static let base: Value = 0x8000_0000

  static let family = ModelFamily(
    name: "tracker", doc: "granules delegated and undelegated by address",
    configurations: [
      Configuration(name: "two", bounds: ["granules": 2]),
      Configuration(name: "four", bounds: ["granules": 4]),
    ],
    configurationDocs: ["two": "2 granules", "four": "4 granules"],
    mutants: [
      Mutant(
        name: "undelegate-skips-state-check", doc: "UNDELEGATE accepts an UNDELEGATED granule",
        breaks: ["delegations-counted"], configuration: "two")
    ],
    propertyDocs: [("delegations-counted", "the counter equals the number of DELEGATED granules")],
    boundDocs: ["granules": "number of granules"], featureDocs: [:],
    build: build)

  static func build(_ configuration: Configuration) throws -> Model {
    let count = configuration.bound("granules", default: 2)
    let granule = Domain.index(IndexSort("Granule", count: count, arithmetic: true))
    let b = ModelBuilder(name: "tracker", configuration: configuration)
    let state = b.map("state", keys: [granule], .finite(states), doc: "each granule's state") { _ in 0 }
    let delegated = b.variable("delegated", .range(0, Value(count)), doc: "DELEGATED granules", initial: 0)

    // Addresses are 64-bit registers; exploration tries the granules' PAs and one misaligned PA.
    let samples = (0..<count).map { base + Value($0) * 0x1000 } + [base + 0x10]
    for delegate in [true, false] {
      b.action(
        delegate ? "DELEGATE" : "UNDELEGATE", by: "host",
        parameters: [Parameter("x1", .word(bits: 64), samples: samples)]
      ) { a in
        let addr = a.arg("x1")
        let g = (addr - .literal(base)) >> 12
        // Failure conditions in the specification's order; the first that holds is returned.
        a.fail("gran_align", error: "ERROR_INPUT", code: 1, when: (addr & 0xFFF).ne(0))
        a.fail(
          "gran_bound", error: "ERROR_INPUT", code: 1,
          when: addr.lt(.literal(base)) || addr.ge(.literal(base + Value(count) * 0x1000)))
        let from = delegate ? 0 : 1
        if delegate || !configuration.mutated("undelegate-skips-state-check") {
          a.fail("gran_state", error: "ERROR_INPUT", code: 1, when: state[g].ne(.literal(Value(from))))
        }
        a.set(state, [g], to: .literal(Value(1 - from)))
        let down = Expr.ite(delegated.value.gt(0), then: delegated.value - 1, else: 0)
        a.set(delegated, to: delegate ? delegated.value + 1 : down)
        a.output("X1", state[g])  // the pre-state: what the granule was
      }
    }
    let ones = (0..<count).map { Expr.ite(state[.literal(Value($0))].eq(1), then: 1, else: 0) }
    b.invariant("delegations-counted", delegated.value.eq(ones.reduce(Expr.literal(0), +)))
    return b.build()
  }
}

@Test func trackerExploresCleanAndTheMutantIsCaught() throws {
  let correct = try CompiledModel(try Tracker.family.build(Tracker.family.configurations[1]))
  let clean = explore(correct, options: ExploreOptions(mode: .bfs))
  #expect(clean.complete)
  #expect(clean.distinctStates == 16)  // every subset of 4 granules

  var buggy = Tracker.family.configurations[0]
  buggy.mutant = "undelegate-skips-state-check"
  let report = explore(try CompiledModel(try Tracker.family.build(buggy)), options: ExploreOptions(mode: .bfs))
  guard case .violation(_, let trace) = report.outcome else {
    Issue.record("the mutant was not caught")
    return
  }
  // Shortest: delegate one granule, then undelegate the other (still UNDELEGATED).
  #expect(trace.steps.map(\.action) == ["DELEGATE", "UNDELEGATE"])
}
