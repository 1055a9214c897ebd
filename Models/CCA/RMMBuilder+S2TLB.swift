import Spec

// MARK: - The PEs' stage-2 TLBs and the RMM's TLBIs (feature `s2-tlb`; Docs/ADR/0008)

extension RMMBuilder {
  /// Reads the `planes` bound and declares the PEs' stage-2 TLBs (``S2TLBVariables``).
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` when `planes` is outside 1...2 or the
  ///   IPA space has more than 16 pages (the TLB has an entry per page).
  func declareS2TLB() throws -> S2TLBVariables {
    let configuration = cca.configuration
    let location = "configuration \(configuration.name)"
    let planes = configuration.bound(CCA.Bound.planes, default: 1)
    guard (1...2).contains(planes) else {
      throw ModelError.invalid(location: location, message: "bound planes is \(planes); it must be in 1...2")
    }
    guard geometry.pages <= 16 else {
      throw ModelError.invalid(
        location: location,
        message: "feature s2-tlb keeps a TLB entry per page: the IPA space has \(geometry.pages) pages, at most 16")
    }
    return S2TLBVariables(
      builder, pe: cca.pe, realm: realm, granules: memoryMap.granules, planes: planes, pages: geometry.pages)
  }

  /// The page index of `ipa` as a safe key of the TLB (0 outside the IPA space).
  func tlbPage(_ ipa: Expr) -> Expr { .ite(ipa.lt(.literal(geometry.ipaLimit)), then: ipa >> 12, else: 0) }

  /// The IPA of page index `k`.
  func pageIPA(_ k: Expr) -> Expr { k << 12 }

  /// The RMM's stage-2 TLB invalidation for realm `rr` (TF-RMM `stage2_tlbi_ipa_per_vmids`, the sequence of the Arm
  /// ARM's "Invalidation of TLB entries from stage 2 translations"): for each VMID of the realm (one per plane), TLBI
  /// IPAS2E1IS for each page whose IPA satisfies `pages`, DSB ISH, TLBI VMALLE1IS, DSB ISH.
  ///
  /// The TLBIs are broadcast (Inner Shareable) and the DSB waits for them, so every PE's entries are gone when the RMI
  /// command returns: one step.
  ///
  /// The mutant `s2-tlbi-first-vmid-only` (TF-RMM before 2052addb) invalidates the pages for the
  /// first VMID only: the loop consumed the IPA range on it.
  ///
  /// With `smmu-tlb` and `smmu` true, the SMMUs' entries for the realm's VMID go too: TF-RMM's
  /// invalidation helpers (runtime/rmi/rtt.c, since fdec9d8a) queue CMD_TLBI_S2_IPA on every SMMU
  /// and poll the CMD_SYNC before the command returns, so within the (atomic) command they are
  /// gone. RMI_DATA_DESTROY passes `smmu: false` and queues them instead (``queueSMMUTLBI``).
  func invalidateS2TLB(_ a: ActionBuilder, realm rr: Expr, smmu: Bool = true, pages: @escaping (Expr) -> Expr) {
    if let tlb = s2tlb {
      let firstOnly = mutated(CCA.MutantName.s2TLBIFirstVMIDOnly)
      a.setAll(tlb.entry, where: { k in k[1].eq(rr) && (firstOnly ? k[2].eq(0) : true) && pages(self.pageIPA(k[3])) }) {
        _ in 0
      }
    }
    if smmu, let t = smmuTLB {
      a.setAll(t.iotlb, where: { k in k[1].eq(rr) && pages(self.pageIPA(k[2])) }) { _ in 0 }
    }
  }

  /// ``invalidateS2TLB(_:realm:smmu:pages:)`` for the one page holding `ipa`.
  func invalidateS2TLB(_ a: ActionBuilder, realm rr: Expr, smmu: Bool = true, page ipa: Expr) {
    invalidateS2TLB(a, realm: rr, smmu: smmu) { p in p.eq(ipa & .literal(~Value(0xFFF))) }
  }

  // MARK: - The SMMUs' TLBs (feature `smmu-tlb`)

  /// Declares the SMMUs' TLBs and the pending unmap (``SMMUTLBVariables``).
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` without `da`, or when the IPA space has
  ///   more than 16 pages.
  func declareSMMUTLB() throws -> SMMUTLBVariables {
    let configuration = cca.configuration
    let location = "configuration \(configuration.name)"
    guard configuration.has(CCA.Feature.da) else {
      throw ModelError.invalid(location: location, message: "feature smmu-tlb needs da; add da")
    }
    guard geometry.pages <= 16 else {
      throw ModelError.invalid(
        location: location,
        message: "feature smmu-tlb keeps a TLB entry per page: the IPA space has \(geometry.pages) pages, at most 16")
    }
    let devices = configuration.bound(CCA.Bound.devices, default: 1)
    return SMMUTLBVariables(
      builder, stream: .index(IndexSort("Stream", count: devices)), granule: granule, realm: realm,
      granules: memoryMap.granules, pages: geometry.pages)
  }

  /// RMI_DATA_DESTROY's first half with `smmu-tlb` (TF-RMM rtt_unmap.c: the sweep clears the
  /// S2TTE, then `rtt_unmap_invalidate_pending` submits the SMMU TLBIs, invalidates the PEs' TLBs
  /// and waits for the CMD_SYNC, and only `rtt_unmap_drain_pending` returns the granule to
  /// DELEGATED): when the entry was valid, CMD_TLBI_S2_IPA for the realm's VMID and the page goes
  /// into every SMMU's command queue; the granule, still the realm's DATA, and the leaf RTT's
  /// reference wait for `RMM_CMD_SYNC`.
  ///
  /// Mutants: `unmap-skips-smmu-tlbi` queues nothing (TF-RMM before fdec9d8a);
  /// `smmu-tlbi-first-stream-only` queues on the first SMMU only; `release-before-cmd-sync`
  /// releases the granule at once, without waiting for the CMD_SYNC (the completion reported
  /// early of TF-RMM before 2ab0f889).
  func queueSMMUTLBI(
    _ a: ActionBuilder, _ t: SMMUTLBVariables, realm rr: Expr, ipa: Expr, valid: Expr, granule g: Expr, table: Expr,
    release releaseNow: () -> Void
  ) {
    a.requires(
      !pre.read(t.pending, []) && .forAll(t.tlbiQueued.keyDomains[0]) { s in !self.pre.read(t.tlbiQueued, [s]) })
    if !mutated(CCA.MutantName.unmapSkipsSMMUTLBI) {
      let firstOnly = mutated(CCA.MutantName.smmuTLBIFirstStreamOnly)
      a.setAll(t.tlbiQueued, where: { k in valid && (firstOnly ? k[0].eq(0) : true) }) { _ in true }
    }
    a.set(t.realm, to: rr)
    a.set(t.page, to: tlbPage(ipa))
    if mutated(CCA.MutantName.releaseBeforeCMDSync) {
      releaseNow()
    } else {
      a.set(t.pending, to: true)
      a.set(t.granule, to: g)
      a.set(t.table, to: table)
    }
  }
}
