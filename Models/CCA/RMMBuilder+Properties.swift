import Spec

// MARK: - Properties across the RMM and the GPT layer

extension RMMBuilder {
  /// `1` when `condition` holds, else `0`: a term of a count.
  func one(_ condition: Expr) -> Expr { .ite(condition, then: 1, else: 0) }

  /// The sum of terms (0 when empty).
  func sum(_ terms: [Expr]) -> Expr { terms.reduce(Expr.literal(0)) { $0 + $1 } }

  /// Declares the GPT-layer properties as they read with the RMM (replacing the layer's own
  /// declarations), `realm-isolation` and `rmm-wellformed`.
  func declareProperties() {
    let granuleDomain = granule
    b.monitor(
      CCA.PropertyName.hypNoRealmRead, doc: CCA.propertyDoc[CCA.PropertyName.hypNoRealmRead] ?? "",
      flag: v.nsReadRealmData)
    b.monitor(
      CCA.PropertyName.hypNoRealmWrite, doc: CCA.propertyDoc[CCA.PropertyName.hypNoRealmWrite] ?? "",
      flag: v.nsWroteRealmData)
    b.invariant(
      CCA.PropertyName.gptConsistent,
      doc: """
        With the RMM: for every granule with no RMI command in flight, the RMM state is UNDELEGATED \
        exactly when the GPI is NS, and any other state (DELEGATED, RD, REC, REC_AUX, DATA, RTT) \
        exactly when the GPI is REALM; every PE's valid cached GPI equals the GPT's.
        """,
      .forAll(granuleDomain) { g in
        let st = self.state(g)
        let gpi = self.cca.gpi(self.pre, g)
        return (!self.pre.read(self.v.granuleLock, [g])).implies(
          st.eq(.literal(GranuleState.undelegated)).eq(gpi.eq(.literal(GPI.nonSecure)))
            && st.ne(.literal(GranuleState.undelegated)).eq(gpi.eq(.literal(GPI.realm)))
            && .forAll(self.cca.pe) { p in
              self.pre.read(self.v.gptTLBValid, [p, g]).implies(self.pre.read(self.v.gptTLB, [p, g]).eq(gpi))
            })
      })
    b.invariant(
      CCA.PropertyName.delegatedClean,
      doc: """
        With the RMM: no one can observe a granule's old contents once it has left a realm. An \
        UNDELEGATED or DELEGATED granule with no command in flight holds no REALM_r label, neither in \
        memory nor in a valid Realm-alias line, nor, once UNDELEGATED, in a valid NS-alias line (the RMM scrubs every granule that returns to \
        DELEGATED, reference/rme.md §2.5; TF-RMM 1.0's "a DELEGATED granule is zero whenever unlocked").
        """,
      .forAll(granuleDomain) { g in
        (!self.pre.read(self.v.granuleLock, [g])
          && self.state(g).isOne(of: [.literal(GranuleState.undelegated), .literal(GranuleState.delegated)]))
          .implies(
            !self.cca.content.isRealmData(self.pre.read(self.v.memory, [g]))
              && .forAll(PAS.cachedDomain) { pas in
                // While a granule is DELEGATED its NS alias is behind the GPC (GPI REALM), and
                // EL3's undelegate cleans that alias before the GPI becomes NS; a clean NS line
                // filled speculatively then is not observable, so only UNDELEGATED granules are
                // held to a clean NS alias.
                (self.pre.read(self.v.cacheLine, [g, pas]).ne(.literal(LineState.invalid))
                  && (pas.eq(.literal(PAS.realm)) || self.state(g).eq(.literal(GranuleState.undelegated))))
                  .implies(!self.cca.content.isRealmData(self.pre.read(self.v.cacheData, [g, pas])))
              })
      })
    b.monitor(
      CCA.PropertyName.realmIsolation, doc: CCA.propertyDoc[CCA.PropertyName.realmIsolation] ?? "",
      flag: r.realmForeignAccess)
    b.invariant(
      CCA.PropertyName.rmmWellformed, doc: CCA.propertyDoc[CCA.PropertyName.rmmWellformed] ?? "",
      wellformed)
  }

