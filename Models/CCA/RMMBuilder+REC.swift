import Spec

// MARK: - RMI_REC_CREATE, RMI_REC_DESTROY, RMI_REC_ENTER and realm execution

extension RMMBuilder {
  /// Declares RMI_REC_CREATE, RMI_REC_DESTROY and RMI_REC_ENTER.
  func declareRECCommands() {
    b.action(
      "RMI_REC_CREATE", actor: "hypervisor",
      doc: """
        RMI_REC_CREATE (FID 0xC400015A; reference/rmm.md §2.9): x1 = rd, x2 = rec, x3 = params_ptr (a \
        Non-secure granule holding RecParams: params_flags, params_mpidr, params_num_aux). Failure \
        conditions in the ACS order: params_align, params_bound, params_pas; rec_align, rec_bound, \
        rec_state (not DELEGATED); rd_align, rd_bound, rd_state (all RMI_ERROR_INPUT); realm_state (not \
        NEW) RMI_ERROR_REALM; mpidr_index (the MPIDR's index, Aff0 here, is not rec_index; also every \
        MPIDR once the recs bound is reached) RMI_ERROR_INPUT; num_aux (not RecAuxCount, which is 0 in \
        this model, so aux_align/aux_alias/aux_state never apply) RMI_ERROR_INPUT. Success: rec → REC \
        (zero-filled, READY, runnable from params_flags bit 0, owned by the realm); the RD's \
        reference count and rec_index grow by one; the RIM is extended (TF-RMM measures the REC \
        only when runnable; here every REC_CREATE is one measured event).
        """,
      parameters: [
        register("x1", granulePAs), register("x2", granulePAs), register("x3", granulePAs),
        register("params_flags", [0, RMIABI.recRunnableFlag]), register("params_mpidr", [0]),
        register("params_num_aux", [0]),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, rec, params) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      nsBufferChecks(a, "params", params)
      granuleChecks(a, "rec", rec, state: GranuleState.delegated)
      rdChecks(a, rd)
      let rr = realmOf(rd)
      a.fail(
        "realm_state", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm,
        when: pre.read(r.realmState, [rr]).ne(.literal(RealmState.new)))
      let index = pre.read(r.realmRecIndex, [rr])
      a.fail(
        "mpidr_index", error: Self.input, code: RMIABI.errorInput,
        when: a.arg("params_mpidr").ne(index) || index.ge(.literal(Value(recs))))
      a.fail("num_aux", error: Self.input, code: RMIABI.errorInput, when: a.arg("params_num_aux").ne(0))
      let g = memoryMap.granule(of: rec)
      let rdGranule = memoryMap.granule(of: rd)
      makeObject(a, g, state: GranuleState.rec, realm: rr)
      a.set(r.recRunnable, [g], to: (a.arg("params_flags") & .literal(RMIABI.recRunnableFlag)).eq(1))
      a.set(r.refcount, [rdGranule], to: pre.read(r.refcount, [rdGranule]) + 1)
      a.set(r.realmRecIndex, [rr], to: index + 1)
      measure(a, rr)
    }

    b.action(
      "RMI_REC_DESTROY", actor: "hypervisor",
      doc: """
        RMI_REC_DESTROY (FID 0xC400015B; reference/rmm.md §2.10): x1 = rec. Failure conditions in spec \
        order: rec_align, rec_bound, rec_gran_state (not REC) RMI_ERROR_INPUT; rec_state (the REC is \
        RUNNING: reference count 1) RMI_ERROR_REC. Success: rec → DELEGATED, scrubbed; the RD's \
        reference count drops by one.
        """,
      parameters: [register("x1", granulePAs)], successCode: RMIABI.success
    ) { a in
      let rec = a.arg("x1")
      granuleChecks(a, "rec", rec, state: GranuleState.rec, stateName: "rec_gran_state")
      let g = memoryMap.granule(of: rec)
      a.fail("rec_state", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: pre.read(r.refcount, [g]).ne(0))
      let rdGranule = pre.read(r.realmRD, [pre.read(r.owner, [g])])
      release(a, g)
      a.set(r.recRunnable, [g], to: false)
      a.set(r.refcount, [rdGranule], to: pre.read(r.refcount, [rdGranule]) - 1)
    }

    b.action(
      "RMI_REC_ENTER", actor: "hypervisor",
      doc: """
        RMI_REC_ENTER (FID 0xC400015C; reference/rmm.md §2.11) on PE `pe`: x1 = rec, x2 = run_ptr (a \
        Non-secure granule holding RecRun; enter_flags is RecRun.enter.flags). Failure conditions in \
        the ACS order: run_align, run_bound, run_pas; rec_align, rec_bound, rec_gran_state (not REC) \
        (all RMI_ERROR_INPUT); realm_new (RMI_ERROR_REALM, index 0); system_off (RMI_ERROR_REALM, index \
        1); rec_runnable (not runnable) RMI_ERROR_REC; rec_running (already RUNNING on another PE, \
        TF-RMM) RMI_ERROR_REC; rec_mmio (EMUL_MMIO set, but no emulatable abort is ever pending in \
        this model) RMI_ERROR_REC. The reference leaves rec_runnable, rec_running and rec_mmio \
        mutually unordered; this order is the model's. rec_psci and rec_gicv3 never apply (no PSCI \
        requests or GIC state yet). Success: the REC is RUNNING (reference count 1) on the PE, which \
        then runs the realm (REALM_READ, REALM_WRITE, PSCI_SYSTEM_OFF) until the REC exits \
        (REC_EXIT); the exit completes the SMC.
        """,
      parameters: [
        Parameter("pe", cca.pe), register("x1", granulePAs), register("x2", granulePAs), register("enter_flags", [0]),
      ],
      successCode: RMIABI.success
    ) { a in
      let p = a.arg("pe")
      let (rec, run) = (a.arg("x1"), a.arg("x2"))
      a.requires(cca.idle(pre, p) && !pre.read(r.peRunning, [p]))
      nsBufferChecks(a, "run", run)
      granuleChecks(a, "rec", rec, state: GranuleState.rec, stateName: "rec_gran_state")
      let g = memoryMap.granule(of: rec)
      let realmState = pre.read(r.realmState, [pre.read(r.owner, [g])])
      a.fail("realm_new", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm, when: realmState.eq(.literal(RealmState.new)))
      a.fail(
        "system_off", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm, index: 1,
        when: realmState.eq(.literal(RealmState.systemOff)))
      a.fail("rec_runnable", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: !pre.read(r.recRunnable, [g]))
      a.fail("rec_running", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: pre.read(r.refcount, [g]).ne(0))
      a.fail("rec_mmio", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: (a.arg("enter_flags") & 1).ne(0))
      a.set(r.refcount, [g], to: 1)
      a.set(r.peRunning, [p], to: true)
      a.set(r.peREC, [p], to: g)
    }
  }

