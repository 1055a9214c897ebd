import Spec

/// What an exhaustive comparison of two models' behaviour found: the first step on which they
/// differ, or none in the explored states.
public struct BehaviourComparison: Hashable, Sendable {
  /// The first behavioural difference: from a state both models reach by the same steps, one
  /// (action, arguments) pair gives another result, other outputs or another successor.
  public struct Difference: Hashable, Sendable {
    /// The reference model's trace to the state where the two differ (shortest: BFS order).
    public let prefix: Trace
    /// The action whose step differs, and its arguments.
    public let action: String
    public let arguments: [Value]
    /// What the reference model's step does, in words.
    public let reference: String
    /// What the variant's step does, in words.
    public let variant: String
  }

  /// The first difference, or `nil` when every step of every explored state agrees.
  public let difference: Difference?
  /// Distinct states of the reference model explored.
  public let distinctStates: Int
  /// Whether every reachable state (within `maxDepth`) was compared: only then does no
  /// difference mean the two models behave alike (within `maxDepth` steps).
  public let complete: Bool
  /// The depth bound, if any: no difference then means no difference in traces of at most this
  /// many steps.
  public let maxDepth: Int?
  /// Whether some step agreed only up to the model's declarations (``Model/unobservable``).
  ///
  /// That is two successors equal only once declared cells are read canonically, or an internal
  /// step taken by one model only. `false` means the two agreed on raw states throughout.
  public var usedDeclarations = false
}

