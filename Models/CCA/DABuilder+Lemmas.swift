import Spec

// MARK: - Strengthening lemmas of the DA configurations (issue 15)

extension DABuilder {
  /// Declares the lemmas that, with the RMM's (RMMBuilder+Lemmas.swift), make the DA properties inductive
  /// (Proofs/slow/rmm-da-properties-induction.toml; Docs/proving-a-property.md §4 tells how each was found
  /// from a CTI).
  ///
  /// Each holds in every reachable state of the correct model and is proved together with the property it strengthens;
  /// Proofs/da-lemmas-*-bfs.toml check them from the setup starts too.
  func declareLemmas() {
    builder.lemma(
      "da-bookkeeping-wellformed",
      doc: """
        da-wellformed, stated as a lemma from the same formula (DABuilder+Properties.swift), as \
        rmm-tables-wellformed restates rmm-wellformed: PDEV and VDEV bookkeeping agrees with the \
        SMMU's stream table, its cache and its GPT TLB. It is most of device-assigned-only's \
        invariant: a device access is allowed by exactly its facts (a cached or valid STE names a \
        VDEV of the realm it translates for, with DMA on only while STARTED with verified \
        evidence), and the other monitors at the DA configurations need its SMMU half (a Non-secure \
        stream's GPC passes only where the GPT says NS). A target assumes lemmas, never the other \
        properties, so this is what lets a monitor be inductive in a target of its own at a DA \
        configuration (`device-assigned-only` alone checks nothing but its flag: without this, a \
        device access from a state with the STE cached for the wrong realm sets it).
        """,
      wellformed)
    builder.lemma(
      "pdev-streams-distinct",
      doc: """
        Two PDEVs never share a stream: RMI_PDEV_CREATE fails with params_valid when another PDEV has \
        the requested stream (RID ranges must not overlap, reference/rmm.md §3.2), and a PDEV keeps its \
        stream until RMI_PDEV_DESTROY. da-wellformed says a bound STE names a VDEV of a PDEV on that \
        stream and a PDEV's VDEV count is its number of VDEVs, but not that the stream has one PDEV: \
        without this, induction starts from two PDEVs on stream 0, one of them with a VDEV, and \
        RMI_VDEV_CREATE on the other (whose count is 0, so tdi_id passes) rebinds the stream's STE to \
        the new VDEV, leaving the first VDEV's STE pointing elsewhere (the first CTI of \
        device-assigned-only with da-wellformed at rmm-da: `steVdev[0]: 2 -> 1`).
        """,
      .forAll(granule) { g in
        .forAll(self.granule) { h in
          (g.ne(h) && self.isState(g, GranuleState.pdev) && self.isState(h, GranuleState.pdev))
            .implies(self.pre.read(self.daState.pdevStream, [g]).ne(self.pre.read(self.daState.pdevStream, [h])))
        }
      })
    let vs = { (s: Value) -> Expr in .literal(s) }
    builder.lemma(
      "vdev-request-matches-state",
      doc: """
        A TDISP request in flight matches the VDEV state it was started from, and none is in flight \
        with DMA on while it is VDEV_UNLOCK's: RMI_VDEV_LOCK starts LOCK only from UNLOCKED, START \
        only from LOCKED, UNLOCK only from LOCKED, STARTED or ERROR (and disables DMA in the same \
        command), GET_MEASUREMENTS from UNLOCKED, LOCKED or STARTED, GET_INTERFACE_REPORT from LOCKED \
        or STARTED, each only when no request is in flight; only RMI_VDEV_COMMUNICATE and \
        RMI_VDEV_ABORT change the state of a VDEV with a request, and both clear the request, and \
        RSI_VDEV_DMA_ENABLE fails while UNLOCK is in flight (reference/rmm.md §3.3). da-wellformed \
        says DMA on means STARTED, but not which request a STARTED VDEV can have (the CTI without it: \
        RMI_VDEV_COMMUNICATE completing a LOCK request of a STARTED VDEV with DMA on, which leaves a \
        LOCKED VDEV with DMA on).
        """,
      .forAll(granule) { g in
        let st = self.pre.read(self.daState.vdevState, [g])
        let request = self.pre.read(self.daState.vdevRequest, [g])
        func when(_ r: Value, _ states: [Value]) -> Expr {
          request.eq(.literal(r)).implies(st.isOne(of: states.map(vs)))
        }
        return when(VdevRequest.lock, [VdevState.unlocked]) && when(VdevRequest.start, [VdevState.locked])
          && when(VdevRequest.unlock, [VdevState.locked, VdevState.started, VdevState.error])
          && when(VdevRequest.measurements, [VdevState.unlocked, VdevState.locked, VdevState.started])
          && when(VdevRequest.report, [VdevState.locked, VdevState.started])
          && request.eq(.literal(VdevRequest.unlock)).implies(!self.pre.read(self.daState.vdevDMA, [g]))
      })
    if vdevTdi != nil { declareRecCountLemma() }
    if let t = rmm.smmuTLB { declareSMMUTLBLemmas(t) }
    if rmm.daMemory != nil {
      builder.lemma(
        "dev-mapped-unreferenced",
        doc: """
          A DEV_MAPPED granule's reference count is 0. RMI_VDEV_MAP takes a DELEGATED granule (count 0, \
          rmm-wellformed) and counts the mapping in the RTT's count, not the granule's; nothing counts \
          references to a DEV_MAPPED granule, and RMI_VDEV_UNMAP returns it to DELEGATED keeping its \
          count (reference/rmm.md §3.4). rmm-wellformed fixes the count of UNDELEGATED, DELEGATED, RD, \
          REC and RTT granules, and da-wellformed says who owns a DEV_MAPPED one, but neither its count: \
          without this, induction starts from a DEV_MAPPED granule with count 4, and RMI_VDEV_UNMAP \
          leaves a DELEGATED granule with count 4 (the first CTI of device-assigned-only with \
          da-wellformed at rmm-da-mem, breaking rmm-tables-wellformed).
          """,
        .forAll(granule) { g in
          self.isState(g, GranuleState.devMapped).implies(self.pre.read(self.rmmState.refcount, [g]).eq(0))
        })
      let realmLine = Expr.literal(PAS.realm)
      builder.lemma(
        "dev-mapped-holds-no-realm-data",
        doc: """
          A DEV_MAPPED granule holds no realm data, in memory or a valid Realm-alias line. RMI_VDEV_MAP \
          takes a DELEGATED granule, which holds none (delegated-clean); while it is mapped nothing writes \
          a realm label to it: the realm's MMIO accesses (REALM_DEV_ACCESS) reach device registers, not \
          memory content, and REALM_WRITE and device DMA write only through ASSIGNED RAM entries, which \
          name DATA granules; fills and write-backs move content only between the granule's memory and \
          its own lines. RMI_VDEV_UNMAP returns it to DELEGATED without a scrub (device memory is the \
          device's to clear), so delegated-clean after the unmap needs this: without it, induction \
          starts from a DEV_MAPPED granule whose memory and dirty Realm line hold REALM_0, and \
          RMI_VDEV_UNMAP leaves a DELEGATED granule holding them (the second CTI at rmm-da-mem).
          """,
        .forAll(granule) { g in
          self.isState(g, GranuleState.devMapped).implies(
            !self.cca.content.isRealmData(self.pre.read(self.machine.memory, [g]))
              && self.pre.read(self.machine.cacheLine, [g, realmLine]).ne(.literal(LineState.invalid)).implies(
                !self.cca.content.isRealmData(self.pre.read(self.machine.cacheData, [g, realmLine])))
          )
        })
    }
  }
}

