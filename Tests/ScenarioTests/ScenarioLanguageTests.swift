import CCAModel
import Explore
import Foundation
import Scenarios
import Spec
import Testing

/// The models every scenario test shares: each configuration is built and compiled once per test
/// process (compiling `rmm-full`, the default configuration, takes seconds in a debug build).
let sharedModels = ScenarioModels()

/// Parses, resolves and runs scenario text.
func runText(_ text: String, models: ScenarioModels = sharedModels) throws -> ScenarioResult {
  try ScenarioRunner.run(try ScenarioFiles.resolve(text: text, file: "t.scenario", models: models))
}

/// The error resolving scenario text gives (the test fails when there is none).
func inputError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ScenarioError? {
  do {
    _ = try ScenarioFiles.resolve(text: text, file: "t.scenario", models: sharedModels)
    Issue.record("no error for:\n\(text)", sourceLocation: sourceLocation)
    return nil
  } catch let error as ScenarioError {
    return error
  } catch {
    Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    return nil
  }
}

/// A realm with a level-3 table on `rmm-rtt`: RD at 0x8000_1000, DATA at IPA 0.
let realmPrologue = """
  config rmm-rtt granules=8
  let params = 0x8000_0000
  let rd = 0x8000_1000
  let rtt = 0x8000_2000
  RMI_GRANULE_DELEGATE rd -> RMI_SUCCESS
  RMI_GRANULE_DELEGATE rtt -> RMI_SUCCESS
  write params RealmParams.s2sz = S2SZ
  write params RealmParams.rtt_base = rtt
  write params RealmParams.rtt_level_start = RTT_LEVEL_START
  write params RealmParams.rtt_num_start = 1
  RMI_REALM_CREATE rd, params -> RMI_SUCCESS

  """

/// Delegates the granule the DATA tests use.
let delegateData = "RMI_GRANULE_DELEGATE 0x8000_3000 -> RMI_SUCCESS\n"

@Suite("Scenario files: parsing, resolution and running")
struct ScenarioLanguageTests {
  @Test("a call's X0 is status | index << 8, decoded with the model's condition name")
  func x0AndCondition() throws {
    let r = try runText(
      realmPrologue + delegateData + "RMI_DATA_CREATE rd, 0x8000_3000, 0x0, params, 0 -> RMI_ERROR_RTT level 2\n")
    #expect(r.passed, "\(r.steps.flatMap(\.mismatches))")
    let last = try #require(r.steps.last)
    #expect(last.result == .returned(x0: 4 | 2 << 8, condition: "rtt_walk", outputs: []))
    #expect(last.resultText.contains("RMI_ERROR_RTT level 2 (X0=0x204) [rtt_walk]"))
  }

