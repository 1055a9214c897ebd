import Scenarios
import Spec
import Testing

/// The DA commands' Non-secure structures written with `write` (Docs/scenarios.md, "Structures").
@Suite("Scenario files: PdevParams, VdevParams and the other DA structures")
struct ScenarioDAStructureTests {
  static let prologue = """
    config rmm-da-rtt granules=8
    let params = 0x8000_0000
    let pdev = 0x8000_1000
    RMI_GRANULE_DELEGATE pdev -> RMI_SUCCESS

    """

  @Test("PdevParams fields are read at TF-RMM's offsets from X2 of RMI_PDEV_CREATE")
  func pdevParamsRead() throws {
    let r = try runText(
      Self.prologue + """
        write params PdevParams.rid_base = 1
        RMI_PDEV_CREATE pdev, params -> RMI_ERROR_INPUT (params_valid)
        write params PdevParams.rid_base = 0
        write params PdevParams.num_aux = 1
        RMI_PDEV_CREATE pdev, params -> RMI_ERROR_INPUT (num_aux)
        write params PdevParams.num_aux = 0
        RMI_PDEV_CREATE pdev, params -> RMI_SUCCESS

        """)
    #expect(r.passed, "\(r.steps.flatMap(\.mismatches))")
    let first = r.steps[1]
    let reads = first.structureReads.map { "\($0.field.name)@0x\(String($0.address, radix: 16))=\($0.value)" }
    #expect(reads == ["PdevParams.rid_base@0x80000030=1", "PdevParams.num_aux@0x80000048=0"])
  }

  @Test("VdevParams.tdi_id is read at offset 0x10 from X4 of RMI_VDEV_CREATE with one TDI per device too")
  func vdevParamsTdiRead() throws {
    let r = try runText(
      Self.prologue + """
        write params VdevParams.tdi_id = 1
        RMI_VDEV_CREATE pdev, pdev, pdev, params -> RMI_ERROR_INPUT (rd_state)
        RMI_VDEV_CREATE pdev, pdev, pdev, params params_tdi_id=0 -> RMI_ERROR_INPUT (rd_state)

        """)
    #expect(r.passed, "\(r.steps.flatMap(\.mismatches))")
    let reads = r.steps[1...].map {
      $0.structureReads.map { "\($0.field.name)@0x\(String($0.address, radix: 16))=\($0.value)" }
    }
    // The field as written, then the named argument in its place.
    #expect(
      reads == [
        ["VdevParams.tdi_id@0x80000010=1", "VdevParams.num_aux@0x80000018=0"],
        ["VdevParams.tdi_id@0x80000010=0", "VdevParams.num_aux@0x80000018=0"],
      ])
  }

  @Test(
    "bad DA structure writes name the field and what was expected",
    arguments: [
      ("write params PdevParams.bogus = 1", 14, "write", "valid: PdevParams.flags, PdevParams.pdev_id"),
      ("write params PdevParams.ecam_addr = 1", 14, "PdevParams.ecam_addr", "the model does not read this field"),
      ("write params VdevParams.vdev_id = 1", 14, "VdevParams.vdev_id", "the model does not read this field"),
      ("write params RmiDevCommData.enter.status = 1", 14, "RmiDevCommData.enter.status", "does not read"),
      ("write params PdevParams.rid_base = 0x10000", 36, "PdevParams.rid_base", "does not fit the field's 16 bits"),
    ])
  func badWrites(_ line: String, _ column: Int, _ field: String, _ message: String) throws {
    let e = try #require(inputError(Self.prologue + line + "\n"))
    #expect((e.line, e.column, e.field) == (5, column, field), "\(e)")
    #expect(e.message.contains(message), "\(e)")
    if field == "write" { #expect(!e.message.contains("RealmParams"), "\(e)") }
  }
}
