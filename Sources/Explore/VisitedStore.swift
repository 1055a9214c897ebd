/// The visited store of exhaustive search: a compact fingerprint set with parent links.
///
/// **The table** is an ordered linear-probing table (Amble and Knuth's ordered hash table) of
/// 64-bit fingerprints. A fingerprint's home slot is `⌊fp · capacity / 2⁶⁴⌋`, which grows with the
/// fingerprint, and every cluster is kept sorted, so the occupied slots hold the fingerprints in
/// ascending order. A lookup scans from the home slot while the keys are smaller, so a missing
/// fingerprint costs as few probes as a present one, and the table can run at load 0.8. The
/// capacity need not be a power of two: the table grows by 5/4, so it is always between 64% and 80%
/// full (10 to 12.5 bytes per state). An insertion shifts the rest of its cluster one slot right; a
/// run past the last slot lands in a small overflow area (there is no wrap-around).
///
/// **The links** are what traces need. Entries are numbered in insertion order (BFS order), and
/// BFS inserts the successors of its frontier in frontier order, so the parent of entry `e` never
/// decreases with `e`. The parents are therefore stored as a unary bit string, 2 bits per state:
/// for each parent entry in turn, one `1` per child and then a `0`; the parent of entry `e` is the
/// number of `0`s before the `e`-th `1`. The step (global transition index) into each entry is
/// stored in a bit-packed array exactly as wide as the model's largest transition index. A trace
/// is read back by following parents (a scan of the bit string per step; traces are rare).
///
/// Not thread-safe for writes: BFS reads it from all workers while a level segment expands and
/// writes it from one thread while merging.
///
/// Its stored properties opt out of dynamic exclusivity checks: one thread writes it at a time
/// by construction, and the checks cost more than the probing on the merge path.
final class VisitedStore: @unchecked Sendable {
  /// Home slots; the table allocates `capacity + overflow` slots.
  @exclusivity(unchecked) private(set) var capacity: Int
  @exclusivity(unchecked) private var allocated: Int
  @exclusivity(unchecked) private var keys: UnsafeMutablePointer<UInt64>
  @exclusivity(unchecked) private(set) var count = 0
  /// The unary parent string (see the type's documentation) and its length in bits.
  @exclusivity(unchecked) private var parentBits: [UInt64] = []
  @exclusivity(unchecked) private var parentBitCount = 0
  /// How many `0`s the parent string holds: the parent entries closed so far.
  @exclusivity(unchecked) private var closedParents: UInt32 = 0
  /// The steps, `stepWidth` bits per entry.
  @exclusivity(unchecked) private var stepWords: [UInt64] = []
  let stepWidth: Int

  static let noParent = UInt32.max
  /// The most entries the store can number.
  static let maxEntries = Int(UInt32.max) - 1
  /// The largest fraction of the home slots in use before the table grows by 5/4.
  static let maxLoadNumerator = 4
  static let maxLoadDenominator = 5
  /// Slots past the last home slot, where a cluster that reaches the end continues.
  static let overflow = 64

  /// - Parameters:
  ///   - capacity: the initial number of home slots.
  ///   - transitions: how many distinct steps there are (global transition indices
  ///     `0..<transitions`); sets the width of the stored steps.
  init(capacity requested: Int = 1 << 10, transitions: Int = 1 << 32) {
    capacity = max(16, requested)
    allocated = capacity + Self.overflow
    keys = .allocate(capacity: allocated)
    keys.initialize(repeating: 0, count: allocated)
    let largest = UInt64(max(1, min(transitions, 1 << 32)) - 1)
    stepWidth = max(1, UInt64.bitWidth - largest.leadingZeroBitCount)
  }

  deinit {
    keys.deallocate()
  }

  /// Bytes allocated for the table and the links.
  var allocatedBytes: Int {
    (allocated + parentBits.capacity + stepWords.capacity) * MemoryLayout<UInt64>.stride
  }

