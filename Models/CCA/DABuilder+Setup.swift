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
    guard memoryMap.granules == SetupGranule.count + memoryMap.deviceGranules, memoryMap.deviceGranules <= 1,
      rmm.geometry.levels == 1, entries == 2 || entries == 4
    else {
      throw ModelError.invalid(
        location: "configuration \(c.name)",
        message:
          "feature da-setup needs granules = 7 (8 with one device granule), rtt-levels = 1 and rtt-entries = 2 or 4")
    }
    typealias G = SetupGranule
    /// `values[k]` for the listed keys, `otherwise` for the rest.
    func table(_ k: Expr, _ values: [Value: Expr], otherwise: Expr) -> Expr {
      values.keys.sorted().reversed().reduce(otherwise) { rest, key in
        .ite(k.eq(.literal(key)), then: values[key] ?? rest, else: rest)
      }
    }
    let objects: [Value] = [G.rd, G.rtt, G.data, G.rec, G.pdev, G.vdev]
    // The device's MMIO granule (with device memory) is DELEGATED: Realm in the GPT.
    let device: [Value] = memoryMap.deviceGranules == 0 ? [] : [Value(memoryMap.firstDeviceGranule)]
    if case .descriptors(let gptDescriptor, _) = v.gpt {
      let word = (0..<MemoryMap.gpisPerDescriptor).reduce(Value(0)) { word, i in
        word | ((objects + device).contains(Value(i)) ? GPI.realm : GPI.nonSecure) << Value(4 * i)
      }
      b.setInitial(gptDescriptor) { k in table(k[0], [0: .literal(word)], otherwise: .literal(0x9999_9999_9999_9999)) }
    }
    let zero = Expr.literal(Content.zero)
    // The buffer, never delegated, and the device granule, delegated without a scrub (TF-RMM since
    // f5cce5bc), keep the host's boot content.
    var contents = Dictionary(uniqueKeysWithValues: objects.map { ($0, zero) })
    contents[G.data] = .literal(cca.content.realm(0))
    b.setInitial(v.memory) { k in table(k[0], contents, otherwise: .literal(Content.host)) }
    var states: [Value: Expr] = [
      G.rd: .literal(GranuleState.rd), G.rtt: .literal(GranuleState.rtt), G.data: .literal(GranuleState.data),
      G.rec: .literal(GranuleState.rec), G.pdev: .literal(GranuleState.pdev), G.vdev: .literal(GranuleState.vdev),
    ]
    for g in device { states[g] = .literal(GranuleState.delegated) }
    b.setInitial(v.granuleState) { k in table(k[0], states, otherwise: .literal(GranuleState.undelegated)) }
    b.setInitial(r.refcount) { k in table(k[0], [G.rd: 2, G.rtt: 1, G.rec: 1], otherwise: 0) }
    b.setInitial(r.recRunnable) { k in k[0].eq(.literal(G.rec)) }
    b.setInitial(r.realmState) { k in table(k[0], [0: .literal(RealmState.active)], otherwise: .literal(RealmState.none)) }
    b.setInitial(r.realmRD) { k in table(k[0], [0: .literal(G.rd)], otherwise: 0) }
    b.setInitial(r.realmRTTBase) { k in table(k[0], [0: .literal(G.rtt)], otherwise: 0) }
    b.setInitial(r.realmRIM) { k in table(k[0], [0: 3], otherwise: 0) }
    b.setInitial(r.realmRecIndex) { k in table(k[0], [0: 1], otherwise: 0) }
    // IPA 0: the DATA page; the other protected IPAs UNASSIGNED with RIPAS EMPTY; the rest UNASSIGNED_NS.
    let rootRow: (Expr) -> Expr = { i in
      .ite(
        i.eq(0), then: RTTEntry.assignedRAM.expr,
        else: .ite(
          i.lt(.literal(Value(entries / 2))), then: RTTEntry.unassignedEmpty.expr, else: RTTEntry.unassignedNS.expr))
    }
    b.setInitial(r.rtte) { k in .ite(k[0].eq(.literal(G.rtt)), then: rootRow(k[1]), else: RTTGeometry.canonical.expr) }
    b.setInitial(r.rtteAddr) { k in .ite(k[0].eq(.literal(G.rtt)) && k[1].eq(0), then: .literal(G.data), else: 0) }
    b.setInitial(r.rttLevel) { k in table(k[0], [G.rtt: 3], otherwise: 0) }
    b.setInitial(r.peRunning) { k in k[0].eq(0) }
    b.setInitial(r.peREC) { k in table(k[0], [0: .literal(G.rec)], otherwise: 0) }
    b.setInitial(d.pdevState) { k in table(k[0], [G.pdev: .literal(PdevState.ready)], otherwise: .literal(PdevState.new)) }
    b.setInitial(d.pdevVdevs) { k in table(k[0], [G.pdev: 1], otherwise: 0) }
    b.setInitial(d.vdevState) { k in table(k[0], [G.vdev: .literal(VdevState.started)], otherwise: .literal(VdevState.new)) }
    b.setInitial(d.vdevPdev) { k in table(k[0], [G.vdev: .literal(G.pdev)], otherwise: 0) }
    for variable in [d.vdevLockNonce, d.vdevMeasSeq, d.vdevReportSeq] {
      b.setInitial(variable) { k in table(k[0], [G.vdev: 1], otherwise: 0) }
    }
    b.setInitial(d.steBound) { k in k[0].eq(0) }
    b.setInitial(d.steVdev) { k in table(k[0], [0: .literal(G.vdev)], otherwise: 0) }
  }
}
