import Spec

/// Physical address spaces, encoded as the {NSE,NS} bits EL3 puts in its translation
/// descriptors and in the PA operand of `DC CIPAPA` (reference/rme.md §1.1, §1.2).
enum PAS {
  /// `{NSE,NS} = 00`.
  static let secure: Value = 0
  /// `{NSE,NS} = 01`: the only PAS the Non-secure world can emit.
  static let nonSecure: Value = 1
  /// `{NSE,NS} = 10`.
  static let root: Value = 2
  /// `{NSE,NS} = 11`: what the RMM and realms use for protected memory.
  static let realm: Value = 3

  /// Every PAS of the base architecture.
  static let set = FiniteSet(
    "PAS", [("Secure", secure), ("NS", nonSecure), ("Root", root), ("Realm", realm)])

  /// The PAS aliases the model keeps data-cache lines for: Non-secure and Realm.
  ///
  /// These are the two a granule moves between in this issue. A cache line is tagged with its PAS, so the same
  /// physical address has one line per alias.
  static let cached = FiniteSet("CachedPAS", [("NS", nonSecure), ("Realm", realm)])

  static let cachedDomain = Domain.finite(cached)
}
