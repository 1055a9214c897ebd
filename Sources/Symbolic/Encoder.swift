import Spec
import Z3

/// Compiles a model's IR to Z3 terms: the symbolic interpretation of the one specification.
///
/// Encoding (see Docs/symbolic-encoding.md for the reasons):
/// - every value expression is a 64-bit bit-vector, so arithmetic wraps and comparisons are
///   unsigned exactly as in the concrete engine; booleans are Z3 Booleans;
/// - a value variable is stored in a bit-vector as wide as its domain and zero-extended when
///   read; maps are unrolled into one term per element (*cells*), except over a parametric sort,
///   where a cell is a Z3 array from an uninterpreted sort;
/// - map reads and writes with keys that are not constants become `ite` chains over the cells;
/// - quantifiers over enumerable domains are expanded; over a parametric sort they are Z3
///   quantifiers;
/// - division and remainder follow SMT-LIB (`bvudiv`/`bvurem`), which the concrete engine
///   matches; shifts by 64 or more give 0 in both.
final class Encoder {
  let context: Z3Context
  let model: Model
  /// Names of index sorts encoded as uninterpreted sorts.
  let parametricSorts: Set<String>
  let shapes: [VariableShape]
  let bool: Z3Sort
  let bv64: Z3Sort
  private var uninterpreted: [String: Z3Sort] = [:]
  var namedElements: [String: [Value: Z3Expr]] = [:]
  var boundTerms: [BoundVariable: Z3Expr] = [:]
  private var freshCounter = 0

  init(context: Z3Context, model: Model, parametricSorts: Set<String>) throws {
    self.context = context
    self.model = model
    self.parametricSorts = parametricSorts
    do {
      bool = try context.boolSort()
      bv64 = try context.bitVectorSort(width: 64)
    } catch { throw SymbolicError(error) }
    var shapes: [VariableShape] = []
    for variable in model.variables {
      var parametricKey: Int?
      var enumerated: [Int] = []
      for (k, key) in variable.keys.enumerated() {
        if Self.isParametric(key, parametricSorts) {
          guard parametricKey == nil else {
            throw SymbolicError.unsupported("variable \(variable.name) has two parametric keys")
          }
          parametricKey = k
        } else {
          enumerated.append(k)
        }
      }
      var strides = [Int](repeating: 1, count: enumerated.count)
      var stride = 1
      for i in enumerated.indices.reversed() {
        strides[i] = stride
        stride *= variable.keys[enumerated[i]].cardinality ?? 1
      }
      let parametricValue = Self.isParametric(variable.value, parametricSorts)
      shapes.append(
        VariableShape(
          parametricKey: parametricKey, enumeratedKeys: enumerated, strides: strides, cellCount: stride,
          width: variable.value == .bool || parametricValue ? 0 : max(variable.value.bitWidth, 1),
          parametricValue: parametricValue))
    }
    self.shapes = shapes
  }

  static func isParametric(_ domain: Domain, _ sorts: Set<String>) -> Bool {
    if case .index(let sort) = domain, sorts.contains(sort.name) { return true }
    return false
  }

  func isParametric(_ domain: Domain) -> Bool { Self.isParametric(domain, parametricSorts) }

  // MARK: - Sorts and constants

  func sort(ofParametric domain: Domain) throws -> Z3Sort {
    guard case .index(let s) = domain else { preconditionFailure("not an index sort") }
    if let sort = uninterpreted[s.name] { return sort }
    do {
      let sort = try context.uninterpretedSort(named: s.name)
      uninterpreted[s.name] = sort
      return sort
    } catch { throw SymbolicError(error) }
  }

