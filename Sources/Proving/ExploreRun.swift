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
    return ExploreRun(
      model: model, properties: properties, report: report, itfPath: itfPath, textPath: textPath, reproduce: command)
  }
}
