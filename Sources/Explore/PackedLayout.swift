import Spec

// MARK: - Arena tables

/// Memory for the lookup tables compiled closures capture, freed with the compiled model.
///
/// Closures capture ``UnsafeTable``s (trivial structs) instead of arrays, so reading a table in
/// the hot path never retains or releases anything.
final class Arena: @unchecked Sendable {
  private var blocks: [UnsafeMutableRawPointer] = []

  /// Copies an array into the arena.
  func table<T: BitwiseCopyable>(_ array: [T]) -> UnsafeTable<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
    array.withUnsafeBufferPointer { buffer in
      if let base = buffer.baseAddress { pointer.initialize(from: base, count: buffer.count) }
    }
    blocks.append(UnsafeMutableRawPointer(pointer))
    return UnsafeTable(base: UnsafePointer(pointer), count: array.count)
  }

  deinit {
    for block in blocks { block.deallocate() }
  }
}

/// A read-only table in an ``Arena``.
struct UnsafeTable<T: BitwiseCopyable>: @unchecked Sendable {
  let base: UnsafePointer<T>
  let count: Int

  @inline(__always)
  subscript(_ i: Int) -> T { base[i] }

  var isEmpty: Bool { count == 0 }
}

// MARK: - Finite-set lookup

/// Maps the values of a finite set to their ordinals quickly: a dense table when the largest
/// value is small, a sorted table with binary search otherwise.
struct FiniteLookup: Sendable {
  /// The elements in declaration (ordinal) order.
  let values: UnsafeTable<Value>
  /// `dense[v]` is the ordinal of `v`, or -1; empty when the set is sparse.
  let dense: UnsafeTable<Int32>
  /// Sorted values and their ordinals, for sparse sets.
  let sortedValues: UnsafeTable<Value>
  let sortedOrdinals: UnsafeTable<Int32>

  static let denseLimit: Value = 1 << 12

  init(_ values: [Value], arena: Arena) {
    self.values = arena.table(values)
    let maxValue = values.max() ?? 0
    if maxValue < Self.denseLimit {
      var table = [Int32](repeating: -1, count: Int(maxValue) + 1)
      for (ordinal, value) in values.enumerated() { table[Int(value)] = Int32(ordinal) }
      dense = arena.table(table)
      sortedValues = arena.table([])
      sortedOrdinals = arena.table([])
    } else {
      dense = arena.table([])
      let pairs = values.enumerated().sorted { $0.element < $1.element }
      sortedValues = arena.table(pairs.map(\.element))
      sortedOrdinals = arena.table(pairs.map { Int32($0.offset) })
    }
  }

  /// The ordinal of `value`, or -1 when it is not an element.
  @inline(__always)
  func ordinal(_ value: Value) -> Int {
    if !dense.isEmpty {
      return value < Value(dense.count) ? Int(dense[Int(value)]) : -1
    }
    var low = 0
    var high = sortedValues.count
    while low < high {
      let mid = (low &+ high) >> 1
      if sortedValues[mid] < value { low = mid &+ 1 } else { high = mid }
    }
    return low < sortedValues.count && sortedValues[low] == value ? Int(sortedOrdinals[low]) : -1
  }
}

// MARK: - Key ordinals

/// Converts a key value of an enumerable domain to its ordinal (``Domain/ordinal(of:)``) with
/// direct arithmetic where the domain allows it.
enum KeyOrdinal: Sendable {
  /// Ordinal = value, valid when `value < count` (bool, index sorts, finite sets `0 ..< n`).
  case below(Value)
  /// Ordinal = value - lower, valid when it is at most `span` (ranges).
  case offset(lower: Value, span: Value)
  /// A finite set with other encodings.
  case lookup(FiniteLookup)

  init(_ domain: Domain, arena: Arena) {
    switch domain {
    case .bool: self = .below(2)
    case .index(let sort): self = .below(Value(sort.count))
    case .range(let lower, let upper):
      self = lower == 0 ? .below(upper &+ 1) : .offset(lower: lower, span: upper &- lower)
    case .finite(let set):
      if set.values == (0..<set.values.count).map({ Value($0) }) {
        self = .below(Value(set.values.count))
      } else {
        self = .lookup(FiniteLookup(set.values, arena: arena))
      }
    case .word:
      preconditionFailure("validated models have no word key domains")
    }
  }

  /// The ordinal of `value`, or -1 when it lies outside the domain.
  @inline(__always)
  func ordinal(_ value: Value) -> Int {
    switch self {
    case .below(let count): return value < count ? Int(truncatingIfNeeded: value) : -1
    case .offset(let lower, let span):
      let d = value &- lower
      return d <= span ? Int(truncatingIfNeeded: d) : -1
    case .lookup(let table): return table.ordinal(value)
    }
  }
}

// MARK: - Slot codecs

/// How one variable's values are stored in the bits of its slots.
///
/// Values are stored raw when that costs no more bits than their ordinal (booleans, index
/// sorts, ranges from 0, words, finite sets whose largest value needs no more bits than their
/// count); otherwise the slot holds `value - lower` (ranges) or the ordinal (sparse finite
/// sets). Either way a slot never needs more than ``Domain/bitWidth`` bits.
enum SlotCodec: Sendable {
  /// Stored = value; valid when `value <= max`.
  case raw(max: Value)
  /// Stored = value - lower; valid when that is at most `span`.
  case offset(lower: Value, span: Value)
  /// Stored = value, valid when it is an element of the set.
  case rawSet(FiniteLookup)
  /// Stored = ordinal of the value in the set.
  case ordinal(FiniteLookup)

