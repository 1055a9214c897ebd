import Spec

// MARK: - RMI_VDEV_COMPLETE and the RSI VDEV calls' REC exit (feature `vdev-complete`) [1.1-UNSTABLE]
//
// Pinned revision: TF-RMM tag `rmm-spec-v1.x-aligned`: `runtime/rsi/vdev.c` (`initiate_vdev_id_mapping`, the
// `finish_rsi_vdev_*` functions), `runtime/rmi/vdev.c` (`smc_vdev_complete`), `runtime/rmi/run.c`
// (`complete_vdev_id_mapping`), reference/rmm.md §3.3. The realm's RSI VDEV call exits to the host with
// RMI_EXIT_VDEV_REQUEST and the vdev_id; the host names the VDEV with RMI_VDEV_COMPLETE; the next RMI_REC_ENTER
// finishes the call against the VDEV as it is then, and the realm sees the result in X0.

extension DABuilder {
  /// The RSI VDEV calls that go through the round trip, with their ``RsiVdevCall`` code and FID.
  ///
  /// RSI_VDEV_VALIDATE_MAPPING goes through it too at the pinned tag; the model keeps its own exit
  /// (RMI_EXIT_DEV_MEM_MAP), and ``declare()`` refuses `vdev-complete` with device memory.
  private static let roundTripCalls: [(name: String, call: Value, fid: String)] = [
    ("RSI_VDEV_GET_INFO", RsiVdevCall.getInfo, "0xC400019D"),
    ("RSI_VDEV_DMA_ENABLE", RsiVdevCall.dmaEnable, "0xC400019C"),
    ("RSI_VDEV_DMA_DISABLE", RsiVdevCall.dmaDisable, "0xC40001A4"),
  ]

