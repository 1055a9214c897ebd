import CCAModel
import Explore
import Spec
import Testing

/// The parametric variant with the RMM (Docs/ADR/0011-parametric-rmm.md): address registers and
/// ASSIGNED_NS descriptors are granules, rmm-wellformed is restated by pointer.
@Suite("The parametric variant with the RMM")
struct ParametricRMMTests {
  /// The model of configuration `name`, with its features replaced by `features` if given.
  static func model(_ name: String, features: Set<Configuration.Feature>? = nil) throws -> Model {
    var config = try #require(CCA.family.configuration(named: name))
    if let features { config.features = features }
    return try CCA.family.build(config)
  }

  @Test("address registers and descriptors are Granule operands; rmm-wellformed is restated by pointer")
  func structure() throws {
    let model = try Self.model("rmm-small-parametric")
    let create = try #require(model.actions.first { $0.name == "RMI_REALM_CREATE" })
    for name in ["x1", "x2", "params_rtt_base"] {
      let p = try #require(create.parameters.first { $0.name == name })
      guard case .index(let sort) = p.domain else {
        Issue.record("\(name) is not a granule operand: \(p.domain)")
        continue
      }
      #expect(sort.name == "Granule" && !sort.arithmetic && p.samples == nil)
    }
    // Registers that are not addresses stay 64-bit words.
    let vmid = try #require(create.parameters.first { $0.name == "params_vmid" })
    #expect(vmid.domain == .word(bits: 64))
    let map = try #require(model.actions.first { $0.name == "RMI_RTT_MAP_UNPROTECTED" })
    #expect(map.parameters.first { $0.name == "x4" }?.domain == model.variables.first { $0.name == "rtteAddr" }?.value)
    #expect(
      model.variables.first { $0.name == "rtteDesc" }?.value == model.variables.first { $0.name == "rtteAddr" }?.value)
    let names = model.properties.map(\.name)
    #expect(!names.contains("rmm-wellformed") && !names.contains("rmm-tables-wellformed"))
    #expect(names.contains("rmm-objects-by-pointer") && names.contains("hyp-no-realm-read"))
    // The default model keeps its PAs and rmm-wellformed.
    let small = try Self.model("rmm-small")
    let x1 = try #require(small.actions.first { $0.name == "RMI_REALM_CREATE" }?.parameters.first { $0.name == "x1" })
    #expect(x1.domain == .word(bits: 64))
    #expect(small.properties.contains { $0.name == "rmm-wellformed" })
    #expect(!small.properties.contains { $0.name == "rmm-objects-by-pointer" })
  }

  @Test(
    "features that compute with granule PAs are refused with parametric", arguments: ["blocks", "s2-tlb", "smmu-tlb"])
  func refusesComputingFeatures(_ feature: String) throws {
    let features: Set<Configuration.Feature> = ["rmm", "parametric", Configuration.Feature(feature)]
    #expect(throws: ModelError.self) { try Self.model("rmm-small-parametric", features: features) }
  }

  /// The distinct states a BFS of configuration `name` reaches by each of `depths`.
  static func statesByDepth(_ name: String, _ depths: ClosedRange<Int>) throws -> [Int] {
    let compiled = try CompiledModel(try model(name))
    return depths.map { depth in
      explore(compiled, options: ExploreOptions(mode: .bfs, maxDepth: depth, workers: 2, properties: [])).distinctStates
    }
  }

  /// Every step of the PA model is a step of the variant or a stutter, and conversely: a BFS
  /// reaches as many distinct states in both at each depth (ADR 0011's argument; the transitions
  /// differ, since the variant has no failing address operands and classified hypervisor ones).
  @Test("rmm-small and rmm-small-parametric reach as many states at each depth")
  func sameReachableStates() throws {
    let counts = try ["rmm-small", "rmm-small-parametric"].map { try Self.statesByDepth($0, 1...5) }
    print("distinct states by depth 1...5: rmm-small \(counts[0]), rmm-small-parametric \(counts[1])")
    #expect(counts[0] == counts[1])
    #expect(counts[0].last ?? 0 > 1000)
  }

  /// rmm-objects-by-pointer holds where rmm-wellformed does: every state of a BFS of the variant.
  @Test("rmm-objects-by-pointer and the mission properties hold in every state of a BFS of the variant")
  func lemmaHoldsWhenReached() throws {
    let model = try Self.model("rmm-small-parametric")
    let compiled = try CompiledModel(model)
    let wanted = ["rmm-objects-by-pointer", "hyp-no-realm-read", "gpt-consistent", "delegated-clean"]
    let properties = wanted.compactMap { name in model.properties.firstIndex { $0.name == name } }
    #expect(properties.count == wanted.count)
    let report = explore(compiled, options: ExploreOptions(mode: .bfs, maxDepth: 5, workers: 2, properties: properties))
    #expect(report.outcome == .noViolation)
    #expect(report.distinctStates > 1000)
  }
}
