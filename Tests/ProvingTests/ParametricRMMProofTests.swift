import CCAModel
import Proving
import Spec
import Testing

/// The proofs on the parametric variant with the RMM (Docs/ADR/0011-parametric-rmm.md): each of
/// its lemmas is needed, the RMM mutants are never proved there, and a parametric run without the
/// wellformedness lemma gives a CTI, never `proved`.
@Suite("Proofs of the parametric variant with the RMM")
struct ParametricRMMProofTests {
  /// The variant's target keys with the sort enumerated at its 4 granules (the proof target
  /// Proofs/rmm-small-parametric-8-properties-induction.toml runs at 8; 4 keeps these tests cheap).
  static let variant = "configuration = \"rmm-small-parametric\""

  /// Each lemma of the variant with the property whose induction breaks without it.
  static let neededLemmas: [(lemma: String, property: String)] = [
    ("rmm-commands-atomic", "gpt-consistent"),
    ("rmm-gpi-follows-state", "hyp-no-realm-read"),
    ("rmm-free-granules-scrubbed", "hyp-no-realm-read"),
    ("rmm-objects-by-pointer", "hyp-no-realm-read"),
    ("dirty-ns-line-only-when-undelegated", "hyp-no-realm-write"),
    ("no-rec-aux-without-aux-count", "hyp-no-realm-read"),
  ]

  @Test("the variant declares exactly these lemmas")
  func lemmasDeclared() throws {
    #expect(Set(try GPTProofTests.lemmas("rmm-small-parametric")) == Set(Self.neededLemmas.map(\.lemma)))
  }

  @Test(
    "dropping a lemma of the variant gives a CTI with the sort enumerated",
    arguments: neededLemmas.map { "\($0.lemma)|\($0.property)" })
  func droppedLemmaGivesCTI(_ row: String) throws {
    let parts = row.split(separator: "|").map(String.init)
    try RMMProofTests().droppedLemmaGivesCTI("\(parts[0])|rmm-small-parametric|\(parts[1])")
  }

  @Test("with the Granule sort uninterpreted, dropping rmm-objects-by-pointer gives a CTI at RMI_REALM_DESTROY")
  func parametricWithoutWellformednessGivesCTI() throws {
    let kept = try GPTProofTests.lemmas("rmm-small-parametric").filter { $0 != "rmm-objects-by-pointer" }
    let result = try RMMProofTests.run(
      "parametric-without-objects-by-pointer",
      """
      model = "cca"
      configuration = "rmm-small-parametric"
      properties = ["hyp-no-realm-read"]
      lemmas = \(GPTProofTests.quoted(kept))
      engine = "induction"
      parametric = true
      timeout = 120
      expect = "holds"
      """)
    #expect(result.outcome == .cti, "\(result.outcome) \(result.detail)")
    #expect(result.detail.contains("RMI_REALM_DESTROY"), "\(result.detail)")
    #expect(!result.met)
  }

  /// The RMM mutants whose mutated step the variant's one-level RTT can take: all but
  /// rtt-destroy-ignores-live, whose RMI_RTT_DESTROY needs a TABLE entry above the RTT (one level
  /// has none, so at this geometry the mutant is the correct model and a proof of it is right; it
  /// is caught at rmm-rtt, Proofs/rmm-mutant-rtt-destroy-ignores-live-bfs.toml).
  static let mutants = RMMProofTests.mutants.filter { $0 != CCA.MutantName.rttDestroyIgnoresLive }

  @Test("an RMM mutant is never proved on the variant with the sort enumerated", arguments: mutants)
  func mutantNotProved(_ mutant: String) throws {
    _ = try RMMProofTests.mutantInduction(mutant, "\(Self.variant)\ntimeout = 600")
  }
}
