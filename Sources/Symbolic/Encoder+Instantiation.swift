import Spec
import Z3

/// Instantiation of the quantifiers over parametric sorts at a finite set of ground terms.
///
/// Used by induction's instantiation mode (``SymbolicOptions/instantiate``): an assumption
/// `∀g.φ(g)` is replaced by `φ(t₁) ∧ … ∧ φ(tₙ)` (weaker, so an unsat answer is still a proof), and
/// a goal's `∀g.φ(g)` by `φ(c)` for a fresh constant `c` (equisatisfiable under the goal's
/// negation), whose constant then joins the instantiation terms.
extension Encoder {
  /// Compiles `expr`, replacing each universal quantifier over a parametric sort in a positive
  /// top-level position (under conjunctions and quantifiers only) by its instances at `terms`
  /// (keyed by sort name); any other quantifier is compiled as usual.
  ///
  /// A quantifier nested in such a quantifier (`∀g∀h`) is instantiated at `nested` instead when
  /// given (the terms before closure): the pairs kept are those whose inner term is one of them,
  /// so a symmetric fact (two RECs, two PDEVs) still has every pair with one such term, at a
  /// fraction of the square of all terms. Fewer instances only weaken the assumptions.
  func compileInstantiated(
    _ expr: Expr, state: SymbolicState, terms: [String: [Z3Expr]], nested: [String: [Z3Expr]]? = nil
  ) throws -> Z3Expr {
    switch expr {
    case .and(let xs):
      return try conjunction(
        try xs.map { try compileInstantiated($0, state: state, terms: terms, nested: nested) })
    case .quantified(.forAll, let variable, let body) where isParametric(variable.domain):
      guard case .index(let s) = variable.domain else { preconditionFailure("not an index sort") }
      var parts: [Z3Expr] = []
      for t in terms[s.name] ?? [] {
        boundTerms[variable] = t
        defer { boundTerms[variable] = nil }
        parts.append(try compileInstantiated(body, state: state, terms: nested ?? terms, nested: nested))
      }
      return try conjunction(parts)
    default:
      return try compile(expr, state: state, parameters: [])
    }
  }

  /// Compiles `expr` for use under a negation, replacing each universal quantifier over a
  /// parametric sort in a positive top-level position by its body at a fresh constant, which is
  /// appended to `skolems` (keyed by sort name).
  func compileSkolemized(
    _ expr: Expr, state: SymbolicState, skolems: inout [String: [Z3Expr]]
  ) throws -> Z3Expr {
    switch expr {
    case .and(let xs):
      var parts: [Z3Expr] = []
      for x in xs { parts.append(try compileSkolemized(x, state: state, skolems: &skolems)) }
      return try conjunction(parts)
    case .quantified(.forAll, let variable, let body) where isParametric(variable.domain):
      guard case .index(let s) = variable.domain else { preconditionFailure("not an index sort") }
      let c = try fresh("sk.\(variable)", try sort(ofParametric: variable.domain))
      skolems[s.name, default: []].append(c)
      boundTerms[variable] = c
      defer { boundTerms[variable] = nil }
      return try compileSkolemized(body, state: state, skolems: &skolems)
    default:
      return try compile(expr, state: state, parameters: [])
    }
  }

  /// The named elements of each parametric sort compiled so far (the sort's literals).
  func namedTerms() -> [String: [Z3Expr]] {
    namedElements.mapValues { elements in elements.keys.sorted().compactMap { elements[$0] } }
  }

  /// One round of closure of `terms` under the state's cells whose values are of a parametric
  /// sort: each such scalar cell (a cell not keyed by a parametric sort), and each such array cell
  /// read at every term of its key's sort and at every such scalar cell of that sort (so a pointer
  /// held in a scalar cell, such as a stream's VDEV, is followed once more).
  ///
  /// With `variables`, only those cells are followed: a cell no assumption, goal or step reads is an unconstrained
  /// element, and an instance at it adds nothing a query can use.
  func closure(
    _ terms: [String: [Z3Expr]], state: SymbolicState, variables: Set<VariableID>? = nil
  ) throws -> [String: [Z3Expr]] {
    var result = terms
    var scalars: [String: [Z3Expr]] = [:]
    let followed = model.variables.indices.filter {
      shapes[$0].parametricValue && variables?.contains(VariableID($0)) != false
    }
    for v in followed {
      let variable = model.variables[v]
      guard case .index(let valueSort) = variable.value, shapes[v].parametricKey == nil else { continue }
      scalars[valueSort.name, default: []] += state.cells[v]
    }
    for (sort, cells) in scalars { result[sort, default: []] += cells }
    for v in followed {
      let variable = model.variables[v]
      guard case .index(let valueSort) = variable.value, let p = shapes[v].parametricKey,
        case .index(let keySort) = variable.keys[p]
      else { continue }
      for cell in state.cells[v] {
        for t in (terms[keySort.name] ?? []) + (scalars[keySort.name] ?? []) {
          do { result[valueSort.name, default: []].append(try context.select(cell, t)) } catch {
            throw SymbolicError(error)
          }
        }
      }
    }
    return result.mapValues { ts in
      var seen: Set<Z3Expr> = []
      return ts.filter { seen.insert($0).inserted }
    }
  }

  /// The conjunction of `parts`, with a Z3 error turned into a ``SymbolicError``.
  private func conjunction(_ parts: [Z3Expr]) throws -> Z3Expr {
    do { return try context.and(parts) } catch { throw SymbolicError(error) }
  }
}
