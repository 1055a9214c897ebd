import CCAModel
import Explore
import Spec
import Testing

/// Encodings of the device-memory layer, written out independently of the model (reference/rmm.md
/// §3.4; the pinned revision TF-RMM rmm-spec-v1.x-aligned and the DA series' Linux RMI headers).
enum DevMemEnc {
  /// rmm-da-mem: granule 7 is the device's MMIO granule.
  static let dev: Value = 0x8000_7000
  static let devGranule = "7"
  static let devMapped: Value = 9
  static let assignedDevEmpty: Value = 9
  static let assignedDevDev: Value = 10
  static let unassignedDestroyed: Value = 2
  static let exitDevMemMap: Value = 0x09
  static let devMemResponse: Value = 1 << 6
  static let rsiAccept: Value = 0
  static let rsiReject: Value = 1
  static let stage2Abort: Value = 0x24
  static let rmiErrorRTT: Value = 4
  static let rmiErrorREC: Value = 3
  /// X0 of RMI_ERROR_RTT at level 3.
  static let rttLevel3: Value = 4 | 3 << 8
  /// The IPA free for device memory (protected, UNASSIGNED, RIPAS EMPTY in rmm-da-mem-setup).
  static let ipa: Value = 0x1000
  /// RSI_VDEV_VALIDATE_MAPPING's arguments: pe, vdev_id, ipa_base, ipa_top, pa_base, flags, the
  /// three evidence generations of the setup (1 each).
  static func request(pa: Value = dev) -> [Value] { [0, 0, ipa, 0x2000, pa, 0, 1, 1, 1] }
  /// RMI_VDEV_MAP's arguments.
  static var map: [Value] { [DAEnc.rd, DAEnc.vdev, ipa, 3, dev] }
  /// RMI_VDEV_VALIDATE_MAPPING's arguments.
  static var validate: [Value] { [DAEnc.rd, DAEnc.rec, DAEnc.pdev, DAEnc.vdev, ipa, 0x2000] }
}

@Suite("Device Assignment: device memory (VDEV_MAP, VDEV_UNMAP, VDEV_VALIDATE_MAPPING, RSI_VDEV_VALIDATE_MAPPING)")
struct DADeviceMemoryTests {
  static let properties = DAFlowTests.properties

  /// The setup state of rmm-da-mem-setup (the device granule DELEGATED), the REC's device-memory
  /// request made.
  static func requested(mutant: String? = nil, pa: Value = DevMemEnc.dev) throws -> DAFlow {
    var flow = try DAFlow("rmm-da-mem-setup", mutant: mutant, s2sz: 14)
    try flow.run("RSI_VDEV_VALIDATE_MAPPING", DevMemEnc.request(pa: pa))
    return flow
  }

