import Spec

/// Symmetry reduction for exhaustive search: states that differ only by a renaming of the
/// elements of interchangeable index sorts are stored once.
///
/// The caller names the symmetric sorts (``ExploreOptions/symmetricSorts``): index sorts whose
/// elements the model treats alike (PEs, realms, RECs with equal roles). For a permutation `π`
/// of a sort's elements, `π(s)` is the state whose map cell `m[π(k)]` holds `π(s.m[k])`: keys of
/// the sort are renamed, and so are stored values of the sort. The group is every combination of
/// one permutation per named sort. The visited store keeps, per state, the **canonical
/// fingerprint** `mix(min over π of fingerprint(π(s)))`, the same for every state of an orbit, so
/// BFS expands one state per orbit.
///
/// BFS keeps the states it actually reached in its frontier (only the fingerprint is canonical),
/// so a trace is the one found without symmetry up to the choice of representatives: it replays
/// from the initial state in the original model, and it is still shortest (a renaming maps paths
/// to paths of the same length).
///
/// **Soundness** needs the model and the checked properties to be invariant under the renamings:
/// the initial state need not be, but every action must be enabled, fail and update alike on
/// renamed states with renamed arguments, and every property must hold in `π(s)` exactly when it
/// holds in `s`. The engine checks what it can see: each named sort exists and is not
/// `arithmetic` (the model does not compute with its indices), and no action samples a subset of
/// it. It cannot see a literal index compared with a variable (`pe == 0`); that is the model's
/// declaration, and the tests compare verdicts and orbit counts with and without symmetry.
struct Symmetry: Sendable {
  /// One slot a renaming moves or relabels: the packed locations (`word << 6 | shift`) it is
  /// written to and read from, its mask, and the offset of the value renaming in `values`, or -1.
  struct Move {
    let destination: UInt32
    let source: UInt32
    let mask: Value
    let table: Int32
  }

  /// The moves of every renaming other than the identity, renaming `r` at `starts[r] ..< starts[r + 1]`.
  let moves: UnsafeTable<Move>
  let starts: UnsafeTable<Int32>
  /// Value renamings, concatenated.
  let values: UnsafeTable<Value>
  /// The number of renamings other than the identity.
  let renamings: Int
  let words: Int
  /// Owns the tables.
  let arena: Arena

  /// The most renamings the group may have (7! = 5,040): each state costs one fingerprint per renaming.
  static let maxGroupSize = 5040

