import Foundation
import Testing

@Suite("cca-verify explore")
struct ExploreCLITests {
  static let mutants: [(String, [String])] = [
    ("no-tlbi-on-delegate", ["gpt-consistent", "hyp-no-realm-read", "hyp-no-realm-write"]),
    ("undelegate-without-scrub", ["delegated-clean", "hyp-no-realm-read"]),
    // clean-line-matches-memory (session 8) sees the stale line first: a CLEAN line of the
    // alias the granule's state gives access to that no longer matches memory.
    ("cmo-source-alias-only", ["clean-line-matches-memory", "delegated-clean", "hyp-no-realm-read"]),
    ("undelegate-skips-no-access", ["delegated-clean", "hyp-no-realm-read"]),
    ("gpt-word-unlocked", ["gpt-consistent"]),
  ]

  @Test("each mutant: exit 1, the violated property named, a valid ITF trace written", arguments: mutants)
  func mutant(_ name: String, _ breaks: [String]) throws {
    let out = try temporaryDirectory()
    let run = try cca(["explore", "--mutant", name, "--out", out.path, "--quiet"])
    #expect(run.status == 1, "stderr: \(run.stderr)")
    let named = try #require(
      breaks.first { run.stdout.contains("VIOLATION of \($0)") }, "stdout: \(run.stdout.prefix(400))")
    #expect(run.stdout.contains("Reproduce: cca-verify explore"))
    let files = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".itf.json") }
    #expect(files.count == 1)
    let file = try #require(files.first)
    #expect(file.contains(named))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(file)))
    let object = try #require(json as? [String: Any])
    let vars = try #require(object["vars"] as? [String])
    let states = try #require(object["states"] as? [[String: Any]])
    #expect(vars.contains("granuleState"))
    #expect(states.count >= 2)
    let meta = try #require(object["#meta"] as? [String: Any])
    #expect(meta["property"] as? String == named)

    let replay = try cca(["replay", out.appendingPathComponent(file).path])
    #expect(replay.status == 0, "replay: \(replay.stdout) \(replay.stderr)")
    #expect(replay.stdout.contains("replays exactly"))
  }

  @Test("--symmetric PE: the same verdicts on fewer states; the counterexample replays in the original model")
  func symmetric() throws {
    let correct = try cca(["explore", "--config", "atomic", "--symmetric", "PE", "--quiet"])
    #expect(correct.status == 0, "stderr: \(correct.stderr)")
    #expect(correct.stdout.contains("No violation: exhaustive BFS"))
    #expect(correct.stdout.contains("11162 distinct states"), "stdout: \(correct.stdout.prefix(400))")
    let out = try temporaryDirectory()
    let buggy = try cca([
      "explore", "--mutant", "no-tlbi-on-delegate", "--symmetric", "PE", "--out", out.path, "--quiet",
    ])
    #expect(buggy.status == 1, "stderr: \(buggy.stderr)")
    #expect(buggy.stdout.contains("--symmetric PE"), "the reproduce line keeps the option")
    let file = try #require(
      try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasSuffix(".itf.json") })
    let replay = try cca(["replay", out.appendingPathComponent(file).path])
    #expect(
      replay.status == 0 && replay.stdout.contains("replays exactly"), "replay: \(replay.stdout) \(replay.stderr)")
  }

  @Test(
    "--symmetric refuses what it cannot honour: exit 2 naming the option",
    arguments: [
      (["--symmetric", "Nope"], "no index sort"), (["--symmetric", "Granule"], "arithmetic"),
      (["--mode", "random", "--symmetric", "PE"], "applies to BFS"),
    ])
  func symmetricRefused(_ arguments: [String], _ expected: String) throws {
    let run = try cca(["explore", "--config", "atomic", "--quiet"] + arguments)
    #expect(run.status == 2, "stdout: \(run.stdout.prefix(300)) stderr: \(run.stderr)")
    #expect(run.stderr.contains("--symmetric") && run.stderr.contains(expected), "stderr: \(run.stderr)")
  }

  @Test("the correct model: exhaustive BFS finishes, prints the state count, exits 0")
  func correctModel() throws {
    let run = try cca(["explore", "--config", "atomic", "--quiet"])
    #expect(run.status == 0, "stderr: \(run.stderr)")
    #expect(run.stdout.contains("No violation: exhaustive BFS"))
    #expect(run.stdout.contains("17424 distinct states"))
  }

  @Test("--json prints one object with the outcome and the state count")
  func json() throws {
    let run = try cca(["explore", "--config", "fine-1", "--json", "--quiet"])
    #expect(run.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(object["outcome"] as? String == "no-violation")
    #expect(object["complete"] as? Bool == true)
    #expect((object["distinctStates"] as? Int ?? 0) > 0)
  }

  @Test("random mode: the same seed gives the same report")
  func randomReproducible() throws {
    let arguments = [
      "explore", "--mutant", "no-tlbi-on-delegate", "--mode", "random", "--seed", "42", "--walks", "200",
      "--walk-length", "30", "--quiet", "--out",
    ]
    let a = try cca(arguments + [try temporaryDirectory().path])
    let b = try cca(arguments + [try temporaryDirectory().path])
    #expect(a.status == 1)
    let strip = { (s: String) in
      s.split(separator: "\n").filter { !$0.contains(" s (") && !$0.contains("Trace written") }.joined(separator: "\n")
    }
    #expect(strip(a.stdout) == strip(b.stdout))
    #expect(a.stdout.contains("Seed: 42"))
  }
}

