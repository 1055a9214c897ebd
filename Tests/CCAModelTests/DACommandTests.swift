import CCAModel
import Explore
import Spec
import Testing

/// The failure conditions of the DA commands (reference/rmm.md §3.2, §3.3; the model's order
/// where the reference gives none): each case breaks the named condition (and, where it can, a
/// later one), so the named one must win with its X0, and the state must not change.
@Suite("Device Assignment: RMI and RSI commands")
struct DACommandTests {
  static let input: Value = 1
  static let device: Value = 6
  static let mmio: Value = 0x1C09_0000
  typealias E = DAEnc

  /// On rmm-da after delegating the PDEV granule (g5) and the VDEV granule (g6).
  static let pdevCreateCases: [(String, [Value], Value)] = [
    ("pdev_align", [E.pdev + 0x10, E.buffer + 0x10, 0, 0], input),
    ("pdev_bound", [mmio, mmio, 0, 0], input),
    ("pdev_state", [E.rd, E.pdev, 0, 0], input),
    ("params_align", [E.pdev, E.buffer + 0x10, 5, 1], input),
    ("params_bound", [E.pdev, mmio, 0, 1], input),
    ("params_pas", [E.pdev, E.vdev, 5, 1], input),
    ("params_valid", [E.pdev, E.buffer, 1, 1], input),
    ("num_aux", [E.pdev, E.buffer, 0, 1], input),
  ]

  @Test("RMI_FEATURES register 0 sets DA_EN[42] with da only; RMI_VDEV_AUX_COUNT returns 0 and changes nothing")
  func daFeatureAndVdevAuxCount() throws {
    for (configuration, daEnabled) in [("rmm-da", true), ("rmm-small", false)] {
      let s = try Scenario(configuration)
      let outputs = try s.compiled.outputs(s.state, action: try s.actionIndex("RMI_FEATURES"), arguments: [0])
      #expect(outputs.first.map { $0 >> 42 & 1 == 1 } == daEnabled, "\(configuration)")
    }
    var flow = try DAFlow("rmm-da")
    try flow.s.expect("RMI_VDEV_AUX_COUNT", [0, 0], changes: [:])
    #expect(try flow.s.outputs("RMI_VDEV_AUX_COUNT", [0, 0]) == ["x1": 0])
  }

  @Test("RMI_PDEV_CREATE failures: the first failing condition wins, nothing changes", arguments: pdevCreateCases)
  func pdevCreateFailures(condition: String, arguments: [Value], code: Value) throws {
    var flow = try DAFlow("rmm-da")
    try flow.r.delegate(E.pdev)
    try flow.r.delegate(E.vdev)
    try flow.s.expectFailure("RMI_PDEV_CREATE", arguments, condition: condition, code: code)
  }

  @Test("RMI_PDEV_CREATE success (whole next state); a second PDEV on the same stream is params_valid")
  func pdevCreateSuccess() throws {
    var flow = try DAFlow("rmm-da")
    try flow.r.delegate(E.pdev)
    try flow.r.delegate(E.vdev)
    try flow.s.expect(
      "RMI_PDEV_CREATE", [E.pdev, E.buffer, 0, 0],
      changes: ["lastWrite[5]": Enc.zero, "granuleState[5]": E.pdevGranule, "memory[5]": Enc.zero])
    try flow.s.expectFailure("RMI_PDEV_CREATE", [E.vdev, E.buffer, 0, 0], condition: "params_valid", code: Self.input)
    try flow.s.expect("RMI_PDEV_GET_STATE", [E.pdev], changes: [:])
    try flow.s.expectFailure("RMI_PDEV_GET_STATE", [E.vdev], condition: "pdev_gran_state", code: Self.input)
    try flow.s.expect("RMI_PDEV_AUX_COUNT", [0], changes: [:])
  }

