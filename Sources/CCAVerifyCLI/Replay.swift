import ArgumentParser
import Explore
import Foundation
import Proving
import Spec
import Traces

struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Re-execute an ITF trace against the model and report where it diverges.",
    discussion: """
      The trace names its model and configuration in #meta (an object, or just a configuration name). \
      A hand-written trace may leave out each step's #meta.result and any variable of a state: they \
      are computed from the state before; what it gives is checked. Exit 0 when the trace replays \
      exactly, 1 when it diverges, 2 when it is malformed.
      Examples:
        cca-verify explore --mutant no-tlbi-on-delegate   # writes the file below
        cca-verify replay out/cca-atomic-no-tlbi-on-delegate-gpt-consistent.itf.json
        cca-verify run my.scenario --trace out && cca-verify replay out/my.itf.json --json
      """)

  @Argument(help: "The .itf.json trace.") var trace: String
  @Flag(help: "Print one JSON object instead of text.") var json = false

  struct StepReport {
    let description: String
    let violates: [String]
  }

  func run() throws {
    let loaded = try LoadedTrace(path: trace)
    let model = loaded.model
    guard let compiled = loaded.compiled else { throw InternalError("replay needs the model") }
    let parsed = loaded.trace
    let fromStart = parsed.outcome == "cti"
    var reports: [StepReport] = []
    var initialViolations: [String] = []
    do {
      var state = fromStart ? try compiled.state(fromValues: parsed.states[0]) : compiled.initialState()
      initialViolations = try model.properties.indices.filter { try !compiled.holds($0, in: state) }.map {
        model.properties[$0].name
      }
      for step in parsed.steps {
        guard let a = model.action(named: step.action) else { break }
        let outcome = try compiled.step(state, action: a, arguments: step.arguments)
        // Transition properties the step breaks, then state properties false after it.
        let broken = try compiled.violatedTransitions(from: state, action: a, arguments: step.arguments, outcome: outcome)
        state = outcome.successor(of: state)
        let violated = try broken + model.properties.indices.filter { try !compiled.holds($0, in: state) }
        reports.append(
          StepReport(
            description: TraceText.describe(step, model: model), violates: violated.map { model.properties[$0].name }))
      }
    } catch {
      throw InternalError("model error replaying \(trace): \(error)")
    }
    let result = Explore.replay(compiled, trace: parsed, fromTraceStart: fromStart)
    if json {
      var members: [(String, JSONValue)] = [
        ("trace", .string(trace)),
        ("model", .string(model.name)),
        ("configuration", .string(model.configuration.description)),
        ("fromTraceStart", .bool(fromStart)),
        ("property", parsed.property.map(JSONValue.string) ?? .null),
        ("initialViolates", .array(initialViolations.map(JSONValue.string))),
        (
          "steps",
          .array(
            reports.enumerated().map { i, r in
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
      print(JSONValue.object(members).serialized(), terminator: "")
    } else {
      print("Replaying \(parsed.steps.count) steps of \(model.name) (\(model.configuration))")
      if fromStart {
        print("This is a counterexample to induction: it starts from its own first state, which need not be reachable.")
      }
      if !initialViolations.isEmpty { print("  the first state violates \(initialViolations.joined(separator: ", "))") }
      for (i, r) in reports.enumerated() {
        print("  \(i + 1). \(r.description)")
        for p in r.violates { print("     violates \(p)") }
      }
      switch result {
      case .exact:
        let claim = parsed.property.map { p in
          model.property(named: p)?.isTransition == true ? " Its last step breaks \(p)." : " Final state violates \(p)."
        }
        print("The trace replays exactly." + (claim ?? ""))
      case .diverged(let step, let reason):
        print("DIVERGED at step \(step): \(reason)")
      }
    }
    if case .diverged = result { throw Finished(status: .unmet) }
  }
}
