import CCAModel
import Explore
import Spec
import Testing

/// Encodings of the DA layer, written out independently of the model (reference/rmm.md §0,
/// §3.2, §3.3; the pinned revision TF-RMM rmm-spec-v1.x-aligned).
enum DAEnc {
  static let g: [Value] = (0..<7).map { 0x8000_0000 + Value($0) * 0x1000 }
  static var buffer: Value { g[0] }
  static var rd: Value { g[1] }
  static var rtt: Value { g[2] }
  static var data: Value { g[3] }
  static var rec: Value { g[4] }
  static var pdev: Value { g[5] }
  static var vdev: Value { g[6] }
  static let pdevGranule: Value = 7
  static let vdevGranule: Value = 8
  static let errorDevice: Value = 6
  static let rsiErrorInput: Value = 1
  static let rsiErrorDevice: Value = 5
  static let pdevNew: Value = 0
  static let pdevNeedsKey: Value = 1
  static let pdevHasKey: Value = 2
  static let pdevReady: Value = 3
  static let pdevStopping: Value = 6
  static let pdevStopped: Value = 7
  static let vdevUnlocked: Value = 1
  static let vdevLocked: Value = 2
  static let vdevStarted: Value = 3
  static let badSTE: Value = 0x04
  static let translation: Value = 0x10
}

/// Runs the ACS DA flow (reference/rmm.md §3.4) on a `da` configuration.
struct DAFlow {
  var r: RMMScenario

  /// RealmParams.s2sz of the flow's realm: 13 for one level-3 table of 2 entries (rmm-da), 14 for
  /// 4 entries (rmm-da-mem).
  let s2sz: Value

  init(_ configuration: String = "rmm-da", mutant: String? = nil, s2sz: Value = 13) throws {
    r = try RMMScenario(configuration, mutant: mutant)
    self.s2sz = s2sz
  }

  /// The flow on a configuration given in full (raised bounds).
  init(configuration: Configuration, s2sz: Value = 13) throws {
    r = try RMMScenario(configuration: configuration)
    self.s2sz = s2sz
  }

  var s: Scenario {
    get { r.s }
    set { r.s = newValue }
  }

  mutating func run(_ action: String, _ arguments: [Value]) throws { try r.run(action, arguments) }

  var vdevRegs: [Value] { [DAEnc.rd, DAEnc.pdev, DAEnc.vdev] }

  /// VDEV_COMMUNICATE without error.
  mutating func communicate() throws { try run("RMI_VDEV_COMMUNICATE", vdevRegs + [DAEnc.buffer, 0]) }

