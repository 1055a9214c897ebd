import Spec

// MARK: - RMM 1.0 encodings (reference/rmm.md §0, §1)

/// RMI function identifiers, status codes and ABI constants of RMM 1.0 (reference/rmm.md §0, §2).
///
/// FIDs are SMC64 fast calls owned by the Standard Secure Service: `0xC4000000 | fnum`.
enum RMIABI {
  static let versionFID: Value = 0xC400_0150
  static let granuleDelegateFID: Value = 0xC400_0151
  static let granuleUndelegateFID: Value = 0xC400_0152
  static let dataCreateFID: Value = 0xC400_0153
  static let dataCreateUnknownFID: Value = 0xC400_0154
  static let dataDestroyFID: Value = 0xC400_0155
  static let realmActivateFID: Value = 0xC400_0157
  static let realmCreateFID: Value = 0xC400_0158
  static let realmDestroyFID: Value = 0xC400_0159
  static let recCreateFID: Value = 0xC400_015A
  static let recDestroyFID: Value = 0xC400_015B
  static let recEnterFID: Value = 0xC400_015C
  static let rttCreateFID: Value = 0xC400_015D
  static let rttDestroyFID: Value = 0xC400_015E
  static let rttMapUnprotectedFID: Value = 0xC400_015F
  static let rttReadEntryFID: Value = 0xC400_0161
  static let rttUnmapUnprotectedFID: Value = 0xC400_0162
  static let featuresFID: Value = 0xC400_0165
  static let rttInitRipasFID: Value = 0xC400_0168

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
  /// `RMI_UNASSIGNED`, `RMI_ASSIGNED`, `RMI_TABLE` (RmiRttEntryState, rmm.md §1.4).
  static let entryUnassigned: Value = 0
  static let entryAssigned: Value = 1
  static let entryTable: Value = 2
  /// `REC_PARAMS_FLAG_RUNNABLE` (bit 0 of RecParams.flags).
  static let recRunnableFlag: Value = 1
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
  static let live: [RTTEntry] = assignedProtected + [.table]
}
