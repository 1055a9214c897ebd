import CCAModel
import Explore
import Spec
import Testing

/// Symmetry reduction over PEs (``ExploreOptions/symmetricSorts``) on the CCA model: the
/// declaration is checked on a prefix of the state space, and BFS must reach the same verdict,
/// with a trace as long, with and without it, for the correct model and for every mutant of the
/// configuration.
@Suite("PE symmetry on the CCA model")
struct PESymmetryTests {
  static func compiled(_ configuration: String, mutant: String? = nil) throws -> CompiledModel {
    var config = try #require(CCA.family.configuration(named: configuration))
    config.mutant = mutant
    return try CompiledModel(try CCA.family.build(config))
  }

  /// The verdict of BFS on one property set, as text: the property and the trace's length.
  static func verdict(_ compiled: CompiledModel, properties: [Int]?, symmetric: Bool) -> (String, Int) {
    var options = ExploreOptions(mode: .bfs, workers: 1, properties: properties)
    if symmetric { options.symmetricSorts = ["PE"] }
    let report = explore(compiled, options: options)
    switch report.outcome {
    case .noViolation: return ("no violation, complete \(report.complete)", report.distinctStates)
    case .violation(let p, let trace): return ("violates \(compiled.model.properties[p].name)", trace.steps.count)
    case .modelError(let m): return ("error \(m)", 0)
    }
  }

  static let atomicMutants: [(String, String)] = CCA.family.mutants.filter { $0.configuration == "atomic" }.flatMap {
    mutant in mutant.breaks.map { (mutant.name, $0) }
  }

  @Test("atomic: the PE declaration passes the check; the correct model's states fall to the orbits")
  func correctModel() throws {
    let compiled = try Self.compiled("atomic")
    #expect(try compiled.symmetryViolation(sorts: ["PE"], maxStates: 40) == nil)
    let plain = Self.verdict(compiled, properties: nil, symmetric: false)
    let reduced = Self.verdict(compiled, properties: nil, symmetric: true)
    #expect(plain.0 == "no violation, complete true" && reduced.0 == plain.0)
    // Two PEs: at least half of the states, fewer than all (the initial state is symmetric).
    #expect(reduced.1 * 2 >= plain.1 && reduced.1 < plain.1)
  }

  @Test(
    "atomic mutants: the same violation, with a trace as short, with and without PE symmetry", arguments: atomicMutants)
  func mutants(mutant: String, property: String) throws {
    let compiled = try Self.compiled("atomic", mutant: mutant)
    let properties = compiled.model.properties.indices.filter { compiled.model.properties[$0].name == property }
    let plain = Self.verdict(compiled, properties: properties, symmetric: false)
    let reduced = Self.verdict(compiled, properties: properties, symmetric: true)
    #expect(plain.0 == "violates \(property)")
    #expect(reduced.0 == plain.0 && reduced.1 == plain.1)
  }
}
