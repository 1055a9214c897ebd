/// Bad input that says where it is and what was wrong.
///
/// Where is a file and line, a command-line option or a JSON path. Every reader's error conforms (ITF traces, scenario files, proof targets, JSON,
/// output paths), so a front end reports them all one way: the command line prints
/// `error: <location>: <message>` and exits with status 2.
///
/// Errors that are not the user's input (a model that does not compile, an engine failure) do
/// not conform.
public protocol LocatedError: Error, CustomStringConvertible {
  /// Where: `Proofs/x.toml:7`, `--mutant`, `$.states[3].gpi`, `my.scenario:4:7`.
  var location: String { get }
  /// What was wrong and what was expected.
  var message: String { get }
}
