import Scenarios
import Spec
import Testing

/// Outputs on a failed call and post-state assertions (`expect`), Docs/scenarios.md.
@Suite("Scenario files: outputs on failures, expect statements")
struct ScenarioStateCheckTests {
  @Test("an output defined on a failure condition is reported and checked; one that is not is a mismatch")
  func failureOutputs() throws {
    // rmm-rtt: 2 levels of 2 entries, starting level 2; no level-3 table yet, so DATA_DESTROY at
    // IPA 0x1000 stops at level 2 entry 0 (2 × 4 KB), and entry 1 (IPA 0x2000) is UNASSIGNED_NS.
    let r = try runText(
      realmPrologue + """
        RMI_DATA_DESTROY rd, 0x1000 -> RMI_ERROR_RTT level 2 (rtt_walk) x2=0x4000
        RMI_DATA_DESTROY rd, 0x1000 -> RMI_ERROR_RTT level 2 (rtt_walk) x2=0x2000
        RMI_DATA_DESTROY rd, 0x1000 -> RMI_ERROR_RTT level 2 (rtt_walk) x1=0x0
        RMI_DATA_DESTROY rd + 0x10, 0x1000 -> RMI_ERROR_INPUT (rd_align) x2=0x0

        """)
    let calls = r.steps.suffix(4).map { $0 }
    #expect(calls[0].mismatches.isEmpty, "\(calls[0].mismatches)")
    #expect(calls[0].result == .returned(x0: 4 | 2 << 8, condition: "rtt_walk", outputs: [0x4000]))
    #expect(calls[0].outputNames == ["x2"])
    #expect(calls[0].resultText.hasSuffix("[rtt_walk] x2=0x4000"))
    #expect(calls[1].mismatches == ["expected x2=0x2000, got x2=0x4000"])
    #expect(calls[2].mismatches == ["expected x1=0x0, but the call failed [rtt_walk], on which it returns only x2"])
    #expect(calls[3].mismatches == ["expected x2=0x0, but the call failed [rd_align], on which it returns no outputs"])
    #expect(calls[3].outputNames.isEmpty)
  }

  @Test("expect granule ADDRESS state NAME and expect VARIABLE[KEY] = VALUE check the state after the preceding call")
  func stateChecks() throws {
    let passing = try runText(
      realmPrologue + """
        expect granule rd state RD
        expect granuleState[2] = RTT
        expect granule 0x8000_3000 state UNDELEGATED
        RMI_GRANULE_DELEGATE 0x8000_3000 -> RMI_SUCCESS
        expect granule 0x8000_3000 state DELEGATED

        """)
    #expect(passing.passed, "\(passing.steps.flatMap(\.mismatches))")
    let failing = try runText(realmPrologue + "expect granule 0x8000_3000 state DELEGATED\n")
    let last = try #require(failing.steps.last)
    #expect(last.action == "RMI_REALM_CREATE")
    #expect(
      last.mismatches == [
        "line 12: expect granule 0x8000_3000 state DELEGATED: granuleState[3] is UNDELEGATED, expected DELEGATED"
      ])
  }

  @Test(
    "bad expect statements are input errors with line, column and what was expected",
    arguments: [
      ("expect granule 0x8000_1010 state RD", 12, 16, "is not the PA of one of the configuration's granules"),
      ("expect granule rd state BOGUS", 12, 25, "unknown name 'BOGUS'"),
      ("expect granule rd RD", 12, 19, "expected 'state' after the granule's address"),
      ("expect granuleStat[1] = RD", 12, 1, "unknown state variable 'granuleStat'"),
      ("expect granuleState[1][2] = RD", 12, 1, "granuleState takes 1 key"),
      ("expect granuleState[x = RD", 12, 8, "expected VARIABLE[KEY][KEY]..."),
      ("expect granuleState[99] = RD", 12, 21, "is outside"),
    ])
  func badStateChecks(line: String, row: Int, column: Int, message: String) throws {
    let error = try #require(inputError(realmPrologue + line + "\n"))
    #expect(error.line == row && error.column == column, "\(error)")
    #expect(error.message.contains(message), "\(error)")
  }

  @Test(
    "Docs/examples/rec-aux-alias.scenario (testing-an-rmm.md §6) passes: aux_alias at REC_AUX_COUNT 16, nothing changed"
  )
  func recAuxAliasExample() throws {
    let path = "Docs/examples/rec-aux-alias.scenario"
    let r = try ScenarioRunner.run(
      try ScenarioFiles.load(
        path: repositoryRoot.appendingPathComponent(path).path, display: path, models: sharedModels))
    #expect(r.passed, "\(r.steps.flatMap(\.mismatches))")
    let alias = try #require(r.steps.first { $0.action == "RMI_REC_CREATE" })
    #expect(alias.result == .returned(x0: 1, condition: "aux_alias", outputs: []))
  }

  @Test("an expect statement before any call is an input error")
  func expectFirst() throws {
    let error = try #require(inputError("expect granule 0x8000_1000 state DELEGATED\n"))
    #expect(error.line == 1 && error.message.contains("after a call"), "\(error)")
  }
}
