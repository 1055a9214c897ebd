import Explore
import Foundation
import Spec
import Symbolic
import Synchronization

/// How to run a mutation analysis: the engine that hunts each mutant, its bounds and budget.
public struct MutationOptions: Sendable {
  /// The engine each mutant is checked with.
  public enum Engine: String, CaseIterable, Codable, Hashable, Sendable {
    /// Exhaustive BFS (to `maxDepth` if given): shortest killing traces; a survivor is exhaustive.
    case bfs
    /// Seeded random walks (`walks` walks of `maxDepth` steps, default 50).
    case random
    /// Bounded model checking with Z3 to `maxDepth` (default 6); its traces are replayed.
    case bmc
  }

  public var engine: Engine
  /// BFS depth, random walk length or BMC depth.
  public var maxDepth: Int?
  /// Seconds per mutant; a mutant not decided within it is `unknown`.
  public var budget: Double
  /// Mutants checked at once (each with one engine thread).
  public var workers: Int
  /// Random: the seed and the number of walks.
  public var seed: UInt64
  public var walks: Int
  /// Indices into `model.properties` to check; `nil`: every property but lemmas.
  public var properties: [Int]?
  /// Whether survivors are triaged (equivalent or property gap) by exhaustive comparison.
  public var triage: Bool
  /// The most states the comparison of one survivor explores.
  public var triageStates: Int
  /// Whether a survivor the comparison cannot show equivalent at every depth (the comparison is
  /// depth-bounded or hit `triageStates`) is given to Z3: when the changed actions' step
  /// relations are equal in every state, it is equivalent at any depth
  /// (``Triage/provedEquivalent(actions:seconds:)``).
  public var stepEquivalence = true
  /// Seconds Z3 may spend on one survivor's step equivalence.
  public var stepEquivalenceBudget: Double = 20
  /// Whether mutants of parts the correct model never runs are settled without running them.
  ///
  /// Such a mutant changes only parts of actions the correct model never runs from its explored
  /// states (a failure condition that never holds first, the success path of a call that never
  /// succeeds): it takes the same steps, so it survives and is equivalent there
  /// (``Triage/unexercised(reason:states:maxDepth:)``). Not with guards (they run at another
  /// configuration).
  public var prune = true
  /// A cooperative stop: the analysis returns what it has done.
  public var stop: StopSignal?
  /// Called after each mutant (on an arbitrary thread, never concurrently): the result, how
  /// many are done, how many in all.
  public var progress: (@Sendable (MutantResult, Int, Int) -> Void)?
  /// Checks besides the properties (conformance scenarios): each runs on every killed or
  /// surviving mutant, so the report tells what only the properties catch, what only the
  /// guards catch, and what neither does.
  public var guards: [MutationGuard] = []
  /// Where every model starts (the correct one and each mutant), in place of its initial state;
  /// `nil`: the initial state.
  public var start: MutationStart?
  /// Whether a survivor whose steps differ is compared again with the internal actions hidden.
  ///
  /// A results-only survivor or a property gap is compared once more with the model's internal
  /// actions hidden (``compareObservableResults(_:_:maxDepth:maxStates:stop:)``): when every call
  /// then returns the same result in both, it is
  /// ``Triage/observablyEquivalent(pairs:maxDepth:hidden:states:escape:)``. Off by default (the
  /// pairs can be many).
  public var hideInternal = false
  /// How many steps more the correct model may take to reach a survivor's states.
  ///
  /// With `hideInternal` and a depth bound: used when the survivor's states are not all among the
  /// correct model's at the bound (an eviction the mutant did not need). 0: the same bound.
  public var inclusionSlack = 1

