import Foundation
import Testing
import Traces

/// A counterexample written by `cca-verify explore` into a fresh directory: its ITF path.
func counterexample(_ arguments: [String] = ["--mutant", "no-tlbi-on-delegate"]) throws -> URL {
  let out = try temporaryDirectory()
  let run = try cca(["explore"] + arguments + ["--out", out.path, "--quiet"])
  #expect(run.status == 1, "stderr: \(run.stderr)")
  let file = try #require(
    try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasSuffix(".itf.json") })
  return out.appendingPathComponent(file)
}

/// Parses standard output as one JSON object.
func jsonObject(_ run: Run) throws -> [String: Any] {
  try #require(
    try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "stdout: \(run.stdout.prefix(300))"
  )
}

@Suite("cca-verify show")
struct ShowCLITests {
  @Test("Every format renders a real counterexample, to standard output and atomically to --out")
  func formats() throws {
    let trace = try counterexample(["--mutant", "gpt-word-unlocked"])
    let out = try temporaryDirectory()
    let expectations: [(String, [String])] = [
      ("text", ["Step 1: RMI_GRANULE_DELEGATE", "The last state violates gpt-consistent"]),
      ("markdown", ["# Counterexample: gpt-consistent", "| variable | before | after |", "### Step 10:"]),
      (
        "mermaid",
        [
          "sequenceDiagram", "participant p0 as hypervisor", "participant p2 as EL3",
          "p0->>+p1: 1. RMI_GRANULE_DELEGATE",
        ]
      ),
      ("html", ["<!DOCTYPE html>", "id=\"step-list\"", "id=\"trace-data\"", "</html>"]),
    ]
    for (format, needles) in expectations {
      let run = try cca(["show", trace.path, "--format", format])
      #expect(run.status == 0, "\(format): \(run.stderr)")
      for needle in needles { #expect(run.stdout.contains(needle), "\(format) lacks \(needle)") }
      let file = out.appendingPathComponent("nested/trace.\(format)")
      let written = try cca(["show", trace.path, "--format", format, "--out", file.path])
      #expect(written.status == 0)
      #expect(written.stdout.contains("Wrote the \(format) rendering of 10 steps"))
      #expect(try String(contentsOf: file, encoding: .utf8) + (run.stdout.hasSuffix("\n") ? "" : "\n") == run.stdout)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("nested").path).count == 4)
  }

  @Test("A trace of a model the catalogue does not have renders from its own values; replay refuses it")
  func withoutTheModel() throws {
    let trace = try counterexample(["--mutant", "no-tlbi-on-delegate"])
    let reference = try cca(["show", trace.path])
    #expect(reference.status == 0)
    // The same trace, as if written by a user's own model and mutant.
    guard case .object(var document) = try JSONValue.parse(Data(contentsOf: trace)),
      let m = document.firstIndex(where: { $0.0 == "#meta" }), case .object(var meta) = document[m].1,
      let c = meta.firstIndex(where: { $0.0 == "configuration" }), case .object(var configuration) = meta[c].1
    else {
      Issue.record("not an ITF document with #meta.configuration")
      return
    }
    meta = meta.map { $0.0 == "model" ? ("model", .string("mine")) : $0 }
    configuration = configuration.map { $0.0 == "mutant" ? ("mutant", .string("my-own-mutant")) : $0 }
    meta[c].1 = .object(configuration)
    document[m].1 = .object(meta)
    let renamed = try temporaryDirectory().appendingPathComponent("mine.itf.json")
    try JSONValue.object(document).serialized().write(to: renamed, atomically: true, encoding: .utf8)
    let shown = try cca(["show", renamed.path])
    #expect(shown.status == 0, "stderr: \(shown.stderr)")
    #expect(shown.stderr.contains("model mine"))
    #expect(shown.stderr.contains("rendering the trace from its own values"))
    // Every step, its call and every change are rendered as with the model.
    for line in reference.stdout.split(separator: "\n") where line.hasPrefix("Step ") || line.contains(" -> ") {
      let expected = line.trimmingCharacters(in: .whitespaces)
      #expect(shown.stdout.contains(expected), "missing: \(expected)")
    }
    let html = try cca(["show", renamed.path, "--format", "html"])
    #expect(html.status == 0 && html.stdout.hasPrefix("<!DOCTYPE html>"))
    let replay = try cca(["replay", renamed.path])
    #expect(replay.status == 2)
    #expect(replay.stderr.contains("unknown model 'mine'"))
  }

  @Test("--json gives the steps, their lanes, results and changes")
  func json() throws {
    let trace = try counterexample()
    let run = try cca(["show", trace.path, "--json"])
    #expect(run.status == 0)
    let object = try jsonObject(run)
    #expect(object["model"] as? String == "cca")
    #expect(object["property"] as? String == "gpt-consistent")
    let steps = try #require(object["steps"] as? [[String: Any]])
    #expect(steps.count == 2)
    // NS_READ on the hypervisor's own lane, then RMI_GRANULE_DELEGATE from the hypervisor to the RMM.
    #expect(steps.first?["actor"] as? String == "hypervisor")
    #expect(steps.first?["caller"] is NSNull)
    #expect(steps.last?["caller"] as? String == "hypervisor")
    #expect(steps.last?["actor"] as? String == "RMM")
    let changes = try #require(steps.last?["changes"] as? [[String: String]])
    #expect(
      changes.contains {
        $0["variable"] == "granuleState[0]" && $0["before"] == "UNDELEGATED" && $0["after"] == "DELEGATED"
      })
  }
}

@Suite("cca-verify replay")
struct ReplayCLITests {
  static let handWritten = """
    {
      "#meta": { "model": "cca", "configuration": "atomic", "description": "written by hand" },
      "states": [
        {},
        { "mbt::actionTaken": "RMI_GRANULE_DELEGATE", "mbt::nondetPicks": { "pe": 0, "addr": "0x80001000" },
          "granuleState": { "#map": [[0, "UNDELEGATED"], [1, "DELEGATED"]] } },
        { "mbt::actionTaken": "NS_READ", "mbt::nondetPicks": { "pe": 1, "addr": "0x80001000" } },
        { "mbt::actionTaken": "RMI_GRANULE_UNDELEGATE", "mbt::nondetPicks": { "pe": 0, "addr": "0x80001000" },
          "granuleState": { "#map": [[0, "UNDELEGATED"], [1, "UNDELEGATED"]] } }
      ]
    }
    """

