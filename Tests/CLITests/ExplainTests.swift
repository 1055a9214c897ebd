import Foundation
import Testing

/// `cca-verify prove --explain`: the invariant each target tried, and whether it was shown
/// inductive; the scope lines under the table.
@Suite("cca-verify prove --explain")
struct ExplainTests {
  /// Writes a target file into a fresh folder and returns its path.
  static func target(_ name: String, _ text: String) throws -> (file: String, out: String) {
    let dir = try temporaryDirectory()
    let file = dir.appendingPathComponent("\(name).toml")
    try text.write(to: file, atomically: true, encoding: .utf8)
    return (file.path, dir.appendingPathComponent("out").path)
  }

  @Test("a proved target's invariant is printed as shown inductive, with every lemma, its reason and formula")
  func proved() throws {
    let (file, out) = try Self.target(
      "read-atomic-4",
      """
      model = "cca"
      configuration = "atomic-4"
      properties = ["hyp-no-realm-read"]
      engine = "induction"
      expect = "holds"
      """)
    let run = try cca(["prove", file, "--out", out, "--quiet", "--explain"])
    #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
    #expect(run.stdout.contains("read-atomic-4 (\(file)): the invariant shown inductive"), "\(run.stdout)")
    #expect(run.stdout.contains("[property, monitor] hyp-no-realm-read"))
    #expect(run.stdout.contains("[lemma, lemma] cached-gpi-current"))
    #expect(run.stdout.contains("formula: !nsReadRealmData"), "\(run.stdout)")
    #expect(run.stdout.contains("why: "))
    // The scope lines list the bounds and the lemmas proved with the property.
    #expect(run.stdout.contains("read-atomic-4: granules=4"), "\(run.stdout)")
    #expect(run.stdout.contains("lemmas proved with it: "))
  }

  @Test("a target that gives a CTI is explained as NOT shown inductive")
  func cti() throws {
    let (file, out) = try Self.target(
      "read-no-lemmas",
      """
      model = "cca"
      configuration = "atomic-4"
      properties = ["hyp-no-realm-read"]
      lemmas = []
      engine = "induction"
      expect = "holds"
      """)
    let run = try cca(["prove", file, "--out", out, "--quiet", "--explain"])
    #expect(run.status == 1)
    #expect(run.stdout.contains("NOT shown inductive (outcome cti)"), "\(run.stdout)")
    #expect(run.stdout.contains("(1 checked, 0 lemmas)"))
    #expect(!run.stdout.contains("[lemma"))
  }
}
