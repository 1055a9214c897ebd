import Spec

extension ExploreReport {
  /// What the search concluded: ``Spec/Outcome/violated`` for a violation; with none,
  /// ``Outcome/holds`` when a breadth-first search exhausted the reachable states,
  /// ``Outcome/holdsBounded`` when it checked every state within its depth bound or when random
  /// walks sampled the states, else ``Outcome/unknown`` (stopped early, or a model error).
  public var verdict: Spec.Outcome {
    switch outcome {
    case .violation: return .violated
    case .modelError: return .unknown
    case .noViolation:
      if mode == .random { return .holdsBounded }
      if complete { return .holds }
      return stoppedBy == .maxDepth ? .holdsBounded : .unknown
    }
  }
}
