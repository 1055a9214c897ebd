import CCAModel
import Scenarios
import Spec
import Testing

/// Memory beyond 64 granules and arbitrary addresses (Docs/scenarios.md, "Addresses").
@Suite("Scenario files: memory at scale and arbitrary addresses")
struct ScenarioMemoryTests {
  @Test("any PA is an argument of the granule commands and gets the model's answer")
  func anyAddress() throws {
    let r = try runText(
      """
      config rmm-rtt granules=8
      RMI_GRANULE_DELEGATE 0x8000_7000 -> RMI_SUCCESS
      RMI_GRANULE_DELEGATE 0x8000_8000 -> RMI_ERROR_INPUT (gran_bound)
      RMI_GRANULE_DELEGATE 0x9000_0000 -> RMI_ERROR_INPUT (gran_bound)
      RMI_GRANULE_DELEGATE 0x1C0A_0000 -> RMI_ERROR_INPUT (gran_bound)
      RMI_GRANULE_DELEGATE 0xFFFF_FFFF_FFFF_F000 -> RMI_ERROR_INPUT (gran_bound)
      RMI_GRANULE_DELEGATE 0x8000_7008 -> RMI_ERROR_INPUT (gran_align)
      RMI_GRANULE_UNDELEGATE 0x9000_0000 -> RMI_ERROR_INPUT (gran_bound)
      NS_READ 0x9000_0000 -> SUCCESS
      NS_WRITE 0x1C0A_0000 -> SUCCESS

      """)
    #expect(r.passed, "\(r.steps.flatMap(\.mismatches))")
    #expect(r.steps.count == 9)
    #expect(r.steps[2].arguments.last?.value == 0x9000_0000)
    // The RMI_GRANULE_DELEGATE of a PA beyond the map must fail, not be clamped to a granule.
    let wrong = try runText("config rmm-rtt granules=8\nRMI_GRANULE_DELEGATE 0x9000_0000 -> RMI_SUCCESS\n")
    #expect(wrong.steps[0].mismatches == ["expected RMI_SUCCESS, got RMI_ERROR_INPUT (X0=0x1) [gran_bound]"])
  }

  @Test("exploration samples the same addresses as before: the granule PAs and the four representatives")
  func samplesUnchanged() throws {
    var configuration = try #require(CCA.family.configuration(named: "rmm-small"))
    configuration.bounds["granules"] = 4
    let model = try CCA.family.build(configuration)
    let delegate = try #require(model.actions.first { $0.name == "RMI_GRANULE_DELEGATE" })
    let addr = try #require(delegate.parameters.first { $0.name == "addr" })
    #expect(addr.domain == .word(bits: 64))
    #expect(
      addr.values == [
        0x8000_0000, 0x8000_1000, 0x8000_2000, 0x8000_3000, 0x8000_0010, 0x1C09_0000, 0x1C09_0010, 0x1_0000_0000,
      ])
  }

  @Test("Tests/Conformance/memory.scenario: 128 granules and 3 RECs of 16 aux granules at the architecture's geometry")
  func conformanceMemoryScenario() throws {
    let (_, results) = try suiteRun.get()
    let result = try #require(results.first { $0.file.hasSuffix("memory.scenario") })
    let bounds = result.configuration.bounds
    #expect(bounds["granules"] == 128 && bounds["recs"] == 3 && bounds["rec-aux"] == 16)
    #expect(bounds["rtt-levels"] == 4 && bounds["rtt-entries"] == 512)
    #expect(result.passed, "\(result.steps.flatMap(\.mismatches))")
    let created = result.steps.filter {
      guard $0.action == "RMI_REC_CREATE", case .returned(0, nil, _) = $0.result else { return false }
      return true
    }
    #expect(created.count == 3)
    // Every REC_CREATE that succeeded read 16 distinct aux PAs.
    for step in created {
      let aux = step.arguments.filter { $0.name.hasPrefix("params_aux") }.map(\.value)
      #expect(aux.count == 16 && Set(aux).count == 16)
    }
  }

  @Test(
    "granule bounds beyond the model's limits are input errors naming the limit",
    arguments: [
      ("config rmm-rtt granules=1025\n", "1...1024"),
      ("config rmm-full granules=256\n", "at most 65536"),
    ])
  func granuleLimits(_ text: String, _ message: String) throws {
    let e = try #require(inputError(text))
    #expect(e.line == 1 && e.message.contains(message), "\(e)")
  }
}
