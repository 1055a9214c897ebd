import CCAModel
import Explore
import Spec
import Testing

/// An `rmm-*-mec` scenario: REALM_CREATE takes params_mecid after the RMM 1.0 parameters.
extension RMMScenario {
  /// RealmParams arguments with a MECID (rmm-small geometry: s2sz 13, level 3).
  static func realmCreate(rd: Value = RMMEnc.g1, vmid: Value = 0, rtt: Value = RMMEnc.g2, mecid: Value) -> [Value] {
    realmCreate(rd: rd, s2sz: 13, vmid: vmid, rtt: rtt, levelStart: 3) + [mecid]
  }

  /// Delegates G1 and G2 and creates realm `vmid` with MECID `mecid`.
  mutating func createRealm(mecid: Value, vmid: Value = 0) throws {
    try delegate(RMMEnc.g1)
    try delegate(RMMEnc.g2)
    try run("RMI_REALM_CREATE", Self.realmCreate(vmid: vmid, mecid: mecid))
  }
}

extension Scenario {
  /// ``expect(_:_:changes:sourceLocation:)`` for the MEC tests: the whole next state except the
  /// RTT's own slots (`rtte…`, `rttLevel…`), whose representation RMMCommandTests and the RTT
  /// tests own; every other slot that differs must be listed, with its value.
  mutating func expectOutsideRTT(
    _ action: String, _ arguments: [Value], changes: [String: Value], sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let index = try actionIndex(action)
    let outcome = try compiled.step(state, action: index, arguments: complete(index, arguments))
    guard case .succeeded(let next) = outcome else {
      Issue.record("\(action) gave \(outcome)", sourceLocation: sourceLocation)
      return
    }
    let before = slots(state)
    let diff = slots(next).filter {
      before[$0.key] != $0.value && !$0.key.hasPrefix("rtte") && !$0.key.hasPrefix("rttLevel")
    }
    #expect(diff == changes, "\(action): changed slots", sourceLocation: sourceLocation)
    state = next
  }
}

@Suite("MEC: RMI_MEC_SET_SHARED / PRIVATE, REALM_CREATE / DESTROY with MECIDs, mec-unique")
struct MECCommandTests {
  static let input = RMMEnc.errorInput  // X0 = RMI_ERROR_INPUT | 0 << 8

  @Test("RMI_FEATURES index 1 reports MAX_MECID with FEAT_MEC, 0 without")
  func featureRegister1() throws {
    for (configuration, expected) in [("rmm-small-mec", Value(1)), ("rmm-small", Value(0))] {
      let s = try Scenario(configuration)
      let outputs = try s.compiled.outputs(s.state, action: try s.actionIndex("RMI_FEATURES"), arguments: [1])
      #expect(outputs == [expected], "\(configuration)")
    }
  }

  @Test("RMI_MEC_SET_SHARED: mecid_bound, then state (not PRIVATE_UNASSIGNED, or a Shared MEC exists)")
  func setSharedFailures() throws {
    var r = try RMMScenario("rmm-small-mec")
    try r.s.expectFailure("RMI_MEC_SET_SHARED", [2], condition: "mecid_bound", code: Self.input)
    try r.s.expect("RMI_MEC_SET_SHARED", [0], changes: ["mecState[0]": EncryptionEnc.shared])
    try r.s.expectFailure("RMI_MEC_SET_SHARED", [0], condition: "state", code: Self.input)
    try r.s.expectFailure("RMI_MEC_SET_SHARED", [1], condition: "state", code: Self.input)
    // A MECID a realm holds privately cannot become shared.
    var p = try RMMScenario("rmm-small-mec")
    try p.createRealm(mecid: 1)
    try p.s.expectFailure("RMI_MEC_SET_SHARED", [1], condition: "state", code: Self.input)
  }