  /// Builds the renamings of the named sorts, or throws when a sort is unknown, arithmetic or
  /// sampled by an action, or the group is too large.
  init(model: Model, layout: PackedLayout, sorts names: [String]) throws(ExploreError) {
    var sorts: [String: IndexSort] = [:]
    func note(_ domain: Domain) {
      if case .index(let sort) = domain { sorts[sort.name] = sort }
    }
    for variable in model.variables {
      variable.keys.forEach(note)
      note(variable.value)
    }
    for action in model.actions { action.parameters.forEach { note($0.domain) } }
    var chosen: [IndexSort] = []
    for name in names where !chosen.contains(where: { $0.name == name }) {
      guard let sort = sorts[name] else {
        let known = sorts.keys.sorted().joined(separator: ", ")
        throw .invalidState(
          message: "symmetric sort \(name): the model has no index sort of that name (it has \(known))")
      }
      if sort.arithmetic {
        throw .invalidState(
          message: "symmetric sort \(name): the sort is arithmetic, so its elements are not interchangeable")
      }
      for action in model.actions {
        for parameter in action.parameters where parameter.domain == .index(sort) && parameter.isSampled {
          throw .invalidState(
            message:
              "symmetric sort \(name): action \(action.name) samples parameter \(parameter.name), so the sort's elements are not interchangeable"
          )
        }
      }
      chosen.append(sort)
    }
    // Every combination of one permutation per sort.
    var group: [[[Int]]] = [[]]
    for sort in chosen {
      let permutations = Self.permutations(of: sort.count)
      guard group.count * permutations.count <= Self.maxGroupSize else {
        throw .invalidState(
          message: "symmetric sorts \(names.joined(separator: ", ")): more than \(Self.maxGroupSize) renamings")
      }
      group = group.flatMap { prefix in permutations.map { prefix + [$0] } }
    }
    var moves: [Move] = []
    var starts: [Int32] = [0]
    var values: [Value] = []
    let logical = layout.logical
    for element in group.dropFirst() {  // the first is the identity
      // Offsets of this renaming's value tables, per chosen sort.
      var tables: [Int32] = []
      for permutation in element {
        tables.append(Int32(values.count))
        values.append(contentsOf: permutation.map { Value($0) })
      }
      let inverses = element.map { p in
        var inverse = p
        for (i, j) in p.enumerated() { inverse[j] = i }
        return inverse
      }
      for (v, variable) in model.variables.enumerated() {
        let id = VariableID(v)
        let renamedKeys = variable.keys.map { key in
          chosen.firstIndex { .index($0) == key }
        }
        let renamedValue = chosen.firstIndex { .index($0) == variable.value }
        if renamedKeys.allSatisfy({ $0 == nil }) && renamedValue == nil { continue }
        let offset = logical.offsets[v]
        for position in offset..<(offset + variable.slotCount) {
          // The cell written at `keys` is read from the keys the renaming maps there.
          let keys = logical.keys(of: id, position: position)
          let sourceKeys = zip(keys, renamedKeys).map { key, sort in
            sort.map { Value(inverses[$0][Int(key)]) } ?? key
          }
          guard let source = logical.position(of: id, keys: sourceKeys) else {
            preconditionFailure("a renamed key lies in its domain")
          }
          if source == position && renamedValue == nil { continue }
          moves.append(
            Move(
              destination: layout.locations[position], source: layout.locations[source],
              mask: layout.masks[v], table: renamedValue.map { tables[$0] } ?? -1))
        }
      }
      starts.append(Int32(moves.count))
    }
    let arena = Arena()
    self.arena = arena
    self.moves = arena.table(moves)
    self.starts = arena.table(starts)
    self.values = arena.table(values)
    self.renamings = group.count - 1
    self.words = layout.wordCount
  }

  /// Every permutation of `0 ..< n`, the identity first.
  static func permutations(of n: Int) -> [[Int]] {
    guard n > 1 else { return [Array(0..<max(n, 0))] }
    var result: [[Int]] = []
    for rest in permutations(of: n - 1) {
      for slot in stride(from: n - 1, through: 0, by: -1) {
        var p = rest
        p.insert(n - 1, at: slot)
        result.append(p)
      }
    }
    return result
  }

  /// Writes renaming `r` (0 ..< ``renamings``, the identity excluded) of a packed state into
  /// `target`.
  @inline(__always)
  func rename(_ r: Int, _ state: UnsafePointer<UInt64>, into target: UnsafeMutablePointer<UInt64>) {
    target.update(from: state, count: words)
    for m in Int(starts[r])..<Int(starts[r + 1]) {
      let move = moves[m]
      var bits = (state[Int(move.source >> 6)] &>> Value(move.source & 63)) & move.mask
      if move.table >= 0 { bits = values[Int(move.table) &+ Int(truncatingIfNeeded: bits)] }
      let w = Int(move.destination >> 6)
      let shift = Value(move.destination & 63)
      target[w] = (target[w] & ~(move.mask &<< shift)) | (bits &<< shift)
    }
  }

