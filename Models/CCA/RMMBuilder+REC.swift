import Spec

// MARK: - RMI_REC_CREATE, RMI_REC_DESTROY, RMI_REC_ENTER and realm execution

extension RMMBuilder {
  /// Reads and checks the `rec-aux` bound: RecAuxCount.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` when it is outside 0...16.
  static func recAuxCount(_ configuration: Configuration) throws -> Int {
    let count = configuration.bound(CCA.Bound.recAux, default: 0)
    guard (0...RMIABI.maxRecAux).contains(count) else {
      throw ModelError.invalid(
        location: "configuration \(configuration.name)",
        message: "bound rec-aux is \(count); it must be in 0...\(RMIABI.maxRecAux)")
    }
    return count
  }

  /// The exploration samples of `params_aux<i>`: the PA of granule `granules - 1 - i`, and of
  /// granule `granules - 1 - n - i` when there is room for a second set (two RECs' worth) and
  /// RecAuxCount is at most 4. (Each sampled parameter multiplies REC_CREATE's argument tuples;
  /// the engines number every action's tuples with 32 bits, so 16 aux granules get one sample.)
  func auxSamples(_ i: Int) -> [Value] {
    let (n, count) = (recState.auxCount, memoryMap.granules)
    let first = memoryMap.address(ofGranule: (count - 1 - i + count) % count)
    return 2 * n < count && n <= 4 ? [first, memoryMap.address(ofGranule: count - 1 - n - i)] : [first]
  }

  /// The REC granule the realm runs on PE `p`.
  func runningREC(_ p: Expr) -> Expr { pre.read(rmmState.peREC, [p]) }

  /// The REC running on PE `p` exits to the host: it is READY again (reference count 0) and the
  /// PE no longer runs it; RMI_REC_ENTER returns RMI_SUCCESS with RecRun.exit filled.
  func exitREC(_ a: ActionBuilder, _ p: Expr) {
    a.set(rmmState.refcount, [runningREC(p)], to: 0)
    a.set(rmmState.peRunning, [p], to: false)
    a.set(rmmState.peREC, [p], to: 0)
  }

