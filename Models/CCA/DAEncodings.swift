import Spec

// MARK: - RMM 1.1 Device Assignment encodings (reference/rmm.md §0, §3.1-3.3) [1.1-UNSTABLE]
//
// Pinned revision: TF-RMM tag `rmm-spec-v1.x-aligned` (`lib/smc/include/smc-rmi.h`, `smc-rsi.h`,
// `runtime/rmi/pdev.c`, `vdev.c`) and the ACS DA alpha (`cca-rmm-acs` main,
// `v1.1_DA_ALPHA_v1.0_RHI_BETA_03_26`). Everything here is 1.1 alpha material, still changing
// (TF-RMM main has moved to a 2.0 ABI with renumbered FIDs and other PDEV states); do not mix it
// with other revisions.

/// Status codes and flags of the DA commands (reference/rmm.md §3.1; their function identifiers
/// are in ``CCA/abi``).
enum DAABI {
  /// `REC_ENTER_FLAG_DEV_MEM_RESPONSE` (bit 6 of RecRun.enter.flags; the Linux RMI headers of the
  /// DA series): 1 = RSI_REJECT for a pending RSI_VDEV_VALIDATE_MAPPING.
  static let devMemResponseFlag: Value = 1 << 6
  /// `RMI_EXIT_DEV_MEM_MAP` (the ACS's RMI_EXIT_VDEV_MAP, 0x09 in the Linux RMI headers of the DA series).
  static let exitDevMemMap: Value = 0x09
  /// `RMI_EXIT_VDEV_REQUEST` (8; TF-RMM rmm-spec-v1.x-aligned `smc-rmi.h`, reference/rmm.md §1.6): a realm's RSI VDEV
  /// call waits for the host to name the VDEV with RMI_VDEV_COMPLETE (feature `vdev-complete`).
  static let exitVdevRequest: Value = 8

  /// `RMI_FEATURE_REGISTER_0_DA_EN` (bit 42 of RmiFeatureRegister0, reference/rmm.md §1.6; TF-RMM rmm-spec-v1.x-aligned
  /// `smc-rmi.h`): the RMM supports Device Assignment.
  ///
  /// Set in every configuration with `da`.
  static let featureDAEnabled: Value = 1 << 42

  /// `RMI_ERROR_DEVICE` (6): a PDEV or VDEV attribute does not match (state, binding).
  static let errorDevice: Value = 6
  /// `RSI_SUCCESS`, `RSI_ERROR_INPUT`, `RSI_ERROR_STATE`, `RSI_ERROR_DEVICE` (``RSI``'s codes,
  /// by the names the DA builders use).
  static var rsiSuccess: Value { RSI.success }
  static var rsiErrorInput: Value { RSI.errorInput }
  static var rsiErrorState: Value { RSI.errorState }
  static var rsiErrorDevice: Value { RSI.errorDevice }
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

/// The TDISP request a VDEV command starts and VDEV_COMMUNICATE completes (reference/rmm.md §3.3; reference/rme.md
/// §3.2, TDISP LOCK_INTERFACE / START_INTERFACE / STOP_INTERFACE and the SPDM measurement and report requests).
///
/// `NONE`: no request in flight.
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

/// The realm's RSI VDEV call a REC waits on (feature `vdev-complete`; TF-RMM rmm-spec-v1.x-aligned
/// `REC_PENDING_VDEV_REQUEST` / `REC_PENDING_VDEV_COMPLETE` with the call's function identifier in X0):
/// the model's encoding, `NONE` when no call waits.
enum RsiVdevCall {
  static let none: Value = 0
  static let getInfo: Value = 1
  static let dmaEnable: Value = 2
  static let dmaDisable: Value = 3

  static let set = FiniteSet(
    "RsiVdevCall",
    [
      ("NONE", none), ("RSI_VDEV_GET_INFO", getInfo), ("RSI_VDEV_DMA_ENABLE", dmaEnable),
      ("RSI_VDEV_DMA_DISABLE", dmaDisable),
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
