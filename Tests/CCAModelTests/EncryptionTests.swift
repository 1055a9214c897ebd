import CCAModel
import Explore
import Spec
import Testing

/// Encodings of the encryption layer, written out independently of the model.
enum EncryptionEnc {
  /// Content labels with one realm: ZERO, HOST, REALM_0, then CIPHERTEXT.
  static let ciphertext1: Value = 3
  /// With two realms: REALM_0, REALM_1, then CIPHERTEXT.
  static let ciphertext2: Value = 4
  static let realm1: Value = 3
  /// Encryption contexts: NS, RMM (MECID 0 of the Realm PAS), MECID_m = 2 + m.
  static let contextNS: Value = 0
  static let contextRMM: Value = 1
  static func contextMECID(_ m: Value) -> Value { 2 + m }
  /// MEC states (the model's encodings, in the reference's order).
  static let privateUnassigned: Value = 0
  static let privateAssigned: Value = 1
  static let shared: Value = 2
}

@Suite("Memory encryption: none, per-pas, per-realm")
struct EncryptionTests {
  @Test("encryption none declares no encryption state and no CIPHERTEXT label (the unencrypted model)")
  func noneIsUnchanged() throws {
    for name in ["atomic", "standard", "rmm-small"] {
      let model = try CCA.family.build(try #require(CCA.family.configuration(named: name)))
      #expect(model.variable(named: "memoryContext") == nil, "\(name)")
      #expect(model.variable(named: "realmLineContext") == nil, "\(name)")
      #expect(model.variable(named: "mecState") == nil, "\(name)")
      #expect(model.action(named: "RMI_MEC_SET_SHARED") == nil, "\(name)")
      let memory = try #require(model.variable(named: "memory"))
      guard case .finite(let labels) = model[memory].value else {
        Issue.record("memory is not a finite domain")
        continue
      }
      #expect(labels.label(of: EncryptionEnc.ciphertext1) == nil, "\(name)")
    }
    let encrypted = try CCA.family.build(try #require(CCA.family.configuration(named: "atomic-per-realm")))
    #expect(encrypted.variable(named: "memoryContext") != nil)
    #expect(encrypted.variable(named: "realmLineContext") != nil)
  }

  @Test("per-pas and per-realm exclude each other; max-mecid must be in 0...7")
  func badConfigurations() throws {
    var config = try #require(CCA.family.configuration(named: "atomic-per-pas"))
    config.features.insert("per-realm")
    #expect(throws: ModelError.self) { try CCA.family.build(config) }
    var mec = try #require(CCA.family.configuration(named: "rmm-small-mec"))
    mec.bounds["max-mecid"] = 8
    #expect(throws: ModelError.self) { try CCA.family.build(mec) }
  }

  /// Delegates G0, lets realm 0 write it, then undelegates it without the scrub (the mutant), so
  /// that EL3's source-alias clean pushes the realm's data to memory.
  static func unscrubbedUndelegate(_ configuration: String) throws -> Scenario {
    var s = try Scenario(configuration, mutant: "undelegate-without-scrub")
    try s.expect(
      "RMI_GRANULE_DELEGATE", [0, Enc.g0],
      changes: ["gptDescriptor[0]": 0x9999_9999_9999_999B, "granuleState[0]": Enc.delegated])
    let step = try s.compiled.step(s.state, action: try s.actionIndex("REALM_WRITE"), arguments: [0, 0, 0])
    guard case .succeeded(let next) = step else { throw ScenarioError.unexpected("\(step)") }
    s.state = next
    let undelegate = try s.compiled.step(
      s.state, action: try s.actionIndex("RMI_GRANULE_UNDELEGATE"), arguments: [0, Enc.g0])
    guard case .succeeded(let after) = undelegate else { throw ScenarioError.unexpected("\(undelegate)") }
    s.state = after
    #expect(s.value("memory[0]") == Enc.realm0)
    return s
  }

  @Test("an NS read of unscrubbed realm data: plaintext under none, CIPHERTEXT under per-pas and per-realm")
  func nsReadOfRealmData() throws {
    var none = try Self.unscrubbedUndelegate("atomic")
    try none.expect(
      "NS_READ", [0, Enc.g0],
      changes: [
        "cacheLine[0][NS]": Enc.clean, "cacheData[0][NS]": Enc.realm0, "nsReadRealmData": 1,
        "gptTLBValid[0][0]": 1, "gptTLB[0][0]": Enc.gpiNS,
      ])
    for configuration in ["atomic-per-pas", "atomic-per-realm"] {
      var s = try Self.unscrubbedUndelegate(configuration)
      // The realm's data went to memory through the Realm PAS, under the realm's key.
      let written = configuration == "atomic-per-pas" ? EncryptionEnc.contextRMM : EncryptionEnc.contextMECID(0)
      #expect(s.value("memoryContext[0]") == written, "\(configuration)")
      try s.expect(
        "NS_READ", [0, Enc.g0],
        changes: [
          "cacheLine[0][NS]": Enc.clean, "cacheData[0][NS]": EncryptionEnc.ciphertext1, "gptTLBValid[0][0]": 1,
          "gptTLB[0][0]": Enc.gpiNS,
        ])
      #expect(try s.holds("hyp-no-realm-read"), "\(configuration)")
      #expect(try !s.holds("delegated-clean"), "\(configuration): the data is still there")
    }
  }

  @Test("per-realm: a realm write tags the Realm line with its MECID; the write-back encrypts under it")
  func realmLineCarriesMECID() throws {
    var s = try Scenario("atomic-per-realm")
    try s.expect(
      "RMI_GRANULE_DELEGATE", [0, Enc.g0],
      changes: ["gptDescriptor[0]": 0x9999_9999_9999_999B, "granuleState[0]": Enc.delegated])
    try s.expect(
      "REALM_WRITE", [0, 0, 0],
      changes: [
        "cacheLine[0][Realm]": Enc.dirty, "cacheData[0][Realm]": Enc.realm0,
        "realmLineContext[0]": EncryptionEnc.contextMECID(0), "gptTLBValid[0][0]": 1, "gptTLB[0][0]": Enc.gpiRealm,
        "lastWrite[0]": Enc.realm0,
      ])
    try s.expect(
      "CACHE_EVICT", [0, Enc.realmPAS],
      changes: [
        "cacheLine[0][Realm]": Enc.invalid, "cacheData[0][Realm]": Enc.zero, "memory[0]": Enc.realm0,
        "realmLineContext[0]": EncryptionEnc.contextRMM, "memoryContext[0]": EncryptionEnc.contextMECID(0),
      ])
    // A speculative NS-alias fill decrypts under NS: ciphertext, whatever the GPI.
    try s.expect(
      "SPECULATIVE_FILL", [0, Enc.nsPAS],
      changes: ["cacheLine[0][NS]": Enc.clean, "cacheData[0][NS]": EncryptionEnc.ciphertext1])
  }

  @Test(
    "GPT mutants under encryption: the stale-GPI mutant is caught as an integrity violation, not a leak",
    arguments: ["atomic-per-pas", "atomic-per-realm"])
  func staleGPIUnderEncryption(configuration: String) throws {
    var config = try #require(CCA.family.configuration(named: configuration))
    config.mutant = "no-tlbi-on-delegate"
    let compiled = try CompiledModel(try CCA.family.build(config))
    let write = try #require(compiled.model.properties.firstIndex { $0.name == "hyp-no-realm-write" })
    let report = explore(compiled, options: ExploreOptions(mode: .bfs, properties: [write]))
    guard case .violation(let violated, let trace) = report.outcome else {
      Issue.record("\(configuration): no hyp-no-realm-write violation (\(report.outcome))")
      return
    }
    #expect(violated == write)
    print("no-tlbi-on-delegate [\(configuration)] violates hyp-no-realm-write after \(trace.steps.count) steps")
  }
}

@Suite("Encryption lemmas and the correct model under encryption")
struct EncryptionLemmaTests {
  static let encryptionLemmas = ["ns-lines-hold-no-realm-plaintext", "realm-data-under-realm-keys"]

  @Test(
    "the correct model: exhaustive BFS finds no violation of any property or lemma",
    arguments: ["atomic-per-pas", "atomic-per-realm"])
  func correctModel(configuration: String) throws {
    try ExplorationTests.checkCorrectModel(configuration)
  }

  /// The encryption lemmas hold in every reachable state even of the GPT mutants: they depend on
  /// the keys, not on the GPT (which is why the parametric induction targets may assume them).
  @Test(
    "the encryption lemmas hold under the GPT mutants (exhaustive BFS)",
    arguments: ["undelegate-without-scrub", "no-tlbi-on-delegate", "cmo-source-alias-only"])
  func lemmasHoldUnderMutants(mutant: String) throws {
    for configuration in ["atomic-per-pas", "atomic-per-realm"] {
      let compiled = try ExplorationTests.compiled(configuration, mutant: mutant)
      let names =
        Self.encryptionLemmas + (configuration == "atomic-per-realm" ? ["realm-lines-tagged-with-realm-keys"] : [])
      let indices = try names.map { name in try #require(compiled.model.properties.firstIndex { $0.name == name }) }
      let report = explore(compiled, options: ExploreOptions(mode: .bfs, properties: indices))
      #expect(report.outcome == .noViolation && report.complete, "\(mutant) [\(configuration)]: \(report.outcome)")
    }
  }
}

enum ScenarioError: Error {
  case unexpected(String)
}
