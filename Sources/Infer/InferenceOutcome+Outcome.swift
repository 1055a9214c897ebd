import Spec

extension InferenceOutcome {
  /// The outcome without its payload (the trace, the CTI or the reason).
  public var verdict: Outcome {
    switch self {
    case .proved: return .proved
    case .violated: return .violated
    case .cti: return .cti
    case .unknown: return .unknown
    }
  }
}
