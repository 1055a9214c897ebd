import Spec

/// Bad input from a user: a file, field or command-line value that is malformed or names something that does not exist.
///
/// The command line maps it to exit status 2.
public struct InputError: LocatedError, Equatable, Sendable {
  /// Where: `Proofs/x.toml:7`, `--mutant`, `trace.itf.json: $.states[3].gpi`.
  public let location: String
  /// What was wrong and what was expected.
  public let message: String

  public init(_ location: String, _ message: String) {
    self.location = location
    self.message = message
  }

  public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}

/// A failure inside CCAVerify itself (a bug): the command line maps it to exit status 3.
public struct InternalError: Error, Equatable, Sendable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { "internal error: \(message)" }
}
