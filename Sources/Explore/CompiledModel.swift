import Spec

/// What happens when an action runs in a state with given arguments.
public enum StepOutcome: Hashable, Sendable {
  /// The action's guard does not hold: the step cannot be taken.
  case disabled
  /// The failure condition at position `condition` of the action held first and the action
  /// returned `code`. The state is unchanged, unless the condition carries effects (a mutant's
  /// "state set, then the error returned"): then `next` is the successor.
  case failed(condition: Int, code: Value, next: State? = nil)
  /// No failure condition held; the effects applied, giving the successor state.
  case succeeded(State)

  /// The state after the step from `state`: the successor of a success or of a failure with
  /// effects, else `state` itself.
  public func successor(of state: State) -> State {
    switch self {
    case .succeeded(let next): return next
    case .failed(_, _, let next?): return next
    default: return state
    }
  }
}

/// A whole compiled step: returns ``CompiledModel/disabledCode``,
/// ``CompiledModel/succeededCode`` (the successor is in the post buffer) or the index of the
/// first failure condition that holds (when that condition carries effects, the successor is in
/// the post buffer too: ``CompiledAction/failureChanges``).
typealias StepBody = @Sendable (EvalContext, UnsafeMutablePointer<UInt64>) throws -> Int

/// A guard conjunct hoisted to a prefix of the parameters (see
/// ``CompiledAction/prefixGuards``).
final class PrefixGuard: Sendable {
  /// How many leading parameters it reads.
  let level: Int
  /// How many consecutive argument tuples share those parameters.
  let block: Int
  let eval: Eval

  init(level: Int, block: Int, eval: @escaping Eval) {
    self.level = level
    self.block = block
    self.eval = eval
  }
}

/// One action compiled to closures.
final class CompiledAction: Sendable {
  let name: String
  let guardFn: Eval?
  let failures: [EvalBox]
  let effects: [ExecBox]
  /// Per failure condition, whether it carries effects, so a failed step writes a successor.
  let failureChanges: [Bool]
  /// Whether some failure condition carries effects.
  let hasFailureEffects: Bool
  /// Guard, failure conditions, state copy and effects fused into one closure, so the hot loop
  /// makes one indirect call per step.
  let body: StepBody
  /// The guard's leading conjuncts that read only the first `level` parameters, by level: the
  /// exhaustive search evaluates each once per block of argument tuples sharing those
  /// parameters and skips the block when it fails.
  let prefixGuards: [PrefixGuard]
  /// Unretained references to ``prefixGuards`` for the hot loop (reading a class reference out
  /// of an array would retain it).
  let prefixGuardRefs: [Unmanaged<PrefixGuard>]
  /// ``body`` without the prefix guards (for callers that evaluated them).
  let innerBody: StepBody
  /// Copies the pre-state and applies the effects: the step once every check has passed
  /// (``CheckProgram``).
  let effectsBody: StepBody
  /// `blockSizes[k]`: how many consecutive argument tuples share their first `k` parameters.
  let blockSizes: [Int]
  let arity: Int
  /// Subexpressions that read only parameters (no state, no bound variable), computed once per
  /// argument tuple and stored after the parameters: the compiled closures read derived value
  /// `j` as argument `arity + j`.
  let derived: [EvalBox]
  /// Values per stored tuple: the parameters, then the derived values.
  let stride: Int
  /// The number of argument tuples (1 for an action without parameters).
  let argumentCount: Int
  /// All argument tuples (each followed by its derived values), flat, in the canonical order
  /// of ``Action/arguments(at:)``.
  ///
  /// Padded to at least one element so a pointer into it is always valid; empty when the
  /// tuples are too many to store, and then decoded on demand.
  let argumentTuples: [Value]
  let radices: [[Value]]
  let parameterDomains: [Domain]

  static let storedTupleLimit: Int = 1 << 20

