import ArgumentParser
import Explore
import Foundation
import Proving
import Spec
import Traces

struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Re-execute an ITF trace against the model and report where it diverges.",
    discussion: "Example: cca-verify replay out/cca-standard-no-tlbi-on-delegate-hyp-no-realm-read.itf.json")

  @Argument(help: "The .itf.json trace.") var trace: String

  func run() throws {
    guard let data = FileManager.default.contents(atPath: trace) else { throw InputError(trace, "cannot read the file") }
    let document: JSONValue
    do { document = try JSONValue.parse(data) } catch { throw InputError(trace, "\(error)") }
    let header: (model: String, configuration: Configuration)
    do { header = try ITF.header(of: document) } catch { throw InputError(trace, "\(error)") }
    let family = try Catalog.family(named: header.model, location: "\(trace): $.#meta.model")
    let configuration = try Catalog.configuration(
      of: family, named: header.configuration.name, mutant: header.configuration.mutant,
      bounds: header.configuration.bounds, features: header.configuration.features,
      locations: ("\(trace): $.#meta.configuration.name", "\(trace): $.#meta.configuration.mutant", "\(trace): $.#meta.configuration.bounds"))
    let model = try Catalog.build(family, configuration)
    let parsed: Trace
    do { parsed = try ITF.read(document, model: model) } catch { throw InputError(trace, "\(error)") }
    let compiled: CompiledModel
    do { compiled = try CompiledModel(model) } catch { throw InternalError("cannot compile \(model.name): \(error)") }
    let fromStart = parsed.outcome == "cti"
    print("Replaying \(parsed.steps.count) steps of \(model.name) (\(model.configuration))")
    if fromStart {
      print("This is a counterexample to induction: it starts from its own first state, which need not be reachable.")
    }
    var state = fromStart ? try compiled.state(fromValues: parsed.states[0]) : compiled.initialState()
    for (i, step) in parsed.steps.enumerated() {
      print("  \(i + 1). \(TraceText.describe(step, model: model))")
      guard let a = model.action(named: step.action) else { break }
      if case .succeeded(let next) = try compiled.step(state, action: a, arguments: step.arguments) { state = next }
      for p in model.properties.indices where try !compiled.holds(p, in: state) {
        print("     violates \(model.properties[p].name)")
      }
    }
    switch Explore.replay(compiled, trace: parsed, fromTraceStart: fromStart) {
    case .exact:
      print("The trace replays exactly." + (parsed.property.map { " Final state violates \($0)." } ?? ""))
    case .diverged(let step, let reason):
      print("DIVERGED at step \(step): \(reason)")
      throw Finished(status: .unmet)
    }
  }
}
