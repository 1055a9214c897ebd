import CCAModel
import Explore
import Spec
import Testing

/// REC, PSCI and RSI encodings, written out independently of the model (reference/rmm.md §0.2,
/// §1.6, §5; PSCI return values are 32-bit signed, sign-extended).
enum RECEnc {
  static func g(_ i: Value) -> Value { 0x8000_0000 + i << 12 }
  static let recAux: Value = 4
  static let exitPSCI: Value = 3
  static let exitRipasChange: Value = 4
  static let exitHostCall: Value = 5
  static let exitIRQ: Value = 1
  static let cpuOn: Value = 0xC400_0003
  static let affinityInfo: Value = 0xC400_0004
  static let cpuOff: Value = 0x8400_0002
  static let systemReset: Value = 0x8400_0009
  static let psciSuccess: Value = 0
  static let psciInvalidParameters: Value = 0xFFFF_FFFF_FFFF_FFFE
  static let psciDenied: Value = 0xFFFF_FFFF_FFFF_FFFD
  static let psciAlreadyOn: Value = 0xFFFF_FFFF_FFFF_FFFC
  static let psciInvalidAddress: Value = 0xFFFF_FFFF_FFFF_FFF7
  static let rsiErrorInput: Value = 1
  static let stage2Abort: Value = 0x24
}

extension Scenario {
  /// A scenario on a configuration built here rather than named in the family.
  init(configuration: Configuration) throws {
    compiled = try CompiledModel(try CCA.family.build(configuration))
    state = compiled.initialState()
  }

  /// The value of `variable[keys]` in the current state, without naming every slot (cheap on
  /// large configurations).
  func value(_ variable: String, _ keys: [Value]) -> Value? {
    guard let id = model.variable(named: variable), let position = model.layout.position(of: id, keys: keys) else {
      return nil
    }
    return compiled.values(of: state)[position]
  }

  /// The outputs of an action that must succeed from the current state.
  func outputs(_ action: String, _ arguments: [Value]) throws -> [String: Value] {
    let index = try actionIndex(action)
    let values = try compiled.outputs(state, action: index, arguments: complete(index, arguments))
    return Dictionary(uniqueKeysWithValues: zip(model.actions[index].outputs.map(\.name), values))
  }
}

extension RMMScenario {
  /// An `rmm` configuration with RTTs of 2 entries, one level by default (s2sz 13: IPA 0x0 protected, 0x1000
  /// unprotected), and the given numbers of granules, RECs, aux granules, realms and RTT levels.
  ///
  /// A scenario on a configuration built here rather than named in the family.
  init(configuration: Configuration) throws {
    s = try Scenario(configuration: configuration)
  }

  init(granules: Int, recs: Int, recAux: Int = 0, realms: Int = 1, levels: Int = 1) throws {
    try self.init(
      configuration: Configuration(
        name: "rec-test",
        bounds: [
          "granules": granules, "pes": 1, "realms": realms, "rtt-levels": levels, "rtt-entries": 2, "recs": recs,
          "rec-aux": recAux,
        ],
        features: ["rmm"]))
  }

  /// Creates realm 0 (RD G1, RTT G2) and `count` RECs at G3, G4, ...
  ///
  /// (the first runnable, the others not), activating the realm if asked.
  mutating func realmWithRECs(_ count: Int, activate: Bool = true) throws {
    try createRealm(s2sz: 13, levelStart: 3)
    for i in 0..<count {
      try delegate(RECEnc.g(3 + Value(i)))
      try run("RMI_REC_CREATE", [RECEnc.g(1), RECEnc.g(3 + Value(i)), RECEnc.g(0), i == 0 ? 1 : 0, Value(i), 0])
    }
    if activate { try run("RMI_REALM_ACTIVATE", [RECEnc.g(1)]) }
  }
}

@Suite("RMM 1.0 REC commands, PSCI and RSI")
struct RECCommandTests {
  @Test("RMI_REC_AUX_COUNT: X1 = RecAuxCount (the rec-aux bound); rd_align, rd_bound, rd_state", arguments: [0, 2])
  func recAuxCount(count: Int) throws {
    var r = try RMMScenario(granules: 4, recs: 1, recAux: count)
    try r.createRealm(s2sz: 13, levelStart: 3)
    #expect(try r.s.outputs("RMI_REC_AUX_COUNT", [RECEnc.g(1)]) == ["x1": Value(count)])
    try r.s.expectFailure("RMI_REC_AUX_COUNT", [RECEnc.g(1) + 8], condition: "rd_align", code: RMMEnc.errorInput)
    try r.s.expectFailure("RMI_REC_AUX_COUNT", [RMMEnc.mmio], condition: "rd_bound", code: RMMEnc.errorInput)
    try r.s.expectFailure("RMI_REC_AUX_COUNT", [RECEnc.g(2)], condition: "rd_state", code: RMMEnc.errorInput)
    try r.s.expect("RMI_REC_AUX_COUNT", [RECEnc.g(1)], changes: [:])
  }

