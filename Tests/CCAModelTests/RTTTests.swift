import CCAModel
import Explore
import Spec
import Testing

extension Scenario {
  /// A scenario over an already compiled model, from its initial state.
  init(compiled: CompiledModel) {
    self.compiled = compiled
    self.state = compiled.initialState()
  }
}

extension RMMScenario {
  init(compiled: CompiledModel) { s = Scenario(compiled: compiled) }
}

/// Slot positions by name for one compiled model, so that reading or crafting a few slots of a
/// large (`rmm-full`) state does not name every slot.
struct SlotIndex: Sendable {
  let positions: [String: Int]

  init(_ compiled: CompiledModel) {
    let layout = compiled.model.layout
    positions = Dictionary(uniqueKeysWithValues: (0..<layout.count).map { (layout.name(at: $0), $0) })
  }

  func value(_ s: Scenario, _ name: String) -> Value? {
    positions[name].map { s.compiled.values(of: s.state)[$0] }
  }

  func set(_ s: inout Scenario, _ changes: [String: Value]) throws {
    var values = s.compiled.values(of: s.state)
    for (name, value) in changes { values[try #require(positions[name], "no slot \(name)")] = value }
    s.state = try s.compiled.state(fromValues: values)
  }
}

/// RTTs stored per table granule: walks with real IPAs at the architecture's geometry
/// (`rmm-full`: 4 levels x 512 entries, starting level 0, s2sz 48), RMI_RTT_FOLD and the
/// multi-entry RMI_RTT_INIT_RIPAS (reference/rmm.md §1.4, §1.5, §2.15-§2.21).
@Suite("RTTs per table: full geometry, RTT_FOLD, RTT_INIT_RIPAS")
struct RTTTests {
  /// The PA of granule `n` (DRAM starts at 0x8000_0000).
  static func g(_ n: Value) -> Value { 0x8000_0000 + (n << 12) }
  static let full = (s2sz: Value(48), start: Value(0))
  static let rtt = (s2sz: Value(14), start: Value(2))
  static let gb: Value = 1 << 30
  static let mb2: Value = 1 << 21

  /// rmm-full compiled once for the suite.
  static let compiledFull = Result { try ExplorationTests.compiled("rmm-full") }
  static let fullSlots = Result { SlotIndex(try compiledFull.get()) }

  /// The value of a slot of an rmm-full scenario's state.
  func value(_ r: RMMScenario, _ name: String) throws -> Value? { try Self.fullSlots.get().value(r.s, name) }

  /// A realm (RD G1, starting-level table G2) at the full geometry, with G3 ...
  ///
  /// G8 delegated.
  static func fullRealm() throws -> RMMScenario {
    var r = RMMScenario(compiled: try compiledFull.get())
    try r.createRealm(s2sz: full.s2sz, levelStart: full.start)
    for n in Value(3)...8 { try r.delegate(g(n)) }
    return r
  }

  /// `fullRealm` with RTTs at levels 1 (G3, IPA 0), 2 (G4, IPA 0x8000_0000) and 3 (G5, IPA
  /// 0x8000_0000).
  static func fullRealmWithTables() throws -> RMMScenario {
    var r = try fullRealm()
    try r.run("RMI_RTT_CREATE", [g(1), g(3), 0, 1])
    try r.run("RMI_RTT_CREATE", [g(1), g(4), 0x8000_0000, 2])
    try r.run("RMI_RTT_CREATE", [g(1), g(5), 0x8000_0000, 3])
    return r
  }

  func readEntry(_ r: RMMScenario, _ ipa: Value, level: Value) throws -> [Value] {
    try r.s.compiled.outputs(
      r.s.state, action: try r.s.actionIndex("RMI_RTT_READ_ENTRY"), arguments: [Self.g(1), ipa, level])
  }

  // MARK: - Walks at the full geometry

  @Test("full geometry: RTTs at levels 1, 2, 3 for IPA 0x8000_0000, a DATA page there, read back by RTT_READ_ENTRY")
  func fullGeometryWalk() throws {
    var r = try Self.fullRealm()
    // The starting-level table: lower half protected (UNASSIGNED/EMPTY), upper half UNASSIGNED_NS.
    #expect(try value(r, "rttLevel[2]") == 0)
    #expect(try value(r, "rtte[2][255]") == RMMEnc.unassignedEmpty && value(r, "rtte[2][256]") == RMMEnc.unassignedNS)
    #expect(try readEntry(r, 1 << 47, level: 0) == [0, 0, 0, 0], "unprotected: UNASSIGNED, RIPAS EMPTY")
    // Level 1: the parent entry is entry 0 of the level-0 table (512 GB), so the IPA is 0.
    try r.s.expect(
      "RMI_RTT_CREATE", [Self.g(1), Self.g(3), 0, 1],
      changes: [
        "lastWrite[3]": Enc.zero,
        "granuleState[3]": RMMEnc.rtt, "memory[3]": Enc.zero, "rtte[2][0]": RMMEnc.table, "rtteAddr[2][0]": 3,
        "granuleRefcount[2]": 1, "rttLevel[3]": 1,
      ])
    // Level 2 at 0x8000_0000: entry 2 of the level-1 table (1 GB each).
    try r.s.expect(
      "RMI_RTT_CREATE", [Self.g(1), Self.g(4), 0x8000_0000, 2],
      changes: [
        "lastWrite[4]": Enc.zero,
        "granuleState[4]": RMMEnc.rtt, "memory[4]": Enc.zero, "rtte[3][2]": RMMEnc.table, "rtteAddr[3][2]": 4,
        "granuleRefcount[3]": 1, "rttLevel[4]": 2, "mappedIPA[4]": 0x8000_0000,
      ])
    try r.run("RMI_RTT_CREATE", [Self.g(1), Self.g(5), 0x8000_0000, 3])
    #expect(try value(r, "rtte[4][0]") == RMMEnc.table && value(r, "rtteAddr[4][0]") == 5)
    try r.s.expect(
      "RMI_DATA_CREATE", [Self.g(1), Self.g(6), 0x8000_0000, Self.g(0), 0],
      changes: [
        "lastWrite[6]": Enc.realm0,
        "granuleState[6]": RMMEnc.data, "memory[6]": Enc.realm0, "rtte[5][0]": RMMEnc.assignedRAM, "rtteAddr[5][0]": 6,
        "granuleRefcount[5]": 1, "realmRIM[0]": 2, "mappedIPA[6]": 0x8000_0000,
      ])
    // X1 level, X2 state (UNASSIGNED 0, ASSIGNED 1, TABLE 2), X3 PA, X4 RIPAS (EMPTY 0, RAM 1).
    #expect(try readEntry(r, 0x8000_0000, level: 3) == [3, 1, Self.g(6), 1])
    #expect(try readEntry(r, 0x8000_0000, level: 1) == [1, 2, Self.g(4), 0])
    #expect(try readEntry(r, 0x8000_1000, level: 3) == [3, 0, 0, 0])
    #expect(
      try readEntry(r, 0x4000_0000, level: 3) == [1, 0, 0, 0], "the walk stops at level 1 (entry 1 is UNASSIGNED)")
    #expect(try r.s.holds("rmm-wellformed"))
  }

  @Test("full geometry: a running realm reads and writes its DATA page through the 4-level walk")
  func fullGeometryRealmAccess() throws {
    var r = try Self.fullRealmWithTables()
    try r.run("RMI_DATA_CREATE", [Self.g(1), Self.g(6), 0x8000_0000, Self.g(0), 0])
    // A REC (G7) running on PE 0, crafted: this test is about the walk, not REC_ENTER.
    try Self.fullSlots.get().set(
      &r.s,
      [
        "realmState[0]": RMMEnc.realmActive, "granuleState[7]": RMMEnc.rec, "granuleRefcount[7]": 1,
        "granuleRefcount[1]": 1, "peRunning[0]": 1, "peREC[0]": 7,
      ])
    try r.s.expectFailure("REALM_READ", [0, 0x8000_1000], condition: "stage2_abort", code: 0x24)
    try r.s.expectFailure("REALM_READ", [0, 0x4000_0000], condition: "stage2_abort", code: 0x24)
    try r.s.expectFailure("REALM_READ", [0, 1 << 48], condition: "stage2_abort", code: 0x24)
    try r.s.expect(
      "REALM_WRITE", [0, 0x8000_0000],
      changes: [
        "cacheLine[6][Realm]": Enc.dirty, "cacheData[6][Realm]": Enc.realm0, "gptTLBValid[0][6]": 1,
        "gptTLB[0][6]": Enc.gpiRealm,
      ])
    #expect(try r.s.holds("realm-isolation"))
  }

  static let rttCreateFullCases: [(String, [Value], Value)] = [
    ("rd_state", [g(3), g(4), 0, 1], RMMEnc.errorInput),
    ("level_bound", [g(1), g(4), 0, 0], RMMEnc.errorInput),
    ("level_bound", [g(1), g(4), 0, 4], RMMEnc.errorInput),
    ("ipa_align", [g(1), g(4), 0x8000_0000, 1], RMMEnc.errorInput),
    ("ipa_bound", [g(1), g(4), 1 << 48, 1], RMMEnc.errorInput),
    ("rtt_state", [g(1), g(0), 0, 1], RMMEnc.errorInput),
    // The walk to level 2 stops at level 0: no level-1 table maps 512 GB ... 1 TB.
    ("rtt_walk", [g(1), g(6), 1 << 39, 2], RMMEnc.errorRTT(level: 0)),
    // The walk to level 2 stops at level 1: entry 1 of the level-1 table is UNASSIGNED.
    ("rtt_walk", [g(1), g(6), 0x4000_0000, 3], RMMEnc.errorRTT(level: 1)),
    ("rtte_state", [g(1), g(6), 0, 1], RMMEnc.errorRTT(level: 0)),
    ("rtte_state", [g(1), g(6), 0x8000_0000, 3], RMMEnc.errorRTT(level: 2)),
  ]

  @Test(
    "RMI_RTT_CREATE at the full geometry: each failure condition with its X0 (RTT level index)",
    arguments: rttCreateFullCases)
  func rttCreateFullFailures(condition: String, arguments: [Value], code: Value) throws {
    let r = try Self.fullRealmWithTables()
    try r.s.expectFailure("RMI_RTT_CREATE", arguments, condition: condition, code: code)
  }

  @Test("RMI_RTT_DESTROY at the full geometry: rtt_live and rtte_state carry the level; success frees the table")
  func rttDestroyFull() throws {
    var r = try Self.fullRealmWithTables()
    try r.s.expectFailure("RMI_RTT_DESTROY", [Self.g(1), 0, 1], condition: "rtt_live", code: RMMEnc.errorRTT(level: 1))
    try r.s.expectFailure(
      "RMI_RTT_DESTROY", [Self.g(1), 0x4000_0000, 2], condition: "rtte_state", code: RMMEnc.errorRTT(level: 1))
    try r.s.expectFailure(
      "RMI_RTT_DESTROY", [Self.g(1), 1 << 39, 2], condition: "rtt_walk", code: RMMEnc.errorRTT(level: 0))
    let outputs = try r.s.compiled.outputs(
      r.s.state, action: try r.s.actionIndex("RMI_RTT_DESTROY"), arguments: [Self.g(1), 0x8000_0000, 3])
    #expect(
      outputs == [Self.g(5), 0xC000_0000], "X1 = the RTT's PA, X2 = top: the rest of the level-2 table is non-live")
    try r.s.expect(
      "RMI_RTT_DESTROY", [Self.g(1), 0x8000_0000, 3],
      changes: [
        "granuleState[5]": Enc.delegated, "rtte[4][0]": RMMEnc.unassignedDestroyed, "rtteAddr[4][0]": 0,
        "granuleRefcount[4]": 0, "rttLevel[5]": 0, "mappedIPA[5]": 0,
      ])
    #expect(try r.s.holds("rmm-wellformed"))
  }

