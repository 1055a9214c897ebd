import ArgumentParser
import Foundation
import Proving
import Traces

struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Re-execute an ITF trace against the model and report where it diverges.",
    discussion: """
      The trace names its model and configuration in #meta (an object, or just a configuration name). \
      A hand-written trace may leave out each step's #meta.result and any variable of a state: they \
      are computed from the state before; what it gives is checked. Exit 0 when the trace replays \
      exactly, 1 when it diverges, 2 when it is malformed.
      Examples:
        cca-verify explore --mutant no-tlbi-on-delegate   # writes the file below
        cca-verify replay out/cca-atomic-no-tlbi-on-delegate-gpt-consistent.itf.json
        cca-verify run my.scenario --trace out && cca-verify replay out/my.itf.json --json
      """)

  @Argument(help: "The .itf.json trace.") var trace: String
  @OptionGroup var jsonOption: JSONOption
  var json: Bool { jsonOption.json }

  func run() throws {
    let replay = try TraceFile(path: trace, catalog: catalog).replay()
    if json {
      print(replay.json.serialized(), terminator: "")
    } else {
      for line in replay.lines { print(line) }
    }
    if case .diverged = replay.result { throw ExitCode.unmet }
  }
}
