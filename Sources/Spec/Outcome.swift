/// What a check concluded about a property: the one vocabulary of the concrete explorer's
/// reports, the symbolic checker's, inference's and proof targets' (table, JSON, JUnit).
///
/// The raw values are the names reports print.
public enum Outcome: String, Hashable, Sendable, CaseIterable, Codable {
  /// No violation in every reachable state (an exhaustive search of the configuration).
  case holds
  /// Z3 answered unsat for every obligation: the property holds in every reachable state (of
  /// the configuration, or of every size for a parametric proof).
  case proved
  /// No violation within a bound: a depth, a number of states, or a sample of random walks.
  case holdsBounded = "holds-bounded"
  /// A reachable state violates the property; a trace from the initial state shows it.
  case violated
  /// A counterexample to induction: not a violation (its first state may be unreachable).
  case cti
  /// No conclusion: a budget ran out, Z3 answered unknown, or the search stopped early.
  case unknown
}