  public init(
    engine: Engine = .bfs, maxDepth: Int? = nil, budget: Double = 60,
    workers: Int = ProcessInfo.processInfo.activeProcessorCount, seed: UInt64 = 1, walks: Int = 200,
    properties: [Int]? = nil, triage: Bool = true, triageStates: Int = 2_000_000, stop: StopSignal? = nil,
    progress: (@Sendable (MutantResult, Int, Int) -> Void)? = nil
  ) {
    self.engine = engine
    self.maxDepth = maxDepth
    self.budget = budget
    self.workers = max(1, workers)
    self.seed = seed
    self.walks = walks
    self.properties = properties
    self.triage = triage
    self.triageStates = triageStates
    self.stop = stop
    self.progress = progress
  }
}

/// A state every model of an analysis starts from instead of its initial state: the end state of
/// a scenario run on the correct model (`cca-verify mutate --start FILE`), so mutants are judged
/// on the behaviour a deep setup reaches, as `explore` and `infer` search from one.
///
/// A mutant has the correct model's variables (operators change actions only), so the same
/// values are a state of each mutant: both start there, and the comparison of a survivor, the
/// pruning and Z3's step equivalence (same start, same step relation) stay sound.
public struct MutationStart: Hashable, Sendable {
  /// Every variable's value, in `StateLayout` order (`CompiledModel.state(fromValues:)`).
  public var values: [Value]
  /// How reports name it: `the state after start.scenario (12 calls)`.
  public var origin: String

  public init(values: [Value], origin: String) {
    self.values = values
    self.origin = origin
  }

  /// `compiled` starting from these values.
  ///
  /// - Throws: when the values are not a state of the model (another model's layout).
  func rebase(_ compiled: CompiledModel) throws -> CompiledModel {
    compiled.starting(at: try compiled.state(fromValues: values))
  }
}

/// How a survivor was triaged.
public enum Triage: Hashable, Sendable {
  /// No observable difference: the exhaustive comparison of the correct and the mutated model
  /// found the same reachable states and the same result for every step (within `maxDepth`
  /// steps when bounded), comparing states up to the cells the model declares unobservable
  /// (`modulo`: each declaration as "cells while condition"; empty when it declares none).
  case equivalent(states: Int, maxDepth: Int?, modulo: [String])
  /// No observable difference at any depth: Z3 answered unsat for every changed action's
  /// step-relation difference (enabledness, result, outputs, successor) over every state of the
  /// variables' domains (`SymbolicChecker.stepEquivalence`). Same initial state, same steps:
  /// the same reachable states and results. Used where the comparison is depth-bounded.
  case provedEquivalent(actions: [String], seconds: Double)
  /// No observable difference within the explored states, shown without running the mutant:
  /// the correct model's steps from its `states` reachable states (within `maxDepth` steps)
  /// never run the changed parts (`reason`), so the mutant takes the same steps
  /// (`ReachableStates.unexercised`).
  case unexercised(reason: String, states: Int, maxDepth: Int?)
  /// The mutant reaches only states the correct model reaches, but some step returns another
  /// result (status, outputs) or moves between them differently: no state property can notice;
  /// conformance scenarios, which check results, can. `difference` is the first such step.
  case subsumed(states: Int, difference: BehaviourComparison.Difference)
  /// The mutant reaches a state the correct model never reaches and no property notices: a
  /// shortest trace of the mutant to that state, and the first step that differs.
  case propertyGap(escape: Trace, difference: BehaviourComparison.Difference)
  /// Only internal steps differ (``MutationOptions/hideInternal``): with the internal actions
  /// (`hidden`: no failure condition, no output, no function ID) hidden, every call returns the same result in
  /// both models in each of the `pairs` pairs of states they reach (within `maxDepth` steps), so
  /// no oracle of calls and results can tell them apart. `states`: the mutant's reachable states,
  /// all the correct model's (up to its declarations) when `escape` is `nil`, which is when it
  /// counts as equivalent; otherwise `escape` reaches a state the correct model does not reach
  /// within the bound, and it stays a property gap. `slack`: how many steps more than the
  /// mutant the correct model was given to reach them (``MutationOptions/inclusionSlack``).
  case observablyEquivalent(pairs: Int, maxDepth: Int?, hidden: [String], states: Int, escape: Trace?, slack: Int)
  /// The comparison stopped (state cap, interrupt) before deciding.
  case undetermined(String)
}

