import Foundation
import Testing

/// `cca-verify prove`'s progress: a bar with an ETA redrawn in place on a terminal, plain lines
/// when stderr is not one (CI logs). (The formatting is tested in ProvingTests.)
@Suite("Progress on a terminal and through a pipe")
struct ProgressTests {
  @Test("cca-verify prove on a terminal redraws a bar with an ETA; through a pipe it prints plain lines")
  func proveOnTerminal() throws {
    let proofs = repositoryRoot.appendingPathComponent("Proofs")
    let targets = ["mutant-no-tlbi-on-delegate-bmc.toml", "gpt-gpt-consistent-atomic-4.toml"].map {
      proofs.appendingPathComponent($0).path
    }
    let out = try temporaryDirectory().appendingPathComponent("out").path
    // Through a pipe: plain lines, no carriage returns or escape sequences.
    let piped = try cca(["prove"] + targets + ["--out", out])
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(!piped.stderr.contains("\r") && !piped.stderr.contains("\u{1B}["), "\(piped.stderr)")
    #expect(piped.stderr.contains("[2/2] gpt-gpt-consistent-atomic-4: proved"))
    // On a pseudo-terminal (util-linux `script`): the bar is redrawn in place with an ETA once a
    // target has finished.
    let script = URL(fileURLWithPath: "/usr/bin/script")
    guard FileManager.default.isExecutableFile(atPath: script.path) else {
      Issue.record("util-linux script(1) is missing: cannot test the terminal mode")
      return
    }
    // One job: the ETA appears once a target has finished, which with two jobs over two targets
    // never happens before the last one starts.
    let command = ([try executable().path, "prove", "--jobs", "1"] + targets + ["--out", out]).map { "'\($0)'" }
      .joined(separator: " ")
    var environment = ProcessInfo.processInfo.environment
    environment["TERM"] = "xterm"
    let child = try Spawned(script, ["-qefc", command, "/dev/null"], environment: environment)
    let ending = child.wait()
    let text = child.stdout
    #expect(ending.status == 0, "\(text.suffix(500))")
    #expect(text.contains("\r\u{1B}[2K["), "no redrawn bar: \(text.suffix(500))")
    #expect(text.contains("target 2/2") && text.contains("ETA ~"), "\(text.suffix(800))")
  }
}
