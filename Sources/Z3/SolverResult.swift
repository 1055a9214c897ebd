/// The answer of a satisfiability check.
///
/// `unknown` is an answer, not an error: the solver gave up (resource limit, timeout,
/// incompleteness of quantifier reasoning) and says why. A client that proves properties by
/// unsatisfiability must treat it as "not proved".
public enum SolverResult: Hashable, Sendable, CustomStringConvertible {
  /// The assertions (and assumptions) are satisfiable; a model is available.
  case sat
  /// The assertions (and assumptions) are unsatisfiable; an unsat core may be available.
  case unsat
  /// The solver could not decide, with Z3's reason (`Z3_solver_get_reason_unknown`).
  case unknown(reason: String)

  /// `sat`, `unsat` or `unknown (reason)`.
  public var description: String {
    switch self {
    case .sat: "sat"
    case .unsat: "unsat"
    case .unknown(let reason): "unknown (\(reason))"
    }
  }
}
