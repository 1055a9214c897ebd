import Foundation
import Proving
import Testing

/// Targets' lemma lists and mutants: `lemmas = []` assumes none, the report names the lemmas
/// assumed, and a mutant that cannot act in its configuration is refused.
@Suite("Proof target options: lemmas and mutants")
struct TargetOptionsTests {
  func target(_ text: String) throws -> ProofTarget {
    try ProofTarget.parse(file: "t.toml", text: text)
  }

  static let inductionTarget = """
    model = "cca"
    configuration = "atomic"
    properties = ["hyp-no-realm-read"]
    engine = "induction"
    timeout = 120
    expect = "holds"

    """

  @Test("lemmas = [] assumes no lemma: the CTI is for the checked property alone, and the report says none were assumed")
  func emptyLemmaList() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("cca-lemmas-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let result = try Prover.run(try target(Self.inductionTarget + "lemmas = []\n"), outputDirectory: out)
    #expect(result.assumedLemmas == [])
    #expect(result.detail.contains("assuming no lemmas"), "\(result.detail)")
    // hyp-no-realm-read alone is not inductive; before the fix `[]` assumed every other
    // property and the CTI could name one the target never asked about.
    #expect(result.outcome == .cti, "\(result.outcome): \(result.detail)")
    #expect(result.property == "hyp-no-realm-read", "\(result.property)")
    let json = ProveReport.json([result]).serialized()
    #expect(json.contains("\"lemmas\": []"), "\(json)")
  }

  @Test("Without a lemmas key every lemma of the model is assumed, and the report lists them")
  func defaultLemmas() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("cca-lemmas-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let result = try Prover.run(try target(Self.inductionTarget), outputDirectory: out)
    #expect(result.outcome == .proved, "\(result.outcome): \(result.detail)")
    let lemmas = try #require(result.assumedLemmas)
    #expect(!lemmas.isEmpty)
    #expect(result.detail.contains("assuming lemmas \(lemmas.joined(separator: ", "))"), "\(result.detail)")
  }

  @Test("A mutant whose code the configuration does not build is refused at the target's mutant line")
  func mutantThatCannotAct() throws {
    let text = """
      model = "cca"
      configuration = "atomic"
      mutant = "vdev-unlock-keeps-ste"
      engine = "bfs"
      expect = "violated"
      """
    #expect {
      try target(text)
    } throws: { error in
      guard let error = error as? InputError else { return false }
      return error.location == "t.toml:3" && error.message.contains("cannot act in configuration atomic")
    }
    // In its own configuration it loads.
    _ = try target(text.replacingOccurrences(of: "configuration = \"atomic\"\n", with: ""))
  }

  @Test("Every target in Proofs/ loads: each mutant there acts in its target's configuration")
  func everyProofsTargetLoads() throws {
    let proofs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Proofs")
    let files = try Prover.targetFiles([proofs.path])
    #expect(files.count > 40)
    for file in files { _ = try ProofTarget.load(path: file) }
  }
}
