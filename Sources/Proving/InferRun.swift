import Explore
import Foundation
import Infer
import Spec
import Traces

/// What a user asked `cca-verify infer` for, by name.
public struct InferRequest: Sendable {
  public var model: String = "cca"
  public var configuration: String?
  public var mutant: String?
  public var properties: [String] = []
  /// Prove for any number of granules (the `Granule` sort uninterpreted).
  public var parametric = false
  public var options = InferenceOptions()
  /// Scenario files (relative to the working folder) whose end states sampling also starts from.
  public var starts: [String] = []
  /// The catalogue `model` is resolved against.
  public var catalog: Catalog = .standard

  public init() {}

  /// Resolves the names against the catalogue and runs inference.
  ///
  /// - Throws: ``InputError`` naming a bad value and listing the valid ones.
  public func run() throws -> (model: Model, report: InferenceReport) {
    let family = try catalog.family(named: model)
    let configuration = try Catalog.configuration(of: family, named: configuration, mutant: mutant)
    let built = try Catalog.build(family, configuration)
    let indices = try Catalog.properties(properties, of: built)
    if let lemma = indices.first(where: { built.properties[$0].kind == .lemma }) {
      throw InputError("--property", "'\(built.properties[lemma].name)' is a lemma; inference proves properties")
    }
    if let step = indices.first(where: { built.properties[$0].isTransition }) {
      throw InputError(
        "--property", "'\(built.properties[step].name)' is a transition property; inference proves state properties")
    }
    try Self.checkAlongside(options.alongside, of: built, goals: indices, location: "--alongside")
    var options = self.options
    options.starts += try starts.map {
      try StartScenario(written: $0, targetFile: "", location: "--start \($0)").endValues(
        family: family, configuration: configuration, properties: indices)
    }
    if parametric {
      guard let primary = built.abi.primarySort else {
        throw InputError("--parametric", "model \(built.name) declares no primary index sort to make uninterpreted")
      }
      options.parametricSorts = [primary]
    }
    return (built, Inference.run(model: built, properties: indices, options: options))
  }
}

extension InferRequest {
  /// Checks the names of ``InferenceOptions/alongside``: each a state property of the model that
  /// is neither a lemma (inference uses none) nor one of the goals.
  ///
  /// - Throws: ``InputError`` at `location`, listing the valid names.
  static func checkAlongside(_ names: [String], of model: Model, goals: [Int], location: String) throws {
    let goalNames = Set(goals.map { model.properties[$0].name })
    let valid = model.properties.filter { $0.kind != .lemma && !$0.isTransition && !goalNames.contains($0.name) }.map(
      \.name)
    for name in names where !valid.contains(name) {
      throw InputError(
        location,
        "'\(name)' cannot be inferred alongside (it must be a state property of the model, not a lemma nor a goal); valid: \(valid.isEmpty ? "(none)" : valid.joined(separator: ", "))"
      )
    }
  }
}

/// Renderings of an inference report: text for the terminal, JSON for tools.
public enum InferReports {
  /// One line explaining the outcome.
  public static func detail(_ outcome: InferenceOutcome) -> String {
    switch outcome {
    case .proved: return "Z3 answered unsat for initiation and consecution with the inferred lemmas"
    case .violated(let trace): return "\(trace.property ?? "a property") is violated in \(trace.steps.count) steps"
    case .cti(let cti, let broken):
      return "CTI: \(cti.action)(\(cti.arguments.joined(separator: ", "))) breaks \(broken.joined(separator: "; "))"
    case .unknown(let reason): return reason
    }
  }

  public static func text(_ report: InferenceReport) -> String {
    var lines = [
      "\(report.outcome.verdict.rawValue.uppercased()): \(report.properties.joined(separator: ", ")) [\(report.scope)]",
      "  \(detail(report.outcome))",
      "  states sampled: \(report.statesSampled)\(report.exhaustive ? " (every reachable state)" : "")",
      "  candidates: \(report.generated) generated, \(report.keptAfterSampling) after sampling, "
        + "\(report.keptAfterHoudini) after Houdini, \(report.lemmas.count) final lemmas",
      "  \(report.queries) Z3 queries, \(String(format: "%.1f", report.seconds)) s",
    ]
    lines += report.notes.map { "  - \($0)" }
    if !report.lemmas.isEmpty {
      lines.append("")
      lines.append(
        "Inferred lemmas (each true in all \(report.statesSampled) sampled states; proved inductive together):")
      for lemma in report.lemmas {
        lines.append("  \(lemma.name): \(lemma.text)")
      }
      lines.append("")
      lines.append("As modelling-language declarations (handles named after the variables and key domains):")
      lines += report.lemmas.map { "  " + $0.swift }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  public static func json(_ report: InferenceReport) -> JSONValue {
    .object([
      ("outcome", .string(report.outcome.verdict.rawValue)),
      ("detail", .string(detail(report.outcome))),
      ("properties", .array(report.properties.map(JSONValue.string))),
      ("scope", .string(report.scope)),
      ("statesSampled", .number(Int64(report.statesSampled))),
      ("exhaustive", .bool(report.exhaustive)),
      ("generated", .number(Int64(report.generated))),
      ("keptAfterSampling", .number(Int64(report.keptAfterSampling))),
      ("keptAfterHoudini", .number(Int64(report.keptAfterHoudini))),
      ("queries", .number(Int64(report.queries))),
      ("seconds", .string(String(format: "%.3f", report.seconds))),
      ("notes", .array(report.notes.map(JSONValue.string))),
      (
        "lemmas",
        .array(
          report.lemmas.map {
            .object([("name", .string($0.name)), ("text", .string($0.text)), ("swift", .string($0.swift))])
          })
      ),
    ])
  }
}
