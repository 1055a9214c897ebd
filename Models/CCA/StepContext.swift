import Spec

/// Something that reads state variables as expressions: the pre-state of an action (``PreState``)
/// or the state part-way through a run of steps (``StepContext``).
protocol StateReader {
  /// The value of `variable[keys]`.
  func read(_ variable: Variable, _ keys: [Expr]) -> Expr
}

extension StateReader {
  /// The value of a scalar variable.
  func read(_ variable: Variable) -> Expr { read(variable, []) }
}

/// Reads the state an action or a property starts from.
struct PreState: StateReader {
  func read(_ variable: Variable, _ keys: [Expr]) -> Expr { variable.at(keys) }
}

/// Composes the effects of a run of steps into the failure conditions and effects of one action.
///
/// A step reads the state as the previous steps left it and writes the state the next step
/// reads; all writes of one step read the state from before that step, as the effects of one
/// action do. The context turns each read into an expression over the action's pre-state by
/// substituting earlier steps' writes (a write `v[k] := e when c` turns a later read of `v[j]`
/// into `c ∧ j = k ? e : v[j]`), then emits every write, in order, as an effect: the IR applies
/// effects in list order with later writes winning, which gives exactly the sequential result.
///
/// One step (every fine-mode action) is the trivial run. An atomic-mode RMI command runs the
/// whole EL3 sequence of fine mode through one context, so both modes share one definition of
/// every step and every mutant applies to both.
///
/// A failure condition or requirement stated by step `i` is over the state before step `i`; a
/// failure aborts the whole action with no effect, a requirement that does not hold makes the
/// whole action not enabled.
final class StepContext: StateReader {
  private enum Write {
    case one(Variable, keys: [Expr], value: Expr, when: Expr)
    case all(Variable, keys: [BoundVariable], condition: Expr, value: Expr)
    var variable: Variable {
      switch self {
      case .one(let v, _, _, _), .all(let v, _, _, _): return v
      }
    }
  }

  private var committed: [Write] = []
  private var pending: [Write] = []
  /// Ghost writes (``writeGhost(_:_:_:when:)``), emitted after every other effect.
  private var ghosts: [Write] = []
  private var failures: [FailureCondition] = []
  private var requirements: [Expr] = []

  /// Reads `variable[keys]` as the steps before the current one left it.
  func read(_ variable: Variable, _ keys: [Expr]) -> Expr {
    var result = variable.at(keys)
    for write in committed where write.variable.id == variable.id {
      switch write {
      case .one(_, let writeKeys, let value, let condition):
        result = Self.select(condition && Self.equal(keys, writeKeys), value, result)
      case .all(_, let bound, let condition, let value):
        let map = Dictionary(uniqueKeysWithValues: zip(bound, keys))
        result = Self.select(condition.substituting(map), value.substituting(map), result)
      }
    }
    return result
  }

  /// Writes `variable[keys] := value` when `condition` holds.
  func write(_ variable: Variable, _ keys: [Expr], _ value: Expr, when condition: Expr = true) {
    pending.append(.one(variable, keys: keys, value: value, when: condition))
  }

  /// Writes the ghost `variable[keys] := value` when `condition` holds (both over the action's pre-state), as the
  /// action's last effect: no step reads a ghost, and putting its writes after the others keeps the positions of the
  /// other effects (the mutants' ids) what they are without it.
  func writeGhost(_ variable: Variable, _ keys: [Expr], _ value: Expr, when condition: Expr = true) {
    ghosts.append(.one(variable, keys: keys, value: value, when: condition))
  }

  /// Writes `variable[k] := value(k)` for every key tuple `k` with `condition(k)`.
  func writeAll(_ variable: Variable, where condition: ([Expr]) -> Expr, to value: ([Expr]) -> Expr) {
    let bound = variable.keyDomains.map { BoundVariable($0) }
    let keys = bound.map { Expr.bound($0) }
    pending.append(.all(variable, keys: bound, condition: condition(keys), value: value(keys)))
  }

  /// Adds a failure condition over the state before the current step.
  func fail(_ name: String, error: String, code: Value, when condition: Expr) {
    failures.append(FailureCondition(name: name, error: error, code: code, when: condition))
  }

  /// Adds to the action's guard a condition over the state before the current step: the run
  /// cannot take place unless it holds.
  ///
  /// A requirement only matters when the run gets that far: the action stays enabled, and fails,
  /// when a failure condition stated before the requirement holds.
  func require(_ condition: Expr) {
    requirements.append(.or(failures.map(\.condition)) || condition)
  }

  /// Ends the current step: later reads see its writes.
  func endStep() {
    committed += pending
    pending = []
  }

  /// Adds the requirements, failure conditions and effects of every step to an action, after
  /// the action's own guard and failure conditions.
  func emit(into action: ActionBuilder) {
    endStep()
    committed += ghosts
    ghosts = []
    for requirement in requirements { action.requires(requirement) }
    for failure in failures {
      action.fail(failure.name, error: failure.error, code: failure.code, when: failure.condition)
    }
    for (index, write) in committed.enumerated() {
      switch write {
      case .one(let variable, let keys, let value, let condition):
        // A write that a later unconditional write to the same element replaces is dropped (the
        // IR rejects two unconditional writes of one element, and the later one wins anyway).
        let replaced = committed[(index + 1)...].contains {
          if case .one(let v, let k, _, .boolean(true)) = $0 { return v.id == variable.id && k == keys }
          return false
        }
        if replaced || condition == .boolean(false) { continue }
        action.when(condition) { action.set(variable, keys, to: value) }
      case .all(let variable, let bound, let condition, let value):
        action.setAll(
          variable,
          where: { keys in
            condition.substituting(Dictionary(uniqueKeysWithValues: zip(bound, keys)))
          },
          to: { keys in
            value.substituting(Dictionary(uniqueKeysWithValues: zip(bound, keys)))
          })
      }
    }
  }

  // MARK: - Simplification

  /// `condition ? a : b`, folding constant conditions.
  private static func select(_ condition: Expr, _ a: Expr, _ b: Expr) -> Expr {
    switch condition {
    case .boolean(true): return a
    case .boolean(false): return b
    default: return a == b ? a : .ite(condition, then: a, else: b)
    }
  }

  /// Whether two key tuples are equal, `true` or `false` when that is evident from the syntax.
  private static func equal(_ a: [Expr], _ b: [Expr]) -> Expr {
    var result: Expr = true
    for (x, y) in zip(a, b) where x != y {
      if case .literal = x, case .literal = y { return false }
      result = result && x.eq(y)
    }
    return result
  }
}

extension Expr {
  /// The expression with each bound variable in `map` replaced by its expression.
  func substituting(_ map: [BoundVariable: Expr]) -> Expr {
    if map.isEmpty { return self }
    switch self {
    case .literal, .boolean, .parameter: return self
    case .bound(let variable): return map[variable] ?? self
    case .read(let id, let keys): return .read(id, keys: keys.map { $0.substituting(map) })
    case .unary(let op, let a): return .unary(op, a.substituting(map))
    case .binary(let op, let a, let b): return .binary(op, a.substituting(map), b.substituting(map))
    case .and(let xs): return .and(xs.map { $0.substituting(map) })
    case .or(let xs): return .or(xs.map { $0.substituting(map) })
    case .ite(let c, let a, let b): return .ite(c.substituting(map), a.substituting(map), b.substituting(map))
    case .quantified(let q, let variable, let body): return .quantified(q, variable, body.substituting(map))
    case .local(let variable, let value, let body):
      return .local(variable, value: value.substituting(map), body: body.substituting(map))
    }
  }
}
