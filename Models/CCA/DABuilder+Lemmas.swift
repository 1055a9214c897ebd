import Spec

// MARK: - Strengthening lemmas of the DA configurations (issue 15) [1.1-UNSTABLE]

extension DABuilder {
  /// Declares the lemmas that make `device-assigned-only` and the RMM's properties inductive with
  /// Device Assignment in the model (Proofs/da-*-induction.toml), on top of the RMM's
  /// (RMMBuilder+Lemmas.swift). Each holds in every reachable state of the correct model, is
  /// proved with the property it strengthens, and is needed: dropped, induction gives a CTI
  /// (Tests/ProvingTests/RMMProofTests.swift).
  func declareLemmas() {
    b.lemma(
      "da-streams-wellformed",
      doc: """
        da-wellformed, stated as a lemma: PDEVs count their VDEVs, a VDEV's stream is bound to it, \
        its STE is valid exactly while its DMA is enabled (which needs the VDEV STARTED and its \
        evidence verified), the SMMU caches only a valid STE with its VDEV's realm, the SMMU's \
        GPT TLB agrees with the GPT, and device memory is mapped only to its VDEV's realm. It is most \
        of device-assigned-only's invariant: a device access is allowed by exactly these facts, read \
        through the STE or the SMMU's copy of it (CTI without it: DEVICE_REALM_READ through a cached \
        STE whose VDEV has DMA disabled).
        """,
      wellformed)
  }
}
