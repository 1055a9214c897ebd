import CCAModel
import Explore
import Spec
import Testing
import _TestSupport

@testable import Mutation

@Suite("Mutation: generation")
struct MutantGenerationTests {
  @Test("Die-hard: every operator yields the hand-counted mutants with stable ids")
  func dieHardCounts() throws {
    let model = dieHardModel()
    let mutants = MutantGenerator.mutants(of: model)
    let failures = model.actions.map(\.failures.count).reduce(0, +)
    let pairs = model.actions.map { max($0.failures.count - 1, 0) }.reduce(0, +)
    let effects = model.actions.map(\.effects.count).reduce(0, +)
    let byOperator = Dictionary(grouping: mutants, by: \.mutationOperator).mapValues(\.count)
    #expect(byOperator[.dropFailure] == failures)
    #expect(byOperator[.swapFailures, default: 0] == pairs)
    #expect(byOperator[.dropEffect] == effects)
    #expect(byOperator[.failureEffect] == model.actions.map { $0.failures.isEmpty ? 0 : $0.effects.count }.reduce(0, +))
    let every = MutantGenerator.mutants(of: model, operators: [.failureEffect], everyFailure: true)
    #expect(every.count == model.actions.map { $0.failures.count * $0.effects.count }.reduce(0, +))
    #expect(Set(mutants.map(\.id)).count == mutants.count, "ids are unique")
    // Stable: generating again gives the same ids in the same order.
    #expect(MutantGenerator.mutants(of: model).map(\.id) == mutants.map(\.id))
    let first = try #require(mutants.first { $0.mutationOperator == .dropFailure })
    #expect(first.id == "drop-failure/\(model.actions[0].name)/0")
    #expect(first.diff.first?.hasPrefix("- failure 0 ") == true)
  }

  @Test("replace-value samples the first and last other values of the domain")
  func replaceValueSample() {
    let model = buildModel { b in
      let x = b.variable("x", .range(0, 7), initial: 0)
      b.action("set", by: "env") { a in a.set(x, to: 3) }
    }
    let ids = MutantGenerator.mutants(of: model, operators: [.replaceValue]).map(\.id)
    #expect(ids == ["replace-value/set/0=0", "replace-value/set/0=7"])
    let three = MutantGenerator.mutants(of: model, operators: [.replaceValue], valueSample: 3).map(\.id)
    #expect(three == ["replace-value/set/0=0", "replace-value/set/0=4", "replace-value/set/0=7"])
  }

  @Test("A mutant changes only its action and names itself in the configuration")
  func applyChangesOneAction() throws {
    let model = errorPathModel(buggy: false)
    let mutant = try #require(
      MutantGenerator.mutants(of: model, operators: [.failureEffect], everyFailure: true).first {
        $0.id == "failure-effect/acquire/0+1"
      })
    let mutated = mutant.apply(to: model)
    #expect(mutated.configuration.mutant == "ir:failure-effect/acquire/0+1")
    #expect(mutated.actions[1] == model.actions[1])
    #expect(mutated.actions[0].failures[0].effects == [model.actions[0].effects[1]])
    try mutated.validate()
  }
}

