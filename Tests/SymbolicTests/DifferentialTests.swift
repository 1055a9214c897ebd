import CCAModel
import Explore
import Spec
import Symbolic
import Testing
import _TestSupport

/// Random logical states of a model: every value drawn from its domain.
func randomValues(_ model: Model, _ chooser: inout SeededChooser) -> [Value] {
  let layout = model.layout
  var values = [Value](repeating: 0, count: layout.count)
  for position in 0..<layout.count {
    let domain = layout.variables[layout.variable(at: position).index].value
    if let elements = domain.elements {
      values[position] = elements[chooser.choose(below: elements.count)]
    } else if case .word(let bits) = domain {
      let raw = chooser.next()
      values[position] = bits >= 64 ? raw : raw & ((Value(1) << Value(bits)) - 1)
    }
  }
  return values
}

/// Checks that the concrete and the symbolic engine agree on `samples` random (state, action,
/// arguments) triples: enabledness, the first failing condition, and the successor; and on
/// every property in every sampled state.
///
/// `pick`, when given, chooses the action and its arguments instead (to aim at a few actions
/// with arguments beyond their exploration samples).
func expectEnginesAgree(
  _ model: Model, seed: UInt64, samples: Int, pick: ((inout SeededChooser) -> (Int, [Value]))? = nil
) throws {
  print("differential test of \(model.name) (\(model.configuration)): seed \(seed), \(samples) samples")
  let compiled = try CompiledModel(model)
  let checker = try SymbolicChecker(model: model)
  var chooser = SeededChooser(seed: seed)
  var compared = 0
  for _ in 0..<samples {
    let values = randomValues(model, &chooser)
    let state = try compiled.state(fromValues: values)
    for p in model.properties.indices {
      let concrete: Bool
      do { concrete = try compiled.holds(p, in: state) } catch { continue }
      #expect(
        try checker.evaluate(property: p, values: values) == concrete,
        "property \(model.properties[p].name), seed \(seed)")
    }
    let a: Int
    let arguments: [Value]
    if let pick {
      (a, arguments) = pick(&chooser)
    } else {
      a = chooser.choose(below: model.actions.count)
      arguments = model.actions[a].arguments(at: chooser.choose(below: max(model.actions[a].argumentCount, 1)))
    }
    let action = model.actions[a]
    let outcome: StepOutcome
    do {
      outcome = try compiled.step(state, action: a, arguments: arguments)
    } catch {
      continue  // a model runtime error (a key or value outside its domain): no semantics to compare
    }
    let symbolic = try checker.evaluate(values: values, action: a, arguments: arguments)
    let where_ = "\(action.name)\(arguments) from \(values), seed \(seed)"
    // Transition properties: the same rules broken by the step.
    #expect(
      try checker.violatedTransitions(values: values, action: a, arguments: arguments)
        == (try compiled.violatedTransitions(from: state, action: a, arguments: arguments, outcome: outcome)),
      "transition properties: \(where_)")
    switch outcome {
    case .disabled:
      #expect(!symbolic.enabled, "enabled: \(where_)")
    case .failed(let condition, let code, let next):
      #expect(symbolic.enabled, "enabled: \(where_)")
      #expect(symbolic.failedCondition == condition, "first failing condition: \(where_)")
      #expect(symbolic.failedCode == code, "returned value: \(where_)")
      // Unchanged, unless the condition carries effects (a mutant): then the same successor.
      #expect(symbolic.post == (next.map(compiled.values(of:)) ?? values), "successor on failure: \(where_)")
    case .succeeded(let next):
      #expect(symbolic.enabled, "enabled: \(where_)")
      #expect(symbolic.failedCondition == nil, "no failing condition: \(where_)")
      #expect(symbolic.post == compiled.values(of: next), "successor: \(where_)")
      #expect(symbolic.outputs == (try compiled.outputs(state, action: a, arguments: arguments)), "outputs: \(where_)")
    }
    compared += 1
  }
  #expect(compared > samples / 2, "too few comparable samples (\(compared) of \(samples))")
}

