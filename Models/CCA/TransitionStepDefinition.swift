import Spec

/// One step of an RMI granule command as a PE performs it: who acts, what the step does, and when
/// it may run.
///
/// In fine mode each step is its own action (named after ``step``) with the PE as its only
/// parameter; in atomic mode the RMI command runs every step of its sequence in one action (see
/// ``StepContext``).
struct TransitionStepDefinition {
  /// The step, which is also the action's name and the PE's program-counter value before it.
  let step: TransitionStep
  /// EL3 or the RMM.
  let caller: Party
  /// The citation and explanation.
  let doc: String
  /// What must hold besides the PE being at this step (fine mode; for example the GPT lock is
  /// free), over the pre-state, given the PE.
  let enabled: (Expr) -> Expr
  /// The step's failure conditions and effects, given the PE and the granule.
  let body: (StepContext, Expr, Expr) -> Void

  init(
    _ step: TransitionStep, by caller: Party = CCA.Parties.el3, doc: String,
    enabled: @escaping (Expr) -> Expr = { _ in true },
    body: @escaping (StepContext, Expr, Expr) -> Void
  ) {
    self.step = step
    self.caller = caller
    self.doc = doc
    self.enabled = enabled
    self.body = body
  }
}
