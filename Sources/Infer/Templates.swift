import Dispatch
import Spec

/// The candidates a template pass produced, with the counts the reports show.
public struct CandidateSet: Sendable {
  /// The candidates true in every sampled state, strongest first within a template.
  public let candidates: [Candidate]
  /// The size of the template space before sampling: every instantiation of every template.
  public let generated: Int
  /// False when the deadline stopped generation (the candidates are then a partial set).
  public var complete: Bool = true
}

/// Instantiates templates over a model's state schema and keeps the instances that no sampled
/// state falsifies.
///
/// Templates are generic: they read only the schema (variables, key and value domains). For a
/// variable `x` they say which values it never takes (`x[k] ∉ B`, or `x[k] ∈ A` for a word
/// whose samples show few values); for two variables `x`, `y` read at keys that share
/// quantified variables of the same domain (or fresh ones, distinct from the others) they say
/// which value pairs never occur together (`x[k] = a → y[k'] ≠ b`: per-key implications,
/// equalities and ownership shapes across two keys); with two antecedents,
/// `x = a ∧ y = b → z ≠ c`.
struct Templates {
  let model: Model
  let options: InferenceOptions
  let layout: StateLayout
  /// The values each variable takes part in templates with (nil: the variable is left out).
  let values: [[Value]?]
  /// Whether a variable's value set is its whole domain (else the values the samples show).
  let enumerated: [Bool]
  /// Each sample, as the ordinal of each position's value in its variable's `values` (-1 when
  /// the variable is left out).
  let ordinals: [[Int32]]
  /// The variables templates may read (the properties' cone of influence), or nil for all.
  let within: Set<VariableID>?

  init(model: Model, samples: Samples, options: InferenceOptions, within: Set<VariableID>? = nil) {
    self.model = model
    self.options = options
    self.within = within
    layout = model.layout
    var values: [[Value]?] = []
    var enumerated: [Bool] = []
    for (v, variable) in model.variables.enumerated() {
      let keysOK = variable.keys.allSatisfy { $0.cardinality != nil }
      let parametricValue: Bool = {
        if case .index(let s) = variable.value { return options.parametricSorts.contains(s.name) }
        return false
      }()
      guard keysOK, !parametricValue else {
        values.append(nil)
        enumerated.append(false)
        continue
      }
      if let elements = variable.value.elements, elements.count <= 64 {
        values.append(elements)
        enumerated.append(true)
        continue
      }
      var seen: Set<Value> = []
      let start = layout.offsets[v]
      for s in samples.states {
        for p in start..<(start + variable.slotCount) { seen.insert(s[p]) }
        if seen.count > options.maxWordValues { break }
      }
      values.append(seen.count <= options.maxWordValues ? seen.sorted() : nil)
      enumerated.append(false)
    }
    self.values = values
    self.enumerated = enumerated
    let index: [[Value: Int32]] = values.map { vs in
      Dictionary(uniqueKeysWithValues: (vs ?? []).enumerated().map { ($0.element, Int32($0.offset)) })
    }
    let flat = model.layout
    let owner = (0..<flat.count).map { flat.variable(at: $0).index }
    // Only the positions of variables templates read matter: samples that agree on them are
    // one sample to the templates (outside the cone many states collapse).
    let read = (0..<flat.count).map { p in values[owner[p]] != nil && within?.contains(VariableID(owner[p])) != false }
    var distinct = Set<[Int32]>()
    var ordinals: [[Int32]] = []
    for s in samples.states {
      let row = s.indices.map { p in read[p] ? index[owner[p]][s[p]] ?? -1 : -1 }
      if distinct.insert(row).inserted { ordinals.append(row) }
    }
    self.ordinals = ordinals
    // A variable that takes one value everywhere in every sample is fixed by its unary
    // candidate; relating it to others adds nothing.
    var constant = [Bool](repeating: true, count: model.variables.count)
    if let first = ordinals.first {
      for row in ordinals.dropFirst() {
        for p in row.indices where constant[owner[p]] && row[p] != first[p] { constant[owner[p]] = false }
      }
      for v in model.variables.indices where constant[v] {
        let start = flat.offsets[v]
        let slots = (start..<(start + model.variables[v].slotCount)).map { first[$0] }
        if Set(slots).count > 1 { constant[v] = false }
      }
    }
    self.constant = constant
  }

