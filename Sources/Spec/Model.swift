/// A state variable of a model: a scalar, or a map over one or more enumerable key domains.
public struct StateVariable: Hashable, Sendable {
  /// What a variable is for; engines treat every kind alike, renderings group them.
  public enum Role: String, Hashable, Sendable {
    /// Part of the system being modelled.
    case state
    /// A monitor flag, set by an action that performs a forbidden observation.
    case monitor
  }

  public let name: String
  /// Key domains: empty for a scalar, one per dimension for a map.
  public let keys: [Domain]
  public let value: Domain
  public let role: Role
  public let doc: String

  public init(name: String, keys: [Domain], value: Domain, role: Role = .state, doc: String = "") {
    self.name = name
    self.keys = keys
    self.value = value
    self.role = role
    self.doc = doc
  }

  /// The number of stored values: 1 for a scalar, the product of key cardinalities for a map.
  public var slotCount: Int {
    keys.reduce(1) { $0 * ($1.cardinality ?? 0) }
  }
}

/// An effect of an action, applied when no failure condition holds.
///
/// All effects of one action read the pre-state and are applied together. When two effects
/// write the same map element (dynamic keys that happen to coincide), the later one wins; both
/// engines apply effects in list order.
public enum Effect: Hashable, Sendable {
  /// `if condition { variable[keys] := value }`; `condition` is `true` for an unconditional write.
  case assign(VariableID, keys: [Expr], value: Expr, when: Expr)
  /// For every key tuple `k` (bound to `keys`) such that `condition(k)`: `variable[k] := value(k)`.
  case assignAll(VariableID, keys: [BoundVariable], condition: Expr, value: Expr)

  public var variable: VariableID {
    switch self {
    case .assign(let v, _, _, _), .assignAll(let v, _, _, _): return v
    }
  }

  /// The variables the write reads: its keys, value and condition (not the variable written).
  public var variablesRead: Set<VariableID> {
    switch self {
    case .assign(_, let keys, let value, let when):
      return (keys + [value, when]).reduce(into: []) { $0.formUnion($1.variablesRead) }
    case .assignAll(_, _, let condition, let value):
      return condition.variablesRead.union(value.variablesRead)
    }
  }
}

/// A failure condition of a command: when it holds (and no earlier one does), the command
/// returns `code | index << 8` and changes nothing but what its `effects` write.
///
/// This is the shape of the RMM specification's failure conditions, listed in priority order.
/// RMI commands return X0 = status | index << 8, where the index is 0 except for
/// `RMI_ERROR_RTT` (the RTT level where the walk stopped); `index` is an expression over the
/// pre-state and the arguments so a model can say which level.
///
/// A correct model's failure conditions have no effects: the RMM specification says a command
/// that fails changes no state. Effects on a failure condition exist to model an
/// implementation bug, "state set, then the error returned" (a mutant): they read the pre-state
/// and apply together, exactly as an action's success effects do, and both engines compile them
/// from this IR.
public struct FailureCondition: Hashable, Sendable {
  /// The specification's name for the condition (`gran_align`, `gran_state`).
  public let name: String
  /// The status the command returns in bits [7:0] of X0.
  public let code: Value
  /// When the condition holds.
  public let condition: Expr
  /// The name of the error (`RMI_ERROR_INPUT`).
  public let error: String
  /// The index returned in bits [15:8] of X0 (usually the literal 0).
  public let index: Expr
  /// What the failing command writes anyway (empty in a correct model; see the type's
  /// discussion).
  public let effects: [Effect]

  public init(
    name: String, error: String, code: Value, index: Expr = .literal(0), when condition: Expr,
    effects: [Effect] = []
  ) {
    self.name = name
    self.error = error
    self.code = code
    self.index = index
    self.condition = condition
    self.effects = effects
  }

  /// Whether the index is the constant 0, so the returned value is `code` itself.
  public var hasConstantCode: Bool { index == .literal(0) }
}