  /// The outputs of `action` with `arguments` in `r`'s state (also those defined on a failure).
  func outputs(_ r: RMMScenario, _ action: String, _ arguments: [Value]) throws -> [Value] {
    try r.s.compiled.outputs(r.s.state, action: try r.s.actionIndex(action), arguments: arguments)
  }

  @Test(
    "RMI_RTT_DESTROY's top (X2) on success and on RMI_ERROR_RTT: the end of the non-live region of the table the walk reached"
  )
  func rttDestroyTop() throws {
    let r = try Self.fullRealmWithTables()
    // rtt_live: the TABLE entry stays live, so top is the IPA itself.
    #expect(try outputs(r, "RMI_RTT_DESTROY", [Self.g(1), 0, 1])[1] == 0)
    // rtte_state at level 1: entry 1 (1 GB) is UNASSIGNED, entry 2 (2 GB) a live TABLE.
    #expect(try outputs(r, "RMI_RTT_DESTROY", [Self.g(1), 0x4000_0000, 2])[1] == 0x8000_0000)
    // rtt_walk at level 0: entries 1 ... 511 of the level-0 table are all unassigned.
    #expect(try outputs(r, "RMI_RTT_DESTROY", [Self.g(1), 1 << 39, 2])[1] == 1 << 48)
    let destroy = try r.s.compiled.model.actions[r.s.actionIndex("RMI_RTT_DESTROY")]
    #expect(destroy.outputs[1].failures == ["rtt_walk", "rtte_state", "rtt_live"])
    #expect(destroy.outputs[0].failures.isEmpty, "X1 (the RTT's PA) is defined on success only")
  }

