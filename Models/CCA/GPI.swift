import Spec

/// Granule Protection Information: the 4-bit value the GPT holds for each granule, with the
/// architecture's encodings (reference/rme.md §1.2; TF-A `gpt_rme.h`).
///
/// Only the base GPIs are modelled; SA, NSP and NSO (FEAT_RME_GDI, FEAT_RME_GPC2) come with the
/// issues that need them. Every other nibble is reserved and would make the GPT walk fault; the
/// model never writes one.
enum GPI {
  /// No access in any PAS (`0b0000`), the first step of an undelegate.
  static let noAccess: Value = 0x0
  /// `0b1000`: Secure PAS only.
  static let secure: Value = 0x8
  /// Non-secure PAS only (`0b1001`), every granule's GPI at boot in this model.
  static let nonSecure: Value = 0x9
  /// `0b1010`: Root PAS only.
  static let root: Value = 0xA
  /// Realm PAS only (`0b1011`), the GPI of a DELEGATED granule.
  static let realm: Value = 0xB
  /// `0b1111`: any PAS.
  static let any: Value = 0xF

  /// The GPI values, named as TF-A names them (`GPT_GPI_*`).
  static let set = FiniteSet(
    "GPI",
    [
      ("NO_ACCESS", noAccess), ("SECURE", secure), ("NS", nonSecure), ("ROOT", root),
      ("REALM", realm), ("ANY", any),
    ])

  static let domain = Domain.finite(set)

  /// Whether an access in PAS `pas` passes the Granule Protection Check against `gpi`.
  ///
  /// The rule for base GPIs (rme.md §1.2, QEMU `granule_protection_check`): pass iff the GPI is
  /// ANY, or the GPI is one of SECURE…REALM (`0x8…0xB`) and `pas == gpi & 3`, which works because
  /// the PAS encoding {NSE,NS} (``PAS``) equals the low two bits of those GPIs. NO_ACCESS and
  /// reserved values never pass. The check compares the access PAS with the GPI only; it never
  /// looks at who makes the access.
  static func permits(_ gpi: Expr, _ pas: Expr) -> Expr {
    gpi.eq(.literal(any)) || (gpi.ge(.literal(secure)) && gpi.le(.literal(realm)) && (gpi & 3).eq(pas))
  }
}
