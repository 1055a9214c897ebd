import CCAModel
import Spec
import Testing

/// The REC exit round trip of the realm's RSI VDEV calls (feature `vdev-complete`: RMI_EXIT_VDEV_REQUEST,
/// RMI_VDEV_COMPLETE, the finish in RMI_REC_ENTER) and the 2-bit evidence generations (`wide-nonces`), as TF-RMM
/// rmm-spec-v1.x-aligned implements them (`runtime/rsi/vdev.c`, `smc_vdev_complete`, `complete_vdev_id_mapping`).
@Suite("Device Assignment: RMI_VDEV_COMPLETE and wide nonces")
struct DAVdevCompleteTests {
  /// RMI_EXIT_VDEV_REQUEST (smc-rmi.h at the pinned tag).
  static let exitVdevRequest: Value = 8
  static let rsiSuccess: Value = 0
  static let errorInput: Value = 1
  /// The second device's PDEV and VDEV in rmm-da-vdev-2-setup (granules 7 and 8, stream 1).
  static let pdev2: Value = 0x8000_7000
  static let vdev2: Value = 0x8000_8000

  /// REC_ENTER on PE 0 of the setup's REC; returns the realm's X0.
  static func enter(_ flow: inout DAFlow) throws -> Value? {
    let x0 = try flow.s.outputs("RMI_REC_ENTER", [0, DAEnc.rec, DAEnc.buffer, 0])["realm_x0"]
    try flow.run("RMI_REC_ENTER", [0, DAEnc.rec, DAEnc.buffer, 0])
    return x0
  }

  @Test("vdev-complete and wide-nonces need da; vdev-complete refuses device memory (its round trip is not modelled)")
  func badConfigurations() throws {
    let base = try #require(CCA.family.configuration(named: "rmm-da-vdev"))
    var noDA = base
    noDA.features.remove(CCA.Feature.da)
    var wideOnly = noDA
    wideOnly.features.remove(CCA.Feature.vdevComplete)
    var memory = base
    memory.bounds[CCA.Bound.devGranules] = 1
    memory.bounds[CCA.Bound.granules] = 8
    for (configuration, message) in [
      (noDA, "feature vdev-complete needs da"), (wideOnly, "feature wide-nonces needs da"),
      (memory, "feature vdev-complete does not model RSI_VDEV_VALIDATE_MAPPING's round trip"),
    ] {
      #expect { _ = try CCA.family.build(configuration) } throws: { "\($0)".contains(message) }
    }
  }

  @Test("rmm-da-vdev-setup starts where the ACS flow from boot on rmm-da-vdev stands (every slot)")
  func setupStateIsReachable() throws {
    var flow = try DAFlow("rmm-da-vdev")
    try flow.setUp()
    let setup = try Scenario("rmm-da-vdev-setup")
    #expect(setup.slots(setup.state) == flow.s.slots(flow.s.state))
  }

  @Test("DMA_ENABLE exits with RMI_EXIT_VDEV_REQUEST; without RMI_VDEV_COMPLETE the realm gets RSI_ERROR_INPUT")
  func notCompleted() throws {
    var flow = try DAFlow("rmm-da-vdev-setup")
    let exit = try flow.s.outputs("RSI_VDEV_DMA_ENABLE", [0, 0, 1, 1, 1])
    #expect(exit["exit_reason"] == Self.exitVdevRequest && exit["exit_vdev_id"] == 0)
    try flow.enable()
    #expect(flow.s.value("recVdevCall[4]") == 2 && flow.s.value("peRunning[0]") == 0)
    #expect(try Self.enter(&flow) == Self.errorInput)
    #expect(flow.s.value("vdevDMA[6]") == 0 && flow.s.value("recVdevCall[4]") == 0)
  }

