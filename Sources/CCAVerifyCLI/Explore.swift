import ArgumentParser
import Explore
import Foundation
import Proving
import Spec
import Traces

struct ExploreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explore",
    abstract: "Explore a model exhaustively (BFS) or by seeded random walks, checking its properties.",
    discussion: """
      Examples:
        cca-verify explore                                  # exhaustive BFS of the default configuration
        cca-verify explore --mutant no-tlbi-on-delegate --out traces
        cca-verify explore --mode random --seed 7 --walks 2000 --swarm
      """)

  @Option(help: "The model (cca-verify list; default: the first listed).") var model: String?
  @Option(name: .customLong("config"), help: "A named configuration (default: the mutant's, else the model's first).")
  var configurationName: String?
  @Option(help: "A mutant to inject.") var mutant: String?
  @Option(name: .customLong("property"), help: "A property to check (repeatable; default: all but lemmas).")
  var properties: [String] = []
  @Option(help: "bfs or random.") var mode: ExploreOptions.Mode = .bfs
  @Option(parsing: .unconditional, help: "Seed of the random walks (0...18446744073709551615).", transform: parseSeed)
  var seed: UInt64 = 1
  @Option(help: "Stop at this depth.") var maxDepth: Int?
  @Option(help: "Stop after this many distinct states.") var maxStates: Int?
  @Option(help: "Stop after this many seconds.") var timeLimit: Double?
  @Option(help: "Random mode: number of walks.") var walks: Int = 1000
  @Option(help: "Random mode: steps per walk.") var walkLength: Int = 100
  @Flag(help: "Random mode: swarm testing (each walk draws its own action weights).") var swarm = false
  @Flag(help: "Random mode: report the violating walk as found, without shrinking it.") var noShrink = false
  @Option(help: "Worker threads (default: all cores).") var workers: Int?
  @Option(
    name: .customLong("symmetric"),
    help: """
      BFS: an index sort whose elements the model treats alike (repeatable), e.g. PE; states that differ \
      by a renaming are stored once. Tested on the first 300 reachable states first.
      """) var symmetric: [String] = []
  @OptionGroup var outOption: OutDirectoryOption
  var out: String { outOption.out }
  @OptionGroup var jsonOption: JSONOption
  var json: Bool { jsonOption.json }
  @OptionGroup var quietOption: QuietOption
  var quiet: Bool { quietOption.quiet }

  func validate() throws {
    if let d = maxDepth, d < 0 { throw ValidationError("--max-depth must be >= 0, got \(d)") }
    if let s = maxStates, s < 1 { throw ValidationError("--max-states must be >= 1, got \(s)") }
    // Finite too: the engines turn the limit into a deadline in integer milliseconds.
    if let t = timeLimit, !(t > 0 && t <= 1e9) {
      throw ValidationError("--time-limit must be > 0 and at most 1e9 seconds, got \(t)")
    }
    // The same bounds as a target file's `walks` and `length` (Docs/proof-targets.md).
    if !(1...1_000_000).contains(walks) { throw ValidationError("--walks must be in 1...1000000, got \(walks)") }
    if !(1...1_000_000).contains(walkLength) {
      throw ValidationError("--walk-length must be in 1...1000000, got \(walkLength)")
    }
    if let w = workers, w < 1 || w > 256 { throw ValidationError("--workers must be in 1...256, got \(w)") }
  }

  func run() throws {
    try TraceFiles.checkOutputDirectory(out, option: "--out")
    var request = ExploreRequest()
    request.model = model ?? catalog.families.first?.name ?? request.model
    request.configuration = configurationName
    request.mutant = mutant
    request.properties = properties
    request.outputDirectory = out
    request.catalog = catalog
    request.commandName = programName
    var options = ExploreOptions(
      mode: mode, seed: seed, maxDepth: maxDepth, maxStates: maxStates, timeLimit: timeLimit, walks: walks,
      walkLength: walkLength, swarm: swarm)
    if let workers { options.workers = workers }
    options.symmetricSorts = symmetric
    options.shrink = mode == .random && !noShrink
    let stop = StopSignal()
    options.stop = stop
    let resolved = try request.resolve()
    var progressLine: ProgressLine?
    if !quiet {
      let names = resolved.properties.map { resolved.model.properties[$0].name }.joined(separator: ", ")
      note("cca-verify explore: model \(resolved.model.name), configuration \(resolved.model.configuration)")
      note("  properties: \(names)")
      if !symmetric.isEmpty {
        note(
          "  symmetric sorts: \(symmetric.joined(separator: ", ")) (tested on the first \(request.symmetryCheckStates) reachable states)"
        )
      }
      note(
        "  mode \(options.mode.rawValue), workers \(options.workers), limits: depth \(maxDepth.map(String.init) ?? "none"), states \(maxStates.map(String.init) ?? "none"), time \(timeLimit.map { "\($0) s" } ?? "none")"
      )
      // A bar with rate and ETA redrawn in place on a terminal; a plain line every 10 s otherwise.
      let line = ProgressLine.standardError()
      progressLine = line
      options.progressInterval = line.redraw ? 0.25 : line.interval
      let shown = options
      options.progress = { p in line.update("  " + ProgressFormat.exploration(p, options: shown), force: !line.redraw) }
    }
    request.options = options
    let handler = installInterruptHandler { stop.stop() }
    defer { handler.cancel() }
    let run = try request.run()
    progressLine?.finish()
    let report = run.report
    if json {
      print(Self.json(run).serialized(), terminator: "")
    } else {
      print(Self.text(run), terminator: "")
    }
    switch report.outcome {
    case .noViolation:
      if report.stoppedBy == .interrupted { throw ExitCode.interrupted }
      return
    case .violation: throw ExitCode.unmet
    case .modelError(let message): throw InternalError("model error: \(message)")
    }
  }

  static func summary(_ r: ExploreReport) -> String {
    let rate = String(format: "%.0f", r.statesPerSecond)
    var s =
      "\(r.distinctStates) distinct states, \(r.transitions) transitions, depth \(r.maxDepthReached), \(String(format: "%.2f", r.elapsed)) s (\(rate) states/s, \(r.bytesPerState) bytes/state, \(r.workers) workers)"
    if r.mode == .random { s += ", \(r.walksCompleted) walks, seed \(r.seed)" }
    return s
  }

  static func text(_ run: ExploreRun) -> String {
    let r = run.report
    var out = ""
    switch r.outcome {
    case .noViolation:
      if r.mode == .bfs && r.complete {
        out += "No violation: exhaustive BFS explored every reachable state of \(run.model.configuration).\n"
      } else if r.mode == .bfs {
        out +=
          "No violation found, but the search stopped early (\(r.stoppedBy?.rawValue ?? "limit")): the result is not exhaustive.\n"
      } else {
        out += "No violation in \(r.walksCompleted) random walks (a sample, not a proof).\n"
      }
      out += "  " + summary(r) + "\n"
    case .violation(let p, let trace):
      out += "VIOLATION of \(run.model.properties[p].name) after \(trace.steps.count) steps\n"
      if let original = r.unshrunkLength {
        out +=
          "Counterexample shrunk from \(original) to \(trace.steps.count) steps (walk \(r.violatingWalk.map(String.init) ?? "?"))\n"
      }
      out += "\n"
      out += TraceText.render(trace, model: run.model)
      out += "\n" + summary(r) + "\n"
      if let itf = run.itfPath { out += "Trace written to \(itf)" + (run.textPath.map { " and \($0)" } ?? "") + "\n" }
      out += "Seed: \(r.seed)\nReproduce: \(run.reproduce)\n"
    case .modelError(let message):
      out += "MODEL ERROR: \(message)\n"
      if let trace = r.errorTrace {
        out += "The path to the state where it occurred:\n\n" + TraceText.render(trace, model: run.model) + "\n"
      }
      out += "  " + summary(r) + "\n"
      if let itf = run.itfPath { out += "Trace written to \(itf)" + (run.textPath.map { " and \($0)" } ?? "") + "\n" }
    }
    if r.stoppedBy == .interrupted { out += "Interrupted: the numbers above are what was explored so far.\n" }
    return out
  }

  static func json(_ run: ExploreRun) -> JSONValue {
    let r = run.report
    var members: [(String, JSONValue)] = [
      ("model", .string(run.model.name)),
      ("configuration", .string(run.model.configuration.description)),
      ("mode", .string(r.mode.rawValue)),
      ("properties", .array(run.properties.map { .string(run.model.properties[$0].name) })),
      ("distinctStates", .number(Int64(r.distinctStates))),
      ("transitions", .number(Int64(r.transitions))),
      ("maxDepth", .number(Int64(r.maxDepthReached))),
      ("complete", .bool(r.complete)),
      ("stoppedBy", r.stoppedBy.map { .string($0.rawValue) } ?? .null),
      ("seconds", .string(String(format: "%.3f", r.elapsed))),
      ("bytesPerState", .number(Int64(r.bytesPerState))),
      ("workers", .number(Int64(r.workers))),
      ("seed", .string(String(r.seed))),
      ("reproduce", .string(run.reproduce)),
    ]
    switch r.outcome {
    case .noViolation: members.append(("outcome", .string("no-violation")))
    case .violation(let p, let trace):
      members.append(("outcome", .string("violated")))
      members.append(("property", .string(run.model.properties[p].name)))
      members.append(("steps", .number(Int64(trace.steps.count))))
      members.append(("unshrunkSteps", r.unshrunkLength.map { .number(Int64($0)) } ?? .null))
      members.append(("trace", run.itfPath.map(JSONValue.string) ?? .null))
    case .modelError(let m):
      members.append(("outcome", .string("model-error")))
      members.append(("error", .string(m)))
      members.append(("trace", run.itfPath.map(JSONValue.string) ?? .null))
    }
    members.append(
      (
        "coverage",
        .object(
          r.coverage.actions.map { a in
            (
              a.name,
              .object([
                ("enabled", .number(Int64(a.enabled))), ("succeeded", .number(Int64(a.succeeded))),
                ("failures", .object(a.failures.map { ($0.name, .number(Int64($0.fired))) })),
              ])
            )
          })
      ))
    return .object(members)
  }
}

extension ExploreOptions.Mode: ExpressibleByArgument {}

/// Reads `--seed`: an unsigned 64-bit integer.
///
/// The option takes its next argument whatever it looks like, so `--seed -1` is refused for its value, not reported as
/// a missing one.
func parseSeed(_ text: String) throws -> UInt64 {
  guard let seed = UInt64(text) else {
    throw ValidationError("--seed takes an integer in 0...18446744073709551615, got '\(text)'")
  }
  return seed
}
