import ArgumentParser
import CCAModel
import Explore
import Foundation
import Spec
import Symbolic

/// `cca-bench scaling`: how the compiled Z3 encoding of the CCA model scales with the number of
/// granules: BMC to the `no-tlbi-on-delegate` counterexample, induction of `hyp-no-realm-read`
/// with the model's lemmas, and a parametric proof where the model offers one.
struct ScalingBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scaling",
    abstract: "Symbolic checks of the atomic CCA configuration at 2 to 64 granules: BMC, induction, parametric.",
    discussion: """
      Checks (--checks, comma-separated):
        bmc        mutant no-tlbi-on-delegate, every non-lemma property, SymbolicChecker.bmc to --depth
        bmc-read   the same mutant, hyp-no-realm-read only (the property the hand-written baseline checks)
        induction  correct model, hyp-no-realm-read strengthened by every lemma of the model
        parametric induction with Granule uninterpreted, if the model offers a parametric configuration
      Each check runs once per argument encoding of --arguments (symbolic: one instance per action, \
      arguments as constants constrained to their domains; enumerated: one instance per argument \
      tuple), the encodings alternating run by run so both see the same machine load. \
      Each row is one check: wall-clock seconds (the checker's own measure: encoding and solving), \
      CPU seconds of the process during the check (median; the machine may be shared), \
      Z3 queries, the outcome, and its detail (trace length and violated property, the CTI, notes). \
      The configuration is `atomic` with the granules and pes bounds overridden.
      """)

  @Option(help: "Comma-separated granule counts (1...64).") var granules = "2,4,8,16,32,64"
  @Option(help: "Processing elements (the atomic configuration's own bound is 2; with 1, the realm runs on the one PE, whose stale NS entry faults its write, so no-tlbi-on-delegate breaks only gpt-consistent).") var pes = 2
  @Option(help: "BMC depth bound.") var depth = 6
  @Option(help: "Comma-separated checks: bmc, bmc-read, induction, parametric.") var checks = "bmc,bmc-read,induction,parametric"
  @Option(help: "Wall-clock budget per check in seconds (a check that runs out reports unknown).") var timeout: Double = 300
  @Flag(help: "Without a parametric configuration, run the parametric check on `atomic` anyway (Granule uninterpreted), labelled as such.") var parametricAnyway = false
  @Option(name: .customLong("repeat"), help: "Runs per check (each with a new Z3 context); the table shows the median.") var repeats = 1
  @Option(help: "Comma-separated argument encodings to compare, alternating: symbolic, enumerated.") var arguments = "symbolic,enumerated"
  @OptionGroup var common: CommonOptions

  static let allChecks = ["bmc", "bmc-read", "induction", "parametric"]

  func validate() throws {
    if !(1...8).contains(pes) { throw ValidationError("--pes must be in 1...8, got \(pes)") }
    if !(0...100).contains(depth) { throw ValidationError("--depth must be in 0...100, got \(depth)") }
    if !(timeout > 0) { throw ValidationError("--timeout must be > 0, got \(timeout)") }
    if repeats < 1 { throw ValidationError("--repeat must be >= 1, got \(repeats)") }
    do { _ = try integerList(granules, name: "--granules", range: 1...64) } catch { throw ValidationError("\(error)") }
    for c in checks.split(separator: ",") where !Self.allChecks.contains(String(c)) {
      throw ValidationError("--checks: unknown check '\(c)'; valid: \(Self.allChecks.joined(separator: ", "))")
    }
    do { _ = try encodings() } catch { throw ValidationError("\(error)") }
  }

  /// The argument encodings of `--arguments`, in the order given.
  func encodings() throws -> [ArgumentEncoding] {
    let valid = ArgumentEncoding.allCases.map(\.rawValue).joined(separator: ", ")
    let list = try arguments.split(separator: ",").map { name in
      guard let e = ArgumentEncoding(rawValue: String(name)) else {
        throw BenchFailure("--arguments: unknown encoding '\(name)'; valid: \(valid)")
      }
      return e
    }
    guard !list.isEmpty else { throw BenchFailure("--arguments: name at least one of \(valid)") }
    return list
  }

  func run() throws {
    try guarded {
      let sizes = try integerList(granules, name: "--granules", range: 1...64)
      let selected = Set(checks.split(separator: ",").map(String.init))
      let context = common.context()
      var table = ResultTable(
        title: "Compiled encoding (Spec IR -> Z3), atomic configuration, pes=\(pes), realms=1"
          + (repeats > 1 ? " (median of \(repeats) runs)" : ""),
        columns: ["check", "arguments", "granules", "instances", "state bits", "seconds", "min s", "max s", "cpu s", "queries", "outcome", "detail"])

      for n in sizes {
        if selected.contains("bmc") {
          for r in try bmcRows(granules: n, readOnly: false, notes: &table.notes) { table.append(r) }
        }
        if selected.contains("bmc-read") {
          for r in try bmcRows(granules: n, readOnly: true, notes: &table.notes) { table.append(r) }
        }
        if selected.contains("induction") {
          for r in try inductionRows(granules: n, notes: &table.notes) { table.append(r) }
        }
      }
      if selected.contains("parametric") {
        for r in try parametricRows(notes: &table.notes) { table.append(r) }
      }
      table.notes.append(
        "instances = action instances a step chooses from: symbolic, one per action; enumerated, each action times its "
          + "non-parametric argument tuples; state bits = bits of one packed concrete state")
      table.notes.append("timeout per check: \(timeout) s; an exhausted budget is reported as unknown, never as a result")
      emit([table], context: context, command: "scaling", json: common.json)
    }
  }

  // MARK: - Rows

  func configuration(granules n: Int, mutant: String?, name: String = "atomic") throws -> Configuration {
    guard var c = CCA.family.configuration(named: name) else {
      throw BenchFailure("the CCA model has no '\(name)' configuration")
    }
    c.bounds[CCA.Bound.granules] = n
    c.bounds[CCA.Bound.pes] = pes
    c.mutant = mutant
    return c
  }

  func build(_ configuration: Configuration) throws -> (Model, CompiledModel) {
    do {
      let model = try CCA.family.build(configuration)
      return (model, try CompiledModel(model))
    } catch {
      throw BenchFailure("cannot build \(configuration): \(error)")
    }
  }

  /// The number of (action, argument tuple) pairs a symbolic step enumerates.
  static func instanceCount(_ model: Model, parametric: Set<String> = []) -> Int {
    model.actions.reduce(0) { total, action in
      total
        + action.parameters.reduce(1) { product, p in
          if case .index(let sort) = p.domain, parametric.contains(sort.name) { return product }
          return product * (p.domain.cardinality ?? 1)
        }
    }
  }

  /// Runs a check `repeats` times per argument encoding, alternating the encodings run by run,
  /// each run with a new checker (a new Z3 context): per encoding, the last report and every
  /// run's seconds; a note when the outcomes of one encoding differ between runs.
  func repeated(
    _ label: String, model: Model, parametric: Bool = false, notes: inout [String],
    _ check: (SymbolicChecker) -> SymbolicReport
  ) throws -> [(encoding: ArgumentEncoding, report: SymbolicReport, seconds: [Double], cpu: [Double])] {
    let encodings = try encodings()
    var cpu = [[Double]](repeating: [], count: encodings.count)
    var seconds = [[Double]](repeating: [], count: encodings.count)
    var outcomes = [[String]](repeating: [], count: encodings.count)
    var last = [SymbolicReport?](repeating: nil, count: encodings.count)
    for r in 1...repeats {
      for (e, encoding) in encodings.enumerated() {
        progress("scaling: \(label), \(encoding.rawValue) arguments" + (repeats > 1 ? " run \(r)/\(repeats)" : "") + " ...")
        let checker: SymbolicChecker
        do {
          checker = try SymbolicChecker(
            model: model,
            options: SymbolicOptions(parametricSorts: parametric ? ["Granule"] : [], timeout: timeout, arguments: encoding))
        } catch {
          throw BenchFailure("cannot encode \(model.configuration)\(parametric ? " with Granule uninterpreted" : ""): \(error)")
        }
        let cpuBefore = processCPUSeconds()
        let report = check(checker)
        cpu[e].append(processCPUSeconds() - cpuBefore)
        let (outcome, detail) = Self.describe(report.outcome, notes: report.notes)
        progress(String(format: "  %.3f s (%.3f s CPU), %d queries, %@ %@", report.seconds, cpu[e].last ?? 0, report.queries, outcome, detail))
        seconds[e].append(report.seconds)
        outcomes[e].append("\(outcome) \(detail) (\(report.queries) queries)")
        last[e] = report
      }
    }
    var result: [(encoding: ArgumentEncoding, report: SymbolicReport, seconds: [Double], cpu: [Double])] = []
    for (e, encoding) in encodings.enumerated() {
      if Set(outcomes[e]).count > 1 {
        notes.append("\(label), \(encoding.rawValue) arguments: the runs differed: \(outcomes[e].joined(separator: " | "))")
      }
      guard let report = last[e] else { throw BenchFailure("no run of \(label)") }
      result.append((encoding, report, seconds[e], cpu[e]))
    }
    return result
  }

  func row(
    _ name: String, granules: String, model: Model, compiled: CompiledModel, parametric: Set<String> = [],
    _ result: (encoding: ArgumentEncoding, report: SymbolicReport, seconds: [Double], cpu: [Double]), outcome: String, detail: String
  ) -> [Cell] {
    [
      .text(name), .text(result.encoding.rawValue), .text(granules),
      .integer(result.encoding == .symbolic ? model.actions.count : Self.instanceCount(model, parametric: parametric)),
      .integer(compiled.bitsPerState), .seconds(median(result.seconds)), .seconds(result.seconds.min() ?? 0),
      .seconds(result.seconds.max() ?? 0), .seconds(median(result.cpu)), .integer(result.report.queries), .text(outcome), .text(detail),
    ]
  }

  func bmcRows(granules n: Int, readOnly: Bool, notes: inout [String]) throws -> [[Cell]] {
    let (model, compiled) = try build(try configuration(granules: n, mutant: CCA.MutantName.noTLBIOnDelegate))
    let properties: [Int]
    if readOnly {
      guard let p = model.properties.firstIndex(where: { $0.name == CCA.PropertyName.hypNoRealmRead }) else {
        throw BenchFailure("the model has no property \(CCA.PropertyName.hypNoRealmRead)")
      }
      properties = [p]
    } else {
      properties = model.properties.indices.filter { model.properties[$0].kind != .lemma }
    }
    let name = readOnly ? "bmc-read" : "bmc"
    let results = try repeated("\(name) granules=\(n) pes=\(pes) depth=\(depth)", model: model, notes: &notes) {
      $0.bmc(properties: properties, depth: depth)
    }
    return results.map { result in
      var (outcome, detail) = Self.describe(result.report.outcome)
      if case .violated(let trace) = result.report.outcome {
        // Proving replays every symbolic trace concretely before reporting it; so does the harness.
        if case .diverged(let step, let reason) = replay(compiled, trace: trace) {
          outcome = "violated (DOES NOT REPLAY)"
          detail += "; replay diverged at step \(step): \(reason)"
        }
      }
      return row(name, granules: String(n), model: model, compiled: compiled, result, outcome: outcome, detail: detail)
    }
  }

  func inductionRows(granules n: Int, notes: inout [String]) throws -> [[Cell]] {
    let (model, compiled) = try build(try configuration(granules: n, mutant: nil))
    let (properties, lemmas) = try Self.inductionProperties(model)
    let results = try repeated("induction granules=\(n) pes=\(pes) (\(lemmas.count) lemmas)", model: model, notes: &notes) {
      $0.induction(properties: properties, lemmas: lemmas)
    }
    return results.map { result in
      let (outcome, detail) = Self.describe(result.report.outcome, notes: result.report.notes)
      return row("induction", granules: String(n), model: model, compiled: compiled, result, outcome: outcome, detail: detail)
    }
  }

  static func inductionProperties(_ model: Model) throws -> (properties: [Int], lemmas: [Int]) {
    guard let p = model.properties.firstIndex(where: { $0.name == CCA.PropertyName.hypNoRealmRead }) else {
      throw BenchFailure("the model has no property \(CCA.PropertyName.hypNoRealmRead)")
    }
    return ([p], model.properties.indices.filter { model.properties[$0].kind == .lemma })
  }

  /// A configuration of the model, or `atomic` with a feature, whose name or documentation
  /// mentions "parametric", if any.
  static func parametricConfiguration() -> Configuration? {
    let family = CCA.family
    if let c = family.configurations.first(where: {
      $0.name.lowercased().contains("parametric")
        || (family.configurationDocs[$0.name] ?? "").lowercased().contains("parametric")
    }) {
      return c
    }
    if let feature = family.featureDocs.first(where: {
      $0.key.rawValue.lowercased().contains("parametric") || $0.value.lowercased().contains("parametric")
    })?.key, var c = family.configuration(named: "atomic") {
      c.features.insert(feature)
      return c
    }
    return nil
  }

  func parametricRows(notes: inout [String]) throws -> [[Cell]] {
    if var configuration = Self.parametricConfiguration() {
      configuration.bounds[CCA.Bound.pes] = pes
      let (model, compiled) = try build(configuration)
      let (properties, lemmas) = try Self.inductionProperties(model)
      notes.append("parametric: configuration \(configuration), Granule uninterpreted")
      let results = try repeated("parametric induction, \(configuration)", model: model, parametric: true, notes: &notes) {
        $0.induction(properties: properties, lemmas: lemmas)
      }
      return results.map { result in
        let (outcome, detail) = Self.describe(result.report.outcome, notes: result.report.notes)
        return row(
          "parametric", granules: "any", model: model, compiled: compiled, parametric: ["Granule"], result,
          outcome: outcome, detail: detail + " [\(result.report.scope)]")
      }
    }
    // No parametric configuration: say so, and what the encoder says about the atomic one.
    let (model, compiled) = try build(try configuration(granules: 2, mutant: nil))
    var reason = "the model offers no configuration or feature mentioning 'parametric'"
    do {
      _ = try SymbolicChecker(model: model, options: SymbolicOptions(parametricSorts: ["Granule"], timeout: timeout))
    } catch {
      notes.append("parametric: \(reason); the atomic configuration with Granule uninterpreted does not encode: \(error)")
      return [[.text("parametric"), .none, .text("any"), .none, .none, .none, .none, .none, .none, .none, .text("n/a"), .text("not offered")]]
    }
    guard parametricAnyway else {
      notes.append("parametric: \(reason); the atomic configuration encodes with Granule uninterpreted (--parametric-anyway runs it)")
      return [[.text("parametric"), .none, .text("any"), .none, .none, .none, .none, .none, .none, .none, .text("n/a"), .text("not offered")]]
    }
    reason += "; --parametric-anyway ran the atomic configuration (pes=\(pes)) with Granule uninterpreted"
    notes.append("parametric: \(reason)")
    let (properties, lemmas) = try Self.inductionProperties(model)
    let results = try repeated("parametric induction on atomic (not a parametric configuration)", model: model, parametric: true, notes: &notes) {
      $0.induction(properties: properties, lemmas: lemmas)
    }
    return results.map { result in
      let (outcome, detail) = Self.describe(result.report.outcome, notes: result.report.notes)
      return row(
        "parametric (atomic, unofficial)", granules: "any", model: model, compiled: compiled, parametric: ["Granule"], result,
        outcome: outcome, detail: detail + " [\(result.report.scope)]")
    }
  }

  /// The outcome's name and a one-line detail.
  static func describe(_ outcome: SymbolicOutcome, notes: [String] = []) -> (String, String) {
    var result: (String, String)
    switch outcome {
    case .proved: result = ("proved", "")
    case .violated(let trace):
      result = ("violated", "\(trace.steps.count) steps: \(trace.steps.map(\.action).joined(separator: ", ")) -> \(trace.property ?? "?")")
    case .cti(let cti):
      result = ("cti", "\(cti.action)(\(cti.arguments.joined(separator: ", "))) breaks \(cti.failing.joined(separator: ", "))")
    case .holdsBounded(let depth): result = ("holds-bounded", "depth \(depth)")
    case .unknown(let reason): result = ("unknown", reason)
    }
    if !notes.isEmpty { result.1 += (result.1.isEmpty ? "" : "; ") + notes.joined(separator: "; ") }
    return result
  }
}