  /// The codec and the number of bits per slot for a domain.
  static func make(_ domain: Domain, arena: Arena) -> (SlotCodec, bits: Int) {
    switch domain {
    case .bool: return (.raw(max: 1), 1)
    case .index(let sort): return (.raw(max: Value(max(sort.count, 1) - 1)), domain.bitWidth)
    case .word(let bits): return (.raw(max: bits >= 64 ? ~0 : (Value(1) << Value(bits)) &- 1), bits)
    case .range(let lower, let upper):
      if lower == 0 { return (.raw(max: upper), domain.bitWidth) }
      let span = upper >= lower ? upper - lower : 0
      return (.offset(lower: lower, span: span), bitsFor(span))
    case .finite(let set):
      let count = set.values.count
      let ordinalBits = bitsFor(Value(max(count, 1) - 1))
      if set.values == (0..<count).map({ Value($0) }) {
        return (.raw(max: Value(max(count, 1) - 1)), ordinalBits)
      }
      let lookup = FiniteLookup(set.values, arena: arena)
      if domain.bitWidth <= ordinalBits { return (.rawSet(lookup), domain.bitWidth) }
      return (.ordinal(lookup), ordinalBits)
    }
  }

  static func bitsFor(_ maxValue: Value) -> Int {
    maxValue == 0 ? 1 : 64 - maxValue.leadingZeroBitCount
  }

  /// The stored bits of `value`, or `nil` when the value lies outside the domain.
  @inline(__always)
  func encode(_ value: Value) -> Value? {
    switch self {
    case .raw(let max): return value <= max ? value : nil
    case .offset(let lower, let span):
      let d = value &- lower
      return d <= span ? d : nil
    case .rawSet(let table): return table.ordinal(value) >= 0 ? value : nil
    case .ordinal(let table):
      let o = table.ordinal(value)
      return o >= 0 ? Value(o) : nil
    }
  }

  /// The value held by stored bits.
  @inline(__always)
  func decode(_ bits: Value) -> Value {
    switch self {
    case .raw, .rawSet: return bits
    case .offset(let lower, _): return bits &+ lower
    case .ordinal(let table): return table.values[Int(truncatingIfNeeded: bits)]
    }
  }

  /// Whether decoding is the identity.
  var isIdentity: Bool {
    switch self {
    case .raw, .rawSet: return true
    case .offset, .ordinal: return false
    }
  }
}

// MARK: - Packed layout

/// Where each logical slot of a state lives in the packed words: every slot takes exactly the
/// bits its codec needs, slots are laid out in ``StateLayout`` order, and a slot never straddles
/// two words (so reading one is a shift and a mask).
struct PackedLayout: Sendable {
  /// The logical layout (traces, `values(of:)`).
  let logical: StateLayout
  /// The number of 64-bit words per packed state.
  let wordCount: Int
  /// For every logical slot: `word << 6 | shift`.
  let locations: UnsafeTable<UInt32>
  /// Per variable: bits per slot, the slot mask, and the codec.
  let bits: [Int]
  let masks: [Value]
  let codecs: [SlotCodec]
  /// The number of bits actually used by slots (the rest is padding at word ends).
  let usedBits: Int

  init(variables: [StateVariable], arena: Arena) {
    logical = StateLayout(variables: variables)
    var locations: [UInt32] = []
    locations.reserveCapacity(logical.count)
    var bits: [Int] = []
    var masks: [Value] = []
    var codecs: [SlotCodec] = []
    var word = 0
    var shift = 0
    var used = 0
    for variable in variables {
      let (codec, width) = SlotCodec.make(variable.value, arena: arena)
      bits.append(width)
      masks.append(width >= 64 ? ~0 : (Value(1) << Value(width)) &- 1)
      codecs.append(codec)
      for _ in 0..<variable.slotCount {
        if shift + width > 64 {
          word += 1
          shift = 0
        }
        locations.append(UInt32(word) << 6 | UInt32(shift))
        shift += width
        used += width
      }
    }
    self.locations = arena.table(locations)
    self.bits = bits
    self.masks = masks
    self.codecs = codecs
    self.wordCount = logical.count == 0 ? 1 : (shift == 0 ? word : word + 1)
    self.usedBits = used
  }

  /// The stored bits of the slot at a logical position.
  @inline(__always)
  func load(_ words: UnsafePointer<UInt64>, position: Int, mask: Value) -> Value {
    let location = locations[position]
    return (words[Int(location >> 6)] &>> Value(location & 63)) & mask
  }

  /// Overwrites the stored bits of the slot at a logical position.
  @inline(__always)
  func store(_ words: UnsafeMutablePointer<UInt64>, position: Int, mask: Value, bits: Value) {
    let location = locations[position]
    let w = Int(location >> 6)
    let shift = Value(location & 63)
    words[w] = (words[w] & ~(mask &<< shift)) | (bits &<< shift)
  }
}
