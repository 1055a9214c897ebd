import Spec

/// RMI function identifiers and status codes used by this layer (reference/rmm.md §0, §2).
enum RMI {
  /// `RMI_GRANULE_DELEGATE`, SMC64 FID `0xC4000151` (rmm.md §2.3).
  static let granuleDelegateFID: Value = 0xC400_0151
  /// `RMI_GRANULE_UNDELEGATE`, SMC64 FID `0xC4000152` (rmm.md §2.4).
  static let granuleUndelegateFID: Value = 0xC400_0152
  /// `RMI_SUCCESS`.
  static let success: Value = 0
  /// `RMI_ERROR_INPUT`: X0 = 1 | 0 << 8 (rmm.md §0.1).
  static let errorInput: Value = 1
}

/// The RMM-EL3 interface calls the RMM makes for granule transitions (reference/rme.md §2.1).
enum RMMEL3 {
  /// `RMM_GTSI_DELEGATE`, SMC64 FID `0xC40001B0`.
  static let gtsiDelegateFID: Value = 0xC400_01B0
  /// `RMM_GTSI_UNDELEGATE`, SMC64 FID `0xC40001B1`.
  static let gtsiUndelegateFID: Value = 0xC400_01B1
}

/// The status an access returns when the Granule Protection Check fails.
///
/// A Granule Protection Fault is reported with fault status code `0x28` ("GPF not on
/// translation table walk", reference/rme.md §1.5). The access does not happen.
enum GPF {
  static let faultStatusCode: Value = 0x28
  static let name = "GPF"
}
