import Spec

// MARK: - The attacker: the Non-secure hypervisor

extension CCABuilder {
  /// Declares the hypervisor's Non-secure reads and writes: on any idle PE, to any address of the
  /// memory map, interleaved with everything else.
  func declareHypervisorActions() {
    let parameters = [Parameter("pe", pe)] + addressParameters
    builder.action(
      "NS_READ", by: CCA.Parties.hypervisor,
      doc: """
        A Non-secure read by the hypervisor on PE `pe` of the granule containing `addr` \
        (reference/rme.md §1.1: the Non-secure world emits only the NS PAS). The GPC runs first, \
        against the PE's cached GPI or a GPT walk (§1.5): on a GPF the access does not happen and \
        returns fault status 0x28. Otherwise the read hits the NS line, or misses and fills it \
        CLEAN from memory. A read that returns realm data sets the hyp-no-realm-read monitor. With \
        encryption the read decrypts under the NS key (MECID 0): realm data written through the \
        Realm PAS returns CIPHERTEXT, which is not a leak (reference/rme.md §4.1). \
        MMIO and beyond-PPS addresses change nothing (see MemoryMap).
        """,
      parameters: parameters
    ) { a in
      let (context, g, dram) = beginNonSecureAccess(a)
      let ns = Expr.literal(PAS.nonSecure)
      let hit = lineHit(context, g, ns, reader: .literal(EncryptionContext.nonSecure))
      let returned = accessRead(context, g, ns, reader: .literal(EncryptionContext.nonSecure))
      fillLine(context, g, ns, when: dram && !hit)
      context.write(machine.nsReadRealmData, [], true, when: dram && content.isRealmData(returned))
      context.emit(into: a)
    }
    builder.action(
      "NS_WRITE", by: CCA.Parties.hypervisor,
      doc: """
        A Non-secure write of host data by the hypervisor on PE `pe` to the granule containing \
        `addr` (reference/rme.md §1.1, §1.5). GPC first, as for NS_READ; then the NS line becomes DIRTY with HOST (the write \
        covers the granule; write-allocate). Memory changes only when the line is written back, \
        which is where hyp-no-realm-write looks.
        """,
      parameters: parameters
    ) { a in
      let (context, g, dram) = beginNonSecureAccess(a)
      setLine(context, g, .literal(PAS.nonSecure), LineState.dirty, .literal(Content.host), when: dram)
      recordWrite(context, g, .literal(Content.host), when: dram)
      context.emit(into: a)
    }
  }

  /// The start every Non-secure access shares: the issuing PE must be idle, and on DRAM the GPC
  /// runs first (against the PE's cached GPI or a GPT walk) and a GPF is the failure condition
  /// `gpf`; returns the step context, the granule and whether the address is DRAM.
  private func beginNonSecureAccess(_ a: ActionBuilder) -> (context: StepContext, granule: Expr, dram: Expr) {
    let p = a.args[0]
    let addr = address(a.args[1...])
    let g = addr.granule
    let dram = addr.isDRAM
    let context = StepContext()
    a.requires(idle(context, p))
    let passes = protectionCheck(context, pe: p, granule: g, pas: .literal(PAS.nonSecure), active: dram)
    context.fail("gpf", error: GPF.name, code: GPF.faultStatusCode, when: dram && !passes)
    return (context, g, dram)
  }
}
