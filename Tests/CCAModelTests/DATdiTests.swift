import CCAModel
import Spec
import Testing

/// Several TDIs per device (the `tdis` bound): each TDI assigned by its own VDEV, on its own stream and Realm STE, as
/// TF-RMM rmm-spec-v1.x-aligned indexes the STE by `vd->tdi_id` (Docs/ADR/0005, "Several TDIs per device").
@Suite("Device Assignment: several TDIs per device")
struct DATdiTests {
  /// rmm-da-2tdi-setup's second VDEV (TDI 1 of the PDEV, stream 1) and its spare granule.
  static let vdev1: Value = 0x8000_7000
  static let spare: Value = 0x8000_8000
  static let errorInput: Value = 1

  /// rmm-da-2tdi-setup without its start state: the same bounds, from boot.
  static func fromBoot() throws -> Configuration {
    var c = try #require(CCA.family.configuration(named: "rmm-da-2tdi-setup"))
    c.features.remove(CCA.Feature.daSetup)
    return c
  }

  @Test("tdis must be 1...4 with devices * tdis at most 4, and refuses device memory; da-setup's realms")
  func badConfigurations() throws {
    let base = try #require(CCA.family.configuration(named: "rmm-da-2tdi"))
    var five = base
    five.bounds[CCA.Bound.tdis] = 5
    var tooMany = base
    tooMany.bounds[CCA.Bound.devices] = 2
    tooMany.bounds[CCA.Bound.tdis] = 3
    var memory = base
    memory.bounds[CCA.Bound.devGranules] = 1
    memory.bounds[CCA.Bound.granules] = 9
    // A da-setup start has one realm, or two with one device of two TDIs (rmm-da-2tdi-2realm-setup).
    var oneTdiTwoRealms = try #require(CCA.family.configuration(named: "rmm-da-setup"))
    oneTdiTwoRealms.bounds[CCA.Bound.realms] = 2
    var threeRealms = try #require(CCA.family.configuration(named: "rmm-da-2tdi-2realm-setup"))
    threeRealms.bounds[CCA.Bound.realms] = 3
    for (configuration, message) in [
      (five, "bound tdis is 5"), (tooMany, "devices * tdis at most 4"),
      (memory, "bound tdis > 1 does not model device memory"),
      (oneTdiTwoRealms, "realms = 1 (or 2 with tdis = 2 and one device)"),
      (threeRealms, "realms = 1 (or 2 with tdis = 2 and one device)"),
    ] {
      #expect { _ = try CCA.family.build(configuration) } throws: { "\($0)".contains(message) }
    }
  }

