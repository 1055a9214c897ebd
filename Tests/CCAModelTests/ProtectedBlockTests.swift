import CCAModel
import Explore
import Spec
import Testing

/// The granules of the `blocks-setup` start state, written out independently of the model.
enum BlocksEnc {
  static let g: [Value] = (0..<7).map { 0x8000_0000 + Value($0) * 0x1000 }
  static var buffer: Value { g[0] }
  static var rd: Value { g[1] }
  static var rtt2: Value { g[2] }
  static var rtt3: Value { g[3] }
  static var data0: Value { g[4] }
  static var data1: Value { g[5] }
  static var rec: Value { g[6] }
  static let delegated: Value = 1
  static let assignedDestroyed: Value = 5
  /// RMI_RTT_READ_ENTRY's RMI_ASSIGNED and RMI_RAM.
  static let entryAssigned: Value = 1
  static let ripasRAM: Value = 1
  static let lineDirty: Value = 2
}

@Suite("Protected block mappings (blocks)")
struct ProtectedBlockTests {
  /// Boot to the `blocks-setup` start state on `rmm-blocks` with 7 granules (13 calls).
  static func setUp(_ r: inout RMMScenario) throws {
    for g in BlocksEnc.g.dropFirst() { try r.delegate(g) }
    try r.run(
      "RMI_REALM_CREATE",
      RMMScenario.realmCreate(
        rd: BlocksEnc.rd, params: BlocksEnc.buffer, s2sz: 14, rtt: BlocksEnc.rtt2, levelStart: 2))
    try r.run("RMI_RTT_CREATE", [BlocksEnc.rd, BlocksEnc.rtt3, 0x0, 3])
    try r.run("RMI_DATA_CREATE", [BlocksEnc.rd, BlocksEnc.data0, 0x0, BlocksEnc.buffer, 0])
    try r.run("RMI_DATA_CREATE", [BlocksEnc.rd, BlocksEnc.data1, 0x1000, BlocksEnc.buffer, 0])
    try r.run("RMI_REC_CREATE", [BlocksEnc.rd, BlocksEnc.rec, BlocksEnc.buffer, 1, 0, 0])
    try r.run("RMI_REALM_ACTIVATE", [BlocksEnc.rd])
    try r.run("RMI_REC_ENTER", [0, BlocksEnc.rec, BlocksEnc.buffer, 0])
  }

  @Test("rmm-blocks-setup starts exactly where the 13 calls from boot on rmm-blocks with 7 granules stand")
  func setupStateIsReachable() throws {
    var configuration = try #require(CCA.family.configuration(named: "rmm-blocks"))
    configuration.bounds["granules"] = 7
    var boot = try RMMScenario(configuration: configuration)
    try Self.setUp(&boot)
    let setup = try Scenario("rmm-blocks-setup")
    #expect(setup.slots(setup.state) == boot.s.slots(boot.s.state))
  }

  @Test("RTT_FOLD makes a level-2 ASSIGNED block that keeps the table link's reference; accesses reach each page")
  func foldAndAccess() throws {
    var r = try RMMScenario("rmm-blocks-setup")
    try r.run("RMI_RTT_FOLD", [BlocksEnc.rd, 0x0, 3])
    // The level-3 RTT (granule 3) is DELEGATED again; the starting table's entry 0 is the block.
    #expect(r.s.value("granuleState[3]") == BlocksEnc.delegated)
    #expect(r.s.value("rtte[2][0]") == RMMEnc.assignedRAM)
    #expect(r.s.value("rtteAddr[2][0]") == 4)
    #expect(r.s.value("granuleRefcount[2]") == 1)
    #expect(try r.s.holds("rmm-wellformed"))
    // The walk stops at the block: RTT_READ_ENTRY reports level 2, the block's PA and its RIPAS.
    #expect(
      try r.s.outputs("RMI_RTT_READ_ENTRY", [BlocksEnc.rd, 0x1000, 3])
        == ["x1": 2, "x2": BlocksEnc.entryAssigned, "x3": BlocksEnc.data0, "x4": BlocksEnc.ripasRAM])
    // A realm write at 0x1000 reaches data1 (granule 5), the page at the block's offset.
    try r.run("REALM_WRITE", [0, 0x1000])
    #expect(r.s.value("cacheLine[5][Realm]") == BlocksEnc.lineDirty)
    #expect(r.s.value("cacheLine[4][Realm]") != BlocksEnc.lineDirty)
    #expect(try r.s.holds("realm-isolation"))
  }

  @Test("RTT_CREATE under the block splits it into two pages holding a reference each; DATA_DESTROY works again")
  func unfold() throws {
    var r = try RMMScenario("rmm-blocks-setup")
    try r.run("RMI_RTT_FOLD", [BlocksEnc.rd, 0x0, 3])
    try r.s.expectFailure(
      "RMI_DATA_DESTROY", [BlocksEnc.rd, 0x1000], condition: "rtt_walk", code: RMMEnc.errorRTT(level: 2))
    try r.run("RMI_RTT_CREATE", [BlocksEnc.rd, BlocksEnc.rtt3, 0x0, 3])
    #expect(r.s.value("granuleRefcount[3]") == 2)
    #expect(r.s.value("granuleRefcount[2]") == 1)
    #expect(r.s.value("rtte[3][1]") == RMMEnc.assignedRAM)
    #expect(r.s.value("rtteAddr[3][1]") == 5)
    #expect(try r.s.holds("rmm-wellformed"))
    try r.run("RMI_DATA_DESTROY", [BlocksEnc.rd, 0x1000])
    #expect(r.s.value("granuleState[5]") == BlocksEnc.delegated)
    #expect(r.s.value("granuleRefcount[3]") == 1)
    #expect(try r.s.holds("rmm-wellformed"))
  }

  @Test("rtte_homo: an ASSIGNED table with two RIPAS values, or not contiguous, does not fold")
  func notHomogeneous() throws {
    var r = try RMMScenario("rmm-blocks-setup")
    try r.run("REC_EXIT", [0, 1])
    // RIPAS EMPTY for page 1 (RTT_SET_RIPAS needs a REC request; DATA_DESTROY + CREATE_UNKNOWN gives
    // ASSIGNED DESTROYED): the entries differ.
    try r.run("RMI_DATA_DESTROY", [BlocksEnc.rd, 0x1000])
    try r.run("RMI_DATA_CREATE_UNKNOWN", [BlocksEnc.rd, BlocksEnc.data1, 0x1000])
    #expect(r.s.value("rtte[3][1]") == BlocksEnc.assignedDestroyed)
    try r.s.expectFailure(
      "RMI_RTT_FOLD", [BlocksEnc.rd, 0x0, 3], condition: "rtte_homo", code: RMMEnc.errorRTT(level: 3))
  }
}
