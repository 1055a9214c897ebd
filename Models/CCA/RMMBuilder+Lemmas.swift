import Spec

// MARK: - Strengthening lemmas of the RMM configurations (issue 15)

extension RMMBuilder {
  /// Declares the lemmas that make the RMM's properties inductive (Proofs/rmm-*-induction.toml;
  /// Docs/proving-a-property.md §4 tells how each was found from a CTI).
  ///
  /// Like the GPT layer's (CCABuilder+Properties.swift), each holds in every reachable state of the correct model and
  /// is proved together with the property it strengthens; each is needed: dropped, induction gives a CTI
  /// (Tests/ProvingTests/RMMProofTests.swift).
  ///
  /// Three of them restate properties (`gpt-consistent`, `delegated-clean`, `rmm-wellformed`)
  /// from the same Swift formula, so that each monitor (`hyp-no-realm-read`,
  /// `hyp-no-realm-write`, `realm-isolation`) is inductive in a target of its own: a target
  /// assumes lemmas, never the other properties.
  func declareLemmas() {
    let pe = cca.pe
    var atomic: [Expr] = [
      !pre.read(machine.gptLock),
      .forAll(granule) { g in !self.pre.read(self.machine.granuleLock, [g]) },
      .forAll(pe) { p in self.cca.idle(self.pre, p) && self.pre.read(self.machine.el3Granule, [p]).eq(0) },
    ]
    if case .descriptors(_, let el3Descriptor) = machine.gpt {
      atomic.append(.forAll(pe) { p in self.pre.read(el3Descriptor, [p]).eq(0) })
    }
    builder.lemma(
      "rmm-commands-atomic",
      doc: """
        Between actions no RMI command is in flight: every PE's EL3 sequence is IDLE (with granule 0 \
        and descriptor word 0), no granule's RMM lock and not the GPT lock is held. The rmm feature \
        runs each command, GPT transition included, within one action (it needs atomic GPT \
        transitions), so these are the only states between actions. Without it induction starts from \
        states with granules locked, which gpt-consistent and delegated-clean say nothing about \
        (the first CTI of gpt-consistent: RMI_REALM_DESTROY on locked granules; dropped from the \
        full set: NS_WRITE dirtying the NS line of a locked RTT granule whose GPI is NS).
        """,
      .and(atomic))
    builder.lemma(
      "rmm-gpi-follows-state",
      doc: """
        gpt-consistent, stated as a lemma: a granule's GPI is NS exactly when it is UNDELEGATED and \
        REALM in every other RMM state, and every valid cached GPI is the GPT's. The monitors need \
        it: an NS access passes the GPC (a cached GPI or a walk) only on an UNDELEGATED granule, \
        which is where rmm-free-granules-scrubbed applies (CTI without it: NS_READ of a DELEGATED \
        granule whose cached GPI is NS, hitting an NS line that holds REALM_0).
        """,
      gptConsistentFormula)
    builder.lemma(
      "rmm-free-granules-scrubbed",
      doc: """
        delegated-clean, stated as a lemma: an UNDELEGATED or DELEGATED granule holds no realm data \
        in memory or a valid Realm line, nor, once UNDELEGATED, in a valid NS line. With \
        rmm-gpi-follows-state it is why an NS read never returns realm data: the only granules it \
        reaches hold none, in the line it hits or the memory it fills from (CTI without it: NS_READ \
        of an UNDELEGATED granule returning REALM_0). With MECID-tagged lines it restates that \
        configuration's delegated-clean (RMMBuilder+MECIDLines.swift), since the release leaves a \
        DELEGATED granule's memory unzeroed there.
        """,
      cca.taggedLines ? taggedDelegatedCleanFormula : delegatedCleanFormula)
    // The parametric variant states it by pointer (its counts enumerate granules; RMMBuilder+Parametric.swift).
    if cca.parametric { declareParametricLemmas() } else { declareTablesWellformedLemma() }
    builder.lemma(
      "dirty-ns-line-only-when-undelegated",
      doc: """
        A granule with a dirty Non-secure line is UNDELEGATED. NS lines become dirty only by writes \
        that passed the GPC in the NS PAS (the host's, a Non-secure stream's, a realm's through an \
        ASSIGNED_NS entry), which only UNDELEGATED granules pass; RMI_GRANULE_DELEGATE cleans and \
        invalidates the NS alias (reference/rme.md §2.3 step 1) before the GPI becomes REALM. This is \
        what hyp-no-realm-write rests on: a write-back of the host's line never lands on realm data \
        (CTI without it: CACHE_EVICT of a dirty NS line of a granule whose memory holds REALM_0).
        """,
      .forAll(granule) { g in
        self.pre.read(self.machine.cacheLine, [g, .literal(PAS.nonSecure)]).eq(.literal(LineState.dirty))
          .implies(self.state(g).eq(.literal(GranuleState.undelegated)))
      })
    declareRealmDataLemma()
    if let tlb = s2tlb { declareS2TLBLemma(tlb) }
    declareTaggedLineLemma()
    if recState.auxCount == 0 {
      builder.lemma(
        "no-rec-aux-without-aux-count",
        doc: """
          With RecAuxCount 0 no granule is REC_AUX: RMI_REC_CREATE takes no auxiliary granules, so \
          nothing enters that state. rmm-wellformed counts a REC's auxiliary granules only when the \
          count is positive; without this, induction starts from a REC_AUX granule whose REC \
          RMI_REC_DESTROY frees, leaving it with a parent that is no REC (the first CTI of \
          rmm-wellformed at rmm-small).
          """,
        .forAll(granule) { g in self.state(g).ne(.literal(GranuleState.recAux)) })
    }
  }
}

