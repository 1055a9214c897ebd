import Spec

// MARK: - Properties

extension CCABuilder {
  /// Whether no RMI command is in flight on granule `g`.
  func atRest(_ g: Expr) -> Expr { !PreState().read(machine.granuleLock, [g]) }

  /// The steps during which EL3 holds the GPT lock, for the lemmas.
  private var lockedSteps: [TransitionStep] {
    let all = TransitionStep.allCases
    func between(_ first: TransitionStep, _ last: TransitionStep) -> [TransitionStep] {
      guard let i = all.firstIndex(of: first), let j = all.firstIndex(of: last) else { return [] }
      return Array(all[(i + 1)...j])
    }
    return between(.delegateLock, .delegateUnlock) + between(.undelegateLock, .undelegateUnlock)
  }

  // MARK: Per-granule facts, shared by the properties and the lemmas

  /// At rest, the RMM state and the GPI agree: UNDELEGATED exactly when NS, DELEGATED exactly
  /// when REALM.
  func gpiFollowsState(_ g: Expr) -> Expr {
    let pre = PreState()
    let state = pre.read(machine.granuleState, [g])
    let gpi = self.gpi(pre, g)
    return state.eq(.literal(GranuleState.undelegated)).eq(gpi.eq(.literal(GPI.nonSecure)))
      && state.eq(.literal(GranuleState.delegated)).eq(gpi.eq(.literal(GPI.realm)))
  }

  /// Every PE's valid cached GPI for granule `g` equals the GPT's.
  func cachedGPIsCurrent(_ g: Expr) -> Expr {
    let pre = PreState()
    let gpi = self.gpi(pre, g)
    return .forAll(pe) { p in pre.read(machine.gptTLBValid, [p, g]).implies(pre.read(machine.gptTLB, [p, g]).eq(gpi)) }
  }

  /// An UNDELEGATED granule at rest holds no realm data: not in memory, not in a valid line of
  /// either alias.
  func undelegatedHoldsNoRealmData(_ g: Expr) -> Expr {
    let pre = PreState()
    return (atRest(g) && pre.read(machine.granuleState, [g]).eq(.literal(GranuleState.undelegated))).implies(
      !content.isRealmData(pre.read(machine.memory, [g]))
        && .forAll(PAS.cachedDomain) { pas in
          pre.read(machine.cacheLine, [g, pas]).ne(.literal(LineState.invalid))
            .implies(!content.isRealmData(pre.read(machine.cacheData, [g, pas])))
        })
  }

  /// Declares `failed-call-changes-nothing` over every RMI and RSI command the configuration has (declared last, once
  /// every command is): a failed call changes no state variable (reference/rmm.md §2, "everything else must be
  /// unchanged on failure").
  ///
  /// Outputs are registers (``Spec/Output``), so no variable is exempt.
  func declareFailedCallProperty() {
    let commands = builder.actionNames.filter { $0.hasPrefix("RMI_") || $0.hasPrefix("RSI_") }
    guard !commands.isEmpty else { return }
    builder.transitionProperty(
      CCA.PropertyName.failedCallChangesNothing,
      doc: CCA.propertyDoc[CCA.PropertyName.failedCallChangesNothing] ?? "", actions: commands, on: .failure)
  }

