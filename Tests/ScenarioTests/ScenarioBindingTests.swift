import Scenarios
import Spec
import Testing

/// Outputs bound to names for later calls (`x1=:aux_count`), Docs/scenarios.md "Binding outputs".
@Suite("Scenario files: binding outputs to names")
struct ScenarioBindingTests {
  /// A realm on rmm-rtt with `rec-aux` set by the caller; the REC takes its aux count from
  /// RMI_REC_AUX_COUNT's output, bound at run time.
  static func recScenario(recAux: Int) -> String {
    """
    config rmm-rtt granules=8 rec-aux=\(recAux)
    let params = 0x8000_0000
    let rd = 0x8000_1000
    let rtt = 0x8000_2000
    let rec = 0x8000_3000
    let recp = 0x8000_4000
    RMI_GRANULE_DELEGATE rd -> RMI_SUCCESS
    RMI_GRANULE_DELEGATE rtt -> RMI_SUCCESS
    RMI_GRANULE_DELEGATE rec -> RMI_SUCCESS
    RMI_GRANULE_DELEGATE 0x8000_5000 -> RMI_SUCCESS
    RMI_GRANULE_DELEGATE 0x8000_6000 -> RMI_SUCCESS
    write params RealmParams.s2sz = S2SZ
    write params RealmParams.rtt_base = rtt
    write params RealmParams.rtt_level_start = RTT_LEVEL_START
    write params RealmParams.rtt_num_start = 1
    RMI_REALM_CREATE rd, params -> RMI_SUCCESS
    RMI_REC_AUX_COUNT rd -> RMI_SUCCESS x1=:aux_count
    write recp RecParams.flags = RUNNABLE
    write recp RecParams.num_aux = :aux_count
    write recp RecParams.aux[0] = 0x8000_5000
    \(recAux > 1 ? "write recp RecParams.aux[1] = 0x8000_6000" : "")
    RMI_REC_CREATE rd, rec, recp -> RMI_SUCCESS
    RMI_REC_AUX_COUNT rd -> RMI_SUCCESS x1=:aux_count
    RMI_REC_AUX_COUNT rd -> RMI_SUCCESS x1=:aux_count + 1

    """
  }

