import Spec

extension CCA {
  /// The named configurations; the first, `standard`, is the default.
  static let configurations: [Configuration] = [
    Configuration(
      name: "standard", bounds: [Bound.granules: 2, Bound.pes: 2, Bound.realms: 1], features: [Feature.fine]),
    Configuration(name: "atomic", bounds: [Bound.granules: 2, Bound.pes: 2, Bound.realms: 1]),
    Configuration(name: "atomic-4", bounds: [Bound.granules: 4, Bound.pes: 2, Bound.realms: 1]),
    Configuration(name: "atomic-16", bounds: [Bound.granules: 16, Bound.pes: 2, Bound.realms: 1]),
    Configuration(
      name: "fine-1", bounds: [Bound.granules: 1, Bound.pes: 2, Bound.realms: 1], features: [Feature.fine]),
    Configuration(name: "atomic-2-realms", bounds: [Bound.granules: 2, Bound.pes: 2, Bound.realms: 2]),
    Configuration(
      name: "atomic-parametric", bounds: [Bound.granules: 2, Bound.pes: 2, Bound.realms: 1],
      features: [Feature.parametric]),
  ]

  static let configurationDocs: [String: String] = [
    "standard": "fine mode, 2 PEs, 2 granules sharing one GPT descriptor word, 1 realm: exhaustive BFS",
    "atomic": "the standard bounds with each RMI granule command one step (for RMM-level proofs)",
    "atomic-4": "atomic, 4 granules in one descriptor word, 2 PEs, 1 realm (bounded proofs)",
    "atomic-16": "atomic, 16 granules filling one descriptor word, 2 PEs, 1 realm (bounded proofs)",
    "fine-1": "fine mode with a single granule, 2 PEs, 1 realm: the smallest fine-mode state space",
    "atomic-2-realms": "atomic, 2 granules, 2 PEs, 2 realms: two owners' data labels",
    "atomic-parametric": """
    atomic with the parametric abstraction (a GPI per granule, addresses as class and granule), 2 PEs, 1 realm: \
    parametric proofs for any number of granules (the granules bound, 2, applies to bounded runs only)
    """,
  ]
}
