import Spec

// MARK: - EL3's granule transition sequences (RMM_GTSI_DELEGATE / RMM_GTSI_UNDELEGATE)

extension CCABuilder {
  /// The steps of RMI_GRANULE_DELEGATE after the RMM has checked and locked the granule.
  ///
  /// These are EL3's RMM_GTSI_DELEGATE handler in TF-A's order (reference/rme.md §2.3; TF-A
  /// `gpt_delegate_pas`, v2.14, and `gpt_transition_pas`), with the mutants' steps removed. After
  /// the last step the SMC returns and the RMM records DELEGATED and releases the granule
  /// (rme.md §2.5). Under `parametric` a GPI is its own entry, so the descriptor read step is
  /// dropped and the write step sets the entry (Docs/ADR/0003-parametric-abstraction.md).
  ///
  /// Barriers are implicit: each step completes before the next starts and is visible to every
  /// PE (the DSB OSHST after the descriptor write, the DSB OSH after TLBI and CMOs). There is no
  /// data scrub on delegate.
  var delegateSequence: [TransitionStepDefinition] {
    var steps = [
      lockStep(.delegateLock),
      TransitionStepDefinition(
        .delegateCleanTarget,
        doc: """
          RMM_GTSI_DELEGATE step 1 (reference/rme.md §2.3; TF-A `gpt_delegate_pas`): DC CIPAPA over \
          the granule with the target (Realm) PAS selector, then DSB OSH, to drop lines left or \
          speculatively fetched into the Realm alias.
          """
      ) { context, _, g in self.cleanInvalidateToPoPA(context, g, pas: PAS.realm) },
      readDescriptorStep(.delegateReadDescriptor, purpose: "to set the GPI to REALM"),
      writeGPIStep(.delegateWriteRealm, gpi: GPI.realm, name: "REALM", citation: "§2.3 step 2"),
      TransitionStepDefinition(
        .delegateTLBI,
        doc: """
          RMM_GTSI_DELEGATE step 3 (reference/rme.md §2.3; TF-A `gpt_delegate_pas`): TLBI RPALOS for \
          the granule, then DSB OSH: every PE drops its cached GPI, so the host can no longer reach \
          the now-Realm granule through a stale NS entry.
          """
      ) { context, _, g in self.invalidateGPTTLBs(context, granule: g) },
      TransitionStepDefinition(
        .delegateCleanSource,
        doc: """
          RMM_GTSI_DELEGATE step 4 (reference/rme.md §2.3; TF-A `gpt_delegate_pas`): DC CIPAPA with \
          the source (NS) PAS selector, then DSB OSH: dirty NS lines are written back now, never \
          later on top of realm data, and clean NS lines stop serving reads.
          """
      ) { context, _, g in self.cleanInvalidateToPoPA(context, g, pas: PAS.nonSecure) },
      unlockStep(.delegateUnlock, operation: "RMM_GTSI_DELEGATE", state: "DELEGATED"),
    ]
    if mutated(CCA.MutantName.noTLBIOnDelegate) { steps.removeAll { $0.step == .delegateTLBI } }
    if mutated(CCA.MutantName.cmoSourceAliasOnly) { steps.removeAll { $0.step == .delegateCleanTarget } }
    if mutated(CCA.MutantName.gptWordUnlocked) {
      steps.removeAll { $0.step == .delegateLock || $0.step == .delegateUnlock }
    }
    if parametric { steps.removeAll { $0.step == .delegateReadDescriptor } }
    return steps
  }