/// Compares two models over the same state schema and actions step by step, by breadth-first
/// search over the pairs of states the two reach by the same steps.
///
/// From every pair (depth below `maxDepth`), every (action, arguments) pair runs in both
/// models, each from its own state; they agree when both are disabled, or both fail with the
/// same condition name and returned value, or both succeed with the same status and outputs, and
/// the successors (of a success or of a failure with effects) are equal. While the two states
/// of a pair are equal, this is one search of the reference's states; the first disagreement,
/// in BFS order, is reported with a shortest trace of the reference to its state.
///
/// This is how the mutation analysis tells an *equivalent* mutant (no observable difference at
/// the configuration) from a property gap.
///
/// Successors are compared modulo the reference model's ``Model/unobservable`` declarations:
/// two successors equal once each declared cell is read as its canonical value agree, and the
/// search goes on from the pair, each model from its own successor. So the verdict never
/// assumes a declaration is right: a variant whose different cells some later step reads (or a
/// copy that memory later leaves behind) differs there, within the bound. For the same reason an
/// *internal* action (no failure condition, no output, no function ID in the ABI: a step of the
/// environment, which returns nothing to a caller) that is enabled in one model and disabled in
/// the other agrees when the enabled step's successor equals its state up to the declarations (a step that changes nothing
/// observable is as good as none); only a model that declares something gets this rule.
/// Nothing else (exploration, proofs, properties) reads the declarations.
///
/// - Precondition: the models have the same variables and the same actions with the same
///   parameters, in the same order (a mutant of the reference).
/// - Throws: ``ExploreError`` when the reference model errs (a key outside its domain).
/// - Complexity: O(pairs × (action, argument) pairs × step cost), one thread; a pair is one
///   state while the two are equal, so without declarations the reference's reachable states.
public func compareBehaviour(
  _ reference: CompiledModel, _ variant: CompiledModel, maxDepth: Int? = nil, maxStates: Int? = nil,
  stop: StopSignal? = nil
) throws -> BehaviourComparison {
  let steps = StepPair(reference, variant, caller: "compareBehaviour")
  let (words, scratchA, scratchB) = (steps.words, steps.scratchA, steps.scratchB)
  let projection = Projection(reference)
  let internalAction = steps.internalAction
  // The pairs: the reference's state, and the variant's when it differs (up to the declarations).
  var search = PairSearch<(a: [UInt64], b: [UInt64]?)>(maxStates: maxStates)
  var difference: BehaviourComparison.Difference?
  var usedDeclarations = false
  /// Adds a pair unless seen or over the state cap.
  func add(_ a: [UInt64], _ b: [UInt64]?, parent: Int, step: (Int, [Value], Bool)) {
    let other = b == a ? nil : b
    if other != nil { usedDeclarations = true }
    search.add((a, other), key: other.map { a + $0 } ?? a, parent: parent, step: step)
  }
  if reference.initialWords != variant.initialWords
    && !projection.equal(State(words: reference.initialWords), State(words: variant.initialWords))
  {
    return BehaviourComparison(
      difference: .init(
        prefix: try reference.trace(of: [], property: nil, outcome: .differs), action: "(initial state)",
        arguments: [], reference: "starts elsewhere", variant: "starts in another state"),
      distinctStates: 0, complete: false, maxDepth: maxDepth)
  }
  add(reference.initialWords, variant.initialWords, parent: -1, step: (-1, [], true))
  search: while let index = search.nextPair(maxDepth: maxDepth, stop: stop) {
    let preA = search.pairs[index].a
    let preB = search.pairs[index].b ?? preA
    for a in reference.actions.indices {
      for t in 0..<reference.actions[a].argumentCount {
        reference.actions[a].decodeArguments(t, into: scratchA.args)
        variant.actions[a].decodeArguments(t, into: scratchB.args)
        let codeA = try preA.withUnsafeBufferPointer {
          try reference.run(a, pre: $0.start, args: scratchA.args, scratch: scratchA)
        }
        // A variant that errs where the reference does not differs (the slow path says how).
        let codeB =
          (try? preB.withUnsafeBufferPointer {
            try variant.run(a, pre: $0.start, args: scratchB.args, scratch: scratchB)
          })
          ?? Int.min
        if codeA == CompiledModel.disabledCode && codeB == CompiledModel.disabledCode { continue }
        // Compare on packed words; only a difference takes the slow path that describes it.
        let wroteA = reference.wroteSuccessor(action: a, code: codeA)
        let wroteB = variant.wroteSuccessor(action: a, code: codeB)
        let postA = wroteA ? Array(UnsafeBufferPointer(start: scratchA.post, count: words)) : preA
        var postB = preB
        if wroteB {
          let buffer = UnsafeBufferPointer(start: scratchB.post, count: words)
          postB = buffer.elementsEqual(postA) ? postA : Array(buffer)
        }
        let same = try steps.sameResult(action: a, codeA: codeA, codeB: codeB, preA: preA, preB: preB)
        if !same && !projection.isEmpty && internalAction[a] && codeB != Int.min
          && (codeA == CompiledModel.disabledCode) != (codeB == CompiledModel.disabledCode)
        {
          // An internal step one model takes and the other cannot, changing nothing observable: a stutter.
          let stutters =
            codeA == CompiledModel.disabledCode
            ? projection.equal(State(words: preB), State(words: postB))
            : projection.equal(State(words: preA), State(words: postA))
          if stutters {
            usedDeclarations = true
            add(postA, postB, parent: index, step: (a, reference.model.actions[a].arguments(at: t), wroteA))
            continue
          }
        }
        if same && (postA == postB || projection.equal(State(words: postA), State(words: postB))) {
          add(postA, postB, parent: index, step: (a, reference.model.actions[a].arguments(at: t), true))
          continue
        }
        difference = try describeDifference(
          reference, variant, action: a, arguments: reference.model.actions[a].arguments(at: t),
          preA: State(words: preA), preB: State(words: preB), prefix: search.path(index))
        break search
      }
    }
  }
  var result = BehaviourComparison(
    difference: difference, distinctStates: search.pairs.count, complete: difference == nil && search.complete,
    maxDepth: maxDepth)
  result.usedDeclarations = usedDeclarations
  return result
}

/// The bookkeeping of a breadth-first search over pairs of states: the pairs in BFS order, each
/// with its parent, the step that reached it and its depth, and the keys seen.
struct PairSearch<Pair> {
  var pairs: [Pair] = []
  var parents: [Int] = []
  var via: [(action: Int, arguments: [Value], referenceMoved: Bool)] = []
  var depths: [Int] = []
  var seen: Set<[UInt64]> = []
  /// False once the state cap refused a pair (or the search was stopped).
  var complete = true
  let maxStates: Int?

  /// The next pair to expand, in BFS order.
  private var cursor = 0

  init(maxStates: Int?) { self.maxStates = maxStates }

  /// The index of the next pair to expand (one below `maxDepth`), or `nil` when none is left or
  /// `stop` is set (then the search is incomplete).
  mutating func nextPair(maxDepth: Int?, stop: StopSignal?) -> Int? {
    while cursor < pairs.count {
      if stop?.isStopped == true {
        complete = false
        return nil
      }
      let index = cursor
      cursor += 1
      if let maxDepth, depths[index] >= maxDepth { continue }
      return index
    }
    return nil
  }