  /// The canonical fingerprint of a packed state; `scratch` holds `words` words, `plain` is the
  /// state's own fingerprint when the caller has it.
  @inline(__always)
  func canonicalFingerprint(
    _ state: UnsafePointer<UInt64>, scratch: UnsafeMutablePointer<UInt64>, plain: UInt64? = nil
  ) -> UInt64 {
    var best = plain ?? packedFingerprint(state, count: words)
    for r in 0..<renamings {
      rename(r, state, into: scratch)
      best = min(best, packedFingerprint(scratch, count: words))
    }
    // The minimum is skewed towards small values; the visited table places keys by their high
    // bits, so mix it again (a bijection, zero mapped to one).
    var h = best
    h ^= h &>> 31
    h = h &* 0x7FB5_D329_728E_A185
    h ^= h &>> 27
    h = h &* 0x81DA_DEF4_BC2D_D44D
    h ^= h &>> 33
    return h == 0 ? 1 : h
  }
}

extension CompiledModel {
  /// Tests a symmetry declaration on the first `maxStates` reachable states (in BFS order):
  /// for every such state `s` and every renaming `π` of the named sorts, each checked state
  /// property holds in `π(s)` exactly when it holds in `s`, and `s` and `π(s)` have the same
  /// successors up to renaming (the same multiset of action, result and successor orbit).
  ///
  /// This is evidence, not proof: it looks at a bounded part of the state space. It is what the
  /// tests run before trusting ``ExploreOptions/symmetricSorts`` on a configuration.
  ///
  /// - Returns: `nil` when no difference was found, else a description of the first one.
  /// - Throws: ``ExploreError`` when a sort cannot be symmetric (``Symmetry``) or a step fails.
  public func symmetryViolation(sorts: [String], properties: [Int]? = nil, maxStates: Int) throws -> String? {
    let symmetry = try Symmetry(model: model, layout: layout, sorts: sorts)
    let checked = try checkedProperties(properties).filter { !isTransitionProperty($0) }
    let words = wordsPerState
    let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
    scratch.initialize(repeating: 0, count: words)
    defer { scratch.deallocate() }
    func canonical(_ state: State) -> UInt64 {
      state.words.withUnsafeBufferPointer { symmetry.canonicalFingerprint($0.start, scratch: scratch) }
    }
    func renamed(_ r: Int, _ state: State) -> State {
      state.words.withUnsafeBufferPointer { symmetry.rename(r, $0.start, into: scratch) }
      return State(words: Array(UnsafeBufferPointer(start: scratch, count: words)))
    }
    struct Step: Hashable {
      let action: Int
      let result: String
      let successor: UInt64
    }
    func steps(_ state: State) throws -> [Step: Int] {
      var result: [Step: Int] = [:]
      for (action, _, outcome) in try successors(of: state) {
        let kind: String
        switch outcome {
        case .disabled: continue
        case .failed(let condition, let code, _): kind = "failed \(condition) \(code)"
        case .succeeded: kind = "succeeded"
        }
        result[Step(action: action, result: kind, successor: canonical(outcome.successor(of: state))), default: 0] += 1
      }
      return result
    }
    var seen: Set<State> = [initialState()]
    var queue = [initialState()]
    var next = 0
    while next < queue.count && next < maxStates {
      let state = queue[next]
      next += 1
      let own = try steps(state)
      for r in 0..<symmetry.renamings {
        let other = renamed(r, state)
        for p in checked where try holds(p, in: state) != holds(p, in: other) {
          return
            "property \(model.properties[p].name) holds in one of two states and not in the other, which differ by a renaming: \(describe(state, other))"
        }
        if try steps(other) != own {
          return
            "two states that differ by a renaming have different successors up to renaming: \(describe(state, other))"
        }
      }
      for (_, _, outcome) in try successors(of: state) {
        let successor = outcome.successor(of: state)
        if seen.insert(successor).inserted { queue.append(successor) }
      }
    }
    return nil
  }

  /// The slots where two states differ: `name: a / b`.
  private func describe(_ state: State, _ other: State) -> String {
    let layout = model.layout
    let a = values(of: state)
    let b = values(of: other)
    return a.indices.filter { a[$0] != b[$0] }.map { "\(layout.name(at: $0)): \(a[$0]) / \(b[$0])" }
      .joined(separator: ", ")
  }
}
