import Dispatch
import Foundation
import Spec
import Z3

extension SymbolicChecker {
  /// Asks the instantiated consecution query of every instance (``instantiatedConsecution(_:pre:step:invariant:)``) on
  /// ``SymbolicOptions/workers`` threads; returns the reason the first instance, in order, is not proved, if any.
  ///
  /// Each thread has a checker of its own (its own Z3 context) built from the same model and options; this checker
  /// asks on the calling thread. Before its first query every asker compiles the initial state, the invariant and
  /// every action's step, so the literals its encoder has met, hence each query's instantiation terms, are the same
  /// whichever asker asks which query, and the same as with one worker. The threads take the instances the most
  /// expensive first (``costOrder(_:invariant:)``); once an instance is not proved, later ones (by position) are not
  /// asked. The queries, per-action seconds and reasked counts of
  /// the instances up to that one are added to this checker's, in order: the report does not depend on the number
  /// of workers (except for the seconds).
  func instantiatedConsecutions(_ instances: [Instance], pre: SymbolicState, invariant: [Int]) throws -> String? {
    let (results, error) = try sharedConsecutions(instances, pre: pre, invariant: invariant)
    for result in results {
      queries += result.queries
      reasked += result.reasked
      actionSeconds.append((model.actions[instances[result.index].action].name, result.seconds))
      if let failure = result.failure { return failure }
    }
    if let error { throw error }
    return nil
  }

  /// Asks the fresh consecution query of every instance of a bounded induction on ``SymbolicOptions/workers`` threads.
  ///
  /// As ``instantiatedConsecutions(_:pre:invariant:)`` does (``freshConsecution(_:step:postFormulas:base:)`` on each
  /// asker); returns the results by instance, up to the first instance (in order) whose fresh query is not unsat,
  /// which the caller asks of its shared solver (the CTI), as it asks every instance without a result. The counters
  /// are the caller's to add.
  func freshConsecutions(_ instances: [Instance], pre: SymbolicState, invariant: [Int]) throws -> [Int: ConsecutionQueue
    .Result]
  {
    let (results, error) = try sharedConsecutions(instances, pre: pre, invariant: invariant)
    if let error { throw error }
    return Dictionary(uniqueKeysWithValues: results.map { ($0.index, $0) })
  }

  /// The consecution results of `instances` asked on ``SymbolicOptions/workers`` threads (this checker's among them),
  /// in order up to the first failure, and an asker's error; this checker's counters are left as they were.
  private func sharedConsecutions(_ instances: [Instance], pre: SymbolicState, invariant: [Int]) throws -> (
    [ConsecutionQueue.Result], (any Error)?
  ) {
    let shared = ConsecutionQueue(count: instances.count, order: costOrder(instances, invariant: invariant))
    // This checker asks too: its counters are set from the results, as every asker's are.
    let (queriesBefore, reaskedBefore) = (queries, reasked)
    let workers = max(1, min(options.workers, instances.count))
    let group = detachAskers(workers, failed: { shared.fail($0) }) { checker, _ in
      try checker.askConsecutions(shared, invariant: invariant)
    }
    do { try askConsecutions(shared, invariant: invariant, pre: pre, instances: instances) } catch {
      shared.fail(error)
    }
    group.wait()
    (queries, reasked) = (queriesBefore, reaskedBefore)
    return shared.finished()
  }

  /// The instances' positions, the most expensive first by an estimate, ties in order.
  ///
  /// The estimate is the number of invariant formulas reading a variable the action writes (success or failure
  /// effects): the goals of its reduced queries (``reducedGroups(_:step:invariant:)``), and what a full query's
  /// negated post-state has left once Z3 has simplified the rest to the pre-state's formulas. Handing the longest
  /// queries out first keeps the last one from running alone on one thread while the others are idle; the results
  /// are combined by position, so the order changes no report.
  func costOrder(_ instances: [Instance], invariant: [Int]) -> [Int] {
    let reads = invariant.map { model.properties[$0].formula.variablesRead }
    let costs = instances.map { instance in
      let action = model.actions[instance.action]
      let written = Set((action.effects + action.failures.flatMap(\.effects)).map(\.variable))
      return reads.filter { !$0.isDisjoint(with: written) }.count
    }
    return costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
  }