  func declareProperties() {
    let pre = PreState()
    builder.monitor(
      CCA.PropertyName.hypNoRealmRead, doc: CCA.propertyDoc[CCA.PropertyName.hypNoRealmRead] ?? "",
      flag: machine.nsReadRealmData)
    builder.monitor(
      CCA.PropertyName.hypNoRealmWrite, doc: CCA.propertyDoc[CCA.PropertyName.hypNoRealmWrite] ?? "",
      flag: machine.nsWroteRealmData)
    builder.invariant(
      CCA.PropertyName.gptConsistent, doc: CCA.propertyDoc[CCA.PropertyName.gptConsistent] ?? "",
      .forAll(granule) { g in atRest(g).implies(gpiFollowsState(g) && cachedGPIsCurrent(g)) })
    builder.invariant(
      CCA.PropertyName.delegatedClean, doc: CCA.propertyDoc[CCA.PropertyName.delegatedClean] ?? "",
      .forAll(granule) { g in undelegatedHoldsNoRealmData(g) })

    // Auxiliary lemmas: facts of the correct model that make the properties inductive, together
    // and each on its own (the induction targets in Proofs/gpt-*.toml). Each holds in every
    // reachable state of the configurations it is declared in (the exhaustive searches in
    // CCAModelTests check them); a mutant that breaks a property may break the lemmas it rests on,
    // and induction then reports a CTI at the mutated step.
    builder.lemma(
      "gpi-follows-rmm-state",
      doc: """
        A granule at rest has GPI NS exactly when it is UNDELEGATED and REALM exactly when it is \
        DELEGATED. Only the RMI command holding the granule's RMM lock changes its GPI and its RMM \
        state, and it ends by setting both together (NS with UNDELEGATED, REALM with DELEGATED); \
        gran_state and gran_gpt refuse commands on granules in the wrong state. The GPT half of \
        gpt-consistent, stated as a lemma so each monitor is inductive on its own: whether the \
        host's GPC passes follows from the RMM state.
        """,
      .forAll(granule) { g in atRest(g).implies(gpiFollowsState(g)) })
    builder.lemma(
      "cached-gpi-current",
      doc: """
        At rest, every PE's valid cached GPI for a granule equals the GPT's. A PE caches only the \
        GPI its walk reads, and every GPI write of a transition is followed, before the command \
        ends, by TLBI RPALOS for the granule. The TLB half of gpt-consistent: without it a stale \
        NS entry would let the host reach a DELEGATED granule (what no-tlbi-on-delegate breaks).
        """,
      .forAll(granule) { g in atRest(g).implies(cachedGPIsCurrent(g)) })
    builder.lemma(
      "undelegated-holds-no-realm-data",
      doc: """
        An UNDELEGATED granule at rest holds no realm data, in memory or in a valid line of either \
        alias. Realm data is written only to DELEGATED granules; undelegate scrubs (a dirty ZERO \
        Realm line), pushes the scrub to memory with the Realm-alias clean and drops the NS line \
        with the NS-alias clean; afterwards only host writes and fills from memory reach the \
        granule. This is delegated-clean, stated as a lemma so each monitor is inductive on its \
        own: the host's reads of an NS granule (hyp-no-realm-read) and its write-backs onto one \
        (hyp-no-realm-write) meet no realm data.
        """,
      .forAll(granule) { g in undelegatedHoldsNoRealmData(g) })
    builder.lemma(
      "no-dirty-line-of-the-other-world",
      doc: """
        A granule at rest has no dirty line in the alias its owner cannot write: no dirty NS line \
        on a DELEGATED granule (the delegate's source-alias clean removed it and the GPC stops new \
        ones), no dirty Realm line on an UNDELEGATED one (likewise for undelegate).
        """,
      .forAll(granule) { g in
        let state = pre.read(machine.granuleState, [g])
        let foreign = Expr.ite(
          state.eq(.literal(GranuleState.delegated)), then: .literal(PAS.nonSecure), else: .literal(PAS.realm))
        return atRest(g).implies(pre.read(machine.cacheLine, [g, foreign]).ne(.literal(LineState.dirty)))
      })
    builder.lemma(
      "granule-lock-held-by-one-command",
      doc: "The RMM's lock on a granule is held exactly when one PE runs a command on it.",
      .forAll(granule) { g in
        pre.read(machine.granuleLock, [g]).eq(
          .exists(pe) { p in !idle(pre, p) && pre.read(machine.el3Granule, [p]).eq(g) })
          && .forAll(pe) { p in
            .forAll(pe) { q in
              (p.ne(q) && !idle(pre, p) && !idle(pre, q)).implies(
                pre.read(machine.el3Granule, [p]).ne(pre.read(machine.el3Granule, [q])))
            }
          }
      })
    if !mutated(CCA.MutantName.gptWordUnlocked) {
      builder.lemma(
        "gpt-lock-held-by-one-pe",
        doc: "EL3's GPT lock is held exactly when one PE is between its lock and unlock steps.",
        .and([
          pre.read(machine.gptLock).eq(
            .exists(pe) { p in pre.read(machine.el3Step, [p]).isOne(of: lockedSteps.map(\.expr)) }),
          .forAll(pe) { p in
            .forAll(pe) { q in
              (p.ne(q) && pre.read(machine.el3Step, [p]).isOne(of: lockedSteps.map(\.expr))).implies(
                !pre.read(machine.el3Step, [q]).isOne(of: lockedSteps.map(\.expr)))
            }
          },
        ]))
    }
    if !fine {
      builder.lemma(
        "no-command-in-flight",
        doc: """
          Atomic mode only: every PE is idle between actions, since an RMI command runs its whole \
          sequence within one action (it enters the sequence and leaves it IDLE). With \
          granule-lock-held-by-one-command and gpt-lock-held-by-one-pe this says no RMM granule \
          lock and no GPT lock is held, so every granule is at rest. Without it, induction starts \
          from states with a PE part-way through a sequence, which atomic mode never reaches. \
          False in fine mode, so declared only in atomic configurations.
          """,
        .forAll(pe) { p in idle(pre, p) })
    }
    if let keys {
      declareEncryptionLemmas(keys)
    }
    declareOwnMECIDProperty()
    declareReadReturnsLastWrite()
    var unusedValuesFixed: Expr =
      .forAll(granule) { g in
        .forAll(pe) { p in
          pre.read(machine.gptTLBValid, [p, g]) || pre.read(machine.gptTLB, [p, g]).eq(.literal(GPI.noAccess))
        }
          && .forAll(PAS.cachedDomain) { pas in
            pre.read(machine.cacheLine, [g, pas]).ne(.literal(LineState.invalid))
              || pre.read(machine.cacheData, [g, pas]).eq(.literal(Content.zero))
          }
      }
    if let line = keys?.realmLineContext {
      unusedValuesFixed =
        unusedValuesFixed
        && .forAll(granule) { g in
          pre.read(machine.cacheLine, [g, .literal(PAS.realm)]).ne(.literal(LineState.invalid))
            || pre.read(line, [g]).eq(.literal(EncryptionContext.rmm))
        }
    }
    if case .descriptors(_, let el3Descriptor) = machine.gpt {
      unusedValuesFixed =
        unusedValuesFixed
        && .forAll(pe) { p in
          (!idle(pre, p) || pre.read(machine.el3Granule, [p]).eq(0))
            && (pre.read(machine.el3Step, [p]).isOne(of: [
              TransitionStep.delegateWriteRealm.expr, TransitionStep.undelegateWriteNoAccess.expr,
              TransitionStep.undelegateWriteNS.expr,
            ]) || pre.read(el3Descriptor, [p]).eq(0))
        }
    } else {
      unusedValuesFixed =
        unusedValuesFixed && .forAll(pe) { p in !idle(pre, p) || pre.read(machine.el3Granule, [p]).eq(0) }
    }
    builder.lemma(
      "unused-values-fixed",
      doc: """
        Values that mean nothing are fixed: an invalid cached GPI is NO_ACCESS, an invalid line \
        holds ZERO (and, under per-realm encryption, carries the RMM context), an idle PE's granule \
        is 0, and the descriptor word is 0 outside the read-modify-write.
        """,
      unusedValuesFixed)
  }
}

