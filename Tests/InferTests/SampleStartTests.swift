import Explore
import Infer
import Spec
import Testing

/// A stage counter that may be armed early and is disarmed on reaching the last stage; firing
/// at the last stage while armed sets a monitor.
///
/// `no-misfire` is not inductive alone (stage 3 armed fires) and needs the pair lemma
/// `stage = 3 → ¬armed`. Breadth-first search capped at 5 states never reaches stage 3 (three
/// steps deep), so sampling keeps the unary `stage ≠ 3` and leaves the pair out as implied by it;
/// Houdini then drops `stage ≠ 3` (advancing from stage 2 breaks it) and the pair is missing.
func stageModel() -> Model {
  let b = ModelBuilder(name: "stages", configuration: Configuration(name: "four", bounds: [:]))
  let stage = b.variable("stage", .range(0, 3), doc: "how far the run has got", initial: 0)
  let armed = b.variable("armed", .bool, doc: "armed for firing", initial: false)
  let misfired = b.variable("misfired", .bool, role: .monitor, doc: "fired while armed at the end", initial: false)
  b.action("advance", by: "host", parameters: []) { a in
    a.requires(stage.value.lt(3))
    a.set(stage, to: stage.value + 1)
    a.when(stage.value.eq(2)) { a.set(armed, to: false) }
  }
  b.action("arm", by: "host", parameters: []) { a in
    a.requires(stage.value.le(1))
    a.set(armed, to: true)
  }
  b.action("fire", by: "host", parameters: []) { a in
    a.requires(stage.value.eq(3) && armed.value)
    a.set(misfired, to: true)
  }
  b.monitor("no-misfire", flag: misfired)
  return b.build()
}

@Suite("Inference: extra sample starts")
struct SampleStartTests {
  /// The deep state `stage = 3`, found by a search from the initial state (three steps).
  static func deepState(_ compiled: CompiledModel) throws -> [Value] {
    var frontier = [compiled.initialState()]
    var seen = Set(frontier)
    while !frontier.isEmpty {
      var next: [State] = []
      for state in frontier {
        let values = compiled.values(of: state)
        if values[0] == 3 { return values }
        for (_, _, outcome) in try compiled.successors(of: state) {
          if case .succeeded(let s) = outcome, seen.insert(s).inserted { next.append(s) }
        }
      }
      frontier = next
    }
    throw ExploreError.invalidState(message: "no state with stage 3")
  }

  /// Sampling capped short of stage 3; with the start, the initial state gets the same share
  /// (half of twice the cap).
  static func options(maxStates: Int, starts: [[Value]] = []) -> InferenceOptions {
    var options = InferenceOptions(budget: 120, maxStates: maxStates, walks: 0, twoAntecedents: false)
    options.starts = starts
    return options
  }

  @Test("a deep start state's samples falsify a candidate boot-depth sampling keeps, and the proof needs that")
  func deepStartFiltersCandidates() throws {
    let model = stageModel()
    let compiled = try CompiledModel(model)
    let deep = try Self.deepState(compiled)
    let goal = [model.properties.firstIndex { $0.name == "no-misfire" }!]

    let shallow = try Samples.gather(compiled, options: Self.options(maxStates: 5), seconds: 10)
    #expect(!shallow.exhaustive)
    #expect(shallow.states.count == 5)
    #expect(shallow.states.allSatisfy { $0[0] != 3 })
    let deeper = try Samples.gather(compiled, options: Self.options(maxStates: 10, starts: [deep]), seconds: 10)
    #expect(deeper.starts == 1)
    #expect(Array(deeper.states.prefix(5)) == shallow.states)  // the same share from the initial state
    #expect(deeper.states.contains(deep))

    let boot = Inference.run(model: model, properties: goal, options: Self.options(maxStates: 5))
    guard case .cti(_, let broken) = boot.outcome else {
      Issue.record("expected a CTI from boot-depth samples, got \(boot.outcome)")
      return
    }
    #expect(broken.contains { $0.contains("no-misfire") })
    let started = Inference.run(model: model, properties: goal, options: Self.options(maxStates: 10, starts: [deep]))
    #expect(started.outcome == .proved, "\(started.outcome); \(started.notes)")
    #expect(started.statesSampled == shallow.states.count + 1)
    #expect(started.notes.contains { $0.contains("from the initial state and 1 more") })
    // `stage ≠ 3` was a candidate at boot depth only.
    #expect(!boot.lemmas.contains { $0.text.contains("stage") })
    #expect(started.lemmas.contains { $0.text.contains("stage") && $0.text.contains("armed") })
  }

  @Test("a start that is not a state of the model is reported, never sampled from")
  func badStart() {
    let model = stageModel()
    var options = Self.options(maxStates: 5, starts: [[0]])
    options.tryAlone = false
    let report = Inference.run(model: model, properties: [0], options: options)
    guard case .unknown(let reason) = report.outcome else {
      Issue.record("expected unknown, got \(report.outcome)")
      return
    }
    #expect(reason.contains("sampling"))
  }
}
