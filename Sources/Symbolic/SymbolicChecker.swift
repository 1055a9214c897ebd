import Dispatch
import Spec
import Z3

/// Settings of a symbolic check.
public struct SymbolicOptions: Sendable {
  /// Index sorts treated as uninterpreted (a parametric proof); empty for a bounded proof.
  public var parametricSorts: Set<String>
  /// Wall-clock budget for the whole check, in seconds.
  public var timeout: Double
  /// Z3 resource limit per query (repeatable budget), if any.
  public var rlimit: UInt32?
  /// How induction, k-induction and BMC treat action arguments (Docs/symbolic-encoding.md).
  public var arguments: ArgumentEncoding
  /// Whether induction asks each consecution query of a solver of its own (`true`, the default; bounded proofs only,
  /// parametric ones keep Z3's general solver with push/pop) rather than of one solver with push/pop.
  ///
  /// The assertions are the same, so the answers are; a solver that is never pushed runs Z3's non-incremental QF_BV
  /// tactic (simplification, then bit-blasting to SAT), which on the RMM's proofs takes about half the CPU time of the
  /// incremental SMT core. A satisfiable consecution query is asked again of the shared solver, so the CTI is the one
  /// the incremental mode reports. Vacuity queries (mostly satisfiable, quick on a solver that already holds the
  /// invariant) stay incremental.
  public var freshSolverPerQuery = true
  /// Whether a parametric induction asks each consecution query with the pre-state's universal quantifiers over a
  /// parametric sort instantiated at the query's own ground terms (the sort's literals, the action's arguments, a
  /// Skolem constant per quantifier of the goal, and one round of the state's cells of that sort read at those terms
  /// and at the state's scalar cells of that sort) instead of quantified.
  ///
  /// A quantifier nested in another (`∀g∀h`) is instantiated at the terms before the closure
  /// round only (Encoder+Instantiation.swift), so its pairs are all terms by those, not the square of all terms.
  ///
  /// The instantiated assumptions are weaker than the quantified ones, so an unsat answer is still a proof of the
  /// action's step; a sat answer is no counterexample (the instantiation may be too weak) and is reported as unknown.
  /// Ignored when no sort is parametric.
  public var instantiate = false
  /// Whether an instantiated consecution query (``instantiate``) is first asked reduced: only the invariant formulas the
  /// step can change as goals, assuming only the formulas that share a variable with them or with the action
  /// (``SymbolicChecker/reducedConsecution(_:pre:step:invariant:)``).
  ///
  /// Unsat answers of the reduced queries prove the step as the full query would (their assumptions are a subset of
  /// its, and a goal reading nothing the step writes keeps its pre-state value). Any other answer is never reported:
  /// the group is asked again assuming every formula, and if that is not unsat either, the full query is asked and
  /// its answer is the result, so the outcome is the one without reduction.
  public var relevance = true
  /// How many goal formulas one reduced query (``relevance``) asks at most, each query instantiated at its own terms;
  /// 0 asks every goal formula the step can change in one query.
  ///
  /// A query's terms grow with its goals' Skolem constants, and Z3's work with the goals' disjunction: on the RMM and
  /// DA proof (rmm-da-parametric) one query of 13 goals took about 3 times the time of 13 queries of one, and 6 goals
  /// in one query a quarter of 6 queries of one (Docs/ADR/0011-parametric-rmm.md).
  public var goalsPerQuery = 4
  /// How many threads ask an induction's consecution queries: the instantiated ones (``instantiate``), or a bounded
  /// induction's fresh ones (``freshSolverPerQuery``), the most expensive actions first.
  ///
  /// Each thread has its own Z3 context; 1 asks them in order on the calling thread. The report is the same for every
  /// count: the results are combined in the actions' order, and the first action (in that order) that is not proved
  /// ends the run (a bounded one asked again of the shared solver, which gives the CTI, as with one thread).
  public var workers = 1
  /// Called by induction before each consecution query with the action's name, the query's position and the number of
  /// queries: what a progress line shows while a long proof runs.
  public var queryStarted: (@Sendable (_ action: String, _ index: Int, _ count: Int) -> Void)?

