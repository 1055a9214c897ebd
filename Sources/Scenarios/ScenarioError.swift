import Spec

/// Bad input in a scenario file: where (file, line, column, field) and what was expected.
///
/// Rendered as `file:line:column: field: message`; the command line maps it to exit status 2.
public struct ScenarioError: LocatedError, Equatable, Sendable {
  public let file: String
  /// 1-based; 0 when the error concerns the whole file (it cannot be read).
  public let line: Int
  /// 1-based; 0 when unknown.
  public let column: Int
  /// What the error is about: `config`, `X2`, `RealmParams.vmid`, `command`, `number`.
  public let field: String
  public let message: String

  public init(file: String, line: Int, column: Int, field: String, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.field = field
    self.message = message
  }

  /// `file:line:column`, leaving out what is unknown.
  public var location: String {
    var location = file
    if line > 0 { location += ":\(line)" }
    if column > 0 { location += ":\(column)" }
    return location
  }

  public var description: String { "\(location): \(field): \(message)" }
}

/// A position in a scenario file.
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
  public let line: Int
  public let column: Int
  public var description: String { "\(line):\(column)" }
}
