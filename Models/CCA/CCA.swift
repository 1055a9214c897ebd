import Spec

/// The Arm CCA specification model: memory and the GPT (RME), EL3's granule transitions, and the
/// RMM's granule commands, with the Non-secure hypervisor as the attacker.
///
/// Engines and the command line reach the model only through ``family``: its configurations,
/// mutants and the documentation of its properties, bounds and features.
///
/// ```swift
/// let model = try CCA.family.build(CCA.family.configurations[0])   // "standard": fine mode
/// ```
public enum CCA {
  /// The family's name.
  public static let name = "cca"

  /// The most granules a configuration may have (the `granules` bound): 4 MB of DRAM, 64 GPT descriptor words.
  ///
  /// With the RMM, `granules × rtt-entries` is bounded too (``RMMBuilder/maxRTTCells``): 128 granules at the
  /// architecture's 512-entry tables.
  public static let maxGranules = 1024

  /// The model family `cca`.
  public static let family = ModelFamily(
    name: name,
    doc: """
      Arm CCA: granules with real PAs, GPIs packed 16 to an L1 descriptor word, per-PE GPT TLBs, \
      PAS-tagged data caches with speculative fills, EL3's RMM_GTSI_DELEGATE / UNDELEGATE sequences \
      (TF-A's order in fine mode, one step in atomic mode), RMI_GRANULE_DELEGATE / UNDELEGATE with \
      the RMM's scrub, a realm stand-in, and a Non-secure hypervisor reading and writing any address \
      on any PE. Memory is unencrypted unless a configuration selects per-PAS or per-realm (MEC) \
      encryption.
      """,
    configurations: configurations + rmmConfigurations + encryptionConfigurations + daConfigurations
      + tlbConfigurations + parametricConfigurations,
    configurationDocs: configurationDocs.merging(rmmConfigurationDocs) { a, _ in a }
      .merging(encryptionConfigurationDocs) { a, _ in a }.merging(daConfigurationDocs) { a, _ in a }
      .merging(tlbConfigurationDocs) { a, _ in a }.merging(parametricConfigurationDocs) { a, _ in a },
    mutants: mutants + daMutants + tlbMutants,
    propertyDocs: PropertyName.all.map { ($0, propertyDoc[$0] ?? "") },
    boundDocs: [
      Bound.granules: """
      delegable DRAM granules at PA 0x8000_0000 + i × 0x1000 (1 to 1024; 16 per GPT descriptor word; with rmm, \
      granules × rtt-entries at most 65,536: 128 at 512 entries)
      """,
      Bound.pes: "processing elements (1 to 8); the host, the RMM, EL3 and realms all run on them",
      Bound.realms: "realms, hence REALM_r content labels (1 to 8); with rmm, the VMIDs",
      Bound.rttLevels: "rmm: RTT levels, ending at level 3 (1 to 4; default 2)",
      Bound.rttEntries: "rmm: entries per RTT, a power of 2 (2 to 512; default 2)",
      Bound.recs: "rmm: RECs per realm, hence MPIDR indices (1 to 4; default 1)",
      Bound.maxMECID:
        "rmm with per-realm: MAX_MECID, RmiFeatureRegister1 (0 to 7; default 1): realm MECIDs 0 ... MAX_MECID",
      Bound.recAux: "rmm: RecAuxCount, the auxiliary granules each REC takes (0 to 16; default 0; TF-RMM: 16)",
      Bound.devices: """
      da: physical devices, hence SMMU streams, PDEVs and TDIs (1 to 4; default 1); with da-setup 1 or 2, every \
      device's VDEV bound to realm 0
      """,
      Bound.devGranules: """
      da: device-memory (MMIO) granules per device (0 to 2; default 0), the last granules of the map; with 0 the \
      device-memory commands (VDEV_MAP, VDEV_UNMAP, VDEV_VALIDATE_MAPPING, RSI_VDEV_VALIDATE_MAPPING) are left out
      """,
      Bound.tdis: """
      da: TDIs (interfaces) per device (1 to 4; default 1; devices × tdis at most 4), each assigned by its own VDEV \
      (VdevParams.tdi_id) with its own stream and Realm STE: device d's TDI t is stream d × tdis + t; with da-setup 1 \
      or 2, every TDI's VDEV bound to realm 0, and with 2 one spare granule; not with dev-granules
      """,
      Bound.planes: """
      s2-tlb: planes per realm (1 to 2; default 1), hence VMIDs per realm (RMM 1.1 planes with indirect S2AP: one \
      RTT, a VMID per plane); with 2 the realm's accesses name the plane they run in
      """,
    ],
    featureDocs: [
      Feature.fine:
        "fine-grained transitions: each EL3 step of a delegate or undelegate is its own action, interleaved with other PEs",
      Feature.parametric: """
      the parametric abstraction (Docs/ADR/0003-parametric-abstraction.md): one GPI per granule instead of 64-bit \
      descriptor words, and addresses as (address class, granule) instead of PAs, so nothing computes with granule \
      indices and the Granule sort can be uninterpreted (parametric proofs for any number of granules)
      """,
      Feature.rmm: """
      the RMM 1.0 model (reference/rmm.md) in place of the realm stand-in: granule states RD, REC, DATA, RTT with \
      owners and reference counts, realms, RECs, RTTs of the rtt-levels x rtt-entries geometry, the RMI commands \
      and realms running through their RTTs and the GPC; atomic GPT transitions only
      """,
      Feature.perPAS: """
      per-PAS memory encryption (reference/rme.md §4.1: one key per PAS, CCA's requirement for external memory \
      without MEC): memory records the PAS key it was written under and a read through the other PAS returns \
      CIPHERTEXT; excludes per-realm
      """,
      Feature.perRealm: """
      per-realm memory encryption, FEAT_MEC (reference/rme.md §4, reference/rmm.md §3.5, RMM 1.1 beta): each \
      realm's data under its MECID's key, Non-secure and RMM accesses under MECID 0, Realm cache lines tagged \
      with their MECID; with rmm, MECID states, RealmParams.mecid, RMI_MEC_SET_SHARED / PRIVATE and the key \
      refresh on release; excludes per-pas
      """,
      Feature.mecidLines: """
      with rmm and per-realm: MEC at the fidelity of reference/rme.md §2.5, §4.1 (Docs/ADR/0009-mecid-tagged-caches.md): \
      a Realm-PAS cache line per granule and MECID, so copies of one granule under several MECIDs coexist; a \
      write-back encrypts under the line's MECID; DC CIPAPA cleans every copy; the RMM's release to DELEGATED is \
      TF-RMM's DC CIPAE of every copy (no zeroing), its undelegate scrub writes under MECID 0 and its \
      initialisation of DATA and RTT granules under the realm's MECID; adds the property no-stale-realm-copy
      """,
      Feature.da: """
      RMM 1.1 Device Assignment on top of rmm [1.1-UNSTABLE; pinned to TF-RMM rmm-spec-v1.x-aligned and the \
      ACS DA alpha]: PDEV and VDEV granules with their state machines and RMI commands, the realm's RSI VDEV \
      calls with the three nonce checks, the SMMU's Realm stream table entries and their cache, and device \
      DMA to any address as attacker actions (Docs/ADR/0005-device-assignment.md)
      """,
      Feature.s2TLB: tlbFeatureDocs[Feature.s2TLB] ?? "",
      Feature.tlbSetup: tlbFeatureDocs[Feature.tlbSetup] ?? "",
      Feature.smmuTLB: tlbFeatureDocs[Feature.smmuTLB] ?? "",
      Feature.daSetupDMA: tlbFeatureDocs[Feature.daSetupDMA] ?? "",
      Feature.blocks: """
      with rmm: block mappings at levels 1 and 2 (reference/rmm.md §2.15-§2.19; TF-RMM rmm-spec-v1.0-rel0): \
      RMI_RTT_MAP_UNPROTECTED and RMI_RTT_UNMAP_UNPROTECTED at levels 1 and 2 (S2TT_MIN_BLOCK_LEVEL) with a \
      block-aligned descriptor (addr_align), RMI_RTT_FOLD of a table of ASSIGNED_NS entries with one set of \
      attributes and contiguous PAs into a block, RMI_RTT_CREATE under such a block (the new table's entries \
      map the block's pages), and realm accesses through a block; protected (ASSIGNED) blocks: RMI_RTT_FOLD of \
      a table of ASSIGNED entries with one RIPAS mapping contiguous DATA granules into a block (the block entry \
      keeps the table link's reference), RMI_RTT_CREATE under it (entry i maps the block's granule i, the new \
      RTT holds one reference per entry), realm, RSI and device accesses through it at the page's offset; DATA \
      commands under a block fail rtt_walk at its level (rmm-blocks, rmm-blocks-setup)
      """,
      Feature.blocksSetup: """
      with blocks: the model starts with realm 0 ACTIVE, its REC running on PE 0, and two DATA pages at IPA 0 \
      and 0x1000 in a level-3 RTT, contiguous and 8 KB aligned, 13 calls from boot (a test replays them), so \
      a bounded search reaches protected blocks within a step (rmm-blocks-setup)
      """,
      Feature.allValues: """
      with rmm: every register the other configurations pin to one value also takes the values that reach its \
      other branches (RSI_IPA_STATE_SET's flags with RSI_CHANGE_DESTROYED, PDEV_CREATE's and VDEV_CREATE's \
      num_aux, REC_CREATE's MPIDR and num_aux, REALM_CREATE's hash algorithm, s2sz and starting level and \
      count, DATA_CREATE's flags, the VERSION requests, RSI_HOST_CALL's imm; the IPA, top and level registers \
      of the RTT, DATA, RIPAS and device-memory commands with an unaligned IPA, the end of the IPA space, tops \
      that fail the range checks and levels outside the command's range; PSCI targets without a REC, \
      RSI_MEASUREMENT_EXTEND's index and size, REC_EXIT's reasons, RecRun.enter's list register, the VDEV \
      evidence the realm passes), so a search explores every failure condition and branch over them (cca-verify \
      coverage shows which it reached); more argument tuples per state, so configurations of their own \
      (rmm-small-values, rmm-rtt-values, rmm-da-values)
      """,
      Feature.realmParamsValues: """
      with rmm: RMI_REALM_CREATE's RealmParams feature fields (flags LPA2, SVE and PMU; num_bps, num_wps, \
      pmu_num_ctrs 0, supported and above RMI_FEATURES' count) take the values that reach every clause of \
      params_supp; apart from all-values because they multiply REALM_CREATE's argument tuples by 108 \
      (rmm-params-values)
      """,
      Feature.attest: """
      with rmm: RSI_ATTESTATION_TOKEN_INIT and RSI_ATTESTATION_TOKEN_CONTINUE (reference/rmm.md §5) with each REC's \
      attest_state and the progress through an abstract token of a fixed length (RSI.attestTokenLength bytes), \
      written into the realm's buffer granule; rmm-full has it, the exhaustive configurations do not (their state \
      spaces and proofs stay as they were)
      """,
      Feature.vdevComplete: """
      with da [1.1-UNSTABLE, TF-RMM rmm-spec-v1.x-aligned]: RSI_VDEV_GET_INFO, RSI_VDEV_DMA_ENABLE and \
      RSI_VDEV_DMA_DISABLE exit to the host with RMI_EXIT_VDEV_REQUEST (8) and the vdev_id; RMI_VDEV_COMPLETE (rec, \
      vdev) names the VDEV (failure conditions pending, owner, vdev_id, vdev_state); the next RMI_REC_ENTER \
      finishes the call against the VDEV as it is then (DMA_ENABLE checks the state and evidence there) and the \
      realm sees the result in X0; each REC holds its pending call (rmm-da-vdev, rmm-da-vdev-setup)
      """,
      Feature.wideNonces: """
      with da [1.1-UNSTABLE]: the VDEV's lock nonce, measurement and interface report sequences are 2 bits wide \
      (0..3) and wrap, so a stale generation comes back only after 4 regenerations (1 bit: after 2) and the realm \
      passes any of 4 values (rmm-da-vdev)
      """,
      Feature.daSetup: """
      with da: the model starts where the ACS DA flow stands once the VDEV is STARTED (realm 0 ACTIVE with a DATA \
      page and a running REC, a READY PDEV, its VDEV STARTED with evidence generated, DMA not yet enabled), a \
      state 27 calls from boot (a test replays them), so bounded searches reach DMA within a few steps; with tdis 2 and \
      realms 2 (rmm-da-2tdi-2realm-setup) the second TDI's VDEV is realm 1's (its own RD and RTT, no REC)
      """,
    ],
    build: { configuration in try applyingFailurePatches(try CCABuilder(configuration: configuration).build()) })

