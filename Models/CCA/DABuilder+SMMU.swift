import Spec

// MARK: - The SMMU and device DMA (reference/rme.md §3.1, §3.3) [1.1-UNSTABLE]

extension DABuilder {
  /// Declares device DMA, the attacker's: any device, any address, reads and writes.
  ///
  /// - `DEVICE_NS_READ` / `DEVICE_NS_WRITE`: a transaction on a Non-secure stream (the host
  ///   programs the Non-secure stream tables, so such a device is the host's agent): any PA, in
  ///   the Non-secure PAS, checked by the SMMU's GPC.
  /// - `DEVICE_REALM_READ` / `DEVICE_REALM_WRITE`: a TEE (T=1) transaction on stream `stream`,
  ///   translated by the stream's Realm STE (the SMMU's cached copy if it holds one, else the
  ///   STE, which must be valid), through the STE's realm's stage 2 (S2TTB = its RTT), then
  ///   checked by the GPC: a protected IPA reaches its DATA granule in the Realm PAS, an
  ///   unprotected IPA the host's PA in the Non-secure PAS.
  ///
  /// The SMMU's GPC uses its own GPT TLB (``SMMUGPTVariables``: a cached GPI per granule, filled
  /// by a GPT walk, dropped by EL3's TLBI on a transition, reference/rme.md §3.1), and its stage-2
  /// TLB entries are abstracted with the STE cache
  /// they are tagged with: the RMM's stage-2 TLBIs on unmap are broadcast (reference/rme.md §3.3
  /// item 3), as the model's realm accesses assume for the PEs' stage-2 TLBs. Device accesses go
  /// through the same PAS-tagged data-cache lines as the PEs' (IO-coherent DMA), under the
  /// encryption context of their stream (NS, or the STE's realm: its MECID under `per-realm`).
  func declareDeviceAccesses() {
    for write in [false, true] {
      builder.action(
        write ? "DEVICE_NS_WRITE" : "DEVICE_NS_READ", by: CCA.Parties.device,
        doc: """
          A device on a Non-secure stream \(write ? "writes host data to" : "reads") the granule containing \
          `addr` (reference/rme.md §3.1: a Non-secure stream emits only the NS PAS, checked by the SMMU's GPC \
          against its cached GPI or a GPT walk it caches; a GPF terminates it, 0x28). \(write ? "The NS line becomes DIRTY with HOST (write-back is where hyp-no-realm-write looks)." : "A read hits the NS line or fills it CLEAN from memory; realm data returned sets hyp-no-realm-read.") \
          Reaching a granule that is not UNDELEGATED sets device-assigned-only. MMIO and beyond-PPS \
          addresses change nothing.
          """,
        parameters: cca.addressParameters
      ) { a in
        let address = cca.address(a.args[0...])
        let (g, dram) = (address.granule, address.isDRAM)
        let ns = Expr.literal(PAS.nonSecure)
        let context = StepContext()
        let passes = cca.smmuProtectionCheck(context, granule: g, pas: ns, active: dram)
        context.fail("gpf", error: GPF.name, code: GPF.faultStatusCode, when: dram && !passes)
        context.write(
          daState.deviceStrayAccess, [], true, when: dram && state(g).ne(.literal(GranuleState.undelegated)))
        if write {
          cca.setLine(context, g, ns, LineState.dirty, .literal(Content.host), when: dram)
          cca.recordWrite(context, g, .literal(Content.host), when: dram)
        } else {
          let hit = cca.lineHit(context, g, ns, reader: .literal(EncryptionContext.nonSecure))
          let returned = cca.accessRead(context, g, ns, reader: .literal(EncryptionContext.nonSecure))
          cca.fillLine(context, g, ns, when: dram && !hit)
          context.write(machine.nsReadRealmData, [], true, when: dram && cca.content.isRealmData(returned))
        }
        context.emit(into: a)
      }

      builder.action(
        write ? "DEVICE_REALM_WRITE" : "DEVICE_REALM_READ", by: CCA.Parties.device,
        doc: """
          A device \(write ? "writes" : "reads") the page at IPA `ipa` with a TEE transaction on stream \
          `stream` (reference/rme.md §3.2, §3.3). The SMMU uses its cached copy of the stream's Realm STE, \
          or the STE if valid, and caches it; no valid STE terminates the transaction (`ste`, C_BAD_STE \
          0x04). Stage 2 of the STE's realm: the walk must reach a level-3 ASSIGNED entry with RIPAS RAM \
          (protected IPA: the DATA granule, Realm PAS) or ASSIGNED_NS (the host's PA, NS PAS), else \
          `translation` (F_TRANSLATION 0x10); then the SMMU's GPC, its cached GPI or a GPT walk it caches (`gpf`, 0x28). \(write ? "The line of the PAS alias becomes DIRTY with the realm's label (HOST for the NS PAS)." : "A read hits the alias's line or fills it CLEAN from memory.") \
          The access sets device-assigned-only unless the stream's VDEV belongs to the realm, is STARTED \
          with no VDEV_UNLOCK in flight (reference/rme.md §3.3: after VDEV_UNLOCK the VDEV reaches nothing), has DMA ENABLED with the evidence current at enable, and a protected \
          granule reached is the realm's DATA; it sets realm-isolation when it \(write ? "overwrites" : "returns") another realm's data.
          """,
        parameters: [Parameter("stream", stream), rmm.register("ipa", rmm.pageIPAs)]
      ) { a in
        let (s, ipa) = (a.arg("stream"), a.arg("ipa"))
        let cached = pre.read(daState.steCached, [s])
        let vdev = pre.read(daState.steVdev, [s])
        let rr = Expr.ite(cached, then: pre.read(daState.steCachedRealm, [s]), else: pre.read(rmmState.owner, [vdev]))
        a.fail("ste", error: "C_BAD_STE", code: SMMUEvent.badSTE, when: !cached && !pre.read(daState.steValid, [s]))
        let (reached, position) = rmm.leaf(rr, ipa)
        let entry = rmm.read(rmmState.rtte, position)
        let protected = ipa.lt(.literal(rmm.geometry.protectedLimit))
        // With `smmu-tlb`: the SMMU's TLB entry for the STE's VMID and the page, if any, translates
        // without a walk (SMMUTLBVariables.swift); entries exist only with the STE cached.
        let tlbKeys = [s, rr, rmm.tlbPage(ipa)]
        let cachedPA = rmm.smmuTLB.map { pre.read($0.iotlb, tlbKeys) } ?? 0
        let hit =
          rmm.smmuTLB == nil ? Expr.boolean(false) : cached && ipa.lt(.literal(rmm.geometry.ipaLimit)) && cachedPA.ne(0)
        a.fail(
          "translation", error: "F_TRANSLATION", code: SMMUEvent.translation,
          when: !hit
            && (ipa.ge(.literal(rmm.geometry.ipaLimit)) || !reached
              || .ite(protected, then: entry.ne(RTTEntry.assignedRAM.expr), else: entry.ne(RTTEntry.assignedNS.expr)))
        )
        let nsPA = rmm.nsAddress(rr, ipa, at: position)
        let dram = hit || protected || memoryMap.isDRAM(nsPA)
        let walked = Expr.ite(
          protected, then: rmm.protectedGranule(rr, ipa, at: position), else: memoryMap.granule(of: nsPA))
        let g = rmm.smmuTLB == nil ? walked : .ite(hit, then: cachedPA - 1, else: walked)
        let pas = Expr.ite(protected, then: .literal(PAS.realm), else: .literal(PAS.nonSecure))
        let context = StepContext()
        if let t = rmm.smmuTLB { context.write(t.iotlb, tlbKeys, walked + 1, when: !hit && dram) }
        let passes = cca.smmuProtectionCheck(context, granule: g, pas: pas, active: dram)
        context.fail("gpf", error: GPF.name, code: GPF.faultStatusCode, when: dram && !passes)
        context.write(daState.steCached, [s], true)
        context.write(daState.steCachedRealm, [s], rr)
        let allowed =
          pre.read(daState.steBound, [s]) && isState(vdev, GranuleState.vdev) && pre.read(rmmState.owner, [vdev]).eq(rr)
          && pre.read(daState.vdevState, [vdev]).eq(.literal(VdevState.started))
          && pre.read(daState.vdevRequest, [vdev]).ne(.literal(VdevRequest.unlock))
          && pre.read(daState.vdevDMA, [vdev]) && pre.read(daState.vdevDMAVerified, [vdev])
          && protected.implies(isState(g, GranuleState.data) && pre.read(rmmState.owner, [g]).eq(rr))
        context.write(daState.deviceStrayAccess, [], true, when: dram && !allowed)
        let own = cca.content.realmLabel(rr)
        // The access itself is the realm's own (REALM_READ / REALM_WRITE): the STE carries the
        // realm's VMID and MECID, so it reads and writes under the realm's context.
        if write {
          context.write(
            rmmState.realmForeignAccess, [], true,
            when: dram
              && rmm.overwritesLiveRealmData(
                context, g, cca.lineKey(pas, context: cca.accessContext(pas, realm: rr)), own: own)
          )
          cca.setLine(
            context, g, pas, LineState.dirty, .ite(protected, then: own, else: .literal(Content.host)), when: dram)
          cca.recordWrite(context, g, .ite(protected, then: own, else: .literal(Content.host)), when: dram)
        } else {
          let hit = cca.lineHit(context, g, pas, reader: cca.accessContext(pas, realm: rr))
          let returned = cca.accessRead(context, g, pas, reader: cca.accessContext(pas, realm: rr))
          cca.fillLine(context, g, pas, reader: cca.accessContext(pas, realm: rr), when: dram && !hit)
          context.write(
            rmmState.realmForeignAccess, [], true, when: dram && cca.content.isRealmData(returned) && returned.ne(own))
        }
        context.emit(into: a)
      }
    }
  }
}
