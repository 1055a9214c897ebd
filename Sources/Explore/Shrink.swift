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
        if code == Self.succeededCode {
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
}

/// Shrinks a trace that violates a property: drops runs of steps (halving the run length down
/// to single steps) and then replaces each argument by its domain's first element, keeping a
/// change only when the shortened sequence is still executable and still reaches a violation,
/// and cutting the sequence at its first violating state after every change.
///
/// The result violates the same property and is 1-minimal for step deletion: removing any
/// single step loses the violation or disables a later step. A trace that does not reproduce
/// the violation is returned unchanged.
///
/// - Parameters:
///   - budget: the most re-executions to try.
/// - Complexity: O(budget × trace length × step cost).
public func shrink(_ compiled: CompiledModel, trace: Trace, property: Int, budget: Int = 20_000) -> Trace {
  let model = compiled.model
  var steps: [(action: Int, arguments: [Value])] = []
  for step in trace.steps {
    guard let a = model.action(named: step.action) else { return trace }
    steps.append((a, step.arguments))
  }
  let scratch = compiled.makeScratch()
  var remaining = budget
  func check(_ candidate: [(action: Int, arguments: [Value])]) -> Int? {
    remaining -= 1
    return compiled.violatingPrefix(candidate, property: property, scratch: scratch)
  }
  guard let length = check(steps) else { return trace }
  steps = Array(steps.prefix(length))

  // Delete runs of steps, from long runs to single steps.
  var run = max(1, steps.count / 2)
  while run >= 1, remaining > 0 {
    var i = 0
    var shrunk = false
    while i < steps.count, remaining > 0 {
      var candidate = steps
      candidate.removeSubrange(i..<min(steps.count, i + run))
      if let n = check(candidate) {
        steps = Array(candidate.prefix(n))
        shrunk = true
      } else {
        i += run
      }
    }
    if run == 1 && !shrunk { break }
    if run > 1 { run /= 2 }
  }
  // Simplify arguments: the first element of each parameter's domain.
  var s = 0
  while s < steps.count, remaining > 0 {
    let parameters = model.actions[steps[s].action].parameters
    for p in parameters.indices where s < steps.count && remaining > 0 {
      guard let first = parameters[p].values.first, steps[s].arguments[p] != first else { continue }
      var candidate = steps
      candidate[s].arguments[p] = first
      if let n = check(candidate) { steps = Array(candidate.prefix(n)) }
    }
    s += 1
  }
  do {
    return try compiled.trace(
      of: steps, property: model.properties[property].name, outcome: trace.outcome, seed: trace.seed)
  } catch {
    return trace
  }
}