  init(
    name: String, guardFn: Eval?, prefixGuards: [(level: Int, eval: EvalBox)], innerGuard: Eval?,
    failures: [EvalBox], failureEffects: [[ExecBox]], effects: [ExecBox], parameters: [Parameter],
    derived: [EvalBox], words: Int
  ) {
    self.name = name
    self.guardFn = guardFn
    self.failures = failures
    self.effects = effects
    self.failureChanges = failureEffects.map { !$0.isEmpty }
    self.hasFailureEffects = failureChanges.contains(true)
    self.body = Self.fuse(
      guardFn: guardFn, failures: failures, failureEffects: failureEffects, effects: effects, words: words)
    var sizes = [Int](repeating: 1, count: parameters.count + 1)
    for k in parameters.indices.reversed() {
      sizes[k] = sizes[k + 1] * parameters[k].values.count
    }
    self.prefixGuards = prefixGuards.map { PrefixGuard(level: $0.level, block: sizes[$0.level], eval: $0.eval.eval) }
    self.prefixGuardRefs = self.prefixGuards.map { Unmanaged.passUnretained($0) }
    self.innerBody =
      prefixGuards.isEmpty
      ? body
      : Self.fuse(
        guardFn: innerGuard, failures: failures, failureEffects: failureEffects, effects: effects, words: words)
    self.effectsBody = Self.fuse(guardFn: nil, failures: [], failureEffects: [], effects: effects, words: words)
    self.blockSizes = sizes
    self.arity = parameters.count
    self.derived = derived
    self.stride = parameters.count + derived.count
    self.parameterDomains = parameters.map(\.domain)
    self.radices = parameters.map(\.values)
    let count = radices.reduce(1) { $0 * $1.count }
    self.argumentCount = count
    let stored: Int = count * Swift.max(stride, 1)
    if stored <= Self.storedTupleLimit {
      var tuples = [Value](repeating: 0, count: max(count * stride, 1))
      if arity > 0 {
        var odometer = [Int](repeating: 0, count: arity)
        for t in 0..<count {
          for i in 0..<arity { tuples[t * stride + i] = radices[i][odometer[i]] }
          var i = arity - 1
          while i >= 0 {
            odometer[i] += 1
            if odometer[i] < radices[i].count { break }
            odometer[i] = 0
            i -= 1
          }
        }
        if !derived.isEmpty {
          let (stride, arity) = (parameters.count + derived.count, parameters.count)
          tuples.withUnsafeMutableBufferPointer { buffer in
            for t in 0..<count {
              Self.completeArguments(buffer.start + t * stride, arity: arity, derived: derived)
            }
          }
        }
      }
      self.argumentTuples = tuples
    } else {
      self.argumentTuples = []
    }
  }

  /// Fuses a step's parts into one closure; the chains of failure conditions and effects are
  /// nested closures, so no array is touched while stepping (but for the failure effects of a
  /// mutant, looked up by the failing condition's index).
  static func fuse(
    guardFn: Eval?, failures: [EvalBox], failureEffects: [[ExecBox]], effects: [ExecBox], words: Int
  ) -> StepBody {
    var firstFailure: (@Sendable (EvalContext) throws -> Int)? = nil
    for i in failures.indices.reversed() {
      let f = failures[i].eval
      if let rest = firstFailure {
        firstFailure = { c in try f(c) != 0 ? i : try rest(c) }
      } else {
        firstFailure = { c in try f(c) != 0 ? i : -1 }
      }
    }
    let apply = chain(effects)
    let copy: @Sendable (EvalContext, UnsafeMutablePointer<UInt64>) -> Void
    if words == 1 {
      copy = { c, post in post[0] = c.state[0] }
    } else if words == 2 {
      copy = { c, post in
        post[0] = c.state[0]
        post[1] = c.state[1]
      }
    } else {
      copy = { c, post in post.update(from: c.state, count: words) }
    }
    let effectsThen: @Sendable (EvalContext, UnsafeMutablePointer<UInt64>) throws -> Int
    if let apply {
      effectsThen = { c, post in
        copy(c, post)
        try apply(c, post)
        return CompiledModel.succeededCode
      }
    } else {
      effectsThen = { c, post in
        copy(c, post)
        return CompiledModel.succeededCode
      }
    }
    if let failure = firstFailure, failureEffects.contains(where: { !$0.isEmpty }) {
      // A failing step with effects: copy the pre-state, then apply that condition's effects.
      let applies: [ExecBox?] = failureEffects.map { chain($0).map(ExecBox.init) }
      let failing: StepBody = { c, post in
        let r = try failure(c)
        if r >= 0, let apply = applies[r]?.exec {
          copy(c, post)
          try apply(c, post)
        }
        return r
      }
      if let g = guardFn {
        return { c, post in
          if try g(c) == 0 { return CompiledModel.disabledCode }
          let r = try failing(c, post)
          return r >= 0 ? r : try effectsThen(c, post)
        }
      }
      return { c, post in
        let r = try failing(c, post)
        return r >= 0 ? r : try effectsThen(c, post)
      }
    }
    switch (guardFn, firstFailure) {
    case (nil, nil):
      return effectsThen
    case (nil, let failure?):
      return { c, post in
        let r = try failure(c)
        return r >= 0 ? r : try effectsThen(c, post)
      }
    case (let g?, nil):
      return { c, post in try g(c) == 0 ? CompiledModel.disabledCode : try effectsThen(c, post) }
    case (let g?, let failure?):
      return { c, post in
        if try g(c) == 0 { return CompiledModel.disabledCode }
        let r = try failure(c)
        return r >= 0 ? r : try effectsThen(c, post)
      }
    }
  }

