import Explore
import Spec
import Symbolic
import Synchronization
import Testing
import _TestSupport

func propertyIndex(_ model: Model, _ name: String) throws -> Int {
  try #require(model.properties.firstIndex { $0.name == name })
}

/// Replays a symbolic trace with the concrete engine and checks it matches exactly.
func expectReplays(_ trace: Trace, _ model: Model, sourceLocation: SourceLocation = #_sourceLocation) throws {
  let compiled = try CompiledModel(model)
  let steps = try trace.steps.map { (try #require(model.action(named: $0.action)), $0.arguments) }
  let replayed = try compiled.trace(of: steps)
  #expect(replayed.states == trace.states, sourceLocation: sourceLocation)
  #expect(replayed.steps == trace.steps, sourceLocation: sourceLocation)
}

@Suite("Bounded model checking")
struct BMCTests {
  @Test("finds the shortest Die Hard solution, which the concrete engine replays")
  func dieHardShortest() throws {
    let model = dieHardModel()
    let checker = try SymbolicChecker(model: model)
    let report = checker.bmc(properties: [try propertyIndex(model, "big-not-4")], depth: 9)
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.steps.count == DieHard.shortestViolation)
    #expect(trace.property == "big-not-4")
    try expectReplays(trace, model)
  }

  @Test("reports holds-bounded below the shortest violation")
  func dieHardBelowDepth() throws {
    let model = dieHardModel()
    let report = try SymbolicChecker(model: model).bmc(
      properties: [try propertyIndex(model, "big-not-4")], depth: DieHard.shortestViolation - 1)
    #expect(report.outcome == .holdsBounded(depth: DieHard.shortestViolation - 1))
  }

  @Test("a failing step is part of a trace with its failure condition")
  func countersTrace() throws {
    let model = countersModel(count: 2, maximum: 1)
    let report = try SymbolicChecker(model: model).bmc(properties: [try propertyIndex(model, "not-all-max")], depth: 4)
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.steps.count == Counters.shortestViolation(count: 2, maximum: 1))
    try expectReplays(trace, model)
  }
}

@Suite("Induction")
struct InductionTests {
  @Test("a non-inductive true property gives a CTI, not a violation")
  func ctiWithoutLemma() throws {
    let model = lockstepModel()
    let report = try SymbolicChecker(model: model).induction(
      properties: [try propertyIndex(model, "y-not-15")], lemmas: [])
    guard case .cti(let cti) = report.outcome else {
      Issue.record("expected a CTI, got \(report.outcome)")
      return
    }
    #expect(cti.action == "inc")
    #expect(cti.failing == ["y-not-15"])
    let pre = try #require(cti.pre)
    #expect(pre[1] == 14)
  }

  @Test("the same property with its lemmas is proved")
  func provedWithLemmas() throws {
    let model = lockstepModel()
    let lemmas = [try propertyIndex(model, "x-eq-y"), try propertyIndex(model, "x-le-10")]
    let report = try SymbolicChecker(model: model).induction(
      properties: [try propertyIndex(model, "y-not-15")], lemmas: lemmas)
    #expect(report.outcome == .proved)
    #expect(report.queries >= 2)
  }

  @Test("per-action statistics: each consecution query is announced and timed, also the one that ends the run")
  func perActionStatistics() throws {
    let model = lockstepModel()
    let started = Mutex<[String]>([])
    var options = SymbolicOptions()
    options.queryStarted = { action, index, count in started.withLock { $0.append("\(action) \(index + 1)/\(count)") } }
    let lemmas = [try propertyIndex(model, "x-eq-y"), try propertyIndex(model, "x-le-10")]
    let target = try propertyIndex(model, "y-not-15")
    let proved = try SymbolicChecker(model: model, options: options).induction(properties: [target], lemmas: lemmas)
    #expect(proved.outcome == .proved)
    #expect(proved.actionSeconds.map(\.action) == ["inc"])
    #expect(proved.actionSeconds.allSatisfy { $0.seconds >= 0 })
    #expect(proved.slowestActions(3).count == 1)
    #expect(started.withLock { $0 } == ["inc 1/1"])
    // A CTI ends the run inside the query: that query is counted too.
    let cti = try SymbolicChecker(model: model).induction(properties: [target], lemmas: [])
    guard case .cti = cti.outcome else {
      Issue.record("expected a CTI, got \(cti.outcome)")
      return
    }
    #expect(cti.actionSeconds.map(\.action) == ["inc"])
  }

