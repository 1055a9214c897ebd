import Spec

// MARK: - Properties across the RMM and the GPT layer

extension RMMBuilder {
  /// `1` when `condition` holds, else `0`: a term of a count.
  func one(_ condition: Expr) -> Expr { .ite(condition, then: 1, else: 0) }

  /// The sum of terms (0 when empty), as a balanced tree so that long sums (one term per entry
  /// of a 512-entry table) stay shallow.
  func sum(_ terms: [Expr]) -> Expr {
    switch terms.count {
    case 0: return 0
    case 1: return terms[0]
    default:
      let mid = terms.count / 2
      return sum(Array(terms[..<mid])) + sum(Array(terms[mid...]))
    }
  }

  /// Declares the GPT-layer properties as they read with the RMM (replacing the layer's own
  /// declarations), `realm-isolation` and `rmm-wellformed`.
  func declareProperties() {
    builder.monitor(
      CCA.PropertyName.hypNoRealmRead, doc: CCA.propertyDoc[CCA.PropertyName.hypNoRealmRead] ?? "",
      flag: machine.nsReadRealmData)
    builder.monitor(
      CCA.PropertyName.hypNoRealmWrite, doc: CCA.propertyDoc[CCA.PropertyName.hypNoRealmWrite] ?? "",
      flag: machine.nsWroteRealmData)
    builder.invariant(
      CCA.PropertyName.gptConsistent,
      doc: """
        With the RMM: for every granule with no RMI command in flight, the RMM state is UNDELEGATED \
        exactly when the GPI is NS, and any other state (DELEGATED, RD, REC, REC_AUX, DATA, RTT) \
        exactly when the GPI is REALM; every PE's valid cached GPI equals the GPT's.
        """,
      gptConsistentFormula)
    if cca.taggedLines {
      declareTaggedLineProperties()  // RMMBuilder+MECIDLines.swift
    } else {
      builder.invariant(
        CCA.PropertyName.delegatedClean,
        doc: """
          With the RMM: no one can observe a granule's old contents once it has left a realm. An \
          UNDELEGATED or DELEGATED granule with no command in flight holds no REALM_r label, neither in \
          memory nor in a valid Realm-alias line, nor, once UNDELEGATED, in a valid NS-alias line (the RMM scrubs every granule that returns to \
          DELEGATED, reference/rme.md §2.5; TF-RMM 1.0's "a DELEGATED granule is zero whenever unlocked").
          """,
        delegatedCleanFormula)
    }
    builder.monitor(
      CCA.PropertyName.realmIsolation, doc: CCA.propertyDoc[CCA.PropertyName.realmIsolation] ?? "",
      flag: rmmState.realmForeignAccess)
    // rmm-wellformed counts over the granules one by one (literals), which over an uninterpreted
    // Granule sort would count the named granules only: the parametric variant does not declare it
    // (Docs/ADR/0011-parametric-rmm.md).
    if !cca.parametric {
      builder.invariant(
        CCA.PropertyName.rmmWellformed, doc: CCA.propertyDoc[CCA.PropertyName.rmmWellformed] ?? "",
        wellformed)
    }
    cca.declareOwnMECIDProperty()  // per-realm without mecid-lines (CCABuilder+Properties.swift)
    cca.declareReadReturnsLastWrite()  // unless per-realm (CCABuilder+Properties.swift)
  }

  /// The `gpt-consistent` formula with the RMM (also the lemma `rmm-gpi-follows-state`,
  /// RMMBuilder+Lemmas.swift).
  var gptConsistentFormula: Expr {
    let granuleDomain = granule
    return .forAll(granuleDomain) { g in
      let st = self.state(g)
      let gpi = self.cca.gpi(self.pre, g)
      return (!self.pre.read(self.machine.granuleLock, [g])).implies(
        st.eq(.literal(GranuleState.undelegated)).eq(gpi.eq(.literal(GPI.nonSecure)))
          && st.ne(.literal(GranuleState.undelegated)).eq(gpi.eq(.literal(GPI.realm)))
          && .forAll(self.cca.pe) { p in
            self.pre.read(self.machine.gptTLBValid, [p, g]).implies(self.pre.read(self.machine.gptTLB, [p, g]).eq(gpi))
          })
    }
  }

