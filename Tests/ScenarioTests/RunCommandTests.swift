import Foundation
import Scenarios
import Testing
import Traces

/// What a run of `cca-verify` gave.
struct Outcome {
  let status: Int32
  let stdout: String
  let stderr: String
  let timedOut: Bool
}

/// Runs the `cca-verify` binary built next to the test bundle, killed after `timeout` seconds.
func ccaVerify(_ arguments: [String], timeout: Double = 60) throws -> Outcome {
  let process = Process()
  var directory = Bundle.main.bundleURL
  var binary: URL?
  for _ in 0..<4 where binary == nil {
    let candidate = directory.appendingPathComponent("cca-verify")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { binary = candidate }
    directory = directory.deletingLastPathComponent()
  }
  if binary == nil {
    let candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("cca-verify")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { binary = candidate }
  }
  process.executableURL = try #require(binary, "cca-verify not found near \(Bundle.main.bundleURL.path)")
  process.arguments = arguments
  process.currentDirectoryURL = repositoryRoot
  let (out, err) = (Pipe(), Pipe())
  process.standardOutput = out
  process.standardError = err
  let done = DispatchSemaphore(value: 0)
  process.terminationHandler = { _ in done.signal() }
  try process.run()
  let collected = Collected()
  let readers = DispatchGroup()
  DispatchQueue.global().async(group: readers) { collected.setOut(out.fileHandleForReading.readDataToEndOfFile()) }
  DispatchQueue.global().async(group: readers) { collected.setErr(err.fileHandleForReading.readDataToEndOfFile()) }
  var timedOut = false
  if done.wait(timeout: .now() + timeout) == .timedOut {
    timedOut = true
    process.terminate()
    done.wait()
  }
  readers.wait()
  return Outcome(
    status: process.terminationStatus, stdout: String(decoding: collected.out, as: UTF8.self),
    stderr: String(decoding: collected.err, as: UTF8.self), timedOut: timedOut)
}

/// Output read on other threads.
final class Collected: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var out = Data()
  private(set) var err = Data()
  func setOut(_ d: Data) { lock.withLock { out = d } }
  func setErr(_ d: Data) { lock.withLock { err = d } }
}

/// A fresh temporary directory.
func scratchDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("cca-scenario-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite("cca-verify run")
struct RunCommandTests {
  @Test("the suite runs with exit 0, prints each call and writes the coverage table and traces")
  func suite() throws {
    let directory = try scratchDirectory()
    let coverage = directory.appendingPathComponent("coverage.md").path
    let traces = directory.appendingPathComponent("traces").path
    let files = try conformanceFiles()
    let run = try ccaVerify(["run", "--coverage", coverage, "--trace", traces] + files)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("RMI_DATA_CREATE(x1=0x80001000"))
    #expect(run.stdout.contains("RMI_ERROR_RTT level 2 (X0=0x204) [rtt_walk]"))
    #expect(run.stdout.contains("all as expected"))
    let table = try String(contentsOfFile: coverage, encoding: .utf8)
    #expect(table.contains("| RMI_REC_ENTER | system_off | RMI_ERROR_REALM index 1 (X0=0x102) |"))
    #expect(!table.contains("MISSING"))
    // Every trace replays exactly.
    for file in files {
      let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
      let replay = try ccaVerify(["replay", "\(traces)/\(stem).itf.json"])
      #expect(replay.status == 0, "\(stem): \(replay.stdout.suffix(300)) \(replay.stderr)")
    }
  }

  @Test("a mismatch exits 1 naming file:line with expected and actual; --json says the same")
  func mismatch() throws {
    let directory = try scratchDirectory()
    let file = directory.appendingPathComponent("m.scenario").path
    try "RMI_VERSION 0x10000 -> RMI_SUCCESS\nRMI_VERSION 0x20000 -> RMI_SUCCESS\n".write(
      toFile: file, atomically: true, encoding: .utf8)
    let run = try ccaVerify(["run", file])
    #expect(run.status == 1)
    #expect(run.stdout.contains("\(file):2: MISMATCH: expected RMI_SUCCESS, got RMI_ERROR_INPUT (X0=0x1) [version]"))
    let json = try ccaVerify(["run", "--json", file])
    #expect(json.status == 1)
    let value = try JSONValue.parse(Data(json.stdout.utf8))
    #expect(value["outcome"] == .string("fail"))
    guard case .array(let scenarios)? = value["scenarios"], case .array(let calls)? = scenarios.first?["calls"] else {
      Issue.record("no calls in \(json.stdout)")
      return
    }
    #expect(calls.count == 2)
    #expect(calls.last?["condition"] == .string("version"))
    #expect(calls.last?["status"] == .number(1))
  }

  @Test("bad input exits 2 with file:line:column and field, and writes nothing")
  func badInput() throws {
    let directory = try scratchDirectory()
    let good = directory.appendingPathComponent("good.scenario").path
    let bad = directory.appendingPathComponent("bad.scenario").path
    try "RMI_VERSION 0x10000 -> RMI_SUCCESS\n".write(toFile: good, atomically: true, encoding: .utf8)
    try "RMI_VERSION 0x10000\n\nRMI_REALM_ACTIVATE 1 2\n".write(toFile: bad, atomically: true, encoding: .utf8)
    let traces = directory.appendingPathComponent("traces").path
    let coverage = directory.appendingPathComponent("c.md").path
    let run = try ccaVerify(["run", "--trace", traces, "--coverage", coverage, good, bad])
    #expect(run.status == 2)
    #expect(run.stderr.contains("\(bad):3:22: X2: wrong arity"))
    #expect(!FileManager.default.fileExists(atPath: traces))
    #expect(!FileManager.default.fileExists(atPath: coverage))
    let missing = try ccaVerify(["run", directory.appendingPathComponent("nope.scenario").path])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("nope.scenario: file: cannot read the file"))
  }
}
