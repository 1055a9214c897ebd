/// A handle to a state variable while a model is being built; reading it yields expressions.
public struct Variable: Hashable, Sendable {
  public let id: VariableID
  public let keyDomains: [Domain]
  public let valueDomain: Domain

  /// The value of a scalar variable.
  ///
  /// On a map variable this is a read without keys, which ``Model/validate()`` rejects naming
  /// the variable and its keys (a thrown ``ModelError``, not a crash).
  public var value: Expr {
    .read(id, keys: [])
  }

  /// The value of a map element.
  public subscript(_ keys: Expr...) -> Expr {
    .read(id, keys: keys)
  }

  /// The value of a map element, keys as an array.
  public func at(_ keys: [Expr]) -> Expr { .read(id, keys: keys) }
}

/// Builds a ``Model`` from declarations that read like the specification.
///
/// ```swift
/// let b = ModelBuilder(name: "toy", configuration: config)
/// let x = b.variable("x", .range(0, 3), initial: 0)
/// let env = b.party("env")
/// b.action("inc", by: env) { a in
///   a.fail("at_max", error: "FULL", code: 1, when: x.value.eq(3))
///   a.set(x, to: x.value + 1)
/// }
/// b.invariant("small", x.value.le(3))
/// let model = b.build()
/// ```
public final class ModelBuilder {
  public let name: String
  public let configuration: Configuration
  private var variables: [StateVariable] = []
  private var initial: [VariableID: (keys: [BoundVariable], value: Expr)] = [:]
  private var actions: [Action] = []
  private var properties: [Property] = []
  /// Mistakes found while building (a misspelt parameter name), thrown by ``Model/validate()``.
  private var errors: [ModelError] = []
  /// What the model says about its interface: parties, calls and their function identifiers, statuses, encodings,
  /// structure layouts (``ABIDescription``).
  ///
  /// Renderings and scenarios read it from the built model.
  public var abi = ABIDescription()
  /// The cells declared unobservable so far (``unobservable(_:while:equals:canonical:reason:)``).
  private var unobservable: [Unobservable] = []

  public init(name: String, configuration: Configuration) {
    self.name = name
    self.configuration = configuration
  }

  /// Declares a scalar state variable with its initial value.
  @discardableResult
  public func variable(
    _ name: String, _ value: Domain, role: StateVariable.Role = .state, doc: String = "",
    initial: Expr
  ) -> Variable {
    map(name, keys: [], value, role: role, doc: doc) { _ in initial }
  }

  /// Declares a map state variable; `initial` gives each element's initial value from its keys.
  @discardableResult
  public func map(
    _ name: String, keys: [Domain], _ value: Domain, role: StateVariable.Role = .state,
    doc: String = "", initial: ([Expr]) -> Expr
  ) -> Variable {
    let id = VariableID(variables.count)
    variables.append(StateVariable(name: name, keys: keys, value: value, role: role, doc: doc))
    let bound = keys.map { BoundVariable($0) }
    self.initial[id] = (bound, initial(bound.map { .bound($0) }))
    return Variable(id: id, keyDomains: keys, valueDomain: value)
  }

  /// Replaces the initial value of a declared variable: for a configuration that starts where a
  /// fixed prefix of actions ends (its reachability is then the configuration's to show).
  public func setInitial(_ variable: Variable, _ initial: ([Expr]) -> Expr) {
    let bound = variable.keyDomains.map { BoundVariable($0) }
    self.initial[variable.id] = (bound, initial(bound.map { .bound($0) }))
  }

  /// Declares a party that performs actions (in ``ABIDescription/parties``, the order lanes are
  /// drawn) and returns it for ``action(_:by:doc:parameters:successCode:_:)``.
  @discardableResult
  public func party(_ name: String) -> Party {
    let party = Party(name)
    if !abi.parties.contains(party) { abi.parties.append(party) }
    return party
  }

