import CCAModel
import Explore
import Spec
import Testing

/// Encodings of the RMM layer, written out independently of the model (reference/rmm.md §0, §1).
enum RMMEnc {
  static let g0: Value = 0x8000_0000
  static let g1: Value = 0x8000_1000
  static let g2: Value = 0x8000_2000
  static let g3: Value = 0x8000_3000
  static let mmio: Value = 0x1C09_0000
  static let rd: Value = 2
  static let rec: Value = 3
  static let data: Value = 5
  static let rtt: Value = 6
  static let realmNew: Value = 0
  static let realmActive: Value = 1
  static let unassignedEmpty: Value = 0
  static let assignedRAM: Value = 4
  static let unassignedDestroyed: Value = 2
  static let unassignedRAM: Value = 1
  static let assignedEmpty: Value = 3
  static let unassignedNS: Value = 6
  static let assignedNS: Value = 7
  static let table: Value = 8
  static let errorInput: Value = 1
  static let errorRealm: Value = 2
  static let errorREC: Value = 3
  /// RMI_ERROR_RTT with the level in X0 bits [15:8].
  static func errorRTT(level: Value) -> Value { 4 | level << 8 }
}

/// A scenario of RMI calls on an `rmm` configuration: G0 stays Non-secure (RealmParams, RecParams,
/// RecRun and DATA sources live there), G1 becomes the RD, G2 the starting-level RTT.
struct RMMScenario {
  var s: Scenario

  init(_ configuration: String, mutant: String? = nil) throws {
    s = try Scenario(configuration, mutant: mutant)
  }

  mutating func run(_ action: String, _ arguments: [Value]) throws {
    let index = try s.actionIndex(action)
    let outcome = try s.compiled.step(s.state, action: index, arguments: s.complete(index, arguments))
    guard case .succeeded(let next) = outcome else {
      Issue.record("\(action)\(arguments.map { String($0, radix: 16) }) gave \(outcome)")
      return
    }
    s.state = next
  }

  mutating func delegate(_ pa: Value) throws { try run("RMI_GRANULE_DELEGATE", [0, pa]) }

  /// RealmParams arguments: rd, params, hash, s2sz, vmid, rtt_base, level_start, num_start.
  static func realmCreate(
    rd: Value = RMMEnc.g1, params: Value = RMMEnc.g0, hash: Value = 0, s2sz: Value, vmid: Value = 0,
    rtt: Value = RMMEnc.g2, levelStart: Value, numStart: Value = 1
  ) -> [Value] { [rd, params, hash, s2sz, vmid, rtt, levelStart, numStart] }

  /// Delegates G1 and G2 and creates realm 0 (VMID 0) with them.
  mutating func createRealm(s2sz: Value, levelStart: Value) throws {
    try delegate(RMMEnc.g1)
    try delegate(RMMEnc.g2)
    try run("RMI_REALM_CREATE", Self.realmCreate(s2sz: s2sz, levelStart: levelStart))
  }
}

@Suite("RMM 1.0 commands")
struct RMMCommandTests {
  // rmm-small: one level-3 RTT of 2 entries, s2sz 13; rmm-rtt: 2 levels x 2 entries, s2sz 14.
  static let small = (s2sz: Value(13), start: Value(3))
  static let rtt = (s2sz: Value(14), start: Value(2))

