import Spec

// MARK: - RMM 1.1 Device Assignment encodings (reference/rmm.md §0, §3.1-3.3) [1.1-UNSTABLE]
//
// Pinned revision: TF-RMM tag `rmm-spec-v1.x-aligned` (`lib/smc/include/smc-rmi.h`, `smc-rsi.h`,
// `runtime/rmi/pdev.c`, `vdev.c`) and the ACS DA alpha (`cca-rmm-acs` main,
// `v1.1_DA_ALPHA_v1.0_RHI_BETA_03_26`). Everything here is 1.1 alpha material, still changing
// (TF-RMM main has moved to a 2.0 ABI with renumbered FIDs and other PDEV states); do not mix it
// with other revisions.

/// RMI function identifiers and status codes of the DA commands (reference/rmm.md §3.1).
enum DAABI {
  static let pdevAuxCountFID: Value = 0xC400_0156
  static let pdevAbortFID: Value = 0xC400_0174
  static let pdevCommunicateFID: Value = 0xC400_0175
  static let pdevCreateFID: Value = 0xC400_0176
  static let pdevDestroyFID: Value = 0xC400_0177
  static let pdevGetStateFID: Value = 0xC400_0178
  static let pdevIdeResetFID: Value = 0xC400_0179
  static let pdevIdeKeyRefreshFID: Value = 0xC400_017A
  static let pdevSetPubkeyFID: Value = 0xC400_017B
  static let pdevStopFID: Value = 0xC400_017C
  static let vdevAbortFID: Value = 0xC400_0185
  static let vdevCommunicateFID: Value = 0xC400_0186
  static let vdevCreateFID: Value = 0xC400_0187
  static let vdevDestroyFID: Value = 0xC400_0188
  static let vdevGetStateFID: Value = 0xC400_0189
  static let vdevUnlockFID: Value = 0xC400_018A
  static let vdevGetInterfaceReportFID: Value = 0xC400_01D0
  static let vdevGetMeasurementsFID: Value = 0xC400_01D1
  static let vdevLockFID: Value = 0xC400_01D2
  static let vdevStartFID: Value = 0xC400_01D3
  /// RSI FIDs (reference/rmm.md §5, 1.1 additions).
  static let rsiVdevDMAEnableFID: Value = 0xC400_019C
  static let rsiVdevGetInfoFID: Value = 0xC400_019D
  static let rsiVdevDMADisableFID: Value = 0xC400_01A4
  /// Device memory (reference/rmm.md §3.1, §5).
  static let vdevValidateMappingFID: Value = 0xC400_0163
  static let vdevMapFID: Value = 0xC400_0172
  static let vdevUnmapFID: Value = 0xC400_0173
  static let rsiVdevValidateMappingFID: Value = 0xC400_019F
  /// `REC_ENTER_FLAG_DEV_MEM_RESPONSE` (bit 6 of RecRun.enter.flags; the Linux RMI headers of the
  /// DA series): 1 = RSI_REJECT for a pending RSI_VDEV_VALIDATE_MAPPING.
  static let devMemResponseFlag: Value = 1 << 6
  /// `RMI_EXIT_DEV_MEM_MAP` (the ACS's RMI_EXIT_VDEV_MAP, 0x09 in the Linux RMI headers of the DA series).
  static let exitDevMemMap: Value = 0x09

  /// `RMI_ERROR_DEVICE` (6): a PDEV or VDEV attribute does not match (state, binding).
  static let errorDevice: Value = 6
  /// `RSI_SUCCESS`, `RSI_ERROR_INPUT`, `RSI_ERROR_STATE`, `RSI_ERROR_DEVICE` (reference/rmm.md §0.2).
  static let rsiSuccess: Value = 0
  static let rsiErrorInput: Value = 1
  static let rsiErrorState: Value = 2
  static let rsiErrorDevice: Value = 5
}

/// `RmiPdevState` of the pinned revision (reference/rmm.md §3.2: values 0..8, with
/// IDE_RESETTING; TF-RMM HEAD has six states instead).
enum PdevState {
  static let new: Value = 0
  static let needsKey: Value = 1
  static let hasKey: Value = 2
  static let ready: Value = 3
  static let ideResetting: Value = 4
  static let communicating: Value = 5
  static let stopping: Value = 6
  static let stopped: Value = 7
  static let error: Value = 8

  static let set = FiniteSet(
    "RmiPdevState",
    [
      ("PDEV_NEW", new), ("PDEV_NEEDS_KEY", needsKey), ("PDEV_HAS_KEY", hasKey), ("PDEV_READY", ready),
      ("PDEV_IDE_RESETTING", ideResetting), ("PDEV_COMMUNICATING", communicating), ("PDEV_STOPPING", stopping),
      ("PDEV_STOPPED", stopped), ("PDEV_ERROR", error),
    ])
  static let domain = Domain.finite(set)
}

/// `RmiVdevState` of the pinned revision (reference/rmm.md §3.3: values 0..6).
enum VdevState {
  static let new: Value = 0
  static let unlocked: Value = 1
  static let locked: Value = 2
  static let started: Value = 3
  static let error: Value = 4
  static let keyRefresh: Value = 5
  static let keyPurge: Value = 6

  static let set = FiniteSet(
    "RmiVdevState",
    [
      ("VDEV_NEW", new), ("VDEV_UNLOCKED", unlocked), ("VDEV_LOCKED", locked), ("VDEV_STARTED", started),
      ("VDEV_ERROR", error), ("VDEV_KEY_REFRESH", keyRefresh), ("VDEV_KEY_PURGE", keyPurge),
    ])
  static let domain = Domain.finite(set)
}

/// The TDISP request a VDEV command starts and VDEV_COMMUNICATE completes (reference/rmm.md
/// §3.3; reference/rme.md §3.2, TDISP LOCK_INTERFACE / START_INTERFACE / STOP_INTERFACE and the
/// SPDM measurement and report requests). `NONE`: no request in flight.
enum VdevRequest {
  static let none: Value = 0
  static let lock: Value = 1
  static let start: Value = 2
  static let unlock: Value = 3
  static let measurements: Value = 4
  static let report: Value = 5

  static let set = FiniteSet(
    "VdevRequest",
    [
      ("NONE", none), ("LOCK", lock), ("START", start), ("UNLOCK", unlock), ("GET_MEASUREMENTS", measurements),
      ("GET_INTERFACE_REPORT", report),
    ])
  static let domain = Domain.finite(set)
}

/// What an SMMU returns when it terminates a device transaction (SMMUv3 event numbers; the model
/// reports them as the failure code of a device access).
enum SMMUEvent {
  /// `C_BAD_STE` (0x04): the stream's STE is not valid (the RMM has not enabled it).
  static let badSTE: Value = 0x04
  /// `F_TRANSLATION` (0x10): the stage-2 walk found no valid mapping.
  static let translation: Value = 0x10
}
