import CCAModel
import Foundation
import Mutation
import Proving
import Spec
import Testing

/// Conformance scenarios as a mutation guard: the same mutant is found at the scenarios'
/// configuration and the scenarios run on it; bad scenario input is located.
@Suite("Mutation: scenarios as a guard")
struct ScenarioGuardTests {
  static func folder(_ files: [String: String]) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cca-guard-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return url.path
  }

  /// Two calls at rmm-small: a misaligned delegate (gran_align) and a good one.
  static let delegate = """
    config rmm-small
    RMI_GRANULE_DELEGATE 0x8000_0010 -> RMI_ERROR_INPUT (gran_align)
    RMI_GRANULE_DELEGATE 0x8000_0000 -> RMI_SUCCESS

    """

  static func mutant(_ id: String, config: String = "rmm-small") throws -> IRMutant {
    var request = MutateRequest()
    request.configuration = config
    return try request.mutant(id: id)
  }

  @Test("A dropped check a scenario exercises is killed by it, located at the scenario's line")
  func kills() throws {
    let guardian = try ScenarioGuard.make(path: try Self.folder(["d.scenario": Self.delegate]), family: CCA.family)
    let verdict = guardian.check(try Self.mutant("drop-failure/RMI_GRANULE_DELEGATE/0"))
    guard case .kills(let why) = verdict else {
      Issue.record("expected a kill, got \(verdict)")
      return
    }
    #expect(why.contains("d.scenario:2"))
    #expect(why.contains("got RMI_SUCCESS"))
    // Dropping the state check: the second call still succeeds, the first still fails on
    // alignment: the scenarios pass.
    #expect(guardian.check(try Self.mutant("drop-failure/RMI_GRANULE_DELEGATE/2")) == .passes)
  }

  @Test("A scenario at the fine-mode GPT configuration judges its sequence steps, and atomic's twins")
  func fineMode() throws {
    // TF-A's delegate on PE 0, its first three steps (reference/rme.md §2.3); the host cannot issue
    // a read on a PE in EL3.
    let text = """
      config standard
      let g1 = 0x8000_1000
      RMI_GRANULE_DELEGATE g1 -> RMI_SUCCESS
      EL3_DELEGATE_LOCK on pe 0
      NS_READ g1 on pe 0 -> NOT_ENABLED
      EL3_DELEGATE_CIPAPA_TARGET on pe 0
      EL3_DELEGATE_READ_DESCRIPTOR on pe 0

      """
    let guardian = try ScenarioGuard.make(path: try Self.folder(["f.scenario": text]), family: CCA.family)
    // A step that does not advance the sequence: the next one is not enabled.
    guard
      case .kills(let stuck) = guardian.check(
        try Self.mutant("drop-effect/EL3_DELEGATE_CIPAPA_TARGET/4", config: "standard"))
    else {
      Issue.record("expected the stuck step to be killed")
      return
    }
    #expect(stuck.contains("f.scenario:7"), "\(stuck)")
    // atomic's mutant (no PE is ever in EL3 there) is judged at its standard twin.
    guard case .kills(let busy) = guardian.check(try Self.mutant("weaken-guard/NS_READ/0", config: "atomic")) else {
      Issue.record("expected atomic's weakened NS_READ guard to be killed at standard")
      return
    }
    #expect(busy.contains("f.scenario:5"), "\(busy)")
    // No misaligned call here: dropping the alignment check passes.
    #expect(guardian.check(try Self.mutant("drop-failure/RMI_GRANULE_DELEGATE/0", config: "standard")) == .passes)
  }

  @Test("A mutant that is not the same at the scenarios' configuration is not judged")
  func notApplicable() throws {
    let guardian = try ScenarioGuard.make(path: try Self.folder(["d.scenario": Self.delegate]), family: CCA.family)
    let real = try Self.mutant("drop-failure/RMI_GRANULE_DELEGATE/0")
    let other = IRMutant(
      real.mutationOperator, action: real.action, position: real.position, summary: "drops something else",
      diff: real.diff,
      mutated: real.mutated)
    guard case .notApplicable(let why) = guardian.check(other) else {
      Issue.record("expected not applicable")
      return
    }
    #expect(why.contains("rmm-small"))
  }

  @Test("Bad scenario input is located; a scenario failing on the correct model is refused")
  func badInput() throws {
    #expect(throws: InputError.self) { try ScenarioGuard.make(path: "/nonexistent/x", family: CCA.family) }
    let empty = try Self.folder(["notes.txt": "x"])
    #expect(throws: InputError.self) { try ScenarioGuard.make(path: empty, family: CCA.family) }
    do {
      _ = try ScenarioGuard.make(
        path: try Self.folder(["bad.scenario": "config rmm-small\nRMI_NO_SUCH 1 -> RMI_SUCCESS\n"]), family: CCA.family)
      Issue.record("an unknown command must be refused")
    } catch let error as InputError {
      #expect(error.description.contains("bad.scenario:2"))
    }
    let wrong = "config rmm-small\nRMI_GRANULE_DELEGATE 0x8000_0010 -> RMI_SUCCESS\n"
    do {
      _ = try ScenarioGuard.make(path: try Self.folder(["wrong.scenario": wrong]), family: CCA.family)
      Issue.record("a scenario failing on the correct model must be refused")
    } catch let error as InputError {
      #expect(error.description.contains("fails on the correct model"))
    }
  }
}