  /// The Z3 sort that holds a cell of variable `v`.
  func cellSort(_ v: Int) throws -> Z3Sort {
    let variable = model.variables[v]
    let shape = shapes[v]
    do {
      let valueSort: Z3Sort
      if variable.value == .bool {
        valueSort = bool
      } else if shape.parametricValue {
        valueSort = try sort(ofParametric: variable.value)
      } else {
        valueSort = try context.bitVectorSort(width: shape.width)
      }
      if let p = shape.parametricKey {
        return try context.arraySort(domain: try sort(ofParametric: variable.keys[p]), range: valueSort)
      }
      return valueSort
    } catch let e as Z3Error { throw SymbolicError(e) }
  }

  /// A named constant standing for element `value` of a parametric sort (`Granule!0`).
  ///
  /// Literals of a parametric sort denote fixed, pairwise distinct elements; ``distinctness()``
  /// states that.
  func element(_ value: Value, of domain: Domain) throws -> Z3Expr {
    guard case .index(let s) = domain else { preconditionFailure("not an index sort") }
    if let e = namedElements[s.name]?[value] { return e }
    do {
      let e = try context.constant(named: "\(s.name)!\(value)", sort: try sort(ofParametric: domain))
      namedElements[s.name, default: [:]][value] = e
      return e
    } catch { throw SymbolicError(error) }
  }

  /// Axioms: distinct literals of a parametric sort are distinct elements.
  func distinctness() throws -> [Z3Expr] {
    do {
      return try namedElements.keys.sorted().compactMap { namedElements[$0] }.compactMap { elements in
        elements.count < 2 ? nil : try context.distinct(elements.keys.sorted().compactMap { elements[$0] })
      }
    } catch { throw SymbolicError(error) }
  }

  func fresh(_ prefix: String, _ sort: Z3Sort) throws -> Z3Expr {
    freshCounter += 1
    do { return try context.constant(named: "\(prefix)!\(freshCounter)", sort: sort) } catch {
      throw SymbolicError(error)
    }
  }

  /// A fresh constant for a value of `domain`: a 64-bit vector, a Boolean, or an element of a
  /// parametric sort.
  func freshValue(_ prefix: String, _ domain: Domain) throws -> Z3Expr {
    if domain == .bool { return try fresh(prefix, bool) }
    if isParametric(domain) { return try fresh(prefix, try sort(ofParametric: domain)) }
    return try fresh(prefix, bv64)
  }

  /// A constant for a free argument of a parameter with `domain`: a Boolean, an element of a
  /// parametric sort, or a bit-vector only as wide as the domain's values, zero-extended to 64
  /// bits as state cells are, so the solver bit-blasts few bits.
  func argumentConstant(_ name: String, _ domain: Domain) throws -> Z3Expr {
    if domain == .bool || isParametric(domain) { return try freshValue(name, domain) }
    let width = max(1, min(domain.bitWidth, 64))
    do {
      let narrow = try fresh(name, try context.bitVectorSort(width: width))
      return width == 64 ? narrow : try context.zeroExtend(narrow, by: 64 - width)
    } catch let e as Z3Error { throw SymbolicError(e) }
  }

  /// The constraint that keeps argument `term` of parameter `p` in its domain (in its samples
  /// when `samplesOnly`), or `nil` when its sort already does.
  func argumentConstraint(_ term: Z3Expr, _ p: Parameter, samplesOnly: Bool) throws -> Z3Expr? {
    if p.domain == .bool || isParametric(p.domain) { return nil }
    do {
      if samplesOnly { return try context.or(try p.values.map { try context.eq(term, try numeral($0)) }) }
      if case .word = p.domain { return nil }
      return try member(term, p.domain)
    } catch let e as Z3Error { throw SymbolicError(e) }
  }

  func numeral(_ v: Value) throws -> Z3Expr {
    do { return try context.bitVector(v, width: 64) } catch { throw SymbolicError(error) }
  }

  func constant(_ b: Bool) throws -> Z3Expr {
    do { return try context.bool(b) } catch { throw SymbolicError(error) }
  }

  // MARK: - States