  /// Each case breaks the named condition and at least one later one: the named one must win,
  /// with its X0, and the state must not change.
  static let realmCreateCases: [(String, [Value])] = {
    func c(
      _ rd: Value = RMMEnc.g1, _ params: Value = RMMEnc.g0, params p: Value? = nil, hash: Value = 0, s2sz: Value = 13,
      rtt: Value = RMMEnc.g2, vmid: Value = 0, start: Value = 3, num: Value = 1
    ) -> [Value] {
      let params = p ?? params
      return RMMScenario.realmCreate(
        rd: rd, params: params, hash: hash, s2sz: s2sz, vmid: vmid, rtt: rtt, levelStart: start, numStart: num)
    }
    return [
      ("params_align", c(RMMEnc.mmio, RMMEnc.g0 + 0x10)),
      ("params_bound", c(params: RMMEnc.mmio, vmid: 5)),
      ("params_pas", c(params: RMMEnc.g1, vmid: 5)),
      ("params_valid", c(RMMEnc.g1 + 0x10, hash: 2)),
      ("params_valid", c(s2sz: 40, start: 0)),
      ("alias", c(rtt: RMMEnc.g1, vmid: 5)),
      ("rd_align", c(RMMEnc.g1 + 0x10, start: 2)),
      ("rd_bound", c(RMMEnc.mmio, vmid: 5)),
      ("rd_state", c(RMMEnc.g3, rtt: RMMEnc.g2 + 0x10)),
      ("rtt_align", c(rtt: RMMEnc.g2 + 0x10, vmid: 5)),
      ("rtt_num_level", c(vmid: 5, start: 2)),
      ("rtt_num_level", c(num: 2)),
      ("rtt_state", c(rtt: RMMEnc.g3, vmid: 5)),
      ("rtt_state", c(rtt: RMMEnc.mmio)),
      ("vmid_valid", c(vmid: 1)),
    ]
  }()

  @Test(
    "RMI_REALM_CREATE: the first failing condition wins, X0 = RMI_ERROR_INPUT, nothing changes",
    arguments: realmCreateCases)
  func realmCreateFailures(condition: String, arguments: [Value]) throws {
    var r = try RMMScenario("rmm-small")
    try r.delegate(RMMEnc.g1)
    try r.delegate(RMMEnc.g2)
    try r.s.expectFailure("RMI_REALM_CREATE", arguments, condition: condition, code: RMMEnc.errorInput)
  }

  @Test("RMI_REALM_CREATE: success makes the RD and the RTT, a NEW realm measured once (whole next state)")
  func realmCreateSuccess() throws {
    var r = try RMMScenario("rmm-small")
    try r.delegate(RMMEnc.g1)
    try r.delegate(RMMEnc.g2)
    try r.s.expect(
      "RMI_REALM_CREATE", RMMScenario.realmCreate(s2sz: Self.small.s2sz, levelStart: Self.small.start),
      changes: [
        "lastWrite[1]": Enc.zero, "lastWrite[2]": Enc.zero,
        "granuleState[1]": RMMEnc.rd, "granuleState[2]": RMMEnc.rtt, "memory[1]": Enc.zero, "memory[2]": Enc.zero,
        "realmState[0]": RMMEnc.realmNew, "realmRD[0]": 1, "realmRTTBase[0]": 2, "realmRIM[0]": 1,
        // The starting-level table (level 3 here): entry 1 maps the unprotected IPA 0x1000; entry 0
        // is UNASSIGNED/EMPTY, the value rows of non-RTT granules already hold.
        "rttLevel[2]": 3, "rtte[2][1]": RMMEnc.unassignedNS,
      ])
    // VMID 0 is taken now.
    try r.delegate(RMMEnc.g3)
    try r.s.expectFailure(
      "RMI_REALM_CREATE", RMMScenario.realmCreate(rd: RMMEnc.g3, s2sz: 13, rtt: RMMEnc.g1, levelStart: 3),
      condition: "rtt_state", code: RMMEnc.errorInput)
  }

  static let dataCreateCases: [(String, [Value], Value)] = [
    ("src_align", [RMMEnc.g1, RMMEnc.g0, 0, RMMEnc.g0 + 0x10, 0], RMMEnc.errorInput),
    ("src_bound", [RMMEnc.g1, RMMEnc.g0, 0, RMMEnc.mmio, 0], RMMEnc.errorInput),
    ("src_pas", [RMMEnc.g1, RMMEnc.g0, 0, RMMEnc.g3, 0], RMMEnc.errorInput),
    ("data_align", [RMMEnc.g0, RMMEnc.g3 + 0x10, 0, RMMEnc.g0, 0], RMMEnc.errorInput),
    ("data_bound", [RMMEnc.g0, RMMEnc.mmio, 0, RMMEnc.g0, 0], RMMEnc.errorInput),
    ("data_state", [RMMEnc.g1, RMMEnc.g2, 0x1000, RMMEnc.g0, 0], RMMEnc.errorInput),
    ("data_state", [RMMEnc.g1, RMMEnc.g1, 0, RMMEnc.g0, 0], RMMEnc.errorInput),
    ("rd_align", [RMMEnc.g1 + 0x10, RMMEnc.g3, 0x10, RMMEnc.g0, 0], RMMEnc.errorInput),
    ("rd_bound", [RMMEnc.mmio, RMMEnc.g3, 0x10, RMMEnc.g0, 0], RMMEnc.errorInput),
    ("rd_state", [RMMEnc.g2, RMMEnc.g3, 0x10, RMMEnc.g0, 0], RMMEnc.errorInput),
    ("ipa_align", [RMMEnc.g1, RMMEnc.g3, 0x1010, RMMEnc.g0, 0], RMMEnc.errorInput),
    ("ipa_bound", [RMMEnc.g1, RMMEnc.g3, 0x1000, RMMEnc.g0, 0], RMMEnc.errorInput),
  ]

