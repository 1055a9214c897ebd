import CCAModel
import Proving
import Spec
import Testing

/// The proofs on the parametric variant with Device Assignment (Docs/ADR/0011-parametric-rmm.md): each lemma the
/// variant adds or restates for DA is needed (dropped, a CTI with the sort enumerated at 6 granules), and the DA
/// mutants are never proved there.
@Suite("Proofs of the parametric variant with Device Assignment")
struct ParametricDAProofTests {
  /// The bounds of the mutant rows: the sort enumerated at 6 granules.
  ///
  /// Six is the fewest with a realm's RD, RTT, running REC and DATA page and a PDEV with its VDEV; at 4 no DMA step is
  /// reachable, and the mutants are proved there, correctly for that bound. The CI target
  /// Proofs/rmm-da-parametric-6-properties-induction.toml runs the same bounds.
  static let bounds = "bounds = { granules = 6 }"

  /// Each DA lemma of the variant (restated by pointer, or new) with the property whose induction breaks without it,
  /// and the granules its CTI needs (pdev-streams-distinct's: the RD, the RTT, two PDEVs, a VDEV, the new VDEV and
  /// the Non-secure VdevParams buffer of RMI_VDEV_CREATE, so 7; at 6 it is proved without the lemma).
  static let neededLemmas: [(lemma: String, property: String, granules: Int)] = [
    ("da-bookkeeping-wellformed", "device-assigned-only", 6),
    ("pdev-streams-distinct", "device-assigned-only", 7),
    ("vdev-request-matches-state", "device-assigned-only", 6),
    ("rd-counts-its-vdevs", "device-assigned-only", 6),
    ("rmm-objects-by-pointer", "hyp-no-realm-read", 6),
  ]

  @Test("the variant declares the RMM variant's lemmas, the DA ones and rd-counts-its-vdevs")
  func lemmasDeclared() throws {
    let declared = Set(try GPTProofTests.lemmas("rmm-da-parametric"))
    let rmm = Set(try GPTProofTests.lemmas("rmm-small-parametric"))
    #expect(declared == rmm.union(Self.neededLemmas.map(\.lemma)))
  }

  @Test(
    "dropping a DA lemma of the variant gives a CTI with the sort enumerated",
    arguments: neededLemmas.map { "\($0.lemma)|\($0.property)|\($0.granules)" })
  func droppedLemmaGivesCTI(_ row: String) throws {
    let parts = row.split(separator: "|").map(String.init)
    try RMMProofTests().droppedLemmaGivesCTI(
      "\(parts[0])|rmm-da-parametric|\(parts[1])|bounds = { granules = \(parts[2]) }")
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
