import CCAModel
import CCAVerifyTesting
import Explore
import Foundation
import Spec
import Testing
import _TestSupport

/// A fresh trace directory for one test.
func traceDirectory() -> URL {
  FileManager.default.temporaryDirectory.appendingPathComponent(
    "cca-verify-testing-\(UUID().uuidString)", isDirectory: true)
}

/// The files of a directory.
func files(in directory: URL) -> [String] {
  (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.sorted() ?? []
}

@Suite("CCAVerifyTesting: checking the CCA model and its mutants from a test")
struct CheckTests {
  @Test("The correct model passes a seeded random check and an exhaustive one")
  func correctModelPasses() throws {
    let directory = traceDirectory()
    let model = try CCA.family.model("atomic")
    let random = try expectNoViolation(
      model, exploring: .random(seed: 7, walks: 300, length: 40),
      options: CheckOptions(traceDirectory: directory, workers: 1))
    #expect(random.violation == nil)
    #expect(random.report.walksCompleted == 300)
    #expect(random.seed == 7)
    let exhaustive = try expectNoViolation(
      model, exploring: .exhaustive(), options: CheckOptions(traceDirectory: directory))
    #expect(exhaustive.complete)
    #expect(exhaustive.violation == nil)
    #expect(exhaustive.summary.contains("no violation in every reachable state"))
    #expect(files(in: directory).isEmpty, "nothing is written when nothing is found")
  }

  @Test("A mutant fails the test: property, shrunk trace, seed and the written .itf.json in the issue")
  func mutantFails() throws {
    let directory = traceDirectory()
    let model = try CCA.family.model(mutant: "no-tlbi-on-delegate")
    var result: CheckResult?
    try withKnownIssue("no-tlbi-on-delegate must be caught") {
      result = try expectNoViolation(
        model, properties: ["hyp-no-realm-read"], exploring: .random(seed: 42, walks: 200, length: 200),
        options: CheckOptions(traceDirectory: directory, workers: 1))
    } matching: { issue in
      let text = issue.comments.map(\.rawValue).joined()
      return text.contains("hyp-no-realm-read violated in cca (atomic") && text.contains("seed: 42")
        && text.contains("shrunk from") && text.contains(".itf.json") && text.contains("Step 1:")
    }
    let violation = try #require(result?.violation)
    print(
      "CCAVerifyTesting: mutant no-tlbi-on-delegate caught with seed \(violation.seed), walk \(violation.walk ?? -1): "
        + "shrunk from \(violation.originalLength) to \(violation.length) steps; trace \(violation.tracePath ?? "-")")
    #expect(violation.property == "hyp-no-realm-read")
    #expect(violation.seed == 42)
    #expect(violation.length < violation.originalLength)
    let path = try #require(violation.tracePath)
    #expect(path.hasPrefix(directory.path))
    #expect(
      URL(fileURLWithPath: path).lastPathComponent.hasPrefix("cca-atomic-no-tlbi-on-delegate-hyp-no-realm-read-seed42-")
    )
    // The trace file reads back to the reported, shrunk trace, which replays.
    let trace = try loadTrace(path, model: model)
    #expect(trace == violation.trace)
    #expect(replay(try CompiledModel(model), trace: trace) == .exact)
    // Only complete files: the .itf.json and the .txt, no temporary files.
    let written = files(in: directory)
    #expect(written.count == 2)
    #expect(written.allSatisfy { $0.hasSuffix(".itf.json") || $0.hasSuffix(".txt") })
  }

  @Test("expectViolation passes on a mutant and fails on the correct model")
  func expectViolationBothWays() throws {
    let options = CheckOptions(traceDirectory: traceDirectory(), workers: 1)
    let caught = try expectViolation(
      CCA.family.model(mutant: "undelegate-without-scrub"), of: "delegated-clean", exploring: .exhaustive(),
      options: options)
    #expect(caught.violation?.length == 3)
    #expect(caught.violation?.walk == nil)
    try withKnownIssue("the correct model has no violation to find") {
      try expectViolation(
        CCA.family.model("atomic"), of: "delegated-clean", exploring: .random(seed: 3, walks: 50, length: 30),
        options: options)
    } matching: {
      $0.comments.map(\.rawValue).joined().contains("Expected a violation of delegated-clean")
    }
  }

  @Test("A user-defined mutant of the CCA model: the RMM forgets to record an undelegation")
  func userDefinedMutant() throws {
    let model = try CCA.family.model("atomic")
    let forgetful = try model.mutant("undelegate-keeps-state", action: "RMI_GRANULE_UNDELEGATE") {
      try $0.removingEffects(on: "granuleState", in: model)
    }
    #expect(forgetful.configuration.mutant == "undelegate-keeps-state")
    let result = try expectViolation(
      forgetful, of: "gpt-consistent", exploring: .exhaustive(),
      options: CheckOptions(traceDirectory: traceDirectory(), workers: 1))
    let violation = try #require(result.violation)
    #expect(violation.trace.steps.map(\.action) == ["RMI_GRANULE_DELEGATE", "RMI_GRANULE_UNDELEGATE"])
    #expect(violation.tracePath?.contains("undelegate-keeps-state-gpt-consistent-bfs") == true)
    // Mutant helpers name what they cannot find.
    #expect(throws: CheckError.unknownName(kind: "action of model cca", name: "NOPE", valid: model.actions.map(\.name)))
    {
      try model.mutant("m", action: "NOPE") { $0 }
    }
    let delegate = try #require(model.actions.first { $0.name == "RMI_GRANULE_DELEGATE" })
    #expect(throws: CheckError.self) { try delegate.removingFailure("nope") }
    #expect(
      try delegate.removingFailure("gran_state").failures.map(\.name)
        == delegate.failures.map(\.name).filter { $0 != "gran_state" })
  }

  @Test("Bad names and options are errors that name the valid choices")
  func badInput() throws {
    let model = try CCA.family.model("atomic")
    #expect(
      throws: CheckError.unknownName(kind: "property of model cca", name: "nope", valid: model.properties.map(\.name))
    ) {
      try check(model, properties: ["nope"])
    }
    #expect(throws: CheckError.self) { try CCA.family.model("nope") }
    #expect(throws: CheckError.self) { try CCA.family.model(mutant: "nope") }
    #expect(throws: CheckError.self) { try CCA.family.model("atomic", bounds: ["nope": 1]) }
    #expect(throws: CheckError.self) { try CCA.family.model("atomic", bounds: ["granules": 2000]) }
    #expect(throws: CheckError.invalidOption("walks must be at least 1, got 0")) {
      try check(model, exploring: .random(walks: 0))
    }
    #expect(throws: CheckError.self) { try loadTrace("/nonexistent.itf.json", model: model) }
  }
}

