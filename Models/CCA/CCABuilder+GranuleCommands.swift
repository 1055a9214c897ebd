import Spec

// MARK: - RMI_GRANULE_DELEGATE and RMI_GRANULE_UNDELEGATE

extension CCABuilder {
  /// Declares the RMM's granule commands.
  ///
  /// Both take `(pe, addr)`: the PE the host issues the SMC on and X1 (under `parametric`,
  /// `(pe, addrClass, granule)`: ``AddressOperand``). The failure conditions
  /// are the specification's, in its order (reference/rmm.md §2.3, §2.4; the CBMC testbenches
  /// `tb_rmi_granule_delegate.c` / `tb_rmi_granule_undelegate.c`), each returning
  /// RMI_ERROR_INPUT (X0 = 1). On success the RMM holds the granule's lock across the SMC to EL3
  /// (reference/rme.md §2.5): in fine mode the command continues as the steps of
  /// ``delegateSequence`` / ``undelegateSequence``, one action each; in atomic mode the whole
  /// sequence runs in this one action. A command on a granule another PE holds is not enabled:
  /// TF-RMM's `find_lock_granule` would wait for the lock.
  func declareGranuleCommands() {
    declareGranuleCommand(
      "RMI_GRANULE_DELEGATE",
      doc: """
        RMI_GRANULE_DELEGATE (FID 0xC4000151; reference/rmm.md §2.3; TF-RMM `smc_granule_delegate`): \
        moves an UNDELEGATED granule to DELEGATED and its GPI from NS to REALM through EL3's \
        RMM_GTSI_DELEGATE (FID 0xC40001B0; reference/rme.md §2.3). Failure conditions in spec order: \
        gran_align, gran_bound (!PaIsDelegable), gran_state (not UNDELEGATED), gran_gpt (GPI not NS: \
        EL3 refuses, TF-RMM returns RMI_ERROR_INPUT). gran_gpt reads the GPT when the command starts; \
        EL3's own check under the GPT lock cannot disagree in the correct model, where only the \
        sequence holding the granule's RMM lock changes its GPI. No scrub on delegate (TF-RMM since \
        f5cce5bc).
        """,
      requiredState: GranuleState.undelegated,
      extraFailure: ("gran_gpt", { g in self.gpi(PreState(), g).ne(.literal(GPI.nonSecure)) }),
      sequence: delegateSequence, finalState: GranuleState.delegated)
    declareGranuleCommand(
      "RMI_GRANULE_UNDELEGATE",
      doc: """
        RMI_GRANULE_UNDELEGATE (FID 0xC4000152; reference/rmm.md §2.4; TF-RMM `smc_granule_undelegate`): \
        scrubs a DELEGATED granule, then moves it to UNDELEGATED and its GPI from REALM to NS through \
        EL3's RMM_GTSI_UNDELEGATE (FID 0xC40001B1; reference/rme.md §2.4, §2.5). Failure conditions in \
        spec order: gran_align, gran_bound, gran_state (not DELEGATED). The spec's gran_content \
        post-condition (contents wiped) is what delegated-clean checks.
        """,
      requiredState: GranuleState.delegated, extraFailure: nil,
      sequence: undelegateSequence, finalState: GranuleState.undelegated)
  }

  private func declareGranuleCommand(
    _ name: String, doc: String, requiredState: Value, extraFailure: (String, (Expr) -> Expr)?,
    sequence: [TransitionStepDefinition], finalState: Value
  ) {
    builder.action(
      name, by: CCA.Parties.rmm, doc: doc,
      parameters: [Parameter("pe", pe)] + addressParameters, successCode: RMIABI.success
    ) { a in
      let p = a.args[0]
      let addr = address(a.args[1...])
      let g = addr.granule
      let pre = PreState()
      let lockable = addr.isAligned && addr.isDelegable
      a.requires(idle(pre, p) && !(lockable && pre.read(machine.granuleLock, [g])))
      let context = StepContext()
      let input = "RMI_ERROR_INPUT"
      context.fail("gran_align", error: input, code: RMIABI.errorInput, when: !addr.isAligned)
      context.fail("gran_bound", error: input, code: RMIABI.errorInput, when: !addr.isDelegable)
      context.fail(
        "gran_state", error: input, code: RMIABI.errorInput,
        when: mutated(CCA.MutantName.undelegateLiveObject) && requiredState == GranuleState.delegated
          ? pre.read(machine.granuleState, [g]).eq(.literal(GranuleState.undelegated))
          : pre.read(machine.granuleState, [g]).ne(.literal(requiredState)))
      if let (failure, condition) = extraFailure {
        context.fail(failure, error: input, code: RMIABI.errorInput, when: condition(g))
      }
      // The RMM locks the granule and issues the SMC: the PE enters the sequence.
      context.write(machine.granuleLock, [g], true)
      context.write(machine.el3Step, [p], sequence[0].step.expr)
      context.write(machine.el3Granule, [p], g)
      if !fine {
        for index in sequence.indices {
          context.endStep()
          run(sequence, index: index, in: context, pe: p, granule: g, finalState: finalState)
        }
      }
      context.emit(into: a)
    }
  }
}