  /// A state with a fresh constant for every cell, named after the variable.
  func freshState(_ tag: String) throws -> SymbolicState {
    var cells: [[Z3Expr]] = []
    for (v, variable) in model.variables.enumerated() {
      let sort = try cellSort(v)
      var row: [Z3Expr] = []
      for c in 0..<shapes[v].cellCount {
        row.append(try fresh("\(tag).\(variable.name)#\(c)", sort))
      }
      cells.append(row)
    }
    return SymbolicState(cells: cells)
  }

  /// The initial state: every cell holds the variable's initial-value expression.
  func initialState() throws -> SymbolicState {
    let empty = SymbolicState(cells: [])
    var cells: [[Z3Expr]] = []
    for (v, variable) in model.variables.enumerated() {
      guard let (keys, value) = model.initial[VariableID(v)] else {
        throw SymbolicError.unsupported("no initial value for \(variable.name)")
      }
      let shape = shapes[v]
      var row: [Z3Expr] = []
      for c in 0..<shape.cellCount {
        let keyValues = cellKeys(v, c)
        for (i, k) in shape.enumeratedKeys.enumerated() {
          boundTerms[keys[k]] = try numeral(keyValues[i])
        }
        if let p = shape.parametricKey {
          let x = try fresh("init.\(variable.name).key", try sort(ofParametric: variable.keys[p]))
          boundTerms[keys[p]] = x
          let body = try store(v, try compile(value, state: empty, parameters: []))
          do { row.append(try context.lambda([x], body)) } catch { throw SymbolicError(error) }
        } else {
          row.append(try store(v, try compile(value, state: empty, parameters: [])))
        }
      }
      cells.append(row)
    }
    return SymbolicState(cells: cells)
  }

  /// The values of the enumerated keys of cell `c` of variable `v`, in key order.
  func cellKeys(_ v: Int, _ c: Int) -> [Value] {
    let variable = model.variables[v]
    let shape = shapes[v]
    var rest = c
    var result: [Value] = []
    for (i, k) in shape.enumeratedKeys.enumerated() {
      let elements = variable.keys[k].elements ?? []
      result.append(elements[rest / shape.strides[i]])
      rest %= shape.strides[i]
    }
    return result
  }

  /// Domain constraints of a state whose cells are free constants: quantifier-free ones for
  /// scalar cells, and, separately, quantified ones for cells that are arrays over a parametric
  /// sort (`∀g. value(g) ∈ domain`).
  ///
  /// Leaving constraints out only makes pre-states more general, so a proof without them is
  /// still a proof; the quantified ones are costly for Z3, so induction adds them only to
  /// confirm a candidate CTI.
  ///
  /// With `terms` (keyed by sort name), a cell indexed by a parametric sort gets its constraint at each of the terms of
  /// its key's sort, among the plain ones, instead of a quantified one (``SymbolicOptions/instantiate``).
  func domainConstraints(
    _ state: SymbolicState, at terms: [String: [Z3Expr]]? = nil
  ) throws -> (plain: [Z3Expr], quantified: [Z3Expr]) {
    var plain: [Z3Expr] = []
    var quantified: [Z3Expr] = []
    do {
      for (v, variable) in model.variables.enumerated() {
        let shape = shapes[v]
        if variable.value == .bool || shape.parametricValue { continue }
        if case .word(let bits) = variable.value, bits == shape.width { continue }
        for cell in state.cells[v] {
          if let p = shape.parametricKey, let terms, case .index(let keySort) = variable.keys[p] {
            for t in terms[keySort.name] ?? [] {
              plain.append(try member(try load(v, try context.select(cell, t)), variable.value))
            }
          } else if let p = shape.parametricKey {
            let x = try fresh("dom.\(variable.name)", try sort(ofParametric: variable.keys[p]))
            let value = try load(v, try context.select(cell, x))
            quantified.append(try context.forall([x], try member(value, variable.value)))
          } else {
            plain.append(try member(try load(v, cell), variable.value))
          }
        }
      }
    } catch { throw SymbolicError(error) }
    return (plain, quantified)
  }