  /// The PDEV state machine: (action, extra registers, state before, state after or nil when pdev_state fails with
  /// RMI_ERROR_DEVICE).
  ///
  /// States: NEW 0, NEEDS_KEY 1, HAS_KEY 2, READY 3, IDE_RESETTING 4, COMMUNICATING 5, STOPPING 6, STOPPED 7, ERROR 8.
  static let pdevTransitions: [(String, [Value], Value, Value?)] = [
    ("RMI_PDEV_COMMUNICATE", [E.buffer, 0], 0, 1), ("RMI_PDEV_COMMUNICATE", [E.buffer, 0], 2, 3),
    ("RMI_PDEV_COMMUNICATE", [E.buffer, 0], 4, 3), ("RMI_PDEV_COMMUNICATE", [E.buffer, 0], 5, 3),
    ("RMI_PDEV_COMMUNICATE", [E.buffer, 0], 6, 7), ("RMI_PDEV_COMMUNICATE", [E.buffer, 1], 6, 7),
    ("RMI_PDEV_COMMUNICATE", [E.buffer, 1], 2, 8), ("RMI_PDEV_COMMUNICATE", [E.buffer, 0], 1, nil),
    ("RMI_PDEV_COMMUNICATE", [E.buffer, 0], 3, nil), ("RMI_PDEV_COMMUNICATE", [E.buffer, 0], 7, nil),
    ("RMI_PDEV_COMMUNICATE", [E.buffer, 0], 8, nil),
    ("RMI_PDEV_SET_PUBKEY", [E.buffer], 1, 2), ("RMI_PDEV_SET_PUBKEY", [E.buffer], 0, nil),
    ("RMI_PDEV_SET_PUBKEY", [E.buffer], 3, nil),
    ("RMI_PDEV_IDE_RESET", [], 3, 4), ("RMI_PDEV_IDE_RESET", [], 2, nil),
    ("RMI_PDEV_IDE_KEY_REFRESH", [0], 3, 5), ("RMI_PDEV_IDE_KEY_REFRESH", [0], 4, nil),
    ("RMI_PDEV_ABORT", [], 5, 3), ("RMI_PDEV_ABORT", [], 0, 0), ("RMI_PDEV_ABORT", [], 2, 2),
    ("RMI_PDEV_ABORT", [], 3, nil), ("RMI_PDEV_ABORT", [], 1, nil),
    ("RMI_PDEV_STOP", [], 3, 6), ("RMI_PDEV_STOP", [], 8, 6), ("RMI_PDEV_STOP", [], 0, 6),
    ("RMI_PDEV_STOP", [], 5, nil), ("RMI_PDEV_STOP", [], 6, nil), ("RMI_PDEV_STOP", [], 7, nil),
    ("RMI_PDEV_DESTROY", [], 6, nil), ("RMI_PDEV_DESTROY", [], 0, nil),
  ]

  @Test("the PDEV state machine (reference/rmm.md §3.2): transitions and RMI_ERROR_DEVICE", arguments: pdevTransitions)
  func pdevStateMachine(action: String, extra: [Value], before: Value, after: Value?) throws {
    var flow = try DAFlow("rmm-da")
    try flow.r.delegate(E.pdev)
    try flow.run("RMI_PDEV_CREATE", [E.pdev, E.buffer, 0, 0])
    try flow.s.set(["pdevState[5]": before])
    if let after {
      try flow.s.expect(action, [E.pdev] + extra, changes: after == before ? [:] : ["pdevState[5]": after])
    } else {
      try flow.s.expectFailure(action, [E.pdev] + extra, condition: "pdev_state", code: Self.device)
    }
    // The granule checks come first, RMI_ERROR_INPUT.
    try flow.s.expectFailure(action, [E.pdev + 0x10] + extra, condition: "pdev_align", code: Self.input)
    try flow.s.expectFailure(action, [Self.mmio] + extra, condition: "pdev_bound", code: Self.input)
    try flow.s.expectFailure(action, [E.buffer] + extra, condition: "pdev_gran_state", code: Self.input)
  }

  @Test("RMI_PDEV_DESTROY of a STOPPED PDEV returns the granule to DELEGATED, scrubbed")
  func pdevDestroy() throws {
    var flow = try DAFlow("rmm-da")
    try flow.r.delegate(E.pdev)
    try flow.run("RMI_PDEV_CREATE", [E.pdev, E.buffer, 0, 0])
    try flow.run("RMI_PDEV_STOP", [E.pdev])
    try flow.s.expect("RMI_PDEV_COMMUNICATE", [E.pdev, E.buffer, 0], changes: ["pdevState[5]": E.pdevStopped])
    try flow.s.expect(
      "RMI_PDEV_DESTROY", [E.pdev], changes: ["granuleState[5]": Enc.delegated, "pdevState[5]": E.pdevNew])
  }

