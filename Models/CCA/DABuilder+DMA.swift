import Spec

// MARK: - The realm's RSI VDEV calls (reference/rmm.md §3.4, §5; reference/rme.md §3.2) [1.1-UNSTABLE]

extension DABuilder {
  /// The VDEV a realm call names: `vdev_id` is the VDEV's stream (the host gives each TDI the ID of its stream: its
  /// device's with one TDI per device, else its TDI's, ``stream(pdev:tdi:)``), and the VDEV must be bound to the
  /// calling realm `rr`.
  ///
  /// Returns the VDEV granule and whether the ID is valid.
  func realmVdev(_ vdevID: Expr, realm rr: Expr) -> (vdev: Expr, valid: Expr) {
    let s = safeStream(vdevID)
    let g = pre.read(daState.steVdev, [s])
    let valid =
      vdevID.lt(.literal(Value(streamSort.count))) && pre.read(daState.steBound, [s]) && isState(g, GranuleState.vdev)
      && pre.read(rmmState.owner, [g]).eq(rr)
    return (g, valid)
  }

  /// The start the realm's VDEV calls share: the call is enabled while a REC runs on PE `p`, and fails with `vdev_id`
  /// (RSI_ERROR_INPUT) unless x1 names a VDEV of that REC's realm.
  ///
  /// Returns the VDEV's granule.
  func runningRealmVdev(_ a: ActionBuilder, pe p: Expr) -> Expr {
    a.requires(pre.read(rmmState.peRunning, [p]))
    let rr = pre.read(rmmState.owner, [pre.read(rmmState.peREC, [p])])
    let (g, valid) = realmVdev(a.arg("x1"), realm: rr)
    a.fail("vdev_id", error: "RSI_ERROR_INPUT", code: DAABI.rsiErrorInput, when: !valid)
    return g
  }