  /// `value ∈ domain` for a 64-bit value.
  func member(_ value: Z3Expr, _ domain: Domain) throws -> Z3Expr {
    do {
      switch domain {
      case .bool: return try context.bool(true)
      case .range(let lo, let hi):
        return try context.and(try context.bvUGE(value, try numeral(lo)), try context.bvULE(value, try numeral(hi)))
      case .finite(let set): return try context.or(try set.values.map { try context.eq(value, try numeral($0)) })
      case .index(let s): return try context.bvULT(value, try numeral(Value(s.count)))
      case .word(let bits):
        return bits >= 64 ? try context.bool(true) : try context.bvULT(value, try numeral(Value(1) << Value(bits)))
      }
    } catch let e as Z3Error { throw SymbolicError(e) }
  }

  // MARK: - Loading and storing cell values

  /// A stored cell value as an expression value (zero-extended to 64 bits).
  func load(_ v: Int, _ stored: Z3Expr) throws -> Z3Expr {
    let shape = shapes[v]
    guard shape.width > 0 else { return stored }
    if shape.width == 64 { return stored }
    do { return try context.zeroExtend(stored, by: 64 - shape.width) } catch { throw SymbolicError(error) }
  }

  /// An expression value as stored in a cell of variable `v` (truncated to the domain width).
  func store(_ v: Int, _ value: Z3Expr) throws -> Z3Expr {
    let shape = shapes[v]
    if shape.parametricValue { return try coerce(value, to: model.variables[v].value) }
    guard shape.width > 0 else { return value }
    if shape.width == 64 { return value }
    do { return try context.extract(value, high: shape.width - 1, low: 0) } catch { throw SymbolicError(error) }
  }

  /// Turns a 64-bit literal into the named element when a parametric sort is expected.
  func coerce(_ term: Z3Expr, to domain: Domain) throws -> Z3Expr {
    guard isParametric(domain) else { return term }
    do {
      if try term.sort.kind == .uninterpreted { return term }
      guard let v = try term.numeralValue else {
        throw SymbolicError.unsupported("a computed value used as an element of the parametric sort \(domain)")
      }
      return try element(v, of: domain)
    } catch let e as Z3Error { throw SymbolicError(e) }
  }

  // MARK: - Expressions