  /// The `delegated-clean` formula with the RMM (also the lemma `rmm-free-granules-scrubbed`,
  /// RMMBuilder+Lemmas.swift).
  var delegatedCleanFormula: Expr {
    let granuleDomain = granule
    return .forAll(granuleDomain) { g in
      (!self.pre.read(self.machine.granuleLock, [g])
        && self.state(g).isOne(of: [.literal(GranuleState.undelegated), .literal(GranuleState.delegated)]))
        .implies(
          !self.cca.content.isRealmData(self.pre.read(self.machine.memory, [g]))
            && .forAll(PAS.cachedDomain) { pas in
              // While a granule is DELEGATED its NS alias is behind the GPC (GPI REALM), and
              // EL3's undelegate cleans that alias before the GPI becomes NS; a clean NS line
              // filled speculatively then is not observable, so only UNDELEGATED granules are
              // held to a clean NS alias.
              (self.pre.read(self.machine.cacheLine, [g, pas]).ne(.literal(LineState.invalid))
                && (pas.eq(.literal(PAS.realm)) || self.state(g).eq(.literal(GranuleState.undelegated))))
                .implies(!self.cca.content.isRealmData(self.pre.read(self.machine.cacheData, [g, pas])))
            })
    }
  }

  /// The `rmm-wellformed` formula: granule states, owners and reference counts agree with the
  /// realms and their RTTs, and the RTTs of each live realm form a tree of tables (reference/rmm.md
  /// §1.1, §1.4, §1.5).
  ///
  /// RTT tree shape, per table: every RTT granule is its realm's starting-level table or is
  /// reached by the realm's walk for the IPA it maps (``RMMVariables/mappedIPA``) at the level
  /// above its own (``RMMVariables/rttLevel``); every TABLE entry points to an RTT of the same
  /// realm one level down that maps the entry's IPA range, every ASSIGNED entry to a DATA
  /// granule of the realm mapped at the entry's IPA, and every DATA granule is reached by its
  /// realm's walk. Counting closes the argument: the live entries of all tables (their
  /// reference counts) plus the live realms' starting-level tables are exactly as many as the
  /// RTT and DATA granules, so each of those is referenced by exactly one entry (or realm). With
  /// `blocks`, a protected block entry (level 1 or 2, its first PA aligned to it) maps the realm's
  /// DATA granules at the following PAs and IPAs too, and holds one reference for all of them.
  var wellformed: Expr {
    let granules = (0..<memoryMap.granules).map { Expr.literal(Value($0)) }
    let realms = (0..<cca.realmSort.count).map { Expr.literal(Value($0)) }
    let none = Expr.literal(RealmState.none)
    func live(_ rr: Expr) -> Expr { pre.read(rmmState.realmState, [rr]).ne(none) }
    var facts: [Expr] = []
    // The objects an RD's reference count counts: its RECs, and with `da` its VDEVs.
    let rdReferrers: [Expr] =
      [.literal(GranuleState.rec)] + (cca.configuration.has(CCA.Feature.da) ? [.literal(GranuleState.vdev)] : [])
    for g in granules {
      facts += objectFacts(g) { own in
        self.sum(
          granules.map { h in
            self.one(self.state(h).isOne(of: rdReferrers) && self.pre.read(self.rmmState.owner, [h]).eq(own))
          })
      }
    }
    facts.append(.forAll(granule) { g in self.rttFacts(g) })
    // Counting: live entries (TABLE and ASSIGNED, the RTTs' reference counts) plus live realms'
    // starting-level tables = RTT granules + DATA granules.
    let isRTT: (Expr) -> Expr = { self.state($0).eq(.literal(GranuleState.rtt)) }
    let references = sum(
      granules.map { g in .ite(isRTT(g), then: pre.read(rmmState.refcount, [g]), else: 0) }
        + realms.map { one(live($0)) })
    // With `da`, a DEV_MAPPED granule is referenced by its ASSIGNED_DEV entry.
    let referencedStates: [Expr] =
      [.literal(GranuleState.data)] + (cca.configuration.has(CCA.Feature.da) ? [.literal(GranuleState.devMapped)] : [])
    // With `blocks`, a protected block's one reference stands for all its DATA granules: only the
    // first (its IPA aligned to the entry where its walk stops) is counted.
    let counted: (Expr) -> Expr = { g in
      guard self.blocks else { return self.state(g).isOne(of: referencedStates) }
      let base = self.pre.read(self.rmmState.mappedIPA, [g])
      let depth = self.walkDepth(
        self.pre.read(self.rmmState.owner, [g]), base, target: .literal(Value(self.geometry.lastDepth)))
      let size = self.byDepth(depth) { d in .literal(self.geometry.entrySize(depth: d)) }
      return self.state(g).isOne(of: referencedStates)
        && (self.state(g).ne(.literal(GranuleState.data)) || (base & (size - 1)).eq(0))
    }
    let referenced = sum(granules.map { g in one(isRTT(g) || counted(g)) })
    facts.append(references.eq(referenced))
    return .and(facts + realmAndPEFacts + recWellformed)
  }