  public init(
    parametricSorts: Set<String> = [], timeout: Double = 300, rlimit: UInt32? = nil,
    arguments: ArgumentEncoding = .symbolic
  ) {
    self.parametricSorts = parametricSorts
    self.timeout = timeout
    self.rlimit = rlimit
    self.arguments = arguments
  }
}

/// How the symbolic checker treats an action's arguments.
public enum ArgumentEncoding: String, Sendable, CaseIterable {
  /// One action instance per action: every argument with more than one value is a constant
  /// constrained to its domain (or, in BMC, to its samples), so induction asks one consecution
  /// query per action and a BMC step chooses among the actions. Z3's model names the arguments.
  case symbolic
  /// One action instance per enumerated argument tuple (keys are constants, terms are small, but
  /// there are as many queries, or BMC choices, as tuples). Parametric and, under induction,
  /// sampled parameters stay free constants.
  case enumerated
}

/// A counterexample to induction: a state satisfying the invariant whose successor under one action does not.
///
/// It is not a violation: the pre-state may be unreachable.
public struct CTI: Sendable, Equatable {
  /// The action and its arguments (rendered; elements of a parametric sort as `Granule#i`).
  public let action: String
  public let arguments: [String]
  /// The arguments' values, in parameter order (bounded proofs only: `nil` when an argument is
  /// an element of a parametric sort).
  public var argumentValues: [Value]? = nil
  /// The pre- and post-state in the model's logical layout (bounded proofs only).
  public let pre: [Value]?
  public let post: [Value]?
  /// The properties and lemmas that are false in the post-state.
  public let failing: [String]
}

/// What a symbolic check found.
public enum SymbolicOutcome: Sendable, Equatable {
  /// Z3 answered unsat for every obligation.
  case proved
  /// A counterexample trace from the initial state (to be replayed concretely before it is shown).
  case violated(Trace)
  /// A counterexample to induction.
  case cti(CTI)
  /// BMC found no violation up to the depth.
  case holdsBounded(depth: Int)
  /// Z3 answered unknown, the budget ran out, or the encoding does not support the model.
  case unknown(String)
}

/// The result of a symbolic check with its cost.
public struct SymbolicReport: Sendable {
  public let outcome: SymbolicOutcome
  public let seconds: Double
  /// The number of solver queries.
  public let queries: Int
  /// `parametric (Granule)` or the bounds the result holds at.
  public let scope: String
  /// Remarks such as actions that the invariant never enables (vacuity).
  public let notes: [String]
  /// The seconds each action's consecution queries took (induction only), in the order asked.
  ///
  /// The last one is the query that ended the run when it did not finish: where a slow or unfinished proof spends its
  /// time.
  public var actionSeconds: [(action: String, seconds: Double)] = []
  /// The reduced consecution queries (``SymbolicOptions/relevance``) that were not unsat and were asked again: a group
  /// assuming every invariant formula, or an action's full query (induction with instantiated queries only).
  public var reasked = 0

  /// The `count` slowest entries of ``actionSeconds``, rendered `NAME 1.2 s`, slowest first.
  public func slowestActions(_ count: Int) -> [String] {
    actionSeconds.sorted { $0.seconds > $1.seconds }.prefix(count).map {
      "\($0.action) \(($0.seconds * 10).rounded() / 10) s"
    }
  }
}

