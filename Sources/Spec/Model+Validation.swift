/// The kind of an expression: a boolean or a 64-bit value.
public enum ExprKind: String, Hashable, Sendable {
  case boolean
  case value
}

extension Domain {
  /// The kind of expression that holds values of this domain.
  public var kind: ExprKind { self == .bool ? .boolean : .value }
}

extension Model {
  /// Checks the model statically before any engine runs.
  ///
  /// Checks: unique names; enumerable key and parameter domains; an initial value for every
  /// variable that reads no state; every expression well kinded (booleans where conditions are
  /// needed, values where arithmetic is); parameters and bound variables in scope; map reads and
  /// writes with the right number of keys; literal writes inside the variable's domain; no
  /// variable written twice unconditionally by one action. A failure condition's effects (a
  /// mutant's "state set, then the error returned") get the same checks as success effects.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` naming the action, property or variable.
  public func validate() throws {
    if let first = builderErrors.first { throw first }
    var seen: Set<String> = []
    for variable in variables {
      let location = "variable \(variable.name)"
      guard !variable.name.isEmpty, seen.insert(variable.name).inserted else {
        throw ModelError.invalid(location: location, message: "duplicate or empty variable name")
      }
      for key in variable.keys where key.cardinality == nil || key.cardinality == 0 {
        throw ModelError.invalid(
          location: location, message: "map key domain \(key) is not a non-empty enumerable domain")
      }
      if case .word(let bits) = variable.value, !(1...64).contains(bits) {
        throw ModelError.invalid(location: location, message: "word width \(bits) is not in 1...64")
      }
    }
    for (index, variable) in variables.enumerated() {
      let location = "initial value of \(variable.name)"
      guard let (keys, value) = initial[VariableID(index)] else {
        throw ModelError.invalid(location: location, message: "missing")
      }
      guard keys.count == variable.keys.count else {
        throw ModelError.invalid(location: location, message: "wrong number of key variables")
      }
      if !value.variablesRead.isEmpty {
        throw ModelError.invalid(location: location, message: "reads state")
      }
      let checker = KindChecker(model: self, parameters: [], location: location)
      try checker.expect(variable.value.kind, value, bound: Set(keys))
      try checker.checkLiteral(value, fits: variable.value, variable: variable.name)
    }
    var actionNames: Set<String> = []
    for action in actions {
      try validate(action)
      guard actionNames.insert(action.name).inserted else {
        throw ModelError.invalid(location: "action \(action.name)", message: "duplicate action name")
      }
      // A model that declares its parties names one of them as each action's caller (a misspelt
      // party would get a lane of its own).
      if !abi.parties.isEmpty, !abi.parties.contains(action.caller) {
        throw ModelError.unknownName(
          kind: "party of action \(action.name)", name: action.caller.name, valid: abi.parties.map(\.name))
      }
    }
    var propertyNames: Set<String> = []
    for property in properties {
      let location = "property \(property.name)"
      guard propertyNames.insert(property.name).inserted else {
        throw ModelError.invalid(location: location, message: "duplicate property name")
      }
      try KindChecker(model: self, parameters: [], location: location)
        .expect(.boolean, property.formula, bound: [])
      guard (property.kind == .transition) == (property.transition != nil) else {
        throw ModelError.invalid(location: location, message: "a transition property needs a rule, and only it has one")
      }
      if let rule = property.transition {
        guard !rule.actions.isEmpty else {
          throw ModelError.invalid(location: location, message: "the transition rule names no action")
        }
        for name in rule.actions where !actionNames.contains(name) {
          throw ModelError.invalid(
            location: location, message: "the transition rule names action '\(name)', which the model does not declare")
        }
        for v in rule.mayChange where !variables.indices.contains(v.index) {
          throw ModelError.invalid(location: location, message: "the transition rule names undeclared variable \(v)")
        }
      }
    }
  }

