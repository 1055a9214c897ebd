import CCAModel
import Explore
import Spec
import Testing

/// Encodings with `mecid-lines` (rmm-reuse-mec-lines: two realms, MAX_MECID 1), written out
/// independently of the model.
enum MECIDLinesEnc {
  /// Line keys: NS and Realm (MECID 0) are the PAS values; Realm_MECID_m = 4 + m.
  static let realmMECID1 = "Realm_MECID_1"
  static let g3: Value = 0x8000_3000
  static let g4: Value = 0x8000_4000
}

@Suite("MECID-tagged lines: copies per MECID, write-back under the line's MECID, DC CIPAE / CIPAPA of every copy")
struct MECIDLinesTests {
  /// Realm A (VMID 0, private MECID 1) with a DATA page at IPA 0 (G3) and a REC (G4), running on PE 0, writes the page:
  /// a dirty Realm line under MECID 1.
  ///
  /// Then the hardware fills the MECID-0 copy of G3 (what a prefetch through the RMM's mapping would do).
  static func written(mutant: String? = nil) throws -> RMMScenario {
    var r = try RMMScenario("rmm-reuse-mec-lines", mutant: mutant)
    for g in [RMMEnc.g1, RMMEnc.g2, MECIDLinesEnc.g3, MECIDLinesEnc.g4] { try r.delegate(g) }
    try r.run("RMI_REALM_CREATE", RMMScenario.realmCreate(s2sz: 13, vmid: 0, levelStart: 3) + [1])
    try r.run("RMI_RTT_INIT_RIPAS", [RMMEnc.g1, 0, 0x1000])
    try r.run("RMI_DATA_CREATE_UNKNOWN", [RMMEnc.g1, MECIDLinesEnc.g3, 0])
    try r.run("RMI_REC_CREATE", [RMMEnc.g1, MECIDLinesEnc.g4, RMMEnc.g0, 1, 0, 0])
    try r.run("RMI_REALM_ACTIVATE", [RMMEnc.g1])
    try r.run("RMI_REC_ENTER", [0, MECIDLinesEnc.g4, RMMEnc.g0, 0])
    try r.run("REALM_WRITE", [0, 0])
    try r.run("SPECULATIVE_FILL", [3, Enc.realmPAS])
    return r
  }

  /// What RMI_DATA_DESTROY of G3 changes in both models (outside the RTT): G3 is DELEGATED, the
  /// table's reference count drops, and the MECID-0 copy is gone (cleaned, or overwritten and
  /// cleaned by the mutant's zeroing).
  static let destroyed: [String: Value] = [
    "granuleState[3]": Enc.delegated, "granuleRefcount[2]": 0, "cacheLine[3][Realm]": Enc.invalid,
    "cacheData[3][Realm]": Enc.zero,
  ]

