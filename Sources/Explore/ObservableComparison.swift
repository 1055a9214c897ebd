import Spec

/// What a comparison of two models' observable results found (``compareObservableResults(_:_:maxDepth:maxStates:stop:)``).
public struct ObservableComparison: Hashable, Sendable {
  /// The first call whose result differs in some pair, or `nil` when every call agrees in every
  /// explored pair (a difference is not a verdict: see ``compareObservableResults(_:_:maxDepth:maxStates:stop:)``).
  public let difference: BehaviourComparison.Difference?
  /// Pairs of states explored.
  public let pairs: Int
  /// Whether every pair (within `maxDepth` steps) was explored: only then does no difference mean
  /// the same observable results (within `maxDepth` steps).
  public let complete: Bool
  /// The depth bound, if any: steps of the two models together along a pair's path.
  public let maxDepth: Int?
  /// The internal actions: not compared; a step of one is taken by both models when both can,
  /// else by the one that can.
  public let hidden: [String]
}

/// Compares two models' *observable results*, with their internal steps hidden, by breadth-first
/// search over pairs of states.
///
/// An action is internal when it has no failure condition, no output and no function ID in the
/// model's ABI (a step of the environment that returns nothing to a caller: a speculative fill,
/// an eviction; a call such as PSCI_VERSION returns its status, so it is compared). From every
/// pair (a, b), an internal step that both models can take moves both, to (a', b'); one that only
/// one model can take moves that model alone, to (a', b) or (a, b'). Every other (action,
/// arguments) pair runs in both, each from its own state, and must agree as in
/// ``compareBehaviour(_:_:maxDepth:maxStates:stop:)`` (both disabled, both failing on the
/// condition of the same name and code with the same index, or both succeeding with the same
/// outputs); the pair then moves to both successors. States are not compared.
///
/// When the search is complete and finds no difference, every sequence of observable calls with
/// their results that one model can produce (its internal steps anywhere in between) the other
/// produces too: a step of a compiled model is a function of its state and arguments, and every
/// run of either model is one component of a path of pairs (the other model takes the same
/// internal step when it can, none otherwise, and the same calls), along which every call
/// returned the same result in both. With `maxDepth`, this holds for runs of at most `maxDepth`
/// steps. So no oracle that sees only calls and their results (a conformance scenario that drives
/// no internal action) can tell the two apart; what it says about states is left to the state
/// comparison.
///
/// The condition is sufficient, not necessary: the other model's choice (take the internal step
/// or not) is fixed, not searched, so a variant whose internal steps are enabled at other moments
/// (a fine-mode sequence whose steps are internal actions, a stale line a read returns) may show
/// a difference the other choice would have avoided. A difference therefore says where the
/// results depend on internal steps, not that the observable behaviours differ; only
/// `difference == nil` with `complete` is a verdict.
///
/// - Precondition: the models have the same variables and the same actions with the same
///   parameters, in the same order (a mutant of the reference).
/// - Throws: ``ExploreError`` when the reference model errs.
/// - Complexity: O(pairs × (action, argument) pairs × step cost), one thread; the pairs can be
///   many more than either model's states (the two models' internal state varies independently).
public func compareObservableResults(
  _ reference: CompiledModel, _ variant: CompiledModel, maxDepth: Int? = nil, maxStates: Int? = nil,
  stop: StopSignal? = nil
) throws -> ObservableComparison {
  let steps = StepPair(reference, variant, caller: "compareObservableResults")
  let (words, scratchA, scratchB) = (steps.words, steps.scratchA, steps.scratchB)
  let internalAction = steps.internalAction  // PSCI_VERSION, a call of the ABI, is never hidden
  let hidden = reference.model.actions.indices.filter { internalAction[$0] }.map { reference.model.actions[$0].name }
  var search = PairSearch<(a: [UInt64], b: [UInt64])>(maxStates: maxStates)
  func add(_ a: [UInt64], _ b: [UInt64], parent: Int, step: (Int, [Value], Bool)) {
    search.add((a, b), key: a + b, parent: parent, step: step)
  }
  func differs(_ index: Int, action a: Int, arguments: [Value]) throws -> ObservableComparison {
    let d = try describeDifference(
      reference, variant, action: a, arguments: arguments, preA: State(words: search.pairs[index].a),
      preB: State(words: search.pairs[index].b), prefix: search.path(index),
      ownState: " (from its own state, which its own internal steps may have made differ)")
    return ObservableComparison(
      difference: d, pairs: search.pairs.count, complete: false, maxDepth: maxDepth, hidden: hidden)
  }
  add(reference.initialWords, variant.initialWords, parent: -1, step: (-1, [], true))
  while let index = search.nextPair(maxDepth: maxDepth, stop: stop) {
    let (preA, preB) = search.pairs[index]
    for a in reference.actions.indices {
      for t in 0..<reference.actions[a].argumentCount {
        reference.actions[a].decodeArguments(t, into: scratchA.args)
        variant.actions[a].decodeArguments(t, into: scratchB.args)
        // Decoded only for a pair added or a difference (most tuples are disabled in both).
        var arguments: [Value] { reference.model.actions[a].arguments(at: t) }
        let codeA = try preA.withUnsafeBufferPointer {
          try reference.run(a, pre: $0.start, args: scratchA.args, scratch: scratchA)
        }
        let postA =
          reference.wroteSuccessor(action: a, code: codeA)
          ? Array(UnsafeBufferPointer(start: scratchA.post, count: words)) : preA
        // A variant that errs where the reference does not differs.
        guard
          let codeB = try? preB.withUnsafeBufferPointer({
            try variant.run(a, pre: $0.start, args: scratchB.args, scratch: scratchB)
          })
        else { return try differs(index, action: a, arguments: arguments) }
        let postB =
          variant.wroteSuccessor(action: a, code: codeB)
          ? Array(UnsafeBufferPointer(start: scratchB.post, count: words)) : preB
        if internalAction[a] {
          // Both take it when both can; else the one that can, alone.
          switch (codeA != CompiledModel.disabledCode, codeB != CompiledModel.disabledCode) {
          case (true, true): add(postA, postB, parent: index, step: (a, arguments, true))
          case (true, false): add(postA, preB, parent: index, step: (a, arguments, true))
          case (false, true): add(preA, postB, parent: index, step: (a, arguments, false))
          case (false, false): break
          }
          continue
        }
        if codeA == CompiledModel.disabledCode && codeB == CompiledModel.disabledCode { continue }
        guard
          try steps.sameResult(action: a, codeA: codeA, codeB: codeB, preA: preA, preB: preB)
        else { return try differs(index, action: a, arguments: arguments) }
        add(postA, postB, parent: index, step: (a, arguments, true))
      }
    }
  }
  return ObservableComparison(
    difference: nil, pairs: search.pairs.count, complete: search.complete, maxDepth: maxDepth, hidden: hidden)
}