  @Test("A hand-written trace of the model replays: results and left-out variables computed")
  func handWritten() throws {
    let directory = try temporaryDirectory()
    let file = directory.appendingPathComponent("scenario.itf.json")
    try Self.handWritten.write(to: file, atomically: true, encoding: .utf8)
    let run = try cca(["replay", file.path])
    #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
    #expect(run.stdout.contains("1. RMI_GRANULE_DELEGATE(pe=0, addr=0x80001000) -> success"))
    #expect(run.stdout.contains("2. NS_READ(pe=1, addr=0x80001000) -> GPF"))
    #expect(run.stdout.contains("The trace replays exactly."))
    // Every format renders it too.
    for format in ["text", "markdown", "mermaid", "html"] {
      #expect(try cca(["show", file.path, "--format", format]).status == 0)
    }
    // A false statement diverges where it is made.
    let wrong = Self.handWritten.replacingOccurrences(
      of: "[[0, \"UNDELEGATED\"], [1, \"DELEGATED\"]]", with: "[[0, \"DELEGATED\"], [1, \"DELEGATED\"]]")
    try wrong.write(to: file, atomically: true, encoding: .utf8)
    let diverged = try cca(["replay", file.path, "--json"])
    #expect(diverged.status == 1)
    let object = try jsonObject(diverged)
    #expect(object["outcome"] as? String == "diverged")
    #expect(object["divergedAt"] as? Int == 1)
    #expect((object["reason"] as? String)?.contains("granuleState[0]") == true)
  }

  @Test("--json: each step with the properties its state violates, and the outcome")
  func json() throws {
    let trace = try counterexample()
    let run = try cca(["replay", trace.path, "--json"])
    #expect(run.status == 0)
    let object = try jsonObject(run)
    #expect(object["outcome"] as? String == "exact")
    let steps = try #require(object["steps"] as? [[String: Any]])
    #expect(steps.count == 2)
    #expect((steps.last?["violates"] as? [String])?.contains("gpt-consistent") == true)
  }
}

@Suite("--json on every command; shrinking in explore")
struct JSONEverywhereTests {
  @Test("list, explore, prove, replay and show each print one JSON object with --json")
  func everyCommand() throws {
    let directory = try temporaryDirectory()
    let target = directory.appendingPathComponent("quick.toml")
    try """
    description = "a quick random run"
    model = "cca"
    configuration = "atomic"
    engine = "random"
    walks = 20
    length = 10
    expect = "holds"
    """.write(to: target, atomically: true, encoding: .utf8)
    let trace = try counterexample()
    let commands: [[String]] = [
      ["list", "--json"],
      [
        "explore", "--config", "atomic", "--mode", "random", "--walks", "20", "--walk-length", "10", "--json",
        "--quiet", "--out", directory.path,
      ],
      ["prove", target.path, "--json", "--quiet", "--out", directory.path],
      ["replay", trace.path, "--json"],
      ["show", trace.path, "--json"],
    ]
    for command in commands {
      let run = try cca(command)
      #expect(run.status == 0, "\(command): \(run.stderr)")
      #expect(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) is [String: Any], "\(command)")
    }
  }

  @Test("Random mode shrinks its counterexample and says from how many steps; --no-shrink does not")
  func shrinking() throws {
    let arguments = [
      "explore", "--mutant", "no-tlbi-on-delegate", "--property", "hyp-no-realm-read", "--mode", "random", "--seed",
      "2", "--walks", "200", "--walk-length", "300", "--quiet", "--out",
    ]
    let shrunk = try cca(arguments + [try temporaryDirectory().path])
    #expect(shrunk.status == 1)
    let line = try #require(shrunk.stdout.split(separator: "\n").first { $0.hasPrefix("Counterexample shrunk from ") })
    let numbers = line.split(separator: " ").compactMap { Int($0) }
    #expect(numbers.count == 2)
    let (original, length) = (numbers[0], numbers[1])
    print("cca-verify explore --mode random: \(line)")
    #expect(length < original)
    #expect(shrunk.stdout.contains("VIOLATION of hyp-no-realm-read after \(length) steps"))
    let json = try jsonObject(try cca(arguments + [try temporaryDirectory().path, "--json"]))
    #expect(json["steps"] as? Int == length)
    #expect(json["unshrunkSteps"] as? Int == original)
    let raw = try cca(arguments + [try temporaryDirectory().path, "--no-shrink"])
    #expect(raw.stdout.contains("VIOLATION of hyp-no-realm-read after \(original) steps"))
    #expect(!raw.stdout.contains("shrunk"))
  }
}
