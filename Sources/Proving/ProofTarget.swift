import Explore
import Foundation
import Spec
import Symbolic

/// The engine a proof target runs, with its engine-specific settings.
public enum ProofEngine: Equatable, Sendable {
  /// Exhaustive breadth-first exploration of the configuration (a bounded result), optionally
  /// only to a depth: then every state reachable in at most `maxDepth` steps is checked, and the
  /// result is `holds-bounded` with that depth stated.
  case bfs(maxStates: Int?, maxDepth: Int? = nil)
  /// Seeded random walks (a bounded, sampled result).
  case random(seed: UInt64, walks: Int, length: Int)
  /// Bounded model checking to a depth, deepening so the first counterexample is shortest.
  case bmc(depth: Int)
  /// Inductive invariant checking: initiation and consecution per action, with CTIs.
  case induction
  /// k-induction.
  case kInduction(k: Int)
  /// Invariant inference (module Infer): lemmas inferred from templates, sampling and Houdini,
  /// then ordinary induction with them; the model's own lemmas are not used.
  case infer

  /// The engine's name as written in target files and reports.
  public var name: String {
    switch self {
    case .bfs: return "bfs"
    case .random: return "random"
    case .bmc: return "bmc"
    case .induction: return "induction"
    case .kInduction: return "k-induction"
    case .infer: return "infer"
    }
  }

  public static let names = ["bfs", "random", "bmc", "induction", "k-induction", "infer"]
}

/// What a proof target expects of every property it lists.
public enum Expectation: String, Equatable, Sendable {
  /// The properties hold (proved, or hold within the bounds for bounded engines).
  case holds
  /// Some listed property is violated and the engine shows a trace.
  case violated
}

/// A proof target: one human-written file in `Proofs/` naming a model, configuration,
/// properties, engine, budget and the expected outcome.
///
/// The file format and every key are documented in `Docs/proof-targets.md`.
public struct ProofTarget: Equatable, Sendable {
  /// The file the target was read from.
  public var file: String
  /// The target's name: the file name without its extension.
  public var name: String
  public var description: String
  public var model: String
  public var configuration: Configuration
  public var properties: [String]
  /// The lemmas assumed as strengthening by induction engines (default: all of the model's).
  public var lemmas: [String]?
  public var engine: ProofEngine
  /// The index sort proved for any number of elements (symbolic engines only), or `nil` for a
  /// bounded proof: `parametric = true` names the model's primary sort (``ABIDescription/primarySort``:
  /// `Granule`), `parametric = "Thread"` any sort; the model must have it.
  public var parametricSort: String?
  /// Whether the proof is parametric.
  public var parametric: Bool { parametricSort != nil }
  /// Wall-clock budget in seconds.
  public var timeout: Double
  /// Z3 resource limit (repeatable budget), if any.
  public var rlimit: UInt64?
  /// How the symbolic engines treat action arguments (`arguments = "enumerated"`); default
  /// symbolic (Docs/symbolic-encoding.md).
  public var arguments: ArgumentEncoding = .symbolic
  /// Engine induction, parametric: instantiate the pre-state's quantifiers at each query's ground terms
  /// (``SymbolicOptions/instantiate``; a satisfiable query is then unknown, never a CTI).
  public var instantiate = false
  public var expect: Expectation
  /// The scenario whose end state the search starts from (bfs and random only), else `nil`:
  /// the model's initial state.
  public var start: StartScenario?
  /// Engine infer: scenarios whose end states sampling also starts from (``InferenceOptions/starts``).
  public var sampleStarts: [StartScenario] = []
  /// Engine infer: the model's properties that join the candidates (``InferenceOptions/alongside``).
  public var alongside: [String] = []
  /// Engine infer: the most states to sample (``InferenceOptions/maxStates``), if not the default.
  public var sampleLimit: Int?
  /// Engine infer: 1 for templates with one antecedent only (``InferenceOptions/twoAntecedents``).
  public var antecedents: Int?
  /// Engine infer: ``InferenceOptions/maxWordValues`` and ``InferenceOptions/refuteStates``, if not the defaults.
  public var maxWordValues: Int?
  public var refuteStates: Int?
  /// Engine infer: Houdini's group size (``InferenceOptions/chunk``; 0: all at once), if not the default.
  public var chunk: Int?
  /// Engine infer: ``InferenceOptions/cores``, if set.
  public var cores: Bool?
  /// Engine infer: seconds per Houdini query (``InferenceOptions/queryLimit``; 0: only the budget), if not the default.
  public var queryLimit: Int?
  /// Engine infer: false to report the lemmas of the first induction check unminimised (``InferenceOptions/minimise``).
  public var minimise: Bool?
  /// Index sorts whose elements the model treats alike, for BFS only.
  ///
  /// States that differ by a renaming are stored once (``ExploreOptions/symmetricSorts``); the
  /// declaration is tested when the target is read (``SymmetryDeclaration``).
  public var symmetricSorts: [String] = []