  /// Adds a pair unless its key was seen or the cap is reached.
  mutating func add(_ pair: Pair, key: [UInt64], parent: Int, step: (Int, [Value], Bool)) {
    guard seen.insert(key).inserted else { return }
    if let maxStates, pairs.count >= maxStates {
      complete = false
      return
    }
    pairs.append(pair)
    parents.append(parent)
    via.append(step)
    depths.append(parent < 0 ? 0 : depths[parent] + 1)
  }

  /// The reference's steps to pair `index` (the steps it took: a variant's step it did not take is
  /// left out).
  func path(_ index: Int) -> [(action: Int, arguments: [Value])] {
    var steps: [(action: Int, arguments: [Value])] = []
    var i = index
    while parents[i] >= 0 {
      if via[i].referenceMoved { steps.append((via[i].action, via[i].arguments)) }
      i = parents[i]
    }
    return steps.reversed()
  }
}

/// Two models stepped side by side, each from its own state: their scratch buffers and the
/// failure conditions' names, read once (a mutant may drop or reorder conditions, so they are
/// compared by name; an `Action` copied in the loop costs refcounting).
struct StepPair {
  let reference: CompiledModel
  let variant: CompiledModel
  let words: Int
  let scratchA: Scratch
  let scratchB: Scratch
  let failureNames: [[String]]
  let variantFailureNames: [[String]]
  /// Per action of the reference, whether it is *internal* (a step of the environment).
  ///
  /// It returns nothing to a caller: no failure condition, no output, and no function ID in the model's ABI (a call of
  /// an interface returns its status even with neither: PSCI_VERSION). The one definition both
  /// comparisons use (``compareBehaviour(_:_:maxDepth:maxStates:stop:)``'s stutter rule,
  /// ``compareObservableResults(_:_:maxDepth:maxStates:stop:)``'s hidden steps).
  let internalAction: [Bool]

  /// - Precondition: the models have the same variables and the same actions (`caller` names the
  ///   comparison in the message).
  init(_ reference: CompiledModel, _ variant: CompiledModel, caller: String) {
    precondition(
      reference.model.variables == variant.model.variables
        && reference.model.actions.map(\.name) == variant.model.actions.map(\.name),
      "\(caller) needs two models over the same schema and actions")
    self.reference = reference
    self.variant = variant
    words = reference.layout.wordCount
    scratchA = reference.makeScratch()
    scratchB = variant.makeScratch()
    internalAction = reference.model.actions.map {
      $0.failures.isEmpty && $0.outputs.isEmpty && reference.model.abi.functionID(of: $0.name) == nil
    }
    failureNames = reference.model.actions.map { $0.failures.map { "\($0.name)/\($0.code)" } }
    variantFailureNames = variant.model.actions.map { $0.failures.map { "\($0.name)/\($0.code)" } }
  }

  /// Whether one (action, arguments) step gives the same result in the two models.
  ///
  /// The arguments are in the scratch buffers. Both succeed with the same outputs, or both fail on
  /// the condition of the same name and code with the same index. Both disabled is not asked here
  /// (the callers skip it). Successors are not compared.
  func sameResult(action a: Int, codeA: Int, codeB: Int, preA: [UInt64], preB: [UInt64]) throws -> Bool {
    if codeA == CompiledModel.succeededCode && codeB == CompiledModel.succeededCode {
      return try preA.withUnsafeBufferPointer { pa in
        try preB.withUnsafeBufferPointer { pb in
          let ca = EvalContext(state: pa.start, args: scratchA.args, bound: scratchA.bound)
          let cb = EvalContext(state: pb.start, args: scratchB.args, bound: scratchB.bound)
          for (fa, fb) in zip(reference.outputFns[a], variant.outputFns[a]) where try fa.eval(ca) != fb.eval(cb) {
            return false
          }
          return true
        }
      }
    }
    guard codeA >= 0 && codeB >= 0 && failureNames[a][codeA] == variantFailureNames[a][codeB] else { return false }
    return try preA.withUnsafeBufferPointer { pa in
      try preB.withUnsafeBufferPointer { pb in
        let ia = try reference.indexFns[a][codeA].map {
          try $0.eval(EvalContext(state: pa.start, args: scratchA.args, bound: scratchA.bound))
        }
        let ib = try variant.indexFns[a][codeB].map {
          try $0.eval(EvalContext(state: pb.start, args: scratchB.args, bound: scratchB.bound))
        }
        return (ia ?? 0) == (ib ?? 0)
      }
    }
  }
}