  /// Effects applied in list order as one closure, or `nil` when there are none.
  private static func chain(_ effects: [ExecBox]) -> Exec? {
    var apply: Exec? = nil
    for box in effects.reversed() {
      let e = box.exec
      if let rest = apply {
        apply = { c, post in
          try e(c, post)
          try rest(c, post)
        }
      } else {
        apply = e
      }
    }
    return apply
  }

  /// Writes the argument tuple at `position`, and its derived values, into `buffer`.
  @inline(__always)
  func decodeArguments(_ position: Int, into buffer: UnsafeMutablePointer<Value>) {
    var rest = position
    var i = arity - 1
    while i >= 0 {
      let r = radices[i]
      buffer[i] = r[rest % r.count]
      rest /= r.count
      i -= 1
    }
    if !derived.isEmpty { Self.completeArguments(buffer, arity: arity, derived: derived) }
  }

  /// Computes the derived values of the parameters in `buffer[0 ..< arity]` into the slots
  /// after them.
  func completeArguments(_ buffer: UnsafeMutablePointer<Value>) {
    if !derived.isEmpty { Self.completeArguments(buffer, arity: arity, derived: derived) }
  }

  private static func completeArguments(_ buffer: UnsafeMutablePointer<Value>, arity: Int, derived: [EvalBox]) {
    // Derived expressions read neither state nor bound variables, so they cannot throw; the
    // state pointer is never dereferenced.
    var unusedBound: UInt64 = 0
    withUnsafeMutablePointer(to: &unusedBound) { bound in
      let context = EvalContext(state: UnsafePointer(buffer), args: UnsafePointer(buffer), bound: bound)
      for (j, d) in derived.enumerated() {
        buffer[arity + j] = (try? d.eval(context)) ?? 0
      }
    }
  }
}

/// Buffers one thread needs to run steps without allocating: the post-state, bound-variable
/// slots and an argument tuple.
final class Scratch {
  let post: UnsafeMutablePointer<UInt64>
  let bound: UnsafeMutablePointer<UInt64>
  let args: UnsafeMutablePointer<UInt64>
  let words: Int

  init(words: Int, bound: Int, maxArity: Int) {
    // `maxArity` counts derived values too: it is the widest stored tuple.
    self.words = words
    post = .allocate(capacity: max(words, 1))
    post.initialize(repeating: 0, count: max(words, 1))
    self.bound = .allocate(capacity: max(bound, 1))
    self.bound.initialize(repeating: 0, count: max(bound, 1))
    args = .allocate(capacity: max(maxArity, 1))
    args.initialize(repeating: 0, count: max(maxArity, 1))
  }

  deinit {
    post.deallocate()
    bound.deallocate()
    args.deallocate()
  }
}

/// A model compiled once into closures over packed states: the one semantics interface every
/// concrete engine (BFS, random walks, replay) and the differential test consume.
///
/// Compilation validates the model, assigns every state slot its bits in packed 64-bit words
/// (each slot takes the bit width of its domain and never straddles two words) and turns every
/// guard, failure condition, effect and property into a closure, so a step never walks the
/// expression tree.
///
/// A compiled model is immutable and can be shared between threads.
public final class CompiledModel: Sendable {
  /// The model this was compiled from.
  public let model: Model
  /// Owns the tables the compiled closures read.
  let arena: Arena
  let layout: PackedLayout
  let actions: [CompiledAction]
  let propertyFns: [EvalBox]
  /// Per property: its compiled rule when it is a transition property (``Property/transition``).
  let transitionRules: [CompiledTransitionRule?]
  /// Per action and failure condition, the compiled index (bits [15:8] of the returned value)
  /// when it is not the constant 0.
  let indexFns: [[EvalBox?]]
  /// Per action, its compiled outputs.
  let outputFns: [[EvalBox]]
  let boundCount: Int
  let maxArity: Int
  let initialWords: [UInt64]
  /// `transitionBase[a]` is the global index of action `a`'s first argument tuple; the last
  /// element is the total number of (action, arguments) pairs.
  let transitionBase: [Int]
  /// Per action, how the exhaustive search runs it without evaluating what its arguments
  /// already decide (``CheckProgram``), or `nil` when it runs the fused body on every tuple.
  let programs: [CheckProgram?]

  static let disabledCode = -2
  static let succeededCode = -1

