import Spec

/// An error the concrete engine reports while running a model: typed, comparable and readable.
///
/// A property violation is not an error (it is an ``ExploreReport/Outcome``); these are the
/// cases where the model or the caller asked for something the semantics does not define.
public enum ExploreError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The model did something undefined at run time: a map read or write with a key outside its
  /// key domain, or an assignment of a value outside the variable's domain.
  ///
  /// `location` names the action, property or initial value (`action delegate`,
  /// `property gpt-consistent`, `initial value of gpi`); `message` names the variable.
  case modelRuntime(location: String, message: String)
  /// A caller passed an action index or arguments that do not fit the action's parameters.
  case invalidArguments(action: String, message: String)
  /// A caller passed logical state values that do not fit the model's layout or domains.
  case invalidState(message: String)

  public var description: String {
    switch self {
    case .modelRuntime(let location, let message): return "\(location): \(message)"
    case .invalidArguments(let action, let message): return "action \(action): \(message)"
    case .invalidState(let message): return "invalid state: \(message)"
    }
  }
}
