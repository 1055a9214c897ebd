import Spec

/// The shape of every realm's stage-2 translation: `levels` levels of tables with `entries`
/// entries each, ending at level 3 (4 KB pages), one starting-level table (`rtt_num_start` = 1).
///
/// The architecture has 4 levels of 512 entries (starting level 0); checking uses a tiny
/// geometry such as 2 levels of 2 entries (starting level 2, IPA width 14 bits: pages at IPA
/// 0x0, 0x1000 (protected), 0x2000, 0x3000 (unprotected)). The IPA width `s2sz` is
/// `12 + levels × log2(entries)`; IPAs below `2^(s2sz-1)` are protected (reference/rmm.md §1.4).
///
/// The model keeps every realm's RTT entries in one flattened tree: the entry at depth `d`
/// (level `startLevel + d`) and index `i` (`0 ..< entries^(d+1)`, in IPA order) is node
/// `offset(d) + i`. An entry exists only while its parent entry is TABLE; absent entries hold
/// their ``initial(node:)`` value, so they never split states.
struct RTTGeometry: Hashable {
  let levels: Int
  let entries: Int

  /// log2 of ``entries``.
  var entryBits: Int { entries.trailingZeroBitCount }
  /// The starting level: `4 - levels`.
  var startLevel: Int { 4 - levels }
  /// `s2sz`: the IPA width in bits.
  var ipaWidth: Int { 12 + levels * entryBits }
  /// The number of 4 KB pages in the IPA space.
  var pages: Int { 1 << (levels * entryBits) }
  /// The first unprotected IPA: `2^(s2sz-1)`.
  var protectedLimit: Value { Value(1) << Value(ipaWidth - 1) }
  /// The size of the IPA space: `2^s2sz`.
  var ipaLimit: Value { Value(1) << Value(ipaWidth) }

  /// The number of entries at depth `d`: `entries^(d+1)`.
  func count(depth d: Int) -> Int { 1 << ((d + 1) * entryBits) }
  /// The node index of the first entry at depth `d`.
  func offset(depth d: Int) -> Int { (0..<d).reduce(0) { $0 + count(depth: $1) } }
  /// The number of nodes in the flattened tree.
  var nodes: Int { offset(depth: levels) }
  /// The size of the IPA range one entry at depth `d` maps.
  func entrySize(depth d: Int) -> Value { Value(0x1000) << Value((levels - 1 - d) * entryBits) }

  /// The depth of a node.
  func depth(ofNode n: Int) -> Int { (0..<levels).first { n < offset(depth: $0 + 1) } ?? levels - 1 }
  /// The index of a node within its depth.
  func index(ofNode n: Int) -> Int { n - offset(depth: depth(ofNode: n)) }
  /// The node of the entry at depth `d`, index `i`.
  func node(depth d: Int, index i: Int) -> Int { offset(depth: d) + i }
  /// The first IPA a node maps.
  func ipa(ofNode n: Int) -> Value { Value(index(ofNode: n)) * entrySize(depth: depth(ofNode: n)) }
  /// Whether a node maps protected IPAs.
  func isProtected(node n: Int) -> Bool { ipa(ofNode: n) < protectedLimit }
  /// The parent node of a node below the starting level.
  func parent(ofNode n: Int) -> Int? {
    let d = depth(ofNode: n)
    return d == 0 ? nil : node(depth: d - 1, index: index(ofNode: n) / entries)
  }
  /// The entries of the table a TABLE node points to.
  func children(ofNode n: Int) -> [Int] {
    let d = depth(ofNode: n)
    guard d + 1 < levels else { return [] }
    let i = index(ofNode: n)
    return (0..<entries).map { node(depth: d + 1, index: i * entries + $0) }
  }
  /// The entries of the starting-level table.
  var rootNodes: [Int] { (0..<entries).map { node(depth: 0, index: $0) } }
  /// The value an entry has when its table is created by REALM_CREATE, and while it is absent:
  /// UNASSIGNED with RIPAS EMPTY if protected, else UNASSIGNED_NS.
  func initial(node n: Int) -> RTTEntry { isProtected(node: n) ? .unassignedEmpty : .unassignedNS }

  /// The RTTNode sort: arithmetic, since IPAs are turned into node indices.
  var sort: IndexSort { IndexSort("RTTNode", count: nodes, arithmetic: true) }

  // MARK: - Expressions

  /// The depth of the entry at `level` (an expression; meaningful for levels of the geometry).
  func depth(ofLevel level: Expr) -> Expr { level - .literal(Value(startLevel)) }

  /// The node of the entry at depth `d` (a constant) that maps `ipa` (for `ipa < 2^s2sz`).
  func node(depth d: Int, ipa: Expr) -> Expr {
    let shift = Value(12 + (levels - 1 - d) * entryBits)
    return .literal(Value(offset(depth: d))) + (ipa >> .literal(shift))
  }

  /// Whether `ipa` is aligned to the size of an entry at `level` (an expression).
  func isAligned(_ ipa: Expr, level: Expr) -> Expr {
    .or(
      (0..<levels).map { d in
        level.eq(.literal(Value(startLevel + d))) && (ipa & .literal(entrySize(depth: d) - 1)).eq(0)
      })
  }
}