  /// Declares the realm's RSI VDEV calls as REC exits and RMI_VDEV_COMPLETE (with `vdev-complete`).
  func declareVdevComplete(_ r: DAVdevRequestVariables) {
    let pe = Parameter("pe", cca.pe)
    for (name, call, fid) in Self.roundTripCalls {
      let enable = call == RsiVdevCall.dmaEnable
      let evidence =
        enable
        ? [rmm.register("x2", nonceValues), rmm.register("x3", nonceValues), rmm.register("x4", nonceValues)] : []
      builder.action(
        name, by: CCA.Parties.realm,
        doc: """
          \(name) (FID \(fid); reference/rmm.md §3.3, §3.4; feature vdev-complete, TF-RMM rmm-spec-v1.x-aligned \
          `runtime/rsi/vdev.c`): the realm of the REC running on PE `pe` asks about VDEV x1 = vdev_id\
          \(enable ? ", passing the evidence it checked: x2 = lock nonce, x3 = measurements sequence, x4 = interface report sequence (X4..X6 at the tag)" : ""). \
          Failure condition: da_en (the realm was created without RealmParams.flags.DA: TF-RMM's \
          `rec->da_enabled`) RSI_ERROR_STATE. The ID is not looked up here (TF-RMM leaves it to the host: \
          an ID no VDEV of the realm has is one the host cannot complete). Success: the REC records the call \
          and exits to the host with RMI_EXIT_VDEV_REQUEST (8), exit_vdev_id = vdev_id (RecRun.exit.vdev_id_1); \
          the host names the VDEV with RMI_VDEV_COMPLETE, and RMI_REC_ENTER finishes the call (its realm_x0).
          """,
        parameters: [pe, rmm.register("x1", streams)] + evidence, successCode: DAABI.rsiSuccess
      ) { a in
        let p = a.arg("pe")
        a.requires(pre.read(rmmState.peRunning, [p]))
        let rec = rmm.runningREC(p)
        if let realmDA = rmm.realmDA {
          a.fail(
            "da_en", error: "RSI_ERROR_STATE", code: DAABI.rsiErrorState,
            when: !pre.read(realmDA, [pre.read(rmmState.owner, [rec])]))
        }
        if enable && mutated(CCA.MutantName.dmaEnableChecksAtRequest) {
          // The mutant: the evidence is checked when the realm asks, not when the call finishes.
          let g = realmVdev(a.arg("x1"), realm: pre.read(rmmState.owner, [rec])).vdev
          a.fail(
            "vdev_state", error: "RSI_ERROR_DEVICE", code: DAABI.rsiErrorDevice,
            when: !dmaEnableAllowed(g, passed: (a.arg("x2"), a.arg("x3"), a.arg("x4"))))
        }
        a.set(r.call, [rec], to: .literal(call))
        a.set(r.vdevID, [rec], to: safeStream(a.arg("x1")))
        if enable {
          for (variable, passed) in zip(r.nonces, [a.arg("x2"), a.arg("x3"), a.arg("x4")]) {
            a.set(variable, [rec], to: passed)
          }
        }
        a.output("exit_reason", .literal(DAABI.exitVdevRequest))
        a.output("exit_vdev_id", a.arg("x1"))
        rmm.exitREC(a, p)
      }
    }

    builder.action(
      "RMI_VDEV_COMPLETE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_VDEV_COMPLETE (FID 0xC400018E; reference/rmm.md §3.3; TF-RMM rmm-spec-v1.x-aligned \
        `smc_vdev_complete`): x1 = rec, x2 = vdev: the host names the VDEV for the RSI VDEV call REC x1 waits \
        on. Failure conditions: rec_align, rec_bound, rec_gran_state (not a REC); vdev_align, vdev_bound, \
        vdev_gran_state (not a VDEV); pending (the REC waits on no VDEV call, or its VDEV is already named); \
        owner (the VDEV belongs to another realm); vdev_id (the VDEV's ID is not the one the realm asked for) \
        (all RMI_ERROR_INPUT); vdev_state (the VDEV's communication is not idle: a request awaits \
        VDEV_COMMUNICATE, or it is NEW; TF-RMM's `comm_state`) RMI_ERROR_DEVICE. The reference lists the \
        conditions in this order but for vdev_state (TF-RMM's, last); TF-RMM checks both alignments before \
        either granule. Success: the call is COMPLETE with this VDEV; the next RMI_REC_ENTER finishes it. \
        Footprint: the REC's pending call.
        """,
      parameters: [rmm.register("x1", rmm.granulePAs), rmm.register("x2", rmm.granulePAs)],
      successCode: RMIABI.success
    ) { a in
      let (recAddr, vdevAddr) = (a.arg("x1"), a.arg("x2"))
      rmm.granuleChecks(a, "rec", recAddr, state: GranuleState.rec, stateName: "rec_gran_state")
      rmm.granuleChecks(a, "vdev", vdevAddr, state: GranuleState.vdev, stateName: "vdev_gran_state")
      let rec = memoryMap.granule(of: recAddr)
      let v = memoryMap.granule(of: vdevAddr)
      a.fail(
        "pending", error: Self.input, code: RMIABI.errorInput,
        when: pre.read(r.call, [rec]).eq(.literal(RsiVdevCall.none)) || pre.read(r.completed, [rec]))
      a.fail(
        "owner", error: Self.input, code: RMIABI.errorInput,
        when: pre.read(rmmState.owner, [v]).ne(pre.read(rmmState.owner, [rec])))
      if !mutated(CCA.MutantName.vdevCompleteSkipsVdevID) {
        a.fail(
          "vdev_id", error: Self.input, code: RMIABI.errorInput,
          when: streamOf(vdev: v).ne(pre.read(r.vdevID, [rec])))
      }
      failDevice(
        a, "vdev_state",
        when: pre.read(daState.vdevRequest, [v]).ne(.literal(VdevRequest.none))
          || pre.read(daState.vdevState, [v]).eq(.literal(VdevState.new)))
      a.set(r.completed, [rec], to: true)
      a.set(r.vdev, [rec], to: v)
    }
  }

  /// Whether RSI_VDEV_DMA_ENABLE may enable VDEV `g`'s DMA with the evidence `passed`: it is STARTED with no
  /// VDEV_UNLOCK in flight, and the three generations are its current ones.
  ///
  /// The mutants dma-enable-skips-state-check and dma-enable-without-nonce-check drop the first and the second half
  /// (without `vdev-complete` they drop RSI_VDEV_DMA_ENABLE's failure conditions instead).
  func dmaEnableAllowed(_ g: Expr, passed: (Expr, Expr, Expr)) -> Expr {
    let state =
      pre.read(daState.vdevState, [g]).eq(.literal(VdevState.started))
      && pre.read(daState.vdevRequest, [g]).ne(.literal(VdevRequest.unlock))
    return (mutated(CCA.MutantName.dmaEnableSkipsStateCheck) ? true : state)
      && (mutated(CCA.MutantName.dmaEnableWithoutNonceCheck) ? true : evidenceCurrent(g, passed: passed))
  }

  /// Whether `passed` are VDEV `g`'s current lock nonce, measurements and report sequences.
  func evidenceCurrent(_ g: Expr, passed: (Expr, Expr, Expr)) -> Expr {
    passed.0.eq(pre.read(daState.vdevLockNonce, [g])) && passed.1.eq(pre.read(daState.vdevMeasSeq, [g]))
      && passed.2.eq(pre.read(daState.vdevReportSeq, [g]))
  }

  /// RMI_REC_ENTER's finish of REC `rec`'s pending RSI VDEV call (TF-RMM `complete_vdev_id_mapping` and the
  /// `finish_rsi_vdev_*` functions), with its effects on action `a`; nil without `vdev-complete`.
  ///
  /// Returns whether a call was pending and the X0 the realm then sees: RSI_ERROR_INPUT when the host did not
  /// complete it, or the VDEV it named is gone; GET_INFO and DMA_DISABLE RSI_SUCCESS (DMA_DISABLE disables the
  /// VDEV's DMA); DMA_ENABLE RSI_SUCCESS with DMA enabled when ``dmaEnableAllowed(_:passed:)`` holds now, else
  /// RSI_ERROR_DEVICE. The call is cleared.
  ///
  /// "Gone" is the granule no longer a VDEV of the REC's realm with the ID asked for. TF-RMM at the tag checks
  /// only that the granule is still a VDEV: a VDEV destroyed and re-created there (for another realm, or
  /// another device) between RMI_VDEV_COMPLETE and RMI_REC_ENTER would pass, which its 64-bit random nonces stop
  /// for DMA_ENABLE but the model's counters would not. The model re-checks the binding so that this abstraction
  /// does not report it (Docs/ADR/0005).
  func vdevCompletion(_ a: ActionBuilder, rec g: Expr) -> (pending: Expr, x0: Expr)? {
    guard let r = vdevRequests else { return nil }
    let call = pre.read(r.call, [g])
    let pending = call.ne(.literal(RsiVdevCall.none))
    let v = pre.read(r.vdev, [g])
    let rr = pre.read(rmmState.owner, [g])
    let asked = pre.read(r.vdevID, [g])
    let sameID = mutated(CCA.MutantName.vdevCompleteSkipsVdevID) ? Expr.boolean(true) : streamOf(vdev: v).eq(asked)
    let found =
      pre.read(r.completed, [g]) && isState(v, GranuleState.vdev) && pre.read(rmmState.owner, [v]).eq(rr) && sameID
    let passed = (pre.read(r.nonces[0], [g]), pre.read(r.nonces[1], [g]), pre.read(r.nonces[2], [g]))
    let allowed =
      mutated(CCA.MutantName.dmaEnableChecksAtRequest) ? Expr.boolean(true) : dmaEnableAllowed(v, passed: passed)
    let isEnable = call.eq(.literal(RsiVdevCall.dmaEnable))
    let x0 = Expr.ite(
      !found, then: .literal(DAABI.rsiErrorInput),
      else: .ite(isEnable && !allowed, then: .literal(DAABI.rsiErrorDevice), else: .literal(DAABI.rsiSuccess)))
    a.when(pending && found && isEnable && allowed) {
      a.set(daState.vdevDMA, [v], to: true)
      // The ghost: the evidence the realm passed is the VDEV's current one, and the VDEV is the one it asked for.
      a.set(
        daState.vdevDMAVerified, [v],
        to: evidenceCurrent(v, passed: passed) && pre.read(daState.vdevState, [v]).eq(.literal(VdevState.started))
          && streamOf(vdev: v).eq(asked))
      a.set(daState.steValid, [streamOf(vdev: v)], to: true)
    }
    a.when(pending && found && call.eq(.literal(RsiVdevCall.dmaDisable))) {
      disableDMA(a, vdev: v, stream: streamOf(vdev: v))
    }
    clearVdevCall(a, rec: g)
    return (pending, x0)
  }

  /// Clears REC `g`'s pending RSI VDEV call (nothing without `vdev-complete`).
  func clearVdevCall(_ a: ActionBuilder, rec g: Expr) {
    guard let r = vdevRequests else { return }
    a.set(r.call, [g], to: .literal(RsiVdevCall.none))
    a.set(r.completed, [g], to: false)
    a.set(r.vdevID, [g], to: 0)
    a.set(r.vdev, [g], to: 0)
    for variable in r.nonces { a.set(variable, [g], to: 0) }
  }
}
