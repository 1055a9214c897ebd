import ArgumentParser
import Foundation
import Infer
import Proving
import Spec
import Symbolic

/// `cca-bench infer`: invariant inference per target (configuration and property), with the
/// counts of each phase and a comparison with the model's hand-written lemmas.
struct InferBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "infer",
    abstract: "Time invariant inference (Inference.run) per configuration and property.",
    discussion: """
      Each target is CONFIG:PROPERTY (add :parametric for a parametric run). Columns: the outcome, \
      states sampled, candidates generated (the template space), kept after sampling, kept after \
      Houdini, final lemmas, Z3 queries and seconds; then which hand-written lemmas of the model \
      the inferred set (with the property) implies, and how many inferred lemmas the \
      hand-written set (with the property) does not imply (what inference found instead). The \
      implications are Z3 validity queries over states.
      """)

  @Option(help: "Comma-separated CONFIG:PROPERTY[:parametric] targets.")
  var targets =
    "atomic:gpt-consistent,atomic:hyp-no-realm-read,atomic:hyp-no-realm-write,atomic:delegated-clean"
  @Option(help: "Budget per target, seconds.") var budget: Double = 280
  @Option(
    help: """
      Comma-separated properties of the model that join each target's candidates (InferenceOptions.alongside; \
      a target's own property is skipped).
      """)
  var alongside = ""
  @Option(help: "Most distinct states to sample per target.") var maxStates = 200_000
  @Flag(help: "Templates with one antecedent only.") var oneAntecedent = false
  @Option(help: "Houdini asks about this many candidates per query (0: all; cca-verify infer --chunk).")
  var chunk = 256
  @Option(help: "Seconds per Houdini query before the group is split (cca-verify infer --query-limit).")
  var queryLimit: Double = 20
  @Option(help: "States the concrete refuter searches from each Houdini CTI (cca-verify infer --refute-states).")
  var refuteStates = 256
  @Option(help: "Word-valued variables take part in templates only with at most this many sampled values.")
  var maxWordValues = 16
  @Flag(help: "Houdini asserts earlier answers' unsat cores per query (cca-verify infer --cores).")
  var cores = false
  @Option(help: "Threads asking Houdini's queries (cca-verify infer --workers).") var workers = 1
  @Flag(help: "Keep the first proof's lemmas without looking for fewer (cca-verify infer --no-minimise).")
  var noMinimise = false
  @Option(
    help: "Comma-separated scenario files whose end states every target's sampling also starts from (cca-verify infer --start)."
  )
  var start = ""
  @OptionGroup var common: CommonOptions

  func run() throws {
    try guarded {
      let context = common.context()
      var table = ResultTable(
        title: "Invariant inference",
        columns: [
          "target", "outcome", "states", "generated", "after sampling", "after Houdini", "final lemmas", "queries",
          "seconds", "hand-written implied", "inferred not implied by hand-written",
        ])
      for spec in targets.split(separator: ",").map(String.init) {
        let parts = spec.split(separator: ":").map(String.init)
        guard parts.count >= 2 else { throw BenchInputError("target '\(spec)': expected CONFIG:PROPERTY[:parametric]") }
        let parametric = parts.count > 2 && parts[2] == "parametric"
        progress("infer: \(spec) ...")
        let family = try Catalog.standard.family(named: "cca")
        let configuration: Configuration
        do { configuration = try Catalog.configuration(of: family, named: parts[0], mutant: nil) } catch {
          throw BenchInputError("\(error)")
        }
        let model = try Catalog.build(family, configuration)
        guard let p = model.properties.firstIndex(where: { $0.name == parts[1] }) else {
          throw BenchInputError("target '\(spec)': no property \(parts[1])")
        }
        var options = InferenceOptions(budget: budget)
        if parametric { options.parametricSorts = ["Granule"] }
        options.alongside = alongside.split(separator: ",").map(String.init).filter { $0 != parts[1] }
        options.maxStates = maxStates
        options.twoAntecedents = !oneAntecedent
        options.chunk = chunk
        options.queryLimit = queryLimit > 0 ? queryLimit : nil
        options.refuteStates = refuteStates
        options.maxWordValues = maxWordValues
        options.cores = cores
        options.workers = workers
        options.minimise = !noMinimise
        // Each phase and each Houdini pass as it happens, so a long run shows its convergence.
        options.progress = { progress("  \($0)") }
        var request = InferRequest()
        request.configuration = parts[0]
        request.properties = [parts[1]]
        request.parametric = parametric
        request.options = options
        request.options.parametricSorts = []
        request.starts = start.split(separator: ",").map(String.init)
        let report = try request.run().report
        var implied = "n/a"
        var extra = "n/a"
        if report.outcome == .proved {
          let handWritten = model.properties.filter { $0.kind == .lemma }
          let inferred = report.lemmas.map(\.formula) + [model.properties[p].formula]
          // 10 s per implication (quantified ones may get no answer: counted apart).
          let checker = try SymbolicChecker(
            model: model, options: SymbolicOptions(parametricSorts: options.parametricSorts, timeout: 10))
          let answers = handWritten.map { checker.implies(inferred, $0.formula) }
          let found = zip(handWritten, answers).filter { $0.1 == true }.map(\.0.name)
          let open = answers.filter { $0 == nil }.count
          implied = "\(found.count) of \(handWritten.count)" + (found.isEmpty ? "" : " (\(found.joined(separator: ", ")))")
            + (open == 0 ? "" : ", \(open) unanswered")
          let known = handWritten.map(\.formula) + [model.properties[p].formula]
          extra = "\(report.lemmas.filter { checker.implies(known, $0.formula) != true }.count)"
        }
        table.append([
          .text(spec), .text(report.outcome.verdict.rawValue), .text("\(report.statesSampled)"),
          .text("\(report.generated)"), .text("\(report.keptAfterSampling)"), .text("\(report.keptAfterHoudini)"),
          .text("\(report.lemmas.count)"), .text("\(report.queries)"), .seconds(report.seconds), .text(implied),
          .text(extra),
        ])
        if report.outcome != .proved { table.notes.append("\(spec): \(InferReports.detail(report.outcome))") }
        table.notes += report.notes.map { "\(spec): \($0)" }
      }
      emit([table], context: context, command: "infer", json: common.json)
    }
  }
}