  @Test("a bound output is the value the call returned, used by later calls when they run", arguments: [1, 2])
  func bindsAtRunTime(recAux: Int) throws {
    // The same `write` line feeds num_aux = 1 or 2: the value comes from the run, not the text.
    let text = Self.recScenario(recAux: recAux).replacingOccurrences(
      of: "RMI_REC_AUX_COUNT rd -> RMI_SUCCESS x1=:aux_count\nRMI_REC_AUX_COUNT", with: "RMI_REC_AUX_COUNT")
    let r = try runText(text)
    let binder = try #require(r.steps.first { $0.action == "RMI_REC_AUX_COUNT" })
    #expect(binder.bound.count == 1)
    #expect(binder.bound.first?.name == "aux_count" && binder.bound.first?.value == Value(recAux))
    let create = try #require(r.steps.first { $0.action == "RMI_REC_CREATE" })
    #expect(create.mismatches.isEmpty, "\(create.mismatches)")
    #expect(create.arguments.first { $0.name == "params_num_aux" }?.value == Value(recAux))
    #expect(create.structureReads.first { $0.field.name == "RecParams.num_aux" }?.value == Value(recAux))
    let last = try #require(r.steps.last)
    #expect(
      last.mismatches == ["expected x1=0x\(String(recAux + 1, radix: 16)), got x1=0x\(String(recAux, radix: 16))"])
  }

  @Test("binding twice, or using an unbound name, is an input error at the name")
  func rebindIsAnError() throws {
    let e = try #require(inputError(Self.recScenario(recAux: 1)))
    #expect((e.line, e.column, e.field) == (23, 40, "x1"), "\(e)")
    #expect(e.message.contains("':aux_count' is already bound at line 17, column 40; a name is bound once"))
  }

  @Test("a call that does not return the output binds nothing; a later call that needs it is not made")
  func unboundAtRunTime() throws {
    let r = try runText(
      """
      config rmm-rtt
      RMI_REC_AUX_COUNT 0x8000_1010 -> RMI_ERROR_INPUT (rd_align) x1=:n
      RMI_REC_AUX_COUNT :n -> RMI_ERROR_INPUT
      RMI_VERSION 0x10000 -> RMI_SUCCESS x1=:n + 0

      """)
    #expect(r.steps[0].mismatches == ["x1=:n binds nothing: the call did not return x1"])
    #expect(r.steps[1].result == .notEnabled)
    #expect(r.steps[1].resultText.hasPrefix("NOT MADE"))
    #expect(
      r.steps[1].mismatches == [
        "the call was not made: x1: ':n' is not bound: the call at line 2 did not return the output"
      ])
    #expect(r.steps[2].mismatches == ["expected x1: ':n' is not bound: the call at line 2 did not return the output"])
    #expect(r.trace.steps.count == 2)
  }

  @Test(
    "bad bindings name the line, column and field",
    arguments: [
      ("RMI_REC_AUX_COUNT :x\n", 1, 19, "X1", "':x' is not bound; bind it with an expected output of an earlier call"),
      (
        "RMI_REC_AUX_COUNT 0 -> RMI_SUCCESS x1=:x\nRMI_REC_AUX_COUNT 0 -> RMI_SUCCESS x1=:x\n", 2, 39, "x1",
        "already bound at line 2, column 39"
      ),
      ("RMI_REC_AUX_COUNT :x -> RMI_SUCCESS x1=:x\n", 1, 19, "X1", "':x' is not bound"),
      ("let a = :b\n", 1, 9, "a", "bound when the scenario runs"),
      (
        "RMI_REC_AUX_COUNT 0 -> RMI_SUCCESS x1=:v\nexpect granuleState[0] = :v\n", 2, 26, "granuleState",
        "bound when the scenario runs"
      ),
      (
        "RMI_REC_AUX_COUNT 0 -> RMI_SUCCESS x1=:v\nwrite :v RealmParams.vmid = 1\n", 2, 7, "write",
        "bound when the scenario runs"
      ),
      (
        "RMI_REC_AUX_COUNT 0 -> RMI_SUCCESS x1=:v\nRMI_REC_AUX_COUNT 0 -> :v\n", 2, 24, "expected result",
        "expected a status name"
      ),
      (
        "RMI_REC_AUX_COUNT 0 -> RMI_SUCCESS x1=:v\nRMI_REALM_CREATE 0x8000_1000, :v\n", 2, 31, "RealmParams.flags",
        "must be known before the scenario runs"
      ),
      ("RMI_REC_AUX_COUNT : 1\n", 1, 19, "syntax", "expected a name after ':'"),
      ("RMI_REC_AUX_COUNT 0 -> RMI_SUCCESS x9=:v\n", 1, 36, "x9", "unknown output of RMI_REC_AUX_COUNT"),
    ])
  func badInput(_ body: String, _ line: Int, _ column: Int, _ field: String, _ message: String) throws {
    let e = try #require(inputError("config rmm-rtt\n" + body))
    #expect((e.line, e.column, e.field) == (line + 1, column, field), "\(e)")
    #expect(e.message.contains(message), "\(e)")
  }

  @Test("a scenario run on another model (a mutant's, for mutation analysis) keeps its bound names")
  func bindingsSurviveRunningOnAnotherModel() throws {
    let text = Self.recScenario(recAux: 1).replacingOccurrences(
      of: "RMI_REC_AUX_COUNT rd -> RMI_SUCCESS x1=:aux_count\nRMI_REC_AUX_COUNT", with: "RMI_REC_AUX_COUNT")
    let resolved = try ScenarioFiles.resolve(text: text, file: "t.scenario", models: sharedModels)
    #expect(!resolved.bindings.isEmpty)
    // Before the fix `running(on:)` dropped the names, and the binding step indexed past them.
    let moved = resolved.running(on: ScenarioModel(resolved.model.model))
    #expect(moved.bindings.map(\.name) == resolved.bindings.map(\.name))
    let r = try ScenarioRunner.run(moved)
    let binder = try #require(r.steps.first { $0.action == "RMI_REC_AUX_COUNT" })
    #expect(binder.bound.first?.name == "aux_count" && binder.bound.first?.value == 1)
  }

  @Test("x1!=VALUE: the output must differ; equal is a mismatch, and ':name' after '!=' is used, not bound")
  func differs() throws {
    let r = try runText(
      """
      config rmm-rtt
      RMI_REC_AUX_COUNT 0x8000_1010 -> RMI_ERROR_INPUT (rd_align)
      RMI_VERSION 0x10000 -> RMI_SUCCESS x1=:v
      RMI_VERSION 0x10000 -> RMI_SUCCESS x1!=:v
      RMI_VERSION 0x10000 -> RMI_SUCCESS x1!=:v + 1
      RMI_VERSION 0x10000 -> RMI_SUCCESS x1!=0x10000 x2=:v + 0

      """)
    #expect(r.steps[1].bound.first?.value == 0x10000)
    #expect(r.steps[2].mismatches == ["expected x1 to differ from 0x10000, got x1=0x10000"])
    #expect(r.steps[3].mismatches.isEmpty)
    #expect(r.steps[4].mismatches == ["expected x1 to differ from 0x10000, got x1=0x10000"])
    let e = try #require(inputError("config rmm-rtt\nRMI_VERSION 0x10000 -> RMI_SUCCESS x1!=:w\n"))
    #expect(e.message.contains("':w' is not bound"), "\(e)")
  }

  @Test("run --json states each expected output with its relation, the expression over bound names and its value")
  func expectedOutputsInJSON() throws {
    let r = try runText(
      """
      config rmm-rtt
      RMI_VERSION 0x10000 -> RMI_SUCCESS x1=:v
      RMI_VERSION 0x10000 -> RMI_SUCCESS x1!=:v + 1 x2=0x10000
      RMI_VERSION 0x10000 -> RMI_SUCCESS

      """)
    // The binding call states nothing (it binds); the second states both outputs, in the order written.
    #expect(r.steps[0].expectedOutputs.isEmpty)
    #expect(
      r.steps[1].expectedOutputs == [
        ExpectedOutput(output: "x2", differs: false, expression: "0x10000", names: [], value: 0x10000),
        ExpectedOutput(output: "x1", differs: true, expression: ":v+0x1", names: ["v"], value: 0x10001),
      ])
    #expect(r.steps[2].expectedOutputs.isEmpty)
    guard case .object(let top) = ScenarioReport.json([r]),
      case .array(let scenarios)? = top.first(where: { $0.0 == "scenarios" })?.1,
      case .object(let scenario)? = scenarios.first,
      case .array(let calls)? = scenario.first(where: { $0.0 == "calls" })?.1,
      case .object(let call) = calls[1], case .array(let stated)? = call.first(where: { $0.0 == "expectedOutputs" })?.1
    else {
      Issue.record("no expectedOutputs in the JSON")
      return
    }
    #expect(
      stated.last
        == .object([
          ("output", .string("x1")), ("relation", .string("!=")), ("expression", .string(":v+0x1")),
          ("names", .array([.string("v")])), ("value", .string("0x10001")),
        ]))
  }
}
