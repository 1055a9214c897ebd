import Spec

extension ResolvedScenario {
  /// The same calls against another model with the same actions and parameters: a mutant of the scenario's model
  /// (mutation analysis runs the conformance scenarios on each mutant).
  ///
  /// Share one ``ScenarioModel`` between the scenarios run on one model: it compiles the model once.
  ///
  /// - Precondition: `model` has the scenario model's actions at the same indices with the same
  ///   parameters; only their guards, failure conditions and effects may differ.
  public func running(on model: ScenarioModel) -> ResolvedScenario {
    // The bound names too: a step that binds an output (`x1=:aux_count`) looks its name up by slot.
    var scenario = ResolvedScenario(file: file, model: model, steps: steps)
    scenario.bindings = bindings
    return scenario
  }
}