/// The Z3-backed checker: bounded model checking, inductive invariants with CTIs, k-induction.
///
/// A checker owns one Z3 context and is used from one thread. It never reports `proved` unless
/// Z3 answered unsat for every obligation; unknown answers and exhausted budgets are `unknown`.
public final class SymbolicChecker {
  public let model: Model
  public let options: SymbolicOptions
  let context: Z3Context
  let encoder: Encoder
  var queries = 0
  /// Seconds spent inside Z3's checks by Houdini and support runs (the helpers' ``check``).
  var solverSeconds = 0.0
  var deadline: DispatchTime = .distantFuture
  /// The model of the last satisfiable query a Houdini or support run asked.
  var lastModel: Z3Model?
  /// The terms the last ``falseTerms(_:_:)`` call could not evaluate in the model.
  var unevaluable: Set<Int> = []
  private var notes: [String] = []
  /// Per-action consecution time of the running induction (``SymbolicReport/actionSeconds``).
  var actionSeconds: [(action: String, seconds: Double)] = []
  /// The consecution query being asked, if any: a report made while it runs (a CTI, an unknown) counts it.
  var inFlight: (action: String, start: DispatchTime)?
  /// The reduced consecution queries asked again so far (``SymbolicReport/reasked``).
  var reasked = 0

  /// Creates a checker for a model.
  ///
  /// - Throws: ``SymbolicError`` when the model cannot be encoded (for example a parametric sort
  ///   used in arithmetic).
  ///   Also ``SymbolicError/unknownSort(name:model:valid:)`` when `options` names a parametric
  ///   sort the model does not have (the scope would claim more than is proved), and the
  ///   model's own ``Spec/ModelError`` when it is malformed.
  public init(model: Model, options: SymbolicOptions = SymbolicOptions()) throws {
    try model.validate()
    let sorts = model.indexSorts
    for name in options.parametricSorts.sorted() where !sorts.contains(name) {
      throw SymbolicError.unknownSort(name: name, model: model.name, valid: sorts.sorted())
    }
    self.model = model
    self.options = options
    self.context = Z3Context()
    self.encoder = try Encoder(context: context, model: model, parametricSorts: options.parametricSorts)
  }

  var scope: String {
    if !options.parametricSorts.isEmpty {
      return "parametric (\(options.parametricSorts.sorted().joined(separator: ", ")))"
    }
    let c = model.configuration
    return c.bounds.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
  }

  // MARK: - Instances

  /// One action with its arguments: enumerated values, or constants constrained to their domains.
  struct Instance {
    let action: Int
    /// The enumerated arguments; `nil` for a free one (a symbolic argument, a parametric sort,
    /// or a sampled parameter under induction), whose value a Z3 model gives.
    let arguments: [Value?]
    let terms: [Z3Expr]
    /// Domain constraints on the free arguments.
    let constraints: [Z3Expr]
  }

  /// The action instances one step chooses from, with argument constants of their own (each
  /// unrolled step must have its own: arguments are chosen anew at every step).
  ///
  /// With ``ArgumentEncoding/symbolic`` (``SymbolicOptions/arguments``) every action is one
  /// instance; with ``ArgumentEncoding/enumerated`` every action with every enumerated argument
  /// tuple. A parameter with a single value is always that constant. A parameter of a
  /// parametric sort is always a fresh constant. A *sampled* parameter (a domain too large to
  /// enumerate, such as a 64-bit register) ranges over its samples when `sampled` is true (BMC:
  /// every trace it finds is real) and over its whole domain otherwise (induction: a proof must
  /// cover every value, not the samples).
  ///
  /// Actions share argument constants: the i-th parameter of a domain in one action uses the
  /// same constant as the i-th parameter of that domain in every other. A step takes one action,
  /// and each action's constraints hold only when it is the one chosen, so sharing changes no
  /// answer; it lets Z3 share the map reads and cell conditions of the acting granule among the
  /// actions of a BMC step, as a hand-written encoding with one acting granule per step does.
  func instances(tag: String, sampled: Bool, encoding: ArgumentEncoding? = nil) throws -> [Instance] {
    let symbolic = (encoding ?? options.arguments) == .symbolic
    var result: [Instance] = []
    var pool: [Slot: Z3Expr] = [:]
    for (a, action) in model.actions.enumerated() {
      var tuples: [[Value?]] = [[]]
      for p in action.parameters {
        let free =
          encoder.isParametric(p.domain) || (!sampled && p.isSampled) || (symbolic && p.values.count > 1)
        if free {
          tuples = tuples.map { $0 + [nil] }
        } else {
          tuples = tuples.flatMap { t in p.values.map { t + [$0] } }
        }
      }
      for t in tuples {
        var terms: [Z3Expr] = []
        var constraints: [Z3Expr] = []
        var seen: [Domain: Int] = [:]
        for (i, p) in action.parameters.enumerated() {
          if let v = t[i] {
            terms.append(p.domain == .bool ? try encoder.constant(v != 0) : try encoder.numeral(v))
          } else {
            let ordinal = seen[p.domain, default: 0]
            seen[p.domain] = ordinal + 1
            let slot = Slot(domain: p.domain, ordinal: ordinal)
            let term: Z3Expr
            if let shared = pool[slot] {
              term = shared
            } else {
              term = try encoder.argumentConstant("\(tag).\(p.name)", p.domain)
              pool[slot] = term
            }
            terms.append(term)
            if let c = try encoder.argumentConstraint(term, p, samplesOnly: sampled && p.isSampled) {
              constraints.append(c)
            }
          }
        }
        result.append(Instance(action: a, arguments: t, terms: terms, constraints: constraints))
      }
    }
    return result
  }