/// A model error found during a check (a value leaving its domain) comes with the path that
/// led there: shown in the issue and written as `.itf.json` and `.txt`, like a violation.
@Suite("Model errors during a check")
struct ModelErrorTraceTests {
  /// A counter that INC takes past its domain 0...2 on the third step.
  static func overflowing() -> Model { overflowingCounter() }

  @Test("The error trace is written as .itf.json and .txt and shown in the report")
  func errorTraceWritten() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cca-model-error-\(UUID().uuidString)")
    var options = CheckOptions()
    options.traceDirectory = directory
    let result = try check(Self.overflowing(), exploring: .exhaustive(), options: options)
    let error = try #require(result.modelError)
    #expect(error.contains("x"))
    let path = try #require(result.errorTracePath)
    #expect(path.hasSuffix(".itf.json") && path.contains("model-error"))
    #expect(FileManager.default.fileExists(atPath: path))
    let text = try String(contentsOfFile: String(path.dropLast(".itf.json".count)) + ".txt", encoding: .utf8)
    #expect(text.contains("Step 2: INC"))
    let report = try #require(result.modelErrorReport)
    #expect(report.contains("trace to the failing state: \(path)"))
    #expect(report.contains("view it: cca-verify show \(path)"))
    #expect(report.contains("Step 2: INC"))
    // The written trace reads back and replays on the model.
    let trace = try loadTrace(path, model: Self.overflowing())
    #expect(trace.steps.count == 2)
    #expect(replay(try CompiledModel(Self.overflowing()), trace: trace) == .exact)
  }

  @Test("expectNoViolation records the error with its trace")
  func recorded() throws {
    var options = CheckOptions()
    options.writeTraces = false
    try withKnownIssue {
      try expectNoViolation(Self.overflowing(), exploring: .exhaustive(), options: options)
    } matching: { issue in
      let text = issue.comments.map(\.rawValue).joined()
      return text.contains("Model error in overflow") && text.contains("Step 2: INC")
    }
  }
}
