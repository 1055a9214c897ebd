import Spec

extension CCA {
  /// The configurations with memory encryption (DESIGN.md §6; features `per-pas`, `per-realm`):
  /// each an existing configuration's bounds with one encryption, so the three encryptions can be
  /// compared on the same bounds.
  static let encryptionConfigurations: [Configuration] = {
    let atomic = [Bound.granules: 2, Bound.pes: 2, Bound.realms: 1]
    let rmmSmall = [
      Bound.granules: 4, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
    ]
    var reuse = rmmSmall
    reuse[Bound.granules] = 5
    reuse[Bound.realms] = 2
    return [
      Configuration(name: "atomic-per-pas", bounds: atomic, features: [Feature.perPAS]),
      Configuration(name: "atomic-per-realm", bounds: atomic, features: [Feature.perRealm]),
      Configuration(name: "rmm-small-per-pas", bounds: rmmSmall, features: [Feature.rmm, Feature.perPAS]),
      Configuration(
        name: "rmm-small-mec", bounds: rmmSmall.merging([Bound.maxMECID: 1]) { a, _ in a },
        features: [Feature.rmm, Feature.perRealm]),
      Configuration(name: "rmm-reuse", bounds: reuse, features: [Feature.rmm]),
      Configuration(name: "rmm-reuse-per-pas", bounds: reuse, features: [Feature.rmm, Feature.perPAS]),
      Configuration(
        name: "rmm-reuse-mec", bounds: reuse.merging([Bound.maxMECID: 1]) { a, _ in a },
        features: [Feature.rmm, Feature.perRealm]),
      Configuration(
        name: "rmm-small-mec-lines", bounds: rmmSmall.merging([Bound.maxMECID: 1]) { a, _ in a },
        features: [Feature.rmm, Feature.perRealm, Feature.mecidLines]),
      Configuration(
        name: "rmm-reuse-mec-lines", bounds: reuse.merging([Bound.maxMECID: 1]) { a, _ in a },
        features: [Feature.rmm, Feature.perRealm, Feature.mecidLines]),
    ]
  }()

  static let encryptionConfigurationDocs: [String: String] = [
    "atomic-per-pas": "atomic with per-PAS encryption: realm data reads as CIPHERTEXT through the NS PAS",
    "atomic-per-realm": "atomic with per-realm (MEC) encryption: the realm stand-in's realm r writes under MECID r",
    "rmm-small-per-pas": "rmm-small with per-PAS encryption (one Realm key for every realm and the RMM)",
    "rmm-small-mec": """
    rmm-small with per-realm encryption and the RMM's MEC (RMM 1.1 beta): MAX_MECID 1, RealmParams.mecid, \
    RMI_MEC_SET_SHARED / PRIVATE, the key refresh on release
    """,
    "rmm-reuse": """
    RMM, 5 granules, 1 PE, 2 realms (VMIDs 0 and 1), one level-3 RTT of 2 entries, no encryption: room for a \
    realm with a DATA page to be destroyed and a second realm with a REC to be given that page
    """,
    "rmm-reuse-per-pas": "rmm-reuse with per-PAS encryption",
    "rmm-reuse-mec": "rmm-reuse with per-realm encryption and the RMM's MEC, MAX_MECID 1",
    "rmm-small-mec-lines": """
    rmm-small-mec with MECID-tagged lines (Docs/ADR/0009-mecid-tagged-caches.md): a Realm line per granule and \
    MECID, DC CIPAPA / CIPAE over every copy, TF-RMM's release (DC CIPAE, no zeroing) and scrub MECIDs
    """,
    "rmm-reuse-mec-lines": "rmm-reuse-mec with MECID-tagged lines (Docs/ADR/0009-mecid-tagged-caches.md)",
  ]
}
