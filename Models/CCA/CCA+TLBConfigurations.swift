import Spec

extension CCA {
  /// The configurations with translation caches (Docs/ADR/0008-translation-caches.md): each from
  /// boot, and the same bounds starting from a setup state.
  static let tlbConfigurations: [Configuration] = {
    func rmm(
      _ name: String, granules: Int, realms: Int, entries: Int, extra: [Configuration.Bound: Int],
      features: Set<Configuration.Feature>
    )
      -> Configuration
    {
      Configuration(
        name: name,
        bounds: [
          Bound.granules: granules, Bound.pes: 1, Bound.realms: realms, Bound.rttLevels: 1, Bound.rttEntries: entries,
          Bound.recs: 1,
        ].merging(extra) { a, _ in a }, features: features.union([Feature.rmm]))
    }
    func from(_ boot: Configuration, _ setup: Set<Configuration.Feature>) -> Configuration {
      var c = boot
      c.name = boot.name + "-setup"
      c.features.formUnion(setup)
      return c
    }
    let tlb = rmm("rmm-tlb", granules: 7, realms: 2, entries: 2, extra: [Bound.planes: 2], features: [Feature.s2TLB])
    let iotlb = rmm(
      "rmm-da-iotlb", granules: 7, realms: 1, entries: 2, extra: [Bound.devices: 1],
      features: [Feature.da, Feature.smmuTLB])
    let iotlb2 = rmm(
      "rmm-da-iotlb-2", granules: 9, realms: 1, entries: 4, extra: [Bound.devices: 2],
      features: [Feature.da, Feature.smmuTLB])
    let daSetup: Set<Configuration.Feature> = [Feature.daSetup, Feature.daSetupDMA]
    return [tlb, from(tlb, [Feature.tlbSetup]), iotlb, from(iotlb, daSetup), iotlb2, from(iotlb2, daSetup)]
  }()

  static let tlbConfigurationDocs: [String: String] = [
    "rmm-tlb": """
    RMM 1.0 with the PEs' stage-2 TLBs (s2-tlb): 7 granules, 1 PE, 2 realms with 2 planes (VMIDs) each, 1 REC, one \\
    level-3 RTT of 2 entries: realm accesses cached per PE and VMID and the RMM's TLBIs; depth-bounded BFS only
    """,
    "rmm-tlb-setup": """
    rmm-tlb starting with realm 0 ACTIVE (DATA at IPA 0, its REC running on PE 0) and realm 1 NEW (feature \\
    tlb-setup, 12 calls from boot): a DATA granule destroyed in one realm and created in the other within a few \\
    steps, with the stage-2 TLBs in between
    """,
    "rmm-da-iotlb": """
    rmm-da (7 granules, 1 PE, 1 realm, 1 REC, one level-3 RTT of 2 entries, 1 device) with the SMMU's TLB \
    (smmu-tlb): device DMA through the SMMU's TLB and RMI_DATA_DESTROY waiting for its CMD_SYNC; depth-bounded BFS only
    """,
    "rmm-da-iotlb-setup": """
    rmm-da-iotlb starting where the ACS DA flow stands with the VDEV STARTED and the realm's DMA enabled \
    (features da-setup, da-setup-dma: 28 calls from boot, a test replays them): device DMA, the unmap and its \
    CMD_SYNC, and the SMMU mutants within 4 steps; the BFS configuration of the SMMU targets
    """,
    "rmm-da-iotlb-2": """
    rmm-da-iotlb with two devices of one realm on two streams, each behind its own SMMU: 9 granules (a Non-secure \
    buffer, RD, RTT, DATA, REC and a PDEV and VDEV per device), one level-3 RTT of 4 entries (an RD counting its \
    REC and two VDEVs needs a reference count of 3); the ACS flow for both devices; depth-bounded BFS only
    """,
    "rmm-da-iotlb-2-setup": """
    rmm-da-iotlb-2 starting with both VDEVs STARTED and bound to realm 0 and DMA enabled on both (49 calls from \
    boot, a test replays them): an unmap that must reach both SMMUs; several streams per realm
    """,
  ]

  /// The translation-cache mutants, each a real TF-RMM bug (Docs/ADR/0008).
  static let tlbMutants: [Spec.Mutant] = [
    Spec.Mutant(
      name: MutantName.s2TLBIFirstVMIDOnly,
      doc: """
        The RMM's stage-2 TLB invalidation after an unmap reaches only the realm's first VMID: TF-RMM before 2052addb \\
        "fix(lib/s2tt): tlbi stage-2 ranges properly" (2026-07; reference/rme.md §5 M12), whose page loop in \\
        stage2_tlbi_ipa_per_vmids consumed the IPA and size while processing the first VMID, so the other planes' \\
        VMIDs skipped the TLBI IPAS2E1IS. A PE keeps plane 1's translation of an unmapped page: after RMI_DATA_DESTROY \\
        the granule goes to another realm, and the first realm, running in plane 1, reads (or overwrites) the other \\
        realm's data through the stale entry.
        """,
      breaks: [PropertyName.realmIsolation],
      configuration: "rmm-tlb-setup"),
    Spec.Mutant(
      name: MutantName.unmapSkipsSMMUTLBI,
      doc: """
        RMI_DATA_DESTROY invalidates the PEs' stage-2 TLBs but queues no SMMU TLB invalidation: TF-RMM before fdec9d8a \
        "feat(runtime/rmi): integrate calls to SMMU TLBI invalidation functions" (2025-12), when VDEV_CREATE already \
        pointed Realm STEs at the realm's plane-0 RTT (runtime/rmi/vdev.c, S2TTB and S2VMID) but the RTT commands issued \
        only the PEs' TLBIs (reference/rme.md §2.5 last bullet, §3.3 item 3). A device whose SMMU cached the \
        translation of the DATA page keeps reaching the granule after it returned to DELEGATED.
        """,
      breaks: [PropertyName.deviceAssignedOnly],
      configuration: "rmm-da-iotlb-setup"),
    Spec.Mutant(
      name: MutantName.smmuTLBIFirstStreamOnly,
      doc: """
        RMI_DATA_DESTROY queues the SMMU TLB invalidation on the first SMMU only, so a second device of the same realm, \
        behind another SMMU, keeps its cached translation: the loop-over-contexts class of TF-RMM 2052addb (the \
        invalidation consumed on the first VMID, the others skipped; reference/rme.md §5 M12) on the SMMU side, \
        where TF-RMM invalidates every active SMMU without broadcast TLB maintenance (smmuv3_inv_at_level_per_vmids). \
        No TF-RMM commit is known with exactly this shape: it is the model's multi-SMMU instance of that class.
        """,
      breaks: [PropertyName.deviceAssignedOnly],
      configuration: "rmm-da-iotlb-2-setup"),
    Spec.Mutant(
      name: MutantName.releaseBeforeCMDSync,
      doc: """
        RMI_DATA_DESTROY queues the SMMU TLBIs but returns the granule to DELEGATED without waiting for their CMD_SYNC \
        (reference/rme.md §2.5: only after the SMMU TLBI may the granule go back to DELEGATED). The completion-reported-\
        early class of TF-RMM 2ab0f889 "fix(lib/smmuv3): harden CMD_SYNC TLB invalidation" (2026-07), whose per-VMID \
        CMD_SYNCs shared one completion word, so completion could be seen after only the first VMID's TLBI. An SMMU \
        that has not yet consumed its TLBI lets the device reach the released granule.
        """,
      breaks: [PropertyName.deviceAssignedOnly],
      configuration: "rmm-da-iotlb-setup"),
  ]
}
