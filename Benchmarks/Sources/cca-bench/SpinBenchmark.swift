import ArgumentParser
import CCAModel
import Explore
import Foundation
import Spec

/// `cca-bench spin`: the explorer against SPIN on the Promela twins of `atomic` and `standard`
/// (../shared/bench/spin-twin, see its README), measured alternately on the same machine state.
struct SpinBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "spin",
    abstract: "The explorer's exhaustive BFS against SPIN's on the same model (the Promela twins), alternating runs.",
    discussion: """
      For each configuration the twin is compiled once (spin -a, then gcc -O2 -DSAFETY -DNOREDUCE \
      -DBFS; with --two-workers also -DNCORE=2 without BFS), then the runs alternate: \
      explorer, SPIN, explorer, SPIN, ... after one warm-up of each. Explorer runs are in this \
      process (ExploreOptions(mode: .bfs, workers: 1), the default properties) and their CPU time \
      is this process's user+sys time during the run (getrusage); SPIN's is the child's \
      (RUSAGE_CHILDREN). With --two-workers, the 2-worker explorer and pan built with NCORE=2 are \
      compared by wall time, and the explorer's 2-worker speed-up over 1 worker is printed. The \
      state counts must agree (the twin's README says why they do); a row whose counts differ \
      says so. Bytes/state: the explorer's visited store (ExploreReport.bytesPerState), SPIN's \
      "total actual memory usage" divided by its stored states. Requires spin and gcc on PATH.
      """)

  @Option(help: "The directory holding atomic.pml and standard.pml.") var twin = "../shared/bench/spin-twin"
  @Option(help: "Comma-separated configurations (each needs <name>.pml in the twin directory).") var configs =
    "atomic,standard"
  @Option(help: "Measured runs of each side (after one warm-up each).") var rounds = 5
  @Option(help: "pan's -w (log2 of its hash table size).") var hashBits = 21
  @Flag(help: "Also compare 2 workers (wall time) and report the explorer's 2-worker speed-up.") var twoWorkers = false
  @OptionGroup var common: CommonOptions

  func validate() throws {
    if rounds < 1 { throw ValidationError("--rounds must be >= 1, got \(rounds)") }
    if !(10...32).contains(hashBits) { throw ValidationError("--hash-bits must be in 10...32, got \(hashBits)") }
    for name in configs.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
    where CCA.family.configuration(named: name) == nil {
      throw ValidationError("--configs: unknown configuration '\(name)'")
    }
  }

  func run() throws {
    try guarded {
      let context = common.context()
      let names = configs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      var table = ResultTable(
        title: "Explorer vs SPIN, exhaustive BFS, 1 worker (medians of \(rounds) alternating runs each)",
        columns: [
          "configuration", "explorer states", "SPIN states", "explorer CPU s", "SPIN CPU s", "CPU ratio",
          "goal", "explorer states/s", "SPIN states/s", "explorer bytes/state", "SPIN bytes/state",
        ])
      var parallel = ResultTable(
        title: "2 workers: explorer vs pan -DNCORE=2, wall time (medians of \(rounds) alternating runs)",
        columns: [
          "configuration", "explorer 1w wall s", "explorer 2w wall s", "explorer speed-up", "SPIN 2-core wall s",
          "wall ratio", "load before", "load after",
        ])
      let loadBefore = RunContext.loadAverage() ?? "?"
      for name in names {
        guard let configuration = CCA.family.configuration(named: name) else { continue }
        let source = URL(fileURLWithPath: twin).appendingPathComponent("\(name).pml")
        guard FileManager.default.fileExists(atPath: source.path) else {
          throw BenchInputError("--twin: \(source.path) does not exist (see ../shared/bench/spin-twin/README.md)")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("cca-bench-spin-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.copyItem(at: source, to: work.appendingPathComponent("\(name).pml"))
        progress("spin: compiling the \(name) twin in \(work.path) ...")
        try shell(["spin", "-a", "\(name).pml"], in: work)
        try shell(["gcc", "-O2", "-DSAFETY", "-DNOREDUCE", "-DBFS", "-o", "pan", "pan.c"], in: work)
        if twoWorkers { try shell(["gcc", "-O2", "-DSAFETY", "-DNOREDUCE", "-DNCORE=2", "-o", "pan2", "pan.c"], in: work) }
        let compiled: CompiledModel
        do {
          compiled = try CompiledModel(try CCA.family.build(configuration))
        } catch {
          throw BenchFailure("cannot build configuration \(name): \(error)")
        }

        var explorerCPU: [Double] = []
        var spinCPU: [Double] = []
        var explorerReport: ExploreReport?
        var spinRun: PanRun?
        for round in 0...rounds {
          let (report, cpu) = explorerRun(compiled, workers: 1)
          let pan = try panRun(["./pan", "-w\(hashBits)"], in: work)
          progress(
            "spin: \(name) \(round == 0 ? "warm-up" : "round \(round)"): explorer \(report.distinctStates) states "
              + String(format: "%.3f s CPU", cpu) + ", SPIN \(pan.states) states " + String(format: "%.3f s CPU", pan.cpu))
          if round == 0 { continue }
          explorerCPU.append(cpu)
          spinCPU.append(pan.cpu)
          explorerReport = report
          spinRun = pan
        }
        guard let report = explorerReport, let pan = spinRun else { continue }
        let (e, s) = (median(explorerCPU), median(spinCPU))
        let goal = name == "standard" ? "<= 1.0" : name == "atomic" ? "<= 1.5" : "-"
        table.append([
          .text(name), .integer(report.distinctStates), .integer(pan.states), .seconds(e), .seconds(s),
          .number(s > 0 ? e / s : 0, decimals: 2), .text(goal),
          .number(e > 0 ? Double(report.distinctStates) / e : 0, decimals: 0),
          .number(s > 0 ? Double(pan.states) / s : 0, decimals: 0), .integer(report.bytesPerState),
          pan.memoryBytes.map { .integer($0 / max(pan.states, 1)) } ?? .none,
        ])
        if report.distinctStates != pan.states {
          table.notes.append("\(name): the state counts DIFFER: the twin no longer matches the model, the ratio measures nothing")
        }
        table.notes.append(
          "\(name): explorer CPU \(explorerCPU.map { String(format: "%.3f", $0) }.joined(separator: " ")); "
            + "SPIN CPU \(spinCPU.map { String(format: "%.3f", $0) }.joined(separator: " "))")

        if twoWorkers {
          var one: [Double] = []
          var two: [Double] = []
          var spin2: [Double] = []
          let before = RunContext.loadAverage() ?? "?"
          for round in 0...rounds {
            let r1 = explorerRun(compiled, workers: 1).report
            let r2 = explorerRun(compiled, workers: 2).report
            let p2 = try panRun(["./pan2", "-w\(hashBits)"], in: work)
            progress(String(format: "spin: \(name) 2 workers round \(round): explorer 1w %.3f s, 2w %.3f s, pan2 %.3f s", r1.elapsed, r2.elapsed, p2.wall))
            if round == 0 { continue }
            one.append(r1.elapsed)
            two.append(r2.elapsed)
            spin2.append(p2.wall)
          }
          let (w1, w2, p) = (median(one), median(two), median(spin2))
          parallel.append([
            .text(name), .seconds(w1), .seconds(w2), .number(w2 > 0 ? w1 / w2 : 0, decimals: 2), .seconds(p),
            .number(p > 0 ? w2 / p : 0, decimals: 2), .text(before), .text(RunContext.loadAverage() ?? "?"),
          ])
        }
      }
      table.notes.append("load average before: \(loadBefore); after: \(RunContext.loadAverage() ?? "?")")
      table.notes.append("goals (issue 16): CPU ratio <= 1.0 on standard, <= 1.5 on atomic; explorer bytes/state <= 16")
      emit(twoWorkers ? [table, parallel] : [table], context: context, command: "spin", json: common.json)
    }
  }

  /// One explorer BFS and the CPU seconds (user + sys) this process spent in it.
  private func explorerRun(_ compiled: CompiledModel, workers: Int) -> (report: ExploreReport, cpu: Double) {
    let before = Self.cpu(RUSAGE_SELF)
    let report = explore(compiled, options: ExploreOptions(mode: .bfs, workers: workers))
    return (report, Self.cpu(RUSAGE_SELF) - before)
  }

  struct PanRun {
    var states: Int
    var cpu: Double
    var wall: Double
    var memoryBytes: Int?
  }

  /// Runs pan and reads its stored states and memory from its report.
  private func panRun(_ arguments: [String], in directory: URL) throws -> PanRun {
    let before = Self.cpu(RUSAGE_CHILDREN)
    let (output, wall) = try timed { try shell(arguments, in: directory) }
    let cpu = Self.cpu(RUSAGE_CHILDREN) - before
    var states = 0
    var memory: Int?
    for line in output.split(separator: "\n") {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if line.contains("states, stored"), let n = fields.first.flatMap({ Int($0) }) { states = n }
      if line.contains("total actual memory usage"), let mb = fields.first.flatMap({ Double($0) }) {
        memory = Int(mb * 1_048_576)
      }
    }
    guard states > 0 else { throw BenchFailure("\(arguments.joined(separator: " ")) printed no state count:\n\(output)") }
    if output.contains("errors: 1") { throw BenchFailure("\(arguments[0]) found an error: the twin is not the correct model") }
    return PanRun(states: states, cpu: cpu, wall: wall, memoryBytes: memory)
  }

  private static func cpu(_ who: __rusage_who) -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(who.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
      + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
  }

  /// Runs a command in a directory and returns its standard output and error; a non-zero exit is a
  /// ``BenchFailure`` (pan exits 0 after a search).
  ///
  /// Through glibc's `popen` (`/bin/sh -c 'cd DIR && exec ARGS 2>&1'`, each argument single-quoted), not
  /// Foundation's `Process`, whose `run()` in the Swift 6.3 toolchain can crash walking `/proc/self/fd`
  /// (swift-corelibs-foundation pull request 5472; Tests/CLITests/Spawn.swift). The shell `exec`s the
  /// command, so RUSAGE_CHILDREN counts the command itself once `pclose` has reaped it.
  @discardableResult
  private func shell(_ arguments: [String], in directory: URL) throws -> String {
    let command =
      "cd \(Self.quoted(directory.path)) && exec \(arguments.map(Self.quoted).joined(separator: " ")) 2>&1"
    guard let stream = popen(command, "r") else {
      throw BenchFailure("cannot run \(arguments[0]): \(String(cString: strerror(errno)))")
    }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = fread(&buffer, 1, buffer.count, stream)
      output.append(contentsOf: buffer[0..<n])
      if n < buffer.count && (feof(stream) != 0 || ferror(stream) != 0) { break }
    }
    let status = pclose(stream)
    let text = String(decoding: output, as: UTF8.self)
    // The wait status: exit code in bits 15:8 when the low 7 bits (the signal) are 0; the shell exits 127 when
    // the command is not found.
    let code = status == -1 || status & 0x7F != 0 ? -1 : (status >> 8) & 0xFF
    guard code == 0 else {
      let hint = code == 127 ? " (not found: install spin and gcc: apt-get install spin gcc)" : ""
      throw BenchFailure("\(arguments.joined(separator: " ")) exited \(code)\(hint):\n\(text.suffix(2000))")
    }
    return text
  }

  /// `s` single-quoted for /bin/sh.
  private static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