  /// The documentation of the translation-cache features (Docs/ADR/0008-translation-caches.md).
  static let tlbFeatureDocs: [Configuration.Feature: String] = [
    Feature.s2TLB: """
    with rmm: a stage-2 TLB per PE and VMID (realm and plane), filled by the realm's accesses, which hit it \
    before walking the RTT; the RMM's TLBI IPAS2E1IS + DSB + TLBI VMALLE1IS + DSB for every VMID of the realm after \
    DATA_DESTROY of a valid entry, RTT_SET_RIPAS to EMPTY of an ASSIGNED RAM entry, RTT_UNMAP_UNPROTECTED and \
    RTT_DESTROY (TF-RMM rmm-spec-v1.0-rel0's sequences); at most 16 pages of IPA space
    """,
    Feature.tlbSetup: """
    with s2-tlb: the model starts with realm 0 ACTIVE (a DATA page at IPA 0, its REC running on PE 0) and realm 1 \
    NEW (RD and RTT), a state 12 calls from boot on rmm-tlb (a test replays them), so bounded searches reach a \
    granule handed from one realm to the other within a few steps
    """,
    Feature.smmuTLB: """
    with da: a stage-2 TLB per SMMU (one SMMU per stream) tagged with the STE's VMID, filled by device DMA, which \
    hits it before walking the RTT; invalidation commands queued per SMMU that take effect when the SMMU consumes \
    them, and the RMM's RMI_DATA_DESTROY in two steps: clear the S2TTE, TLBI the PEs, queue CMD_TLBI_S2_IPA on every \
    SMMU; then, once the CMD_SYNC completes (RMM_CMD_SYNC), the granule returns to DELEGATED (TF-RMM rtt_unmap.c)
    """,
    Feature.daSetupDMA: """
    with da-setup: the realm has also enabled DMA on every device (RSI_VDEV_DMA_ENABLE with the current evidence), \
    so device DMA into the realm's DATA page is one step away
    """,
  ]

