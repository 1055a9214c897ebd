import ArgumentParser
import Explore
import Foundation
import Proving
import Spec
import Traces

struct Show: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Render an ITF trace: text, Markdown, a Mermaid sequence diagram, or a self-contained HTML viewer.",
    discussion: """
      Every format shows, for each step, only the variables it changed. The HTML viewer is one file \
      (no network access) with step-by-step navigation (buttons, arrow keys) and a granule map. \
      With --json, prints one JSON object: the trace's steps with their lanes, results and changes.
      Examples:
        cca-verify show out/cca-standard-gpt-word-unlocked-gpt-consistent.itf.json
        cca-verify show TRACE.itf.json --format markdown --out trace.md
        cca-verify show TRACE.itf.json --format mermaid
        cca-verify show TRACE.itf.json --format html --out trace.html
      """)

  @Argument(help: "The .itf.json trace.") var trace: String
  @Option(help: "text, markdown, mermaid or html.") var format: TraceFormat = .text
  @Option(help: "Write the rendering to this file instead of standard output (atomically onto a regular file; written through to a device or FIFO).") var out: String?
  @Flag(help: "Print one JSON object (the steps and their changes) instead of the rendering.") var json = false

  func run() throws {
    if let out { try TraceFiles.checkOutputFile(out, option: "--out") }
    let loaded = try LoadedTrace(path: trace, modelRequired: false)
    if loaded.compiled == nil {
      note("cca-verify show: model \(loaded.model.name) (\(loaded.model.configuration)) is not one this command knows; rendering the trace from its own values")
    }
    let rendering = format.render(loaded.trace, model: loaded.model)
    if let out {
      do {
        try OutputFile.write(rendering, to: out)
      } catch let error as OutputFile.WriteError {
        throw InputError(out, "cannot write the rendering: \(error.message)")
      }
    }
    if json {
      var object = Self.json(loaded)
      object.append(("format", .string(format.rawValue)))
      object.append(("output", out.map(JSONValue.string) ?? .null))
      print(JSONValue.object(object).serialized(), terminator: "")
    } else if let out, out != "-" {
      print("Wrote the \(format.rawValue) rendering of \(loaded.trace.steps.count) steps to \(out)")
    } else {
      print(rendering, terminator: rendering.hasSuffix("\n") ? "" : "\n")
    }
  }

  static func json(_ loaded: LoadedTrace) -> [(String, JSONValue)] {
    let trace = loaded.trace
    let model = loaded.model
    let steps = trace.steps.enumerated().map { i, step -> JSONValue in
      let lanes = StepLanes.of(step, model: model)
      return .object([
        ("index", .number(Int64(i + 1))),
        ("action", .string(step.action)),
        ("call", .string(TraceText.call(step, model: model))),
        ("actor", .string(lanes.actor)),
        ("caller", lanes.caller.map(JSONValue.string) ?? .null),
        ("result", .string(step.resultSummary)),
        ("succeeded", .bool(step.succeeded)),
        (
          "changes",
          .array(
            TraceDiff.changes(trace, model: model, step: i).map { c in
              .object([("variable", .string(c.name)), ("before", .string(c.before)), ("after", .string(c.after))])
            })
        ),
      ])
    }
    return [
      ("trace", .string(loaded.path)),
      ("model", .string(model.name)),
      ("configuration", .string(model.configuration.description)),
      ("outcome", .string(trace.outcome)),
      ("property", trace.property.map(JSONValue.string) ?? .null),
      ("seed", trace.seed.map { .string(String($0)) } ?? .null),
      ("steps", .array(steps)),
    ]
  }
}

extension TraceFormat: ExpressibleByArgument {}

/// A trace file read against the model it names: bad input of any kind is an ``InputError``
/// naming the file and the field.
struct LoadedTrace {
  let path: String
  let model: Model
  /// The compiled model, or `nil` when the model was inferred from the trace (`show` of a model
  /// not in the catalogue).
  let compiled: CompiledModel?
  let trace: Trace

  /// Reads and parses a trace, resolves its model and configuration through the catalogue, and
  /// reads it leniently (``ITF/read(_:compiled:)``: a hand-written trace may leave out results
  /// and variables).
  ///
  /// When `modelRequired` is false and the catalogue has no such model (or configuration, or
  /// mutant: a user's own), the model is inferred from the trace's values
  /// (``ITF/inferredModel(from:)``), which renders every complete trace.
  init(path: String, modelRequired: Bool = true) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
      let data = FileManager.default.contents(atPath: path)
    else { throw InputError(path, "cannot read the file") }
    let document: JSONValue
    do { document = try JSONValue.parse(data) } catch { throw InputError(path, "\(error)") }
    let header: (model: String, configuration: ITF.ConfigurationReference)
    do { header = try ITF.reference(of: document) } catch { throw InputError(path, "\(error)") }
    if !modelRequired && !Self.catalogued(header) {
      let model: Model
      do {
        model = try ITF.inferredModel(from: document)
        trace = try ITF.read(document, model: model)
      } catch { throw InputError(path, "\(error)") }
      self.path = path
      self.model = model
      self.compiled = nil
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
    let compiled: CompiledModel
    do { compiled = try CompiledModel(model) } catch { throw InternalError("cannot compile \(model.name): \(error)") }
    do {
      trace = try ITF.read(document, compiled: compiled)
    } catch {
      throw InputError(path, "\(error)")
    }
    self.path = path
    self.model = model
    self.compiled = compiled
  }
  /// Whether the catalogue knows the trace's model, configuration, mutant, bounds and features.
  static func catalogued(_ header: (model: String, configuration: ITF.ConfigurationReference)) -> Bool {
    guard let family = catalog.families.first(where: { $0.name == header.model }) else { return false }
    let c = header.configuration
    return (c.name.map { family.configuration(named: $0) != nil } ?? true)
      && (c.mutant.map { $0 == "none" || family.mutant(named: $0) != nil } ?? true)
      && (c.bounds ?? [:]).keys.allSatisfy { family.boundDocs[$0] != nil }
      && (c.features ?? []).allSatisfy { family.featureDocs[$0] != nil }
  }
}
