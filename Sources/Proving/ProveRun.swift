import Dispatch
import Explore
import Foundation
import Infer
import Spec
import Symbolic
import Traces

/// The outcome of one proof target, as reported in the table, JSON and JUnit.
public struct TargetResult: Sendable {
  /// What the target's engine concluded (``Spec/Outcome``).
  ///
  /// A search that exhausts a configuration's states reports ``Outcome/holdsBounded``: the configuration is the bound.
  public typealias Outcome = Spec.Outcome

  public let target: String
  public let file: String
  /// The violated property, or the properties checked.
  public let property: String
  public let engine: String
  public let outcome: Outcome
  /// `parametric (Granule)` or the bounds.
  public let scope: String
  public let expected: Expectation
  public let seconds: Double
  /// The counterexample (or CTI) file written, if any.
  public let trace: String?
  /// Details: the CTI, the reason for unknown, notes.
  public let detail: String
  /// The lemmas an induction engine assumed (an empty list: none); nil for the other engines.
  public var assumedLemmas: [String]? = nil

  /// Whether the outcome meets the target's expectation.
  public var met: Bool {
    switch expected {
    case .holds: return outcome == .proved || outcome == .holdsBounded || outcome == .holds
    case .violated: return outcome == .violated
    }
  }
}

/// Runs proof targets.
public enum Prover {
  /// Finds the target files under the given paths (files as given; folders searched for
  /// `*.toml`, sorted).
  ///
  /// - Throws: ``InputError`` for a path that does not exist or a folder without targets.
  public static func targetFiles(_ paths: [String]) throws -> [String] {
    try files(paths, suffix: ".toml", what: "proof targets")
  }

