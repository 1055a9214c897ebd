import ArgumentParser

/// `--json`, declared once for every command that can print one JSON object instead of text.
struct JSONOption: ParsableArguments {
  @Flag(help: "Print one JSON object instead of text.") var json = false
}

/// `--quiet`, declared once for the commands that show progress on standard error.
struct QuietOption: ParsableArguments {
  @Flag(help: "No progress on standard error.") var quiet = false
}

/// `--out`, declared once for the commands that write counterexamples into a directory.
struct OutDirectoryOption: ParsableArguments {
  @Option(help: "Directory for counterexample (and CTI) files.") var out = "out"
}

extension ExitCode {
  /// An outcome differs from what was expected: a violation, an unmet expectation, a diverging
  /// replay, a failing scenario.
  static let unmet = ExitCode(ExitStatus.unmet.rawValue)
  /// The run was interrupted (Ctrl-C) before it finished; the summary so far was printed.
  static let interrupted = ExitCode(ExitStatus.interrupted.rawValue)
}