  /// Declares an action performed by `caller`; `body` states its guard, failure conditions and
  /// effects.
  ///
  /// `caller` is a party the model declares with ``party(_:)`` (then a misspelt one fails
  /// validation), or any name when the model declares none: `by: "thread"` reads as a
  /// ``Party``.
  public func action(
    _ name: String, by caller: Party, doc: String = "", parameters: [Parameter] = [],
    successCode: Value = 0, _ body: (ActionBuilder) -> Void
  ) {
    let builder = ActionBuilder(action: name, parameters: parameters)
    body(builder)
    errors += builder.errors
    actions.append(
      Action(
        name: name, caller: caller, doc: doc, parameters: parameters,
        guardCondition: builder.guardCondition, failures: builder.failures,
        effects: builder.effects + builder.ghostEffects, successCode: successCode, outputs: builder.outputs))
  }

  /// Gives `variable` the initial value `source` has now (both with the same keys): a ghost that starts as a copy of
  /// the state it abstracts, whichever start state the model chose.
  public func copyInitial(_ variable: Variable, from source: Variable) {
    if let value = initial[source.id] { initial[variable.id] = value }
  }

  /// Declares a state invariant.
  public func invariant(_ name: String, doc: String = "", _ formula: Expr) {
    properties.append(Property(name: name, kind: .invariant, doc: doc, formula: formula))
  }

  /// Declares a monitor property: the monitor flag must never be set.
  public func monitor(_ name: String, doc: String = "", flag: Variable) {
    properties.append(Property(name: name, kind: .monitor, doc: doc, formula: !flag.value))
  }

  /// Declares an auxiliary lemma that helps make the main properties inductive.
  public func lemma(_ name: String, doc: String = "", _ formula: Expr) {
    properties.append(Property(name: name, kind: .lemma, doc: doc, formula: formula))
  }

  /// Declares a transition property: every step of `actions` whose outcome is `outcome` changes
  /// no variable but those in `mayChange` (see ``TransitionRule``).
  public func transitionProperty(
    _ name: String, doc: String = "", actions: [String], on outcome: TransitionRule.Outcome,
    mayChange: [Variable] = []
  ) {
    properties.append(
      Property(
        name: name, doc: doc,
        transition: TransitionRule(actions: actions, outcome: outcome, mayChange: mayChange.map(\.id))))
  }

  /// The names of the actions declared so far, in order.
  public var actionNames: [String] { actions.map(\.name) }

  /// Declares `cells[k]` unobservable while `state[k] == value` (see ``Unobservable``): only the
  /// mutation analysis's equivalence verdict reads it.
  ///
  /// - Precondition: the two maps have the same keys, and `canonical` is in `cells`'s domain.
  public func unobservable(
    _ cells: Variable, while state: Variable, equals value: Value, canonical: Value, reason: String
  ) {
    precondition(cells.keyDomains == state.keyDomains, "unobservable cells need a condition over the same keys")
    precondition(cells.valueDomain.contains(canonical), "the canonical value must be in the cells' domain")
    unobservable.append(
      Unobservable(cells: cells.id, whileVariable: state.id, equals: value, canonical: canonical, reason: reason))
  }

  /// Declares a copy that equals its source as good as none.
  ///
  /// See ``Unobservable/init(copy:of:whileVariable:equals:readsAs:canonical:reason:)``: while `state[k] == value`
  /// and `copy[k] == source[k₀]`, `state[k]` is read as `readsAs` and `copy[k]` as `canonical`. Only the mutation
  /// analysis's equivalence verdict reads it.
  ///
  /// - Precondition: `copy` and `state` have the same keys, `source`'s keys are their first keys, and `readsAs` and `canonical` are in their maps' domains.
  public func unobservableCopy(
    _ copy: Variable, of source: Variable, while state: Variable, equals value: Value, readsAs: Value,
    canonical: Value, reason: String
  ) {
    precondition(copy.keyDomains == state.keyDomains, "a redundant copy needs a condition over the same keys")
    precondition(
      Array(copy.keyDomains.prefix(source.keyDomains.count)) == source.keyDomains,
      "a copy's source is keyed by the copy's first keys")
    precondition(state.valueDomain.contains(readsAs), "the condition's other value must be in its domain")
    precondition(copy.valueDomain.contains(canonical), "the canonical value must be in the copy's domain")
    unobservable.append(
      Unobservable(
        copy: copy.id, of: source.id, whileVariable: state.id, equals: value, readsAs: readsAs, canonical: canonical,
        reason: reason))
  }