  @Test(
    "RMI_DATA_DESTROY's top (X2): up to the next live entry, the table's end, or from an early walk stop (aligned down)"
  )
  func dataDestroyTop() throws {
    var r = try Self.fullRealmWithTables()
    try r.run("RMI_DATA_CREATE", [Self.g(1), Self.g(6), 0x8000_0000, Self.g(0), 0])
    try r.run("RMI_DATA_CREATE", [Self.g(1), Self.g(7), 0x8000_3000, Self.g(0), 0])
    // Pages 1 and 2 are UNASSIGNED, page 3 is ASSIGNED: the non-live region ends there.
    #expect(try outputs(r, "RMI_DATA_DESTROY", [Self.g(1), 0x8000_0000]) == [Self.g(6), 0x8000_3000])
    // rtte_state (page 1 is not ASSIGNED): X2 is defined on RMI_ERROR_RTT too.
    try r.s.expectFailure(
      "RMI_DATA_DESTROY", [Self.g(1), 0x8000_1000], condition: "rtte_state", code: RMMEnc.errorRTT(level: 3))
    #expect(try outputs(r, "RMI_DATA_DESTROY", [Self.g(1), 0x8000_1000])[1] == 0x8000_3000)
    // rtt_walk at level 1 for an IPA inside entry 1: aligned down to 1 GB, then up to entry 2 (a TABLE).
    try r.s.expectFailure(
      "RMI_DATA_DESTROY", [Self.g(1), 0x4000_5000], condition: "rtt_walk", code: RMMEnc.errorRTT(level: 1))
    #expect(try outputs(r, "RMI_DATA_DESTROY", [Self.g(1), 0x4000_5000])[1] == 0x8000_0000)
    try r.run("RMI_DATA_DESTROY", [Self.g(1), 0x8000_0000])
    // The last ASSIGNED page: every other entry of the level-3 table is non-live.
    #expect(try outputs(r, "RMI_DATA_DESTROY", [Self.g(1), 0x8000_3000]) == [Self.g(7), 0x8000_0000 + Self.mb2])
  }