extension CCABuilder {
  /// Declares `read-returns-last-write` at the realm stand-in's configurations (the ghost ``lastWrite`` exists only
  /// there; the property's doc in CCA.swift says what it guards and why it is a property).
  ///
  /// For every granule at rest, a read through the alias of its last write, under that write's context, returns the
  /// write's label: HOST through the Non-secure alias under NS, ZERO (the RMM's scrub) and REALM_r through the Realm
  /// alias under the writer's context (``writerContext(_:)``). The label names the writer, so the ghost needs no
  /// alias or context of its own. The read is ``accessRead(_:_:_:reader:)``, the one the actions use.
  ///
  /// Declares `clean-line-matches-memory` with it, in atomic mode: a CLEAN line of the alias the granule's state
  /// gives access to holds memory as read under the line's context; and, with the RMM, `no-dirty-line-after-release`:
  /// a DIRTY Realm line is on a DATA granule.
  func declareReadReturnsLastWrite() {
    guard let lastWrite else { return }
    let pre = PreState()
    let host = Expr.literal(Content.host)
    builder.invariant(
      CCA.PropertyName.readReturnsLastWrite, doc: CCA.propertyDoc[CCA.PropertyName.readReturnsLastWrite] ?? "",
      .forAll(granule) { g in
        let last = pre.read(lastWrite, [g])
        let alias = Expr.ite(last.eq(host), then: .literal(PAS.nonSecure), else: .literal(PAS.realm))
        let reader = Expr.ite(
          last.eq(host), then: .literal(EncryptionContext.nonSecure), else: self.writerContext(last))
        return self.atRest(g).implies(self.accessRead(pre, g, alias, reader: reader).eq(last))
      })
    if configuration.has(CCA.Feature.rmm) {
      builder.invariant(
        CCA.PropertyName.noDirtyLineAfterRelease,
        doc: CCA.propertyDoc[CCA.PropertyName.noDirtyLineAfterRelease] ?? "",
        .forAll(granule) { g in
          let dirty = pre.read(self.machine.cacheLine, [g, .literal(PAS.realm)]).eq(.literal(LineState.dirty))
          return (self.atRest(g) && dirty).implies(
            pre.read(self.machine.granuleState, [g]).eq(.literal(GranuleState.data)))
        })
    }
    // False in fine mode (a finding, see the property's doc): declared in atomic mode only.
    guard !fine else { return }
    builder.invariant(
      CCA.PropertyName.cleanLineMatchesMemory, doc: CCA.propertyDoc[CCA.PropertyName.cleanLineMatchesMemory] ?? "",
      .forAll(granule) { g in
        // The Realm alias for DELEGATED and, with the RMM, for every realm object's state.
        let delegated = pre.read(self.machine.granuleState, [g]).ne(.literal(GranuleState.undelegated))
        let alias = Expr.ite(delegated, then: .literal(PAS.realm), else: .literal(PAS.nonSecure))
        let clean = pre.read(self.machine.cacheLine, [g, alias]).eq(.literal(LineState.clean))
        let memory = self.memoryAsRead(pre, g, reader: self.lineContext(pre, g, alias))
        return (self.atRest(g) && clean).implies(pre.read(self.machine.cacheData, [g, alias]).eq(memory))
      })
  }