/// A named output of an action (X1..X4 of an RMI command), evaluated in the pre-state with the
/// arguments when the action succeeds, and also when it fails on one of ``failures`` (an output
/// the specification defines on an error, such as RMI_DATA_DESTROY's `top` on RMI_ERROR_RTT; a
/// failed call changes no state, so the pre-state is the state the output describes).
public struct Output: Hashable, Sendable {
  public let name: String
  public let value: Expr
  /// The failure conditions, by name, on which the output is defined too (usually none).
  public let failures: [String]
  /// Whether the output is the status the action returns on success (X0), for an action whose
  /// successful status depends on the state (``Action/successResult(outputs:)``).
  public let isStatus: Bool
  public init(_ name: String, _ value: Expr, failures: [String] = [], isStatus: Bool = false) {
    self.name = name
    self.value = value
    self.failures = failures
    self.isStatus = isStatus
  }
}

/// A parameter of an action: a name, a domain, and the values exploration tries.
///
/// A parameter whose domain is too large to enumerate (a 64-bit register) gives `samples`: the
/// explorer and BMC try exactly those, while a step may be taken with any value of the domain
/// (scenarios, replay) and induction treats the parameter as unconstrained within its domain.
public struct Parameter: Hashable, Sendable {
  public let name: String
  public let domain: Domain
  /// The values exploration tries instead of the whole domain, if given.
  public let samples: [Value]?

  public init(_ name: String, _ domain: Domain, samples: [Value]? = nil) {
    self.name = name
    self.domain = domain
    self.samples = samples
  }

  /// The values exploration enumerates: the samples, else every element of the domain.
  public var values: [Value] { samples ?? domain.elements ?? [] }

  /// Whether exploration tries only some of the domain's values.
  public var isSampled: Bool {
    guard let samples else { return false }
    return domain.cardinality.map { $0 > Set(samples).count } ?? true
  }
}

/// An action of a model: a command, a hardware step, or an attacker move.
///
/// An action is *enabled* in a state for given arguments when its guard holds. An enabled
/// action then checks its failure conditions in order: the first that holds is the result, and
/// the state is unchanged but for that condition's effects (which only a mutant has). When none holds, the effects apply and the result is success.
public struct Action: Hashable, Sendable {
  public let name: String
  /// The party that performs the action (a model's `hypervisor`, `realm`, `hardware`): the caller of a command.
  ///
  /// Renderings draw its lane; when the model's ``ABIDescription`` puts the action in an interface, the interface's
  /// handler performs it for the caller.
  public let caller: Party
  /// Citation and explanation.
  public let doc: String
  public let parameters: [Parameter]
  public let guardCondition: Expr
  public let failures: [FailureCondition]
  public let effects: [Effect]
  /// The status returned on success.
  public let successCode: Value
  /// Values returned on success (X1..X4 of an RMI command), evaluated in the pre-state; some are
  /// also defined on some failure conditions (``Output/failures``).
  public let outputs: [Output]

  public init(
    name: String, caller: Party, doc: String, parameters: [Parameter], guardCondition: Expr,
    failures: [FailureCondition], effects: [Effect], successCode: Value = 0, outputs: [Output] = []
  ) {
    self.outputs = outputs
    self.name = name
    self.caller = caller
    self.doc = doc
    self.parameters = parameters
    self.guardCondition = guardCondition
    self.failures = failures
    self.effects = effects
    self.successCode = successCode
  }

  /// The index in ``outputs`` of the status output (``Output/isStatus``), if the action has one.
  public var statusOutput: Int? { outputs.firstIndex(where: \.isStatus) }

  /// The result of a successful step whose outputs are `values` (in ``outputs`` order): the
  /// status output's value when the action has one (RSI_ATTESTATION_TOKEN_CONTINUE's RSI_SUCCESS
  /// or RSI_INCOMPLETE, both of which change the state), else ``successCode``.
  public func successResult(outputs values: [Value]) -> StepResult {
    if let i = statusOutput, i < values.count { return .success(code: values[i]) }
    return .success(code: successCode)
  }

  /// Whether some failure condition carries effects, so a failing call may change the state.
  public var hasFailureEffects: Bool { failures.contains { !$0.effects.isEmpty } }