  /// Bound names.
  public enum Bound {
    public static let granules: Configuration.Bound = "granules"
    public static let pes: Configuration.Bound = "pes"
    public static let realms: Configuration.Bound = "realms"
    /// RTT levels (the `rmm` feature).
    public static let rttLevels: Configuration.Bound = "rtt-levels"
    /// Entries per RTT (the `rmm` feature).
    public static let rttEntries: Configuration.Bound = "rtt-entries"
    /// RECs per realm (the `rmm` feature).
    public static let recs: Configuration.Bound = "recs"
    /// MAX_MECID (the `rmm` feature with `per-realm`).
    public static let maxMECID: Configuration.Bound = "max-mecid"
    /// RecAuxCount, the auxiliary granules of every REC (the `rmm` feature).
    public static let recAux: Configuration.Bound = "rec-aux"
    /// Physical devices, hence SMMU streams (the `da` feature).
    public static let devices: Configuration.Bound = "devices"
    /// Device-memory granules per device (the `da` feature).
    public static let devGranules: Configuration.Bound = "dev-granules"
    /// TDIs (interfaces) per device, each with its own stream and Realm STE (the `da` feature; 1 by default).
    public static let tdis: Configuration.Bound = "tdis"
    /// Planes per realm, hence VMIDs per realm (the `s2-tlb` feature).
    public static let planes: Configuration.Bound = "planes"
  }