  @Test("RMI_MEC_SET_PRIVATE: mecid_bound, state (not SHARED), members (a realm uses it); success re-keys")
  func setPrivate() throws {
    var r = try RMMScenario("rmm-small-mec")
    try r.s.expectFailure("RMI_MEC_SET_PRIVATE", [7], condition: "mecid_bound", code: Self.input)
    try r.s.expectFailure("RMI_MEC_SET_PRIVATE", [0], condition: "state", code: Self.input)
    try r.run("RMI_MEC_SET_SHARED", [0])
    try r.createRealm(mecid: 0)
    #expect(r.s.value("mecSharedMembers") == 1)
    #expect(r.s.value("mecState[0]") == EncryptionEnc.shared)
    try r.s.expectFailure("RMI_MEC_SET_PRIVATE", [0], condition: "members", code: Self.input)
    // The realm leaves the Shared MEC: its key is kept (TF-RMM refreshes only private MECIDs).
    try r.s.expectOutsideRTT(
      "RMI_REALM_DESTROY", [RMMEnc.g1],
      changes: [
        "granuleState[1]": Enc.delegated, "granuleState[2]": Enc.delegated,
        "realmState[0]": 3, "realmRD[0]": 0, "realmRTTBase[0]": 0, "realmRIM[0]": 0, "mecSharedMembers": 0,
        "memoryContext[2]": EncryptionEnc.contextRMM,
      ])
    #expect(r.s.value("mecKeyUsed[0]") == 1)
    try r.s.expect(
      "RMI_MEC_SET_PRIVATE", [0],
      changes: ["mecState[0]": EncryptionEnc.privateUnassigned, "mecKeyUsed[0]": 0])
    #expect(try r.s.holds("mec-unique"))
  }

  @Test("RMI_REALM_CREATE: params_supp (mecid > MAX_MECID) after params_valid and before alias")
  func realmCreateParamsSupp() throws {
    var r = try RMMScenario("rmm-small-mec")
    try r.delegate(RMMEnc.g1)
    try r.delegate(RMMEnc.g2)
    var invalidHash = RMMScenario.realmCreate(mecid: 2)
    invalidHash[2] = 2
    try r.s.expectFailure("RMI_REALM_CREATE", invalidHash, condition: "params_valid", code: Self.input)
    try r.s.expectFailure(
      "RMI_REALM_CREATE", RMMScenario.realmCreate(rtt: RMMEnc.g1, mecid: 2), condition: "params_supp",
      code: Self.input)
    try r.s.expectFailure(
      "RMI_REALM_CREATE", RMMScenario.realmCreate(rtt: RMMEnc.g1, mecid: 1), condition: "alias", code: Self.input)
  }

  @Test("RMI_REALM_CREATE: params_supp when the MEC is PRIVATE_ASSIGNED to another realm")
  func realmCreatePrivateAssigned() throws {
    var r = try RMMScenario("rmm-reuse-mec")
    try r.createRealm(mecid: 1, vmid: 0)
    try r.delegate(RMMEnc.g3)
    try r.delegate(0x8000_4000)
    try r.s.expectFailure(
      "RMI_REALM_CREATE", RMMScenario.realmCreate(rd: RMMEnc.g3, vmid: 1, rtt: 0x8000_4000, mecid: 1),
      condition: "params_supp", code: Self.input)
    try r.s.expectOutsideRTT(
      "RMI_REALM_CREATE", RMMScenario.realmCreate(rd: RMMEnc.g3, vmid: 1, rtt: 0x8000_4000, mecid: 0),
      changes: [
        "granuleState[3]": RMMEnc.rd, "granuleState[4]": RMMEnc.rtt, "granuleOwner[3]": 1, "granuleOwner[4]": 1,
        "memory[3]": Enc.zero, "memory[4]": Enc.zero, "memoryContext[3]": EncryptionEnc.contextRMM,
        "memoryContext[4]": EncryptionEnc.contextMECID(0), "realmState[1]": RMMEnc.realmNew, "realmRD[1]": 3,
        "realmRTTBase[1]": 4, "realmRIM[1]": 1, "mecState[0]": EncryptionEnc.privateAssigned, "mecKeyUsed[0]": 1,
      ])
    #expect(try r.s.holds("mec-unique"))
  }

