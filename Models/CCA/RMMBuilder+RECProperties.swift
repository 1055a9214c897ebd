import Spec

// MARK: - The REC part of rmm-wellformed

extension RMMBuilder {
  /// Puts realm `rr`'s REMs back to 0 (the realm slot is freed).
  func resetREMs(_ a: ActionBuilder, _ rr: Expr) {
    for i in 0..<4 { a.set(rv.rem, [rr, .literal(Value(i))], to: 0) }
  }

  /// The REC facts of `rmm-wellformed` (reference/rmm.md §1.3, §2.9, §2.10): REC_AUX granules
  /// belong to a live REC of their realm, which has exactly RecAuxCount of them; MPIDR indices
  /// are below the realm's rec_index; a pending PSCI request names a function and an existing
  /// target; a pending RIPAS change is a protected range with its progress inside it; a running
  /// REC has nothing pending; the fields of non-REC granules and the REMs of free realm slots are
  /// at their canonical 0.
  var recWellformed: [Expr] {
    let granules = (0..<memoryMap.granules).map { Expr.literal(Value($0)) }
    var facts: [Expr] = []
    for g in granules {
      let st = state(g)
      let own = pre.read(r.owner, [g])
      func field(_ variable: Variable) -> Expr { pre.read(variable, [g]) }
      let pending = field(rv.psciPending)
      let top = field(rv.ripasTop)
      let atRest: [Expr] = [
        field(rv.mpidr).eq(0), !pending, field(rv.psciRequest).eq(0), field(rv.psciTarget).eq(0),
        field(rv.psciResult).eq(0), top.eq(0), field(rv.ripasAddr).eq(0), field(rv.ripasValue).eq(0),
        !field(rv.ripasDestroyed),
      ]
      let recIndex = pre.read(r.realmRecIndex, [own])
      var rec: [Expr] = [
        field(rv.mpidr).lt(recIndex),
        pending.eq(field(rv.psciRequest).ne(0)),
        pending.implies(field(rv.psciTarget).lt(recIndex)),
        (!pending).implies(field(rv.psciTarget).eq(0)),
        top.eq(0).implies(field(rv.ripasAddr).eq(0) && field(rv.ripasValue).eq(0) && !field(rv.ripasDestroyed)),
        top.ne(0).implies(field(rv.ripasAddr).le(top) && top.le(.literal(geometry.protectedLimit))),
        pre.read(r.refcount, [g]).ne(0).implies(!pending && top.eq(0)),
      ]
      if rv.auxCount > 0 {
        rec.append(
          sum(granules.map { h in
            one(state(h).eq(.literal(GranuleState.recAux)) && pre.read(rv.auxOf, [h]).eq(g))
          }).eq(.literal(Value(rv.auxCount))))
      }
      facts.append(.ite(st.eq(.literal(GranuleState.rec)), then: .and(rec), else: .and(atRest)))
      let parent = field(rv.auxOf)
      facts.append(
        .ite(
          st.eq(.literal(GranuleState.recAux)),
          then: pre.read(r.realmState, [own]).ne(.literal(RealmState.none)) && pre.read(r.refcount, [g]).eq(0)
            && state(parent).eq(.literal(GranuleState.rec)) && pre.read(r.owner, [parent]).eq(own),
          else: parent.eq(0)))
    }
    for rr in (0..<cca.realmSort.count).map({ Expr.literal(Value($0)) }) {
      facts.append(
        pre.read(r.realmState, [rr]).eq(.literal(RealmState.none)).implies(
          .and((0..<4).map { pre.read(rv.rem, [rr, .literal(Value($0))]).eq(0) })))
    }
    return facts
  }
}