  /// A shared argument constant: the `ordinal`-th free parameter of `domain` in an instance.
  struct Slot: Hashable {
    let domain: Domain
    let ordinal: Int
  }

  /// The concrete arguments of an instance in a Z3 model: the enumerated ones, and the model's
  /// values of the free ones (an element of a parametric sort as its index in the model's
  /// universe).
  func argumentValues(_ m: Z3Model, _ instance: Instance) throws -> [Value] {
    let action = model.actions[instance.action]
    var values: [Value] = []
    do {
      for (k, p) in action.parameters.enumerated() {
        if let v = instance.arguments[k] {
          values.append(v)
        } else if encoder.isParametric(p.domain) {
          values.append(Value((try? m.universeIndex(of: instance.terms[k])) ?? 0))
        } else if p.domain == .bool {
          values.append(try m.boolValue(of: instance.terms[k]) ? 1 : 0)
        } else {
          values.append(try m.bitVectorValue(of: instance.terms[k]))
        }
      }
    } catch { throw SymbolicError(error) }
    return values
  }

  // MARK: - Solving

  /// A solver for the checker's queries: Z3's QF_BV solver for bounded configurations (every
  /// cell is a bit-vector or a Boolean, no arrays, no quantifiers once expanded), the general
  /// solver for parametric ones (arrays and quantifiers over an uninterpreted sort).
  func solver() throws -> Z3Solver {
    do {
      let s = try Z3Solver(context: context, logic: options.parametricSorts.isEmpty ? "QF_BV" : nil)
      if let rlimit = options.rlimit { try s.setResourceLimit(rlimit) }
      return s
    } catch { throw SymbolicError(error) }
  }

  /// Checks the solver within the remaining budget (and within `limit` seconds, if given).
  func check(_ s: Z3Solver, limit: Double? = nil) throws -> SolverResult {
    let now = DispatchTime.now()
    guard now < deadline else { return .unknown(reason: "time budget exhausted") }
    var remaining = (deadline.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000
    if let limit { remaining = min(remaining, UInt64(limit * 1000)) }
    do {
      try s.setTimeout(milliseconds: UInt32(min(remaining, UInt64(UInt32.max))))
      queries += 1
      return try s.check()
    } catch { throw SymbolicError(error) }
  }

  /// Checks `assertions` with a solver of their own (never pushed, so Z3 runs its
  /// non-incremental tactic), within the budget as ``check(_:limit:)``.
  func checkFresh(_ assertions: [Z3Expr], limit: Double? = nil) throws -> SolverResult {
    let f = try solver()
    do {
      for a in assertions { try f.assert(a) }
    } catch { throw SymbolicError(error) }
    return try check(f, limit: limit)
  }

  func begin() {
    queries = 0
    notes = []
    actionSeconds = []
    inFlight = nil
    reasked = 0
    let nanos = UInt64(max(options.timeout, 0) * 1e9)
    deadline = DispatchTime.now() + .nanoseconds(Int(min(nanos, UInt64(Int.max))))
  }

  func report(_ outcome: SymbolicOutcome, since start: DispatchTime) -> SymbolicReport {
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    var report = SymbolicReport(outcome: outcome, seconds: seconds, queries: queries, scope: scope, notes: notes)
    report.actionSeconds = actionSeconds + (inFlight.map { [($0.action, Self.seconds(since: $0.start))] } ?? [])
    report.reasked = reasked
    return report
  }

  static func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
  }

