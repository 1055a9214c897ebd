/// An error in a model or in the names a user gave: typed, comparable, and readable.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A name (model, configuration, mutant, property, bound, feature) that does not exist.
  case unknownName(kind: String, name: String, valid: [String])
  /// A malformed model: where (action, property or variable) and what is wrong.
  case invalid(location: String, message: String)

  public var description: String {
    switch self {
    case .unknownName(let kind, let name, let valid):
      return "unknown \(kind) '\(name)'; valid: \(valid.isEmpty ? "(none)" : valid.joined(separator: ", "))"
    case .invalid(let location, let message):
      return "\(location): \(message)"
    }
  }
}