  /// Declares RSI_VDEV_GET_INFO, RSI_VDEV_DMA_ENABLE and RSI_VDEV_DMA_DISABLE.
  ///
  /// The calls are the realm's (a REC of it runs on PE `pe`) and complete without a REC exit:
  /// the pinned revision's RMI_VDEV_COMPLETE round trip is not modelled (ADR 0005).
  func declareRealmVDEVCalls() {
    // With `vdev-complete` the calls exit to the host instead (DABuilder+VdevComplete.swift).
    if let r = vdevRequests { return declareVdevComplete(r) }
    let pe = Parameter("pe", cca.pe)
    let deviceError = "RSI_ERROR_DEVICE"
    builder.action(
      "RSI_VDEV_GET_INFO", by: CCA.Parties.realm,
      doc: """
        RSI_VDEV_GET_INFO (FID 0xC400019D; reference/rmm.md §3.4 step 3, reference/rme.md §3.2): the realm of \
        the REC running on PE `pe` asks for VDEV x1 = vdev_id. Failure condition: vdev_id (no VDEV of this \
        realm has the ID) RSI_ERROR_INPUT. Success: X1 = the RmiVdevState, X2 = the lock nonce, X3 = the \
        measurements sequence number, X4 = the interface report sequence number (the digests the realm \
        checks against its verifier's evidence are abstract). Footprint: none.
        """,
      parameters: [pe, rmm.register("x1", streams)], successCode: DAABI.rsiSuccess
    ) { a in
      let p = a.arg("pe")
      let g = runningRealmVdev(a, pe: p)
      a.output("x1", pre.read(daState.vdevState, [g]))
      a.output("x2", pre.read(daState.vdevLockNonce, [g]))
      a.output("x3", pre.read(daState.vdevMeasSeq, [g]))
      a.output("x4", pre.read(daState.vdevReportSeq, [g]))
    }

    builder.action(
      "RSI_VDEV_DMA_ENABLE", by: CCA.Parties.realm,
      doc: """
        RSI_VDEV_DMA_ENABLE (FID 0xC400019C; reference/rmm.md §3.4 step 5, reference/rme.md §3.2): the realm \
        of the REC running on PE `pe` enables DMA for VDEV x1 = vdev_id, passing the evidence it checked: \
        x2 = lock nonce, x3 = measurements sequence, x4 = interface report sequence. Failure conditions: \
        vdev_id (no VDEV of this realm has the ID) RSI_ERROR_INPUT; vdev_state (not STARTED, or its VDEV_UNLOCK \
        in flight) RSI_ERROR_DEVICE; lock_nonce, meas_seq, report_seq (not the VDEV's current value: the \
        evidence changed since the realm read it) RSI_ERROR_DEVICE each. The three nonce checks are what \
        proves the realm accepted the device's current state, not a stale report. Success: the VDEV's DMA \
        state is ENABLED and the RMM sets STE.V: device DMA now reaches the realm's stage 2.
        """,
      parameters: [
        pe, rmm.register("x1", streams), rmm.register("x2", nonceValues), rmm.register("x3", nonceValues),
        rmm.register("x4", nonceValues),
      ],
      successCode: DAABI.rsiSuccess
    ) { a in
      let p = a.arg("pe")
      let g = runningRealmVdev(a, pe: p)
      a.fail(
        "vdev_state", error: deviceError, code: DAABI.rsiErrorDevice,
        when: pre.read(daState.vdevState, [g]).ne(.literal(VdevState.started))
          || pre.read(daState.vdevRequest, [g]).eq(.literal(VdevRequest.unlock)))
      let matches = [
        ("lock_nonce", daState.vdevLockNonce, a.arg("x2")), ("meas_seq", daState.vdevMeasSeq, a.arg("x3")),
        ("report_seq", daState.vdevReportSeq, a.arg("x4")),
      ].map { (name, variable, passed) in (name, passed.eq(pre.read(variable, [g]))) }
      for (name, ok) in matches {
        a.fail(name, error: deviceError, code: DAABI.rsiErrorDevice, when: !ok)
      }
      a.set(daState.vdevDMA, [g], to: true)
      a.set(daState.vdevDMAVerified, [g], to: .and(matches.map(\.1)))
      if vdevTdi != nil && mutated(CCA.MutantName.dmaEnableUsesDeviceSTE) {
        // The mutant: the RMM indexes the STE by the device (its RID base, TDI 0), not the VDEV's TDI.
        a.set(daState.steValid, [stream(pdev: pre.read(daState.vdevPdev, [g]), tdi: 0)], to: true)
      } else {
        a.set(daState.steValid, [streamOf(vdev: g)], to: true)
      }
    }

    builder.action(
      "RSI_VDEV_DMA_DISABLE", by: CCA.Parties.realm,
      doc: """
        RSI_VDEV_DMA_DISABLE (FID 0xC40001A4; reference/rmm.md §3.4 step 5, reference/rme.md §3.2): the realm \
        of the REC running on PE `pe` disables DMA for VDEV x1 = vdev_id. Failure condition: vdev_id \
        RSI_ERROR_INPUT. Success: DMA DISABLED; the RMM clears STE.V and invalidates the SMMU's cached \
        copy (CFGI_STE, TLBI, CMD_SYNC).
        """,
      parameters: [pe, rmm.register("x1", streams)], successCode: DAABI.rsiSuccess
    ) { a in
      let p = a.arg("pe")
      let g = runningRealmVdev(a, pe: p)
      if !mutated(CCA.MutantName.dmaDisableKeepsSTECache) {
        disableDMA(a, vdev: g, stream: streamOf(vdev: g))
      } else {
        // The mutant: STE.V is cleared, but no CFGI_STE / TLBI / CMD_SYNC follows.
        a.set(daState.vdevDMA, [g], to: false)
        a.set(daState.vdevDMAVerified, [g], to: false)
        a.set(daState.steValid, [streamOf(vdev: g)], to: false)
      }
    }
  }
}
