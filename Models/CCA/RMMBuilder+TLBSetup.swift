import Spec

// MARK: - The `tlb-setup` start state

extension RMMBuilder {
  /// The granules of the `tlb-setup` start state, in PA order from DRAM0: a Non-secure buffer
  /// (RealmParams, RecParams, RecRun, the DATA source), realm 0's RD, starting-level RTT, DATA page
  /// at IPA 0 and REC, then realm 1's RD and starting-level RTT.
  enum TLBSetupGranule {
    static let buffer: Value = 0
    static let rd0: Value = 1
    static let rtt0: Value = 2
    static let data: Value = 3
    static let rec: Value = 4
    static let rd1: Value = 5
    static let rtt1: Value = 6
    static let count = 7
  }

  /// Makes the model start with two realms instead of at boot: realm 0 (VMID 0) ACTIVE with its
  /// RD, one level-3 starting RTT mapping the DATA page at IPA 0 (RIPAS RAM, the realm's data), a
  /// runnable REC running on PE 0; realm 1 (VMID 1) NEW with its RD and starting RTT (every
  /// protected IPA UNASSIGNED EMPTY, the unprotected ones UNASSIGNED_NS); every delegated granule's
  /// GPI REALM; caches, GPT TLBs and stage-2 TLBs empty.
  ///
  /// This is the state the calls RMI_GRANULE_DELEGATE ×6, REALM_CREATE (VMID 0), DATA_CREATE,
  /// REC_CREATE, REALM_ACTIVATE, REALM_CREATE (VMID 1), REC_ENTER reach from boot on `rmm-tlb` (a
  /// test replays them and compares every slot), so a violation found from here is one from boot, 12
  /// calls longer.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` unless the bounds are `rmm-tlb`'s (7
  ///   granules, 2 realms, one level-3 RTT of 2 entries).
  func declareTLBSetupStart() throws {
    typealias G = TLBSetupGranule
    try requireSetupBounds(feature: "tlb-setup", granules: G.count, realms: 2, levels: 1, entries: 2)
    setInitialObjects(
      [
        G.rd0: GranuleState.rd, G.rtt0: GranuleState.rtt, G.data: GranuleState.data, G.rec: GranuleState.rec,
        G.rd1: GranuleState.rd, G.rtt1: GranuleState.rtt,
      ], contents: [G.data: .literal(cca.content.realm(0))])
    builder.setInitial(rmmState.owner) { k in Self.keyed(k[0], [G.rd1: 1, G.rtt1: 1], otherwise: 0) }
    builder.setInitial(rmmState.refcount) { k in Self.keyed(k[0], [G.rd0: 1, G.rtt0: 1, G.rec: 1], otherwise: 0) }
    builder.setInitial(rmmState.recRunnable) { k in k[0].eq(.literal(G.rec)) }
    builder.setInitial(rmmState.realmState) { k in
      Self.keyed(
        k[0], [0: .literal(RealmState.active), 1: .literal(RealmState.new)], otherwise: .literal(RealmState.none))
    }
    builder.setInitial(rmmState.realmRD) { k in
      Self.keyed(k[0], [0: .literal(G.rd0), 1: .literal(G.rd1)], otherwise: 0)
    }
    builder.setInitial(rmmState.realmRTTBase) { k in
      Self.keyed(k[0], [0: .literal(G.rtt0), 1: .literal(G.rtt1)], otherwise: 0)
    }
    builder.setInitial(rmmState.realmRIM) { k in Self.keyed(k[0], [0: 3, 1: 1], otherwise: 0) }
    builder.setInitial(rmmState.realmRecIndex) { k in Self.keyed(k[0], [0: 1], otherwise: 0) }
    // Entry 0 (IPA 0, protected), entry 1 (IPA 0x1000, unprotected).
    builder.setInitial(rmmState.rtte) { k in
      .ite(
        k[0].eq(.literal(G.rtt0)) && k[1].eq(0), then: RTTEntry.assignedRAM.expr,
        else: .ite(
          k[0].eq(.literal(G.rtt1)) && k[1].eq(0), then: RTTEntry.unassignedEmpty.expr,
          else: .ite(
            k[0].isOne(of: [.literal(G.rtt0), .literal(G.rtt1)]), then: RTTEntry.unassignedNS.expr,
            else: RTTGeometry.canonical.expr)))
    }
    builder.setInitial(rmmState.rtteAddr) { k in
      .ite(k[0].eq(.literal(G.rtt0)) && k[1].eq(0), then: .literal(G.data), else: 0)
    }
    builder.setInitial(rmmState.rttLevel) { k in Self.keyed(k[0], [G.rtt0: 3, G.rtt1: 3], otherwise: 0) }
    builder.setInitial(rmmState.peRunning) { k in k[0].eq(0) }
    builder.setInitial(rmmState.peREC) { k in Self.keyed(k[0], [0: .literal(G.rec)], otherwise: 0) }
  }

  /// `values[k]` for the listed keys, `otherwise` for the rest: a start state's map, written as a
  /// chain of conditionals.
  static func keyed(_ k: Expr, _ values: [Value: Expr], otherwise: Expr) -> Expr {
    values.keys.sorted().reversed().reduce(otherwise) { rest, key in
      .ite(k.eq(.literal(key)), then: values[key] ?? rest, else: rest)
    }
  }

  /// Throws unless the configuration has the exact bounds a setup start state was written for.
  ///
  /// A setup start state names its granules by index, so it is valid at one size only: the
  /// feature's granules (none of them device memory), realms and RTT geometry.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` naming the feature and the bounds it needs.
  func requireSetupBounds(feature: String, granules: Int, realms: Int, levels: Int, entries: Int) throws {
    guard memoryMap.granules == granules, cca.realmSort.count == realms, geometry.levels == levels,
      geometry.entries == entries, memoryMap.deviceGranules == 0
    else {
      throw ModelError.invalid(
        location: "configuration \(cca.configuration.name)",
        message:
          "feature \(feature) needs granules = \(granules), realms = \(realms), rtt-levels = \(levels) "
          + "and rtt-entries = \(entries)")
    }
  }

  /// Makes a start state's granules: `states` gives the objects' granule states (the others are
  /// UNDELEGATED), their GPI is REALM (``setInitialGPT(_:)``) and their memory ZERO unless
  /// `contents` says otherwise; the other granules hold HOST.
  func setInitialObjects(_ states: [Value: Value], contents: [Value: Expr]) {
    setInitialGPT(Array(states.keys))
    var memory = states.mapValues { _ in Expr.literal(Content.zero) }
    memory.merge(contents) { $1 }
    builder.setInitial(machine.memory) { k in Self.keyed(k[0], memory, otherwise: .literal(Content.host)) }
    builder.setInitial(machine.granuleState) { k in
      Self.keyed(k[0], states.mapValues { .literal($0) }, otherwise: .literal(GranuleState.undelegated))
    }
  }

  /// Makes a start state's GPT: GPI REALM for the granules `realm` lists, NS for the others.
  func setInitialGPT(_ realm: [Value]) {
    guard case .descriptors(let gptDescriptor, _) = machine.gpt else { return }
    let word = (0..<MemoryMap.gpisPerDescriptor).reduce(Value(0)) { word, i in
      word | (realm.contains(Value(i)) ? GPI.realm : GPI.nonSecure) << Value(4 * i)
    }
    builder.setInitial(gptDescriptor) { k in
      Self.keyed(k[0], [0: .literal(word)], otherwise: .literal(0x9999_9999_9999_9999))
    }
  }
}
