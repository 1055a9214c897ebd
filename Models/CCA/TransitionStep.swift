import Spec

/// Where a PE is in an RMI granule command: idle, or the next step of the command's sequence.
///
/// A PE's program counter (`el3Step[pe]`) holds one of these; each step is the action of the
/// same name, so a trace shows what the PE does next. The operation (delegate or undelegate) is
/// part of the step, so the model needs no separate operation variable. The encoding is the
/// position in ``allCases``; a mutant that drops a step leaves the encoding unchanged and simply
/// never reaches it.
///
/// The order inside each operation is TF-A's (reference/rme.md §2.3, §2.4): see
/// ``CCABuilder/delegateSequence`` and ``CCABuilder/undelegateSequence``.
enum TransitionStep: String, CaseIterable {
  case idle = "IDLE"

  // RMM_GTSI_DELEGATE: TF-A `gpt_delegate_pas` (v2.14) / `gpt_transition_pas`.
  case delegateLock = "EL3_DELEGATE_LOCK"
  case delegateCleanTarget = "EL3_DELEGATE_CIPAPA_TARGET"
  case delegateReadDescriptor = "EL3_DELEGATE_READ_DESCRIPTOR"
  case delegateWriteRealm = "EL3_DELEGATE_WRITE_GPI_REALM"
  case delegateTLBI = "EL3_DELEGATE_TLBI_RPALOS"
  case delegateCleanSource = "EL3_DELEGATE_CIPAPA_SOURCE"
  case delegateUnlock = "EL3_DELEGATE_UNLOCK"

  // RMI_GRANULE_UNDELEGATE: TF-RMM's scrub, then RMM_GTSI_UNDELEGATE: TF-A `gpt_undelegate_pas`.
  case undelegateScrub = "RMM_SCRUB"
  case undelegateLock = "EL3_UNDELEGATE_LOCK"
  case undelegateReadDescriptorNoAccess = "EL3_UNDELEGATE_READ_DESCRIPTOR_NO_ACCESS"
  case undelegateWriteNoAccess = "EL3_UNDELEGATE_WRITE_GPI_NO_ACCESS"
  case undelegateTLBINoAccess = "EL3_UNDELEGATE_TLBI_RPALOS_NO_ACCESS"
  case undelegateCleanSource = "EL3_UNDELEGATE_CIPAPA_SOURCE"
  case undelegateCleanTarget = "EL3_UNDELEGATE_CIPAPA_TARGET"
  case undelegateReadDescriptorNS = "EL3_UNDELEGATE_READ_DESCRIPTOR_NS"
  case undelegateWriteNS = "EL3_UNDELEGATE_WRITE_GPI_NS"
  case undelegateTLBINS = "EL3_UNDELEGATE_TLBI_RPALOS_NS"
  case undelegateUnlock = "EL3_UNDELEGATE_UNLOCK"

  /// The encoding of the step.
  var value: Value {
    guard let index = Self.allCases.firstIndex(of: self) else { preconditionFailure("unreachable") }
    return Value(index)
  }

  /// The expression for the step's encoding.
  var expr: Expr { .literal(value) }

  static let set = FiniteSet("TransitionStep", allCases.map { ($0.rawValue, $0.value) })
  static let domain = Domain.finite(set)
}
