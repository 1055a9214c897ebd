import Foundation
import Testing
import Traces

@Suite("cca-verify run")
struct RunCommandTests {
  @Test("the suite runs with exit 0, prints each call and writes the coverage table and traces")
  func suite() throws {
    let directory = try temporaryDirectory()
    let coverage = directory.appendingPathComponent("coverage.md").path
    let traces = directory.appendingPathComponent("traces").path
    let files = try conformanceScenarioPaths()
    let run = try ccaTimed(["run", "--coverage", coverage, "--trace", traces] + files)
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
      let replay = try ccaTimed(["replay", "\(traces)/\(stem).itf.json"])
      #expect(replay.status == 0, "\(stem): \(replay.stdout.suffix(300)) \(replay.stderr)")
    }
  }

  @Test("a mismatch exits 1 naming file:line with expected and actual; --json says the same")
  func mismatch() throws {
    let directory = try temporaryDirectory()
    let file = directory.appendingPathComponent("m.scenario").path
    try "RMI_VERSION 0x10000 -> RMI_SUCCESS\nRMI_VERSION 0x20000 -> RMI_SUCCESS\n".write(
      toFile: file, atomically: true, encoding: .utf8)
    let run = try ccaTimed(["run", file])
    #expect(run.status == 1)
    #expect(run.stdout.contains("\(file):2: MISMATCH: expected RMI_SUCCESS, got RMI_ERROR_INPUT (X0=0x1) [version]"))
    let json = try ccaTimed(["run", "--json", file])
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
    let directory = try temporaryDirectory()
    let good = directory.appendingPathComponent("good.scenario").path
    let bad = directory.appendingPathComponent("bad.scenario").path
    try "RMI_VERSION 0x10000 -> RMI_SUCCESS\n".write(toFile: good, atomically: true, encoding: .utf8)
    try "RMI_VERSION 0x10000\n\nRMI_REALM_ACTIVATE 1 2\n".write(toFile: bad, atomically: true, encoding: .utf8)
    let traces = directory.appendingPathComponent("traces").path
    let coverage = directory.appendingPathComponent("c.md").path
    let run = try ccaTimed(["run", "--trace", traces, "--coverage", coverage, good, bad])
    #expect(run.status == 2)
    #expect(run.stderr.contains("\(bad):3:22: X2: wrong arity"))
    #expect(!FileManager.default.fileExists(atPath: traces))
    #expect(!FileManager.default.fileExists(atPath: coverage))
    let missing = try ccaTimed(["run", directory.appendingPathComponent("nope.scenario").path])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("nope.scenario: file: cannot read the file"))
  }
}
