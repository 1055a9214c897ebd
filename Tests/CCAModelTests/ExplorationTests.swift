import CCAModel
import Explore
import Foundation
import Spec
import Testing

/// Exploration of the CCA model with the concrete engine: every mutant is caught, the correct
/// model holds in its standard configurations.
@Suite("Exploration of the CCA model")
struct ExplorationTests {
  static func compiled(_ configuration: String, mutant: String? = nil) throws -> CompiledModel {
    var config = try #require(CCA.family.configuration(named: configuration))
    config.mutant = mutant
    return try CompiledModel(try CCA.family.build(config))
  }

  /// Mutants whose shortest counterexample needs a release-build BFS (8 steps in rmm-rtt).
  static let deepMutants: Set<String> = ["rtt-destroy-ignores-live"]
  /// Mutants whose shortest counterexample from boot (15 steps with two realms) is beyond a BFS
  /// from the initial state: the `Proofs/did-reuse-*` targets find it in 3 steps from the state
  /// `Proofs/start/reuse*.scenario` reaches, and MECCommandTests replays a scripted trace. Likewise
  /// `release-scrub-under-rmm-mecid` (12 steps from boot): `Proofs/mec-lines-*` from
  /// `Proofs/start/mec-lines.scenario`, and MECIDLinesTests replays the trace.
  static let bmcMutants: Set<String> = ["reuse-without-scrub", "release-scrub-under-rmm-mecid"]

  static let mutantProperties: [(String, String)] = CCA.family.mutants.flatMap { mutant in
    mutant.breaks.map { (mutant.name, $0) }
  }

  @Test("BFS finds a violation of each property a mutant claims to break", arguments: mutantProperties)
  func mutantIsCaught(mutant: String, property: String) throws {
    // The shortest violation of these mutants is too deep for a debug-build BFS (RMMTests replays
    // a scripted trace instead).
    if Self.deepMutants.contains(mutant) && !Self.optimized || Self.bmcMutants.contains(mutant) { return }
    let configuration = try #require(CCA.family.mutant(named: mutant)?.configuration)
    let compiled = try Self.compiled(configuration, mutant: mutant)
    let index = try #require(compiled.model.properties.firstIndex { $0.name == property })
    let report = explore(compiled, options: ExploreOptions(mode: .bfs, properties: [index]))
    guard case .violation(let violated, let trace) = report.outcome else {
      Issue.record("\(mutant) in \(configuration): no violation of \(property) (\(report.outcome))")
      return
    }
    #expect(violated == index)
    print(
      "\(mutant) [\(configuration)] violates \(property) after \(trace.steps.count) steps "
        + "(\(report.distinctStates) states, \(String(format: "%.2f", report.elapsed)) s): "
        + trace.steps.map { "\($0.action)\($0.arguments.map { "0x" + String($0, radix: 16) })" }.joined(
          separator: " → "))
  }

  @Test(
    "mutants found in atomic mode are found in fine mode too",
    arguments: ["no-tlbi-on-delegate", "undelegate-without-scrub", "cmo-source-alias-only"])
  func atomicMutantsInFineMode(mutant: String) throws {
    let compiled = try Self.compiled("standard", mutant: mutant)
    let report = explore(compiled, options: ExploreOptions(mode: .bfs))
    let breaks = try #require(CCA.family.mutant(named: mutant)?.breaks)
    guard case .violation(let property, let trace) = report.outcome else {
      Issue.record("\(mutant) in standard: \(report.outcome)")
      return
    }
    let name = compiled.model.properties[property].name
    #expect(breaks.contains(name), "\(mutant) violates \(name), which it does not claim")
    print("\(mutant) [standard] violates \(name) after \(trace.steps.count) steps (\(report.distinctStates) states)")
  }

  @Test(
    "fine-only mutants change nothing in atomic mode",
    arguments: ["undelegate-skips-no-access", "gpt-word-unlocked"])
  func fineOnlyMutantsInAtomicMode(mutant: String) throws {
    let compiled = try Self.compiled("atomic", mutant: mutant)
    let report = explore(compiled, options: ExploreOptions(mode: .bfs))
    #expect(report.outcome == .noViolation && report.complete, "\(report.outcome)")
    #expect(
      report.distinctStates
        == (try explore(Self.compiled("atomic"), options: ExploreOptions(mode: .bfs)).distinctStates))
  }

  /// Whether the tests run optimised: the exhaustive search of `standard` (about 10^6 states)
  /// takes seconds in a release build and minutes in a debug one.
  static var optimized: Bool {
    #if DEBUG
      return ProcessInfo.processInfo.environment["CCA_FULL_BFS"] == "1"
    #else
      return true
    #endif
  }

  static func checkCorrectModel(_ configuration: String) throws {
    let compiled = try Self.compiled(configuration)
    // Every property, lemmas included.
    let report = explore(
      compiled, options: ExploreOptions(mode: .bfs, properties: Array(compiled.model.properties.indices)))
    #expect(report.outcome == .noViolation, "\(report.outcome)")
    #expect(report.complete)
    #expect(report.coverage.neverEnabled.isEmpty, "never enabled: \(report.coverage.neverEnabled)")
    print(
      "\(configuration): \(report.distinctStates) distinct states, depth \(report.maxDepthReached), "
        + "\(String(format: "%.2f", report.elapsed)) s, complete \(report.complete)")
  }

  @Test("the correct model: exhaustive BFS finds no violation", arguments: ["atomic", "fine-1", "atomic-parametric"])
  func correctModelHolds(configuration: String) throws {
    try Self.checkCorrectModel(configuration)
  }

  @Test(
    "the correct model, standard configuration: exhaustive BFS finds no violation",
    .enabled(if: optimized, "debug build: run with -c release or CCA_FULL_BFS=1"))
  func standardHolds() throws {
    try Self.checkCorrectModel("standard")
  }
}