  func formulas(_ indices: [Int], in state: SymbolicState) throws -> [Z3Expr] {
    try indices.map { try encoder.compile(model.properties[$0].formula, state: state, parameters: []) }
  }

  // MARK: - Induction

  /// Checks that the properties, strengthened by the lemmas, form an inductive invariant.
  ///
  /// Initiation (Init ⇒ I) and consecution (I ∧ T_a ⇒ I' for every action instance a) are each
  /// asked of Z3; the result is `proved` only when every answer is unsat. A satisfiable
  /// consecution query is a CTI; a property false initially is a violation (a 0-step trace).
  ///
  /// - Complexity: one consecution query per action instance: one per action with symbolic
  ///   arguments (``SymbolicOptions/arguments``), one per argument tuple with enumerated ones.
  public func induction(properties: [Int], lemmas: [Int]) -> SymbolicReport {
    if properties.contains(where: { model.properties[$0].isTransition }) {
      return inductionWithTransitions(properties: properties, lemmas: lemmas, k: 1)
    }
    let start = DispatchTime.now()
    begin()
    do {
      let invariant = properties + lemmas.filter { !properties.contains($0) }
      if let outcome = try initiation(properties: properties, invariant: invariant) {
        return report(outcome, since: start)
      }
      let s = try solver()
      let pre = try encoder.freshState("pre")
      let instances = try instances(tag: "i", sampled: false)
      let preFormulas = try formulas(invariant, in: pre)
      let domains = try encoder.domainConstraints(pre)
      do {
        for c in domains.plain { try s.assert(c) }
        for f in preFormulas { try s.assert(f) }
        for axiom in try encoder.distinctness() { try s.assert(axiom) }
      } catch { throw SymbolicError(error) }
      let base = domains.plain + preFormulas + (try encoder.distinctness())
      var enabled: [(instance: Instance, enabled: Z3Expr)] = []
      if options.instantiate && !options.parametricSorts.isEmpty {
        if let failure = try instantiatedConsecutions(instances, pre: pre, invariant: invariant) {
          return report(.unknown(failure), since: start)
        }
        for instance in instances {
          let step = try encoder.step(instance.action, state: pre, parameters: instance.terms)
          enabled.append((instance, try context.and([step.enabled] + instance.constraints)))
        }
        // Vacuity on the same threads: one thread's 2 s limits would leave the other core idle.
        try instantiatedVacuity(s, enabled, invariant: invariant)
        return report(.proved, since: start)
      }
      // Bounded: each consecution query of a solver of its own, on the workers when there are several (the shared
      // solver below asks only the first one, in order, that is not unsat: the CTI is the one of one worker).
      let fresh = options.freshSolverPerQuery && options.parametricSorts.isEmpty
      let asked =
        fresh && options.workers > 1
        ? try freshConsecutions(instances, pre: pre, invariant: invariant) : [:]
      for (position, instance) in instances.enumerated() {
        let name = model.actions[instance.action].name
        if asked[position] == nil { options.queryStarted?(name, position, instances.count) }
        inFlight = (name, DispatchTime.now())
        // The seconds a worker spent on the action's fresh queries.
        var elsewhere = 0.0
        defer {
          actionSeconds.append((name, elsewhere + Self.seconds(since: inFlight?.start ?? DispatchTime.now())))
          inFlight = nil
        }
        let step = try encoder.step(instance.action, state: pre, parameters: instance.terms)
        let postFormulas = try formulas(invariant, in: step.post)
        var result: SolverResult
        if fresh {
          let unsat: Bool
          if let r = asked[position] {
            (queries, reasked, elsewhere) = (queries + r.queries, reasked + r.reasked, r.seconds)
            unsat = r.failure == nil
          } else {
            unsat = try freshConsecution(instance, step: step, postFormulas: postFormulas, base: base)
          }
          if unsat {
            enabled.append((instance, try context.and([step.enabled] + instance.constraints)))
            continue
          }
          // Sat or unknown: asked again below of the shared solver, which reports the CTI (or
          // the unknown) exactly as without fresh solvers.
        }
        do {
          try s.push()
          for c in instance.constraints { try s.assert(c) }
          try s.assert(step.enabled)
          try s.assert(try context.not(try context.and(postFormulas)))
          result = try check(s)
          if result == .sat && !domains.quantified.isEmpty {
            // Confirm the candidate CTI with the quantified domain constraints: unsat means the
            // candidate needed an out-of-domain value and the action is fine after all.
            for c in domains.quantified { try s.assert(c) }
            result = try check(s)
          }
        } catch { throw SymbolicError(error) }
        switch result {
        case .unsat:
          do { try s.pop() } catch { throw SymbolicError(error) }
          enabled.append((instance, try context.and([step.enabled] + instance.constraints)))
        case .sat:
          let cti = try extractCTI(s, instance: instance, pre: pre, post: step.post, invariant: invariant)
          return report(.cti(cti), since: start)
        case .unknown(let reason):
          return report(
            .unknown("Z3 answered unknown on \(model.actions[instance.action].name): \(reason)"), since: start)
        }
      }
      // Every obligation is unsat: the invariant is proved. Vacuity is a note on top.
      // Vacuity stays on the shared solver: its queries are mostly sat, which the incremental
      // solver answers quickly once it holds the base assertions.
      try checkVacuity(s, enabled)
      return report(.proved, since: start)
    } catch {
      return report(.unknown(SymbolicError(error).description), since: start)
    }
  }