/// What happened to one mutant.
public struct MutantResult: Hashable, Sendable {
  public enum Verdict: String, Codable, Hashable, Sendable {
    /// A property was violated; the trace replays on the mutant.
    case killed
    /// No property was violated within the engine's bounds.
    case survived
    /// The budget ran out (or the run was interrupted) before a verdict.
    case unknown
    /// The mutant is not a model: it fails validation, or errs at run time (a key or value
    /// outside its domain). Not counted in the score.
    case invalid
  }

  public let mutant: IRMutant
  public let verdict: Verdict
  /// The property that killed it.
  public let property: String?
  /// The killing trace (BFS: a shortest one), replayed on the mutant.
  public let trace: Trace?
  public let seconds: Double
  /// Why unknown or invalid; for a survivor, the bound it survived.
  public let detail: String
  /// For a survivor, the triage.
  public var triage: Triage?
  /// Where the caller wrote the killing trace, if it did.
  public var tracePath: String?
  /// What each guard said (empty without guards).
  public var guards: [GuardResult] = []
}

/// The correct model's run at the same settings: the mutants' yardstick.
public struct MutationBaseline: Hashable, Sendable {
  public let distinctStates: Int
  public let seconds: Double
  public let complete: Bool
}

/// Runs mutation analysis: checks every mutant against the model's properties with one engine,
/// in parallel, and triages the survivors.
///
/// The correct model is checked first at the same settings: when it violates a property (or
/// errs) the analysis would be meaningless and ``MutationError/baselineFails(_:)`` is thrown.
///
/// - Throws: ``MutationError`` when the correct model does not compile or does not hold.
/// - Complexity: mutants × one engine run (bounded by `budget`), divided among `workers`, plus
///   one exhaustive comparison per survivor.
public func analyseMutants(_ model: Model, mutants: [IRMutant], options: MutationOptions) throws -> MutationReport {
  let start = DispatchTime.now()
  let compiled: CompiledModel
  do {
    let fromInitial = try CompiledModel(model)
    compiled = try options.start?.rebase(fromInitial) ?? fromInitial
  } catch {
    throw MutationError.baselineFails("does not compile or start: \(error)")
  }
  let properties = options.properties ?? model.properties.indices.filter { model.properties[$0].kind != .lemma }
  let baselineStart = DispatchTime.now()
  let base = check(compiled, options: options, properties: properties, budget: nil)
  switch base.verdict {
  case .killed: throw MutationError.baselineFails("violates \(base.property ?? "a property"): \(base.detail)")
  case .invalid: throw MutationError.baselineFails(base.detail)
  default: break
  }
  let baseline = MutationBaseline(
    distinctStates: base.states, seconds: seconds(since: baselineStart), complete: base.verdict == .survived)
  // The correct model's reachable states, once, for the survivors' triage.
  var reachable: ReachableStates?
  if options.triage || options.prune {
    reachable = try? ReachableStates(
      compiled, maxDepth: triageDepth(options), maxStates: options.triageStates, stop: options.stop)
  }
  let known = reachable
  let results = Mutex<[MutantResult?]>(Array(repeating: nil, count: mutants.count))
  let next = Atomic<Int>(0)
  let done = Atomic<Int>(0)
  let progressLock = Mutex<Void>(())
  DispatchQueue.concurrentPerform(iterations: min(options.workers, max(mutants.count, 1))) { _ in
    while options.stop?.isStopped != true {
      let i = next.add(1, ordering: .relaxed).oldValue
      guard i < mutants.count else { return }
      let result = run(
        mutants[i], of: model, reference: compiled, reachable: known, options: options, properties: properties)
      // An interrupted run is not a result.
      if options.stop?.isStopped == true && result.verdict == .unknown { return }
      results.withLock { $0[i] = result }
      let n = done.add(1, ordering: .relaxed).newValue
      if let progress = options.progress { progressLock.withLock { _ in progress(result, n, mutants.count) } }
    }
  }
  _ = reachable
  let finished = results.withLock { $0.compactMap { $0 } }
  var report = MutationReport(
    model: model.name, configuration: model.configuration, engine: options.engine, maxDepth: options.maxDepth,
    budget: options.budget, workers: options.workers, properties: properties.map { model.properties[$0].name },
    guards: options.guards.map(\.name), baseline: baseline, generated: mutants.count, results: finished,
    interrupted: options.stop?.isStopped == true, seconds: seconds(since: start))
  report.start = options.start?.origin
  return report
}

