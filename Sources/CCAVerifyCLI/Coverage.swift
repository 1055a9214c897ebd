import ArgumentParser
import Explore
import Foundation
import Proving
import Spec

struct CoverageCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "coverage",
    abstract:
      "Show what a search reaches: per action, the failure conditions that fired and the parameter values taken.",
    discussion: """
      Runs a search without checking properties and reports, for every action, how often it was \
      taken and succeeded, how often each failure condition fired, and how many steps were taken \
      with each value of each parameter (and how many of those succeeded). A failure condition \
      that never fired, a value never taken, or a parameter pinned to one value marks a branch of \
      the specification the search does not explore.

      Examples:
        cca-verify coverage --config rmm-small --depth 6
        cca-verify coverage --config rmm-small-params --depth 5 --json
        cca-verify coverage --config rmm-da-setup --mode random --walks 200 --depth 30
      """)

  @Option(help: "The model (cca-verify list; default: the first listed).") var model: String?
  @Option(name: .customLong("config"), help: "A named configuration (default: the mutant's, else the model's first).")
  var configurationName: String?
  @Option(help: "A mutant to inject.") var mutant: String?
  @Option(help: "bfs or random.") var mode: ExploreOptions.Mode = .bfs
  @Option(help: "BFS: the deepest level expanded; random: steps per walk.") var depth: Int = 4
  @Option(help: "Stop after this many distinct states.") var maxStates: Int?
  @Option(parsing: .unconditional, help: "Seed of the random walks (0...18446744073709551615).", transform: parseSeed)
  var seed: UInt64 = 1
  @Option(help: "Random mode: number of walks.") var walks: Int = 200
  @Option(help: "Worker threads (default: all cores).") var workers: Int?
  @Flag(help: "Print one JSON object instead of text.") var json = false

  func validate() throws {
    if !(0...1_000_000).contains(depth) { throw ValidationError("--depth must be in 0...1000000, got \(depth)") }
    if let s = maxStates, s < 1 { throw ValidationError("--max-states must be >= 1, got \(s)") }
    if !(1...1_000_000).contains(walks) { throw ValidationError("--walks must be in 1...1000000, got \(walks)") }
    if let w = workers, w < 1 || w > 256 { throw ValidationError("--workers must be in 1...256, got \(w)") }
    if mode == .random && depth < 1 { throw ValidationError("--depth must be >= 1 in random mode, got \(depth)") }
  }

  func run() throws {
    var request = CoverageRequest()
    request.model = model ?? catalog.families.first?.name ?? request.model
    request.configuration = configurationName
    request.mutant = mutant
    request.catalog = catalog
    var options = ExploreOptions(
      mode: mode, seed: seed, maxDepth: depth, maxStates: maxStates, walks: walks, walkLength: max(depth, 1))
    if let workers { options.workers = workers }
    request.options = options
    let run = try request.run()
    if json {
      print(run.json.serialized(), terminator: "")
    } else {
      print(run.text, terminator: "")
    }
  }
}
