import ArgumentParser
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
  @Option(
    help:
      "Write the rendering to this file instead of standard output (atomically onto a regular file; written through to a device or FIFO)."
  ) var out: String?
  @OptionGroup var jsonOption: JSONOption
  var json: Bool { jsonOption.json }

  func run() throws {
    if let out { try TraceFiles.checkOutputFile(out, option: "--out") }
    let file = try TraceFile(path: trace, catalog: catalog, modelRequired: false)
    let parsed = try file.read()
    if file.compiled == nil {
      note(
        "cca-verify show: model \(file.model.name) (\(file.model.configuration)) is not one this command knows; rendering the trace from its own values"
      )
    }
    let rendering = format.render(parsed, model: file.model)
    if let out {
      do {
        try OutputFile.write(rendering, to: out)
      } catch let error as OutputFile.WriteError {
        throw InputError(out, "cannot write the rendering: \(error.message)")
      }
    }
    if json {
      var object = Self.json(parsed, model: file.model, path: trace)
      object.append(("format", .string(format.rawValue)))
      object.append(("output", out.map(JSONValue.string) ?? .null))
      print(JSONValue.object(object).serialized(), terminator: "")
    } else if let out, out != "-" {
      print("Wrote the \(format.rawValue) rendering of \(parsed.steps.count) steps to \(out)")
    } else {
      print(rendering, terminator: rendering.hasSuffix("\n") ? "" : "\n")
    }
  }

  static func json(_ trace: Trace, model: Model, path: String) -> [(String, JSONValue)] {
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
      ("trace", .string(path)),
      ("model", .string(model.name)),
      ("configuration", .string(model.configuration.description)),
      ("outcome", .string(trace.outcome.rawValue)),
      ("property", trace.property.map(JSONValue.string) ?? .null),
      ("seed", trace.seed.map { .string(String($0)) } ?? .null),
      ("steps", .array(steps)),
    ]
  }
}

extension TraceFormat: ExpressibleByArgument {}
