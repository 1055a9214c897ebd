import Foundation
import Scenarios
import Testing

/// The conformance suite's scenario files (absolute paths, sorted).
func conformanceScenarioPaths() throws -> [String] {
  let directory = repositoryRoot.appendingPathComponent("Tests/Conformance")
  return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".scenario") }
    .sorted().map { directory.appendingPathComponent($0).path }
}

/// A line without its comment.
func codePart(_ line: String) -> String {
  String(line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
}

/// A malformed scenario and the line its first error must be reported at.
struct Malformed {
  let kind: String
  let bytes: [UInt8]
  let line: Int
}

/// Generates malformed scenarios from the (valid) conformance files: each mutation is one that
/// can never be valid, injected after the config line, so the first error is at its line.
func malformedScenarios(count: Int, seed: UInt64) throws -> [Malformed] {
  var g = Generator(state: seed)
  let bases = try conformanceScenarioPaths().map {
    try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(
      String.init)
  }
  var result: [Malformed] = []
  while result.count < count {
    var lines = g.pick(bases)
    let configLine = lines.firstIndex { $0.hasPrefix("config ") } ?? -1
    let at = configLine + 1 + g.below(lines.count - configLine - 1)
    let calls = lines.indices.filter {
      $0 > configLine && lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("RMI_")
    }
    let n = result.count
    var kind = ""
    var line = at + 1
    // Most kinds insert one line at `at`.
    var insert: (kind: String, text: String)?
    switch n % 13 {
    case 0:
      insert = ("unknown command", "RMI_NO_SUCH_COMMAND_\(n) 0x1000")
    case 1:
      kind = "wrong arity"
      let i = g.pick(calls)
      let parts = codePart(lines[i]).components(separatedBy: "->")
      lines[i] = parts[0] + " 1 2 3 4 5 6 7 8" + (parts.count > 1 ? " ->" + parts[1...].joined(separator: "->") : "")
      line = i + 1
    case 2:
      insert = ("malformed number", "let bad\(n) = 0x\(String(g.next(), radix: 16))g\(g.below(9))")
    case 3:
      insert = ("huge number", "RMI_VERSION 0x1\(String(repeating: "0", count: 16 + g.below(40)))")
    case 4:
      kind = "binary junk"
      // At least one byte that is a control character or not ASCII; never '#', '\n' or '\r'.
      var junk: [UInt8] = (0..<(1 + g.below(12))).map { _ in UInt8(truncatingIfNeeded: g.next()) }
      junk.append(g.pick([0x00, 0x01, 0x07, 0x1B, 0x7F, 0x80, 0xC3, 0xFE, 0xFF]))
      junk = junk.map { [0x0A, 0x0D, 0x23].contains($0) ? 0x01 : $0 }
      var bytes: [UInt8] = []
      for (k, l) in lines.enumerated() {
        if k == at { bytes += junk + Array(" ".utf8) }
        bytes += Array(l.utf8) + (k == lines.count - 1 ? [] : [0x0A])
      }
      result.append(Malformed(kind: kind, bytes: bytes, line: at + 1))
      continue
    case 5:
      kind = "truncated"
      let i = g.pick(calls)
      let code = codePart(lines[i])
      let cut: String
      if let r = code.range(of: "->") { cut = String(code[..<r.upperBound]) } else { cut = code + " ->" }
      lines = Array(lines[...i])
      lines[i] = g.pick([cut, "write 0x8000_0000 RealmParams.vmid =", "let x =", "RMI_VERSION 1 on pe", "write"])
      line = i + 1
    case 6:
      insert = ("unknown field", "write 0x8000_0000 RealmParams.bogus_\(n) = 1")
    case 7:
      insert = ("unknown name", "RMI_REALM_ACTIVATE undefined_symbol_\(n)")
    case 8:
      insert = ("unknown status", "RMI_VERSION 0x10000 -> RMI_NOT_A_STATUS_\(n)")
    case 10:
      // Deep: a sum of 40,000 terms overflowed the stack of the evaluator (exit 139).
      insert = (
        "deep sum", "let deep\(n) = " + Array(repeating: "0x1", count: 40_000 + g.below(20_000)).joined(separator: "+")
      )
    case 11:
      insert = (
        "long bitwise or", "RMI_VERSION " + Array(repeating: "1", count: 257 + g.below(60_000)).joined(separator: " | ")
      )
    case 12:
      insert = ("long line", "RMI_VERSION " + String(repeating: "x", count: 100_000 + g.below(100_000)))
    default:
      kind = "unknown configuration"
      lines[configLine] = "config no-such-config-\(n)"
      line = configLine + 1
    }
    if let insert {
      kind = insert.kind
      lines.insert(insert.text, at: at)
    }
    result.append(Malformed(kind: kind, bytes: Array(lines.joined(separator: "\n").utf8), line: line))
  }
  return result
}

@Suite("Scenario robustness")
struct ScenarioFuzzTests {
  static let seed: UInt64 = 0x5CE4_A210
  static let count = 250

  @Test(
    "250 malformed scenarios (deep and long ones too) each give an error naming their line, through the library and the CLI"
  )
  func malformed() throws {
    print("ScenarioFuzzTests seed: 0x\(String(Self.seed, radix: 16)), \(Self.count) inputs")
    let inputs = try malformedScenarios(count: Self.count, seed: Self.seed)
    #expect(inputs.count == Self.count)
    let models = ScenarioModels()
    for (i, input) in inputs.enumerated() {
      do {
        _ = try ScenarioFiles.resolve(
          text: String(decoding: input.bytes, as: UTF8.self), file: "fuzz-\(i).scenario", models: models)
        Issue.record("input \(i) (\(input.kind)) was accepted")
      } catch let error as ScenarioError {
        #expect(error.line == input.line, "input \(i) (\(input.kind)): \(error)")
        #expect(error.description.hasPrefix("fuzz-\(i).scenario:\(input.line):"))
      }
    }
    // The same inputs through the binary, all in one run (each file is checked and named before
    // anything runs): exit 2, every file named with its line, no crash, no hang, nothing written.
    let directory = try temporaryDirectory()
    let files = inputs.indices.map { directory.appendingPathComponent("fuzz-\($0).scenario").path }
    for (file, input) in zip(files, inputs) {
      #expect(FileManager.default.createFile(atPath: file, contents: Data(input.bytes)))
    }
    let traces = directory.appendingPathComponent("traces").path
    let coverage = directory.appendingPathComponent("coverage.md").path
    let all = try ccaTimed(["run", "--trace", traces, "--coverage", coverage] + files, timeout: 900)
    expectBadInput(all, "\(inputs.count) malformed files")
    for (i, input) in inputs.enumerated() {
      #expect(all.stderr.contains("\(files[i]):\(input.line):"), "input \(i) (\(input.kind)) not named with its line")
    }
    #expect(!FileManager.default.fileExists(atPath: traces) && !FileManager.default.fileExists(atPath: coverage))
    // A sample one file at a time (one process each, in sequence): exit 2 naming the line. The
    // sample skips files at rmm-full, whose IR alone takes about a minute to build in a debug
    // build (each process builds it again); the run above covers them.
    let sample = inputs.indices.filter {
      !String(decoding: inputs[$0].bytes, as: UTF8.self).contains("config rmm-full")
    }
    for i in stride(from: 0, to: sample.count, by: max(1, sample.count / 50)).map({ sample[$0] }) {
      let run = try ccaTimed(["run", files[i]], timeout: 60)
      expectBadInput(run, "input \(i) (\(inputs[i].kind))")
      #expect(run.stderr.contains("\(files[i]):\(inputs[i].line):"), "input \(i): \(run.stderr.prefix(300))")
    }
  }
}
