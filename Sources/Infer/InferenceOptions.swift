import Spec
import Symbolic

/// Settings of an inference run.
public struct InferenceOptions: Sendable {
  /// Wall-clock budget for the whole run (sampling, Houdini, minimisation, the final proof), in seconds.
  ///
  /// A run that exhausts it reports unknown.
  public var budget: Double
  /// The most distinct states the sampler keeps (breadth-first first, random walks beyond).
  public var maxStates: Int
  /// The share of the budget sampling may use.
  public var samplingShare: Double
  /// Random walks (swarm) when breadth-first search does not exhaust the state space.
  public var walks: Int
  public var walkLength: Int
  /// The share of each origin's states and time that breadth-first search leaves to the walks
  /// when it does not exhaust the reachable states (0: walks only after an early end).
  public var walkShare: Double = 0.25
  /// The seed of the random walks.
  public var seed: UInt64
  /// Index sorts treated as uninterpreted (a parametric proof); empty for a bounded proof.
  public var parametricSorts: Set<String>
  /// A word-valued variable takes part in templates only when the samples show at most this
  /// many distinct values of it.
  public var maxWordValues: Int
  /// Whether templates with two antecedents (`x = a ∧ y = b → z ≠ c`) are tried when the
  /// one-antecedent candidates do not prove the properties.
  public var twoAntecedents: Bool
  /// Whether templates read only the properties' cone of influence (the variables that can
  /// affect them); see `Cone`.
  public var cone: Bool
  /// Whether an induction check of the properties alone comes first (no lemma may be needed).
  public var tryAlone: Bool
  /// How Houdini, the support search and the final check treat action arguments: one query per
  /// action (symbolic) or per argument tuple (enumerated).
  public var arguments: ArgumentEncoding
  /// Houdini asks about the successor's candidates in groups of this many (0: all at once).
  public var chunk: Int
  /// Seconds Z3 may spend on one Houdini query before the group is split (a lone candidate
  /// without an answer is dropped; a property without one ends the run unknown); nil: no limit
  /// but the budget.
  public var queryLimit: Double?
  /// The model's own state properties that join the candidates, by name (not lemmas, not the goals).
  ///
  /// Houdini keeps one only if it is preserved with the rest, and a kept one is
  /// proved with the inferred lemmas by the final induction check (never assumed). A property
  /// false in a sampled state is left out.
  public var alongside: [String] = []
  /// More states sampling starts from, besides the initial state.
  ///
  /// Each is in ``StateLayout`` order (e.g. a scenario's end state, many steps deep).
  /// They only filter candidates: a candidate false in one is left out, which is sound for any
  /// state (reachable or not) because `proved` still needs Z3's unsat for the final inductive
  /// set, whose base case is the model's initial state. They should be reachable, or they filter
  /// out candidates that would have held.
  public var starts: [[Value]] = []
  /// States the concrete engine searches from the pre-state of each CTI Z3 gives Houdini (0: none).
  ///
  /// Each searched state satisfies every kept candidate; the candidates false after some step
  /// are dropped (see ``Refuter``). The fixpoint is the same, with fewer queries.
  public var refuteStates: Int = 256
  /// Whether Houdini's queries track unsat cores (bounded runs).
  ///
  /// A group is asked with only the formulas its members' earlier answers rested on (widened on
  /// a spurious sat answer), and the last pass's cores pick the lemmas of the first induction
  /// check. See
  /// ``SymbolicChecker/houdini(_:protected:chunk:queryLimit:relevance:cores:workers:refuter:progress:actionDone:)``.
  /// Off by default: at `rmm-reuse` (two passes) the seeded queries' extra sat answers cost more
  /// than the cores save (Docs/invariant-inference.md, session 11).
  public var cores = false
  /// Whether a proved run looks for a smaller set of lemmas (the support, then dropping implied
  /// ones), with at most a fifth of the budget; off, the proof rests on the set its first
  /// induction check proved (the cores' closure or Houdini's whole set), reported unminimised.
  public var minimise = true
  /// How many threads ask Houdini's consecution queries and, in a bounded run, the induction
  /// checks' (the actions dealt out; see ``Inference/prove(model:properties:lemmas:options:seconds:)``),
  /// each with a Z3 context of its own (1: in order on the calling thread).
  ///
  /// Houdini's inductive set is the same for every count (the largest inductive subset of the
  /// candidates); the CTIs, the query count and the cores may differ, and so may candidates
  /// dropped for want of an answer within ``queryLimit``.
  public var workers = 1
  /// Called with each note as it is written and a line after each Houdini pass; nil: silent.
  ///
  /// A pass's line gives the kept count, what the pass dropped, the CTIs, queries and seconds so
  /// far: `cca-verify infer` shows them on standard error.
  public var progress: (@Sendable (String) -> Void)? = nil

  public init(
    budget: Double = 280, maxStates: Int = 200_000, samplingShare: Double = 0.25, walks: Int = 200,
    walkLength: Int = 60, seed: UInt64 = 1, parametricSorts: Set<String> = [], maxWordValues: Int = 16,
    twoAntecedents: Bool = true, cone: Bool = true, tryAlone: Bool = true, arguments: ArgumentEncoding = .symbolic,
    chunk: Int = 256,
    queryLimit: Double? = 20
  ) {
    self.budget = budget
    self.maxStates = maxStates
    self.samplingShare = samplingShare
    self.walks = walks
    self.walkLength = walkLength
    self.seed = seed
    self.parametricSorts = parametricSorts
    self.maxWordValues = maxWordValues
    self.twoAntecedents = twoAntecedents
    self.cone = cone
    self.tryAlone = tryAlone
    self.arguments = arguments
    self.chunk = chunk
    self.queryLimit = queryLimit
  }
}
