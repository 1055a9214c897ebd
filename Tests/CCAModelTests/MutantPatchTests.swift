import CCAModel
import Spec
import Testing

@Suite("Mutants that drop a check are IR patches")
struct MutantPatchTests {
  /// (mutant, action, the conditions it drops): the mutants CCA+Mutants.swift states as patches.
  static let patches: [(String, String, [String])] = [
    (CCA.MutantName.dataCreateSkipsStateCheck, "RMI_DATA_CREATE", ["data_state"]),
    (CCA.MutantName.realmDestroyIgnoresLiveness, "RMI_REALM_DESTROY", ["realm_live"]),
    (CCA.MutantName.rttDestroyIgnoresLive, "RMI_RTT_DESTROY", ["rtt_live"]),
    (CCA.MutantName.dmaEnableWithoutNonceCheck, "RSI_VDEV_DMA_ENABLE", ["lock_nonce", "meas_seq", "report_seq"]),
    (CCA.MutantName.dmaEnableSkipsStateCheck, "RSI_VDEV_DMA_ENABLE", ["vdev_state"]),
    (CCA.MutantName.vdevCreateSkipsPdevState, "RMI_VDEV_CREATE", ["pdev_ready"]),
    (CCA.MutantName.pdevStopIgnoresVdevs, "RMI_PDEV_STOP", ["num_vdevs"]),
    (CCA.MutantName.validateMappingSkipsPACheck, "RMI_VDEV_VALIDATE_MAPPING", ["map_pa"]),
    (CCA.MutantName.mecSetPrivateIgnoresMembers, "RMI_MEC_SET_PRIVATE", ["members"]),
  ]

  @Test(
    "the mutant's model is the specification with exactly those conditions dropped, at the mutant's own configuration",
    arguments: patches.indices)
  func patch(_ i: Int) throws {
    let (name, command, dropped) = Self.patches[i]
    let mutant = try #require(CCA.family.mutant(named: name))
    var configuration = try #require(CCA.family.configuration(named: mutant.configuration))
    let specification = try CCA.family.build(configuration)
    configuration.mutant = name
    let mutated = try CCA.family.build(configuration)
    let a = try #require(specification.action(named: command))
    let expected = specification.actions[a].failures.map(\.name).filter { !dropped.contains($0) }
    #expect(mutated.actions[a].failures.map(\.name) == expected)
    #expect(specification.actions[a].failures.count == expected.count + dropped.count, "every dropped condition exists")
    // Nothing else changes: the other actions' conditions, the effects, the properties. (Two
    // builds are compared by shape: each build binds fresh variables, so expressions differ.)
    #expect(mutated.actions.map(\.name) == specification.actions.map(\.name))
    for (m, s) in zip(mutated.actions, specification.actions) {
      if m.name != command { #expect(m.failures.map(\.name) == s.failures.map(\.name), "\(m.name) under \(name)") }
      #expect(m.effects.count == s.effects.count, "\(m.name) under \(name)")
    }
    #expect(mutated.properties.map(\.name) == specification.properties.map(\.name))
  }
}
