import Explore
import Foundation
import Scenarios
import Spec

/// Where a proof target's search starts: the state a scenario (`Docs/scenarios.md`) reaches when
/// it runs from the initial state at the target's configuration, every call meeting its
/// expectation.
///
/// The target's key `start` names the scenario file relative to the folder of the target file
/// (`start = "start/reuse.scenario"` in `Proofs/x.toml` is `Proofs/start/reuse.scenario`).
public struct StartScenario: Equatable, Sendable {
  /// The scenario file, resolved against the target file's folder.
  public var path: String
  /// The target file and line of the `start` key, for messages.
  public var location: String

  /// Resolves `written` against the folder of `targetFile` (an absolute path stays as it is).
  public init(written: String, targetFile: String, location: String) {
    if written.hasPrefix("/") {
      path = written
    } else {
      let folder = (targetFile as NSString).deletingLastPathComponent
      path = folder.isEmpty ? written : (folder as NSString).appendingPathComponent(written)
    }
    self.location = location
  }

  /// Reads and resolves the scenario at `configuration` (the target's, mutant included): a
  /// scenario without a `config` line runs at it, one with a `config` line must name it
  /// (``ScenarioResolver/init(_:models:required:)``).
  ///
  /// - Throws: ``InputError`` at the target's `start` line naming the scenario's file, line and
  ///   field.
  func resolve(family: ModelFamily, configuration: Configuration) throws -> ResolvedScenario {
    do {
      return try ScenarioFiles.load(path: path, models: ScenarioModels(family: family), required: configuration)
    } catch let error as ScenarioError {
      throw InputError(location, "start scenario \(error)")
    } catch {
      throw InputError(location, "start scenario \(path): \(error)")
    }
  }

  /// The start of a search: the compiled model (starting from boot), the scenario's trace from
  /// the initial state, and the model rebased onto the state the scenario ends in.
  struct Start {
    let compiled: CompiledModel
    let prefix: Trace
    let rebased: CompiledModel
    let calls: Int
    let file: String

    /// `the state after Proofs/start/reuse.scenario (12 calls)`.
    var origin: String { "the state after \(file) (\(calls) calls)" }

    /// A trace of the rebased model with the scenario's steps put in front: a trace from the
    /// initial state, which the concrete engine replays on ``compiled``.
    func fromBoot(_ trace: Trace) -> Trace {
      var whole = trace
      whole.states = prefix.states + trace.states.dropFirst()
      whole.steps = prefix.steps + trace.steps
      return whole
    }
  }

  /// The state the scenario ends in, in ``StateLayout`` order, for inference's extra sample
  /// starts (``InferenceOptions/starts``); checked like ``run(family:configuration:properties:)``.
  ///
  /// - Throws: ``InputError`` at the `start` location as `run` does; ``InternalError`` when the
  ///   model fails.
  func endValues(family: ModelFamily, configuration: Configuration, properties: [Int]) throws -> [Value] {
    let start = try run(family: family, configuration: configuration, properties: properties)
    guard let last = start.prefix.states.last else {
      throw InternalError("start scenario \(path): its run has no state")
    }
    return last
  }

  /// Runs the scenario and returns where the search starts.
  ///
  /// - Throws: ``InputError`` (exit status 2) at the target's `start` line when the scenario is
  ///   malformed, a call does not return what it expects, or a call violates one of
  ///   `properties` (the search would then report the scenario's violation, not one it
  ///   found); ``InternalError`` when the model fails.
  func run(family: ModelFamily, configuration: Configuration, properties: [Int]) throws -> Start {
    let scenario = try resolve(family: family, configuration: configuration)
    let result: ScenarioResult
    let compiled: CompiledModel
    do {
      compiled = try scenario.model.compiled()
      result = try ScenarioRunner.run(scenario)
    } catch {
      throw InternalError("start scenario \(path): the model failed: \(error)")
    }
    let model = compiled.model
    let checked = Set(properties.map { model.properties[$0].name })
    if let violated = result.initialViolations.first(where: checked.contains) {
      throw InputError(location, "start scenario \(path): the initial state violates \(violated)")
    }
    for step in result.steps {
      if let mismatch = step.mismatches.first {
        throw InputError(location, "start scenario \(step.location): \(step.call): \(mismatch)")
      }
      if let violated = step.violations.first(where: checked.contains) {
        throw InputError(
          location,
          "start scenario \(step.location): \(step.call) violates \(violated); a start state must satisfy the target's properties"
        )
      }
    }
    let end: State
    do {
      end = try compiled.state(fromValues: result.trace.states[result.trace.states.count - 1])
    } catch {
      throw InternalError("start scenario \(path): its end state is not a state of the model: \(error)")
    }
    return Start(
      compiled: compiled, prefix: result.trace, rebased: compiled.starting(at: end), calls: result.steps.count,
      file: path)
  }
}
