import Spec

// MARK: - A stand-in for realms

extension CCABuilder {
  /// The steps of an in-flight RMI_GRANULE_UNDELEGATE during which the granule's old owner may
  /// still attempt a Realm-PAS write: from EL3's clean of the source (Realm) alias up to the end.
  ///
  /// This is the window TF-A's NO_ACCESS step exists for (reference/rme.md §2.4 step 1): "a
  /// write between the cache flush and the final switch could survive and later be written
  /// back, or be read by NS". In the correct sequence every such write fails the GPC (the GPI
  /// is NO_ACCESS and every GPT TLB was invalidated before the flush); without the step the
  /// writer still holds REALM and its dirty line outlives the transition.
  ///
  /// The window deliberately starts after the RMM's scrub and EL3's NO_ACCESS step, not at the
  /// start of the command: a realm write that lands after the scrub but before NO_ACCESS cannot
  /// be stopped by any EL3 sequence (the source-alias clean pushes it to memory, where NS reads
  /// it). The RMM excludes it by contract: it undelegates only granules no realm maps
  /// (reference/rme.md §2.5), which the stand-in expresses by not generating such writes.
  static let staleOwnerWindow: [TransitionStep] = [
    .undelegateCleanSource, .undelegateCleanTarget, .undelegateReadDescriptorNS, .undelegateWriteNS,
    .undelegateTLBINS, .undelegateUnlock,
  ]

  /// Whether some realm may write granule `g`: it is DELEGATED and no RMI command holds it (the
  /// stand-in for ownership), or it is being undelegated and the command is in
  /// ``staleOwnerWindow``.
  func realmMayWrite(_ state: some StateReader, _ g: Expr) -> Expr {
    let owned =
      state.read(machine.granuleState, [g]).eq(.literal(GranuleState.delegated))
      && !state.read(machine.granuleLock, [g])
    let stale = Expr.exists(pe) { p in
      state.read(machine.el3Granule, [p]).eq(g)
        && state.read(machine.el3Step, [p]).isOne(of: Self.staleOwnerWindow.map(\.expr))
    }
    return fine ? owned || stale : owned
  }

  /// Declares the realm stand-in's private writes.
  func declareRealmActions() {
    // With the RMM, realms run through their RTTs instead (RMMBuilder+REC.swift).
    guard !configuration.has(CCA.Feature.rmm) else { return }
    builder.action(
      "REALM_WRITE", by: CCA.Parties.realm,
      doc: """
        Realm `realm`, running on PE `pe`, writes its private data to granule `granule` through \
        the Realm PAS (reference/rme.md §1.1). A stand-in for realm ownership until the RMM issue \
        brings RTTs and DATA granules: any realm may write any DELEGATED granule no RMI command \
        holds; in fine mode the old owner may also attempt a write while the granule is being \
        undelegated, in the window TF-A's NO_ACCESS step guards (see staleOwnerWindow). GPC first, \
        against the PE's cached GPI or a GPT walk; on a GPF nothing happens (status 0x28). \
        Otherwise the Realm line becomes DIRTY with REALM_r (under per-realm encryption tagged with \
        realm r's MECID, r: reference/rme.md §4.1).
        """,
      parameters: [Parameter("pe", pe), Parameter("granule", granule), Parameter("realm", realm)]
    ) { a in
      let (p, g, r) = (a.args[0], a.args[1], a.args[2])
      let context = StepContext()
      a.requires(idle(context, p) && realmMayWrite(context, g))
      let passes = protectionCheck(context, pe: p, granule: g, pas: .literal(PAS.realm))
      context.fail("gpf", error: GPF.name, code: GPF.faultStatusCode, when: !passes)
      setLine(context, g, .literal(PAS.realm), LineState.dirty, content.realmLabel(r), under: realmContext(r))
      recordWrite(context, g, content.realmLabel(r))
      context.emit(into: a)
    }
  }
}