  /// Validates and compiles a model.
  ///
  /// - Throws: ``ModelError`` when the model is malformed, ``ExploreError/modelRuntime(location:message:)``
  ///   when an initial value lies outside its variable's domain.
  /// - Complexity: linear in the size of the model's IR plus the number of state slots and
  ///   argument tuples.
  public init(_ model: Model) throws {
    try model.validate()
    self.model = model
    let arena = Arena()
    self.arena = arena
    let layout = PackedLayout(variables: model.variables, arena: arena)
    self.layout = layout
    let compiler = ExprCompiler(model: model, layout: layout, arena: arena)
    var actions: [CompiledAction] = []
    var base: [Int] = [0]
    var checks: [[(expr: Expr, eval: EvalBox, outcome: Int)]] = []
    var atomTemplates: [[AtomTemplate?]] = []
    for action in model.actions {
      compiler.location = "action \(action.name)"
      // Parameter-only subexpressions become derived arguments, computed once per tuple.
      let arity = action.parameters.count
      let derivedExprs = Self.parameterOnlySubexpressions(of: action)
      let derived = derivedExprs.map { EvalBox(eval: compiler.compile($0)) }
      compiler.derived = Dictionary(
        uniqueKeysWithValues: derivedExprs.enumerated().map { ($0.element, arity + $0.offset) })
      compiler.argumentValues = Self.argumentValues(of: action, derived: derived)
      defer {
        compiler.derived = [:]
        compiler.argumentValues = [:]
      }
      let guardFn = Self.compileGuard(action.guardCondition, compiler)
      let (prefix, inner) = Self.splitGuard(action.guardCondition, arity: action.parameters.count)
      let compiled = CompiledAction(
        name: action.name,
        guardFn: guardFn,
        prefixGuards: prefix.map { ($0.level, EvalBox(eval: compiler.compile($0.condition))) },
        innerGuard: Self.compileGuard(inner, compiler),
        failures: action.failures.map { EvalBox(eval: compiler.compile($0.condition)) },
        failureEffects: action.failures.map { $0.effects.map { ExecBox(exec: compiler.effect($0)) } },
        effects: action.effects.map { ExecBox(exec: compiler.effect($0)) },
        parameters: action.parameters, derived: derived, words: layout.wordCount)
      actions.append(compiled)
      base.append(base[base.count - 1] + compiled.argumentCount)
      // The same conditions again, one closure per guard conjunct and failure condition, for
      // the check program built below (once the bound-variable slots are known).
      checks.append(
        CheckProgram.conjuncts(of: action.guardCondition).map {
          (expr: $0, eval: EvalBox(eval: compiler.compile($0)), outcome: Self.disabledCode)
        }
          + action.failures.enumerated().map {
            (expr: $1.condition, eval: EvalBox(eval: compiler.compile($1.condition)), outcome: $0)
          })
      atomTemplates.append(
        (CheckProgram.conjuncts(of: action.guardCondition) + action.failures.map(\.condition)).map {
          Self.atomTemplate($0, compiler: compiler)
        })
    }
    guard base[base.count - 1] < Int(UInt32.max) else {
      throw ModelError.invalid(
        location: "model \(model.name)",
        message: "\(base[base.count - 1]) (action, arguments) pairs; the concrete engine supports fewer than 2^32")
    }
    self.actions = actions
    self.transitionBase = base
    var indexFns: [[EvalBox?]] = []
    var outputFns: [[EvalBox]] = []
    for action in model.actions {
      compiler.location = "action \(action.name)"
      indexFns.append(action.failures.map { $0.hasConstantCode ? nil : EvalBox(eval: compiler.compile($0.index)) })
      outputFns.append(action.outputs.map { EvalBox(eval: compiler.compile($0.value)) })
    }
    self.indexFns = indexFns
    self.outputFns = outputFns
    self.maxArity = actions.map(\.stride).max() ?? 0
    var properties: [EvalBox] = []
    for property in model.properties {
      compiler.location = "property \(property.name)"
      properties.append(EvalBox(eval: compiler.compile(property.formula)))
    }
    self.propertyFns = properties
    self.transitionRules = model.properties.map { p in
      p.transition.map { CompiledTransitionRule($0, model: model, layout: layout) }
    }
    // The initial state: every variable's initial expression over its key variables.
    var initialEffects: [(String, Exec)] = []
    for (index, variable) in model.variables.enumerated() {
      guard let (keys, value) = model.initial[VariableID(index)] else { continue }
      compiler.location = "initial value of \(variable.name)"
      initialEffects.append(
        (
          compiler.location,
          compiler.effect(
            keys.isEmpty
              ? .assign(VariableID(index), keys: [], value: value, when: true)
              : .assignAll(VariableID(index), keys: keys, condition: true, value: value))
        ))
    }
    self.boundCount = compiler.boundCount
    let scratch = Scratch(words: layout.wordCount, bound: compiler.boundCount, maxArity: maxArity)
    self.programs = actions.indices.map { a in
      CheckProgram(
        action: actions[a], checks: checks[a], effectsBody: actions[a].effectsBody,
        failureCount: model.actions[a].failures.count, scratch: scratch, atomTemplates: atomTemplates[a],
        layout: layout)
    }
    var initial = [UInt64](repeating: 0, count: layout.wordCount)
    try initial.withUnsafeMutableBufferPointer { buffer in
      let context = EvalContext(state: UnsafePointer(buffer.start), args: scratch.args, bound: scratch.bound)
      for (_, effect) in initialEffects { try effect(context, buffer.start) }
    }
    self.initialWords = initial
    initial.withUnsafeBufferPointer { _checkInvariants($0.start) }
  }

