import Spec

// MARK: - RSI calls (realm → RMM)

extension RMMBuilder {
  static let rsiInput = "RSI_ERROR_INPUT"

  /// Declares the RSI 1.0 calls a realm makes while one of its RECs runs (reference/rmm.md §5),
  /// with the conventions of realm calls (``declarePSCI()``), and RMI_RTT_SET_RIPAS.
  func declareRSI() {
    let ipaSamples = pageIPAs
    builder.action(
      "RSI_VERSION", by: CCA.Parties.realm,
      doc: """
        RSI_VERSION (FID 0xC4000190; reference/rmm.md §5) from the realm on PE `pe`: x1 = the requested \
        version. RSI_ERROR_INPUT unless it is 1.0 (`version`); X1 (lower) = X2 (higher) = 0x10000.
        """,
      parameters: [Parameter("pe", cca.pe), register("x1", [RSI.version], allValues: [RSI.version + 1])],
      successCode: RSI.success
    ) { a in
      a.requires(pre.read(rmmState.peRunning, [a.arg("pe")]))
      a.fail("version", error: Self.rsiInput, code: RSI.errorInput, when: a.arg("x1").ne(.literal(RSI.version)))
      a.output("x1", .literal(RSI.version))
      a.output("x2", .literal(RSI.version))
    }

    builder.action(
      "RSI_FEATURES", by: CCA.Parties.realm,
      doc: """
        RSI_FEATURES (FID 0xC4000191; reference/rmm.md §5) from the realm on PE `pe`: x1 = the index; \
        X1 = 0 (RSI 1.0 defines no feature bits).
        """,
      parameters: [Parameter("pe", cca.pe), register("x1", [0], allValues: [1])], successCode: RSI.success
    ) { a in
      a.requires(pre.read(rmmState.peRunning, [a.arg("pe")]))
      a.output("x1", 0)
    }

    builder.action(
      "RSI_MEASUREMENT_READ", by: CCA.Parties.realm,
      doc: """
        RSI_MEASUREMENT_READ (FID 0xC4000192; reference/rmm.md §5) from the realm on PE `pe`: x1 = index \
        (0 = RIM, 1 ... 4 = REM). RSI_ERROR_INPUT if index > 4 (`index`). X1 = the measurement as \
        the model's abstract digest (the number of measured events, saturating; the architecture \
        returns 64 bytes in X1 ... X8).
        """,
      parameters: [Parameter("pe", cca.pe), register("x1", [0, 1])], successCode: RSI.success
    ) { a in
      let (p, index) = (a.arg("pe"), a.arg("x1"))
      a.requires(pre.read(rmmState.peRunning, [p]))
      a.fail("index", error: Self.rsiInput, code: RSI.errorInput, when: index.gt(4))
      let rr = pre.read(rmmState.owner, [runningREC(p)])
      a.output(
        "x1",
        .ite(index.eq(0), then: pre.read(rmmState.realmRIM, [rr]), else: pre.read(recState.rem, [rr, remKey(index)])))
    }

    builder.action(
      "RSI_MEASUREMENT_EXTEND", by: CCA.Parties.realm,
      doc: """
        RSI_MEASUREMENT_EXTEND (FID 0xC4000193; reference/rmm.md §5) from the realm on PE `pe`: x1 = index \
        (1 ... 4), x2 = size (bytes of X3 ... X10 to measure). RSI_ERROR_INPUT, in this order: index \
        (0 or > 4), size (> 64). Success: REM[index] is extended by one event (saturating: the \
        abstract digest).
        """,
      parameters: [
        Parameter("pe", cca.pe), register("x1", [1], allValues: [0, 5]),
        register("x2", [RSI.maxMeasurementSize], allValues: [RSI.maxMeasurementSize + 1]),
      ],
      successCode: RSI.success
    ) { a in
      let (p, index) = (a.arg("pe"), a.arg("x1"))
      a.requires(pre.read(rmmState.peRunning, [p]))
      a.fail("index", error: Self.rsiInput, code: RSI.errorInput, when: index.eq(0) || index.gt(4))
      a.fail("size", error: Self.rsiInput, code: RSI.errorInput, when: a.arg("x2").gt(.literal(RSI.maxMeasurementSize)))
      let rr = pre.read(rmmState.owner, [runningREC(p)])
      let rem = pre.read(recState.rem, [rr, remKey(index)])
      a.set(recState.rem, [rr, remKey(index)], to: .ite(rem.lt(.literal(Value(rimLimit))), then: rem + 1, else: rem))
    }

    builder.action(
      "RSI_REALM_CONFIG", by: CCA.Parties.realm,
      doc: """
        RSI_REALM_CONFIG (FID 0xC4000196; reference/rmm.md §5; TF-RMM 1.0 `handle_rsi_realm_config`) from \
        the realm on PE `pe`: x1 = the IPA of the granule to write RsiRealmConfig to. \
        \(structureDoc) Success: the RMM writes the structure (ipa_width, hash_algo, rpv) through the \
        granule's Realm alias (its line DIRTY with the realm's label); output config_ipa_width = \
        s2sz (the model does not keep hash_algo and rpv).
        """,
      parameters: [Parameter("pe", cca.pe), register("x1", ipaSamples)], successCode: RSI.success
    ) { a in
      let p = a.arg("pe")
      a.requires(pre.read(rmmState.peRunning, [p]))
      let rr = pre.read(rmmState.owner, [runningREC(p)])
      let g = structureChecks(a, rr, a.arg("x1"))
      a.output("config_ipa_width", .literal(Value(geometry.ipaWidth)))
      cca.setRealmLine(a, g, LineState.dirty, cca.content.realmLabel(rr), under: cca.realmContext(rr))
    }

    builder.action(
      "RSI_HOST_CALL", by: CCA.Parties.realm,
      doc: """
        RSI_HOST_CALL (FID 0xC4000199; reference/rmm.md §5) from the realm on PE `pe`: x1 = the IPA of the \
        RsiHostCall structure, `imm` its imm field (the realm writes it before the call; the model \
        keeps no realm memory contents). \(structureDoc) Success: the REC exits to the host with \
        exit_reason RMI_EXIT_HOST_CALL and exit_imm = imm[15:0]; the realm sees X0 = RSI_SUCCESS on \
        its next entry.
        """,
      parameters: [Parameter("pe", cca.pe), register("x1", ipaSamples), register("imm", [0], allValues: [0x1_0001])],
      successCode: RSI.success
    ) { a in
      let p = a.arg("pe")
      a.requires(pre.read(rmmState.peRunning, [p]))
      let rr = pre.read(rmmState.owner, [runningREC(p)])
      _ = structureChecks(a, rr, a.arg("x1"))
      a.output("exit_reason", .literal(RecExitReason.hostCall))
      a.output("exit_imm", a.arg("imm") & 0xFFFF)
      exitREC(a, p)
    }

    let protected = protectedIPAs
    builder.action(
      "RSI_IPA_STATE_SET", by: CCA.Parties.realm,
      doc: """
        RSI_IPA_STATE_SET (FID 0xC4000197; reference/rmm.md §5) from the realm on PE `pe`: x1 = base, x2 = \
        top, x3 = ripas (RSI_EMPTY 0 or RSI_RAM 1), x4 = flags (bit 0 RSI_CHANGE_DESTROYED). \
        RSI_ERROR_INPUT, in the reference's order (all one code, so unobservable): base_align, \
        top_align (not 4 KB aligned), size_valid (top ≤ base), region (top beyond the protected IPA \
        range), ripas_valid (ripas not EMPTY or RAM). Success: the REC records the request \
        (ripas_addr = base, ripas_top = top, ripas_value, ripas_destroyed) and exits to the host with \
        exit_reason RMI_EXIT_RIPAS_CHANGE, exit_ripas_base = base, exit_ripas_top = top, \
        exit_ripas_value = ripas; the host answers with RMI_RTT_SET_RIPAS calls and the next \
        RMI_REC_ENTER completes the call (realm_x1 = new_base, realm_x2 = the response).
        """,
      parameters: [
        Parameter("pe", cca.pe), register("x1", protected, allValues: offIPAs),
        register("x2", protected.map { $0 + 0x1000 }, allValues: offTops),
        register("x3", [RMIABI.ripasEmpty, RMIABI.ripasRAM]), register("x4", [0], allValues: [RSI.changeDestroyed]),
      ],
      successCode: RSI.success
    ) { a in
      let p = a.arg("pe")
      let (base, top, ripas) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      a.requires(pre.read(rmmState.peRunning, [p]))
      rangeChecks(a, base, top)
      a.fail("ripas_valid", error: Self.rsiInput, code: RSI.errorInput, when: ripas.gt(.literal(RMIABI.ripasRAM)))
      let rec = runningREC(p)
      a.set(recState.ripasAddr, [rec], to: base)
      a.set(recState.ripasTop, [rec], to: top)
      a.set(recState.ripasValue, [rec], to: ripas)
      a.set(recState.ripasDestroyed, [rec], to: (a.arg("x4") & .literal(RSI.changeDestroyed)).ne(0))
      a.output("exit_reason", .literal(RecExitReason.ripasChange))
      a.output("exit_ripas_base", base)
      a.output("exit_ripas_top", top)
      a.output("exit_ripas_value", ripas)
      exitREC(a, p)
    }

    declareRIPAS()
    if recState.attestInProgress != nil { declareAttestation() }  // RMMBuilder+RSIAttestation.swift
  }

