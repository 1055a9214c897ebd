import Spec

/// The PEs' stage-2 TLBs (the `s2-tlb` feature, on `rmm`): per PE, per VMID (realm and plane),
/// per page of the IPA space, the translation a realm access cached (reference/rme.md §2.5: the
/// RMM clears the S2TTE, then invalidates the stage-2 TLB for every VMID of the realm before the
/// granule may leave the realm; TF-RMM `stage2_tlbi_ipa_per_vmids`, lib/s2tt/src/s2tt.c).
///
/// A realm's VMIDs are its planes' (RMM 1.1 planes with indirect S2AP: one RTT, one VMID per
/// plane); realm slot `r` plane `p` is VMID (r, p). Only leaf translations are cached (no walk
/// caches: the model's RTTs are walked atomically) and only translations to DRAM (a translation
/// to MMIO changes nothing when used). An entry stays until a TLBI drops it: spontaneous
/// eviction would only make a later access walk the current RTT, which it may do anyway.
struct S2TLBVariables {
  /// Planes per realm, hence VMIDs per realm (the `planes` bound).
  let planes: Int
  /// The pages of the IPA space (the key of a TLB entry; the page of an IPA is computed).
  let pageSort: IndexSort
  /// The planes of a realm.
  let planeSort: IndexSort
  /// `s2TLB[pe][realm][plane][page]`: 0 when no entry, `g + 1` when the page translates to
  /// granule `g` (in the Realm PAS for a protected page, the Non-secure PAS otherwise).
  let entry: Variable

  init(_ b: ModelBuilder, pe: Domain, realm: Domain, granules: Int, planes: Int, pages: Int) {
    self.planes = planes
    let pageSort = IndexSort("Page", count: pages, arithmetic: true)
    let planeSort = IndexSort("Plane", count: planes)
    self.pageSort = pageSort
    self.planeSort = planeSort
    entry = b.map(
      "s2TLB", keys: [pe, realm, .index(planeSort), .index(pageSort)], .range(0, Value(granules)),
      doc: "the PE's stage-2 TLB entry for a VMID (realm, plane) and page: 0 none, g + 1 granule g"
    ) { _ in 0 }
  }
}