  /// Whether each variable takes a single value at every position in every sample.
  let constant: [Bool]

  // MARK: - Patterns

  struct Pattern {
    var quantified: [Domain]
    var distinct: [[Int]]
    var cells: [CellPattern]
  }

  /// Every key assignment of a pattern (quantified variables to element ordinals, distinct
  /// where required), as the flat layout positions of its cells.
  func positions(_ pattern: Pattern) -> [[Int]] {
    var result: [[Int]] = []
    let sizes = pattern.quantified.map { $0.cardinality ?? 0 }
    guard !sizes.contains(0) || sizes.isEmpty else { return [] }
    var assignment = [Int](repeating: 0, count: sizes.count)
    while true {
      if pattern.distinct.allSatisfy({ assignment[$0[0]] != assignment[$0[1]] }) {
        result.append(
          pattern.cells.map { c in
            var p = layout.offsets[c.variable.index]
            for (k, key) in c.keys.enumerated() {
              let ordinal: Int
              switch key {
              case .bound(let q): ordinal = assignment[q]
              case .literal(let x): ordinal = model[c.variable].keys[k].ordinal(of: x) ?? 0
              }
              p += ordinal * layout.strides[c.variable.index][k]
            }
            return p
          })
      }
      var i = sizes.count - 1
      while i >= 0 {
        assignment[i] += 1
        if assignment[i] < sizes[i] { break }
        assignment[i] = 0
        i -= 1
      }
      if i < 0 { break }
    }
    return result
  }

  /// Extends a pattern with a read of `variable` (its last cell, given with no keys yet): each
  /// key of an enumeration is each of its elements; each key of an index sort is a quantified
  /// variable of the same sort already in the pattern or a fresh one, distinct from those.
  func extensions(of pattern: Pattern, reading variable: VariableID) -> [Pattern] {
    var result = [pattern]
    for key in model[variable].keys {
      var next: [Pattern] = []
      for p in result {
        let last = p.cells.count - 1
        func with(_ k: CellPattern.Key, _ e: Pattern) -> Pattern {
          var e = e
          e.cells[last] = CellPattern(variable: variable, keys: p.cells[last].keys + [k])
          return e
        }
        if case .finite(let set) = key {
          next += set.values.map { with(.literal($0), p) }
          continue
        }
        // A word packs facts about several keys (a descriptor holds many entries' fields), so
        // relations with a word are stated per constant key in bounded runs.
        let opaque = p.cells.contains { !enumerated[$0.variable.index] }
        if opaque && options.parametricSorts.isEmpty, let elements = key.elements {
          next += elements.map { with(.literal($0), p) }
          continue
        }
        for q in p.quantified.indices where p.quantified[q] == key { next.append(with(.bound(q), p)) }
        var e = p
        let fresh = e.quantified.count
        for q in e.quantified.indices where e.quantified[q] == key { e.distinct.append([q, fresh]) }
        e.quantified.append(key)
        next.append(with(.bound(fresh), e))
      }
      result = next
    }
    return result
  }

  /// The reads of one variable on its own: every constant for enumeration keys, fresh quantified
  /// variables (not required distinct) for index keys.
  func bases(_ v: VariableID) -> [Pattern] {
    var result = [Pattern(quantified: [], distinct: [], cells: [CellPattern(variable: v, keys: [])])]
    for key in model[v].keys {
      result = result.flatMap { p -> [Pattern] in
        var p = p
        if case .finite(let set) = key {
          return set.values.map { x in
            var e = p
            e.cells[0] = CellPattern(variable: v, keys: p.cells[0].keys + [.literal(x)])
            return e
          }
        }
        p.cells[0] = CellPattern(variable: v, keys: p.cells[0].keys + [.bound(p.quantified.count)])
        p.quantified.append(key)
        return [p]
      }
    }
    return result
  }