  /// Compiles an expression in a state with given parameter terms.
  func compile(_ expr: Expr, state: SymbolicState, parameters: [Z3Expr]) throws -> Z3Expr {
    do {
      switch expr {
      case .literal(let v): return try numeral(v)
      case .boolean(let b): return try context.bool(b)
      case .parameter(let i): return parameters[i]
      case .bound(let b):
        guard let term = boundTerms[b] else { throw SymbolicError.unsupported("bound variable \(b) out of scope") }
        return term
      case .read(let id, let keys):
        return try read(
          id.index, keys: try keys.map { try compile($0, state: state, parameters: parameters) }, state: state)
      case .unary(.not, let a): return try context.not(try compile(a, state: state, parameters: parameters))
      case .unary(.bitNot, let a): return try context.bvNot(try value(a, state, parameters))
      case .binary(let op, let a, let b):
        switch op {
        case .implies:
          return try context.implies(
            try compile(a, state: state, parameters: parameters), try compile(b, state: state, parameters: parameters))
        case .eq, .ne:
          var x = try compile(a, state: state, parameters: parameters)
          var y = try compile(b, state: state, parameters: parameters)
          (x, y) = try unify(x, y)
          let e = try context.eq(x, y)
          return op == .eq ? e : try context.not(e)
        default:
          let x = try value(a, state, parameters)
          let y = try value(b, state, parameters)
          switch op {
          case .lt: return try context.bvULT(x, y)
          case .le: return try context.bvULE(x, y)
          case .gt: return try context.bvUGT(x, y)
          case .ge: return try context.bvUGE(x, y)
          case .add: return try context.bvAdd(x, y)
          case .sub: return try context.bvSub(x, y)
          case .mul: return try context.bvMul(x, y)
          case .div: return try context.bvUDiv(x, y)
          case .mod: return try context.bvURem(x, y)
          case .bitAnd: return try context.bvAnd(x, y)
          case .bitOr: return try context.bvOr(x, y)
          case .bitXor: return try context.bvXor(x, y)
          case .shiftLeft: return try context.bvShl(x, y)
          case .shiftRight: return try context.bvLShr(x, y)
          case .eq, .ne, .implies: preconditionFailure("handled above")
          }
        }
      case .and(let xs): return try context.and(try xs.map { try compile($0, state: state, parameters: parameters) })
      case .or(let xs): return try context.or(try xs.map { try compile($0, state: state, parameters: parameters) })
      case .ite(let c, let a, let b):
        let cond = try compile(c, state: state, parameters: parameters)
        var x = try compile(a, state: state, parameters: parameters)
        var y = try compile(b, state: state, parameters: parameters)
        (x, y) = try unify(x, y)
        return try context.ite(cond, x, y)
      case .quantified(let q, let variable, let body):
        if isParametric(variable.domain) {
          let x = try fresh("q.\(variable)", try sort(ofParametric: variable.domain))
          boundTerms[variable] = x
          defer { boundTerms[variable] = nil }
          let b = try compile(body, state: state, parameters: parameters)
          return q == .forAll ? try context.forall([x], b) : try context.exists([x], b)
        }
        var parts: [Z3Expr] = []
        for element in variable.domain.elements ?? [] {
          boundTerms[variable] = try numeral(element)
          parts.append(try compile(body, state: state, parameters: parameters))
        }
        boundTerms[variable] = nil
        return q == .forAll ? try context.and(parts) : try context.or(parts)
      case .local(let variable, let value, let body):
        // Z3 shares the value's term among its uses, so the definition costs nothing here.
        boundTerms[variable] = try compile(value, state: state, parameters: parameters)
        defer { boundTerms[variable] = nil }
        return try compile(body, state: state, parameters: parameters)
      }
    } catch let e as Z3Error { throw SymbolicError(e) }
  }

  private func value(_ e: Expr, _ state: SymbolicState, _ parameters: [Z3Expr]) throws -> Z3Expr {
    let t = try compile(e, state: state, parameters: parameters)
    do {
      if try t.sort.kind == .uninterpreted {
        throw SymbolicError.unsupported("arithmetic or ordering on an element of a parametric sort (\(e))")
      }
    } catch let e as Z3Error { throw SymbolicError(e) }
    return t
  }

  /// Makes two terms comparable: a literal meets an element of a parametric sort as the named
  /// element.
  private func unify(_ x: Z3Expr, _ y: Z3Expr) throws -> (Z3Expr, Z3Expr) {
    do {
      let kx = try x.sort.kind
      let ky = try y.sort.kind
      if kx == .uninterpreted && ky != .uninterpreted {
        return (x, try literalElement(y, like: x))
      }
      if ky == .uninterpreted && kx != .uninterpreted {
        return (try literalElement(x, like: y), y)
      }
      return (x, y)
    } catch let e as Z3Error { throw SymbolicError(e) }
  }

  private func literalElement(_ literal: Z3Expr, like other: Z3Expr) throws -> Z3Expr {
    do {
      guard let v = try literal.numeralValue else {
        throw SymbolicError.unsupported("a computed value compared with an element of a parametric sort")
      }
      let name = try other.sort.name
      guard
        let sort = model.variables.flatMap({ $0.keys + [$0.value] }).first(where: {
          if case .index(let s) = $0 { return s.name == name }
          return false
        })
          ?? model.actions.flatMap({ $0.parameters.map(\.domain) }).first(where: {
            if case .index(let s) = $0 { return s.name == name }
            return false
          })
      else {
        throw SymbolicError.unsupported("unknown parametric sort \(name)")
      }
      return try element(v, of: sort)
    } catch let e as Z3Error { throw SymbolicError(e) }
  }