  /// The variables the action reads or writes: what a step can depend on or change.
  ///
  /// Its guard, failure conditions, and every effect's variable, keys, value and condition (on success and on failure
  /// conditions).
  public var variablesTouched: Set<VariableID> {
    var variables = guardCondition.variablesRead
    for f in failures { variables.formUnion(f.condition.variablesRead) }
    for effect in effects + failures.flatMap(\.effects) {
      variables.insert(effect.variable)
      variables.formUnion(effect.variablesRead)
    }
    return variables
  }

  /// The number of argument tuples: the product of the parameter domains' cardinalities.
  public var argumentCount: Int {
    parameters.reduce(1) { $0 * $1.values.count }
  }

  /// The indices in ``outputs`` of the outputs returned when the action fails on the failure
  /// condition at index `failure` (those that list it in ``Output/failures``).
  public func outputIndices(onFailure failure: Int) -> [Int] {
    let name = failures[failure].name
    return outputs.indices.filter { outputs[$0].failures.contains(name) }
  }

  /// The argument tuple at a position of the canonical enumeration (last parameter fastest).
  public func arguments(at position: Int) -> [Value] {
    var rest = position
    var result = [Value](repeating: 0, count: parameters.count)
    for i in parameters.indices.reversed() {
      let elements = parameters[i].values
      result[i] = elements[rest % elements.count]
      rest /= elements.count
    }
    return result
  }
}

/// What a transition property requires of every step it applies to: a frame condition.
///
/// A step of one of ``actions`` whose outcome is ``outcome`` may change the variables in
/// ``mayChange`` (its declared outputs) and no other: every other slot of the post-state equals
/// the pre-state's. This is the shape of a specification's "a command that fails changes
/// nothing but its outputs", and of any frame rule ("X_READ changes no state").
public struct TransitionRule: Hashable, Sendable {
  /// Which steps of the actions the rule constrains.
  public enum Outcome: String, Hashable, Sendable, CaseIterable {
    /// Steps on which a failure condition held.
    case failure
    /// Steps on which no failure condition held.
    case success
    /// Every step the guard allowed.
    case any

    /// Whether a step that failed (`failed`) or succeeded is constrained.
    public func constrains(failed: Bool) -> Bool {
      switch self {
      case .failure: return failed
      case .success: return !failed
      case .any: return true
      }
    }
  }

  /// The actions the rule applies to, by name (``Model/validate()`` checks they exist).
  public let actions: [String]
  /// Which of their steps it constrains.
  public let outcome: Outcome
  /// The variables such a step may change; every other variable keeps its value.
  public let mayChange: [VariableID]

  public init(actions: [String], outcome: Outcome, mayChange: [VariableID] = []) {
    self.actions = actions
    self.outcome = outcome
    self.mayChange = mayChange
  }
}

/// A property checked by the engines: a state property must hold in every reachable state; a
/// transition property (``Kind/transition``) must hold of every step taken from a reachable
/// state.
public struct Property: Hashable, Sendable {
  public enum Kind: String, Hashable, Sendable {
    /// A state invariant.
    case invariant
    /// A monitor: the formula says the monitor flag was never set.
    case monitor
    /// An auxiliary lemma: an invariant stated to make the main properties inductive.
    case lemma
    /// A property of steps, not states: ``Property/transition`` says what; its `formula` is
    /// `true` (it holds in every state, and engines that check only states must reject it rather
    /// than report it proved).
    case transition
  }

  public let name: String
  public let kind: Kind
  public let doc: String
  public let formula: Expr
  /// The rule a transition property checks on every step (`nil` for a state property).
  public let transition: TransitionRule?

  public init(name: String, kind: Kind, doc: String, formula: Expr) {
    self.name = name
    self.kind = kind
    self.doc = doc
    self.formula = formula
    self.transition = nil
  }

  /// Creates a transition property.
  public init(name: String, doc: String, transition: TransitionRule) {
    self.name = name
    self.kind = .transition
    self.doc = doc
    self.formula = .boolean(true)
    self.transition = transition
  }