  /// On rmm-da-setup (VDEV STARTED, realm 0's REC running): the binding checks of the VDEV
  /// commands on (rd, pdev, vdev), each case breaking exactly one.
  static let bindingCases: [(String, [Value], Value)] = [
    ("rd_align", [E.rd + 0x10, E.pdev, E.vdev], input), ("rd_bound", [mmio, E.pdev, E.vdev], input),
    ("rd_state", [E.rtt, E.pdev, E.vdev], input), ("pdev_align", [E.rd, E.pdev + 0x10, E.vdev], input),
    ("pdev_bound", [E.rd, mmio, E.vdev], input), ("pdev_state", [E.rd, E.rec, E.vdev], input),
    ("vdev_align", [E.rd, E.pdev, E.vdev + 0x10], input), ("vdev_bound", [E.rd, E.pdev, mmio], input),
    ("vdev_gran_state", [E.rd, E.pdev, E.pdev], input),
  ]

  static let vdevCommands = [
    "RMI_VDEV_LOCK", "RMI_VDEV_START", "RMI_VDEV_UNLOCK", "RMI_VDEV_GET_INTERFACE_REPORT", "RMI_VDEV_DESTROY",
  ]

  @Test("VDEV commands: the binding checks, RMI_ERROR_INPUT", arguments: vdevCommands)
  func vdevBinding(action: String) throws {
    let flow = try DAFlow("rmm-da-setup")
    for (condition, arguments, code) in Self.bindingCases {
      try flow.s.expectFailure(action, arguments, condition: condition, code: code)
    }
    try flow.s.expectFailure(
      "RMI_VDEV_COMMUNICATE", [E.rd, E.pdev, E.vdev, E.buffer + 0x10, 0], condition: "data_align", code: Self.input)
    try flow.s.expectFailure(
      "RMI_VDEV_GET_MEASUREMENTS", [E.rd, E.pdev, E.vdev, E.vdev], condition: "params_pas", code: Self.input)
  }

  /// The VDEV state machine from STARTED: (action, state after the command and COMMUNICATE, or
  /// nil when vdev_state fails with RMI_ERROR_DEVICE).
  static let vdevFromStarted: [(String, Value?)] = [
    ("RMI_VDEV_LOCK", nil), ("RMI_VDEV_START", nil), ("RMI_VDEV_DESTROY", nil),
    ("RMI_VDEV_UNLOCK", E.vdevUnlocked), ("RMI_VDEV_GET_INTERFACE_REPORT", E.vdevStarted),
  ]

  @Test("the VDEV state machine from STARTED (reference/rmm.md §3.3)", arguments: vdevFromStarted)
  func vdevStateMachine(action: String, after: Value?) throws {
    var flow = try DAFlow("rmm-da-setup")
    guard let after else {
      try flow.s.expectFailure(action, flow.vdevRegs, condition: "vdev_state", code: Self.device)
      return
    }
    try flow.run(action, flow.vdevRegs)
    // A request is in flight: every other command, and a second one, is refused.
    for other in Self.vdevCommands {
      try flow.s.expectFailure(other, flow.vdevRegs, condition: "vdev_state", code: Self.device)
    }
    try flow.communicate()
    #expect(flow.s.value("vdevState[6]") == after)
    #expect(flow.s.value("vdevRequest[6]") == 0)
    try flow.s.expectFailure(
      "RMI_VDEV_COMMUNICATE", flow.vdevRegs + [E.buffer, 0], condition: "vdev_state", code: Self.device)
  }

  @Test("VDEV_ABORT and a communication error put the VDEV in ERROR with DMA off; ERROR may be unlocked or destroyed")
  func vdevErrors() throws {
    var flow = try DAFlow("rmm-da-setup")
    try flow.s.expectFailure("RMI_VDEV_ABORT", [E.vdev], condition: "vdev_state", code: Self.device)
    try flow.enable()
    try flow.run("RMI_VDEV_GET_INTERFACE_REPORT", flow.vdevRegs)
    try flow.s.expect(
      "RMI_VDEV_COMMUNICATE", flow.vdevRegs + [E.buffer, 1],
      changes: ["vdevState[6]": 4, "vdevRequest[6]": 0, "vdevDMA[6]": 0, "vdevDMAVerified[6]": 0, "steValid[0]": 0])
    try flow.s.expectFailure("DEVICE_REALM_READ", [0, 0x0], condition: "ste", code: E.badSTE)
    try flow.run("RMI_VDEV_UNLOCK", flow.vdevRegs)
    try flow.s.expect("RMI_VDEV_ABORT", [E.vdev], changes: ["vdevRequest[6]": 0])
    try flow.s.expect("RMI_VDEV_GET_STATE", [E.vdev], changes: [:])
    try flow.run("RMI_VDEV_DESTROY", flow.vdevRegs)
    #expect(flow.s.value("granuleState[6]") == Enc.delegated)
    #expect(flow.s.value("steBound[0]") == 0)
    #expect(try flow.holds("da-wellformed"))
  }

