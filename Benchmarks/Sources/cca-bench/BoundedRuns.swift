import Explore
import Foundation
import Spec
import Symbolic

/// The two measurements `rmm` and `features` take of one model: depth-bounded BFS on all cores
/// and BMC of every non-lemma property, each counterexample replayed concretely.
enum BoundedRuns {
  /// BFS to `depth` with every core: the report and its outcome in words.
  static func bfs(_ compiled: CompiledModel, depth: Int, timeout: Double) throws -> (report: ExploreReport, outcome: String) {
    var options = ExploreOptions(mode: .bfs, maxDepth: depth, timeLimit: timeout)
    options.workers = ProcessInfo.processInfo.activeProcessorCount
    let report = explore(compiled, options: options)
    let outcome: String
    switch report.outcome {
    case .noViolation:
      outcome =
        report.complete
        ? "complete" : (report.stoppedBy == .maxDepth ? "no violation to depth \(depth)" : "stopped (\(report.stoppedBy?.rawValue ?? "?"))")
    case .violation(let p, let trace): outcome = "VIOLATION of \(compiled.model.properties[p].name) at \(trace.steps.count)"
    case .modelError(let m): throw BenchFailure("model error: \(m)")
    }
    return (report, outcome)
  }

  /// BMC of every non-lemma property to `depth`: the report, its outcome and detail (a
  /// counterexample that does not replay on `compiled` says so).
  static func bmc(_ model: Model, _ compiled: CompiledModel, depth: Int, timeout: Double) throws -> (
    report: SymbolicReport, outcome: String, detail: String
  ) {
    let properties = model.properties.indices.filter { model.properties[$0].kind != .lemma }
    let checker: SymbolicChecker
    do {
      checker = try SymbolicChecker(model: model, options: SymbolicOptions(timeout: timeout))
    } catch {
      throw BenchFailure("cannot encode \(model.configuration): \(error)")
    }
    let report = checker.bmc(properties: properties, depth: depth)
    var (outcome, detail) = ScalingBenchmark.describe(report.outcome)
    if case .violated(let trace) = report.outcome, case .diverged(let step, let reason) = replay(compiled, trace: trace) {
      outcome = "violated (DOES NOT REPLAY)"
      detail += "; replay diverged at step \(step): \(reason)"
    }
    return (report, outcome, detail)
  }
}