@Suite("Differential: concrete and symbolic semantics agree")
struct DifferentialTests {
  @Test(
    "toy models",
    arguments: [
      ("die-hard", dieHardModel()), ("counters", countersModel(count: 3, maximum: 2)),
      ("lockstep", lockstepModel()), ("ownership", ownershipModel()),
      ("ownership-bug", ownershipModel(forgetFlag: true)),
      ("error-path", errorPathModel(buggy: false)), ("error-path-buggy", errorPathModel(buggy: true)),
      ("error-path-frame", errorPathModel(buggy: false, frameRules: true)),
      ("error-path-frame-buggy", errorPathModel(buggy: true, frameRules: true)),
    ])
  func toyModels(_ name: String, _ model: Model) throws {
    try expectEnginesAgree(model, seed: 0xC0FFEE, samples: 200)
  }
}

@Suite("Differential: the CCA model")
struct CCADifferentialTests {
  @Test(
    "concrete and symbolic steps agree on random states",
    arguments: [
      "standard", "atomic", "atomic-4", "atomic-16", "atomic-parametric", "rmm-small", "rmm-rtt", "atomic-per-pas",
      "atomic-per-realm", "rmm-small-per-pas", "rmm-small-parametric",
      "rmm-small-mec", "rmm-reuse-mec", "rmm-reuse-mec-lines", "rmm-blocks", "rmm-blocks-setup", "rmm-da",
      "rmm-da-setup", "rmm-da-mem",
      "rmm-da-mem-setup", "rmm-tlb-setup",
      "rmm-da-iotlb-setup", "rmm-da-iotlb-2-setup", "rmm-da-vdev-setup",
    ])
  func cca(_ configuration: String) throws {
    let family = CCA.family
    let config = try #require(family.configuration(named: configuration))
    try expectEnginesAgree(try family.build(config), seed: 0x5EED, samples: 150)
  }

  @Test("RSI attestation's steps agree, RSI_INCOMPLETE and RSI_SUCCESS included (rmm-small with attest)")
  func attestation() throws {
    var config = try #require(CCA.family.configuration(named: "rmm-small"))
    config.features.insert(CCA.Feature.attest)
    let model = try CCA.family.build(config)
    let initAction = try #require(model.actions.firstIndex { $0.name == "RSI_ATTESTATION_TOKEN_INIT" })
    let continueAction = try #require(model.actions.firstIndex { $0.name == "RSI_ATTESTATION_TOKEN_CONTINUE" })
    let status = try #require(model.actions[continueAction].statusOutput)
    #expect(model.actions[continueAction].outputs[status].name == "x0")
    // CONTINUE with offsets and sizes on both sides of every bound (the token's rest is random).
    let ipas: [Value] = [0, 0x10, 0x1000, 0x8000_0000]
    let offsets: [Value] = [0, 0x10, 0xFFF, 0x1000]
    let sizes: [Value] = [0, 1, 0x100, 0x84C, 0xFF0, 0x1000, ~0]
    try expectEnginesAgree(model, seed: 0xA77E57, samples: 100) { chooser in
      if chooser.choose(below: 4) == 0 { return (initAction, [0] + (1...8).map { _ in chooser.next() }) }
      return (
        continueAction,
        [
          0, ipas[chooser.choose(below: ipas.count)], offsets[chooser.choose(below: offsets.count)],
          sizes[chooser.choose(below: sizes.count)],
        ]
      )
    }
  }

  @Test("every mutant's steps agree too")
  func mutants() throws {
    let family = CCA.family
    for (i, mutant) in family.mutants.enumerated() {
      var config = try #require(family.configuration(named: mutant.configuration))
      config.mutant = mutant.name
      try expectEnginesAgree(try family.build(config), seed: 0x5EED + UInt64(i), samples: 40)
    }
  }
}