  // MARK: - RMI_RTT_FOLD

  static let foldCases: [(String, [Value], Value)] = [
    ("rd_align", [g(1) + 8, 0, 3], RMMEnc.errorInput),
    ("rd_bound", [RMMEnc.mmio, 0, 3], RMMEnc.errorInput),
    ("rd_state", [g(2), 0, 3], RMMEnc.errorInput),
    ("level_bound", [g(1), 0, 2], RMMEnc.errorInput),
    ("ipa_align", [g(1), 0x1000, 3], RMMEnc.errorInput),
    ("ipa_bound", [g(1), 0x4000, 3], RMMEnc.errorInput),
    // Entry 1 of the level-2 table (IPA 0x2000) is UNASSIGNED_NS, not a TABLE.
    ("rtte_state", [g(1), 0x2000, 3], RMMEnc.errorRTT(level: 2)),
    // The level-3 table G3 maps IPA 0 with RIPAS RAM and IPA 0x1000 with RIPAS EMPTY.
    ("rtte_homo", [g(1), 0, 3], RMMEnc.errorRTT(level: 3)),
  ]

  /// rmm-rtt: a realm (RD G1, level-2 table G2) with a level-3 table G3 at IPA 0 whose first
  /// entry has RIPAS RAM.
  static func rttRealmWithMixedTable() throws -> RMMScenario {
    var r = try RMMScenario("rmm-rtt")
    try r.createRealm(s2sz: rtt.s2sz, levelStart: rtt.start)
    try r.delegate(g(3))
    try r.run("RMI_RTT_CREATE", [g(1), g(3), 0, 3])
    try r.run("RMI_RTT_INIT_RIPAS", [g(1), 0, 0x1000])
    return r
  }

