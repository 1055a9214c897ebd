import Testing

@testable import Explore

/// A fixed-seed generator (the engine's SplitMix64), so a failure is reproducible.
private struct SplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 { splitMix64(&state) }
}

@Suite("Visited store")
struct VisitedStoreTests {
  /// Inserts random fingerprints (some repeated, some clustered) with parents in BFS order and
  /// random steps, then checks membership, entry numbers, parents and steps against plain arrays.
  @Test("The compact store answers like a set and gives back every parent and step", arguments: [1, 3, 17, 4000])
  func matchesReference(transitions: Int) {
    let seed: UInt64 = 0x16_0_5EED
    print("VisitedStoreTests seed \(String(seed, radix: 16)), transitions \(transitions)")
    var rng = SplitMix64(state: seed &+ UInt64(transitions))
    let store = VisitedStore(capacity: 16, transitions: transitions)
    var entries: [UInt64: UInt32] = [:]
    var parents: [UInt32] = []
    var steps: [UInt32] = []
    var lastParent: UInt32 = 0
    for n in 0..<8_000 {
      // Every third fingerprint is near an earlier one (long clusters); one in ten repeats.
      var fp: UInt64
      switch n % 10 {
      case 0 where !entries.isEmpty: fp = entries.keys.first!
      case 3, 6, 9: fp = (parents.isEmpty ? 1 : UInt64(parents.count)) &* 0x1_0000_0000
      default: fp = rng.next()
      }
      if fp == 0 { fp = 1 }
      let parent: UInt32
      if entries.isEmpty {
        parent = VisitedStore.noParent
      } else {
        // Non-decreasing, each older than the entry being inserted.
        lastParent = min(UInt32(entries.count - 1), lastParent + UInt32(rng.next() % 3 == 0 ? 1 : 0))
        parent = lastParent
      }
      let step = UInt32(rng.next() % UInt64(transitions))
      let inserted = store.insert(fp, parent: parent, step: step)
      if let known = entries[fp] {
        #expect(inserted == nil, "fingerprint \(fp) inserted twice (entry \(known))")
      } else {
        #expect(inserted == UInt32(entries.count))
        entries[fp] = UInt32(entries.count)
        parents.append(parent)
        steps.append(step)
      }
    }
    store._checkInvariants()
    #expect(store.count == entries.count)
    for (fp, _) in entries { #expect(store.contains(fp)) }
    for _ in 0..<2_000 {
      let fp = rng.next()
      #expect(store.contains(fp) == (entries[fp] != nil))
    }
    for e in stride(from: 0, to: parents.count, by: 7) {
      #expect(store.parent(of: UInt32(e)) == parents[e])
      if e > 0 { #expect(store.step(of: UInt32(e)) == steps[e]) }
    }
    let last = UInt32(parents.count - 1)
    var expected: [UInt32] = []
    var e = last
    while e != VisitedStore.noParent {
      expected.append(e)
      e = parents[Int(e)]
    }
    #expect(store.path(to: last) == expected.reversed())
  }
}