  @Test("a property false initially is a 0-step violation")
  func falseInitially() throws {
    let b = ModelBuilder(name: "bad-init", configuration: Configuration(name: "t", bounds: [:]))
    let x = b.variable("x", .range(0, 3), initial: 1)
    b.action("noop", by: "env") { a in a.set(x, to: x.value) }
    b.invariant("x-zero", x.value.eq(0))
    let model = b.build()
    let report = try SymbolicChecker(model: model).induction(properties: [0], lemmas: [])
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.steps.isEmpty)
    #expect(trace.states == [[1]])
  }

  @Test("a tiny resource limit gives unknown, never proved")
  func tinyBudget() throws {
    let model = lockstepModel()
    let lemmas = [try propertyIndex(model, "x-eq-y"), try propertyIndex(model, "x-le-10")]
    let checker = try SymbolicChecker(model: model, options: SymbolicOptions(rlimit: 1))
    let report = checker.induction(properties: [try propertyIndex(model, "y-not-15")], lemmas: lemmas)
    guard case .unknown(let reason) = report.outcome else {
      Issue.record("expected unknown, got \(report.outcome)")
      return
    }
    #expect(!reason.isEmpty)
  }

  @Test("k-induction: proves with lemmas, finds the base-case violation of Die Hard")
  func kInduction() throws {
    let lockstep = lockstepModel()
    let lemmas = [try propertyIndex(lockstep, "x-eq-y"), try propertyIndex(lockstep, "x-le-10")]
    let proved = try SymbolicChecker(model: lockstep).kInduction(
      properties: [try propertyIndex(lockstep, "y-not-15")], lemmas: lemmas, k: 3)
    #expect(proved.outcome == .proved)
    let dieHard = dieHardModel()
    let report = try SymbolicChecker(model: dieHard).kInduction(
      properties: [try propertyIndex(dieHard, "big-not-4")], lemmas: [], k: 8)
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.steps.count == DieHard.shortestViolation)
  }
}

@Suite("k-induction soundness")
struct KInductionSoundnessTests {
  /// `x` counts up from 0 to 3; `x-not-3` is violated in three steps.
  ///
  /// The lemma `x-zero` is false after one step, so the step case of 2-induction, which assumes it in two consecutive
  /// states, is unsat: only a base case that checks the lemma keeps this from being `proved`.
  func counterModel() -> Model {
    let b = ModelBuilder(name: "counter", configuration: Configuration(name: "t", bounds: [:]))
    let x = b.variable("x", .range(0, 3), initial: 0)
    b.action("inc", by: "env") { a in
      a.fail("at_max", error: "MAX", code: 1, when: x.value.eq(3))
      a.set(x, to: x.value + 1)
    }
    b.invariant("x-not-3", x.value.ne(3))
    b.lemma("x-zero", x.value.eq(0))
    return b.build()
  }

  @Test("a lemma false at step 1 is never assumed: not proved, and the lemma is named")
  func lemmaFalseAtStepOne() throws {
    let model = counterModel()
    let report = try SymbolicChecker(model: model).kInduction(
      properties: [try propertyIndex(model, "x-not-3")], lemmas: [try propertyIndex(model, "x-zero")], k: 2)
    #expect(report.outcome != .proved)
    guard case .unknown(let reason) = report.outcome else {
      Issue.record("expected unknown (the lemma is false in a reachable state), got \(report.outcome)")
      return
    }
    #expect(reason.contains("x-zero"))
    #expect(reason.contains("1 steps"))
  }

