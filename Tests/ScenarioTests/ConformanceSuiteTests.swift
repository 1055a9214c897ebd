import CCAModel
import Explore
import Foundation
import Scenarios
import Spec
import Testing

/// The repository root (for Tests/Conformance and Docs/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// The conformance suite's files, as paths relative to the repository root, sorted.
func conformanceFiles() throws -> [String] {
  let directory = repositoryRoot.appendingPathComponent("Tests/Conformance")
  return try FileManager.default.contentsOfDirectory(atPath: directory.path)
    .filter { $0.hasSuffix(".scenario") }.sorted().map { "Tests/Conformance/\($0)" }
}

/// The suite run once for the tests that read it.
let suiteRun = Result { try runSuite() }

/// Loads and runs the whole suite (the shell's sorted glob order, as the regenerate command).
func runSuite(_ models: ScenarioModels = sharedModels) throws -> (
  scenarios: [ResolvedScenario], results: [ScenarioResult]
) {
  let files = try conformanceFiles()
  let scenarios = try files.map {
    try ScenarioFiles.load(path: repositoryRoot.appendingPathComponent($0).path, display: $0, models: models)
  }
  return (scenarios, try scenarios.map(ScenarioRunner.run))
}

@Suite("The RMM conformance suite")
struct ConformanceSuiteTests {
  @Test("every scenario in Tests/Conformance runs as expected, with no property violated")
  func suitePasses() throws {
    let (_, results) = try suiteRun.get()
    #expect(results.count >= 8)
    for result in results {
      for step in result.steps {
        for m in step.mismatches { Issue.record("\(step.location): \(m)") }
        for p in step.violations { Issue.record("\(step.location): violates \(p)") }
      }
      #expect(result.passed, "\(result.file)")
      #expect(!result.steps.isEmpty)
    }
  }

  @Test("every scenario's trace replays exactly on its model")
  func tracesReplay() throws {
    let (scenarios, results) = try suiteRun.get()
    for (scenario, result) in zip(scenarios, results) {
      #expect(result.trace.steps.count == result.steps.filter { $0.result != .notEnabled }.count, "\(result.file)")
      #expect(Explore.replay(try scenario.model.compiled(), trace: result.trace) == .exact, "\(result.file)")
    }
  }

  @Test("every failure condition and the success of every RMI command of the model is hit by a passing scenario")
  func coverage() throws {
    let (scenarios, results) = try suiteRun.get()
    let models = try ConformanceCoverage.configurations(of: scenarios).map { try sharedModels.model(for: $0) }
    let model = try #require(models.first)
    // The rows come from the IR: every RMI_* action of every configuration the suite runs on,
    // each failure condition, and success, each (command, condition) once.
    var expected: Set<String> = []
    for m in models {
      for action in m.model.actions where action.name.hasPrefix("RMI_") {
        for name in action.failures.map(\.name) + ["success"] { expected.insert("\(action.name) \(name)") }
      }
    }
    #expect(model.model.actions.filter { $0.name.hasPrefix("RMI_") }.count >= 19)
    let table = ConformanceCoverage(models: models, results: results)
    #expect(Set(table.rows.map { "\($0.command) \($0.condition)" }) == expected)
    #expect(table.rows.count == expected.count)
    // The reference configuration's commands keep their model order at the top.
    let referenceCommands = model.model.actions.map(\.name).filter { $0.hasPrefix("RMI_") }
    var firstSeen: [String] = []
    for row in table.rows where !firstSeen.contains(row.command) { firstSeen.append(row.command) }
    #expect(Array(firstSeen.prefix(referenceCommands.count)) == referenceCommands)
    for row in table.missing { Issue.record("MISSING: \(row.command) \(row.condition) (\(row.status))") }
    // A condition listed as unreachable must exist and must not be hit (else the list is stale).
    for key in ConformanceCoverage.unreachable.keys {
      let parts = key.split(separator: " ").map(String.init)
      let action = try #require(model.model.actions.first { $0.name == parts[0] }, "\(key)")
      #expect(action.failures.contains { $0.name == parts[1] }, "\(key) is no condition of the model")
      let row = try #require(table.rows.first { $0.command == parts[0] && $0.condition == parts[1] })
      #expect(row.location == nil, "\(key) is listed as unreachable but \(row.location ?? "") hits it")
    }
    #expect(table.rows.filter { $0.unreachable != nil }.count <= 3)
  }

