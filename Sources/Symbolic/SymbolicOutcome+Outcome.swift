import Spec

extension SymbolicOutcome {
  /// The outcome without its payload (the trace, the CTI, the depth or the reason).
  public var verdict: Outcome {
    switch self {
    case .proved: return .proved
    case .violated: return .violated
    case .cti: return .cti
    case .holdsBounded: return .holdsBounded
    case .unknown: return .unknown
    }
  }
}