  // MARK: - Realm execution

  /// The stage-2 translation of `ipa` by realm `rr`: whether the walk reaches level 3 (the
  /// model has no block mappings, so only level-3 entries translate), and the position of the
  /// level-3 entry on the walk.
  func leaf(_ rr: Expr, _ ipa: Expr) -> (reached: Expr, slot: RTTSlot) {
    let last = geometry.lastDepth
    let depth = walkDepth(rr, ipa, target: .literal(Value(last)))
    return (depth.eq(.literal(Value(last))), slot(rr, depth: last, ipa))
  }

  /// Declares the realm's moves while one of its RECs runs: reads and writes at IPAs through its
  /// RTT and the GPC, PSCI SYSTEM_OFF, and the REC's exit to the host.
  func declareRealmExecution() {
    let ipaSamples = pageIPAs
    for write in [false, true] {
      b.action(
        write ? "REALM_WRITE" : "REALM_READ", actor: "realm",
        doc: """
          The realm of the REC running on PE `pe` \(write ? "writes" : "reads") the page at IPA `ipa` \
          (reference/rmm.md §1.4, §2.11; reference/rme.md §1.1). Stage 2 first: the walk of the \
          realm's RTT must reach a level-3 entry that is ASSIGNED with RIPAS RAM (a protected IPA, \
          translated to its DATA granule, accessed in the Realm PAS) or ASSIGNED_NS (an unprotected \
          IPA, translated to the descriptor's PA, accessed in the Non-secure PAS); otherwise the \
          access takes a stage-2 abort (`stage2_abort`, 0x24: the data-abort exception class; the \
          REC would exit to the host, which the model leaves to REC_EXIT) and changes nothing. \
          Then the GPC, against the PE's cached GPI or a GPT walk: on a GPF nothing happens (0x28). \
          \(write ? "A protected write leaves the Realm line DIRTY with the realm's label; an unprotected write leaves the NS line DIRTY with HOST (memory the realm shares with the host is the host's to read). A write over another realm's data sets the realm-isolation monitor." : "A read hits the alias's line or fills it CLEAN from memory; a read that returns another realm's data sets the realm-isolation monitor.") \
          An unprotected IPA mapped to an address outside the modelled DRAM (MMIO) changes nothing.
          """,
        parameters: [Parameter("pe", cca.pe), register("ipa", ipaSamples)]
      ) { a in
        let (p, ipa) = (a.arg("pe"), a.arg("ipa"))
        a.requires(pre.read(r.peRunning, [p]))
        let rr = pre.read(r.owner, [pre.read(r.peREC, [p])])
        let (reached, position) = leaf(rr, ipa)
        let entry = read(r.rtte, position)
        let protected = ipa.lt(.literal(geometry.protectedLimit))
        let nsPA = read(r.rtteDesc, position) & .literal(0x0000_FFFF_FFFF_F000)
        a.fail(
          "stage2_abort", error: "STAGE2_ABORT", code: 0x24,
          when: ipa.ge(.literal(geometry.ipaLimit)) || !reached
            || .ite(protected, then: entry.ne(RTTEntry.assignedRAM.expr), else: entry.ne(RTTEntry.assignedNS.expr)))
        let dram = protected || memoryMap.isDRAM(nsPA)
        let g = Expr.ite(protected, then: read(r.rtteAddr, position), else: memoryMap.granule(of: nsPA))
        let pas = Expr.ite(protected, then: .literal(PAS.realm), else: .literal(PAS.nonSecure))
        let context = StepContext()
        let passes = cca.protectionCheck(context, pe: p, granule: g, pas: pas, active: dram)
        context.fail("gpf", error: GPF.name, code: GPF.faultStatusCode, when: dram && !passes)
        let own = cca.content.realmLabel(rr)
        if write {
          let foreign = overwritesLiveRealmData(context, g, pas, own: own)  // RMMBuilder+MEC.swift
          context.write(r.realmForeignAccess, [], true, when: dram && foreign)
          cca.setLine(
            context, g, pas, LineState.dirty, .ite(protected, then: own, else: .literal(Content.host)), when: dram)
        } else {
          let hit = context.read(v.cacheLine, [g, pas]).ne(.literal(LineState.invalid))
          let returned = cca.accessRead(context, g, pas, reader: cca.accessContext(pas, realm: rr))  // decrypted
          cca.fillLine(context, g, pas, reader: cca.accessContext(pas, realm: rr), when: dram && !hit)
          context.write(
            r.realmForeignAccess, [], true, when: dram && cca.content.isRealmData(returned) && returned.ne(own))
        }
        context.emit(into: a)
      }
    }

    b.action(
      "PSCI_SYSTEM_OFF", actor: "realm",
      doc: """
        The realm of the REC running on PE `pe` calls PSCI SYSTEM_OFF (reference/rmm.md §1.2, §5): the \
        RMM puts the realm in SYSTEM_OFF and the REC exits to the host (RMI_EXIT_PSCI), no longer \
        RUNNING.
        """,
      parameters: [Parameter("pe", cca.pe)]
    ) { a in
      let p = a.arg("pe")
      a.requires(pre.read(r.peRunning, [p]))
      let rec = pre.read(r.peREC, [p])
      a.set(r.realmState, [pre.read(r.owner, [rec])], to: .literal(RealmState.systemOff))
      a.set(r.refcount, [rec], to: 0)
      a.set(r.peRunning, [p], to: false)
      a.set(r.peREC, [p], to: 0)
    }

    b.action(
      "REC_EXIT", actor: "RMM",
      doc: """
        The REC running on PE `pe` exits to the host (reference/rmm.md §2.11, §1.6: any RmiRecExitReason \
        that needs no further state here, such as an IRQ, a host call or a stage-2 abort): it is READY \
        again (reference count 0) and RMI_REC_ENTER returns RMI_SUCCESS.
        """,
      parameters: [Parameter("pe", cca.pe)]
    ) { a in
      let p = a.arg("pe")
      a.requires(pre.read(r.peRunning, [p]))
      a.set(r.refcount, [pre.read(r.peREC, [p])], to: 0)
      a.set(r.peRunning, [p], to: false)
      a.set(r.peREC, [p], to: 0)
    }
  }
}
