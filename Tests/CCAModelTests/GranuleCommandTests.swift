import CCAModel
import Explore
import Spec
import Testing

/// RMI_GRANULE_DELEGATE and RMI_GRANULE_UNDELEGATE: failure conditions in the specification's
/// order (reference/rmm.md §2.3, §2.4), each RMI_ERROR_INPUT.
@Suite("RMI granule commands")
struct GranuleCommandTests {
  /// (command, address, granule 0 delegated, granule 0's GPI, expected first failing condition
  /// or nil for success).
  static let cases: [(String, Value, Bool, Value, String?)] = [
    ("RMI_GRANULE_DELEGATE", Enc.misaligned, true, Enc.gpiRealm, "gran_align"),  // not gran_state or gran_gpt
    ("RMI_GRANULE_DELEGATE", Enc.misalignedMMIO, false, Enc.gpiNS, "gran_align"),  // not gran_bound
    ("RMI_GRANULE_DELEGATE", Enc.mmio, false, Enc.gpiNS, "gran_bound"),
    ("RMI_GRANULE_DELEGATE", Enc.beyondPPS, false, Enc.gpiNS, "gran_bound"),
    ("RMI_GRANULE_DELEGATE", Enc.g0, true, Enc.gpiRealm, "gran_state"),  // not gran_gpt
    ("RMI_GRANULE_DELEGATE", Enc.g0, false, Enc.gpiRealm, "gran_gpt"),  // EL3 would refuse
    ("RMI_GRANULE_DELEGATE", Enc.g0, false, Enc.noAccess, "gran_gpt"),
    ("RMI_GRANULE_DELEGATE", Enc.g0, false, Enc.gpiNS, nil),
    ("RMI_GRANULE_UNDELEGATE", Enc.misaligned, false, Enc.gpiNS, "gran_align"),  // not gran_state
    ("RMI_GRANULE_UNDELEGATE", Enc.misalignedMMIO, false, Enc.gpiNS, "gran_align"),
    ("RMI_GRANULE_UNDELEGATE", Enc.mmio, false, Enc.gpiNS, "gran_bound"),
    ("RMI_GRANULE_UNDELEGATE", Enc.beyondPPS, true, Enc.gpiRealm, "gran_bound"),
    ("RMI_GRANULE_UNDELEGATE", Enc.g0, false, Enc.gpiNS, "gran_state"),
    ("RMI_GRANULE_UNDELEGATE", Enc.g0, true, Enc.gpiRealm, nil),
  ]

  @Test("failure conditions in spec order", arguments: cases, ["standard", "atomic"])
  func failureOrder(
    _ testCase: (String, Value, Bool, Value, String?), configuration: String
  ) throws {
    let (command, address, delegated, gpi, expected) = testCase
    var s = try Scenario(configuration)
    try s.set([
      "granuleState[0]": delegated ? Enc.delegated : Enc.undelegated,
      "gptDescriptor[0]": (Enc.allNS & ~0xF) | gpi,
    ])
    if let expected {
      try s.expectFailure(command, [1, address], condition: expected, code: Enc.rmiErrorInput)
    } else {
      let outcome = try s.compiled.step(s.state, action: try s.actionIndex(command), arguments: [1, address])
      guard case .succeeded = outcome else {
        Issue.record("\(command) gave \(outcome)")
        return
      }
    }
  }

  @Test("the commands carry their FIDs in their docs and return RMI_SUCCESS")
  func identities() throws {
    let model = try CCA.family.build(try #require(CCA.family.configuration(named: "atomic")))
    let delegate = try #require(model.actions.first { $0.name == "RMI_GRANULE_DELEGATE" })
    let undelegate = try #require(model.actions.first { $0.name == "RMI_GRANULE_UNDELEGATE" })
    #expect(delegate.doc.contains("0xC4000151") && undelegate.doc.contains("0xC4000152"))
    #expect(delegate.successCode == 0 && undelegate.successCode == 0)
    #expect(delegate.failures.map(\.name) == ["gran_align", "gran_bound", "gran_state", "gran_gpt"])
    #expect(undelegate.failures.map(\.name) == ["gran_align", "gran_bound", "gran_state"])
    #expect(Set((delegate.failures + undelegate.failures).map(\.error)) == ["RMI_ERROR_INPUT"])
  }

  @Test("atomic RMI_GRANULE_DELEGATE and UNDELEGATE are one step each")
  func atomicCommands() throws {
    var s = try Scenario("atomic")
    try s.expect(
      "NS_WRITE", [1, Enc.g1],
      changes: [
        "gptTLBValid[1][1]": 1, "gptTLB[1][1]": Enc.gpiNS, "cacheLine[1][NS]": Enc.dirty, "cacheData[1][NS]": Enc.host,
      ])
    try s.expect(
      "RMI_GRANULE_DELEGATE", [0, Enc.g1],
      changes: [
        "gptDescriptor[0]": 0x9999_9999_9999_99B9, "gptTLBValid[1][1]": 0, "gptTLB[1][1]": Enc.noAccess,
        "cacheLine[1][NS]": Enc.invalid, "cacheData[1][NS]": Enc.zero, "granuleState[1]": Enc.delegated,
      ])
    try s.expect(
      "REALM_WRITE", [0, 1, 0],
      changes: [
        "gptTLBValid[0][1]": 1, "gptTLB[0][1]": Enc.gpiRealm, "cacheLine[1][Realm]": Enc.dirty,
        "cacheData[1][Realm]": Enc.realm0, "lastWrite[1]": Enc.realm0,
      ])
    // Undelegate: the scrub (a dirty ZERO Realm line) is cleaned to memory; the realm's data is gone.
    try s.expect(
      "RMI_GRANULE_UNDELEGATE", [1, Enc.g1],
      changes: [
        "gptDescriptor[0]": Enc.allNS, "gptTLBValid[0][1]": 0, "gptTLB[0][1]": Enc.noAccess,
        "cacheLine[1][Realm]": Enc.invalid, "cacheData[1][Realm]": Enc.zero, "memory[1]": Enc.zero,
        "granuleState[1]": Enc.undelegated, "lastWrite[1]": Enc.zero,
      ])
    for property in ["gpt-consistent", "delegated-clean", "hyp-no-realm-read", "hyp-no-realm-write"] {
      #expect(try s.holds(property), "\(property)")
    }
  }
}

/// Accesses: the GPC runs before the cache, with the PE's cached GPI; the attacker's addresses.
@Suite("Accesses, caches and monitors")
struct AccessTests {
  @Test("a misaligned address reaches its granule; MMIO and beyond-PPS accesses change nothing")
  func addresses() throws {
    var s = try Scenario("atomic")
    try s.expect(
      "NS_WRITE", [0, Enc.misaligned],
      changes: [
        "gptTLBValid[0][0]": 1, "gptTLB[0][0]": Enc.gpiNS, "cacheLine[0][NS]": Enc.dirty, "cacheData[0][NS]": Enc.host,
      ])
    for address in [Enc.mmio, Enc.misalignedMMIO, Enc.beyondPPS] {
      try s.expect("NS_WRITE", [1, address], changes: [:])
      try s.expect("NS_READ", [1, address], changes: [:])
    }
  }

