import Spec
import Testing
import _TestSupport

@testable import Mutation

/// A three-step unmap written the way models write multi-step operations: a program counter `pc` (IDLE, CLEAR, TLBI)
/// moved on by one action per step.
///
/// `access` fills a translation cache while the page is mapped; the unmap clears the mapping, then invalidates the
/// cache. The property: outside a sequence, nothing cached is unmapped.
private func unmapModel() -> Model {
  buildModel { b in
    let steps = FiniteSet("Step", [("IDLE", 0), ("CLEAR", 1), ("TLBI", 2)])
    let pc = b.variable("pc", .finite(steps), initial: .literal(0))
    let mapped = b.variable("mapped", .bool, initial: .boolean(true))
    let cached = b.variable("cached", .bool, initial: .boolean(false))
    b.action("access", by: "device") { a in
      a.requires(mapped.value)
      a.set(cached, to: .boolean(true))
    }
    b.action("unmap", by: "rmm") { a in
      a.requires(pc.value.eq(.literal(0)) && mapped.value)
      a.set(pc, to: .literal(1))
    }
    b.action("clear", by: "rmm") { a in
      a.requires(pc.value.eq(.literal(1)))
      a.set(mapped, to: .boolean(false))
      a.set(pc, to: .literal(2))
    }
    b.action("tlbi", by: "rmm") { a in
      a.requires(pc.value.eq(.literal(2)))
      a.set(cached, to: .boolean(false))
      a.set(pc, to: .literal(0))
    }
    b.invariant("no-stale-translation", pc.value.ne(.literal(0)) || !cached.value || mapped.value)
  }
}

@Suite("Mutation: sequence steps")
struct StepMutationTests {
  @Test("The step graph finds the program counter's edges and leaves its idle value alone")
  func stepGraph() {
    let model = unmapModel()
    let graph = StepGraph(model)
    let edges = graph.edges.map { "\(model.actions[$0.action].name):\($0.from)->\($0.to)" }
    #expect(edges == ["unmap:0->1", "clear:1->2", "tlbi:2->0"])
    #expect(graph.isStep(1, of: graph.edges[0].variable))
    #expect(!graph.isStep(0, of: graph.edges[0].variable))
  }

  @Test("drop-step skips each step once; swap-steps swaps the one straight run of two steps")
  func generated() throws {
    let model = unmapModel()
    let drops = MutantGenerator.mutants(of: model, operators: [.dropStep])
    #expect(drops.map(\.id) == ["drop-step/unmap/0-skips-1", "drop-step/clear/1-skips-2"])
    let skipTLBI = try #require(drops.last)
    #expect(skipTLBI.summary == "skips step TLBI (tlbi): goes from CLEAR to IDLE")
    #expect(skipTLBI.diff.count == 2)
    let swaps = MutantGenerator.mutants(of: model, operators: [.swapSteps])
    #expect(swaps.map(\.id) == ["swap-steps/unmap/0-1-2"])
    let swap = try #require(swaps.first)
    #expect(swap.companions.map(\.name) == ["clear", "tlbi"])
    let mutated = swap.apply(to: model)
    try mutated.validate()
    // unmap -> TLBI first, tlbi -> CLEAR, clear -> IDLE; access is untouched.
    #expect(mutated.actions[0] == model.actions[0])
    #expect(mutated.actions[1].effects.last == .assign(pc(model), keys: [], value: .literal(2), when: .boolean(true)))
    #expect(mutated.actions[3].effects.last == .assign(pc(model), keys: [], value: .literal(1), when: .boolean(true)))
    #expect(mutated.actions[2].effects.last == .assign(pc(model), keys: [], value: .literal(0), when: .boolean(true)))
    // Restricting to other actions generates none.
    #expect(MutantGenerator.mutants(of: model, operators: [.dropStep, .swapSteps], actions: ["access"]).isEmpty)
  }

  @Test("A skipped invalidation and a swapped one are killed by the property, with replaying traces")
  func killed() throws {
    let model = unmapModel()
    let mutants = MutantGenerator.mutants(of: model, operators: [.dropStep, .swapSteps])
    let report = try analyseMutants(model, mutants: mutants, options: MutationOptions(engine: .bfs, workers: 1))
    #expect(report.baseline.complete)
    let skip = try #require(report.results.first { $0.mutant.id == "drop-step/clear/1-skips-2" })
    #expect(skip.verdict == .killed)
    #expect(skip.property == "no-stale-translation")
    // access and unmap in either order, then clear (skipping the TLBI): three steps.
    #expect(skip.trace?.steps.count == 3)
    #expect(skip.trace?.steps.last?.action == "clear")
    let swap = try #require(report.results.first { $0.mutant.id == "swap-steps/unmap/0-1-2" })
    #expect(swap.verdict == .killed)
    // unmap, tlbi (first), access (refills), clear: the cache outlives the mapping.
    #expect(swap.trace?.steps.map(\.action) == ["unmap", "tlbi", "access", "clear"])
    // Skipping CLEAR (unmap goes straight to the TLBI) never unmaps: fewer behaviours, no
    // property broken.
    #expect(report.results.first { $0.mutant.id == "drop-step/unmap/0-skips-1" }?.verdict == .survived)
  }

  private func pc(_ model: Model) -> VariableID {
    StepGraph(model).edges[0].variable
  }
}

@Suite("Mutation: guards besides the properties")
struct MutationGuardTests {
  @Test("A guard's kills are counted apart: properties only, both, guards only, neither, not judged")
  func catchment() throws {
    let model = unmapModel()
    let mutants = MutantGenerator.mutants(of: model, operators: [.dropStep, .swapSteps, .dropEffect])
    var options = MutationOptions(engine: .bfs, workers: 1)
    // A stand-in for a conformance suite: it sees every dropped effect on `mapped` and cannot
    // judge swaps.
    options.guards = [
      MutationGuard(name: "toy") { m in
        if m.mutationOperator == .swapSteps { return .notApplicable("not here") }
        return m.summary.contains("mapped") ? .kills("saw it") : .passes
      }
    ]
    let report = try analyseMutants(model, mutants: mutants, options: options)
    let byID = Dictionary(uniqueKeysWithValues: report.results.map { ($0.mutant.id, $0) })
    #expect(byID["drop-step/clear/1-skips-2"]?.catchment == .propertiesOnly)
    #expect(byID["swap-steps/unmap/0-1-2"]?.catchment == nil, "not judged")
    // Dropping clear's write of `mapped` leaves the page mapped: no property breaks, the guard sees it.
    let mappedDrop = try #require(report.results.first { $0.mutant.summary == "drops the effect on mapped" })
    #expect(mappedDrop.verdict == .survived)
    #expect(mappedDrop.catchment == .guardsOnly)
    #expect(mappedDrop.triage == nil, "a survivor a guard kills is not triaged")
    #expect(report.total.guardsOnly >= 1)
    #expect(report.text.contains("by the guards only"))
    #expect(report.json.contains("\"catchment\""))
    let t = report.total
    #expect(t.scoreWithGuards.map { $0 > (t.scoreAfterTriage ?? 0) } == true)
  }
}