  /// Feature switch names.
  public enum Feature {
    /// EL3's transition steps interleave with other PEs' actions.
    public static let fine: Configuration.Feature = "fine"
    /// The parametric abstraction: a GPI per granule and addresses as (class, granule), so the
    /// Granule sort is a pure index sort (no arithmetic) and may be made uninterpreted.
    public static let parametric: Configuration.Feature = "parametric"
    /// The RMM 1.0 model replaces the realm stand-in.
    public static let rmm: Configuration.Feature = "rmm"
    /// One encryption key per PAS (``Encryption/perPAS``).
    public static let perPAS: Configuration.Feature = "per-pas"
    /// One encryption key per realm MECID: FEAT_MEC (``Encryption/perRealm``).
    public static let perRealm: Configuration.Feature = "per-realm"
    /// With `rmm` and `per-realm`: Realm-PAS cache lines per MECID, several copies of one granule
    /// (``LineTag``; Docs/ADR/0009-mecid-tagged-caches.md).
    public static let mecidLines: Configuration.Feature = "mecid-lines"
    /// Pinned registers take every value that reaches a branch (``RMMBuilder/register(_:_:allValues:)``).
    public static let allValues: Configuration.Feature = "all-values"
    /// RMI_REALM_CREATE's RealmParams feature fields take every value that reaches a clause of params_supp
    /// (``RMMBuilder/realmParamsFields``).
    public static let realmParamsValues: Configuration.Feature = "realm-params-values"
    /// Block mappings: RTT_MAP_UNPROTECTED and RTT_UNMAP_UNPROTECTED at levels 1 and 2, folds of ASSIGNED_NS and
    /// ASSIGNED tables into blocks, RTT_CREATE under a block (``RMMBuilder/blocks``).
    public static let blocks: Configuration.Feature = "blocks"
    /// With `blocks`: start one RMI_RTT_FOLD away from a protected block (``RMMBuilder/declareBlocksSetupStart()``).
    public static let blocksSetup: Configuration.Feature = "blocks-setup"
    /// RMM 1.1 Device Assignment (requires `rmm`).
    public static let da: Configuration.Feature = "da"
    /// With `da`: start where the ACS DA flow stands before VDEV_START (``DABuilder/declareSetupStart()``).
    public static let daSetup: Configuration.Feature = "da-setup"
    /// With `rmm`: the PEs' stage-2 TLBs and the RMM's TLBIs (Docs/ADR/0008).
    public static let s2TLB: Configuration.Feature = "s2-tlb"
    /// With `s2-tlb`: start with two realms, one running (``RMMBuilder/declareTLBSetupStart()``).
    public static let tlbSetup: Configuration.Feature = "tlb-setup"
    /// With `da`: the SMMUs' stage-2 TLBs, command queues and CMD_SYNC (Docs/ADR/0008).
    public static let smmuTLB: Configuration.Feature = "smmu-tlb"
    /// With `da-setup`: the realm has also enabled DMA on every device.
    public static let daSetupDMA: Configuration.Feature = "da-setup-dma"
    /// With `rmm`: RSI attestation, the RECs' attestation state (``RMMBuilder/declareAttestation()``).
    public static let attest: Configuration.Feature = "attest"
    /// With `da`: the realm's RSI VDEV calls exit with RMI_EXIT_VDEV_REQUEST, RMI_VDEV_COMPLETE names the VDEV and
    /// RMI_REC_ENTER finishes the call (``DABuilder/declareVdevComplete()``) [1.1-UNSTABLE].
    public static let vdevComplete: Configuration.Feature = "vdev-complete"
    /// With `da`: the VDEV's lock nonce and measurement and report sequences are 2 bits wide, not 1, and wrap
    /// (``DABuilder/nonceValues``) [1.1-UNSTABLE].
    public static let wideNonces: Configuration.Feature = "wide-nonces"
  }

