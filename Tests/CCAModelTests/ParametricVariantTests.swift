import CCAModel
import Explore
import Spec
import Testing

/// The `parametric` variant of the model (Docs/ADR/0003-parametric-abstraction.md).
///
/// One GPI per granule and addresses as (address class, granule), so the Granule sort is a pure
/// index sort. It must behave like the default model wherever the abstraction claims it does.
@Suite("The parametric variant of the CCA model")
struct ParametricVariantTests {
  static let dram: Value = 0
  static let misaligned: Value = 1
  static let mmio: Value = 2
  static let misalignedMMIO: Value = 3
  static let beyondPPS: Value = 4

  static func model(_ configuration: String, features: Set<Configuration.Feature>? = nil, mutant: String? = nil) throws
    -> Model
  {
    var config = try #require(CCA.family.configuration(named: configuration))
    if let features { config.features = features }
    config.mutant = mutant
    return try CCA.family.build(config)
  }

  @Test("the Granule sort is a pure index sort, the GPT one GPI per granule, addresses (class, granule)")
  func structure() throws {
    for features: Set<Configuration.Feature> in [["parametric"], ["parametric", "fine"]] {
      let model = try Self.model("atomic-parametric", features: features)
      let names = model.variables.map(\.name)
      #expect(names.contains("gpi") && !names.contains("gptDescriptor") && !names.contains("el3Descriptor"))
      let gpi = try #require(model.variable(named: "gpi"))
      guard case .index(let granule) = model[gpi].keys.first else {
        Issue.record("gpi is not keyed by granule")
        continue
      }
      #expect(granule.name == "Granule" && !granule.arithmetic)
      for name in ["NS_READ", "NS_WRITE", "RMI_GRANULE_DELEGATE", "RMI_GRANULE_UNDELEGATE"] {
        let action = try #require(model.actions.first { $0.name == name })
        #expect(action.parameters.map(\.name) == ["pe", "addrClass", "granule"], "\(name)")
      }
      #expect(!model.actions.contains { $0.name.contains("READ_DESCRIPTOR") })
      #expect(model.actions.contains { $0.name == "EL3_UNDELEGATE_WRITE_GPI_NO_ACCESS" } == features.contains("fine"))
    }
    let standard = try Self.model("atomic")
    guard case .index(let granule) = standard.variables.first(where: { $0.name == "gptTLB" })?.keys[1] else {
      Issue.record("gptTLB is not keyed by granule")
      return
    }
    #expect(granule.arithmetic)
  }

  /// The address cases of GranuleCommandTests, as (class, granule) operands: (command, class,
  /// granule 0 delegated, granule 0's GPI, expected first failing condition or nil).
  static let cases: [(String, Value, Bool, Value, String?)] = [
    ("RMI_GRANULE_DELEGATE", misaligned, true, Enc.gpiRealm, "gran_align"),
    ("RMI_GRANULE_DELEGATE", misalignedMMIO, false, Enc.gpiNS, "gran_align"),
    ("RMI_GRANULE_DELEGATE", mmio, false, Enc.gpiNS, "gran_bound"),
    ("RMI_GRANULE_DELEGATE", beyondPPS, false, Enc.gpiNS, "gran_bound"),
    ("RMI_GRANULE_DELEGATE", dram, true, Enc.gpiRealm, "gran_state"),
    ("RMI_GRANULE_DELEGATE", dram, false, Enc.gpiRealm, "gran_gpt"),
    ("RMI_GRANULE_DELEGATE", dram, false, Enc.noAccess, "gran_gpt"),
    ("RMI_GRANULE_DELEGATE", dram, false, Enc.gpiNS, nil),
    ("RMI_GRANULE_UNDELEGATE", misaligned, false, Enc.gpiNS, "gran_align"),
    ("RMI_GRANULE_UNDELEGATE", misalignedMMIO, false, Enc.gpiNS, "gran_align"),
    ("RMI_GRANULE_UNDELEGATE", mmio, false, Enc.gpiNS, "gran_bound"),
    ("RMI_GRANULE_UNDELEGATE", beyondPPS, true, Enc.gpiRealm, "gran_bound"),
    ("RMI_GRANULE_UNDELEGATE", dram, false, Enc.gpiNS, "gran_state"),
    ("RMI_GRANULE_UNDELEGATE", dram, true, Enc.gpiRealm, nil),
  ]