extension DABuilder {
  /// Declares `realm-recs-within-index` (with `tdis` > 1).
  ///
  /// Only there: with one TDI per device the RD's reference count has the domain 0 ... recs + devices, and an RD
  /// counting more RECs than `recs` besides its VDEVs is not a state the encoding can hold; with several TDIs the
  /// domain is recs + devices × tdis, wide enough for the RD of an induction's start to count two RECs at recs = 1, so
  /// the bound must be said.
  func declareRecCountLemma() {
    let granules = (0..<memoryMap.granules).map { Expr.literal(Value($0)) }
    builder.lemma(
      "realm-recs-within-index",
      doc: """
        A realm has no more RECs than its rec_index (`realmRecIndex`, at most recs): RMI_REC_CREATE creates a REC \
        only with MPIDR index rec_index and increments it, and fails once it reaches recs; RMI_REC_DESTROY removes \
        a REC; RMI_REALM_CREATE resets rec_index of a realm that has no RECs (a REC's realm is live) \
        (reference/rmm.md §2). rmm-wellformed counts an RD's RECs and VDEVs in its reference count, but says no \
        REC's MPIDR differs from another's: without this, induction at rmm-da-2tdi starts from a realm with two \
        RECs (recs = 1) and a VDEV, count 3, and RMI_VDEV_CREATE of TDI 1 takes the count past its domain \
        (the first CTI of rmm-wellformed at rmm-da-2tdi).
        """,
      .forAll(rmm.realm) { rr in
        self.rmm.sum(
          granules.map { g in
            self.rmm.one(self.isState(g, GranuleState.rec) && self.pre.read(self.rmmState.owner, [g]).eq(rr))
          }
        ).le(self.pre.read(self.rmmState.realmRecIndex, [rr]))
      })
  }

