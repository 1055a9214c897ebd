import CCAModel
import CCAVerifyTesting
import Foundation
import Spec
import Testing

/// Counterexamples of random walks are shrunk to within a few steps of the shortest one.
@Suite("Shrinking random-walk counterexamples")
struct ShrinkTests {
  /// Steps a shrunk trace may exceed the BFS shortest trace by (every case below reaches the
  /// shortest length exactly with these seeds; the margin leaves room for other seeds).
  static let margin = 1

  static let cases: [(mutant: String, property: String)] = [
    ("no-tlbi-on-delegate", "hyp-no-realm-read"),
    ("no-tlbi-on-delegate", "gpt-consistent"),
    ("undelegate-without-scrub", "hyp-no-realm-read"),
    ("cmo-source-alias-only", "hyp-no-realm-read"),
    ("cmo-source-alias-only", "delegated-clean"),
  ]

  @Test("A long random walk shrinks to at most the BFS length plus a small margin", arguments: cases)
  func shrinksNearShortest(mutant: String, property: String) throws {
    let model = try CCA.family.model(mutant: mutant)
    let options = CheckOptions(traceDirectory: traceDirectory(), workers: 1, writeTraces: false)
    let shortest = try #require(
      try check(model, properties: [property], exploring: .exhaustive(), options: options).violation?.length)
    for seed: UInt64 in 1...3 {
      let result = try check(
        model, properties: [property], exploring: .random(seed: seed, walks: 200, length: 300), options: options)
      let violation = try #require(result.violation, "seed \(seed)")
      print(
        "shrink: \(mutant) / \(property), seed \(seed): walk of \(violation.originalLength) steps shrunk to "
          + "\(violation.length) (BFS shortest \(shortest))")
      #expect(violation.length >= shortest)
      #expect(violation.length <= shortest + Self.margin, "seed \(seed)")
      #expect(violation.originalLength >= violation.length)
      // Without shrinking, the same seed reports the walk as it was.
      var unshrunk = options
      unshrunk.shrink = false
      let raw = try #require(
        try check(
          model, properties: [property], exploring: .random(seed: seed, walks: 200, length: 300), options: unshrunk
        )
        .violation)
      #expect(raw.length == violation.originalLength)
    }
  }

  /// Fine mode: a transition is several EL3 steps of one PE interleaved with other PEs' steps, so deleting one step
  /// disables the rest of its sequence.
  ///
  /// The shrinker drops disabled steps and deletes every step of one PE or granule at once; a walk of a few hundred
  /// steps ends within about twice the shortest length (10 steps for gpt-word-unlocked).
  @Test("Fine mode: gpt-word-unlocked's long walks shrink to within about twice the shortest")
  func fineModeShrinks() throws {
    let model = try CCA.family.model(mutant: "gpt-word-unlocked")
    let options = CheckOptions(traceDirectory: traceDirectory(), workers: 1, writeTraces: false)
    let shortest = try #require(try check(model, exploring: .exhaustive(), options: options).violation?.length)
    for seed: UInt64 in 1...3 {
      let result = try check(model, exploring: .random(seed: seed, walks: 300, length: 300), options: options)
      let violation = try #require(result.violation, "seed \(seed)")
      print(
        "shrink (fine): gpt-word-unlocked, seed \(seed): walk of \(violation.originalLength) steps shrunk to "
          + "\(violation.length) (BFS shortest \(shortest))")
      #expect(violation.length >= shortest)
      #expect(violation.length <= 2 * shortest + 1, "seed \(seed)")
    }
  }
}