  @Test("rmm-da-2tdi-setup starts where the ACS flow from boot, run for each TDI, stands (every slot)")
  func setupStateIsReachable() throws {
    var flow = try DAFlow(configuration: try Self.fromBoot())
    try flow.setUp(tdis: 2)
    let setup = try Scenario("rmm-da-2tdi-setup")
    #expect(setup.slots(setup.state) == flow.s.slots(flow.s.state))
    for p in DAFlowTests.properties { #expect(try flow.holds(p), "\(p)") }
  }

  @Test("rmm-da-2tdi-2realm-setup starts where the flow from boot stands with TDI 1 given to realm 1 (every slot)")
  func twoRealmSetupIsReachable() throws {
    var c = try #require(CCA.family.configuration(named: "rmm-da-2tdi-2realm-setup"))
    c.features.remove(CCA.Feature.daSetup)
    var flow = try DAFlow(configuration: c)
    // Realm 1 (VMID 1): its RD and starting-level RTT after the spare granule, created and activated first.
    let (rd1, rtt1): (Value, Value) = (0x8000_9000, 0x8000_A000)
    try flow.r.delegate(rd1)
    try flow.r.delegate(rtt1)
    try flow.run(
      "RMI_REALM_CREATE",
      RMMScenario.realmCreate(rd: rd1, params: DAEnc.buffer, s2sz: flow.s2sz, vmid: 1, rtt: rtt1, levelStart: 3))
    try flow.run("RMI_REALM_ACTIVATE", [rd1])
    try flow.setUp(tdis: 2) { t in t == 1 ? rd1 : DAEnc.rd }
    let setup = try Scenario("rmm-da-2tdi-2realm-setup")
    let (expected, reached) = (setup.slots(setup.state), flow.s.slots(flow.s.state))
    let differing = expected.keys.filter { expected[$0] != reached[$0] }.sorted()
    #expect(differing.isEmpty, "\(differing.map { "\($0): setup \(expected[$0] ?? 0), flow \(reached[$0] ?? 0)" })")
    #expect(expected.count == reached.count)
    #expect(flow.s.value("granuleOwner[7]") == 1)
    for p in DAFlowTests.properties { #expect(try flow.holds(p), "\(p)") }
  }

  @Test("VDEV_CREATE's tdi_id: out of the PDEV's range, or its STE taken; a destroyed VDEV frees its TDI")
  func tdiID() throws {
    var flow = try DAFlow("rmm-da-2tdi-setup")
    try flow.r.delegate(Self.spare)
    let create = { (tdi: Value) in [DAEnc.rd, DAEnc.pdev, Self.spare, DAEnc.buffer, 0, tdi] }
    for tdi: Value in [0, 1, 2] {
      try flow.s.expectFailure("RMI_VDEV_CREATE", create(tdi), condition: "tdi_id", code: Self.errorInput)
    }
    // PDEV_STOP waits for both VDEVs.
    try flow.s.expectFailure("RMI_PDEV_STOP", [DAEnc.pdev], condition: "num_vdevs", code: DAEnc.errorDevice)
    // Unlock TDI 1's VDEV, abort it to ERROR, destroy it: TDI 1 is free, TDI 0 still taken.
    let regs1 = [DAEnc.rd, DAEnc.pdev, Self.vdev1]
    try flow.run("RMI_VDEV_UNLOCK", regs1)
    try flow.run("RMI_VDEV_ABORT", [Self.vdev1])
    try flow.s.expect(
      "RMI_VDEV_DESTROY", regs1,
      changes: [
        "granuleState[7]": 1, "granuleRefcount[1]": 2, "pdevVdevs[5]": 1, "vdevState[7]": 0, "vdevPdev[7]": 0,
        "vdevTdi[7]": 0, "vdevLockNonce[7]": 0, "vdevMeasSeq[7]": 0, "vdevReportSeq[7]": 0, "steBound[1]": 0,
        "steVdev[1]": 0,
      ])
    try flow.s.expectFailure("RMI_VDEV_CREATE", create(0), condition: "tdi_id", code: Self.errorInput)
    try flow.s.expect(
      "RMI_VDEV_CREATE", create(1),
      changes: [
        // The VDEV granule, zero-filled (content 0, its last writer 0).
        "granuleState[8]": 8, "memory[8]": 0, "lastWrite[8]": 0, "granuleRefcount[1]": 3, "pdevVdevs[5]": 2,
        "vdevPdev[8]": 5, "vdevTdi[8]": 1,
        "steBound[1]": 1, "steVdev[1]": 8,
      ])
  }

  @Test("each TDI's DMA goes through its own STE: enabling TDI 1 leaves TDI 0's stream off")
  func dmaPerTdi() throws {
    var flow = try DAFlow("rmm-da-2tdi-setup")
    try flow.s.expect(
      "RSI_VDEV_DMA_ENABLE", [0, 1, 1, 1, 1],
      changes: ["vdevDMA[7]": 1, "vdevDMAVerified[7]": 1, "steValid[1]": 1])
    try flow.s.expectFailure("DEVICE_REALM_READ", [0, 0x0], condition: "ste", code: DAEnc.badSTE)
    try flow.s.expect(
      "DEVICE_REALM_READ", [1, 0x0],
      changes: [
        "cacheLine[3][Realm]": Enc.clean, "cacheData[3][Realm]": Enc.realm0, "steCached[1]": 1,
        "smmuGPTValid[3]": 1, "smmuGPT[3]": Enc.gpiRealm,
      ])
    for p in DAFlowTests.properties { #expect(try flow.holds(p), "\(p)") }
  }

  @Test("mutant dma-enable-uses-device-ste: enabling TDI 1 turns on TDI 0's stream, whose DMA breaks the properties")
  func mutant() throws {
    var flow = try DAFlow("rmm-da-2tdi-setup", mutant: CCA.MutantName.dmaEnableUsesDeviceSTE)
    try flow.s.expect(
      "RSI_VDEV_DMA_ENABLE", [0, 1, 1, 1, 1], changes: ["vdevDMA[7]": 1, "vdevDMAVerified[7]": 1, "steValid[0]": 1])
    #expect(try !flow.holds("da-wellformed"))
    try flow.run("DEVICE_REALM_READ", [0, 0x0])
    #expect(try !flow.holds("device-assigned-only"))
  }
}