  /// Whether the consecution query of a bounded induction is unsat, asked of a solver of its own
  /// (``SymbolicOptions/freshSolverPerQuery``): `base` (domain constraints, the invariant in the pre-state,
  /// distinctness), the instance's argument constraints, its guard and the negated invariant in the post-state.
  func freshConsecution(_ instance: Instance, step: Encoder.Step, postFormulas: [Z3Expr], base: [Z3Expr]) throws
    -> Bool
  {
    let bad = try context.not(try context.and(postFormulas))
    return try checkFresh(base + instance.constraints + [step.enabled, bad]) == .unsat
  }

  /// Notes the actions that no state satisfying the invariant enables (an unsat consecution
  /// query of such an action proves nothing), once every obligation of the proof is unsat.
  ///
  /// An action is enabled somewhere when Z3 finds a state satisfying the invariant and the
  /// action's guard. For a parametric proof, where that query has quantifiers and Z3 often
  /// cannot decide it, the search first looks for a *reachable* witness: a state within
  /// ``vacuityWitnessDepth`` steps of the initial state that enables the action. Such a state
  /// satisfies the invariant because initiation and consecution are proved, and the unrolling is
  /// quantifier-free. Only an unsat answer of the direct query reports the action as never
  /// enabled; one that ends unknown (each direct query gets at most `limit` seconds) is
  /// reported as undetermined. Vacuity is a note: it never changes the outcome.
  func checkVacuity(
    _ s: Z3Solver, _ terms: [(instance: Instance, enabled: Z3Expr)], limit: Double = vacuityQueryLimit
  ) throws {
    noteVacuity(try vacuity(s, terms, limit: limit))
  }

