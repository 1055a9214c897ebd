import CCAModel
import Explore
import Spec
import Testing

/// The granules of the `tlb-setup` start state, written out independently of the model.
enum TLBEnc {
  static let g: [Value] = (0..<7).map { 0x8000_0000 + Value($0) * 0x1000 }
  static var buffer: Value { g[0] }
  static var rd0: Value { g[1] }
  static var rtt0: Value { g[2] }
  static var data: Value { g[3] }
  static var rec: Value { g[4] }
  static var rd1: Value { g[5] }
  static var rtt1: Value { g[6] }
  static let dataGranule: Value = 3
  static let stage2Abort: Value = 0x24
}

@Suite("Translation caches: the PEs' stage-2 TLBs")
struct PEStage2TLBTests {
  /// Boot to the `tlb-setup` start state on `rmm-tlb` (12 calls).
  static func setUp(_ r: inout RMMScenario) throws {
    for g in TLBEnc.g.dropFirst() { try r.delegate(g) }
    try r.run(
      "RMI_REALM_CREATE",
      RMMScenario.realmCreate(rd: TLBEnc.rd0, params: TLBEnc.buffer, s2sz: 13, vmid: 0, rtt: TLBEnc.rtt0, levelStart: 3)
    )
    try r.run("RMI_DATA_CREATE", [TLBEnc.rd0, TLBEnc.data, 0x0, TLBEnc.buffer, 0])
    try r.run("RMI_REC_CREATE", [TLBEnc.rd0, TLBEnc.rec, TLBEnc.buffer, 1, 0, 0])
    try r.run("RMI_REALM_ACTIVATE", [TLBEnc.rd0])
    try r.run(
      "RMI_REALM_CREATE",
      RMMScenario.realmCreate(rd: TLBEnc.rd1, params: TLBEnc.buffer, s2sz: 13, vmid: 1, rtt: TLBEnc.rtt1, levelStart: 3)
    )
    try r.run("RMI_REC_ENTER", [0, TLBEnc.rec, TLBEnc.buffer, 0])
  }

  @Test("rmm-tlb-setup starts exactly where the 12 calls from boot on rmm-tlb stand (every slot)")
  func setupStateIsReachable() throws {
    var boot = try RMMScenario("rmm-tlb")
    try Self.setUp(&boot)
    let setup = try Scenario("rmm-tlb-setup")
    #expect(setup.slots(setup.state) == boot.s.slots(boot.s.state))
  }

  @Test("a realm access fills its PE's entry for its VMID (realm, plane) and a later access hits it")
  func fillAndHit() throws {
    var s = try Scenario("rmm-tlb-setup")
    // The walk's translation is cached for VMID (realm 0, plane 1); the GPC caches the GPI (REALM,
    // 0xB) and the Realm line is filled CLEAN with the realm's data (REALM_0 = 2).
    try s.expect(
      "REALM_READ", [0, 0x0, 1],
      changes: [
        "s2TLB[0][0][1][0]": TLBEnc.dataGranule + 1, "gptTLB[0][3]": 0xB, "gptTLBValid[0][3]": 1,
        "cacheLine[3][Realm]": 1, "cacheData[3][Realm]": 2,
      ])
    // The entry now translates without a walk: the second read changes nothing.
    try s.expect("REALM_READ", [0, 0x0, 1], changes: [:])
  }

