import CCAModel
import Foundation
import Mutation
import Spec
import Testing

/// Runs a mutation analysis of a model and records a test issue when its mutation score is
/// below `atLeast`, with the Markdown report attached to the test and summarised in the issue.
///
/// Gate your own model in CI: a property weakened, or a new action nothing guards, lowers the
/// score and fails the test.
///
/// ```swift
/// @Test func propertiesGuardTheModel() throws {
///   try expectMutationScore(atLeast: 0.9, config: "atomic", operators: [.dropFailure, .dropEffect], depth: 5)
/// }
/// ```
///
/// - Parameters:
///   - atLeast: the lowest acceptable score in 0...1; with `afterTriage`, survivors shown
///     equivalent are left out of it.
///   - model: the model (default: `family`'s configuration `config`).
///   - config, family: a configuration (default: the family's first) of a family (default: CCA).
///   - operators, actions: which mutants (default: every operator, every action).
///   - engine, depth, budget, workers: how each mutant is checked (``Mutation/MutationOptions``).
/// - Returns: the report, for further expectations.
/// - Throws: ``CheckError`` for an unknown configuration or action, or when the correct model
///   fails its own properties.
@discardableResult
public func expectMutationScore(
  atLeast minimum: Double, model: Model? = nil, config: String? = nil, family: ModelFamily = CCA.family,
  operators: [MutationOperator] = MutationOperator.allCases, actions: [String]? = nil,
  engine: MutationOptions.Engine = .bfs, depth: Int? = nil, budget: Double = 60, workers: Int? = nil,
  afterTriage: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
) throws -> MutationReport {
  let chosen: Model
  if let model {
    chosen = model
  } else {
    chosen = try family.model(config)
  }
  for name in actions ?? [] where chosen.action(named: name) == nil {
    throw CheckError.unknownName(kind: "action of model \(chosen.name)", name: name, valid: chosen.actions.map(\.name))
  }
  let mutants = MutantGenerator.mutants(of: chosen, operators: operators, actions: actions)
  var options = MutationOptions(engine: engine, maxDepth: depth, budget: budget, triage: afterTriage)
  if let workers { options.workers = workers }
  let report: MutationReport
  do {
    report = try analyseMutants(chosen, mutants: mutants, options: options)
  } catch {
    throw CheckError.model("\(error)")
  }
  let score = (afterTriage ? report.total.scoreAfterTriage : report.total.score) ?? 1
  if score < minimum {
    Attachment.record(
      report.markdown, named: "mutation-\(chosen.name)-\(chosen.configuration.name).md", sourceLocation: sourceLocation)
    Issue.record(
      Comment(
        rawValue:
          "Mutation score \(String(format: "%.1f%%", score * 100)) is below \(String(format: "%.1f%%", minimum * 100)):\n"
          + report.text),
      sourceLocation: sourceLocation)
  }
  return report
}
