import Dispatch
import Spec
import Z3

/// A step that broke candidate formulas during a Houdini run: a counterexample to induction of
/// the candidates it names, relative to the candidates still kept at that moment.
public struct HoudiniCTI: Sendable, Equatable {
  /// The action taken (its name) and its arguments where they are enumerated.
  public let action: String
  public let arguments: [String]
  /// The arguments' values, in parameter order (bounded checks only; `nil` for initiation and
  /// parametric checks).
  public var argumentValues: [Value]? = nil
  /// The candidates false in the post-state (or, for initiation, in the initial state).
  public let broken: [Int]
  /// The pre- and post-state in the model's logical layout (bounded checks only; `nil` for
  /// initiation and parametric checks).
  public let pre: [Value]?
  public let post: [Value]?

  /// A CTI found outside Z3 (by a ``HoudiniRefuter``), with the same meaning as one Z3 gave.
  public init(
    action: String, arguments: [String], argumentValues: [Value]? = nil, broken: [Int], pre: [Value]?,
    post: [Value]?
  ) {
    self.action = action
    self.arguments = arguments
    self.argumentValues = argumentValues
    self.broken = broken
    self.pre = pre
    self.post = post
  }
}

/// Finds more CTIs from the pre-state of one Z3 gave, without Z3.
///
/// A caller may run the concrete engine from that state, for instance. Called with the pre-state (in the model's logical layout) and the candidates still kept; it
/// must return only steps from states satisfying every formula in `kept`, each naming formulas
/// (of `kept`) false after the step. Houdini drops them all. That is exactly what Houdini would
/// drop on asking Z3 again, so the fixpoint is the same; and since Houdini ends only after a
/// pass of unsat answers, a refuter cannot make the kept set non-inductive.
public typealias HoudiniRefuter = (_ pre: [Value], _ kept: Set<Int>) -> [HoudiniCTI]

/// The result of ``SymbolicChecker/houdini(_:)``.
public struct HoudiniReport: Sendable {
  /// `nil` when the fixpoint was reached; otherwise why the run stopped (budget, Z3 unknown).
  ///
  /// A run that stopped early proves nothing about `kept`.
  public let incomplete: String?
  /// The candidates (indices into the formulas given) that survived; when `incomplete` is nil
  /// they hold initially and are together preserved by every action instance.
  public let kept: [Int]
  /// Each counterexample that dropped candidates, in the order found.
  public let ctis: [HoudiniCTI]
  public let queries: Int
  public let seconds: Double
  /// Candidates dropped because Z3 gave no answer about them within the per-query limit (not
  /// shown broken; dropping them only weakens the set).
  public var unanswered: [Int] = []
  /// Candidates the refuter dropped (see ``HoudiniRefuter``), and the seconds it took.
  public var refuted = 0
  public var refuterSeconds = 0.0
  /// Seconds spent in Z3's checks (the rest is encoding and model evaluation).
  public var solverSeconds = 0.0
  /// Per action: Z3 queries, those answered sat, and seconds in Z3's checks.
  public var perAction: [String: (queries: Int, sat: Int, seconds: Double)] = [:]
  /// One entry per pass over the action instances, in order (the last pass of a completed run
  /// changes nothing).
  public var passes: [HoudiniPass] = []
  /// Action instances left out of a pass (counted once per pass) because no kept formula reads
  /// a variable the action writes: such a formula keeps its value in the step, and it held in
  /// the pre-state.
  public var framed = 0
  /// Queries asked again because the pre-state of a sat answer falsified a kept formula the
  /// query had not asserted (relevance; see ``SymbolicChecker/houdini(_:protected:chunk:queryLimit:relevance:cores:workers:refuter:progress:actionDone:)``).
  public var widened = 0
  /// Kept formulas asserted per query, summed (with relevance, fewer than kept × queries).
  public var asserted = 0
  /// With cores, the answers not asked again: members whose earlier unsat answer rested only on
  /// formulas still kept (counted per member and pass).
  public var reused = 0
  /// With cores, what each kept formula's preservation rests on in the last pass.
  ///
  /// For each kept formula Z3 was asked about in the last pass or an earlier one whose answer
  /// still held (every answer unsat), the kept
  /// formulas those answers' unsat cores name; empty for an incomplete run or without cores. A
  /// formula absent here was framed out of every query (no step can change it).
  public var cores: [Int: [Int]] = [:]

