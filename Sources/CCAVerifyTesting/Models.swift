import Spec

extension ModelFamily {
  /// Builds a model of the family by names: a named configuration (default: the mutant's, else
  /// the family's first), a mutant, bound overrides and a replacement feature set.
  ///
  /// ```swift
  /// let model = try CCA.family.model("atomic", mutant: "no-tlbi-on-delegate", bounds: ["granules": 4])
  /// ```
  ///
  /// For a configuration of your own, build it directly: `try CCA.family.build(Configuration(...))`.
  ///
  /// - Throws: ``CheckError`` naming an unknown configuration, mutant, bound or feature with the
  ///   valid ones, or a model that does not build.
  public func model(
    _ configuration: String? = nil, mutant: String? = nil, bounds: [Configuration.Bound: Int] = [:],
    features: Set<Configuration.Feature>? = nil
  ) throws -> Model {
    var mutantInfo: Mutant?
    if let mutant, mutant != "none" {
      guard let m = self.mutant(named: mutant) else {
        throw CheckError.unknownName(kind: "mutant of model \(name)", name: mutant, valid: mutants.map(\.name))
      }
      mutantInfo = m
    }
    let configName = configuration ?? mutantInfo?.configuration ?? configurations.first?.name ?? ""
    guard var chosen = self.configuration(named: configName) else {
      throw CheckError.unknownName(
        kind: "configuration of model \(name)", name: configName, valid: configurations.map(\.name))
    }
    for (key, value) in bounds.sorted(by: { $0.key < $1.key }) {
      guard boundDocs[key] != nil else {
        throw CheckError.unknownName(
          kind: "bound of model \(name)", name: key.rawValue, valid: boundDocs.keys.sorted().map(\.rawValue))
      }
      chosen.bounds[key] = value
    }
    if let features {
      for f in features.sorted() where featureDocs[f] == nil {
        throw CheckError.unknownName(
          kind: "feature of model \(name)", name: f.rawValue, valid: featureDocs.keys.sorted().map(\.rawValue))
      }
      chosen.features = features
    }
    chosen.mutant = mutantInfo?.name
    do {
      return try build(chosen)
    } catch {
      throw CheckError.model("\(name) (\(chosen)) does not build: \(error)")
    }
  }
}

extension Model {
  /// A user-defined mutant: a copy of the model with one action changed, and the mutant's name
  /// recorded in its configuration (so reports and trace files name it).
  ///
  /// ```swift
  /// // The RMM forgets to record an undelegation: the GPI goes back to NS, the RMM's state stays.
  /// let forgetful = try model.mutant("undelegate-keeps-state", action: "RMI_GRANULE_UNDELEGATE") {
  ///   $0.removingEffects(on: "granuleState", in: model)
  /// }
  /// ```
  ///
  /// A trace of a user-defined mutant replays in your tests (the model is yours); `cca-verify
  /// replay` knows only the family's own mutants.
  ///
  /// - Throws: ``CheckError/unknownName(kind:name:valid:)`` when the model has no such action.
  public func mutant(_ name: String, action: String, _ change: (Action) throws -> Action) throws -> Model {
    guard let a = self.action(named: action) else {
      throw CheckError.unknownName(kind: "action of model \(self.name)", name: action, valid: actions.map(\.name))
    }
    var actions = self.actions
    actions[a] = try change(actions[a])
    var configuration = self.configuration
    configuration.mutant = name
    return Model(
      name: self.name, configuration: configuration, variables: variables, initial: initial, actions: actions,
      properties: properties, builderErrors: builderErrors, abi: abi)
  }
}

extension Action {
  /// A copy of the action with its parts replaced: the building block of user-defined mutants.
  public func with(
    guardCondition: Expr? = nil, failures: [FailureCondition]? = nil, effects: [Effect]? = nil
  ) -> Action {
    Action(
      name: name, caller: caller, doc: doc, parameters: parameters,
      guardCondition: guardCondition ?? self.guardCondition,
      failures: failures ?? self.failures, effects: effects ?? self.effects, successCode: successCode,
      outputs: outputs)
  }

  /// A copy of the action without the named failure condition (a missing check).
  ///
  /// - Throws: ``CheckError/unknownName(kind:name:valid:)`` when the action has no such
  ///   condition.
  public func removingFailure(_ condition: String) throws -> Action {
    guard failures.contains(where: { $0.name == condition }) else {
      throw CheckError.unknownName(kind: "failure condition of \(name)", name: condition, valid: failures.map(\.name))
    }
    return with(failures: failures.filter { $0.name != condition })
  }

  /// A copy of the action that no longer writes a variable (a forgotten update).
  ///
  /// - Throws: ``CheckError/unknownName(kind:name:valid:)`` when the model has no such
  ///   variable or the action does not write it.
  public func removingEffects(on variable: String, in model: Model) throws -> Action {
    guard let id = model.variable(named: variable) else {
      throw CheckError.unknownName(
        kind: "variable of model \(model.name)", name: variable, valid: model.variables.map(\.name))
    }
    guard effects.contains(where: { $0.variable == id }) else {
      let written = Set(effects.map(\.variable)).sorted { $0.index < $1.index }.map { model[$0].name }
      throw CheckError.unknownName(kind: "variable written by \(name)", name: variable, valid: written)
    }
    return with(effects: effects.filter { $0.variable != id })
  }
}
