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
      In a CI matrix: cca-verify prove --shard 2/4 --json > shard-2.json on each machine, then \
      cca-verify merge-reports shard-*.json --junit report.xml.
      cca-verify prove --explain Proofs/rmm-small-properties-induction.toml prints the invariant shown inductive.
      """)

  @Argument(help: "Target files or folders.") var paths: [String] = ["Proofs"]
  @OptionGroup var jsonOption: JSONOption
  var json: Bool { jsonOption.json }
  @Option(help: "Also write a JUnit XML report to this file (- for standard output).") var junit: String?
  @OptionGroup var outOption: OutDirectoryOption
  var out: String { outOption.out }
  @OptionGroup var quietOption: QuietOption
  var quiet: Bool { quietOption.quiet }
  @Option(
    help: """
      Run only shard K of N (K/N, from 1/N to N/N): a stable split of the targets by file path, \
      for a CI matrix; join the shards' --json reports with merge-reports.
      """) var shard: String?
  @Flag(
    help: """
      After the results, print each target's invariant: its properties and the lemmas induction \
      assumed and proved with them, each with its reason and formula, and whether it was shown \
      inductive (on stderr with --json).
      """) var explain = false

  func run() throws {
    // Every output location is checked before any target runs: a long run never ends by
    // failing to write its results.
    if let junit { try TraceFiles.checkOutputFile(junit, option: "--junit") }
    try TraceFiles.checkOutputDirectory(out, option: "--out")
    let all = try Prover.targetFiles(paths)
    let files = try shard.map { try Sharding.Shard(parsing: $0).select(all) } ?? all
    // Read every target first: a malformed file is bad input before any engine runs.
    let targets = try files.map { try ProofTarget.load(path: $0, catalog: catalog) }
    let stop = StopSignal()
    let handler = installInterruptHandler { stop.stop() }
    defer { handler.cancel() }
    var results: [TargetResult] = []
    // Progress: a bar over the targets with an ETA, redrawn on a terminal (with the running
    // exploration's states and rate), a plain line every 10 s otherwise; one line per result.
    let line = quiet ? nil : ProgressLine.standardError()
    let status = ProveStatus()
    let ticker = line.map { line in
      let timer = DispatchSource.makeTimerSource(queue: .global())
      timer.schedule(deadline: .now() + 0.25, repeating: line.redraw ? 0.25 : line.interval)
      timer.setEventHandler { if let text = status.text() { line.update(text, force: !line.redraw) } }
      timer.resume()
      return timer
    }
    defer { ticker?.cancel() }
    for (i, target) in targets.enumerated() {
      if stop.isStopped { break }
      status.start(index: i, count: targets.count, name: target.name, engine: target.engine.name)
      if let line, !line.redraw { note("[\(i + 1)/\(targets.count)] \(target.name): \(target.engine.name) ...") }
      // On a terminal the bar is drawn as each target starts, not only on the timer's tick: a
      // target shorter than the tick would otherwise never show.
      if let line, line.redraw, let text = status.text() { line.update(text, force: true) }
      var report: (@Sendable (String) -> Void)?
      if line != nil { report = { @Sendable text in status.setInner(text) } }
      let result = try Prover.run(target, outputDirectory: out, stop: stop, progress: report, catalog: catalog)
      status.finish(seconds: result.seconds)
      line?.print(
        "[\(i + 1)/\(targets.count)] \(target.name): \(result.outcome.rawValue) (expected \(result.expected.rawValue)) in \(String(format: "%.2f", result.seconds)) s\(result.detail.isEmpty ? "" : " - \(result.detail)")"
      )
      results.append(result)
    }
    ticker?.cancel()
    line?.finish()
    // The results are printed first: a failure writing the JUnit file cannot discard them.
    try present(results, json: json, junit: junit)
    if explain {
      for (target, result) in zip(targets, results) {
        let text = "\n" + (try Prover.explain(target, outcome: result, catalog: catalog))
        if json { note(text) } else { print(text, terminator: "") }
      }
      fflush(nil)
    }
    if stop.isStopped {
      note("interrupted after \(results.count) of \(targets.count) targets")
      throw ExitCode.interrupted
    }
    if !results.allSatisfy(\.met) { throw ExitCode.unmet }
  }
}

/// The running target and the finished targets' times, shared with the progress timer.
final class ProveStatus: @unchecked Sendable {
  private let lock = NSLock()
  private var index = 0
  private var count = 0
  private var name = ""
  private var engine = ""
  private var started = DispatchTime.now()
  private var finished: [Double] = []
  private var running = false
  private var innerText: String?

  /// Records the running exploration's one-line summary.
  func setInner(_ text: String) { lock.withLock { innerText = text } }

  func start(index: Int, count: Int, name: String, engine: String) {
    lock.withLock {
      (self.index, self.count, self.name, self.engine) = (index, count, name, engine)
      started = DispatchTime.now()
      running = true
      innerText = nil
    }
  }

  func finish(seconds: Double) {
    lock.withLock {
      finished.append(seconds)
      running = false
    }
  }

  /// The progress line, or nil between targets.
  func text() -> String? {
    lock.withLock {
      guard running else { return nil }
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
      return ProgressFormat.targets(
        index: index, count: count, name: name, engine: engine, running: seconds, finished: finished, inner: innerText)
    }
  }
}
