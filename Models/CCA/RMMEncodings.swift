import Spec

// MARK: - RMM 1.0 encodings (reference/rmm.md §0, §1)

/// RMI status codes and ABI constants of RMM 1.0 (reference/rmm.md §0, §2; the function
/// identifiers are in ``CCA/abi``).
enum RMIABI {

  /// `RMI_SUCCESS`.
  static let success: Value = 0
  /// `RMI_ERROR_INPUT`.
  static let errorInput: Value = 1
  /// `RMI_ERROR_REALM`.
  static let errorRealm: Value = 2
  /// `RMI_ERROR_REC`.
  static let errorREC: Value = 3
  /// `RMI_ERROR_RTT`: the index (bits [15:8] of X0) is the RTT level.
  static let errorRTT: Value = 4
  /// `RMI_ERROR_NOT_SUPPORTED` (1.1).
  static let errorNotSupported: Value = 5

  /// The RMI ABI version this model implements: 1.0 = `(1 << 16) | 0`.
  static let version: Value = 0x1_0000
  /// `RMI_HASH_SHA_256`.
  static let hashSHA256: Value = 0
  /// `RMI_HASH_SHA_512`.
  static let hashSHA512: Value = 1
  /// `RMI_EMPTY`, `RMI_RAM`, `RMI_DESTROYED` (RmiRipas, rmm.md §1.4).
  static let ripasEmpty: Value = 0
  static let ripasRAM: Value = 1
  static let ripasDestroyed: Value = 2
  /// `RMI_DEV` (RMM 1.1 [1.1-UNSTABLE]: device memory a realm validated; the model takes 3, the next
  /// RmiRipas value, which the reference does not state).
  static let ripasDev: Value = 3
  /// `RMI_UNASSIGNED`, `RMI_ASSIGNED`, `RMI_TABLE` (RmiRttEntryState, rmm.md §1.4).
  static let entryUnassigned: Value = 0
  static let entryAssigned: Value = 1
  static let entryTable: Value = 2
  /// `REC_PARAMS_FLAG_RUNNABLE` (bit 0 of RecParams.flags).
  static let recRunnableFlag: Value = 1
  /// RmiRealmFlags (RealmParams.flags, rmm.md §1.6): `RMI_REALM_FLAGS_LPA2` (bit 0), `_SVE`
  /// (bit 1), `_PMU` (bit 2), and RMM 1.1's `_DA` (bit 3, flags0.DA of TF-RMM rmm-spec-v1.x-aligned's
  /// `RMI_REALM_FLAGS0_DA`) [1.1-UNSTABLE].
  static let realmFlagLPA2: Value = 1
  static let realmFlagSVE: Value = 2
  static let realmFlagPMU: Value = 4
  static let realmFlagDA: Value = 8
}

/// `RD.state` with TF-RMM's encodings (reference/rmm.md §1.2), plus `NONE` for a realm slot no
/// live realm occupies (the ACS's "NULL" realm: its VMID is free).
enum RealmState {
  static let new: Value = 0
  static let active: Value = 1
  static let systemOff: Value = 2
  static let none: Value = 3

  static let set = FiniteSet(
    "RealmState", [("REALM_NEW", new), ("REALM_ACTIVE", active), ("REALM_SYSTEM_OFF", systemOff), ("NONE", none)])
  static let domain = Domain.finite(set)
}

/// An RTT entry: HIPAS × RIPAS as TF-RMM 1.0 encodes stage-2 entries (`s2tt.h`, reference/rmm.md
/// §1.4): `unassigned_{empty,ram,destroyed,ns}`, `assigned_{empty,ram,destroyed,ns}`, `table`.
///
/// Protected IPAs carry a RIPAS; unprotected ones are `UNASSIGNED_NS` / `ASSIGNED_NS`.
enum RTTEntry: Value, CaseIterable {
  case unassignedEmpty = 0
  case unassignedRAM = 1
  case unassignedDestroyed = 2
  case assignedEmpty = 3
  case assignedRAM = 4
  case assignedDestroyed = 5
  case unassignedNS = 6
  case assignedNS = 7
  case table = 8
  /// With `da` (RMM 1.1 [1.1-UNSTABLE]): HIPAS ASSIGNED_DEV (a device-memory granule mapped by
  /// RMI_VDEV_MAP) with RIPAS EMPTY, then DEV once RMI_VDEV_VALIDATE_MAPPING accepted it
  /// (reference/rmm.md §3.4; the model's encodings).
  case assignedDevEmpty = 9
  case assignedDevDev = 10

