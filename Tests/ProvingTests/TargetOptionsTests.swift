import Foundation
import Proving
import Symbolic
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

  @Test(
    "lemmas = [] assumes no lemma: the CTI is for the checked property alone, and the report says none were assumed")
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

  /// An infer target at atomic, to which a test appends keys.
  static let inferTarget = """
    model = "cca"
    configuration = "atomic"
    properties = ["hyp-no-realm-read"]
    engine = "infer"
    expect = "holds"

    """

  @Test("alongside: read for engine infer; a lemma, the goal or another engine is bad input at its line")
  func alongsideKey() throws {
    let infer = Self.inferTarget
    #expect(try target(infer + "alongside = [\"gpt-consistent\"]\n").alongside == ["gpt-consistent"])
    #expect(try target(infer).alongside == [])
    for (line, message) in [
      ("alongside = [\"gpi-follows-rmm-state\"]", "cannot be inferred alongside"),
      ("alongside = [\"hyp-no-realm-read\"]", "cannot be inferred alongside"),
    ] {
      #expect(throws: InputError.self) { try target(infer + line + "\n") }
      do { _ = try target(infer + line + "\n") } catch { #expect("\(error)".contains(message), "\(error)") }
    }
    do {
      _ = try target(Self.inductionTarget + "alongside = [\"gpt-consistent\"]\n")
      Issue.record("alongside with engine induction was accepted")
    } catch { #expect("\(error)".contains("'alongside' needs engine infer"), "\(error)") }
  }

  @Test(
    "max-states, antecedents, max-word-values, refute-states with engine infer: read, out of range or another engine is bad input"
  )
  func inferSamplingKeys() throws {
    let infer = Self.inferTarget
    let read = try target(infer + "max-states = 30000\nantecedents = 1\n")
    #expect(read.sampleLimit == 30000 && read.antecedents == 1)
    #expect(try target(infer).sampleLimit == nil)
    #expect(throws: InputError.self) { try target(infer + "antecedents = 3\n") }
    let words = try target(infer + "max-word-values = 0\nrefute-states = 64\n")
    #expect(words.maxWordValues == 0 && words.refuteStates == 64)
    #expect(try target(infer).maxWordValues == nil)
    #expect(throws: InputError.self) { try target(infer + "refute-states = -1\n") }
    #expect(try target(infer + "chunk = 64\n").chunk == 64 && target(infer).chunk == nil)
    #expect(try target(infer + "cores = true\n").cores == true && target(infer).cores == nil)
    #expect(try target(infer + "query-limit = 60\n").queryLimit == 60 && target(infer).queryLimit == nil)
    do {
      _ = try target(infer + "query-limit = -1\n")
      Issue.record("query-limit = -1 was accepted")
    } catch { #expect("\(error)".contains("'query-limit' must be in 0..."), "\(error)") }
    do {
      _ = try target(Self.inductionTarget + "query-limit = 60\n")
      Issue.record("query-limit with engine induction was accepted")
    } catch { #expect("\(error)".contains("'query-limit' needs engine infer"), "\(error)") }
    #expect(try target(infer + "minimise = false\n").minimise == false && target(infer).minimise == nil)
    do {
      _ = try target(infer + "minimise = \"no\"\n")
      Issue.record("minimise = \"no\" was accepted")
    } catch { #expect("\(error)".contains("'minimise' must be true or false"), "\(error)") }
    do {
      _ = try target(Self.inductionTarget + "minimise = false\n")
      Issue.record("minimise with engine induction was accepted")
    } catch { #expect("\(error)".contains("'minimise' needs engine infer"), "\(error)") }
    do {
      _ = try target(infer + "cores = 1\n")
      Issue.record("cores = 1 was accepted")
    } catch { #expect("\(error)".contains("'cores' must be true or false"), "\(error)") }
    do {
      _ = try target(infer + "chunk = -1\n")
      Issue.record("chunk = -1 was accepted")
    } catch { #expect("\(error)".contains("'chunk' must be in 0..."), "\(error)") }
    do {
      _ = try target(infer + "chunk = \"64\"\n")
      Issue.record("chunk = \"64\" was accepted")
    } catch { #expect("\(error)".contains("'chunk' must be an integer"), "\(error)") }
    do {
      _ = try target(Self.inductionTarget + "chunk = 64\n")
      Issue.record("chunk with engine induction was accepted")
    } catch { #expect("\(error)".contains("'chunk' needs engine infer"), "\(error)") }
    do {
      _ = try target(Self.inductionTarget + "max-word-values = 0\n")
      Issue.record("max-word-values with engine induction was accepted")
    } catch { #expect("\(error)".contains("'max-word-values' needs engine infer"), "\(error)") }
    do {
      _ = try target(Self.inductionTarget + "antecedents = 1\n")
      Issue.record("antecedents with engine induction was accepted")
    } catch { #expect("\(error)".contains("'antecedents' needs engine infer"), "\(error)") }
  }

  @Test("start with engine infer: one scenario or a list, checked when the target is read, bad input at its line")
  func inferStartKey() throws {
    let reuse = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Proofs/start/reuse.scenario").path
    let infer = """
      model = "cca"
      configuration = "rmm-reuse"
      properties = ["realm-isolation"]
      engine = "infer"
      expect = "holds"

      """
    #expect(try target(infer + "start = \"\(reuse)\"\n").sampleStarts.map(\.path) == [reuse])
    let two = try target(infer + "start = [\"\(reuse)\", \"\(reuse)\"]\n")
    #expect(two.sampleStarts.map(\.path) == [reuse, reuse])
    #expect(two.start == nil)
    #expect(try target(infer).sampleStarts.isEmpty)
    for (line, message) in [
      ("start = \"/nonexistent/deep.scenario\"", "/nonexistent/deep.scenario"),
      ("start = 3", "'start' must be a string"),
      ("start = [3]", "an array of strings"),
    ] {
      do {
        _ = try target(infer + line + "\n")
        Issue.record("\(line) was accepted")
      } catch let error as InputError {
        #expect(error.location == "t.toml:6", "\(error)")
        #expect(error.message.contains(message), "\(error)")
      }
    }
    do {
      _ = try target(Self.inductionTarget + "start = \"\(reuse)\"\n")
      Issue.record("start with engine induction was accepted")
    } catch { #expect("\(error)".contains("'start' needs engine bfs, random or infer"), "\(error)") }
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

  @Test(
    "arguments = \"enumerated\" is read and proves what the symbolic default proves; a bad value or engine is refused at its line"
  )
  func argumentEncoding() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("cca-arguments-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let symbolic = try target(Self.inductionTarget)
    let enumerated = try target(Self.inductionTarget + "arguments = \"enumerated\"\n")
    #expect(symbolic.arguments == .symbolic)
    #expect(enumerated.arguments == .enumerated)
    #expect(try Prover.run(symbolic, outputDirectory: out).outcome == .proved)
    #expect(try Prover.run(enumerated, outputDirectory: out).outcome == .proved)
    #expect {
      try target(Self.inductionTarget + "arguments = \"lazy\"\n")
    } throws: { error in
      guard let error = error as? InputError else { return false }
      return error.location == "t.toml:7" && error.message.contains("'arguments' must be one of")
    }
    #expect {
      try target(
        Self.inductionTarget.replacingOccurrences(of: "\"induction\"", with: "\"bfs\"") + "arguments = \"symbolic\"\n")
    } throws: { error in
      guard let error = error as? InputError else { return false }
      return error.location == "t.toml:7" && error.message.contains("needs engine induction, k-induction or bmc")
    }
  }

  @Test("instantiate = true is read with a parametric induction and refused without one, at its line")
  func instantiateKey() throws {
    let parametric = Self.inductionTarget + "parametric = true\n"
    #expect(try target(parametric + "instantiate = true\n").instantiate)
    #expect(try !target(parametric).instantiate)
    #expect {
      try target(Self.inductionTarget + "instantiate = true\n")
    } throws: { error in
      guard let error = error as? InputError else { return false }
      return error.location == "t.toml:7" && error.message.contains("needs engine induction with 'parametric'")
    }
    #expect {
      try target(parametric + "instantiate = 1\n")
    } throws: { error in
      guard let error = error as? InputError else { return false }
      return error.location == "t.toml:8" && error.message.contains("must be true or false")
    }
  }

  @Test("Every target in Proofs/ loads: each mutant there acts in its target's configuration")
  func everyProofsTargetLoads() throws {
    let proofs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Proofs")
    let files = try Prover.targetFiles([proofs.path])
    #expect(files.count > 40)
    // Proofs/slow/: targets `prove` runs only when named (minutes of Z3 time each).
    let slow = try Prover.targetFiles([proofs.appendingPathComponent("slow").path])
    for file in files + slow { _ = try ProofTarget.load(path: file) }
  }

  @Test("JUnit classname is the target's folder path, dotted")
  func junitClassname() throws {
    #expect(ProveReport.junitClassname(file: "Proofs/gpt-x.toml") == "Proofs")
    #expect(ProveReport.junitClassname(file: "Proofs/da/x.toml") == "Proofs.da")
    #expect(ProveReport.junitClassname(file: "./Proofs/da/x.toml") == "Proofs.da")
    #expect(ProveReport.junitClassname(file: "/work/repo/Proofs/x.toml") == "work.repo.Proofs")
    #expect(ProveReport.junitClassname(file: "x.toml") == "Proofs")
    let result = try Prover.run(
      try target(
        "model = \"cca\"\nconfiguration = \"atomic\"\nengine = \"random\"\nwalks = 2\nlength = 2\nexpect = \"holds\"\n"),
      outputDirectory: FileManager.default.temporaryDirectory.path)
    #expect(result.file == "t.toml")
    let xml = ProveReport.junit([result])
    #expect(xml.contains("<testcase classname=\"Proofs\" name=\"t\""), "\(xml)")
  }

  @Test(
    "symmetric = [\"PE\"] stores states up to renaming of the PEs: same outcome and trace length, fewer states; a refused declaration is bad input at its line"
  )
  func symmetricSorts() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("cca-symmetric-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let holds = """
      model = "cca"
      configuration = "atomic"
      properties = ["hyp-no-realm-read"]
      engine = "bfs"
      expect = "holds"

      """
    func states(_ result: TargetResult) -> Int? { Int(result.detail.prefix { $0.isNumber }) }
    let plain = try Prover.run(try target(holds), outputDirectory: out)
    let reduced = try Prover.run(try target(holds + "symmetric = [\"PE\"]\n"), outputDirectory: out)
    #expect(plain.outcome == .holdsBounded && reduced.outcome == .holdsBounded)
    #expect(reduced.scope.contains("up to renaming of PE"), "\(reduced.scope)")
    let all = states(plain) ?? 0, orbits = states(reduced) ?? 0
    #expect(orbits > 0 && orbits < all && 2 * orbits >= all, "\(orbits) of \(all)")
    // A mutant's counterexample is as short with symmetry and replays from boot (Prover.run
    // replays every trace it writes).
    let mutant = """
      model = "cca"
      mutant = "gpt-word-unlocked"
      engine = "bfs"
      expect = "violated"

      """
    let found = try Prover.run(try target(mutant), outputDirectory: out)
    let foundReduced = try Prover.run(try target(mutant + "symmetric = [\"PE\"]\n"), outputDirectory: out)
    #expect(found.outcome == .violated && foundReduced.outcome == .violated)
    #expect(found.property == foundReduced.property)
    func steps(_ result: TargetResult) throws -> Int {
      let itf = try #require(result.trace)
      let text = try String(contentsOfFile: itf.replacingOccurrences(of: ".itf.json", with: ".txt"), encoding: .utf8)
      return Int(try #require(text.split(separator: "\n").first { $0.hasPrefix("Steps: ") }).dropFirst(7)) ?? -1
    }
    #expect(try steps(found) == steps(foundReduced))
    // Refusals: another engine, an unknown sort, a sort that is not a symmetry.
    func refused(_ text: String, at line: Int, saying words: String) {
      #expect {
        try target(text)
      } throws: { error in
        guard let error = error as? InputError else { return false }
        return error.location == "t.toml:\(line)" && error.message.contains(words)
      }
    }
    refused(Self.inductionTarget + "symmetric = [\"PE\"]\n", at: 7, saying: "needs engine bfs")
    refused(holds + "symmetric = [\"Nope\"]\n", at: 6, saying: "Nope")
    refused(holds + "symmetric = [\"Granule\"]\n", at: 6, saying: "Granule")
  }

}

/// Target files are TOML: multi-line arrays, comments inside them, table headers, dotted and
/// quoted keys, literal strings and TOML's integer forms read as the one-line forms do; what
/// TOML or the target format refuses is an error at its line.
@Suite("Target files: TOML")
struct TargetTOMLTests {
  static let oneLine = """
    description = "random walks"
    model = "cca"
    configuration = "atomic"
    properties = ["hyp-no-realm-read", "gpt-consistent"]
    engine = "random"
    seed = 7
    walks = 10
    length = 10
    bounds = { granules = 2, pes = 2 }
    expect = "holds"
    """

  @Test(
    "Multi-line arrays, [tables], dotted and quoted keys, literal strings and 0x/0o/0b integers read as the one-line form"
  )
  func realTOML() throws {
    let expected = try ProofTarget.parse(file: "a.toml", text: Self.oneLine)
    let written = [
      """
      # a target written as TOML users write it
      description = 'random walks'
      model = "cca"
      configuration = "atomic"
      properties = [
        "hyp-no-realm-read",  # the host never reads realm data
        "gpt-consistent",
      ]
      engine = "random"
      seed = 0b111
      walks = 0o12
      "length" = 0xA
      expect = "holds"

      [bounds]
      granules = 2
      pes = 2
      """,
      """
      description = "random \\u0077alks"
      model = "cca"
      configuration = "atomic"
      properties = ["hyp-no-realm-read", "gpt-consistent"]
      engine = "random"
      seed = +7
      walks = 1_0
      length = 10
      bounds.granules = 2
      bounds.pes = 2
      expect = "holds"\r
      """,
    ]
    for text in written {
      let target = try ProofTarget.parse(file: "b.toml", text: text)
      #expect(target.description == expected.description)
      #expect(target.properties == expected.properties)
      #expect(target.configuration == expected.configuration)
      #expect(target.engine == expected.engine)
    }
  }

  @Test(
    "Errors name the line: bad TOML, a key set twice, unknown keys and the parts targets do not take",
    arguments: [
      ("model = \"cca\"\nproperties = [\n  \"a\",\n  \"b\"\n", "x.toml:5:", "the array opens on line 2"),
      ("model = \"cca\"\nmodel = \"cca\"\n", "x.toml:2", "duplicate key 'model' (first set on line 1)"),
      ("model = \"cca\"\n[bounds]\ngranules = 2\n[bounds]\n", "x.toml:4", "duplicate key 'bounds'"),
      ("model = \"cca\"\nbounds = { granules = 2 }\nbounds.pes = 2\n", "x.toml:3", "duplicate key 'bounds'"),
      ("model = \"cca\"\ntimeout = 1.5\n", "x.toml:2:", "floats are not used"),
      ("model = \"cca\"\ntimeout = 1979-05-27\n", "x.toml:2:", "dates and times"),
      ("model = \"cca\"\ndescription = \"\"\"x\"\"\"\n", "x.toml:2:", "multi-line strings"),
      ("model = \"cca\"\n[[targets]]\n", "x.toml:2:", "arrays of tables"),
      ("model = \"cca\"\nbounds = { granules = 2,\n pes = 2 }\n", "x.toml:2:", "on the same line"),
      ("model = \"cca\"\nseed = 1__0\n", "x.toml:2:", "malformed"),
      ("model = \"cca\"\nnope = 1\n", "x.toml:2", "unknown key 'nope'"),
    ])
  func errors(text: String, location: String, message: String) throws {
    #expect {
      try ProofTarget.parse(file: "x.toml", text: text)
    } throws: { error in
      guard let error = error as? InputError else { return false }
      return error.location.hasPrefix(location) && error.message.contains(message)
    }
  }
}
