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
  @Option(
    help: """
      Targets run at once (1...64; default 2). Z3 is single-threaded, so two induction targets \
      use both cores of a 2-core machine; results are reported in the targets' order. A single \
      induction target asks its consecution queries on this many threads.
      """) var jobs: Int = 2
  @Flag(
    help: """
      After the results, print each target's invariant: its properties and the lemmas induction \
      assumed and proved with them, each with its reason and formula, and whether it was shown \
      inductive (on stderr with --json).
      """) var explain = false

  func validate() throws {
    guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be in 1...64, got \(jobs)") }
  }

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
    // Progress: a bar over the targets with an ETA, redrawn on a terminal (with the running
    // exploration's states and rate), a plain line every 10 s otherwise; one line per result.
    let line = quiet ? nil : ProgressLine.standardError()
    let status = ProveStatus(jobs: min(jobs, targets.count))
    let ticker = line.map { line in
      let timer = DispatchSource.makeTimerSource(queue: .global())
      timer.schedule(deadline: .now() + 0.25, repeating: line.redraw ? 0.25 : line.interval)
      timer.setEventHandler { if let text = status.text() { line.update(text, force: !line.redraw) } }
      timer.resume()
      return timer
    }
    defer { ticker?.cancel() }
    // `jobs` workers take the targets in order; each result goes to its target's slot, so the
    // report keeps the targets' order whatever finishes first. The first error stops the rest.
    let queue = TargetQueue(count: targets.count)
    let out = self.out
    let group = DispatchGroup()
    for _ in 0..<min(jobs, targets.count) {
      group.enter()
      Thread.detachNewThread {
        defer { group.leave() }
        while !stop.isStopped, let i = queue.next() {
          let target = targets[i]
          status.start(index: i, count: targets.count, name: target.name, engine: target.engine.name)
          if let line, !line.redraw { note("[\(i + 1)/\(targets.count)] \(target.name): \(target.engine.name) ...") }
          // On a terminal the bar is drawn as each target starts, not only on the timer's tick: a
          // target shorter than the tick would otherwise never show.
          if let line, line.redraw, let text = status.text() { line.update(text, force: true) }
          var report: (@Sendable (String) -> Void)?
          if line != nil { report = { @Sendable text in status.setInner(text) } }
          do {
            // A lone target may use every job's thread for its queries (an induction's consecution queries).
            let result = try Prover.run(
              target, outputDirectory: out, stop: stop, progress: report, catalog: catalog,
              threads: targets.count == 1 ? jobs : 1)
            status.finish(index: i, seconds: result.seconds)
            line?.print(
              "[\(i + 1)/\(targets.count)] \(target.name): \(result.outcome.rawValue) (expected \(result.expected.rawValue)) in \(String(format: "%.2f", result.seconds)) s\(result.detail.isEmpty ? "" : " - \(result.detail)")"
            )
            queue.record(result, at: i)
          } catch {
            queue.fail(error)
            return
          }
        }
      }
    }
    group.wait()
    if let error = queue.failure { throw error }
    let results = queue.results
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

/// The targets in order for `--jobs` workers, their results in the targets' order, and the
/// first error.
final class TargetQueue: @unchecked Sendable {
  private let lock = NSLock()
  private var nextIndex = 0
  private var slots: [TargetResult?]
  private var error: (any Error)?

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  /// The next target's index, or nil when none is left or a target failed.
  func next() -> Int? {
    lock.withLock {
      guard error == nil, nextIndex < slots.count else { return nil }
      defer { nextIndex += 1 }
      return nextIndex
    }
  }

  func record(_ result: TargetResult, at index: Int) { lock.withLock { slots[index] = result } }

  func fail(_ error: any Error) { lock.withLock { if self.error == nil { self.error = error } } }

  var failure: (any Error)? { lock.withLock { error } }

  /// The finished targets' results in the targets' order (after an interrupt, those that finished).
  var results: [TargetResult] { lock.withLock { slots.compactMap { $0 } } }
}

/// The running targets and the finished targets' times, shared with the progress timer.
final class ProveStatus: @unchecked Sendable {
  private struct Running {
    let name: String
    let engine: String
    let started: DispatchTime
  }
  private let lock = NSLock()
  private var count = 0
  private let jobs: Int
  private var running: [Int: Running] = [:]
  private var latest: Int?
  private var finished: [Double] = []
  private var innerText: String?

  /// The status of a run with `jobs` targets at once.
  init(jobs: Int) { self.jobs = jobs }

  /// Records the running exploration's one-line summary.
  func setInner(_ text: String) { lock.withLock { innerText = text } }

  func start(index: Int, count: Int, name: String, engine: String) {
    lock.withLock {
      self.count = count
      running[index] = Running(name: name, engine: engine, started: DispatchTime.now())
      latest = index
      innerText = nil
    }
  }

  func finish(index: Int, seconds: Double) {
    lock.withLock {
      finished.append(seconds)
      running[index] = nil
      if latest == index { latest = running.keys.max() }
    }
  }

  /// The progress line for the most recently started running target, or nil between targets.
  func text() -> String? {
    lock.withLock {
      guard let index = latest, let target = running[index] else { return nil }
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - target.started.uptimeNanoseconds) / 1e9
      let now = DispatchTime.now().uptimeNanoseconds
      let others = running.filter { $0.key != index }.map { Double(now - $0.value.started.uptimeNanoseconds) / 1e9 }
      let text = ProgressFormat.targets(
        index: index, count: count, name: target.name, engine: target.engine, running: seconds, finished: finished,
        inner: innerText, jobs: jobs, others: others)
      return others.isEmpty ? text : text + " (+\(others.count) running)"
    }
  }
}
