import Explore
import Foundation
import Proving
import Spec
import Testing
import _TestSupport

/// A model error found by `cca-verify explore` (a value leaving its domain) is written like a
/// violation: the path to the failing state as `.itf.json` and `.txt`.
@Suite("Model errors found by an exploration")
struct ExploreModelErrorTests {
  /// ``overflowingCounter(_:)`` as a family.
  static let overflow = ModelFamily(
    name: "overflow", doc: "", configurations: [Configuration(name: "one", bounds: [:])], configurationDocs: [:],
    mutants: [], propertyDocs: [("small", "")], boundDocs: [:], featureDocs: [:],
    build: { overflowingCounter($0) })

  @Test("The error trace is written and named by the run; the reproduce line names the command")
  func written() throws {
    var request = ExploreRequest()
    request.catalog = Catalog(families: [Self.overflow])
    request.model = "overflow"
    request.commandName = "my-tool"
    request.outputDirectory =
      FileManager.default.temporaryDirectory.appendingPathComponent("cca-explore-error-\(UUID().uuidString)").path
    let run = try request.run()
    guard case .modelError(let message) = run.report.outcome else {
      Issue.record("expected a model error, got \(run.report.outcome)")
      return
    }
    #expect(message.contains("x"))
    let itf = try #require(run.itfPath)
    #expect(itf.hasSuffix("overflow-one-model-error.itf.json"))
    let text = try String(contentsOfFile: try #require(run.textPath), encoding: .utf8)
    #expect(text.contains("Step 2: INC"))
    #expect(run.reproduce.hasPrefix("my-tool explore --model overflow"))
  }
}
