import CCAModel
import Proving
import Spec
import Testing

/// The proofs on the parametric variant with Device Assignment (Docs/ADR/0011-parametric-rmm.md): each lemma the
/// variant adds or restates for DA is needed (dropped, a CTI with the sort enumerated at 6 granules), and the DA
/// mutants are never proved there.
@Suite("Proofs of the parametric variant with Device Assignment")
struct ParametricDAProofTests {
  /// The variant's keys for the bounded rows: the sort enumerated at 6 granules, the fewest with a realm's RD, RTT,
  /// running REC and DATA page and a PDEV with its VDEV (at 4 no DMA step is reachable: the mutants are proved there,
  /// correctly for that bound). The CI target Proofs/rmm-da-parametric-6-properties-induction.toml runs the same.
  static let bounds = "bounds = { granules = 6 }"

  /// Each DA lemma of the variant (restated by pointer, or new) with the property whose induction breaks without it.
  static let neededLemmas: [(lemma: String, property: String)] = [
    ("da-bookkeeping-wellformed", "device-assigned-only"),
    ("pdev-streams-distinct", "device-assigned-only"),
    ("vdev-request-matches-state", "device-assigned-only"),
    ("rd-counts-its-vdevs", "device-assigned-only"),
    ("rmm-objects-by-pointer", "hyp-no-realm-read"),
  ]

  @Test("the variant declares the RMM variant's lemmas, the DA ones and rd-counts-its-vdevs")
  func lemmasDeclared() throws {
    let declared = Set(try GPTProofTests.lemmas("rmm-da-parametric"))
    let rmm = Set(try GPTProofTests.lemmas("rmm-small-parametric"))
    #expect(declared == rmm.union(Self.neededLemmas.map(\.lemma)))
  }

  @Test(
    "dropping a DA lemma of the variant gives a CTI with the sort enumerated",
    arguments: neededLemmas.map { "\($0.lemma)|\($0.property)" })
  func droppedLemmaGivesCTI(_ row: String) throws {
    let parts = row.split(separator: "|").map(String.init)
    try RMMProofTests().droppedLemmaGivesCTI("\(parts[0])|rmm-da-parametric|\(parts[1])|\(Self.bounds)")
  }

  /// The DA mutants whose mutated step the variant has (no setup start, no device memory, no VDEV_COMPLETE): each is
  /// violated or has a CTI on the variant, never proved.
  static let mutants: [String] = [
    CCA.MutantName.dmaEnableWithoutNonceCheck, CCA.MutantName.vdevUnlockKeepsSTE,
    CCA.MutantName.dmaDisableKeepsSTECache, CCA.MutantName.smmuGPINotInvalidated,
  ]

  @Test("a DA mutant is never proved on the variant with the sort enumerated", arguments: mutants)
  func mutantNotProved(_ mutant: String) throws {
    _ = try RMMProofTests.mutantInduction(
      mutant,
      """
      configuration = "rmm-da-parametric"
      \(Self.bounds)
      properties = ["device-assigned-only"]
      timeout = 600
      """)
  }
}