  @Test("RMI_REALM_CREATE / DESTROY with a private MECID: assigned, then refreshed and released (whole states)")
  func privateLifecycle() throws {
    var r = try RMMScenario("rmm-small-mec")
    try r.delegate(RMMEnc.g1)
    try r.delegate(RMMEnc.g2)
    try r.s.expectOutsideRTT(
      "RMI_REALM_CREATE", RMMScenario.realmCreate(mecid: 1),
      changes: [
        "granuleState[1]": RMMEnc.rd, "granuleState[2]": RMMEnc.rtt, "memory[1]": Enc.zero, "memory[2]": Enc.zero,
        "memoryContext[1]": EncryptionEnc.contextRMM, "memoryContext[2]": EncryptionEnc.contextMECID(1),
        "realmState[0]": RMMEnc.realmNew, "realmRD[0]": 1, "realmRTTBase[0]": 2, "realmRIM[0]": 1,
        "realmMECID[0]": 1, "mecState[1]": EncryptionEnc.privateAssigned, "mecKeyUsed[1]": 1,
      ])
    #expect(try r.s.holds("mec-unique"))
    try r.s.expectOutsideRTT(
      "RMI_REALM_DESTROY", [RMMEnc.g1],
      changes: [
        "granuleState[1]": Enc.delegated, "granuleState[2]": Enc.delegated,
        "memoryContext[2]": EncryptionEnc.contextRMM,
        "realmState[0]": 3, "realmRD[0]": 0, "realmRTTBase[0]": 0, "realmRIM[0]": 0, "realmMECID[0]": 0,
        "mecState[1]": EncryptionEnc.privateUnassigned, "mecKeyUsed[1]": 0,
      ])
    #expect(try r.s.holds("mec-unique"))
  }

  @Test("the refresh turns memory under the old key into CIPHERTEXT and drops Realm lines tagged with it")
  func refreshRekeys() throws {
    var r = try RMMScenario("rmm-small-mec")
    try r.createRealm(mecid: 1)
    // Craft leftovers of the realm under MECID 1: memory of G3 and a dirty Realm line of G0.
    try r.s.set([
      "memory[3]": Enc.realm0, "memoryContext[3]": EncryptionEnc.contextMECID(1), "cacheLine[0][Realm]": Enc.dirty,
      "cacheData[0][Realm]": Enc.realm0, "realmLineContext[0]": EncryptionEnc.contextMECID(1),
    ])
    try r.run("RMI_REALM_DESTROY", [RMMEnc.g1])
    #expect(r.s.value("memory[3]") == EncryptionEnc.ciphertext1)
    #expect(r.s.value("memory[0]") == EncryptionEnc.ciphertext1)
    #expect(r.s.value("memoryContext[0]") == EncryptionEnc.contextMECID(1))
    #expect(r.s.value("cacheLine[0][Realm]") == Enc.invalid)
    #expect(r.s.value("realmLineContext[0]") == EncryptionEnc.contextRMM)
    // Without the refresh (the mutant) the leftovers keep the old key, and mec-unique fails.
    var m = try RMMScenario("rmm-small-mec", mutant: "mecid-reused-without-refresh")
    try m.createRealm(mecid: 1)
    try m.s.set(["memory[3]": Enc.realm0, "memoryContext[3]": EncryptionEnc.contextMECID(1)])
    try m.run("RMI_REALM_DESTROY", [RMMEnc.g1])
    #expect(m.s.value("memory[3]") == Enc.realm0)
    #expect(try !m.s.holds("mec-unique"))
  }

  @Test("mec-set-private-ignores-members: a Shared MEC with a member becomes private, mec-unique fails")
  func setPrivateIgnoresMembers() throws {
    var r = try RMMScenario("rmm-small-mec", mutant: "mec-set-private-ignores-members")
    try r.run("RMI_MEC_SET_SHARED", [0])
    try r.createRealm(mecid: 0)
    #expect(try r.s.holds("mec-unique"))
    try r.run("RMI_MEC_SET_PRIVATE", [0])
    #expect(try !r.s.holds("mec-unique"))
  }

  @Test(
    "the correct model with MEC: bounded BFS finds no violation of any property (mec-unique included)",
    arguments: ["rmm-small-mec", "rmm-reuse-mec", "rmm-small-per-pas"])
  func correctModelBounded(configuration: String) throws {
    try RMMCommandTests().correctModelBounded(configuration: configuration)
  }