  @Test("rec-aux outside 0...16 is rejected naming the bound")
  func recAuxBound() throws {
    #expect(throws: ModelError.self) { try RMMScenario(granules: 4, recs: 1, recAux: 17) }
  }

  /// REC_CREATE arguments with aux granules at G5 and G6 (rec-aux 2): rd G1, rec G3, params G0.
  static func recCreate(rec: Value = RECEnc.g(3), numAux: Value = 2, aux: [Value] = [RECEnc.g(5), RECEnc.g(6)])
    -> [Value]
  {
    [RECEnc.g(1), rec, RECEnc.g(0), 1, 0, numAux] + aux
  }

  static let auxCases: [(String, [Value])] = [
    ("num_aux", recCreate(numAux: 1, aux: [RECEnc.g(5) + 8, RECEnc.g(5)])),
    ("aux_align", recCreate(aux: [RECEnc.g(5), RECEnc.g(6) + 8])),
    ("aux_alias", recCreate(aux: [RECEnc.g(3), RMMEnc.mmio])),
    ("aux_alias", recCreate(aux: [RECEnc.g(5), RECEnc.g(1)])),
    ("aux_alias", recCreate(aux: [RECEnc.g(5), RECEnc.g(5)])),
    ("aux_state", recCreate(aux: [RECEnc.g(5), RMMEnc.mmio])),
    ("aux_state", recCreate(aux: [RECEnc.g(4), RECEnc.g(6)])),
  ]

  @Test("RMI_REC_CREATE aux conditions: the first failing one wins with RMI_ERROR_INPUT", arguments: auxCases)
  func recCreateAuxFailures(condition: String, arguments: [Value]) throws {
    var r = try RMMScenario(granules: 7, recs: 1, recAux: 2)
    try r.createRealm(s2sz: 13, levelStart: 3)
    for i: Value in [3, 5, 6] { try r.delegate(RECEnc.g(i)) }
    try r.s.expectFailure("RMI_REC_CREATE", arguments, condition: condition, code: RMMEnc.errorInput)
  }

  @Test("RMI_REC_CREATE / REC_DESTROY with aux granules: REC_AUX owned by the REC, returned scrubbed; undelegate fails")
  func recAuxLifecycle() throws {
    var r = try RMMScenario(granules: 7, recs: 1, recAux: 2)
    try r.createRealm(s2sz: 13, levelStart: 3)
    for i: Value in [3, 5, 6] { try r.delegate(RECEnc.g(i)) }
    try r.s.expect(
      "RMI_REC_CREATE", Self.recCreate(),
      changes: [
        "granuleState[3]": RMMEnc.rec, "granuleState[5]": RECEnc.recAux, "granuleState[6]": RECEnc.recAux,
        "recAuxOf[5]": 3, "recAuxOf[6]": 3, "recRunnable[3]": 1, "granuleRefcount[1]": 1, "realmRecIndex[0]": 1,
        "realmRIM[0]": 2, "memory[3]": Enc.zero, "memory[5]": Enc.zero, "memory[6]": Enc.zero,
        "lastWrite[3]": Enc.zero, "lastWrite[5]": Enc.zero, "lastWrite[6]": Enc.zero,
      ])
    #expect(try r.s.holds("rmm-wellformed"))
    try r.s.expectFailure("RMI_GRANULE_UNDELEGATE", [0, RECEnc.g(5)], condition: "gran_state", code: RMMEnc.errorInput)
    // The realm's data label in an aux granule's Realm line must be scrubbed by REC_DESTROY.
    try r.s.set(["memory[5]": Enc.realm0, "cacheLine[6][Realm]": Enc.dirty, "cacheData[6][Realm]": Enc.realm0])
    try r.s.expect(
      "RMI_REC_DESTROY", [RECEnc.g(3)],
      changes: [
        "granuleState[3]": Enc.delegated, "granuleState[5]": Enc.delegated, "granuleState[6]": Enc.delegated,
        "recAuxOf[5]": 0, "recAuxOf[6]": 0, "recRunnable[3]": 0, "granuleRefcount[1]": 0, "memory[5]": Enc.zero,
        "cacheLine[6][Realm]": Enc.invalid, "cacheData[6][Realm]": Enc.zero,
      ])
    for property in ["rmm-wellformed", "delegated-clean", "gpt-consistent"] {
      #expect(try r.s.holds(property), "\(property)")
    }
    try r.run("RMI_GRANULE_UNDELEGATE", [0, RECEnc.g(5)])
  }

