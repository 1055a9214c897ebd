import Spec
import Z3

/// The symbolic semantics of one step from a concrete state, evaluated by Z3.
public struct SymbolicStep: Sendable, Equatable {
  /// Whether the guard holds.
  public let enabled: Bool
  /// The position of the first failure condition that holds, if any.
  public let failedCondition: Int?
  /// The value returned when a failure condition holds (`code | index << 8`).
  public let failedCode: Value?
  /// The outputs, when the step succeeds.
  public let outputs: [Value]
  /// The successor in the logical layout (the pre-state when a failure condition holds).
  public let post: [Value]
}

extension SymbolicChecker {
  /// Evaluates one action from a concrete state through the Z3 encoding.
  ///
  /// This is the symbolic engine's answer to "what does this step do", used by the differential
  /// test against the concrete engine. It needs a bounded configuration.
  ///
  /// - Throws: ``SymbolicError`` when the encoding or Z3 fails.
  public func evaluate(values: [Value], action: Int, arguments: [Value]) throws -> SymbolicStep {
    guard options.parametricSorts.isEmpty else {
      throw SymbolicError.unsupported("evaluation needs a bounded configuration")
    }
    let layout = model.layout
    do {
      let pre = try concreteState(values)
      let parameters = try zip(model.actions[action].parameters, arguments).map { p, v in
        p.domain == .bool ? try context.bool(v != 0) : try context.bitVector(v, width: 64)
      }
      let step = try encoder.step(action, state: pre, parameters: parameters)
      let enabled = try groundBool(step.enabled)
      var failed: Int?
      var failedCode: Value?
      for (i, f) in step.failures.enumerated() where try groundBool(f) {
        failed = i
        failedCode = model.actions[action].failures[i].code | ((try step.indices[i].map(groundValue) ?? 0) &<< 8)
        break
      }
      let outputs = enabled && failed == nil ? try step.outputs.map(groundValue) : []
      var post = [Value](repeating: 0, count: layout.count)
      for (v, variable) in model.variables.enumerated() {
        for c in 0..<encoder.shapes[v].cellCount {
          guard let position = layout.position(of: VariableID(v), keys: encoder.cellKeys(v, c)) else { continue }
          let term = step.post.cells[v][c]
          post[position] = variable.value == .bool ? (try groundBool(term) ? 1 : 0) : try groundValue(term)
        }
      }
      return SymbolicStep(
        enabled: enabled, failedCondition: failed, failedCode: failedCode, outputs: outputs, post: post)
    } catch { throw SymbolicError(error) }
  }

  /// The value of a ground Boolean term, by Z3's simplifier.
  func groundBool(_ term: Z3Expr) throws -> Bool {
    do {
      guard let b = try context.simplify(term).boolLiteral else {
        throw SymbolicError.solver("\(term) does not simplify to true or false")
      }
      return b
    } catch { throw SymbolicError(error) }
  }

  /// The value of a ground bit-vector term, by Z3's simplifier.
  func groundValue(_ term: Z3Expr) throws -> Value {
    do {
      guard let v = try context.simplify(term).numeralValue else {
        throw SymbolicError.solver("\(term) does not simplify to a numeral")
      }
      return v
    } catch { throw SymbolicError(error) }
  }

  /// Evaluates a property in a concrete state through the Z3 encoding.
  public func evaluate(property: Int, values: [Value]) throws -> Bool {
    try groundBool(
      try encoder.compile(model.properties[property].formula, state: try concreteState(values), parameters: []))
  }

  /// A symbolic state whose cells are the constants of a concrete state (bounded encodings only).
  func concreteState(_ values: [Value]) throws -> SymbolicState {
    let layout = model.layout
    var cells: [[Z3Expr]] = []
    do {
      for (v, variable) in model.variables.enumerated() {
        var row: [Z3Expr] = []
        for c in 0..<encoder.shapes[v].cellCount {
          guard let position = layout.position(of: VariableID(v), keys: encoder.cellKeys(v, c)) else {
            throw SymbolicError.unsupported("cell outside the layout")
          }
          row.append(
            variable.value == .bool
              ? try context.bool(values[position] != 0)
              : try context.bitVector(values[position], width: encoder.shapes[v].width))
        }
        cells.append(row)
      }
    } catch { throw SymbolicError(error) }
    return SymbolicState(cells: cells)
  }
}