  @Test("the line keys: NS, Realm (MECID 0) and one Realm line per realm MECID; other configurations keep two")
  func lineKeys() throws {
    let tagged = try #require(CCA.family.configuration(named: "rmm-reuse-mec-lines"))
    let model = try CCA.family.build(tagged)
    let line = try #require(model.variable(named: "cacheLine"))
    guard case .finite(let keys) = model[line].keys[1] else { Issue.record("not finite"); return }
    #expect(keys.values == [Enc.nsPAS, Enc.realmPAS, 4, 5])
    #expect(keys.label(of: 5) == MECIDLinesEnc.realmMECID1)
    #expect(model.variable(named: "realmLineContext") == nil)
    let plain = try CCA.family.build(try #require(CCA.family.configuration(named: "rmm-reuse-mec")))
    let plainLine = try #require(plain.variable(named: "cacheLine"))
    guard case .finite(let plainKeys) = plain[plainLine].keys[1] else { Issue.record("not finite"); return }
    #expect(plainKeys.values == [Enc.nsPAS, Enc.realmPAS])
  }

  @Test("mecid-lines without per-realm or rmm is a located configuration error")
  func needsPerRealm() throws {
    for features in [[CCA.Feature.rmm, CCA.Feature.mecidLines], [CCA.Feature.perRealm, CCA.Feature.mecidLines]] {
      let c = Configuration(name: "bad", bounds: [:], features: Set(features))
      #expect(throws: ModelError.self) { try CCA.family.build(c) }
      do {
        _ = try CCA.family.build(c)
      } catch {
        #expect("\(error)".contains("configuration bad"), "\(error)")
        #expect("\(error)".contains("mecid-lines"), "\(error)")
      }
    }
  }

  @Test("two copies coexist; the release's DC CIPAE writes the realm's back under its MECID; undelegate scrubs")
  func correctRelease() throws {
    var r = try Self.written()
    // The realm's copy under MECID 1 holds its data; the MECID-0 copy holds memory (zeroes
    // written under MECID 1) decrypted under MECID 0: ciphertext.
    #expect(r.s.value("cacheLine[3][Realm_MECID_1]") == Enc.dirty)
    #expect(r.s.value("cacheData[3][Realm_MECID_1]") == Enc.realm0)
    #expect(r.s.value("cacheLine[3][Realm]") == Enc.clean)
    #expect(r.s.value("cacheData[3][Realm]") == EncryptionEnc.ciphertext2)
    #expect(r.s.value("memoryContext[3]") == EncryptionEnc.contextMECID(1))
    try r.s.expectOutsideRTT(
      "RMI_DATA_DESTROY", [RMMEnc.g1, 0],
      changes: Self.destroyed.merging([
        "memory[3]": Enc.realm0, "cacheLine[3][Realm_MECID_1]": Enc.invalid, "cacheData[3][Realm_MECID_1]": Enc.zero,
      ]) { _, new in new })
    #expect(try r.s.holds("no-stale-realm-copy"))
    #expect(try r.s.holds("delegated-clean"))
    try r.run("RMI_GRANULE_UNDELEGATE", [0, MECIDLinesEnc.g3])
    #expect(r.s.value("memory[3]") == Enc.zero)
    #expect(r.s.value("memoryContext[3]") == EncryptionEnc.contextRMM)
    #expect(try r.s.holds("no-stale-realm-copy"))
    #expect(try r.s.holds("delegated-clean"))
  }

  @Test(
    "release-scrub-under-rmm-mecid: the realm's dirty copy survives, then EL3's clean writes it back over the scrub")
  func mutantRelease() throws {
    var r = try Self.written(mutant: "release-scrub-under-rmm-mecid")
    try r.s.expectOutsideRTT(
      "RMI_DATA_DESTROY", [RMMEnc.g1, 0],
      changes: Self.destroyed.merging(["memoryContext[3]": EncryptionEnc.contextRMM]) { _, new in new })
    #expect(r.s.value("cacheLine[3][Realm_MECID_1]") == Enc.dirty)
    #expect(try !r.s.holds("no-stale-realm-copy"))
    #expect(try !r.s.holds("delegated-clean"))
    // DC CIPAPA cleans every copy: the RMM's zeroes (MECID 0), then the realm's data (MECID 1),
    // which lands last: the realm's data under its live key in a Non-secure granule.
    try r.run("RMI_GRANULE_UNDELEGATE", [0, MECIDLinesEnc.g3])
    #expect(r.s.value("memory[3]") == Enc.realm0)
    #expect(r.s.value("memoryContext[3]") == EncryptionEnc.contextMECID(1))
    #expect(r.s.value("cacheLine[3][Realm_MECID_1]") == Enc.invalid)
    #expect(try !r.s.holds("delegated-clean"))
    // The host reads ciphertext (another key): the leak is of data under a live key, not to it.
    try r.run("NS_READ", [0, MECIDLinesEnc.g3])
    #expect(try r.s.holds("hyp-no-realm-read"))
    #expect(r.s.value("cacheData[3][NS]") == EncryptionEnc.ciphertext2)
  }
}
