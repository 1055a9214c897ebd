import CCAModel
import Explore
import Foundation
import Proving
import Spec
import Testing
import Traces

/// Targets with `start = "FILE.scenario"`: the search starts from the state the scenario
/// reaches, the scope says so, a counterexample begins at boot with the scenario's steps and
/// replays on the concrete engine, and a bad start scenario is bad input naming the target's
/// line and the scenario's line.
@Suite("Proof targets that start from a scenario's end state")
struct StartScenarioTests {
  /// `Proofs/start/reuse.scenario`: realm A's page G3 destroyed (unscrubbed under the mutant),
  /// realm B active with a REC (12 calls).
  static let reuse = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Proofs/start/reuse.scenario")

  /// The reuse scenario, then the first two of the three steps that give G3 to realm B
  /// unscrubbed (14 calls): only REALM_READ is left.
  static func almostLeaked() throws -> String {
    try String(contentsOf: reuse, encoding: .utf8) + """

      RMI_DATA_CREATE_UNKNOWN rd, data, 0 -> RMI_SUCCESS
      RMI_REC_ENTER rec, ns -> RMI_SUCCESS

      """
  }

  /// Writes `files` (name → text) into a fresh folder and returns the folder.
  static func folder(_ files: [String: String]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cca-start-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return url
  }

  /// A reuse target at rmm-reuse.
  static func target(
    start: String, mutant: String? = "reuse-without-scrub", engine: String = "engine = \"bfs\"\ndepth = 2",
    expect: String
  )
    -> String
  {
    """
    model = "cca"
    configuration = "rmm-reuse"
    \(mutant.map { "mutant = \"\($0)\"" } ?? "")
    start = "\(start)"
    properties = ["realm-isolation"]
    \(engine)
    expect = "\(expect)"
    """
  }