@Suite("Mutation: analysis")
struct MutationAnalysisTests {
  @Test("The error-path lock: failure-effect mutants are killed or triaged, with replaying traces")
  func errorPathLock() throws {
    let model = errorPathModel(buggy: false)
    let mutants = MutantGenerator.mutants(of: model, everyFailure: true)
    let report = try analyseMutants(model, mutants: mutants, options: MutationOptions(engine: .bfs, workers: 2))
    #expect(report.results.count == mutants.count)
    #expect(report.baseline.complete)
    // The bug errorPathModel(buggy: true) hand-writes is one of the generated mutants, and it dies.
    let bug = try #require(report.results.first { $0.mutant.id == "failure-effect/acquire/0+1" })
    #expect(bug.verdict == .killed)
    #expect(bug.property == "no-three")
    #expect(bug.trace?.steps.count == 2)
    // Every survivor is triaged: this small model is explored completely.
    for r in report.survivors {
      switch r.triage {
      case .equivalent?, .propertyGap?, .subsumed?: break
      default: Issue.record("\(r.mutant.id) not triaged: \(String(describing: r.triage))")
      }
    }
    // Dropping reserved lets acquire(_, 3) through: killed. Dropping release's only effect
    // leaves the lock held for ever: fewer behaviours, every state one the correct lock
    // reaches, only release's result differs (it returns success without freeing).
    #expect(report.results.first { $0.mutant.id == "drop-failure/acquire/1" }?.verdict == .killed)
    let held = try #require(report.results.first { $0.mutant.id == "drop-effect/release/0" })
    #expect(held.verdict == .survived)
    guard case .subsumed(_, let d)? = held.triage else {
      Issue.record("expected results only, got \(String(describing: held.triage))")
      return
    }
    #expect(d.prefix.steps.count == 1)
    #expect(d.action == "release")
    #expect(report.total.score.map { $0 > 0 && $0 < 1 } == true)
  }

  @Test("A property gap: a mutant reaches a new state no property forbids, with a shortest trace to it")
  func propertyGap() throws {
    let model = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 0)
      b.action("inc", by: "env") { a in
        a.fail("at_max", error: "FULL", code: 1, when: x.value.eq(2))
        a.set(x, to: .ite(x.value.lt(3), then: x.value + 1, else: x.value))
      }
      b.invariant("in-range", x.value.le(3))
    }
    let mutants = MutantGenerator.mutants(of: model, operators: [.dropFailure])
    let report = try analyseMutants(model, mutants: mutants, options: MutationOptions(workers: 1))
    let r = try #require(report.results.first)
    #expect(r.verdict == .survived)
    guard case .propertyGap(let escape, let d)? = r.triage else {
      Issue.record("expected a property gap, got \(String(describing: r.triage))")
      return
    }
    #expect(escape.steps.count == 3)
    #expect(escape.states.last == [3])
    #expect(d.prefix.steps.count == 2)
    #expect(report.markdown.contains("never reaches"))
  }

  @Test("Equivalent mutants are recognised: swapping two conditions that never hold together")
  func equivalentSwap() throws {
    let model = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 0)
      b.action("step", by: "env") { a in
        a.fail("is_three", error: "A", code: 1, when: x.value.eq(3))
        a.fail("is_two", error: "B", code: 2, when: x.value.eq(2))
        a.set(x, to: x.value + 1)
      }
      b.invariant("small", x.value.le(3))
    }
    let mutants = MutantGenerator.mutants(of: model, operators: [.swapFailures])
    let report = try analyseMutants(model, mutants: mutants, options: MutationOptions(workers: 1))
    let r = try #require(report.results.first)
    #expect(r.verdict == .survived)
    guard case .equivalent(let states, _, let modulo)? = r.triage else {
      Issue.record("expected equivalent, got \(String(describing: r.triage))")
      return
    }
    #expect(states == 3)
    #expect(modulo.isEmpty)
    #expect(!MutationReport.triageText(r.triage).contains("unobservable"))
    #expect(report.total.scoreAfterTriage == nil)
  }

  /// A verdict reached up to the model's unobservable cells says so, naming each declaration; one reached on raw
  /// states names none.
  @Test("An equivalent verdict names the unobservable cells it was reached up to, and only when it needed them")
  func equivalentModuloUnobservable() throws {
    let model = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 0)
      let flag = b.variable("flag", .range(0, 1), initial: 0)
      let junk = b.variable("junk", .range(0, 1), initial: 0)
      b.action("step", by: "env") { a in
        a.fail("is_three", error: "A", code: 1, when: x.value.eq(3))
        a.fail("is_two", error: "B", code: 2, when: x.value.eq(2))
        a.set(x, to: x.value + 1)
      }
      b.action("scribble", by: "env") { a in a.set(junk, to: 0) }
      b.invariant("small", x.value.le(3))
      b.unobservable(junk, while: flag, equals: 0, canonical: 0, reason: "nothing reads junk while flag is 0")
    }
    func modulo(_ operators: [MutationOperator], _ action: String) throws -> [String]? {
      let mutants = MutantGenerator.mutants(of: model, operators: operators, actions: [action])
      let report = try analyseMutants(model, mutants: mutants, options: MutationOptions(workers: 1))
      let r = try #require(report.results.first)
      guard case .equivalent(_, _, let modulo)? = r.triage else {
        Issue.record("expected equivalent, got \(String(describing: r.triage))")
        return nil
      }
      if !modulo.isEmpty {
        #expect(
          MutationReport.triageText(r.triage).contains(
            "up to the cells the model declares unobservable (junk while flag = 0)"))
      }
      return modulo
    }
    // scribble writes 1 to the junk nobody reads: equivalent only up to the declaration.
    #expect(try modulo([.replaceValue], "scribble") == ["junk while flag = 0"])
    // The swapped checks never hold together: equivalent on raw states, no declaration named.
    #expect(try modulo([.swapFailures], "step") == [])
  }

  @Test("A model whose properties fail cannot be analysed")
  func baselineFails() {
    #expect(throws: MutationError.self) {
      try analyseMutants(dieHardModel(), mutants: [], options: MutationOptions(workers: 1))
    }
  }

  @Test("The reports render every survivor and the scores")
  func renderings() throws {
    let model = errorPathModel(buggy: false)
    let report = try analyseMutants(
      model, mutants: MutantGenerator.mutants(of: model, operators: [.dropEffect]), options: MutationOptions(workers: 1)
    )
    #expect(report.markdown.contains("## Survivors"))
    for r in report.survivors { #expect(report.markdown.contains(r.mutant.id)) }
    #expect(report.json.contains("\"perAction\""))
    #expect(report.text.contains("mutation score"))
  }
}

