import Spec

/// The RMM's granule states used in this layer, with TF-RMM's encodings
/// (reference/rmm.md §1.1; TF-RMM `granule_types.h`).
///
/// The object states (RD, REC, DATA, RTT, …) come with the RMM issue.
enum GranuleState {
  /// `0`: the granule belongs to the Non-secure world and its GPI is NS (TF-RMM calls it `NS`).
  static let undelegated: Value = 0
  /// `1`: the granule belongs to the Realm world; its GPI is REALM.
  static let delegated: Value = 1

  static let set = FiniteSet("RmmGranuleState", [("UNDELEGATED", undelegated), ("DELEGATED", delegated)])
  static let domain = Domain.finite(set)
}
