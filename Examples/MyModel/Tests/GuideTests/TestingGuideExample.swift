import CCAVerifyTesting
import Testing

@Suite("CCA isolation, fuzzed on every commit")
struct IsolationFuzzTests {
  /// The correct model: no property fails in 500 seeded random walks of 60 steps.
  @Test func correctModelKeepsIsolation() throws {
    try expectNoViolation(
      CCA.family.model("atomic"),
      exploring: .random(seed: 2024, walks: 500, length: 60))
  }

  /// A mutant (EL3 skips the GPT TLB invalidation on delegate) must be caught: the test fails
  /// if the walks stop finding the violation. Change `expectViolation` to `expectNoViolation`
  /// to see the failure: the property, the seed, the shrunk trace and the path of its .itf.json.
  @Test func missingTLBInvalidationIsCaught() throws {
    try expectViolation(
      CCA.family.model(mutant: "no-tlbi-on-delegate"), of: "gpt-consistent",
      exploring: .random(seed: 2024, walks: 500, length: 60))
  }

  /// A variant of your own: the RMM forgets to record an undelegation.
  ///
  /// Exhaustive search finds the shortest counterexample.
  @Test func forgetfulUndelegateIsCaught() throws {
    let model = try CCA.family.model("atomic")
    let forgetful = try model.mutant("undelegate-keeps-state", action: "RMI_GRANULE_UNDELEGATE") {
      try $0.removingEffects(on: "granuleState", in: model)
    }
    let result = try expectViolation(forgetful, of: "gpt-consistent", exploring: .exhaustive())
    #expect(result.violation?.length == 2)
  }
}
