import Spec

// MARK: - The parametric variant's wellformedness (Docs/ADR/0011-parametric-rmm.md)

extension RMMBuilder {
  /// Declares `rmm-objects-by-pointer`, the parametric variant's restatement of rmm-wellformed
  /// (its lemma `rmm-tables-wellformed` counts over the granules one by one, which an
  /// uninterpreted Granule sort cannot do).
  func declareParametricLemmas() {
    builder.lemma(
      "rmm-objects-by-pointer",
      doc: """
        rmm-wellformed without counting over granules, for the parametric variant: every fact of \
        rmm-wellformed about one granule (owners, an RTT's reference count as the number of its own \
        live entries, the RTT tree and the DATA granules each reached by its realm's walk, the REC \
        fields) for every granule, the realm slot and PE facts, and, in place of the two counts \
        over granules: an RD's reference count is at most its realm's rec_index and at least 1 while \
        the realm has a REC, and two RECs of one realm have different indices (with one REC per \
        realm this is the count); with `da` the upper bound adds the realm's VDEVs, read through the \
        streams' STEs, and rd-counts-its-vdevs has the lower one. The walk facts \
        (every RTT is linked from its realm's starting-level table at the IPA it maps, every DATA \
        granule is the target of the leaf entry its realm's walk reaches at its IPA) already make \
        each RTT and DATA granule the target of one entry, which is what the global count of \
        rmm-wellformed says (Docs/ADR/0011-parametric-rmm.md).
        """,
      wellformedByPointer)
  }

  /// The formula of `rmm-objects-by-pointer`: rmm-wellformed's facts with every count over the
  /// granules replaced by facts about pointers and bounded indices.
  var wellformedByPointer: Expr {
    let isREC: (Expr) -> Expr = { self.state($0).eq(.literal(GranuleState.rec)) }
    let owner: (Expr) -> Expr = { self.pre.read(self.rmmState.owner, [$0]) }
    let index: (Expr) -> Expr = { self.pre.read(self.recState.mpidr, [$0]) }
    let rdOf: (Expr) -> Expr = { self.pre.read(self.rmmState.realmRD, [$0]) }
    let rc: (Expr) -> Expr = { self.pre.read(self.rmmState.refcount, [$0]) }
    let perGranule = Expr.forAll(granule) { g in
      .and(
        self.objectFacts(g, rdReferences: nil) + [self.tableFactsByObject(g)]
          + self.recFacts(g) { _ in preconditionFailure("the parametric variant has no REC_AUX granules") })
    }
    // An RD's references, without counting its RECs: at most its realm's rec_index (every REC
    // holds a distinct index below it), and at least 1 while the realm has a REC. With one REC
    // per realm (the recs bound 1) these fix the count; with more they are weaker, and a CTI
    // would say so.
    // With `da` an RD also counts its realm's VDEVs, read through the streams' STEs
    // (DABuilder+Parametric.swift): at most rec_index + VDEVs; the lower bound with VDEVs is the
    // lemma rd-counts-its-vdevs.
    let vdevs: (Expr) -> Expr? = { rr in self.da?.vdevs(ofRealm: rr) }
    let rdBounded = Expr.forAll(granule) { g in
      let recIndex = self.pre.read(self.rmmState.realmRecIndex, [owner(g)])
      return
        (self.state(g).eq(.literal(GranuleState.rd))
        .implies(rc(g).le(vdevs(owner(g)).map { recIndex + $0 } ?? recIndex)))
        && isREC(g).implies(rc(rdOf(owner(g))).ge(1))
    }
    let recsDistinct = Expr.forAll(granule) { g in
      .forAll(self.granule) { h in
        (isREC(g) && isREC(h) && owner(g).eq(owner(h)) && index(g).eq(index(h))).implies(g.eq(h))
      }
    }
    return .and([perGranule, rdBounded, recsDistinct] + rootTableFacts + realmAndPEFacts + remFacts)
  }

  /// The RTT facts of rmm-wellformed about granule `g` (a bound variable) that read no other granule's row.
  ///
  /// With one RTT level every RTT is its realm's starting-level table, so an RTT
  /// is `root(owner)`, and the table's own facts, which follow its entries to their granules, are
  /// stated once per realm (``rootTableFacts``) instead of under the quantifier. Over an
  /// uninterpreted sort a quantified fact that reads `state(rtteAddr[g][i])` lets Z3 instantiate
  /// it again at every granule an entry names, without end. With more levels, ``rttFacts(_:)``.
  func tableFactsByObject(_ g: Expr) -> Expr {
    guard geometry.levels == 1 else { return rttFacts(g) }
    let parts = rttFactParts(g)
    let isRTT = state(g).eq(.literal(GranuleState.rtt))
    let own = pre.read(rmmState.owner, [g])
    let live = pre.read(rmmState.realmState, [own]).ne(.literal(RealmState.none))
    return .ite(isRTT, then: live && root(own).eq(g), else: parts.notTable) && parts.data
  }

  /// With one RTT level, the table facts of each live realm's starting-level table (enumerated
  /// by realm, so no quantifier follows an entry; none with more levels, where
  /// ``tableFactsByObject(_:)`` keeps them per granule).
  var rootTableFacts: [Expr] {
    guard geometry.levels == 1 else { return [] }
    return (0..<cca.realmSort.count).map { r in
      let rr = Expr.literal(Value(r))
      return pre.read(rmmState.realmState, [rr]).ne(.literal(RealmState.none)).implies(rttFacts(root(rr)))
    }
  }
}
