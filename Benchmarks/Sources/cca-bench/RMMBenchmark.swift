import ArgumentParser
import CCAModel
import Explore
import Foundation
import Spec
import Symbolic

/// `cca-bench rmm`: the cost of the RMM 1.0 model (feature `rmm`) and how it grows with granules
/// and realms: depth-bounded BFS (states, transitions, states/s) and BMC (seconds to a depth for
/// the correct model, and to a mutant's counterexample).
struct RMMBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rmm",
    abstract: "The RMM model at growing granules and realms: depth-bounded BFS and BMC.",
    discussion: """
      Each row is one configuration: `--config` (default rmm-small) with the granules and realms \
      bounds overridden. bfs: every state within --depth steps (the RMM state space is not \
      exhaustible at these sizes), all cores; states/s is distinct states over seconds. bmc: \
      SymbolicChecker.bmc of every non-lemma property to --bmc-depth on the correct model \
      (holds-bounded expected) and on the mutant data-create-skips-state-check (its shortest \
      counterexample, replayed concretely). An exhausted --timeout is reported as unknown.
      """)

  @Option(help: "The RMM configuration to grow.") var config = "rmm-small"
  @Option(help: "Comma-separated granule counts.") var granules = "3,4,5"
  @Option(help: "Comma-separated realm counts.") var realms = "1,2"
  @Option(help: "BFS depth bound.") var depth = 6
  @Option(help: "BMC depth bound.") var bmcDepth = 4
  @Option(help: "Comma-separated checks: bfs, bmc, bmc-mutant.") var checks = "bfs,bmc,bmc-mutant"
  @Option(help: "Budget per check in seconds.") var timeout: Double = 300
  @OptionGroup var common: CommonOptions

  static let allChecks = ["bfs", "bmc", "bmc-mutant"]

  func validate() throws {
    guard let c = CCA.family.configuration(named: config), c.has(CCA.Feature.rmm) else {
      throw ValidationError("--config: '\(config)' is not an RMM configuration; valid: \(CCA.family.configurations.filter { $0.has(CCA.Feature.rmm) }.map(\.name).joined(separator: ", "))")
    }
    if !(0...30).contains(depth) { throw ValidationError("--depth must be in 0...30, got \(depth)") }
    if !(0...20).contains(bmcDepth) { throw ValidationError("--bmc-depth must be in 0...20, got \(bmcDepth)") }
    if !(timeout > 0) { throw ValidationError("--timeout must be > 0, got \(timeout)") }
    do {
      _ = try integerList(granules, name: "--granules", range: 1...64)
      _ = try integerList(realms, name: "--realms", range: 1...4)
    } catch { throw ValidationError("\(error)") }
    for c in checks.split(separator: ",") where !Self.allChecks.contains(String(c)) {
      throw ValidationError("--checks: unknown check '\(c)'; valid: \(Self.allChecks.joined(separator: ", "))")
    }
  }

  func run() throws {
    try guarded {
      let selected = Set(checks.split(separator: ",").map(String.init))
      var bfs = ResultTable(
        title: "Depth-bounded BFS of \(config), every state within \(depth) steps, all cores",
        columns: ["granules", "realms", "state bits", "states", "transitions", "seconds", "states/s", "outcome"])
      var bmc = ResultTable(
        title: "BMC of \(config) (every non-lemma property)",
        columns: ["granules", "realms", "model", "depth", "seconds", "queries", "outcome", "detail"])
      for r in try integerList(realms, name: "--realms", range: 1...4) {
        for g in try integerList(granules, name: "--granules", range: 1...64) {
          if selected.contains("bfs") { bfs.append(try bfsRow(granules: g, realms: r)) }
          if selected.contains("bmc") { bmc.append(try bmcRow(granules: g, realms: r, mutant: nil)) }
          if selected.contains("bmc-mutant") {
            bmc.append(try bmcRow(granules: g, realms: r, mutant: CCA.MutantName.dataCreateSkipsStateCheck))
          }
        }
      }
      bfs.notes.append("transitions count every enabled step, including failing RMI calls (which change nothing)")
      bmc.notes.append("timeout per check: \(timeout) s; an exhausted budget is unknown, never a result")
      emit(
        [bfs, bmc].filter { !$0.rows.isEmpty }, context: common.context(), command: "rmm", json: common.json)
    }
  }

  func build(granules g: Int, realms r: Int, mutant: String?) throws -> (Model, CompiledModel) {
    guard var c = CCA.family.configuration(named: config) else { throw BenchFailure("no configuration \(config)") }
    c.bounds[CCA.Bound.granules] = g
    c.bounds[CCA.Bound.realms] = r
    c.mutant = mutant
    do {
      let model = try CCA.family.build(c)
      return (model, try CompiledModel(model))
    } catch {
      throw BenchFailure("cannot build \(c): \(error)")
    }
  }

  func bfsRow(granules g: Int, realms r: Int) throws -> [Cell] {
    let (_, compiled) = try build(granules: g, realms: r, mutant: nil)
    progress("rmm: bfs granules=\(g) realms=\(r) depth=\(depth) ...")
    let (report, outcome) = try BoundedRuns.bfs(compiled, depth: depth, timeout: timeout)
    progress(String(format: "  %d states in %.2f s", report.distinctStates, report.elapsed))
    return [
      .integer(g), .integer(r), .integer(compiled.bitsPerState), .integer(report.distinctStates),
      .integer(report.transitions), .seconds(report.elapsed), .integer(Int(report.statesPerSecond)), .text(outcome),
    ]
  }

  func bmcRow(granules g: Int, realms r: Int, mutant: String?) throws -> [Cell] {
    let (model, compiled) = try build(granules: g, realms: r, mutant: mutant)
    progress("rmm: bmc granules=\(g) realms=\(r) \(mutant ?? "correct") depth=\(bmcDepth) ...")
    let (report, outcome, detail) = try BoundedRuns.bmc(model, compiled, depth: bmcDepth, timeout: timeout)
    progress(String(format: "  %.2f s, %@ %@", report.seconds, outcome, detail))
    return [
      .integer(g), .integer(r), .text(mutant ?? "correct"), .integer(bmcDepth), .seconds(report.seconds),
      .integer(report.queries), .text(outcome), .text(detail),
    ]
  }
}
