import Spec

extension CCA {
  /// The configurations of the Device Assignment model (the `da` feature on `rmm`) [1.1-UNSTABLE].
  static let daConfigurations: [Configuration] = [
    Configuration(
      name: "rmm-da",
      bounds: [
        Bound.granules: 7, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 1,
      ],
      features: [Feature.rmm, Feature.da]),
    Configuration(
      name: "rmm-da-setup",
      bounds: [
        Bound.granules: 7, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 1,
      ],
      features: [Feature.rmm, Feature.da, Feature.daSetup]),
    Configuration(
      name: "rmm-da-rtt",
      bounds: [
        Bound.granules: 4, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 2, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 1,
      ],
      features: [Feature.rmm, Feature.da]),
    Configuration(
      name: "rmm-da-mem",
      bounds: [
        Bound.granules: 8, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 4, Bound.recs: 1,
        Bound.devices: 1, Bound.devGranules: 1,
      ],
      features: [Feature.rmm, Feature.da]),
    Configuration(
      name: "rmm-da-mem-setup",
      bounds: [
        Bound.granules: 8, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 4, Bound.recs: 1,
        Bound.devices: 1, Bound.devGranules: 1,
      ],
      features: [Feature.rmm, Feature.da, Feature.daSetup]),
    Configuration(
      name: "rmm-da-mem-values",
      bounds: [
        Bound.granules: 8, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 4, Bound.recs: 1,
        Bound.devices: 1, Bound.devGranules: 1,
      ],
      features: [Feature.rmm, Feature.da, Feature.daSetup, Feature.allValues]),
    Configuration(
      name: "rmm-da-vdev",
      bounds: [
        Bound.granules: 7, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 1,
      ],
      features: [Feature.rmm, Feature.da, Feature.vdevComplete, Feature.wideNonces]),
    Configuration(
      name: "rmm-da-vdev-setup",
      bounds: [
        Bound.granules: 7, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 1,
      ],
      features: [Feature.rmm, Feature.da, Feature.vdevComplete, Feature.wideNonces, Feature.daSetup]),
    Configuration(
      name: "rmm-da-vdev-2-setup",
      bounds: [
        Bound.granules: 9, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 2,
      ],
      features: [Feature.rmm, Feature.da, Feature.vdevComplete, Feature.wideNonces, Feature.daSetup]),
    Configuration(
      name: "rmm-da-2tdi",
      bounds: [
        Bound.granules: 8, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 1, Bound.tdis: 2,
      ],
      features: [Feature.rmm, Feature.da]),
    Configuration(
      name: "rmm-da-2tdi-setup",
      bounds: [
        Bound.granules: 9, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 1, Bound.tdis: 2,
      ],
      features: [Feature.rmm, Feature.da, Feature.daSetup]),
    Configuration(
      name: "rmm-da-2tdi-2realm-setup",
      bounds: [
        Bound.granules: 11, Bound.pes: 1, Bound.realms: 2, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 1, Bound.tdis: 2,
      ],
      features: [Feature.rmm, Feature.da, Feature.daSetup]),
    Configuration(
      name: "rmm-da-vdev-2tdi-setup",
      bounds: [
        Bound.granules: 9, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 1, Bound.tdis: 2,
      ],
      features: [Feature.rmm, Feature.da, Feature.vdevComplete, Feature.wideNonces, Feature.daSetup]),
  ]