  /// Property names.
  public enum PropertyName {
    public static let hypNoRealmRead = "hyp-no-realm-read"
    public static let hypNoRealmWrite = "hyp-no-realm-write"
    public static let gptConsistent = "gpt-consistent"
    public static let delegatedClean = "delegated-clean"
    public static let realmIsolation = "realm-isolation"
    public static let rmmWellformed = "rmm-wellformed"
    public static let mecUnique = "mec-unique"
    public static let deviceAssignedOnly = "device-assigned-only"
    public static let daWellformed = "da-wellformed"
    public static let noStaleRealmCopy = "no-stale-realm-copy"
    public static let failedCallChangesNothing = "failed-call-changes-nothing"
    public static let realmDataUnderOwnMECID = "realm-data-under-own-mecid"
    public static let dmaVerifiedOnlyWhileEnabled = "dma-verified-only-while-enabled"
    public static let readReturnsLastWrite = "read-returns-last-write"
    public static let cleanLineMatchesMemory = "clean-line-matches-memory"
    public static let noDirtyLineAfterRelease = "no-dirty-line-after-release"
    /// In report order.
    public static let all = [
      hypNoRealmRead, hypNoRealmWrite, gptConsistent, delegatedClean, realmIsolation, rmmWellformed, mecUnique,
      realmDataUnderOwnMECID, readReturnsLastWrite, cleanLineMatchesMemory, noDirtyLineAfterRelease,
      deviceAssignedOnly, daWellformed,
      dmaVerifiedOnlyWhileEnabled,
      noStaleRealmCopy,
      failedCallChangesNothing,
    ]
  }