  @Test("RMI_RTT_FOLD: each failure condition in order, with its X0", arguments: foldCases)
  func foldFailures(condition: String, arguments: [Value], code: Value) throws {
    let r = try Self.rttRealmWithMixedTable()
    try r.s.expectFailure("RMI_RTT_FOLD", arguments, condition: condition, code: code)
  }

  @Test("RMI_RTT_FOLD: an all-RAM table folds into an UNASSIGNED RAM entry (whole next state), X1 = its PA")
  func foldUnassigned() throws {
    var r = try Self.rttRealmWithMixedTable()
    try r.run("RMI_RTT_INIT_RIPAS", [Self.g(1), 0x1000, 0x2000])
    let outputs = try r.s.compiled.outputs(
      r.s.state, action: try r.s.actionIndex("RMI_RTT_FOLD"), arguments: [Self.g(1), 0, 3])
    #expect(outputs == [Self.g(3)])
    try r.s.expect(
      "RMI_RTT_FOLD", [Self.g(1), 0, 3],
      changes: [
        "granuleState[3]": Enc.delegated, "rtte[2][0]": RMMEnc.unassignedRAM, "rtteAddr[2][0]": 0,
        "granuleRefcount[2]": 0, "rttLevel[3]": 0, "rtte[3][0]": RMMEnc.unassignedEmpty,
        "rtte[3][1]": RMMEnc.unassignedEmpty,
      ])
    #expect(try r.s.holds("rmm-wellformed"))
    try r.s.expectFailure("RMI_RTT_FOLD", [Self.g(1), 0, 3], condition: "rtte_state", code: RMMEnc.errorRTT(level: 2))
  }

  @Test("RMI_RTT_FOLD: an all-UNASSIGNED_NS table folds; one with an ASSIGNED_NS entry does not (no block mappings)")
  func foldUnprotected() throws {
    var r = try RMMScenario("rmm-rtt")
    try r.createRealm(s2sz: Self.rtt.s2sz, levelStart: Self.rtt.start)
    try r.delegate(Self.g(3))
    try r.run("RMI_RTT_CREATE", [Self.g(1), Self.g(3), 0x2000, 3])
    #expect(r.s.value("rtte[3][0]") == RMMEnc.unassignedNS && r.s.value("rtte[3][1]") == RMMEnc.unassignedNS)
    let empty = r.s.state
    try r.run("RMI_RTT_MAP_UNPROTECTED", [Self.g(1), 0x3000, 3, Self.g(0)])
    try r.s.expectFailure(
      "RMI_RTT_FOLD", [Self.g(1), 0x2000, 3], condition: "rtte_homo", code: RMMEnc.errorRTT(level: 3))
    r.s.state = empty
    try r.s.expect(
      "RMI_RTT_FOLD", [Self.g(1), 0x2000, 3],
      changes: [
        "granuleState[3]": Enc.delegated, "rtteAddr[2][1]": 0, "rtte[2][1]": RMMEnc.unassignedNS,
        "granuleRefcount[2]": 0, "rttLevel[3]": 0, "mappedIPA[3]": 0, "rtte[3][0]": RMMEnc.unassignedEmpty,
        "rtte[3][1]": RMMEnc.unassignedEmpty,
      ])
    #expect(try r.s.holds("rmm-wellformed"))
  }