  /// The mutant's scenario: realm 0 reads its DATA page in plane 1, the host destroys it and gives
  /// the granule to realm 1, and realm 0 reads it again in plane 1.
  @Test("s2-tlbi-first-vmid-only: plane 1's stale entry reads the next realm's data; the correct model aborts")
  func firstVMIDOnlyMutant() throws {
    for mutant in [nil, "s2-tlbi-first-vmid-only"] as [String?] {
      var r = try RMMScenario("rmm-tlb-setup", mutant: mutant)
      try r.run("REALM_READ", [0, 0x0, 1])
      try r.run("RMI_DATA_DESTROY", [TLBEnc.rd0, 0x0])
      try r.run("RMI_DATA_CREATE", [TLBEnc.rd1, TLBEnc.data, 0x0, TLBEnc.buffer, 0])
      #expect(try r.s.holds("realm-isolation"))
      if mutant == nil {
        #expect(r.s.value("s2TLB[0][0][1][0]") == 0)
        try r.s.expectFailure("REALM_READ", [0, 0x0, 1], condition: "stage2_abort", code: TLBEnc.stage2Abort)
      } else {
        #expect(r.s.value("s2TLB[0][0][1][0]") == TLBEnc.dataGranule + 1)
        try r.run("REALM_READ", [0, 0x0, 1])
        #expect(try !r.s.holds("realm-isolation"))
      }
    }
  }

  @Test("RTT_SET_RIPAS to EMPTY invalidates the page's entries for every VMID of the realm")
  func setRipasInvalidates() throws {
    var r = try RMMScenario("rmm-tlb-setup")
    try r.run("REALM_READ", [0, 0x0, 0])
    try r.run("REALM_READ", [0, 0x0, 1])
    try r.run("RSI_IPA_STATE_SET", [0, 0x0, 0x1000, 0, 0])
    #expect(r.s.value("s2TLB[0][0][0][0]") == TLBEnc.dataGranule + 1)
    try r.run("RMI_RTT_SET_RIPAS", [TLBEnc.rd0, TLBEnc.rec, 0x0, 0x1000])
    #expect(r.s.value("s2TLB[0][0][0][0]") == 0)
    #expect(r.s.value("s2TLB[0][0][1][0]") == 0)
  }
}

@Suite("Translation caches: the SMMUs' TLBs and CMD_SYNC")
struct SMMUTLBTests {
  static let pdev1: Value = 0x8000_7000
  static let vdev1: Value = 0x8000_8000
  static let dataGranule: Value = 3

  /// Boot to the `rmm-da-iotlb-2-setup` start state on `rmm-da-iotlb-2`: the ACS flow for device 0
  /// (DAFlow), then for device 1 on stream 1 bound to the same realm, then the realm enables DMA
  /// on both with the current evidence (49 calls).
  static func setUp(mutant: String? = nil) throws -> DAFlow {
    var flow = try DAFlow("rmm-da-iotlb-2", mutant: mutant, s2sz: 14)
    try flow.setUp()  // delegates granule 7 too (its slot exists), where PDEV 1 goes
    try flow.r.delegate(vdev1)
    let regs = [DAEnc.rd, pdev1, vdev1]
    let communicate = { (flow: inout DAFlow) in try flow.run("RMI_VDEV_COMMUNICATE", regs + [DAEnc.buffer, 0]) }
    try flow.run("RMI_PDEV_CREATE", [pdev1, DAEnc.buffer, 1, 0])
    try flow.run("RMI_PDEV_COMMUNICATE", [pdev1, DAEnc.buffer, 0])
    try flow.run("RMI_PDEV_SET_PUBKEY", [pdev1, DAEnc.buffer])
    try flow.run("RMI_PDEV_COMMUNICATE", [pdev1, DAEnc.buffer, 0])
    try flow.run("RMI_VDEV_CREATE", regs + [DAEnc.buffer, 0])
    try communicate(&flow)
    try flow.run("RMI_VDEV_GET_MEASUREMENTS", regs + [DAEnc.buffer])
    try communicate(&flow)
    try flow.run("RMI_VDEV_LOCK", regs)
    try communicate(&flow)
    try flow.run("RMI_VDEV_GET_INTERFACE_REPORT", regs)
    try communicate(&flow)
    try flow.run("RMI_VDEV_START", regs)
    try communicate(&flow)
    try flow.run("RSI_VDEV_DMA_ENABLE", [0, 0, 1, 1, 1])
    try flow.run("RSI_VDEV_DMA_ENABLE", [0, 1, 1, 1, 1])
    return flow
  }

