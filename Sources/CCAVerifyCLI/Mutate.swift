import ArgumentParser
import Explore
import Foundation
import Mutation
import Proving

struct MutateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mutate",
    abstract: "Mutation analysis: generate mutants from the model's IR and report which ones the properties kill.",
    discussion: """
      Each mutant changes one action (swap-steps: the three of the steps it swaps; operators: \(MutationOperator.allCases.map(\.rawValue).joined(separator: ", "))) \
      and is checked with the chosen engine; survivors are triaged by an exhaustive comparison with the correct \
      model: equivalent, or a property gap with the first behavioural difference. Where that comparison is \
      depth-bounded, Z3 first asks whether the changed actions' step relations are equal in every state \
      (equivalent at any depth; --no-step-equivalence skips it). A mutant that changes only parts the correct \
      model never runs from its explored states (a check that never fires, the success path of a call that \
      never succeeds) is not run: it takes the same steps, so it survives, equivalent there (--no-prune runs it). With --scenarios the \
      conformance scenarios run on every mutant too (the same mutant found at their configuration), and the \
      report says what only the properties catch, what only the scenarios catch, and what neither does. \
      With --hide-internal a survivor whose steps differ is compared again with the internal actions (no \
      failure, no output, no function ID: fills, evictions) hidden: the same result for every call, and its \
      states the correct model's, make it equivalent up to internal steps. Docs/mutation/README.md explains it.

      Examples:
        cca-verify mutate --config atomic --depth 6
        cca-verify mutate --config rmm-small --actions RMI_DATA_CREATE --operators drop-failure,swap-failures
        cca-verify mutate --config atomic --show drop-failure/RMI_GRANULE_DELEGATE/0
        cca-verify mutate --config atomic --format markdown > report.md
        cca-verify mutate --config rmm-small --actions RMI_DATA_CREATE --scenarios Tests/Conformance
        cca-verify mutate --config rmm-rtt --depth 2 --start Proofs/start/realm-rtt.scenario
        cca-verify mutate --config atomic --hide-internal --scenarios Tests/Conformance/gpt-fine.scenario
      """)

  @Option(help: "The model (cca-verify list).") var model = "cca"
  @Option(name: .customLong("config"), help: "A named configuration (default: the model's first).")
  var configurationName: String?
  @Option(help: "Operators, comma-separated (default: all).") var operators: String?
  @Option(help: "Actions to mutate, comma-separated (default: all).") var actions: String?
  @Option(name: .customLong("mutants"), help: "Mutant ids, comma-separated: run only these (default: all generated).")
  var ids: String?
  @Option(name: .customLong("property"), help: "A property to check (repeatable; default: all but lemmas).")
  var properties: [String] = []
  @Option(help: "bfs, random or bmc.") var engine: MutationOptions.Engine = .bfs
  @Option(help: "BFS depth, random walk length or BMC depth (default: BFS unbounded, random 50, BMC 6).") var depth:
    Int?
  @Option(help: "Seconds per mutant before it counts as unknown.") var budget: Double = 60
  @Option(help: "Mutants checked at once (default: all cores).") var workers: Int?
  @Option(help: "Random: the seed.") var seed: UInt64 = 1
  @Option(help: "Random: walks per mutant.") var walks: Int = 200
  @Flag(help: "Do not triage survivors.") var noTriage = false
  @Flag(
    help: "Triage without Z3's step equivalence (a depth-bounded comparison then says 'equivalent within N steps').")
  var noStepEquivalence = false
  @Flag(
    help: "Run every mutant, also those that change only parts the correct model never runs from its explored states.")
  var noPrune = false
  @Flag(
    help:
      "Compare a survivor whose steps differ once more with the internal actions (no failure, no output: fills, evictions) hidden: equal results for every call make it equivalent up to internal steps."
  )
  var hideInternal = false
  @Option(help: "Print the IR diff of one mutant (its id) and exit.") var show: String?
  @Flag(help: "List the mutants' ids and exit.") var list = false
  @Option(help: "Directory for killing traces (not written unless given).") var out: String?
  @Option(
    help:
      "Conformance scenarios (a .scenario file or a directory of them) run on every mutant as a guard besides the properties."
  ) var scenarios: String?
  @Option(
    help:
      "A scenario file whose end state every model (the correct one and each mutant) starts from, instead of the initial state."
  ) var start: String?
  @Option(help: "text or markdown.") var format: String = "text"
  @OptionGroup var jsonOption: JSONOption
  var json: Bool { jsonOption.json }
  @OptionGroup var quietOption: QuietOption
  var quiet: Bool { quietOption.quiet }

  func validate() throws {
    if let d = depth, d < 0 { throw ValidationError("--depth must be >= 0, got \(d)") }
    if !(budget > 0 && budget <= 1e9) { throw ValidationError("--budget must be > 0 seconds, got \(budget)") }
    if let w = workers, w < 1 || w > 256 { throw ValidationError("--workers must be in 1...256, got \(w)") }
    if walks < 1 { throw ValidationError("--walks must be >= 1, got \(walks)") }
    if !["text", "markdown"].contains(format) {
      throw ValidationError("--format must be text or markdown, got '\(format)'")
    }
  }

  static func split(_ s: String?) -> [String] {
    (s ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  func run() throws {
    var request = MutateRequest()
    request.model = model
    request.configuration = configurationName
    request.operators = Self.split(operators)
    request.actions = Self.split(actions)
    request.ids = Self.split(ids)
    request.properties = properties
    request.outputDirectory = out
    request.scenarios = scenarios
    request.start = start
    request.catalog = catalog
    if let show {
      print(try request.mutant(id: show).diffText)
      return
    }
    let (built, _, mutants) = try request.resolve()
    if list {
      for m in mutants { print("\(m.id)  \(m.summary)") }
      return
    }
    let stop = StopSignal()
    var options = MutationOptions(
      engine: engine, maxDepth: depth, budget: budget, seed: seed, walks: walks, triage: !noTriage, stop: stop)
    if let workers { options.workers = workers }
    options.stepEquivalence = !noStepEquivalence
    options.prune = !noPrune
    options.hideInternal = hideInternal
    var progressLine: ProgressLine?
    if !quiet {
      note("cca-verify mutate: model \(built.name), configuration \(built.configuration), \(mutants.count) mutants")
      let line = ProgressLine.standardError()
      progressLine = line
      options.progress = { result, done, total in
        line.update(
          "  \(done)/\(total) mutants; last: \(result.mutant.id) \(result.verdict.rawValue)", force: !line.redraw)
      }
    }
    request.options = options
    let handler = installInterruptHandler { stop.stop() }
    defer { handler.cancel() }
    let report = try request.run()
    progressLine?.finish()
    if json {
      print(report.json, terminator: "")
    } else if format == "markdown" {
      print(report.markdown, terminator: "")
    } else {
      print(report.text, terminator: "")
    }
  }
}

extension MutationOptions.Engine: ExpressibleByArgument {}