  @Test("rmm-da-mem-setup starts exactly where the ACS flow from boot on rmm-da-mem stands at VDEV STARTED")
  func setupStateIsReachable() throws {
    var flow = try DAFlow("rmm-da-mem", s2sz: 14)
    try flow.setUp()
    let setup = try Scenario("rmm-da-mem-setup")
    #expect(setup.slots(setup.state) == flow.s.slots(flow.s.state))
    for p in Self.properties { #expect(try flow.holds(p), "\(p)") }
  }

  @Test("the ACS flow: request, delegate, map, validate, re-enter (ACCEPT), realm MMIO access, DMA; teardown")
  func acsFlow() throws {
    var flow = try DAFlow("rmm-da-mem-setup", s2sz: 14)
    // The device granule (DELEGATED) is no RMM object: RMI_DATA_CREATE refuses it as out of bound.
    try flow.s.expectFailure(
      "RMI_DATA_CREATE", [DAEnc.rd, DevMemEnc.dev, DevMemEnc.ipa, DAEnc.buffer, 0], condition: "data_bound",
      code: Enc.rmiErrorInput)
    try flow.run("RMI_GRANULE_UNDELEGATE", [0, DevMemEnc.dev])
    #expect(flow.s.value("granuleState[7]") == Enc.undelegated)
    // The realm asks; the REC exits to the host with the range.
    try flow.s.expect(
      "RSI_VDEV_VALIDATE_MAPPING", DevMemEnc.request(),
      changes: [
        "recDevMemAddr[4]": DevMemEnc.ipa, "recDevMemTop[4]": 0x2000, "recDevMemPA[4]": DevMemEnc.dev,
        "granuleRefcount[4]": 0, "peRunning[0]": 0, "peREC[0]": 0,
      ])
    // The host delegates the MMIO granule (the same RMI_GRANULE_DELEGATE, through EL3's GPT).
    try flow.r.delegate(DevMemEnc.dev)
    #expect(flow.s.value("granuleState[7]") == Enc.delegated)
    // A Non-secure access to the delegated MMIO granule takes a GPF.
    try flow.s.expectFailure("NS_WRITE", [0, DevMemEnc.dev], condition: "gpf", code: Enc.gpf)
    try flow.s.expect(
      "RMI_VDEV_MAP", DevMemEnc.map,
      changes: [
        "rtte[2][1]": DevMemEnc.assignedDevEmpty, "rtteAddr[2][1]": 7, "granuleRefcount[2]": 2,
        "granuleState[7]": DevMemEnc.devMapped,
      ])
    for p in Self.properties { #expect(try flow.holds(p), "\(p)") }
    try flow.s.expect(
      "RMI_VDEV_VALIDATE_MAPPING", DevMemEnc.validate,
      changes: [
        "rtte[2][1]": DevMemEnc.assignedDevDev, "devMemAccepted[7]": 1, "recDevMemAddr[4]": 0x2000,
        "recDevMemPA[4]": DevMemEnc.dev + 0x1000,
      ])
    // Re-entry completes the call (RSI_SUCCESS, progress, ACCEPT: `reject`); the request is gone.
    try flow.run("RMI_REC_ENTER", [0, DAEnc.rec, DAEnc.buffer, 0])
    #expect(flow.s.value("recDevMemTop[4]") == 0)
    #expect(flow.s.value("recDevMemAddr[4]") == 0)
    // The realm reaches its device's MMIO; the unprotected IPA is no device memory.
    try flow.run("REALM_DEV_ACCESS", [0, DevMemEnc.ipa])
    try flow.s.expectFailure("REALM_DEV_ACCESS", [0, 0x0], condition: "stage2_abort", code: DevMemEnc.stage2Abort)
    for p in Self.properties { #expect(try flow.holds(p), "\(p)") }
    // DMA still reaches exactly the DATA page.
    try flow.enable()
    try flow.run("DEVICE_REALM_WRITE", [0, 0x0])
    for p in Self.properties { #expect(try flow.holds(p), "\(p)") }
    // Teardown: UNLOCK is refused while the MMIO is mapped; UNMAP first.
    try flow.s.expectFailure("RMI_VDEV_UNLOCK", flow.vdevRegs, condition: "vdev_mapped", code: DAEnc.errorDevice)
    try flow.s.expect(
      "RMI_VDEV_UNMAP", [DAEnc.rd, DevMemEnc.ipa, 3],
      changes: [
        "rtte[2][1]": DevMemEnc.unassignedDestroyed, "rtteAddr[2][1]": 0, "granuleRefcount[2]": 1,
        "granuleState[7]": Enc.delegated, "devMemAccepted[7]": 0,
      ])
    try flow.s.expectFailure(
      "REALM_DEV_ACCESS", [0, DevMemEnc.ipa], condition: "stage2_abort", code: DevMemEnc.stage2Abort)
    try flow.run("RMI_VDEV_UNLOCK", flow.vdevRegs)
    try flow.communicate()
    try flow.run("RMI_VDEV_DESTROY", flow.vdevRegs)
    try flow.run("RMI_GRANULE_UNDELEGATE", [0, DevMemEnc.dev])
    #expect(flow.s.value("granuleState[7]") == Enc.undelegated)
    for p in Self.properties { #expect(try flow.holds(p), "\(p)") }
  }

  @Test("RMI_REC_ENTER completes the request: RSI_ACCEPT, or RSI_REJECT with DEV_MEM_RESPONSE")
  func reject() throws {
    var flow = try Self.requested()
    try flow.run("RMI_VDEV_MAP", DevMemEnc.map)
    try flow.run("RMI_VDEV_VALIDATE_MAPPING", DevMemEnc.validate)
    // realm_x0, realm_x1, realm_x2: RSI_SUCCESS, the progress, RSI_REJECT.
    let outputs = try flow.s.compiled.outputs(
      flow.s.state, action: try flow.s.actionIndex("RMI_REC_ENTER"),
      arguments: [0, DAEnc.rec, DAEnc.buffer, DevMemEnc.devMemResponse, 0, 0])
    #expect(outputs == [0, 0x2000, DevMemEnc.rsiReject])
    let accepted = try flow.s.compiled.outputs(
      flow.s.state, action: try flow.s.actionIndex("RMI_REC_ENTER"), arguments: [0, DAEnc.rec, DAEnc.buffer, 0, 0, 0])
    #expect(accepted == [0, 0x2000, DevMemEnc.rsiAccept])
  }

  // MARK: - Failure conditions, one fault per call

  /// RMI_VDEV_MAP's conditions from the requested state (the granule delegated): arguments, the
  /// condition and X0.
  static let mapFailures: [([Value], String, Value)] = [
    ([DAEnc.rd, DAEnc.vdev, 0x1000, 3, DevMemEnc.dev + 0x10], "addr_align", 1),
    ([DAEnc.rd, DAEnc.vdev, 0x1000, 3, DAEnc.data], "addr_bound", 1),
    ([DAEnc.rd + 0x10, DAEnc.vdev, 0x1000, 3, DevMemEnc.dev], "rd_align", 1),
    ([Enc.mmio, DAEnc.vdev, 0x1000, 3, DevMemEnc.dev], "rd_bound", 1),
    ([DAEnc.rec, DAEnc.vdev, 0x1000, 3, DevMemEnc.dev], "rd_state", 1),
    ([DAEnc.rd, DAEnc.vdev + 0x10, 0x1000, 3, DevMemEnc.dev], "vdev_align", 1),
    ([DAEnc.rd, Enc.mmio, 0x1000, 3, DevMemEnc.dev], "vdev_bound", 1),
    ([DAEnc.rd, DAEnc.pdev, 0x1000, 3, DevMemEnc.dev], "vdev_gran_state", 1),
    ([DAEnc.rd, DAEnc.vdev, 0x1000, 2, DevMemEnc.dev], "level_bound", 1),
    ([DAEnc.rd, DAEnc.vdev, 0x1010, 3, DevMemEnc.dev], "ipa_align", 1),
    ([DAEnc.rd, DAEnc.vdev, 0x2000, 3, DevMemEnc.dev], "ipa_bound", 1),
    ([DAEnc.rd, DAEnc.vdev, 0x0, 3, DevMemEnc.dev], "rtte_state", DevMemEnc.rttLevel3),
  ]

  @Test("RMI_VDEV_MAP: each failure condition with its X0", arguments: mapFailures)
  func mapFailure(arguments: [Value], condition: String, x0: Value) throws {
    let flow = try Self.requested()
    try flow.s.expectFailure("RMI_VDEV_MAP", arguments, condition: condition, code: x0)
  }

  @Test("RMI_VDEV_MAP: addr_state (UNDELEGATED) and rtte_ripas (RIPAS RAM)")
  func mapStateFailures() throws {
    var flow = try DAFlow("rmm-da-mem-setup", s2sz: 14)
    try flow.run("RMI_GRANULE_UNDELEGATE", [0, DevMemEnc.dev])
    try flow.s.expectFailure("RMI_VDEV_MAP", DevMemEnc.map, condition: "addr_state", code: 1)
    try flow.r.delegate(DevMemEnc.dev)
    try flow.s.set(["rtte[2][1]": 1])  // UNASSIGNED_RAM
    try flow.s.expectFailure("RMI_VDEV_MAP", DevMemEnc.map, condition: "rtte_ripas", code: DevMemEnc.rttLevel3)
  }

  static let unmapFailures: [([Value], String, Value)] = [
    ([DAEnc.rd + 0x10, 0x1000, 3], "rd_align", 1), ([Enc.mmio, 0x1000, 3], "rd_bound", 1),
    ([DAEnc.rec, 0x1000, 3], "rd_state", 1), ([DAEnc.rd, 0x1000, 2], "level_bound", 1),
    ([DAEnc.rd, 0x1010, 3], "ipa_align", 1), ([DAEnc.rd, 0x2000, 3], "ipa_bound", 1),
    ([DAEnc.rd, 0x0, 3], "rtte_state", DevMemEnc.rttLevel3),
  ]

  @Test("RMI_VDEV_UNMAP: each failure condition with its X0", arguments: unmapFailures)
  func unmapFailure(arguments: [Value], condition: String, x0: Value) throws {
    var flow = try Self.requested()
    try flow.run("RMI_VDEV_MAP", DevMemEnc.map)
    try flow.s.expectFailure("RMI_VDEV_UNMAP", arguments, condition: condition, code: x0)
  }

  static let validateFailures: [([Value], String, Value)] = [
    ([DAEnc.rd + 0x10, DAEnc.rec, DAEnc.pdev, DAEnc.vdev, 0x1000, 0x2000], "rd_align", 1),
    ([DAEnc.rec, DAEnc.rec, DAEnc.pdev, DAEnc.vdev, 0x1000, 0x2000], "rd_state", 1),
    ([DAEnc.rd, DAEnc.rec, DAEnc.vdev, DAEnc.vdev, 0x1000, 0x2000], "pdev_state", 1),
    ([DAEnc.rd, DAEnc.rec, DAEnc.pdev, DAEnc.pdev, 0x1000, 0x2000], "vdev_gran_state", 1),
    ([DAEnc.rd, DAEnc.rec + 0x10, DAEnc.pdev, DAEnc.vdev, 0x1000, 0x2000], "rec_align", 1),
    ([DAEnc.rd, Enc.mmio, DAEnc.pdev, DAEnc.vdev, 0x1000, 0x2000], "rec_bound", 1),
    ([DAEnc.rd, DAEnc.rd, DAEnc.pdev, DAEnc.vdev, 0x1000, 0x2000], "rec_gran_state", 1),
    ([DAEnc.rd, DAEnc.rec, DAEnc.pdev, DAEnc.vdev, 0x1000, 0x1000], "size_valid", 1),
    ([DAEnc.rd, DAEnc.rec, DAEnc.pdev, DAEnc.vdev, 0x0, 0x2000], "base_bound", 1),
    ([DAEnc.rd, DAEnc.rec, DAEnc.pdev, DAEnc.vdev, 0x1000, 0x3000], "top_bound", 1),
  ]

  @Test("RMI_VDEV_VALIDATE_MAPPING: each failure condition with its X0", arguments: validateFailures)
  func validateFailure(arguments: [Value], condition: String, x0: Value) throws {
    var flow = try Self.requested()
    try flow.run("RMI_VDEV_MAP", DevMemEnc.map)
    try flow.s.expectFailure("RMI_VDEV_VALIDATE_MAPPING", arguments, condition: condition, code: x0)
  }

  @Test("RMI_VDEV_VALIDATE_MAPPING: rec_running, request, rtte_state, rtte_ripas, map_pa")
  func validateStateFailures() throws {
    // No request: the realm has not asked (the REC runs: rec_running first).
    let fresh = try DAFlow("rmm-da-mem-setup", s2sz: 14)
    try fresh.s.expectFailure(
      "RMI_VDEV_VALIDATE_MAPPING", DevMemEnc.validate, condition: "rec_running", code: DevMemEnc.rmiErrorREC)
    var flow = try Self.requested()
    // Not mapped yet: UNASSIGNED.
    try flow.s.expectFailure(
      "RMI_VDEV_VALIDATE_MAPPING", DevMemEnc.validate, condition: "rtte_state", code: DevMemEnc.rttLevel3)
    try flow.run("RMI_VDEV_MAP", DevMemEnc.map)
    var noRequest = flow
    try noRequest.s.set(["recDevMemTop[4]": 0, "recDevMemAddr[4]": 0, "recDevMemPA[4]": 0])
    try noRequest.s.expectFailure("RMI_VDEV_VALIDATE_MAPPING", DevMemEnc.validate, condition: "request", code: 1)
    try flow.run("RMI_VDEV_VALIDATE_MAPPING", DevMemEnc.validate)
    // Validated already: RIPAS DEV (a second call, base moved back by the host, finds it).
    try flow.s.set(["recDevMemAddr[4]": DevMemEnc.ipa])
    try flow.s.expectFailure(
      "RMI_VDEV_VALIDATE_MAPPING", DevMemEnc.validate, condition: "rtte_ripas", code: DevMemEnc.rttLevel3)
    // The realm asked for another PA than the one the host mapped.
    var other = try Self.requested(pa: DAEnc.buffer)
    try other.run("RMI_VDEV_MAP", DevMemEnc.map)
    try other.s.expectFailure("RMI_VDEV_VALIDATE_MAPPING", DevMemEnc.validate, condition: "map_pa", code: 1)
  }

  static let rsiFailures: [([Value], String, Value)] = [
    ([0, 1, 0x1000, 0x2000, DevMemEnc.dev, 0, 1, 1, 1], "vdev_id", DAEnc.rsiErrorInput),
    ([0, 0, 0x1010, 0x2000, DevMemEnc.dev, 0, 1, 1, 1], "base_align", DAEnc.rsiErrorInput),
    ([0, 0, 0x1000, 0x2010, DevMemEnc.dev, 0, 1, 1, 1], "top_align", DAEnc.rsiErrorInput),
    ([0, 0, 0x1000, 0x1000, DevMemEnc.dev, 0, 1, 1, 1], "size_valid", DAEnc.rsiErrorInput),
    ([0, 0, 0x1000, 0x3000, DevMemEnc.dev, 0, 1, 1, 1], "region", DAEnc.rsiErrorInput),
    ([0, 0, 0x1000, 0x2000, DevMemEnc.dev + 8, 0, 1, 1, 1], "pa_align", DAEnc.rsiErrorInput),
    ([0, 0, 0x1000, 0x2000, DevMemEnc.dev, 0, 0, 1, 1], "lock_nonce", DAEnc.rsiErrorDevice),
    ([0, 0, 0x1000, 0x2000, DevMemEnc.dev, 0, 1, 0, 1], "meas_seq", DAEnc.rsiErrorDevice),
    ([0, 0, 0x1000, 0x2000, DevMemEnc.dev, 0, 1, 1, 0], "report_seq", DAEnc.rsiErrorDevice),
  ]

  @Test("RSI_VDEV_VALIDATE_MAPPING: each failure condition with its X0", arguments: rsiFailures)
  func rsiFailure(arguments: [Value], condition: String, x0: Value) throws {
    let flow = try DAFlow("rmm-da-mem-setup", s2sz: 14)
    try flow.s.expectFailure("RSI_VDEV_VALIDATE_MAPPING", arguments, condition: condition, code: x0)
  }

  @Test("RSI_VDEV_VALIDATE_MAPPING: vdev_state (STOP_INTERFACE done: UNLOCKED)")
  func rsiStateFailure() throws {
    var flow = try DAFlow("rmm-da-mem-setup", s2sz: 14)
    try flow.s.set(["vdevState[6]": 1])
    try flow.s.expectFailure(
      "RSI_VDEV_VALIDATE_MAPPING", DevMemEnc.request(), condition: "vdev_state", code: DAEnc.rsiErrorDevice)
  }

  // MARK: - Mutants

  @Test("vdev-map-accepts-undelegated: a Non-secure MMIO granule mapped into the realm breaks da-wellformed")
  func mapMutant() throws {
    var flow = try DAFlow("rmm-da-mem-setup", mutant: "vdev-map-accepts-undelegated", s2sz: 14)
    try flow.run("RMI_GRANULE_UNDELEGATE", [0, DevMemEnc.dev])
    #expect(try flow.holds("da-wellformed"))
    try flow.run("RMI_VDEV_MAP", DevMemEnc.map)
    #expect(try !flow.holds("da-wellformed"))
    var correct = try DAFlow("rmm-da-mem-setup", s2sz: 14)
    try correct.run("RMI_GRANULE_UNDELEGATE", [0, DevMemEnc.dev])
    try correct.s.expectFailure("RMI_VDEV_MAP", DevMemEnc.map, condition: "addr_state", code: 1)
  }

  @Test(
    "the SMMU's GPT TLB: filled by a device access, dropped by EL3's TLBI on delegate; smmu-gpi-not-invalidated keeps it"
  )
  func smmuGPT() throws {
    for mutant in [nil, "smmu-gpi-not-invalidated"] as [String?] {
      var flow = try DAFlow("rmm-da-setup", mutant: mutant)
      try flow.s.expect(
        "DEVICE_NS_READ", [DAEnc.buffer],
        changes: [
          "smmuGPTValid[0]": 1, "smmuGPT[0]": Enc.gpiNS, "cacheLine[0][NS]": Enc.clean, "cacheData[0][NS]": Enc.host,
        ])
      try flow.r.delegate(DAEnc.buffer)
      if mutant == nil {
        #expect(flow.s.value("smmuGPTValid[0]") == 0)
        #expect(try flow.holds("da-wellformed"))
        try flow.s.expectFailure("DEVICE_NS_WRITE", [DAEnc.buffer], condition: "gpf", code: Enc.gpf)
      } else {
        #expect(flow.s.value("smmuGPT[0]") == Enc.gpiNS)
        #expect(try !flow.holds("da-wellformed"))
        try flow.run("DEVICE_NS_WRITE", [DAEnc.buffer])  // the stale NS entry lets it through
        #expect(try !flow.holds("device-assigned-only"))
      }
    }
  }

  @Test("validate-mapping-skips-pa-check: the realm reaches MMIO it never asked for")
  func validateMutant() throws {
    var flow = try Self.requested(mutant: "validate-mapping-skips-pa-check", pa: DAEnc.buffer)
    try flow.run("RMI_VDEV_MAP", DevMemEnc.map)
    try flow.run("RMI_VDEV_VALIDATE_MAPPING", DevMemEnc.validate)
    #expect(try !flow.holds("da-wellformed"))
    try flow.run("RMI_REC_ENTER", [0, DAEnc.rec, DAEnc.buffer, 0])
    #expect(try flow.holds("device-assigned-only"))
    try flow.run("REALM_DEV_ACCESS", [0, DevMemEnc.ipa])
    #expect(try !flow.holds("device-assigned-only"))
  }
}