/// The slow path of ``compareBehaviour(_:_:maxDepth:maxStates:stop:)``: what each model's step
/// does, in words, from the pair of states where they first differ.
func describeDifference(
  _ reference: CompiledModel, _ variant: CompiledModel, action a: Int, arguments: [Value], preA: State, preB: State,
  prefix: [(action: Int, arguments: [Value])],
  ownState: String = " (from its own state, equal to the reference's up to unobservable cells)"
) throws -> BehaviourComparison.Difference {
  let name = reference.model.actions[a].name
  let trace = try reference.trace(of: prefix, property: nil, outcome: .differs)
  let own = preA == preB ? "" : ownState
  let outcomeA = try reference.step(preA, action: a, arguments: arguments)
  let outcomeB: StepOutcome
  do {
    outcomeB = try variant.step(preB, action: a, arguments: arguments)
  } catch {
    return .init(
      prefix: trace, action: name, arguments: arguments,
      reference: describe(reference, a, preA, outcomeA, arguments), variant: "raises a model error: \(error)" + own)
  }
  return .init(
    prefix: trace, action: name, arguments: arguments, reference: describe(reference, a, preA, outcomeA, arguments),
    variant: describe(variant, a, preB, outcomeB, arguments, against: outcomeA.successor(of: preA)) + own)
}

/// A model's ``Model/unobservable`` declarations as flat positions, to compare states modulo them.
private struct Projection {
  /// Per declaration: the first position of the cells, of the condition's map, the cell count,
  /// the value the condition tests for and the canonical value; for a copy, the first position
  /// of the source, the number of cells per source cell, and the value the condition is read as; for an
  /// indirect source, its variable and the first position of the index map; for a second condition, its first
  /// position and value.
  let ranges:
    [(
      cells: Int, condition: Int, count: Int, equals: Value, canonical: Value,
      copy: (source: Int, stride: Int, conditionReadsAs: Value)?,
      indirect: (source: VariableID, index: Int)?, also: (position: Int, value: Value)?
    )]
  /// The model whose states are compared.
  let compiled: CompiledModel
  /// Its layout (an indirect source's position depends on the index's value).
  let layout: StateLayout

  /// The projection the model declares.
  init(_ compiled: CompiledModel) {
    let model = compiled.model
    let layout = model.layout
    self.compiled = compiled
    self.layout = layout
    // Copies first: a copy read as its condition's other value may then be a plain declaration's.
    ranges = (model.unobservable.filter { $0.copyOf != nil } + model.unobservable.filter { $0.copyOf == nil }).map {
      u in
      let count = model[u.cells].slotCount
      return (
        cells: layout.offsets[u.cells.index], condition: layout.offsets[u.whileVariable.index], count: count,
        equals: u.equals, canonical: u.canonical,
        copy:
          u.copyOf.map {
            (
              source: layout.offsets[$0.index], stride: count / max(model[$0].slotCount, 1),
              conditionReadsAs: u.conditionReadsAs ?? u.equals
            )
          },
        indirect: u.copyOf.flatMap { source in u.copyIndex.map { (source: source, index: layout.offsets[$0.index]) } },
        also: u.alsoWhile.map { (position: layout.offsets[$0.variable.index], value: $0.value) }
      )
    }
  }

  /// Whether the model declares nothing.
  var isEmpty: Bool { ranges.isEmpty }

  /// A state's logical values with every unobservable cell set to its canonical value (and every
  /// redundant copy's condition to the value it is read as).
  func canonical(_ state: State) -> [Value] {
    var values = compiled.values(of: state)
    for r in ranges {
      for i in 0..<r.count where values[r.condition + i] == r.equals {
        if let also = r.also, values[also.position + i] != also.value { continue }
        if let copy = r.copy {
          let source: Int? =
            if let indirect = r.indirect {
              layout.position(of: indirect.source, keys: [values[indirect.index + i]])
            } else {
              copy.source + i / copy.stride
            }
          guard let source, values[r.cells + i] == values[source] else { continue }
          values[r.condition + i] = copy.conditionReadsAs
        }
        values[r.cells + i] = r.canonical
      }
    }
    return values
  }