  /// The files under `paths`: files as given, folders searched (not recursively) for names
  /// ending in `suffix`, sorted.
  ///
  /// - Throws: ``InputError`` for a path that does not exist or a folder without such files
  ///   (`what` names them).
  static func files(_ paths: [String], suffix: String, what: String) throws -> [String] {
    var files: [String] = []
    let fm = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw InputError(path, "no such file or folder")
      }
      if isDirectory.boolValue {
        let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
        let found = entries.filter { $0.hasSuffix(suffix) }.sorted().map {
          (path as NSString).appendingPathComponent($0)
        }
        guard !found.isEmpty else { throw InputError(path, "no \(what) (*\(suffix)) in this folder") }
        files += found
      } else {
        files.append(path)
      }
    }
    return files
  }

  /// Runs one target and writes its counterexample (or CTI) into `outputDirectory`.
  ///
  /// A symbolic counterexample is replayed by the concrete engine before it is reported; one
  /// that does not replay is an ``InternalError``.
  ///
  /// - Throws: ``InputError`` or ``InternalError``.
  /// - Parameter progress: called every quarter second or so during an exploration with a
  ///   one-line summary (states, rate, ETA when the end is known); induction calls it before
  ///   each consecution query (the action and how far it is).
  /// - Parameter catalog: the catalogue the target's model was resolved against.
  /// - Parameter threads: how many threads an induction may ask its consecution queries on
  ///   (``SymbolicOptions/workers``: instantiated ones, or a bounded induction's), and an inference its Houdini
  ///   queries on (``InferenceOptions/workers``); the result is the same for every count.
  public static func run(
    _ target: ProofTarget, outputDirectory: String, stop: StopSignal? = nil,
    progress: (@Sendable (String) -> Void)? = nil, catalog: Catalog = .standard, threads: Int = 1
  ) throws -> TargetResult {
    let began = DispatchTime.now()
    func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - began.uptimeNanoseconds) / 1e9 }
    let family = try catalog.family(named: target.model)
    let model = try Catalog.build(family, target.configuration)
    let properties = try Catalog.properties(target.properties, of: model)
    // `lemmas = []` assumes none (Catalog.properties would read an empty list as "all").
    let lemmaIndices: [Int]
    if let names = target.lemmas {
      lemmaIndices = names.isEmpty ? [] : try Catalog.properties(names, of: model, location: "\(target.file): lemmas")
    } else {
      lemmaIndices = model.properties.indices.filter { model.properties[$0].kind == .lemma }
    }
    // With a start scenario the scenario's run compiles the model; the search runs on the model
    // rebased onto the scenario's end state, and its traces get the scenario's steps in front.
    let start = try target.start?.run(family: family, configuration: target.configuration, properties: properties)
    let compiled: CompiledModel
    if let start {
      compiled = start.compiled
    } else {
      do { compiled = try CompiledModel(model) } catch {
        throw InternalError("cannot compile model \(model.name): \(error)")
      }
    }
    var boundsScope = model.configuration.bounds.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
      separator: ", ")
    if !target.symmetricSorts.isEmpty {
      boundsScope += "; states up to renaming of \(target.symmetricSorts.joined(separator: ", "))"
    }
    let names = properties.map { model.properties[$0].name }.joined(separator: ",")

    func result(
      _ outcome: TargetResult.Outcome, property: String = names, scope: String = boundsScope, trace: String? = nil,
      detail: String = ""
    ) -> TargetResult {
      TargetResult(
        target: target.name, file: target.file, property: property, engine: target.engine.name, outcome: outcome,
        scope: scope, expected: target.expect, seconds: elapsed(), trace: trace, detail: detail)
    }

    func writeViolation(_ found: Trace) throws -> String {
      let trace = start?.fromBoot(found) ?? found
      if case .diverged(let step, let reason) = replay(compiled, trace: trace) {
        throw InternalError(
          "target \(target.name): the counterexample does not replay concretely at step \(step): \(reason)")
      }
      // A transition property's counterexample must break it on its last step, concretely too.
      if let name = trace.property, let p = model.properties.firstIndex(where: { $0.name == name }),
        model.properties[p].isTransition, try !compiled.traceBreaksTransition(trace, property: p)
      {
        throw InternalError("target \(target.name): the counterexample's last step does not break \(name) concretely")
      }
      let stem = "\(target.name)-\(trace.property ?? "violation")"
      return try TraceFiles.write(trace, model: model, directory: outputDirectory, stem: stem)
    }

    switch target.engine {
    case .bfs, .random:
      var options = ExploreOptions()
      options.properties = properties
      options.timeLimit = target.timeout
      options.stop = stop
      options.symmetricSorts = target.symmetricSorts
      if case .bfs(let maxStates, let maxDepth) = target.engine {
        options.mode = .bfs
        options.maxStates = maxStates
        options.maxDepth = maxDepth
      }
      if case .random(let seed, let walks, let length) = target.engine {
        options.mode = .random
        options.seed = seed
        options.walks = walks
        options.walkLength = length
      }
      if let progress {
        let shown = options
        options.progressInterval = 0.25
        options.progress = { p in progress(ProgressFormat.exploration(p, options: shown)) }
      }
      let report = explore(start?.rebased ?? compiled, options: options)
      let within = start.map { " of \($0.origin)" } ?? ""
      let from = start.map { " from \($0.origin)" } ?? ""
      switch report.outcome {
      case .violation(let p, let trace):
        return result(
          .violated, property: model.properties[p].name,
          scope: start == nil ? boundsScope : "\(boundsScope); \(trace.steps.count) steps\(from)",
          trace: try writeViolation(trace))
      case .modelError(let message):
        var written = ""
        if let found = report.errorTrace {
          let trace = start?.fromBoot(found) ?? found
          let path = try TraceFiles.write(
            trace, model: model, directory: outputDirectory, stem: "\(target.name)-model-error")
          written = "; the path to the failing state is written to \(path)"
        }
        throw InternalError("target \(target.name): model error during exploration: \(message)\(written)")
      case .noViolation:
        if case .random = target.engine {
          return result(
            .holdsBounded, scope: "\(boundsScope); sampled \(report.walksCompleted) walks\(from)",
            detail: "\(report.distinctStates) distinct states")
        }
        if report.complete {
          return result(
            .holdsBounded,
            scope: "\(boundsScope); all \(report.distinctStates) states\(start == nil ? "" : " reachable")\(from)",
            detail: "\(report.distinctStates) distinct states, depth \(report.maxDepthReached)")
        }
        if report.stoppedBy == .maxDepth, case .bfs(_, let maxDepth?) = target.engine {
          // Every state within `maxDepth` steps was generated and checked: a bounded result.
          return result(
            .holdsBounded, scope: "\(boundsScope); every state within \(maxDepth) steps\(within)",
            detail: "\(report.distinctStates) distinct states to depth \(report.maxDepthReached)")
        }
        return result(
          .unknown,
          detail: "exploration stopped (\(report.stoppedBy?.rawValue ?? "limit")) after \(report.distinctStates) states"
        )
      }
    case .infer:
      var options = InferenceOptions(budget: target.timeout)
      if let sort = target.parametricSort { options.parametricSorts = [sort] }
      options.alongside = target.alongside
      if let limit = target.sampleLimit { options.maxStates = limit }
      if target.antecedents == 1 { options.twoAntecedents = false }
      if let n = target.maxWordValues { options.maxWordValues = n }
      if let n = target.refuteStates { options.refuteStates = n }
      if let n = target.chunk { options.chunk = n }
      if let b = target.cores { options.cores = b }
      if let q = target.queryLimit { options.queryLimit = q > 0 ? Double(q) : nil }
      options.workers = threads
      if let b = target.minimise { options.minimise = b }
      options.starts = try target.sampleStarts.map {
        try $0.endValues(family: family, configuration: target.configuration, properties: properties)
      }
      let report = Inference.run(model: model, properties: properties, options: options)
      let counts =
        "\(report.statesSampled) states sampled; candidates \(report.generated) generated, \(report.keptAfterSampling) after "
        + "sampling, \(report.keptAfterHoudini) after Houdini, \(report.lemmas.count) lemmas"
      let scope = Self.scope(report.scope, parametric: options.parametricSorts, bounds: model.configuration.bounds)
      switch report.outcome {
      case .proved: return result(.proved, scope: scope, detail: counts)
      case .unknown(let reason): return result(.unknown, scope: scope, detail: "\(reason); \(counts)")
      case .violated(let trace):
        return result(.violated, property: trace.property ?? names, scope: scope, trace: try writeViolation(trace))
      case .cti(let cti, let broken):
        var path: String?
        if let pre = cti.pre, let post = cti.post, let values = cti.argumentValues,
          let a = model.action(named: cti.action)
        {
          let step = TraceStep(
            action: cti.action, arguments: values, result: .success(code: model.actions[a].successCode))
          let trace = Trace(
            model: model.name, configuration: model.configuration, states: [pre, post], steps: [step],
            property: names, outcome: .cti)
          path = try TraceFiles.write(trace, model: model, directory: outputDirectory, stem: "\(target.name)-cti")
        }
        return result(
          .cti, scope: scope, trace: path, detail: "\(InferReports.detail(.cti(cti, broken: broken))); \(counts)")
      }
    case .bmc, .induction, .kInduction:
      var options = SymbolicOptions(
        timeout: target.timeout, rlimit: target.rlimit.map { UInt32(min($0, UInt64(UInt32.max))) },
        arguments: target.arguments)
      if let sort = target.parametricSort { options.parametricSorts = [sort] }
      options.instantiate = target.instantiate
      options.workers = threads
      if let progress {
        let began = DispatchTime.now()
        options.queryStarted = { action, index, count in
          let seconds = Double(DispatchTime.now().uptimeNanoseconds - began.uptimeNanoseconds) / 1e9
          progress("consecution query \(index + 1)/\(count): \(action) (\(String(format: "%.0f", seconds)) s in)")
        }
      }
      let checker: SymbolicChecker
      do {
        checker = try SymbolicChecker(model: model, options: options)
      } catch {
        return result(.unknown, detail: "\(error)")
      }
      let report: SymbolicReport
      switch target.engine {
      case .bmc(let depth): report = checker.bmc(properties: properties, depth: depth)
      case .kInduction(let k): report = checker.kInduction(properties: properties, lemmas: lemmaIndices, k: k)
      default: report = checker.induction(properties: properties, lemmas: lemmaIndices)
      }
      let notes = report.notes.joined(separator: "; ")
      // Induction assumes lemmas: the report names them (BMC assumes none).
      let assumed: [String]?
      if case .bmc = target.engine { assumed = nil } else { assumed = lemmaIndices.map { model.properties[$0].name } }
      // Induction never trusts a lemma: each is part of the invariant and proved in the same
      // obligations as the properties, and the detail says so (Docs/proof-targets.md).
      let assuming = assumed.map {
        $0.isEmpty
          ? "assuming no lemmas"
          : "assuming lemmas \($0.joined(separator: ", ")) (each proved with the properties in this induction)"
      }
      func withLemmas(_ r: TargetResult) -> TargetResult {
        var r = r
        r.assumedLemmas = assumed
        return r
      }
      func joined(_ parts: String?...) -> String {
        parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
      }
      // A parametric result holds for any size of the abstracted sort only: the configuration's
      // other bounds (PEs, realms, RTT geometry ...) still apply, and the scope says so.
      let scope = Self.scope(report.scope, parametric: options.parametricSorts, bounds: model.configuration.bounds)
      switch report.outcome {
      case .proved: return withLemmas(result(.proved, scope: scope, detail: joined(notes, assuming)))
      case .holdsBounded(let depth):
        return withLemmas(result(.holdsBounded, scope: "\(scope); depth \(depth)", detail: joined(notes, assuming)))
      case .unknown(let reason):
        // Where the time went: the slowest consecution queries (induction), the last one the query that ran out.
        let slowest = report.slowestActions(3)
        return withLemmas(
          result(
            .unknown, scope: scope,
            detail: joined(
              reason, slowest.isEmpty ? nil : "slowest queries: \(slowest.joined(separator: ", "))", assuming)))
      case .violated(let trace):
        return withLemmas(
          result(.violated, property: trace.property ?? names, scope: scope, trace: try writeViolation(trace)))
      case .cti(let cti):
        var path: String?
        if let pre = cti.pre, let post = cti.post, let values = cti.argumentValues,
          let a = model.action(named: cti.action)
        {
          let step = TraceStep(
            action: cti.action, arguments: values, result: .success(code: model.actions[a].successCode))
          let trace = Trace(
            model: model.name, configuration: model.configuration, states: [pre, post], steps: [step],
            property: cti.failing.first, outcome: .cti)
          path = try TraceFiles.write(trace, model: model, directory: outputDirectory, stem: "\(target.name)-cti")
        }
        return withLemmas(
          result(
            .cti, property: cti.failing.joined(separator: ","), scope: scope, trace: path,
            detail: joined(
              "CTI: \(cti.action)(\(cti.arguments.joined(separator: ", "))) breaks \(cti.failing.joined(separator: ", "))",
              assuming)))
      }
    }
  }

  /// The scope of a symbolic result: the checker's, and for a parametric one the sorts made uninterpreted followed by
  /// the configuration's bounds that still apply.
  ///
  /// A bound is lifted by a sort named like it in the singular (`granules` by `Granule`, `threads` by `Thread`); every
  /// other bound is kept: `parametric (Granule); pes=2, realms=1`.
  public static func scope(_ checker: String, parametric sorts: Set<String>, bounds: [Configuration.Bound: Int])
    -> String
  {
    guard !sorts.isEmpty else { return checker }
    let lifted = Set(sorts.flatMap { [$0.lowercased(), $0.lowercased() + "s"] })
    let kept = bounds.filter { !lifted.contains($0.key.rawValue.lowercased()) }.sorted { $0.key < $1.key }
    let head = "parametric (\(sorts.sorted().joined(separator: ", ")))"
    return kept.isEmpty ? head : "\(head); \(kept.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))"
  }
}