  @Test("RMI_VDEV_COMPLETE's conditions; the finish enables DMA, and the device reaches the realm's page")
  func roundTrip() throws {
    var flow = try DAFlow("rmm-da-vdev-setup")
    try flow.s.expectFailure("RMI_VDEV_COMPLETE", [DAEnc.rec, DAEnc.vdev], condition: "pending", code: Self.errorInput)
    try flow.enable()
    try flow.s.expectFailure(
      "RMI_VDEV_COMPLETE", [DAEnc.rec + 8, DAEnc.vdev], condition: "rec_align", code: Self.errorInput)
    try flow.s.expectFailure(
      "RMI_VDEV_COMPLETE", [DAEnc.pdev, DAEnc.vdev], condition: "rec_gran_state", code: Self.errorInput)
    try flow.s.expectFailure(
      "RMI_VDEV_COMPLETE", [DAEnc.rec, DAEnc.pdev], condition: "vdev_gran_state", code: Self.errorInput)
    // A request in flight: the VDEV's communication is not idle.
    try flow.run("RMI_VDEV_GET_INTERFACE_REPORT", flow.vdevRegs)
    try flow.s.expectFailure(
      "RMI_VDEV_COMPLETE", [DAEnc.rec, DAEnc.vdev], condition: "vdev_state", code: DAEnc.errorDevice)
    try flow.communicate()
    // The report changed after the realm's request: the finish refuses the stale evidence.
    try flow.run("RMI_VDEV_COMPLETE", [DAEnc.rec, DAEnc.vdev])
    try flow.s.expectFailure("RMI_VDEV_COMPLETE", [DAEnc.rec, DAEnc.vdev], condition: "pending", code: Self.errorInput)
    #expect(try Self.enter(&flow) == DAEnc.rsiErrorDevice)
    #expect(flow.s.value("vdevDMA[6]") == 0)
    // With the current evidence (report sequence 2) it succeeds.
    try flow.run("RSI_VDEV_DMA_ENABLE", [0, 0, 1, 1, 2])
    try flow.run("RMI_VDEV_COMPLETE", [DAEnc.rec, DAEnc.vdev])
    #expect(try Self.enter(&flow) == Self.rsiSuccess)
    #expect(flow.s.value("vdevDMA[6]") == 1 && flow.s.value("vdevDMAVerified[6]") == 1)
    for p in DAFlowTests.properties { #expect(try flow.holds(p), "\(p)") }
    try flow.run("DEVICE_REALM_READ", [0, 0x0])
    // DMA_DISABLE through the round trip turns it off again.
    try flow.run("RSI_VDEV_DMA_DISABLE", [0, 0])
    try flow.run("RMI_VDEV_COMPLETE", [DAEnc.rec, DAEnc.vdev])
    #expect(try Self.enter(&flow) == Self.rsiSuccess)
    #expect(flow.s.value("vdevDMA[6]") == 0 && flow.s.value("steValid[0]") == 0)
    try flow.s.expectFailure("DEVICE_REALM_READ", [0, 0x0], condition: "ste", code: DAEnc.badSTE)
  }

  @Test("wide-nonces: the lock nonce counts 1, 2, 3, 0, 1 over four LOCKs; a stale one is refused until it wraps")
  func lockNonceWraps() throws {
    var flow = try DAFlow("rmm-da-vdev-setup")
    var seen: [Value?] = [flow.s.value("vdevLockNonce[6]")]
    for _ in 0..<4 {
      try flow.run("RMI_VDEV_UNLOCK", flow.vdevRegs)
      try flow.communicate()
      try flow.run("RMI_VDEV_LOCK", flow.vdevRegs)
      try flow.communicate()
      seen.append(flow.s.value("vdevLockNonce[6]"))
      if seen.count == 3 {
        // Two regenerations later the setup's nonce (1) is stale: with one bit it would be current again.
        try flow.run("RMI_VDEV_START", flow.vdevRegs)
        try flow.communicate()
        try flow.run("RSI_VDEV_DMA_ENABLE", [0, 0, 1, 1, 1])
        try flow.run("RMI_VDEV_COMPLETE", [DAEnc.rec, DAEnc.vdev])
        #expect(try Self.enter(&flow) == DAEnc.rsiErrorDevice)
      }
    }
    #expect(seen == [1, 2, 3, 0, 1])
  }

  @Test("dma-enable-checks-at-request: evidence regenerated between the exit and the finish breaks da-wellformed")
  func checksAtRequestMutant() throws {
    for mutant in [nil, "dma-enable-checks-at-request"] as [String?] {
      var flow = try DAFlow("rmm-da-vdev-setup", mutant: mutant)
      try flow.enable()
      try flow.run("RMI_VDEV_GET_MEASUREMENTS", flow.vdevRegs + [DAEnc.buffer])
      try flow.communicate()
      try flow.run("RMI_VDEV_COMPLETE", [DAEnc.rec, DAEnc.vdev])
      let x0 = try Self.enter(&flow)
      #expect(x0 == (mutant == nil ? DAEnc.rsiErrorDevice : Self.rsiSuccess))
      #expect(try flow.holds("da-wellformed") == (mutant == nil))
    }
  }

  @Test("vdev-complete-skips-vdev-id: the host names the realm's other TDI; the correct model refuses (vdev_id)")
  func skipsVdevIDMutant() throws {
    var flow = try DAFlow("rmm-da-vdev-2-setup", mutant: "vdev-complete-skips-vdev-id")
    try flow.enable()
    try flow.run("RMI_VDEV_COMPLETE", [DAEnc.rec, Self.vdev2])
    #expect(try Self.enter(&flow) == Self.rsiSuccess)
    #expect(flow.s.value("vdevDMA[8]") == 1)
    #expect(try !flow.holds("da-wellformed"))
    var correct = try DAFlow("rmm-da-vdev-2-setup")
    try correct.enable()
    try correct.s.expectFailure(
      "RMI_VDEV_COMPLETE", [DAEnc.rec, Self.vdev2], condition: "vdev_id", code: Self.errorInput)
    try correct.run("RMI_VDEV_COMPLETE", [DAEnc.rec, DAEnc.vdev])
    #expect(try Self.enter(&correct) == Self.rsiSuccess)
    for p in DAFlowTests.properties { #expect(try correct.holds(p), "\(p)") }
  }
}
