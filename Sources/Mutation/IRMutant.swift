import Spec

/// One mutant generated from a model's IR: one action changed by one operator at one position
/// (`swap-steps` also retargets the two other actions of the steps it swaps).
///
/// The id, `operator/action/position`, is stable for a given model: positions are indices into
/// the action's failure conditions, effects or guard conjuncts (`drop-failure/RMI_DATA_CREATE/3`,
/// `swap-failures/RMI_DATA_CREATE/2-3`, `replace-value/RMI_GRANULE_DELEGATE/0=2`,
/// `failure-effect/RMI_REC_CREATE/4+1`: failure 4 gets effect 1).
public struct IRMutant: Hashable, Sendable, Identifiable {
  /// `operator/action/position`.
  public let id: String
  public let mutationOperator: MutationOperator
  /// The name of the action changed.
  public let action: String
  /// Where in the action: see the type's discussion.
  public let position: String
  /// One line saying what changed, with the IR names (`drops failure gran_state`).
  public let summary: String
  /// The IR diff: lines starting with `-` (removed) and `+` (added), with one line of context.
  public let diff: [String]
  /// The changed action.
  public let mutated: Action
  /// Other actions the same mutant changes: `swap-steps` reorders a sequence by retargeting three
  /// actions' program-counter writes; every other operator changes one action (empty).
  public let companions: [Action]

  /// A mutant of `action` by `mutationOperator` at `position`; the id is
  /// `operator/action/position`.
  public init(
    _ mutationOperator: MutationOperator, action: String, position: String, summary: String, diff: [String],
    mutated: Action, companions: [Action] = []
  ) {
    self.id = "\(mutationOperator.rawValue)/\(action)/\(position)"
    self.mutationOperator = mutationOperator
    self.action = action
    self.position = position
    self.summary = summary
    self.diff = diff
    self.mutated = mutated
    self.companions = companions
  }

  /// The mutant model: a copy of `model` with the action replaced, the mutant's id recorded in
  /// its configuration (so traces and reports name it).
  public func apply(to model: Model) -> Model {
    var actions = model.actions
    for changed in [mutated] + companions {
      if let a = model.action(named: changed.name) { actions[a] = changed }
    }
    var configuration = model.configuration
    configuration.mutant = "ir:" + id
    return Model(
      name: model.name, configuration: configuration, variables: model.variables, initial: model.initial,
      actions: actions, properties: model.properties, abi: model.abi, unobservable: model.unobservable)
  }

  /// The diff as text: a header naming the mutant, then the diff lines.
  public var diffText: String {
    ([
      "mutant \(id): \(summary)", "operator \(mutationOperator.rawValue): \(mutationOperator.summary)",
      "action \(action)",
    ]
      + diff).joined(separator: "\n")
  }
}