  /// The candidate cells for enumerated key terms: each with the condition under which it is the
  /// one addressed (`nil` when certain).
  func cellChoices(_ v: Int, keys: [Z3Expr]) throws -> [(cell: Int, condition: Z3Expr?)] {
    let variable = model.variables[v]
    let shape = shapes[v]
    var choices: [(Int, Z3Expr?)] = [(0, nil)]
    do {
      for (i, k) in shape.enumeratedKeys.enumerated() {
        let domain = variable.keys[k]
        let elements = domain.elements ?? []
        var key = keys[k]
        if try key.numeralValue == nil { key = try context.simplify(key) }
        if let known = try key.numeralValue {
          guard let ordinal = domain.ordinal(of: known) else {
            // Out of the domain: the concrete engine reports a model error; any cell will do.
            choices = choices.map { ($0.0, $0.1) }
            continue
          }
          choices = choices.map { ($0.0 + ordinal * shape.strides[i], $0.1) }
        } else {
          var next: [(Int, Z3Expr?)] = []
          for (c, cond) in choices {
            for (ordinal, element) in elements.enumerated() {
              let eq = try context.eq(key, try numeral(element))
              next.append((c + ordinal * shape.strides[i], try cond.map { try context.and($0, eq) } ?? eq))
            }
          }
          choices = next
        }
      }
    } catch let e as Z3Error { throw SymbolicError(e) }
    return choices
  }

  /// Reads `v[keys]`.
  func read(_ v: Int, keys: [Z3Expr], state: SymbolicState) throws -> Z3Expr {
    let shape = shapes[v]
    let variable = model.variables[v]
    let choices = try cellChoices(v, keys: keys)
    do {
      func at(_ cell: Int) throws -> Z3Expr {
        var term = state.cells[v][cell]
        if let p = shape.parametricKey {
          term = try context.select(term, try coerce(keys[p], to: variable.keys[p]))
        }
        return try load(v, term)
      }
      var result = try at(choices[choices.count - 1].cell)
      for (cell, condition) in choices.dropLast().reversed() {
        guard let condition else { return try at(cell) }
        result = try context.ite(condition, try at(cell), result)
      }
      return result
    } catch let e as Z3Error { throw SymbolicError(e) }
  }

  // MARK: - Actions

  /// The symbolic meaning of one action with given parameter terms in a state.
  struct Step {
    /// The guard.
    let enabled: Z3Expr
    /// Each failure condition, in order.
    let failures: [Z3Expr]
    /// Whether some failure condition holds.
    let failed: Z3Expr
    /// Each failure condition's index (bits [15:8] of the returned value), when not constant 0.
    let indices: [Z3Expr?]
    /// The action's outputs, evaluated in the pre-state.
    let outputs: [Z3Expr]
    /// The successor (where a failure condition holds, the pre-state with that condition's
    /// effects, which only a mutant has).
    let post: SymbolicState
    /// The cells the action may change: `(variable, cell)`.
    let written: Set<[Int]>
  }

