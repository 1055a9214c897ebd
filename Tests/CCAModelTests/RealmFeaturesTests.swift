import CCAModel
import Explore
import Spec
import Testing

/// RmiFeatureRegister0 fields and the RealmParams, RecRun.enter GIC and PSCI values, written out
/// independently of the model (reference/rmm.md §1.6, §2.2, §2.5, §2.11, §5; TF-RMM
/// rmm-spec-v1.0-rel0's host build for the implementation-defined values).
enum FeatureEnc {
  /// Register 0 at s2sz 13: NUM_BPS 1 [19:14], NUM_WPS 1 [25:20], PMU_EN [26], PMU_NUM_CTRS 31
  /// [31:27], HASH_SHA_256 [32], HASH_SHA_512 [33], GICV3_NUM_LRS 0, MAX_RECS_ORDER 10 [41:38].
  static let register0AtS2SZ13: Value = 13 | 1 << 14 | 1 << 20 | 1 << 26 | 31 << 27 | 1 << 32 | 1 << 33 | 10 << 38
  static let flagLPA2: Value = 1
  static let flagSVE: Value = 2
  static let flagPMU: Value = 4
  static let lrPending: Value = 1 << 62
  static let lrHW: Value = 1 << 61
  static let lrEOI: Value = 1 << 41
  static let psciNotSupported: Value = 0xFFFF_FFFF_FFFF_FFFF
  static let psciVersion: Value = 0x8400_0000
  static let cpuSuspend: Value = 0xC400_0001
}

@Suite("RMI_FEATURES, RealmParams features, the REC's GIC state, PSCI_VERSION / FEATURES / CPU_SUSPEND")
struct RealmFeaturesTests {
  /// REALM_CREATE's arguments at rmm-small with the feature fields (flags, sve_vl, num_bps,
  /// num_wps, pmu_num_ctrs) after the eight the other tests pass.
  static func create(flags: Value = 0, sveVL: Value = 0, bps: Value = 1, wps: Value = 1, ctrs: Value = 0) -> [Value] {
    RMMScenario.realmCreate(s2sz: 13, levelStart: 3) + [flags, sveVL, bps, wps, ctrs]
  }

  @Test("RMI_FEATURES register 0 is TF-RMM's host build's but for LPA2, at the geometry's S2SZ")
  func register0() throws {
    let r = try RMMScenario("rmm-small")
    #expect(try r.s.outputs("RMI_FEATURES", [0]) == ["x1": FeatureEnc.register0AtS2SZ13])
  }

  @Test(
    "RMI_REALM_CREATE params_supp: each unsupported RealmParams feature fails after params_valid and before alias",
    arguments: [
      ("LPA2", RealmFeaturesTests.create(flags: FeatureEnc.flagLPA2)),
      ("SVE", RealmFeaturesTests.create(flags: FeatureEnc.flagSVE)),
      ("PMU counters above 31", RealmFeaturesTests.create(flags: FeatureEnc.flagPMU, ctrs: 32)),
      ("PMU with 0 counters, no FEAT_HPMN0", RealmFeaturesTests.create(flags: FeatureEnc.flagPMU, ctrs: 0)),
      ("num_bps 0", RealmFeaturesTests.create(bps: 0)), ("num_bps 2", RealmFeaturesTests.create(bps: 2)),
      ("num_wps 0", RealmFeaturesTests.create(wps: 0)),
      ("num_wps 2", RealmFeaturesTests.create(wps: 2)),
    ])
  func paramsSupp(label: String, arguments: [Value]) throws {
    var r = try RMMScenario("rmm-small")
    try r.delegate(RMMEnc.g1)
    try r.delegate(RMMEnc.g2)
    try r.s.expectFailure("RMI_REALM_CREATE", arguments, condition: "params_supp", code: RMMEnc.errorInput)
    // A second fault that comes later (alias: rd = rtt_base) does not win.
    var aliased = arguments
    aliased[5] = RMMEnc.g1
    try r.s.expectFailure("RMI_REALM_CREATE", aliased, condition: "params_supp", code: RMMEnc.errorInput)
    // One that comes earlier (params_valid: hash algorithm 2) does.
    var invalid = arguments
    invalid[2] = 2
    try r.s.expectFailure("RMI_REALM_CREATE", invalid, condition: "params_valid", code: RMMEnc.errorInput)
  }

