import CCAModel
import Foundation
import Proving
import Spec
import Testing

/// The lemmas of the RMM proofs (Models/CCA/RMMBuilder+Lemmas.swift) are each needed, and the mutants of those
/// configurations are never proved.
///
/// The proofs themselves are the Proofs/*-induction.toml targets (`cca-verify prove`).
@Suite("RMM proofs through Proving")
struct RMMProofTests {
  /// Runs target text (as file `name.toml`) into a fresh output folder.
  static func run(_ name: String, _ text: String) throws -> TargetResult {
    let target = try ProofTarget.parse(file: "\(name).toml", text: text)
    return try Prover.run(target, outputDirectory: GPTProofTests.outputDirectory())
  }

  // MARK: every lemma is needed

  /// Each lemma with the configuration and property whose induction breaks without it.
  static let neededLemmas: [(lemma: String, configuration: String, property: String)] = [
    ("rmm-commands-atomic", "rmm-small", "gpt-consistent"),
    ("rmm-gpi-follows-state", "rmm-small", "hyp-no-realm-read"),
    ("rmm-free-granules-scrubbed", "rmm-small", "hyp-no-realm-read"),
    ("rmm-tables-wellformed", "rmm-small", "hyp-no-realm-read"),
    ("dirty-ns-line-only-when-undelegated", "rmm-small", "hyp-no-realm-write"),
    ("no-rec-aux-without-aux-count", "rmm-small", "hyp-no-realm-read"),
  ]

  @Test("every RMM lemma is declared in each configuration with a proof")
  func lemmasDeclared() throws {
    for configuration in ["rmm-small", "rmm-rtt", "rmm-small-mec"] {
      let declared = try GPTProofTests.lemmas(configuration)
      for needed in Self.neededLemmas {
        #expect(declared.contains(needed.lemma), "\(configuration) lacks \(needed.lemma): \(declared)")
      }
    }
  }

  @Test(
    "dropping an RMM lemma gives a CTI (not a violation, not proved)",
    arguments: neededLemmas.map { "\($0.lemma)|\($0.configuration)|\($0.property)" })
  func droppedLemmaGivesCTI(_ row: String) throws {
    let parts = row.split(separator: "|").map(String.init)
    let (lemma, configuration, property) = (parts[0], parts[1], parts[2])
    // An optional fourth part: more target keys (the parametric variants' rows pin `bounds`).
    let extra = parts.count > 3 ? "\n" + parts[3] : ""
    let kept = try GPTProofTests.lemmas(configuration).filter { $0 != lemma }
    let result = try Self.run(
      "without-\(lemma)",
      """
      model = "cca"
      configuration = "\(configuration)"\(extra)
      properties = ["\(property)"]
      lemmas = \(GPTProofTests.quoted(kept))
      engine = "induction"
      timeout = 600
      expect = "holds"
      """)
    #expect(result.outcome == .cti, "without \(lemma): \(result.outcome) \(result.detail)")
    #expect(!result.met)
  }

  // MARK: the DA lemmas (Models/CCA/DABuilder+Lemmas.swift)

  /// Each DA lemma with the configuration and property whose induction breaks without it.
  static let neededDALemmas: [(lemma: String, configuration: String, property: String)] = [
    ("da-bookkeeping-wellformed", "rmm-da", "device-assigned-only"),
    ("pdev-streams-distinct", "rmm-da", "device-assigned-only"),
    ("vdev-request-matches-state", "rmm-da", "device-assigned-only"),
    // Device memory's (about 2 minutes of Z3 time each).
    ("dev-mapped-unreferenced", "rmm-da-mem", "device-assigned-only"),
    ("dev-mapped-holds-no-realm-data", "rmm-da-mem", "delegated-clean"),
  ]

  /// Whether to run the slow induction rows: a DA row takes 25-100 s of Z3 time (7 granules), so
  /// they run only when asked (`CCA_SLOW_PROOFS=1`); `cca-verify prove` of
  /// Proofs/slow/rmm-da-*-induction.toml is the proof itself.
  static var slowProofs: Bool { ProcessInfo.processInfo.environment["CCA_SLOW_PROOFS"] == "1" }