  /// Takes instances from `shared` and asks their consecution queries until none is left (or an earlier one failed).
  ///
  /// `pre` and `instances` are this checker's when given (the calling thread's checker, which made them); otherwise
  /// the checker makes its own, with the same names, so instance `i` is the same action everywhere.
  func askConsecutions(
    _ shared: ConsecutionQueue, invariant: [Int], pre given: SymbolicState? = nil, instances made: [Instance]? = nil
  ) throws {
    let pre = try given ?? encoder.freshState("pre")
    let instances = try made ?? self.instances(tag: "i", sampled: false)
    // Every literal of the proof, in the same order on every asker (see above).
    _ = try formulas(invariant, in: try encoder.initialState())
    let preFormulas = try formulas(invariant, in: pre)
    let steps = try instances.map { try encoder.step($0.action, state: pre, parameters: $0.terms) }
    // A bounded induction's fresh queries (no instantiation): what each assumes.
    let bounded = !options.instantiate || options.parametricSorts.isEmpty
    let base = bounded ? try encoder.domainConstraints(pre).plain + preFormulas + (try encoder.distinctness()) : []
    while let i = shared.next() {
      let name = model.actions[instances[i].action].name
      options.queryStarted?(name, i, instances.count)
      let (q0, r0, t0) = (queries, reasked, DispatchTime.now())
      let failure: String?
      if bounded {
        let unsat = try freshConsecution(
          instances[i], step: steps[i], postFormulas: try formulas(invariant, in: steps[i].post), base: base)
        failure = unsat ? nil : "the fresh consecution query of \(name) is not unsat"
      } else {
        failure = try instantiatedConsecution(instances[i], pre: pre, step: steps[i], invariant: invariant)
      }
      shared.record(
        .init(
          index: i, failure: failure, seconds: Self.seconds(since: t0), queries: queries - q0, reasked: reasked - r0))
    }
  }
}

extension SymbolicChecker {
  /// Notes vacuity as ``checkVacuity(_:_:)`` does, with the actions shared among ``SymbolicOptions/workers`` threads.
  ///
  /// The actions are dealt out in order (the `k`-th of `terms`' actions to asker `k % workers`; this checker is asker
  /// 0 and asks on `s`, which holds the base assertions); every other asker is a checker of its own that compiles the
  /// proof's literals as ``askConsecutions(_:invariant:pre:instances:)`` does, asserts the same base on a solver of its
  /// own and runs ``vacuity(_:_:)`` on its actions. All instances of an action go to one asker, and each action's
  /// verdict depends on its own queries only, so the notes (written in action order once every asker is done) and
  /// the query count are those of one worker; only Z3's time limit per query can tell a verdict apart.
  func instantiatedVacuity(_ s: Z3Solver, _ terms: [(instance: Instance, enabled: Z3Expr)], invariant: [Int]) throws {
    let actions = Array(Set(terms.map(\.instance.action))).sorted()
    let workers = max(1, min(options.workers, actions.count))
    let limit = Self.instantiatedVacuityQueryLimit
    guard workers > 1 else { return try checkVacuity(s, terms, limit: limit) }
    let share = { (asker: Int) in Set(actions.indices.filter { $0 % workers == asker }.map { actions[$0] }) }
    let found = VacuityVerdicts()
    let shares = (0..<workers).map(share)
    let group = detachAskers(workers, failed: { found.fail($0) }) { checker, asker in
      found.add(try checker.ownVacuity(of: shares[asker], invariant: invariant), queries: checker.queries)
    }
    let mine = share(0)
    var verdicts: Vacuity?
    var failure: (any Error)?
    do { verdicts = try vacuity(s, terms.filter { mine.contains($0.instance.action) }, limit: limit) } catch {
      failure = error
    }
    group.wait()
    if let failure { throw failure }
    let (others, queries, error) = found.finished()
    if let error { throw error }
    self.queries += queries
    var all = verdicts ?? Vacuity()
    for v in others {
      all.undecided.formUnion(v.undecided)
      all.vacuous.formUnion(v.vacuous)
      all.undetermined.merge(v.undetermined) { a, _ in a }
    }
    noteVacuity(all)
  }

  /// Runs `body` on `count - 1` new threads, askers 1 up to `count - 1` (this checker's thread is asker 0).
  ///
  /// Each thread has a checker of its own built from this checker's model and options and sharing its deadline; a
  /// thread's error goes to `failed`. Wait on the group returned before reading what the threads did.
  func detachAskers(
    _ count: Int, failed: @escaping @Sendable (any Error) -> Void,
    _ body: @escaping @Sendable (SymbolicChecker, Int) throws -> Void
  ) -> DispatchGroup {
    let group = DispatchGroup()
    let (model, options, deadline) = (self.model, self.options, self.deadline)
    for asker in 1..<max(1, count) {
      group.enter()
      Thread.detachNewThread {
        defer { group.leave() }
        do {
          let checker = try SymbolicChecker(model: model, options: options)
          checker.deadline = deadline
          try body(checker, asker)
        } catch {
          failed(error)
        }
      }
    }
    return group
  }