  /// The keys a target file may contain, with what each means.
  public static let keys: [(String, String)] = [
    ("description", "one line on what the target shows"),
    ("model", "a model family name (cca-verify list)"),
    ("configuration", "a named configuration of the model (default: the mutant's, else the first)"),
    ("mutant", "a mutant name, or \"none\""),
    ("bounds", "bound overrides, e.g. { granules = 4 }"),
    ("features", "feature switches replacing the configuration's, e.g. [\"fine\"]"),
    ("properties", "property names to check (default: every non-lemma property)"),
    ("lemmas", "lemma names assumed by induction (default: all of the model's lemmas; [] assumes none)"),
    ("engine", "one of \(ProofEngine.names.joined(separator: ", "))"),
    ("depth", "bmc: the depth bound; bfs: check every state within this many steps"),
    ("k", "k-induction: k"),
    ("parametric", "true to prove for any number of granules, or an index sort's name (symbolic engines, infer)"),
    ("max-states", "bfs: a state limit; infer: the most states to sample"),
    ("antecedents", "infer: 1 for templates with one antecedent only, 2 (default) to try two as well"),
    (
      "max-word-values",
      "infer: a word-valued variable takes part in templates only with at most this many sampled values"
    ),
    ("refute-states", "infer: states the concrete refuter searches from each Houdini CTI (0: none)"),
    ("chunk", "infer: candidates Houdini asks about per query (0: all at once; default 256)"),
    ("cores", "infer: true for Houdini queries seeded by earlier answers' unsat cores (default false)"),
    ("query-limit", "infer: seconds per Houdini query before its group is split (0: only the budget; default 20)"),
    ("minimise", "infer: false to keep the first proof's lemmas without looking for fewer (default true)"),
    ("seed", "random: the seed"),
    ("walks", "random: number of walks"),
    ("length", "random: steps per walk"),
    ("timeout", "wall-clock budget in seconds (default 300)"),
    ("rlimit", "Z3 resource limit per query (repeatable budget)"),
    (
      "arguments",
      "induction, k-induction, bmc: \"symbolic\" (default: one query or choice per action) or \"enumerated\" (per argument tuple)"
    ),
    (
      "instantiate",
      "parametric induction: true to instantiate the invariant's quantifiers at each query's ground terms (unsat proves; sat is unknown, never a CTI)"
    ),
    ("alongside", "infer: the model's properties (not lemmas) that join the candidates, proved with the rest if kept"),
    (
      "start",
      "bfs, random: a scenario file (relative to this file's folder) whose end state the search starts from; infer: one or a list, whose end states sampling also starts from"
    ),
    (
      "symmetric",
      "bfs: index sorts whose elements the model treats alike, e.g. [\"PE\"]; states that differ by a renaming are stored once (tested on the first \(SymmetryDeclaration.defaultStates) reachable states)"
    ),
    ("expect", "\"holds\" or \"violated\""),
  ]

  /// Reads and checks a target file against the catalogue of models.
  ///
  /// - Throws: ``InputError`` naming the file, line or field and what was expected.
  public static func load(path: String, catalog: Catalog = .standard) throws -> ProofTarget {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError(path, "cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw InputError(path, "not UTF-8 text")
    }
    return try parse(file: path, text: text, catalog: catalog)
  }