  @Test("Docs/conformance-coverage.md is the table the suite generates")
  func checkedInTableIsCurrent() throws {
    let (scenarios, results) = try suiteRun.get()
    let configurations = ConformanceCoverage.configurations(of: scenarios)
    #expect(configurations.first?.name == ScenarioDefaults.configuration)
    let table = ConformanceCoverage(
      models: try configurations.map { try sharedModels.model(for: $0) }, results: results)
    let path = repositoryRoot.appendingPathComponent("Docs/conformance-coverage.md").path
    let checkedIn = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      checkedIn == table.markdown(),
      "Docs/conformance-coverage.md is out of date; regenerate it with: \(ConformanceCoverage.regenerateCommand)")
  }
}

@Suite("Docs/scenarios.md")
struct ScenarioDocumentationTests {
  @Test("the complete example runs as expected")
  func example() throws {
    let doc = try String(
      contentsOfFile: repositoryRoot.appendingPathComponent("Docs/scenarios.md").path, encoding: .utf8)
    let section = try #require(doc.range(of: "## A complete example"))
    let parts = doc[section.upperBound...].components(separatedBy: "```\n")
    #expect(parts.count > 2)
    let result = try ScenarioRunner.run(
      try ScenarioFiles.resolve(text: parts[1], file: "Docs/scenarios.md example", models: sharedModels))
    #expect(result.passed, "\(result.steps.flatMap(\.mismatches))")
    #expect(result.steps.count > 20)
  }
}

@Suite("Docs/testing-an-rmm.md")
struct TestingGuideTests {
  /// The guide's text and its code blocks after `## 2. A complete example` (the scenario, then
  /// the outputs quoted in section 3).
  func blocks() throws -> [String] {
    let doc = try String(
      contentsOfFile: repositoryRoot.appendingPathComponent("Docs/testing-an-rmm.md").path, encoding: .utf8)
    let section = try #require(doc.range(of: "## 2. A complete example"))
    let parts = doc[section.upperBound...].components(separatedBy: "```")
    // parts[1], [3], [5], ... are the blocks (each starts with its info string and a newline).
    return stride(from: 1, to: parts.count, by: 2).map { String(parts[$0].drop { $0 != "\n" }.dropFirst()) }
  }

  @Test("the complete example passes, and the quoted report lines are what cca-verify run prints")
  func example() throws {
    let b = try blocks()
    #expect(b.count >= 4)
    let example = b[0]
    let result = try ScenarioRunner.run(
      try ScenarioFiles.resolve(text: example, file: "bug-1234.scenario", models: sharedModels))
    #expect(result.passed, "\(result.steps.flatMap(\.mismatches))")
    #expect(result.steps.count == 15)
    #expect(result.configuration.name == ScenarioDefaults.configuration)
    let report = ScenarioReport.text([result])
    let quoted = b.first { $0.contains("PASS:") } ?? ""
    let lines = quoted.split(separator: "\n").map(String.init).filter { !$0.contains("...") }
    #expect(lines.count >= 3)
    for line in lines { #expect(report.contains(line), "not printed: \(line)") }
  }

  @Test("on the mutant the guide names, the run reports the mismatches and the violation the guide quotes")
  func mutant() throws {
    let b = try blocks()
    let text = "config rmm-full mutant=rtt-destroy-ignores-live\n" + b[0]
    let result = try ScenarioRunner.run(
      try ScenarioFiles.resolve(text: text, file: "bug-1234.scenario", models: sharedModels))
    #expect(!result.passed)
    let report = ScenarioReport.text([result])
    let quoted = try #require(b.first { $0.contains("MISMATCH") })
    let lines = quoted.split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    for line in lines { #expect(report.contains(line), "not printed: \(line)") }
    // The first mismatch is the RTT_DESTROY the report is about, with the condition's name.
    let first = try #require(result.steps.first { !$0.mismatches.isEmpty })
    #expect(first.action == "RMI_RTT_DESTROY")
    #expect(first.violations == ["rmm-wellformed"])
  }
}
