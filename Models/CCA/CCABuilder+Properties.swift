import Spec

// MARK: - Properties

extension CCABuilder {
  /// Whether no RMI command is in flight on granule `g`.
  func atRest(_ g: Expr) -> Expr { !PreState().read(v.granuleLock, [g]) }

  /// The steps during which EL3 holds the GPT lock, for the lemmas.
  private var lockedSteps: [TransitionStep] {
    let all = TransitionStep.allCases
    func between(_ first: TransitionStep, _ last: TransitionStep) -> [TransitionStep] {
      guard let i = all.firstIndex(of: first), let j = all.firstIndex(of: last) else { return [] }
      return Array(all[(i + 1)...j])
    }
    return between(.delegateLock, .delegateUnlock) + between(.undelegateLock, .undelegateUnlock)
  }

  func declareProperties() {
    let b = builder
    let pre = PreState()
    b.monitor(
      CCA.PropertyName.hypNoRealmRead, doc: CCA.propertyDoc[CCA.PropertyName.hypNoRealmRead] ?? "",
      flag: v.nsReadRealmData)
    b.monitor(
      CCA.PropertyName.hypNoRealmWrite, doc: CCA.propertyDoc[CCA.PropertyName.hypNoRealmWrite] ?? "",
      flag: v.nsWroteRealmData)
    b.invariant(
      CCA.PropertyName.gptConsistent, doc: CCA.propertyDoc[CCA.PropertyName.gptConsistent] ?? "",
      .forAll(granule) { g in
        let state = pre.read(v.granuleState, [g])
        let gpi = self.gpi(pre, g)
        return atRest(g).implies(
          state.eq(.literal(GranuleState.undelegated)).eq(gpi.eq(.literal(GPI.nonSecure)))
            && state.eq(.literal(GranuleState.delegated)).eq(gpi.eq(.literal(GPI.realm)))
            && .forAll(pe) { p in pre.read(v.gptTLBValid, [p, g]).implies(pre.read(v.gptTLB, [p, g]).eq(gpi)) })
      })
    b.invariant(
      CCA.PropertyName.delegatedClean, doc: CCA.propertyDoc[CCA.PropertyName.delegatedClean] ?? "",
      .forAll(granule) { g in
        (atRest(g) && pre.read(v.granuleState, [g]).eq(.literal(GranuleState.undelegated))).implies(
          !content.isRealmData(pre.read(v.memory, [g]))
            && .forAll(PAS.cachedDomain) { pas in
              pre.read(v.cacheLine, [g, pas]).ne(.literal(LineState.invalid))
                .implies(!content.isRealmData(pre.read(v.cacheData, [g, pas])))
            })
      })

    // Auxiliary lemmas: facts the main properties rest on, for inductive proofs later.
    b.lemma(
      "no-dirty-line-of-the-other-world",
      doc: """
        A granule at rest has no dirty line in the alias its owner cannot write: no dirty NS line \
        on a DELEGATED granule (the delegate's source-alias clean removed it and the GPC stops new \
        ones), no dirty Realm line on an UNDELEGATED one (likewise for undelegate).
        """,
      .forAll(granule) { g in
        let state = pre.read(v.granuleState, [g])
        let foreign = Expr.ite(
          state.eq(.literal(GranuleState.delegated)), then: .literal(PAS.nonSecure), else: .literal(PAS.realm))
        return atRest(g).implies(pre.read(v.cacheLine, [g, foreign]).ne(.literal(LineState.dirty)))
      })
    b.lemma(
      "granule-lock-held-by-one-command",
      doc: "The RMM's lock on a granule is held exactly when one PE runs a command on it.",
      .forAll(granule) { g in
        pre.read(v.granuleLock, [g]).eq(
          .exists(pe) { p in !idle(pre, p) && pre.read(v.el3Granule, [p]).eq(g) })
          && .forAll(pe) { p in
            .forAll(pe) { q in
              (p.ne(q) && !idle(pre, p) && !idle(pre, q)).implies(
                pre.read(v.el3Granule, [p]).ne(pre.read(v.el3Granule, [q])))
            }
          }
      })
    if !mutated(CCA.MutantName.gptWordUnlocked) {
      b.lemma(
        "gpt-lock-held-by-one-pe",
        doc: "EL3's GPT lock is held exactly when one PE is between its lock and unlock steps.",
        .and([
          pre.read(v.gptLock).eq(.exists(pe) { p in pre.read(v.el3Step, [p]).isOne(of: lockedSteps.map(\.expr)) }),
          .forAll(pe) { p in
            .forAll(pe) { q in
              (p.ne(q) && pre.read(v.el3Step, [p]).isOne(of: lockedSteps.map(\.expr))).implies(
                !pre.read(v.el3Step, [q]).isOne(of: lockedSteps.map(\.expr)))
            }
          },
        ]))
    }
    b.lemma(
      "unused-values-fixed",
      doc: """
        Values that mean nothing are fixed: an invalid cached GPI is NO_ACCESS, an invalid line \
        holds ZERO, an idle PE's granule is 0, and the descriptor word is 0 outside the \
        read-modify-write.
        """,
      .forAll(granule) { g in
        .forAll(pe) { p in
          pre.read(v.gptTLBValid, [p, g]) || pre.read(v.gptTLB, [p, g]).eq(.literal(GPI.noAccess))
        }
          && .forAll(PAS.cachedDomain) { pas in
            pre.read(v.cacheLine, [g, pas]).ne(.literal(LineState.invalid))
              || pre.read(v.cacheData, [g, pas]).eq(.literal(Content.zero))
          }
      }
        && .forAll(pe) { p in
          (!idle(pre, p) || pre.read(v.el3Granule, [p]).eq(0))
            && (pre.read(v.el3Step, [p]).isOne(of: [
              TransitionStep.delegateWriteRealm.expr, TransitionStep.undelegateWriteNoAccess.expr,
              TransitionStep.undelegateWriteNS.expr,
            ]) || pre.read(v.el3Descriptor, [p]).eq(0))
        })
  }
}