  /// Whether two states are equal modulo the unobservable cells.
  func equal(_ a: State, _ b: State) -> Bool {
    a == b || (!ranges.isEmpty && canonical(a) == canonical(b))
  }
}

/// A value as the traces print it: decimal when small, else hexadecimal.
private func hex(_ v: Value) -> String { v < 4096 ? "\(v)" : "0x" + String(v, radix: 16) }

/// A step's outcome in words: its result, outputs, and (against another successor) the cells
/// whose values differ.
private func describe(
  _ compiled: CompiledModel, _ action: Int, _ state: State, _ outcome: StepOutcome, _ arguments: [Value],
  against other: State? = nil
) -> String {
  var text: String
  switch compiled.stepResult(action: action, outcome: outcome) {
  case _ where outcome == .disabled: text = "is disabled"
  case .success(let code):
    text = "succeeds (\(code))"
    if let outputs = try? compiled.outputs(state, action: action, arguments: arguments), !outputs.isEmpty {
      text += " with outputs \(outputs.map { "0x" + String($0, radix: 16) })"
    }
  case .failure(let condition, let error, let code):
    text = "fails: \(error) [\(condition)] (0x\(String(code, radix: 16)))"
  }
  let successor = outcome.successor(of: state)
  let layout = compiled.model.layout
  let before = compiled.values(of: state)
  let after = compiled.values(of: successor)
  let changed = (0..<layout.count).filter { before[$0] != after[$0] }
  if changed.isEmpty {
    text += ", state unchanged"
  } else {
    text += ", sets " + changed.prefix(6).map { "\(layout.name(at: $0)) = \(hex(after[$0]))" }.joined(separator: ", ")
    if changed.count > 6 { text += ", ..." }
  }
  if let other, other != successor {
    let reference = compiled.values(of: other)
    let differing = (0..<layout.count).filter { reference[$0] != after[$0] }
    text +=
      " (differs from the reference in "
      + differing.prefix(6).map { "\(layout.name(at: $0)): \(hex(reference[$0])) vs \(hex(after[$0]))" }.joined(
        separator: ", ")
      + (differing.count > 6 ? ", ..." : "") + ")"
  }
  return text
}

/// The reachable states of a reference model (within a depth bound), kept to test a variant's
/// states against: see ``firstStateOutside(_:of:stop:)``.
public final class ReachableStates: Sendable {
  let states: Set<[UInt64]>
  /// The same states up to the model's ``Model/unobservable`` declarations (each unobservable cell at its canonical
  /// value, as the pair comparison reads them); `nil` when the model declares none.
  let canonical: Set<[Value]>?
  /// The number of distinct states.
  public var count: Int { states.count }
  /// The depth bound they were explored to, if any.
  public let maxDepth: Int?
  /// Whether the search exhausted them (within `maxDepth`).
  public let complete: Bool

  /// What the reference's steps from these states (those below `maxDepth`) did: per action,
  /// whether some step succeeded, and per failure condition whether it was the first to hold.
  public let exercised: Exercise

  /// Which parts of a model's actions some step from the explored states ran: a step's result
  /// depends only on the guard, the failure conditions up to the one that holds first, and (on
  /// success) the effects and outputs, so a variant that changes only parts no step ran takes
  /// the same steps from every explored state (see ``ReachableStates/unexercised(_:by:)``).
  public struct Exercise: Hashable, Sendable {
    /// Per action: whether some step succeeded.
    public var succeeded: [Bool]
    /// Per action and failure condition: whether some step failed on it (it held first).
    public var failed: [[Bool]]
  }

  /// Explores the reference model breadth first and keeps every state, noting which parts of
  /// the actions the steps from them ran.
  ///
  /// - Throws: ``ExploreError`` when the model errs.
  /// - Complexity: one breadth-first search; a packed state per reachable state.
  public init(_ reference: CompiledModel, maxDepth: Int? = nil, maxStates: Int? = nil, stop: StopSignal? = nil) throws {
    var exercised = Exercise(
      succeeded: Array(repeating: false, count: reference.model.actions.count),
      failed: reference.model.actions.map { Array(repeating: false, count: $0.failures.count) })
    let found = try breadthFirst(reference, maxDepth: maxDepth, maxStates: maxStates, stop: stop) {
      _, _, a, _, code, _ in
      if code == CompiledModel.succeededCode {
        exercised.succeeded[a] = true
      } else if code >= 0 {
        exercised.failed[a][code] = true
      }
      return true
    }
    self.states = Set(found.states)
    let projection = Projection(reference)
    self.canonical =
      projection.isEmpty ? nil : Set(found.states.map { projection.canonical(State(words: $0)) })
    self.maxDepth = maxDepth
    self.complete = found.complete
    self.exercised = exercised
  }

