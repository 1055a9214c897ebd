import ArgumentParser
import Foundation
import Proving
import Scenarios
import Spec
import Traces

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run ABI-level scenarios against the model: what a conforming RMM must return for each call.",
    discussion: """
      Each FILE is a scenario (Docs/scenarios.md): RMI calls by name with X1..X6, the Non-secure \
      structures they point to, realm steps on a PE, and expected results. Every call is printed with \
      its X0 (status and index), outputs and the model's failure condition; every mismatch and every \
      property violation is reported with file:line. Every file is parsed and resolved before any \
      runs (each bad file is named with its first error), so bad input writes nothing. Exit 0 when all is as expected, 1 on a mismatch or a \
      violation, 2 on bad input (named by file:line:column and field), 3 on an internal error.
      Examples:
        cca-verify run Tests/Conformance/realm.scenario
        cca-verify run Tests/Conformance/*.scenario --coverage Docs/conformance-coverage.md
        cca-verify run my.scenario --trace out && cca-verify show out/my.itf.json
      """)

  @Argument(help: "Scenario files (.scenario).") var files: [String]
  @OptionGroup var jsonOption: JSONOption
  var json: Bool { jsonOption.json }
  @Option(help: "Write each scenario's trace as ITF (and text) into this directory.") var trace: String?
  @Option(help: "Write the conformance coverage table (Markdown) to this file.") var coverage: String?

  func run() throws {
    guard !files.isEmpty else { throw InputError("FILE", "give at least one scenario file") }
    // Output locations are checked first, so a bad one is bad input before anything runs.
    if let trace { try TraceFiles.checkOutputDirectory(trace, option: "--trace") }
    if let coverage { try TraceFiles.checkOutputFile(coverage, option: "--coverage") }
    let models = ScenarioModels()
    var scenarios: [ResolvedScenario] = []
    var errors: [ScenarioError] = []
    // Every file is checked, and each bad one named, before anything runs or is written.
    for file in files {
      do { scenarios.append(try ScenarioFiles.load(path: file, models: models)) } catch let error as ScenarioError {
        errors.append(error)
      }
    }
    if !errors.isEmpty { throw InputError("", errors.map(\.description).joined(separator: "\n")) }
    var results: [ScenarioResult] = []
    do {
      for scenario in scenarios { results.append(try ScenarioRunner.run(scenario)) }
    } catch {
      throw InternalError("the model failed running a scenario: \(error)")
    }
    // Files are written before the report (it lists them); a failure writing one is reported
    // after the results are printed, so they are never lost.
    var written: [String] = []
    var writeError: Error?
    if let trace {
      var stems = Set<String>()
      for (scenario, result) in zip(scenarios, results) {
        var stem = ((scenario.file as NSString).lastPathComponent as NSString).deletingPathExtension
        while stems.contains(stem) { stem += "_" }
        stems.insert(stem)
        do {
          written.append(try TraceFiles.write(result.trace, model: scenario.model.model, directory: trace, stem: stem))
        } catch {
          writeError = error
          break
        }
      }
    }
    let coverageConfigurations = ConformanceCoverage.configurations(of: scenarios)
    var coverageNote: String?
    if let coverage, !coverageConfigurations.isEmpty, writeError == nil {
      let references: [ScenarioModel]
      do { references = try coverageConfigurations.map { try models.model(for: $0) } } catch {
        throw InternalError("cannot build the coverage model: \(error)")
      }
      let table = ConformanceCoverage(models: references, results: results)
      do {
        try OutputFile.write(table.markdown(), to: coverage)
        written.append(coverage)
        let unreachable = table.rows.filter { $0.unreachable != nil }.count
        coverageNote =
          "coverage: \(table.rows.count) rows, \(table.rows.count - unreachable - table.missing.count) covered, "
          + "\(unreachable) not reachable in the model, \(table.missing.count) MISSING; wrote \(coverage)"
      } catch let error as OutputFile.WriteError {
        writeError = InputError(coverage, "cannot write the coverage table: \(error.message)")
      }
    }
    if json {
      guard case .object(var members) = ScenarioReport.json(results) else { return }
      members.append(("written", .array(written.map(JSONValue.string))))
      print(JSONValue.object(members).serialized(), terminator: "")
    } else {
      if let coverageNote { note(coverageNote) }
      print(ScenarioReport.text(results), terminator: "")
      for path in written where path != coverage { print("wrote \(path)") }
    }
    if let writeError { throw writeError }
    if !results.allSatisfy(\.passed) { throw ExitCode.unmet }
  }
}
