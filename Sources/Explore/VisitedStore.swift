/// The visited store of exhaustive search: a fingerprint set with parent links.
///
/// An open-addressing set of fingerprints (linear probing, power-of-two capacity, at most 3/4
/// full) plus, per entry, the parent's entry number and the step (global transition index) that
/// reached it. Entries are numbered in insertion order (BFS order); the frontier carries each
/// state's entry number, so no fingerprint-to-entry map is needed and a shortest path is read
/// back by following parents. Per state this costs 8 bytes per table slot (1⅓ to 2⅔ slots per
/// state) plus 8 bytes of links.
///
/// Not thread-safe for writes: BFS reads it from all workers while a level segment expands and
/// writes it from one thread while merging.
///
/// Its stored properties opt out of dynamic exclusivity checks: one thread writes it at a time
/// by construction, and the checks cost more than the probing on the merge path.
final class VisitedStore: @unchecked Sendable {
  @exclusivity(unchecked) private(set) var capacity: Int
  @exclusivity(unchecked) private var mask: Int
  @exclusivity(unchecked) private var keys: UnsafeMutablePointer<UInt64>
  var keysPointer: UnsafeMutablePointer<UInt64> { keys }
  /// The parent entry of each entry (`noParent` for the root).
  @exclusivity(unchecked) private(set) var parents: [UInt32] = []
  /// The global transition index of the step into each entry.
  @exclusivity(unchecked) private(set) var steps: [UInt32] = []

  static let noParent = UInt32.max
  /// The most entries the store can number.
  static let maxEntries = Int(UInt32.max) - 1

  var count: Int { parents.count }

  init(capacity requested: Int = 1 << 10) {
    var c = 16
    while c < requested { c <<= 1 }
    capacity = c
    mask = c - 1
    keys = .allocate(capacity: c)
    keys.initialize(repeating: 0, count: c)
  }

  deinit {
    keys.deallocate()
  }

  /// Bytes allocated for the table and the links.
  var allocatedBytes: Int {
    capacity * MemoryLayout<UInt64>.stride
      + (parents.capacity + steps.capacity) * MemoryLayout<UInt32>.stride
  }

  /// Whether a fingerprint is in the store.
  @inline(__always)
  func contains(_ fingerprint: UInt64) -> Bool {
    var i = Int(truncatingIfNeeded: fingerprint) & mask
    while true {
      let k = keys[i]
      if k == fingerprint { return true }
      if k == 0 { return false }
      i = (i &+ 1) & mask
    }
  }

  /// Inserts a fingerprint; returns its new entry number, or `nil` when it was already there.
  @inline(__always)
  func insert(_ fingerprint: UInt64, parent: UInt32, step: UInt32) -> UInt32? {
    if (count + 1) * 4 > capacity * 3 { grow() }
    var i = Int(truncatingIfNeeded: fingerprint) & mask
    while true {
      let k = keys[i]
      if k == fingerprint { return nil }
      if k == 0 { break }
      i = (i &+ 1) & mask
    }
    let entry = UInt32(count)
    keys[i] = fingerprint
    parents.append(parent)
    steps.append(step)
    return entry
  }

  private func grow() {
    let oldKeys = keys
    let oldCapacity = capacity
    capacity <<= 1
    mask = capacity - 1
    keys = .allocate(capacity: capacity)
    keys.initialize(repeating: 0, count: capacity)
    for j in 0..<oldCapacity where oldKeys[j] != 0 {
      var i = Int(truncatingIfNeeded: oldKeys[j]) & mask
      while keys[i] != 0 { i = (i &+ 1) & mask }
      keys[i] = oldKeys[j]
    }
    oldKeys.deallocate()
  }

  /// The entries from the root to `entry`, root first.
  func path(to entry: UInt32) -> [UInt32] {
    var result: [UInt32] = []
    var e = entry
    while e != Self.noParent {
      result.append(e)
      e = parents[Int(e)]
    }
    return result.reversed()
  }

  #if EXPLORE_INTERNAL_CHECKS
    /// Checks the table: one fingerprint per entry, each reachable by probing.
    ///
    /// Also checks that every parent is older than its child. Real work only when built with
    /// `-Xswiftc -DEXPLORE_INTERNAL_CHECKS`.
    func _checkInvariants() {
      var filled = 0
      for i in 0..<capacity where keys[i] != 0 {
        filled += 1
        precondition(contains(keys[i]), "fingerprint not reachable by probing")
      }
      precondition(filled == count, "table holds \(filled) fingerprints for \(count) entries")
      for (e, p) in parents.enumerated() where p != Self.noParent {
        precondition(Int(p) < e, "parent \(p) of entry \(e) is not older")
      }
    }
  #else
    @inline(__always) func _checkInvariants() {}
  #endif
}

/// A read-only view of the visited table for the workers of one segment (the table does not
/// change while a segment expands), so the hot loop reads no class properties.
struct VisitedView: @unchecked Sendable {
  let keys: UnsafePointer<UInt64>
  let mask: Int

  /// The key in a fingerprint's home slot.
  ///
  /// Loading the home slots of a batch of fingerprints first, with no branch on the values, lets their cache misses
  /// overlap; the probes that follow then mostly hit the cache.
  @inline(__always)
  func home(_ fingerprint: UInt64) -> UInt64 {
    keys[Int(truncatingIfNeeded: fingerprint) & mask]
  }

  @inline(__always)
  func contains(_ fingerprint: UInt64) -> Bool {
    var i = Int(truncatingIfNeeded: fingerprint) & mask
    while true {
      let k = keys[i]
      if k == fingerprint { return true }
      if k == 0 { return false }
      i = (i &+ 1) & mask
    }
  }
}

extension VisitedStore {
  /// A view valid until the next insertion.
  var view: VisitedView { VisitedView(keys: UnsafePointer(keysPointer), mask: capacity - 1) }
}

/// A small fingerprint set one worker clears after each chunk, in time proportional to what it
/// inserted.
struct LocalFingerprintSet {
  private var keys: [UInt64]
  private var mask: Int
  private var used: [Int] = []

  init() {
    keys = [UInt64](repeating: 0, count: 1 << 12)
    mask = keys.count - 1
  }

  /// Inserts a fingerprint; returns whether it was new.
  @inline(__always)
  mutating func insert(_ fingerprint: UInt64) -> Bool {
    if used.count &* 2 >= keys.count { grow() }
    var i = Int(truncatingIfNeeded: fingerprint) & mask
    while true {
      let k = keys[i]
      if k == fingerprint { return false }
      if k == 0 { break }
      i = (i &+ 1) & mask
    }
    keys[i] = fingerprint
    used.append(i)
    return true
  }

  mutating func removeAll() {
    for i in used { keys[i] = 0 }
    used.removeAll(keepingCapacity: true)
  }

  private mutating func grow() {
    let old = used.map { keys[$0] }
    keys = [UInt64](repeating: 0, count: keys.count * 2)
    mask = keys.count - 1
    used.removeAll(keepingCapacity: true)
    for k in old { _ = insert(k) }
  }
}
