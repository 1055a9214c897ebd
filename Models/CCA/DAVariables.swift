import Spec

/// The Device Assignment state of the CCA model (the `da` feature, RMM 1.1 DA, pinned to TF-RMM
/// `rmm-spec-v1.x-aligned` / ACS DA alpha: reference/rmm.md §3; reference/rme.md §3)
/// [1.1-UNSTABLE].
///
/// PDEVs and VDEVs are granules (states PDEV and VDEV, ``GranuleState``), so their fields are
/// maps over granules, held at fixed values for granules that are not PDEVs or VDEVs. A physical
/// device is one PCIe stream (its requester ID range is one StreamID, `Stream` index `s`); a
/// PDEV names its stream, and has at most one TDI, hence one VDEV. With the `tdis` bound above 1
/// a device has that many TDIs, each its own stream (device `d`'s TDI `t` is stream `d * tdis + t`,
/// the PDEV naming `d`), so a PDEV has up to `tdis` VDEVs (``DABuilder/vdevTdi``). The SMMU has one
/// Realm stream table entry per stream, programmed only by the RMM, and caches it.
struct DAVariables {
  /// `pdevState[g]`: RmiPdevState of a PDEV granule (PDEV_NEW otherwise).
  let pdevState: Variable
  /// `pdevStream[g]`: the stream (RID range) of a PDEV granule (0 otherwise); with `tdis` > 1 its device index, the
  /// first of its `tdis` streams divided by `tdis`.
  let pdevStream: Variable
  /// `pdevVdevs[g]`: the number of VDEVs of a PDEV.
  ///
  /// 0 ... `tdis`: one per TDI (0 or 1 with one TDI per device).
  let pdevVdevs: Variable
  /// `vdevState[g]`: RmiVdevState of a VDEV granule (VDEV_NEW otherwise).
  let vdevState: Variable
  /// `vdevRequest[g]`: the TDISP/SPDM request in flight, completed by VDEV_COMMUNICATE.
  let vdevRequest: Variable
  /// `vdevPdev[g]`: the PDEV granule of a VDEV (0 otherwise).
  let vdevPdev: Variable
  /// `vdevLockNonce[g]`, `vdevMeasSeq[g]`, `vdevReportSeq[g]`: the evidence generations (the lock
  /// nonce, measurement and interface-report sequence numbers) as one bit each, or two with
  /// `wide-nonces` (``DABuilder/nonceValues``): a new value on every regeneration (abstract: 2, or 4,
  /// regenerations give the old value back, see the ADR).
  let vdevLockNonce: Variable
  let vdevMeasSeq: Variable
  let vdevReportSeq: Variable
  /// `vdevDMA[g]`: the VDEV's DMA state (ENABLED by RSI_VDEV_DMA_ENABLE).
  let vdevDMA: Variable
  /// `vdevDMAVerified[g]`: ghost: DMA was enabled with the VDEV's evidence current at that moment (the three nonces the
  /// realm passed equalled the VDEV's).
  ///
  /// Read by `device-assigned-only`.
  let vdevDMAVerified: Variable
  /// `steBound[s]`: the Realm STE of stream `s` is programmed for a VDEV (VDEV_CREATE ..
  ///
  /// DESTROY).
  let steBound: Variable
  /// `steVdev[s]`: that VDEV's granule (0 when not bound).
  let steVdev: Variable
  /// `steValid[s]`: the STE is valid (STE.V): the RMM enabled DMA for the VDEV.
  let steValid: Variable
  /// `steCached[s]`: the SMMU caches a valid copy of the STE (its configuration cache and the
  /// TLB entries tagged with the STE's VMID); dropped by CFGI_STE + TLBI + CMD_SYNC.
  let steCached: Variable
  /// `steCachedRealm[s]`: the realm (VMID, S2TTB) of the cached copy (0 when not cached).
  let steCachedRealm: Variable
  /// Monitor: a device access reached a granule the DMA rule forbids.
  let deviceStrayAccess: Variable