  /// The facts of `rmm-wellformed` about granule `g`'s own state: free granules have no owner and
  /// no references, only RECs are runnable, an RD is its live realm's and counts `rdReferences`
  /// (of its owner; no count when nil), a REC's realm is live and it counts the PEs that run it.
  func objectFacts(_ g: Expr, rdReferences: ((_ owner: Expr) -> Expr)?) -> [Expr] {
    let st = state(g)
    let own = pre.read(rmmState.owner, [g])
    let rc = pre.read(rmmState.refcount, [g])
    let live = pre.read(rmmState.realmState, [own]).ne(.literal(RealmState.none))
    let pes = (0..<cca.peSort.count).map { Expr.literal(Value($0)) }
    return [
      st.isOne(of: [.literal(GranuleState.undelegated), .literal(GranuleState.delegated)])
        .implies(own.eq(0) && rc.eq(0)),
      st.ne(.literal(GranuleState.rec)).implies(!pre.read(rmmState.recRunnable, [g])),
      st.eq(.literal(GranuleState.rd)).implies(
        rdReferences.map { live && pre.read(rmmState.realmRD, [own]).eq(g) && rc.eq($0(own)) }
          ?? live && pre.read(rmmState.realmRD, [own]).eq(g)),
      st.eq(.literal(GranuleState.rec)).implies(
        live
          && rc.eq(sum(pes.map { p in one(pre.read(rmmState.peRunning, [p]) && pre.read(rmmState.peREC, [p]).eq(g)) }))),
    ]
  }

  /// The facts of `rmm-wellformed` about each realm slot (a live realm's RD and starting-level
  /// RTT; a free slot's fields at 0) and each PE (a running PE's REC, one PE per REC).
  var realmAndPEFacts: [Expr] {
    let realms = (0..<cca.realmSort.count).map { Expr.literal(Value($0)) }
    let pes = (0..<cca.peSort.count).map { Expr.literal(Value($0)) }
    func live(_ rr: Expr) -> Expr { pre.read(rmmState.realmState, [rr]).ne(.literal(RealmState.none)) }
    var facts: [Expr] = []
    for rr in realms {
      let free: [Expr] = [
        pre.read(rmmState.realmRD, [rr]).eq(0), root(rr).eq(0), pre.read(rmmState.realmRIM, [rr]).eq(0),
        pre.read(rmmState.realmRecIndex, [rr]).eq(0),
      ]
      let used: [Expr] = [
        state(pre.read(rmmState.realmRD, [rr])).eq(.literal(GranuleState.rd)),
        pre.read(rmmState.owner, [pre.read(rmmState.realmRD, [rr])]).eq(rr),
        state(root(rr)).eq(.literal(GranuleState.rtt)),
        pre.read(rmmState.owner, [root(rr)]).eq(rr),
        pre.read(rmmState.rttLevel, [root(rr)]).eq(.literal(Value(geometry.startLevel))),
      ]
      facts.append(.ite(live(rr), then: .and(used), else: .and(free)))
    }
    for p in pes {
      let rec = pre.read(rmmState.peREC, [p])
      facts.append(
        .ite(
          pre.read(rmmState.peRunning, [p]),
          then: state(rec).eq(.literal(GranuleState.rec)) && pre.read(rmmState.refcount, [rec]).eq(1),
          else: rec.eq(0)))
      for q in pes where q != p {
        facts.append(
          (pre.read(rmmState.peRunning, [p]) && pre.read(rmmState.peRunning, [q])).implies(
            rec.ne(pre.read(rmmState.peREC, [q]))))
      }
    }
    return facts
  }

  /// The RTT and DATA facts of `rmm-wellformed` for granule `g` (a bound variable).
  func rttFacts(_ g: Expr) -> Expr {
    let parts = rttFactParts(g)
    return .ite(state(g).eq(.literal(GranuleState.rtt)), then: parts.table, else: parts.notTable) && parts.data
  }