  // MARK: - reuse-without-scrub

  /// Realm A (VMID 0) gets a DATA page at IPA 0, destroys it and is destroyed; realm B (VMID 1) sets IPA 0's RIPAS to
  /// RAM, is given the same granule with DATA_CREATE_UNKNOWN and reads IPA 0.
  ///
  /// G0 stays Non-secure (RealmParams, the DATA source, RecRun); G1 is each realm's RD, G2 its RTT, G3 the DATA page,
  /// G4 B's REC. With FEAT_MEC each REALM_CREATE takes the given MECID.
  static func reuse(_ configuration: String, mutant: String?, mecids: (Value, Value)? = nil, shared: Bool = false)
    throws -> RMMScenario
  {
    var r = try RMMScenario(configuration, mutant: mutant)
    let g4: Value = 0x8000_4000
    if shared { try r.run("RMI_MEC_SET_SHARED", [0]) }
    func create(vmid: Value, mecid: Value?) -> [Value] {
      RMMScenario.realmCreate(s2sz: 13, vmid: vmid, levelStart: 3) + (mecid.map { [$0] } ?? [])
    }
    for g in [RMMEnc.g1, RMMEnc.g2, RMMEnc.g3] { try r.delegate(g) }
    try r.run("RMI_REALM_CREATE", create(vmid: 0, mecid: mecids?.0))
    try r.run("RMI_DATA_CREATE", [RMMEnc.g1, RMMEnc.g3, 0, RMMEnc.g0, 0])
    try r.run("RMI_DATA_DESTROY", [RMMEnc.g1, 0])
    try r.run("RMI_REALM_DESTROY", [RMMEnc.g1])
    try r.delegate(g4)
    try r.run("RMI_REALM_CREATE", create(vmid: 1, mecid: mecids?.1))
    try r.run("RMI_RTT_INIT_RIPAS", [RMMEnc.g1, 0, 0x1000])
    try r.run("RMI_DATA_CREATE_UNKNOWN", [RMMEnc.g1, RMMEnc.g3, 0])
    try r.run("RMI_REC_CREATE", [RMMEnc.g1, g4, RMMEnc.g0, 1, 0, 0])
    try r.run("RMI_REALM_ACTIVATE", [RMMEnc.g1])
    try r.run("RMI_REC_ENTER", [0, g4, RMMEnc.g0, 0])
    try r.run("REALM_READ", [0, 0])
    return r
  }

  @Test("reuse-without-scrub: realm B reads realm A's plaintext under none and per-pas, CIPHERTEXT under MEC")
  func reuseWithoutScrub() throws {
    for configuration in ["rmm-reuse", "rmm-reuse-per-pas"] {
      let leak = try Self.reuse(configuration, mutant: "reuse-without-scrub")
      #expect(leak.s.value("cacheData[3][Realm]") == Enc.realm0, "\(configuration)")
      #expect(try !leak.s.holds("realm-isolation"), "\(configuration)")
      let correct = try Self.reuse(configuration, mutant: nil)
      #expect(correct.s.value("cacheData[3][Realm]") == Enc.zero, "\(configuration)")
      #expect(try correct.s.holds("realm-isolation"), "\(configuration)")
    }
    // Private MECIDs: a different key, or the same MECID after its refresh.
    for mecids in [(Value(0), Value(1)), (Value(1), Value(1))] {
      let r = try Self.reuse("rmm-reuse-mec", mutant: "reuse-without-scrub", mecids: mecids)
      #expect(r.s.value("cacheData[3][Realm]") == EncryptionEnc.ciphertext2, "MECIDs \(mecids)")
      #expect(try r.s.holds("realm-isolation"), "MECIDs \(mecids)")
    }
    // The Shared MEC keeps its key while members come and go (TF-RMM 1.x): MEC does not help.
    let shared = try Self.reuse("rmm-reuse-mec", mutant: "reuse-without-scrub", mecids: (0, 0), shared: true)
    #expect(shared.s.value("cacheData[3][Realm]") == Enc.realm0)
    #expect(try !shared.s.holds("realm-isolation"))
  }
}
