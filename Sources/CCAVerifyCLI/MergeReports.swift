import ArgumentParser
import Foundation
import Proving

/// `cca-verify merge-reports`: joins the `prove --json` reports of the shards of a CI matrix
/// (`prove --shard K/N`) into one report (Proving's ``Sharding``; this only parses and prints).
struct MergeReports: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge-reports",
    abstract: "Join the --json reports of prove shards into one report, with the exit status one run would give.",
    discussion: """
      REPORT files are written by `cca-verify prove --shard K/N --json > shard-K.json`. The \
      merged table (or --json) goes to standard output, --junit writes one JUnit XML file. A \
      target that appears in two reports is bad input. Exit 0 when every target met its \
      expectation, 1 otherwise, 2 for a report that cannot be read.
      Example: cca-verify merge-reports shard-*.json --junit prove.xml
      """)

  @Argument(help: "JSON reports written by `cca-verify prove --json`.") var reports: [String]
  @OptionGroup var jsonOption: JSONOption
  var json: Bool { jsonOption.json }
  @Option(help: "Also write a JUnit XML report to this file (- for standard output).") var junit: String?

  func run() throws {
    if let junit { try TraceFiles.checkOutputFile(junit, option: "--junit") }
    guard !reports.isEmpty else { throw InputError("REPORT", "give at least one `prove --json` report") }
    let loaded = try reports.map { path in
      guard let data = FileManager.default.contents(atPath: path) else {
        throw InputError(path, "cannot read this file")
      }
      return (path: path, results: try Sharding.results(ofReport: data, path: path))
    }
    let results = try Sharding.merge(loaded)
    try present(results, json: json, junit: junit)
    if !results.allSatisfy(\.met) { throw ExitCode.unmet }
  }
}

/// Prints prove results (the table, or JSON) and then writes the JUnit file, so a failure
/// writing the file cannot discard them: `prove` and `merge-reports` present alike.
func present(_ results: [TargetResult], json: Bool, junit: String?) throws {
  if json {
    print(ProveReport.json(results).serialized(), terminator: "")
  } else {
    print(ProveReport.table(results), terminator: "")
  }
  fflush(nil)
  if let junit { try TraceFiles.writeOutput(ProveReport.junit(results), to: junit) }
}