  /// The formulas the preservation of `goals` rests on by the last pass's cores.
  ///
  /// The goals and, closed under ``cores``, every formula a member's core names. Each member is
  /// preserved by every action instance assuming only members (a core, or the frame), so the
  /// set is inductive when the run completed; nil when the run has no cores.
  ///
  /// Cores are not minimal and a core covers its whole query group, so neither is the set.
  public func coreSupport(of goals: [Int]) -> [Int]? {
    guard incomplete == nil, !cores.isEmpty else { return nil }
    var support = Set(goals)
    var frontier = goals
    while let i = frontier.popLast() {
      for j in cores[i] ?? [] where support.insert(j).inserted { frontier.append(j) }
    }
    return support.sorted()
  }
}

/// What one action instance's queries did within a Houdini pass (a progress report).
public struct HoudiniActionStep: Sendable, Equatable {
  public let pass: Int
  public let action: String
  /// Z3 queries, CTIs (Z3's and the refuter's) and formulas dropped for this instance in this pass.
  public let queries: Int
  public let ctis: Int
  public let dropped: Int
  /// Seconds for this instance in this pass: encoding, Z3, the refuter.
  public let seconds: Double
}

/// What one Houdini pass over the action instances did: the kept count after it, and the
/// run's totals so far (a reader sees convergence, or its absence, pass by pass).
public struct HoudiniPass: Sendable, Equatable {
  /// 1 for the first pass over the action instances.
  public let pass: Int
  /// Formulas kept at the end of the pass (goals included).
  public let kept: Int
  /// Formulas dropped during the pass (by Z3's CTIs, the refuter and unanswered queries).
  public let dropped: Int
  /// The run's CTIs and Z3 queries so far, and its seconds so far.
  public let ctis: Int
  public let queries: Int
  public let seconds: Double
}

/// The result of ``SymbolicChecker/support(of:within:)``.
public struct SupportReport: Sendable {
  /// `nil` when every query was unsat; otherwise why the run stopped.
  public let incomplete: String?
  /// The formulas (indices into those given) that the goals' preservation rests on, goals
  /// included; the set is closed: each member is preserved assuming only members.
  public let support: [Int]
  public let queries: Int
  public let seconds: Double
}

extension SymbolicChecker {
  // MARK: - Houdini