  private func validate(_ action: Action) throws {
    let location = "action \(action.name)"
    for parameter in action.parameters {
      if let samples = parameter.samples {
        guard !samples.isEmpty else {
          throw ModelError.invalid(location: location, message: "parameter \(parameter.name) has an empty sample list")
        }
        for v in samples where !parameter.domain.contains(v) {
          throw ModelError.invalid(
            location: location,
            message: "sample \(v) of parameter \(parameter.name) is outside its domain \(parameter.domain)")
        }
      } else if parameter.domain.cardinality == nil || parameter.domain.cardinality == 0 {
        throw ModelError.invalid(
          location: location,
          message: "parameter \(parameter.name) has domain \(parameter.domain), which is not enumerable; give samples")
      }
    }
    let checker = KindChecker(model: self, parameters: action.parameters, location: location)
    try checker.expect(.boolean, action.guardCondition, bound: [], what: "guard")
    var failureNames: Set<String> = []
    for failure in action.failures {
      guard failureNames.insert(failure.name).inserted else {
        throw ModelError.invalid(location: location, message: "duplicate failure condition \(failure.name)")
      }
      try checker.expect(.boolean, failure.condition, bound: [], what: "failure condition \(failure.name)")
      try checker.expect(.value, failure.index, bound: [], what: "index of failure condition \(failure.name)")
      try validate(failure.effects, of: action, checker: checker, failure: failure.name)
    }
    var outputNames: Set<String> = []
    for output in action.outputs {
      guard outputNames.insert(output.name).inserted else {
        throw ModelError.invalid(location: location, message: "duplicate output \(output.name)")
      }
      try checker.expect(.value, output.value, bound: [], what: "output \(output.name)")
      for failure in output.failures where !failureNames.contains(failure) {
        throw ModelError.invalid(
          location: location,
          message: "output \(output.name) is defined on \(failure), which is no failure condition of the action")
      }
    }
    try validate(action.effects, of: action, checker: checker, failure: nil)
  }

  /// Checks a list of effects that apply together: the success effects of an action, or the
  /// effects of the failure condition named `failure`.
  private func validate(_ effects: [Effect], of action: Action, checker: KindChecker, failure: String?) throws {
    let location = "action \(action.name)"
    let context = failure.map { " of failure condition \($0)" } ?? ""
    var unconditional: Set<[AnyHashable]> = []
    for effect in effects {
      guard effect.variable.index >= 0 && effect.variable.index < variables.count else {
        throw ModelError.invalid(
          location: location, message: "effect\(context) on undeclared variable \(effect.variable)")
      }
      let variable = self[effect.variable]
      let what = "effect\(context) on \(variable.name)"
      switch effect {
      case .assign(_, let keys, let value, let condition):
        guard keys.count == variable.keys.count else {
          throw ModelError.invalid(
            location: location,
            message: "\(what): \(keys.count) keys given, the variable has \(variable.keys.count)")
        }
        for key in keys { try checker.expect(.value, key, bound: [], what: what) }
        try checker.expect(variable.value.kind, value, bound: [], what: what)
        try checker.expect(.boolean, condition, bound: [], what: what)
        try checker.checkLiteral(value, fits: variable.value, variable: variable.name)
        if condition == .boolean(true) {
          guard unconditional.insert([AnyHashable(effect.variable), AnyHashable(keys)]).inserted else {
            throw ModelError.invalid(
              location: location,
              message: "variable \(variable.name) is assigned twice"
                + (failure.map { " by failure condition \($0)" } ?? ""))
          }
        }
      case .assignAll(_, let keys, let condition, let value):
        guard keys.count == variable.keys.count else {
          throw ModelError.invalid(
            location: location, message: "\(what): wrong number of key variables")
        }
        try checker.expect(.boolean, condition, bound: Set(keys), what: what)
        try checker.expect(variable.value.kind, value, bound: Set(keys), what: what)
        try checker.checkLiteral(value, fits: variable.value, variable: variable.name)
      }
    }
  }
}

/// Infers and checks expression kinds and scopes.
struct KindChecker {
  let model: Model
  let parameters: [Parameter]
  let location: String

