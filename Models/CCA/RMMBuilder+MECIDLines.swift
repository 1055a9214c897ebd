import Spec

// MARK: - MECID-tagged lines: delegated-clean as TF-RMM's release has it, no-stale-realm-copy

extension RMMBuilder {
  /// Declares `delegated-clean` and `no-stale-realm-copy` with the `mecid-lines` feature
  /// (Docs/ADR/0009-mecid-tagged-caches.md).
  ///
  /// With MECID-tagged lines the release to DELEGATED is TF-RMM's (commit f5cce5bc): DC CIPAE of
  /// every copy, no zeroing, so a DELEGATED granule's memory may hold its last realm's data,
  /// under that realm's MECID, until the next initialisation or the undelegate scrub overwrites
  /// it. `delegated-clean` keeps its meaning (no one observes the old contents) in the form that
  /// release needs: an UNDELEGATED granule holds no realm data anywhere, and a DELEGATED one no
  /// dirty Realm-PAS copy of it (a dirty copy would be written back, later, over what the
  /// granule is given next).
  func declareTaggedLineProperties() {
    builder.invariant(
      CCA.PropertyName.delegatedClean,
      doc: """
        With the RMM and MECID-tagged lines: no one can observe a granule's old contents once it has \
        left a realm. An UNDELEGATED granule with no command in flight holds no REALM_r label, in memory \
        or in any valid line (the NS alias or a Realm copy of any MECID); a DELEGATED one has no dirty \
        Realm copy holding one. Its memory may hold its last realm's data, written back under that \
        realm's MECID by the DC CIPAE of the release (TF-RMM f5cce5bc: scrubbing moved from the way \
        into DELEGATED to the way out, reference/rme.md §2.5).
        """,
      taggedDelegatedCleanFormula)
    builder.invariant(
      CCA.PropertyName.noStaleRealmCopy, doc: CCA.propertyDoc[CCA.PropertyName.noStaleRealmCopy] ?? "",
      noStaleRealmCopyFormula)
  }

  /// `delegated-clean` with MECID-tagged lines (also the lemma `rmm-free-granules-scrubbed` there,
  /// RMMBuilder+Lemmas.swift).
  var taggedDelegatedCleanFormula: Expr {
    let keys = cca.realmLineKeys.map { Expr.literal($0) }
    let content = cca.content
    return .forAll(granule) { g in
      let st = self.state(g)
      let undelegated = st.eq(.literal(GranuleState.undelegated))
      let delegated = st.eq(.literal(GranuleState.delegated))
      return self.atRest(g).implies(
        undelegated.implies(
          !content.isRealmData(self.pre.read(self.machine.memory, [g]))
            && .forAll(self.cca.lineDomain) { k in self.valid(g, k).implies(!content.isRealmData(self.data(g, k))) })
          && delegated.implies(.and(keys.map { k in self.dirty(g, k).implies(!content.isRealmData(self.data(g, k))) })))
    }
  }

  /// `no-stale-realm-copy` (with MECID-tagged lines; also the lemma `realm-copies-where-they-belong` there).
  var noStaleRealmCopyFormula: Expr {
    let keys = cca.realmLineKeys.map { Expr.literal($0) }
    let content = cca.content
    return .forAll(granule) { g in
      let st = self.state(g)
      let ownLabel = content.realmLabel(self.pre.read(self.rmmState.owner, [g]))
      // Realm data is where it belongs: in a DATA granule of the realm whose label it is.
      func stale(_ label: Expr) -> Expr {
        content.isRealmData(label) && !(st.eq(.literal(GranuleState.data)) && label.eq(ownLabel))
      }
      let memory = self.pre.read(self.machine.memory, [g])
      return self.atRest(g).implies(
        stale(memory).implies(st.eq(.literal(GranuleState.delegated)))
          && .and(
            keys.map { k in
              (self.valid(g, k) && stale(self.data(g, k))).implies(!self.dirty(g, k) && k.ne(.literal(PAS.realm)))
            })
      )
    }
  }

  // Line and granule reads the two formulas share.
  private func valid(_ g: Expr, _ k: Expr) -> Expr {
    pre.read(machine.cacheLine, [g, k]).ne(.literal(LineState.invalid))
  }
  private func dirty(_ g: Expr, _ k: Expr) -> Expr {
    pre.read(machine.cacheLine, [g, k]).eq(.literal(LineState.dirty))
  }
  private func data(_ g: Expr, _ k: Expr) -> Expr { pre.read(machine.cacheData, [g, k]) }
  private func atRest(_ g: Expr) -> Expr { !pre.read(machine.granuleLock, [g]) }
}
