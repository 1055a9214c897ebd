import Spec

// MARK: - RMI_VDEV_* (reference/rmm.md §3.3; reference/rme.md §3.2) [1.1-UNSTABLE]

extension DABuilder {
  /// The pre-state value of a VDEV field of the VDEV at `vdev`.
  func vdev(_ variable: Variable, _ vdev: Expr) -> Expr { pre.read(variable, [memoryMap.granule(of: vdev)]) }

  /// The binding checks of a VDEV command on (rd, pdev, vdev), in spec order (reference/rmm.md §3.3): rd_align,
  /// rd_bound, rd_state; pdev_align, pdev_bound, pdev_state (not a PDEV); vdev_align, vdev_bound, vdev_gran_state (not
  /// a VDEV) (all RMI_ERROR_INPUT); vdev_realm (the VDEV belongs to another realm: RMI_ERROR_INPUT, or RMI_ERROR_DEVICE
  /// for VDEV_DESTROY as the ACS lists it); vdev_pdev (the VDEV is another PDEV's) RMI_ERROR_DEVICE.
  ///
  /// Ordering tested: vdev_gran_state before vdev_pdev.
  func bindingChecks(_ a: ActionBuilder, rd: Expr, pdev: Expr, vdev: Expr, realmIsDevice: Bool = false) {
    rmm.rdChecks(a, rd)
    pdevChecks(a, pdev)
    rmm.granuleChecks(a, "vdev", vdev, state: GranuleState.vdev, stateName: "vdev_gran_state")
    let foreign = self.vdev(rmmState.owner, vdev).ne(rmm.realmOf(rd))
    if realmIsDevice {
      failDevice(a, "vdev_realm", when: foreign)
    } else {
      a.fail("vdev_realm", error: Self.input, code: RMIABI.errorInput, when: foreign)
    }
    failDevice(a, "vdev_pdev", when: self.vdev(daState.vdevPdev, vdev).ne(memoryMap.granule(of: pdev)))
  }

  /// The three registers of a VDEV command.
  var vdevRegisters: [Parameter] {
    [rmm.register("x1", rmm.granulePAs), rmm.register("x2", rmm.granulePAs), rmm.register("x3", rmm.granulePAs)]
  }

  /// Declares a VDEV command on (x1 = rd, x2 = pdev, x3 = vdev) that starts TDISP request
  /// `request` (VDEV_COMMUNICATE completes it), allowed in `states` with no request in flight.
  private func vdevRequest(
    _ name: String, doc: String, extra: [Parameter] = [], states: [Value], request: Value,
    before: ((ActionBuilder) -> Void)? = nil, effects: ((ActionBuilder, Expr) -> Void)? = nil
  ) {
    builder.action(
      name, by: CCA.Parties.hypervisor, doc: doc, parameters: vdevRegisters + extra, successCode: RMIABI.success
    ) { a in
      let vdev = a.arg("x3")
      bindingChecks(a, rd: a.arg("x1"), pdev: a.arg("x2"), vdev: vdev)
      before?(a)
      failDevice(
        a, "vdev_state",
        when: !self.vdev(daState.vdevState, vdev).isOne(of: states.map { .literal($0) })
          || self.vdev(daState.vdevRequest, vdev).ne(.literal(VdevRequest.none)))
      let g = memoryMap.granule(of: vdev)
      a.set(daState.vdevRequest, [g], to: .literal(request))
      effects?(a, g)
    }
  }

