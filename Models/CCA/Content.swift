import Spec

/// Content labels: what a granule of memory, or a cache line, holds.
///
/// Memory is unencrypted in this issue (DESIGN.md §6, encryption `none`), so a label is the
/// plaintext's owner. A write replaces the label of the whole granule: the model does not track
/// bytes, only whose data is there.
struct Content {
  /// All zeroes: what the RMM's scrub leaves.
  static let zero: Value = 0
  /// Data the Non-secure host wrote (every granule holds host data at boot).
  static let host: Value = 1

  /// The number of realms, hence of realm labels.
  let realms: Int

  /// `REALM_r`: realm `r`'s private data, for `r` in `0 ..< realms`.
  func realm(_ r: Int) -> Value { 2 + Value(r) }

  var set: FiniteSet {
    FiniteSet("Content", [("ZERO", Self.zero), ("HOST", Self.host)] + (0..<realms).map { ("REALM_\($0)", realm($0)) })
  }

  var domain: Domain { .finite(set) }

  /// The label realm `r` writes, for a realm index expression (a chain of comparisons, so the
  /// Realm sort stays a pure index sort).
  func realmLabel(_ r: Expr) -> Expr {
    var label = Expr.literal(realm(realms - 1))
    for k in (0..<(realms - 1)).reversed() {
      label = .ite(r.eq(.literal(Value(k))), then: .literal(realm(k)), else: label)
    }
    return label
  }

  /// Whether a label is some realm's private data.
  func isRealmData(_ label: Expr) -> Expr {
    label.isOne(of: (0..<realms).map { .literal(realm($0)) })
  }
}
