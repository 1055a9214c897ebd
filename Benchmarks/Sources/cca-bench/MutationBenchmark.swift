import ArgumentParser
import CCAModel
import Foundation
import Mutation
import Spec

/// `cca-bench mutate`: the wall-clock cost of a whole mutation run (every operator, every action)
/// of a checking configuration, with the engine and depth its checked-in report uses.
struct MutationBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mutate",
    abstract: "A whole mutation analysis per configuration: mutants, verdicts, score, seconds.",
    discussion: """
      Each row is one `--configs` entry `name[:depth]` (default atomic, standard:20, rmm-small:4), \
      BFS per mutant (one thread each, --workers at once), survivors triaged; the same run as \
      `cca-verify mutate --config NAME --depth D`. The issue's bar: under 10 minutes on 2 cores.
      """)

  @Option(help: "Comma-separated name[:depth] entries (no depth: exhaustive).") var configs = "atomic,standard:20,rmm-small:4"
  @Option(help: "Mutants checked at once.") var workers = ProcessInfo.processInfo.activeProcessorCount
  @Option(help: "Seconds per mutant.") var budget: Double = 60
  @Flag(help: "Run every mutant (no pruning of mutants the correct model never exercises): the A/B baseline.")
  var noPrune = false
  @Flag(help: "Triage without Z3's step equivalence.") var noStepEquivalence = false
  @Flag(help: "Compare survivors again with the internal actions hidden (cca-verify mutate --hide-internal).")
  var hideInternal = false
  @OptionGroup var common: CommonOptions

  func entries() throws -> [(String, Int?)] {
    try configs.split(separator: ",").map { entry in
      let parts = entry.split(separator: ":")
      let name = String(parts[0])
      guard CCA.family.configuration(named: name) != nil else {
        throw ValidationError("--configs: unknown configuration '\(name)'; valid: \(CCA.family.configurations.map(\.name).joined(separator: ", "))")
      }
      guard parts.count <= 2, parts.count == 1 || Int(parts[1]) != nil else {
        throw ValidationError("--configs: expected name[:depth], found '\(entry)'")
      }
      return (name, parts.count == 2 ? Int(parts[1]) : nil)
    }
  }

  func validate() throws {
    _ = try entries()
    if workers < 1 { throw ValidationError("--workers must be >= 1, got \(workers)") }
    if !(budget > 0) { throw ValidationError("--budget must be > 0, got \(budget)") }
  }

  func run() throws {
    try guarded {
      var table = ResultTable(
        title:
          "Mutation analysis, every operator and action, BFS per mutant, \(workers) workers"
          + (noPrune ? ", no pruning" : "") + (noStepEquivalence ? ", no Z3 step equivalence" : "")
          + (hideInternal ? ", internal steps hidden" : ""),
        columns: [
          "configuration", "depth", "mutants", "killed", "survived", "equivalent", "results only", "unknown",
          "invalid", "score", "seconds",
        ])
      for (name, depth) in try entries() {
        guard let configuration = CCA.family.configuration(named: name) else { continue }
        let model = try CCA.family.build(configuration)
        let mutants = MutantGenerator.mutants(of: model)
        FileHandle.standardError.write(Data("mutate \(name): \(mutants.count) mutants\n".utf8))
        let report: MutationReport
        do {
          var options = MutationOptions(maxDepth: depth, budget: budget, workers: workers)
          options.prune = !noPrune
          options.stepEquivalence = !noStepEquivalence
          options.hideInternal = hideInternal
          report = try analyseMutants(model, mutants: mutants, options: options)
        } catch { throw BenchFailure("\(name): \(error)") }
        let t = report.total
        table.append([
          .text(name), depth.map { .integer($0) } ?? .text("all"), .integer(mutants.count), .integer(t.killed),
          .integer(t.survived), .integer(t.equivalent), .integer(t.subsumed), .integer(t.unknown), .integer(t.invalid),
          t.score.map { .number($0 * 100, decimals: 1) } ?? .none, .seconds(report.seconds),
        ])
      }
      table.notes.append("score in percent: killed / (killed + survived); seconds: the whole analysis, baseline and triage included")
      emit([table], context: common.context(), command: "mutate", json: common.json)
    }
  }
}
