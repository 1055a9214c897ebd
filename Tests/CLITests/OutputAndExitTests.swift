import Foundation
import Testing

/// Output paths (special files, missing and bad directories) and exit statuses (interrupted
/// runs, absurd options, help topics, mutants that cannot act) through the binary.
@Suite("Output paths and exit statuses", .serialized)
struct OutputAndExitTests {
  /// A fast target: 5 random walks of 5 steps in the atomic configuration.
  func quickTarget(in directory: URL) throws -> String {
    let file = directory.appendingPathComponent("quick.toml").path
    try """
    model = "cca"
    configuration = "atomic"
    engine = "random"
    walks = 5
    length = 5
    expect = "holds"
    """.write(toFile: file, atomically: true, encoding: .utf8)
    return file
  }

  func kind(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & S_IFMT
  }

  @Test("prove --junit /dev/stdout writes the XML through to standard output")
  func junitToStandardOutput() throws {
    let dir = try temporaryDirectory()
    let run = try cca([
      "prove", try quickTarget(in: dir), "--quiet", "--junit", "/dev/stdout", "--out", dir.path + "/out",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("1 of 1 targets met"), "the table is printed")
    #expect(run.stdout.contains("<?xml") && run.stdout.contains("</testsuites>"), "\(run.stdout)")
    #expect(kind("/dev/stdout") == S_IFLNK)
    let dash = try cca(["prove", try quickTarget(in: dir), "--quiet", "--junit", "-", "--out", dir.path + "/out"])
    #expect(dash.status == 0 && dash.stdout.contains("</testsuites>"), "\(dash.stderr)")
  }

  @Test("--junit and show --out to a FIFO: written through, the FIFO is still a FIFO")
  func fifo() throws {
    let dir = try temporaryDirectory()
    let fifo = dir.appendingPathComponent("junit.fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    for arguments in [
      ["prove", try quickTarget(in: dir), "--quiet", "--junit", fifo, "--out", dir.path + "/out"],
      ["show", try counterexample().path, "--format", "markdown", "--out", fifo],
    ] {
      let received = LockedData()
      // A blocking read to the end (FileManager may read a FIFO's size, 0, only).
      let reader = Thread { received.set(FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data("?".utf8)) }
      reader.start()
      let run = try ccaTimed(arguments, timeout: 120)
      #expect(run.status == 0 && !run.timedOut, "\(arguments): \(run.stderr)")
      while received.get().isEmpty { usleep(10_000) }
      let text = String(decoding: received.get(), as: UTF8.self)
      #expect(text.contains(arguments[0] == "prove" ? "</testsuites>" : "# "), "\(text.prefix(200))")
      #expect(kind(fifo) == S_IFIFO, "the FIFO was replaced by a regular file")
    }
  }

  @Test("A missing reports/ directory is created; the results table is printed")
  func missingDirectory() throws {
    let dir = try temporaryDirectory()
    let junit = dir.appendingPathComponent("reports/ci/junit.xml").path
    let run = try cca(["prove", try quickTarget(in: dir), "--quiet", "--junit", junit, "--out", dir.path + "/out"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("1 of 1 targets met"))
    #expect(
      FileManager.default.contents(atPath: junit).map { String(decoding: $0, as: UTF8.self) }?.contains("<testsuites")
        == true)
  }

  @Test("An output path that can never be written is refused before any work, exit 2, nothing written")
  func unwritableOutputs() throws {
    let dir = try temporaryDirectory()
    let file = dir.appendingPathComponent("a-file").path
    try "keep".write(toFile: file, atomically: true, encoding: .utf8)
    let target = try quickTarget(in: dir)
    let cases: [(arguments: [String], option: String)] = [
      (["prove", target, "--junit", file + "/junit.xml", "--out", dir.path + "/out"], "--junit"),
      (["prove", target, "--junit", dir.path, "--out", dir.path + "/out"], "--junit"),
      (["prove", target, "--out", file], "--out"),
      (["explore", "--config", "atomic", "--out", file + "/traces"], "--out"),
      (["show", try counterexample().path, "--out", dir.path], "--out"),
      (["run", "--coverage", dir.path, "/nonexistent.scenario"], "--coverage"),
      (["run", "--trace", file, "/nonexistent.scenario"], "--trace"),
    ]
    for c in cases {
      let run = try cca(c.arguments)
      #expect(run.status == 2, "\(c.arguments): \(run.status) \(run.stderr)")
      #expect(run.stderr.contains(c.option), "\(c.arguments): \(run.stderr)")
      #expect(run.stdout.isEmpty, "\(c.arguments) did work before refusing: \(run.stdout.prefix(200))")
    }
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep")
    #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) == ["a-file", "quick.toml"])
  }

  /// Starts the binary, sends SIGINT after `delay` seconds, and returns the finished run.
  func interrupted(_ arguments: [String], after delay: Double) throws -> (
    status: Int32, reason: Process.TerminationReason, stdout: String, stderr: String
  ) {
    let child = try Spawned(try executable(), arguments)
    Thread.sleep(forTimeInterval: delay)
    child.send(SIGINT)
    let ending = child.wait()
    return (ending.status, ending.reason, child.stdout, child.stderr)
  }

  @Test("An interrupted explore, prove or run exits 130 (explore and prove print what they found so far)")
  func interruptedRuns() throws {
    let dir = try temporaryDirectory()
    let explore = try interrupted(
      ["explore", "--mode", "random", "--walks", "1000000", "--walk-length", "1000", "--quiet", "--out", dir.path],
      after: 3)
    #expect(explore.reason == .exit && explore.status == 130, "\(explore.reason) \(explore.status)")
    #expect(explore.stdout.contains("Interrupted"), "\(explore.stdout)")

    let slow = dir.appendingPathComponent("slow.toml").path
    try """
    model = "cca"
    configuration = "standard"
    engine = "random"
    walks = 1000000
    length = 1000
    expect = "holds"
    """.write(toFile: slow, atomically: true, encoding: .utf8)
    let prove = try interrupted(["prove", slow, "--quiet", "--out", dir.path], after: 3)
    #expect(prove.reason == .exit && prove.status == 130, "\(prove.reason) \(prove.status)")
    #expect(prove.stdout.contains("targets met their expectation"), "the table is printed: \(prove.stdout)")

    // `run` has no handler of its own: the default one exits 130 too (building rmm-full's
    // model takes far longer than the delay in a debug build).
    let scenario = repositoryRoot.appendingPathComponent("Tests/Conformance/rec-enter.scenario").path
    let run = try interrupted(["run", scenario], after: 1)
    #expect(run.reason == .exit && run.status == 130, "\(run.reason) \(run.status): \(run.stderr.prefix(500))")
  }

  @Test("Absurd or malformed options, unknown help topics and a mutant that cannot act: exit 2 with a clear message")
  func badOptions() throws {
    let dir = try temporaryDirectory()
    let cases: [(arguments: [String], message: String)] = [
      (
        ["explore", "--mode", "random", "--walk-length", "9223372036854775807"], "--walk-length must be in 1...1000000"
      ),
      (["explore", "--mode", "random", "--walks", "9223372036854775807"], "--walks must be in 1...1000000"),
      (["explore", "--seed", "-1"], "--seed takes an integer in 0...18446744073709551615, got '-1'"),
      (["help", "nope"], "no command 'nope'"),
      (["help", "explore", "nope"], "no command 'explore nope'"),
      (
        ["explore", "--config", "atomic", "--mutant", "vdev-unlock-keeps-ste", "--out", dir.path],
        "cannot act in configuration atomic"
      ),
    ]
    for c in cases {
      let run = try cca(c.arguments)
      #expect(run.status == 2, "\(c.arguments): \(run.status)")
      #expect(run.stderr.contains(c.message), "\(c.arguments): \(run.stderr)")
    }
    for topic in ["list", "explore", "prove", "replay", "show", "run"] {
      let run = try cca(["help", topic])
      #expect(run.status == 0 && run.stdout.contains("USAGE: cca-verify \(topic)"), "help \(topic): \(run.status)")
    }
    let help = try cca(["--help"])
    #expect(help.stdout.contains("130") && help.stdout.contains("interrupted (Ctrl-C)"), "\(help.stdout)")
  }
}
