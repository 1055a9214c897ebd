import CCAModel
import Foundation
import Proving
import Spec
import Testing

/// Proof targets over the CCA model's GPT properties, run through `Proving` as `cca-verify
/// prove` runs them: the lemmas make the properties inductive (bounded and parametric), each
/// needed lemma matters (dropping it gives a CTI, never a violation), budgets give `unknown`,
/// mutants give `violated` with a trace file.
@Suite("GPT proofs through Proving")
struct GPTProofTests {
  /// A fresh output folder under the temporary directory.
  static func outputDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("ccaverify-proving-\(UUID().uuidString)").path
  }

  /// Parses target text (as file `name.toml`) and runs it into a fresh output folder.
  static func run(_ name: String, _ text: String) throws -> (TargetResult, String) {
    let target = try ProofTarget.parse(file: "\(name).toml", text: text)
    let out = outputDirectory()
    return (try Prover.run(target, outputDirectory: out), out)
  }

  /// The lemmas of a configuration's model.
  static func lemmas(_ configuration: String) throws -> [String] {
    let model = try CCA.family.build(try #require(CCA.family.configuration(named: configuration)))
    return model.properties.filter { $0.kind == .lemma }.map(\.name)
  }

  static func quoted(_ names: [String]) -> String { "[" + names.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }

  // MARK: (a) the model's lemmas prove the properties

  @Test("with the model's lemmas, induction proves hyp-no-realm-read at 4 granules")
  func provedAtomic4() throws {
    let (result, _) = try Self.run(
      "atomic-4",
      """
      model = "cca"
      configuration = "atomic-4"
      properties = ["hyp-no-realm-read"]
      engine = "induction"
      expect = "holds"
      """)
    #expect(result.outcome == .proved, "\(result.detail)")
    #expect(result.met)
    #expect(result.scope.contains("granules=4"), "\(result.scope)")
  }

  @Test("with the model's lemmas, induction proves gpt-consistent for any number of granules")
  func provedParametric() throws {
    let (result, _) = try Self.run(
      "parametric",
      """
      model = "cca"
      configuration = "atomic-parametric"
      properties = ["gpt-consistent"]
      engine = "induction"
      parametric = true
      expect = "holds"
      """)
    #expect(result.outcome == .proved, "\(result.detail)")
    #expect(result.scope == "parametric (Granule); pes=2, realms=1")
  }

  // MARK: (b) every needed lemma is needed: dropping one gives a CTI, not a violation

  /// Lemmas each monitor's induction needs at `atomic-4`, with the property whose proof breaks
  /// without it.
  static let neededLemmas: [(String, String)] = [
    ("no-command-in-flight", "hyp-no-realm-write"),
    ("cached-gpi-current", "hyp-no-realm-read"),
    ("gpi-follows-rmm-state", "hyp-no-realm-read"),
    ("undelegated-holds-no-realm-data", "hyp-no-realm-read"),
    ("no-dirty-line-of-the-other-world", "hyp-no-realm-write"),
  ]

  @Test("dropping a needed lemma gives a CTI (a one-step trace), never a violation", arguments: neededLemmas)
  func droppedLemmaGivesCTI(lemma: String, property: String) throws {
    let kept = try Self.lemmas("atomic-4").filter { $0 != lemma }
    let (result, out) = try Self.run(
      "without-\(lemma)",
      """
      model = "cca"
      configuration = "atomic-4"
      properties = ["\(property)"]
      lemmas = \(Self.quoted(kept))
      engine = "induction"
      expect = "holds"
      """)
    #expect(result.outcome == .cti, "without \(lemma): \(result.outcome) \(result.detail)")
    #expect(!result.met)
    let trace = try #require(result.trace)
    #expect(trace.hasPrefix(out) && FileManager.default.fileExists(atPath: trace))
  }

  @Test("dropping a needed lemma in the parametric proof gives a CTI too")
  func droppedLemmaParametric() throws {
    let kept = try Self.lemmas("atomic-parametric").filter { $0 != "cached-gpi-current" }
    let (result, _) = try Self.run(
      "parametric-without-cached-gpi-current",
      """
      model = "cca"
      configuration = "atomic-parametric"
      properties = ["hyp-no-realm-read"]
      lemmas = \(Self.quoted(kept))
      engine = "induction"
      parametric = true
      expect = "holds"
      """)
    #expect(result.outcome == .cti, "\(result.outcome) \(result.detail)")
  }

  // MARK: (c) budgets

  @Test("a tiny resource limit gives unknown, never proved")
  func tinyBudget() throws {
    let (result, _) = try Self.run(
      "tiny-budget",
      """
      model = "cca"
      configuration = "atomic-4"
      properties = ["hyp-no-realm-read"]
      engine = "induction"
      rlimit = 1
      expect = "holds"
      """)
    #expect(result.outcome == .unknown, "\(result.outcome) \(result.detail)")
    #expect(!result.met)
  }

  // MARK: (d) mutants

  @Test("a mutant target is violated and writes its trace")
  func mutantViolated() throws {
    let (result, out) = try Self.run(
      "mutant",
      """
      model = "cca"
      mutant = "no-tlbi-on-delegate"
      properties = ["gpt-consistent"]
      engine = "bmc"
      depth = 4
      expect = "violated"
      """)
    #expect(result.outcome == .violated)
    #expect(result.met)
    #expect(result.property == "gpt-consistent")
    let trace = try #require(result.trace)
    #expect(trace == (out as NSString).appendingPathComponent("mutant-gpt-consistent.itf.json"))
    #expect(FileManager.default.fileExists(atPath: trace))
    let text = try String(contentsOfFile: trace.replacingOccurrences(of: ".itf.json", with: ".txt"), encoding: .utf8)
    #expect(text.contains("RMI_GRANULE_DELEGATE"))
  }

  @Test("the mutant that skips the TLBI turns the lemma proof into a CTI at the delegate")
  func mutantInductionCTI() throws {
    let (result, _) = try Self.run(
      "mutant-induction",
      """
      model = "cca"
      configuration = "atomic-4"
      mutant = "no-tlbi-on-delegate"
      properties = ["gpt-consistent"]
      engine = "induction"
      expect = "holds"
      """)
    #expect(result.outcome == .cti)
    #expect(result.detail.contains("RMI_GRANULE_DELEGATE"), "\(result.detail)")
  }

  // MARK: (e) malformed targets

  /// Malformed target texts, each with what the error must name.
  static let malformed: [(String, [String])] = [
    ("model = \"cca\"\nengine = induction\nexpect = \"holds\"\n", ["bad.toml:2:10", "expected a value"]),
    (
      "model = \"cca\"\nengine = \"induction\"\nparametric = true\nexpect = \"holds\"\n[section]\n",
      ["bad.toml:5", "unknown key 'section'"]
    ),
    ("model = \"cca\"\nexpect = \"holds\"\n", ["bad.toml", "missing required key 'engine'"]),
    ("engine = \"induction\"\nexpect = \"holds\"\n", ["bad.toml", "missing required key 'model'"]),
    ("model = \"cca\"\nengine = \"induction\"\n", ["bad.toml", "missing required key 'expect'"]),
    (
      "model = \"cca\"\nengine = \"induction\"\nproperties = [\"no-such-property\"]\nexpect = \"holds\"\n",
      ["bad.toml:3", "no-such-property"]
    ),
    (
      "model = \"cca\"\nmutant = \"no-such-bug\"\nengine = \"bmc\"\ndepth = 3\nexpect = \"violated\"\n",
      ["bad.toml:2", "no-such-bug"]
    ),
    (
      "model = \"cca\"\nengine = \"induction\"\ntimeout = \"soon\"\nexpect = \"holds\"\n",
      ["bad.toml:3", "'timeout' must be an integer"]
    ),
    ("model = \"cca\"\nengine = \"induction\"\nparametric = 1\nexpect = \"holds\"\n", ["bad.toml:3", "'parametric'"]),
    (
      "model = \"cca\"\nengine = \"induction\"\nlemmas = [\"no-such-lemma\"]\nexpect = \"holds\"\n",
      ["bad.toml:3", "no-such-lemma"]
    ),
    (
      "model = \"cca\"\nengine = \"induction\"\nexpect = \"holds\"\ncolour = \"red\"\n",
      ["bad.toml:4", "unknown key 'colour'"]
    ),
    ("model = \"cca\"\nengine = \"induction\"\nexpect = \"sometimes\"\n", ["bad.toml:3", "expect"]),
  ]

  @Test("malformed targets throw an InputError naming the file and the line or key", arguments: malformed)
  func malformedTarget(text: String, mentions: [String]) throws {
    do {
      _ = try ProofTarget.parse(file: "bad.toml", text: text)
      Issue.record("parsed a malformed target: \(text)")
    } catch let error as InputError {
      for fragment in mentions {
        #expect(error.description.contains(fragment), "\(error.description) does not mention \(fragment)")
      }
    }
  }
}