  /// Finds the largest subset of `formulas` that is inductive (Houdini, Flanagan and Leino 2001).
  ///
  /// First drops every formula false in some initial state, then repeats, until nothing changes:
  /// for each action instance, asks Z3 for a state satisfying every kept formula whose successor
  /// falsifies one; drops the formulas false in that successor. Each answer is a CTI of the
  /// formulas it drops. The kept set is inductive only when the run completes (`incomplete` is
  /// nil): an exhausted budget or an unknown answer on a `protected` formula stops the run, and
  /// the caller must report unknown. Nothing here proves a property; a caller proves one by a
  /// separate induction check.
  ///
  /// With `chunk` > 0 the successor's formulas are asked about in groups of that many (each
  /// query still assumes every kept formula in the pre-state), and with `queryLimit` a query
  /// that Z3 does not answer within that many seconds is split in halves; a single unprotected
  /// formula that still gets no answer is dropped (``HoudiniReport/unanswered``). Dropping a
  /// candidate only weakens the set, and every formula kept at the end was shown preserved by
  /// an unsat answer assuming only kept formulas, so the result is inductive all the same.
  /// Action arguments follow ``SymbolicOptions/arguments``: one query per action (symbolic) or
  /// per argument tuple (enumerated).
  ///
  /// - Parameter formulas: candidate invariants over the state (no action parameters).
  /// - Parameter protected: formulas that must not be dropped for want of an answer (the goals).
  /// - Parameter workers: threads asking the consecution queries (this one and `workers - 1` more,
  ///   each with a checker and Z3 context of its own): a pass's action instances go to whichever
  ///   is free, each asks with a snapshot of the kept set (which only shrinks, so every CTI drops
  ///   only formulas outside the largest inductive subset), and a pass ends when every thread is
  ///   done with it. The kept set is that subset for every count; CTIs, queries and cores may
  ///   differ (see `HoudiniBoard`). The refuter is called by one thread at a time.
  /// - Parameter refuter: asked after each CTI Z3 gives (bounded checks only) for more CTIs
  ///   from its pre-state; see ``HoudiniRefuter``.
  /// - Parameter progress: called at the end of each pass (``HoudiniReport/passes``).
  /// - Parameter actionDone: called after each action instance's queries in a pass.
  ///
  /// The frame rule: a formula that reads no variable an action writes (on success or on a
  /// failure condition) is never asked about for that action, since it keeps the value it had in
  /// the pre-state, where every kept formula holds; an action writing nothing a kept formula reads
  /// gets no query.
  ///
  /// Relevance (bounded checks with a fresh solver per query, `relevance` true): a query
  /// asserts only the kept formulas sharing a variable with the goal group or with what the
  /// action reads or writes. Unsat with fewer assumptions is unsat with all. On sat, every kept
  /// formula not asserted is evaluated in the model's pre-state; if one is false there, the query
  /// is asked again with every kept formula, so a CTI is accepted only from a pre-state satisfying
  /// every kept formula (``HoudiniReport/widened`` counts the re-asks).
  ///
  /// Cores (`cores` true, bounded checks with a fresh solver per query): each asserted formula
  /// stands behind an assumed indicator, so an unsat answer comes with the formulas it used (its
  /// unsat core). A later query about a group asserts the group and the cores of its members'
  /// earlier answers for the same action instance (a member never answered takes the instance's
  /// last core) instead of every relevant formula: unsat with those is unsat with all. On sat,
  /// as with relevance, a pre-state falsifying a kept formula not asserted widens the query to
  /// the relevant formulas, then to every kept one. A member whose earlier answer's core is
  /// still all kept is not asked again (that answer still holds; ``HoudiniReport/reused``). The
  /// last pass's cores give ``HoudiniReport/coreSupport(of:)``.
  /// - Complexity: at most (formulas + 1) passes over the action instances; per instance one
  ///   query per chunk plus one per dropping CTI, and per timed-out chunk at most 2·size more.
  public func houdini(
    _ formulas: [Expr], protected: Set<Int> = [], chunk: Int = 0, queryLimit: Double? = nil,
    relevance: Bool = true, cores: Bool = false, workers: Int = 1, refuter: HoudiniRefuter? = nil,
    progress: ((HoudiniPass) -> Void)? = nil,
    actionDone: ((HoudiniActionStep) -> Void)? = nil
  ) -> HoudiniReport {
    let start = DispatchTime.now()
    begin()
    var kept = Set(formulas.indices)
    var ctis: [HoudiniCTI] = []
    let solverBefore = solverSeconds
    func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
    func finish(_ incomplete: String?) -> HoudiniReport {
      HoudiniReport(
        incomplete: incomplete, kept: kept.sorted(), ctis: ctis, queries: queries, seconds: elapsed(),
        solverSeconds: solverSeconds - solverBefore)
    }
    // The frame: a step changes only the variables its action writes (on success or on a
    // failure condition), so a formula reading none of them keeps the value it had in the
    // pre-state, where every kept formula holds. Such formulas are never asked about.
    let reads = formulas.map(\.variablesRead)
    let framedBy: [Set<Int>] = model.actions.map { action in
      let writes = Set((action.effects + action.failures.flatMap(\.effects)).map(\.variable))
      return Set(formulas.indices.filter { !reads[$0].isDisjoint(with: writes) })
    }
    // Relevance: what each action reads (guard, failure conditions, its writes' keys, values and
    // conditions) or writes.
    let job = HoudiniJob(
      formulas: formulas, protected: protected, chunk: chunk, queryLimit: queryLimit, relevance: relevance,
      cores: cores, reads: reads, framedBy: framedBy, near: model.actions.map(\.variablesTouched))
    let terms: HoudiniTerms
    do {
      // Initiation.
      let s0 = try solver()
      let initial = try encoder.initialState()
      let initialTerms = try formulas.map { try encoder.compile($0, state: initial, parameters: []) }
      do { for axiom in try encoder.distinctness() { try s0.assert(axiom) } } catch { throw SymbolicError(error) }
      while !kept.isEmpty {
        let active = kept.sorted()
        let result = try check(
          s0, assuming: [], goal: try context.not(try context.and(active.map { initialTerms[$0] })))
        switch result {
        case .unsat: break
        case .unknown(let reason): return finish("Z3 answered unknown on initiation: \(reason)")
        case .sat:
          let broken = try falseTerms(s0, active.map { ($0, initialTerms[$0]) })
          guard !broken.isEmpty else { return finish("no candidate is false in the initial-state model Z3 gave") }
          kept.subtract(broken)
          ctis.append(HoudiniCTI(action: "(initial state)", arguments: [], broken: broken, pre: nil, post: nil))
          continue
        }
        break
      }
      // Consecution.
      guard let compiled = try houdiniTerms(job) else { return finish("time budget exhausted") }
      terms = compiled
    } catch {
      return finish(SymbolicError(error).description)
    }
    // The action instances are shared among `workers` askers, this checker and checkers of their
    // own on threads of their own (see HoudiniBoard: the kept set does not depend on how many).
    let askers = max(1, min(workers, terms.instances.count))
    let board = HoudiniBoard(
      kept: kept, ctis: ctis, queries: queries, instances: terms.instances.count, askers: askers, start: start,
      refuter: refuter, progress: progress, actionDone: actionDone)
    let group = detachAskers(askers, failed: { board.fail($0) }) { checker, _ in
      defer { board.addSolverSeconds(checker.solverSeconds) }
      guard let own = try checker.houdiniTerms(job) else { return board.stop("time budget exhausted") }
      try checker.houdiniAsk(board, job, own)
    }
    do { try houdiniAsk(board, job, terms) } catch { board.fail(error) }
    group.wait()
    let incomplete = board.failure.map { SymbolicError($0).description } ?? board.stopped
    return board.report(incomplete: incomplete, solverSeconds: solverSeconds - solverBefore)
  }