  /// Declares `realm-data-under-own-mecid` under per-realm encryption without MECID-tagged lines, with the realm
  /// stand-in or the RMM (reference/rme.md §4.1; the property's doc in CCA.swift says what it guards).
  ///
  /// Realm r's data in memory or in a valid Realm-alias line carries the context ``writerContext(_:)`` gives its
  /// label: realm r's MECID (the stand-in's MECID r, or the MECID of r's RealmParams with the RMM). With `mecid-lines`
  /// a line's MECID is its key, and `no-stale-realm-copy` says which copies may hold whose data, so nothing is
  /// declared there; under `per-pas` every Realm-PAS access shares one key.
  func declareOwnMECIDProperty() {
    guard let keys, let line = keys.realmLineContext else { return }
    let pre = PreState()
    let realm = Expr.literal(PAS.realm)
    builder.invariant(
      CCA.PropertyName.realmDataUnderOwnMECID, doc: CCA.propertyDoc[CCA.PropertyName.realmDataUnderOwnMECID] ?? "",
      .forAll(granule) { g in
        let memory = pre.read(self.machine.memory, [g])
        let data = pre.read(self.machine.cacheData, [g, realm])
        let valid = pre.read(self.machine.cacheLine, [g, realm]).ne(.literal(LineState.invalid))
        return self.content.isRealmData(memory).implies(
          pre.read(keys.memoryContext, [g]).eq(self.writerContext(memory)))
          && (valid && self.content.isRealmData(data)).implies(pre.read(line, [g]).eq(self.writerContext(data)))
      })
  }

  /// The lemmas of the encryption engine (per-pas and per-realm only): they hold whatever the GPT
  /// does, since they follow from which key each agent's writes and reads use, so they make
  /// hyp-no-realm-read inductive on their own, even for the GPT mutants (Docs/defence-in-depth.md).
  func declareEncryptionLemmas(_ keys: EncryptionVariables) {
    let pre = PreState()
    builder.lemma(
      "ns-lines-hold-no-realm-plaintext",
      doc: """
        No valid Non-secure line holds realm plaintext: the host writes HOST, and a Non-secure fill \
        decrypts memory under the NS key, which realm data is never written under \
        (realm-data-under-realm-keys).
        """,
      .forAll(granule) { g in
        pre.read(machine.cacheLine, [g, .literal(PAS.nonSecure)]).ne(.literal(LineState.invalid)).implies(
          !content.isRealmData(pre.read(machine.cacheData, [g, .literal(PAS.nonSecure)])))
      })
    builder.lemma(
      "realm-data-under-realm-keys",
      doc: """
        Memory holding realm plaintext was written under a Realm-PAS key, never under NS: it reaches \
        memory only through write-backs of Realm lines (whose contexts are Realm keys) or the RMM's \
        writes, and Non-secure lines never hold it (ns-lines-hold-no-realm-plaintext).
        """,
      .forAll(granule) { g in
        content.isRealmData(pre.read(machine.memory, [g])).implies(
          pre.read(keys.memoryContext, [g]).ne(.literal(EncryptionContext.nonSecure)))
      })
    guard let line = keys.realmLineContext else { return }
    builder.lemma(
      "realm-lines-tagged-with-realm-keys",
      doc: """
        Per-realm: a valid Realm line holding realm plaintext carries a Realm-PAS MECID, never NS: \
        realms and the RMM tag their writes with their own MECIDs, and a fill is tagged with the \
        context memory was written under (realm-data-under-realm-keys).
        """,
      .forAll(granule) { g in
        (pre.read(machine.cacheLine, [g, .literal(PAS.realm)]).ne(.literal(LineState.invalid))
          && content.isRealmData(pre.read(machine.cacheData, [g, .literal(PAS.realm)])))
          .implies(pre.read(line, [g]).ne(.literal(EncryptionContext.nonSecure)))
      })
  }
}