  /// The variables that take part in templates.
  var eligible: [VariableID] {
    model.variables.indices.map(VariableID.init).filter { values[$0.index] != nil && within?.contains($0) != false }
  }

  // MARK: - Generation

  /// Unary and one-antecedent candidates (and, with `twoAntecedents`, two-antecedent ones).
  func generate(twoAntecedents: Bool, deadline: DispatchTime = .distantFuture) -> CandidateSet {
    func late() -> Bool { DispatchTime.now() >= deadline }
    var candidates: [Candidate] = []
    var generated = 0
    let vars = eligible
    // Unary: values a variable never takes.
    var observed: [CellPattern: Set<Int32>] = [:]
    for v in vars {
      for pattern in bases(v) {
        var seen = Set<Int32>()
        for ps in positions(pattern) {
          for s in ordinals { seen.insert(s[ps[0]]) }
        }
        observed[pattern.cells[0]] = seen
        let vs = values[v.index] ?? []
        if enumerated[v.index] {
          generated += vs.count
          for (o, value) in vs.enumerated() where !seen.contains(Int32(o)) {
            candidates.append(
              Candidate(
                quantified: pattern.quantified, distinct: [], antecedents: [], cell: pattern.cells[0],
                consequent: .excludes([value])))
          }
        } else {
          generated += 1
          let seenValues = vs.indices.filter { seen.contains(Int32($0)) }.map { vs[$0] }
          candidates.append(
            Candidate(
              quantified: pattern.quantified, distinct: [], antecedents: [], cell: pattern.cells[0],
              consequent: .within(seenValues)))
        }
      }
    }
    // One antecedent: value pairs that never occur together (constant variables excepted: a
    // pair with one always says no more than the other's unary candidate).
    let varying = vars.filter { !constant[$0.index] }
    for (i, x) in varying.enumerated() {
      if late() { return CandidateSet(candidates: candidates, generated: generated, complete: false) }
      for y in varying[i...] {
        for var start in bases(x) {
          start.cells.append(CellPattern(variable: y, keys: []))
          for pattern in extensions(of: start, reading: y) {
            if x == y && pattern.cells[1].keys == pattern.cells[0].keys { continue }
            let (count, found) = pairs(pattern, observed: observed)
            generated += count
            candidates += found
          }
        }
      }
    }
    if twoAntecedents {
      guard let (count, found) = triples(varying, observed: observed, deadline: deadline) else {
        return CandidateSet(candidates: candidates, generated: generated, complete: false)
      }
      generated += count
      candidates += found
    }
    return CandidateSet(candidates: candidates, generated: generated, complete: !late())
  }

