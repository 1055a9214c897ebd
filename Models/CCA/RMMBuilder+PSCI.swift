import Spec

// MARK: - Realm PSCI calls and RMI_PSCI_COMPLETE

extension RMMBuilder {
  /// The conventions of realm calls (PSCI here, RSI in `RMMBuilder+RSI.swift`): actions with actor `realm`, enabled
  /// while a REC runs on PE `pe`; the realm's argument registers are the parameters `x1`, `x2`, ...
  ///
  /// A call that returns to the realm at once without changing any state is a failure condition whose code is the
  /// realm's X0 (an RSI error, a PSCI error, or a PSCI result such as AFFINITY_INFO's ON for the calling REC itself); a
  /// call that succeeds either returns to the realm (code 0, results as outputs `x1`, ...) or exits to the host, with
  /// outputs naming the RecRun.exit fields the host reads (`exit_reason`, `exit_gprs0`, ...); the realm then sees the
  /// call's X0..X2 on its next entry (RMI_REC_ENTER's outputs `realm_x0` ... `realm_x2`).
  ///
  /// Declares PSCI_VERSION, PSCI_FEATURES, PSCI_CPU_SUSPEND, PSCI_CPU_ON, PSCI_AFFINITY_INFO,
  /// PSCI_CPU_OFF, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET (reference/rmm.md §5) and RMI_PSCI_COMPLETE
  /// (§2.23).
  func declarePSCI() {
    let recIndices = (0..<recs).map { Value($0) }
    builder.action(
      "PSCI_VERSION", by: CCA.Parties.realm,
      doc: """
        The realm of the REC running on PE `pe` calls PSCI_VERSION (FID 0x84000000; reference/rmm.md §5; \
        TF-RMM rel0 `psci_version`): returns to the realm at once with X0 = 0x10001 (PSCI 1.1). \
        Footprint: none.
        """,
      parameters: [Parameter("pe", cca.pe)], successCode: PSCI.version1_1
    ) { a in
      a.requires(pre.read(rmmState.peRunning, [a.arg("pe")]))
    }

    builder.action(
      "PSCI_FEATURES", by: CCA.Parties.realm,
      doc: """
        The realm of the REC running on PE `pe` calls PSCI_FEATURES (FID 0x8400000A; reference/rmm.md §5; \
        TF-RMM rel0 `psci_features`): x1 = psci_func_id (its low 32 bits are read). Returns to the realm \
        at once: not_supported (the function is not one the RMM implements: the SMC32 and SMC64 \
        CPU_SUSPEND, CPU_ON and AFFINITY_INFO, CPU_OFF, SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES, \
        SMCCC_VERSION) PSCI_NOT_SUPPORTED; else X0 = PSCI_SUCCESS. The reference lists the PSCI calls \
        the RMM handles but not PSCI_FEATURES' answers; TF-RMM rel0 decides, including its answer \
        PSCI_NOT_SUPPORTED for PSCI_VERSION's own FID. Footprint: none.
        """,
      parameters: [Parameter("pe", cca.pe), register("x1", [PSCI.cpuOn], allValues: [PSCI.version])],
      successCode: PSCI.success
    ) { a in
      a.requires(pre.read(rmmState.peRunning, [a.arg("pe")]))
      a.fail(
        "not_supported", error: "PSCI_NOT_SUPPORTED", code: PSCI.notSupported,
        when: !(a.arg("x1") & 0xFFFF_FFFF).isOne(of: PSCI.implemented.map { .literal($0) }))
    }

    builder.action(
      "PSCI_CPU_SUSPEND", by: CCA.Parties.realm,
      doc: """
        The realm of the REC running on PE `pe` calls PSCI CPU_SUSPEND (SMC64 FID 0xC4000001; \
        reference/rmm.md §5; TF-RMM rel0 `psci_cpu_suspend`): x1 = power_state, x2 = entry_point_address, \
        x3 = context_id, none checked (every power state is a suspend request). The REC exits to the \
        host as a notification (RMI_EXIT_PSCI, exit_gprs0 = the FID, exit_gprs1 = power_state); \
        nothing is pending, and the realm sees X0 = PSCI_SUCCESS on its next entry.
        """,
      parameters: [
        Parameter("pe", cca.pe), register("x1", [0], allValues: [1]), register("x2", [0]), register("x3", [0]),
      ]
    ) { a in
      let p = a.arg("pe")
      a.requires(pre.read(rmmState.peRunning, [p]))
      a.set(recState.psciResult, [runningREC(p)], to: .literal(PSCI.success))
      psciExit(a, p, PSCI.cpuSuspend, argument: a.arg("x1"))
    }

    builder.action(
      "PSCI_CPU_ON", by: CCA.Parties.realm,
      doc: """
        The realm of the REC running on PE `pe` calls PSCI CPU_ON (SMC64 FID 0xC4000003; reference/rmm.md \
        §5; TF-RMM 1.0 `psci_cpu_on`): x1 = target_cpu (an MPIDR: its index is Aff0), x2 = \
        entry_point_address, x3 = context_id. Returns to the realm at once, in this order: entry_address \
        (the entry point is not a protected IPA) PSCI_INVALID_ADDRESS; target_cpu (no REC of the realm \
        has that index: index ≥ rec_index) PSCI_INVALID_PARAMETERS; already_on (the target is the \
        calling REC) PSCI_ALREADY_ON. Otherwise the REC records the request (psci_pending, CPU_ON, \
        target) and exits to the host: exit_reason RMI_EXIT_PSCI, exit_gprs0 = the FID, exit_gprs1 = \
        target_cpu; the host must call RMI_PSCI_COMPLETE before the REC can run again.
        """,
      parameters: [
        Parameter("pe", cca.pe), register("x1", recIndices, allValues: [Value(recs)]),
        register("x2", [0, geometry.protectedLimit]),
        register("x3", [0]),
      ]
    ) { a in
      let (p, target, entry) = (a.arg("pe"), a.arg("x1"), a.arg("x2"))
      a.requires(pre.read(rmmState.peRunning, [p]))
      a.fail(
        "entry_address", error: "PSCI_INVALID_ADDRESS", code: PSCI.invalidAddress,
        when: entry.ge(.literal(geometry.protectedLimit)))
      psciTargetRequest(
        a, p, PSCI.cpuOn, target: target, named: "target_cpu", itself: ("already_on", "PSCI_ALREADY_ON", PSCI.alreadyOn)
      )
    }

    builder.action(
      "PSCI_AFFINITY_INFO", by: CCA.Parties.realm,
      doc: """
        The realm of the REC running on PE `pe` calls PSCI AFFINITY_INFO (SMC64 FID 0xC4000004; \
        reference/rmm.md §5; TF-RMM 1.0 `psci_affinity_info`): x1 = target_affinity (an MPIDR), x2 = \
        lowest_affinity_level. Returns to the realm at once, in this order: lowest_affinity_level (not \
        0) PSCI_INVALID_PARAMETERS; target_affinity (no REC of the realm has that index) \
        PSCI_INVALID_PARAMETERS; self_on (the target is the calling REC) X0 = 0, ON. Otherwise the \
        REC records the request and exits to the host (RMI_EXIT_PSCI, exit_gprs0 = the FID, \
        exit_gprs1 = target_affinity) until RMI_PSCI_COMPLETE.
        """,
      parameters: [
        Parameter("pe", cca.pe), register("x1", recIndices, allValues: [Value(recs)]),
        register("x2", [0], allValues: [1]),
      ]
    ) { a in
      let (p, target) = (a.arg("pe"), a.arg("x1"))
      a.requires(pre.read(rmmState.peRunning, [p]))
      a.fail(
        "lowest_affinity_level", error: "PSCI_INVALID_PARAMETERS", code: PSCI.invalidParameters,
        when: a.arg("x2").ne(0))
      psciTargetRequest(
        a, p, PSCI.affinityInfo, target: target, named: "target_affinity",
        itself: ("self_on", "PSCI_AFFINITY_ON", PSCI.affinityOn))
    }

    builder.action(
      "PSCI_CPU_OFF", by: CCA.Parties.realm,
      doc: """
        The realm of the REC running on PE `pe` calls PSCI CPU_OFF (FID 0x84000002; reference/rmm.md §5; \
        TF-RMM 1.0 `psci_cpu_off`): the REC is no longer runnable and exits to the host \
        (RMI_EXIT_PSCI, exit_gprs0 = the FID); nothing is pending (the host only learns of it). \
        Another REC's CPU_ON makes it runnable again.
        """,
      parameters: [Parameter("pe", cca.pe)]
    ) { a in
      let p = a.arg("pe")
      a.requires(pre.read(rmmState.peRunning, [p]))
      a.set(rmmState.recRunnable, [runningREC(p)], to: false)
      psciExit(a, p, PSCI.cpuOff)
    }

    for reset in [false, true] {
      builder.action(
        reset ? "PSCI_SYSTEM_RESET" : "PSCI_SYSTEM_OFF", by: CCA.Parties.realm,
        doc: """
          The realm of the REC running on PE `pe` calls PSCI \(reset ? "SYSTEM_RESET (FID 0x84000009)" : "SYSTEM_OFF (FID 0x84000008)") \
          (reference/rmm.md §1.2, §5): the RMM puts the realm in SYSTEM_OFF\(reset ? " (a reset is the host's to do, by building a new realm)" : "") \
          and the REC exits to the host (RMI_EXIT_PSCI, exit_gprs0 = the FID), no longer RUNNING.
          """,
        parameters: [Parameter("pe", cca.pe)]
      ) { a in
        let p = a.arg("pe")
        a.requires(pre.read(rmmState.peRunning, [p]))
        a.set(rmmState.realmState, [pre.read(rmmState.owner, [runningREC(p)])], to: .literal(RealmState.systemOff))
        psciExit(a, p, reset ? PSCI.systemReset : PSCI.systemOff)
      }
    }

    declarePSCIComplete()
  }

