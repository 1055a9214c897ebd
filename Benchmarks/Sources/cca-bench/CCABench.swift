import ArgumentParser
import Foundation
import Z3

/// `cca-bench`: the performance harness of CCAVerify (Benchmarks/README.md).
///
/// Each subcommand prints a plain table (or, with `--json`, one JSON object) to standard output
/// and its progress to standard error. Performance is measured here, never by timed tests
/// (DESIGN.md §9).
@main
struct CCABench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cca-bench",
    abstract: "Measure CCAVerify: exhaustive BFS, symbolic scaling in granules, proof targets, and a hand-written Z3 baseline.",
    discussion: """
      Build and run in release mode:
        swift run -c release --package-path Benchmarks cca-bench bfs
      Exit status: 0 measured; 64 bad input (a usage error); 3 a benchmark could not run (a model or Z3 error).
      """,
    subcommands: [
      BFSBenchmark.self, ScalingBenchmark.self, ProveBenchmark.self, BaselineBenchmark.self, RMMBenchmark.self,
      FeaturesBenchmark.self, InferBenchmark.self, MutationBenchmark.self, SpinBenchmark.self, SymmetryBenchmark.self,
    ])
}

/// The options every benchmark shares.
struct CommonOptions: ParsableArguments {
  @Flag(help: "Print one JSON object instead of tables.") var json = false

  func context() -> RunContext { RunContext.current(z3: Z3Version.current.description) }
}

/// A benchmark that could not run (not bad input: the model, the engine or Z3 failed).
struct BenchFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

extension ParsableCommand {
  /// Turns harness errors into argument-parser errors with the documented exit statuses.
  func guarded(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let error as BenchInputError {
      throw ValidationError(error.description)
    } catch let error as BenchFailure {
      FileHandle.standardError.write(Data("cca-bench: \(error)\n".utf8))
      throw ExitCode(3)
    }
  }
}
