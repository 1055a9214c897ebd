import CCAVerifyTesting
import MyModel
import Testing

/// The starter's model, checked with CCAVerifyTesting: the correct lock keeps mutual exclusion,
/// the mutant is caught, and a mistake in a model is a thrown error.
@Suite("The lock")
struct LockTests {
  @Test func mutualExclusionHoldsInEveryReachableState() throws {
    let result = try expectNoViolation(Lock.family.model("three"), exploring: .exhaustive())
    #expect(result.complete)
    #expect(result.report.distinctStates == 4)  // free, or held by one of the three threads
  }

  @Test func releaseByAnyoneIsCaughtInThreeSteps() throws {
    let result = try expectViolation(
      Lock.family.model(mutant: "release-by-anyone"), of: "mutual-exclusion", exploring: .exhaustive())
    #expect(result.violation?.trace.steps.map(\.action) == ["ACQUIRE", "RELEASE", "ACQUIRE"])
  }

  @Test func randomWalksShrinkTheCounterexample() throws {
    let result = try expectViolation(
      Lock.family.model(mutant: "release-by-anyone"), of: "mutual-exclusion",
      exploring: .random(seed: 7, walks: 50, length: 40))
    #expect(result.violation?.length == 3)
  }

  @Test func aMisspeltMutantIsAThrownErrorNamingTheValidOnes() {
    #expect(
      throws: CheckError.unknownName(kind: "mutant of model lock", name: "release-by-any", valid: ["release-by-anyone"])
    ) { try Lock.family.model(mutant: "release-by-any") }
  }

  @Test func aMisspeltParameterIsAThrownModelError() throws {
    let b = ModelBuilder(name: "typo", configuration: Configuration(name: "one", bounds: [:]))
    let holder = b.variable("holder", .range(0, 2), initial: 0)
    b.action("ACQUIRE", by: "thread", parameters: [Parameter("thread", .range(0, 1))]) { a in
      a.set(holder, to: a.arg("thraed") + 1)
    }
    let error = try #require(throws: CheckError.self) { try check(b.build(), exploring: .exhaustive()) }
    #expect(error.description.contains("action ACQUIRE: unknown parameter 'thraed'; valid: thread"))
  }
}
