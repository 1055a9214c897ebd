import Spec

/// The memory-encryption configuration of the model (DESIGN.md §6; reference/rme.md §4.1, §4.3).
///
/// - `none`: memory the platform trusts physically (no encryption engine): the RMM's scrub is
///   the only protection of a granule's old contents. The default, and the model of every
///   configuration without the `per-pas` or `per-realm` feature.
/// - `per-pas` (feature `per-pas`): one key per physical address space, as CCA requires for
///   external memory without FEAT_MEC (rme.md §4.1: "without MEC there is one context per
///   PAS"). Data written through the Realm PAS reads as ciphertext through the Non-secure PAS,
///   and the other way round; every realm and the RMM share the one Realm key.
/// - `per-realm` (feature `per-realm`, FEAT_MEC): every access to the Realm PAS carries a MECID
///   and each (Realm PAS, MECID) pair has its own key (rme.md §4.1). A realm's data is encrypted
///   under its MECID; Non-secure accesses and the RMM's own accesses (metadata, scrubbing) use
///   MECID 0.
enum Encryption: Equatable {
  case none
  case perPAS
  case perRealm

  /// The encryption a configuration selects.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` when both `per-pas` and `per-realm`
  ///   are on.
  static func of(_ configuration: Configuration) throws -> Encryption {
    switch (configuration.has(CCA.Feature.perPAS), configuration.has(CCA.Feature.perRealm)) {
    case (false, false): return .none
    case (true, false): return .perPAS
    case (false, true): return .perRealm
    case (true, true):
      throw ModelError.invalid(
        location: "configuration \(configuration.name)",
        message: "features per-pas and per-realm exclude each other; choose one encryption")
    }
  }
}

/// Encryption contexts: the key a granule's memory, or a Realm-alias cache line, was written
/// under (reference/rme.md §4.1, §4.2).
///
/// - `NS` (0): the Non-secure PAS (MECID 0).
/// - `RMM` (1): the Realm PAS with MECID 0, the RMM's own MECID (TF-RMM `RESERVED_MECID_SYSTEM`):
///   RMM metadata and scrubbing. Under `per-pas` it is the one Realm-PAS key, shared by every
///   realm.
/// - `MECID_m` (2 + m, `per-realm` only): the Realm PAS with realm MECID `m`. TF-RMM programs
///   `INTERNAL_MECID(m) = m + 1` (`lib/mec/include/mec.h`: one reserved MECID, the system's 0),
///   so the RMI's MECIDs 0 … MAX_MECID never collide with the RMM's.
///
/// Root and Secure PAS accesses are not modelled (no granule of the model is Root or Secure).
enum EncryptionContext {
  static let nonSecure: Value = 0
  static let rmm: Value = 1
  /// The context of realm MECID `m` (the RMI's numbering).
  static func mecid(_ m: Value) -> Value { 2 + m }

  /// The context domain: NS and RMM, plus one context per realm MECID under `per-realm`.
  static func domain(mecids: Int) -> Domain {
    .finite(
      FiniteSet(
        "EncryptionContext",
        [("NS", nonSecure), ("RMM", rmm)] + (0..<mecids).map { ("MECID_\($0)", mecid(Value($0))) }))
  }
}

/// The state of memory encryption, declared only when memory is encrypted (``Encryption``), so
/// that encryption `none` keeps the variables, and the state counts, of the unencrypted model.
struct EncryptionVariables {
  /// `memoryContext[g]`: the context granule `g`'s memory was last written under (NS at boot:
  /// the host's data).
  let memoryContext: Variable
  /// `realmLineContext[g]` (`per-realm` only): the context the Realm-alias line of `g` carries, its MECID tag
  /// (reference/rme.md §4.1: "a write-back uses the MECID recorded with the cache line"); RMM while the line is
  /// invalid.
  ///
  /// Non-secure lines always carry NS, and under `per-pas` Realm lines always carry the Realm key, so neither needs a
  /// variable.
  let realmLineContext: Variable?

  init(_ b: ModelBuilder, granule: Domain, encryption: Encryption, mecids: Int, taggedLines: Bool = false) {
    let context = EncryptionContext.domain(mecids: encryption == .perRealm ? mecids : 0)
    memoryContext = b.map(
      "memoryContext", keys: [granule], context,
      doc: "the encryption context the granule's memory was written under (NS at boot)",
      initial: { _ in .literal(EncryptionContext.nonSecure) })
    // With MECID-tagged lines (``LineTag``) a line's MECID is its key: no separate tag.
    realmLineContext =
      encryption == .perRealm && !taggedLines
      ? b.map(
        "realmLineContext", keys: [granule], context,
        doc: "the MECID context the granule's Realm-alias line carries (RMM when invalid)",
        initial: { _ in .literal(EncryptionContext.rmm) })
      : nil
  }
}

/// The keys of the data-cache line maps `cacheLine[g][tag]` and `cacheData[g][tag]`: the PAS alias
/// of the line and, with the `mecid-lines` feature, the MECID of a Realm-PAS line
/// (reference/rme.md §4.1: lines are tagged with the MECID of the access, several copies of one
/// location can coexist, a write-back uses the line's MECID).
///
/// Without `mecid-lines` the keys are the two cached PAS aliases (``PAS/cached``), as always, so
/// every other configuration keeps its variables, domains and state counts. With it, the Realm
/// alias splits into one line per Realm-PAS encryption context: `Realm` (the PAS value, 3) is
/// the line under MECID 0, the RMM's own (``EncryptionContext/rmm``), and `Realm_MECID_m`
/// (4 + m) the line under realm MECID `m` (``EncryptionContext/mecid(_:)``). `NS` stays the
/// Non-secure alias (MECID 0).
enum LineTag {
  /// The line of realm MECID `m` (the RMI's numbering).
  static func mecid(_ m: Value) -> Value { PAS.realm + 1 + m }

  /// The key set: the cached aliases, plus one Realm line per realm MECID when `mecids` > 0.
  static func set(mecids: Int) -> FiniteSet {
    guard mecids > 0 else { return PAS.cached }
    return FiniteSet(
      "CachedLine",
      [("NS", PAS.nonSecure), ("Realm", PAS.realm)] + (0..<mecids).map { ("Realm_MECID_\($0)", mecid(Value($0))) })
  }

  /// The Realm-PAS keys: `Realm`, then each realm MECID's, in ascending order.
  static func realmKeys(mecids: Int) -> [Value] { [PAS.realm] + (0..<mecids).map { mecid(Value($0)) } }
}