  /// Whether this is a property of steps (``Kind/transition``).
  public var isTransition: Bool { kind == .transition }
}

/// Cells of a state that no step can observe while a condition holds: `cells[k]` is irrelevant
/// while `whileVariable[k] == equals` (the same key tuple `k`), and may be read as `canonical`.
///
/// Only the mutation analysis's equivalence verdict reads it (``Model/unobservable``): two states
/// equal after such cells are set to `canonical` count as the same behaviour. Exploration,
/// proofs and properties never read it, so a declaration can change no state count and no
/// verdict of a property. The model owes the argument that it is right: every action from two
/// states that differ only in such cells gives the same result and outputs, and successors that
/// again differ only in such cells (`reason` says why, in one line).
public struct Unobservable: Hashable, Sendable {
  /// The map whose cells are unobservable.
  public let cells: VariableID
  /// The map, over the same keys, whose value says when they are.
  public let whileVariable: VariableID
  /// The value of `whileVariable[k]` at which `cells[k]` is unobservable.
  public let equals: Value
  /// The value the cells are read as while unobservable.
  public let canonical: Value
  /// Why no step can observe them: one line, from the architecture.
  public let reason: String

  /// For a redundant copy (``init(copy:of:whileVariable:equals:readsAs:canonical:reason:)``): the map `cells[k]`
  /// copies, keyed by the first keys of `k`; `nil` for a plain declaration.
  public let copyOf: VariableID?
  /// For a redundant copy: the value `whileVariable[k]` is read as while the copy equals its source.
  public let conditionReadsAs: Value?
  /// For a copy of an indirect source (``init(copy:of:at:whileVariable:equals:also:readsAs:canonical:reason:)``):
  /// the map, over the copy's keys, whose value is the source's key (`copy[k]` copies `source[index[k]]`).
  public let copyIndex: VariableID?
  /// A second condition on the copy, over its keys: the copy is redundant only while `alsoWhile.variable[k]`
  /// holds `alsoWhile.value` too (a cached STE only while the STE in memory is valid); `nil` for none.
  public let alsoWhile: Condition?

  /// A map's cells equal to a value: ``alsoWhile``'s condition.
  public struct Condition: Hashable, Sendable {
    /// The map, over the copy's keys.
    public let variable: VariableID
    /// The value its cell must hold.
    public let value: Value
    /// The condition `variable[k] == value`.
    public init(_ variable: VariableID, equals value: Value) {
      self.variable = variable
      self.value = value
    }
  }

  /// A declaration that `cells[k]` is unobservable while `whileVariable[k] == equals`.
  public init(cells: VariableID, whileVariable: VariableID, equals: Value, canonical: Value, reason: String) {
    self.init(
      cells, whileVariable, equals, canonical, reason, copy: nil, readsAs: nil, index: nil, also: nil)
  }

  /// A declaration that a copy equal to its source is as good as none: while `whileVariable[k] == equals` and
  /// `copy[k] == source[k₀]` (`k₀` the first keys of `k`, as many as `source` has), `whileVariable[k]` is read as
  /// `readsAs` and `copy[k]` as `canonical` (a clean cache line holding what memory holds is read as an invalid
  /// one).
  ///
  /// Two variables take part, so the model's argument is weaker than a plain declaration's: the states stay
  /// interchangeable only until the source changes under the copy. The equivalence check does not rely on it
  /// (it follows each model from its own states), so a wrong declaration only makes it find a difference later.
  public init(
    copy: VariableID, of source: VariableID, whileVariable: VariableID, equals: Value, readsAs: Value,
    canonical: Value, reason: String
  ) {
    self.init(copy, whileVariable, equals, canonical, reason, copy: source, readsAs: readsAs, index: nil, also: nil)
  }

