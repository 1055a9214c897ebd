import ArgumentParser
import CCAModel
import Explore
import Foundation
import Spec

/// `cca-bench bfs`: exhaustive breadth-first search of CCA configurations with one worker and with
/// every core, repeated, reporting the median.
struct BFSBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bfs",
    abstract: "Exhaustive BFS of CCA configurations (default: standard, fine mode; and atomic) with 1 worker and all cores.",
    discussion: """
      Every run explores the whole reachable state space of the correct model, checking every \
      non-lemma property in every state. Distinct states and transitions must be the same in \
      every run; seconds are the median of --repeat runs; states/s is distinct states divided by \
      that median. Peak RSS is the process's VmHWM, reset to the current RSS before each run \
      (/proc/self/clear_refs); RSS before is that current RSS (the runtime, the model, and memory \
      earlier runs freed but the allocator kept), so run one configuration per process for a clean \
      peak. Bytes/state is \
      ExploreReport.bytesPerState (the visited store per distinct state); peak frontier is \
      ExploreReport.peakQueueBytes (packed states of the BFS levels in memory at once).
      """)

  @Option(help: "Comma-separated CCA configurations.") var configs = "standard,atomic"
  @Option(name: .customLong("repeat"), help: "Runs per row; the table shows the median time.") var repeats = 3
  @Option(help: "Comma-separated worker counts; 'all' means every active core.") var workers = "1,all"
  @Option(help: "Stop a run after this many seconds (the row then says incomplete).") var timeLimit: Double?
  @Option(help: "Explore only states within this many steps of the initial one (e.g. rmm-small to 6).") var maxDepth: Int?
  @OptionGroup var common: CommonOptions

  func validate() throws {
    if repeats < 1 { throw ValidationError("--repeat must be >= 1, got \(repeats)") }
    if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be > 0, got \(t)") }
    if let d = maxDepth, d < 0 { throw ValidationError("--max-depth must be >= 0, got \(d)") }
    for item in workers.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where item != "all" {
      do { _ = try integerList(item, name: "--workers", range: 1...256) } catch { throw ValidationError("\(error)") }
    }
    _ = try configurationNames(configs)
  }

  func run() throws {
    try guarded {
      let cores = ProcessInfo.processInfo.activeProcessorCount
      var workerCounts: [Int] = []
      for item in workers.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
        if item == "all" {
          workerCounts.append(cores)
        } else {
          workerCounts += try integerList(item, name: "--workers", range: 1...256)
        }
      }
      var seen = Set<Int>()
      workerCounts = workerCounts.filter { seen.insert($0).inserted }
      let names = configs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      let context = common.context()

      var table = ResultTable(
        title: "Exhaustive BFS, correct model, every non-lemma property checked (median of \(repeats) runs)",
        columns: [
          "configuration", "workers", "distinct states", "transitions", "evaluated", "depth", "complete", "seconds (median)",
          "min s", "max s", "states/s", "bytes/state", "packed bytes", "peak frontier MB", "RSS before MB", "peak RSS MB", "outcome",
        ])
      let resetWorks = ResidentMemory.resetPeak()
      for name in names {
        let (configuration, model, compiled) = try compiledConfiguration(name)
        for w in workerCounts {
          var times: [Double] = []
          var peak = 0
          var before = 0
          var last: ExploreReport?
          var counts = Set<[Int]>()
          for r in 1...repeats {
            var options = ExploreOptions(mode: .bfs, maxDepth: maxDepth, timeLimit: timeLimit, workers: w)
            options.properties = nil
            ResidentMemory.resetPeak()
            before = max(before, ResidentMemory.currentBytes ?? 0)
            let report = explore(compiled, options: options)
            peak = max(peak, ResidentMemory.peakBytes ?? 0)
            times.append(report.elapsed)
            counts.insert([report.distinctStates, report.transitions])
            last = report
            progress(
              "bfs \(name) workers=\(w) run \(r)/\(repeats): \(report.distinctStates) states, \(report.transitions) transitions, "
                + String(format: "%.3f s", report.elapsed))
          }
          guard let report = last else { continue }
          let t = median(times)
          let outcome = outcomeText(report, model)
          table.append([
            .text(name), .integer(w), .integer(report.distinctStates), .integer(report.transitions),
            .integer(report.evaluatedSteps), .integer(report.maxDepthReached), .text(report.complete ? "yes" : "no"), .seconds(t),
            .seconds(times.min() ?? t), .seconds(times.max() ?? t),
            .number(t > 0 ? Double(report.distinctStates) / t : 0, decimals: 0), .integer(report.bytesPerState),
            .integer(report.packedStateBytes), .number(Double(report.peakQueueBytes) / 1_048_576, decimals: 1),
            before > 0 ? .number(Double(before) / 1_048_576, decimals: 1) : .none, peak > 0 ? .number(Double(peak) / 1_048_576, decimals: 1) : .none,
            .text(outcome),
          ])
          if counts.count > 1 {
            table.notes.append("\(name), \(w) workers: state or transition counts differed between runs: \(counts.sorted { $0.lexicographicallyPrecedes($1) })")
          }
        }
        table.notes.append("\(name): \(configuration)")
      }
      if !resetWorks {
        table.notes.append("peak RSS could not be reset between runs: it is the process's peak so far")
      }
      table.notes.append("\(cores) active cores; 'all' = \(cores) workers")
      emit([table], context: context, command: "bfs", json: common.json)
    }
  }
}

/// The CCA configurations named in a comma-separated `--configs`, checked to exist.
func configurationNames(_ configs: String) throws -> [String] {
  let names = configs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  for name in names where CCA.family.configuration(named: name) == nil {
    throw ValidationError(
      "--configs: unknown configuration '\(name)'; valid: \(CCA.family.configurations.map(\.name).joined(separator: ", "))")
  }
  return names
}

/// Builds and compiles a CCA configuration by name.
func compiledConfiguration(_ name: String) throws -> (configuration: Configuration, model: Model, compiled: CompiledModel) {
  guard let configuration = CCA.family.configuration(named: name) else {
    throw BenchInputError(
      "--configs: unknown configuration '\(name)'; valid: \(CCA.family.configurations.map(\.name).joined(separator: ", "))")
  }
  do {
    let model = try CCA.family.build(configuration)
    return (configuration, model, try CompiledModel(model))
  } catch {
    throw BenchFailure("cannot build configuration \(name): \(error)")
  }
}

/// A BFS report's outcome in a table cell.
func outcomeText(_ report: ExploreReport, _ model: Model) -> String {
  switch report.outcome {
  case .noViolation: return report.complete ? "no violation" : "stopped (\(report.stoppedBy?.rawValue ?? "limit"))"
  case .violation(let p, let trace): return "VIOLATION of \(model.properties[p].name) in \(trace.steps.count) steps"
  case .modelError(let m): return "model error: \(m)"
  }
}