  @Test("every DA lemma is declared in each DA configuration")
  func daLemmasDeclared() throws {
    for configuration in ["rmm-da", "rmm-da-mem", "rmm-da-setup"] {
      let declared = try GPTProofTests.lemmas(configuration)
      let deviceMemory = configuration == "rmm-da-mem"
      for needed in Self.neededDALemmas + Self.neededLemmas where deviceMemory || needed.configuration != "rmm-da-mem" {
        #expect(declared.contains(needed.lemma), "\(configuration) lacks \(needed.lemma): \(declared)")
      }
    }
    #expect(!(try GPTProofTests.lemmas("rmm-small")).contains("pdev-streams-distinct"))
    #expect(!(try GPTProofTests.lemmas("rmm-da")).contains("dev-mapped-unreferenced"))
  }

  /// The SMMU TLB lemmas (feature `smmu-tlb`) with the configuration and property whose induction breaks without each.
  static let neededSMMUTLBLemmas: [(lemma: String, configuration: String, property: String)] = [
    ("pending-unmap-holds-its-granule", "rmm-da-iotlb", "rmm-wellformed"),
    ("smmu-tlb-entries-follow-rtt", "rmm-da-iotlb", "device-assigned-only"),
  ]

  @Test("the SMMU TLB lemmas are declared with smmu-tlb only, with the DA and RMM lemmas")
  func smmuTLBLemmasDeclared() throws {
    for configuration in ["rmm-da-iotlb", "rmm-da-iotlb-2", "rmm-da-iotlb-setup"] {
      let declared = try GPTProofTests.lemmas(configuration)
      for needed in Self.neededSMMUTLBLemmas + Self.neededDALemmas.prefix(3) + Self.neededLemmas {
        #expect(declared.contains(needed.lemma), "\(configuration) lacks \(needed.lemma): \(declared)")
      }
    }
    for configuration in ["rmm-da", "rmm-tlb"] {
      let declared = try GPTProofTests.lemmas(configuration)
      #expect(
        !declared.contains("smmu-tlb-entries-follow-rtt") && !declared.contains("pending-unmap-holds-its-granule"))
    }
  }

  @Test(
    "dropping a DA, two-realm or SMMU TLB lemma gives a CTI (not a violation, not proved)",
    .enabled(if: slowProofs, "8-100 s of Z3 time per row in release: run with CCA_SLOW_PROOFS=1"),
    arguments: (neededDALemmas + neededTwoRealmLemmas + neededSMMUTLBLemmas).map {
      "\($0.lemma)|\($0.configuration)|\($0.property)"
    })
  func droppedDALemmaGivesCTI(_ row: String) throws {
    try droppedLemmaGivesCTI(row)
  }

  // MARK: the lemmas of two realms

  /// Each lemma of the two-realm and MECID-tagged-line configurations with the configuration and property whose
  /// induction breaks without it.
  static let neededTwoRealmLemmas: [(lemma: String, configuration: String, property: String)] = [
    ("realm-data-in-own-granules", "rmm-reuse-mec", "realm-isolation"),
    ("realm-data-under-realm-mecid", "rmm-small-mec-lines", "no-stale-realm-copy"),
    ("own-mecid-copy-holds-own-data", "rmm-reuse-mec-lines", "realm-isolation"),
    ("s2-tlb-entries-follow-rtt", "rmm-tlb", "realm-isolation"),
  ]

  @Test("the two-realm lemma is declared with two realms and untagged lines only, the tagged lines' with mecid-lines")
  func twoRealmLemmaDeclared() throws {
    for configuration in ["rmm-reuse", "rmm-reuse-mec", "rmm-tlb"] {
      #expect(try GPTProofTests.lemmas(configuration).contains("realm-data-in-own-granules"), "\(configuration)")
    }
    // One realm: nothing to isolate; MECID-tagged lines: the release leaves old labels (ADR 0009).
    for configuration in ["rmm-small", "rmm-small-mec", "rmm-reuse-mec-lines"] {
      #expect(!(try GPTProofTests.lemmas(configuration)).contains("realm-data-in-own-granules"), "\(configuration)")
    }
    // The tagged lines' lemma: only with mecid-lines.
    for configuration in ["rmm-small-mec-lines", "rmm-reuse-mec-lines"] {
      #expect(try GPTProofTests.lemmas(configuration).contains("realm-data-under-realm-mecid"), "\(configuration)")
    }
    #expect(!(try GPTProofTests.lemmas("rmm-small-mec")).contains("realm-data-under-realm-mecid"))
  }

  // MARK: the mutants are never proved

  /// The RMM mutants, each at its own configuration (the mutant's default, rmm-small).
  static let mutants: [String] = [
    CCA.MutantName.dataCreateSkipsStateCheck, CCA.MutantName.dataDestroyWithoutScrub,
    CCA.MutantName.realmDestroyIgnoresLiveness, CCA.MutantName.rttDestroyIgnoresLive,
    CCA.MutantName.undelegateLiveObject,
  ]

  /// Runs `mutant` by induction with every lemma (`keys`: the target's other keys, one a line) and expects a CTI or
  /// a violation, never `proved`.
  static func mutantInduction(_ mutant: String, _ keys: String) throws -> TargetResult {
    let result = try run(
      "mutant-\(mutant)",
      """
      model = "cca"
      mutant = "\(mutant)"
      engine = "induction"
      expect = "holds"
      \(keys)
      """)
    #expect(result.outcome == .cti || result.outcome == .violated, "\(mutant): \(result.outcome) \(result.detail)")
    #expect(!result.met)
    return result
  }

  @Test(
    "an RMM mutant is never proved: induction with the lemmas gives a CTI naming a broken formula, or a violation",
    arguments: mutants)
  func mutantNotProved(_ mutant: String) throws {
    let result = try Self.mutantInduction(mutant, "timeout = 600")
    if result.outcome == .cti {
      // The CTI names the property or lemma the mutated step breaks.
      let model = try CCA.family.build(try #require(CCA.family.configuration(named: "rmm-small")))
      let names = Set(model.properties.map(\.name))
      #expect(result.property.split(separator: ",").allSatisfy { names.contains(String($0)) }, "\(result.property)")
    }
  }

  /// The SMMU TLB mutants whose mutated step is RMI_DATA_DESTROY's (RMMBuilder+S2TLB.swift, `queueSMMUTLBI`), at
  /// the configuration of the SMMU TLB proof (`smmu-tlbi-first-stream-only` needs two SMMUs, rmm-da-iotlb-2, a
  /// proof of minutes: run through the CLI, the note says how).
  static let smmuTLBMutants: [String] = [CCA.MutantName.unmapSkipsSMMUTLBI, CCA.MutantName.releaseBeforeCMDSync]

  @Test(
    "an SMMU TLB mutant is never proved at rmm-da-iotlb: its RMI_DATA_DESTROY breaks smmu-tlb-entries-follow-rtt",
    .enabled(if: slowProofs, "about 12 s of Z3 time per mutant in release: run with CCA_SLOW_PROOFS=1"),
    arguments: smmuTLBMutants)
  func smmuTLBMutantNotProved(_ mutant: String) throws {
    let result = try Self.mutantInduction(
      mutant, "configuration = \"rmm-da-iotlb\"\nproperties = [\"device-assigned-only\"]\ntimeout = 1800")
    if result.outcome == .cti {
      // Without the TLBI (or releasing before its CMD_SYNC) the stale entry names a granule that is no
      // longer the realm's mapped or pending DATA.
      #expect(result.property.contains("smmu-tlb-entries-follow-rtt"), "\(result.property): \(result.detail)")
    }
  }

  // MARK: scope

  @Test("a parametric scope keeps the bounds the abstraction does not lift")
  func parametricScope() {
    #expect(
      Prover.scope("parametric (Granule)", parametric: ["Granule"], bounds: ["granules": 2, "pes": 2, "realms": 1])
        == "parametric (Granule); pes=2, realms=1")
    #expect(
      Prover.scope("parametric (Thread)", parametric: ["Thread"], bounds: ["threads": 3]) == "parametric (Thread)")
    #expect(
      Prover.scope("granules=4, pes=1", parametric: [], bounds: ["granules": 4, "pes": 1]) == "granules=4, pes=1")
  }
}