  /// Why a variant of the reference takes the same step as the reference from every explored
  /// state, or `nil` when that cannot be told from ``exercised`` alone.
  ///
  /// A changed action (same parameters and guard) behaves as the reference's in a state when
  /// the reference's step there fails on a condition before the first changed one, or passes
  /// every changed condition (the variant's changed conditions are some of the reference's, so
  /// they are false too) and fails on an unchanged later one, or succeeds and the success
  /// effects, outputs and status are unchanged. So when no explored step failed on a changed
  /// condition, and none succeeded where the success part changed, the variant reaches the same
  /// states with the same results (within ``maxDepth``): it is equivalent to the reference
  /// there, as ``compareBehaviour(_:_:maxDepth:maxStates:stop:)`` would find, without running it.
  ///
  /// - Parameters:
  ///   - reference: the reference model these states are of.
  ///   - variant: the variant's actions, by the reference's action order.
  /// - Returns: `nil` unless the search was complete and every changed action is unexercised;
  ///   else a sentence saying what never ran.
  public func unexercised(_ reference: Model, by variant: [Action]) -> String? {
    guard complete, variant.count == reference.actions.count else { return nil }
    var reasons: [String] = []
    for (a, (r, v)) in zip(reference.actions, variant).enumerated() where r != v {
      guard r.name == v.name, r.parameters == v.parameters, r.guardCondition == v.guardCondition else { return nil }
      let n = r.failures.count
      var prefix = 0
      while prefix < min(n, v.failures.count) && r.failures[prefix] == v.failures[prefix] { prefix += 1 }
      var suffix = 0
      while suffix < min(n, v.failures.count) - prefix
        && r.failures[n - 1 - suffix] == v.failures[v.failures.count - 1 - suffix]
      {
        suffix += 1
      }
      let changed = prefix..<(n - suffix)
      let kept = Set(r.failures[changed].map(\.condition))
      guard v.failures[prefix..<(v.failures.count - suffix)].allSatisfy({ kept.contains($0.condition) }) else {
        return nil
      }
      if changed.contains(where: { exercised.failed[a][$0] }) { return nil }
      let successChanged = r.effects != v.effects || r.outputs != v.outputs || r.successCode != v.successCode
      if successChanged && exercised.succeeded[a] { return nil }
      var parts: [String] = []
      if !changed.isEmpty {
        parts.append("never fails on " + r.failures[changed].map(\.name).joined(separator: " or "))
      }
      if successChanged { parts.append("never succeeds") }
      reasons.append("\(r.name) " + parts.joined(separator: " and "))
    }
    return reasons.isEmpty ? "no action changed" : reasons.joined(separator: "; ")
  }
}

/// Whether every state a variant reaches is one the reference model reaches: the result of
/// ``firstStateOutside(_:of:stop:)``.
public struct StateInclusion: Hashable, Sendable {
  /// A shortest trace of the variant to a state the reference never reaches (within the
  /// bound), or `nil` when there is none.
  public let escape: Trace?
  /// Distinct states of the variant explored.
  public let variantStates: Int
  /// Whether the variant's search exhausted its states (within the bound) or found an escape.
  public let complete: Bool
}

