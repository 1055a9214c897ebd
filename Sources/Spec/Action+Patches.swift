/// Edits of an action's failure conditions: the IR patches a model family applies for a mutant
/// that only drops or reorders a check, so the builder states the specification once and the
/// mutant is data next to its documentation.
extension Action {
  /// A copy without the named failure conditions (missing checks); an output defined on one of
  /// them is no longer defined there.
  ///
  /// - Throws: ``ModelError/unknownName(kind:name:valid:)`` when the action has no condition of
  ///   one of the names.
  public func droppingFailures(_ names: [String]) throws -> Action {
    for name in names where !failures.contains(where: { $0.name == name }) {
      throw ModelError.unknownName(kind: "failure condition of \(self.name)", name: name, valid: failures.map(\.name))
    }
    return Action(
      name: self.name, caller: caller, doc: doc, parameters: parameters, guardCondition: guardCondition,
      failures: failures.filter { !names.contains($0.name) }, effects: effects, successCode: successCode,
      outputs: outputs.map {
        Output($0.name, $0.value, failures: $0.failures.filter { !names.contains($0) }, isStatus: $0.isStatus)
      })
  }

  /// A copy with the failure condition `name` checked just before `other` (a check done too late
  /// or too early).
  ///
  /// - Throws: ``ModelError/unknownName(kind:name:valid:)`` when the action has no condition of
  ///   one of the names.
  public func movingFailure(_ name: String, before other: String) throws -> Action {
    var list = failures
    guard let from = list.firstIndex(where: { $0.name == name }) else {
      throw ModelError.unknownName(kind: "failure condition of \(self.name)", name: name, valid: failures.map(\.name))
    }
    let moved = list.remove(at: from)
    guard let to = list.firstIndex(where: { $0.name == other }) else {
      throw ModelError.unknownName(kind: "failure condition of \(self.name)", name: other, valid: failures.map(\.name))
    }
    list.insert(moved, at: to)
    return Action(
      name: self.name, caller: caller, doc: doc, parameters: parameters, guardCondition: guardCondition,
      failures: list, effects: effects, successCode: successCode, outputs: outputs)
  }
}

extension Model {
  /// A copy with the action named `action` replaced by `change(action)`, or the model itself when
  /// it has no such action (a command the configuration does not build).
  public func replacingAction(named action: String, _ change: (Action) throws -> Action) rethrows -> Model {
    guard let index = self.action(named: action) else { return self }
    var actions = self.actions
    actions[index] = try change(actions[index])
    return Model(
      name: name, configuration: configuration, variables: variables, initial: initial, actions: actions,
      properties: properties, builderErrors: builderErrors, abi: abi, unobservable: unobservable)
  }
}