extension RMMBuilder {
  /// Declares `realm-data-in-own-granules`, with two or more realms and untagged lines (with one realm realm-isolation
  /// has no other realm to read; with `mecid-lines` the RMM releases a DATA granule without zeroing it, ADR 0009, so
  /// old labels stay behind under their MECID's copy and this lemma is false there).
  func declareRealmDataLemma() {
    let realms = cca.realmSort.count
    guard realms > 1, !cca.taggedLines else { return }
    let realmLine = Expr.literal(PAS.realm)
    builder.lemma(
      "realm-data-in-own-granules",
      doc: """
        Realm r's label is only in realm r's own DATA granules: a granule whose memory, or whose valid \
        Realm-alias line, holds REALM_r is DATA and owned by r. A label moves only within its granule \
        (a fill copies memory to the line, a write-back the line to memory); a realm writes it only \
        through its own walk, which reaches its DATA (rmm-tables-wellformed), and RMI_DATA_CREATE writes \
        it only into the granule it gives the realm; every way out of DATA scrubs (memory ZERO, the \
        Realm line dropped). delegated-clean says this of UNDELEGATED and DELEGATED granules only, which \
        leaves RD, REC, RTT and another realm's DATA open. Without it, at rmm-reuse-mec induction \
        starts from realm 1's DATA granule whose valid Realm line holds REALM_0 tagged with realm 1's \
        MECID, and REALM_READ by realm 1 returns REALM_0 (the first CTI of realm-isolation there); \
        dropped from the full set, from realm 0's DATA granule whose memory and Realm line hold \
        REALM_1 under realm 0's MECID, both realms with MECID 0 (REALM_READ by realm 0). Under MEC it \
        is also why one MECID for two realms leaks nothing: they never hold each other's labels.
        """,
      .forAll(granule) { g in
        .and(
          (0..<realms).map { k in
            let label = Expr.literal(self.cca.content.realm(k))
            return
              (self.pre.read(self.machine.memory, [g]).eq(label)
              || (self.pre.read(self.machine.cacheLine, [g, realmLine]).ne(.literal(LineState.invalid))
                && self.pre.read(self.machine.cacheData, [g, realmLine]).eq(label)))
              .implies(
                self.state(g).eq(.literal(GranuleState.data))
                  && self.pre.read(self.rmmState.owner, [g]).eq(.literal(Value(k))))
          })
      })
  }
}

