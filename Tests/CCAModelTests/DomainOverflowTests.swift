import CCAModel
import Explore
import Spec
import Testing

/// A value outside a variable's domain is a model bug (exit 3), never something a user's input
/// may reach: these tests explore every shipped configuration and mutant for one.
@Suite("Domains: no configuration reaches a value outside a variable's domain")
struct DomainOverflowTests {
  /// The model errors of a bounded BFS (unless the configuration's states are too large for it)
  /// and of seeded swarm walks.
  static func modelErrors(_ config: Configuration, bfsStates: Int, walks: Int, length: Int, seed: UInt64) throws
    -> [String]
  {
    let compiled = try CompiledModel(try CCA.family.build(config))
    var errors: [String] = []
    if bfsStates > 0 {
      let bfs = explore(compiled, options: ExploreOptions(mode: .bfs, maxStates: bfsStates, workers: 2, properties: []))
      if case .modelError(let message) = bfs.outcome { errors.append("BFS: \(message)") }
    }
    var options = ExploreOptions(
      mode: .random, seed: seed, walks: walks, walkLength: length, swarm: true, workers: 2, properties: [])
    options.shrink = false
    let random = explore(compiled, options: options)
    if case .modelError(let message) = random.outcome { errors.append("random (seed \(seed)): \(message)") }
    return errors
  }

  @Test(
    "Each shipped configuration: bounded BFS and seeded swarm walks (seed 0xD0) end without a model error",
    arguments: CCA.family.configurations.map(\.name))
  func shipped(_ name: String) throws {
    let config = try #require(CCA.family.configuration(named: name))
    // rmm-full's states hold 64 rows of 512 RTT entries: walks only.
    let large = name == "rmm-full"
    print("domain check of \(name): seed 0xD0")
    let errors = try Self.modelErrors(
      config, bfsStates: large ? 0 : 1_000, walks: large ? 4 : 20, length: large ? 40 : 60, seed: 0xD0)
    #expect(errors.isEmpty, "\(name): \(errors)")
  }

  @Test("Each mutant in its configuration: seeded swarm walks (seed 0xD1) end without a model error")
  func mutants() throws {
    print("domain check of the mutants: seed 0xD1")
    for mutant in CCA.family.mutants {
      var config = try #require(CCA.family.configuration(named: mutant.configuration))
      config.mutant = mutant.name
      let errors = try Self.modelErrors(config, bfsStates: 0, walks: 8, length: 60, seed: 0xD1)
      #expect(errors.isEmpty, "\(mutant.name): \(errors)")
    }
  }

  @Test("Every granule reference count fits: an RD counts its RECs and, with DA, its VDEVs (one per TDI)")
  func refcountDomain() throws {
    for config in CCA.family.configurations where config.features.contains("rmm") {
      // da-setup pins its bounds to its start state, the parametric variant to one device; the other da
      // configurations take any devices up to devices * tdis = 4.
      let raise =
        config.features.contains("da") && !config.features.contains("da-setup")
        && !config.features.contains("parametric")
      let tdis = config.bounds["tdis"] ?? 1
      let choices = [1, 2, 4].filter { $0 * tdis <= 4 }
      for devices in raise ? choices : config.features.contains("da") ? [config.bounds["devices"] ?? 1] : [0] {
        var c = config
        if devices > 0 { c.bounds["devices"] = devices }
        let model = try CCA.family.build(c)
        let refcount = try #require(model.variable(named: "granuleRefcount"))
        guard case .range(_, let upper) = model[refcount].value else {
          Issue.record("granuleRefcount is not a range")
          continue
        }
        let recs = Value(c.bounds["recs"] ?? 1)
        let entries = Value(c.bounds["rtt-entries"] ?? 2)
        #expect(
          upper >= recs + Value(devices * tdis), "\(c.name) with \(devices) devices: RD refcount up to \(upper)")
        #expect(upper >= entries, "\(c.name): RTT refcount up to \(upper)")
      }
    }
  }

  @Test(
    "One REC and two VDEVs on one RD at 2 RTT entries: the RD's reference count reaches 3 and is a value, not a model error"
  )
  func recAndTwoVDEVs() throws {
    var config = try #require(CCA.family.configuration(named: "rmm-da"))
    config.bounds["devices"] = 2
    config.bounds["granules"] = 9
    var flow = try DAFlow(configuration: config)
    try flow.setUp()
    // A second device: PDEV on stream 1 to READY, then a VDEV of the same realm.
    let (pdev2, vdev2): (Value, Value) = (0x8000_7000, 0x8000_8000)
    // setUp delegated granule 7 already (it is rmm-da-mem's device granule).
    #expect(flow.s.value("granuleState[7]") == Enc.delegated)
    try flow.r.delegate(vdev2)
    try flow.run("RMI_PDEV_CREATE", [pdev2, DAEnc.buffer, 1, 0])
    try flow.run("RMI_PDEV_COMMUNICATE", [pdev2, DAEnc.buffer, 0])
    try flow.run("RMI_PDEV_SET_PUBKEY", [pdev2, DAEnc.buffer])
    try flow.run("RMI_PDEV_COMMUNICATE", [pdev2, DAEnc.buffer, 0])
    try flow.run("RMI_VDEV_CREATE", [DAEnc.rd, pdev2, vdev2, DAEnc.buffer, 0])
    #expect(flow.s.value("granuleRefcount[1]") == 3)
    #expect(try flow.holds("rmm-wellformed"))
    #expect(try flow.holds("da-wellformed"))
  }
}