  init(_ b: ModelBuilder, granule: Domain, realm: Domain, stream: Domain, nonce: Domain, tdis: Int = 1) {
    pdevState = b.map("pdevState", keys: [granule], PdevState.domain, doc: "RmiPdevState of a PDEV granule") { _ in
      .literal(PdevState.new)
    }
    pdevStream = b.map("pdevStream", keys: [granule], stream, doc: "the stream (RID range) of a PDEV") { _ in 0 }
    pdevVdevs = b.map("pdevVdevs", keys: [granule], .range(0, Value(tdis)), doc: "the number of VDEVs of a PDEV") { _ in
      0
    }
    vdevState = b.map("vdevState", keys: [granule], VdevState.domain, doc: "RmiVdevState of a VDEV granule") { _ in
      .literal(VdevState.new)
    }
    vdevRequest = b.map(
      "vdevRequest", keys: [granule], VdevRequest.domain, doc: "the TDISP request VDEV_COMMUNICATE completes"
    ) { _ in .literal(VdevRequest.none) }
    vdevPdev = b.map("vdevPdev", keys: [granule], granule, doc: "the PDEV of a VDEV") { _ in 0 }
    vdevLockNonce = b.map("vdevLockNonce", keys: [granule], nonce, doc: "the lock nonce (abstract)") { _ in 0 }
    vdevMeasSeq = b.map("vdevMeasSeq", keys: [granule], nonce, doc: "the measurements sequence (abstract)") {
      _ in 0
    }
    vdevReportSeq = b.map(
      "vdevReportSeq", keys: [granule], nonce, doc: "the interface report sequence (abstract)"
    ) { _ in 0 }
    vdevDMA = b.map("vdevDMA", keys: [granule], .bool, doc: "the VDEV's DMA state is ENABLED") { _ in false }
    vdevDMAVerified = b.map(
      "vdevDMAVerified", keys: [granule], .bool, doc: "ghost: DMA was enabled with the current evidence"
    ) { _ in false }
    steBound = b.map("steBound", keys: [stream], .bool, doc: "the Realm STE is programmed for a VDEV") { _ in false }
    steVdev = b.map("steVdev", keys: [stream], granule, doc: "the VDEV the Realm STE is programmed for") { _ in 0 }
    steValid = b.map("steValid", keys: [stream], .bool, doc: "STE.V: the RMM enabled the stream's DMA") { _ in false }
    steCached = b.map("steCached", keys: [stream], .bool, doc: "the SMMU caches a valid copy of the STE") { _ in false }
    steCachedRealm = b.map("steCachedRealm", keys: [stream], realm, doc: "the realm of the cached STE") { _ in 0 }
    deviceStrayAccess = b.variable(
      "deviceStrayAccess", .bool, role: .monitor, doc: "a device access reached a granule the DMA rule forbids",
      initial: false)
  }
}

/// A REC's pending RSI VDEV call (feature `vdev-complete`; TF-RMM rmm-spec-v1.x-aligned `rec->pending_op`,
/// `rec->vdev`) [1.1-UNSTABLE]: maps over granules, held at 0 for granules that are not RECs with a call waiting.
///
/// The call exits with RMI_EXIT_VDEV_REQUEST (REQUEST), RMI_VDEV_COMPLETE names the VDEV (COMPLETE), and RMI_REC_ENTER
/// finishes it (``DABuilder/vdevCompletion(_:rec:)``).
struct DAVdevRequestVariables {
  /// `recVdevCall[g]`: the RSI VDEV call REC `g` waits on (``RsiVdevCall``; NONE when none).
  let call: Variable
  /// `recVdevCompleted[g]`: the host has named the VDEV (RMI_VDEV_COMPLETE: `REC_PENDING_VDEV_COMPLETE`).
  let completed: Variable
  /// `recVdevID[g]`: the `vdev_id` the realm passed.
  let vdevID: Variable
  /// `recVdevAddr[g]`: the VDEV granule RMI_VDEV_COMPLETE named (0 until then).
  let vdev: Variable
  /// `recVdevLock[g]`, `recVdevMeas[g]`, `recVdevReport[g]`: the evidence RSI_VDEV_DMA_ENABLE passed (X4..X6 at the
  /// pinned tag), checked when the call finishes.
  let nonces: [Variable]

  init(_ b: ModelBuilder, granule: Domain, stream: Domain, nonce: Domain) {
    call = b.map("recVdevCall", keys: [granule], RsiVdevCall.domain, doc: "the RSI VDEV call a REC waits on") { _ in
      .literal(RsiVdevCall.none)
    }
    completed = b.map("recVdevCompleted", keys: [granule], .bool, doc: "RMI_VDEV_COMPLETE named the VDEV") { _ in
      false
    }
    vdevID = b.map("recVdevID", keys: [granule], stream, doc: "the vdev_id of a REC's pending VDEV call") { _ in 0 }
    vdev = b.map("recVdevAddr", keys: [granule], granule, doc: "the VDEV RMI_VDEV_COMPLETE named") { _ in 0 }
    nonces = ["recVdevLock", "recVdevMeas", "recVdevReport"].map { name in
      b.map(name, keys: [granule], nonce, doc: "evidence a pending RSI_VDEV_DMA_ENABLE passed") { _ in 0 }
    }
  }
}