  /// Adds the RSI_ERROR_INPUT checks of an IPA range [base, top) (reference/rmm.md §5), in the
  /// reference's order: base_align, top_align (not 4 KB aligned), size_valid (top ≤ base),
  /// region (top beyond the protected IPA range).
  func rangeChecks(_ a: ActionBuilder, _ base: Expr, _ top: Expr) {
    a.fail("base_align", error: Self.rsiInput, code: RSI.errorInput, when: (base & 0xFFF).ne(0))
    a.fail("top_align", error: Self.rsiInput, code: RSI.errorInput, when: (top & 0xFFF).ne(0))
    a.fail("size_valid", error: Self.rsiInput, code: RSI.errorInput, when: top.le(base))
    a.fail("region", error: Self.rsiInput, code: RSI.errorInput, when: top.gt(.literal(geometry.protectedLimit)))
  }

  /// The REM key of an RSI measurement index 1 ...
  ///
  /// 4 (any other index maps to 0; the failure conditions rule them out).
  func remKey(_ index: Expr) -> Expr {
    .ite(index.ge(1) && index.le(4), then: index - 1, else: 0)
  }

  /// The failure conditions of an RSI call that names a realm structure by IPA, for the doc comments.
  var structureDoc: String {
    """
    Returns to the realm at once, in this order: ipa_align (not 4 KB aligned) and ipa_bound (not a \
    protected IPA) RSI_ERROR_INPUT; ripas_empty (the entry where the RTT walk stops has RIPAS EMPTY) \
    RSI_ERROR_INPUT; stage2_abort (the walk does not reach an ASSIGNED page with RIPAS RAM: the REC \
    takes a stage-2 abort, 0x24, as a realm access would, and the model leaves the exit to REC_EXIT \
    with RMI_EXIT_SYNC) (TF-RMM 1.0 treats both structure calls alike).
    """
  }

