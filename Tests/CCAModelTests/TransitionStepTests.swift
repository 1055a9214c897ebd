import CCAModel
import Explore
import Spec
import Testing

/// Each GPT transition step does what TF-A does: one step of each kind, with the whole next state.
@Suite("EL3 transition steps (fine mode)")
struct TransitionStepTests {
  /// Runs RMI_GRANULE_DELEGATE of granule 0 on PE 0 step by step, with PE 1 holding a stale NS
  /// entry and a dirty NS line; returns the scenario at the end (granule 0 DELEGATED).
  static func delegateGranule0() throws -> Scenario {
    var s = try Scenario("standard")
    try s.set(["memory[0]": Enc.zero])
    try s.expect(
      "NS_WRITE", [1, Enc.g0],
      changes: [
        "gptTLBValid[1][0]": 1, "gptTLB[1][0]": Enc.gpiNS, "cacheLine[0][NS]": Enc.dirty, "cacheData[0][NS]": Enc.host,
      ])
    try s.expect("SPECULATIVE_FILL", [0, Enc.realmPAS], changes: ["cacheLine[0][Realm]": Enc.clean])
    try s.expect(
      "RMI_GRANULE_DELEGATE", [0, Enc.g0],
      changes: ["granuleLock[0]": 1, "el3Step[0]": s.step("EL3_DELEGATE_LOCK")])
    try s.expect("EL3_DELEGATE_LOCK", [0], changes: ["gptLock": 1, "el3Step[0]": s.step("EL3_DELEGATE_CIPAPA_TARGET")])
    // DC CIPAPA, target (Realm) alias: the clean line is dropped, memory keeps its value.
    try s.expect(
      "EL3_DELEGATE_CIPAPA_TARGET", [0],
      changes: ["cacheLine[0][Realm]": Enc.invalid, "el3Step[0]": s.step("EL3_DELEGATE_READ_DESCRIPTOR")])
    try s.expect(
      "EL3_DELEGATE_READ_DESCRIPTOR", [0],
      changes: ["el3Descriptor[0]": Enc.allNS, "el3Step[0]": s.step("EL3_DELEGATE_WRITE_GPI_REALM")])
    try s.expect(
      "EL3_DELEGATE_WRITE_GPI_REALM", [0],
      changes: [
        "gptDescriptor[0]": 0x9999_9999_9999_999B, "el3Descriptor[0]": 0,
        "el3Step[0]": s.step("EL3_DELEGATE_TLBI_RPALOS"),
      ])
    // Before the TLBI, PE 1's stale NS entry still lets the host read (a hit: nothing changes).
    try s.expect("NS_READ", [1, Enc.g0], changes: [:])
    try s.expect(
      "EL3_DELEGATE_TLBI_RPALOS", [0],
      changes: [
        "gptTLBValid[1][0]": 0, "gptTLB[1][0]": Enc.noAccess, "el3Step[0]": s.step("EL3_DELEGATE_CIPAPA_SOURCE"),
      ])
    // After it, PE 1 walks the GPT, finds REALM and faults.
    try s.expectFailure("NS_READ", [1, Enc.g0], condition: "gpf", code: Enc.gpf)
    try s.expectFailure("NS_WRITE", [1, Enc.misaligned], condition: "gpf", code: Enc.gpf)
    // DC CIPAPA, source (NS) alias: the dirty host line reaches memory and is dropped.
    try s.expect(
      "EL3_DELEGATE_CIPAPA_SOURCE", [0],
      changes: [
        "memory[0]": Enc.host, "cacheLine[0][NS]": Enc.invalid, "cacheData[0][NS]": Enc.zero,
        "el3Step[0]": s.step("EL3_DELEGATE_UNLOCK"),
      ])
    try s.expect(
      "EL3_DELEGATE_UNLOCK", [0],
      changes: ["gptLock": 0, "granuleState[0]": Enc.delegated, "granuleLock[0]": 0, "el3Step[0]": 0])
    for property in ["gpt-consistent", "delegated-clean", "hyp-no-realm-read", "hyp-no-realm-write"] {
      #expect(try s.holds(property), "\(property)")
    }
    return s
  }

  @Test("RMM_GTSI_DELEGATE: lock, CIPAPA target, descriptor read and write, TLBI RPALOS, CIPAPA source, unlock")
  func delegateSequence() throws {
    _ = try Self.delegateGranule0()
  }