  var label: String {
    switch self {
    case .unassignedEmpty: return "UNASSIGNED_EMPTY"
    case .unassignedRAM: return "UNASSIGNED_RAM"
    case .unassignedDestroyed: return "UNASSIGNED_DESTROYED"
    case .assignedEmpty: return "ASSIGNED_EMPTY"
    case .assignedRAM: return "ASSIGNED_RAM"
    case .assignedDestroyed: return "ASSIGNED_DESTROYED"
    case .unassignedNS: return "UNASSIGNED_NS"
    case .assignedNS: return "ASSIGNED_NS"
    case .table: return "TABLE"
    case .assignedDevEmpty: return "ASSIGNED_DEV_EMPTY"
    case .assignedDevDev: return "ASSIGNED_DEV_DEV"
    }
  }

  var expr: Expr { .literal(rawValue) }

  static let set = FiniteSet("RTTEntry", allCases.map { ($0.label, $0.rawValue) })
  static let domain = Domain.finite(set)

  /// Whether an entry value is one of `entries`.
  static func isOne(_ e: Expr, _ entries: [RTTEntry]) -> Expr { e.isOne(of: entries.map(\.expr)) }
  /// A protected unassigned entry (any RIPAS).
  static let unassignedProtected: [RTTEntry] = [.unassignedEmpty, .unassignedRAM, .unassignedDestroyed]
  /// A protected assigned entry (any RIPAS): it references a DATA granule.
  static let assignedProtected: [RTTEntry] = [.assignedEmpty, .assignedRAM, .assignedDestroyed]
  /// The entries that hold a reference on their RTT (reference/rmm.md §1.5): TABLE and ASSIGNED
  /// (protected); unassigned and ASSIGNED_NS entries hold none.
  static let live: [RTTEntry] = assignedProtected + [.table] + assignedDevice
  /// A protected ASSIGNED_DEV entry (RIPAS EMPTY or DEV): it references a DEV_MAPPED granule.
  static let assignedDevice: [RTTEntry] = [.assignedDevEmpty, .assignedDevDev]
}

// MARK: - REC, PSCI and RSI encodings (reference/rmm.md §0.2, §1.6, §2.8, §2.22, §2.23, §5)

extension RMIABI {
  /// `REC_ENTER_FLAG_RIPAS_RESPONSE` (bit 4 of RecRun.enter.flags): 1 = RMI_REJECT.
  static let ripasResponseFlag: Value = 1 << 4
  /// The largest RecAuxCount the RMM may report (rmm.md §2.8: at most 16; TF-RMM reports 16).
  static let maxRecAux = 16
}

/// `RmiRecExitReason` (reference/rmm.md §1.6): RecRun.exit.exit_reason.
enum RecExitReason {
  static let sync: Value = 0
  static let irq: Value = 1
  static let fiq: Value = 2
  static let psci: Value = 3
  static let ripasChange: Value = 4
  static let hostCall: Value = 5
  static let serror: Value = 6

  static let set = FiniteSet(
    "RmiRecExitReason",
    [
      ("RMI_EXIT_SYNC", sync), ("RMI_EXIT_IRQ", irq), ("RMI_EXIT_FIQ", fiq), ("RMI_EXIT_PSCI", psci),
      ("RMI_EXIT_RIPAS_CHANGE", ripasChange), ("RMI_EXIT_HOST_CALL", hostCall), ("RMI_EXIT_SERROR", serror),
    ])
  /// The reasons of the generic REC_EXIT action: the exits that need no realm call (an exception
  /// the host must handle).
  static let asynchronous = FiniteSet(
    "RecExitAsync",
    [("RMI_EXIT_SYNC", sync), ("RMI_EXIT_IRQ", irq), ("RMI_EXIT_FIQ", fiq), ("RMI_EXIT_SERROR", serror)])
}