  @Test("RMI_DATA_CREATE: the first failing condition wins, with its X0, nothing changes", arguments: dataCreateCases)
  func dataCreateFailures(condition: String, arguments: [Value], code: Value) throws {
    var r = try RMMScenario("rmm-small")
    try r.createRealm(s2sz: Self.small.s2sz, levelStart: Self.small.start)
    try r.delegate(RMMEnc.g3)
    try r.s.expectFailure("RMI_DATA_CREATE", arguments, condition: condition, code: code)
  }

  @Test("RMI_DATA_CREATE / DATA_DESTROY: effects, realm_state, rtte_state (RMI_ERROR_RTT level 3)")
  func dataLifecycle() throws {
    var r = try RMMScenario("rmm-small")
    try r.createRealm(s2sz: Self.small.s2sz, levelStart: Self.small.start)
    try r.delegate(RMMEnc.g3)
    try r.s.expect(
      "RMI_DATA_CREATE", [RMMEnc.g1, RMMEnc.g3, 0, RMMEnc.g0, 0],
      changes: [
        "lastWrite[3]": Enc.realm0,
        "granuleState[3]": RMMEnc.data, "memory[3]": Enc.realm0, "rtte[2][0]": RMMEnc.assignedRAM,
        "rtteAddr[2][0]": 3, "granuleRefcount[2]": 1, "realmRIM[0]": 2,
      ])
    // The entry is ASSIGNED now.
    try r.s.expectFailure(
      "RMI_DATA_CREATE_UNKNOWN", [RMMEnc.g1, RMMEnc.g0, 0], condition: "data_state", code: RMMEnc.errorInput)
    try r.s.expectFailure(
      "RMI_REALM_DESTROY", [RMMEnc.g1], condition: "realm_live", code: RMMEnc.errorRealm)
    let before = r.s.state
    try r.delegate(RMMEnc.g0)
    try r.s.expectFailure(
      "RMI_DATA_CREATE_UNKNOWN", [RMMEnc.g1, RMMEnc.g0, 0], condition: "rtte_state", code: RMMEnc.errorRTT(level: 3))
    r.s.state = before
    try r.s.expect(
      "RMI_DATA_DESTROY", [RMMEnc.g1, 0],
      changes: [
        "lastWrite[3]": Enc.zero,
        "granuleState[3]": Enc.delegated, "memory[3]": Enc.zero, "rtte[2][0]": RMMEnc.unassignedDestroyed,
        "rtteAddr[2][0]": 0, "granuleRefcount[2]": 0,
      ])
    try r.s.expectFailure("RMI_DATA_DESTROY", [RMMEnc.g1, 0], condition: "rtte_state", code: RMMEnc.errorRTT(level: 3))
    try r.run("RMI_REALM_ACTIVATE", [RMMEnc.g1])
    try r.s.expectFailure(
      "RMI_DATA_CREATE", [RMMEnc.g1, RMMEnc.g3, 0, RMMEnc.g0, 0], condition: "realm_state", code: RMMEnc.errorRealm)
    try r.s.expectFailure("RMI_REALM_ACTIVATE", [RMMEnc.g1], condition: "realm_state", code: RMMEnc.errorRealm)
    #expect(try r.s.holds("rmm-wellformed") && r.s.holds("delegated-clean") && r.s.holds("gpt-consistent"))
  }

