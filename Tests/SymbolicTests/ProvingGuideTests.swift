import Foundation
import Spec
import Symbolic
import Testing

// The worked example of Docs/proving-a-property.md, compiled and run here; the last test checks
// that the guide shows exactly this code.

// BEGIN PROVING GUIDE EXAMPLE
/// Two threads and a lock: `holder` is 0 when free, else the holding thread + 1.
func lockModel() -> Model {
  let thread = Domain.index(IndexSort("Thread", count: 2))
  let b = ModelBuilder(name: "lock", configuration: Configuration(name: "two-threads", bounds: [:]))
  let holder = b.variable("holder", .range(0, 2), doc: "0 free, else thread + 1", initial: 0)
  let inside = b.map("inside", keys: [thread], .bool) { _ in false }
  b.action("ACQUIRE", by: "thread", parameters: [Parameter("thread", thread)]) { a in
    a.fail("busy", error: "BUSY", code: 1, when: holder.value.ne(0))
    a.set(holder, to: a.arg("thread") + 1)
    a.set(inside, [a.arg("thread")], to: true)
  }
  b.action("RELEASE", by: "thread", parameters: [Parameter("thread", thread)]) { a in
    a.fail("not_holder", error: "DENIED", code: 2, when: holder.value.ne(a.arg("thread") + 1))
    a.set(holder, to: 0)
    a.set(inside, [a.arg("thread")], to: false)
  }
  b.invariant("mutual-exclusion", !(inside[.literal(0)] && inside[.literal(1)]))
  // The strengthening: a thread is inside exactly when it holds the lock.
  b.lemma("inside-iff-holder", .forAll(thread) { t in inside[t].eq(holder.value.eq(t + 1)) })
  return b.build()
}

@Test func mutualExclusionNeedsTheLemma() throws {
  let model = lockModel()
  let checker = try SymbolicChecker(model: model)
  let property = try #require(model.properties.firstIndex { $0.name == "mutual-exclusion" })
  let lemma = try #require(model.properties.firstIndex { $0.name == "inside-iff-holder" })

  // Alone, the invariant is not inductive: Z3 finds a state where it holds (one thread inside,
  // the lock free) whose successor breaks it. That state is unreachable: a CTI, not a bug.
  let alone = checker.induction(properties: [property], lemmas: [])
  guard case .cti(let cti) = alone.outcome else {
    Issue.record("expected a counterexample to induction, got \(alone.outcome)")
    return
  }
  #expect(cti.action == "ACQUIRE")
  #expect(cti.failing == ["mutual-exclusion"])

  // With the lemma, invariant and lemma together are inductive: PROVED for every reachable
  // state, with no bound on the number of steps.
  let proved = checker.induction(properties: [property], lemmas: [lemma])
  #expect(proved.outcome == .proved)
}
// END PROVING GUIDE EXAMPLE

@Test("Docs/proving-a-property.md shows exactly the example compiled here")
func provingGuideMatchesCode() throws {
  let here = URL(fileURLWithPath: #filePath)
  let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  let guide = try String(contentsOf: root.appendingPathComponent("Docs/proving-a-property.md"), encoding: .utf8)
  let code = try String(contentsOf: here, encoding: .utf8)
  let example = try #require(
    code.components(separatedBy: "// BEGIN PROVING GUIDE EXAMPLE\n").dropFirst().first?.components(
      separatedBy: "// END PROVING GUIDE EXAMPLE"
    ).first)
  #expect(guide.contains("```swift\nimport Spec\nimport Symbolic\nimport Testing\n\n" + example + "```"))
}