  /// The documentation of each property.
  static let propertyDoc: [String: String] = [
    PropertyName.failedCallChangesNothing: """
    A transition property: every RMI and RSI call that returns an error leaves the whole state as it was \
    (reference/rmm.md §2: the footprint is what changes on success, everything else must be unchanged on \
    failure). The model's calls return their outputs in registers, not in state, so no variable is exempt. \
    Broken by a command that sets state and then returns an error.
    """,
    PropertyName.hypNoRealmRead: """
    Monitor: no Non-secure read that passes the GPC returns realm plaintext (a REALM_r label), \
    whether it hits the NS-alias cache line or misses and reads memory (confidentiality). With \
    per-pas or per-realm encryption the read decrypts under the NS key, so realm data written \
    through the Realm PAS returns CIPHERTEXT, which is not a leak.
    """,
    PropertyName.hypNoRealmWrite: """
    Monitor: no Non-secure data lands on a granule holding realm data. Non-secure writes change \
    only the NS-alias line; they reach the granule when that line, dirty, is written back (by \
    eviction or DC CIPAPA). The monitor fires when such a write-back happens while the granule's \
    memory holds a REALM_r label or its Realm-alias line is valid with one (integrity). It looks at \
    labels, not keys: under encryption the host can only write values that decrypt to garbage in \
    the Realm PAS, and garbage in place of a realm's data is still a change of it.
    """,
    PropertyName.gptConsistent: """
    For every granule with no RMI command in flight: the RMM state is UNDELEGATED exactly when \
    the GPI is NS and DELEGATED exactly when it is REALM, and every PE's valid cached GPI equals \
    the GPT's.
    """,
    PropertyName.delegatedClean: """
    No one can observe a DELEGATED granule's old contents after it leaves: an UNDELEGATED granule \
    with no command in flight holds no REALM_r label, neither in memory nor in a valid line of \
    either alias.
    """,
    PropertyName.realmIsolation: """
    Monitor (rmm): a realm never reads another realm's plaintext (a REALM_r' label, r' its own r) \
    nor writes over the data of another live realm, through any IPA of its RTT (a destroyed realm's \
    leftovers are a confidentiality matter: reading them is the leak). Under per-realm encryption a \
    read of another realm's data under the reader's own MECID returns CIPHERTEXT, which is not a \
    leak; a write over a live realm's data is still a change.
    """,
    PropertyName.rmmWellformed: """
    Invariant (rmm): reference counts (an RD's is its number of RECs, an RTT's its number of TABLE \
    and ASSIGNED entries, a REC's 1 exactly while a PE runs it), ownership (every RD, REC, DATA and \
    RTT granule belongs to a live realm whose RD, RTTs and entries point back at it; DELEGATED and \
    UNDELEGATED granules have no owner), the RTT tree's shape (entries exist only under TABLE \
    entries, TABLE only above level 3, RIPAS only for protected IPAs) and one RTT entry per DATA \
    granule.
    """,
    PropertyName.mecUnique: """
    Invariant (rmm with per-realm): the MEC states agree with the live realms' MECIDs: a SHARED MEC's \
    member count is its number of live realms, a PRIVATE_ASSIGNED MEC has exactly one live realm, a \
    PRIVATE_UNASSIGNED MEC none, and its key has been refreshed since its previous owner (so no two \
    live realms share a private MECID, and a new owner cannot decrypt the old owner's data); at most \
    one MEC is SHARED, and with none the member count is 0.
    """,
    PropertyName.realmDataUnderOwnMECID: """
    Invariant (per-realm, without mecid-lines): realm r's data is encrypted under r's own MECID: a valid \
    Realm-alias line holding a REALM_r label carries realm r's MECID tag, and memory holding one was \
    written under that MECID, never under the RMM's MECID 0 or another realm's (reference/rme.md §4.1: \
    each (Realm PAS, MECID) pair has its own key, a line is tagged with the MECID of the access that \
    wrote it, and a write-back uses the line's MECID). Stronger than the lemmas that ask only for a \
    Realm-PAS key (realm-lines-tagged-with-realm-keys, realm-data-under-realm-keys): data of realm r \
    written back under MECID 0 is readable by the RMM's own mappings and by anything else that runs \
    under MECID 0, which is what per-realm keys exist to prevent. Broken by a realm access that tags \
    its line with the RMM's MECID (the mutant replace-value/REALM_WRITE/4=1 of the mutation report, \
    Docs/mutation/atomic-per-realm.md).
    """,
    PropertyName.readReturnsLastWrite: """
    Invariant (the realm stand-in, and the RMM unless per-realm): memory is functional. For every granule with no RMI command in \
    flight, a read through the PAS alias of the granule's last write, under that write's encryption context, returns \
    what was written: the host's HOST through the Non-secure alias under NS, a realm's REALM_r and the RMM's scrub \
    (ZERO) through the Realm alias under the writer's context. The last write is a ghost (lastWrite, a monitor \
    variable: the abstract memory) that NS_WRITE, REALM_WRITE and the undelegate scrub set, and with the RMM also \
    device DMA writes, RSI writes of a structure, DATA_CREATE's copy and every scrub of an object's creation or \
    release (not declared with the RMM under per-realm, where a MECID change rewrites memory); the read is the one the \
    actions use (a valid line of the alias, decrypted with the line's context, else memory as read under the \
    context). The caches, write-backs, fills and the key contexts are the implementation it checks: a dirty line \
    evicted without its write-back, a line left valid with stale or wrong data, a write recorded with another label, \
    or a scrub recorded under another MECID all break it (reference/rme.md §2.3, §2.4: the CMOs exist so that \
    "reads see the scrubbed memory"; §4.1: a write-back uses the line's MECID). A property, not a lemma: the \
    isolation properties ask only where realm data is, never whether a write survives, so a lost or mislabelled \
    write of the host's or a realm's own data breaks none of them (the NS-line and realm-line gaps of \
    Docs/mutation/atomic-per-realm.md). Only the alias of the last write is read: the other alias may hold a stale \
    speculative copy, which the GPC keeps out of reach and the transition's CMOs drop.
    """,
    PropertyName.noDirtyLineAfterRelease: """
    Invariant (the RMM without mecid-lines or per-realm): no write of a granule's old owner outlives its release. For \
    every granule with no RMI command in flight, a DIRTY Realm-alias line is on a DATA granule: the only writes \
    through the Realm alias are a realm's to its DATA (REALM_WRITE, DMA, the RSI calls that write a structure), and \
    every path out of DATA (RMI_DATA_DESTROY, the RMM's scrub on release) drops the line with the zeroes it writes. A \
    dirty line left on a DELEGATED granule is a pending write-back the next owner's data can be overwritten by \
    (reference/rme.md §2.4 step 1: "a write between the cache flush and the final switch could survive and later be \
    written back"); the functional half of the scrub that read-returns-last-write does not see while the line holds \
    ZERO. Found by the mutation report Docs/mutation/rmm-tlb-setup-destroy.md (a destroy that leaves the line DIRTY).
    """,
    PropertyName.cleanLineMatchesMemory: """
    Invariant (atomic mode: the realm stand-in, and the RMM unless per-realm): the caches are coherent with memory where the granule's owner \
    reads. For every granule with no RMI command in flight, a CLEAN line of the alias its state gives access to \
    (Non-secure for UNDELEGATED, Realm for DELEGATED) holds what memory holds, as read under the line's context: a \
    CLEAN line is by definition an unmodified copy of memory (LineState), so a read that hits it returns what a \
    miss would. The other alias may keep a stale copy, which the GPC keeps out of reach and the next transition's \
    target-alias clean drops. This is the half of functional memory read-returns-last-write does not see: that \
    property reads through the alias of the last write, so a stale line left valid in the *other* alias by a \
    transition that skips its target-alias invalidate breaks only this one (reference/rme.md §2.3 step 1, §2.4 \
    step 3: the target alias is cleaned to "remove any data speculatively fetched" and so that "NS reads the \
    scrubbed memory"). A property, not a lemma: no isolation property depends on it, since a stale line of ZERO \
    or of the host's data is no leak. False in fine mode (found by exhaustive BFS at fine-1, 30 steps): a host \
    write that lands in an undelegate's window after the GPI is NS leaves a dirty NS line; the next delegate cleans \
    the target (Realm) alias before the source (NS) alias, as TF-A does, and a speculative Realm fill in between \
    copies memory before the NS write-back reaches it, so the DELEGATED granule keeps a CLEAN Realm line older than \
    memory. It needs SPECULATIVE_FILL's over-approximation (a fill whatever the GPI; real prefetches are \
    GPC-checked) and is no leak (the stale copy is ZERO or the host's own data), so the property is declared in \
    atomic mode only.
    """,
    PropertyName.dmaVerifiedOnlyWhileEnabled: """
    Invariant (da): a VDEV counts as DMA-verified (the ghost device-assigned-only reads: \
    RSI_VDEV_DMA_ENABLE passed with the lock nonce, measurements and interface report sequence numbers \
    current at that moment) only while its DMA is ENABLED and it is STARTED. Every path that disables \
    the VDEV's DMA (RSI_VDEV_DMA_DISABLE, RMI_VDEV_UNLOCK, a communication error, RMI_VDEV_ABORT, \
    RMI_VDEV_DESTROY) ends the verification with it, so the next RSI_VDEV_DMA_ENABLE must check the \
    realm's evidence afresh (reference/rmm.md §3.4 step 5, reference/rme.md §3.2). With da-wellformed (DMA \
    ENABLED only while STARTED with verified evidence) this makes verified and enabled one fact. Broken by \
    a disable that leaves the old verification standing (the stale-evidence class of \
    dma-enable-without-nonce-check; the mutants of RMI_VDEV_UNLOCK and RSI_VDEV_DMA_DISABLE that keep \
    vdevDMAVerified in Docs/mutation/rmm-da-setup.md).
    """,
    PropertyName.deviceAssignedOnly: """
    Monitor (da): a device's DMA reaches a granule only if it is Non-secure and the stream is Non-secure, or \
    the stream's VDEV is bound to realm R, STARTED (no VDEV_UNLOCK in flight), DMA-enabled by R with the \
    evidence current at that moment, and the granule is mapped in R's stage 2 (and, in the Realm PAS, is \
    R's DATA) (DESIGN.md §6; reference/rme.md §3.3). With device memory, a realm's access to MMIO (an \
    ASSIGNED_DEV entry with RIPAS DEV) reaches only a DEV_MAPPED granule of this realm, validated at the PA the \
    realm asked for, of a device whose Realm STE is bound to a VDEV of this realm (reference/rmm.md §3.4).
    """,
    PropertyName.noStaleRealmCopy: """
    Invariant (rmm with mecid-lines): realm r's data (a REALM_r label) is held by a granule r does not \
    own (r's DATA) only in memory of a DELEGATED granule at rest (where TF-RMM's DC CIPAE of the release \
    wrote it back, under r's MECID, and the next initialisation or the undelegate scrub overwrites it \
    before anyone can read it) or in a clean Realm-PAS copy under a realm MECID (a fill, which only an \
    access under that MECID to a granule it maps could hit, and every owner initialises a granule before \
    mapping it); never \
    in a dirty copy (it would be written back, under its MECID, over whatever the granule's next owner \
    was given), never in a copy under the RMM's MECID 0, never in an UNDELEGATED granule or another \
    owner's object (old data under a live key).
    """,
    PropertyName.daWellformed: """
    Invariant (da): PDEV and VDEV bookkeeping agrees with the SMMU: a PDEV's VDEV count is its number of \
    VDEVs and a PDEV with a VDEV is READY, IDE_RESETTING, COMMUNICATING or ERROR; a VDEV's PDEV exists, \
    its realm is live, its stream's Realm STE is bound to it and valid exactly when its DMA is ENABLED, \
    and DMA is ENABLED only while STARTED with verified evidence; an unbound STE is invalid; the SMMU \
    caches only a valid STE, with the realm of its VDEV; granules that are not PDEVs or VDEVs hold the \
    fixed values; the SMMU's cached GPIs equal the GPT's. With device memory: only device granules are \
    DEV_MAPPED, each Realm in the GPT and owned by a live realm with a VDEV on its device; an ASSIGNED_DEV entry \
    maps a DEV_MAPPED granule of its RTT's realm, validated exactly when its RIPAS is DEV; a REC with no \
    device-memory request holds zeroes.
    """,
  ]
}