  /// ``vacuity(_:_:)`` of `actions` on a solver of this checker's own, holding the base of an instantiated induction
  /// (domain constraints, the invariant in the pre-state, distinctness) after the proof's literals are compiled in the
  /// order of ``askConsecutions(_:invariant:pre:instances:)``.
  func ownVacuity(of actions: Set<Int>, invariant: [Int]) throws -> Vacuity {
    let pre = try encoder.freshState("pre")
    let instances = try self.instances(tag: "i", sampled: false)
    _ = try formulas(invariant, in: try encoder.initialState())
    let preFormulas = try formulas(invariant, in: pre)
    let steps = try instances.map { try encoder.step($0.action, state: pre, parameters: $0.terms) }
    let s = try solver()
    do {
      for c in try encoder.domainConstraints(pre).plain { try s.assert(c) }
      for f in preFormulas { try s.assert(f) }
      for axiom in try encoder.distinctness() { try s.assert(axiom) }
    } catch { throw SymbolicError(error) }
    var terms: [(instance: Instance, enabled: Z3Expr)] = []
    for (instance, step) in zip(instances, steps) where actions.contains(instance.action) {
      terms.append((instance, try context.and([step.enabled] + instance.constraints)))
    }
    return try vacuity(s, terms, limit: Self.instantiatedVacuityQueryLimit)
  }
}

/// The vacuity verdicts of the threads of ``SymbolicChecker/instantiatedVacuity(_:_:invariant:)``.
final class VacuityVerdicts: @unchecked Sendable {
  private let lock = NSLock()
  private var verdicts: [SymbolicChecker.Vacuity] = []
  private var queries = 0
  private var error: (any Error)?

  func add(_ v: SymbolicChecker.Vacuity, queries: Int) {
    lock.withLock {
      verdicts.append(v)
      self.queries += queries
    }
  }

  func fail(_ error: any Error) {
    lock.withLock { if self.error == nil { self.error = error } }
  }

  /// Every thread's verdicts (their actions are disjoint: the order does not matter), their queries, the first error.
  func finished() -> (verdicts: [SymbolicChecker.Vacuity], queries: Int, error: (any Error)?) {
    lock.withLock { (verdicts, queries, error) }
  }
}

/// The instances of an induction's consecution queries shared by the threads that ask them
/// (``SymbolicChecker/instantiatedConsecutions(_:pre:invariant:)``): handed out in order, their results kept by index.
final class ConsecutionQueue: @unchecked Sendable {
  /// One instance's result: the reason it is not proved (`nil`: proved), its seconds, queries and reasked count.
  struct Result: Sendable {
    let index: Int
    let failure: String?
    let seconds: Double
    let queries: Int
    let reasked: Int
  }

  private let lock = NSLock()
  private let count: Int
  private var taken = 0
  /// The first instance not proved so far: no later one is handed out.
  private var firstFailure = Int.max
  private var results: [Int: Result] = [:]
  private var error: (any Error)?

  /// The order the instances are handed out in (a permutation of `0..<count`).
  private let order: [Int]

  /// A queue of `count` instances handed out in `order` (default: in order); results are combined by index anyway.
  init(count: Int, order: [Int]? = nil) {
    self.count = count
    self.order = order ?? Array(0..<count)
  }

  /// The next instance to ask, or `nil` when none is left, an earlier one is not proved, or an asker failed.
  ///
  /// An instance after the first one not proved (by index) is not handed out: its result would not be used.
  func next() -> Int? {
    lock.withLock {
      while taken < count, error == nil {
        let i = order[taken]
        taken += 1
        if i < firstFailure { return i }
      }
      return nil
    }
  }

  func record(_ result: Result) {
    lock.withLock {
      results[result.index] = result
      if result.failure != nil { firstFailure = min(firstFailure, result.index) }
    }
  }

  /// Records an asker's error; the instances not yet handed out are not asked.
  func fail(_ error: any Error) {
    lock.withLock { if self.error == nil { self.error = error } }
  }

  /// The results in order, up to the first instance not proved or the first missing one (an asker's error stopped
  /// it), and the error if one is missing.
  func finished() -> (results: [Result], error: (any Error)?) {
    lock.withLock {
      var ordered: [Result] = []
      for i in 0..<count {
        guard let r = results[i] else { return (ordered, error) }
        ordered.append(r)
        if r.failure != nil { return (ordered, nil) }
      }
      return (ordered, nil)
    }
  }
}
