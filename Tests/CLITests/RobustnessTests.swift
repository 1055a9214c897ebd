import Foundation
import Proving
import Testing
import Traces

// Malformed and mutated input of every kind, generated from a fixed seed: Proofs target files,
// ITF traces and command lines. Each input gets exit status 2 with a message (or, when it
// happens to stay valid, the status its content calls for), never a crash, a hang or a partial
// output file. Most target files go through the library entry point (`ProofTarget.parse`, fast);
// a few hundred inputs of each kind go through the `cca-verify` binary.

/// A run of the binary with a time limit.
struct TimedRun {
  let status: Int32
  let stdout: String
  let stderr: String
  let timedOut: Bool
}

/// Runs `cca-verify` and kills it after `timeout` seconds.
func ccaTimed(_ arguments: [String], timeout: Double = 30) throws -> TimedRun {
  let child = try Spawned(try executable(), arguments)
  var timedOut = false
  let ending: Spawned.Ending
  if let finished = child.wait(timeout: timeout) {
    ending = finished
  } else {
    timedOut = true
    child.send(SIGTERM)
    if let terminated = child.wait(timeout: 5) {
      ending = terminated
    } else {
      child.send(SIGKILL)
      ending = child.wait()
    }
  }
  return TimedRun(status: ending.status, stdout: child.stdout, stderr: child.stderr, timedOut: timedOut)
}

/// Data written by one thread and read by another.
final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  func set(_ d: Data) { lock.withLock { data = d } }
  func get() -> Data { lock.withLock { data } }
}

/// SplitMix64: a small deterministic generator for the inputs.
struct Generator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
  mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// Checks what every failing run must show: exit 2, a message on standard error, no crash.
func expectBadInput(_ run: TimedRun, _ input: String, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(!run.timedOut, "hang: \(input)", sourceLocation: sourceLocation)
  #expect(run.status == 2, "exit \(run.status) for \(input): \(run.stderr.prefix(400))", sourceLocation: sourceLocation)
  #expect(
    !run.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "no message for \(input)",
    sourceLocation: sourceLocation)
  #expect(!run.stderr.contains("Fatal error"), "crash message for \(input)", sourceLocation: sourceLocation)
}

/// The files (recursively) of a directory, or none when it does not exist.
func filesBelow(_ directory: URL) -> [String] {
  guard let e = FileManager.default.enumerator(atPath: directory.path) else { return [] }
  return e.compactMap { $0 as? String }.filter {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(
      atPath: directory.appendingPathComponent($0).path, isDirectory: &isDirectory)
    return exists && !isDirectory.boolValue
  }
}

/// Results filled in by several threads, each slot by one.
final class ResultSlots<T>: @unchecked Sendable {
  var items: [T?]
  init(_ n: Int) { items = Array(repeating: nil, count: n) }
}

/// Runs jobs on two threads (the machine's cores are shared), in input order of results.
func parallel<T: Sendable>(_ count: Int, _ job: @escaping @Sendable (Int) -> T) -> [T] {
  let box = ResultSlots<T>(count)
  let lock = NSLock()
  DispatchQueue.concurrentPerform(iterations: 2) { worker in
    var i = worker
    while i < count {
      let result = job(i)
      lock.withLock { box.items[i] = result }
      i += 2
    }
  }
  return box.items.compactMap { $0 }
}

// MARK: - Proofs target files

enum TargetMutations {
  /// Real target files: the repository's Proofs/ and a few written here.
  static func seeds() throws -> [String] {
    let proofs = repositoryRoot.appendingPathComponent("Proofs")
    var texts = try FileManager.default.contentsOfDirectory(atPath: proofs.path).filter { $0.hasSuffix(".toml") }
      .sorted()
      .map { try String(contentsOf: proofs.appendingPathComponent($0), encoding: .utf8) }
    texts.append(
      """
      description = "random walks of the atomic configuration"
      model = "cca"
      configuration = "atomic"
      properties = ["hyp-no-realm-read", "gpt-consistent"]
      engine = "random"
      seed = 7
      walks = 10
      length = 10
      bounds = { granules = 2, pes = 2 }
      features = []
      expect = "holds"
      """)
    return texts
  }

