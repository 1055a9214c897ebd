import Spec

// MARK: - The SMMUs' command queues and the RMM's CMD_SYNC (feature `smmu-tlb`; Docs/ADR/0008)

extension DABuilder {
  /// Declares the SMMU consuming an invalidation from its command queue and the completion of the
  /// RMM's CMD_SYNC, which ends a pending RMI_DATA_DESTROY (``SMMUTLBVariables``).
  func declareSMMUInvalidation(_ t: SMMUTLBVariables) {
    builder.action(
      "SMMU_CMDQ_CONSUME", by: CCA.Parties.hardware,
      doc: """
        The SMMU of stream `stream` executes the CMD_TLBI_S2_IPA waiting in its command queue (SMMUv3: commands \\
        take effect when the SMMU consumes them, in order, at a moment of its choosing): its TLB entry for the \\
        pending unmap's VMID and page is gone. Until then device accesses may still hit it.
        """,
      parameters: [Parameter("stream", stream)]
    ) { a in
      let s = a.arg("stream")
      a.requires(pre.read(t.tlbiQueued, [s]))
      a.set(t.tlbiQueued, [s], to: false)
      a.set(t.iotlb, [s, pre.read(t.realm, []), pre.read(t.page, [])], to: 0)
    }

    builder.action(
      "RMM_CMD_SYNC", by: CCA.Parties.rmm,
      doc: """
        The CMD_SYNC the RMM issued after the TLBIs of a pending RMI_DATA_DESTROY completes on every SMMU: \\
        enabled once no SMMU has an earlier command left (a CMD_SYNC completes only after every command before \\
        it). The RMM then returns the DATA granule to DELEGATED, scrubbed, and drops the leaf RTT's reference \\
        (TF-RMM rtt_unmap.c: rtt_unmap_smmu_sync_yield, then rtt_unmap_drain_pending and \\
        rtt_unmap_clear_marks_and_drop; reference/rme.md §2.5: only after the SMMU TLBI may the granule go back \\
        to DELEGATED). RMI_DATA_DESTROY's call completes here.
        """
    ) { a in
      a.requires(pre.read(t.pending, []) && .forAll(stream) { s in !self.pre.read(t.tlbiQueued, [s]) })
      let g = pre.read(t.granule, [])
      let table = pre.read(t.table, [])
      rmm.release(
        a, g,
        scrubbing: !mutated(CCA.MutantName.dataDestroyWithoutScrub) && !mutated(CCA.MutantName.reuseWithoutScrub))
      a.set(rmmState.refcount, [table], to: pre.read(rmmState.refcount, [table]) - 1)
      a.set(t.pending, to: false)
      a.set(t.granule, to: 0)
      a.set(t.table, to: 0)
      a.set(t.realm, to: 0)
      a.set(t.page, to: 0)
    }
  }
}