  @Test("a violation found from the start state is reported from boot, replays, and its scope names the scenario")
  func violationFromStart() throws {
    let dir = try Self.folder([
      "s.scenario": try Self.almostLeaked(), "t.toml": Self.target(start: "s.scenario", expect: "violated"),
    ])
    let target = try ProofTarget.load(path: dir.appendingPathComponent("t.toml").path)
    #expect(target.start?.path == dir.appendingPathComponent("s.scenario").path)
    let out = dir.appendingPathComponent("out").path
    let result = try Prover.run(target, outputDirectory: out)
    #expect(result.outcome == .violated)
    #expect(result.met)
    #expect(result.scope.contains("1 steps from the state after"), "\(result.scope)")
    #expect(result.scope.contains("s.scenario (14 calls)"), "\(result.scope)")
    // The trace file holds the scenario's 14 calls and the search's REALM_READ, from boot.
    let path = try #require(result.trace)
    let model = try CCA.family.build(target.configuration)
    let compiled = try CompiledModel(model)
    let trace = try ITF.read(try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: path))), compiled: compiled)
    #expect(trace.steps.count == 15)
    #expect(trace.steps.first?.action == "RMI_GRANULE_DELEGATE")
    #expect(trace.steps.last?.action == "REALM_READ")
    #expect(replay(compiled, trace: trace) == .exact)
  }

  @Test("the correct model from the same state: holds-bounded within the depth of that state; random walks too")
  func holdsFromStart() throws {
    let dir = try Self.folder([
      "s.scenario": try Self.almostLeaked(),
      "t.toml": Self.target(start: "s.scenario", mutant: nil, engine: "engine = \"bfs\"\ndepth = 1", expect: "holds"),
      "r.toml": Self.target(
        start: "s.scenario", mutant: nil, engine: "engine = \"random\"\nseed = 7\nwalks = 4\nlength = 3",
        expect: "holds"),
    ])
    let out = dir.appendingPathComponent("out").path
    let bfs = try Prover.run(
      try ProofTarget.load(path: dir.appendingPathComponent("t.toml").path), outputDirectory: out)
    #expect(bfs.outcome == .holdsBounded)
    #expect(bfs.scope.contains("every state within 1 steps of the state after"), "\(bfs.scope)")
    let random = try Prover.run(
      try ProofTarget.load(path: dir.appendingPathComponent("r.toml").path), outputDirectory: out)
    #expect(random.outcome == .holdsBounded)
    #expect(random.scope.contains("walks from the state after"), "\(random.scope)")
  }

  @Test("the rebased model starts in the given state: BFS to depth 0 sees exactly that state")
  func rebasedModel() throws {
    let model = try CCA.family.build(try #require(CCA.family.configuration(named: "atomic")))
    let compiled = try CompiledModel(model)
    let delegate = try #require(model.action(named: "RMI_GRANULE_DELEGATE"))
    let step = try compiled.step(compiled.initialState(), action: delegate, arguments: [0, 0x8000_0000])
    guard case .succeeded(let next) = step else {
      Issue.record("delegate: \(step)")
      return
    }
    let rebased = compiled.starting(at: next)
    #expect(rebased.initialState() == next)
    #expect(compiled.initialState() != next)
    let report = explore(rebased, options: ExploreOptions(maxDepth: 0))
    #expect(report.distinctStates == 1)
  }

  /// Loads and runs a target, returning the error's text (or recording an issue if none).
  static func failure(_ files: [String: String], target: String = "t.toml") throws -> String {
    let dir = try folder(files)
    do {
      let t = try ProofTarget.load(path: dir.appendingPathComponent(target).path)
      _ = try Prover.run(t, outputDirectory: dir.appendingPathComponent("out").path)
      Issue.record("no error for \(files)")
      return ""
    } catch let error as InputError {
      return error.description
    }
  }

  @Test("bad start scenarios are input errors naming the target's start line and the scenario's line")
  func badStart() throws {
    // A missing file: known when the target is read.
    let missing = try Self.failure(["t.toml": Self.target(start: "nope.scenario", expect: "violated")])
    #expect(
      missing.contains("t.toml:4") && missing.contains("nope.scenario") && missing.contains("cannot read"), "\(missing)"
    )
    // A call that does not return what it expects: known when the scenario runs.
    let wrong = try Self.almostLeaked().replacingOccurrences(
      of: "RMI_REALM_DESTROY rd -> RMI_SUCCESS", with: "RMI_REALM_DESTROY rd -> RMI_ERROR_INPUT")
    let line =
      try #require(
        wrong.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("RMI_REALM_DESTROY") })
      + 1
    let mismatch = try Self.failure([
      "s.scenario": wrong, "t.toml": Self.target(start: "s.scenario", expect: "violated"),
    ])
    #expect(mismatch.contains("t.toml:4") && mismatch.contains("s.scenario:\(line)"), "\(mismatch)")
    #expect(mismatch.contains("expected RMI_ERROR_INPUT"), "\(mismatch)")
    // A config line naming another configuration.
    let other = try Self.failure([
      "s.scenario": "config rmm-reuse-per-pas\n" + (try Self.almostLeaked()),
      "t.toml": Self.target(start: "s.scenario", expect: "violated"),
    ])
    #expect(
      other.contains("t.toml:4") && other.contains("s.scenario:1") && other.contains("rmm-reuse-per-pas"), "\(other)")
    // A syntax error.
    let syntax = try Self.failure([
      "s.scenario": "RMI_GRANULE_DELEGATE 0x8000_1000 ->\n",
      "t.toml": Self.target(start: "s.scenario", expect: "violated"),
    ])
    #expect(syntax.contains("t.toml:4") && syntax.contains("s.scenario:1"), "\(syntax)")
    // A call that violates a checked property: the search would show the scenario's bug.
    let read = try Self.almostLeaked() + "REALM_READ 0 -> SUCCESS\n"
    let violating = try Self.failure([
      "s.scenario": read, "t.toml": Self.target(start: "s.scenario", expect: "violated"),
    ])
    #expect(violating.contains("violates realm-isolation"), "\(violating)")
    // A symbolic engine cannot start from a concrete state.
    let bmc = try Self.failure([
      "s.scenario": try Self.almostLeaked(),
      "t.toml": Self.target(start: "s.scenario", engine: "engine = \"bmc\"\ndepth = 2", expect: "violated"),
    ])
    #expect(bmc.contains("t.toml:4") && bmc.contains("bfs, random or infer"), "\(bmc)")
  }

  @Test("a matching config line is accepted, its mutant left to the target")
  func matchingConfigLine() throws {
    let dir = try Self.folder([
      "s.scenario": "config rmm-reuse\n" + (try Self.almostLeaked()),
      "t.toml": Self.target(start: "s.scenario", engine: "engine = \"bfs\"\ndepth = 1", expect: "violated"),
    ])
    let result = try Prover.run(
      try ProofTarget.load(path: dir.appendingPathComponent("t.toml").path), outputDirectory: dir.path)
    #expect(result.outcome == .violated)
  }
}
