import CCAModel
import Explore
import Spec
import Testing
import Traces

/// Real counterexamples of the CCA model and a small model with instance lanes, shared by the
/// Traces tests.
enum Fixtures {
  /// A model, its compiled form and a counterexample.
  struct Counterexample {
    let model: Model
    let compiled: CompiledModel
    let trace: Trace
  }

  /// The BFS counterexample of a mutant in a named configuration (shortest, deterministic).
  static func bfs(_ mutant: String, configuration: String = "atomic", property: String? = nil) throws -> Counterexample
  {
    var config = try #require(CCA.family.configuration(named: configuration))
    config.mutant = mutant
    let model = try CCA.family.build(config)
    let compiled = try CompiledModel(model)
    var options = ExploreOptions(mode: .bfs, workers: 1)
    if let property { options.properties = [try #require(model.properties.firstIndex { $0.name == property })] }
    let report = explore(compiled, options: options)
    let trace = try #require(report.trace, "\(mutant) in \(configuration) should be caught")
    return Counterexample(model: model, compiled: compiled, trace: trace)
  }

  /// The shrunk random-walk counterexample of `gpt-word-unlocked` in the standard (fine)
  /// configuration: ten steps over three lanes (hypervisor, RMM, EL3).
  static func fineMode() throws -> Counterexample {
    var config = try #require(CCA.family.configuration(named: "standard"))
    config.mutant = "gpt-word-unlocked"
    let model = try CCA.family.build(config)
    let compiled = try CompiledModel(model)
    var options = ExploreOptions(mode: .random, seed: 1, walks: 200, walkLength: 300, workers: 1)
    options.shrink = true
    let trace = try #require(explore(compiled, options: options).trace)
    return Counterexample(model: model, compiled: compiled, trace: trace)
  }

  /// A bank with two realms' accounts.
  ///
  /// The host (party `hypervisor`) moves money by RMI-like commands the `RMM` handles, each realm
  /// spends its own (`RSI_SPEND`, also handled by the `RMM`) and gives granules away (party
  /// `realm`): the model's own ``ABIDescription`` says so, which is where its lanes come from.
  /// The invariant `no-overdraft` fails once two units are spent.
  static func bank() -> Model {
    let realm = Domain.index(IndexSort("Realm", count: 2))
    let granule = Domain.index(IndexSort("Granule", count: 2))
    let b = ModelBuilder(name: "bank", configuration: Configuration(name: "two-realms", bounds: [:]))
    let balance = b.map("balance", keys: [realm], .range(0, 3), doc: "each realm's balance") { _ in 1 }
    let owner = b.map("owner", keys: [granule], .index(IndexSort("Realm", count: 2)), doc: "granule owner") { _ in 0 }
    let spent = b.variable("spent", .range(0, 3), doc: "total spent", initial: 0)
    let hypervisor = b.party("hypervisor")
    let realmParty = b.party("realm")
    let rmm = b.party("RMM")
    b.abi.interfaces = [
      ABIDescription.Interface(
        name: "RMI", caller: hypervisor, handler: rmm, functions: [ABIDescription.NamedValue("RMI_DEPOSIT", 1)]),
      ABIDescription.Interface(
        name: "RSI", caller: realmParty, handler: rmm, functions: [ABIDescription.NamedValue("RSI_SPEND", 2)]),
    ]
    b.abi.primarySort = "Granule"
    b.action("RMI_DEPOSIT", by: rmm, parameters: [Parameter("realm", realm)]) { a in
      a.fail("full", error: "RMI_ERROR_INPUT", code: 1, when: balance[a.arg("realm")].eq(3))
      a.set(balance, [a.arg("realm")], to: balance[a.arg("realm")] + 1)
    }
    b.action("RSI_SPEND", by: rmm, parameters: [Parameter("realm", realm)]) { a in
      a.fail("broke", error: "RSI_ERROR_INPUT", code: 1, when: balance[a.arg("realm")].eq(0))
      a.set(balance, [a.arg("realm")], to: balance[a.arg("realm")] - 1)
      a.set(spent, to: .ite(spent.value.eq(3), then: 3, else: spent.value + 1))
    }
    b.action("GIVE", by: realmParty, parameters: [Parameter("realm", realm), Parameter("granule", granule)]) { a in
      a.set(owner, [a.arg("granule")], to: a.arg("realm"))
    }
    b.invariant("no-overdraft", doc: "at most one unit is ever spent", spent.value.le(1))
    return b.build()
  }
}
