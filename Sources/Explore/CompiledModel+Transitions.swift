import Spec

/// A transition property compiled for the concrete engine: which actions' steps it constrains,
/// and the bits of a packed state those steps must leave as they were.
struct CompiledTransitionRule: Sendable {
  /// Per action (model order): whether the rule applies to its steps.
  let applies: [Bool]
  let outcome: TransitionRule.Outcome
  /// Per packed word: the bits of the slots the rule's steps may not change (every slot but those
  /// of ``TransitionRule/mayChange``).
  let frame: [UInt64]

  init(_ rule: TransitionRule, model: Model, layout: PackedLayout) {
    let names = Set(rule.actions)
    applies = model.actions.map { names.contains($0.name) }
    outcome = rule.outcome
    let free = Set(rule.mayChange)
    var frame = [UInt64](repeating: 0, count: layout.wordCount)
    var position = 0
    for (v, variable) in model.variables.enumerated() {
      for _ in 0..<variable.slotCount {
        if !free.contains(VariableID(v)) {
          let location = layout.locations[position]
          frame[Int(location >> 6)] |= layout.masks[v] &<< UInt64(location & 63)
        }
        position += 1
      }
    }
    self.frame = frame
  }

  /// Whether the step of `action` from `pre` to `post` that returned `code` (a failure
  /// condition's index or ``CompiledModel/succeededCode``) breaks the rule.
  @inline(__always)
  func violated(action: Int, code: Int, pre: UnsafePointer<UInt64>, post: UnsafePointer<UInt64>) -> Bool {
    guard applies[action], outcome.constrains(failed: code >= 0) else { return false }
    for w in frame.indices where (pre[w] ^ post[w]) & frame[w] != 0 { return true }
    return false
  }
}

extension CompiledModel {
  /// Whether property `property` is a transition property.
  public func isTransitionProperty(_ property: Int) -> Bool { transitionRules[property] != nil }

  /// The transition properties among `properties` that the step from `state` of `action` with
  /// `arguments`, whose outcome is `outcome`, violates (an empty list for a disabled step).
  ///
  /// - Throws: as ``step(_:action:arguments:)``, when `outcome` is computed here (`nil`).
  public func violatedTransitions(
    _ properties: [Int]? = nil, from state: State, action: Int, arguments: [Value], outcome: StepOutcome? = nil
  ) throws -> [Int] {
    let outcome = try outcome ?? step(state, action: action, arguments: arguments)
    let code: Int
    switch outcome {
    case .disabled: return []
    case .succeeded: code = Self.succeededCode
    case .failed(let condition, _, _): code = condition
    }
    let next = outcome.successor(of: state)
    let checked = properties ?? Array(model.properties.indices)
    return checked.filter { p in
      guard let rule = transitionRules[p] else { return false }
      return state.words.withUnsafeBufferPointer { pre in
        next.words.withUnsafeBufferPointer { post in
          rule.violated(action: action, code: code, pre: pre.start, post: post.start)
        }
      }
    }
  }

  /// Whether the last step of `trace` (re-executed from its first state) breaks transition
  /// property `property`: the check an engine makes before it reports such a violation.
  ///
  /// - Throws: ``ExploreError`` when a step's action is unknown or the model errs.
  public func traceBreaksTransition(_ trace: Trace, property: Int) throws -> Bool {
    guard let last = trace.steps.last, trace.states.count == trace.steps.count + 1 else { return false }
    guard let action = model.action(named: last.action) else {
      throw ExploreError.invalidArguments(action: last.action, message: "no such action in \(model.name)")
    }
    let pre = try state(fromValues: trace.states[trace.states.count - 2])
    return try violatedTransitions([property], from: pre, action: action, arguments: last.arguments) == [property]
  }

  /// Per action: the rules among `properties` that apply to it (property index and rule), for
  /// the engines' hot loops; empty lists cost one array read per step.
  func transitionChecks(_ properties: [Int]) -> [[(property: Int, rule: CompiledTransitionRule)]] {
    var result = [[(property: Int, rule: CompiledTransitionRule)]](repeating: [], count: actions.count)
    for p in properties {
      guard let rule = transitionRules[p] else { continue }
      for a in actions.indices where rule.applies[a] { result[a].append((p, rule)) }
    }
    return result
  }

  /// The first transition property among `checks` that a step of `action` returning `code`
  /// breaks; `post` is the successor when the step wrote one (else the state is unchanged and
  /// no frame rule can break).
  @inline(__always)
  static func firstViolated(
    _ checks: [(property: Int, rule: CompiledTransitionRule)], action: Int, code: Int,
    pre: UnsafePointer<UInt64>, post: UnsafePointer<UInt64>?
  ) -> Int? {
    guard let post else { return nil }
    for (p, rule) in checks where rule.violated(action: action, code: code, pre: pre, post: post) { return p }
    return nil
  }
}