/// The CI slice on the CCA model: one configuration, a few operators, bounded depth.
@Suite("Mutation: CCA slice")
struct CCAMutationSliceTests {
  @Test(
    "atomic, drop-failure and drop-effect on the GTSI delegate calls, depth 4: killed mutants replay, survivors are triaged"
  )
  func atomicSlice() throws {
    let model = try CCA.family.build(try #require(CCA.family.configuration(named: "atomic")))
    let actions = model.actions.map(\.name).filter { $0.contains("DELEGATE") }
    #expect(!actions.isEmpty)
    let mutants = MutantGenerator.mutants(of: model, operators: [.dropFailure, .dropEffect], actions: actions)
    #expect(!mutants.isEmpty)
    let report = try analyseMutants(
      model, mutants: mutants, options: MutationOptions(maxDepth: 4, budget: 120, workers: 2))
    print(report.text)
    #expect(report.results.count == mutants.count)
    let compiled = try mutants.map { try CompiledModel($0.apply(to: model)) }
    for (r, c) in zip(report.results, compiled) where r.verdict == .killed {
      let trace = try #require(r.trace)
      #expect(replay(c, trace: trace) == .exact, "\(r.mutant.id)")
    }
    #expect(report.total.killed > 0)
    for r in report.survivors { #expect(r.triage != nil, "\(r.mutant.id)") }
    // Survivors shown equivalent by Z3 or settled without running (pruned) must be ones the
    // full run (mutant run, comparison) finds equivalent too.
    let settled = report.survivors.filter {
      switch $0.triage {
      case .provedEquivalent?, .unexercised?: return true
      default: return false
      }
    }.map(\.mutant)
    #expect(!settled.isEmpty, "the slice has mutants Z3 shows equivalent (duplicated gptTLB writes)")
    var full = MutationOptions(maxDepth: 4, budget: 120, workers: 2)
    full.prune = false
    full.stepEquivalence = false
    for r in try analyseMutants(model, mutants: settled, options: full).results {
      #expect(r.verdict == .survived, "\(r.mutant.id)")
      guard case .equivalent? = r.triage else {
        Issue.record("\(r.mutant.id) settled as equivalent, but the comparison says \(String(describing: r.triage))")
        continue
      }
    }
  }
}