  static let junkValues = [
    "\"\"", "\"nope\"", "-1", "0", "99999999999999999999", "0xFFFFFFFFFFFFFFFFFF", "9223372036854775807",
    "-9223372036854775808", "1e9", "1.5", "true", "[", "[1, \"a\", [[]]]", "{ granules = 1000 }", "{ pes = 0 }",
    "{ realms = \"x\" }", "{ nope = 1 }", "[\"nope\"]", "{", "\"unterminated", "\"\\q\"", "nan", "inf", "\"\u{0}\"",
    "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]", "\"✓😀\"", "{ granules = 65 }", "{ granules = 64, pes = 9 }",
  ]
  static let keys = [
    "model", "configuration", "mutant", "engine", "depth", "k", "expect", "properties", "lemmas", "bounds", "features",
    "timeout", "rlimit", "seed", "walks", "length", "max-states", "parametric", "description", "nope", "model.x",
    "[section]", "",
  ]

  /// One malformed variant of a target text.
  static func mutate(_ text: String, _ g: inout Generator) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    switch g.below(10) {
    case 9:  // deep or long: nested arrays, a huge array, a huge inline table, a huge key
      let deep = 1000 + g.below(100_000)
      lines.insert(
        g.pick([
          "properties = " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep),
          "properties = [" + Array(repeating: "\"hyp-no-realm-read\"", count: deep).joined(separator: ", ") + "]",
          "bounds = { " + (0..<deep).map { "b\($0) = 1" }.joined(separator: ", ") + " }",
          String(repeating: "k", count: deep) + " = 1",
          "description = " + String(repeating: "{ a = ", count: deep),
        ]), at: g.below(lines.count + 1))
    case 0:  // truncated anywhere
      let scalars = Array(text.unicodeScalars)
      return String(String.UnicodeScalarView(scalars.prefix(g.below(scalars.count))))
    case 1:  // a value replaced by one of the wrong type, range or name
      let i = g.below(lines.count)
      if let eq = lines[i].firstIndex(of: "=") {
        lines[i] = String(lines[i][..<eq]) + "= " + g.pick(junkValues)
      }
    case 2:  // a line added with a known or unknown key
      lines.insert("\(g.pick(keys)) = \(g.pick(junkValues))", at: g.below(lines.count + 1))
    case 3:  // a line deleted (a required key may go)
      if !lines.isEmpty { lines.remove(at: g.below(lines.count)) }
    case 4:  // a line duplicated
      if !lines.isEmpty {
        let i = g.below(lines.count)
        lines.insert(lines[i], at: i)
      }
    case 5:  // binary junk
      return String(decoding: (0..<g.below(300)).map { _ in UInt8(truncatingIfNeeded: g.next()) }, as: UTF8.self)
    case 6:  // characters flipped
      var scalars = Array(text.unicodeScalars)
      for _ in 0..<(1 + g.below(6)) where !scalars.isEmpty {
        scalars[g.below(scalars.count)] = g.pick([
          "\"", "=", "[", "]", "{", "}", "#", "\\", "\u{0}", "\r", "\t", "x", "9", "é",
        ])
      }
      return String(String.UnicodeScalarView(scalars))
    case 7:  // huge line
      lines.append("description = \"" + String(repeating: "x", count: 10_000 + g.below(100_000)) + "\"")
      lines.append(g.pick(keys) + " = " + g.pick(junkValues))
    default:  // an unknown name where a name goes
      let key = g.pick(["model", "configuration", "mutant", "engine", "expect"])
      lines.removeAll { $0.hasPrefix(key + " ") || $0.hasPrefix(key + "=") }
      lines.append("\(key) = \"\(g.pick(["nope", "CCA", "bfs ", "", "standard\u{0}", "holds?"]))\"")
    }
    return lines.joined(separator: "\n")
  }
}

// MARK: - ITF traces

enum TraceMutations {
  static let junk: [JSONValue] = [
    .null, .bool(true), .number(-1), .number(Int64.max), .string(""), .string("nope"), .string("0xFFFFFFFFFFFFFFFF"),
    .object([("#bigint", .string("18446744073709551616"))]), .object([("#bigint", .string("-5"))]),
    .object([("#map", .array([]))]), .array([]), .object([]), .array([.array([.array([])])]),
    .object([("tag", .string("Some")), ("value", .number(99))]),
  ]