  @Test("the base case reaches the property's violation when k is large enough, and it replays")
  func violationInBase() throws {
    let model = counterModel()
    let report = try SymbolicChecker(model: model).kInduction(
      properties: [try propertyIndex(model, "x-not-3")], lemmas: [], k: 4)
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.steps.count == 3)
    #expect(trace.property == "x-not-3")
    try expectReplays(trace, model)
  }

  /// `arm` takes a 64-bit value once; the one value that sets `x` to 3 is not among the samples.
  ///
  /// Its only successor state is a fixed point, so the step case of 2-induction is unsat: the base case must leave the
  /// sampled parameter free to find the violation.
  @Test("the base case covers a sampled parameter's whole domain, not its samples")
  func sampledParameterInBase() throws {
    let magic: Value = 0x1234_5678_9abc
    let b = ModelBuilder(name: "armed", configuration: Configuration(name: "t", bounds: [:]))
    let x = b.variable("x", .range(0, 3), initial: 0)
    let armed = b.variable("armed", .bool, initial: false)
    b.action("arm", by: "env", parameters: [Parameter("v", .word(bits: 64), samples: [0, 1, 0x1000])]) { a in
      a.fail("armed", error: "ARMED", code: 1, when: armed.value)
      a.set(armed, to: true)
      a.set(x, to: .ite(a.arg("v").eq(.literal(magic)), then: 3, else: 1))
    }
    b.invariant("x-not-3", x.value.ne(3))
    let model = b.build()
    let checker = try SymbolicChecker(model: model)
    // BMC explores the samples only (its traces are real, its bound is a scope): no violation.
    #expect(checker.bmc(properties: [0], depth: 1).outcome == .holdsBounded(depth: 1))
    let report = try SymbolicChecker(model: model).kInduction(properties: [0], lemmas: [], k: 2)
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.steps.first?.arguments == [magic])
    try expectReplays(trace, model)
  }
}

@Suite("Vacuity notes")
struct VacuityTests {
  @Test("an action the invariant never enables is named in the notes of a proof")
  func vacuousAction() throws {
    let b = ModelBuilder(name: "vacuous", configuration: Configuration(name: "t", bounds: [:]))
    let x = b.variable("x", .range(0, 3), initial: 0)
    b.action("step", by: "env") { a in
      a.requires(x.value.lt(2))
      a.set(x, to: x.value + 1)
    }
    b.action("jump", by: "env") { a in
      a.requires(x.value.eq(3))
      a.set(x, to: 0)
    }
    b.invariant("x-le-2", x.value.le(2))
    let model = b.build()
    let report = try SymbolicChecker(model: model).induction(properties: [0], lemmas: [])
    #expect(report.outcome == .proved)
    #expect(report.notes == ["action jump is never enabled in a state satisfying the invariant"])
  }
}

@Suite("Parametric proofs")
struct ParametricTests {
  @Test("a per-granule invariant is proved for any number of granules")
  func provedParametric() throws {
    let model = ownershipModel()
    let checker = try SymbolicChecker(model: model, options: SymbolicOptions(parametricSorts: ["Granule"]))
    let report = checker.induction(properties: [try propertyIndex(model, "flag-iff-owned")], lemmas: [])
    #expect(report.outcome == .proved)
    #expect(report.scope == "parametric (Granule)")
  }

  @Test("the seeded bug gives a parametric CTI on release")
  func ctiParametric() throws {
    let model = ownershipModel(forgetFlag: true)
    let checker = try SymbolicChecker(model: model, options: SymbolicOptions(parametricSorts: ["Granule"]))
    let report = checker.induction(properties: [try propertyIndex(model, "flag-iff-owned")], lemmas: [])
    guard case .cti(let cti) = report.outcome else {
      Issue.record("expected a CTI, got \(report.outcome)")
      return
    }
    #expect(cti.action == "release")
    #expect(cti.pre == nil)
  }

  /// Options for a parametric proof whose quantifiers are instantiated at each query's ground terms.
  func instantiating() -> SymbolicOptions {
    var options = SymbolicOptions(parametricSorts: ["Granule"])
    options.instantiate = true
    return options
  }

  @Test("with instantiation, the per-granule invariant is still proved for any number of granules")
  func provedInstantiated() throws {
    let model = ownershipModel()
    let report = try SymbolicChecker(model: model, options: instantiating())
      .induction(properties: [try propertyIndex(model, "flag-iff-owned")], lemmas: [])
    #expect(report.outcome == .proved)
    #expect(report.scope == "parametric (Granule)")
  }

