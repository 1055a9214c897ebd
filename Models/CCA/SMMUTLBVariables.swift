import Spec

/// The SMMUs' stage-2 TLBs and command queues (the `smmu-tlb` feature, on `da`), and the RMM's
/// unmap that waits for them (reference/rme.md §2.5 last bullet, §3.3 item 3; TF-RMM
/// `rtt_unmap_invalidate_pending` / `rtt_unmap_drain_pending`, runtime/rmi/rtt_unmap.c, and
/// lib/smmuv3/src/smmuv3_tlbi.c).
///
/// Each stream is behind its own SMMU (a device per SMMU, so a realm with several devices has
/// several SMMUs to invalidate): its TLB holds, per page of the IPA space, the translation a
/// device access cached, tagged with the VMID of the STE it used (the stream's cached STE's realm,
/// `steCachedRealm`). An invalidation command written to an SMMU's command queue takes effect when
/// the SMMU consumes it, at a moment of its choosing; a CMD_SYNC completes only once every earlier
/// command has. The RMM's RMI_DATA_DESTROY therefore has two steps: the command clears the S2TTE,
/// invalidates the PEs' TLBs and queues CMD_TLBI_S2_IPA on every SMMU; `RMM_CMD_SYNC` is the
/// completion of the CMD_SYNC it then waits for, after which the granule returns to DELEGATED.
struct SMMUTLBVariables {
  /// `iotlb[s][r][page]`: 0 when stream `s`'s SMMU caches no translation of the page tagged with
  /// realm `r`'s VMID, `g + 1` when it translates to granule `g` (Realm PAS for a protected page,
  /// Non-secure PAS otherwise).
  let iotlb: Variable
  /// `smmuTLBIQueued[s]`: a CMD_TLBI_S2_IPA for the pending unmap's page and VMID waits in
  /// stream `s`'s SMMU command queue.
  let tlbiQueued: Variable
  /// `unmapPending`: an RMI_DATA_DESTROY waits for its CMD_SYNC.
  let pending: Variable
  /// `unmapRealm`, `unmapPage`: the VMID (realm) and page of that unmap's invalidation.
  let realm: Variable
  let page: Variable
  /// `unmapGranule`: the DATA granule that returns to DELEGATED once the CMD_SYNC completes.
  let granule: Variable
  /// `unmapTable`: the level-3 RTT whose reference the entry held until then (TF-RMM drops the
  /// leaf RTT's reference after the drain, so the table and its realm stay live meanwhile).
  let table: Variable

  init(_ b: ModelBuilder, stream: Domain, granule: Domain, realm: Domain, granules: Int, pages: Int) {
    let pageDomain = Domain.index(IndexSort("Page", count: pages, arithmetic: true))
    iotlb = b.map(
      "iotlb", keys: [stream, realm, pageDomain], .range(0, Value(granules)),
      doc: "the stream's SMMU TLB entry for a VMID (realm) and page: 0 none, g + 1 granule g"
    ) { _ in 0 }
    tlbiQueued = b.map(
      "smmuTLBIQueued", keys: [stream], .bool, doc: "a CMD_TLBI_S2_IPA waits in the SMMU's command queue"
    ) { _ in false }
    pending = b.variable("unmapPending", .bool, doc: "an RMI_DATA_DESTROY waits for its CMD_SYNC", initial: false)
    self.realm = b.variable("unmapRealm", realm, doc: "the realm (VMID) of the pending unmap", initial: 0)
    page = b.variable("unmapPage", pageDomain, doc: "the page of the pending unmap", initial: 0)
    self.granule = b.variable("unmapGranule", granule, doc: "the DATA granule the pending unmap releases", initial: 0)
    table = b.variable("unmapTable", granule, doc: "the RTT whose reference the pending unmap holds", initial: 0)
  }
}