  @Test("REC_EXIT carries its reason; a REC_AUX with no REC breaks rmm-wellformed")
  func exitReasonAndWellformed() throws {
    var r = try RMMScenario(granules: 4, recs: 1)
    try r.realmWithRECs(1)
    try r.run("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0])
    #expect(try r.s.outputs("REC_EXIT", [0, RECEnc.exitIRQ]) == ["exit_reason": RECEnc.exitIRQ])
    try r.s.expect(
      "REC_EXIT", [0, RECEnc.exitIRQ], changes: ["granuleRefcount[3]": 0, "peRunning[0]": 0, "peREC[0]": 0])
    #expect(try r.s.holds("rmm-wellformed"))
    try r.s.set(["granuleState[3]": RECEnc.recAux])
    #expect(try !r.s.holds("rmm-wellformed"))
  }

  @Test(
    "PSCI_CPU_ON: immediate returns, exit RMI_EXIT_PSCI, psci_pending blocks REC_ENTER until PSCI_COMPLETE, the target enters"
  )
  func cpuOnSequence() throws {
    var r = try RMMScenario(granules: 6, recs: 2, realms: 2)
    try r.realmWithRECs(2)
    let (rec0, rec1, run) = (RECEnc.g(3), RECEnc.g(4), RECEnc.g(0))
    try r.s.expectFailure("RMI_REC_ENTER", [0, rec1, run, 0], condition: "rec_runnable", code: RMMEnc.errorREC)
    try r.run("RMI_REC_ENTER", [0, rec0, run, 0])
    try r.s.expectFailure(
      "PSCI_CPU_ON", [0, 1, 0x1000, 0], condition: "entry_address", code: RECEnc.psciInvalidAddress)
    try r.s.expectFailure("PSCI_CPU_ON", [0, 2, 0, 0], condition: "target_cpu", code: RECEnc.psciInvalidParameters)
    try r.s.expectFailure("PSCI_CPU_ON", [0, 0, 0, 0], condition: "already_on", code: RECEnc.psciAlreadyOn)
    #expect(
      try r.s.outputs("PSCI_CPU_ON", [0, 1, 0, 0])
        == ["exit_reason": RECEnc.exitPSCI, "exit_gprs0": RECEnc.cpuOn, "exit_gprs1": 1])
    try r.s.expect(
      "PSCI_CPU_ON", [0, 1, 0, 0],
      changes: [
        "recPsciPending[3]": 1, "recPsciRequest[3]": RECEnc.cpuOn, "recPsciTarget[3]": 1, "granuleRefcount[3]": 0,
        "peRunning[0]": 0, "peREC[0]": 0,
      ])
    #expect(try r.s.holds("rmm-wellformed"))
    try r.s.expectFailure("RMI_REC_ENTER", [0, rec0, run, 0], condition: "rec_psci", code: RMMEnc.errorREC)
    // PSCI_COMPLETE failure conditions, each with a later one broken too.
    let complete = "RMI_PSCI_COMPLETE"
    let input = RMMEnc.errorInput
    try r.s.expectFailure(complete, [rec0, rec0, 7], condition: "alias", code: input)
    try r.s.expectFailure(complete, [rec0 + 8, rec1, 7], condition: "calling_align", code: input)
    try r.s.expectFailure(complete, [RMMEnc.mmio, rec1, 7], condition: "calling_bound", code: input)
    try r.s.expectFailure(complete, [RECEnc.g(1), rec1, 7], condition: "calling_state", code: input)
    try r.s.expectFailure(complete, [rec0, rec1 + 8, 7], condition: "target_align", code: input)
    try r.s.expectFailure(complete, [rec0, RMMEnc.mmio, 7], condition: "target_bound", code: input)
    try r.s.expectFailure(complete, [rec0, RECEnc.g(5), 7], condition: "target_state", code: input)
    try r.s.expectFailure(complete, [rec1, rec0, 7], condition: "pending", code: input)
    try r.s.expectFailure(complete, [rec0, rec1, 7], condition: "status", code: input)
    let before = r.s.state
    try r.s.set(["granuleOwner[4]": 1])
    try r.s.expectFailure(complete, [rec0, rec1, 7], condition: "owner", code: input)
    r.s.state = before
    try r.s.set(["recPsciTarget[3]": 0])
    try r.s.expectFailure(complete, [rec0, rec1, 7], condition: "target", code: input)
    r.s.state = before
    try r.s.set(["recRunnable[4]": 1])
    try r.s.expectFailure(complete, [rec0, rec1, RECEnc.psciDenied], condition: "status", code: input)
    #expect(try r.s.outputs(complete, [rec0, rec1, RECEnc.psciSuccess]) == [:])
    try r.s.expect(
      complete, [rec0, rec1, RECEnc.psciSuccess],
      changes: [
        "recPsciPending[3]": 0, "recPsciRequest[3]": 0, "recPsciTarget[3]": 0, "recPsciResult[3]": RECEnc.psciAlreadyOn,
      ])
    r.s.state = before
    try r.s.expect(
      complete, [rec0, rec1, RECEnc.psciSuccess],
      changes: ["recPsciPending[3]": 0, "recPsciRequest[3]": 0, "recPsciTarget[3]": 0, "recRunnable[4]": 1])
    // The caller sees PSCI_SUCCESS, then turns itself off; the target runs.
    #expect(try r.s.outputs("RMI_REC_ENTER", [0, rec0, run, 0]) == ["realm_x0": 0, "realm_x1": 0, "realm_x2": 0])
    try r.run("RMI_REC_ENTER", [0, rec0, run, 0])
    #expect(
      try r.s.outputs("PSCI_CPU_OFF", [0]) == [
        "exit_reason": RECEnc.exitPSCI, "exit_gprs0": RECEnc.cpuOff, "exit_gprs1": 0,
      ])
    try r.s.expect(
      "PSCI_CPU_OFF", [0], changes: ["recRunnable[3]": 0, "granuleRefcount[3]": 0, "peRunning[0]": 0, "peREC[0]": 0])
    try r.s.expect(
      "RMI_REC_ENTER", [0, rec1, run, 0], changes: ["granuleRefcount[4]": 1, "peRunning[0]": 1, "peREC[0]": 4])
    // AFFINITY_INFO on the REC that is off: OFF (1) on the next entry.
    try r.s.expectFailure(
      "PSCI_AFFINITY_INFO", [0, 0, 1], condition: "lowest_affinity_level", code: RECEnc.psciInvalidParameters)
    try r.s.expectFailure(
      "PSCI_AFFINITY_INFO", [0, 2, 0], condition: "target_affinity", code: RECEnc.psciInvalidParameters)
    try r.s.expectFailure("PSCI_AFFINITY_INFO", [0, 1, 0], condition: "self_on", code: 0)
    try r.run("PSCI_AFFINITY_INFO", [0, 0, 0])
    try r.s.expectFailure(complete, [rec1, rec0, RECEnc.psciDenied], condition: "status", code: input)
    try r.run(complete, [rec1, rec0, RECEnc.psciSuccess])
    #expect(try r.s.outputs("RMI_REC_ENTER", [0, rec1, run, 0])["realm_x0"] == 1)
    try r.run("RMI_REC_ENTER", [0, rec1, run, 0])
    // CPU_ON denied by the host: the target stays off and the caller sees PSCI_DENIED.
    try r.run("PSCI_CPU_ON", [0, 0, 0, 0])
    try r.s.expect(
      complete, [rec1, rec0, RECEnc.psciDenied],
      changes: ["recPsciPending[4]": 0, "recPsciRequest[4]": 0, "recPsciResult[4]": RECEnc.psciDenied])
    #expect(try r.s.outputs("RMI_REC_ENTER", [0, rec1, run, 0])["realm_x0"] == RECEnc.psciDenied)
    try r.run("RMI_REC_ENTER", [0, rec1, run, 0])
    #expect(try r.s.outputs("PSCI_SYSTEM_RESET", [0])["exit_gprs0"] == RECEnc.systemReset)
    try r.run("PSCI_SYSTEM_RESET", [0])
    #expect(r.s.value("realmState[0]") == 2)
    for property in ["rmm-wellformed", "realm-isolation", "gpt-consistent", "delegated-clean"] {
      #expect(try r.s.holds(property), "\(property)")
    }
  }

  @Test("RSI_VERSION, RSI_FEATURES, RSI_MEASUREMENT_READ / EXTEND: results and RSI_ERROR_INPUT")
  func rsiMeasurements() throws {
    var r = try RMMScenario(granules: 4, recs: 1)
    try r.realmWithRECs(1)
    try r.run("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0])
    let input = RECEnc.rsiErrorInput
    #expect(try r.s.outputs("RSI_VERSION", [0, 0x10000]) == ["x1": 0x10000, "x2": 0x10000])
    try r.s.expectFailure("RSI_VERSION", [0, 0x20000], condition: "version", code: input)
    #expect(try r.s.outputs("RSI_FEATURES", [0, 0]) == ["x1": 0])
    #expect(try r.s.outputs("RSI_MEASUREMENT_READ", [0, 0]) == ["x1": 2], "the RIM: REALM_CREATE and REC_CREATE")
    #expect(try r.s.outputs("RSI_MEASUREMENT_READ", [0, 4]) == ["x1": 0])
    try r.s.expectFailure("RSI_MEASUREMENT_READ", [0, 5], condition: "index", code: input)
    try r.s.expectFailure("RSI_MEASUREMENT_EXTEND", [0, 0, 65], condition: "index", code: input)
    try r.s.expectFailure("RSI_MEASUREMENT_EXTEND", [0, 5, 0], condition: "index", code: input)
    try r.s.expectFailure("RSI_MEASUREMENT_EXTEND", [0, 4, 65], condition: "size", code: input)
    try r.s.expect("RSI_MEASUREMENT_EXTEND", [0, 4, 64], changes: ["realmREM[0][3]": 1])
    #expect(try r.s.outputs("RSI_MEASUREMENT_READ", [0, 4]) == ["x1": 1])
    #expect(try r.s.outputs("RSI_MEASUREMENT_READ", [0, 1]) == ["x1": 0])
    try r.run("PSCI_SYSTEM_OFF", [0])
    try r.run("RMI_REC_DESTROY", [RECEnc.g(3)])
    try r.run("RMI_REALM_DESTROY", [RECEnc.g(1)])
    #expect(r.s.value("realmREM[0][3]") == 0, "a freed VMID has its REMs at 0")
    #expect(try r.s.holds("rmm-wellformed"))
  }

  @Test("RSI_REALM_CONFIG and RSI_HOST_CALL: the structure checks, the config write, the HOST_CALL exit")
  func rsiStructures() throws {
    var r = try RMMScenario(granules: 5, recs: 1)
    try r.realmWithRECs(1, activate: false)
    try r.delegate(RECEnc.g(4))
    let new = r.s.state
    try r.run("RMI_REALM_ACTIVATE", [RECEnc.g(1)])
    try r.run("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0])
    let input = RECEnc.rsiErrorInput
    for action in ["RSI_REALM_CONFIG", "RSI_HOST_CALL"] {
      let extra: [Value] = action == "RSI_HOST_CALL" ? [0x1234] : []
      try r.s.expectFailure(action, [0, 8] + extra, condition: "ipa_align", code: input)
      try r.s.expectFailure(action, [0, 0x1000] + extra, condition: "ipa_bound", code: input)
      try r.s.expectFailure(action, [0, 0] + extra, condition: "ripas_empty", code: input)
    }
    // IPA 0 with RIPAS RAM but no DATA granule: a stage-2 abort; then a DATA page there.
    r.s.state = new
    try r.run("RMI_RTT_INIT_RIPAS", [RECEnc.g(1), 0, 0x1000])
    try r.run("RMI_REALM_ACTIVATE", [RECEnc.g(1)])
    try r.run("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0])
    try r.s.expectFailure("RSI_REALM_CONFIG", [0, 0], condition: "stage2_abort", code: RECEnc.stage2Abort)
    try r.s.expectFailure("RSI_HOST_CALL", [0, 0, 0], condition: "stage2_abort", code: RECEnc.stage2Abort)
    try r.run("RMI_DATA_CREATE_UNKNOWN", [RECEnc.g(1), RECEnc.g(4), 0])
    try r.s.expect(
      "RSI_REALM_CONFIG", [0, 0],
      changes: ["lastWrite[4]": Enc.realm0, "cacheLine[4][Realm]": Enc.dirty, "cacheData[4][Realm]": Enc.realm0])
    #expect(try r.s.outputs("RSI_REALM_CONFIG", [0, 0]) == ["config_ipa_width": 13])
    #expect(
      try r.s.outputs("RSI_HOST_CALL", [0, 0, 0x1_1234]) == ["exit_reason": RECEnc.exitHostCall, "exit_imm": 0x1234])
    try r.s.expect(
      "RSI_HOST_CALL", [0, 0, 0x1234], changes: ["granuleRefcount[3]": 0, "peRunning[0]": 0, "peREC[0]": 0])
    #expect(
      try r.s.outputs("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0]) == [
        "realm_x0": 0, "realm_x1": 0, "realm_x2": 0,
      ])
    for property in ["rmm-wellformed", "realm-isolation", "delegated-clean"] {
      #expect(try r.s.holds(property), "\(property)")
    }
  }

  static let ipaStateSetCases: [(String, [Value])] = [
    ("base_align", [0, 8, 0x1001, 2, 0]),
    ("top_align", [0, 0, 0x1001, 2, 0]),
    ("size_valid", [0, 0x1000, 0x1000, 2, 0]),
    ("region", [0, 0, 0x2000, 2, 0]),
    ("ripas_valid", [0, 0, 0x1000, 2, 0]),
  ]

  @Test(
    "RSI_IPA_STATE_SET: RSI_ERROR_INPUT in the reference's order, the REC does not exit", arguments: ipaStateSetCases)
  func ipaStateSetFailures(condition: String, arguments: [Value]) throws {
    var r = try RMMScenario(granules: 4, recs: 1)
    try r.realmWithRECs(1)
    try r.run("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0])
    try r.s.expectFailure("RSI_IPA_STATE_SET", arguments, condition: condition, code: RECEnc.rsiErrorInput)
  }

  /// A breadth-first search from `start` over every action and sampled argument, checking every
  /// property in each new state; returns the states seen and the names of the actions that
  /// succeeded at least once.
  static func search(_ compiled: CompiledModel, from start: State, limit: Int) throws -> (
    states: Int, succeeded: Set<String>
  ) {
    var seen: Set<UInt64> = [compiled.fingerprint(start)]
    var queue = [start]
    var succeeded: Set<String> = []
    var next = 0
    while next < queue.count && seen.count < limit {
      for (action, arguments, outcome) in try compiled.successors(of: queue[next]) {
        guard case .succeeded(let state) = outcome else { continue }
        succeeded.insert(compiled.model.actions[action].name)
        guard seen.insert(compiled.fingerprint(state)).inserted else { continue }
        for property in compiled.model.properties.indices where !(try compiled.holds(property, in: state)) {
          Issue.record(
            "\(compiled.model.properties[property].name) violated after \(compiled.model.actions[action].name)\(arguments)"
          )
        }
        queue.append(state)
      }
      next += 1
    }
    return (seen.count, succeeded)
  }

  @Test("bounded BFS from a running realm with two RECs finds no violation and reaches the PSCI and RSI calls")
  func boundedExplorationFromRealm() throws {
    var r = try RMMScenario(granules: 5, recs: 2)
    try r.realmWithRECs(2)
    let (states, succeeded) = try Self.search(r.s.compiled, from: r.s.state, limit: 3_000)
    let expected: Set<String> = [
      "RMI_REC_ENTER", "REC_EXIT", "PSCI_CPU_ON", "PSCI_AFFINITY_INFO", "RMI_PSCI_COMPLETE", "PSCI_CPU_OFF",
      "PSCI_SYSTEM_OFF", "RSI_MEASUREMENT_EXTEND", "RSI_IPA_STATE_SET", "RMI_REC_DESTROY",
    ]
    #expect(expected.subtracting(succeeded).isEmpty, "never succeeded: \(expected.subtracting(succeeded).sorted())")
    print("rec-test from a running realm with two RECs: \(states) states, \(succeeded.count) actions succeeded")
  }

  @Test(
    "bounded BFS from a NEW realm with four DELEGATED granules and an aux granule per REC finds no violation; REC_CREATE and REC_DESTROY succeed"
  )
  func boundedExplorationWithAux() throws {
    var r = try RMMScenario(granules: 7, recs: 1, recAux: 1)
    try r.createRealm(s2sz: 13, levelStart: 3)
    for i: Value in 3...6 { try r.delegate(RECEnc.g(i)) }
    let (states, succeeded) = try Self.search(r.s.compiled, from: r.s.state, limit: 3_000)
    #expect(
      succeeded.isSuperset(of: ["RMI_REC_CREATE", "RMI_REC_DESTROY", "RMI_REC_AUX_COUNT"]), "\(succeeded.sorted())")
    print("rec-test from a NEW realm, rec-aux 1: \(states) states, \(succeeded.count) actions succeeded")
  }

  /// rmm-rtt's geometry (2 levels x 2 entries, s2sz 14: the level-2 entry 0 covers the protected
  /// IPAs 0x0 and 0x1000) with 6 granules: RD G1, root RTT G2, REC G3, a level-3 RTT G4, DATA G5.
  static func ripasScenario() throws -> RMMScenario {
    var r = try RMMScenario(granules: 6, recs: 1, levels: 2)
    try r.createRealm(s2sz: 14, levelStart: 2)
    try r.delegate(RECEnc.g(3))
    try r.run("RMI_REC_CREATE", [RECEnc.g(1), RECEnc.g(3), RECEnc.g(0), 1, 0, 0])
    return r
  }

  @Test(
    "RIPAS round trip: IPA_STATE_GET, IPA_STATE_SET → RIPAS_CHANGE exit → RTT_SET_RIPAS → REC_ENTER response → the realm sees it"
  )
  func ripasRoundTrip() throws {
    var r = try Self.ripasScenario()
    let (rd, rec, run) = (RECEnc.g(1), RECEnc.g(3), RECEnc.g(0))
    try r.run("RMI_REALM_ACTIVATE", [rd])
    try r.run("RMI_REC_ENTER", [0, rec, run, 0])
    #expect(try r.s.outputs("RSI_IPA_STATE_GET", [0, 0, 0x2000]) == ["x1": 0x2000, "x2": 0])
    #expect(try r.s.outputs("RSI_IPA_STATE_GET", [0, 0x1000, 0x2000]) == ["x1": 0x2000, "x2": 0])
    for (condition, arguments) in [
      ("base_align", [0, 8, 0x2001]), ("top_align", [0, 0, 0x2001]), ("size_valid", [0, 0x1000, 0x1000]),
      ("region", [0, 0, 0x3000]),
    ] as [(String, [Value])] {
      try r.s.expectFailure("RSI_IPA_STATE_GET", arguments, condition: condition, code: RECEnc.rsiErrorInput)
    }
    #expect(
      try r.s.outputs("RSI_IPA_STATE_SET", [0, 0x1000, 0x2000, 1, 0])
        == [
          "exit_reason": RECEnc.exitRipasChange, "exit_ripas_base": 0x1000, "exit_ripas_top": 0x2000,
          "exit_ripas_value": 1,
        ])
    try r.s.expect(
      "RSI_IPA_STATE_SET", [0, 0x1000, 0x2000, 1, 0],
      changes: [
        "recRipasAddr[3]": 0x1000, "recRipasTop[3]": 0x2000, "recRipasValue[3]": 1, "granuleRefcount[3]": 0,
        "peRunning[0]": 0, "peREC[0]": 0,
      ])
    #expect(try r.s.holds("rmm-wellformed"))
    // The level-2 entry 0 covers [0, 0x2000) with RIPAS EMPTY: base 0x1000 is not aligned to it.
    let set = "RMI_RTT_SET_RIPAS"
    try r.s.expectFailure(set, [rd, rec, 0x1000, 0x2000], condition: "base_align", code: RMMEnc.errorRTT(level: 2))
    try r.delegate(RECEnc.g(4))
    try r.run("RMI_RTT_CREATE", [rd, RECEnc.g(4), 0, 3])
    let input = RMMEnc.errorInput
    try r.s.expectFailure(set, [rd + 8, rec + 8, 0x1000, 0x1000], condition: "rd_align", code: input)
    try r.s.expectFailure(set, [RMMEnc.mmio, rec, 0x1000, 0x2000], condition: "rd_bound", code: input)
    try r.s.expectFailure(set, [rec, rec, 0x1000, 0x2000], condition: "rd_state", code: input)
    try r.s.expectFailure(set, [rd, rec + 8, 0x1000, 0x1000], condition: "rec_align", code: input)
    try r.s.expectFailure(set, [rd, RMMEnc.mmio, 0x1000, 0x1000], condition: "rec_bound", code: input)
    try r.s.expectFailure(set, [rd, RECEnc.g(4), 0x1000, 0x1000], condition: "rec_gran_state", code: input)
    try r.s.expectFailure(set, [rd, rec, 0x1000, 0x1000], condition: "size_valid", code: input)
    try r.s.expectFailure(set, [rd, rec, 0, 0x3000], condition: "base_bound", code: input)
    try r.s.expectFailure(set, [rd, rec, 0x1000, 0x3000], condition: "top_bound", code: input)
    try r.s.expectFailure(set, [rd, rec, 0x1000, 0x1800], condition: "top_gran_align", code: input)
    let before = r.s.state
    try r.s.set(["granuleRefcount[3]": 1])
    try r.s.expectFailure(set, [rd, rec, 0x1000, 0x1000], condition: "rec_running", code: RMMEnc.errorREC)
    r.s.state = before
    // The host makes 0x1000 RAM (the level-3 entry 1), so the realm's request is done: ACCEPT.
    try r.s.expect(set, [rd, rec, 0x1000, 0x2000], changes: ["rtte[4][1]": 1, "recRipasAddr[3]": 0x2000])
    #expect(
      try r.s.outputs("RMI_REC_ENTER", [0, rec, run, 0x10]) == ["realm_x0": 0, "realm_x1": 0x2000, "realm_x2": 0])
    try r.run("RMI_REC_ENTER", [0, rec, run, 0x10])
    // A DATA page there, destroyed: RIPAS DESTROYED, which stops a request that is not CHANGE_DESTROYED.
    try r.delegate(RECEnc.g(5))
    try r.run("RMI_DATA_CREATE_UNKNOWN", [rd, RECEnc.g(5), 0x1000])
    try r.run("RMI_DATA_DESTROY", [rd, 0x1000])
    try r.run("RSI_IPA_STATE_SET", [0, 0x1000, 0x2000, 1, 0])
    try r.s.expectFailure(set, [rd, rec, 0x1000, 0x2000], condition: "no_progress", code: RMMEnc.errorRTT(level: 3))
    // The host gives up and rejects: the realm sees no progress and RSI_REJECT.
    #expect(
      try r.s.outputs("RMI_REC_ENTER", [0, rec, run, 0x10]) == ["realm_x0": 0, "realm_x1": 0x1000, "realm_x2": 1])
    try r.s.expect(
      "RMI_REC_ENTER", [0, rec, run, 0x10],
      changes: [
        "recRipasAddr[3]": 0, "recRipasTop[3]": 0, "recRipasValue[3]": 0, "granuleRefcount[3]": 1, "peRunning[0]": 1,
        "peREC[0]": 3,
      ])
    // Again with CHANGE_DESTROYED: both pages become RAM, the host's reject is moot (done).
    try r.run("RSI_IPA_STATE_SET", [0, 0, 0x2000, 1, 1])
    #expect(try r.s.outputs(set, [rd, rec, 0, 0x2000]) == ["x1": 0x2000])
    try r.s.expect(
      set, [rd, rec, 0, 0x2000], changes: ["rtte[4][0]": 1, "rtte[4][1]": 1, "recRipasAddr[3]": 0x2000])
    #expect(
      try r.s.outputs("RMI_REC_ENTER", [0, rec, run, 0x10]) == ["realm_x0": 0, "realm_x1": 0x2000, "realm_x2": 0])
    try r.run("RMI_REC_ENTER", [0, rec, run, 0x10])
    #expect(try r.s.outputs("RSI_IPA_STATE_GET", [0, 0, 0x2000]) == ["x1": 0x2000, "x2": 1])
    // A DATA page at 0 made EMPTY: the realm's accesses abort from then on.
    try r.run("RMI_DATA_CREATE_UNKNOWN", [rd, RECEnc.g(5), 0])
    try r.run("REALM_WRITE", [0, 0])
    try r.run("RSI_IPA_STATE_SET", [0, 0, 0x1000, 0, 0])
    try r.s.expect(set, [rd, rec, 0, 0x1000], changes: ["rtte[4][0]": 3, "recRipasAddr[3]": 0x1000])
    try r.run("RMI_REC_ENTER", [0, rec, run, 0])
    try r.s.expectFailure("REALM_READ", [0, 0], condition: "stage2_abort", code: RECEnc.stage2Abort)
    #expect(try r.s.outputs("RSI_IPA_STATE_GET", [0, 0, 0x2000]) == ["x1": 0x1000, "x2": 0])
    for property in ["rmm-wellformed", "realm-isolation", "delegated-clean", "gpt-consistent"] {
      #expect(try r.s.holds(property), "\(property)")
    }
  }

  @Test("RMI_RTT_SET_RIPAS, FENIMORE-765: an unaligned base fails only when its entry's RIPAS differs")
  func setRipasUnalignedBase() throws {
    var r = try Self.ripasScenario()
    let (rd, rec, run) = (RECEnc.g(1), RECEnc.g(3), RECEnc.g(0))
    try r.run("RMI_RTT_INIT_RIPAS", [rd, 0, 0x2000])
    try r.run("RMI_REALM_ACTIVATE", [rd])
    try r.run("RMI_REC_ENTER", [0, rec, run, 0])
    let entered = r.s.state
    try r.run("RSI_IPA_STATE_SET", [0, 0x1000, 0x2000, 0, 0])
    try r.s.expectFailure(
      "RMI_RTT_SET_RIPAS", [rd, rec, 0x1000, 0x2000], condition: "base_align", code: RMMEnc.errorRTT(level: 2))
    r.s.state = entered
    try r.run("RSI_IPA_STATE_SET", [0, 0x1000, 0x2000, 1, 0])
    try r.s.expect("RMI_RTT_SET_RIPAS", [rd, rec, 0x1000, 0x2000], changes: ["recRipasAddr[3]": 0x2000])
  }

  @Test(
    "rmm-full with rec-aux 16 (TF-RMM's RecAuxCount): REC_CREATE takes 16 aux granules, REC_DESTROY returns them; a seeded walk holds",
    .enabled(if: ExplorationTests.optimized, "compiling rmm-full with 16 aux parameters takes minutes in a debug build")
  )
  func fullGeometryWithSixteenAux() throws {
    var configuration = try #require(CCA.family.configuration(named: "rmm-full"))
    configuration.bounds["rec-aux"] = 16
    let clock = ContinuousClock()
    var start = clock.now
    var r = try RMMScenario(configuration: configuration)
    print("rmm-full rec-aux 16: build and compile \(clock.now - start)")
    start = clock.now
    try r.createRealm(s2sz: 48, levelStart: 0)
    let aux = (0..<16).map { RECEnc.g(40 + Value($0)) }
    for pa in [RECEnc.g(3)] + aux { try r.delegate(pa) }
    #expect(try r.s.outputs("RMI_REC_AUX_COUNT", [RECEnc.g(1)]) == ["x1": 16])
    try r.s.expectFailure(
      "RMI_REC_CREATE", [RECEnc.g(1), RECEnc.g(3), RECEnc.g(0), 1, 0, 15] + aux, condition: "num_aux",
      code: RMMEnc.errorInput)
    try r.s.expectFailure(
      "RMI_REC_CREATE", [RECEnc.g(1), RECEnc.g(3), RECEnc.g(0), 1, 0, 16] + aux.dropLast() + [RECEnc.g(40)],
      condition: "aux_alias", code: RMMEnc.errorInput)
    try r.run("RMI_REC_CREATE", [RECEnc.g(1), RECEnc.g(3), RECEnc.g(0), 1, 0, 16] + aux)
    print("rmm-full rec-aux 16: 20 steps \(clock.now - start)")
    #expect(
      (40..<56).allSatisfy { r.s.value("granuleState", [$0]) == RECEnc.recAux && r.s.value("recAuxOf", [$0]) == 3 })
    start = clock.now
    #expect(try r.s.holds("rmm-wellformed"))
    print("rmm-full rec-aux 16: rmm-wellformed once \(clock.now - start)")
    try r.run("RMI_REC_DESTROY", [RECEnc.g(3)])
    #expect(
      (40..<56).allSatisfy { r.s.value("granuleState", [$0]) == Enc.delegated && r.s.value("recAuxOf", [$0]) == 0 })
    #expect(try r.s.holds("rmm-wellformed"))
    let seed: UInt64 = 16
    var options = ExploreOptions(mode: .random, seed: seed, walks: 2, walkLength: 100)
    options.workers = 1
    let report = explore(r.s.compiled, options: options)
    #expect(report.outcome == .noViolation, "seed \(seed): \(report.outcome)")
    print(
      "rmm-full rec-aux 16: seeded walks (seed \(seed), 2 x 100 steps): \(String(format: "%.2f", report.elapsed)) s")
  }
}
