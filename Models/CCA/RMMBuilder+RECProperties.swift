import Spec

// MARK: - The REC part of rmm-wellformed

extension RMMBuilder {
  /// Puts realm `rr`'s REMs back to 0 (the realm slot is freed).
  func resetREMs(_ a: ActionBuilder, _ rr: Expr) {
    for i in 0..<4 { a.set(recState.rem, [rr, .literal(Value(i))], to: 0) }
  }

  /// The REC facts of `rmm-wellformed` (reference/rmm.md §1.3, §2.9, §2.10): REC_AUX granules
  /// belong to a live REC of their realm, which has exactly RecAuxCount of them; MPIDR indices
  /// are below the realm's rec_index; a pending PSCI request names a function and an existing
  /// target; a pending RIPAS change is a protected range with its progress inside it; a running
  /// REC has nothing pending; a REC with no attestation token in progress has no progress; the
  /// fields of non-REC granules and the REMs of free realm slots are at their canonical 0.
  var recWellformed: [Expr] {
    let granules = (0..<memoryMap.granules).map { Expr.literal(Value($0)) }
    var facts: [Expr] = []
    for g in granules {
      facts += recFacts(g) { g in
        self.sum(
          granules.map { h in
            self.one(self.state(h).eq(.literal(GranuleState.recAux)) && self.pre.read(self.recState.auxOf, [h]).eq(g))
          })
      }
    }
    return facts + remFacts
  }

  /// The REC facts of `rmm-wellformed` about granule `g` (``recWellformed``); a REC's
  /// auxiliary granules number `auxGranules(g)` when RecAuxCount is positive.
  func recFacts(_ g: Expr, auxGranules: (Expr) -> Expr) -> [Expr] {
    var facts: [Expr] = []
    let st = state(g)
    let own = pre.read(rmmState.owner, [g])
    func field(_ variable: Variable) -> Expr { pre.read(variable, [g]) }
    let pending = field(recState.psciPending)
    let top = field(recState.ripasTop)
    var atRest: [Expr] = [
      field(recState.mpidr).eq(0), !pending, field(recState.psciRequest).eq(0), field(recState.psciTarget).eq(0),
      field(recState.psciResult).eq(0), top.eq(0), field(recState.ripasAddr).eq(0), field(recState.ripasValue).eq(0),
      !field(recState.ripasDestroyed),
    ]
    let recIndex = pre.read(rmmState.realmRecIndex, [own])
    var rec: [Expr] = [
      field(recState.mpidr).lt(recIndex),
      pending.eq(field(recState.psciRequest).ne(0)),
      pending.implies(field(recState.psciTarget).lt(recIndex)),
      (!pending).implies(field(recState.psciTarget).eq(0)),
      top.eq(0).implies(
        field(recState.ripasAddr).eq(0) && field(recState.ripasValue).eq(0) && !field(recState.ripasDestroyed)),
      top.ne(0).implies(field(recState.ripasAddr).le(top) && top.le(.literal(geometry.protectedLimit))),
      pre.read(rmmState.refcount, [g]).ne(0).implies(!pending && top.eq(0)),
    ]
    // With `attest`: no token outside a REC, and progress only while one is in progress.
    if let inProgress = recState.attestInProgress, let copied = recState.attestCopied {
      atRest += [!field(inProgress), field(copied).eq(0)]
      rec.append((!field(inProgress)).implies(field(copied).eq(0)))
    }
    if recState.auxCount > 0 { rec.append(auxGranules(g).eq(.literal(Value(recState.auxCount)))) }
    facts.append(.ite(st.eq(.literal(GranuleState.rec)), then: .and(rec), else: .and(atRest)))
    let parent = field(recState.auxOf)
    facts.append(
      .ite(
        st.eq(.literal(GranuleState.recAux)),
        then: pre.read(rmmState.realmState, [own]).ne(.literal(RealmState.none))
          && pre.read(rmmState.refcount, [g]).eq(0)
          && state(parent).eq(.literal(GranuleState.rec)) && pre.read(rmmState.owner, [parent]).eq(own),
        else: parent.eq(0)))
    return facts
  }

  /// The REM facts of `rmm-wellformed`: a free realm slot's REMs are 0.
  var remFacts: [Expr] {
    var facts: [Expr] = []
    for rr in (0..<cca.realmSort.count).map({ Expr.literal(Value($0)) }) {
      facts.append(
        pre.read(rmmState.realmState, [rr]).eq(.literal(RealmState.none)).implies(
          .and((0..<4).map { pre.read(recState.rem, [rr, .literal(Value($0))]).eq(0) })))
    }
    return facts
  }
}