  /// The same compiled model with its initial state replaced: every engine (BFS, random walks,
  /// shrinking, replay) run on it starts from `start`.
  ///
  /// Used by proof targets that start from the state a scenario reaches; their traces begin in
  /// `start`, so they replay on this model and, prefixed with the scenario's steps, on the
  /// original one.
  ///
  /// - Precondition: `start` is a state of this model (``state(fromValues:)``).
  /// - Complexity: O(state words); the compiled closures are shared, not copied.
  public func starting(at start: State) -> CompiledModel {
    precondition(start.words.count == layout.wordCount, "state of another model")
    return CompiledModel(copying: self, initialWords: start.words)
  }

  private init(copying other: CompiledModel, initialWords: [UInt64]) {
    model = other.model
    arena = other.arena
    layout = other.layout
    actions = other.actions
    propertyFns = other.propertyFns
    transitionRules = other.transitionRules
    indexFns = other.indexFns
    outputFns = other.outputFns
    boundCount = other.boundCount
    maxArity = other.maxArity
    transitionBase = other.transitionBase
    programs = other.programs
    self.initialWords = initialWords
  }

  /// Every value each argument slot takes: a parameter its domain's values, a derived value
  /// (slot `arity + j`) its value on every argument tuple, when the tuples are few enough to
  /// store (else derived slots are left out, and keys read from them are checked per read).
  static func argumentValues(of action: Action, derived: [EvalBox]) -> [Int: [Value]] {
    var result: [Int: [Value]] = [:]
    let radices = action.parameters.map(\.values)
    for (i, values) in radices.enumerated() { result[i] = values }
    let count = radices.reduce(1) { $0 * $1.count }
    guard !derived.isEmpty, count * (radices.count + derived.count) <= CompiledAction.storedTupleLimit else {
      return result
    }
    let arity = radices.count
    var seen = [Set<Value>](repeating: [], count: derived.count)
    var buffer = [Value](repeating: 0, count: arity + derived.count)
    var unusedBound: UInt64 = 0
    for t in 0..<count {
      var rest = t
      for i in (0..<arity).reversed() {
        buffer[i] = radices[i][rest % radices[i].count]
        rest /= radices[i].count
      }
      buffer.withUnsafeMutableBufferPointer { b in
        guard let base = b.baseAddress else { return }
        withUnsafeMutablePointer(to: &unusedBound) { bound in
          // Derived expressions read only parameters (as ``CompiledAction/completeArguments(_:)``).
          let context = EvalContext(
            state: UnsafePointer(base), args: UnsafePointer(base), bound: bound)
          for (j, d) in derived.enumerated() { seen[j].insert((try? d.eval(context)) ?? 0) }
        }
      }
    }
    for j in derived.indices { result[arity + j] = seen[j].sorted() }
    return result
  }

  /// The maximal subexpressions of an action that read parameters and nothing else (no state,
  /// no bound variable, no quantifier or local definition), other than bare parameters, in
  /// first-occurrence order.
  static func parameterOnlySubexpressions(of action: Action) -> [Expr] {
    var found: [Expr] = []
    var seen: Set<Expr> = []
    /// Returns (reads a parameter, reads only parameters and literals).
    @discardableResult
    func scan(_ e: Expr) -> (parameter: Bool, pure: Bool) {
      switch e {
      case .parameter: return (true, true)
      case .literal, .boolean: return (false, true)
      case .bound: return (false, false)
      default: break
      }
      let results = e.children.map(scan)
      let parameter = results.contains { $0.parameter }
      var pure = results.allSatisfy { $0.pure }
      if case .read = e { pure = false }
      // Quantifiers and local definitions write bound-variable slots, which derived values
      // (computed outside any step) do not have.
      if case .quantified = e { pure = false }
      if case .local = e { pure = false }
      if parameter && pure { return (true, true) }
      for (child, r) in zip(e.children, results) where r.parameter && r.pure {
        if case .parameter = child { continue }
        if seen.insert(child).inserted { found.append(child) }
      }
      return (parameter, pure)
    }
    func root(_ e: Expr) {
      let r = scan(e)
      if r.parameter && r.pure, !(e.isParameter), seen.insert(e).inserted { found.append(e) }
    }
    root(action.guardCondition)
    for failure in action.failures { root(failure.condition) }
    for effect in action.effects + action.failures.flatMap(\.effects) {
      switch effect {
      case .assign(_, let keys, let value, let when):
        keys.forEach(root)
        root(value)
        root(when)
      case .assignAll(_, _, let condition, let value):
        root(condition)
        root(value)
      }
    }
    return found
  }