  /// Declares `pending-unmap-holds-its-granule` and `smmu-tlb-entries-follow-rtt` (with `smmu-tlb`,
  /// SMMUTLBVariables.swift).
  func declareSMMUTLBLemmas(_ t: SMMUTLBVariables) {
    let pending = pre.read(t.pending, [])
    let (unmapped, table, unmapRealm) = (pre.read(t.granule, []), pre.read(t.table, []), pre.read(t.realm, []))
    builder.lemma(
      "pending-unmap-holds-its-granule",
      doc: """
        While an RMI_DATA_DESTROY waits for its CMD_SYNC, the granule it will release is still DATA of the \
        unmap's realm, no ASSIGNED entry names it any more, and the level-3 RTT whose reference it holds is an \
        RTT of that realm. RMI_DATA_DESTROY clears the entry and records the entry's granule, table and realm in \
        one step; until RMM_CMD_SYNC nothing else can take the granule (every command that changes a DATA \
        granule's state finds it through an entry, and there is none) or free the table (its reference count \
        still counts the pending unmap, so RMI_RTT_DESTROY and RMI_REALM_DESTROY fail), and a second \
        RMI_DATA_DESTROY waits. rmm-wellformed counts the pending unmap's reference in its table and lets the \
        pending granule be unmapped DATA, but never says the granule is DATA or the table an RTT: without this, \
        induction starts from a pending unmap of a PDEV granule whose table is a DELEGATED granule, and \
        RMI_REALM_CREATE makes that granule the new realm's RTT with reference count 0 while rmm-wellformed \
        counts the pending reference in it (the CTI of rmm-wellformed at rmm-da-iotlb without this lemma); \
        RMM_CMD_SYNC would likewise release a granule that is not DATA, or is still mapped.
        """,
      pending.implies(
        isState(unmapped, GranuleState.data) && pre.read(rmmState.owner, [unmapped]).eq(unmapRealm)
          && isState(table, GranuleState.rtt) && pre.read(rmmState.owner, [table]).eq(unmapRealm)
          && .forAll(granule) { g in
            .forAll(.index(self.rmm.geometry.entrySort)) { i in
              RTTEntry.isOne(self.pre.read(self.rmmState.rtte, [g, i]), RTTEntry.assignedProtected).implies(
                self.pre.read(self.rmmState.rtteAddr, [g, i]).ne(unmapped))
            }
          }))
    let pageDomain = t.iotlb.keyDomains[2]
    builder.lemma(
      "smmu-tlb-entries-follow-rtt",
      doc: """
        An SMMU TLB entry of stream s for a realm (VMID) exists only while s's STE is cached for that realm, \
        and for a protected page it translates as the realm's RTT does now (the realm is live and its walk \
        reaches a level-3 entry ASSIGNED with RIPAS RAM to the cached granule), or it is the pending \
        RMI_DATA_DESTROY's page and granule with that unmap's CMD_TLBI_S2_IPA still queued on s's SMMU. A \
        device access caches the walk it made, under the STE it cached in the same step; dropping the STE \
        (DMA disable, VDEV_UNLOCK) drops the stream's entries; the RTT commands that change a valid protected \
        entry invalidate every SMMU before they return (RMI_RTT_SET_RIPAS to EMPTY, RMI_RTT_DESTROY, \
        RMI_RTT_UNMAP_UNPROTECTED), except \
        RMI_DATA_DESTROY, which queues the TLBI on every SMMU and keeps the granule DATA until the CMD_SYNC \
        (pending-unmap-holds-its-granule), which completes only once every SMMU consumed it, removing the \
        entry. So a hit reaches the realm's DATA as a walk would, or the granule still DATA that the unmap \
        will release only after the entry is gone (reference/rme.md §2.5, §3.3 item 3). Unprotected pages are \
        left free beyond the STE, as for the PEs' TLBs (s2-tlb-entries-follow-rtt): they reach only the \
        Non-secure PAS, which the SMMU's GPC restricts to UNDELEGATED granules. Without it, induction starts \
        from stream 0's entry for IPA 0 naming a VDEV granule while the RTT maps the page to the realm's DATA, \
        and DEVICE_REALM_READ reaches the VDEV granule (device-assigned-only at rmm-da-iotlb).
        """,
      .forAll(stream) { s in
        .forAll(self.rmm.realm) { rr in
          .forAll(pageDomain) { page in
            let entry = self.pre.read(t.iotlb, [s, rr, page])
            let ipa = self.rmm.pageIPA(page)
            let stale =
              pending && self.pre.read(t.tlbiQueued, [s]) && unmapRealm.eq(rr)
              && self.pre.read(t.page, []).eq(page) && (unmapped + 1).eq(entry)
            return entry.ne(0).implies(
              self.pre.read(self.daState.steCached, [s]) && self.pre.read(self.daState.steCachedRealm, [s]).eq(rr)
                && ipa.lt(.literal(self.rmm.geometry.protectedLimit)).implies(
                  self.rmm.protectedTranslationAgrees(realm: rr, ipa: ipa, entry: entry) || stale)
            )
          }
        }
      })
  }
}