  static func mutate(_ value: JSONValue, _ g: inout Generator) -> JSONValue {
    switch value {
    case .object(var members) where !members.isEmpty && !g.chance(20):
      let i = g.below(members.count)
      switch g.below(5) {
      case 0: members.remove(at: i)
      case 1: members[i].1 = g.pick(junk)
      case 2: members[i].0 = g.pick(["", "nope", "#meta", "#bigint", "states"])
      case 3: members.append(members[i])
      default: members[i].1 = mutate(members[i].1, &g)
      }
      return .object(members)
    case .array(var items) where !items.isEmpty && !g.chance(20):
      let i = g.below(items.count)
      switch g.below(4) {
      case 0: items.remove(at: i)
      case 1: items[i] = g.pick(junk)
      case 2: items.swapAt(i, g.below(items.count))
      default: items[i] = mutate(items[i], &g)
      }
      return .array(items)
    default:
      return g.pick(junk)
    }
  }

  /// A malformed or mutated variant of a trace's text.
  static func variant(_ document: JSONValue, _ g: inout Generator) -> [UInt8] {
    let text = Array(document.serialized().utf8)
    switch g.below(6) {
    case 0: return Array(text.prefix(g.below(text.count)))
    case 1:
      var bytes = text
      for _ in 0..<(1 + g.below(6)) { bytes[g.below(bytes.count)] = UInt8(truncatingIfNeeded: g.next()) }
      return bytes
    case 2: return (0..<g.below(400)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
    default:
      var d = document
      for _ in 0..<(1 + g.below(3)) { d = mutate(d, &g) }
      return Array(d.serialized().utf8)
    }
  }
}

// MARK: - Command lines

enum ArgumentMutations {
  /// Elements that make any command line bad input.
  static let poison: [[String]] = [
    ["--bogus"], ["--seed", "-1"], ["--seed", "99999999999999999999"], ["--seed", "1e3"], ["--seed", ""],
    ["--max-states", "abc"], ["--max-states", "0"], ["--max-depth", "-3"], ["--workers", "0"], ["--workers", "257"],
    ["--walks", "0"], ["--walk-length", "-5"], ["--time-limit", "0"], ["--time-limit", "nan"], ["--time-limit", "inf"],
    ["--time-limit", "-1"], ["--mode", "dfs"], ["--model", "nope"], ["--config", "nope"], ["--mutant", "nope"],
    ["--property", "nope"], ["--property", ""], ["--config", "standard\u{7}"], ["--seed"], ["--mode"],
    ["--model", "😀"], ["--max-states", "99999999999999999999999"], ["-x"], ["--json=maybe"],
  ]
  /// Elements that are valid on their own.
  static let benign: [[String]] = [
    ["--quiet"], ["--json"], ["--seed", "5"], ["--mode", "random"], ["--walks", "3"], ["--walk-length", "3"],
    ["--config", "atomic"], ["--max-depth", "2"], ["--swarm"], ["--no-shrink"], ["--workers", "1"],
  ]
  static let showPoison: [[String]] = [["--format", "pdf"], ["--format"], ["--bogus"], ["--format", ""], ["extra"]]

  /// A command line that must be refused with exit 2.
  static func line(_ g: inout Generator, trace: String, out: String) -> [String] {
    switch g.below(7) {
    case 0, 1, 2:
      var args = ["explore", "--out", out]
      // Benign options never repeat the poisoned one: a later value would override it.
      let bad = g.pick(poison)
      let others = benign.filter { $0[0] != bad[0] }
      var parts = (0..<g.below(3)).map { _ in g.pick(others) }
      parts.insert(bad, at: g.below(parts.count + 1))
      for p in parts { args += p }
      return args
    case 3:
      return ["show", g.chance(50) ? trace : "/nonexistent/\(g.below(1000)).itf.json"] + g.pick(showPoison)
        + ["--out", out + "/show.html"]
    case 4:
      return ["replay", g.pick(["/nonexistent.itf.json", "", "/", out, "--bogus", trace + "x"])]
    case 5:
      return ["prove", g.pick(["/nonexistent.toml", out + "/empty", "--bogus", ""]), "--out", out]
    default:
      return [g.pick(["nope", "", "EXPLORE", "list --json", "--bogus", "-", "show"])]
        + (g.chance(50) ? [g.pick(["extra", "--bogus"])] : [])
    }
  }
}

// MARK: - Tests

@Suite("Robustness: malformed and mutated input of every kind", .serialized)
struct RobustnessTests {
  static let seed: UInt64 = 0x0BAD_1A9E

