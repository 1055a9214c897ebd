import Proving
import Spec
import Symbolic
import Testing

/// A parametric proof must name an index sort the model has: a typo, or `parametric = true` on
/// a model without a Granule sort, is an input error at the target's line, never the bounded
/// proof reported under a parametric scope.
@Suite("Parametric targets name a sort the model has")
struct ParametricScopeTests {
  /// A lock over threads: its only index sort is Thread.
  static let lock = ModelFamily(
    name: "lock", doc: "", configurations: [Configuration(name: "two", bounds: ["threads": 2])], configurationDocs: [:],
    mutants: [], propertyDocs: [("mutual-exclusion", "")], boundDocs: ["threads": ""], featureDocs: [:],
    build: { configuration in
      let thread = Domain.index(IndexSort("Thread", count: configuration.bound("threads", default: 2)))
      let b = ModelBuilder(name: "lock", configuration: configuration)
      let holder = b.variable("holder", .range(0, 2), initial: 0)
      let inside = b.map("inside", keys: [thread], .bool) { _ in false }
      b.action("ACQUIRE", by: "thread", parameters: [Parameter("thread", thread)]) { a in
        a.fail("busy", error: "BUSY", code: 1, when: holder.value.ne(0))
        a.set(inside, [a.arg("thread")], to: true)
        a.set(holder, to: 1)
      }
      b.invariant("mutual-exclusion", .forAll(thread) { t in inside[t].implies(holder.value.eq(1)) })
      return b.build()
    })
  static let catalog = Catalog(families: [lock])

  func target(_ parametric: String) throws -> ProofTarget {
    try ProofTarget.parse(
      file: "t.toml",
      text: "model = \"lock\"\nengine = \"induction\"\nparametric = \(parametric)\nexpect = \"holds\"\n",
      catalog: Self.catalog)
  }

  @Test("A sort name the model does not have is an input error at its line, listing the sorts")
  func typo() {
    #expect(
      throws: InputError("t.toml:3", "model lock has no index sort 'Threads'; valid: \"Thread\"")
    ) { try target("\"Threads\"") }
  }

  @Test("parametric = true on a model that declares no primary index sort is an input error, not a Granule scope")
  func trueWithoutPrimarySort() {
    // `true` means the sort the model's ABI description names as its primary one (CCA: Granule);
    // the lock declares none, so the target must name the sort.
    #expect(
      throws: InputError("t.toml:3", "model lock declares no primary index sort; name one (parametric = \"Sort\")")
    ) { try target("true") }
  }

  @Test("A sort the model has is accepted, and the proof's scope names it")
  func named() throws {
    let t = try target("\"Thread\"")
    #expect(t.parametricSort == "Thread")
    #expect(try target("false").parametricSort == nil)
    let result = try Prover.run(t, outputDirectory: "/tmp/cca-parametric-scope-tests", catalog: Self.catalog)
    #expect(result.outcome == .proved)
    #expect(result.scope == "parametric (Thread)")
  }

  @Test("The symbolic checker refuses a parametric sort the model does not have")
  func checker() throws {
    let model = try Self.lock.build(Self.lock.configurations[0])
    #expect(throws: SymbolicError.unknownSort(name: "Clients", model: "lock", valid: ["Thread"])) {
      try SymbolicChecker(model: model, options: SymbolicOptions(parametricSorts: ["Clients"]))
    }
  }
}