  /// The parts of ``rttFacts(_:)``: what an RTT granule `g` satisfies (`table`), what any other
  /// granule does (`notTable`: no level, no IPA unless DATA, a canonical row), and the DATA fact
  /// (`data`: a DATA granule is reached by its realm's walk).
  func rttFactParts(_ g: Expr) -> (table: Expr, notTable: Expr, data: Expr) {
    let st = state(g)
    let own = pre.read(rmmState.owner, [g])
    let level = pre.read(rmmState.rttLevel, [g])
    let base = pre.read(rmmState.mappedIPA, [g])
    let start = Expr.literal(Value(geometry.startLevel))
    let index = Domain.index(geometry.entrySort)
    let isData = st.eq(.literal(GranuleState.data))
    let live = pre.read(rmmState.realmState, [own]).ne(.literal(RealmState.none))
    // Granules that are not RTTs: no ghost level, no IPA unless DATA, and a canonical row.
    let notTable: Expr =
      level.eq(0) && (isData || base.eq(0))
      && .forAll(index) { i in
        self.pre.read(self.rmmState.rtte, [g, i]).eq(RTTGeometry.canonical.expr)
          && self.pre.read(self.rmmState.rtteAddr, [g, i]).eq(Self.canonicalAddr)
          && self.pre.read(self.rmmState.rtteDesc, [g, i]).eq(0)
      }
    // An RTT: reached from its realm's starting-level table at the IPA and level it maps.
    let parentDepth = geometry.depth(ofLevel: level) - 1
    let parent = slot(own, depth: parentDepth, base)
    let linked = Expr.ite(
      level.eq(start), then: root(own).eq(g) && base.eq(0),
      else: walkDepth(own, base, target: parentDepth).eq(parentDepth)
        && read(rmmState.rtte, parent).eq(RTTEntry.table.expr) && read(rmmState.rtteAddr, parent).eq(g))
    let size = geometry.entrySize(level: level)
    let entries = (0..<geometry.entries).map { i in
      RTTEntry.isOne(pre.read(rmmState.rtte, [g, .literal(Value(i))]), RTTEntry.live)
    }
    let table: Expr =
      live && level.ge(start) && level.le(3) && base.lt(.literal(geometry.ipaLimit))
      && (base & (size * .literal(Value(geometry.entries)) - 1)).eq(0)
      && linked
      && pre.read(rmmState.refcount, [g]).eq(sum((entries + pendingUnmap { t in [t.table.eq(g)] }).map(one)))
      && .forAll(index) { i in self.entryFacts(table: g, index: i, owner: own, level: level, ipa: base + i * size) }
    // A DATA granule: reached by its realm's walk at its IPA, through a level-3 ASSIGNED entry
    // (with `blocks`, or an ASSIGNED block entry where the walk stops, at g's offset in it).
    let last = geometry.lastDepth
    let mapped: Expr
    if blocks {
      let (_, position) = self.leaf(own, base)
      mapped =
        live && base.lt(.literal(geometry.protectedLimit))
        && RTTEntry.isOne(read(rmmState.rtte, position), RTTEntry.assignedProtected)
        && protectedGranule(own, base, at: position).eq(g)
    } else {
      let leaf = slot(own, depth: last, base)
      mapped =
        live && base.lt(.literal(geometry.protectedLimit))
        && walkDepth(own, base, target: .literal(Value(last))).eq(.literal(Value(last)))
        && RTTEntry.isOne(read(rmmState.rtte, leaf), RTTEntry.assignedProtected) && read(rmmState.rtteAddr, leaf).eq(g)
    }
    let unmapping = pendingUnmap { t in [t.granule.eq(g)] }
    return (table, notTable, isData.implies(.or([mapped] + unmapping)))
  }

  /// With `smmu-tlb`, `facts` about the RMI_DATA_DESTROY waiting for its CMD_SYNC, each holding only while one is
  /// pending: its DATA granule has no entry yet still counts in its leaf RTT's reference count (``SMMUTLBVariables``).
  ///
  /// Without `smmu-tlb`, none (the formula is unchanged).
  func pendingUnmap(_ facts: (_ pending: (granule: Expr, table: Expr)) -> [Expr]) -> [Expr] {
    guard let t = smmuTLB else { return [] }
    let pending = pre.read(t.pending, [])
    return facts((pre.read(t.granule, []), pre.read(t.table, []))).map { pending && $0 }
  }