extension RMMBuilder {
  /// What a cached translation of a protected page can say: the stage-2 translation of realm `rr` for protected page
  /// IPA `ipa` is `entry` (`g + 1` for granule `g`), as a PE's stage-2 TLB or an SMMU's TLB caches it: the realm is
  /// live and its walk reaches a level-3 entry that is ASSIGNED with RIPAS RAM to `g`.
  ///
  /// A realm access caches exactly the walk it made (REALM_READ / REALM_WRITE, DEVICE_REALM_*), so such an entry
  /// translates as a walk would.
  func protectedTranslationAgrees(realm rr: Expr, ipa: Expr, entry: Expr) -> Expr {
    let (reached, position) = leaf(rr, ipa)
    return pre.read(rmmState.realmState, [rr]).ne(.literal(RealmState.none)) && reached
      && read(rmmState.rtte, position).eq(RTTEntry.assignedRAM.expr)
      && (protectedGranule(rr, ipa, at: position) + 1).eq(entry)
  }

  /// Declares `s2-tlb-entries-follow-rtt` (with `s2-tlb`).
  func declareS2TLBLemma(_ tlb: S2TLBVariables) {
    builder.lemma(
      "s2-tlb-entries-follow-rtt",
      doc: """
        A PE's stage-2 TLB entry for a VMID (realm, plane) and a protected page translates as the realm's \
        RTT does now: the realm is live and its walk for the page reaches a level-3 entry ASSIGNED with \
        RIPAS RAM to the cached granule. A realm access caches the walk it made, and every RMI command that \
        changes what a valid protected entry translates to invalidates the page for every VMID of the \
        realm before it returns (RMI_DATA_DESTROY of a RAM entry, RMI_RTT_SET_RIPAS to EMPTY, \
        RMI_RTT_DESTROY; reference/rme.md §2.5, TF-RMM stage2_tlbi_ipa_per_vmids); a realm is destroyed \
        only once no protected entry is live. So a hit reaches the realm's DATA as the walk would \
        (rmm-tables-wellformed says where the walk goes). Without it, induction starts from realm 0's \
        plane-0 entry for IPA 0 naming realm 1's DATA granule, and REALM_READ through it returns \
        REALM_1 (realm-isolation at rmm-tlb). Unprotected pages are left free: \
        RMI_REALM_DESTROY succeeds with ASSIGNED_NS entries left (they hold no reference, \
        reference/rmm.md §1.5) and invalidates nothing (TF-RMM smc_realm_destroy frees the VMID \
        assuming no entry is tagged with it), so an NS translation can outlive its realm and be hit \
        by the next realm given that VMID (the CTI of the first version of this lemma); it reaches \
        only what the GPC lets the Non-secure PAS reach, an UNDELEGATED granule.
        """,
      .forAll(cca.pe) { p in
        .forAll(self.realm) { rr in
          .forAll(.index(tlb.planeSort)) { plane in
            .forAll(.index(tlb.pageSort)) { page in
              let entry = self.pre.read(tlb.entry, [p, rr, plane, page])
              let ipa = self.pageIPA(page)
              return (entry.ne(0) && ipa.lt(.literal(self.geometry.protectedLimit)))
                .implies(self.protectedTranslationAgrees(realm: rr, ipa: ipa, entry: entry))
            }
          }
        }
      })
  }
}