  @Test(
    "RMI_RTT_FOLD at the full geometry: rtt_walk reports the level reached; a level-3 fold restores the level-2 entry")
  func foldFull() throws {
    var r = try Self.fullRealmWithTables()
    try r.s.expectFailure(
      "RMI_RTT_FOLD", [Self.g(1), 1 << 39, 2], condition: "rtt_walk", code: RMMEnc.errorRTT(level: 0))
    try r.s.expectFailure("RMI_RTT_FOLD", [Self.g(1), 0, 1], condition: "rtte_homo", code: RMMEnc.errorRTT(level: 1))
    try r.run("RMI_RTT_FOLD", [Self.g(1), 0x8000_0000, 3])
    #expect(try value(r, "rtte[4][0]") == RMMEnc.unassignedEmpty && value(r, "granuleState[5]") == Enc.delegated)
    #expect(try readEntry(r, 0x8000_0000, level: 3) == [2, 0, 0, 0])
    #expect(try r.s.holds("rmm-wellformed"))
  }

  // MARK: - RMI_RTT_INIT_RIPAS

  static let initRipasCases: [(String, [Value], Value)] = [
    ("rd_state", [g(3), 0, 0x1000], RMMEnc.errorInput),
    ("size_valid", [g(1), 0x1000, 0x1000], RMMEnc.errorInput),
    ("top_bound", [g(1), 0, (1 << 47) + 0x1000], RMMEnc.errorInput),
    // IPA 0x8020_0000: the walk stops at level 2 (2 MB entries).
    ("base_align", [g(1), 0x8020_1000, 0x8040_0000], RMMEnc.errorRTT(level: 2)),
    // Entry 7 of the level-3 table (IPA 0x8000_7000) is ASSIGNED.
    ("rtte_state", [g(1), 0x8000_7000, 0x8000_8000], RMMEnc.errorRTT(level: 3)),
    ("top_gran_align", [g(1), 0x8000_0000, 0x8000_0800], RMMEnc.errorInput),
    ("no_progress", [g(1), 0x8020_0000, 0x8020_1000], RMMEnc.errorRTT(level: 2)),
  ]

  @Test("RMI_RTT_INIT_RIPAS: each failure condition in order, with its X0", arguments: initRipasCases)
  func initRipasFailures(condition: String, arguments: [Value], code: Value) throws {
    var r = try Self.fullRealmWithTables()
    try r.run("RMI_DATA_CREATE_UNKNOWN", [Self.g(1), Self.g(6), 0x8000_7000])
    try r.s.expectFailure("RMI_RTT_INIT_RIPAS", arguments, condition: condition, code: code)
  }