  /// Adds the failure conditions of ``structureDoc`` for `ipa` in realm `rr`'s IPA space and
  /// returns the DATA granule it maps.
  func structureChecks(_ a: ActionBuilder, _ rr: Expr, _ ipa: Expr) -> Expr {
    a.fail("ipa_align", error: Self.rsiInput, code: RSI.errorInput, when: (ipa & 0xFFF).ne(0))
    a.fail("ipa_bound", error: Self.rsiInput, code: RSI.errorInput, when: ipa.ge(.literal(geometry.protectedLimit)))
    return walkChecks(a, rr, ipa)
  }

  /// Adds the walk's failure conditions of ``structureDoc`` (ripas_empty, stage2_abort) for the
  /// protected, aligned `ipa` in realm `rr`'s IPA space and returns the DATA granule it maps.
  func walkChecks(_ a: ActionBuilder, _ rr: Expr, _ ipa: Expr) -> Expr {
    let depth = walkDepth(rr, ipa, target: .literal(Value(geometry.lastDepth)))
    let stop = read(rmmState.rtte, slot(rr, depth: depth, ipa))
    a.fail(
      "ripas_empty", error: Self.rsiInput, code: RSI.errorInput, when: ripas(stop).eq(.literal(RMIABI.ripasEmpty)))
    let (reached, position) = leaf(rr, ipa)
    a.fail(
      "stage2_abort", error: "STAGE2_ABORT", code: 0x24,
      when: !reached || read(rmmState.rtte, position).ne(RTTEntry.assignedRAM.expr))
    return protectedGranule(rr, ipa, at: position)
  }
}
