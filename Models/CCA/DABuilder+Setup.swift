import Spec

// MARK: - The `da-setup` start state

extension DABuilder {
  /// The granules of the `da-setup` start state, in PA order from DRAM0: a Non-secure buffer
  /// (RealmParams, RecParams, RecRun, PdevParams, VdevParams, RmiDevCommData), then the RD, the
  /// starting-level RTT, the DATA page at IPA 0, the REC, the PDEV and the VDEV.
  enum SetupGranule {
    static let buffer: Value = 0
    static let rd: Value = 1
    static let rtt: Value = 2
    static let data: Value = 3
    static let rec: Value = 4
    static let pdev: Value = 5
    static let vdev: Value = 6
    static let count = 7

    /// With `tdis` = 2 and `realms` = 2: realm 1 (VMID 1) is created and activated with its RD at `rd` and its
    /// starting-level RTT right after (both after the spare granule), no REC and no DATA, and TDI `tdi`'s VDEV is
    /// its.
    struct Realm1 {
      let rd: Value
      let tdi: Int
      var rtt: Value { rd + 1 }
    }
  }

  /// Makes the model start where the ACS DA flow (reference/rmm.md §3.4 steps 1-2) stands once the
  /// VDEV is STARTED, before the realm enables its DMA, instead of at boot: realm 0 ACTIVE with its RD, one level-3 starting RTT
  /// mapping the DATA page at IPA 0 (RIPAS RAM, the realm's data), the other protected IPAs (with 4
  /// entries: 0x1000) UNASSIGNED with RIPAS EMPTY and the unprotected ones UNASSIGNED_NS, with a
  /// device granule (8 granules) that device's MMIO, already DELEGATED (the host may delegate it
  /// any time before RMI_VDEV_MAP; the ACS flow does so after the realm's request), a
  /// runnable REC running on PE 0, a READY PDEV on stream 0 and its VDEV STARTED, with its
  /// measurements, lock nonce and interface report each generated once; every delegated granule's
  /// GPI is REALM, caches and GPT TLBs are empty.
  ///
  /// This is the state the calls `RMI_GRANULE_DELEGATE` ×6, REALM_CREATE, DATA_CREATE, REC_CREATE,
  /// REALM_ACTIVATE, PDEV_CREATE, PDEV_COMMUNICATE, PDEV_SET_PUBKEY, PDEV_COMMUNICATE, VDEV_CREATE,
  /// VDEV_COMMUNICATE, VDEV_GET_MEASUREMENTS, VDEV_COMMUNICATE, VDEV_LOCK, VDEV_COMMUNICATE,
  /// VDEV_GET_INTERFACE_REPORT, VDEV_COMMUNICATE, VDEV_START, VDEV_COMMUNICATE, REC_ENTER reach from boot (a test replays them
  /// on `rmm-da` and compares every slot), so a violation found from here is one from boot, 27
  /// calls longer; a bounded search from here covers the states within its depth of this state.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` unless the bounds are `rmm-da`'s (7
  ///   granules, one level-3 RTT of 2 entries) or `rmm-da-mem`'s (8 granules, one of them device
  ///   memory, one level-3 RTT of 4 entries).
  func declareSetupStart() throws {
    let c = cca.configuration
    let entries = rmm.geometry.entries
    // A second device (its PDEV and VDEV after the first's) is bound to the same realm. With several TDIs per device
    // each PDEV is followed by its TDIs' VDEVs, all the realm's, and a spare granule (the last, UNDELEGATED) is left
    // for a further VDEV.
    let streamCount = streamSort.count
    let spare = tdis > 1 ? 1 : 0
    // With tdis = 2 and realms = 2: TDI 1's VDEV is realm 1's, whose RD and starting-level RTT follow the spare.
    let realm1 = cca.realmSort.count == 2 ? SetupGranule.Realm1(rd: Value(SetupGranule.count + 2), tdi: 1) : nil
    guard devices <= 2, tdis <= 2, cca.realmSort.count == 1 || (realm1 != nil && tdis == 2 && devices == 1),
      memoryMap.granules
        == SetupGranule.count + (devices - 1) + (streamCount - 1) + spare + memoryMap.deviceGranules
        + (realm1 == nil ? 0 : 2),
      memoryMap.deviceGranules <= 1, devices == 1 || memoryMap.deviceGranules == 0,
      rmm.geometry.levels == 1, entries == 2 || entries == 4
    else {
      throw ModelError.invalid(
        location: "configuration \(c.name)",
        message:
          "feature da-setup needs granules = 7 (8 with one device granule; 9 with devices = 2 and no device granule; "
          + "9 with tdis = 2, one device and a spare granule; 11 with tdis = 2, realms = 2, one device, a spare "
          + "granule and realm 1's RD and RTT), realms = 1 (or 2 with tdis = 2 and one device), rtt-levels = 1 and "
          + "rtt-entries = 2 or 4")
    }
    typealias G = SetupGranule
    let step = Value(1 + tdis)
    let pdevs = (0..<Value(devices)).map { G.pdev + step * $0 }
    // Device d's TDI t: stream d * tdis + t, the VDEV granule after its PDEV's.
    let vdevs = pdevs.flatMap { p in (0..<Value(tdis)).map { p + 1 + $0 } }
    let vdevPdevs = pdevs.flatMap { p in Array(repeating: p, count: tdis) }
    let objects: [Value] = [G.rd, G.rtt, G.data, G.rec] + pdevs + vdevs + (realm1.map { [$0.rd, $0.rtt] } ?? [])
    // Realm 1's VDEV (with realm1): the one of its TDI on the only device.
    let realm1Vdev = realm1.map { vdevs[$0.tdi] }
    // The device's MMIO granule (with device memory) is DELEGATED: Realm in the GPT.
    let device: [Value] = memoryMap.deviceGranules == 0 ? [] : [Value(memoryMap.firstDeviceGranule)]
    rmm.setInitialGPT(objects + device)
    let zero = Expr.literal(Content.zero)
    // The buffer, never delegated, and the device granule, delegated without a scrub (TF-RMM since
    // f5cce5bc), keep the host's boot content.
    var contents = Dictionary(uniqueKeysWithValues: objects.map { ($0, zero) })
    contents[G.data] = .literal(cca.content.realm(0))
    builder.setInitial(machine.memory) { k in RMMBuilder.keyed(k[0], contents, otherwise: .literal(Content.host)) }
    var states: [Value: Expr] = [
      G.rd: .literal(GranuleState.rd), G.rtt: .literal(GranuleState.rtt), G.data: .literal(GranuleState.data),
      G.rec: .literal(GranuleState.rec),
    ]
    for g in pdevs { states[g] = .literal(GranuleState.pdev) }
    for g in vdevs { states[g] = .literal(GranuleState.vdev) }
    for g in device { states[g] = .literal(GranuleState.delegated) }
    if let realm1 {
      states[realm1.rd] = .literal(GranuleState.rd)
      states[realm1.rtt] = .literal(GranuleState.rtt)
    }
    builder.setInitial(machine.granuleState) { k in
      RMMBuilder.keyed(k[0], states, otherwise: .literal(GranuleState.undelegated))
    }
    // With realm1: its RD, RTT and VDEV are realm 1's (every other object is realm 0's, the default).
    if let realm1, let realm1Vdev {
      builder.setInitial(rmmState.owner) { k in
        RMMBuilder.keyed(k[0], [realm1.rd: 1, realm1.rtt: 1, realm1Vdev: 1], otherwise: 0)
      }
    }
    // The RD counts its REC and its VDEVs (with realm1, realm 1's RD its one VDEV).
    builder.setInitial(rmmState.refcount) { k in
      var counts: [Value: Expr] = [G.rd: .literal(1 + Value(streamCount)), G.rtt: 1, G.rec: 1]
      if let realm1 {
        counts[G.rd] = .literal(Value(streamCount))
        counts[realm1.rd] = 1
      }
      return RMMBuilder.keyed(k[0], counts, otherwise: 0)
    }
    builder.setInitial(rmmState.recRunnable) { k in k[0].eq(.literal(G.rec)) }
    // Realm 1 (with realm1): created and activated, no REC, no DATA: RIM 1 (REALM_CREATE's), rec_index 0.
    let realm1Only: (Value) -> [Value: Expr] = { v in realm1 == nil ? [:] : [1: .literal(v)] }
    builder.setInitial(rmmState.realmState) { k in
      RMMBuilder.keyed(
        k[0], [0: .literal(RealmState.active)].merging(realm1Only(RealmState.active)) { a, _ in a },
        otherwise: .literal(RealmState.none))
    }
    builder.setInitial(rmmState.realmRD) { k in
      RMMBuilder.keyed(k[0], [0: .literal(G.rd)].merging(realm1Only(realm1?.rd ?? 0)) { a, _ in a }, otherwise: 0)
    }
    builder.setInitial(rmmState.realmRTTBase) { k in
      RMMBuilder.keyed(
        k[0], [0: .literal(G.rtt)].merging(realm1Only(realm1?.rtt ?? 0)) { a, _ in a }, otherwise: 0)
    }
    builder.setInitial(rmmState.realmRIM) { k in
      RMMBuilder.keyed(k[0], [0: 3].merging(realm1Only(1)) { a, _ in a }, otherwise: 0)
    }
    builder.setInitial(rmmState.realmRecIndex) { k in RMMBuilder.keyed(k[0], [0: 1], otherwise: 0) }
    if let realmDA = rmm.realmDA {  // DA realms
      builder.setInitial(realmDA) { k in realm1 == nil ? k[0].eq(0) : k[0].lt(2) }
    }
    // IPA 0: the DATA page; the other protected IPAs UNASSIGNED with RIPAS EMPTY; the rest UNASSIGNED_NS. Realm 1's
    // RTT (with realm1) as REALM_CREATE leaves it: every protected IPA UNASSIGNED with RIPAS EMPTY.
    let emptyRow: (Expr) -> Expr = { i in
      .ite(i.lt(.literal(Value(entries / 2))), then: RTTEntry.unassignedEmpty.expr, else: RTTEntry.unassignedNS.expr)
    }
    let rootRow: (Expr) -> Expr = { i in .ite(i.eq(0), then: RTTEntry.assignedRAM.expr, else: emptyRow(i)) }
    builder.setInitial(rmmState.rtte) { k in
      .ite(
        k[0].eq(.literal(G.rtt)), then: rootRow(k[1]),
        else: realm1.map { .ite(k[0].eq(.literal($0.rtt)), then: emptyRow(k[1]), else: RTTGeometry.canonical.expr) }
          ?? RTTGeometry.canonical.expr)
    }
    builder.setInitial(rmmState.rtteAddr) { k in
      .ite(k[0].eq(.literal(G.rtt)) && k[1].eq(0), then: .literal(G.data), else: 0)
    }
    builder.setInitial(rmmState.rttLevel) { k in
      RMMBuilder.keyed(k[0], [G.rtt: 3].merging(realm1.map { [$0.rtt: 3] } ?? [:]) { a, _ in a }, otherwise: 0)
    }
    builder.setInitial(rmmState.peRunning) { k in k[0].eq(0) }
    builder.setInitial(rmmState.peREC) { k in RMMBuilder.keyed(k[0], [0: .literal(G.rec)], otherwise: 0) }
    /// `value` for each of `keys`.
    func each(_ keys: [Value], _ value: Expr) -> [Value: Expr] {
      Dictionary(uniqueKeysWithValues: keys.map { ($0, value) })
    }
    let deviceIndices = (0..<Value(devices)).map { $0 }
    let streams = (0..<Value(streamCount)).map { $0 }
    builder.setInitial(daState.pdevState) { k in
      RMMBuilder.keyed(k[0], each(pdevs, .literal(PdevState.ready)), otherwise: .literal(PdevState.new))
    }
    builder.setInitial(daState.pdevStream) { k in
      RMMBuilder.keyed(
        k[0], Dictionary(uniqueKeysWithValues: zip(pdevs, deviceIndices.map { Expr.literal($0) })), otherwise: 0)
    }
    builder.setInitial(daState.pdevVdevs) { k in
      RMMBuilder.keyed(k[0], each(pdevs, .literal(Value(self.tdis))), otherwise: 0)
    }
    builder.setInitial(daState.vdevState) { k in
      RMMBuilder.keyed(k[0], each(vdevs, .literal(VdevState.started)), otherwise: .literal(VdevState.new))
    }
    builder.setInitial(daState.vdevPdev) { k in
      RMMBuilder.keyed(
        k[0], Dictionary(uniqueKeysWithValues: zip(vdevs, vdevPdevs.map { Expr.literal($0) })), otherwise: 0)
    }
    if let vdevTdi {
      let tdiOf = vdevs.enumerated().map { (i, _) in Expr.literal(Value(i % tdis)) }
      builder.setInitial(vdevTdi) { k in
        RMMBuilder.keyed(k[0], Dictionary(uniqueKeysWithValues: zip(vdevs, tdiOf)), otherwise: 0)
      }
    }
    for variable in [daState.vdevLockNonce, daState.vdevMeasSeq, daState.vdevReportSeq] {
      builder.setInitial(variable) { k in RMMBuilder.keyed(k[0], each(vdevs, 1), otherwise: 0) }
    }
    builder.setInitial(daState.steBound) { k in k[0].lt(.literal(Value(streamCount))) }
    builder.setInitial(daState.steVdev) { k in
      RMMBuilder.keyed(
        k[0], Dictionary(uniqueKeysWithValues: zip(streams, vdevs.map { Expr.literal($0) })), otherwise: 0)
    }
    // With `da-setup-dma`: the realm enabled DMA on every device with the current evidence.
    if c.has(CCA.Feature.daSetupDMA) {
      builder.setInitial(daState.vdevDMA) { k in RMMBuilder.keyed(k[0], each(vdevs, true), otherwise: false) }
      builder.setInitial(daState.vdevDMAVerified) { k in RMMBuilder.keyed(k[0], each(vdevs, true), otherwise: false) }
      builder.setInitial(daState.steValid) { k in k[0].lt(.literal(Value(streamCount))) }
    }
  }
}
