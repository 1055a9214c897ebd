import Spec

/// A packed state of a compiled model: every slot stored in the bits its domain needs.
///
/// A `State` is only meaningful together with the ``CompiledModel`` that produced it; use
/// ``CompiledModel/values(of:)`` for the logical values and ``CompiledModel/fingerprint(_:)`` for
/// its 64-bit fingerprint. Two states of the same model are equal exactly when every variable
/// holds the same value.
public struct State: Hashable, Sendable {
  /// The packed words.
  public internal(set) var words: [UInt64]

  init(words: [UInt64]) { self.words = words }
}

// MARK: - Fingerprints

/// A 64-bit hash of packed words with good avalanche (xxHash64's round and final mix), used as
/// the fingerprint of a state in the visited store.
///
/// Never returns 0, which the visited store reserves for empty slots.
@inline(__always)
func packedFingerprint(_ words: UnsafePointer<UInt64>, count: Int) -> UInt64 {
  let p1: UInt64 = 0x9E37_79B1_85EB_CA87
  let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
  let p3: UInt64 = 0x1656_67B1_9E37_79F9
  let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
  var h: UInt64 = 0x27D4_EB2F_1656_67C5 &+ UInt64(truncatingIfNeeded: count) &* 8
  for i in 0..<count {
    var k = words[i] &* p2
    k = (k &<< 31) | (k &>> 33)
    k = k &* p1
    h ^= k
    h = ((h &<< 27) | (h &>> 37)) &* p1 &+ p4
  }
  h ^= h &>> 33
  h = h &* p2
  h ^= h &>> 29
  h = h &* p3
  h ^= h &>> 32
  return h == 0 ? 1 : h
}

// MARK: - Buffer starts

extension UnsafeBufferPointer {
  /// The first element's address; the engine only takes it of buffers it knows are non-empty
  /// (packed states have at least one word).
  @inline(__always)
  var start: UnsafePointer<Element> {
    guard let base = baseAddress else { preconditionFailure("empty buffer") }
    return base
  }
}

extension UnsafeMutableBufferPointer {
  /// The first element's address, for buffers known to be non-empty.
  @inline(__always)
  var start: UnsafeMutablePointer<Element> {
    guard let base = baseAddress else { preconditionFailure("empty buffer") }
    return base
  }
}