  /// The `rmm-wellformed` formula.
  var wellformed: Expr {
    let granules = (0..<memoryMap.granules).map { Expr.literal(Value($0)) }
    let realms = (0..<cca.realmSort.count).map { Expr.literal(Value($0)) }
    let pes = (0..<cca.peSort.count).map { Expr.literal(Value($0)) }
    let nodes = 0..<geometry.nodes
    let none = Expr.literal(RealmState.none)
    func live(_ rr: Expr) -> Expr { pre.read(r.realmState, [rr]).ne(none) }
    func entry(_ rr: Expr, _ n: Int) -> Expr { pre.read(r.rtte, [rr, .literal(Value(n))]) }
    func addr(_ rr: Expr, _ n: Int) -> Expr { pre.read(r.rtteAddr, [rr, .literal(Value(n))]) }
    func isLive(_ e: Expr) -> Expr { RTTEntry.isOne(e, RTTEntry.live) }
    var facts: [Expr] = []
    for g in granules {
      let st = state(g)
      let own = pre.read(r.owner, [g])
      let rc = pre.read(r.refcount, [g])
      func when(_ s: Value, _ fact: Expr) { facts.append(st.eq(.literal(s)).implies(fact)) }
      facts.append(
        st.isOne(of: [.literal(GranuleState.undelegated), .literal(GranuleState.delegated)])
          .implies(own.eq(0) && rc.eq(0)))
      facts.append(st.ne(.literal(GranuleState.rec)).implies(!pre.read(r.recRunnable, [g])))
      when(
        GranuleState.rd,
        live(own) && pre.read(r.realmRD, [own]).eq(g)
          && rc.eq(sum(granules.map { h in one(state(h).eq(.literal(GranuleState.rec)) && pre.read(r.owner, [h]).eq(own)) })))
      when(
        GranuleState.rec,
        live(own) && rc.eq(sum(pes.map { p in one(pre.read(r.peRunning, [p]) && pre.read(r.peREC, [p]).eq(g)) })))
      let mappings = realms.flatMap { rr in
        nodes.map { n in
          (rr, one(RTTEntry.isOne(entry(rr, n), RTTEntry.assignedProtected) && addr(rr, n).eq(g)))
        }
      }
      when(
        GranuleState.data,
        live(own) && sum(mappings.map(\.1)).eq(1)
          && sum(mappings.map { (rr, term) in .ite(rr.eq(own), then: term, else: 0) }).eq(1))
      let links = realms.flatMap { rr in
        [one(pre.read(r.realmRTTBase, [rr]).eq(g) && live(rr))]
          + nodes.map { n in one(entry(rr, n).eq(RTTEntry.table.expr) && addr(rr, n).eq(g)) }
      }
      var rttFacts: [Expr] = [live(own), sum(links).eq(1)]
      rttFacts.append(
        pre.read(r.realmRTTBase, [own]).eq(g).implies(rc.eq(sum(geometry.rootNodes.map { one(isLive(entry(own, $0))) }))))
      for n in nodes where !geometry.children(ofNode: n).isEmpty {
        rttFacts.append(
          (entry(own, n).eq(RTTEntry.table.expr) && addr(own, n).eq(g)).implies(
            rc.eq(sum(geometry.children(ofNode: n).map { one(isLive(entry(own, $0))) }))))
      }
      when(GranuleState.rtt, .and(rttFacts))
    }
    for rr in realms {
      var free: [Expr] = [
        pre.read(r.realmRD, [rr]).eq(0), pre.read(r.realmRTTBase, [rr]).eq(0), pre.read(r.realmRIM, [rr]).eq(0),
        pre.read(r.realmRecIndex, [rr]).eq(0),
      ]
      var used: [Expr] = [
        state(pre.read(r.realmRD, [rr])).eq(.literal(GranuleState.rd)),
        pre.read(r.owner, [pre.read(r.realmRD, [rr])]).eq(rr),
        state(pre.read(r.realmRTTBase, [rr])).eq(.literal(GranuleState.rtt)),
        pre.read(r.owner, [pre.read(r.realmRTTBase, [rr])]).eq(rr),
      ]
      for n in nodes {
        let e = entry(rr, n)
        let initial = geometry.initial(node: n)
        let atInitial =
          e.eq(initial.expr) && addr(rr, n).eq(0) && pre.read(r.rtteDesc, [rr, .literal(Value(n))]).eq(0)
        free.append(atInitial)
        // Tree shape: an entry exists only under a TABLE; absent entries are at their initial value.
        if let parent = geometry.parent(ofNode: n) {
          used.append(entry(rr, parent).ne(RTTEntry.table.expr).implies(atInitial))
        }
        // Protected entries carry a RIPAS, unprotected ones are *_NS; no block mappings; TABLE
        // only above level 3.
        let allowed: [RTTEntry] =
          (initial == .unassignedEmpty ? RTTEntry.unassignedProtected : [.unassignedNS])
          + (geometry.children(ofNode: n).isEmpty
            ? (initial == .unassignedEmpty ? RTTEntry.assignedProtected : [.assignedNS]) : [.table])
        used.append(RTTEntry.isOne(e, allowed))
        let target = addr(rr, n)
        used.append(
          e.eq(RTTEntry.table.expr).implies(
            state(target).eq(.literal(GranuleState.rtt)) && pre.read(r.owner, [target]).eq(rr)))
        used.append(
          RTTEntry.isOne(e, RTTEntry.assignedProtected).implies(
            state(target).eq(.literal(GranuleState.data)) && pre.read(r.owner, [target]).eq(rr)))
        used.append(RTTEntry.isOne(e, RTTEntry.live).or(target.eq(0)))
        used.append(e.eq(RTTEntry.assignedNS.expr).or(pre.read(r.rtteDesc, [rr, .literal(Value(n))]).eq(0)))
      }
      facts.append(.ite(live(rr), then: .and(used), else: .and(free)))
    }
    for p in pes {
      let rec = pre.read(r.peREC, [p])
      facts.append(
        .ite(
          pre.read(r.peRunning, [p]),
          then: state(rec).eq(.literal(GranuleState.rec)) && pre.read(r.refcount, [rec]).eq(1),
          else: rec.eq(0)))
      for q in pes where q != p {
        facts.append((pre.read(r.peRunning, [p]) && pre.read(r.peRunning, [q])).implies(rec.ne(pre.read(r.peREC, [q]))))
      }
    }
    return .and(facts + recWellformed)
  }
}

extension Expr {
  /// `self ∨ other`.
  fileprivate func or(_ other: Expr) -> Expr { self || other }
}