  /// Declares the VDEV commands.
  func declareVDEVCommands() {
    let vs = { (s: Value) -> Expr in .literal(s) }
    builder.action(
      "RMI_VDEV_AUX_COUNT", by: CCA.Parties.hypervisor,
      doc: """
        RMI_VDEV_AUX_COUNT (FID 0xC4000160; reference/rmm.md §3.1; TF-RMM rmm-spec-v1.x-aligned \
        `smc_vdev_aux_count`): x1 = pdev_flags, x2 = vdev_flags (neither is checked). Never fails in a \
        configuration with DA (TF-RMM returns SMC_NOT_SUPPORTED only without RMI_FEATURES' DA_EN); X1 = \
        the number of auxiliary granules VDEV_CREATE needs: 0, as TF-RMM at that tag (VDEV aux \
        granules come with VSMMU support) and as PDEV_AUX_COUNT in this model. Footprint: none.
        """,
      parameters: [rmm.register("x1", [0]), rmm.register("x2", [0])], successCode: RMIABI.success
    ) { a in
      a.output("x1", 0)
    }
    builder.action(
      "RMI_VDEV_CREATE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_VDEV_CREATE (FID 0xC4000187; reference/rmm.md §3.3, reference/rme.md §3.2): x1 = rd, x2 = pdev, \
        x3 = vdev, x4 = params_ptr (Non-secure VdevParams; params_num_aux, params_tdi_id). Failure conditions: \
        rd_align, rd_bound, rd_state; pdev_align, pdev_bound, pdev_state (not a PDEV); vdev_align, vdev_bound, \
        vdev_state (not DELEGATED); params_align, params_bound, params_pas (all RMI_ERROR_INPUT); da_en \
        (the realm was created without RealmParams.flags.DA: reference/rmm.md §3.3) RMI_ERROR_REALM; \
        pdev_ready (the PDEV is not READY) RMI_ERROR_DEVICE; tdi_id (VdevParams.tdi_id is not one of the \
        PDEV's TDIs, or that TDI already has a VDEV: reference/rmm.md §3.3 "tdi_id free and in range") \
        RMI_ERROR_INPUT; num_aux (not 0) RMI_ERROR_INPUT. The ACS names these conditions but the \
        reference gives their order only partly (INPUT before DEVICE); this order is the model's, with \
        da_en where TF-RMM rmm-spec-v1.x-aligned `smc_vdev_create` checks `rd->da_enabled`: after the \
        granules and VdevParams, before the PDEV's state. Success: vdev → \
        VDEV owned by the realm (zero-filled), VDEV_NEW, no request, its evidence generations 0, DMA \
        DISABLED; the PDEV's VDEV count and the RD's reference count grow by one; the RMM programs, but \
        does not enable, the Realm STE of the device's stream (S2TTB = the realm's RTT, VMID, MECID). \
        A device has `tdis` TDIs (1 by default: then tdi_id must be 0, and the TDI is free while the PDEV \
        has no VDEV); VdevParams.tdi_id names the TDI, and tdi_id fails when it is not one of the PDEV's TDIs \
        (tdi_id ≥ tdis; TF-RMM 9a7f8ef \
        `validate_vdev_params`: outside the PDEV's RID range) or that TDI's STE is already programmed for \
        another VDEV (TF-RMM rmm-spec-v1.x-aligned `smmuv3_configure_stream`: "STE already configured"); \
        success records the TDI and programs that TDI's own stream's STE, and the PDEV's count counts its \
        VDEVs (ADR 0005).
        """,
      parameters: vdevRegisters + [
        rmm.register("x4", bufferPAs), rmm.register("params_num_aux", [0], allValues: [1]),
        rmm.register("params_tdi_id", (0..<tdis).map { Value($0) }, allValues: [Value(tdis)]),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, pdev, vdev) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      rmm.rdChecks(a, rd)
      pdevChecks(a, pdev)
      rmm.granuleChecks(a, "vdev", vdev, state: GranuleState.delegated)
      rmm.nsBufferChecks(a, "params", a.arg("x4"))
      if let realmDA = rmm.realmDA {
        a.fail(
          "da_en", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm, when: !pre.read(realmDA, [rmm.realmOf(rd)]))
      }
      let p = memoryMap.granule(of: pdev)
      failDevice(a, "pdev_ready", when: pre.read(daState.pdevState, [p]).ne(.literal(PdevState.ready)))
      // The TDI must be one of the PDEV's (tdi_id < tdis) and free: its STE not programmed, or with one TDI the
      // PDEV without a VDEV (the one-TDI terms of before, with the range check added).
      let s: Expr
      let taken: Expr
      var safeTdi: Expr = 0
      let tdi = a.arg("params_tdi_id")
      let inRange = tdi.lt(.literal(Value(tdis)))
      if vdevTdi != nil {
        safeTdi = .ite(inRange, then: tdi, else: 0)
        s = stream(pdev: p, tdi: safeTdi)
        taken = pre.read(daState.steBound, [s])
      } else {
        s = pre.read(daState.pdevStream, [p])
        taken = pre.read(daState.pdevVdevs, [p]).ne(0)
      }
      a.fail("tdi_id", error: Self.input, code: RMIABI.errorInput, when: !inRange || taken)
      a.fail("num_aux", error: Self.input, code: RMIABI.errorInput, when: a.arg("params_num_aux").ne(0))
      let g = memoryMap.granule(of: vdev)
      let rr = rmm.realmOf(rd)
      let rdGranule = memoryMap.granule(of: rd)
      rmm.makeObject(a, g, state: GranuleState.vdev, realm: rr)
      a.set(daState.vdevState, [g], to: vs(VdevState.new))
      a.set(daState.vdevPdev, [g], to: p)
      a.set(daState.pdevVdevs, [p], to: vdevTdi == nil ? 1 : pre.read(daState.pdevVdevs, [p]) + 1)
      if let vdevTdi { a.set(vdevTdi, [g], to: safeTdi) }
      a.set(rmmState.refcount, [rdGranule], to: pre.read(rmmState.refcount, [rdGranule]) + 1)
      a.set(daState.steBound, [s], to: true)
      a.set(daState.steVdev, [s], to: g)
    }

    builder.action(
      "RMI_VDEV_COMMUNICATE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_VDEV_COMMUNICATE (FID 0xC4000186; reference/rmm.md §3.3): x1 = rd, x2 = pdev, x3 = vdev, x4 = \
        data_ptr (Non-secure RmiDevCommData). One call completes the TDISP/SPDM request in flight (abstract \
        exchange); `device_error` is the host's or device's choice. Failure conditions: the binding checks \
        (rd_*, pdev_*, vdev_align, vdev_bound, vdev_gran_state, vdev_realm, vdev_pdev); data_align, \
        data_bound, data_pas (RMI_ERROR_INPUT); vdev_state (nothing to complete: not NEW and no request) \
        RMI_ERROR_DEVICE. Success without error: NEW → UNLOCKED (the first exchange after create), LOCK → \
        LOCKED with a new lock nonce, START → STARTED, UNLOCK → UNLOCKED, GET_MEASUREMENTS and \
        GET_INTERFACE_REPORT keep the state with a new measurement or report sequence number. With \
        error: → ERROR, and the RMM disables the VDEV's DMA (STE.V cleared, SMMU caches invalidated: a \
        TDI in ERROR must not carry trusted traffic, reference/rme.md §3.2 TDISP).
        """,
      parameters: vdevRegisters + [rmm.register("x4", bufferPAs), Parameter("device_error", .bool)],
      successCode: RMIABI.success
    ) { a in
      let vdev = a.arg("x3")
      bindingChecks(a, rd: a.arg("x1"), pdev: a.arg("x2"), vdev: vdev)
      rmm.nsBufferChecks(a, "data", a.arg("x4"))
      let st = self.vdev(daState.vdevState, vdev)
      let request = self.vdev(daState.vdevRequest, vdev)
      let none = Expr.literal(VdevRequest.none)
      failDevice(a, "vdev_state", when: request.eq(none) && st.ne(vs(VdevState.new)))
      let g = memoryMap.granule(of: vdev)
      let error = a.arg("device_error")
      func completes(_ r: Value) -> Expr { !error && request.eq(.literal(r)) }
      let fine = Expr.ite(
        request.eq(.literal(VdevRequest.lock)), then: vs(VdevState.locked),
        else: .ite(
          request.eq(.literal(VdevRequest.start)), then: vs(VdevState.started),
          else: .ite(request.isOne(of: [none, .literal(VdevRequest.unlock)]), then: vs(VdevState.unlocked), else: st)))
      a.set(daState.vdevState, [g], to: .ite(error, then: vs(VdevState.error), else: fine))
      a.set(daState.vdevRequest, [g], to: none)
      for (variable, r) in [
        (daState.vdevLockNonce, VdevRequest.lock), (daState.vdevMeasSeq, VdevRequest.measurements),
        (daState.vdevReportSeq, VdevRequest.report),
      ] {
        let old = pre.read(variable, [g])
        a.set(variable, [g], to: .ite(completes(r), then: nextNonce(old), else: old))
      }
      a.when(error) { disableDMA(a, vdev: g, stream: streamOf(vdev: g)) }
    }

    vdevRequest(
      "RMI_VDEV_LOCK",
      doc: """
        RMI_VDEV_LOCK (FID 0xC40001D2; reference/rmm.md §3.3): x1 = rd, x2 = pdev, x3 = vdev. Failure \
        conditions: the binding checks; vdev_state (not UNLOCKED, or a request in flight) RMI_ERROR_DEVICE. \
        Success: the TDISP LOCK_INTERFACE request is in flight (VDEV_COMMUNICATE: LOCKED, new lock nonce).
        """,
      states: [VdevState.unlocked], request: VdevRequest.lock)
    vdevRequest(
      "RMI_VDEV_START",
      doc: """
        RMI_VDEV_START (FID 0xC40001D3; reference/rmm.md §3.3): x1 = rd, x2 = pdev, x3 = vdev. Failure \
        conditions: the binding checks; vdev_state (not LOCKED, or a request in flight) RMI_ERROR_DEVICE. \
        Success: the TDISP START_INTERFACE request is in flight (VDEV_COMMUNICATE: STARTED, the TDI in RUN).
        """,
      states: [VdevState.locked], request: VdevRequest.start)
    vdevRequest(
      "RMI_VDEV_UNLOCK",
      doc: """
        RMI_VDEV_UNLOCK (FID 0xC400018A; reference/rmm.md §3.3, reference/rme.md §3.2): x1 = rd, x2 = pdev, x3 \
        = vdev. Failure conditions: the binding checks; vdev_state (not LOCKED, STARTED or ERROR, or a \
        request in flight) RMI_ERROR_DEVICE; vdev_mapped (with device memory: a device-memory granule of the \
        VDEV's device is still mapped, reference/rme.md §3.2) RMI_ERROR_DEVICE. Success: first the RMM \
        disables the VDEV's DMA (STE.V cleared, \
        then CFGI_STE, TLBI and CMD_SYNC drop the SMMU's cached copy), then the TDISP STOP_INTERFACE \
        request is in flight (VDEV_COMMUNICATE: UNLOCKED).
        """,
      states: [VdevState.locked, VdevState.started, VdevState.error], request: VdevRequest.unlock,
      effects: { a, g in
        self.failIfMapped(a, vdev: g)
        if !self.mutated(CCA.MutantName.vdevUnlockKeepsSTE) {
          self.disableDMA(a, vdev: g, stream: self.streamOf(vdev: g))
        } else {
          // The mutant: the RMM forgets the STE (and the SMMU's cached copy); its own record of
          // the VDEV's DMA state says DISABLED.
          a.set(self.daState.vdevDMA, [g], to: false)
          a.set(self.daState.vdevDMAVerified, [g], to: false)
        }
      })
    vdevRequest(
      "RMI_VDEV_GET_MEASUREMENTS",
      doc: """
        RMI_VDEV_GET_MEASUREMENTS (FID 0xC40001D1; reference/rmm.md §3.3): x1 = rd, x2 = pdev, x3 = vdev, x4 = \
        params_ptr (Non-secure). Failure conditions: the binding checks; params_align, params_bound, \
        params_pas (RMI_ERROR_INPUT); vdev_state (not UNLOCKED, LOCKED or STARTED, or a request in flight) \
        RMI_ERROR_DEVICE. The reference allows LOCKED or STARTED; the ACS flow asks for measurements \
        before VDEV_LOCK, so the model allows UNLOCKED too. Success: the SPDM GET_MEASUREMENTS request is in \
        flight (VDEV_COMMUNICATE: a new measurement sequence number).
        """,
      extra: [rmm.register("x4", bufferPAs)], states: [VdevState.unlocked, VdevState.locked, VdevState.started],
      request: VdevRequest.measurements, before: { a in self.rmm.nsBufferChecks(a, "params", a.arg("x4")) })
    vdevRequest(
      "RMI_VDEV_GET_INTERFACE_REPORT",
      doc: """
        RMI_VDEV_GET_INTERFACE_REPORT (FID 0xC40001D0; reference/rmm.md §3.3): x1 = rd, x2 = pdev, x3 = vdev. \
        Failure conditions: the binding checks; vdev_state (not LOCKED or STARTED, or a request in flight) \
        RMI_ERROR_DEVICE. Success: the TDISP GET_DEVICE_INTERFACE_REPORT request is in flight \
        (VDEV_COMMUNICATE: a new report sequence number).
        """,
      states: [VdevState.locked, VdevState.started], request: VdevRequest.report)

    builder.action(
      "RMI_VDEV_ABORT", by: CCA.Parties.hypervisor,
      doc: """
        RMI_VDEV_ABORT (FID 0xC4000185; reference/rmm.md §3.3): x1 = vdev. Failure conditions: vdev_align, \
        vdev_bound, vdev_gran_state (RMI_ERROR_INPUT); vdev_state (no request in flight) RMI_ERROR_DEVICE. \
        Success: the request is cancelled and the VDEV goes to ERROR; its DMA is disabled (as on a \
        communication error).
        """,
      parameters: [rmm.register("x1", rmm.granulePAs)], successCode: RMIABI.success
    ) { a in
      let vdev = a.arg("x1")
      rmm.granuleChecks(a, "vdev", vdev, state: GranuleState.vdev, stateName: "vdev_gran_state")
      failDevice(a, "vdev_state", when: self.vdev(daState.vdevRequest, vdev).eq(.literal(VdevRequest.none)))
      let g = memoryMap.granule(of: vdev)
      a.set(daState.vdevState, [g], to: vs(VdevState.error))
      a.set(daState.vdevRequest, [g], to: .literal(VdevRequest.none))
      disableDMA(a, vdev: g, stream: streamOf(vdev: g))
    }

    builder.action(
      "RMI_VDEV_DESTROY", by: CCA.Parties.hypervisor,
      doc: """
        RMI_VDEV_DESTROY (FID 0xC4000188; reference/rmm.md §3.3, reference/rme.md §3.2): x1 = rd, x2 = pdev, \
        x3 = vdev. Failure conditions: the binding checks, with vdev_realm RMI_ERROR_DEVICE as the ACS lists \
        it; vdev_state (not NEW, UNLOCKED or ERROR, or a request in flight: ACS, LOCKED → RMI_ERROR_DEVICE) \
        RMI_ERROR_DEVICE; vdev_mapped (with device memory: as VDEV_UNLOCK's, the model's, since a VDEV in \
        ERROR may still have its memory mapped) RMI_ERROR_DEVICE. Success: the VDEV granule returns to DELEGATED, scrubbed; the PDEV's VDEV count \
        and the RD's reference count drop by one; the RMM releases the stream's Realm STE (invalid, the \
        SMMU's cached copy invalidated).
        """,
      parameters: vdevRegisters, successCode: RMIABI.success
    ) { a in
      let (rd, pdev, vdev) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      bindingChecks(a, rd: rd, pdev: pdev, vdev: vdev, realmIsDevice: true)
      failDevice(
        a, "vdev_state",
        when: !self.vdev(daState.vdevState, vdev).isOne(of: [
          vs(VdevState.new), vs(VdevState.unlocked), vs(VdevState.error),
        ])
          || self.vdev(daState.vdevRequest, vdev).ne(.literal(VdevRequest.none)))
      let g = memoryMap.granule(of: vdev)
      failIfMapped(a, vdev: g)
      let p = memoryMap.granule(of: pdev)
      let rdGranule = memoryMap.granule(of: rd)
      let s = streamOf(vdev: g)
      rmm.release(a, g)
      a.set(rmmState.refcount, [rdGranule], to: pre.read(rmmState.refcount, [rdGranule]) - 1)
      a.set(daState.pdevVdevs, [p], to: vdevTdi == nil ? 0 : pre.read(daState.pdevVdevs, [p]) - 1)
      a.set(daState.vdevState, [g], to: vs(VdevState.new))
      a.set(daState.vdevPdev, [g], to: 0)
      if let vdevTdi { a.set(vdevTdi, [g], to: 0) }
      for variable in [daState.vdevLockNonce, daState.vdevMeasSeq, daState.vdevReportSeq] {
        a.set(variable, [g], to: 0)
      }
      a.set(daState.steBound, [s], to: false)
      a.set(daState.steVdev, [s], to: 0)
      disableDMA(a, vdev: g, stream: s)
    }

    builder.action(
      "RMI_VDEV_GET_STATE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_VDEV_GET_STATE (FID 0xC4000189; reference/rmm.md §3.3): x1 = vdev. Failure conditions: vdev_align, \
        vdev_bound, vdev_gran_state (RMI_ERROR_INPUT). Success: X1 = the RmiVdevState. Footprint: none.
        """,
      parameters: [rmm.register("x1", rmm.granulePAs)], successCode: RMIABI.success
    ) { a in
      let vdev = a.arg("x1")
      rmm.granuleChecks(a, "vdev", vdev, state: GranuleState.vdev, stateName: "vdev_gran_state")
      a.output("x1", self.vdev(daState.vdevState, vdev))
    }
  }
}