  @Test(
    "RMI_RTT_INIT_RIPAS processes entries up to top, stops at an ASSIGNED entry and at the table's end; RIM per entry")
  func initRipasRuns() throws {
    var r = try Self.fullRealmWithTables()
    try r.run("RMI_DATA_CREATE_UNKNOWN", [Self.g(1), Self.g(6), 0x8000_7000])
    let initRipas = try r.s.actionIndex("RMI_RTT_INIT_RIPAS")
    func outTop(_ base: Value, _ top: Value) throws -> [Value] {
      try r.s.compiled.outputs(r.s.state, action: initRipas, arguments: [Self.g(1), base, top])
    }
    // Entries 0 ... 2 (up to top), RIPAS EMPTY → RAM, three measured events.
    #expect(try outTop(0x8000_0000, 0x8000_3000) == [0x8000_3000])
    try r.s.expect(
      "RMI_RTT_INIT_RIPAS", [Self.g(1), 0x8000_0000, 0x8000_3000],
      changes: [
        "rtte[5][0]": RMMEnc.unassignedRAM, "rtte[5][1]": RMMEnc.unassignedRAM, "rtte[5][2]": RMMEnc.unassignedRAM,
        "realmRIM[0]": 4,
      ])
    // From entry 2 on: entries 2 ... 6, stopping before the ASSIGNED entry 7; RAM is kept.
    #expect(try outTop(0x8000_2000, 0x8010_0000) == [0x8000_7000])
    try r.run("RMI_RTT_INIT_RIPAS", [Self.g(1), 0x8000_2000, 0x8010_0000])
    #expect(try (2...6).allSatisfy { try value(r, "rtte[5][\($0)]") == RMMEnc.unassignedRAM })
    #expect(
      try value(r, "rtte[5][7]") == RMMEnc.assignedEmpty && value(r, "realmRIM[0]") == 7, "the RIM saturates at 7")
    // The last two entries of the level-3 table: the run ends with the table.
    #expect(try outTop(0x801F_E000, 0x8040_0000) == [0x8020_0000])
    // Where the walk stops at level 2: whole 2 MB entries (1 and 2 of the level-2 table).
    #expect(try outTop(0x8020_0000, 0x8060_0000) == [0x8060_0000])
    try r.run("RMI_RTT_INIT_RIPAS", [Self.g(1), 0x8020_0000, 0x8060_0000])
    #expect(try value(r, "rtte[4][1]") == RMMEnc.unassignedRAM && value(r, "rtte[4][2]") == RMMEnc.unassignedRAM)
    #expect(try value(r, "rtte[4][3]") == RMMEnc.unassignedEmpty)
    #expect(try r.s.holds("rmm-wellformed"))
    try r.run("RMI_REALM_ACTIVATE", [Self.g(1)])
    try r.s.expectFailure(
      "RMI_RTT_INIT_RIPAS", [Self.g(1), 0x8060_0000, 0x8080_0000], condition: "realm_state", code: RMMEnc.errorRealm)
  }

  // MARK: - Random walks and step cost at the full geometry

  @Test("rmm-full: seeded random walks (300 steps) find no property violation; step times printed")
  func fullRandomWalk() throws {
    let compiled = try Self.compiledFull.get()
    let seed: UInt64 = 0x7217
    let report = explore(
      compiled,
      options: ExploreOptions(
        mode: .random, seed: seed, walks: 3, walkLength: 100, swarm: true, workers: 1,
        properties: Array(compiled.model.properties.indices)))
    print(
      "rmm-full random walks, seed \(seed): \(report.outcome), \(report.distinctStates) distinct states, "
        + "\(String(format: "%.2f", report.elapsed)) s")
    #expect(report.outcome == .noViolation, "seed \(seed): \(report.outcome)")
    // One step of the commands that write whole rows, timed (printed, never asserted).
    var r = RMMScenario(compiled: compiled)
    try r.delegate(Self.g(1))
    try r.delegate(Self.g(2))
    try r.delegate(Self.g(3))
    let clock = ContinuousClock()
    func timed(_ action: String, _ arguments: [Value]) throws {
      let index = try r.s.actionIndex(action)
      let start = clock.now
      let outcome = try compiled.step(r.s.state, action: index, arguments: r.s.complete(index, arguments))
      print("rmm-full one step of \(action): \(clock.now - start)")
      if case .succeeded(let next) = outcome { r.s.state = next } else { Issue.record("\(action): \(outcome)") }
    }
    try timed("RMI_REALM_CREATE", RMMScenario.realmCreate(s2sz: Self.full.s2sz, levelStart: Self.full.start))
    try timed("RMI_RTT_CREATE", [Self.g(1), Self.g(3), 0, 1])
    try timed("RMI_RTT_INIT_RIPAS", [Self.g(1), 0, 1 << 38])
    try timed("RMI_RTT_DESTROY", [Self.g(1), 0, 1])
    let property = try #require(compiled.model.properties.firstIndex { $0.name == "rmm-wellformed" })
    let start = clock.now
    #expect(try compiled.holds(property, in: r.s.state))
    print("rmm-full rmm-wellformed on one state: \(clock.now - start)")
  }
}
