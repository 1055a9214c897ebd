import CCAModel
import CCAVerifyTesting
import Foundation
import Testing

// The complete example of Docs/testing-guide.md, compiled and run here; the test below checks
// that the guide shows exactly this code.

// BEGIN GUIDE EXAMPLE
@Suite("CCA isolation, fuzzed on every commit")
struct IsolationFuzzTests {
  /// The correct model: no property fails in 500 seeded random walks of 60 steps.
  @Test func correctModelKeepsIsolation() throws {
    try expectNoViolation(
      CCA.family.model("atomic"),
      exploring: .random(seed: 2024, walks: 500, length: 60))
  }

  /// A mutant (EL3 skips the GPT TLB invalidation on delegate) fails the test; remove
  /// `withKnownIssue` to see the failure: the property, the seed, the shrunk trace and the
  /// path of its .itf.json.
  @Test func missingTLBInvalidationIsCaught() throws {
    withKnownIssue("no-tlbi-on-delegate leaves stale GPT TLB entries") {
      try expectNoViolation(
        CCA.family.model(mutant: "no-tlbi-on-delegate"),
        exploring: .random(seed: 2024, walks: 500, length: 60))
    }
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
// END GUIDE EXAMPLE

@Suite("The testing guide")
struct GuideTests {
  @Test("Docs/testing-guide.md shows exactly the examples compiled in this target")
  func guideMatchesCode() throws {
    let here = URL(fileURLWithPath: #filePath)
    let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let guide = try String(contentsOf: root.appendingPathComponent("Docs/testing-guide.md"), encoding: .utf8)
    let code = try String(contentsOf: here, encoding: .utf8)
    let example = try #require(
      code.components(separatedBy: "// BEGIN GUIDE EXAMPLE\n").dropFirst().first?.components(
        separatedBy: "// END GUIDE EXAMPLE"
      )
      .first)
    #expect(guide.contains("```swift\nimport CCAModel\nimport CCAVerifyTesting\nimport Testing\n\n" + example + "```"))
    let ownModel = try String(
      contentsOf: here.deletingLastPathComponent().appendingPathComponent("OwnModelTests.swift"), encoding: .utf8)
    let own = try #require(
      ownModel.components(separatedBy: "// BEGIN GUIDE OWN MODEL\n").dropFirst().first?.components(
        separatedBy: "// END GUIDE OWN MODEL"
      ).first)
    #expect(guide.contains("```swift\nimport CCAVerifyTesting\nimport Spec\nimport Testing\n\n" + own + "```"))
  }
}