  /// The one-antecedent candidates of a two-cell pattern: `x = a → y ≠ b` for every pair of
  /// values each seen on its own but never together.
  func pairs(_ pattern: Pattern, observed: [CellPattern: Set<Int32>]) -> (Int, [Candidate]) {
    let x = pattern.cells[0]
    let y = pattern.cells[1]
    let nx = values[x.variable.index]?.count ?? 0
    let ny = values[y.variable.index]?.count ?? 0
    let assignments = positions(pattern)
    // A pattern that reads one cell twice says nothing a unary candidate does not.
    guard !assignments.isEmpty, assignments.contains(where: { $0[0] != $0[1] }) else { return (0, []) }
    var together = [Bool](repeating: false, count: nx * ny)
    for s in ordinals {
      for ps in assignments {
        let a = s[ps[0]]
        let b = s[ps[1]]
        if a >= 0 && b >= 0 { together[Int(a) * ny + Int(b)] = true }
      }
    }
    // Values each cell takes in this pattern's samples: a pair with a value never seen here
    // would be implied by a unary candidate.
    var seenX = Set<Int32>()
    var seenY = Set<Int32>()
    for a in 0..<nx {
      for b in 0..<ny where together[a * ny + b] {
        seenX.insert(Int32(a))
        seenY.insert(Int32(b))
      }
    }
    var result: [Candidate] = []
    let xs = values[x.variable.index] ?? []
    let ys = values[y.variable.index] ?? []
    for a in 0..<nx where seenX.contains(Int32(a)) {
      for b in 0..<ny where seenY.contains(Int32(b)) && !together[a * ny + b] {
        result.append(
          Candidate(
            quantified: pattern.quantified, distinct: pattern.distinct,
            antecedents: [.init(cell: x, value: xs[a])], cell: y, consequent: .excludes([ys[b]])))
      }
    }
    return (nx * ny, result)
  }

  /// Two-antecedent candidates over cells that share all their keys' domains with the first
  /// (per-key patterns only, so the space stays polynomial): `x = a ∧ y = b → z ≠ c` where
  /// every pair of the three values occurs together but the triple never does.
  func triples(_ vars: [VariableID], observed: [CellPattern: Set<Int32>], deadline: DispatchTime) -> (Int, [Candidate])?
  {
    var generated = 0
    var result: [Candidate] = []
    for (i, x) in vars.enumerated() {
      for (j, y) in vars.enumerated() where j > i {
        if DispatchTime.now() >= deadline { return nil }
        for z in vars where z != x && z != y {
          for var start in bases(x) {
            start.cells.append(CellPattern(variable: y, keys: []))
            for p2 in extensions(of: start, reading: y) {
              var p3 = p2
              p3.cells.append(CellPattern(variable: z, keys: []))
              for pattern in extensions(of: p3, reading: z) where pattern.quantified.count == p2.quantified.count {
                let (count, found) = triple(pattern)
                generated += count
                result += found
              }
            }
          }
        }
      }
    }
    return (generated, result)
  }

  func triple(_ pattern: Pattern) -> (Int, [Candidate]) {
    let cells = pattern.cells
    let n = cells.map { values[$0.variable.index]?.count ?? 0 }
    let assignments = positions(pattern)
    guard !assignments.isEmpty, n[0] * n[1] * n[2] <= 4096 else { return (0, []) }
    var seen = [Bool](repeating: false, count: n[0] * n[1] * n[2])
    for s in ordinals {
      for ps in assignments {
        let a = s[ps[0]], b = s[ps[1]], c = s[ps[2]]
        if a >= 0 && b >= 0 && c >= 0 { seen[(Int(a) * n[1] + Int(b)) * n[2] + Int(c)] = true }
      }
    }
    var ab = Set<[Int]>(), ac = Set<[Int]>(), bc = Set<[Int]>()
    for a in 0..<n[0] {
      for b in 0..<n[1] {
        for c in 0..<n[2] where seen[(a * n[1] + b) * n[2] + c] {
          ab.insert([a, b]); ac.insert([a, c]); bc.insert([b, c])
        }
      }
    }
    let vs = cells.map { values[$0.variable.index] ?? [] }
    var result: [Candidate] = []
    for a in 0..<n[0] {
      for b in 0..<n[1] where ab.contains([a, b]) {
        for c in 0..<n[2] where !seen[(a * n[1] + b) * n[2] + c] && ac.contains([a, c]) && bc.contains([b, c]) {
          result.append(
            Candidate(
              quantified: pattern.quantified, distinct: pattern.distinct,
              antecedents: [.init(cell: cells[0], value: vs[0][a]), .init(cell: cells[1], value: vs[1][b])],
              cell: cells[2], consequent: .excludes([vs[2][c]])))
        }
      }
    }
    return (n[0] * n[1] * n[2], result)
  }
}