  /// The steps of RMI_GRANULE_UNDELEGATE after the RMM has checked and locked the granule.
  ///
  /// These are the RMM's scrub, then EL3's RMM_GTSI_UNDELEGATE handler in TF-A's order
  /// (reference/rme.md §2.4; TF-A `gpt_undelegate_pas`, v2.14, and `gpt_transition_pas`), with
  /// the mutants' steps removed. After the last step the SMC returns and the RMM records
  /// UNDELEGATED and releases the granule (rme.md §2.5). Under `parametric` the descriptor read
  /// steps are dropped, as on delegate.
  var undelegateSequence: [TransitionStepDefinition] {
    var steps = [
      TransitionStepDefinition(
        .undelegateScrub, by: CCA.Parties.rmm,
        doc: """
          The RMM scrubs the granule before asking EL3 to undelegate it (reference/rme.md §2.5; \
          TF-RMM `buffer_granule_sanitize` in `smc_granule_undelegate`): it writes zeroes through \
          the Realm PAS, leaving a DIRTY Realm line with ZERO that EL3's source-alias clean pushes \
          to memory. The write is GPC-checked like any access. A GPF in the RMM is fatal in \
          TF-RMM (it panics), so the step is then not enabled: the PE hangs, in atomic mode as in \
          fine mode, and the RMI command keeps the specification's failure conditions only. Only \
          a state that already breaks gpt-consistent can get there.
          """
      ) { context, p, g in
        let passes = self.protectionCheck(context, pe: p, granule: g, pas: .literal(PAS.realm))
        context.require(passes)
        self.setLine(context, g, .literal(PAS.realm), LineState.dirty, .literal(Content.zero))
        self.recordWrite(context, g, .literal(Content.zero))
      },
      lockStep(.undelegateLock),
      readDescriptorStep(.undelegateReadDescriptorNoAccess, purpose: "to set the GPI to NO_ACCESS"),
      writeGPIStep(
        .undelegateWriteNoAccess, gpi: GPI.noAccess, name: "NO_ACCESS",
        citation: "§2.4 step 1: the old owner loses access first"),
      TransitionStepDefinition(
        .undelegateTLBINoAccess,
        doc: """
          RMM_GTSI_UNDELEGATE step 1 (reference/rme.md §2.4; TF-A `gpt_undelegate_pas`): TLBI RPALOS \
          and DSB OSH after the NO_ACCESS write: no PE keeps a cached REALM, so no agent can create \
          new dirty Realm lines from here on.
          """
      ) { context, _, g in self.invalidateGPTTLBs(context, granule: g) },
      TransitionStepDefinition(
        .undelegateCleanSource,
        doc: """
          RMM_GTSI_UNDELEGATE step 2 (reference/rme.md §2.4; TF-A `gpt_undelegate_pas`): DC CIPAPA \
          with the source (Realm) PAS selector, then DSB OSH: the RMM's scrub reaches memory and the \
          Realm line is dropped.
          """
      ) { context, _, g in self.cleanInvalidateToPoPA(context, g, pas: PAS.realm) },
      TransitionStepDefinition(
        .undelegateCleanTarget,
        doc: """
          RMM_GTSI_UNDELEGATE step 3 (reference/rme.md §2.4; TF-A `gpt_undelegate_pas`): DC CIPAPA \
          with the target (NS) PAS selector, then DSB OSH: stale NS lines (for example realm data \
          speculatively fetched into the NS alias) are dropped, so NS reads the scrubbed memory.
          """
      ) { context, _, g in self.cleanInvalidateToPoPA(context, g, pas: PAS.nonSecure) },
      readDescriptorStep(.undelegateReadDescriptorNS, purpose: "to set the GPI to NS"),
      writeGPIStep(.undelegateWriteNS, gpi: GPI.nonSecure, name: "NS", citation: "§2.4 step 4"),
      TransitionStepDefinition(
        .undelegateTLBINS,
        doc: """
          RMM_GTSI_UNDELEGATE step 4 (reference/rme.md §2.4; TF-A `gpt_undelegate_pas`): TLBI RPALOS \
          and DSB OSH after the NS write, so no PE keeps a cached NO_ACCESS.
          """
      ) { context, _, g in self.invalidateGPTTLBs(context, granule: g) },
      unlockStep(.undelegateUnlock, operation: "RMM_GTSI_UNDELEGATE", state: "UNDELEGATED"),
    ]
    if mutated(CCA.MutantName.undelegateWithoutScrub) { steps.removeAll { $0.step == .undelegateScrub } }
    if mutated(CCA.MutantName.cmoSourceAliasOnly) { steps.removeAll { $0.step == .undelegateCleanTarget } }
    if mutated(CCA.MutantName.undelegateSkipsNoAccess) {
      steps.removeAll {
        [.undelegateReadDescriptorNoAccess, .undelegateWriteNoAccess, .undelegateTLBINoAccess].contains($0.step)
      }
    }
    if mutated(CCA.MutantName.gptWordUnlocked) {
      steps.removeAll { $0.step == .undelegateLock || $0.step == .undelegateUnlock }
    }
    if parametric {
      steps.removeAll { $0.step == .undelegateReadDescriptorNoAccess || $0.step == .undelegateReadDescriptorNS }
    }
    return steps
  }

  // MARK: - Step kinds shared by both sequences

  private func lockStep(_ step: TransitionStep) -> TransitionStepDefinition {
    TransitionStepDefinition(
      step,
      doc: """
        EL3 takes the global GPT lock (reference/rme.md §2.2, step 0 of §2.3 and §2.4; TF-A \
        `spin_lock(&gpt_lock)` in `gpt_delegate_pas` / `gpt_undelegate_pas`). Enabled only while \
        the lock is free: a PE that finds it taken spins. The lock covers the descriptor \
        read-modify-write and the whole CMO/TLBI sequence.
        """,
      enabled: { _ in !PreState().read(self.machine.gptLock) }
    ) { context, _, _ in context.write(self.machine.gptLock, [], true) }
  }

