import CCAModel
import Foundation
import Proving
import Testing

/// CI pays once for catching mutants.
///
/// The `Proofs/` targets run in CI, so the tests only check that every mutant is one's subject. A mutant of the CCA family claims the properties it breaks
/// (`breaks`); each claim must be a target running that mutant, checking that property (or every
/// property), and expecting `violated`, unless it is in ``scripted`` with the test that checks it.
@Suite("Every mutant × property it claims to break has a Proofs/ target expecting violated")
struct MutantTargetsTests {
  static let proofs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Proofs")

  static func targets() throws -> [ProofTarget] {
    let files = try FileManager.default.contentsOfDirectory(atPath: proofs.path).filter { $0.hasSuffix(".toml") }
      .sorted()
    return try files.map { try ProofTarget.load(path: proofs.appendingPathComponent($0).path) }
  }

  static let claims: [(mutant: String, property: String)] = CCA.family.mutants.flatMap { mutant in
    mutant.breaks.map { (mutant.name, $0) }
  }

  @Test("the Proofs/ folder is read: targets with mutants exist")
  func targetsRead() throws {
    let targets = try Self.targets()
    #expect(targets.count >= 20)
    #expect(targets.contains { $0.configuration.mutant != nil })
    #expect(!Self.claims.isEmpty)
  }

  /// Claims checked by a scripted test instead, because a search from the mutant's configuration
  /// is over the budget, with the test that checks them.
  static let scripted: [String: String] = [
    "smmu-tlbi-first-stream-only":
      "TranslationCacheTests.mutantScripts: 5 steps on the two-device setup, where BFS to depth 5 is over the budget"
  ]

  @Test("each claim has a target", arguments: claims)
  func claimHasTarget(mutant: String, property: String) throws {
    if Self.scripted[mutant] != nil { return }
    let targets = try Self.targets()
    let covering = targets.filter {
      $0.model == CCA.family.name && $0.configuration.mutant == mutant && $0.expect == .violated
        && ($0.properties.isEmpty || $0.properties.contains(property))
    }
    let ofMutant = targets.filter { $0.configuration.mutant == mutant }.map { ($0.file as NSString).lastPathComponent }
    #expect(
      !covering.isEmpty,
      "no Proofs/ target runs mutant \(mutant) on property \(property) expecting violated; its targets: \(ofMutant)")
  }
}
