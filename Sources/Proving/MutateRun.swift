import Explore
import Foundation
import Mutation
import Spec

/// What a user asked `cca-verify mutate` for, by name.
public struct MutateRequest: Sendable {
  public var model: String = "cca"
  /// The catalogue `model` is resolved against.
  public var catalog: Catalog = .standard
  public var configuration: String?
  /// Operator names (`drop-failure`); empty: every operator.
  public var operators: [String] = []
  /// Action names; empty: every action.
  public var actions: [String] = []
  /// Mutant ids (`drop-failure/RMI_DATA_CREATE/3`): run only these; empty: every mutant of the
  /// operators and actions.
  public var ids: [String] = []
  public var properties: [String] = []
  public var options = MutationOptions()
  /// Where killing traces go; `nil`: not written.
  public var outputDirectory: String?
  /// Conformance scenarios run on every mutant as a guard besides the properties (a
  /// `.scenario` file or a directory of them); `nil`: none.
  public var scenarios: String?
  /// A scenario file whose end state (run on the correct model from its initial state) every
  /// model starts from (`--start`); `nil`: the initial state.
  public var start: String?

  public init() {}
}

extension MutateRequest {
  /// Resolves the names against the catalogue and generates the mutants.
  ///
  /// - Throws: ``InputError`` naming an unknown model, configuration, operator, action or
  ///   property and listing the valid ones.
  public func resolve() throws -> (model: Model, properties: [Int], mutants: [IRMutant]) {
    let family = try catalog.family(named: model)
    let configuration = try Catalog.configuration(of: family, named: configuration, mutant: nil)
    let built = try Catalog.build(family, configuration)
    let properties = try Catalog.properties(properties, of: built)
    var chosen: [MutationOperator] = []
    for name in operators {
      guard let op = MutationOperator(rawValue: name) else {
        throw InputError(
          "--operators",
          "unknown operator '\(name)'; valid: \(MutationOperator.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      chosen.append(op)
    }
    for name in actions where built.action(named: name) == nil {
      throw InputError(
        "--actions",
        "unknown action '\(name)' of model \(built.name) at configuration \(configuration.name); valid: \(built.actions.map(\.name).joined(separator: ", "))"
      )
    }
    var mutants = MutantGenerator.mutants(
      of: built, operators: chosen.isEmpty ? MutationOperator.allCases : chosen,
      actions: actions.isEmpty ? nil : actions)
    if !ids.isEmpty {
      let known = Set(mutants.map(\.id))
      if let unknown = ids.first(where: { !known.contains($0) }) {
        throw InputError(
          "--mutants",
          "no mutant '\(unknown)' among the \(mutants.count) generated (operators, actions and configuration as given); ids are operator/action/position, e.g. \(mutants.prefix(5).map(\.id).joined(separator: ", "))"
        )
      }
      let wanted = Set(ids)
      mutants = mutants.filter { wanted.contains($0.id) }
    }
    return (built, properties, mutants)
  }

  /// The mutant with the given id, for `--show`.
  ///
  /// - Throws: ``InputError`` when no generated mutant has that id (the message gives examples).
  public func mutant(id: String) throws -> IRMutant {
    let (_, _, mutants) = try resolve()
    guard let m = mutants.first(where: { $0.id == id }) else {
      let prefix = id.split(separator: "/").prefix(2).joined(separator: "/")
      let near = mutants.filter { $0.id.hasPrefix(prefix) }.prefix(12).map(\.id)
      throw InputError(
        "--show",
        "no mutant '\(id)' at this configuration; ids are operator/action/position, e.g. \((near.isEmpty ? mutants.prefix(5).map(\.id) : Array(near)).joined(separator: ", "))"
      )
    }
    return m
  }

  /// Runs the analysis, writes every killing trace into the output directory (ITF and text,
  /// atomically), and returns the report.
  ///
  /// - Throws: ``InputError`` for bad names or an unwritable directory, ``InternalError`` when
  ///   the correct model fails its own properties at these settings.
  public func run() throws -> MutationReport {
    let (model, properties, mutants) = try resolve()
    var options = self.options
    options.properties = properties
    if let scenarios {
      options.guards = [try ScenarioGuard.make(path: scenarios, family: try catalog.family(named: self.model))]
    }
    var prefix: StartScenario.Start?
    if let start {
      // The start plumbing of `prove` and `infer`: the scenario must run at this configuration,
      // every call as expected, no checked property violated (else an InputError, exit 2).
      let family = try catalog.family(named: self.model)
      let configuration = try Catalog.configuration(of: family, named: self.configuration, mutant: nil)
      let run = try StartScenario(written: start, targetFile: "", location: "--start \(start)").run(
        family: family, configuration: configuration, properties: properties)
      guard let end = run.prefix.states.last else {
        throw InternalError("start scenario \(start): its run has no state")
      }
      options.start = MutationStart(values: end, origin: run.origin)
      prefix = run
    }
    var report: MutationReport
    do {
      report = try analyseMutants(model, mutants: mutants, options: options)
    } catch let error as MutationError {
      throw InternalError(error.description)
    }
    if let directory = outputDirectory {
      for i in report.results.indices {
        guard let trace = report.results[i].trace else { continue }
        let r = report.results[i]
        let mutant = r.mutant.apply(to: model)
        let stem =
          TraceFiles.stem(model: model.name, configuration: model.configuration, property: "mutant")
          + "-"
          + r.mutant.id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.map(String.init)
          .joined()
        // From a start scenario: its calls (as the correct model answered them) come first.
        report.results[i].tracePath = try TraceFiles.write(
          prefix?.fromBoot(trace) ?? trace, model: mutant, directory: directory, stem: stem)
      }
    }
    return report
  }
}