  private func unlockStep(_ step: TransitionStep, operation: String, state: String) -> TransitionStepDefinition {
    TransitionStepDefinition(
      step,
      doc: """
        EL3 releases the GPT lock and \(operation) returns (reference/rme.md §2.3 step 5, §2.4 step 5; \
        TF-A `spin_unlock(&gpt_lock)`); the RMM then records \(state) and releases its granule lock \
        (rme.md §2.5). One step: nothing another PE does can tell the two apart, since the RMM's \
        granule lock is held until the end and the GPT lock only orders EL3 sequences.
        """
    ) { context, _, _ in context.write(self.machine.gptLock, [], false) }
  }

  private func readDescriptorStep(_ step: TransitionStep, purpose: String) -> TransitionStepDefinition {
    TransitionStepDefinition(
      step,
      doc: """
        EL3 reads the L1 granules descriptor that holds the granule's GPI \(purpose): the read half \
        of `write_gpt`'s read-modify-write (reference/rme.md §1.3, §2.3 step 2). The word is kept \
        per PE until the write, so two PEs changing granules of one word can race when nothing \
        orders them (gpt-word-unlocked).
        """
    ) { context, p, g in
      // Under `parametric` the step is not in the sequences: there is no word to read.
      guard case .descriptors(let gptDescriptor, let el3Descriptor) = self.machine.gpt else { return }
      context.write(el3Descriptor, [p], context.read(gptDescriptor, [self.descriptorIndex(g)]))
    }
  }

  private func writeGPIStep(_ step: TransitionStep, gpi: Value, name: String, citation: String)
    -> TransitionStepDefinition
  {
    TransitionStepDefinition(
      step,
      doc: parametric
        ? """
        EL3 sets the granule's GPI to \(name), then DSB OSHST (reference/rme.md \(citation); TF-A \
        `write_gpt`). The parametric abstraction keeps one GPI per granule, so the descriptor \
        read-modify-write is this one write (Docs/ADR/0003-parametric-abstraction.md).
        """
        : """
        EL3 writes back the descriptor word it read, with the granule's nibble set to \(name), \
        then DSB OSHST (reference/rme.md \(citation); TF-A `write_gpt`). Other granules' nibbles \
        keep the values EL3 read.
        """
    ) { context, p, g in
      switch self.machine.gpt {
      case .descriptors(let gptDescriptor, let el3Descriptor):
        let word = context.read(el3Descriptor, [p])
        context.write(
          gptDescriptor, [self.descriptorIndex(g)], self.descriptor(word, settingGPIOf: g, to: .literal(gpi)))
        context.write(el3Descriptor, [p], 0)
      case .perGranule(let entry):
        context.write(entry, [g], .literal(gpi))
      }
    }
  }

  // MARK: - Running steps

  /// Applies step `index` of `sequence` for PE `p` on granule `g`, then moves the PE to the
  /// next step, or, after the last one, completes the command: the granule takes state
  /// `finalState`, the RMM releases it and the PE is idle again.
  func run(
    _ sequence: [TransitionStepDefinition], index: Int, in context: StepContext, pe p: Expr, granule g: Expr,
    finalState: Value
  ) {
    sequence[index].body(context, p, g)
    if index + 1 < sequence.count {
      context.write(machine.el3Step, [p], sequence[index + 1].step.expr)
    } else {
      context.write(machine.granuleState, [g], .literal(finalState))
      context.write(machine.granuleLock, [g], false)
      context.write(machine.el3Step, [p], TransitionStep.idle.expr)
      context.write(machine.el3Granule, [p], 0)
    }
  }

  /// Declares one action per step of both sequences (fine mode).
  func declareTransitionSteps() {
    for (sequence, finalState) in [
      (delegateSequence, GranuleState.delegated), (undelegateSequence, GranuleState.undelegated),
    ] {
      for (index, definition) in sequence.enumerated() {
        builder.action(
          definition.step.rawValue, by: definition.caller, doc: definition.doc,
          parameters: [Parameter("pe", pe)]
        ) { a in
          let p = a.args[0]
          a.requires(PreState().read(machine.el3Step, [p]).eq(definition.step.expr) && definition.enabled(p))
          let context = StepContext()
          run(
            sequence, index: index, in: context, pe: p, granule: context.read(machine.el3Granule, [p]),
            finalState: finalState
          )
          context.emit(into: a)
        }
      }
    }
  }
}
