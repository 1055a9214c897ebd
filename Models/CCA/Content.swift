import Spec

/// Content labels: what a granule of memory, or a cache line, holds.
///
/// A label names whose data is there: the model does not track bytes, and a write replaces the
/// label of the whole granule. With encryption `none` (DESIGN.md §6) memory is trusted
/// physically and a label is the plaintext's owner. With `per-pas` or `per-realm` encryption
/// (``Encryption``) memory also records the encryption context each granule was written under
/// (``EncryptionContext``), and a read under another context returns ``ciphertext``: bytes
/// that are nobody's plaintext (reference/rme.md §4.1: a wrong-MECID access does not fault, it
/// decrypts with the wrong key and returns garbage).
struct Content {
  /// All zeroes: what the RMM's scrub leaves.
  static let zero: Value = 0
  /// Data the Non-secure host wrote (every granule holds host data at boot).
  static let host: Value = 1

  /// The number of realms, hence of realm labels.
  let realms: Int
  /// Whether memory is encrypted: only then does the ``ciphertext`` label exist (so encryption
  /// `none` keeps the domain, and the state counts, of the unencrypted model).
  let encrypted: Bool

  init(realms: Int, encrypted: Bool = false) {
    self.realms = realms
    self.encrypted = encrypted
  }

  /// `REALM_r`: realm `r`'s private data, for `r` in `0 ..< realms`.
  func realm(_ r: Int) -> Value { 2 + Value(r) }

  /// `CIPHERTEXT`: what a read under the wrong encryption context returns, and what memory
  /// written under a key that has since been refreshed holds (encrypted configurations only).
  var ciphertext: Value { 2 + Value(realms) }

  var set: FiniteSet {
    FiniteSet(
      "Content",
      [("ZERO", Self.zero), ("HOST", Self.host)] + (0..<realms).map { ("REALM_\($0)", realm($0)) }
        + (encrypted ? [("CIPHERTEXT", ciphertext)] : []))
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

  /// Whether a label is some realm's private data (plaintext: ``ciphertext`` is not).
  func isRealmData(_ label: Expr) -> Expr {
    label.isOne(of: (0..<realms).map { .literal(realm($0)) })
  }
}