  /// The inline form of a check that compares one slot, stored as itself, with a constant
  /// (`m[k] == c`, `m[k] != c`, a boolean `m[k]` or `!m[k]`), when its keys read only the
  /// arguments; `nil` otherwise.
  static func atomTemplate(_ expr: Expr, compiler: ExprCompiler) -> AtomTemplate? {
    let readExpr: Expr
    let constant: Value
    let equal: Bool
    switch expr {
    case .binary(let op, let a, let b) where op == .eq || op == .ne:
      if case .read = a, let k = compiler.node(b).constant {
        (readExpr, constant) = (a, k)
      } else if case .read = b, let k = compiler.node(a).constant {
        (readExpr, constant) = (b, k)
      } else {
        return nil
      }
      equal = op == .eq
    case .read:
      (readExpr, constant, equal) = (expr, 0, false)  // true when not 0
    case .unary(.not, let a):
      guard case .read = a else { return nil }
      (readExpr, constant, equal) = (a, 0, true)  // a boolean: true when 0
    default:
      return nil
    }
    guard case .read(let id, let keys) = readExpr, compiler.layout.codecs[id.index].isIdentity else { return nil }
    for key in keys {
      var argumentsOnly = true
      key.forEachNode {
        switch $0 {
        case .read, .bound, .quantified, .local: argumentsOnly = false
        default: break
        }
      }
      guard argumentsOnly else { return nil }
    }
    return AtomTemplate(
      variable: id.index, keys: keys.map { EvalBox(eval: compiler.compile($0)) },
      ordinals: compiler.keyOrdinals[id.index], strides: compiler.layout.logical.strides[id.index],
      constant: constant, equal: equal)
  }

  /// A guard's closure, or `nil` when it is constantly true.
  private static func compileGuard(_ condition: Expr, _ compiler: ExprCompiler) -> Eval? {
    let node = compiler.node(condition)
    switch node.constant {
    case nil: return node.eval
    case 0: return { _ in 0 }
    default: return nil
    }
  }

  /// Splits a guard into leading conjuncts that read only a prefix of the parameters and the
  /// rest.
  ///
  /// Only a leading run of conjuncts whose parameter levels never decrease is hoisted (each to
  /// its level, below the action's arity), so the conjuncts are evaluated in exactly their
  /// original order and a failing or erring conjunct is the same one the whole guard would
  /// reach.
  static func splitGuard(_ condition: Expr, arity: Int) -> (prefix: [(level: Int, condition: Expr)], inner: Expr) {
    let conjuncts: [Expr]
    switch condition {
    case .and(let xs): conjuncts = xs
    case .boolean(true): conjuncts = []
    default: conjuncts = [condition]
    }
    var prefix: [(level: Int, condition: Expr)] = []
    var last = 0
    var i = 0
    while i < conjuncts.count {
      var level = 0
      conjuncts[i].forEachNode { if case .parameter(let p) = $0 { level = Swift.max(level, p + 1) } }
      guard level < arity, level >= last else { break }
      if let end = prefix.last, end.level == level {
        prefix[prefix.count - 1] = (level, end.condition && conjuncts[i])
      } else {
        prefix.append((level, conjuncts[i]))
      }
      last = level
      i += 1
    }
    let rest = Array(conjuncts[i...])
    return (prefix, rest.isEmpty ? .boolean(true) : rest.count == 1 ? rest[0] : .and(rest))
  }

  // MARK: - Layout

  /// The number of 64-bit words in a packed state.
  public var wordsPerState: Int { layout.wordCount }

  /// The number of bits the state's slots use (the packed words hold these plus padding).
  public var bitsPerState: Int { layout.usedBits }

  /// The number of (action, argument tuple) pairs an exhaustive search tries in each state.
  public var transitionsPerState: Int { transitionBase.last ?? 0 }

  func makeScratch() -> Scratch {
    Scratch(words: layout.wordCount, bound: boundCount, maxArity: maxArity)
  }

  // MARK: - Invariants

