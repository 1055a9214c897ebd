import Spec

extension CompiledModel {
  /// The length of the shortest prefix of `steps` whose last state violates `property`, or
  /// `nil` when a step is disabled, the model errs, or no state violates it.
  func violatingPrefix(_ steps: [(action: Int, arguments: [Value])], property: Int, scratch: Scratch) -> Int? {
    var current = initialWords
    do {
      if try !current.withUnsafeBufferPointer({ try holds(property, words: $0.start, scratch: scratch) }) {
        return 0
      }
      for (index, step) in steps.enumerated() {
        for (i, v) in step.arguments.enumerated() { scratch.args[i] = v }
        actions[step.action].completeArguments(scratch.args)
        let code = try current.withUnsafeBufferPointer {
          try run(step.action, pre: $0.start, args: scratch.args, scratch: scratch)
        }
        if code == Self.disabledCode { return nil }
        if wroteSuccessor(action: step.action, code: code) {
          if breaksTransition(property, step.action, code, current, scratch) { return index + 1 }
          current.withUnsafeMutableBufferPointer { $0.start.update(from: scratch.post, count: $0.count) }
          if try !current.withUnsafeBufferPointer({ try holds(property, words: $0.start, scratch: scratch) }) {
            return index + 1
          }
        }
      }
    } catch {
      return nil
    }
    return nil
  }
  /// Whether the step just run from `current` (its successor in `scratch.post`) breaks
  /// `property` when that is a transition property.
  private func breaksTransition(_ property: Int, _ action: Int, _ code: Int, _ current: [UInt64], _ scratch: Scratch) -> Bool {
    guard let rule = transitionRules[property] else { return false }
    return current.withUnsafeBufferPointer { rule.violated(action: action, code: code, pre: $0.start, post: scratch.post) }
  }

  /// Runs `steps` leniently from the initial state: a step that is not enabled where it now
  /// falls is skipped. Returns the steps that ran, up to and including the first one whose
  /// post-state violates `property` (empty when the initial state does), or `nil` when no state
  /// violates it or the model errs. The result replays strictly: every step in it is enabled.
  func lenientViolation(
    _ steps: [(action: Int, arguments: [Value])], property: Int, scratch: Scratch
  ) -> [(action: Int, arguments: [Value])]? {
    var current = initialWords
    var ran: [(action: Int, arguments: [Value])] = []
    do {
      if try !current.withUnsafeBufferPointer({ try holds(property, words: $0.start, scratch: scratch) }) {
        return []
      }
      for step in steps {
        for (i, v) in step.arguments.enumerated() { scratch.args[i] = v }
        actions[step.action].completeArguments(scratch.args)
        let code = try current.withUnsafeBufferPointer {
          try run(step.action, pre: $0.start, args: scratch.args, scratch: scratch)
        }
        if code == Self.disabledCode { continue }
        ran.append(step)
        if wroteSuccessor(action: step.action, code: code) {
          if breaksTransition(property, step.action, code, current, scratch) { return ran }
          current.withUnsafeMutableBufferPointer { $0.start.update(from: scratch.post, count: $0.count) }
          if try !current.withUnsafeBufferPointer({ try holds(property, words: $0.start, scratch: scratch) }) {
            return ran
          }
        }
      }
    } catch {
      return nil
    }
    return nil
  }
}

/// Shrinks a trace that violates a property, re-checking every candidate with the concrete
/// engine:
/// 1. deletes runs of steps, halving the run length down to single steps;
/// 2. deletes every step that shares an argument value (all steps of PE 1, all steps on one
///    granule), which removes a whole interleaved sequence at once (fine-mode transitions are
///    several steps of one PE, interleaved with others);
/// 3. replaces each argument by its domain's first element.
///
/// Candidates run leniently: a step that is no longer enabled where it falls is dropped, so
/// deleting the first step of a multi-step sequence also drops the steps it enabled. A change is
/// kept when the steps that ran still reach a violation, and the sequence is cut at its first
/// violating state. Passes repeat while they make progress.
///
/// The result replays strictly, violates the same property, and is 1-minimal for step deletion
/// (removing any single step loses the violation). A trace that does not reproduce the
/// violation is returned unchanged.
///
/// - Parameters:
///   - budget: the most re-executions to try.
/// - Complexity: O(budget × trace length × step cost).
public func shrink(_ compiled: CompiledModel, trace: Trace, property: Int, budget: Int = 20_000) -> Trace {
  let model = compiled.model
  typealias Step = (action: Int, arguments: [Value])
  var steps: [Step] = []
  for step in trace.steps {
    guard let a = model.action(named: step.action) else { return trace }
    steps.append((a, step.arguments))
  }
  let scratch = compiled.makeScratch()
  var remaining = budget
  func check(_ candidate: [Step]) -> [Step]? {
    remaining -= 1
    return compiled.lenientViolation(candidate, property: property, scratch: scratch)
  }
  guard compiled.violatingPrefix(steps, property: property, scratch: scratch) != nil, let first = check(steps) else {
    return trace
  }
  steps = first

  /// Tries a candidate; keeps it when it still violates and is shorter or simpler.
  func attempt(_ candidate: [Step]) -> Bool {
    guard remaining > 0, let ran = check(candidate), ran.count < steps.count else { return false }
    steps = ran
    return true
  }

  var progress = true
  while progress, remaining > 0 {
    progress = false
    // 1. Runs of steps, from long runs to single steps.
    var run = max(1, steps.count / 2)
    while run >= 1, remaining > 0 {
      var i = 0
      while i < steps.count, remaining > 0 {
        var candidate = steps
        candidate.removeSubrange(i..<min(steps.count, i + run))
        if attempt(candidate) { progress = true } else { i += run }
      }
      if run == 1 { break }
      run /= 2
    }
    // 2. Every step sharing one argument value (by parameter name and value).
    var groups: [String: Set<Value>] = [:]
    for step in steps {
      for (p, parameter) in model.actions[step.action].parameters.enumerated() {
        groups[parameter.name, default: []].insert(step.arguments[p])
      }
    }
    for name in groups.keys.sorted() {
      for value in groups[name, default: []].sorted() where remaining > 0 {
        let candidate = steps.filter { step in
          let parameters = model.actions[step.action].parameters
          guard let p = parameters.firstIndex(where: { $0.name == name }) else { return true }
          return step.arguments[p] != value
        }
        if candidate.count < steps.count && attempt(candidate) { progress = true }
      }
    }
  }
  // 3. Simplify arguments: the first element of each parameter's domain.
  var s = 0
  while s < steps.count, remaining > 0 {
    let parameters = model.actions[steps[s].action].parameters
    for p in parameters.indices where s < steps.count && remaining > 0 {
      guard let first = parameters[p].values.first, steps[s].arguments[p] != first else { continue }
      var candidate = steps
      candidate[s].arguments[p] = first
      if let ran = check(candidate), ran.count <= steps.count { steps = ran }
    }
    s += 1
  }
  // Simpler arguments can make steps removable: one last pass of single-step deletion.
  var i = 0
  while i < steps.count, remaining > 0 {
    var candidate = steps
    candidate.remove(at: i)
    if !attempt(candidate) { i += 1 }
  }
  do {
    return try compiled.trace(
      of: steps, property: model.properties[property].name, outcome: trace.outcome, seed: trace.seed)
  } catch {
    return trace
  }
}