  @Test("RMI_REALM_CREATE accepts a PMU realm with 1 ... 31 counters, and ignores sve_vl without flags.SVE")
  func supportedFeatures() throws {
    for (ctrs, sveVL) in [(Value(1), Value(15)), (31, 0)] {
      var r = try RMMScenario("rmm-small")
      try r.delegate(RMMEnc.g1)
      try r.delegate(RMMEnc.g2)
      try r.run("RMI_REALM_CREATE", Self.create(flags: FeatureEnc.flagPMU, sveVL: sveVL, ctrs: ctrs))
      #expect(r.s.value("realmState", [0]) == RMMEnc.realmNew)
    }
  }

  @Test(
    "RMI_REC_ENTER rec_gicv3: an ICH_HCR_EL2 bit the host may not set, or a bad pending list register",
    arguments: [
      ([Value(1), 0], "En"), ([0x1_0000, 0], "a bit above TDIR"),
      ([0, FeatureEnc.lrPending | FeatureEnc.lrHW | 27], "HW"),
      ([0, FeatureEnc.lrPending | 1020], "vINTID 1020"), ([0, FeatureEnc.lrPending | 0x1_0000], "vINTID 65536"),
      ([0, FeatureEnc.lrPending | 1 << 48 | 27], "a RES0 priority bit"),
      ([0, FeatureEnc.lrPending | 1 << 32 | 27], "a pINTID bit"),
    ])
  func recGICv3(gic: [Value], label: String) throws {
    var r = try RMMScenario(granules: 4, recs: 1)
    try r.realmWithRECs(1)
    try r.s.expectFailure(
      "RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0] + gic, condition: "rec_gicv3", code: RMMEnc.errorREC)
    // rec_mmio (EMUL_MMIO) comes first in the model's order of the REC errors.
    try r.s.expectFailure(
      "RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 1] + gic, condition: "rec_mmio", code: RMMEnc.errorREC)
  }

  @Test("RMI_REC_ENTER accepts host-settable ICH_HCR_EL2 bits and valid or Invalid-state list registers")
  func recGICv3Valid() throws {
    let valid: [[Value]] = [
      [0x40FE, FeatureEnc.lrPending | 0xF8 << 48 | FeatureEnc.lrEOI | 1019],
      [0, FeatureEnc.lrPending | 8192], [0, FeatureEnc.lrHW | 1020],
    ]
    for gic in valid {
      var r = try RMMScenario(granules: 4, recs: 1)
      try r.realmWithRECs(1)
      try r.run("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0] + gic)
      #expect(r.s.value("peRunning", [0]) == 1)
    }
  }

  @Test("PSCI_VERSION returns 1.1, PSCI_FEATURES answers per function, neither changes the state")
  func psciVersionFeatures() throws {
    var r = try RMMScenario(granules: 4, recs: 1)
    try r.realmWithRECs(1)
    try r.run("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0])
    #expect(try r.s.model.actions[r.s.actionIndex("PSCI_VERSION")].successCode == 0x1_0001)
    try r.s.expect("PSCI_VERSION", [0], changes: [:])
    for fid in [
      RECEnc.cpuOn, 0x8400_0003, RECEnc.cpuOff, FeatureEnc.cpuSuspend, 0x8400_000A, 0x8000_0000, 0xFFFF_FFFF_C400_0004,
    ] {
      try r.s.expect("PSCI_FEATURES", [0, fid], changes: [:])
    }
    for fid in [FeatureEnc.psciVersion, 0xC400_0002, 0x8400_0005] {
      try r.s.expectFailure("PSCI_FEATURES", [0, fid], condition: "not_supported", code: FeatureEnc.psciNotSupported)
    }
  }

  @Test("PSCI_CPU_SUSPEND exits to the host with RMI_EXIT_PSCI, nothing pending; the next entry returns PSCI_SUCCESS")
  func cpuSuspend() throws {
    var r = try RMMScenario(granules: 4, recs: 1)
    try r.realmWithRECs(1)
    try r.run("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0])
    #expect(
      try r.s.outputs("PSCI_CPU_SUSPEND", [0, 0x1_0000, 0, 0])
        == ["exit_reason": RECEnc.exitPSCI, "exit_gprs0": FeatureEnc.cpuSuspend, "exit_gprs1": 0x1_0000])
    try r.s.expect(
      "PSCI_CPU_SUSPEND", [0, 0x1_0000, 0, 0], changes: ["granuleRefcount[3]": 0, "peRunning[0]": 0, "peREC[0]": 0])
    #expect(try r.s.outputs("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0])["realm_x0"] == RECEnc.psciSuccess)
    try r.run("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0])
  }
}
