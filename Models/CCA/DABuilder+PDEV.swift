import Spec

// MARK: - RMI_PDEV_* (reference/rmm.md §3.1, §3.2) [1.1-UNSTABLE]

extension DABuilder {
  /// Adds `pdev_align`, `pdev_bound`, `pdev_state` (the granule is not a PDEV): RMI_ERROR_INPUT.
  func pdevChecks(_ a: ActionBuilder, _ pdev: Expr, stateName: String = "pdev_state") {
    rmm.granuleChecks(a, "pdev", pdev, state: GranuleState.pdev, stateName: stateName)
  }

  /// The RmiPdevState of the PDEV at `pdev`.
  func pdevState(_ pdev: Expr) -> Expr { pre.read(daState.pdevState, [memoryMap.granule(of: pdev)]) }

  /// Declares a PDEV command on `x1` = pdev whose only state check is `allowed` and whose
  /// success moves the PDEV to `next(state)` (both from the pre-state).
  private func pdevTransition(
    _ name: String, doc: String, extra: [Parameter] = [], allowed: [Value], next: @escaping (Expr) -> Expr,
    body: ((ActionBuilder) -> Void)? = nil
  ) {
    builder.action(
      name, by: CCA.Parties.hypervisor, doc: doc, parameters: [rmm.register("x1", rmm.granulePAs)] + extra,
      successCode: RMIABI.success
    ) { a in
      let pdev = a.arg("x1")
      pdevChecks(a, pdev, stateName: "pdev_gran_state")
      body?(a)
      let st = pdevState(pdev)
      failDevice(a, "pdev_state", when: !st.isOne(of: allowed.map { .literal($0) }))
      a.set(daState.pdevState, [memoryMap.granule(of: pdev)], to: next(st))
    }
  }