  /// What ``checkVacuity(_:_:)`` found about the actions of `terms`: those with no witness (`undecided`), and among
  /// them those Z3 proved never enabled (`vacuous`) or could not decide (`undetermined`, with Z3's reason).
  struct Vacuity: Sendable {
    var undecided: Set<Int> = []
    var vacuous: Set<Int> = []
    var undetermined: [Int: String] = [:]
  }

  /// The verdicts of ``checkVacuity(_:_:)`` on the actions of `terms`, without notes (see there).
  func vacuity(
    _ s: Z3Solver, _ terms: [(instance: Instance, enabled: Z3Expr)], limit: Double = vacuityQueryLimit
  ) throws -> Vacuity {
    var undecided = Set(terms.map(\.instance.action))
    if !options.parametricSorts.isEmpty {
      undecided = try reachableWitnesses(for: undecided)
    }
    var vacuous: Set<Int> = []
    var undetermined: [Int: String] = [:]
    for (instance, enabled) in terms where undecided.contains(instance.action) {
      let a = instance.action
      let r: SolverResult
      do {
        try s.push()
        try s.assert(enabled)
        r = try check(s, limit: limit)
        try s.pop()
      } catch { throw SymbolicError(error) }
      switch r {
      case .sat:
        undecided.remove(a)
        vacuous.remove(a)
        undetermined[a] = nil
      case .unsat: vacuous.insert(a)
      case .unknown(let reason): undetermined[a] = reason
      }
    }
    return Vacuity(undecided: undecided, vacuous: vacuous, undetermined: undetermined)
  }

  /// Notes `found`'s actions, in action order: never enabled, or undetermined.
  func noteVacuity(_ found: Vacuity) {
    let (undecided, vacuous, undetermined) = (found.undecided, found.vacuous, found.undetermined)
    for a in undecided.sorted() {
      if let reason = undetermined[a] {
        notes.append(
          "whether \(model.actions[a].name) is enabled in some state satisfying the invariant is undetermined "
            + "(Z3: \(reason))")
      } else if vacuous.contains(a) {
        notes.append("action \(model.actions[a].name) is never enabled in a state satisfying the invariant")
      }
    }
  }

  /// The longest a vacuity query may take, in seconds: vacuity is a note, not an obligation.
  static let vacuityQueryLimit = 2.0
  /// The longest the direct vacuity query of an induction with instantiated queries (``SymbolicOptions/instantiate``)
  /// may take, in seconds.
  ///
  /// That query keeps the invariant's quantifiers, which are what Z3 could not decide in the consecution queries; on
  /// rmm-da-parametric every one of its 23 direct queries (actions with no witness within
  /// ``vacuityWitnessDepth`` steps) ran to 2 s and ended unknown, 46 s of CPU for notes saying "undetermined", and
  /// ended unknown alike at 0.5 s (the same notes; Docs/ADR/0011-parametric-rmm.md).
  static let instantiatedVacuityQueryLimit = 0.5
  /// How many steps from the initial state the search for reachable vacuity witnesses unrolls.
  static let vacuityWitnessDepth = 2

  /// The actions among `actions` that no state within ``vacuityWitnessDepth`` steps of the
  /// initial state enables (as far as Z3 tells within ``vacuityQueryLimit`` per query).
  func reachableWitnesses(for actions: Set<Int>) throws -> Set<Int> {
    var undecided = actions
    let w = try solver()
    var state = try encoder.initialState()
    for depth in 0...Self.vacuityWitnessDepth {
      if depth > 0 { state = try extend(w, from: state, sampled: true, tag: "w\(depth)").post }
      let instances = try instances(tag: "w\(depth)g", sampled: true)
      for a in undecided.sorted() {
        let guards = try instances.filter { $0.action == a }.map {
          try context.and([try encoder.step(a, state: state, parameters: $0.terms).enabled] + $0.constraints)
        }
        let r: SolverResult
        do {
          try w.push()
          // After the encoding, so every literal of a parametric sort it names is covered.
          for axiom in try encoder.distinctness() { try w.assert(axiom) }
          try w.assert(try context.or(guards))
          r = try check(w, limit: Self.vacuityQueryLimit)
          try w.pop()
        } catch { throw SymbolicError(error) }
        if r == .sat { undecided.remove(a) }
      }
      if undecided.isEmpty { break }
    }
    return undecided
  }

