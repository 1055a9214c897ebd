/// The logical layout of a state: every variable's values, flattened in declaration order, map
/// elements in row-major order of key ordinals.
///
/// Engines may pack states differently in memory; this layout is the exchange format between
/// engines, traces and renderings.
public struct StateLayout: Hashable, Sendable {
  /// The offset of each variable's first value.
  public let offsets: [Int]
  /// For each variable, the stride of each key (row-major).
  public let strides: [[Int]]
  /// The total number of values.
  public let count: Int
  public let variables: [StateVariable]

  public init(variables: [StateVariable]) {
    var offsets: [Int] = []
    var strides: [[Int]] = []
    var next = 0
    for variable in variables {
      offsets.append(next)
      var s = [Int](repeating: 1, count: variable.keys.count)
      var stride = 1
      for k in variable.keys.indices.reversed() {
        s[k] = stride
        stride *= variable.keys[k].cardinality ?? 0
      }
      strides.append(s)
      next += variable.slotCount
    }
    self.offsets = offsets
    self.strides = strides
    self.count = next
    self.variables = variables
  }

  /// The flat position of `variable[keys]`, or `nil` when a key is outside its domain.
  public func position(of variable: VariableID, keys: [Value]) -> Int? {
    let v = variables[variable.index]
    precondition(keys.count == v.keys.count, "wrong key count for \(v.name)")
    var position = offsets[variable.index]
    for (k, key) in keys.enumerated() {
      guard let ordinal = v.keys[k].ordinal(of: key) else { return nil }
      position += ordinal * strides[variable.index][k]
    }
    return position
  }

  /// The key tuple of a flat position within a variable.
  public func keys(of variable: VariableID, position: Int) -> [Value] {
    let v = variables[variable.index]
    var rest = position - offsets[variable.index]
    var result: [Value] = []
    for k in v.keys.indices {
      let stride = strides[variable.index][k]
      result.append((v.keys[k].elements ?? [])[rest / stride])
      rest %= stride
    }
    return result
  }

  /// The variable a flat position belongs to.
  public func variable(at position: Int) -> VariableID {
    var low = 0
    var high = offsets.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if offsets[mid] <= position { low = mid } else { high = mid - 1 }
    }
    return VariableID(low)
  }

  /// A readable name for a flat position: `gpi[3]`, `cachedGPI[1][0]`, `lock`.
  public func name(at position: Int) -> String {
    let id = variable(at: position)
    let v = variables[id.index]
    let keys = keys(of: id, position: position)
    return v.name + zip(v.keys, keys).map { "[\($0.render($1))]" }.joined()
  }
}
