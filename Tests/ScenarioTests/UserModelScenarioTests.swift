import Scenarios
import Spec
import Testing

/// A user's own family, nothing of CCA in it: a device that threads configure through a system-call interface, reading
/// a `Config` structure from memory.
///
/// Everything scenarios know about it (function identifiers, status names, value names, the structure's layout, its
/// default configuration) comes from the model's own ``ABIDescription``.
enum DeviceFamily {
  static let family = ModelFamily(
    name: "device", doc: "a configurable device", configurations: [Configuration(name: "one", bounds: [:])],
    configurationDocs: ["one": "the only configuration"], mutants: [], propertyDocs: [], boundDocs: [:],
    featureDocs: [:],
    build: { configuration in
      let b = ModelBuilder(name: "device", configuration: configuration)
      let level = b.variable("level", .range(0, 3), initial: 0)
      let thread = b.party("thread")
      let device = b.party("device")
      b.abi.interfaces = [
        ABIDescription.Interface(
          name: "DEV", caller: thread, handler: device,
          functions: [ABIDescription.NamedValue("DEV_CONFIGURE", 0xD000_0001)],
          statuses: [ABIDescription.NamedValue("DEV_OK", 0), ABIDescription.NamedValue("DEV_ERROR_LEVEL", 7)],
          success: "DEV_OK")
      ]
      b.abi.encodings = [FiniteSet("DevLevel", [("LEVEL_LOW", 1), ("LEVEL_HIGH", 2)])]
      b.abi.fields = [
        // An unwritten level reads as 1 (its 0 fails); retries is known to the ABI, not read.
        ABIDescription.Field(
          structure: "Config", field: "level", offset: 0x10, bits: 8, parameter: "level", unwritten: 1),
        ABIDescription.Field(structure: "Config", field: "retries", offset: 0x18, bits: 8, parameter: nil),
      ]
      b.abi.pointers = [ABIDescription.Pointer(action: "DEV_CONFIGURE", register: "x1", structure: "Config")]
      b.action(
        "DEV_CONFIGURE", by: thread,
        parameters: [Parameter("x1", .word(bits: 64), samples: [0x100]), Parameter("level", .range(0, 3))]
      ) { a in
        a.fail("level_zero", error: "DEV_ERROR_LEVEL", code: 7, when: a.arg("level").eq(0))
        a.set(level, to: a.arg("level"))
      }
      return b.build()
    })
}

@Suite("Scenarios of a user's own model")
struct UserModelScenarioTests {
  @Test("a scenario runs on a non-CCA family with its function IDs, statuses, value names and structures")
  func userFamily() throws {
    let models = ScenarioModels(family: DeviceFamily.family)
    let text = """
      write 0x100 Config.level = LEVEL_HIGH
      DEV_CONFIGURE 0x100 -> DEV_OK
      write 0x200 Config.level = 0
      DEV_CONFIGURE 0x200 -> DEV_ERROR_LEVEL (level_zero)

      """
    let result = try ScenarioRunner.run(try ScenarioFiles.resolve(text: text, file: "d.scenario", models: models))
    #expect(result.passed, "\(result.steps.flatMap(\.mismatches))")
    #expect(result.configuration.name == "one")
    #expect(result.steps.map(\.fid) == [0xD000_0001, 0xD000_0001])
    #expect(result.steps.map(\.registers) == [[0x100], [0x200]])
    #expect(result.steps[0].structureReads.map(\.field.name) == ["Config.level"])
    #expect(result.steps[0].structureReads.map(\.address) == [0x110])
    #expect(result.steps[0].structureReads.map(\.value) == [2])
    #expect(result.steps[1].resultText.contains("DEV_ERROR_LEVEL"))
  }

  @Test(
    "an unwritten field reads as the ABI's unwritten value; writing a field the model does not read is an input error")
  func unwrittenAndUnread() throws {
    let models = ScenarioModels(family: DeviceFamily.family)
    let result = try ScenarioRunner.run(
      try ScenarioFiles.resolve(text: "DEV_CONFIGURE 0x300 -> DEV_OK\n", file: "d.scenario", models: models))
    #expect(result.passed, "\(result.steps.flatMap(\.mismatches))")
    #expect(result.steps[0].structureReads.map(\.value) == [1])
    #expect {
      try ScenarioFiles.resolve(text: "write 0x100 Config.retries = 1\n", file: "d.scenario", models: models)
    } throws: { error in
      "\(error)".contains("d.scenario:1:13") && "\(error)".contains("does not read this field")
    }
  }

  @Test("a structure field the user's model does not declare is an input error naming the valid ones")
  func unknownField() throws {
    let models = ScenarioModels(family: DeviceFamily.family)
    #expect {
      try ScenarioFiles.resolve(text: "write 0x100 RealmParams.vmid = 1\n", file: "d.scenario", models: models)
    } throws: { error in
      "\(error)".contains("unknown structure field 'RealmParams.vmid'; valid: Config.level")
    }
  }
}