/// Why a mutation analysis cannot run.
public enum MutationError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The correct model does not compile or violates a property at the chosen settings.
  case baselineFails(String)

  public var description: String {
    switch self {
    case .baselineFails(let why):
      return "the correct model \(why); mutation analysis needs a model whose properties hold"
    }
  }
}

func seconds(since start: DispatchTime) -> Double {
  Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// One engine run's verdict, before it is tied to a mutant.
struct EngineVerdict {
  var verdict: MutantResult.Verdict
  var property: String?
  var trace: Trace?
  var detail: String
  var states: Int
}

func check(_ compiled: CompiledModel, options: MutationOptions, properties: [Int], budget: Double?) -> EngineVerdict {
  let model = compiled.model
  switch options.engine {
  case .bfs, .random:
    var explore = ExploreOptions(
      mode: options.engine == .bfs ? .bfs : .random, seed: options.seed, maxDepth: options.maxDepth, timeLimit: budget,
      walks: options.walks, walkLength: options.maxDepth ?? 50, workers: 1, properties: properties, stop: options.stop)
    explore.shrink = options.engine == .random
    let report = Explore.explore(compiled, options: explore)
    switch report.outcome {
    case .violation(let p, let trace):
      guard replay(compiled, trace: trace) == .exact else {
        return EngineVerdict(
          verdict: .unknown, detail: "the killing trace does not replay (a bug)", states: report.distinctStates)
      }
      return EngineVerdict(
        verdict: .killed, property: model.properties[p].name, trace: trace,
        detail: "\(trace.steps.count) steps", states: report.distinctStates)
    case .modelError(let message):
      return EngineVerdict(verdict: .invalid, detail: "model error: \(message)", states: report.distinctStates)
    case .noViolation:
      switch report.stoppedBy {
      case .timeLimit?:
        return EngineVerdict(
          verdict: .unknown,
          detail:
            "budget of \(budget ?? 0) s spent at depth \(report.maxDepthReached), \(report.distinctStates) states",
          states: report.distinctStates)
      case .interrupted?: return EngineVerdict(verdict: .unknown, detail: "interrupted", states: report.distinctStates)
      case .maxStates?: return EngineVerdict(verdict: .unknown, detail: "state limit", states: report.distinctStates)
      default:
        let bound =
          options.engine == .random
          ? "\(options.walks) random walks of \(options.maxDepth ?? 50) steps, seed \(options.seed)"
          : report.complete
            ? "exhaustive BFS, \(report.distinctStates) states"
            : "BFS to depth \(options.maxDepth ?? 0), \(report.distinctStates) states"
        return EngineVerdict(verdict: .survived, detail: bound, states: report.distinctStates)
      }
    }
  case .bmc:
    let depth = options.maxDepth ?? 6
    do {
      let checker = try SymbolicChecker(model: model, options: SymbolicOptions(timeout: budget ?? 3600))
      let report = checker.bmc(properties: properties, depth: depth)
      switch report.outcome {
      case .violated(let trace):
        guard replay(compiled, trace: trace) == .exact else {
          return EngineVerdict(
            verdict: .unknown, detail: "the BMC trace does not replay on the concrete engine", states: 0)
        }
        return EngineVerdict(
          verdict: .killed, property: trace.property, trace: trace, detail: "\(trace.steps.count) steps", states: 0)
      case .holdsBounded(let d): return EngineVerdict(verdict: .survived, detail: "BMC to depth \(d)", states: 0)
      case .unknown(let reason): return EngineVerdict(verdict: .unknown, detail: reason, states: 0)
      default: return EngineVerdict(verdict: .unknown, detail: "unexpected BMC outcome", states: 0)
      }
    } catch {
      return EngineVerdict(verdict: .invalid, detail: "the symbolic engine rejects it: \(error)", states: 0)
    }
  }
}

/// A value as the reader knows it: its label in a finite domain (an enumeration case), else the number.
func valueLabel(_ value: Value, in domain: Domain) -> String {
  if case .finite(let set) = domain, let label = set.label(of: value) { return label }
  return "\(value)"
}

/// The depth bound of the survivors' triage: the engine's own bound.
func triageDepth(_ options: MutationOptions) -> Int? {
  switch options.engine {
  case .bfs: return options.maxDepth
  case .random: return options.maxDepth ?? 50
  case .bmc: return options.maxDepth ?? 6
  }
}

func run(
  _ mutant: IRMutant, of model: Model, reference: CompiledModel, reachable: ReachableStates?, options: MutationOptions,
  properties: [Int]
) -> MutantResult {
  let start = DispatchTime.now()
  let mutated = mutant.apply(to: model)
  if options.prune, options.guards.isEmpty, let reachable,
    let reason = reachable.unexercised(model, by: mutated.actions),
    (try? mutated.validate()) != nil
  {
    // The mutant takes the correct model's steps from every explored state: it cannot be
    // killed within the bound, and it is equivalent there (or, by Z3, at any depth).
    var triage: Triage?
    if options.triage {
      triage =
        (triageDepth(options) != nil ? provedEquivalent(mutated, reference: model, options: options) : nil)
        ?? .unexercised(reason: reason, states: reachable.count, maxDepth: reachable.maxDepth)
    }
    return MutantResult(
      mutant: mutant, verdict: .survived, property: nil, trace: nil, seconds: seconds(since: start),
      detail: "not run: the correct model's \(reachable.count) explored states never exercise what it changes",
      triage: triage)
  }
  let compiled: CompiledModel
  do {
    let fromInitial = try CompiledModel(mutated)
    compiled = try options.start?.rebase(fromInitial) ?? fromInitial
  } catch {
    return MutantResult(
      mutant: mutant, verdict: .invalid, property: nil, trace: nil, seconds: seconds(since: start),
      detail: "does not validate: \(error)")
  }
  let v = check(compiled, options: options, properties: properties, budget: options.budget)
  var result = MutantResult(
    mutant: mutant, verdict: v.verdict, property: v.property, trace: v.trace, seconds: seconds(since: start),
    detail: v.detail)
  if v.verdict == .killed || v.verdict == .survived {
    result.guards = options.guards.map { GuardResult(name: $0.name, verdict: $0.check(mutant)) }
  }
  if v.verdict == .survived && options.triage && result.guardKill == nil {
    result.triage = triage(compiled, reference: reference, reachable: reachable, options: options)
  }
  return result
}

/// Triage of a survivor: equivalent (no step differs), subsumed (only results differ), or a
/// property gap (a state the correct model never reaches).
///
/// An exhaustive comparison decides equivalence at the configuration; where it is bounded (a
/// depth bound, or the state cap), Z3's step equivalence can still show the mutant equivalent at
/// any depth. It is asked first when the run is depth-bounded (a bounded comparison cannot
/// conclude, and Z3 is cheaper than a comparison), and after an inconclusive comparison otherwise.
func triage(_ mutant: CompiledModel, reference: CompiledModel, reachable: ReachableStates?, options: MutationOptions)
  -> Triage
{
  let bounded = triageDepth(options) != nil
  if bounded, let proved = provedEquivalent(mutant.model, reference: reference.model, options: options) {
    return proved
  }
  do {
    let comparison = try compareBehaviour(
      reference, mutant, maxDepth: triageDepth(options), maxStates: options.triageStates, stop: options.stop)
    guard let difference = comparison.difference else {
      if comparison.complete {
        // Named only when the comparison needed them: raw agreement says nothing of them.
        let declarations = comparison.usedDeclarations ? reference.model.unobservable : []
        let modulo = declarations.map {
          let condition = reference.model[$0.whileVariable]
          let cells = reference.model[$0.cells].name
          let state = "\(condition.name) = \(valueLabel($0.equals, in: condition.value))"
          guard let source = $0.copyOf, let readsAs = $0.conditionReadsAs else { return "\(cells) while \(state)" }
          let index = $0.copyIndex.map { "[\(reference.model[$0].name)]" } ?? ""
          let also = $0.alsoWhile.map {
            " and \(reference.model[$0.variable].name) = \(valueLabel($0.value, in: reference.model[$0.variable].value))"
          }
          return
            "\(cells) while \(state)\(also ?? "") and \(cells) = \(reference.model[source].name)\(index), read as "
            + "\(condition.name) = \(valueLabel(readsAs, in: condition.value))"

        }
        return .equivalent(states: comparison.distinctStates, maxDepth: comparison.maxDepth, modulo: modulo)
      }
      if !bounded, let proved = provedEquivalent(mutant.model, reference: reference.model, options: options) {
        return proved
      }
      return .undetermined("the comparison stopped after \(comparison.distinctStates) states")
    }
    guard let reachable, reachable.complete else {
      return .undetermined("the correct model's states were not all collected (state cap)")
    }
    let inclusion = try firstStateOutside(mutant, of: reachable, maxStates: options.triageStates, stop: options.stop)
    guard inclusion.escape != nil || inclusion.complete else {
      return .undetermined("the mutant's states were not all explored (state cap)")
    }
    if options.hideInternal {
      let observable = try compareObservableResults(
        reference, mutant, maxDepth: triageDepth(options), maxStates: options.triageStates, stop: options.stop)
      if observable.complete && observable.difference == nil {
        var states = inclusion
        var slack = 0
        // A state the correct model reaches only after an internal step more (an eviction) is
        // outside at the same bound: search its states one step deeper.
        if let depth = triageDepth(options), inclusion.escape != nil, options.inclusionSlack > 0 {
          let deeper = try ReachableStates(
            reference, maxDepth: depth + options.inclusionSlack, maxStates: options.triageStates, stop: options.stop)
          if deeper.complete {
            let again = try firstStateOutside(
              mutant, of: deeper, maxDepth: depth, maxStates: options.triageStates, stop: options.stop)
            if again.complete {
              states = again
              slack = options.inclusionSlack
            }
          }
        }
        return .observablyEquivalent(
          pairs: observable.pairs, maxDepth: observable.maxDepth, hidden: observable.hidden,
          states: states.variantStates, escape: states.escape, slack: slack)
      }
    }
    if let escape = inclusion.escape { return .propertyGap(escape: escape, difference: difference) }
    return .subsumed(states: inclusion.variantStates, difference: difference)
  } catch {
    return .undetermined("a model errs during the comparison: \(error)")
  }
}

/// Z3's step equivalence of a mutant, when enabled and when Z3 answers unsat for every changed
/// action; `nil` otherwise (a difference, possibly in an unreachable state, unknown, or a model
/// the symbolic engine cannot encode).
func provedEquivalent(_ mutant: Model, reference: Model, options: MutationOptions) -> Triage? {
  guard options.stepEquivalence, options.stop?.isStopped != true else { return nil }
  let start = DispatchTime.now()
  guard
    let checker = try? SymbolicChecker(
      model: reference, options: SymbolicOptions(timeout: options.stepEquivalenceBudget)),
    let answer = try? checker.stepEquivalence(to: mutant), answer.equal, !answer.actions.isEmpty
  else { return nil }
  return .provedEquivalent(actions: answer.actions.map(\.name), seconds: seconds(since: start))
}
