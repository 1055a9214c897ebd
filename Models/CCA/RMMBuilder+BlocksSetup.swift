import Spec

// MARK: - The `blocks-setup` start state

extension RMMBuilder {
  /// The granules of the `blocks-setup` start state, in PA order from DRAM0: a Non-secure buffer,
  /// realm 0's RD, its starting-level (level 2) RTT, its level-3 RTT, the DATA pages at IPA 0 and
  /// 0x1000 (granules 4 and 5: the first PA is aligned to a level-2 entry, 8 KB), and its REC.
  enum BlocksSetupGranule {
    static let buffer: Value = 0
    static let rd: Value = 1
    static let rtt2: Value = 2
    static let rtt3: Value = 3
    static let data0: Value = 4
    static let data1: Value = 5
    static let rec: Value = 6
    static let count = 7
  }

  /// Makes the model start where a protected block is one call away instead of at boot: realm 0
  /// ACTIVE with its RD, its level-2 starting RTT whose entry 0 (IPA 0-0x2000, protected) is a
  /// TABLE to a level-3 RTT mapping two DATA pages with RIPAS RAM (the realm's data) at IPA 0 and
  /// 0x1000, contiguous and 8 KB aligned, so RMI_RTT_FOLD makes them a level-2 ASSIGNED block;
  /// entry 1 (the unprotected half) UNASSIGNED_NS; a runnable REC running on PE 0; every
  /// delegated granule's GPI REALM; caches empty.
  ///
  /// This is the state the calls RMI_GRANULE_DELEGATE ×6, REALM_CREATE, RTT_CREATE (level 3),
  /// DATA_CREATE ×2, REC_CREATE, REALM_ACTIVATE, REC_ENTER reach from boot on `rmm-blocks` with 7
  /// granules (BlocksTests replays them and compares every slot), so a violation found from here
  /// is one from boot, 13 calls longer.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` unless the bounds are `rmm-blocks-setup`'s
  ///   (7 granules, 1 realm, 2 RTT levels of 2 entries).
  func declareBlocksSetupStart() throws {
    typealias G = BlocksSetupGranule
    try requireSetupBounds(feature: "blocks-setup", granules: G.count, realms: 1, levels: 2, entries: 2)
    let data = Expr.literal(cca.content.realm(0))
    setInitialObjects(
      [
        G.rd: GranuleState.rd, G.rtt2: GranuleState.rtt, G.rtt3: GranuleState.rtt, G.data0: GranuleState.data,
        G.data1: GranuleState.data, G.rec: GranuleState.rec,
      ], contents: [G.data0: data, G.data1: data])
    builder.setInitial(rmmState.refcount) { k in
      Self.keyed(k[0], [G.rd: 1, G.rtt2: 1, G.rtt3: 2, G.rec: 1], otherwise: 0)
    }
    builder.setInitial(rmmState.recRunnable) { k in k[0].eq(.literal(G.rec)) }
    builder.setInitial(rmmState.realmState) { k in
      Self.keyed(k[0], [0: .literal(RealmState.active)], otherwise: .literal(RealmState.none))
    }
    builder.setInitial(rmmState.realmRD) { k in Self.keyed(k[0], [0: .literal(G.rd)], otherwise: 0) }
    builder.setInitial(rmmState.realmRTTBase) { k in Self.keyed(k[0], [0: .literal(G.rtt2)], otherwise: 0) }
    builder.setInitial(rmmState.realmRIM) { k in Self.keyed(k[0], [0: 4], otherwise: 0) }
    builder.setInitial(rmmState.realmRecIndex) { k in Self.keyed(k[0], [0: 1], otherwise: 0) }
    builder.setInitial(rmmState.rtte) { k in
      Self.keyed(
        k[0],
        [
          G.rtt2: .ite(k[1].eq(0), then: RTTEntry.table.expr, else: RTTEntry.unassignedNS.expr),
          G.rtt3: RTTEntry.assignedRAM.expr,
        ], otherwise: RTTGeometry.canonical.expr)
    }
    builder.setInitial(rmmState.rtteAddr) { k in
      Self.keyed(
        k[0],
        [
          G.rtt2: .ite(k[1].eq(0), then: .literal(G.rtt3), else: 0),
          G.rtt3: .literal(G.data0) + k[1],
        ], otherwise: 0)
    }
    builder.setInitial(rmmState.rttLevel) { k in Self.keyed(k[0], [G.rtt2: 2, G.rtt3: 3], otherwise: 0) }
    builder.setInitial(rmmState.mappedIPA) { k in Self.keyed(k[0], [G.data1: 0x1000], otherwise: 0) }
    builder.setInitial(rmmState.peRunning) { k in k[0].eq(0) }
    builder.setInitial(rmmState.peREC) { k in Self.keyed(k[0], [0: .literal(G.rec)], otherwise: 0) }
  }
}
