/// A way to change one action of a model's IR: each stands for a class of implementation bug.
///
/// Operators work on the Spec IR, not on Swift source, so they apply to any model written in
/// Spec. Every operator but `swap-steps` changes exactly one action and never the state schema, so a mutant and
/// its model can be compared state by state. Writes to monitor variables (the properties' own
/// instrumentation) are never mutated: dropping the write that sets a monitor disables the
/// property and says nothing about the model.
public enum MutationOperator: String, CaseIterable, Codable, Hashable, Sendable {
  /// Removes one failure condition: a missing check.
  case dropFailure = "drop-failure"
  /// Swaps two adjacent failure conditions: checks done in the wrong order, so a call with two
  /// faults returns the wrong error.
  case swapFailures = "swap-failures"
  /// Removes one success effect: a forgotten update.
  case dropEffect = "drop-effect"
  /// Replaces a constant an effect assigns by another value of the variable's domain (a bounded
  /// sample: the first and the last other values): a wrong state, a wrong label.
  case replaceValue = "replace-value"
  /// Removes one conjunct of the action's guard (a guard of one conjunct becomes `true`): an
  /// action allowed where it should not be.
  case weakenGuard = "weaken-guard"
  /// Gives a failure condition one of the action's success effects: "state set, then the error
  /// returned". By default the last condition (the call passed every other check, so the
  /// effect's keys are meaningful); ``MutantGenerator`` can try every condition.
  case failureEffect = "failure-effect"
  /// Skips one step of a multi-step sequence (one action per step, moved on by a program
  /// counter): a missing TLBI, clean, sync or scrub. See `StepGraph`.
  case dropStep = "drop-step"
  /// Swaps two consecutive steps of a multi-step sequence: an invalidation before the write it
  /// should follow, a sync before the command it should complete.
  case swapSteps = "swap-steps"

  /// One line saying what the operator does.
  public var summary: String {
    switch self {
    case .dropFailure: return "drop one failure condition (a missing check)"
    case .swapFailures: return "swap two adjacent failure conditions (checks in the wrong order)"
    case .dropEffect: return "drop one success effect (a forgotten update)"
    case .replaceValue: return "assign another value of the domain instead of a constant (bounded sample)"
    case .weakenGuard: return "drop one conjunct of the guard (an action allowed where it should not be)"
    case .failureEffect:
      return "give the last failure condition one success effect (state set, then the error returned)"
    case .dropStep: return "skip one step of a multi-step sequence (a missing TLBI, clean, sync or scrub)"
    case .swapSteps: return "swap two consecutive steps of a multi-step sequence"
    }
  }
}