@Test("prove --jobs 2 reports the results in the targets' order, the same outcomes as --jobs 1")
func proveJobsKeepsOrder() throws {
  let targets = [
    "Proofs/mutant-gpt-word-unlocked-bfs.toml", "Proofs/gpt-gpt-consistent-atomic-4.toml",
    "Proofs/mutant-no-tlbi-on-delegate-bmc.toml",
  ].map { repositoryRoot.appendingPathComponent($0).path }
  func names(_ jobs: String) throws -> [String] {
    let out = try temporaryDirectory()
    let run = try cca(["prove", "--jobs", jobs, "--json", "--quiet", "--out", out.path] + targets)
    #expect(run.status == 0, "--jobs \(jobs): \(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let results = try #require(object["targets"] as? [[String: Any]], "\(run.stdout.prefix(300))")
    return results.map { "\($0["target"] ?? "") \($0["outcome"] ?? "")" }
  }
  let parallel = try names("2")
  #expect(
    parallel.map { $0.split(separator: " ")[0] } == [
      "mutant-gpt-word-unlocked-bfs", "gpt-gpt-consistent-atomic-4", "mutant-no-tlbi-on-delegate-bmc",
    ])
  #expect(parallel == (try names("1")))
}

@Suite("Bad input exits 2 with a clear message")
struct BadInputTests {
  static let cases: [([String], [String])] = [
    (["explore", "--model", "nope"], ["unknown model 'nope'", "valid: cca"]),
    (["explore", "--config", "nope"], ["unknown configuration 'nope'", "standard"]),
    (["explore", "--mutant", "nope"], ["unknown mutant 'nope'", "gpt-word-unlocked"]),
    (["explore", "--property", "nope"], ["unknown property 'nope'", "hyp-no-realm-read"]),
    (["explore", "--max-states", "abc"], ["abc", "--max-states"]),
    (["explore", "--seed", "-1"], ["--seed"]),
    (["explore", "--mode", "dfs"], ["dfs"]),
    (["explore", "--workers", "0"], ["--workers"]),
    (["replay", "/nonexistent/trace.itf.json"], ["/nonexistent/trace.itf.json", "cannot read"]),
    (["prove", "/nonexistent/Proofs"], ["/nonexistent/Proofs", "no such file"]),
    (["prove", "--jobs", "0"], ["--jobs must be in 1...64"]),
    (["frobnicate"], ["frobnicate"]),
    (["infer", "--property", "nope"], ["unknown property 'nope'", "hyp-no-realm-read"]),
    (["infer", "--property", "gpi-follows-rmm-state"], ["is a lemma"]),
    (["infer", "--budget", "0"], ["--budget"]),
    (["infer", "--config", "nope"], ["unknown configuration 'nope'"]),
    (["infer", "--chunk", "-1"], ["--chunk"]),
    (["infer", "--query-limit", "-2"], ["--query-limit"]),
    (
      ["infer", "--property", "hyp-no-realm-read", "--alongside", "gpi-follows-rmm-state"],
      ["--alongside", "'gpi-follows-rmm-state' cannot be inferred alongside", "gpt-consistent"]
    ),
    (
      ["infer", "--property", "hyp-no-realm-read", "--alongside", "hyp-no-realm-read"], ["cannot be inferred alongside"]
    ),
    (
      ["infer", "--property", "hyp-no-realm-read", "--start", "/nonexistent/deep.scenario"],
      ["--start /nonexistent/deep.scenario", "start scenario"]
    ),
  ]