  #if EXPLORE_INTERNAL_CHECKS
    /// Checks a packed state: every slot decodes to an element of its domain.
    ///
    /// Also checks that every padding bit is zero, so equal states have equal words and
    /// fingerprints. Real work only when built with `-Xswiftc -DEXPLORE_INTERNAL_CHECKS`.
    func _checkInvariants(_ words: UnsafePointer<UInt64>) {
      var used = [UInt64](repeating: 0, count: layout.wordCount)
      var position = 0
      for (v, variable) in model.variables.enumerated() {
        for _ in 0..<variable.slotCount {
          let location = layout.locations[position]
          used[Int(location >> 6)] |= layout.masks[v] << UInt64(location & 63)
          let value = layout.codecs[v].decode(layout.load(words, position: position, mask: layout.masks[v]))
          precondition(
            variable.value.contains(value), "\(layout.logical.name(at: position)) = \(value) outside \(variable.value)")
          position += 1
        }
      }
      for w in 0..<layout.wordCount {
        precondition(words[w] & ~used[w] == 0, "padding bits set in word \(w)")
      }
    }
  #else
    @inline(__always) func _checkInvariants(_ words: UnsafePointer<UInt64>) {}
  #endif

  // MARK: - States

  /// Returns the model's initial state.
  public func initialState() -> State { State(words: initialWords) }

  /// Returns the logical values of a state, in ``StateLayout`` order (the exchange format of
  /// traces and renderings).
  ///
  /// - Complexity: O(number of slots).
  public func values(of state: State) -> [Value] {
    precondition(state.words.count == layout.wordCount, "state of another model")
    var result = [Value](repeating: 0, count: layout.logical.count)
    state.words.withUnsafeBufferPointer { words in
      var position = 0
      for v in model.variables.indices {
        let mask = layout.masks[v]
        let codec = layout.codecs[v]
        for _ in 0..<model.variables[v].slotCount {
          result[position] = codec.decode(layout.load(words.start, position: position, mask: mask))
          position += 1
        }
      }
    }
    return result
  }

  /// Packs logical values (in ``StateLayout`` order) into a state.
  ///
  /// - Throws: ``ExploreError/invalidState(message:)`` when the count is wrong or a value lies
  ///   outside its variable's domain; the message names the slot (`gpi[3]`).
  public func state(fromValues values: [Value]) throws -> State {
    guard values.count == layout.logical.count else {
      throw ExploreError.invalidState(
        message: "\(values.count) values given, the model \(model.name) has \(layout.logical.count) slots")
    }
    var words = [UInt64](repeating: 0, count: layout.wordCount)
    try words.withUnsafeMutableBufferPointer { buffer in
      var position = 0
      for v in model.variables.indices {
        let codec = layout.codecs[v]
        for _ in 0..<model.variables[v].slotCount {
          guard let bits = codec.encode(values[position]) else {
            throw ExploreError.invalidState(
              message:
                "\(layout.logical.name(at: position)) = \(values[position]) is outside the domain \(model.variables[v].value)"
            )
          }
          layout.store(buffer.start, position: position, mask: layout.masks[v], bits: bits)
          position += 1
        }
      }
    }
    return State(words: words)
  }

  /// Returns the 64-bit fingerprint of a state (never 0).
  ///
  /// Distinct states collide with probability about 2^-64 per pair; exhaustive search keeps
  /// only fingerprints, as TLC does.
  public func fingerprint(_ state: State) -> UInt64 {
    state.words.withUnsafeBufferPointer { packedFingerprint($0.start, count: $0.count) }
  }

  // MARK: - Steps

  /// The number of argument tuples of an action.
  public func argumentCount(action: Int) -> Int { actions[action].argumentCount }

  /// The argument tuple at a position of an action's canonical enumeration.
  public func arguments(action: Int, position: Int) -> [Value] {
    model.actions[action].arguments(at: position)
  }

  /// Runs one action: evaluates its guard, then its failure conditions in order (the first
  /// that holds wins and the state is unchanged), else applies all effects simultaneously (every
  /// right-hand side reads the pre-state; effects apply in list order, so the later one wins
  /// when two write the same element).
  ///
  /// - Throws: ``ExploreError/invalidArguments(action:message:)`` when the action index or an
  ///   argument is outside its domain, ``ExploreError/modelRuntime(location:message:)`` when the
  ///   model reads or writes a map with a key outside its domain or assigns a value outside a
  ///   variable's domain (the message names the action and variable).
  /// - Complexity: the size of the action's compiled guard, conditions and effects; allocates
  ///   the successor.
  public func step(_ state: State, action: Int, arguments: [Value]) throws -> StepOutcome {
    try checkArguments(action: action, arguments: arguments)
    let spec = model.actions[action]
    precondition(state.words.count == layout.wordCount, "state of another model")
    let scratch = makeScratch()
    for (i, value) in arguments.enumerated() { scratch.args[i] = value }
    actions[action].completeArguments(scratch.args)
    let (code, index) = try state.words.withUnsafeBufferPointer { words in
      let code = try run(action, pre: words.start, args: scratch.args, scratch: scratch)
      guard code >= 0, let indexFn = indexFns[action][code] else { return (code, Value(0)) }
      return (code, try indexFn.eval(EvalContext(state: words.start, args: scratch.args, bound: scratch.bound)))
    }
    switch code {
    case Self.disabledCode: return .disabled
    case Self.succeededCode:
      _checkInvariants(scratch.post)
      return .succeeded(State(words: Array(UnsafeBufferPointer(start: scratch.post, count: layout.wordCount))))
    default:
      let returned = spec.failures[code].code | (index &<< 8)
      guard actions[action].failureChanges[code] else { return .failed(condition: code, code: returned) }
      _checkInvariants(scratch.post)
      return .failed(
        condition: code, code: returned,
        next: State(words: Array(UnsafeBufferPointer(start: scratch.post, count: layout.wordCount))))
    }
  }