  @Test("RTTs: rtt_walk reports the level reached, RTT_CREATE / READ_ENTRY / DESTROY, rtt_live")
  func rttCommands() throws {
    var r = try RMMScenario("rmm-rtt")
    try r.createRealm(s2sz: Self.rtt.s2sz, levelStart: Self.rtt.start)
    try r.delegate(RMMEnc.g3)
    try r.s.expectFailure(
      "RMI_DATA_CREATE_UNKNOWN", [RMMEnc.g1, RMMEnc.g3, 0], condition: "rtt_walk", code: RMMEnc.errorRTT(level: 2))
    try r.s.expectFailure(
      "RMI_RTT_CREATE", [RMMEnc.g1, RMMEnc.g3, 0, 2], condition: "level_bound", code: RMMEnc.errorInput)
    try r.s.expectFailure(
      "RMI_RTT_CREATE", [RMMEnc.g1, RMMEnc.g3, 0x1000, 3], condition: "ipa_align", code: RMMEnc.errorInput)
    try r.s.expectFailure(
      "RMI_RTT_CREATE", [RMMEnc.g1, RMMEnc.g3, 0x4000, 3], condition: "ipa_bound", code: RMMEnc.errorInput)
    try r.s.expectFailure(
      "RMI_RTT_DESTROY", [RMMEnc.g1, 0, 3], condition: "rtte_state", code: RMMEnc.errorRTT(level: 2))
    try r.s.expect(
      "RMI_RTT_CREATE", [RMMEnc.g1, RMMEnc.g3, 0, 3],
      changes: [
        "lastWrite[3]": Enc.zero,
        "granuleState[3]": RMMEnc.rtt, "memory[3]": Enc.zero, "rtte[2][0]": RMMEnc.table, "rtteAddr[2][0]": 3,
        "granuleRefcount[2]": 1, "rttLevel[3]": 3,
      ])
    let read = try r.s.compiled.outputs(
      r.s.state, action: try r.s.actionIndex("RMI_RTT_READ_ENTRY"), arguments: [RMMEnc.g1, 0, 2])
    #expect(read == [2, 2, RMMEnc.g3, 0], "RTT_READ_ENTRY at level 2: level, TABLE, the child's PA, EMPTY")
    try r.delegate(RMMEnc.g0)
    try r.s.expectFailure(
      "RMI_RTT_CREATE", [RMMEnc.g1, RMMEnc.g0, 0, 3], condition: "rtte_state", code: RMMEnc.errorRTT(level: 2))
    try r.run("RMI_DATA_CREATE_UNKNOWN", [RMMEnc.g1, RMMEnc.g0, 0x1000])
    #expect(r.s.value("rtte[3][1]") == 3, "ASSIGNED with RIPAS EMPTY kept (entry 1 of the level-3 table G3)")
    #expect(r.s.value("mappedIPA[0]") == 0x1000)
    try r.s.expectFailure("RMI_RTT_DESTROY", [RMMEnc.g1, 0, 3], condition: "rtt_live", code: RMMEnc.errorRTT(level: 3))
    try r.run("RMI_DATA_DESTROY", [RMMEnc.g1, 0x1000])
    try r.s.expect(
      "RMI_RTT_DESTROY", [RMMEnc.g1, 0, 3],
      changes: [
        "granuleState[3]": Enc.delegated, "rtte[2][0]": RMMEnc.unassignedDestroyed, "rtteAddr[2][0]": 0,
        "granuleRefcount[2]": 0, "rttLevel[3]": 0,
      ])
    #expect(try r.s.holds("rmm-wellformed"))
  }