/// PSCI function identifiers and return values a realm uses (PSCI 1.1, Arm DEN0022; the subset the RMM handles,
/// reference/rmm.md §5).
///
/// Return values are 32-bit signed integers returned in X0 sign-extended to 64 bits, as TF-RMM returns them.
enum PSCI {
  static let version: Value = 0x8400_0000
  /// PSCI_CPU_SUSPEND's SMC64 FID (the one ``CCA/abi`` names; SMC32 is 0x8400_0001).
  static let cpuSuspend: Value = 0xC400_0001
  static let features: Value = 0x8400_000A
  static let cpuOff: Value = 0x8400_0002
  static let cpuOn: Value = 0xC400_0003
  static let affinityInfo: Value = 0xC400_0004
  static let systemOff: Value = 0x8400_0008
  static let systemReset: Value = 0x8400_0009

  static let success: Value = 0
  static let notSupported: Value = ~Value(0)  // -1
  static let invalidParameters: Value = ~Value(1)  // -2
  static let denied: Value = ~Value(2)  // -3
  static let alreadyOn: Value = ~Value(3)  // -4
  static let invalidAddress: Value = ~Value(8)  // -9
  /// PSCI_VERSION's result: PSCI 1.1, `(major << 16) | minor` (TF-RMM rel0 `psci_version`).
  static let version1_1: Value = 0x1_0001
  /// The function IDs PSCI_FEATURES reports as implemented (TF-RMM rel0 `psci_features`): the
  /// SMC32 and SMC64 CPU_SUSPEND, CPU_ON and AFFINITY_INFO, CPU_OFF, SYSTEM_OFF, SYSTEM_RESET,
  /// PSCI_FEATURES and SMCCC_VERSION (0x8000_0000).
  static let implemented: [Value] = [
    0x8400_0001, cpuSuspend, cpuOff, 0x8400_0003, cpuOn, 0x8400_0004, affinityInfo, systemOff, systemReset, features,
    0x8000_0000,
  ]
  /// AFFINITY_INFO results.
  static let affinityOn: Value = 0
  static let affinityOff: Value = 1

  /// The pending request of a REC (`psci_pending` with the function it waits on).
  static let requestSet = FiniteSet(
    "PsciRequest", [("NONE", 0), ("PSCI_CPU_ON", cpuOn), ("PSCI_AFFINITY_INFO", affinityInfo)])
  /// The values PSCI_COMPLETE may leave in the calling REC's X0.
  static let resultSet = FiniteSet(
    "PsciResult",
    [
      ("PSCI_SUCCESS", success), ("PSCI_AFFINITY_OFF", affinityOff), ("PSCI_DENIED", denied),
      ("PSCI_ALREADY_ON", alreadyOn),
    ])
}

/// RSI return codes and constants (reference/rmm.md §0.2, §5; the function identifiers are in
/// ``CCA/abi``).
enum RSI {
  /// `RSI_SUCCESS`, `RSI_ERROR_INPUT`, `RSI_ERROR_STATE`, `RSI_INCOMPLETE`, `RSI_ERROR_UNKNOWN`,
  /// `RSI_ERROR_DEVICE` (RsiCommandReturnCode, rmm.md §0.2; the last is 1.1 DA).
  static let success: Value = 0
  static let errorInput: Value = 1
  static let errorState: Value = 2
  static let incomplete: Value = 3
  static let errorUnknown: Value = 4
  static let errorDevice: Value = 5
  /// `RSI_ACCEPT`, `RSI_REJECT` (RsiResponse).
  static let accept: Value = 0
  static let reject: Value = 1
  /// `RSI_CHANGE_DESTROYED` (bit 0 of RSI_IPA_STATE_SET's flags).
  static let changeDestroyed: Value = 1
  /// The RSI ABI version: 1.0.
  static let version: Value = 0x1_0000
  /// The largest measurement extension, in bytes.
  static let maxMeasurementSize: Value = 64
  /// RSI_ATTESTATION_TOKEN_INIT's X1: the upper bound of the token's size, TF-RMM
  /// rmm-spec-v1.0-rel0's REC_ATTEST_TOKEN_BUF_SIZE (RMM_CCA_TOKEN_BUFFER = 1 page).
  static let attestTokenBound: Value = 0x1000
  /// The length in bytes of the model's abstract attestation token: 2,124, the CCA token of TF-RMM
  /// rmm-spec-v1.0-rel0's host build for a SHA-256 realm (measured: its host_setup realm's token, the
  /// same over random challenges).
  ///
  /// Implementation defined: a CCA token's length depends on the platform token, the keys and the
  /// realm's hash algorithm (a SHA-512 realm's measurements are longer); the model's token has
  /// one length, at most ``attestTokenBound``.
  static let attestTokenLength: Value = 0x84C
}