  @Test("RMI_GRANULE_UNDELEGATE: scrub, lock, NO_ACCESS, TLBI, CIPAPA source and target, NS, TLBI, unlock")
  func undelegateSequence() throws {
    var s = try Self.delegateGranule0()
    try s.expect(
      "REALM_WRITE", [1, 0, 0],
      changes: [
        "gptTLBValid[1][0]": 1, "gptTLB[1][0]": Enc.gpiRealm, "cacheLine[0][Realm]": Enc.dirty,
        "cacheData[0][Realm]": Enc.realm0, "lastWrite[0]": Enc.realm0,
      ])
    try s.expect(
      "CACHE_EVICT", [0, Enc.realmPAS],
      changes: ["memory[0]": Enc.realm0, "cacheLine[0][Realm]": Enc.invalid, "cacheData[0][Realm]": Enc.zero])
    try s.expect(
      "SPECULATIVE_FILL", [0, Enc.nsPAS], changes: ["cacheLine[0][NS]": Enc.clean, "cacheData[0][NS]": Enc.realm0])
    // The host cannot read the realm data its alias holds: the GPC runs before the cache lookup.
    try s.expectFailure("NS_READ", [0, Enc.g0], condition: "gpf", code: Enc.gpf)
    try s.expect(
      "RMI_GRANULE_UNDELEGATE", [0, Enc.g0],
      changes: ["granuleLock[0]": 1, "el3Step[0]": s.step("RMM_SCRUB")])
    try s.expectDisabled("REALM_WRITE", [1, 0, 0])
    try s.expectDisabled("RMI_GRANULE_DELEGATE", [1, Enc.g0])
    try s.expectFailure("RMI_GRANULE_DELEGATE", [1, Enc.misaligned], condition: "gran_align", code: Enc.rmiErrorInput)
    // The RMM's scrub: a Realm-PAS write of zeroes (the line's ZERO label equals its invalid value).
    try s.expect(
      "RMM_SCRUB", [0],
      changes: [
        "gptTLBValid[0][0]": 1, "gptTLB[0][0]": Enc.gpiRealm, "cacheLine[0][Realm]": Enc.dirty,
        "el3Step[0]": s.step("EL3_UNDELEGATE_LOCK"), "lastWrite[0]": Enc.zero,
      ])
    try s.expect(
      "EL3_UNDELEGATE_LOCK", [0],
      changes: ["gptLock": 1, "el3Step[0]": s.step("EL3_UNDELEGATE_READ_DESCRIPTOR_NO_ACCESS")])
    try s.expect(
      "EL3_UNDELEGATE_READ_DESCRIPTOR_NO_ACCESS", [0],
      changes: ["el3Descriptor[0]": 0x9999_9999_9999_999B, "el3Step[0]": s.step("EL3_UNDELEGATE_WRITE_GPI_NO_ACCESS")])
    try s.expect(
      "EL3_UNDELEGATE_WRITE_GPI_NO_ACCESS", [0],
      changes: [
        "gptDescriptor[0]": 0x9999_9999_9999_9990, "el3Descriptor[0]": 0,
        "el3Step[0]": s.step("EL3_UNDELEGATE_TLBI_RPALOS_NO_ACCESS"),
      ])
    try s.expect(
      "EL3_UNDELEGATE_TLBI_RPALOS_NO_ACCESS", [0],
      changes: [
        "gptTLBValid[0][0]": 0, "gptTLB[0][0]": Enc.noAccess, "gptTLBValid[1][0]": 0, "gptTLB[1][0]": Enc.noAccess,
        "el3Step[0]": s.step("EL3_UNDELEGATE_CIPAPA_SOURCE"),
      ])
    // DC CIPAPA, source (Realm) alias: the scrub reaches memory.
    try s.expect(
      "EL3_UNDELEGATE_CIPAPA_SOURCE", [0],
      changes: [
        "memory[0]": Enc.zero, "cacheLine[0][Realm]": Enc.invalid, "el3Step[0]": s.step("EL3_UNDELEGATE_CIPAPA_TARGET"),
      ])
    // The old owner's late write faults: the GPI is NO_ACCESS and no PE caches REALM.
    try s.expectFailure("REALM_WRITE", [1, 0, 0], condition: "gpf", code: Enc.gpf)
    // DC CIPAPA, target (NS) alias: the realm data speculatively fetched into the NS alias goes.
    try s.expect(
      "EL3_UNDELEGATE_CIPAPA_TARGET", [0],
      changes: [
        "cacheLine[0][NS]": Enc.invalid, "cacheData[0][NS]": Enc.zero,
        "el3Step[0]": s.step("EL3_UNDELEGATE_READ_DESCRIPTOR_NS"),
      ])
    try s.expect(
      "EL3_UNDELEGATE_READ_DESCRIPTOR_NS", [0],
      changes: ["el3Descriptor[0]": 0x9999_9999_9999_9990, "el3Step[0]": s.step("EL3_UNDELEGATE_WRITE_GPI_NS")])
    try s.expect(
      "EL3_UNDELEGATE_WRITE_GPI_NS", [0],
      changes: [
        "gptDescriptor[0]": Enc.allNS, "el3Descriptor[0]": 0, "el3Step[0]": s.step("EL3_UNDELEGATE_TLBI_RPALOS_NS"),
      ])
    // The host may read as soon as the GPI is NS: it sees the scrubbed memory.
    try s.expect(
      "NS_READ", [1, Enc.g0],
      changes: ["gptTLBValid[1][0]": 1, "gptTLB[1][0]": Enc.gpiNS, "cacheLine[0][NS]": Enc.clean])
    try s.expect(
      "EL3_UNDELEGATE_TLBI_RPALOS_NS", [0],
      changes: ["gptTLBValid[1][0]": 0, "gptTLB[1][0]": Enc.noAccess, "el3Step[0]": s.step("EL3_UNDELEGATE_UNLOCK")])
    try s.expect(
      "EL3_UNDELEGATE_UNLOCK", [0],
      changes: ["gptLock": 0, "granuleState[0]": Enc.undelegated, "granuleLock[0]": 0, "el3Step[0]": 0])
    for property in ["gpt-consistent", "delegated-clean", "hyp-no-realm-read", "hyp-no-realm-write"] {
      #expect(try s.holds(property), "\(property)")
    }
  }

