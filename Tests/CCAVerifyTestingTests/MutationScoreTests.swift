import CCAVerifyTesting
import Spec
import Testing

@Suite("expectMutationScore")
struct MutationScoreTests {
  /// A counter whose only property is weak: dropping its guard check goes unnoticed.
  static func counter() -> Model {
    let b = ModelBuilder(name: "counter", configuration: Configuration(name: "test", bounds: [:]))
    let x = b.variable("x", .range(0, 3), initial: 0)
    b.action("inc", by: "env") { a in
      a.fail("at_max", error: "FULL", code: 1, when: x.value.eq(2))
      a.set(x, to: .ite(x.value.lt(3), then: x.value + 1, else: x.value))
    }
    b.action("reset", by: "env") { a in a.set(x, to: 0) }
    b.invariant("below-3", x.value.lt(3))
    return b.build()
  }

  @Test("A score at or above the bar passes and returns the report")
  func passes() throws {
    let report = try expectMutationScore(atLeast: 0.2, model: Self.counter(), workers: 1)
    #expect(report.results.count == report.generated)
    #expect(report.total.killed > 0)
  }

  @Test("A score below the bar records an issue with the summary")
  func fails() throws {
    try withKnownIssue {
      try expectMutationScore(atLeast: 1.0, model: Self.counter(), operators: [.dropEffect, .replaceValue], workers: 1)
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("Mutation score") && $0.rawValue.contains("below 100.0%") }
    }
  }

  @Test("An unknown action is an error naming the valid ones")
  func unknownAction() {
    #expect(throws: CheckError.self) {
      try expectMutationScore(atLeast: 0.5, model: Self.counter(), actions: ["nope"], workers: 1)
    }
  }
}