  /// Declares a copy of an indirect source as good as none, under a second condition.
  ///
  /// See ``Unobservable/init(copy:of:at:whileVariable:equals:also:readsAs:canonical:reason:)``: while
  /// `state[k] == value`, `other[k] == otherValue` and `copy[k] == source[index[k]]`, `state[k]` is read as `readsAs`
  /// and `copy[k]` as `canonical`. Only the mutation analysis's equivalence verdict reads it.
  ///
  /// - Precondition: `copy`, `state`, `index` and `other` have the same keys, `source` has one key, in whose domain
  ///   `index`'s values are, and `readsAs` and `canonical` are in their maps' domains.
  public func unobservableCopy(
    _ copy: Variable, of source: Variable, at index: Variable, while state: Variable, equals value: Value,
    and other: Variable, equals otherValue: Value, readsAs: Value, canonical: Value, reason: String
  ) {
    precondition(
      [state, index, other].allSatisfy { $0.keyDomains == copy.keyDomains },
      "a redundant copy needs its conditions and index over the same keys")
    precondition(source.keyDomains.count == 1, "an indirect source has one key, the index's value")
    precondition(state.valueDomain.contains(readsAs), "the condition's other value must be in its domain")
    precondition(copy.valueDomain.contains(canonical), "the canonical value must be in the copy's domain")
    unobservable.append(
      Unobservable(
        copy: copy.id, of: source.id, at: index.id, whileVariable: state.id, equals: value,
        also: .init(other.id, equals: otherValue), readsAs: readsAs, canonical: canonical, reason: reason))
  }

  /// The model built so far (not yet validated; ``ModelFamily/build(_:)`` and compiling it
  /// validate, throwing the first mistake recorded while building).
  public func build() -> Model {
    Model(
      name: name, configuration: configuration, variables: variables, initial: initial,
      actions: actions, properties: properties, builderErrors: errors, abi: abi, unobservable: unobservable)
  }
}

/// Collects one action's guard, failure conditions and effects.
public final class ActionBuilder {
  /// The name of the action being built.
  public let action: String
  public let parameters: [Parameter]
  fileprivate(set) var guardCondition: Expr = true
  fileprivate(set) var failures: [FailureCondition] = []
  fileprivate(set) var effects: [Effect] = []
  fileprivate(set) var outputs: [Output] = []
  /// Ghost writes (``setGhost(_:_:to:)``), emitted after every other effect.
  fileprivate(set) var ghostEffects: [Effect] = []
  private var conditions: [Expr] = []
  /// Mistakes recorded while building the action, in order.
  fileprivate(set) var errors: [ModelError] = []

  init(action: String, parameters: [Parameter]) {
    self.action = action
    self.parameters = parameters
  }

  /// The action's arguments as expressions, in parameter order.
  public var args: [Expr] { parameters.indices.map { .parameter($0) } }

  /// The argument named `name`.
  ///
  /// An unknown name is recorded (naming the action and its parameters) and thrown when the
  /// model is validated; the expression returned then is a placeholder no engine ever runs.
  public func arg(_ name: String) -> Expr {
    guard let i = parameters.firstIndex(where: { $0.name == name }) else {
      let valid = parameters.isEmpty ? "(none)" : parameters.map(\.name).joined(separator: ", ")
      errors.append(.invalid(location: "action \(action)", message: "unknown parameter '\(name)'; valid: \(valid)"))
      return .parameter(parameters.count)
    }
    return .parameter(i)
  }

