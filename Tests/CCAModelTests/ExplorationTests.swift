import CCAModel
import Explore
import Foundation
import Spec
import Testing

/// Exploration of the CCA model with the concrete engine: mutants are caught (smoke runs; the
/// `Proofs/` targets catch every one), the correct model holds in its standard configurations.
@Suite("Exploration of the CCA model")
struct ExplorationTests {
  static func compiled(_ configuration: String, mutant: String? = nil) throws -> CompiledModel {
    var config = try #require(CCA.family.configuration(named: configuration))
    config.mutant = mutant
    return try CompiledModel(try CCA.family.build(config))
  }

  /// A smoke run of the search against a mutant.
  ///
  /// BFS from boot finds a violation of a property the mutant claims to break. Every mutant × property it claims is a `Proofs/` target expecting
  /// `violated` (ProvingTests' `MutantTargetsTests` checks that the targets exist), and CI runs
  /// every target, so the tests do not run each mutant again.
  @Test("BFS catches a mutant (smoke)", arguments: ["no-tlbi-on-delegate", "undelegate-without-scrub"])
  func mutantIsCaught(mutant: String) throws {
    let declared = try #require(CCA.family.mutant(named: mutant))
    let compiled = try Self.compiled(declared.configuration, mutant: mutant)
    let report = explore(compiled, options: ExploreOptions(mode: .bfs))
    guard case .violation(let violated, let trace) = report.outcome else {
      Issue.record("\(mutant) in \(declared.configuration): no violation (\(report.outcome))")
      return
    }
    let name = compiled.model.properties[violated].name
    #expect(declared.breaks.contains(name), "\(mutant) violates \(name), which it does not claim")
    #expect(replay(compiled, trace: trace) == .exact)
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
