import ArgumentParser
import CCAModel
import Explore
import Foundation
import Spec

/// `cca-bench symmetry`: exhaustive BFS of CCA configurations with and without symmetry
/// reduction over the named index sorts, after checking the declaration on a bounded prefix.
struct SymmetryBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "symmetry",
    abstract: "States, transitions, verdicts and CPU time of BFS with and without symmetry reduction.",
    discussion: """
      For each configuration, first CompiledModel.symmetryViolation checks the declaration on \
      the first --check-states reachable states (every checked property, and the successors up \
      to renaming, under every renaming of the sorts); a configuration that fails the check is \
      reported and not run with symmetry. Then BFS runs without and with symmetry (one worker, \
      alternately, --repeat times each), every non-lemma property checked. CPU seconds are the \
      process's user+system time around each run (getrusage), the median over the runs.
      """)

  @Option(help: "Comma-separated CCA configurations.") var configs = "atomic,standard"
  @Option(help: "Comma-separated index sorts to treat as symmetric.") var sorts = "PE"
  @Option(name: .customLong("repeat"), help: "Runs per variant.") var repeats = 1
  @Option(help: "Reachable states the declaration is checked on before the runs.") var checkStates = 300
  @Option(help: "Explore only states within this many steps of the initial one.") var maxDepth: Int?
  @OptionGroup var common: CommonOptions

  func validate() throws {
    if repeats < 1 { throw ValidationError("--repeat must be >= 1, got \(repeats)") }
    if checkStates < 0 { throw ValidationError("--check-states must be >= 0, got \(checkStates)") }
    _ = try configurationNames(configs)
  }

  func run() throws {
    try guarded {
      let names = configs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      let symmetric = sorts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      let context = common.context()
      var table = ResultTable(
        title: "BFS without and with symmetry over \(symmetric.joined(separator: ", ")) (1 worker, CPU median of \(repeats))",
        columns: [
          "configuration", "symmetry", "distinct states", "transitions", "depth", "complete", "CPU s", "bytes/state", "outcome",
        ])
      for name in names {
        let (_, model, compiled) = try compiledConfiguration(name)
        let check: String?
        do {
          check = try compiled.symmetryViolation(sorts: symmetric, maxStates: checkStates)
        } catch {
          check = "\(error)"
        }
        if let check {
          table.notes.append("\(name): not symmetric in \(symmetric.joined(separator: ", ")): \(check.prefix(400))")
        } else {
          table.notes.append("\(name): declaration checked on the first \(checkStates) reachable states: no difference")
        }
        var cpu: [Bool: [Double]] = [:]
        var last: [Bool: ExploreReport] = [:]
        for r in 1...repeats {
          for reduced in check == nil ? [false, true] : [false] {
            var options = ExploreOptions(mode: .bfs, maxDepth: maxDepth, workers: 1)
            options.properties = nil
            if reduced { options.symmetricSorts = symmetric }
            let before = processCPUSeconds()
            let report = explore(compiled, options: options)
            cpu[reduced, default: []].append(processCPUSeconds() - before)
            last[reduced] = report
            progress("symmetry \(name) \(reduced ? "on" : "off") run \(r)/\(repeats): \(report.distinctStates) states")
          }
        }
        for reduced in [false, true] {
          guard let report = last[reduced], let times = cpu[reduced] else { continue }
          let outcome = outcomeText(report, model)
          table.append([
            .text(name), .text(reduced ? "on" : "off"), .integer(report.distinctStates), .integer(report.transitions),
            .integer(report.maxDepthReached), .text(report.complete ? "yes" : "no"), .seconds(median(times)),
            .integer(report.bytesPerState), .text(outcome),
          ])
        }
      }
      emit([table], context: context, command: "symmetry", json: common.json)
    }
  }
}
