import Spec

/// Shrinks a trace that violates a property, re-checking every candidate with the concrete engine.
///
/// The passes:
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
  guard let execution = try? Execution(compiled, recording: false) else { return trace }
  var remaining = budget
  /// Runs a candidate from the initial state, leniently.
  func run(_ candidate: [Step], lenient: Bool = true) -> [Step]? {
    do { try execution.reset() } catch { return nil }
    return execution.firstViolation(of: property, candidate, lenient: lenient)
  }
  func check(_ candidate: [Step]) -> [Step]? {
    remaining -= 1
    return run(candidate)
  }
  guard run(steps, lenient: false) != nil, let first = check(steps) else {
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