  @Test("a wrong expectation is a mismatch naming file:line, expected and actual")
  func mismatch() throws {
    let r = try runText(
      realmPrologue + delegateData + "RMI_DATA_CREATE rd, 0x8000_3000, 0x0, params, 0 -> RMI_ERROR_RTT level 3\n")
    #expect(!r.passed)
    let last = try #require(r.steps.last)
    #expect(last.location == "t.scenario:13")
    #expect(
      last.mismatches == ["expected RMI_ERROR_RTT level 3 (X0=0x304), got RMI_ERROR_RTT level 2 (X0=0x204) [rtt_walk]"])
    // A raw X0 and a condition name are checked too.
    let raw = try runText(
      realmPrologue + delegateData + "RMI_DATA_CREATE rd, 0x8000_3000, 0x0, params, 0 -> 0x204 (rtt_walk)\n")
    #expect(raw.passed, "\(raw.steps.flatMap(\.mismatches))")
    let wrongCondition = try runText(realmPrologue + "RMI_REALM_ACTIVATE 0x8000_0010 -> RMI_ERROR_INPUT (rd_bound)\n")
    #expect(
      wrongCondition.steps.last?.mismatches == ["expected failure condition rd_bound, got rd_align (X0 as expected)"])
  }

  @Test("outputs are compared by name")
  func outputs() throws {
    let good = try runText("RMI_VERSION 0x10000 -> RMI_SUCCESS x1=0x10000 X2=0x10000\n")
    #expect(good.passed)
    let bad = try runText("RMI_VERSION 0x10000 -> RMI_SUCCESS x2=0x20000\n")
    #expect(bad.steps[0].mismatches == ["expected x2=0x20000, got x2=0x10000"])
  }

  @Test("structure fields are read at their offsets from the pointer register's address")
  func structureFields() throws {
    // RecParams.num_aux (0x800) overlaps RealmParams.vmid (0x800): a REC_CREATE reading the
    // realm's parameter block sees vmid as num_aux.
    var text = realmPrologue.replacingOccurrences(of: "granules=8", with: "granules=8 realms=2")
    text += "write params RealmParams.vmid = 1\nRMI_GRANULE_DELEGATE 0x8000_3000\n"
    text += "RMI_REC_CREATE rd, 0x8000_3000, params -> RMI_ERROR_INPUT (num_aux)\n"
    let r = try runText(text)
    #expect(r.passed, "\(r.steps.flatMap(\.mismatches))")
    #expect(r.steps.last?.call.contains("params_num_aux=0x1") == true)
    // The record says where each field was read, for a harness that writes it before the SMC.
    let reads = try #require(r.steps.last).structureReads
    let numAux = try #require(reads.first { $0.field.name == "RecParams.num_aux" })
    #expect(numAux.address == 0x8000_0800 && numAux.value == 1)
    #expect(r.steps.last?.registers == [0x8000_1000, 0x8000_3000, 0x8000_0000])
    #expect(r.steps.last?.fid == 0xC400_015A)
    // The same call with the field given by name.
    let named = try runText(
      realmPrologue
        + "RMI_GRANULE_DELEGATE 0x8000_3000\nRMI_REC_CREATE rd, 0x8000_3000, params, params_num_aux=0 -> RMI_SUCCESS\n")
    #expect(named.passed)
  }

  @Test("a call whose guard does not hold is reported, never skipped")
  func notEnabled() throws {
    let r = try runText(
      realmPrologue + "REALM_READ 0x0\nREALM_READ 0x0 -> NOT_ENABLED\nRMI_VERSION 0x10000 -> NOT_ENABLED\n")
    #expect(
      r.steps[r.steps.count - 3].mismatches == [
        "REALM_READ is not enabled here (its guard does not hold); nothing happened"
      ])
    #expect(r.steps[r.steps.count - 2].mismatches.isEmpty)
    #expect(r.steps[r.steps.count - 1].mismatches.first?.hasPrefix("expected NOT_ENABLED, got RMI_SUCCESS") == true)
  }

  @Test("a property violated after a step is reported at that call")
  func violation() throws {
    let text =
      realmPrologue.replacingOccurrences(of: "granules=8", with: "granules=8 mutant=undelegate-live-object")
      + "RMI_GRANULE_UNDELEGATE rd -> RMI_SUCCESS\nRMI_VERSION 0x10000\n"
    let r = try runText(text)
    #expect(!r.passed)
    #expect(r.steps[r.steps.count - 2].violations.contains("rmm-wellformed"))
    #expect(r.steps[r.steps.count - 1].violations.isEmpty, "a violation is reported once, when it starts")
    // Without the mutant the same call fails and nothing is violated.
    let correct = try runText(realmPrologue + "RMI_GRANULE_UNDELEGATE rd -> RMI_ERROR_INPUT (gran_state)\n")
    #expect(correct.passed)
  }

  @Test("the trace of a scenario replays exactly")
  func traceReplays() throws {
    let r = try runText(realmPrologue + "RMI_REALM_ACTIVATE rd\nRMI_REALM_ACTIVATE rd -> RMI_ERROR_REALM\n")
    var configuration = try #require(CCA.family.configuration(named: "rmm-rtt"))
    configuration.bounds["granules"] = 8
    let compiled = try sharedModels.model(for: configuration).compiled()
    #expect(r.trace.steps.count == r.steps.count)
    #expect(Explore.replay(compiled, trace: r.trace) == .exact)
  }

  @Test(
    "bad input names the line, column and field",
    arguments: [
      ("RMI_NO_SUCH 1\n", 1, 1, "command"),
      ("RMI_REALM_ACTIVATE 1 2\n", 1, 22, "X2"),
      ("RMI_REALM_ACTIVATE\n", 1, 1, "X1"),
      ("\nRMI_REALM_ACTIVATE 0x12G\n", 2, 20, "number"),
      ("RMI_REALM_ACTIVATE 18446744073709551616\n", 1, 20, "number"),
      ("write 0x8000_0000 RealmParams.vmidd = 1\n", 1, 19, "write"),
      ("write 0x8000_0000 RecRun.exit.exit_reason = 1\n", 1, 19, "RecRun.exit.exit_reason"),
      ("write 0x8000_0000 RealmParams.vmid = 0x10000\n", 1, 38, "RealmParams.vmid"),
      ("config rmm-nope\n", 1, 1, "config"),
      ("config rmm-rtt granules=0\n", 1, 16, "granules"),
      ("config rmm-rtt colour=3\n", 1, 16, "config"),
      ("config rmm-rtt mutant=nope\n", 1, 16, "mutant"),
      ("RMI_VERSION 1\nconfig rmm-rtt\n", 2, 1, "config"),
      ("RMI_GRANULE_DELEGATE 0x8000_0000 on pe 9\n", 1, 40, "pe"),
      ("RMI_REALM_ACTIVATE rd\n", 1, 20, "X1"),
      ("let a = 1\nlet a = 2\n", 2, 1, "a"),
      ("RMI_VERSION 1 -> RMI_NOPE\n", 1, 18, "expected result"),
      ("RMI_VERSION 1 ->\n", 1, 17, "expected result"),
      ("RMI_VERSION 1 -> RMI_SUCCESS x9=1\n", 1, 30, "x9"),
      ("RMI_VERSION 1 -> RMI_ERROR_INPUT (rd_state)\n", 1, 18, "condition"),
      ("RMI_VERSION 1 on pe 0\n", 1, 21, "pe"),
      ("RMI_VERSION colour=1\n", 1, 13, "colour"),
      ("RMI_VERSION \u{1}\n", 1, 13, "syntax"),
      ("RMI_REALM_ACTIVATE 1 -> RMI_ERROR_RTT level 256\n", 1, 45, "index"),
    ])
  func badInput(_ text: String, _ line: Int, _ column: Int, _ field: String) throws {
    let e = try #require(inputError(text))
    #expect((e.line, e.column, e.field) == (line, column, field), "\(e)")
    #expect(e.description.hasPrefix("t.scenario:\(line):\(column): \(field): "))
    #expect(!e.message.isEmpty)
  }
}
