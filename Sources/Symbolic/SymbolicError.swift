import Z3

/// Why the symbolic engine could not encode or decide a query.
public enum SymbolicError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The model uses a construct the requested encoding cannot express (for example arithmetic
  /// on a sort that a parametric proof makes uninterpreted).
  case unsupported(String)
  /// Z3 reported an error.
  case solver(String)
  /// A parametric proof names an index sort the model does not have: proving it would be the
  /// bounded proof under a parametric scope.
  case unknownSort(name: String, model: String, valid: [String])

  public var description: String {
    switch self {
    case .unsupported(let m): return "unsupported by the symbolic encoding: \(m)"
    case .solver(let m): return "Z3: \(m)"
    case .unknownSort(let name, let model, let valid):
      return
        "model \(model) has no index sort '\(name)' to make parametric; valid: \(valid.isEmpty ? "(none)" : valid.joined(separator: ", "))"
    }
  }

  init(_ error: any Error) {
    if let e = error as? SymbolicError {
      self = e
    } else if let e = error as? Z3Error {
      self = .solver(e.description)
    } else {
      self = .solver(String(describing: error))
    }
  }
}