@Suite("Error-path effects in the symbolic engine")
struct SymbolicErrorPathTests {
  @Test("BMC finds the buggy lock's 2-step violation through a failed step, and it replays; the correct lock holds")
  func bmcFollowsErrorPaths() throws {
    let buggy = errorPathModel(buggy: true)
    let report = try SymbolicChecker(model: buggy).bmc(properties: [0], depth: 3)
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.steps.count == 2)
    #expect(trace.steps.last?.result == .failure(condition: "busy", error: "BUSY", code: 1))
    #expect(replay(try CompiledModel(buggy), trace: trace) == .exact)
    let correct = try SymbolicChecker(model: errorPathModel(buggy: false)).bmc(properties: [0], depth: 3)
    #expect(correct.outcome == .holdsBounded(depth: 3))
  }

  @Test("Every failed step of the buggy lock agrees between engines, state by state")
  func everyFailedStep() throws {
    let model = errorPathModel(buggy: true)
    let compiled = try CompiledModel(model)
    let checker = try SymbolicChecker(model: model)
    var failedWithEffects = 0
    for held in [Value(0), 1] {
      for v0 in Value(0)...3 {
        for v1 in Value(0)...3 {
          let values = [held, v0, v1, 0]
          let state = try compiled.state(fromValues: values)
          for a in model.actions.indices {
            for t in 0..<model.actions[a].argumentCount {
              let arguments = model.actions[a].arguments(at: t)
              let outcome = try compiled.step(state, action: a, arguments: arguments)
              let symbolic = try checker.evaluate(values: values, action: a, arguments: arguments)
              #expect(
                symbolic.post == compiled.values(of: outcome.successor(of: state)),
                "\(model.actions[a].name)\(arguments) from \(values)")
              if case .failed(_, _, .some) = outcome { failedWithEffects += 1 }
            }
          }
        }
      }
    }
    #expect(failedWithEffects > 0)
  }
}

@Suite("Transition properties in the symbolic engine")
struct SymbolicTransitionPropertyTests {
  @Test("Both engines name the same broken rules on every step of the buggy lock, and some step breaks one")
  func everyStep() throws {
    let model = errorPathModel(buggy: true, frameRules: true)
    let compiled = try CompiledModel(model)
    let checker = try SymbolicChecker(model: model)
    var broken = 0
    for held in [Value(0), 1] {
      for v0 in Value(0)...3 {
        for v1 in Value(0)...3 {
          for epoch in [Value(0), 1] {
            let values = [held, v0, v1, epoch]
            let state = try compiled.state(fromValues: values)
            for a in model.actions.indices {
              for t in 0..<model.actions[a].argumentCount {
                let arguments = model.actions[a].arguments(at: t)
                let concrete = try compiled.violatedTransitions(from: state, action: a, arguments: arguments)
                #expect(
                  try checker.violatedTransitions(values: values, action: a, arguments: arguments) == concrete,
                  "\(model.actions[a].name)\(arguments) from \(values)")
                broken += concrete.count
              }
            }
          }
        }
      }
    }
    #expect(broken > 0)
  }

  @Test(
    "BMC finds the failed step that changes state, the trace replays and breaks the rule concretely; the correct lock holds"
  )
  func bmc() throws {
    let buggy = errorPathModel(buggy: true, frameRules: true)
    let failed = try #require(buggy.properties.firstIndex { $0.name == "failed-changes-nothing" })
    let report = try SymbolicChecker(model: buggy).bmc(properties: [failed], depth: 3)
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.property == "failed-changes-nothing")
    #expect(trace.steps.count <= 2)
    let compiled = try CompiledModel(buggy)
    #expect(replay(compiled, trace: trace) == .exact)
    #expect(try compiled.traceBreaksTransition(trace, property: failed))
    let correct = errorPathModel(buggy: false, frameRules: true)
    let holds = try SymbolicChecker(model: correct).bmc(properties: [failed], depth: 3)
    #expect(holds.outcome == .holdsBounded(depth: 3))
  }

  @Test("Induction proves the frame rules of the correct lock and gives a CTI, not a violation, for the buggy one")
  func induction() throws {
    let correct = errorPathModel(buggy: false, frameRules: true)
    let rules = correct.properties.indices.filter { correct.properties[$0].isTransition }
    #expect(rules.count == 2)
    #expect(try SymbolicChecker(model: correct).induction(properties: rules, lemmas: []).outcome == .proved)
    // With the state invariant as well: it is proved first, then assumed.
    let all = Array(correct.properties.indices)
    #expect(try SymbolicChecker(model: correct).induction(properties: all, lemmas: []).outcome == .proved)
    #expect(try SymbolicChecker(model: correct).kInduction(properties: rules, lemmas: [], k: 2).outcome == .proved)
    let buggy = errorPathModel(buggy: true, frameRules: true)
    let report = try SymbolicChecker(model: buggy).induction(properties: rules, lemmas: [])
    guard case .cti(let cti) = report.outcome else {
      Issue.record("expected a CTI, got \(report.outcome)")
      return
    }
    #expect(cti.failing == ["failed-changes-nothing"])
    #expect(["acquire", "release"].contains(cti.action))
  }
}
