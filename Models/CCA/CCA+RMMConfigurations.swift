import Spec

extension CCA {
  /// The configurations of the RMM 1.0 model (the `rmm` feature; atomic GPT transitions).
  static let rmmConfigurations: [Configuration] = [
    Configuration(
      name: "rmm-small",
      bounds: [Bound.granules: 4, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1],
      features: [Feature.rmm]),
    Configuration(
      name: "rmm-rtt",
      bounds: [Bound.granules: 4, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 2, Bound.rttEntries: 2, Bound.recs: 1],
      features: [Feature.rmm]),
  ]

  static let rmmConfigurationDocs: [String: String] = [
    "rmm-small": """
      RMM 1.0, 4 granules, 1 PE, 1 realm (VMID 0), 1 REC, one level-3 RTT of 2 entries (IPA 0x0 protected, \
      0x1000 unprotected): a realm with its RD, RTT, REC and a DATA page or an NS page; exhaustive BFS
      """,
    "rmm-rtt": """
      RMM 1.0, 4 granules, 1 PE, 1 realm, 1 REC, RTTs of 2 levels x 2 entries (starting level 2): RTT_CREATE / \
      RTT_DESTROY and walks that stop early; exhaustive BFS
      """,
  ]
}