  @Test("with instantiation, a satisfiable query is unknown (instantiation incomplete), never a CTI or proved")
  func satisfiableInstantiatedIsUnknown() throws {
    let model = ownershipModel(forgetFlag: true)
    let report = try SymbolicChecker(model: model, options: instantiating())
      .induction(properties: [try propertyIndex(model, "flag-iff-owned")], lemmas: [])
    guard case .unknown(let reason) = report.outcome else {
      Issue.record("expected unknown, got \(report.outcome)")
      return
    }
    #expect(reason.contains("release"))
    #expect(reason.contains("instantiation is incomplete"))
  }

  /// Instantiation is incomplete: a true invariant whose step needs a lemma's instance beyond one
  /// round of closure is unknown with it, never a CTI, and proved with the quantifiers kept.
  @Test("with instantiation, a true invariant that needs a deeper instance is unknown, never a CTI")
  func tooWeakInstantiationIsUnknown() throws {
    let model = chainModel()
    let goal = [try propertyIndex(model, "head-marked")]
    let lemmas = [try propertyIndex(model, "marks-follow-links")]
    let instantiated = try SymbolicChecker(model: model, options: instantiating()).induction(
      properties: goal, lemmas: lemmas)
    guard case .unknown(let reason) = instantiated.outcome else {
      Issue.record("expected unknown, got \(instantiated.outcome)")
      return
    }
    #expect(reason.contains("jump"))
    #expect(reason.contains("instantiation is incomplete"))
    let quantified = try SymbolicChecker(model: model, options: SymbolicOptions(parametricSorts: ["Granule"]))
      .induction(properties: goal, lemmas: lemmas)
    #expect(quantified.outcome == .proved)
    let bounded = try SymbolicChecker(model: model).induction(properties: goal, lemmas: lemmas)
    #expect(bounded.outcome == .proved)
  }

  @Test("arithmetic on a parametric sort is refused as unknown, never proved")
  func arithmeticRefused() throws {
    let model = countersModel(count: 3, maximum: 2)
    let b = ModelBuilder(name: "arith", configuration: Configuration(name: "t", bounds: [:]))
    let slot = Domain.index(IndexSort("Slot", count: 4))
    let v = b.variable("v", slot, initial: 0)
    b.action("next", by: "env") { a in a.set(v, to: (v.value + 1) % 4) }
    b.invariant("any", v.value.le(3))
    let arith = b.build()
    _ = model
    let report = try SymbolicChecker(model: arith, options: SymbolicOptions(parametricSorts: ["Slot"]))
      .induction(properties: [0], lemmas: [])
    guard case .unknown(let reason) = report.outcome else {
      Issue.record("expected unknown, got \(report.outcome)")
      return
    }
    #expect(reason.contains("parametric"))
  }
}

@Suite("BMC regressions")
struct BMCRegressionTests {
  /// With exactly 2^k action instances the choice constant once had k bits and the bound
  /// `choice < count` wrapped to `choice < 0`, making every unrolling unsatisfiable: BMC then
  /// reported holds-bounded for a violated property.
  @Test("a power-of-two number of action instances still finds the violation", arguments: [1, 2, 4, 8])
  func powerOfTwoInstances(_ actions: Int) throws {
    let b = ModelBuilder(name: "pow2", configuration: Configuration(name: "t", bounds: [:]))
    let x = b.variable("x", .range(0, 3), initial: 0)
    for i in 0..<actions {
      b.action("a\(i)", by: "env") { a in
        a.fail("full", error: "FULL", code: 1, when: x.value.eq(3))
        a.set(x, to: x.value + 1)
      }
    }
    b.invariant("x-below-2", x.value.lt(2))
    let model = b.build()
    let report = try SymbolicChecker(model: model).bmc(properties: [0], depth: 3)
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation with \(actions) actions, got \(report.outcome)")
      return
    }
    #expect(trace.steps.count == 2)
    try expectReplays(trace, model)
  }
}
