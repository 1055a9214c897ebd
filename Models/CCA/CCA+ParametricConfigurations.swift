import Spec

extension CCA {
  /// The parametric variants with Device Assignment (Docs/ADR/0011-parametric-rmm.md): `rmm` + `da` + `parametric`.
  static let parametricConfigurations: [Configuration] = [
    Configuration(
      name: "rmm-da-parametric",
      bounds: [
        Bound.granules: 7, Bound.pes: 1, Bound.realms: 1, Bound.rttLevels: 1, Bound.rttEntries: 2, Bound.recs: 1,
        Bound.devices: 1,
      ],
      features: [Feature.rmm, Feature.da, Feature.parametric])
  ]

  static let parametricConfigurationDocs: [String: String] = [
    "rmm-da-parametric": """
    rmm-da with the parametric abstraction (Docs/ADR/0011-parametric-rmm.md): a GPI per granule, address registers \
    (the RMI and PDEV/VDEV objects, the Non-secure buffers) as granules, ASSIGNED_NS descriptors as the granule they \
    name; rmm-wellformed restated by pointer, da-wellformed with a PDEV's VDEVs counted by pointer; for parametric \
    proofs with the RMM and DA (the granules bound, 7, applies to bounded runs only); one device (one stream, one \
    TDI), no device memory
    """
  ]
}