  /// Declares the PDEV commands.
  func declarePDEVCommands() {
    builder.action(
      "RMI_PDEV_AUX_COUNT", by: CCA.Parties.hypervisor,
      doc: """
        RMI_PDEV_AUX_COUNT (FID 0xC4000156; reference/rmm.md §3.1): x1 = flags. Never fails; X1 = the number \
        of auxiliary granules PDEV_CREATE needs: 0 in this model (the PDEV's SPDM and IDE state is abstract, \
        so no PDEV_AUX granules exist, as RecAuxCount is 0 for RECs). Footprint: none.
        """,
      parameters: [rmm.register("x1", [0])], successCode: RMIABI.success
    ) { a in
      a.output("x1", 0)
    }

    builder.action(
      "RMI_PDEV_CREATE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_PDEV_CREATE (FID 0xC4000176; reference/rmm.md §3.2): x1 = pdev, x2 = params_ptr (a Non-secure \
        granule holding PdevParams: params_rid, the device's stream (its requester-ID range), and \
        params_num_aux). Failure conditions in spec order, all RMI_ERROR_INPUT: pdev_align, pdev_bound, \
        pdev_state (not DELEGATED); params_align, params_bound, params_pas; params_valid (the stream is out \
        of range or another PDEV's: RID ranges must not overlap); num_aux (not RMI_PDEV_AUX_COUNT, 0). \
        Success: pdev → PDEV (zero-filled, no owner), state PDEV_NEW, no VDEVs. With `tdis` > 1, params_rid \
        names the device, whose RID range holds its `tdis` TDIs' streams.
        """,
      parameters: [
        rmm.register("x1", rmm.granulePAs), rmm.register("x2", bufferPAs), rmm.register("params_rid", deviceIDs),
        rmm.register("params_num_aux", [0], allValues: [1]),
      ],
      successCode: RMIABI.success
    ) { a in
      let (pdev, params, rid) = (a.arg("x1"), a.arg("x2"), a.arg("params_rid"))
      rmm.granuleChecks(a, "pdev", pdev, state: GranuleState.delegated)
      rmm.nsBufferChecks(a, "params", params)
      a.fail(
        "params_valid", error: Self.input, code: RMIABI.errorInput,
        when: rid.ge(.literal(Value(devices)))
          || .exists(granule) { h in
            self.isState(h, GranuleState.pdev) && self.pre.read(self.daState.pdevStream, [h]).eq(rid)
          })
      a.fail("num_aux", error: Self.input, code: RMIABI.errorInput, when: a.arg("params_num_aux").ne(0))
      let g = memoryMap.granule(of: pdev)
      rmm.makeObject(a, g, state: GranuleState.pdev, realm: 0)
      a.set(daState.pdevState, [g], to: .literal(PdevState.new))
      a.set(daState.pdevStream, [g], to: safeDevice(rid))
      a.set(daState.pdevVdevs, [g], to: 0)
    }

    let ps = { (s: Value) -> Expr in .literal(s) }
    builder.action(
      "RMI_PDEV_COMMUNICATE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_PDEV_COMMUNICATE (FID 0xC4000175; reference/rmm.md §3.2): x1 = pdev, x2 = data_ptr (the \
        Non-secure RmiDevCommData buffer the host relays SPDM messages through). The SPDM exchange is \
        abstract: one call completes the pending step; `device_error` is the host's or device's choice \
        (a message the device or the host garbles). Failure conditions: pdev_align, pdev_bound, \
        pdev_gran_state (not a PDEV); data_align, data_bound, data_pas (all RMI_ERROR_INPUT); pdev_state \
        (no exchange to run: NEEDS_KEY, READY, STOPPED, ERROR) RMI_ERROR_DEVICE. The reference gives no \
        order between the PDEV and buffer checks; this one is the model's. Success without error: NEW → \
        NEEDS_KEY (certificates fetched), HAS_KEY, IDE_RESETTING, COMMUNICATING → READY, STOPPING → \
        STOPPED; with error: STOPPING → STOPPED, any other → ERROR.
        """,
      parameters: [
        rmm.register("x1", rmm.granulePAs), rmm.register("x2", bufferPAs), Parameter("device_error", .bool),
      ],
      successCode: RMIABI.success
    ) { a in
      let pdev = a.arg("x1")
      pdevChecks(a, pdev, stateName: "pdev_gran_state")
      rmm.nsBufferChecks(a, "data", a.arg("x2"))
      let st = pdevState(pdev)
      failDevice(
        a, "pdev_state",
        when: st.isOne(of: [ps(PdevState.needsKey), ps(PdevState.ready), ps(PdevState.stopped), ps(PdevState.error)]))
      let fine = Expr.ite(
        st.eq(ps(PdevState.new)), then: ps(PdevState.needsKey),
        else: .ite(st.eq(ps(PdevState.stopping)), then: ps(PdevState.stopped), else: ps(PdevState.ready)))
      let failed = Expr.ite(st.eq(ps(PdevState.stopping)), then: ps(PdevState.stopped), else: ps(PdevState.error))
      a.set(daState.pdevState, [memoryMap.granule(of: pdev)], to: .ite(a.arg("device_error"), then: failed, else: fine))
    }

    pdevTransition(
      "RMI_PDEV_SET_PUBKEY",
      doc: """
        RMI_PDEV_SET_PUBKEY (FID 0xC400017B; reference/rmm.md §3.2): x1 = pdev, x2 = pubkey_params (Non-secure: \
        the device's public key from its certificate). Failure conditions: pdev_align, pdev_bound, \
        pdev_gran_state, params_align, params_bound, params_pas (RMI_ERROR_INPUT); pdev_state (not \
        NEEDS_KEY) RMI_ERROR_DEVICE. Success: NEEDS_KEY → HAS_KEY.
        """,
      extra: [rmm.register("x2", bufferPAs)], allowed: [PdevState.needsKey], next: { _ in ps(PdevState.hasKey) },
      body: { a in self.rmm.nsBufferChecks(a, "params", a.arg("x2")) })
    pdevTransition(
      "RMI_PDEV_IDE_RESET",
      doc: """
        RMI_PDEV_IDE_RESET (FID 0xC4000179; reference/rmm.md §3.2): x1 = pdev. Failure conditions: pdev_align, \
        pdev_bound, pdev_gran_state (RMI_ERROR_INPUT); pdev_state (not READY) RMI_ERROR_DEVICE. Success: READY \
        → IDE_RESETTING (PDEV_COMMUNICATE completes the reset, back to READY).
        """,
      allowed: [PdevState.ready], next: { _ in ps(PdevState.ideResetting) })
    pdevTransition(
      "RMI_PDEV_IDE_KEY_REFRESH",
      doc: """
        RMI_PDEV_IDE_KEY_REFRESH (FID 0xC400017A; reference/rmm.md §3.2): x1 = pdev, x2 = coh (which IDE \
        stream; not checked by the model). Failure conditions: pdev_align, pdev_bound, pdev_gran_state \
        (RMI_ERROR_INPUT); pdev_state (not READY) RMI_ERROR_DEVICE. Success: READY → COMMUNICATING \
        (PDEV_COMMUNICATE completes the key refresh, back to READY).
        """,
      extra: [rmm.register("x2", [0])], allowed: [PdevState.ready], next: { _ in ps(PdevState.communicating) })
    pdevTransition(
      "RMI_PDEV_ABORT",
      doc: """
        RMI_PDEV_ABORT (FID 0xC4000174; reference/rmm.md §3.2): x1 = pdev. Failure conditions: pdev_align, \
        pdev_bound, pdev_gran_state (RMI_ERROR_INPUT); pdev_state (not NEW, HAS_KEY or COMMUNICATING) \
        RMI_ERROR_DEVICE. Success: the pending exchange is cancelled: COMMUNICATING → READY, NEW and \
        HAS_KEY unchanged.
        """,
      allowed: [PdevState.new, PdevState.hasKey, PdevState.communicating],
      next: { st in .ite(st.eq(ps(PdevState.communicating)), then: ps(PdevState.ready), else: st) })

    builder.action(
      "RMI_PDEV_STOP", by: CCA.Parties.hypervisor,
      doc: """
        RMI_PDEV_STOP (FID 0xC400017C; reference/rmm.md §3.2): x1 = pdev. Failure conditions: pdev_align, \
        pdev_bound, pdev_gran_state (RMI_ERROR_INPUT); pdev_state (COMMUNICATING, STOPPING or STOPPED) \
        RMI_ERROR_DEVICE; num_vdevs (the PDEV still has a VDEV) RMI_ERROR_DEVICE. The reference gives no \
        order between the two; this one is the model's. Success: → STOPPING (PDEV_COMMUNICATE then \
        completes the stop: STOPPED).
        """,
      parameters: [rmm.register("x1", rmm.granulePAs)], successCode: RMIABI.success
    ) { a in
      let pdev = a.arg("x1")
      pdevChecks(a, pdev, stateName: "pdev_gran_state")
      let st = pdevState(pdev)
      let g = memoryMap.granule(of: pdev)
      failDevice(
        a, "pdev_state",
        when: st.isOne(of: [ps(PdevState.communicating), ps(PdevState.stopping), ps(PdevState.stopped)]))
      failDevice(a, "num_vdevs", when: pre.read(daState.pdevVdevs, [g]).ne(0))
      a.set(daState.pdevState, [g], to: ps(PdevState.stopping))
    }

    builder.action(
      "RMI_PDEV_DESTROY", by: CCA.Parties.hypervisor,
      doc: """
        RMI_PDEV_DESTROY (FID 0xC4000177; reference/rmm.md §3.2): x1 = pdev. Failure conditions: pdev_align, \
        pdev_bound, pdev_gran_state (RMI_ERROR_INPUT); pdev_state (not STOPPED) RMI_ERROR_DEVICE. Success: \
        the PDEV granule returns to DELEGATED, scrubbed (its fields back to their fixed values).
        """,
      parameters: [rmm.register("x1", rmm.granulePAs)], successCode: RMIABI.success
    ) { a in
      let pdev = a.arg("x1")
      pdevChecks(a, pdev, stateName: "pdev_gran_state")
      failDevice(a, "pdev_state", when: pdevState(pdev).ne(ps(PdevState.stopped)))
      let g = memoryMap.granule(of: pdev)
      rmm.release(a, g)
      a.set(daState.pdevState, [g], to: ps(PdevState.new))
      a.set(daState.pdevStream, [g], to: 0)
    }

    builder.action(
      "RMI_PDEV_GET_STATE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_PDEV_GET_STATE (FID 0xC4000178; reference/rmm.md §3.2): x1 = pdev. Failure conditions: pdev_align, \
        pdev_bound, pdev_gran_state (RMI_ERROR_INPUT). Success: X1 = the RmiPdevState. Footprint: none.
        """,
      parameters: [rmm.register("x1", rmm.granulePAs)], successCode: RMIABI.success
    ) { a in
      let pdev = a.arg("x1")
      pdevChecks(a, pdev, stateName: "pdev_gran_state")
      a.output("x1", pdevState(pdev))
    }
  }
}
