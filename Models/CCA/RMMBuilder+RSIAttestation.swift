import Spec

// MARK: - RSI attestation (realm → RMM; the `attest` feature)

extension RMMBuilder {
  /// Declares RSI_ATTESTATION_TOKEN_INIT and RSI_ATTESTATION_TOKEN_CONTINUE (reference/rmm.md §5)
  /// over the RECs' attestation state (``RECVariables/attestInProgress``,
  /// ``RECVariables/attestCopied``).
  ///
  /// The token is abstract: ``RSI/attestTokenLength`` bytes the realm is given in pieces, with no
  /// contents beyond the realm's label on the granule they land in. The challenge (INIT's X1 ...
  /// X8) is accepted and not recorded: nothing the ABI returns depends on it.
  func declareAttestation() {
    guard let inProgress = recState.attestInProgress, let copied = recState.attestCopied else { return }
    let challenge = (1...8).map { register("x\($0)", [0]) }
    builder.action(
      "RSI_ATTESTATION_TOKEN_INIT", by: CCA.Parties.realm,
      doc: """
        RSI_ATTESTATION_TOKEN_INIT (FID 0xC4000194; reference/rmm.md §5; DEN0137 1.0-rel0 B5.3.3) from the \
        realm on PE `pe`: x1 ... x8 = the 64-byte challenge. No failure conditions (TF-RMM rmm-spec-v1.0-rel0 \
        `handle_rsi_attest_token_init` returns RSI_ERROR_UNKNOWN only when its crypto library fails, which \
        the model does not have). Success: the REC's attest_state becomes ATTEST_IN_PROGRESS with nothing \
        of the token written yet, aborting any token in progress; X1 = the upper bound of the token's \
        size (TF-RMM's REC_ATTEST_TOKEN_BUF_SIZE, 0x1000).
        """,
      parameters: [Parameter("pe", cca.pe)] + challenge, successCode: RSI.success
    ) { a in
      let p = a.arg("pe")
      a.requires(pre.read(rmmState.peRunning, [p]))
      let rec = runningREC(p)
      a.set(inProgress, [rec], to: true)
      a.set(copied, [rec], to: 0)
      a.output("x1", .literal(RSI.attestTokenBound))
    }

    let length = RSI.attestTokenLength
    builder.action(
      "RSI_ATTESTATION_TOKEN_CONTINUE", by: CCA.Parties.realm,
      doc: """
        RSI_ATTESTATION_TOKEN_CONTINUE (FID 0xC4000195; reference/rmm.md §5; DEN0137 1.0-rel0 B5.3.2) from \
        the realm on PE `pe`: x1 = the IPA of the buffer granule, x2 = the offset in it, x3 = the buffer's \
        size. Failure conditions in the specification's order (the ACS stimulus table's): addr_align (x1 \
        not 4 KB aligned), addr_bound (not a protected IPA), offset_bound (offset ≥ 4 KB), size_overflow \
        (offset + size wraps), size_bound (offset + size > 4 KB), all RSI_ERROR_INPUT (TF-RMM checks the \
        offset and size before the address: one code, so unobservable); state (no token in progress: \
        attest_state is NO_ATTEST_IN_PROGRESS) RSI_ERROR_STATE; then the buffer's walk, TF-RMM \
        rmm-spec-v1.0-rel0 `attest_token_continue_write_state`'s: ripas_empty (the walk stops at RIPAS \
        EMPTY) RSI_ERROR_INPUT, stage2_abort (not an ASSIGNED RAM page: the REC takes a stage-2 abort, \
        left to REC_EXIT as for RSI_REALM_CONFIG). Success: the RMM writes the next min(size, rest) bytes \
        of the token at the offset (the granule's Realm line DIRTY with the realm's label when any byte \
        is written); X1 = that count; X0 = RSI_SUCCESS and attest_state NO_ATTEST_IN_PROGRESS when they \
        were the token's last, else RSI_INCOMPLETE with the progress kept (size 0 writes nothing and \
        returns RSI_INCOMPLETE, as TF-RMM does). The model's token is \(length) bytes (RSI.attestTokenLength; \
        implementation defined). TF-RMM may also return RSI_INCOMPLETE with an RMI_EXIT_IRQ exit while it \
        signs, when an interrupt is pending; the model has no pending interrupts.
        """,
      parameters: [
        Parameter("pe", cca.pe), register("x1", protectedIPAs), register("x2", [0]), register("x3", [0x1000]),
      ],
      successCode: RSI.success
    ) { a in
      let p = a.arg("pe")
      let (ipa, offset, size) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      a.requires(pre.read(rmmState.peRunning, [p]))
      let rec = runningREC(p)
      let rr = pre.read(rmmState.owner, [rec])
      a.fail("addr_align", error: Self.rsiInput, code: RSI.errorInput, when: (ipa & 0xFFF).ne(0))
      a.fail("addr_bound", error: Self.rsiInput, code: RSI.errorInput, when: ipa.ge(.literal(geometry.protectedLimit)))
      a.fail("offset_bound", error: Self.rsiInput, code: RSI.errorInput, when: offset.ge(0x1000))
      a.fail("size_overflow", error: Self.rsiInput, code: RSI.errorInput, when: (offset + size).lt(offset))
      a.fail("size_bound", error: Self.rsiInput, code: RSI.errorInput, when: (offset + size).gt(0x1000))
      a.fail("state", error: "RSI_ERROR_STATE", code: RSI.errorState, when: !pre.read(inProgress, [rec]))
      let g = walkChecks(a, rr, ipa)
      let rest = .literal(length) - pre.read(copied, [rec])
      let done = size.ge(rest)
      let written = Expr.ite(done, then: rest, else: size)
      a.status(.ite(done, then: .literal(RSI.success), else: .literal(RSI.incomplete)))
      a.output("x1", written)
      a.set(inProgress, [rec], to: !done)
      a.set(copied, [rec], to: .ite(done, then: 0, else: pre.read(copied, [rec]) + size))
      a.when(written.ne(0)) {
        cca.setRealmLine(a, g, LineState.dirty, cca.content.realmLabel(rr), under: cca.realmContext(rr))
      }
    }
  }

  /// Puts REC `g`'s attestation state back to none (with `attest`; the granule stops being a REC).
  func clearAttestation(_ a: ActionBuilder, _ g: Expr) {
    guard let inProgress = recState.attestInProgress, let copied = recState.attestCopied else { return }
    a.set(inProgress, [g], to: false)
    a.set(copied, [g], to: 0)
  }
}