extension RMMBuilder {
  /// Declares `realm-data-under-realm-mecid` (with `mecid-lines`).
  func declareTaggedLineLemma() {
    guard cca.taggedLines, let keys = cca.keys else { return }
    let content = cca.content
    builder.lemma(
      "realm-data-under-realm-mecid",
      doc: """
        With MECID-tagged lines, realm data is only ever under a realm MECID: memory holding a REALM_r \
        label was written under a realm MECID's key (not NS, not the RMM's MECID 0), and no valid copy \
        under MECID 0 holds one. Only a realm's own accesses (under its MECID), RMI_DATA_CREATE (under \
        the realm's MECID) and write-backs of those copies (under the copy's MECID) put a realm label \
        in memory; the RMM's writes under MECID 0 are zeroes and scrubs, and a fill under MECID 0 of \
        memory written under another key reads CIPHERTEXT (reference/rme.md §4.1). no-stale-realm-copy \
        lets a DELEGATED granule's memory keep its last realm's data (TF-RMM's release writes it back \
        without zeroing) but does not say under which key: without this, induction starts from such \
        memory under MECID 0, and SPECULATIVE_FILL of its MECID-0 copy puts REALM_0 in a copy under the \
        RMM's MECID (the first CTI at rmm-small-mec-lines, breaking no-stale-realm-copy).
        """,
      .forAll(granule) { g in
        let memoryKey = self.pre.read(keys.memoryContext, [g])
        let line = Expr.literal(PAS.realm)
        return content.isRealmData(self.pre.read(self.machine.memory, [g])).implies(
          memoryKey.ne(.literal(EncryptionContext.nonSecure)) && memoryKey.ne(.literal(EncryptionContext.rmm)))
          && self.pre.read(self.machine.cacheLine, [g, line]).ne(.literal(LineState.invalid)).implies(
            !content.isRealmData(self.pre.read(self.machine.cacheData, [g, line])))
      })
    guard cca.realmSort.count > 1 else { return }
    builder.lemma(
      "own-mecid-copy-holds-own-data",
      doc: """
        With MECID-tagged lines and two or more realms, realm r's DATA granule holds no other realm's \
        data in memory or in its copy under r's MECID (the only copy r's accesses hit). RMI_DATA_CREATE \
        writes the granule's memory under r's MECID and drops that copy; after it only r writes there, \
        its own label, and a write-back of another realm's copy would be a dirty stale copy, which \
        no-stale-realm-copy excludes. no-stale-realm-copy lets a clean copy under a realm MECID hold \
        an old label in a granule that realm does not own, which with one MECID for two realms (a \
        Shared MEC) is the MECID the granule's new owner reads under: without this, induction starts \
        from realm 1's DATA granule whose MECID-0 copy holds REALM_0, both realms under MECID 0, and \
        REALM_READ by realm 1 returns REALM_0 (the first CTI of realm-isolation at \
        rmm-reuse-mec-lines).
        """,
      .forAll(granule) { g in
        let owner = self.pre.read(self.rmmState.owner, [g])
        let own = content.realmLabel(owner)
        let key = self.cca.realmLineKey(self.cca.realmContext(owner))
        func foreign(_ label: Expr) -> Expr { content.isRealmData(label) && label.ne(own) }
        return self.state(g).eq(.literal(GranuleState.data)).implies(
          !foreign(self.pre.read(self.machine.memory, [g]))
            && self.pre.read(self.machine.cacheLine, [g, key]).ne(.literal(LineState.invalid)).implies(
              !foreign(self.pre.read(self.machine.cacheData, [g, key])))
        )
      })
  }
}

extension RMMBuilder {
  /// Declares `rmm-tables-wellformed`: rmm-wellformed restated as a lemma.
  func declareTablesWellformedLemma() {
    builder.lemma(
      "rmm-tables-wellformed",
      doc: """
        rmm-wellformed, stated as a lemma: owners, reference counts and the RTT tree agree. It is \
        most of the invariant: a realm access (REALM_READ/WRITE, and DMA through a realm's stage 2) \
        reaches a granule through an ASSIGNED entry of its realm's walk, and only the tree facts \
        say that granule is the realm's DATA, so that realm data written there stays out of \
        UNDELEGATED and DELEGATED granules; RMI_REALM_DESTROY frees the RD and the starting-level \
        RTT the realm points at, and only the tree facts say those are RD and RTT granules (CTI \
        without it: RMI_REALM_DESTROY of a realm whose RTT base is an UNDELEGATED granule, which \
        then becomes DELEGATED with GPI NS).
        """,
      wellformed)
  }
}
