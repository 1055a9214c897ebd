import Foundation
import Testing

/// `cca-verify prove` with targets that start from a scenario's end state (`start = "..."`).
@Suite("cca-verify prove: targets with a start scenario")
struct StartScenarioCLITests {
  @Test("a start target's counterexample begins at boot and `cca-verify replay` replays it exactly")
  func violationReplays() throws {
    let out = try temporaryDirectory()
    let target = repositoryRoot.appendingPathComponent("Proofs/did-reuse-without-scrub-per-pas-bfs.toml").path
    let run = try cca(["prove", target, "--out", out.path, "--quiet"])
    #expect(run.status == 0, "stdout \(run.stdout) stderr \(run.stderr)")
    #expect(run.stdout.contains("violated"), "\(run.stdout)")
    let trace = out.appendingPathComponent("did-reuse-without-scrub-per-pas-bfs-realm-isolation.itf.json")
    let replayed = try cca(["replay", trace.path])
    #expect(replayed.status == 0, "\(replayed.stdout) \(replayed.stderr)")
    #expect(replayed.stdout.contains("replays exactly"), "\(replayed.stdout)")
    #expect(replayed.stdout.contains("1. RMI_GRANULE_DELEGATE"), "the trace starts at boot: \(replayed.stdout)")
  }

  @Test("a start scenario whose call mismatches exits 2 naming the target's line and the scenario's line")
  func mismatchExits2() throws {
    let dir = try temporaryDirectory()
    try "RMI_GRANULE_DELEGATE 0x8000_1000 -> RMI_SUCCESS\nRMI_GRANULE_DELEGATE 0x8000_1000 -> RMI_SUCCESS\n".write(
      to: dir.appendingPathComponent("twice.scenario"), atomically: true, encoding: .utf8)
    try """
    model = "cca"
    configuration = "rmm-reuse"
    start = "twice.scenario"
    engine = "bfs"
    depth = 1
    expect = "holds"

    """.write(to: dir.appendingPathComponent("t.toml"), atomically: true, encoding: .utf8)
    let run = try cca([
      "prove", dir.appendingPathComponent("t.toml").path, "--out", dir.appendingPathComponent("out").path, "--quiet",
    ])
    #expect(run.status == 2, "stdout \(run.stdout) stderr \(run.stderr)")
    #expect(run.stderr.contains("t.toml:3"), "\(run.stderr)")
    #expect(run.stderr.contains("twice.scenario:2"), "\(run.stderr)")
    // A missing scenario is found when the target is read.
    try
      "model = \"cca\"\nconfiguration = \"rmm-reuse\"\nstart = \"gone.scenario\"\nengine = \"bfs\"\nexpect = \"holds\"\n"
      .write(
        to: dir.appendingPathComponent("t.toml"), atomically: true, encoding: .utf8)
    let missing = try cca([
      "prove", dir.appendingPathComponent("t.toml").path, "--out", dir.appendingPathComponent("out").path, "--quiet",
    ])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("t.toml:3") && missing.stderr.contains("gone.scenario"), "\(missing.stderr)")
  }
}