  static let daConfigurationDocs: [String: String] = [
    "rmm-da": """
    RMM 1.1 DA (pinned: TF-RMM rmm-spec-v1.x-aligned, ACS DA alpha), 7 granules (room for a Non-secure \
    buffer, RD, RTT, REC, DATA, PDEV and VDEV), 1 PE, 1 realm, 1 REC, one level-3 RTT of 2 entries, 1 device \
    (one stream, one TDI): the ACS flow from boot to a device whose DMA reaches the realm's DATA page; \
    depth-bounded BFS only (the flow is ~25 calls deep)
    """,
    "rmm-da-setup": """
    rmm-da starting where the ACS DA flow stands once the VDEV is STARTED (feature da-setup: realm 0 ACTIVE with a \
    DATA page at IPA 0 and its REC running on PE 0, a READY PDEV on stream 0 and its VDEV STARTED, DMA not enabled): a \
    state 27 calls from boot, so depth-bounded BFS reaches DMA enable, device DMA, unlock and the mutants in a few steps
    """,
    "rmm-da-rtt": """
    rmm-rtt's geometry (2 levels x 2 entries, starting level 2) with da: the configuration of the DA \
    conformance scenarios (Tests/Conformance/da-*.scenario), whose RMM 1.0 commands and conditions are \
    exactly rmm-rtt's; scenarios raise granules, realms and devices on their config line
    """,
    "rmm-da-mem": """
    rmm-da with device memory: 8 granules, the last one MMIO of the device (dev-granules 1), one level-3 RTT of 4 \
    entries (IPA 0x1000 protected and free for the device's memory): the ACS flow with VDEV_MAP, \
    RSI/RMI_VDEV_VALIDATE_MAPPING and the realm's accesses to device memory; depth-bounded BFS only
    """,
    "rmm-da-mem-setup": """
    rmm-da-mem starting where the ACS DA flow stands once the VDEV is STARTED (feature da-setup, as rmm-da-setup), \
    the device's MMIO granule DELEGATED and IPA 0x1000 UNASSIGNED with RIPAS EMPTY: mapping, validating and \
    accessing device memory, and the device-memory mutants, within a few steps
    """,
    "rmm-da-mem-values": """
    rmm-da-mem-setup with all-values: the device-memory commands' level, address and top registers and the \
    evidence RSI_VDEV_VALIDATE_MAPPING passes also take the values that fail their checks, a few steps from \
    the start state; depth-bounded BFS
    """,
    "rmm-da-vdev": """
    rmm-da with vdev-complete and wide-nonces [1.1-UNSTABLE]: the realm's RSI VDEV calls exit with \
    RMI_EXIT_VDEV_REQUEST, the host names the VDEV with RMI_VDEV_COMPLETE and RMI_REC_ENTER finishes the call; the \
    lock nonce and the measurement and report sequences are 2 bits and wrap; the configuration of \
    Tests/Conformance/da-vdev-complete.scenario (which raises granules and devices); depth-bounded BFS only
    """,
    "rmm-da-vdev-setup": """
    rmm-da-vdev starting where rmm-da-setup starts (feature da-setup: the VDEV STARTED, its REC running): the \
    round trip, evidence regenerated between the realm's request and its finish, within a few steps
    """,
    "rmm-da-vdev-2-setup": """
    rmm-da-vdev-setup with two devices of the realm, each VDEV STARTED (9 granules): the host may name the wrong \
    VDEV in RMI_VDEV_COMPLETE (mutant vdev-complete-skips-vdev-id)
    """,
    "rmm-da-2tdi": """
    rmm-da with one device of two TDIs (tdis 2) [1.1-UNSTABLE], 8 granules (room for a second VDEV): each TDI is \
    assigned by its own VDEV (VdevParams.tdi_id) on its own stream and Realm STE; the configuration of the \
    several-TDI induction (Proofs/slow/rmm-da-2tdi-properties-induction.toml); depth-bounded BFS only
    """,
    "rmm-da-2tdi-setup": """
    rmm-da-setup with one device of two TDIs (tdis 2) [1.1-UNSTABLE]: one READY PDEV whose TDIs 0 and 1 each have a     STARTED VDEV of realm 0, on streams 0 and 1 with their own Realm STEs, and a spare UNDELEGATED granule (9     granules) for a further VDEV: per-TDI DMA enable, device DMA, unlock and destroy, and VDEV_CREATE's tdi_id,     within a few steps
    """,
    "rmm-da-2tdi-2realm-setup": """
    rmm-da-2tdi-setup with the PDEV's TDIs in two realms [1.1-UNSTABLE]: TDI 0's STARTED VDEV is realm 0's (with \
    its REC running), TDI 1's is realm 1's (VMID 1, ACTIVE, its own RD and RTT, no REC); 11 granules: one realm's \
    DMA, unlock or destroy against the other's TDI, within a few steps
    """,
    "rmm-da-vdev-2tdi-setup": """
    rmm-da-2tdi-setup with vdev-complete and wide-nonces: the RSI VDEV calls' REC exit round trip with one \
    device's two TDIs STARTED (the host may name the device's other TDI in RMI_VDEV_COMPLETE)
    """,
  ]

