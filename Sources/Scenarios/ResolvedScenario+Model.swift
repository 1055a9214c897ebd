import Spec

extension ResolvedScenario {
  /// The same calls against another model with the same actions and parameters: a mutant of the
  /// scenario's model (mutation analysis runs the conformance scenarios on each mutant).
  ///
  /// - Precondition: `model` has the scenario model's actions at the same indices with the same
  ///   parameters; only their guards, failure conditions and effects may differ.
  public func running(on model: Model) -> ResolvedScenario {
    ResolvedScenario(file: file, model: ScenarioModel(model), steps: steps)
  }
}