  @Test(
    "rmm-da-iotlb-2-setup starts exactly where the ACS flow for two devices of one realm and both DMA enables stand")
  func setupStateIsReachable() throws {
    let flow = try Self.setUp()
    let setup = try Scenario("rmm-da-iotlb-2-setup")
    #expect(setup.slots(setup.state) == flow.s.slots(flow.s.state))
    for p in DAFlowTests.properties { #expect(try flow.holds(p), "\(p)") }
  }

  @Test("rmm-da-iotlb-setup starts exactly where the ACS flow and the DMA enable from boot on rmm-da-iotlb stand")
  func oneDeviceSetupStateIsReachable() throws {
    var flow = try DAFlow("rmm-da-iotlb")
    try flow.setUp()
    try flow.enable()
    let setup = try Scenario("rmm-da-iotlb-setup")
    #expect(setup.slots(setup.state) == flow.s.slots(flow.s.state))
    for p in DAFlowTests.properties { #expect(try flow.holds(p), "\(p)") }
  }

  @Test("device DMA fills its SMMU's entry; RMI_DATA_DESTROY queues a TLBI on both SMMUs and waits for CMD_SYNC")
  func unmapWaitsForSync() throws {
    var flow = try DAFlow("rmm-da-iotlb-2-setup", s2sz: 14)
    try flow.run("DEVICE_REALM_READ", [1, 0x0])
    #expect(flow.s.value("iotlb[1][0][0]") == Self.dataGranule + 1)
    try flow.run("RMI_DATA_DESTROY", [DAEnc.rd, 0x0])
    // The granule is still the realm's DATA until the CMD_SYNC completes; the SMMUs have not yet
    // consumed their TLBIs, so the device still reaches it, which the rule allows meanwhile.
    #expect(flow.s.value("granuleState[3]") == RMMEnc.data)
    #expect(flow.s.value("smmuTLBIQueued[0]") == 1 && flow.s.value("smmuTLBIQueued[1]") == 1)
    try flow.s.expectDisabled("RMM_CMD_SYNC", [])
    try flow.run("DEVICE_REALM_READ", [1, 0x0])
    #expect(try flow.holds("device-assigned-only"))
    try flow.s.expectDisabled("RMI_DATA_DESTROY", [DAEnc.rd, 0x1000])
    try flow.run("SMMU_CMDQ_CONSUME", [0])
    try flow.run("SMMU_CMDQ_CONSUME", [1])
    #expect(flow.s.value("iotlb[1][0][0]") == 0)
    try flow.run("RMM_CMD_SYNC", [])
    #expect(flow.s.value("granuleState[3]") == Enc.delegated)
    try flow.s.expectFailure("DEVICE_REALM_READ", [1, 0x0], condition: "translation", code: DAEnc.translation)
    for p in DAFlowTests.properties { #expect(try flow.holds(p), "\(p)") }
  }

  @Test(
    "each SMMU mutant lets stream 1 reach the released granule",
    arguments: [
      "unmap-skips-smmu-tlbi", "smmu-tlbi-first-stream-only", "release-before-cmd-sync",
    ])
  func mutantScripts(mutant: String) throws {
    var flow = try DAFlow("rmm-da-iotlb-2-setup", mutant: mutant, s2sz: 14)
    try flow.run("DEVICE_REALM_READ", [1, 0x0])
    try flow.run("RMI_DATA_DESTROY", [DAEnc.rd, 0x0])
    switch mutant {
    case "unmap-skips-smmu-tlbi":
      try flow.run("RMM_CMD_SYNC", [])
    case "smmu-tlbi-first-stream-only":
      try flow.run("SMMU_CMDQ_CONSUME", [0])
      try flow.s.expectDisabled("SMMU_CMDQ_CONSUME", [1])
      try flow.run("RMM_CMD_SYNC", [])
    default:
      break  // released already
    }
    #expect(flow.s.value("granuleState[3]") == Enc.delegated)
    #expect(try flow.holds("device-assigned-only"))
    try flow.run("DEVICE_REALM_READ", [1, 0x0])
    #expect(try !flow.holds("device-assigned-only"))
  }
}