  /// Boot to the VDEV STARTED, its realm's REC running: the `da-setup` start state (27 calls).
  ///
  /// With `tdis` > 1 (rmm-da-2tdi-setup's layout), the PDEV's TDIs get VDEVs at granules 6, 7, ... in turn, each
  /// created with its `params_tdi_id` and started before the next.
  ///
  /// `rdOfTdi` names the RD each TDI's VDEV is created for (the flow's realm by default; that realm must exist).
  mutating func setUp(tdis: Int = 1, rdOfTdi: (Value) -> Value = { _ in DAEnc.rd }) throws {
    for g in DAEnc.g.dropFirst() { try r.delegate(g) }
    // rmm-da-mem: the device's MMIO granule (granule 7) too.
    if s.value("granuleState[7]") != nil { try r.delegate(0x8000_7000) }
    try run(
      "RMI_REALM_CREATE",
      RMMScenario.realmCreate(rd: DAEnc.rd, params: DAEnc.buffer, s2sz: s2sz, rtt: DAEnc.rtt, levelStart: 3))
    try run("RMI_DATA_CREATE", [DAEnc.rd, DAEnc.data, 0x0, DAEnc.buffer, 0])
    try run("RMI_REC_CREATE", [DAEnc.rd, DAEnc.rec, DAEnc.buffer, 1, 0, 0])
    try run("RMI_REALM_ACTIVATE", [DAEnc.rd])
    try run("RMI_PDEV_CREATE", [DAEnc.pdev, DAEnc.buffer, 0, 0])
    try run("RMI_PDEV_COMMUNICATE", [DAEnc.pdev, DAEnc.buffer, 0])
    try run("RMI_PDEV_SET_PUBKEY", [DAEnc.pdev, DAEnc.buffer])
    try run("RMI_PDEV_COMMUNICATE", [DAEnc.pdev, DAEnc.buffer, 0])
    for t in 0..<Value(tdis) {
      let regs = [rdOfTdi(t), DAEnc.pdev, DAEnc.vdev + t * 0x1000]
      let communicate = { (f: inout DAFlow) in try f.run("RMI_VDEV_COMMUNICATE", regs + [DAEnc.buffer, 0]) }
      try run("RMI_VDEV_CREATE", regs + [DAEnc.buffer, 0] + (tdis == 1 ? [] : [t]))
      try communicate(&self)
      try run("RMI_VDEV_GET_MEASUREMENTS", regs + [DAEnc.buffer])
      try communicate(&self)
      try run("RMI_VDEV_LOCK", regs)
      try communicate(&self)
      try run("RMI_VDEV_GET_INTERFACE_REPORT", regs)
      try communicate(&self)
      try run("RMI_VDEV_START", regs)
      try communicate(&self)
    }
    try run("RMI_REC_ENTER", [0, DAEnc.rec, DAEnc.buffer, 0])
  }

  /// The realm enables DMA with the evidence of the setup (every generation 1).
  mutating func enable() throws { try run("RSI_VDEV_DMA_ENABLE", [0, 0, 1, 1, 1]) }

  func holds(_ property: String) throws -> Bool { try s.holds(property) }
}

@Suite("Device Assignment: the ACS flow end to end")
struct DAFlowTests {
  static let properties = [
    "hyp-no-realm-read", "hyp-no-realm-write", "gpt-consistent", "delegated-clean", "realm-isolation",
    "rmm-wellformed", "device-assigned-only", "da-wellformed",
  ]