  /// The REC running on PE `p` exits with RMI_EXIT_PSCI for function `fid`.
  func psciExit(_ a: ActionBuilder, _ p: Expr, _ fid: Value, argument: Expr = 0) {
    a.output("exit_reason", .literal(RecExitReason.psci))
    a.output("exit_gprs0", .literal(fid))
    a.output("exit_gprs1", argument)
    exitREC(a, p)
  }

  /// The end of a PSCI call on MPIDR `target` (CPU_ON, AFFINITY_INFO) from the REC on PE `p`:
  /// the failure condition `named` (no REC of the realm has that index: PSCI_INVALID_PARAMETERS),
  /// then `itself` (the target is the caller: the call returns that code at once); otherwise the
  /// REC records the request for `fid` and exits.
  func psciTargetRequest(
    _ a: ActionBuilder, _ p: Expr, _ fid: Value, target: Expr, named: String,
    itself: (name: String, error: String, code: Value)
  ) {
    let rec = runningREC(p)
    a.fail(
      named, error: "PSCI_INVALID_PARAMETERS", code: PSCI.invalidParameters,
      when: target.ge(pre.read(rmmState.realmRecIndex, [pre.read(rmmState.owner, [rec])])))
    a.fail(itself.name, error: itself.error, code: itself.code, when: target.eq(pre.read(recState.mpidr, [rec])))
    a.set(recState.psciPending, [rec], to: true)
    a.set(recState.psciRequest, [rec], to: .literal(fid))
    a.set(recState.psciTarget, [rec], to: target)
    psciExit(a, p, fid, argument: target)
  }