  @Test("unknown names and malformed numbers", arguments: cases)
  func badInput(_ arguments: [String], _ expected: [String]) throws {
    let run = try cca(arguments)
    #expect(run.status == 2, "\(arguments): stdout \(run.stdout) stderr \(run.stderr)")
    for text in expected {
      #expect(run.stderr.contains(text), "\(arguments): stderr \(run.stderr)")
    }
  }

  @Test("a malformed proof target names the file and line; nothing runs")
  func malformedTarget() throws {
    let dir = try temporaryDirectory()
    let file = dir.appendingPathComponent("broken.toml")
    try "model = \"cca\"\nengine = \"bmc\"\ndepth = twelve\nexpect = \"violated\"\n".write(
      to: file, atomically: true, encoding: .utf8)
    let run = try cca(["prove", dir.path, "--out", dir.appendingPathComponent("out").path])
    #expect(run.status == 2)
    #expect(run.stderr.contains("broken.toml:3"), "stderr: \(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
  }

  @Test("a trace that is not JSON, or names an unknown action, exits 2")
  func malformedTrace() throws {
    let dir = try temporaryDirectory()
    let junk = dir.appendingPathComponent("junk.itf.json")
    try Data([0x7B, 0x00, 0xFF, 0x22]).write(to: junk)
    let a = try cca(["replay", junk.path])
    #expect(a.status == 2)
    #expect(a.stderr.contains("junk.itf.json"))

    let out = dir.appendingPathComponent("out")
    _ = try cca(["explore", "--mutant", "no-tlbi-on-delegate", "--out", out.path, "--quiet"])
    let trace = try #require(
      try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasSuffix(".itf.json") })
    let text = try String(contentsOf: out.appendingPathComponent(trace), encoding: .utf8)
    let renamed = dir.appendingPathComponent("renamed.itf.json")
    try text.replacingOccurrences(of: "\"RMI_GRANULE_DELEGATE\"", with: "\"RMI_NOPE\"").write(
      to: renamed, atomically: true, encoding: .utf8)
    let b = try cca(["replay", renamed.path])
    #expect(b.status == 2)
    #expect(b.stderr.contains("unknown action 'RMI_NOPE'"), "stderr: \(b.stderr)")

    let diverging = dir.appendingPathComponent("diverging.itf.json")
    try text.replacingOccurrences(of: "\"RMI_GRANULE_DELEGATE\"", with: "\"RMI_GRANULE_UNDELEGATE\"").write(
      to: diverging, atomically: true, encoding: .utf8)
    let c = try cca(["replay", diverging.path])
    #expect(c.status == 1)
    #expect(c.stdout.contains("DIVERGED at step"))
  }
}

@Suite("cca-verify list and prove")
struct ListProveCLITests {
  @Test("list --json names every mutant and property")
  func listJSON() throws {
    let run = try cca(["list", "--json"])
    #expect(run.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let models = try #require(object["models"] as? [[String: Any]])
    let cca = try #require(models.first { $0["name"] as? String == "cca" })
    let mutants = (cca["mutants"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    #expect(Set(ExploreCLITests.mutants.map(\.0)).isSubset(of: Set(mutants)))
  }

  @Test("prove the mutant targets: all violated as expected, JSON and JUnit written, traces replay")
  func proveMutants() throws {
    let dir = try temporaryDirectory()
    let proofs = repositoryRoot.appendingPathComponent("Proofs")
    // The GPT mutants, and one RMM mutant (the other RMM mutant targets take minutes of BFS; `prove`
    // over Proofs/ in CI runs them all).
    let targets =
      try FileManager.default.contentsOfDirectory(atPath: proofs.path).filter { $0.hasPrefix("mutant-") }.sorted()
      + ["rmm-mutant-undelegate-live-object-bfs.toml"]
    #expect(targets.count >= 6)
    let out = dir.appendingPathComponent("out")
    let junit = dir.appendingPathComponent("report.xml")
    let run = try cca(
      ["prove"] + targets.map { proofs.appendingPathComponent($0).path } + [
        "--json", "--junit", junit.path, "--out", out.path, "--quiet",
      ])
    #expect(run.status == 0, "stdout: \(run.stdout) stderr: \(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let rows = try #require(object["targets"] as? [[String: Any]])
    #expect(rows.count == targets.count)
    for row in rows {
      #expect(row["outcome"] as? String == "violated")
      #expect(row["met"] as? Bool == true)
      let trace = try #require(row["trace"] as? String)
      let replay = try cca(["replay", trace])
      #expect(replay.status == 0, "\(trace): \(replay.stdout)")
    }
    let xml = try String(contentsOf: junit, encoding: .utf8)
    #expect(xml.contains("<testsuites"))
    #expect(xml.contains("failures=\"0\""))
  }
}
