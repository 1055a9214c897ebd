import Explore
import Foundation
import Spec
import Traces

/// A trace file read against the model it names: bad input of any kind is an ``InputError``
/// naming the file and the field.
public struct TraceFile {
  public let path: String
  public let model: Model
  /// The compiled model, or `nil` when the model was inferred from the trace (`show` of a model
  /// not in the catalogue).
  public let compiled: CompiledModel?
  let document: JSONValue

  /// Reads and parses a trace file and resolves its model and configuration through a
  /// catalogue.
  ///
  /// When `modelRequired` is false and the catalogue has no such model (or configuration, or
  /// mutant: a user's own), the model is inferred from the trace's values
  /// (``ITF/inferredModel(from:)``), which renders every complete trace.
  ///
  /// - Throws: ``InputError`` naming the file (and the JSON path) for anything malformed or
  ///   unknown, ``InternalError`` when the model does not compile.
  public init(path: String, catalog: Catalog, modelRequired: Bool = true) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
      let data = FileManager.default.contents(atPath: path)
    else { throw InputError(path, "cannot read the file") }
    let document: JSONValue
    do { document = try JSONValue.parse(data) } catch { throw InputError(path, "\(error)") }
    let header: (model: String, configuration: ITF.ConfigurationReference)
    do { header = try ITF.reference(of: document) } catch { throw InputError(path, "\(error)") }
    self.path = path
    self.document = document
    if !modelRequired && !Self.catalogued(header, in: catalog) {
      do { model = try ITF.inferredModel(from: document) } catch { throw InputError(path, "\(error)") }
      compiled = nil
      return
    }
    let family = try catalog.family(named: header.model, location: "\(path): $.#meta.model")
    let configuration = try Catalog.configuration(
      of: family, named: header.configuration.name, mutant: header.configuration.mutant,
      bounds: header.configuration.bounds ?? [:], features: header.configuration.features,
      locations: (
        "\(path): $.#meta.configuration.name", "\(path): $.#meta.configuration.mutant",
        "\(path): $.#meta.configuration.bounds"
      ))
    let model = try Catalog.build(family, configuration)
    self.model = model
    do { compiled = try CompiledModel(model) } catch { throw InternalError("cannot compile \(model.name): \(error)") }
  }

  /// Whether the catalogue knows the trace's model, configuration, mutant, bounds and features.
  static func catalogued(_ header: (model: String, configuration: ITF.ConfigurationReference), in catalog: Catalog)
    -> Bool
  {
    guard let family = catalog.families.first(where: { $0.name == header.model }) else { return false }
    let c = header.configuration
    return (c.name.map { family.configuration(named: $0) != nil } ?? true)
      && (c.mutant.map { $0 == "none" || family.mutant(named: $0) != nil } ?? true)
      && (c.bounds ?? [:]).keys.allSatisfy { family.boundDocs[$0] != nil }
      && (c.features ?? []).allSatisfy { family.featureDocs[$0] != nil }
  }

  /// The trace, with what a hand-written one leaves out computed by the model
  /// (``ITF/read(_:compiled:)``), or as written when the model was inferred.
  ///
  /// - Throws: ``InputError`` naming the file and the JSON path.
  public func read() throws -> Trace {
    do {
      if let compiled { return try ITF.read(document, compiled: compiled) }
      return try ITF.read(document, model: model)
    } catch {
      throw InputError(path, "\(error)")
    }
  }

  /// Executes the trace once against its model.
  ///
  /// The one run (``Execution/replay(_:_:fromTraceStart:checking:completing:)``) completes what
  /// the trace leaves out, compares what it gives, and checks every property after every step.
  /// A counterexample to induction (outcome `cti`) starts from its own first state.
  ///
  /// - Throws: ``InputError`` naming the file and the JSON path of a malformed trace, or of a
  ///   step the model cannot execute; ``InternalError`` when a property raises a model error.
  public func replay() throws -> TraceReplay {
    guard let compiled else { throw InternalError("replay needs the model") }
    let recorded: RecordedTrace
    do { recorded = try ITF.recorded(document, model: model) { compiled.initialValues() } } catch {
      throw InputError(path, "\(error)")
    }
    let fromStart = recorded.outcome == .cti
    let executed: ExecutedTrace
    do {
      executed = try Execution.replay(
        compiled, recorded, fromTraceStart: fromStart, checking: Array(model.properties.indices), completing: true)
    } catch {
      if error.kind == .property { throw InternalError("model error replaying \(path): \(error.message)") }
      throw InputError(path, "\(ITF.located(error, in: recorded, model: model))")
    }
    let names = { (indices: [Int]) in indices.map { self.model.properties[$0].name } }
    return TraceReplay(
      path: path, model: model, trace: executed.trace, fromTraceStart: fromStart,
      initialViolations: names(executed.initialViolations),
      steps: zip(executed.trace.steps, executed.steps).map { step, ran in
        TraceReplay.Step(description: TraceText.describe(step, model: model), violates: names(ran.violated))
      },
      result: executed.result)
  }
}

/// What `cca-verify replay` reports: each step with the properties its state violates, and
/// where the trace parts from the model.
public struct TraceReplay: Sendable {
  public struct Step: Sendable {
    /// `RMI_GRANULE_DELEGATE(pe=0, addr=0x80001000) -> success`.
    public let description: String
    public let violates: [String]
  }

  public let path: String
  public let model: Model
  /// The trace, completed.
  public let trace: Trace
  /// Whether it ran from its own first state (a counterexample to induction).
  public let fromTraceStart: Bool
  /// The properties the first state violates.
  public let initialViolations: [String]
  public let steps: [Step]
  public let result: ReplayResult

  /// The report as one JSON object.
  public var json: JSONValue {
    var members: [(String, JSONValue)] = [
      ("trace", .string(path)),
      ("model", .string(model.name)),
      ("configuration", .string(model.configuration.description)),
      ("fromTraceStart", .bool(fromTraceStart)),
      ("property", trace.property.map(JSONValue.string) ?? .null),
      ("initialViolates", .array(initialViolations.map(JSONValue.string))),
      (
        "steps",
        .array(
          steps.enumerated().map { i, r in
            .object([
              ("index", .number(Int64(i + 1))), ("step", .string(r.description)),
              ("violates", .array(r.violates.map(JSONValue.string))),
            ])
          })
      ),
    ]
    switch result {
    case .exact:
      members.append(("outcome", .string("exact")))
    case .diverged(let step, let reason):
      members.append(("outcome", .string("diverged")))
      members.append(("divergedAt", .number(Int64(step))))
      members.append(("reason", .string(reason)))
    }
    return .object(members)
  }

  /// The report as lines of text.
  public var lines: [String] {
    var lines = ["Replaying \(trace.steps.count) steps of \(model.name) (\(model.configuration))"]
    if fromTraceStart {
      lines.append(
        "This is a counterexample to induction: it starts from its own first state, which need not be reachable.")
    }
    if !initialViolations.isEmpty {
      lines.append("  the first state violates \(initialViolations.joined(separator: ", "))")
    }
    for (i, r) in steps.enumerated() {
      lines.append("  \(i + 1). \(r.description)")
      for p in r.violates { lines.append("     violates \(p)") }
    }
    switch result {
    case .exact:
      let claim = trace.property.map { p in
        model.property(named: p)?.isTransition == true ? " Its last step breaks \(p)." : " Final state violates \(p)."
      }
      lines.append("The trace replays exactly." + (claim ?? ""))
    case .diverged(let step, let reason):
      lines.append("DIVERGED at step \(step): \(reason)")
    }
    return lines
  }
}