  @Test("the GPT lock makes a second PE wait, and the descriptor write writes back the word EL3 read")
  func lockAndReadModifyWrite() throws {
    var s = try Scenario("standard")
    try s.expect(
      "RMI_GRANULE_DELEGATE", [0, Enc.g0], changes: ["granuleLock[0]": 1, "el3Step[0]": s.step("EL3_DELEGATE_LOCK")])
    try s.expect(
      "RMI_GRANULE_DELEGATE", [1, Enc.g1],
      changes: ["granuleLock[1]": 1, "el3Step[1]": s.step("EL3_DELEGATE_LOCK"), "el3Granule[1]": 1])
    try s.expect("EL3_DELEGATE_LOCK", [0], changes: ["gptLock": 1, "el3Step[0]": s.step("EL3_DELEGATE_CIPAPA_TARGET")])
    try s.expectDisabled("EL3_DELEGATE_LOCK", [1])
    // A stale read word (as an unlocked racer would hold) overwrites the other granule's nibble.
    try s.set([
      "el3Step[0]": s.step("EL3_DELEGATE_WRITE_GPI_REALM"), "el3Descriptor[0]": Enc.allNS,
      "gptDescriptor[0]": 0x9999_9999_9999_99B9,
    ])
    try s.expect(
      "EL3_DELEGATE_WRITE_GPI_REALM", [0],
      changes: [
        "gptDescriptor[0]": 0x9999_9999_9999_999B, "el3Descriptor[0]": 0,
        "el3Step[0]": s.step("EL3_DELEGATE_TLBI_RPALOS"),
      ])
  }

