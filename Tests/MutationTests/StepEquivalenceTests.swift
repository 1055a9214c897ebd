import Spec
import Symbolic
import Testing
import _TestSupport

@testable import Mutation

/// A counter 0...3 whose increment fails at 2 and at 3 and saturates: only 0, 1 and 2 are
/// reachable, so the `at_three` check never fires on a reachable state.
private func guardedCounter() -> Model {
  buildModel { b in
    let x = b.variable("x", .range(0, 3), initial: 0)
    b.action("inc", by: "env") { a in
      a.fail("at_two", error: "TWO", code: 1, when: x.value.eq(2))
      a.fail("at_three", error: "THREE", code: 2, when: x.value.eq(3))
      a.set(x, to: .ite(x.value.lt(3), then: x.value + 1, else: x.value))
    }
    b.action("reset", by: "env") { a in a.set(x, to: 0) }
    b.invariant("small", x.value.le(3))
  }
}

@Suite("Mutation: Z3 step equivalence")
struct StepEquivalenceTests {
  @Test("Swapping two conditions that never hold together: Z3 shows the step relations equal")
  func swapDisjoint() throws {
    let model = guardedCounter()
    let mutant = try #require(MutantGenerator.mutants(of: model, operators: [.swapFailures]).first)
    let answer = try SymbolicChecker(model: model).stepEquivalence(to: mutant.apply(to: model))
    #expect(answer.equal)
    #expect(answer.actions.map(\.name) == ["inc"], "only the changed action is compared")
  }

  @Test("A dropped check that only unreachable states need: Z3 names such a state, BFS calls it equivalent")
  func unreachableDifference() throws {
    let model = guardedCounter()
    let mutant = try #require(
      MutantGenerator.mutants(of: model, operators: [.dropFailure]).first { $0.id == "drop-failure/inc/1" })
    let answer = try SymbolicChecker(model: model).stepEquivalence(to: mutant.apply(to: model))
    #expect(!answer.equal)
    guard case .differs(let witness)? = answer.actions.first?.answer else {
      Issue.record("expected a difference, got \(answer.actions)")
      return
    }
    // x = 3: the correct model fails with THREE, the mutant succeeds and stays at 3.
    #expect(witness.pre == [3])
    #expect(witness.aspect == "result")
    // The exhaustive comparison over the reachable states 0...2 finds no difference (run, not
    // pruned: pruning would settle it without the comparison, see UnexercisedMutantTests).
    var options = MutationOptions(workers: 1)
    options.prune = false
    let report = try analyseMutants(model, mutants: [mutant], options: options)
    guard case .equivalent(let states, nil, _)? = report.results.first?.triage else {
      Issue.record(
        "expected equivalent by exhaustive comparison, got \(String(describing: report.results.first?.triage))")
      return
    }
    #expect(states == 3)
  }

  @Test("A dropped effect differs in a reachable state: Z3's witness is a successor difference")
  func droppedEffect() throws {
    let model = guardedCounter()
    let mutant = try #require(
      MutantGenerator.mutants(of: model, operators: [.dropEffect]).first { $0.id == "drop-effect/reset/0" })
    let answer = try SymbolicChecker(model: model).stepEquivalence(to: mutant.apply(to: model))
    guard case .differs(let witness)? = answer.actions.first?.answer else {
      Issue.record("expected a difference, got \(answer.actions)")
      return
    }
    #expect(witness.aspect == "successor")
    #expect(witness.pre != [0], "reset from 0 changes nothing in either model")
  }

  @Test("Depth-bounded triage: Z3 turns 'equivalent within N steps' into 'equivalent at any depth'")
  func boundedTriage() throws {
    let model = guardedCounter()
    let mutants = MutantGenerator.mutants(of: model, operators: [.swapFailures])
    var proving = MutationOptions(maxDepth: 1, workers: 1)
    proving.prune = false
    let report = try analyseMutants(model, mutants: mutants, options: proving)
    let r = try #require(report.results.first)
    #expect(r.verdict == .survived)
    guard case .provedEquivalent(let actions, _)? = r.triage else {
      Issue.record("expected proved equivalent, got \(String(describing: r.triage))")
      return
    }
    #expect(actions == ["inc"])
    #expect(report.total.equivalent == 1)
    #expect(report.markdown.contains("equivalent at any depth"))
    #expect(report.json.contains("z3-step-equivalence"))
    // Without Z3 the same run can only say: no difference within 1 step.
    var options = proving
    options.stepEquivalence = false
    let bounded = try analyseMutants(model, mutants: mutants, options: options)
    guard case .equivalent(_, 1, _)? = bounded.results.first?.triage else {
      Issue.record("expected equivalent within 1 step, got \(String(describing: bounded.results.first?.triage))")
      return
    }
  }

  @Test("Models over other variables are refused")
  func mismatch() throws {
    let other = buildModel { b in
      let y = b.variable("y", .range(0, 1), initial: 0)
      b.action("inc", by: "env") { a in a.set(y, to: 1) }
    }
    #expect(throws: SymbolicError.self) { try SymbolicChecker(model: guardedCounter()).stepEquivalence(to: other) }
  }
}