  /// The outputs an action returns (X1..X4 of an RMI command), evaluated in the pre-state; the
  /// caller takes them when the step succeeds.
  ///
  /// - Throws: as ``step(_:action:arguments:)``.
  public func outputs(_ state: State, action: Int, arguments: [Value]) throws -> [Value] {
    guard !outputFns[action].isEmpty else { return [] }
    let scratch = makeScratch()
    for (i, value) in arguments.enumerated() { scratch.args[i] = value }
    actions[action].completeArguments(scratch.args)
    return try state.words.withUnsafeBufferPointer { words in
      try outputFns[action].map {
        try $0.eval(EvalContext(state: words.start, args: scratch.args, bound: scratch.bound))
      }
    }
  }

  /// Whether a code ``run(_:pre:args:scratch:)`` returned left a successor in the post buffer:
  /// a success, or a failure condition with effects.
  @inline(__always)
  func wroteSuccessor(action: Int, code: Int) -> Bool {
    code == Self.succeededCode
      || (code >= 0 && actions[action].hasFailureEffects && actions[action].failureChanges[code])
  }

  /// Runs one action on packed words, writing a successor into `scratch.post`.
  ///
  /// Returns ``disabledCode``, ``succeededCode`` or the index of the failure condition.
  @inline(__always)
  func run(
    _ action: Int, pre: UnsafePointer<UInt64>, args: UnsafePointer<UInt64>, scratch: Scratch
  ) throws -> Int {
    try actions[action].body(EvalContext(state: pre, args: args, bound: scratch.bound), scratch.post)
  }

  /// The `StepResult` a trace records for an outcome: the success code, or the failure
  /// condition's name, error and code.
  ///
  /// A `.disabled` outcome is no step of any trace; it maps to ``disabledResult``.
  public func stepResult(action: Int, outcome: StepOutcome) -> StepResult {
    let spec = model.actions[action]
    switch outcome {
    case .disabled: return Self.disabledResult
    case .succeeded: return .success(code: spec.successCode)
    case .failed(let condition, let code, _):
      let failure = spec.failures[condition]
      return .failure(condition: failure.name, error: failure.error, code: code)
    }
  }

  /// The result ``stepResult(action:outcome:)`` gives for a disabled step; never the result of
  /// a real step.
  public static let disabledResult = StepResult.failure(condition: "(disabled)", error: "DISABLED", code: ~0)

  /// Returns every enabled step from a state, in canonical order (actions in model order,
  /// argument tuples in ``Action/arguments(at:)`` order).
  ///
  /// - Throws: ``ExploreError/modelRuntime(location:message:)`` as ``step(_:action:arguments:)``.
  /// - Complexity: O(``transitionsPerState``) steps.
  public func successors(of state: State) throws -> [(action: Int, arguments: [Value], outcome: StepOutcome)] {
    var result: [(action: Int, arguments: [Value], outcome: StepOutcome)] = []
    for a in actions.indices {
      for position in 0..<actions[a].argumentCount {
        let arguments = model.actions[a].arguments(at: position)
        let outcome = try step(state, action: a, arguments: arguments)
        if case .disabled = outcome { continue }
        result.append((a, arguments, outcome))
      }
    }
    return result
  }

  // MARK: - Properties

  /// Whether a property (an index into `model.properties`) holds in a state.
  ///
  /// - Throws: ``ExploreError/modelRuntime(location:message:)`` when the formula reads a map
  ///   with a key outside its domain.
  public func holds(_ property: Int, in state: State) throws -> Bool {
    precondition(state.words.count == layout.wordCount, "state of another model")
    let scratch = makeScratch()
    return try state.words.withUnsafeBufferPointer { words in
      try holds(property, words: words.start, scratch: scratch)
    }
  }

  @inline(__always)
  func holds(_ property: Int, words: UnsafePointer<UInt64>, scratch: Scratch) throws -> Bool {
    try propertyFns[property].eval(EvalContext(state: words, args: scratch.args, bound: scratch.bound)) != 0
  }
}

extension Expr {
  var isParameter: Bool {
    if case .parameter = self { return true }
    return false
  }
}
