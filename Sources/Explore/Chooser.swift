/// The source of every nondeterministic choice an engine makes: which action, which
/// arguments, which action weights.
///
/// Engines are generic over their chooser (no existential dispatch), so a seeded run and a
/// replay of its recorded picks execute the same code: replaying is running with a
/// ``ReplayChooser``.
public protocol Chooser {
  /// Returns a choice in `0 ..< count`.
  ///
  /// - Precondition: `count > 0`.
  mutating func choose(below count: Int) -> Int
}

/// SplitMix64: the seed expander (Steele, Lea and Flood), used to derive independent streams.
@inline(__always)
func splitMix64(_ state: inout UInt64) -> UInt64 {
  state &+= 0x9E37_79B9_7F4A_7C15
  var z = state
  z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z &>> 31)
}

/// A deterministic chooser: xoshiro256** seeded through SplitMix64, with unbiased bounded
/// choices (Lemire's multiply-shift with rejection).
///
/// The same seed gives the same choices on every platform and run.
public struct SeededChooser: Chooser, Sendable {
  private var s0, s1, s2, s3: UInt64
  /// The seed this chooser was created with.
  public let seed: UInt64

  /// Creates a chooser from a seed.
  public init(seed: UInt64) {
    self.seed = seed
    var x = seed
    s0 = splitMix64(&x)
    s1 = splitMix64(&x)
    s2 = splitMix64(&x)
    s3 = splitMix64(&x)
  }

  /// Creates the chooser of one stream (a walk) derived from a run's seed.
  public init(seed: UInt64, stream: UInt64) {
    var x = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
    self.init(seed: splitMix64(&x))
  }

  /// Returns the next 64 random bits.
  @inline(__always)
  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) &<< 7 | (s1 &* 5) &>> 57) &* 9
    let t = s1 &<< 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 &<< 45) | (s3 &>> 19)
    return result
  }

  @inline(__always)
  public mutating func choose(below count: Int) -> Int {
    precondition(count > 0, "choose(below:) needs a positive count")
    let bound = UInt64(count)
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return Int(product.high)
  }
}

/// A chooser that returns recorded picks in order, to re-run a choice sequence exactly.
///
/// When the recorded picks run out or a pick does not fit the asked range (the model changed),
/// it returns 0 and sets ``diverged``.
public struct ReplayChooser: Chooser, Sendable {
  /// The recorded picks, in order.
  public let picks: [Int]
  /// How many picks were asked for so far.
  public private(set) var position = 0
  /// Whether a pick was missing or out of range.
  public private(set) var diverged = false

  public init(picks: [Int]) { self.picks = picks }

  public mutating func choose(below count: Int) -> Int {
    precondition(count > 0, "choose(below:) needs a positive count")
    guard position < picks.count, picks[position] < count, picks[position] >= 0 else {
      diverged = true
      position += 1
      return 0
    }
    defer { position += 1 }
    return picks[position]
  }
}

/// A chooser that records the picks of another, for a ``ReplayChooser`` to repeat.
public struct RecordingChooser<Base: Chooser>: Chooser {
  /// The chooser whose picks are recorded.
  public var base: Base
  /// Every pick so far, in order: feed them to a ``ReplayChooser``.
  public private(set) var picks: [Int] = []

  public init(_ base: Base) { self.base = base }

  public mutating func choose(below count: Int) -> Int {
    let pick = base.choose(below: count)
    picks.append(pick)
    return pick
  }
}

extension RecordingChooser: Sendable where Base: Sendable {}