  /// Parses and checks target text.
  public static func parse(file: String, text: String, catalog: Catalog = .standard) throws -> ProofTarget {
    let entries = try TargetFileParser(file: file, text: text).parse()
    var byKey: [String: TargetEntry] = [:]
    let valid = Set(keys.map(\.0))
    for entry in entries {
      guard valid.contains(entry.key) else {
        throw InputError(
          "\(file):\(entry.line)",
          "unknown key '\(entry.key.count > 80 ? entry.key.prefix(60) + "… (\(entry.key.count) characters)" : entry.key)'; valid: \(keys.map(\.0).joined(separator: ", "))"
        )
      }
      byKey[entry.key] = entry
    }
    func at(_ key: String) -> String {
      byKey[key].map { "\(file):\($0.line)" } ?? file
    }
    func string(_ key: String) throws -> String? {
      guard let e = byKey[key] else { return nil }
      guard case .string(let s) = e.value else {
        throw InputError(at(key), "'\(key)' must be a string, found \(e.value.typeName)")
      }
      return s
    }
    func integer(_ key: String, _ range: ClosedRange<Int64>) throws -> Int64? {
      guard let e = byKey[key] else { return nil }
      guard case .integer(let n) = e.value else {
        throw InputError(at(key), "'\(key)' must be an integer, found \(e.value.typeName)")
      }
      guard range.contains(n) else {
        throw InputError(at(key), "'\(key)' must be in \(range.lowerBound)...\(range.upperBound), found \(n)")
      }
      return n
    }
    func strings(_ key: String) throws -> [String]? {
      guard let e = byKey[key] else { return nil }
      guard case .array(let items) = e.value else {
        throw InputError(at(key), "'\(key)' must be an array of strings, found \(e.value.typeName)")
      }
      return try items.map {
        guard case .string(let s) = $0 else {
          throw InputError(at(key), "'\(key)' must be an array of strings, found an element that is \($0.typeName)")
        }
        return s
      }
    }

    guard let modelName = try string("model") else {
      throw InputError(file, "missing required key 'model' (a model family name, e.g. \"cca\")")
    }
    let family = try catalog.family(named: modelName, location: at("model"))
    var bounds: [Configuration.Bound: Int] = [:]
    if let e = byKey["bounds"] {
      guard case .table(let members) = e.value else {
        throw InputError(at("bounds"), "'bounds' must be a table like { granules = 4 }, found \(e.value.typeName)")
      }
      for (k, v) in members {
        guard case .integer(let n) = v else {
          throw InputError(at("bounds"), "bound '\(k)' must be an integer, found \(v.typeName)")
        }
        guard n >= 1 && n <= 1024 else {
          throw InputError(at("bounds"), "bound '\(k)' must be in 1...1024, found \(n)")
        }
        bounds[Configuration.Bound(k)] = Int(n)
      }
    }
    let features = try strings("features").map { Set($0.map { Configuration.Feature($0) }) }
    for f in (features ?? []).sorted() where family.featureDocs[f] == nil {
      throw InputError(
        at("features"),
        "unknown feature '\(f)' of model \(family.name); valid: \(family.featureDocs.keys.sorted().map(\.rawValue).joined(separator: ", "))"
      )
    }
    let configuration = try Catalog.configuration(
      of: family, named: try string("configuration"), mutant: try string("mutant"), bounds: bounds,
      features: features, locations: (at("configuration"), at("mutant"), at("bounds")))
    let model = try Catalog.build(family, configuration, mutantLocation: at("mutant"))
    let properties = try strings("properties") ?? []
    let propertyIndices = try Catalog.properties(properties, of: model, location: at("properties"))
    let lemmas = try strings("lemmas")
    if let lemmas {
      for name in lemmas where model.property(named: name)?.kind != .lemma {
        let valid = model.properties.filter { $0.kind == .lemma }.map(\.name)
        throw InputError(
          at("lemmas"), "unknown lemma '\(name)'; valid: \(valid.isEmpty ? "(none)" : valid.joined(separator: ", "))")
      }
    }

    guard let engineName = try string("engine") else {
      throw InputError(file, "missing required key 'engine' (one of \(ProofEngine.names.joined(separator: ", ")))")
    }
    let engine: ProofEngine
    switch engineName {
    case "bfs":
      engine = .bfs(
        maxStates: try integer("max-states", 1...Int64(Int32.max)).map(Int.init),
        maxDepth: try integer("depth", 0...1_000_000).map(Int.init))
    case "random":
      engine = .random(
        seed: UInt64(try integer("seed", 0...Int64.max) ?? 1), walks: Int(try integer("walks", 1...1_000_000) ?? 100),
        length: Int(try integer("length", 1...1_000_000) ?? 100))
    case "bmc":
      guard let depth = try integer("depth", 0...1000) else {
        throw InputError(file, "engine bmc needs 'depth' (an integer)")
      }
      engine = .bmc(depth: Int(depth))
    case "induction": engine = .induction
    case "infer": engine = .infer
    case "k-induction":
      guard let k = try integer("k", 1...100) else {
        throw InputError(file, "engine k-induction needs 'k' (an integer)")
      }
      engine = .kInduction(k: Int(k))
    default:
      throw InputError(
        at("engine"), "unknown engine '\(engineName)'; valid: \(ProofEngine.names.joined(separator: ", "))")
    }
    var parametricSort: String?
    if let e = byKey["parametric"] {
      switch e.value {
      case .bool(let b):
        // `true` names the model's primary sort (the granules of the CCA model).
        guard b else { break }
        guard let primary = model.abi.primarySort else {
          throw InputError(
            at("parametric"), "model \(model.name) declares no primary index sort; name one (parametric = \"Sort\")")
        }
        parametricSort = primary
      case .string(let sort): parametricSort = sort
      default:
        throw InputError(
          at("parametric"), "'parametric' must be true, false or an index sort's name, found \(e.value.typeName)")
      }
      if parametricSort != nil, case .bfs = engine {
        throw InputError(at("parametric"), "parametric proofs need a symbolic engine (induction, k-induction, bmc)")
      }
      if parametricSort != nil, case .random = engine {
        throw InputError(at("parametric"), "parametric proofs need a symbolic engine (induction, k-induction, bmc)")
      }
      // A sort the model does not have would be the bounded proof reported under a parametric scope.
      if let sort = parametricSort, !model.indexSorts.contains(sort) {
        let valid = model.indexSorts.sorted()
        throw InputError(
          at("parametric"),
          "model \(model.name) has no index sort '\(sort)'\(e.value == .bool(true) ? " (parametric = true means \(sort))" : ""); valid: \(valid.isEmpty ? "(none)" : valid.map { "\"\($0)\"" }.joined(separator: ", "))"
        )
      }
    }
    guard let expectName = try string("expect") else {
      throw InputError(file, "missing required key 'expect' (\"holds\" or \"violated\")")
    }
    guard let expect = Expectation(rawValue: expectName) else {
      throw InputError(at("expect"), "'expect' must be \"holds\" or \"violated\", found \"\(expectName)\"")
    }
    var start: StartScenario?
    var sampleStarts: [StartScenario] = []
    if engineName == "infer", let e = byKey["start"] {
      // Inference samples from each scenario's end state as well as from the initial state.
      let written: [String]
      if case .array = e.value { written = try strings("start") ?? [] } else { written = [try string("start") ?? ""] }
      sampleStarts = written.map { StartScenario(written: $0, targetFile: file, location: at("start")) }
      for scenario in sampleStarts { _ = try scenario.resolve(family: family, configuration: configuration) }
    } else if let written = try string("start") {
      guard engineName == "bfs" || engineName == "random" else {
        throw InputError(
          at("start"), "'start' needs engine bfs, random or infer (the search starts from a concrete state)")
      }
      start = StartScenario(written: written, targetFile: file, location: at("start"))
      // Syntax and names now, before any engine runs; the calls' results when the target runs.
      _ = try start?.resolve(family: family, configuration: configuration)
    }
    var arguments = ArgumentEncoding.symbolic
    if let written = try string("arguments") {
      let valid = ArgumentEncoding.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
      guard let encoding = ArgumentEncoding(rawValue: written) else {
        throw InputError(at("arguments"), "'arguments' must be one of \(valid), found \"\(written)\"")
      }
      switch engine {
      case .bmc, .induction, .kInduction: arguments = encoding
      default: throw InputError(at("arguments"), "'arguments' needs engine induction, k-induction or bmc")
      }
    }
    var sampleLimit: Int?
    var antecedents: Int?
    var maxWordValues: Int?
    var refuteStates: Int?
    var chunk: Int?
    var cores: Bool?
    var queryLimit: Int?
    var minimise: Bool?
    if engineName == "infer" {
      sampleLimit = try integer("max-states", 1...Int64(Int32.max)).map(Int.init)
      antecedents = try integer("antecedents", 1...2).map(Int.init)
      maxWordValues = try integer("max-word-values", 0...Int64(Int32.max)).map(Int.init)
      refuteStates = try integer("refute-states", 0...Int64(Int32.max)).map(Int.init)
      chunk = try integer("chunk", 0...Int64(Int32.max)).map(Int.init)
      queryLimit = try integer("query-limit", 0...86_400).map(Int.init)
      func flag(_ key: String) throws -> Bool? {
        guard let e = byKey[key] else { return nil }
        guard case .bool(let b) = e.value else {
          throw InputError(at(key), "'\(key)' must be true or false, found \(e.value.typeName)")
        }
        return b
      }
      cores = try flag("cores")
      minimise = try flag("minimise")
    } else {
      for key in ["antecedents", "max-word-values", "refute-states", "chunk", "cores", "query-limit", "minimise"]
      where byKey[key] != nil {
        throw InputError(at(key), "'\(key)' needs engine infer")
      }
    }
    var instantiate = false
    if let e = byKey["instantiate"] {
      guard case .bool(let b) = e.value else {
        throw InputError(at("instantiate"), "'instantiate' must be true or false, found \(e.value.typeName)")
      }
      guard !b || (parametricSort != nil && engine == .induction) else {
        throw InputError(at("instantiate"), "'instantiate' needs engine induction with 'parametric'")
      }
      instantiate = b
    }
    var alongside: [String] = []
    if let written = try strings("alongside") {
      guard case .infer = engine else { throw InputError(at("alongside"), "'alongside' needs engine infer") }
      try InferRequest.checkAlongside(written, of: model, goals: propertyIndices, location: at("alongside"))
      alongside = written
    }
    let symmetricSorts = try strings("symmetric") ?? []
    if !symmetricSorts.isEmpty {
      guard engineName == "bfs" else {
        throw InputError(at("symmetric"), "'symmetric' needs engine bfs (symmetry reduction applies to BFS)")
      }
      // Tested now, on the model's own initial state: a refused declaration is bad input before
      // any engine runs.
      let compiled: CompiledModel
      do { compiled = try CompiledModel(model) } catch {
        throw InternalError("cannot compile model \(model.name): \(error)")
      }
      try SymmetryDeclaration.check(
        compiled, sorts: symmetricSorts, properties: propertyIndices, location: at("symmetric"))
    }
    let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    var target = ProofTarget(
      file: file, name: name, description: try string("description") ?? "", model: modelName,
      configuration: configuration, properties: propertyIndices.map { model.properties[$0].name }, lemmas: lemmas,
      engine: engine, parametricSort: parametricSort, timeout: Double(try integer("timeout", 1...86_400) ?? 300),
      rlimit: try integer("rlimit", 1...Int64.max).map(UInt64.init), expect: expect, start: start)
    target.arguments = arguments
    target.alongside = alongside
    target.sampleLimit = sampleLimit
    target.antecedents = antecedents
    target.maxWordValues = maxWordValues
    target.refuteStates = refuteStates
    target.chunk = chunk
    target.cores = cores
    target.queryLimit = queryLimit
    target.minimise = minimise
    target.instantiate = instantiate
    target.sampleStarts = sampleStarts
    target.symmetricSorts = symmetricSorts
    return target
  }
}
