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
        of an UNDELEGATED granule returning REALM_0).
        """,
      delegatedCleanFormula)
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