  @Test("1,500 mutated Proofs target files through ProofTarget.parse: each read or refused with file and line")
  func targetFilesLibrary() throws {
    print("robustness seed: \(Self.seed) (target files, library)")
    let seeds = try TargetMutations.seeds()
    var g = Generator(state: Self.seed)
    var refused = 0
    var accepted = 0
    let start = Date()
    for n in 0..<1500 {
      let text = TargetMutations.mutate(seeds[n % seeds.count], &g)
      let file = "fuzz-\(n).toml"
      do {
        _ = try ProofTarget.parse(file: file, text: text)
        accepted += 1
      } catch let error as InputError {
        refused += 1
        // Every error names the file and line, except two Catalog ones that name the
        // configuration or the feature list only (Catalog.configuration has no location for
        // features).
        #expect(
          error.location.hasPrefix(file) || error.location.hasPrefix("configuration") || error.location == "features",
          "\(n): \(error)")
        #expect(!error.message.isEmpty)
      } catch {
        Issue.record("input \(n): \(type(of: error)) is not an InputError: \(error)\n\(text.prefix(300))")
      }
    }
    print(
      "target files (library): 1500 inputs, \(refused) refused, \(accepted) still valid, "
        + "\(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    #expect(refused > 1000)
  }

  @Test("Mutated Proofs target files through cca-verify prove: exit 2 with the parser's message, no output")
  func targetFilesBinary() throws {
    print("robustness seed: \(Self.seed) (target files, binary)")
    let seeds = try TargetMutations.seeds()
    var g = Generator(state: Self.seed ^ 1)
    let directory = try temporaryDirectory()
    // Only files the parser refuses go to the binary: a valid one would run an engine.
    var cases: [(file: URL, message: String)] = []
    var n = 0
    while cases.count < 150 {
      let text = TargetMutations.mutate(seeds[n % seeds.count], &g)
      let file = directory.appendingPathComponent("t\(n).toml")
      n += 1
      do {
        _ = try ProofTarget.parse(file: file.path, text: text)
      } catch let error as InputError {
        try Data(text.utf8).write(to: file)
        cases.append((file, error.message))
      }
    }
    let out = directory.appendingPathComponent("out")
    let start = Date()
    let files = cases.map(\.file)
    let runs = parallel(files.count) { i in
      Result { try ccaTimed(["prove", files[i].path, "--out", out.path, "--quiet"]) }
    }
    for (i, result) in runs.enumerated() {
      let run = try result.get()
      expectBadInput(run, cases[i].file.lastPathComponent)
      #expect(
        run.stderr.contains(cases[i].message.prefix(60)),
        "\(cases[i].file.lastPathComponent): \(run.stderr.prefix(300))")
    }
    #expect(filesBelow(out).isEmpty, "a refused target wrote \(filesBelow(out))")
    print("target files (binary): \(cases.count) runs, \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
  }