  func step(_ a: Int, state: SymbolicState, parameters: [Z3Expr]) throws -> Step {
    let action = model.actions[a]
    do {
      let enabled = try compile(action.guardCondition, state: state, parameters: parameters)
      let failures = try action.failures.map { try compile($0.condition, state: state, parameters: parameters) }
      let failed = try context.or(failures)
      let indices = try action.failures.map {
        $0.hasConstantCode ? nil : try compile($0.index, state: state, parameters: parameters)
      }
      let outputs = try action.outputs.map { try compile($0.value, state: state, parameters: parameters) }
      var (post, written) = try apply(action.effects, to: state, parameters: parameters)
      if !action.failures.isEmpty && !action.hasFailureEffects {
        // A failed step changes nothing (the correct model's only shape).
        for key in written.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
          post.cells[key[0]][key[1]] = try context.ite(failed, state.cells[key[0]][key[1]], post.cells[key[0]][key[1]])
        }
      } else if !action.failures.isEmpty {
        // Where a failure condition holds first, the successor is the pre-state with that
        // condition's effects (none in a correct model): an `ite` chain in priority order over
        // every cell that the success effects or some failure's effects may write.
        let failurePosts = try action.failures.map { failure -> SymbolicState? in
          guard !failure.effects.isEmpty else { return nil }
          let (p, w) = try apply(failure.effects, to: state, parameters: parameters)
          written.formUnion(w)
          return p
        }
        for key in written.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
          var term = post.cells[key[0]][key[1]]
          for (condition, failurePost) in zip(failures, failurePosts).reversed() {
            term = try context.ite(condition, (failurePost ?? state).cells[key[0]][key[1]], term)
          }
          post.cells[key[0]][key[1]] = term
        }
      }
      return Step(
        enabled: enabled, failures: failures, failed: failed, indices: indices, outputs: outputs, post: post,
        written: written)
    } catch let e as Z3Error { throw SymbolicError(e) }
  }

  /// Applies a list of effects that read `state` and apply together (later ones win), giving
  /// the resulting state and the cells they may write: `(variable, cell)`.
  func apply(_ effects: [Effect], to state: SymbolicState, parameters: [Z3Expr]) throws
    -> (SymbolicState, Set<[Int]>)
  {
    var post = state
    var written: Set<[Int]> = []
    do {
      for effect in effects {
        switch effect {
        case .assign(let id, let keyExprs, let valueExpr, let when):
          let v = id.index
          let keys = try keyExprs.map { try compile($0, state: state, parameters: parameters) }
          let value = try store(v, try compile(valueExpr, state: state, parameters: parameters))
          let condition = try compile(when, state: state, parameters: parameters)
          let shape = shapes[v]
          for (cell, choice) in try cellChoices(v, keys: keys) {
            let c = try choice.map { try context.and($0, condition) } ?? condition
            let old = post.cells[v][cell]
            var new = value
            if let p = shape.parametricKey {
              new = try context.store(old, try coerce(keys[p], to: model.variables[v].keys[p]), value)
            }
            post.cells[v][cell] = try context.ite(c, new, old)
            written.insert([v, cell])
          }
        case .assignAll(let id, let bound, let conditionExpr, let valueExpr):
          let v = id.index
          let shape = shapes[v]
          for cell in 0..<shape.cellCount {
            let keyValues = cellKeys(v, cell)
            for (i, k) in shape.enumeratedKeys.enumerated() { boundTerms[bound[k]] = try numeral(keyValues[i]) }
            if let p = shape.parametricKey {
              let x = try fresh("all.\(model.variables[v].name)", try sort(ofParametric: model.variables[v].keys[p]))
              boundTerms[bound[p]] = x
              let condition = try compile(conditionExpr, state: state, parameters: parameters)
              let value = try store(v, try compile(valueExpr, state: state, parameters: parameters))
              let old = post.cells[v][cell]
              post.cells[v][cell] = try context.lambda(
                [x], try context.ite(condition, value, try context.select(old, x)))
            } else {
              let condition = try compile(conditionExpr, state: state, parameters: parameters)
              let value = try store(v, try compile(valueExpr, state: state, parameters: parameters))
              post.cells[v][cell] = try context.ite(condition, value, post.cells[v][cell])
            }
            written.insert([v, cell])
          }
          for b in bound { boundTerms[b] = nil }
        }
      }
    } catch let e as Z3Error { throw SymbolicError(e) }
    return (post, written)
  }
}