  func declarePSCIComplete() {
    builder.action(
      "RMI_PSCI_COMPLETE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_PSCI_COMPLETE (FID 0xC4000164; reference/rmm.md §2.23; 1.0's three-argument form): x1 = \
        calling_rec, x2 = target_rec, x3 = status (a PSCI return value). Failure conditions in the ACS \
        order, all RMI_ERROR_INPUT: alias (calling_rec = target_rec); calling_align, calling_bound, \
        calling_state (not REC); target_align, target_bound, target_state (not REC); pending (the \
        calling REC has no pending PSCI request); owner (the target belongs to another realm); target \
        (the target's MPIDR is not the one in the request); status (CPU_ON: status is neither \
        PSCI_SUCCESS nor PSCI_DENIED, or it is PSCI_DENIED while the target is already on; \
        AFFINITY_INFO: status is not PSCI_SUCCESS). The ACS states no priority orderings; the list \
        order is the model's. A target is "on" when it is running or runnable (TF-RMM 1.0 \
        `psci_complete_request`). Success: the request is complete (psci_pending cleared) and the \
        calling REC's X0, seen by the realm on its next entry, is: CPU_ON: PSCI_ALREADY_ON if the \
        target is on, else the status, and on PSCI_SUCCESS the target becomes runnable; \
        AFFINITY_INFO: 0 (ON) if the target is on, else 1 (OFF).
        """,
      parameters: [
        register("x1", granulePAs), register("x2", granulePAs), register("x3", [PSCI.success, PSCI.denied]),
      ],
      successCode: RMIABI.success
    ) { a in
      let (calling, target, status) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      a.fail("alias", error: Self.input, code: RMIABI.errorInput, when: calling.eq(target))
      granuleChecks(a, "calling", calling, state: GranuleState.rec)
      granuleChecks(a, "target", target, state: GranuleState.rec)
      let (c, t) = (memoryMap.granule(of: calling), memoryMap.granule(of: target))
      a.fail("pending", error: Self.input, code: RMIABI.errorInput, when: !pre.read(recState.psciPending, [c]))
      a.fail(
        "owner", error: Self.input, code: RMIABI.errorInput,
        when: pre.read(rmmState.owner, [t]).ne(pre.read(rmmState.owner, [c])))
      a.fail(
        "target", error: Self.input, code: RMIABI.errorInput,
        when: pre.read(recState.mpidr, [t]).ne(pre.read(recState.psciTarget, [c])))
      let cpuOn = pre.read(recState.psciRequest, [c]).eq(.literal(PSCI.cpuOn))
      let on = pre.read(rmmState.refcount, [t]).ne(0) || pre.read(rmmState.recRunnable, [t])
      let denied = status.eq(.literal(PSCI.denied))
      a.fail(
        "status", error: Self.input, code: RMIABI.errorInput,
        when: .ite(
          cpuOn, then: !(status.eq(.literal(PSCI.success)) || denied) || (denied && on),
          else: status.ne(.literal(PSCI.success))))
      a.set(
        recState.psciResult, [c],
        to: .ite(
          cpuOn, then: .ite(on, then: .literal(PSCI.alreadyOn), else: status),
          else: .ite(on, then: .literal(PSCI.affinityOn), else: .literal(PSCI.affinityOff))))
      a.set(recState.psciPending, [c], to: false)
      a.set(recState.psciRequest, [c], to: 0)
      a.set(recState.psciTarget, [c], to: 0)
      a.when(cpuOn && !on && !denied) { a.set(rmmState.recRunnable, [t], to: true) }
    }
  }
}