@Suite("Mutation: mutants the correct model never exercises")
struct UnexercisedMutantTests {
  @Test("A check that never fires first is not run: survived, equivalent, with the reason")
  func pruned() throws {
    let model = guardedCounter()
    let mutant = try #require(
      MutantGenerator.mutants(of: model, operators: [.dropFailure]).first { $0.id == "drop-failure/inc/1" })
    let report = try analyseMutants(model, mutants: [mutant], options: MutationOptions(workers: 1))
    let r = try #require(report.results.first)
    #expect(r.verdict == .survived)
    guard case .unexercised(let reason, let states, nil)? = r.triage else {
      Issue.record("expected unexercised, got \(String(describing: r.triage))")
      return
    }
    #expect(reason == "inc never fails on at_three")
    #expect(states == 3)
    #expect(report.total.equivalent == 1)
    // Dropping the check that does fire (at_two) is run, and is a property gap-free survivor
    // or a kill, never pruned.
    let fired = try #require(
      MutantGenerator.mutants(of: model, operators: [.dropFailure]).first { $0.id == "drop-failure/inc/0" })
    let run = try analyseMutants(model, mutants: [fired], options: MutationOptions(workers: 1))
    if case .unexercised? = run.results.first?.triage { Issue.record("drop-failure/inc/0 changes a step that runs") }
  }

  /// Every mutant pruning settles must be one the full run finds equivalent by comparison, with
  /// the same verdict: pruning is exact, not a guess.
  @Test(
    "Pruning agrees with running the mutant and comparing it, on every mutant of three small models",
    arguments: [0, 1, 2])
  func pruningIsExact(which: Int) throws {
    let model = [guardedCounter(), errorPathModel(buggy: false), stepUnmapModel()][which]
    let mutants = MutantGenerator.mutants(of: model, everyFailure: true)
    for depth in [nil, 2] as [Int?] {
      var full = MutationOptions(maxDepth: depth, workers: 2)
      full.prune = false
      full.stepEquivalence = false
      var pruned = full
      pruned.prune = true
      let a = try analyseMutants(model, mutants: mutants, options: full)
      let b = try analyseMutants(model, mutants: mutants, options: pruned)
      let byID = Dictionary(uniqueKeysWithValues: a.results.map { ($0.mutant.id, $0) })
      var count = 0
      for r in b.results {
        guard case .unexercised? = r.triage else { continue }
        count += 1
        let ran = try #require(byID[r.mutant.id])
        #expect(ran.verdict == .survived, "\(r.mutant.id) at depth \(String(describing: depth))")
        guard case .equivalent? = ran.triage else {
          Issue.record("\(r.mutant.id) pruned but the comparison says \(String(describing: ran.triage))")
          continue
        }
      }
      print(
        "pruning: model \(model.name), depth \(String(describing: depth)): \(count) of \(mutants.count) mutants pruned")
    }
  }
}

/// A three-step unmap (unmap, TLBI, done) over one page, with a stale-TLB property: a model with
/// a program counter whose later steps need earlier ones, so some mutants change parts that run
/// only deep in a trace.
private func stepUnmapModel() -> Model {
  buildModel { b in
    let mapped = b.variable("mapped", .range(0, 1), initial: 1)
    let tlb = b.variable("tlb", .range(0, 1), initial: 1)
    let pc = b.variable("pc", .range(0, 3), initial: 0)
    b.action("unmap", by: "host") { a in
      a.requires(pc.value.eq(0))
      a.fail("not_mapped", error: "NOT_MAPPED", code: 1, when: mapped.value.eq(0))
      a.set(mapped, to: 0)
      a.set(pc, to: 1)
    }
    b.action("tlbi", by: "hw") { a in
      a.requires(pc.value.eq(1))
      a.set(tlb, to: 0)
      a.set(pc, to: 2)
    }
    b.action("done", by: "hw") { a in
      a.requires(pc.value.eq(2))
      a.set(pc, to: 0)
    }
    b.action("map", by: "host") { a in
      a.requires(pc.value.eq(0))
      a.fail("already", error: "MAPPED", code: 2, when: mapped.value.eq(1))
      a.set(mapped, to: 1)
      a.set(tlb, to: 1)
    }
    b.invariant("no-stale-tlb", pc.value.eq(0).implies(tlb.value.le(mapped.value)))
  }
}
