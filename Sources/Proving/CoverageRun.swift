import Explore
import Foundation
import Spec
import Traces

/// What a user asked `cca-verify coverage` for: a model, a configuration (and mutant), and the
/// search whose reach is reported.
public struct CoverageRequest: Sendable {
  public var model: String = "cca"
  public var configuration: String?
  public var mutant: String?
  /// The search: BFS (to `maxDepth`, within `maxStates`) or random walks.
  ///
  /// Properties are not checked: a violation does not cut the search short.
  public var options = ExploreOptions(mode: .bfs, maxDepth: 4)
  /// The catalogue `model` is resolved against.
  public var catalog: Catalog = .standard

  public init() {}

  /// Builds the model and runs the search with parameter coverage on.
  ///
  /// - Throws: ``InputError`` for bad names, ``InternalError`` when the model is malformed or errs.
  public func run() throws -> CoverageRun {
    let family = try catalog.family(named: model)
    let configuration = try Catalog.configuration(of: family, named: configuration, mutant: mutant)
    let built = try Catalog.build(family, configuration, mutantLocation: "--mutant")
    let compiled: CompiledModel
    do { compiled = try CompiledModel(built) } catch {
      throw InternalError("cannot compile model \(built.name): \(error)")
    }
    var options = self.options
    options.properties = []
    options.parameterCoverage = true
    let report = explore(compiled, options: options)
    if case .modelError(let message) = report.outcome {
      throw InternalError("model error during exploration: \(message)")
    }
    return CoverageRun(model: built, report: report)
  }
}

/// The reach of one search: per action, the steps taken, the failure conditions that fired, and
/// the steps taken with each parameter value.
public struct CoverageRun: Sendable {
  public let model: Model
  public let report: ExploreReport

  public var coverage: Coverage { report.coverage }

  /// `action.parameter` for every parameter exploration tries with one value only while its
  /// domain has more: a pinned parameter, whose other values no search of this configuration
  /// reaches.
  public var pinned: [String] {
    coverage.actions.flatMap { a in
      a.parameters.filter { $0.values.count == 1 && ($0.domain.cardinality.map { $0 > 1 } ?? true) }
        .map { "\(a.name).\($0.name)" }
    }
  }

  /// `action.parameter=value` for every value exploration tries that no step was taken with.
  public var unreachedValues: [String] {
    coverage.actions.filter { $0.enabled > 0 }.flatMap { a in
      a.parameters.flatMap { p in p.unreached.map { "\(a.name).\(p.name)=\(p.domain.render($0))" } }
    }
  }

  /// The search, in words.
  public var scope: String {
    let r = report
    switch r.mode {
    case .bfs:
      return r.complete
        ? "exhaustive BFS, \(r.distinctStates) states"
        : "BFS to depth \(r.maxDepthReached), \(r.distinctStates) states\(r.stoppedBy.map { " (stopped: \($0.rawValue))" } ?? "")"
    case .random:
      return "\(r.walksCompleted) random walks, seed \(r.seed), \(r.distinctStates) states"
    }
  }

  /// The report as text: a summary of what was never reached, then each action.
  public var text: String {
    var out = "Coverage of \(model.name) \(model.configuration): \(scope), \(report.transitions) steps taken\n"
    let never = coverage.neverEnabled
    let unfired = coverage.unfiredFailures
    let unreached = unreachedValues
    let pinned = self.pinned
    out += "  actions never taken: \(never.count) of \(coverage.actions.count)\n"
    out += "  failure conditions never fired: \(unfired.count)\n"
    out += "  parameter values never taken (of actions taken): \(unreached.count)\n"
    out +=
      "  parameters pinned to one value: \(pinned.count)\(pinned.isEmpty ? "" : " (" + pinned.joined(separator: ", ") + ")")\n"
    for a in coverage.actions {
      out +=
        "\n\(a.name): taken \(a.enabled) of \(a.tried) tried, succeeded \(a.succeeded)\(a.enabled == 0 ? "  NEVER TAKEN" : "")\n"
      if !a.failures.isEmpty {
        let parts = a.failures.map { "\($0.name) \($0.fired)\($0.fired == 0 ? " (never)" : "")" }
        out += "  failures: " + parts.joined(separator: ", ") + "\n"
      }
      for p in a.parameters {
        let values = p.values.indices.map { i in
          "\(p.domain.render(p.values[i])) \(p.enabled[i])/\(p.succeeded[i])\(p.enabled[i] == 0 ? " (never)" : "")"
        }
        var note = ""
        if p.values.count == 1 && (p.domain.cardinality.map { $0 > 1 } ?? true) {
          note = "  PINNED"
        } else if p.isSampled {
          note = "  (sampled)"
        }
        out += "  \(p.name): " + values.joined(separator: ", ") + note + "\n"
      }
    }
    out += "\n(values: steps taken / of them succeeded)\n"
    return out
  }

  /// The report as one JSON object.
  public var json: JSONValue {
    .object([
      ("model", .string(model.name)),
      ("configuration", .string(model.configuration.description)),
      ("scope", .string(scope)),
      ("distinctStates", .number(Int64(report.distinctStates))),
      ("complete", .bool(report.complete)),
      ("steps", .number(Int64(report.transitions))),
      ("neverTaken", .array(coverage.neverEnabled.map(JSONValue.string))),
      ("unfiredFailures", .array(coverage.unfiredFailures.map(JSONValue.string))),
      ("unreachedValues", .array(unreachedValues.map(JSONValue.string))),
      ("pinned", .array(pinned.map(JSONValue.string))),
      (
        "actions",
        .array(
          coverage.actions.map { a in
            .object([
              ("name", .string(a.name)),
              ("tried", .number(Int64(a.tried))),
              ("taken", .number(Int64(a.enabled))),
              ("succeeded", .number(Int64(a.succeeded))),
              (
                "failures",
                .array(
                  a.failures.map {
                    .object([
                      ("name", .string($0.name)), ("error", .string($0.error)), ("fired", .number(Int64($0.fired))),
                    ])
                  })
              ),
              (
                "parameters",
                .array(
                  a.parameters.map { p in
                    .object([
                      ("name", .string(p.name)),
                      ("sampled", .bool(p.isSampled)),
                      (
                        "values",
                        .array(
                          p.values.indices.map { i in
                            .object([
                              ("value", .string(p.domain.render(p.values[i]))),
                              ("taken", .number(Int64(p.enabled[i]))),
                              ("succeeded", .number(Int64(p.succeeded[i]))),
                            ])
                          })
                      ),
                    ])
                  })
              ),
            ])
          })
      ),
    ])
  }
}
