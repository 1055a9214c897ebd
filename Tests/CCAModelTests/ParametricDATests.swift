import CCAModel
import Spec
import Testing

/// The parametric variant with Device Assignment (Docs/ADR/0011-parametric-rmm.md): the PDEV and VDEV registers are
/// granules, da-wellformed counts a PDEV's VDEVs by pointer, and what the counting-free facts do not cover is refused.
@Suite("The parametric variant with Device Assignment")
struct ParametricDATests {
  @Test("PDEV, VDEV and buffer registers are Granule operands; the by-pointer lemmas are declared")
  func structure() throws {
    let model = try ParametricRMMTests.model("rmm-da-parametric")
    for (action, names) in [
      ("RMI_PDEV_CREATE", ["x1", "x2"]), ("RMI_VDEV_CREATE", ["x1", "x2", "x3", "x4"]), ("RMI_VDEV_DESTROY", ["x3"]),
    ] {
      let a = try #require(model.actions.first { $0.name == action })
      for name in names {
        let p = try #require(a.parameters.first { $0.name == name })
        guard case .index(let sort) = p.domain else {
          Issue.record("\(action) \(name) is not a granule operand: \(p.domain)")
          continue
        }
        #expect(sort.name == "Granule" && !sort.arithmetic)
      }
    }
    // The stream register is no address.
    let rid = try #require(
      model.actions.first { $0.name == "RMI_PDEV_CREATE" }?.parameters.first { $0.name == "params_rid" })
    #expect(rid.domain == .word(bits: 64))
    let names = model.properties.map(\.name)
    for name in [
      "device-assigned-only", "da-wellformed", "da-bookkeeping-wellformed", "rmm-objects-by-pointer",
      "rd-counts-its-vdevs",
    ] {
      #expect(names.contains(name), "\(name)")
    }
    #expect(!names.contains("rmm-wellformed"))
    // The default DA model keeps its counts and has no parametric lemma.
    let bounded = try ParametricRMMTests.model("rmm-da")
    #expect(bounded.properties.contains { $0.name == "rmm-wellformed" })
    #expect(!bounded.properties.contains { $0.name == "rd-counts-its-vdevs" })
  }

  /// What the variant does not cover, each refused with a model error (the configuration's bounds replaced by
  /// `bounds`, its features by `features`).
  @Test(
    "device memory, several devices, other features and unknown bounds are refused",
    arguments: [
      "dev-granules=1", "devices=2", "+da-setup", "+vdev-complete", "+smmu-tlb", "+wide-nonces",
    ])
  func refusals(_ change: String) throws {
    var config = try #require(CCA.family.configuration(named: "rmm-da-parametric"))
    if change.hasPrefix("+") {
      config.features.insert(Configuration.Feature(String(change.dropFirst())))
    } else {
      let parts = change.split(separator: "=")
      config.bounds[Configuration.Bound(String(parts[0]))] = Int(parts[1])
    }
    #expect(throws: ModelError.self) { try CCA.family.build(config) }
  }

  /// Every step of rmm-da is a step of the variant or a stutter, and conversely (ADR 0011's argument, with the PDEV
  /// and VDEV registers as granules): a BFS reaches as many distinct states in both at each depth.
  @Test("rmm-da and rmm-da-parametric reach as many states at each depth")
  func sameReachableStates() throws {
    let counts = try ["rmm-da", "rmm-da-parametric"].map { try ParametricRMMTests.statesByDepth($0, 1...3) }
    print("distinct states by depth 1...3: rmm-da \(counts[0]), rmm-da-parametric \(counts[1])")
    #expect(counts[0] == counts[1])
    #expect(counts[0].last ?? 0 > 10000)
  }
}
