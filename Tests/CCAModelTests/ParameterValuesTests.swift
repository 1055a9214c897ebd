import CCAModel
import Explore
import Spec
import Testing

/// The all-values configurations give the registers other configurations pin to one value the
/// values that reach their other branches, and the explorer reaches those branches.
@Suite("all-values: pinned registers take every value that reaches a branch")
struct ParameterValuesTests {
  /// The coverage of a BFS to `depth` from `state` (the configuration's initial state by default).
  static func coverage(_ compiled: CompiledModel, from state: State? = nil, depth: Int) -> Coverage {
    var options = ExploreOptions(mode: .bfs, maxDepth: depth, workers: 2, properties: [])
    options.parameterCoverage = true
    return explore(state.map { compiled.starting(at: $0) } ?? compiled, options: options).coverage
  }

  static func parameter(_ coverage: Coverage, _ action: String, _ name: String) throws -> Coverage.Parameter {
    let a = try #require(coverage.actions.first { $0.name == action })
    return try #require(a.parameters.first { $0.name == name })
  }

  @Test(
    "rmm-small pins RSI_IPA_STATE_SET's flags to 0; in rmm-small-values a running REC's call with RSI_CHANGE_DESTROYED is taken and records it"
  )
  func changeDestroyed() throws {
    let small = try CCA.family.build(try #require(CCA.family.configuration(named: "rmm-small")))
    let set = try #require(small.action(named: "RSI_IPA_STATE_SET"))
    #expect(small.actions[set].parameters[4].values == [0])
    var r = try RMMScenario("rmm-small-values")
    try r.realmWithRECs(1)
    try r.run("RMI_REC_ENTER", [0, RECEnc.g(3), RECEnc.g(0), 0])
    let flags = try Self.parameter(Self.coverage(r.s.compiled, from: r.s.state, depth: 1), "RSI_IPA_STATE_SET", "x4")
    #expect(flags.values == [0, 1])
    // Both values are taken from the running REC, and both succeed for a valid range.
    #expect(flags.enabled.allSatisfy { $0 > 0 })
    #expect(flags.succeeded[1] > 0)
    try r.s.expect(
      "RSI_IPA_STATE_SET", [0, 0, 0x1000, 1, 1],
      changes: [
        "recRipasTop[3]": 0x1000, "recRipasValue[3]": 1, "recRipasDestroyed[3]": 1,
        "granuleRefcount[3]": 0, "peRunning[0]": 0, "peREC[0]": 0,
      ])
  }

  @Test("rmm-da pins PDEV_CREATE's num_aux to 0; rmm-da-values reaches the num_aux failure within 2 steps of boot")
  func pdevNumAux() throws {
    let da = try CompiledModel(try CCA.family.build(try #require(CCA.family.configuration(named: "rmm-da"))))
    let pinned = Self.coverage(da, depth: 2)
    let create = try #require(pinned.actions.first { $0.name == "RMI_PDEV_CREATE" })
    #expect(try Self.parameter(pinned, "RMI_PDEV_CREATE", "params_num_aux").values == [0])
    #expect(create.failures.first { $0.name == "num_aux" }?.fired == 0)
    let wide = try CompiledModel(try CCA.family.build(try #require(CCA.family.configuration(named: "rmm-da-values"))))
    let reached = Self.coverage(wide, depth: 2)
    let numAux = try Self.parameter(reached, "RMI_PDEV_CREATE", "params_num_aux")
    #expect(numAux.values == [0, 1])
    #expect(numAux.enabled[1] > 0)
    #expect(numAux.succeeded[1] == 0)
    let wideCreate = try #require(reached.actions.first { $0.name == "RMI_PDEV_CREATE" })
    #expect((wideCreate.failures.first { $0.name == "num_aux" }?.fired ?? 0) > 0)
    // VDEV_CREATE's num_aux is widened too (reached only deep in the DA flow).
    #expect(try Self.parameter(reached, "RMI_VDEV_CREATE", "params_num_aux").values == [0, 1])
    // So is its tdi_id, which rmm-da (one TDI per device) pins to its one TDI, 0.
    #expect(try Self.parameter(pinned, "RMI_VDEV_CREATE", "params_tdi_id").values == [0])
    #expect(try Self.parameter(reached, "RMI_VDEV_CREATE", "params_tdi_id").values == [0, 1])
  }
}