  // MARK: - Support

  /// Finds the formulas the goals' preservation rests on, from Z3's unsat cores.
  ///
  /// `within` must be an inductive set containing the goals (a completed ``houdini(_:)`` run
  /// with the goals kept). Starting from the goals, asks for each action instance whether the
  /// formulas found so far are preserved assuming all of `within`, and adds the members of the
  /// unsat core; repeats until no new formula appears. The result is closed under that
  /// relation, so it is itself inductive (a caller still proves it by induction). Cores are not
  /// minimal, so neither is the result.
  ///
  /// - Complexity: one query per action instance per round; at most as many rounds as formulas.
  public func support(of goals: [Int], within formulas: [Expr]) -> SupportReport {
    let start = DispatchTime.now()
    begin()
    var support = Set(goals)
    var frontier = goals
    func finish(_ incomplete: String?) -> SupportReport {
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
      return SupportReport(incomplete: incomplete, support: support.sorted(), queries: queries, seconds: seconds)
    }
    do {
      let s = try solver()
      // Smaller cores give a smaller support; a solver that rejects the setting still answers.
      // Not with quantifiers: Z3 minimises a core inside get_unsat_core, outside the query's
      // timeout, and on a parametric query that ran for minutes past the budget.
      if options.parametricSorts.isEmpty, let p = try? Z3Params(context: context) {
        try? p.set("core.minimize", to: true)
        try? s.setParams(p)
      }
      let pre = try encoder.freshState("pre")
      let domains = try encoder.domainConstraints(pre)
      var indicators: [Z3Expr] = []
      var index: [Z3Expr: Int] = [:]
      do {
        for c in domains.plain { try s.assert(c) }
        for c in domains.quantified { try s.assert(c) }
        for axiom in try encoder.distinctness() { try s.assert(axiom) }
        let bool = try context.boolSort()
        for (i, f) in formulas.enumerated() {
          let h = try context.constant(named: "support!\(i)", sort: bool)
          indicators.append(h)
          index[h] = i
          try s.assert(try context.implies(h, try encoder.compile(f, state: pre, parameters: [])))
        }
      } catch { throw SymbolicError(error) }
      let instances = try instances(tag: "s", sampled: false)
      while !frontier.isEmpty {
        let batch = frontier
        frontier = []
        for instance in instances {
          if DispatchTime.now() >= deadline { return finish("time budget exhausted") }
          let step = try encoder.step(instance.action, state: pre, parameters: instance.terms)
          let goal = try context.not(
            try context.and(try batch.map { try encoder.compile(formulas[$0], state: step.post, parameters: []) }))
          do {
            try s.push()
            for c in instance.constraints { try s.assert(c) }
            try s.assert(step.enabled)
          } catch { throw SymbolicError(error) }
          let result = try check(s, assuming: indicators, goal: goal)
          switch result {
          case .unsat:
            let core: [Z3Expr]
            do { core = try s.unsatCore() } catch { throw SymbolicError(error) }
            for h in core {
              if let i = index[h], support.insert(i).inserted { frontier.append(i) }
            }
          case .sat:
            return finish("the formulas are not inductive: \(model.actions[instance.action].name) breaks one")
          case .unknown(let reason):
            return finish("Z3 answered unknown on \(model.actions[instance.action].name): \(reason)")
          }
          do { try s.pop() } catch { throw SymbolicError(error) }
        }
      }
      return finish(nil)
    } catch {
      return finish(SymbolicError(error).description)
    }
  }

  // MARK: - Implication

