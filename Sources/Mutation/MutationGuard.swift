import Spec

/// A check besides the model's properties that can kill a mutant: a conformance suite, a
/// regression test, anything that runs a mutated model and compares what it sees.
///
/// Properties judge states; a guard typically judges results (return codes, outputs), so the
/// report can say which mutants only the properties catch, which only the guards catch, and
/// which neither does. A guard gets the mutant (not the mutated model) because it may have to
/// find the same mutant in another configuration's IR (conformance scenarios run at their own
/// configuration): it says `notApplicable` when it cannot.
public struct MutationGuard: Sendable {
  /// What a guard says about one mutant.
  public enum Verdict: Hashable, Sendable {
    /// The guard fails on the mutant (it passes on the correct model): why, for the report.
    case kills(String)
    /// The guard passes on the mutant.
    case passes
    /// The guard cannot judge this mutant (not present in its configuration, or it errs).
    case notApplicable(String)
  }

  public let name: String
  public let check: @Sendable (IRMutant) -> Verdict

  public init(name: String, check: @escaping @Sendable (IRMutant) -> Verdict) {
    self.name = name
    self.check = check
  }
}

/// One guard's verdict on one mutant.
public struct GuardResult: Hashable, Sendable {
  public let name: String
  public let verdict: MutationGuard.Verdict
}

extension MutantResult {
  /// The first guard that killed the mutant, with why.
  public var guardKill: (name: String, detail: String)? {
    for g in guards {
      if case .kills(let why) = g.verdict { return (g.name, why) }
    }
    return nil
  }

  /// Where the mutant stands with properties and guards together (`nil` without guards, when no
  /// guard could judge it, or for unknown and invalid mutants).
  public var catchment: Catchment? {
    guard verdict == .killed || verdict == .survived, judged else { return nil }
    switch (verdict == .killed, guardKill != nil) {
    case (true, true): return .both
    case (true, false): return .propertiesOnly
    case (false, true): return .guardsOnly
    case (false, false): return .neither
    }
  }

  /// Whether at least one guard judged the mutant (said `kills` or `passes`).
  public var judged: Bool {
    guards.contains {
      if case .notApplicable = $0.verdict { return false }
      return true
    }
  }

  /// Which checks catch a mutant.
  public enum Catchment: String, Hashable, Sendable {
    case both, propertiesOnly = "properties-only", guardsOnly = "guards-only", neither
  }
}