  @Test("REC_CREATE, REC_ENTER and the realm's accesses through its RTT and the GPC")
  func recAndRealmExecution() throws {
    var r = try RMMScenario("rmm-small")
    try r.createRealm(s2sz: Self.small.s2sz, levelStart: Self.small.start)
    try r.delegate(RMMEnc.g3)
    try r.s.expectFailure(
      "RMI_REC_CREATE", [RMMEnc.g1, RMMEnc.g3, RMMEnc.g0, 1, 1, 0], condition: "mpidr_index", code: RMMEnc.errorInput)
    try r.s.expectFailure(
      "RMI_REC_CREATE", [RMMEnc.g1, RMMEnc.g3, RMMEnc.g0, 1, 0, 1], condition: "num_aux", code: RMMEnc.errorInput)
    try r.run("RMI_REC_CREATE", [RMMEnc.g1, RMMEnc.g3, RMMEnc.g0, 1, 0, 0])
    #expect(r.s.value("granuleRefcount[1]") == 1 && r.s.value("realmRecIndex[0]") == 1)
    try r.s.expectFailure(
      "RMI_REC_ENTER", [0, RMMEnc.g3, RMMEnc.g0, 0], condition: "realm_new", code: RMMEnc.errorRealm)
    try r.run("RMI_REALM_ACTIVATE", [RMMEnc.g1])
    try r.s.expectFailure("RMI_REC_ENTER", [0, RMMEnc.g3, RMMEnc.g1, 0], condition: "run_pas", code: RMMEnc.errorInput)
    try r.s.expectFailure("RMI_REC_ENTER", [0, RMMEnc.g3, RMMEnc.g0, 1], condition: "rec_mmio", code: RMMEnc.errorREC)
    try r.run("RMI_RTT_MAP_UNPROTECTED", [RMMEnc.g1, 0x1000, 3, RMMEnc.g0])
    try r.run("RMI_REC_ENTER", [0, RMMEnc.g3, RMMEnc.g0, 0])
    try r.s.expectFailure("RMI_REC_DESTROY", [RMMEnc.g3], condition: "rec_state", code: RMMEnc.errorREC)
    try r.s.expectFailure("REALM_READ", [0, 0], condition: "stage2_abort", code: 0x24)
    try r.s.expect(
      "REALM_WRITE", [0, 0x1000],
      changes: [
        "cacheLine[0][NS]": Enc.dirty, "cacheData[0][NS]": Enc.host, "gptTLBValid[0][0]": 1, "gptTLB[0][0]": Enc.gpiNS,
      ])
    try r.run("PSCI_SYSTEM_OFF", [0])
    try r.s.expectFailure(
      "RMI_REC_ENTER", [0, RMMEnc.g3, RMMEnc.g0, 0], condition: "system_off", code: RMMEnc.errorRealm | 1 << 8)
    for property in ["rmm-wellformed", "realm-isolation", "gpt-consistent", "delegated-clean", "hyp-no-realm-read"] {
      #expect(try r.s.holds(property), "\(property)")
    }
  }

  @Test("rtt-destroy-ignores-live: the scripted 8-step trace breaks rmm-wellformed; the correct model refuses")
  func rttDestroyMutantTrace() throws {
    for mutant in [nil, "rtt-destroy-ignores-live"] {
      var r = try RMMScenario("rmm-rtt", mutant: mutant)
      try r.createRealm(s2sz: Self.rtt.s2sz, levelStart: Self.rtt.start)
      try r.delegate(RMMEnc.g3)
      try r.run("RMI_RTT_CREATE", [RMMEnc.g1, RMMEnc.g3, 0, 3])
      try r.delegate(RMMEnc.g0)
      try r.run("RMI_DATA_CREATE_UNKNOWN", [RMMEnc.g1, RMMEnc.g0, 0])
      if mutant == nil {
        try r.s.expectFailure(
          "RMI_RTT_DESTROY", [RMMEnc.g1, 0, 3], condition: "rtt_live", code: RMMEnc.errorRTT(level: 3))
      } else {
        try r.run("RMI_RTT_DESTROY", [RMMEnc.g1, 0, 3])
        #expect(try !r.s.holds("rmm-wellformed"))
      }
    }
  }

  /// A smoke run: `Proofs/rmm-properties-small-depth8.toml` and `rmm-properties-rtt-depth7.toml`
  /// check every property of these configurations to a depth bound in CI.
  @Test("the correct rmm configurations: bounded BFS finds no violation (smoke)", arguments: ["rmm-small", "rmm-rtt"])
  func correctModelBounded(configuration: String) throws {
    let compiled = try ExplorationTests.compiled(configuration)
    let limit = 20_000
    let report = explore(
      compiled,
      options: ExploreOptions(mode: .bfs, maxStates: limit, properties: Array(compiled.model.properties.indices)))
    #expect(report.outcome == .noViolation, "\(report.outcome)")
    print(
      "\(configuration): \(report.distinctStates) distinct states (limit \(limit)), depth \(report.maxDepthReached), "
        + "complete \(report.complete), \(String(format: "%.2f", report.elapsed)) s")
  }
}
