import Foundation
import Mutation
import Scenarios
import Spec

/// Conformance scenarios as a mutation guard (`cca-verify mutate --scenarios DIR`).
///
/// Scenarios run at their own configuration (`rmm-full` by default), mutants are generated at the
/// checking configuration: the guard finds the same mutant in the scenario configuration's IR
/// (same id, so the same operator, action and position, and the same summary, which names the
/// failure condition, variable or value changed; the rendered expressions may differ, since bounds
/// are constants in them) and runs every scenario of that configuration on it. A mutant whose
/// scenario configuration has no such mutant is `notApplicable`, never counted as killed or
/// passed.
public enum ScenarioGuard {
  /// Loads `path` (a `.scenario` file, or a directory: its `.scenario` files, not recursive),
  /// checks that every scenario passes on the correct model, and returns the guard.
  ///
  /// - Throws: ``InputError`` for a missing path, an empty directory, a scenario with a syntax or
  ///   name error (file:line:column), or a scenario that fails on the correct model.
  public static func make(path: String, family: ModelFamily) throws -> MutationGuard {
    let models = ScenarioModels(family: family)
    var scenarios: [ResolvedScenario] = []
    var errors: [String] = []
    for file in try Prover.files([path], suffix: ".scenario", what: "scenarios") {
      do { scenarios.append(try ScenarioFiles.load(path: file, models: models)) } catch let error as ScenarioError {
        errors.append(error.description)
      }
    }
    if !errors.isEmpty { throw InputError("--scenarios", errors.joined(separator: "\n")) }
    for scenario in scenarios {
      let result: ScenarioResult
      do { result = try ScenarioRunner.run(scenario) } catch {
        throw InternalError("the model failed running \(scenario.file): \(error)")
      }
      if let why = failure(result) {
        throw InputError("--scenarios", "\(why): the scenario fails on the correct model, so it cannot judge mutants")
      }
    }
    // Grouped by the model they run on, in file order.
    var groups: [(model: Model, scenarios: [ResolvedScenario])] = []
    for scenario in scenarios {
      if let i = groups.firstIndex(where: { $0.model.configuration == scenario.model.model.configuration }) {
        groups[i].scenarios.append(scenario)
      } else {
        groups.append((scenario.model.model, [scenario]))
      }
    }
    let name = "scenarios (\(scenarios.count) files)"
    return MutationGuard(name: name) { [groups] mutant in
      var applicable = false
      for (model, group) in groups {
        let same = MutantGenerator.mutants(of: model, operators: [mutant.mutationOperator], actions: [mutant.action])
          .first { $0.id == mutant.id && $0.summary == mutant.summary }
        guard let same else { continue }
        applicable = true
        // One scenario model per mutant and configuration: the mutant compiles once for all its
        // scenarios.
        let mutated = ScenarioModel(same.apply(to: model))
        for scenario in group {
          let result: ScenarioResult
          do { result = try ScenarioRunner.run(scenario.running(on: mutated)) } catch {
            return .notApplicable("the mutant errs running \(scenario.file): \(error)")
          }
          if let why = failure(result) { return .kills(why) }
        }
      }
      return applicable
        ? .passes
        : .notApplicable(
          "no identical mutant at the scenarios' configuration\(groups.count == 1 ? "" : "s") "
            + groups.map(\.model.configuration.name).joined(separator: ", "))
    }
  }

  /// The first mismatch or property violation of a run, located (`file:line: call: what`).
  static func failure(_ result: ScenarioResult) -> String? {
    if let p = result.initialViolations.first { return "\(result.file): the initial state violates \(p)" }
    for step in result.steps {
      if let what = step.mismatches.first ?? step.violations.first { return "\(step.location): \(step.call): \(what)" }
    }
    return result.passed ? nil : "\(result.file): does not pass"
  }
}