  /// The facts about entry `i` of RTT `g` at `level`, which maps `ipa`: its kind suits the IPA
  /// (protected entries carry a RIPAS, unprotected ones are *_NS) and the level (TABLE above level
  /// 3, ASSIGNED only at level 3 unless `blocks` allows a block at level 1 or 2), and what it
  /// points to.
  func entryFacts(table g: Expr, index i: Expr, owner own: Expr, level: Expr, ipa: Expr) -> Expr {
    // With `blocks`, an ASSIGNED_NS block above level 3 (at S2TT_MIN_BLOCK_LEVEL or below), its
    // descriptor's PA aligned to the block; without, nil (the formula is unchanged).
    // With `blocks`, a protected ASSIGNED block above level 3 (at S2TT_MIN_BLOCK_LEVEL or below),
    // its first granule's PA aligned to the block; without, nil.
    func protectedBlock(_ e: Expr, _ level: Expr) -> Expr? {
      guard blocks else { return nil }
      let size = geometry.entrySize(level: level)
      return RTTEntry.isOne(e, RTTEntry.assignedProtected) && level.ge(.literal(Self.minBlockLevel))
        && (pa(pre.read(rmmState.rtteAddr, [g, i])) & (size - 1)).eq(0)
    }
    func nsBlock(_ e: Expr, _ level: Expr) -> Expr? {
      guard blocks else { return nil }
      let size = geometry.entrySize(level: level)
      return e.eq(RTTEntry.assignedNS.expr) && level.ge(.literal(Self.minBlockLevel))
        && (pre.read(rmmState.rtteDesc, [g, i]) & .literal(Self.descAddressMask) & (size - 1)).eq(0)
    }
    let e = pre.read(rmmState.rtte, [g, i])
    let target = pre.read(rmmState.rtteAddr, [g, i])
    let isProtected = ipa.lt(.literal(geometry.protectedLimit))
    let isLeafLevel = level.eq(3)
    // With `da`, a level-3 protected entry may be ASSIGNED_DEV (its target: da-wellformed).
    let leafAssigned =
      RTTEntry.assignedProtected + (cca.configuration.has(CCA.Feature.da) ? RTTEntry.assignedDevice : [])
    let allowed = Expr.ite(
      isProtected,
      then: RTTEntry.isOne(e, RTTEntry.unassignedProtected)
        || .ite(
          isLeafLevel, then: RTTEntry.isOne(e, leafAssigned),
          else: protectedBlock(e, level).map { e.eq(RTTEntry.table.expr) || $0 } ?? e.eq(RTTEntry.table.expr)),
      else: e.eq(RTTEntry.unassignedNS.expr)
        || .ite(
          isLeafLevel, then: e.eq(RTTEntry.assignedNS.expr),
          else: nsBlock(e, level).map { e.eq(RTTEntry.table.expr) || $0 } ?? e.eq(RTTEntry.table.expr))
    )
    let points =
      e.eq(RTTEntry.table.expr).implies(
        state(target).eq(.literal(GranuleState.rtt)) && pre.read(rmmState.owner, [target]).eq(own)
          && pre.read(rmmState.rttLevel, [target]).eq(level + 1) && pre.read(rmmState.mappedIPA, [target]).eq(ipa))
      && RTTEntry.isOne(e, RTTEntry.assignedProtected).implies(
        state(target).eq(.literal(GranuleState.data)) && pre.read(rmmState.owner, [target]).eq(own)
          && pre.read(rmmState.mappedIPA, [target]).eq(ipa))
      && (RTTEntry.isOne(e, RTTEntry.live) || target.eq(Self.canonicalAddr))
      && (e.eq(RTTEntry.assignedNS.expr) || pre.read(rmmState.rtteDesc, [g, i]).eq(0))
    // With `blocks`, a block's other pages too (absent without: the formula is unchanged).
    if let pages = blockPages(e, target: target, level: level, owner: own, ipa: ipa) {
      return allowed && points && pages
    }
    return allowed && points
  }

  /// With `blocks`, that a protected block maps contiguous DATA granules of its realm.
  ///
  /// A protected ASSIGNED entry `e` at `level` (a block above level 3) maps granules `target`,
  /// `target` + 1, ... of the block's size, each the realm's DATA granule at its IPA (`ipa` + its
  /// offset); nil without `blocks` (the formula is unchanged).
  func blockPages(_ e: Expr, target: Expr, level: Expr, owner own: Expr, ipa: Expr) -> Expr? {
    guard blocks else { return nil }
    let granules = geometry.entrySize(level: level) / .literal(MemoryMap.granuleSize)
    return (RTTEntry.isOne(e, RTTEntry.assignedProtected) && level.lt(3)).implies(
      .forAll(granule) { h in
        (h.gt(target) && h.lt(target + granules)).implies(
          self.state(h).eq(.literal(GranuleState.data)) && self.pre.read(self.rmmState.owner, [h]).eq(own)
            && self.pre.read(self.rmmState.mappedIPA, [h]).eq(
              ipa + ((h - target) << .literal(MemoryMap.granuleShift)))
        )
      })
  }
}
