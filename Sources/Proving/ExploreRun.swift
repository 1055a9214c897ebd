import Explore
import Foundation
import Spec

/// What a user asked `cca-verify explore` for, by name.
public struct ExploreRequest: Sendable {
  public var model: String = "cca"
  public var configuration: String?
  public var mutant: String?
  public var properties: [String] = []
  public var options = ExploreOptions()
  public var outputDirectory: String = "out"
  /// The catalogue `model` is resolved against.
  public var catalog: Catalog = .standard
  /// The command's name in the reproduce line (a user's own executable has its own).
  public var commandName = "cca-verify"
  /// With symmetric sorts (``ExploreOptions/symmetricSorts``), how many reachable states the
  /// declaration is tested on before the search trusts it
  /// (``CompiledModel/symmetryViolation(sorts:properties:maxStates:)``).
  public var symmetryCheckStates = SymmetryDeclaration.defaultStates

  public init() {}
}

/// The result of an exploration run: the report, the model it ran on, and the files written.
public struct ExploreRun: Sendable {
  public let model: Model
  public let properties: [Int]
  public let report: ExploreReport
  public let itfPath: String?
  public let textPath: String?

  /// The command line that reproduces this run.
  public let reproduce: String
}

extension ExploreRequest {
  /// Resolves the names of the request against the catalogue.
  ///
  /// - Throws: ``InputError`` naming the bad value and listing the valid ones.
  public func resolve() throws -> (model: Model, properties: [Int]) {
    let family = try catalog.family(named: model)
    let configuration = try Catalog.configuration(of: family, named: configuration, mutant: mutant)
    let built = try Catalog.build(family, configuration, mutantLocation: "--mutant")
    let properties = try Catalog.properties(properties, of: built)
    return (built, properties)
  }

  /// Refuses a symmetry declaration the explorer cannot honour: outside BFS, or one
  /// ``SymmetryDeclaration/check(_:sorts:properties:states:location:)`` refuses.
  func checkSymmetry(_ compiled: CompiledModel, properties: [Int]) throws {
    let sorts = options.symmetricSorts
    guard !sorts.isEmpty else { return }
    guard options.mode == .bfs else {
      throw InputError("--symmetric", "symmetry reduction applies to BFS (--mode bfs), not to \(options.mode.rawValue)")
    }
    try SymmetryDeclaration.check(
      compiled, sorts: sorts, properties: properties, states: symmetryCheckStates, location: "--symmetric")
  }

  /// Runs the exploration, writes a counterexample's files, and returns the result.
  ///
  /// - Throws: ``InputError`` for bad names or an unwritable output directory;
  ///   ``InternalError`` when the model is malformed or a counterexample does not replay.
  public func run() throws -> ExploreRun {
    let (model, properties) = try resolve()
    let compiled: CompiledModel
    do { compiled = try CompiledModel(model) } catch {
      throw InternalError("cannot compile model \(model.name): \(error)")
    }
    var options = self.options
    options.properties = properties
    try checkSymmetry(compiled, properties: properties)
    let report = explore(compiled, options: options)
    var itfPath: String?
    var textPath: String?
    if case .violation(_, let trace) = report.outcome {
      if case .diverged(let step, let reason) = replay(compiled, trace: trace) {
        throw InternalError("the counterexample does not replay at step \(step): \(reason)")
      }
      let stem = TraceFiles.stem(
        model: model.name, configuration: model.configuration, property: trace.property ?? "violation")
      let path = try TraceFiles.write(trace, model: model, directory: outputDirectory, stem: stem)
      itfPath = path
      textPath = String(path.dropLast(".itf.json".count)) + ".txt"
    }
    if case .modelError = report.outcome, let trace = report.errorTrace {
      // The path to the state where the model failed, written like a counterexample.
      let stem = TraceFiles.stem(model: model.name, configuration: model.configuration, property: "model-error")
      let path = try TraceFiles.write(trace, model: model, directory: outputDirectory, stem: stem)
      itfPath = path
      textPath = String(path.dropLast(".itf.json".count)) + ".txt"
    }
    var command = "\(commandName) explore --model \(model.name) --config \(model.configuration.name)"
    if let mutant = model.configuration.mutant { command += " --mutant \(mutant)" }
    for p in self.properties { command += " --property \(p)" }
    command += " --mode \(options.mode.rawValue)"
    if options.mode == .random {
      command += " --seed \(options.seed) --walks \(options.walks) --walk-length \(options.walkLength)"
      if options.swarm { command += " --swarm" }
    }
    if let d = options.maxDepth { command += " --max-depth \(d)" }
    if let s = options.maxStates { command += " --max-states \(s)" }
    for sort in options.symmetricSorts { command += " --symmetric \(sort)" }
    return ExploreRun(
      model: model, properties: properties, report: report, itfPath: itfPath, textPath: textPath, reproduce: command)
  }
}

/// The check a symmetry declaration passes before a search trusts it, shared by `explore
/// --symmetric` and the `symmetric` key of proof targets.
public enum SymmetryDeclaration {
  /// How many reachable states a declaration is tested on by default.
  public static let defaultStates = 300

  /// Refuses a sort that cannot be symmetric (unknown, arithmetic, sampled), or one under which
  /// two states that differ by a renaming of the first `states` reachable ones behave
  /// differently (``CompiledModel/symmetryViolation(sorts:properties:maxStates:)``).
  ///
  /// The test is evidence on a bounded part of the state space, not a proof (Docs/writing-a-model.md,
  /// "Symmetry reduction"); a literal element in a property or a guard is what it catches.
  ///
  /// - Throws: ``InputError`` at `location` saying what is wrong.
  public static func check(
    _ compiled: CompiledModel, sorts: [String], properties: [Int], states: Int = defaultStates, location: String
  ) throws {
    let found: String?
    do {
      found = try compiled.symmetryViolation(sorts: sorts, properties: properties, maxStates: states)
    } catch let ExploreError.invalidState(message) {
      throw InputError(location, message)
    }
    if let found {
      throw InputError(
        location,
        "\(sorts.joined(separator: ", ")) is not a symmetry of \(compiled.model.name) at \(compiled.model.configuration.name) (tested on the first \(states) reachable states): \(found)"
      )
    }
  }
}