  /// The DA mutants (reference/rme.md §5 M19 and the bug classes named in each).
  static let daMutants: [Spec.Mutant] = [
    Spec.Mutant(
      name: MutantName.dmaEnableWithoutNonceCheck,
      doc: """
        RSI_VDEV_DMA_ENABLE skips the three nonce checks (lock nonce, measurements sequence, report \
        sequence; reference/rme.md §3.2 item 3, §5 M19): the realm enables DMA for a device whose \
        interface report or measurements changed after it validated them (the host asked for a new report \
        or new measurements in between), so a device state the realm never accepted gets DMA into its \
        memory. The stale-evidence class of TF-RMM a773789a (§5 M14: state re-read without re-validation).
        """,
      breaks: [PropertyName.deviceAssignedOnly],
      configuration: "rmm-da-setup"),
    Spec.Mutant(
      name: MutantName.vdevUnlockKeepsSTE,
      doc: """
        RMI_VDEV_UNLOCK leaves the stream's Realm STE valid and the SMMU's cached copy (and its TLB \
        entries) in place, while the RMM records the VDEV's DMA as DISABLED (reference/rme.md §3.2: \
        UNLOCK must first disable the STE with CFGI_STE + CMD_SYNC; §5 M19; the missing-invalidation class \
        of TF-RMM 2052addb, §5 M12). The unlocked device keeps reaching the realm's memory.
        """,
      breaks: [PropertyName.deviceAssignedOnly, PropertyName.daWellformed],
      configuration: "rmm-da-setup"),
    Spec.Mutant(
      name: MutantName.dmaEnableSkipsStateCheck,
      doc: """
        RSI_VDEV_DMA_ENABLE does not check that the VDEV is STARTED (reference/rme.md §5 M19: "enable DMA \
        without checking nonces or the STARTED state"): the realm turns DMA on for a VDEV that is not STARTED \
        (LOCKED, or with its TDISP STOP_INTERFACE in flight), so the device's traffic reaches realm memory while \
        the interface is not in RUN.
        """,
      breaks: [PropertyName.deviceAssignedOnly],
      configuration: "rmm-da-setup"),
    Spec.Mutant(
      name: MutantName.vdevCreateSkipsPdevState,
      doc: """
        RMI_VDEV_CREATE does not check that the PDEV is READY (reference/rmm.md §3.3 pdev_ready): a VDEV is \
        created on a device whose SPDM authentication never finished (PDEV_NEW, NEEDS_KEY), the \
        missing-state-check class of TF-RMM 2b1d3b4d (reference/rme.md §5 M16) and of the model's \
        data-create-skips-state-check.
        """,
      breaks: [PropertyName.daWellformed],
      configuration: "rmm-da-setup"),
    Spec.Mutant(
      name: MutantName.dmaDisableKeepsSTECache,
      doc: """
        RSI_VDEV_DMA_DISABLE clears STE.V but issues no CFGI_STE / TLBI / CMD_SYNC, so the SMMU keeps its \
        cached copy of the STE and the TLB entries tagged with it (reference/rme.md §3.2 item 4, §3.3 item 3: \
        the invalidation must complete before the realm's memory is out of the device's reach). The bug \
        class of TF-RMM 2052addb (reference/rme.md §5 M12: a TLBI loop that missed VMIDs, leaving stale \
        entries) and of TF-A's missing GPT TLB invalidations (§5 M2, M3). The device's DMA keeps reaching \
        the realm's memory after the realm disabled it.
        """,
      breaks: [PropertyName.deviceAssignedOnly, PropertyName.daWellformed],
      configuration: "rmm-da-setup"),
    Spec.Mutant(
      name: MutantName.pdevStopIgnoresVdevs,
      doc: """
        RMI_PDEV_STOP skips num_vdevs (reference/rmm.md §3.2: STOP fails while the PDEV has VDEVs): the host \
        stops, and then destroys, a device whose TDI is still bound to a realm, so the VDEV and its Realm \
        STE outlive their PDEV (a use-after-free of the PDEV: the liveness class of the model's \
        realm-destroy-ignores-liveness and of TF-RMM a773789a, reference/rme.md §5 M14).
        """,
      breaks: [PropertyName.daWellformed],
      configuration: "rmm-da-setup"),
    Spec.Mutant(
      name: MutantName.vdevMapAcceptsUndelegated,
      doc: """
        RMI_VDEV_MAP skips addr_state and vdev_addr (reference/rmm.md §3.4: the device granule must be \
        DELEGATED, and MMIO of the VDEV's device): the host maps into the realm a device granule still in the \
        Non-secure PAS (which it keeps reading and writing behind the realm's back) or another device's MMIO. \
        The missing-state-check class of TF-RMM 2b1d3b4d (reference/rme.md §5 M16) and of the model's \
        data-create-skips-state-check, on device granules.
        """,
      breaks: [PropertyName.daWellformed],
      configuration: "rmm-da-mem-setup"),
    Spec.Mutant(
      name: MutantName.validateMappingSkipsPACheck,
      doc: """
        RMI_VDEV_VALIDATE_MAPPING does not compare the PA the entry maps with the PA the realm asked to validate \
        (reference/rmm.md §3.4: it "checks IPA→PA consistency with the realm-provided PA base"): the host maps \
        other MMIO (another function's registers, a page of its own choosing) where the realm expects its \
        device's, and the realm accepts it as RIPAS DEV. A skipped DA binding check, the class of \
        reference/rme.md §5 M19 (DA checks the RMM must make before trusting what the host set up). The \
        realm's later access to that MMIO also breaks device-assigned-only (DADeviceMemoryTests replays it: \
        5 steps, too deep for the debug-build BFS of every claimed property).
        """,
      breaks: [PropertyName.daWellformed],
      configuration: "rmm-da-mem-setup"),
    Spec.Mutant(
      name: MutantName.smmuGPINotInvalidated,
      doc: """
        EL3's GPT TLB invalidation on a granule transition does not reach the SMMU (reference/rme.md §3.1: TF-A \
        issues only the PEs' TLBI RPALOS / PAALLOS and never writes SMMU_ROOT_TLBI, relying on the SMMU \
        honouring broadcast invalidation; an SMMU outside the broadcast domain, or an EL3 that skips the \
        explicit SMMU invalidation, keeps the old GPI). A Non-secure-stream device whose SMMU cached GPI NS \
        for a granule keeps reaching it after RMI_GRANULE_DELEGATE made it Realm. The missing-GPT-TLB-\
        invalidation class of TF-A before 6a00e9b0c (reference/rme.md §5 M1-M3), on the SMMU's TLB.
        """,
      breaks: [PropertyName.deviceAssignedOnly, PropertyName.daWellformed],
      configuration: "rmm-da-setup"),
    Spec.Mutant(
      name: MutantName.vdevCompleteSkipsVdevID,
      doc: """
        RMI_VDEV_COMPLETE does not compare the VDEV's ID with the vdev_id the realm asked about, and the finish in \
        RMI_REC_ENTER does not either (TF-RMM rmm-spec-v1.x-aligned `smc_vdev_complete` checks `rec->vdev.vdev_id \
        != vd->id`; reference/rmm.md §3.3 `vdev_id`): the host answers the realm's RSI_VDEV_DMA_ENABLE for one TDI \
        with another TDI of the realm whose evidence happens to match, so a device the realm never verified gets \
        DMA into its memory. A skipped binding check, the class of reference/rme.md §5 M19.
        """,
      breaks: [PropertyName.daWellformed],
      configuration: "rmm-da-vdev-2-setup"),
    Spec.Mutant(
      name: MutantName.dmaEnableChecksAtRequest,
      doc: """
        With the REC exit round trip, RSI_VDEV_DMA_ENABLE checks the VDEV's state and evidence when the realm asks \
        (before the REC exits), and RMI_REC_ENTER's finish enables DMA without checking again (TF-RMM \
        rmm-spec-v1.x-aligned checks them in `finish_rsi_vdev_dma_enable`, under the VDEV's lock): between the \
        exit and the finish the host asks for new measurements, or unlocks the TDI, and the realm's stale approval \
        enables DMA. A time-of-check-to-time-of-use bug, the stale-state class of TF-RMM a773789a (reference/rme.md \
        §5 M14).
        """,
      breaks: [PropertyName.daWellformed],
      configuration: "rmm-da-vdev-setup"),
    Spec.Mutant(
      name: MutantName.dmaEnableUsesDeviceSTE,
      doc: """
        With several TDIs per device, RSI_VDEV_DMA_ENABLE sets STE.V on the device's first stream (its RID base, \
        TDI 0) instead of the stream of the VDEV's own TDI: the RMM indexes the stream table by the PDEV, not by \
        VdevParams.tdi_id as TF-RMM rmm-spec-v1.x-aligned does (`smmuv3_enable_ste(SMMU_IDX, vd->tdi_id)`). The \
        realm enables DMA for TDI 1 and TDI 0's traffic, whose evidence it never accepted for DMA, reaches its \
        memory. A wrong-index bug in DA's binding of TDI to STE, the class of reference/rme.md §5 M19.
        """,
      breaks: [PropertyName.deviceAssignedOnly, PropertyName.daWellformed],
      configuration: "rmm-da-2tdi-setup"),
  ]
}