  @inline(__always)
  static func home(_ fingerprint: UInt64, _ capacity: Int) -> Int {
    Int(truncatingIfNeeded: fingerprint.multipliedFullWidth(by: UInt64(truncatingIfNeeded: capacity)).high)
  }

  /// Whether a fingerprint is in the store.
  @inline(__always)
  func contains(_ fingerprint: UInt64) -> Bool {
    view.contains(fingerprint)
  }

  /// Inserts a fingerprint; returns its new entry number, or `nil` when it was already there.
  ///
  /// Parents must come in non-decreasing order (BFS order); the root is inserted first, with
  /// parent ``noParent``.
  @inline(__always)
  func insert(_ fingerprint: UInt64, parent: UInt32, step: UInt32) -> UInt32? {
    precondition(fingerprint != 0, "fingerprint 0 marks an empty slot")
    if (count + 1) * Self.maxLoadDenominator > capacity * Self.maxLoadNumerator { grow() }
    var i = Self.home(fingerprint, capacity)
    while true {
      let k = keys[i]
      if k == fingerprint { return nil }
      if k == 0 || k > fingerprint { break }
      i &+= 1
    }
    if keys[i] != 0 {
      // Shift the rest of the cluster one slot right.
      var j = i &+ 1
      while keys[j] != 0 { j &+= 1 }
      if j == allocated - 1 {
        grow()
        return insert(fingerprint, parent: parent, step: step)
      }
      (keys + i + 1).moveInitialize(from: keys + i, count: j - i)
    } else if i == allocated - 1 {
      // Keep the last slot empty, so every scan stops inside the table.
      grow()
      return insert(fingerprint, parent: parent, step: step)
    }
    keys[i] = fingerprint
    appendLinks(parent: parent, step: step)
    let entry = UInt32(count)
    count += 1
    return entry
  }

  private func appendLinks(parent: UInt32, step: UInt32) {
    if count == 0 {
      precondition(parent == Self.noParent, "the first entry is the root")
      return
    }
    precondition(
      parent != Self.noParent && parent >= closedParents && Int(parent) < count,
      "parents come in BFS order")
    // Close the parents before this one, then add a child.
    let bits = parentBitCount + Int(parent - closedParents) + 1
    Self.reserve(&parentBits, bits: bits)
    parentBitCount = bits
    closedParents = parent
    parentBits[(bits - 1) >> 6] |= 1 << UInt64((bits - 1) & 63)
    // The step, at bit offset count * stepWidth.
    let offset = count * stepWidth
    Self.reserve(&stepWords, bits: offset + stepWidth)
    let value = UInt64(step) & ((1 << UInt64(stepWidth)) - 1)
    let w = offset >> 6
    let b = UInt64(offset & 63)
    stepWords[w] |= value << b
    if Int(b) + stepWidth > 64 { stepWords[w + 1] |= value >> (64 - b) }
  }

  /// Makes room for `bits` bits in a word array, growing it by 5/4 (not by doubling, so the
  /// unused capacity stays small).
  private static func reserve(_ words: inout [UInt64], bits: Int) {
    let needed = (bits + 63) >> 6
    if needed <= words.count { return }
    if needed > words.capacity { words.reserveCapacity(max(16, needed + needed / 4)) }
    words.append(contentsOf: repeatElement(0, count: needed - words.count))
  }

  /// The step into an entry other than the root.
  func step(of entry: UInt32) -> UInt32 {
    let offset = Int(entry) * stepWidth
    let w = offset >> 6
    let b = UInt64(offset & 63)
    var value = stepWords[w] >> b
    if Int(b) + stepWidth > 64 { value |= stepWords[w + 1] << (64 - b) }
    return UInt32(truncatingIfNeeded: value & ((1 << UInt64(stepWidth)) - 1))
  }