  /// Checks Init ⇒ I; returns an outcome when it fails.
  func initiation(properties: [Int], invariant: [Int]) throws -> SymbolicOutcome? {
    let s = try solver()
    let initial = try encoder.initialState()
    let fs = try formulas(invariant, in: initial)
    let result: SolverResult
    do {
      for axiom in try encoder.distinctness() { try s.assert(axiom) }
      try s.assert(try context.not(try context.and(fs)))
      result = try check(s)
    } catch { throw SymbolicError(error) }
    switch result {
    case .unsat: return nil
    case .unknown(let reason): return .unknown("Z3 answered unknown on initiation: \(reason)")
    case .sat:
      let m: Z3Model
      do { m = try s.model() } catch { throw SymbolicError(error) }
      var failing: [Int] = []
      for (i, f) in zip(invariant, fs) {
        do { if try !m.boolValue(of: f) { failing.append(i) } } catch { throw SymbolicError(error) }
      }
      if let main = failing.first(where: { properties.contains($0) }), options.parametricSorts.isEmpty {
        let values = try stateValues(m, initial)
        return .violated(
          Trace(
            model: model.name, configuration: model.configuration, states: [values], steps: [],
            property: model.properties[main].name, outcome: .violated))
      }
      return .unknown(
        "the initial state does not satisfy \(failing.map { model.properties[$0].name }.joined(separator: ", "))")
    }
  }

  func extractCTI(_ s: Z3Solver, instance: Instance, pre: SymbolicState, post: SymbolicState, invariant: [Int]) throws
    -> CTI
  {
    let m: Z3Model
    do { m = try s.model() } catch { throw SymbolicError(error) }
    var failing: [String] = []
    for i in invariant {
      let f = try encoder.compile(model.properties[i].formula, state: post, parameters: [])
      do {
        if let holds = try? m.boolValue(of: f) {
          if !holds { failing.append(model.properties[i].name) }
        } else if try s.check(assuming: [try context.not(f)]) == .sat {
          // A quantified conjunct the model cannot evaluate: ask whether it can be false here.
          failing.append(model.properties[i].name)
        }
      } catch { throw SymbolicError(error) }
    }
    let action = model.actions[instance.action]
    // The model's values of the free arguments: the CTI names concrete arguments.
    let values = try argumentValues(m, instance)
    let arguments = zip(action.parameters, values).map { p, v in
      encoder.isParametric(p.domain) ? "\(p.name)=\(p.domain)#\(v)" : "\(p.name)=\(p.domain.render(v))"
    }
    let bounded = options.parametricSorts.isEmpty
    return CTI(
      action: action.name, arguments: arguments, argumentValues: bounded ? values : nil,
      pre: bounded ? try stateValues(m, pre) : nil, post: bounded ? try stateValues(m, post) : nil, failing: failing)
  }

  /// The values of a bounded symbolic state in a Z3 model, in the logical layout.
  func stateValues(_ m: Z3Model, _ state: SymbolicState) throws -> [Value] {
    let layout = model.layout
    var values = [Value](repeating: 0, count: layout.count)
    do {
      for (v, variable) in model.variables.enumerated() {
        for c in 0..<encoder.shapes[v].cellCount {
          let term = state.cells[v][c]
          let value: Value
          if variable.value == .bool {
            value = try m.boolValue(of: term) ? 1 : 0
          } else {
            value = try m.bitVectorValue(of: term)
          }
          guard let position = layout.position(of: VariableID(v), keys: encoder.cellKeys(v, c)) else {
            throw SymbolicError.unsupported("cell outside the layout")
          }
          values[position] = value
        }
      }
    } catch { throw SymbolicError(error) }
    return values
  }
}
