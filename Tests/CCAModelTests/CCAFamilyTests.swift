import CCAModel
import Explore
import Spec
import Testing

@Suite("CCA model family")
struct CCAFamilyTests {
  @Test("the family names its configurations, mutants, properties, bounds and features")
  func metadata() throws {
    let family = CCA.family
    #expect(family.name == "cca")
    #expect(family.configurations.first?.name == "standard")
    let standard = try #require(family.configuration(named: "standard"))
    #expect(standard.has("fine"))
    #expect(standard.bounds == ["granules": 2, "pes": 2, "realms": 1])
    let atomic = try #require(family.configuration(named: "atomic"))
    #expect(!atomic.has("fine") && atomic.bounds == standard.bounds)
    #expect(family.configuration(named: "atomic-4")?.bounds["granules"] == 4)
    #expect(family.configuration(named: "atomic-16")?.bounds["granules"] == 16)
    for configuration in family.configurations {
      #expect(family.configurationDocs[configuration.name] != nil, "\(configuration.name) has no doc")
    }
    #expect(Set(family.boundDocs.keys).isSuperset(of: ["granules", "pes", "realms"]))
    #expect(family.featureDocs["fine"] != nil)
    #expect(family.featureDocs["parametric"] != nil)
    #expect(family.configuration(named: "atomic-parametric")?.features == ["parametric"])
    #expect(
      family.propertyDocs.map(\.name) == [
        "hyp-no-realm-read", "hyp-no-realm-write", "gpt-consistent", "delegated-clean", "realm-isolation",
        "rmm-wellformed", "mec-unique", "realm-data-under-own-mecid", "read-returns-last-write",
        "clean-line-matches-memory", "no-dirty-line-after-release",
        "device-assigned-only", "da-wellformed", "dma-verified-only-while-enabled", "no-stale-realm-copy",
        "failed-call-changes-nothing",
      ])
    #expect(
      Set(family.mutants.map(\.name)) == [
        "no-tlbi-on-delegate", "undelegate-without-scrub", "cmo-source-alias-only", "undelegate-skips-no-access",
        "gpt-word-unlocked", "data-create-skips-state-check", "data-destroy-without-scrub",
        "realm-destroy-ignores-liveness", "rtt-destroy-ignores-live", "undelegate-live-object",
        "mecid-reused-without-refresh", "reuse-without-scrub", "mec-set-private-ignores-members",
        "dma-enable-without-nonce-check", "vdev-unlock-keeps-ste", "dma-enable-skips-state-check",
        "vdev-create-skips-pdev-state", "dma-disable-keeps-ste-cache", "pdev-stop-ignores-vdevs",
        "vdev-map-accepts-undelegated", "validate-mapping-skips-pa-check", "smmu-gpi-not-invalidated",
        "s2-tlbi-first-vmid-only", "unmap-skips-smmu-tlbi", "smmu-tlbi-first-stream-only", "release-before-cmd-sync",
        "release-scrub-under-rmm-mecid", "realm-create-sets-rd-before-rtt-check", "vdev-complete-skips-vdev-id",
        "dma-enable-checks-at-request", "dma-enable-uses-device-ste",
      ])
    let properties = Set(family.propertyDocs.map(\.name))
    for mutant in family.mutants {
      #expect(!mutant.doc.isEmpty)
      #expect(!mutant.breaks.isEmpty && Set(mutant.breaks).isSubset(of: properties), "\(mutant.name)")
      #expect(family.configuration(named: mutant.configuration) != nil, "\(mutant.name)")
    }
    #expect(family.mutant(named: "undelegate-skips-no-access")?.configuration == "standard")
    #expect(family.mutant(named: "gpt-word-unlocked")?.configuration == "standard")
  }

  /// Every configuration without a mutant, and each mutant at its own configuration and at one
  /// configuration per feature set (the one with the fewest granules).
  ///
  /// Which parts of the builders
  /// run, and so what a mutant can break, depends on the features; the bounds only size the
  /// domains, and the mutants' own targets in Proofs/ build and explore them at their bounds.
  static let builds: [(String, String?)] = {
    let family = CCA.family
    let representatives = Dictionary(grouping: family.configurations, by: \.features).values.compactMap {
      $0.min { ($0.bounds["granules"] ?? 0, $0.name) < ($1.bounds["granules"] ?? 0, $1.name) }
    }
    let correct: [(String, String?)] = family.configurations.map { ($0.name, nil) }
    let mutated: [(String, String?)] = family.mutants.flatMap { mutant in
      Set(representatives.map(\.name) + [mutant.configuration]).sorted().map { ($0, mutant.name) }
    }
    return correct + mutated
  }()

  @Test("every configuration builds, validates and compiles, with and without each mutant", arguments: builds)
  func buildsAndCompiles(configuration: String, mutant: String?) throws {
    var config = try #require(CCA.family.configuration(named: configuration))
    config.mutant = mutant
    let log = MutantUse()
    let model = try MutantUse.$log.withValue(log) { try CCA.family.build(config) }
    #expect(model.name == "cca")
    // A mutant whose code this configuration never builds gives the correct model, which the
    // case without a mutant compiles and checks: building it is the whole test.
    if let mutant, !log.applied(mutant) { return }
    let compiled = try CompiledModel(model)
    for property in model.properties.indices {
      #expect(try compiled.holds(property, in: compiled.initialState()), "\(model.properties[property].name)")
    }
    let granules = config.bounds["granules"] ?? 0
    #expect(
      model.actions.contains { $0.name == "EL3_DELEGATE_TLBI_RPALOS" }
        == (config.has("fine") && mutant != "no-tlbi-on-delegate"))
    let parameters = try #require(model.actions.first { $0.name == "NS_READ" }?.parameters)
    if config.has("parametric") {
      #expect(parameters.map(\.name) == ["pe", "addrClass", "granule"])
      #expect(parameters[1].domain.elements?.count == 5)
    } else {
      #expect(parameters.map(\.name) == ["pe", "addr"])
      // Exploration tries the granules and four other addresses; with the RMM the register
      // takes any 64-bit PA (scenarios), sampled at the same set.
      #expect(parameters[1].values.count == granules + 4)
      #expect(parameters[1].isSampled == config.has("rmm"))
    }
  }

  @Test("the model rejects unknown mutants and bounds out of range")
  func rejectsBadConfigurations() throws {
    var config = try #require(CCA.family.configuration(named: "standard"))
    config.mutant = "no-such-bug"
    #expect(throws: ModelError.self) { try CCA.family.build(config) }
    config.mutant = nil
    config.bounds["granules"] = 0
    #expect(throws: ModelError.self) { try CCA.family.build(config) }
    config.bounds["granules"] = 2
    config.bounds["colours"] = 3
    #expect(throws: ModelError.self) { try CCA.family.build(config) }
  }

  /// A setup start state names its granules by index, so it is valid at its own bounds only: at
  /// any other size the build stops with a message naming the feature and the bounds it needs.
  @Test(
    "a setup start state refuses other bounds, naming the feature and what it needs",
    arguments: [
      ("rmm-tlb-setup", CCA.Bound.granules, 8, "feature tlb-setup needs granules = 7, realms = 2"),
      ("rmm-blocks-setup", CCA.Bound.rttEntries, 4, "feature blocks-setup needs granules = 7, realms = 1"),
      ("rmm-da-setup", CCA.Bound.rttLevels, 2, "feature da-setup needs granules = 7"),
    ] as [(String, Configuration.Bound, Int, String)])
  func setupBounds(name: String, bound: Configuration.Bound, value: Int, message: String) throws {
    var config = try #require(CCA.family.configuration(named: name))
    #expect(throws: Never.self) { try CCA.family.build(config) }
    config.bounds[bound] = value
    let error = #expect(throws: ModelError.self) { try CCA.family.build(config) }
    #expect(error?.description.contains(message) == true, "\(error.map(String.init(describing:)) ?? "no error")")
  }

  @Test("every action names its actor and cites the reference")
  func actionDocs() throws {
    for configuration in ["standard", "atomic", "atomic-parametric", "rmm-small", "rmm-rtt"] {
      let model = try CCA.family.build(try #require(CCA.family.configuration(named: configuration)))
      for action in model.actions {
        #expect(["hypervisor", "RMM", "EL3", "realm", "hardware"].contains(action.caller.name), "\(action.name)")
        #expect(action.doc.contains("reference/") || action.doc.contains("rme.md"), "\(action.name) cites nothing")
      }
    }
  }
}
