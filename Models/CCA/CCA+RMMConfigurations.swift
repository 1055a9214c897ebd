import Spec

extension CCA {
  /// rmm-small's bounds: 4 granules, 1 PE, 1 realm, 1 REC, one level-3 RTT of 2 entries.
  static let smallBounds: [Configuration.Bound: Int] = [
    Bound.granules: 4, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
  ]
  /// rmm-rtt's bounds: rmm-small's with RTTs of 2 levels.
  static let rttBounds = smallBounds.merging([Bound.rttLevels: 2]) { $1 }

  /// The configurations of the RMM 1.0 model (the `rmm` feature; atomic GPT transitions).
  static let rmmConfigurations: [Configuration] = [
    Configuration(
      name: "rmm-small",
      bounds: smallBounds,
      features: [Feature.rmm]),
    Configuration(
      name: "rmm-small-parametric",
      bounds: smallBounds,
      features: [Feature.rmm, Feature.parametric]),
    Configuration(
      name: "rmm-rtt",
      bounds: rttBounds,
      features: [Feature.rmm]),
    Configuration(
      name: "rmm-full",
      bounds: [
        Bound.granules: 64, Bound.pes: 2, Bound.realms: 2, Bound.rttLevels: 4, Bound.rttEntries: 512, Bound.recs: 2,
        Bound.devGranules: 1,
      ],
      features: [Feature.rmm, Feature.da, Feature.attest, Feature.blocks]),
    Configuration(name: "rmm-blocks", bounds: rttBounds, features: [Feature.rmm, Feature.blocks]),
    Configuration(
      name: "rmm-blocks-setup", bounds: rttBounds.merging([Bound.granules: 7]) { $1 },
      features: [Feature.rmm, Feature.blocks, Feature.blocksSetup]),
    Configuration(
      name: "rmm-small-values",
      bounds: smallBounds,
      features: [Feature.rmm, Feature.allValues]),
    Configuration(
      name: "rmm-rtt-values",
      bounds: rttBounds,
      features: [Feature.rmm, Feature.allValues]),
    Configuration(
      name: "rmm-params-values",
      bounds: smallBounds,
      features: [Feature.rmm, Feature.realmParamsValues]),
    Configuration(
      name: "rmm-da-values",
      bounds: [
        Bound.granules: 7, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 1,
      ],
      features: [Feature.rmm, Feature.da, Feature.allValues]),
  ]

  static let rmmConfigurationDocs: [String: String] = [
    "rmm-small": """
    RMM 1.0, 4 granules, 1 PE, 1 realm (VMID 0), 1 REC, one level-3 RTT of 2 entries (IPA 0x0 protected, \
    0x1000 unprotected): a realm with its RD, RTT, REC and a DATA page or an NS page; exhaustive BFS
    """,
    "rmm-small-parametric": """
    rmm-small with the parametric abstraction (Docs/ADR/0011-parametric-rmm.md): a GPI per granule, address \
    registers as granules, ASSIGNED_NS descriptors as the granule they name; for parametric proofs with the RMM \
    (the granules bound, 4, applies to bounded runs only); no rmm-wellformed (its counts enumerate granules)
    """,
    "rmm-rtt": """
    RMM 1.0, 4 granules, 1 PE, 1 realm, 1 REC, RTTs of 2 levels x 2 entries (starting level 2): RTT_CREATE / \
    RTT_DESTROY and walks that stop early; exhaustive BFS
    """,
    "rmm-blocks": """
    rmm-rtt with blocks: block mappings at level 2 (a level-2 entry maps 2 pages, 8 KB): \
    RTT_MAP_UNPROTECTED / UNMAP at level 2, folds of ASSIGNED_NS tables into blocks and RTT_CREATE under a \
    block (with 4 granules no protected block is reachable: see rmm-blocks-setup); depth-bounded BFS \
    (400,000 states reach depth 8)
    """,
    "rmm-blocks-setup": """
    rmm-blocks with 7 granules and blocks-setup: starts with realm 0 ACTIVE, its REC running, and two contiguous \
    DATA pages (IPA 0 and 0x1000) in a level-3 RTT, one RMI_RTT_FOLD from a protected level-2 block: folds, \
    unfolds, RIPAS changes, DATA_DESTROY and realm accesses through the block; depth-bounded BFS
    """,
    "rmm-small-values": """
    rmm-small with all-values: the registers rmm-small pins to one value (RSI_IPA_STATE_SET's flags, REC_CREATE's \
    MPIDR and num_aux, REALM_CREATE's parameters, DATA_CREATE's flags, the VERSION requests) also take the values \
    that reach their other branches; depth-bounded BFS (more argument tuples per state than rmm-small)
    """,
    "rmm-rtt-values": """
    rmm-rtt with all-values: at 2 levels the IPA, top and level registers have valid values besides the ones \
    that fail (RTT_CREATE / DESTROY / FOLD at level 3 and the starting level or 4, RTT_READ_ENTRY at both \
    levels, both protected pages); with rmm-params-values and rmm-da-values, no register keeps one value \
    that has another branch (cca-verify coverage; PinnedParameterTests); depth-bounded BFS
    """,
    "rmm-params-values": """
    rmm-small with realm-params-values: RMI_REALM_CREATE's RealmParams feature fields take every value that \
    reaches a clause of params_supp (flags LPA2 / SVE / PMU, num_bps, num_wps, pmu_num_ctrs); depth-bounded BFS
    """,
    "rmm-da-values": """
    rmm-da with all-values: PDEV_CREATE's and VDEV_CREATE's num_aux, VDEV_CREATE's tdi_id, and every register all-values widens in \
    rmm-small-values; depth-bounded BFS and random walks
    """,
    "rmm-full": """
    RMM 1.0 at the architecture's RTT geometry: 4 levels x 512 entries (starting level 0, s2sz 48, IPAs below \
    2^47 protected), 64 granules (DRAM 0x8000_0000 ...), 2 PEs, 2 realms, 2 RECs, and Device Assignment (da, \
    1 device whose MMIO is the last granule, 0x8003_F000), RSI attestation (attest) and block mappings \
    (blocks). The scenario \
    configuration: \
    concrete execution, replay and random walks with real IPAs; its states are large (every granule has a row \
    of 512 entries), so it is not for exhaustive BFS, BMC or induction
    """,
  ]
}