  @Test("failure conditions in spec order, for (class, granule) operands", arguments: cases)
  func failureOrder(_ testCase: (String, Value, Bool, Value, String?)) throws {
    let (command, addrClass, delegated, gpi, expected) = testCase
    var s = try Scenario("atomic-parametric")
    try s.set(["granuleState[0]": delegated ? Enc.delegated : Enc.undelegated, "gpi[0]": gpi])
    if let expected {
      try s.expectFailure(command, [1, addrClass, 0], condition: expected, code: Enc.rmiErrorInput)
    } else {
      let outcome = try s.compiled.step(s.state, action: try s.actionIndex(command), arguments: [1, addrClass, 0])
      guard case .succeeded = outcome else {
        Issue.record("\(command) gave \(outcome)")
        return
      }
    }
  }

  @Test("delegate, realm write, undelegate: the same steps as with descriptor words")
  func atomicCommands() throws {
    var s = try Scenario("atomic-parametric")
    try s.expect(
      "NS_WRITE", [1, Self.misaligned, 1],
      changes: [
        "gptTLBValid[1][1]": 1, "gptTLB[1][1]": Enc.gpiNS, "cacheLine[1][NS]": Enc.dirty, "cacheData[1][NS]": Enc.host,
      ])
    try s.expect("NS_READ", [0, Self.mmio, 1], changes: [:])
    try s.expect(
      "RMI_GRANULE_DELEGATE", [0, Self.dram, 1],
      changes: [
        "gpi[1]": Enc.gpiRealm, "gptTLBValid[1][1]": 0, "gptTLB[1][1]": Enc.noAccess,
        "cacheLine[1][NS]": Enc.invalid, "cacheData[1][NS]": Enc.zero, "granuleState[1]": Enc.delegated,
      ])
    try s.expect(
      "REALM_WRITE", [0, 1, 0],
      changes: [
        "gptTLBValid[0][1]": 1, "gptTLB[0][1]": Enc.gpiRealm, "cacheLine[1][Realm]": Enc.dirty,
        "cacheData[1][Realm]": Enc.realm0, "lastWrite[1]": Enc.realm0,
      ])
    try s.expectFailure("NS_READ", [1, Self.dram, 1], condition: "gpf", code: Enc.gpf)
    try s.expect(
      "RMI_GRANULE_UNDELEGATE", [1, Self.dram, 1],
      changes: [
        "gpi[1]": Enc.gpiNS, "gptTLBValid[0][1]": 0, "gptTLB[0][1]": Enc.noAccess, "cacheLine[1][Realm]": Enc.invalid,
        "cacheData[1][Realm]": Enc.zero, "memory[1]": Enc.zero, "granuleState[1]": Enc.undelegated,
        "lastWrite[1]": Enc.zero,
      ])
    // Every property the model declares (the family's RMM properties exist only with the rmm feature).
    for property in CCA.family.propertyDocs.map(\.name) where s.model.property(named: property) != nil {
      #expect(try s.holds(property), "\(property)")
    }
  }

  static func bfs(_ configuration: String, mutant: String? = nil, property: String? = nil) throws -> ExploreReport {
    let compiled = try CompiledModel(try Self.model(configuration, mutant: mutant))
    let properties = property.map { name in
      compiled.model.properties.indices.filter { compiled.model.properties[$0].name == name }
    }
    return explore(compiled, options: ExploreOptions(mode: .bfs, properties: properties))
  }

  @Test("the variant reaches exactly as many states as the default model, at the same depth")
  func sameStateSpace() throws {
    let variant = try Self.bfs("atomic-parametric")
    let atomic = try Self.bfs("atomic")
    #expect(variant.complete && atomic.complete)
    #expect(variant.distinctStates == atomic.distinctStates)
    #expect(variant.maxDepthReached == atomic.maxDepthReached)
  }

  /// The atomic-mode mutants, with each property they break.
  static let atomicMutants: [(String, String)] = CCA.family.mutants.filter { $0.configuration == "atomic" }.flatMap {
    mutant in mutant.breaks.map { (mutant.name, $0) }
  }

  @Test(
    "the atomic mutants are caught in the variant with traces as short as in the default model",
    arguments: atomicMutants)
  func mutantsCaught(mutant: String, property: String) throws {
    let variant = try Self.bfs("atomic-parametric", mutant: mutant, property: property)
    let atomic = try Self.bfs("atomic", mutant: mutant, property: property)
    guard case .violation(_, let trace) = variant.outcome, case .violation(_, let reference) = atomic.outcome else {
      Issue.record("\(mutant): \(variant.outcome) / \(atomic.outcome)")
      return
    }
    #expect(trace.steps.count == reference.steps.count)
    #expect(trace.steps.map(\.action) == reference.steps.map(\.action))
  }
}
