import Spec

/// The shape of every realm's stage-2 translation: `levels` levels of tables with `entries`
/// entries each, ending at level 3 (4 KB pages), one starting-level table (`rtt_num_start` = 1).
///
/// The architecture has 4 levels of 512 entries (starting level 0, `s2sz` 48: the `rmm-full`
/// configuration); checking uses a tiny geometry such as 2 levels of 2 entries (starting level
/// 2, IPA width 14 bits: pages at IPA 0x0, 0x1000 (protected), 0x2000, 0x3000 (unprotected)).
/// The IPA width `s2sz` is `12 + levels × log2(entries)`; IPAs below `2^(s2sz-1)` are protected
/// (reference/rmm.md §1.4), so the protected half of the IPA space is the lower half of the
/// starting-level table's entries.
///
/// The model keeps RTT entries per table, as the RMM does: an RTT granule `g` holds entries
/// `0 ..< entries` (``entrySort``), and the entry of the table at level `L` that maps `ipa` is
/// the one whose index is ``index(level:ipa:)``, the IPA bits `[12 + (3-L)·b + b - 1 : 12 + (3-L)·b]`
/// for `b = log2(entries)`. A walk starts at the realm's starting-level table and follows TABLE
/// entries down (``RMMBuilder/walkDepth(_:_:target:)``). Depths count from the starting level:
/// depth `d` is level `startLevel + d`.
struct RTTGeometry: Hashable {
  let levels: Int
  let entries: Int

  /// log2 of ``entries``.
  var entryBits: Int { entries.trailingZeroBitCount }
  /// The starting level: `4 - levels`.
  var startLevel: Int { 4 - levels }
  /// The deepest depth: level 3.
  var lastDepth: Int { levels - 1 }
  /// `s2sz`: the IPA width in bits.
  var ipaWidth: Int { 12 + levels * entryBits }
  /// The number of 4 KB pages in the IPA space.
  var pages: Int { 1 << (levels * entryBits) }
  /// The first unprotected IPA: `2^(s2sz-1)`.
  var protectedLimit: Value { Value(1) << Value(ipaWidth - 1) }
  /// The size of the IPA space: `2^s2sz`.
  var ipaLimit: Value { Value(1) << Value(ipaWidth) }

  /// The size of the IPA range one entry at depth `d` maps.
  func entrySize(depth d: Int) -> Value { Value(0x1000) << Value((levels - 1 - d) * entryBits) }
  /// The IPA bit where the index of an entry at depth `d` starts.
  func indexShift(depth d: Int) -> Value { Value(12 + (levels - 1 - d) * entryBits) }

  /// The value a protected entry of a new starting-level table has: UNASSIGNED with RIPAS EMPTY;
  /// unprotected entries are UNASSIGNED_NS.
  func initialRoot(index i: Int) -> RTTEntry { i < entries / 2 ? .unassignedEmpty : .unassignedNS }

  /// The value every entry of a granule that is not an RTT is held at, so that such rows never
  /// split otherwise equal states (with ``RMMBuilder/canonicalAddr`` and a zero descriptor).
  static let canonical: RTTEntry = .unassignedEmpty

  /// The RTTEntryIndex sort: the entry indices of one table, `0 ..< entries` (arithmetic, since
  /// IPAs are turned into indices).
  var entrySort: IndexSort { IndexSort("RTTEntryIndex", count: entries, arithmetic: true) }

  // MARK: - Expressions

  /// The depth of the entry at `level` (an expression; meaningful for levels of the geometry).
  func depth(ofLevel level: Expr) -> Expr { level - .literal(Value(startLevel)) }

  /// The index of the entry at constant depth `d` that maps `ipa`: the IPA's index bits for that
  /// level (any 64-bit `ipa` gives an index in range; callers check `ipa < 2^s2sz` first).
  func index(depth d: Int, ipa: Expr) -> Expr {
    (ipa >> .literal(indexShift(depth: d))) & .literal(Value(entries - 1))
  }

  /// The index of the entry at constant `level` that maps `ipa`.
  func index(level: Int, ipa: Expr) -> Expr { index(depth: level - startLevel, ipa: ipa) }

  /// The size of the IPA range one entry at `level` (an expression in start ...
  ///
  /// 3) maps.
  func entrySize(level: Expr) -> Expr {
    .literal(0x1000) << ((.literal(3) - level) * .literal(Value(entryBits)))
  }

  /// Whether `ipa` is aligned to the size of an entry at `level` (an expression).
  func isAligned(_ ipa: Expr, level: Expr) -> Expr {
    .or(
      (0..<levels).map { d in
        level.eq(.literal(Value(startLevel + d))) && (ipa & .literal(entrySize(depth: d) - 1)).eq(0)
      })
  }
}