  @Test("a cached GPI decides the GPC until it is evicted")
  func cachedGPI() throws {
    var s = try Scenario("atomic")
    try s.set(["gptTLBValid[0][1]": 1, "gptTLB[0][1]": Enc.gpiRealm])
    try s.expectFailure("NS_READ", [0, Enc.g1], condition: "gpf", code: Enc.gpf)
    try s.expect("GPT_TLB_EVICT", [0, 1], changes: ["gptTLBValid[0][1]": 0, "gptTLB[0][1]": Enc.noAccess])
    try s.expectDisabled("GPT_TLB_EVICT", [0, 1])
    try s.expect(
      "NS_READ", [0, Enc.g1],
      changes: [
        "gptTLBValid[0][1]": 1, "gptTLB[0][1]": Enc.gpiNS, "cacheLine[1][NS]": Enc.clean, "cacheData[1][NS]": Enc.host,
      ])
    // A realm cannot write an UNDELEGATED granule at all in the stand-in.
    try s.expectDisabled("REALM_WRITE", [0, 1, 0])
  }

  @Test("a Non-secure read that returns realm data sets hyp-no-realm-read, from a line or from memory")
  func readMonitor() throws {
    for (line, memory) in [(Enc.clean, Enc.zero), (Enc.invalid, Enc.realm0)] {
      var s = try Scenario("atomic")
      try s.set([
        "cacheLine[0][NS]": line, "cacheData[0][NS]": line == Enc.invalid ? Enc.zero : Enc.realm0, "memory[0]": memory,
      ])
      var changes: [String: Value] = ["gptTLBValid[1][0]": 1, "gptTLB[1][0]": Enc.gpiNS, "nsReadRealmData": 1]
      if line == Enc.invalid { changes.merge(["cacheLine[0][NS]": Enc.clean, "cacheData[0][NS]": Enc.realm0]) { $1 } }
      try s.expect("NS_READ", [1, Enc.g0], changes: changes)
      #expect(try !s.holds("hyp-no-realm-read"))
    }
  }

  @Test("a dirty NS line written back over realm data sets hyp-no-realm-write; other write-backs do not")
  func writeMonitor() throws {
    var s = try Scenario("atomic")
    try s.set([
      "cacheLine[0][NS]": Enc.dirty, "cacheData[0][NS]": Enc.host, "cacheLine[0][Realm]": Enc.clean,
      "cacheData[0][Realm]": Enc.realm0,
    ])
    try s.expect(
      "CACHE_EVICT", [0, Enc.nsPAS],
      changes: ["cacheLine[0][NS]": Enc.invalid, "cacheData[0][NS]": Enc.zero, "nsWroteRealmData": 1])
    #expect(try !s.holds("hyp-no-realm-write"))

    var t = try Scenario("atomic")
    try t.set(["cacheLine[0][NS]": Enc.dirty, "cacheData[0][NS]": Enc.host, "memory[0]": Enc.realm0])
    try t.expect(
      "CACHE_EVICT", [0, Enc.nsPAS],
      changes: [
        "cacheLine[0][NS]": Enc.invalid, "cacheData[0][NS]": Enc.zero, "memory[0]": Enc.host, "nsWroteRealmData": 1,
      ])

    var u = try Scenario("atomic")
    try u.set(["cacheLine[0][Realm]": Enc.dirty, "cacheData[0][Realm]": Enc.realm0, "memory[0]": Enc.host])
    try u.expect(
      "CACHE_EVICT", [0, Enc.realmPAS],
      changes: ["cacheLine[0][Realm]": Enc.invalid, "cacheData[0][Realm]": Enc.zero, "memory[0]": Enc.realm0])
    try u.expectDisabled("CACHE_EVICT", [0, Enc.realmPAS])
    // A speculative fill copies memory into either alias, whatever the GPI.
    try u.expect(
      "SPECULATIVE_FILL", [0, Enc.nsPAS], changes: ["cacheLine[0][NS]": Enc.clean, "cacheData[0][NS]": Enc.realm0])
    try u.expectDisabled("SPECULATIVE_FILL", [0, Enc.nsPAS])
  }
}
