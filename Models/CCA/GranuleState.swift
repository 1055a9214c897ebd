import Spec

/// The RMM's granule states, with TF-RMM's encodings (reference/rmm.md §1.1; TF-RMM
/// `granule_types.h`).
///
/// Without the `rmm` feature the model has only UNDELEGATED and DELEGATED (``domain``); with it,
/// the object states RD, REC, REC_AUX, DATA and RTT too (``rmmDomain``).
enum GranuleState {
  /// `0`: the granule belongs to the Non-secure world and its GPI is NS (TF-RMM calls it `NS`).
  static let undelegated: Value = 0
  /// `1`: the granule belongs to the Realm world; its GPI is REALM.
  static let delegated: Value = 1
  /// `2`: a Realm Descriptor; its reference count is the number of the realm's RECs.
  static let rd: Value = 2
  /// `3`: a REC; reference count 1 while it runs (REC_RUNNING), else 0.
  static let rec: Value = 3
  /// `4`: an auxiliary REC granule.
  static let recAux: Value = 4
  /// `5`: a protected data page, referenced by exactly one RTT entry.
  static let data: Value = 5
  /// `6`: a Realm Translation Table; its reference count is its number of live entries.
  static let rtt: Value = 6
  /// `7` (the `da` feature, RMM 1.1 [1.1-UNSTABLE]): a physical device object (PDEV).
  static let pdev: Value = 7
  /// `8` (the `da` feature): a virtual device object (VDEV), a TDI bound to a realm.
  static let vdev: Value = 8
  /// `9` (the `da` feature): a device-memory granule mapped in a realm's RTT by RMI_VDEV_MAP
  /// (TF-RMM 1.1 `DEV_GRANULE_STATE_MAPPED`; its NS and DELEGATED states are UNDELEGATED and
  /// DELEGATED here).
  static let devMapped: Value = 9

  static let set = FiniteSet("RmmGranuleState", [("UNDELEGATED", undelegated), ("DELEGATED", delegated)])
  static let domain = Domain.finite(set)

  static let rmmSet = FiniteSet(
    "RmmGranuleState",
    [
      ("UNDELEGATED", undelegated), ("DELEGATED", delegated), ("RD", rd), ("REC", rec), ("REC_AUX", recAux),
      ("DATA", data), ("RTT", rtt),
    ])
  static let rmmDomain = Domain.finite(rmmSet)

  /// With the `da` feature, PDEV and VDEV too (the model's encodings: the pinned revision's
  /// values are not in the reference).
  static let daDomain = Domain.finite(
    FiniteSet(
      "RmmGranuleState",
      Array(zip(rmmSet.labels, rmmSet.values)) + [("PDEV", pdev), ("VDEV", vdev), ("DEV_MAPPED", devMapped)]))

  /// The domain for a configuration: the object states only with the `rmm` feature.
  static func domain(for configuration: Configuration) -> Domain {
    configuration.has(CCA.Feature.da) ? daDomain : configuration.has(CCA.Feature.rmm) ? rmmDomain : domain
  }
}
