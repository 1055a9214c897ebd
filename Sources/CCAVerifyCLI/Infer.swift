import ArgumentParser
import Foundation
import Proving

struct InferCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "infer",
    abstract: "Infer inductive lemmas that prove properties, without hand-written lemmas, and print them.",
    discussion: """
      Samples reachable states, keeps the template candidates true in all of them, lets Z3 drop \
      those not preserved (Houdini) until the rest is inductive, minimises, and proves the \
      properties by induction with the inferred lemmas only. PROVED only on Z3's unsat answers; \
      a CTI names the step and what it broke; an exhausted budget is UNKNOWN. Exit status: 0 \
      proved, 1 otherwise, 2 bad input.
      Examples:
        cca-verify infer --config atomic --property gpt-consistent
        cca-verify infer --config atomic-parametric --parametric --property hyp-no-realm-read --json
        cca-verify infer --config rmm-reuse --property realm-isolation --start Proofs/start/reuse.scenario
      """)

  @Option(help: "The model (cca-verify list).") var model = "cca"
  @Option(name: .customLong("config"), help: "A named configuration (default: the model's first).")
  var configurationName: String?
  @Option(help: "A mutant to inject.") var mutant: String?
  @Option(name: .customLong("property"), help: "A property to prove (repeatable; default: all but lemmas).")
  var properties: [String] = []
  @Option(help: "Time budget in seconds for the whole run.") var budget: Double = 280
  @Option(help: "Most distinct states to sample.") var maxStates: Int = 200_000
  @Option(help: "Seed of the sampling walks.") var seed: UInt64 = 1
  @Flag(help: "Prove for any number of granules (the Granule sort uninterpreted).") var parametric = false
  @Flag(help: "Templates read every variable, not only the properties' cone of influence.") var noCone = false
  @Flag(help: "Houdini asks one query per argument tuple instead of one per action.") var enumerated = false
  @Flag(help: "Templates with one antecedent only.") var oneAntecedent = false
  @Option(help: "Houdini asks about this many candidates per query (0: all).") var chunk: Int = 256
  @Flag(help: "Houdini asserts earlier answers' unsat cores per query instead of every relevant kept candidate.")
  var cores = false
  @Option(help: "Seconds per Houdini query before the group is split (0: only the budget).") var queryLimit: Double = 20
  @Flag(help: "Report the proof's lemmas as its first induction check proved them, without looking for fewer.")
  var noMinimise = false
  @Option(help: "Threads asking Houdini's queries, each with a Z3 context of its own (the inductive set is the same).")
  var workers: Int = 1
  @Option(
    help:
      "A word-valued variable (e.g. a descriptor) takes part in templates only if the samples show at most this many of its values."
  )
  var maxWordValues: Int = 16
  @Option(
    help: "A property of the model (not a lemma) that joins the candidates, proved with the rest if kept (repeatable).")
  var alongside: [String] = []
  @Option(
    help: "States the concrete engine searches from each Houdini CTI's pre-state to drop more candidates (0: none).")
  var refuteStates: Int = 256
  @Option(
    name: .customLong("start"),
    help: "A scenario file whose end state sampling also starts from, besides the initial state (repeatable).")
  var starts: [String] = []
  @OptionGroup var jsonOption: JSONOption
  var json: Bool { jsonOption.json }
  @OptionGroup var quietOption: QuietOption

  func validate() throws {
    if !(budget > 0 && budget <= 86_400) {
      throw ValidationError("--budget must be > 0 and at most 86400 seconds, got \(budget)")
    }
    if maxStates < 1 { throw ValidationError("--max-states must be >= 1, got \(maxStates)") }
    if refuteStates < 0 { throw ValidationError("--refute-states must be >= 0, got \(refuteStates)") }
    if chunk < 0 { throw ValidationError("--chunk must be >= 0, got \(chunk)") }
    if maxWordValues < 0 { throw ValidationError("--max-word-values must be >= 0, got \(maxWordValues)") }
    if !(queryLimit >= 0) { throw ValidationError("--query-limit must be >= 0 seconds, got \(queryLimit)") }
    guard (1...64).contains(workers) else { throw ValidationError("--workers must be in 1...64, got \(workers)") }
  }

  func run() throws {
    var request = InferRequest()
    request.model = model
    request.configuration = configurationName
    request.mutant = mutant
    request.properties = properties
    request.parametric = parametric
    request.catalog = catalog
    request.options.budget = budget
    request.options.maxStates = maxStates
    request.options.seed = seed
    request.options.cone = !noCone
    request.options.arguments = enumerated ? .enumerated : .symbolic
    request.options.twoAntecedents = !oneAntecedent
    request.options.chunk = chunk
    request.options.maxWordValues = maxWordValues
    request.options.queryLimit = queryLimit > 0 ? queryLimit : nil
    request.options.refuteStates = refuteStates
    request.options.cores = cores
    request.options.workers = workers
    request.options.minimise = !noMinimise
    request.options.alongside = alongside
    request.starts = starts
    // Each phase's note and each Houdini pass as it happens (the report repeats them).
    if !quietOption.quiet { request.options.progress = { note("  \($0)") } }
    let (_, report) = try request.run()
    if json {
      print(InferReports.json(report).serialized())
    } else {
      print(InferReports.text(report), terminator: "")
    }
    guard case .proved = report.outcome else { throw ExitCode.unmet }
  }
}