/// Searches the variant's reachable states, breadth first and within the reference's depth
/// bound, for one the reference model does not reach, up to the reference's ``Model/unobservable``
/// declarations (the projection ``compareBehaviour(_:_:maxDepth:maxStates:stop:)`` compares pairs of states by).
///
/// When there is none, every state the variant reaches is one the reference reaches, but for cells no step reads,
/// so only the results of steps (return codes, outputs) can tell them apart; a state invariant that reads such cells
/// (a property about cache contents) may still tell them apart, which the properties the variant survived did not.
/// The variant is followed from its own states, so a cell a later step does read shows as a state outside.
///
/// - Precondition: the models have the same variables (a mutant of the reference).
/// - Throws: ``ExploreError`` when the variant errs.
/// - Complexity: one breadth-first search, one thread.
///
/// `maxDepth` bounds the variant's search instead of the reference's bound: a reference collected
/// deeper than the variant is searched (a state the reference reaches only a few steps later, by
/// an eviction the variant did not need, is then inside; sound, since every state collected is
/// reachable).
public func firstStateOutside(
  _ variant: CompiledModel, of reference: ReachableStates, maxDepth: Int? = nil, maxStates: Int? = nil,
  stop: StopSignal? = nil
)
  throws -> StateInclusion
{
  let projection = Projection(variant)
  let found = try breadthFirst(
    variant, maxDepth: maxDepth ?? reference.maxDepth, maxStates: maxStates, stop: stop,
    outside: { words in
      guard !reference.states.contains(words) else { return false }
      guard let canonical = reference.canonical, !projection.isEmpty else { return true }
      return !canonical.contains(projection.canonical(State(words: words)))
    })
  var trace: Trace?
  if let escape = found.escape {
    var steps: [(action: Int, arguments: [Value])] = []
    var i = escape
    while found.parents[i] >= 0 {
      steps.append(found.via[i])
      i = found.parents[i]
    }
    trace = try variant.trace(of: steps.reversed(), property: nil, outcome: .outside)
  }
  return StateInclusion(escape: trace, variantStates: found.states.count, complete: found.complete || trace != nil)
}

/// What ``breadthFirst(_:maxDepth:maxStates:stop:inspect:outside:)`` calls for every (action, arguments) pair it runs:
/// the state (packed), the steps that reach it, the action and argument tuple, the code the step returned and the
/// scratch holding its arguments and successor.
///
/// Returning false stops the search.
private typealias TransitionInspector = (
  _ pre: [UInt64], _ path: () -> [(action: Int, arguments: [Value])], _ action: Int, _ tuple: Int, _ code: Int,
  _ scratch: Scratch
) throws -> Bool

/// The one plain breadth-first search over packed states with parent links (single-threaded, keeping every state: the
/// triage of mutants needs them; ``explore(_:options:)``'s parallel search keeps fingerprints only).
///
/// It stops at the first state `outside` says is outside, when given, and when `inspect` returns false.
private func breadthFirst(
  _ compiled: CompiledModel, maxDepth: Int?, maxStates: Int?, stop: StopSignal?,
  inspect: TransitionInspector? = nil, outside: (([UInt64]) -> Bool)? = nil
) throws -> (states: [[UInt64]], parents: [Int], via: [(action: Int, arguments: [Value])], escape: Int?, complete: Bool)
{
  let scratch = compiled.makeScratch()
  let words = compiled.layout.wordCount
  var states: [[UInt64]] = [compiled.initialWords]
  var parents = [-1]
  var via: [(action: Int, arguments: [Value])] = [(-1, [])]
  var depths = [0]
  var seen: Set<[UInt64]> = [compiled.initialWords]
  var complete = true
  if let outside, outside(compiled.initialWords) { return (states, parents, via, 0, complete) }
  var next = 0
  while next < states.count {
    if stop?.isStopped == true {
      complete = false
      break
    }
    let index = next
    next += 1
    if let maxDepth, depths[index] >= maxDepth { continue }
    let path = { () -> [(action: Int, arguments: [Value])] in
      var steps: [(action: Int, arguments: [Value])] = []
      var i = index
      while parents[i] >= 0 {
        steps.append(via[i])
        i = parents[i]
      }
      return steps.reversed()
    }
    for a in compiled.actions.indices {
      for t in 0..<compiled.actions[a].argumentCount {
        compiled.actions[a].decodeArguments(t, into: scratch.args)
        let code = try states[index].withUnsafeBufferPointer {
          try compiled.run(a, pre: $0.start, args: scratch.args, scratch: scratch)
        }
        if let inspect, try !inspect(states[index], path, a, t, code, scratch) {
          return (states, parents, via, nil, false)
        }
        guard compiled.wroteSuccessor(action: a, code: code) else { continue }
        let post = Array(UnsafeBufferPointer(start: scratch.post, count: words))
        guard seen.insert(post).inserted else { continue }
        if let maxStates, states.count >= maxStates {
          complete = false
          continue
        }
        states.append(post)
        parents.append(index)
        via.append((a, compiled.model.actions[a].arguments(at: t)))
        depths.append(depths[index] + 1)
        if let outside, outside(post) { return (states, parents, via, states.count - 1, complete) }
      }
    }
  }
  return (states, parents, via, nil, complete)
}