  /// The parent of an entry (``noParent`` for the root): the number of `0`s before the
  /// `entry`-th `1` of the parent string.
  func parent(of entry: UInt32) -> UInt32 {
    if entry == 0 { return Self.noParent }
    var remaining = Int(entry)  // the 1s still to pass, this entry's included
    for (w, word) in parentBits.enumerated() {
      let ones = word.nonzeroBitCount
      if ones < remaining {
        remaining -= ones
        continue
      }
      // The entry's 1 is in this word: drop the 1s before it.
      var x = word
      for _ in 1..<remaining { x &= x &- 1 }
      let position = w * 64 + x.trailingZeroBitCount
      return UInt32(position - (Int(entry) - 1))
    }
    preconditionFailure("entry \(entry) is not in the store")
  }

  /// Grows the table by 5/4, re-placing the keys in order (a linear pass, no probing).
  private func grow() {
    var newCapacity = max(capacity + 16, capacity + capacity / 4)
    while true {
      let newAllocated = newCapacity + Self.overflow
      let newKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: newAllocated)
      newKeys.initialize(repeating: 0, count: newAllocated)
      var next = 0
      var fits = true
      for j in 0..<allocated where keys[j] != 0 {
        let k = keys[j]
        let i = max(Self.home(k, newCapacity), next)
        if i >= newAllocated - 1 {
          fits = false
          break
        }
        newKeys[i] = k
        next = i + 1
      }
      if fits {
        keys.deallocate()
        keys = newKeys
        capacity = newCapacity
        allocated = newAllocated
        return
      }
      newKeys.deallocate()
      newCapacity += newCapacity / 4
    }
  }

  /// The entries from the root to `entry`, root first.
  func path(to entry: UInt32) -> [UInt32] {
    var result: [UInt32] = []
    var e = entry
    while e != Self.noParent {
      result.append(e)
      e = parent(of: e)
    }
    return result.reversed()
  }

  #if EXPLORE_INTERNAL_CHECKS
    /// Checks the table: one fingerprint per entry, in ascending order, each at or after its home
    /// slot with no empty slot in between.
    ///
    /// Also checks that every parent is older than its child. Real work only when built with
    /// `-Xswiftc -DEXPLORE_INTERNAL_CHECKS`.
    func _checkInvariants() {
      var filled = 0
      var previous: UInt64 = 0
      var lastEmpty = -1
      for i in 0..<allocated {
        let k = keys[i]
        if k == 0 {
          lastEmpty = i
          continue
        }
        filled += 1
        precondition(k > previous, "fingerprints out of order")
        previous = k
        precondition(Self.home(k, capacity) > lastEmpty, "an empty slot between a key and its home")
        precondition(Self.home(k, capacity) <= i, "a key before its home")
      }
      precondition(filled == count, "table holds \(filled) fingerprints for \(count) entries")
      for e in 1..<max(1, count) {
        precondition(parent(of: UInt32(e)) < UInt32(e), "parent of entry \(e) is not older")
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
  let capacity: Int

  /// The key in a fingerprint's home slot.
  ///
  /// Loading the home slots of a batch of fingerprints first, with no branch on the values, lets their cache misses
  /// overlap; the probes that follow then mostly hit the cache.
  @inline(__always)
  func home(_ fingerprint: UInt64) -> UInt64 {
    keys[VisitedStore.home(fingerprint, capacity)]
  }

  /// Scans from the home slot while the keys are smaller (the last slot is always empty).
  @inline(__always)
  func contains(_ fingerprint: UInt64) -> Bool {
    var i = VisitedStore.home(fingerprint, capacity)
    while true {
      let k = keys[i]
      if k == fingerprint { return true }
      if k == 0 || k > fingerprint { return false }
      i &+= 1
    }
  }
}

extension VisitedStore {
  /// A view valid until the next insertion.
  var view: VisitedView { VisitedView(keys: UnsafePointer(keys), capacity: capacity) }
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