  @Test("RMI_VDEV_CREATE: failure conditions in the model's order, then success (whole next state)")
  func vdevCreate() throws {
    var flow = try DAFlow("rmm-da-setup")
    try flow.run("RMI_VDEV_UNLOCK", flow.vdevRegs)
    try flow.communicate()
    try flow.run("RMI_VDEV_DESTROY", flow.vdevRegs)
    let regs = flow.vdevRegs
    try flow.s.expectFailure(
      "RMI_VDEV_CREATE", [E.rtt, E.pdev, E.vdev, E.buffer, 1], condition: "rd_state", code: Self.input)
    try flow.s.expectFailure(
      "RMI_VDEV_CREATE", [E.rd, E.rtt, E.vdev, E.buffer, 1], condition: "pdev_state", code: Self.input)
    try flow.s.expectFailure(
      "RMI_VDEV_CREATE", [E.rd, E.pdev, E.data, E.buffer, 1], condition: "vdev_state", code: Self.input)
    try flow.s.expectFailure("RMI_VDEV_CREATE", regs + [E.rec, 1], condition: "params_pas", code: Self.input)
    // VdevParams.tdi_id: the PDEV has no VDEV, but with one TDI per device only TDI 0 is in range (before num_aux).
    for tdi: Value in [1, 2, .max] {
      try flow.s.expectFailure("RMI_VDEV_CREATE", regs + [E.buffer, 0, tdi], condition: "tdi_id", code: Self.input)
    }
    try flow.s.expectFailure("RMI_VDEV_CREATE", regs + [E.buffer, 1, 1], condition: "tdi_id", code: Self.input)
    try flow.s.expectFailure("RMI_VDEV_CREATE", regs + [E.buffer, 1, 0], condition: "num_aux", code: Self.input)
    var stopped = flow
    try stopped.run("RMI_PDEV_IDE_KEY_REFRESH", [E.pdev, 0])
    try stopped.s.expectFailure(
      "RMI_VDEV_CREATE", regs + [E.buffer, 1, 1], condition: "pdev_ready", code: Self.device)
    try flow.s.expect(
      "RMI_VDEV_CREATE", regs + [E.buffer, 0, 0],
      changes: [
        "granuleState[6]": E.vdevGranule, "vdevPdev[6]": 5, "pdevVdevs[5]": 1, "granuleRefcount[1]": 2,
        "steBound[0]": 1, "steVdev[0]": 6,
      ])
    try flow.s.expectFailure(
      "RMI_VDEV_CREATE", [E.rd, E.pdev, E.vdev, E.buffer, 0], condition: "vdev_state", code: Self.input)
  }

  @Test("the RSI VDEV calls: vdev_id and vdev_state; DMA_DISABLE turns the stream off")
  func rsiCalls() throws {
    var flow = try DAFlow("rmm-da-setup")
    try flow.s.expectFailure("RSI_VDEV_DMA_ENABLE", [0, 1, 1, 1, 1], condition: "vdev_id", code: E.rsiErrorInput)
    try flow.s.expectFailure("RSI_VDEV_DMA_DISABLE", [0, 3], condition: "vdev_id", code: E.rsiErrorInput)
    try flow.enable()
    try flow.run("DEVICE_REALM_READ", [0, 0x0])
    try flow.s.expect(
      "RSI_VDEV_DMA_DISABLE", [0, 0],
      changes: ["vdevDMA[6]": 0, "vdevDMAVerified[6]": 0, "steValid[0]": 0, "steCached[0]": 0])
    try flow.s.expectFailure("DEVICE_REALM_WRITE", [0, 0x0], condition: "ste", code: E.badSTE)
    // Without a running REC the realm cannot call.
    try flow.run("REC_EXIT", [0, 1])  // RMI_EXIT_IRQ
    try flow.s.expectDisabled("RSI_VDEV_GET_INFO", [0, 0])
  }

  @Test("every DA action names its actor and cites the reference")
  func actionDocs() throws {
    let model = try CCA.family.build(try #require(CCA.family.configuration(named: "rmm-da")))
    let da = model.actions.filter { $0.name.contains("DEV") }
    #expect(da.count == 28)  // with RMI_VDEV_AUX_COUNT
    for action in da {
      #expect(["hypervisor", "realm", "device"].contains(action.caller.name), "\(action.name)")
      #expect(action.doc.contains("reference/"), "\(action.name) cites nothing")
    }
  }
}