  /// Whether `premises` imply `conclusion` in every state (within the variables' domains): Z3 answers unsat for
  /// `premises ∧ ¬conclusion`.
  ///
  /// `nil` when Z3 answers unknown or the budget runs out. A state fact, not a proof about the model's behaviour.
  public func implies(_ premises: [Expr], _ conclusion: Expr) -> Bool? {
    begin()
    do {
      let s = try solver()
      let state = try encoder.freshState("imp")
      let domains = try encoder.domainConstraints(state)
      do {
        for c in domains.plain + domains.quantified { try s.assert(c) }
        for axiom in try encoder.distinctness() { try s.assert(axiom) }
        for p in premises { try s.assert(try encoder.compile(p, state: state, parameters: [])) }
      } catch { throw SymbolicError(error) }
      let goal = try context.not(try encoder.compile(conclusion, state: state, parameters: []))
      switch try check(s, assuming: [], goal: goal) {
      case .unsat: return true
      case .sat: return false
      case .unknown: return nil
      }
    } catch {
      return nil
    }
  }

  // MARK: - Helpers

  /// Sets `s`'s timeout to what is left of the budget (at most `limit` seconds); false when
  /// nothing is left.
  func limitTime(_ s: Z3Solver, _ limit: Double?) throws(Z3Error) -> Bool {
    let now = DispatchTime.now()
    guard now < deadline else { return false }
    var remaining = (deadline.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000
    if let limit { remaining = min(remaining, UInt64(max(limit, 0.001) * 1000)) }
    try s.setTimeout(milliseconds: UInt32(min(remaining, UInt64(UInt32.max))))
    return true
  }

  /// Checks `goal` (and `extra`) under `assumptions` within the budget, in a scope of its own.
  func check(
    _ s: Z3Solver, assuming assumptions: [Z3Expr], goal: Z3Expr, extra: [Z3Expr] = [], limit: Double? = nil
  ) throws -> SolverResult {
    do {
      guard try limitTime(s, limit) else { return .unknown(reason: "time budget exhausted") }
      try s.push()
      try s.assert(goal)
      for c in extra { try s.assert(c) }
      queries += 1
      let begun = DispatchTime.now()
      let result = try s.check(assuming: assumptions)
      solverSeconds += Double(DispatchTime.now().uptimeNanoseconds - begun.uptimeNanoseconds) / 1e9
      if result == .sat { lastModel = try s.model() }
      try s.pop()
      return result
    } catch { throw SymbolicError(error) }
  }

  /// Checks a solver that is never pushed under `assumptions` (so the unsat core names them),
  /// within the budget and `limit`, as ``check(_:limit:)``.
  func checkTracked(_ s: Z3Solver, assuming assumptions: [Z3Expr], limit: Double?) throws -> SolverResult {
    do {
      guard try limitTime(s, limit) else { return .unknown(reason: "time budget exhausted") }
      queries += 1
      return try s.check(assuming: assumptions)
    } catch { throw SymbolicError(error) }
  }

  /// The indices whose terms are false in the last model (or, when the model cannot evaluate a quantified term, may be
  /// false there).
  ///
  /// Also records in ``unevaluable`` the terms the model cannot evaluate (a quantifier over a parametric sort); they
  /// are counted as broken here, and the caller may ask about them.
  func falseTerms(_ s: Z3Solver, _ terms: [(Int, Z3Expr)]) throws -> [Int] {
    unevaluable = []
    guard let m = lastModel else { return [] }
    var result: [Int] = []
    for (i, t) in terms {
      do {
        if try !m.boolValue(of: t) { result.append(i) }
      } catch {
        unevaluable.insert(i)
        result.append(i)
      }
    }
    return result
  }

  func houdiniCTI(_ s: Z3Solver, instance: Instance, pre: SymbolicState, post: SymbolicState, broken: [Int]) throws
    -> HoudiniCTI
  {
    let action = model.actions[instance.action]
    let arguments = zip(action.parameters, instance.arguments).map { p, v in
      "\(p.name)=\(v.map { p.domain.render($0) } ?? "?")"
    }
    var preValues: [Value]?
    var postValues: [Value]?
    var values: [Value]?
    if options.parametricSorts.isEmpty, let m = lastModel {
      preValues = try stateValues(m, pre)
      postValues = try stateValues(m, post)
      // An argument left free (not enumerated) takes its value in the solver's model.
      values = try action.parameters.indices.map { i in
        if let v = instance.arguments[i] { return v }
        do {
          if action.parameters[i].domain == .bool { return try m.boolValue(of: instance.terms[i]) ? 1 : 0 }
          return try m.bitVectorValue(of: instance.terms[i])
        } catch { throw SymbolicError(error) }
      }
    }
    return HoudiniCTI(
      action: action.name, arguments: arguments, argumentValues: values, broken: broken, pre: preValues,
      post: postValues)
  }
}