  @Test("rmm-da-setup starts exactly where the ACS flow from boot on rmm-da stands at VDEV STARTED (every slot)")
  func setupStateIsReachable() throws {
    var flow = try DAFlow("rmm-da")
    try flow.setUp()
    let setup = try Scenario("rmm-da-setup")
    #expect(setup.slots(setup.state) == flow.s.slots(flow.s.state))
    for p in Self.properties { #expect(try flow.holds(p), "\(p)") }
  }

  @Test("PDEV_CREATE ... VDEV STARTED, DMA enable, DMA reaches exactly the mapped DATA page; teardown")
  func acsFlow() throws {
    var flow = try DAFlow("rmm-da")
    try flow.setUp()
    #expect(flow.s.value("vdevState[6]") == DAEnc.vdevStarted)
    // No DMA before the realm enables it: the STE is not valid.
    try flow.s.expectFailure("DEVICE_REALM_READ", [0, 0x0], condition: "ste", code: DAEnc.badSTE)
    // The realm reads the evidence generations, then enables DMA with them.
    let info = try flow.s.compiled.step(
      flow.s.state, action: try flow.s.actionIndex("RSI_VDEV_GET_INFO"), arguments: [0, 0])
    guard case .succeeded = info else { Issue.record("RSI_VDEV_GET_INFO gave \(info)"); return }
    try flow.s.expectFailure("RSI_VDEV_GET_INFO", [0, 1], condition: "vdev_id", code: DAEnc.rsiErrorInput)
    try flow.s.expectFailure(
      "RSI_VDEV_DMA_ENABLE", [0, 0, 0, 1, 1], condition: "lock_nonce", code: DAEnc.rsiErrorDevice)
    try flow.s.expectFailure("RSI_VDEV_DMA_ENABLE", [0, 0, 1, 0, 1], condition: "meas_seq", code: DAEnc.rsiErrorDevice)
    try flow.s.expectFailure(
      "RSI_VDEV_DMA_ENABLE", [0, 0, 1, 1, 0], condition: "report_seq", code: DAEnc.rsiErrorDevice)
    try flow.s.expect(
      "RSI_VDEV_DMA_ENABLE", [0, 0, 1, 1, 1],
      changes: ["vdevDMA[6]": 1, "vdevDMAVerified[6]": 1, "steValid[0]": 1])
    // A device write through the stream reaches the DATA page (Realm PAS line, the realm's label).
    try flow.s.expect(
      "DEVICE_REALM_WRITE", [0, 0x0],
      changes: [
        "cacheLine[3][Realm]": Enc.dirty, "cacheData[3][Realm]": Enc.realm0, "steCached[0]": 1,
        "smmuGPTValid[3]": 1, "smmuGPT[3]": Enc.gpiRealm,
      ])
    // Nothing else: the unprotected IPA is not mapped; the Non-secure stream gets a GPF.
    try flow.s.expectFailure("DEVICE_REALM_READ", [0, 0x1000], condition: "translation", code: DAEnc.translation)
    try flow.s.expectFailure("DEVICE_NS_READ", [DAEnc.data], condition: "gpf", code: Enc.gpf)
    try flow.s.expectFailure("DEVICE_NS_WRITE", [DAEnc.vdev], condition: "gpf", code: Enc.gpf)
    for p in Self.properties { #expect(try flow.holds(p), "\(p)") }
    // Teardown: UNLOCK disables the STE and drops the SMMU's copy first.
    try flow.s.expect(
      "RMI_VDEV_UNLOCK", flow.vdevRegs,
      changes: [
        "vdevRequest[6]": 3, "vdevDMA[6]": 0, "vdevDMAVerified[6]": 0, "steValid[0]": 0, "steCached[0]": 0,
      ])
    try flow.s.expectFailure("DEVICE_REALM_READ", [0, 0x0], condition: "ste", code: DAEnc.badSTE)
    try flow.communicate()
    #expect(flow.s.value("vdevState[6]") == DAEnc.vdevUnlocked)
    try flow.s.expectFailure("RMI_PDEV_STOP", [DAEnc.pdev], condition: "num_vdevs", code: DAEnc.errorDevice)
    try flow.run("RMI_VDEV_DESTROY", flow.vdevRegs)
    #expect(flow.s.value("granuleState[6]") == Enc.delegated)
    #expect(flow.s.value("granuleRefcount[1]") == 1)  // the running REC only
    try flow.run("RMI_PDEV_STOP", [DAEnc.pdev])
    #expect(flow.s.value("pdevState[5]") == DAEnc.pdevStopping)
    try flow.run("RMI_PDEV_COMMUNICATE", [DAEnc.pdev, DAEnc.buffer, 0])
    try flow.run("RMI_PDEV_DESTROY", [DAEnc.pdev])
    #expect(flow.s.value("granuleState[5]") == Enc.delegated)
    try flow.run("RMI_GRANULE_UNDELEGATE", [0, DAEnc.pdev])
    // The Non-secure stream now reaches the former PDEV granule: it is Non-secure again.
    try flow.run("DEVICE_NS_WRITE", [DAEnc.pdev])
    for p in Self.properties { #expect(try flow.holds(p), "\(p)") }
  }

  @Test(
    "each DA mutant is caught on its scripted counterexample",
    arguments: [
      "dma-enable-without-nonce-check", "vdev-unlock-keeps-ste", "dma-enable-skips-state-check",
    ])
  func mutantScripts(mutant: String) throws {
    var flow = try DAFlow("rmm-da-setup", mutant: mutant)
    switch mutant {
    case "dma-enable-without-nonce-check":
      // The host asks for a new interface report after the realm read the evidence (report 1).
      try flow.run("RMI_VDEV_GET_INTERFACE_REPORT", flow.vdevRegs)
      try flow.communicate()
      try flow.enable()
    case "vdev-unlock-keeps-ste":
      try flow.enable()
      try flow.run("RMI_VDEV_UNLOCK", flow.vdevRegs)
      try flow.communicate()
    default:
      try flow.run("RMI_VDEV_UNLOCK", flow.vdevRegs)  // STOP_INTERFACE in flight
      try flow.enable()
    }
    #expect(try flow.holds("device-assigned-only"))
    try flow.run("DEVICE_REALM_READ", [0, 0x0])
    #expect(try !flow.holds("device-assigned-only"))
    // The correct model refuses the step the mutant allows.
    var correct = try DAFlow("rmm-da-setup")
    switch mutant {
    case "dma-enable-without-nonce-check":
      try correct.run("RMI_VDEV_GET_INTERFACE_REPORT", correct.vdevRegs)
      try correct.communicate()
      try correct.s.expectFailure(
        "RSI_VDEV_DMA_ENABLE", [0, 0, 1, 1, 1], condition: "report_seq", code: DAEnc.rsiErrorDevice)
    case "vdev-unlock-keeps-ste":
      try correct.enable()
      try correct.run("RMI_VDEV_UNLOCK", correct.vdevRegs)
      try correct.communicate()
      try correct.s.expectFailure("DEVICE_REALM_READ", [0, 0x0], condition: "ste", code: DAEnc.badSTE)
    default:
      try correct.run("RMI_VDEV_UNLOCK", correct.vdevRegs)
      try correct.s.expectFailure(
        "RSI_VDEV_DMA_ENABLE", [0, 0, 1, 1, 1], condition: "vdev_state", code: DAEnc.rsiErrorDevice)
    }
  }

  @Test("pdev-stop-ignores-vdevs: stopping a PDEV whose TDI is bound breaks da-wellformed; the correct model refuses")
  func pdevStopMutant() throws {
    var flow = try DAFlow("rmm-da-setup", mutant: "pdev-stop-ignores-vdevs")
    #expect(try flow.holds("da-wellformed"))
    try flow.run("RMI_PDEV_STOP", [DAEnc.pdev])
    #expect(try !flow.holds("da-wellformed"))
    let correct = try DAFlow("rmm-da-setup")
    try correct.s.expectFailure("RMI_PDEV_STOP", [DAEnc.pdev], condition: "num_vdevs", code: DAEnc.errorDevice)
  }

  @Test("vdev-create-skips-pdev-state: a VDEV on a PDEV that never authenticated breaks da-wellformed")
  func vdevCreateMutant() throws {
    for mutant in [nil, "vdev-create-skips-pdev-state"] as [String?] {
      var flow = try DAFlow("rmm-da", mutant: mutant)
      for g in [DAEnc.rd, DAEnc.rtt, DAEnc.pdev, DAEnc.vdev] { try flow.r.delegate(g) }
      try flow.run(
        "RMI_REALM_CREATE",
        RMMScenario.realmCreate(rd: DAEnc.rd, params: DAEnc.buffer, s2sz: flow.s2sz, rtt: DAEnc.rtt, levelStart: 3))
      try flow.run("RMI_PDEV_CREATE", [DAEnc.pdev, DAEnc.buffer, 0, 0])
      if mutant == nil {
        try flow.s.expectFailure(
          "RMI_VDEV_CREATE", flow.vdevRegs + [DAEnc.buffer, 0], condition: "pdev_ready", code: DAEnc.errorDevice)
      } else {
        try flow.run("RMI_VDEV_CREATE", flow.vdevRegs + [DAEnc.buffer, 0])
        #expect(try !flow.holds("da-wellformed"))
      }
    }
  }
}