  /// Declares RMI_REC_AUX_COUNT, RMI_REC_CREATE, RMI_REC_DESTROY and RMI_REC_ENTER.
  func declareRECCommands() {
    let n = recState.auxCount
    builder.action(
      "RMI_REC_AUX_COUNT", by: CCA.Parties.hypervisor,
      doc: """
        RMI_REC_AUX_COUNT (FID 0xC4000167; reference/rmm.md §2.8): x1 = rd. Failure conditions in spec \
        order, all RMI_ERROR_INPUT: rd_align, rd_bound, rd_state. X1 = RecAuxCount, the `rec-aux` \
        bound (\(n) here; TF-RMM reports 16), the same for every realm. Footprint: none.
        """,
      parameters: [register("x1", granulePAs)], successCode: RMIABI.success
    ) { a in
      rdChecks(a, a.arg("x1"))
      a.output("x1", .literal(Value(n)))
    }

    builder.action(
      "RMI_REC_CREATE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_REC_CREATE (FID 0xC400015A; reference/rmm.md §2.9): x1 = rd, x2 = rec, x3 = params_ptr (a \
        Non-secure granule holding RecParams: params_flags, params_mpidr, params_pc, params_num_aux, and \
        RecParams.aux[i] as params_aux0 ... params_aux\(max(n - 1, 0)) (one parameter per aux granule of \
        RecAuxCount = \(n); none when it is 0)). Failure conditions in spec order: params_align, \
        params_bound, params_pas; rec_align, rec_bound, rec_state (not DELEGATED); rd_align, rd_bound, \
        rd_state (all RMI_ERROR_INPUT); realm_state (not NEW) RMI_ERROR_REALM; mpidr_index (the \
        MPIDR's index, Aff0 here, is not rec_index; also every MPIDR once the recs bound is reached) \
        RMI_ERROR_INPUT; num_aux (not RecAuxCount) RMI_ERROR_INPUT; then, with RecAuxCount > 0 only, \
        aux_align (an aux address is not 4 KB aligned), aux_alias (an aux address equals rec, rd or \
        another aux address), aux_state (an aux address is not a DELEGATED granule; a PA outside \
        delegable memory fails here too) RMI_ERROR_INPUT. Success: rec → REC (zero-filled, READY, \
        runnable from params_flags bit 0, MPIDR index = rec_index, nothing pending, owned by the \
        realm); each aux granule → REC_AUX of that REC (zero-filled, owned by the realm); the RD's \
        reference count and rec_index grow by one; the RIM is extended (TF-RMM measures the REC only \
        when runnable; here every REC_CREATE is one measured event). RecParams.pc, the realm's entry \
        point, is accepted with any value (no failure condition reads it, §2.9) and not recorded: \
        the model does not run realm code from an address.
        """,
      parameters: [
        register("x1", granulePAs), register("x2", granulePAs), register("x3", granulePAs),
        register("params_flags", [0, RMIABI.recRunnableFlag]), register("params_mpidr", [0], allValues: [1]),
        register("params_num_aux", [Value(n)], allValues: [Value(n + 1)]),
      ] + (0..<n).map { register("params_aux\($0)", auxSamples($0)) } + [register("params_pc", [0])],
      successCode: RMIABI.success
    ) { a in
      let (rd, rec, params) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      let aux = (0..<n).map { a.arg("params_aux\($0)") }
      nsBufferChecks(a, "params", params)
      granuleChecks(a, "rec", rec, state: GranuleState.delegated)
      rdChecks(a, rd)
      let rr = realmOf(rd)
      a.fail(
        "realm_state", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm,
        when: pre.read(rmmState.realmState, [rr]).ne(.literal(RealmState.new)))
      let index = pre.read(rmmState.realmRecIndex, [rr])
      a.fail(
        "mpidr_index", error: Self.input, code: RMIABI.errorInput,
        when: a.arg("params_mpidr").ne(index) || index.ge(.literal(Value(recs))))
      a.fail(
        "num_aux", error: Self.input, code: RMIABI.errorInput, when: a.arg("params_num_aux").ne(.literal(Value(n))))
      if n > 0 {
        a.fail("aux_align", error: Self.input, code: RMIABI.errorInput, when: .or(aux.map { !memoryMap.isAligned($0) }))
        a.fail(
          "aux_alias", error: Self.input, code: RMIABI.errorInput,
          when: .or(aux.indices.map { i in aux[i].isOne(of: [rec, rd] + Array(aux[..<i])) }))
        a.fail(
          "aux_state", error: Self.input, code: RMIABI.errorInput,
          when: .or(
            aux.map {
              !memoryMap.isDelegable($0) || state(memoryMap.granule(of: $0)).ne(.literal(GranuleState.delegated))
            }))
      }
      let g = memoryMap.granule(of: rec)
      let rdGranule = memoryMap.granule(of: rd)
      makeObject(a, g, state: GranuleState.rec, realm: rr)
      a.set(rmmState.recRunnable, [g], to: (a.arg("params_flags") & .literal(RMIABI.recRunnableFlag)).eq(1))
      a.set(recState.mpidr, [g], to: index)
      for addr in aux {
        let h = memoryMap.granule(of: addr)
        makeObject(a, h, state: GranuleState.recAux, realm: rr)
        a.set(recState.auxOf, [h], to: g)
      }
      a.set(rmmState.refcount, [rdGranule], to: pre.read(rmmState.refcount, [rdGranule]) + 1)
      a.set(rmmState.realmRecIndex, [rr], to: index + 1)
      measure(a, rr)
    }

    builder.action(
      "RMI_REC_DESTROY", by: CCA.Parties.hypervisor,
      doc: """
        RMI_REC_DESTROY (FID 0xC400015B; reference/rmm.md §2.10): x1 = rec. Failure conditions in spec \
        order: rec_align, rec_bound, rec_gran_state (not REC) RMI_ERROR_INPUT; rec_state (the REC is \
        RUNNING: reference count 1) RMI_ERROR_REC. Success: rec and its REC_AUX granules → DELEGATED, \
        scrubbed; the REC's fields back to 0; the RD's reference count drops by one.
        """,
      parameters: [register("x1", granulePAs)], successCode: RMIABI.success
    ) { a in
      let rec = a.arg("x1")
      granuleChecks(a, "rec", rec, state: GranuleState.rec, stateName: "rec_gran_state")
      let g = memoryMap.granule(of: rec)
      a.fail("rec_state", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: pre.read(rmmState.refcount, [g]).ne(0))
      let rdGranule = pre.read(rmmState.realmRD, [pre.read(rmmState.owner, [g])])
      release(a, g)
      a.set(rmmState.recRunnable, [g], to: false)
      resetREC(a, g)
      if n > 0 { releaseAux(a, of: g) }
      a.set(rmmState.refcount, [rdGranule], to: pre.read(rmmState.refcount, [rdGranule]) - 1)
    }

    builder.action(
      "RMI_REC_ENTER", by: CCA.Parties.hypervisor,
      doc: """
        RMI_REC_ENTER (FID 0xC400015C; reference/rmm.md §2.11) on PE `pe`: x1 = rec, x2 = run_ptr (a \
        Non-secure granule holding RecRun; enter_flags is RecRun.enter.flags). Failure conditions in \
        the ACS order: run_align, run_bound, run_pas; rec_align, rec_bound, rec_gran_state (not REC) \
        (all RMI_ERROR_INPUT); realm_new (RMI_ERROR_REALM, index 0); system_off (RMI_ERROR_REALM, index \
        1); rec_runnable (not runnable) RMI_ERROR_REC; rec_psci (a PSCI request awaits \
        RMI_PSCI_COMPLETE) RMI_ERROR_REC; rec_running (already RUNNING on another PE, TF-RMM) \
        RMI_ERROR_REC; rec_mmio (EMUL_MMIO set, but no emulatable abort is ever pending in this model) \
        RMI_ERROR_REC; rec_gicv3 (RecRun.enter.gicv3_hcr or gicv3_lrs[0], the parameters \
        enter_gicv3_hcr and enter_gicv3_lrs0, are not a valid GIC state: ``GICv3``) RMI_ERROR_REC. \
        The reference leaves rec_runnable, rec_psci, rec_running, rec_mmio and rec_gicv3 mutually \
        unordered; this order is the model's (TF-RMM rel0 checks the GIC state after runnable and \
        psci and before the MMIO flag, all RMI_ERROR_REC). Success: the \
        RMM completes the call the REC made before its last exit and the realm sees it in X0..X2 \
        (outputs realm_x0, realm_x1, realm_x2): a pending RIPAS change (RSI_IPA_STATE_SET) \
        completes with RSI_SUCCESS, X1 = ripas_addr (new_base) and X2 = RSI_REJECT when the request \
        was for RAM, the host did not reach ripas_top and RIPAS_RESPONSE (enter_flags bit 4) is set, \
        else RSI_ACCEPT (TF-RMM 1.0 `complete_set_ripas`), and the request is cleared (with `da` device \
        memory, a pending RSI_VDEV_VALIDATE_MAPPING likewise: X1 = its progress, X2 = RSI_REJECT when \
        DEV_MEM_RESPONSE, enter_flags bit 6, is set; with `vdev-complete`, a pending RSI VDEV call finishes and \
        realm_x0 is its result, DABuilder+VdevComplete.swift); otherwise X0 \
        is the PSCI result RMI_PSCI_COMPLETE left (0 when none) and X1 = X2 = 0. The REC is then \
        RUNNING (reference count 1) on the PE, which runs the realm (REALM_READ, REALM_WRITE, PSCI_*, \
        RSI_*) until the REC exits (REC_EXIT or a realm call that exits); the exit completes the SMC.
        """,
      parameters: [
        Parameter("pe", cca.pe), register("x1", granulePAs), register("x2", granulePAs),
        register("enter_flags", [0, RMIABI.ripasResponseFlag] + (daMemory == nil ? [] : [DAABI.devMemResponseFlag])),
        register("enter_gicv3_hcr", [0], allValues: [1]),
        register("enter_gicv3_lrs0", [0], allValues: [GICv3.invalidListRegister]),
      ],
      successCode: RMIABI.success
    ) { a in
      let p = a.arg("pe")
      let (rec, run) = (a.arg("x1"), a.arg("x2"))
      a.requires(cca.idle(pre, p) && !pre.read(rmmState.peRunning, [p]))
      nsBufferChecks(a, "run", run)
      granuleChecks(a, "rec", rec, state: GranuleState.rec, stateName: "rec_gran_state")
      let g = memoryMap.granule(of: rec)
      let realmState = pre.read(rmmState.realmState, [pre.read(rmmState.owner, [g])])
      a.fail(
        "realm_new", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm, when: realmState.eq(.literal(RealmState.new)))
      a.fail(
        "system_off", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm, index: 1,
        when: realmState.eq(.literal(RealmState.systemOff)))
      a.fail("rec_runnable", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: !pre.read(rmmState.recRunnable, [g]))
      a.fail("rec_psci", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: pre.read(recState.psciPending, [g]))
      a.fail("rec_running", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: pre.read(rmmState.refcount, [g]).ne(0))
      a.fail("rec_mmio", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: (a.arg("enter_flags") & 1).ne(0))
      a.fail(
        "rec_gicv3", error: "RMI_ERROR_REC", code: RMIABI.errorREC,
        when: GICv3.invalid(hcr: a.arg("enter_gicv3_hcr"), lr: a.arg("enter_gicv3_lrs0")))
      let ripasPending = pre.read(recState.ripasTop, [g]).ne(0)
      let addr = pre.read(recState.ripasAddr, [g])
      let reject =
        pre.read(recState.ripasValue, [g]).eq(.literal(RMIABI.ripasRAM)) && addr.ne(pre.read(recState.ripasTop, [g]))
        && (a.arg("enter_flags") & .literal(RMIABI.ripasResponseFlag)).ne(0)
      // With `da` device memory, a pending RSI_VDEV_VALIDATE_MAPPING completes the same way.
      let devMem = devMemCompletion(g, flags: a.arg("enter_flags"))
      let pending = devMem.map { ripasPending || $0.pending } ?? ripasPending
      let x0 = Expr.ite(pending, then: .literal(RSI.success), else: pre.read(recState.psciResult, [g]))
      // With `vdev-complete`, a pending RSI VDEV call finishes here (DABuilder+VdevComplete.swift).
      let vdevCall = da?.vdevCompletion(a, rec: g)
      a.output("realm_x0", vdevCall.map { .ite($0.pending, then: $0.x0, else: x0) } ?? x0)
      a.output(
        "realm_x1", .ite(ripasPending, then: addr, else: devMem.map { .ite($0.pending, then: $0.x1, else: 0) } ?? 0))
      a.output(
        "realm_x2",
        .ite(
          devMem.map { ripasPending && reject || $0.pending && $0.reject } ?? (ripasPending && reject),
          then: .literal(RSI.reject), else: .literal(RSI.accept)))
      clearRipasChange(a, g)
      clearDevMemRequest(a, g)
      a.set(recState.psciResult, [g], to: 0)
      a.set(rmmState.refcount, [g], to: 1)
      a.set(rmmState.peRunning, [p], to: true)
      a.set(rmmState.peREC, [p], to: g)
    }
  }

  /// Clears REC `g`'s RIPAS change request (ripas_addr, ripas_top, ripas_value, ripas_destroyed).
  func clearRipasChange(_ a: ActionBuilder, _ g: Expr) {
    a.set(recState.ripasAddr, [g], to: 0)
    a.set(recState.ripasTop, [g], to: 0)
    a.set(recState.ripasValue, [g], to: 0)
    a.set(recState.ripasDestroyed, [g], to: false)
  }

  /// Puts every REC field of granule `g` back to its canonical value (the granule stops being a REC).
  func resetREC(_ a: ActionBuilder, _ g: Expr) {
    a.set(recState.mpidr, [g], to: 0)
    a.set(recState.psciPending, [g], to: false)
    a.set(recState.psciRequest, [g], to: 0)
    a.set(recState.psciTarget, [g], to: 0)
    a.set(recState.psciResult, [g], to: 0)
    clearRipasChange(a, g)
    clearDevMemRequest(a, g)
    da?.clearVdevCall(a, rec: g)
    clearAttestation(a, g)
  }

  /// Returns REC `g`'s REC_AUX granules to DELEGATED, scrubbed (reference/rmm.md §2.10).
  func releaseAux(_ a: ActionBuilder, of g: Expr) {
    func isAux(_ h: Expr) -> Expr {
      state(h).eq(.literal(GranuleState.recAux)) && pre.read(recState.auxOf, [h]).eq(g)
    }
    a.setAll(machine.granuleState, where: { isAux($0[0]) }) { _ in .literal(GranuleState.delegated) }
    a.setAll(rmmState.owner, where: { isAux($0[0]) }) { _ in 0 }
    a.setAll(recState.auxOf, where: { isAux($0[0]) }) { _ in 0 }
    a.setAll(machine.memory, where: { isAux($0[0]) }) { _ in .literal(Content.zero) }
    cca.recordWriteAll(a, where: isAux, .literal(Content.zero))
    let realmLine = { (k: [Expr]) in isAux(k[0]) && self.cca.isRealmKey(k[1]) }
    a.setAll(machine.cacheLine, where: realmLine) { _ in .literal(LineState.invalid) }
    a.setAll(machine.cacheData, where: realmLine) { _ in .literal(Content.zero) }
    cca.setMemoryContextAll(a, where: isAux)
  }

  // MARK: - Realm execution

  /// The stage-2 translation of `ipa` by realm `rr`: whether the walk reaches level 3 (without
  /// `blocks` only level-3 entries translate), and the position of the level-3 entry on the walk;
  /// with `blocks`, always reached, and the position of the entry where the walk stops.
  func leaf(_ rr: Expr, _ ipa: Expr) -> (reached: Expr, slot: RTTSlot) {
    let last = geometry.lastDepth
    let depth = walkDepth(rr, ipa, target: .literal(Value(last)))
    // With `blocks` the walk may end at an ASSIGNED_NS block above level 3: the entry where it
    // stops is the translation (any other non-TABLE entry there faults on its value).
    if blocks { return (.boolean(true), slot(rr, depth: depth, ipa)) }
    return (depth.eq(.literal(Value(last))), slot(rr, depth: last, ipa))
  }

  /// The Non-secure PA an access to unprotected `ipa` of realm `rr` reaches through the
  /// ASSIGNED_NS entry at `position` (``leaf(_:_:)``): the descriptor's PA, plus, with `blocks`,
  /// the offset of `ipa` in the block (the size of an entry at the level the walk stopped).
  func nsAddress(_ rr: Expr, _ ipa: Expr, at position: RTTSlot) -> Expr {
    // In the parametric variant the entry holds the descriptor's granule (MemoryMap.granuleOperands).
    if memoryMap.granuleOperands { return read(rmmState.rtteDesc, position) }
    let pa = read(rmmState.rtteDesc, position) & .literal(Self.descAddressMask)
    guard blocks else { return pa }
    let depth = walkDepth(rr, ipa, target: .literal(Value(geometry.lastDepth)))
    let offset = ipa & (byDepth(depth) { d in .literal(self.geometry.entrySize(depth: d)) } - 1)
    return pa + offset
  }

  /// The DATA granule an access to protected `ipa` of realm `rr` reaches through an ASSIGNED entry.
  ///
  /// The entry at `position` (``leaf(_:_:)``) gives its granule, plus, with `blocks`, the page
  /// offset of `ipa` in a protected block (reference/rmm.md §2.17: a block maps contiguous DATA
  /// granules). Without `blocks`, or for any other entry, the entry's `rtteAddr` as it is.
  func protectedGranule(_ rr: Expr, _ ipa: Expr, at position: RTTSlot) -> Expr {
    let g = read(rmmState.rtteAddr, position)
    guard blocks else { return g }
    let depth = walkDepth(rr, ipa, target: .literal(Value(geometry.lastDepth)))
    let offset =
      (ipa & (byDepth(depth) { d in .literal(self.geometry.entrySize(depth: d)) } - 1))
      >> .literal(MemoryMap.granuleShift)
    return .ite(RTTEntry.isOne(read(rmmState.rtte, position), RTTEntry.assignedProtected), then: g + offset, else: g)
  }

  /// Declares the realm's moves while one of its RECs runs: reads and writes at IPAs through its
  /// RTT and the GPC, and the REC's exit to the host (realm calls: `RMMBuilder+PSCI.swift`,
  /// `RMMBuilder+RSI.swift`).
  func declareRealmExecution() {
    let ipaSamples = pageIPAs
    // With `s2-tlb` and more than one plane: the plane (hence VMID) the access runs in.
    let planeParameter = s2tlb.map { $0.planes > 1 ? [Parameter("plane", .index($0.planeSort))] : [] } ?? []
    for write in [false, true] {
      builder.action(
        write ? "REALM_WRITE" : "REALM_READ", by: CCA.Parties.realm,
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
        parameters: [Parameter("pe", cca.pe), register("ipa", ipaSamples)] + planeParameter
      ) { a in
        let (p, ipa) = (a.arg("pe"), a.arg("ipa"))
        a.requires(pre.read(rmmState.peRunning, [p]))
        let rr = pre.read(rmmState.owner, [pre.read(rmmState.peREC, [p])])
        let (reached, position) = leaf(rr, ipa)
        let entry = read(rmmState.rtte, position)
        let protected = ipa.lt(.literal(geometry.protectedLimit))
        let nsPA = nsAddress(rr, ipa, at: position)
        // With `s2-tlb`: the PE's stage-2 TLB entry for the VMID (realm, plane) and page, if any,
        // translates without a walk (RMMBuilder+S2TLB.swift).
        let tlbKeys = [p, rr, planeParameter.isEmpty ? 0 : a.arg("plane"), tlbPage(ipa)]
        let cached = s2tlb.map { pre.read($0.entry, tlbKeys) } ?? 0
        let hit = s2tlb == nil ? Expr.boolean(false) : ipa.lt(.literal(geometry.ipaLimit)) && cached.ne(0)
        a.fail(
          "stage2_abort", error: "STAGE2_ABORT", code: 0x24,
          when: !hit
            && (ipa.ge(.literal(geometry.ipaLimit)) || !reached
              || .ite(protected, then: entry.ne(RTTEntry.assignedRAM.expr), else: entry.ne(RTTEntry.assignedNS.expr)))
        )
        let walked = Expr.ite(
          protected, then: protectedGranule(rr, ipa, at: position), else: memoryMap.granule(of: nsPA))
        let dram = hit || protected || memoryMap.isDRAM(nsPA)
        let g = s2tlb == nil ? walked : .ite(hit, then: cached - 1, else: walked)
        let pas = Expr.ite(protected, then: .literal(PAS.realm), else: .literal(PAS.nonSecure))
        let context = StepContext()
        if let tlb = s2tlb { context.write(tlb.entry, tlbKeys, walked + 1, when: !hit && dram) }
        let passes = cca.protectionCheck(context, pe: p, granule: g, pas: pas, active: dram)
        context.fail("gpf", error: GPF.name, code: GPF.faultStatusCode, when: dram && !passes)
        let own = cca.content.realmLabel(rr)
        if write {
          let key = cca.lineKey(pas, context: cca.accessContext(pas, realm: rr))
          let foreign = overwritesLiveRealmData(context, g, key, own: own)  // RMMBuilder+MEC.swift
          context.write(rmmState.realmForeignAccess, [], true, when: dram && foreign)
          cca.setLine(
            context, g, pas, LineState.dirty, .ite(protected, then: own, else: .literal(Content.host)), when: dram)
          cca.recordWrite(context, g, .ite(protected, then: own, else: .literal(Content.host)), when: dram)
        } else {
          let hit = cca.lineHit(context, g, pas, reader: cca.accessContext(pas, realm: rr))
          let returned = cca.accessRead(context, g, pas, reader: cca.accessContext(pas, realm: rr))  // decrypted
          cca.fillLine(context, g, pas, reader: cca.accessContext(pas, realm: rr), when: dram && !hit)
          context.write(
            rmmState.realmForeignAccess, [], true, when: dram && cca.content.isRealmData(returned) && returned.ne(own))
        }
        context.emit(into: a)
      }
    }

    builder.action(
      "REC_EXIT", by: CCA.Parties.rmm,
      doc: """
        The REC running on PE `pe` exits to the host for an exception the host must handle \
        (reference/rmm.md §2.11, §1.6): `reason` is RMI_EXIT_SYNC (a stage-2 abort the realm took), \
        RMI_EXIT_IRQ, RMI_EXIT_FIQ or RMI_EXIT_SERROR, the output exit_reason (RecRun.exit.exit_reason). \
        The REC is READY again (reference count 0) and RMI_REC_ENTER returns RMI_SUCCESS. Exits caused \
        by realm calls (PSCI, RIPAS_CHANGE, HOST_CALL) are part of those calls' actions.
        """,
      parameters: [
        Parameter("pe", cca.pe),
        Parameter(
          "reason", .finite(RecExitReason.asynchronous),
          samples: cca.configuration.has(CCA.Feature.allValues)
            ? RecExitReason.asynchronous.values : [RecExitReason.irq]),
      ]
    ) { a in
      let p = a.arg("pe")
      a.requires(pre.read(rmmState.peRunning, [p]))
      a.output("exit_reason", a.arg("reason"))
      exitREC(a, p)
    }
  }
}
