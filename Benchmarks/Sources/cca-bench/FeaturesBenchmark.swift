import ArgumentParser
import CCAModel
import Explore
import Foundation
import Spec

/// `cca-bench features`: what memory encryption (per-PAS, per-realm with the RMM's MEC) and
/// Device Assignment cost the checkers, each added to the same RMM configuration: depth-bounded
/// BFS (states, transitions, seconds, states/s) and BMC seconds at a small depth, with each
/// variant's ratio to the model without them.
struct FeaturesBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "features",
    abstract: "The cost of MEC and DA: BFS and BMC of one RMM configuration without and with each feature.",
    discussion: """
      Every variant has the bounds of --base (default rmm-small) with --granules overridden, and \
      its features plus one more: none (the base), per-pas, per-realm (MEC, max-mecid 1), da \
      (devices 1) and, when asked for, mecid-lines (per-realm with MECID-tagged cache lines). bfs: every state within --depth steps, all cores, every non-lemma property \
      checked. bmc: SymbolicChecker.bmc of every non-lemma property to --bmc-depth (the correct \
      model: holds-bounded expected). "x none" columns divide by the none row of the same \
      granule count. An exhausted --timeout is reported, never a result.
      """)

  @Option(help: "The RMM configuration the features are added to.") var base = "rmm-small"
  @Option(help: "Comma-separated granule counts (DA's full flow needs 7).") var granules = "4,7"
  @Option(help: "Comma-separated variants: none, per-pas, per-realm, da, s2-tlb, smmu-tlb (needs a --base with da), mecid-lines.")
  var variants = "none,per-pas,per-realm,da"
  @Option(help: "BFS depth bound.") var depth = 5
  @Option(help: "BMC depth bound.") var bmcDepth = 2
  @Option(help: "Comma-separated checks: bfs, bmc.") var checks = "bfs,bmc"
  @Option(help: "Budget per check in seconds.") var timeout: Double = 300
  @OptionGroup var common: CommonOptions

  /// Each variant: the feature it adds and the bounds that feature needs.
  static let catalogue: [(name: String, feature: Configuration.Feature?, bounds: [Configuration.Bound: Int])] = [
    ("none", nil, [:]),
    ("per-pas", CCA.Feature.perPAS, [:]),
    ("per-realm", CCA.Feature.perRealm, [CCA.Bound.maxMECID: 1]),
    ("da", CCA.Feature.da, [CCA.Bound.devices: 1]),
    // Translation caches (Docs/ADR/0008): smmu-tlb needs a --base with da (rmm-da-setup).
    ("s2-tlb", CCA.Feature.s2TLB, [:]),
    ("smmu-tlb", CCA.Feature.smmuTLB, [:]),
    // MECID-tagged lines need per-realm too (build adds it): the cost over the per-realm row.
    ("mecid-lines", CCA.Feature.mecidLines, [CCA.Bound.maxMECID: 1]),
  ]
  static let allChecks = ["bfs", "bmc"]

  func validate() throws {
    guard let c = CCA.family.configuration(named: base), c.has(CCA.Feature.rmm) else {
      throw ValidationError(
        "--base: '\(base)' is not an RMM configuration; valid: \(CCA.family.configurations.filter { $0.has(CCA.Feature.rmm) }.map(\.name).joined(separator: ", "))")
    }
    if !(0...30).contains(depth) { throw ValidationError("--depth must be in 0...30, got \(depth)") }
    if !(0...20).contains(bmcDepth) { throw ValidationError("--bmc-depth must be in 0...20, got \(bmcDepth)") }
    if !(timeout > 0) { throw ValidationError("--timeout must be > 0, got \(timeout)") }
    do { _ = try integerList(granules, name: "--granules", range: 1...64) } catch { throw ValidationError("\(error)") }
    for v in variants.split(separator: ",") where !Self.catalogue.contains(where: { $0.name == v }) {
      throw ValidationError("--variants: unknown variant '\(v)'; valid: \(Self.catalogue.map(\.name).joined(separator: ", "))")
    }
    for c in checks.split(separator: ",") where !Self.allChecks.contains(String(c)) {
      throw ValidationError("--checks: unknown check '\(c)'; valid: \(Self.allChecks.joined(separator: ", "))")
    }
  }

  func run() throws {
    try guarded {
      let selected = Set(checks.split(separator: ",").map(String.init))
      let chosen = Self.catalogue.filter { v in variants.split(separator: ",").contains { $0 == v.name } }
      var bfs = ResultTable(
        title: "Depth-bounded BFS of \(base) with each feature, every state within \(depth) steps, all cores",
        columns: [
          "granules", "variant", "state bits", "actions", "states", "transitions", "seconds", "states/s", "states x none",
          "seconds x none", "outcome",
        ])
      var bmc = ResultTable(
        title: "BMC of \(base) with each feature (every non-lemma property), depth \(bmcDepth)",
        columns: ["granules", "variant", "seconds", "queries", "seconds x none", "outcome", "detail"])
      for g in try integerList(granules, name: "--granules", range: 1...64) {
        var noneStates: Int?
        var noneBFSSeconds: Double?
        var noneBMCSeconds: Double?
        for v in chosen {
          let (model, compiled) = try build(granules: g, variant: v)
          if selected.contains("bfs") {
            progress("features: bfs granules=\(g) \(v.name) depth=\(depth) ...")
            let (report, outcome) = try BoundedRuns.bfs(compiled, depth: depth, timeout: timeout)
            progress(String(format: "  %d states in %.2f s", report.distinctStates, report.elapsed))
            if v.feature == nil {
              noneStates = report.distinctStates
              noneBFSSeconds = report.elapsed
            }
            bfs.append([
              .integer(g), .text(v.name), .integer(compiled.bitsPerState), .integer(model.actions.count),
              .integer(report.distinctStates), .integer(report.transitions), .seconds(report.elapsed),
              .integer(Int(report.statesPerSecond)), Self.ratio(Double(report.distinctStates), noneStates.map(Double.init)),
              Self.ratio(report.elapsed, noneBFSSeconds), .text(outcome),
            ])
          }
          if selected.contains("bmc") {
            progress("features: bmc granules=\(g) \(v.name) depth=\(bmcDepth) ...")
            let (report, outcome, detail) = try BoundedRuns.bmc(model, compiled, depth: bmcDepth, timeout: timeout)
            progress(String(format: "  %.2f s, %@ %@", report.seconds, outcome, detail))
            if v.feature == nil { noneBMCSeconds = report.seconds }
            bmc.append([
              .integer(g), .text(v.name), .seconds(report.seconds), .integer(report.queries),
              Self.ratio(report.seconds, noneBMCSeconds), .text(outcome), .text(detail),
            ])
          }
        }
      }
      bfs.notes.append("variants: the bounds of \(base) with granules overridden; per-realm adds max-mecid=1, da devices=1, mecid-lines per-realm and max-mecid=1")
      bfs.notes.append("x none: this row over the none row of the same granule count (- when none was not run)")
      bmc.notes.append("timeout per check: \(timeout) s; an exhausted budget is unknown, never a result")
      emit(
        [bfs, bmc].filter { !$0.rows.isEmpty }, context: common.context(), command: "features", json: common.json)
    }
  }

  /// `value / reference` to 2 decimals, or `-` without a reference.
  static func ratio(_ value: Double, _ reference: Double?) -> Cell {
    guard let reference, reference > 0 else { return .none }
    return .number(value / reference, decimals: 2)
  }

  func build(granules g: Int, variant: (name: String, feature: Configuration.Feature?, bounds: [Configuration.Bound: Int])) throws -> (Model, CompiledModel) {
    guard var c = CCA.family.configuration(named: base) else { throw BenchFailure("no configuration \(base)") }
    c.name = variant.feature == nil ? base : "\(base)+\(variant.name)"
    c.bounds[CCA.Bound.granules] = g
    c.bounds.merge(variant.bounds) { _, new in new }
    if let f = variant.feature { c.features.insert(f) }
    if variant.feature == CCA.Feature.mecidLines { c.features.insert(CCA.Feature.perRealm) }
    do {
      let model = try CCA.family.build(c)
      return (model, try CompiledModel(model))
    } catch {
      throw BenchFailure("cannot build \(c): \(error)")
    }
  }
}