  /// A redundant copy of an indirect source, under a second condition.
  ///
  /// While `whileVariable[k] == equals`, `also.variable[k] == also.value` and `copy[k] == source[index[k]]`,
  /// `whileVariable[k]` is read as `readsAs` and `copy[k]` as `canonical` (the SMMU's cached STE, naming the realm
  /// of the VDEV the valid STE in memory names, reads as no cached copy). As for
  /// ``init(copy:of:whileVariable:equals:readsAs:canonical:reason:)``, the equivalence check follows each model
  /// from its own states, so it does not rely on the declaration.
  public init(
    copy: VariableID, of source: VariableID, at index: VariableID, whileVariable: VariableID, equals: Value,
    also: Condition, readsAs: Value, canonical: Value, reason: String
  ) {
    self.init(copy, whileVariable, equals, canonical, reason, copy: source, readsAs: readsAs, index: index, also: also)
  }

  /// Every field.
  private init(
    _ cells: VariableID, _ whileVariable: VariableID, _ equals: Value, _ canonical: Value, _ reason: String,
    copy source: VariableID?, readsAs: Value?, index: VariableID?, also: Condition?
  ) {
    self.cells = cells
    self.whileVariable = whileVariable
    self.equals = equals
    self.canonical = canonical
    self.reason = reason
    self.copyOf = source
    self.conditionReadsAs = readsAs
    self.copyIndex = index
    self.alsoWhile = also
  }
}

/// A model: state variables, the initial state, actions and properties, built for one
/// configuration.
public struct Model: Sendable {
  public let name: String
  public let configuration: Configuration
  public let variables: [StateVariable]
  /// The initial value of every variable: an expression over the variable's key variables
  /// (one bound variable per key, in order), reading no state.
  public let initial: [VariableID: (keys: [BoundVariable], value: Expr)]
  public let actions: [Action]
  public let properties: [Property]
  /// Mistakes recorded by ``ModelBuilder`` while the model was built (a misspelt parameter
  /// name); ``validate()`` throws the first.
  public let builderErrors: [ModelError]
  /// What the model says about its interface (parties, calls, encodings), for renderings and
  /// scenarios; engines never read it.
  public let abi: ABIDescription
  /// Cells no step can observe in some states (``Unobservable``): read only by the mutation
  /// analysis's equivalence verdict, never by exploration, proofs or properties.
  public let unobservable: [Unobservable]

  public init(
    name: String, configuration: Configuration, variables: [StateVariable],
    initial: [VariableID: (keys: [BoundVariable], value: Expr)], actions: [Action],
    properties: [Property], builderErrors: [ModelError] = [], abi: ABIDescription = ABIDescription(),
    unobservable: [Unobservable] = []
  ) {
    self.abi = abi
    self.unobservable = unobservable
    self.name = name
    self.configuration = configuration
    self.variables = variables
    self.initial = initial
    self.actions = actions
    self.properties = properties
    self.builderErrors = builderErrors
  }

  public subscript(_ id: VariableID) -> StateVariable { variables[id.index] }

  /// The variable with the given name.
  public func variable(named name: String) -> VariableID? {
    variables.firstIndex { $0.name == name }.map(VariableID.init)
  }

  /// The names of the index sorts the model's variables and parameters use: the sorts a
  /// parametric proof may make uninterpreted.
  public var indexSorts: Set<String> {
    var names: Set<String> = []
    func add(_ domain: Domain) { if case .index(let sort) = domain { names.insert(sort.name) } }
    for variable in variables {
      variable.keys.forEach(add)
      add(variable.value)
    }
    for action in actions { action.parameters.forEach { add($0.domain) } }
    return names
  }

  /// The property with the given name.
  public func property(named name: String) -> Property? {
    properties.first { $0.name == name }
  }

  /// The parties of the model: those its ``ABIDescription`` declares, then any other caller of
  /// an action, in order of first use.
  public var parties: [Party] {
    var result = abi.parties
    for action in actions where !result.contains(action.caller) { result.append(action.caller) }
    return result
  }

  /// The action with the given name.
  public func action(named name: String) -> Int? {
    actions.firstIndex { $0.name == name }
  }

  /// The logical layout of the model's states.
  public var layout: StateLayout { StateLayout(variables: variables) }
}