  /// Adds to the guard: the action is enabled only when every `requires` holds.
  public func requires(_ condition: Expr) {
    guardCondition = guardCondition && condition
  }

  /// Adds the next failure condition, in priority order; `index` goes in bits [15:8] of the
  /// returned value (the RTT level of `RMI_ERROR_RTT`).
  ///
  /// `effects` model an implementation bug that changes state and then fails (see
  /// ``FailureCondition``); a correct model gives none.
  public func fail(
    _ name: String, error: String, code: Value, index: Expr = .literal(0), when condition: Expr,
    effects: [Effect] = []
  ) {
    failures.append(
      FailureCondition(name: name, error: error, code: code, index: index, when: condition, effects: effects))
  }

  /// Declares an output returned on success (X1..X4), evaluated in the pre-state, and also on the
  /// failure conditions named in `failures` (``Output/failures``).
  public func output(_ name: String, _ value: Expr, alsoOn failures: [String] = []) {
    outputs.append(Output(name, value, failures: failures))
  }

  /// Declares the status returned on success when it depends on the pre-state (the action's
  /// `successCode` otherwise): an output named `x0`, evaluated in the pre-state like the others.
  ///
  /// A call that returns it changes the state as any successful call does (RSI_INCOMPLETE with
  /// progress); a call that changes nothing is a failure condition.
  public func status(_ value: Expr) {
    outputs.append(Output("x0", value, isStatus: true))
  }

  private var currentCondition: Expr {
    conditions.reduce(Expr.boolean(true)) { $0 && $1 }
  }

  /// Writes a scalar variable.
  public func set(_ variable: Variable, to value: Expr) {
    effects.append(.assign(variable.id, keys: [], value: value, when: currentCondition))
  }

  /// Writes a map element.
  public func set(_ variable: Variable, _ keys: [Expr], to value: Expr) {
    effects.append(.assign(variable.id, keys: keys, value: value, when: currentCondition))
  }

  /// Writes every element whose keys satisfy `condition` (and any enclosing `when`).
  public func setAll(
    _ variable: Variable, where condition: ([Expr]) -> Expr = { _ in true },
    to value: ([Expr]) -> Expr
  ) {
    let bound = variable.keyDomains.map { BoundVariable($0) }
    let keys = bound.map { Expr.bound($0) }
    effects.append(
      .assignAll(
        variable.id, keys: bound, condition: currentCondition && condition(keys),
        value: value(keys)))
  }

  /// Writes the ghost map element `variable[keys] := value` (over the pre-state, under any enclosing `when`) as one of
  /// the action's last effects.
  ///
  /// A ghost is a monitor variable no guard reads: putting its writes after the others keeps the positions of the
  /// other effects (the mutants' ids) what they are without it, wherever in the action the write is stated.
  public func setGhost(_ variable: Variable, _ keys: [Expr], to value: Expr) {
    ghostEffects.append(.assign(variable.id, keys: keys, value: value, when: currentCondition))
  }

  /// Writes every element of the ghost `variable` whose keys satisfy `condition` (``setGhost(_:_:to:)``).
  public func setGhostAll(_ variable: Variable, where condition: ([Expr]) -> Expr, to value: ([Expr]) -> Expr) {
    let bound = variable.keyDomains.map { BoundVariable($0) }
    let keys = bound.map { Expr.bound($0) }
    ghostEffects.append(
      .assignAll(variable.id, keys: bound, condition: currentCondition && condition(keys), value: value(keys)))
  }

  /// Makes the effects written in `body` conditional on `condition`.
  public func when(_ condition: Expr, _ body: () -> Void) {
    conditions.append(condition)
    body()
    conditions.removeLast()
  }
}