  @Test("Mutated ITF traces through replay and show --out: exit 2, or 0/1 exactly when the trace still reads")
  func traces() throws {
    print("robustness seed: \(Self.seed) (traces)")
    let sources = [
      try counterexample(["--mutant", "no-tlbi-on-delegate"]),
      try counterexample(["--mutant", "cmo-source-alias-only"]),
      try counterexample(["--mutant", "gpt-word-unlocked"]),
    ]
    let documents = try sources.map { try JSONValue.parse(Data(contentsOf: $0)) }
    var g = Generator(state: Self.seed ^ 2)
    let directory = try temporaryDirectory()
    var files: [URL] = []
    for n in 0..<120 {
      let file = directory.appendingPathComponent("trace-\(n).itf.json")
      try Data(TraceMutations.variant(documents[n % documents.count], &g)).write(to: file)
      files.append(file)
    }
    let start = Date()
    let inputs = files
    let runs = parallel(inputs.count) { i -> Result<(TimedRun, TimedRun, URL), Error> in
      Result {
        let html = directory.appendingPathComponent("show-\(i)/page.html")
        let replay = try ccaTimed(["replay", inputs[i].path])
        let show = try ccaTimed(["show", inputs[i].path, "--format", "html", "--out", html.path])
        return (replay, show, html)
      }
    }
    var counts: [String: Int] = [:]
    for (i, result) in runs.enumerated() {
      let (replay, show, html) = try result.get()
      let name = files[i].lastPathComponent
      #expect(!replay.timedOut && !show.timedOut, "hang: \(name)")
      switch replay.status {
      case 2:
        expectBadInput(replay, name)
        #expect(replay.stderr.contains(files[i].path), "\(name): \(replay.stderr.prefix(200))")
        if show.status == 0 {
          // A trace of a model (or configuration, or mutant) the catalogue does not have: show
          // renders it from its own values, and says so; replay needs the model.
          #expect(
            show.stderr.contains("rendering the trace from its own values"), "\(name): \(show.stderr.prefix(200))")
          let page = (try? String(contentsOf: html, encoding: .utf8)) ?? ""
          #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"), "\(name): incomplete page")
          counts["shown without the model"] = (counts["shown without the model"] ?? 0) + 1
        } else {
          // Refused: show refuses it too, names the file, and writes nothing.
          expectBadInput(show, name)
          #expect(filesBelow(html.deletingLastPathComponent()).isEmpty, "\(name): partial output")
          counts["refused"] = (counts["refused"] ?? 0) + 1
        }
      case 0, 1:
        // Still a trace of the model: it replays exactly (0) or diverges (1), and shows.
        #expect(
          replay.stdout.contains(replay.status == 0 ? "The trace replays exactly." : "DIVERGED at step"), "\(name)")
        #expect(show.status == 0, "\(name): show exited \(show.status): \(show.stderr.prefix(200))")
        let page = (try? String(contentsOf: html, encoding: .utf8)) ?? ""
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"), "\(name): incomplete page")
        #expect(filesBelow(html.deletingLastPathComponent()) == ["page.html"], "\(name): stray files")
        counts[replay.status == 0 ? "replays" : "diverges", default: 0] += 1
      default:
        Issue.record("\(name): replay exited \(replay.status) (crash or internal error): \(replay.stderr.prefix(400))")
      }
    }
    print(
      "traces (binary): \(files.count) inputs, \(2 * files.count) runs: \(counts), "
        + "\(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    #expect((counts["refused"] ?? 0) > files.count / 3)
  }

  @Test("Generated bad command lines: exit 2 with a message, no output files; help and list still exit 0")
  func commandLines() throws {
    print("robustness seed: \(Self.seed) (command lines)")
    let trace = try counterexample()
    let directory = try temporaryDirectory()
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("out/empty"), withIntermediateDirectories: true)
    var g = Generator(state: Self.seed ^ 3)
    let lines = (0..<200).map { _ in
      ArgumentMutations.line(&g, trace: trace.path, out: directory.appendingPathComponent("out").path)
    }
    let valid: [[String]] = [
      ["list"], ["list", "--json"], ["--help"], ["--version"], ["explore", "--help"], ["show", "--help"],
    ]
    let start = Date()
    let runs = parallel(lines.count + valid.count) { i in
      Result { try ccaTimed(i < lines.count ? lines[i] : valid[i - lines.count]) }
    }
    for (i, result) in runs.enumerated() {
      let run = try result.get()
      if i < lines.count {
        expectBadInput(run, lines[i].joined(separator: " "))
      } else {
        #expect(run.status == 0 && !run.stdout.isEmpty, "\(valid[i - lines.count]): \(run.status)")
      }
    }
    #expect(
      filesBelow(directory.appendingPathComponent("out")).isEmpty, "bad command lines wrote \(filesBelow(directory))")
    print("command lines (binary): \(runs.count) runs, \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
  }
}