  func expect(_ kind: ExprKind, _ expr: Expr, bound: Set<BoundVariable>, what: String = "expression") throws {
    let actual = try infer(expr, bound: bound, what: what)
    guard actual == kind else {
      throw ModelError.invalid(
        location: location, message: "\(what): expected a \(kind) expression, found a \(actual) one")
    }
  }

  func infer(_ expr: Expr, bound: Set<BoundVariable>, what: String) throws -> ExprKind {
    switch expr {
    case .literal: return .value
    case .boolean: return .boolean
    case .read(let id, let keys):
      guard id.index >= 0 && id.index < model.variables.count else {
        throw ModelError.invalid(location: location, message: "\(what): undeclared variable \(id)")
      }
      let variable = model[id]
      guard keys.count == variable.keys.count else {
        let keyDomains = variable.keys.map(\.description).joined(separator: ", ")
        let message =
          keys.isEmpty
          ? "\(what): \(variable.name) is a map with keys (\(keyDomains)): read an element, \(variable.name)[key], not \(variable.name).value"
          : variable.keys.isEmpty
            ? "\(what): \(variable.name) is a scalar: read it as \(variable.name).value, without keys"
            : "\(what): \(variable.name) read with \(keys.count) keys, it has \(variable.keys.count) (\(keyDomains))"
        throw ModelError.invalid(location: location, message: message)
      }
      for key in keys { try expect(.value, key, bound: bound, what: what) }
      return variable.value.kind
    case .parameter(let i):
      guard i >= 0 && i < parameters.count else {
        throw ModelError.invalid(location: location, message: "\(what): no parameter at position \(i)")
      }
      return parameters[i].domain.kind
    case .bound(let variable):
      guard bound.contains(variable) else {
        throw ModelError.invalid(location: location, message: "\(what): bound variable \(variable) used out of scope")
      }
      return variable.domain.kind
    case .unary(.not, let a):
      try expect(.boolean, a, bound: bound, what: what)
      return .boolean
    case .unary(.bitNot, let a):
      try expect(.value, a, bound: bound, what: what)
      return .value
    case .binary(let op, let a, let b):
      switch op {
      case .eq, .ne:
        let ka = try infer(a, bound: bound, what: what)
        try expect(ka, b, bound: bound, what: what)
        return .boolean
      case .implies:
        try expect(.boolean, a, bound: bound, what: what)
        try expect(.boolean, b, bound: bound, what: what)
        return .boolean
      default:
        try expect(.value, a, bound: bound, what: what)
        try expect(.value, b, bound: bound, what: what)
        return op.isPredicate ? .boolean : .value
      }
    case .and(let xs), .or(let xs):
      for x in xs { try expect(.boolean, x, bound: bound, what: what) }
      return .boolean
    case .ite(let c, let a, let b):
      try expect(.boolean, c, bound: bound, what: what)
      let ka = try infer(a, bound: bound, what: what)
      try expect(ka, b, bound: bound, what: what)
      return ka
    case .quantified(_, let variable, let body):
      guard variable.domain.cardinality != nil else {
        throw ModelError.invalid(
          location: location, message: "\(what): quantifier over non-enumerable domain \(variable.domain)")
      }
      try expect(.boolean, body, bound: bound.union([variable]), what: what)
      return .boolean
    case .local(let variable, let value, let body):
      try expect(variable.domain.kind, value, bound: bound, what: what)
      return try infer(body, bound: bound.union([variable]), what: what)
    }
  }

  /// Rejects a literal (or a literal branch of an `ite`) that lies outside a variable's domain.
  func checkLiteral(_ value: Expr, fits domain: Domain, variable: String) throws {
    switch value {
    case .literal(let v):
      guard domain.contains(v) else {
        throw ModelError.invalid(
          location: location, message: "value \(v) is outside the domain \(domain) of \(variable)")
      }
    case .ite(_, let a, let b):
      try checkLiteral(a, fits: domain, variable: variable)
      try checkLiteral(b, fits: domain, variable: variable)
    default: break
    }
  }
}
