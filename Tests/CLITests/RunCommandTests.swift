import Foundation
import Testing
import Traces

@Suite("cca-verify run")
struct RunCommandTests {
  @Test("the suite runs with exit 0, prints each call and writes the coverage table")
  func suite() throws {
    let directory = try temporaryDirectory()
    let coverage = directory.appendingPathComponent("coverage.md").path
    let files = try conformanceScenarioPaths()
    // A debug build compiles rmm-full with the REC side in about 10 CPU minutes (18 wall minutes
    // on a loaded machine, measured when h-rec landed): the timeout only catches a hang.
    let run = try ccaTimed(["run", "--coverage", coverage] + files, timeout: 3600)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("RMI_DATA_CREATE(x1=0x80001000"))
    #expect(run.stdout.contains("RMI_ERROR_RTT level 2 (X0=0x204) [rtt_walk]"))
    #expect(run.stdout.contains("RMI_ERROR_RTT level 0 (X0=0x4) [rtt_walk]"))
    #expect(run.stdout.contains("all as expected"))
    let table = try String(contentsOfFile: coverage, encoding: .utf8)
    #expect(table.contains("| RMI_REC_ENTER | system_off | RMI_ERROR_REALM index 1 (X0=0x102) |"))
    #expect(table.contains("configuration `rmm-full`"))
    #expect(!table.contains("MISSING"))
  }

  @Test("--trace writes a trace that replays exactly and cca-verify show renders")
  func trace() throws {
    // A small geometry: an ITF trace holds every state in full, about 15 MB per step at rmm-full
    // (ConformanceSuiteTests replays every conformance scenario's trace in process instead).
    let directory = try temporaryDirectory()
    let file = directory.appendingPathComponent("t.scenario").path
    try """
    config rmm-rtt granules=4
    let params = 0x8000_0000
    let rd = 0x8000_1000
    let rtt = 0x8000_2000
    RMI_GRANULE_DELEGATE rd -> RMI_SUCCESS
    RMI_GRANULE_DELEGATE rtt -> RMI_SUCCESS
    write params RealmParams.s2sz = S2SZ
    write params RealmParams.rtt_base = rtt
    write params RealmParams.rtt_level_start = RTT_LEVEL_START
    write params RealmParams.rtt_num_start = 1
    RMI_REALM_CREATE rd, params -> RMI_SUCCESS
    RMI_REALM_ACTIVATE rd -> RMI_SUCCESS
    RMI_REALM_ACTIVATE rd -> RMI_ERROR_REALM (realm_state)

    """.write(toFile: file, atomically: true, encoding: .utf8)
    let traces = directory.appendingPathComponent("traces").path
    let run = try ccaTimed(["run", "--trace", traces, file], timeout: 300)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("wrote \(traces)/t.itf.json"))
    let replay = try ccaTimed(["replay", "\(traces)/t.itf.json"], timeout: 300)
    #expect(replay.status == 0, "\(replay.stdout.suffix(300)) \(replay.stderr)")
    let show = try ccaTimed(["show", "\(traces)/t.itf.json"], timeout: 300)
    #expect(show.status == 0, "\(show.stderr)")
    #expect(show.stdout.contains("RMI_REALM_ACTIVATE"))
  }

  @Test("a mismatch exits 1 naming file:line with expected and actual; --json says the same")
  func mismatch() throws {
    let directory = try temporaryDirectory()
    let file = directory.appendingPathComponent("m.scenario").path
    try "config rmm-small\nRMI_VERSION 0x10000 -> RMI_SUCCESS\nRMI_VERSION 0x20000 -> RMI_SUCCESS\n".write(
      toFile: file, atomically: true, encoding: .utf8)
    // A small configuration: what is checked is the report, not the model (compiling rmm-full
    // with the REC side takes minutes in a debug build).
    let run = try ccaTimed(["run", file], timeout: 300)
    #expect(run.status == 1)
    #expect(run.stdout.contains("\(file):3: MISMATCH: expected RMI_SUCCESS, got RMI_ERROR_INPUT (X0=0x1) [version]"))
    let json = try ccaTimed(["run", "--json", file], timeout: 300)
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
    // What a harness needs to issue the same SMC: the FID and X1.
    #expect(calls.last?["fid"] == .string("0xc4000150"))
    #expect(calls.last?["registers"] == .array([.string("0x20000")]))
    #expect(calls.first?["outputNames"] == .array([.string("x1"), .string("x2")]))
  }

  @Test("bad input exits 2 with file:line:column and field, and writes nothing")
  func badInput() throws {
    let directory = try temporaryDirectory()
    let good = directory.appendingPathComponent("good.scenario").path
    let bad = directory.appendingPathComponent("bad.scenario").path
    // A small configuration: building rmm-full's IR alone takes long in a debug build.
    try "config rmm-small\nRMI_VERSION 0x10000 -> RMI_SUCCESS\n".write(toFile: good, atomically: true, encoding: .utf8)
    try "RMI_VERSION 0x10000\n\nRMI_REALM_ACTIVATE 1 2\n".write(toFile: bad, atomically: true, encoding: .utf8)
    let traces = directory.appendingPathComponent("traces").path
    let coverage = directory.appendingPathComponent("c.md").path
    let run = try ccaTimed(["run", "--trace", traces, "--coverage", coverage, good, bad], timeout: 300)
    #expect(run.status == 2)
    #expect(run.stderr.contains("\(bad):3:22: X2: wrong arity"))
    #expect(!FileManager.default.fileExists(atPath: traces))
    #expect(!FileManager.default.fileExists(atPath: coverage))
    let missing = try ccaTimed(["run", directory.appendingPathComponent("nope.scenario").path])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("nope.scenario: file: cannot read the file"))
  }
}
