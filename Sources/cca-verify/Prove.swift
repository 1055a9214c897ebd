import ArgumentParser
import Explore
import Foundation
import Proving
import Traces

struct Prove: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run proof targets and compare each outcome with its expectation.",
    discussion: """
      PATH is a target file or a folder of *.toml targets (default: Proofs/). Outcomes: proved, \
      violated, cti (a counterexample to induction, not a violation), unknown (budget exhausted or \
      solver undecided), holds-bounded. Exit 0 when every outcome meets its expectation, 1 otherwise.
      Example: cca-verify prove Proofs/ --junit report.xml --out traces
      """)

  @Argument(help: "Target files or folders.") var paths: [String] = ["Proofs"]
  @Flag(help: "Print one JSON object {\"targets\": [...]}.") var json = false
  @Option(help: "Also write a JUnit XML report to this file.") var junit: String?
  @Option(help: "Directory for counterexample and CTI files.") var out = "out"
  @Flag(help: "No per-target progress on stderr.") var quiet = false

  func run() throws {
    let files = try Prover.targetFiles(paths)
    // Read every target first: a malformed file is bad input before any engine runs.
    let targets = try files.map { try ProofTarget.load(path: $0) }
    let stop = StopSignal()
    let handler = installInterruptHandler { stop.stop() }
    defer { handler.cancel() }
    var results: [TargetResult] = []
    for (i, target) in targets.enumerated() {
      if stop.isStopped { break }
      if !quiet { note("[\(i + 1)/\(targets.count)] \(target.name): \(target.engine.name) ...") }
      let result = try Prover.run(target, outputDirectory: out, stop: stop)
      if !quiet {
        note("[\(i + 1)/\(targets.count)] \(target.name): \(result.outcome.rawValue) (expected \(result.expected.rawValue)) in \(String(format: "%.2f", result.seconds)) s\(result.detail.isEmpty ? "" : " - \(result.detail)")")
      }
      results.append(result)
    }
    if let junit { try TraceFiles.atomicWrite(ProveReport.junit(results), to: junit) }
    if json {
      print(ProveReport.json(results).serialized(), terminator: "")
    } else {
      print(ProveReport.table(results), terminator: "")
    }
    if stop.isStopped {
      note("interrupted after \(results.count) of \(targets.count) targets")
      throw Finished(status: .unmet)
    }
    if !results.allSatisfy(\.met) { throw Finished(status: .unmet) }
  }
}