  /// The program-counter values PE 0 passes through for one command, run to completion alone.
  static func steps(mutant: String?, undelegate: Bool) throws -> [String] {
    var s = try Scenario("standard", mutant: mutant)
    guard case .finite(let set) = s.model[try #require(s.model.variable(named: "el3Step"))].value else { return [] }
    var names: [String] = []
    if undelegate {
      try s.set(["granuleState[0]": Enc.delegated, "gptDescriptor[0]": 0x9999_9999_9999_999B])
    }
    let command = undelegate ? "RMI_GRANULE_UNDELEGATE" : "RMI_GRANULE_DELEGATE"
    guard
      case .succeeded(var state) = try s.compiled.step(
        s.state, action: try s.actionIndex(command), arguments: [0, Enc.g0])
    else { return [] }
    s.state = state
    while let step = s.value("el3Step[0]"), step != 0, let name = set.label(of: step), names.count < 20 {
      names.append(name)
      guard case .succeeded(let next) = try s.compiled.step(s.state, action: try s.actionIndex(name), arguments: [0])
      else { break }
      state = next
      s.state = state
    }
    return names
  }

  static let fullDelegate = [
    "EL3_DELEGATE_LOCK", "EL3_DELEGATE_CIPAPA_TARGET", "EL3_DELEGATE_READ_DESCRIPTOR", "EL3_DELEGATE_WRITE_GPI_REALM",
    "EL3_DELEGATE_TLBI_RPALOS", "EL3_DELEGATE_CIPAPA_SOURCE", "EL3_DELEGATE_UNLOCK",
  ]
  static let fullUndelegate = [
    "RMM_SCRUB", "EL3_UNDELEGATE_LOCK", "EL3_UNDELEGATE_READ_DESCRIPTOR_NO_ACCESS",
    "EL3_UNDELEGATE_WRITE_GPI_NO_ACCESS",
    "EL3_UNDELEGATE_TLBI_RPALOS_NO_ACCESS", "EL3_UNDELEGATE_CIPAPA_SOURCE", "EL3_UNDELEGATE_CIPAPA_TARGET",
    "EL3_UNDELEGATE_READ_DESCRIPTOR_NS", "EL3_UNDELEGATE_WRITE_GPI_NS", "EL3_UNDELEGATE_TLBI_RPALOS_NS",
    "EL3_UNDELEGATE_UNLOCK",
  ]

  static let sequences: [(String?, [String], [String])] = [
    (nil, [], []),
    ("no-tlbi-on-delegate", ["EL3_DELEGATE_TLBI_RPALOS"], []),
    ("undelegate-without-scrub", [], ["RMM_SCRUB"]),
    ("cmo-source-alias-only", ["EL3_DELEGATE_CIPAPA_TARGET"], ["EL3_UNDELEGATE_CIPAPA_TARGET"]),
    (
      "undelegate-skips-no-access", [],
      [
        "EL3_UNDELEGATE_READ_DESCRIPTOR_NO_ACCESS", "EL3_UNDELEGATE_WRITE_GPI_NO_ACCESS",
        "EL3_UNDELEGATE_TLBI_RPALOS_NO_ACCESS",
      ]
    ),
    (
      "gpt-word-unlocked", ["EL3_DELEGATE_LOCK", "EL3_DELEGATE_UNLOCK"],
      ["EL3_UNDELEGATE_LOCK", "EL3_UNDELEGATE_UNLOCK"]
    ),
  ]

  @Test("TF-A's order, and each mutant drops exactly the steps of its bug", arguments: sequences)
  func sequenceOrder(mutant: String?, droppedFromDelegate: [String], droppedFromUndelegate: [String]) throws {
    #expect(
      try Self.steps(mutant: mutant, undelegate: false)
        == Self.fullDelegate.filter { !droppedFromDelegate.contains($0) })
    #expect(
      try Self.steps(mutant: mutant, undelegate: true)
        == Self.fullUndelegate.filter { !droppedFromUndelegate.contains($0) })
  }

  @Test("an atomic command gives the state the fine sequence ends in", arguments: [false, true])
  func atomicMatchesFine(undelegate: Bool) throws {
    // A busy start: PE 1 caches granule 0's GPI, both aliases hold lines, memory differs.
    var fine = try Scenario("standard")
    let cachedGPI = undelegate ? Enc.gpiRealm : Enc.gpiNS
    try fine.set([
      "granuleState[0]": undelegate ? Enc.delegated : Enc.undelegated,
      "gptDescriptor[0]": undelegate ? 0x9999_9999_9999_999B : Enc.allNS,
      "gptTLBValid[1][0]": 1, "gptTLB[1][0]": cachedGPI, "gptTLBValid[1][1]": 1, "gptTLB[1][1]": Enc.gpiNS,
      "cacheLine[0][NS]": undelegate ? Enc.clean : Enc.dirty, "cacheData[0][NS]": undelegate ? Enc.realm0 : Enc.host,
      "cacheLine[0][Realm]": undelegate ? Enc.dirty : Enc.clean,
      "cacheData[0][Realm]": undelegate ? Enc.realm0 : Enc.zero,
      "memory[0]": undelegate ? Enc.realm0 : Enc.zero,
    ])
    var atomic = try Scenario("atomic")
    atomic.state = try atomic.compiled.state(fromValues: fine.compiled.values(of: fine.state))
    let command = undelegate ? "RMI_GRANULE_UNDELEGATE" : "RMI_GRANULE_DELEGATE"
    guard
      case .succeeded(let atomicNext) = try atomic.compiled.step(
        atomic.state, action: try atomic.actionIndex(command), arguments: [0, Enc.g0])
    else {
      Issue.record("atomic \(command) did not succeed")
      return
    }
    guard
      case .succeeded(var state) = try fine.compiled.step(
        fine.state, action: try fine.actionIndex(command), arguments: [0, Enc.g0])
    else {
      Issue.record("fine \(command) did not succeed")
      return
    }
    for name in undelegate ? Self.fullUndelegate : Self.fullDelegate {
      guard
        case .succeeded(let next) = try fine.compiled.step(state, action: try fine.actionIndex(name), arguments: [0])
      else {
        Issue.record("\(name) did not succeed")
        return
      }
      state = next
    }
    #expect(atomic.compiled.values(of: atomicNext) == fine.compiled.values(of: state))
    fine.state = state
    #expect(fine.value("memory[0]") == (undelegate ? Enc.zero : Enc.host))
    #expect(fine.value("gptTLBValid[1][0]") == 0 && fine.value("gptTLBValid[1][1]") == 1)
  }
}
