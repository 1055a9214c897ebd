import Dispatch
import Explore
import Foundation
import Spec
import Symbolic

/// An inferred lemma: a formula with its readable and modelling-language renderings.
public struct InferredLemma: Sendable {
  public let name: String
  public let formula: Expr
  /// Mathematical notation with the model's names.
  public let text: String
  /// A `b.lemma(...)` declaration for the model's builder.
  public let swift: String
}

/// What an inference run found.
public enum InferenceOutcome: Sendable, Equatable {
  /// Z3 answered unsat for initiation and consecution of the properties with the final
  /// inferred lemmas (a separate induction check, as for hand-written lemmas).
  case proved
  /// A property is false in a reachable state: the trace (replayed by the concrete engine).
  case violated(Trace)
  /// Houdini dropped a property: this step breaks it (and the candidates it names) from a state
  /// satisfying every candidate kept at that moment. Not a violation.
  case cti(HoudiniCTI, broken: [String])
  /// Out of budget, Z3 answered unknown, or the final check did not prove the properties.
  case unknown(String)
}

/// The result of an inference run, with the counts of each phase.
public struct InferenceReport: Sendable {
  public let outcome: InferenceOutcome
  /// `parametric (Granule)` or the bounds.
  public let scope: String
  public let properties: [String]
  public let statesSampled: Int
  /// Whether the samples are every reachable state.
  public let exhaustive: Bool
  /// The size of the template space.
  public let generated: Int
  /// Candidates true in every sampled state.
  public let keptAfterSampling: Int
  /// Candidates in Houdini's inductive set (0 when it did not complete).
  public let keptAfterHoudini: Int
  /// The lemmas of the final proof, after minimisation (empty unless proved).
  public let lemmas: [InferredLemma]
  /// Z3 queries (Houdini, support, the final check).
  public let queries: Int
  public let seconds: Double
  /// Phase timings and remarks.
  public let notes: [String]
}

/// Infers inductive invariants that prove a model's properties without hand-written lemmas.
///
/// The run: sample reachable states (breadth-first, then swarm walks); instantiate templates
/// over the state schema and keep the instances true in every sample; Houdini with Z3 drops
/// candidates not preserved until the rest, with the properties, is inductive; the unsat cores
/// of the properties' preservation pick the lemmas they rest on; the lemmas a conjunction of
/// the others implies are dropped; finally, an ordinary induction check of the properties with
/// the remaining lemmas (the model's own lemmas are never used) decides. Only its unsat answers
/// make the outcome `proved`; sampling proves nothing and an exhausted budget is `unknown`.
public enum Inference {
  /// Runs inference for `properties` (indices into `model.properties`).
  ///
  /// - Complexity: sampling is bounded by `options.maxStates` and a share of the budget; each
  ///   Houdini pass is one Z3 query per action instance plus one per dropping CTI.
  public static func run(model: Model, properties: [Int], options: InferenceOptions = InferenceOptions())
    -> InferenceReport
  {
    let start = DispatchTime.now()
    func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
    func remaining() -> Double { options.budget - elapsed() }
    let names = properties.map { model.properties[$0].name }
    // Each note is also a progress line as it is written.
    var notes: [String] = [] {
      didSet {
        if let say = options.progress, notes.count > oldValue.count { notes[oldValue.count...].forEach(say) }
      }
    }
    var generated = 0
    var keptSampling = 0
    var keptHoudini = 0
    var queries = 0
    var sampled = 0
    var exhaustive = false
    let scope =
      options.parametricSorts.isEmpty
      ? model.configuration.bounds.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
      : "parametric (\(options.parametricSorts.sorted().joined(separator: ", ")))"
    func report(_ outcome: InferenceOutcome, lemmas: [InferredLemma] = []) -> InferenceReport {
      InferenceReport(
        outcome: outcome, scope: scope, properties: names, statesSampled: sampled, exhaustive: exhaustive,
        generated: generated, keptAfterSampling: keptSampling, keptAfterHoudini: keptHoudini, lemmas: lemmas,
        queries: queries, seconds: elapsed(), notes: notes)
    }

    // Templates are state formulas: a property of steps is not theirs to prove.
    if let p = properties.first(where: { model.properties[$0].isTransition }) {
      return report(.unknown("\(model.properties[p].name) is a transition property; inference proves state properties"))
    }

    // 0. The properties may be inductive on their own (a monitor no step can set in this
    // configuration, a fact every action preserves): then no lemma is needed. One induction
    // check, with a share of the budget; a CTI or no answer moves on to sampling and templates.
    if options.tryAlone {
      let alone = prove(
        model: model, properties: properties, lemmas: [], options: options, seconds: max(1, remaining() * 0.2))
      queries += alone.queries
      notes.append(
        "the properties alone: \(Self.describe(alone.outcome)), \(alone.queries) queries, \(seconds(alone.seconds)) s")
      if alone.outcome == .proved {
        notes += alone.notes
        return report(.proved)
      }
    }

    // 1. Samples.
    let compiled: CompiledModel
    let samples: Samples
    do {
      compiled = try CompiledModel(model)
      samples = try Samples.gather(compiled, options: options, seconds: options.budget * options.samplingShare)
    } catch {
      return report(.unknown("the concrete engine failed while sampling: \(error)"))
    }
    sampled = samples.states.count
    exhaustive = samples.exhaustive
    notes.append(
      "sampling: \(sampled) states (\(exhaustive ? "every reachable state" : "breadth-first then \(samples.walks) swarm walks")"
        + "\(samples.starts > 0 ? ", from the initial state and \(samples.starts) more" : "")), \(seconds(elapsed())) s"
    )
    // A property false in a sample is violated: find the shortest trace concretely.
    for (p, name) in zip(properties, names) {
      guard let values = samples.states.first(where: { (try? holds(compiled, p, $0)) == false }) else { continue }
      _ = values
      var explore = ExploreOptions(mode: .bfs)
      explore.properties = [p]
      explore.timeLimit = max(remaining(), 1)
      if case .violation(_, let trace) = Explore.explore(compiled, options: explore).outcome {
        return report(.violated(trace))
      }
      return report(
        .unknown("\(name) is false in a sampled state but breadth-first search found no trace within the budget"))
    }

    // 2. Candidates, in tiers: one antecedent, then two.
    let cone = options.cone ? Cone.of(model, properties: properties) : nil
    if let cone {
      let names = cone.sorted().map { model[$0].name }
      notes.append(
        "cone of influence: \(cone.count) of \(model.variables.count) variables (\(names.joined(separator: ", ")))")
    }
    // The model's own properties named in `options.alongside` join the candidates: like a
    // template's, each is kept only if Houdini keeps it, and then proved with the rest.
    var companions: [Property] = []
    for name in options.alongside {
      guard let q = model.properties.firstIndex(where: { $0.name == name }) else {
        return report(.unknown("no property \(name) to infer alongside"))
      }
      let property = model.properties[q]
      guard property.kind != .lemma, !property.isTransition, !properties.contains(q) else {
        return report(.unknown("\(name) cannot be inferred alongside: a lemma, a transition property or a goal"))
      }
      if samples.states.contains(where: { (try? holds(compiled, q, $0)) == false }) {
        notes.append("\(name) is false in a sampled state: left out")
        continue
      }
      companions.append(property)
    }
    let templates = Templates(model: model, samples: samples, options: options, within: cone)
    var tiers = [false]
    if options.twoAntecedents { tiers.append(true) }
    var last: InferenceOutcome = .unknown("no candidates")
    for twoAntecedents in tiers {
      let deadline = DispatchTime.now() + .nanoseconds(Int(max(remaining(), 0) * 1e9))
      let set = templates.generate(twoAntecedents: twoAntecedents, deadline: deadline)
      generated = set.generated
      keptSampling = set.candidates.count
      notes.append(
        "templates (\(twoAntecedents ? "up to two antecedents" : "one antecedent")): \(set.generated) generated, "
          + "\(set.candidates.count) true in every sample, \(seconds(elapsed())) s")
      guard set.complete else {
        return report(.unknown("the budget ran out while generating templates"))
      }
      let goals = properties.map { model.properties[$0].formula }
      let pool = companions.map(Pooled.property) + set.candidates.map(Pooled.template)
      let formulas = goals + pool.map { $0.formula(model) }
      let goalIndices = Array(goals.indices)

      // 3. Houdini.
      guard remaining() > 1 else { return report(.unknown("the budget ran out before Houdini")) }
      let checker: SymbolicChecker
      do {
        checker = try SymbolicChecker(
          model: model,
          options: SymbolicOptions(
            parametricSorts: options.parametricSorts, timeout: remaining(), arguments: options.arguments))
      } catch {
        return report(.unknown("\(error)"))
      }
      var refuter: Refuter?
      if options.refuteStates > 0 && options.parametricSorts.isEmpty {
        refuter = try? Refuter(
          model: model, formulas: formulas, maxStates: options.refuteStates,
          seconds: max(1, Double(options.refuteStates) / 128))
      }
      let houdiniStart = elapsed()
      let houdini = checker.houdini(
        formulas, protected: Set(goalIndices), chunk: options.chunk, queryLimit: options.queryLimit,
        cores: options.cores, workers: options.workers,
        refuter: refuter.map { r in { pre, kept in r.refute(pre, kept) } },
        progress: options.progress.map { say in { say(Self.describe($0, offset: houdiniStart)) } },
        actionDone: options.progress.map { say in
          { step in
            // Only the costly ones: a pass has one per action.
            if step.seconds >= 5 {
              say(
                "  pass \(step.pass), \(step.action): \(step.queries) queries, \(step.ctis) CTIs, "
                  + "\(step.dropped) dropped, \(seconds(step.seconds)) s")
            }
          }
        })
      queries += houdini.queries
      if !houdini.passes.isEmpty {
        notes.append(
          "Houdini's passes (kept after each, of \(formulas.count) with the goals): "
            + houdini.passes.map { "\($0.kept)" }.joined(separator: ", ")
            + (houdini.framed > 0 ? "; \(houdini.framed) action queries left out by the frame" : ""))
      }
      let refuted =
        refuter == nil
        ? ""
        : "\(houdini.refuted) dropped by the concrete engine from CTI pre-states (\(seconds(houdini.refuterSeconds)) s), "
      let costliest = houdini.perAction.sorted { $0.value.seconds > $1.value.seconds }.prefix(5).map {
        "\($0.key) \($0.value.queries) (\($0.value.sat) sat) \(seconds($0.value.seconds)) s"
      }
      // Relevance: how many kept formulas a query asserted, and how often a sat answer's
      // pre-state falsified one left out (asked again with it).
      let relevance =
        houdini.queries > 0
        ? "; \(houdini.asserted / houdini.queries) kept formulas asserted per query on average, "
          + "\(houdini.widened) asked again with more"
          + (houdini.reused > 0 ? ", \(houdini.reused) earlier answers still holding (not asked again)" : "") : ""
      let perAction = "\(relevance); the costliest actions in Z3: \(costliest.joined(separator: ", "))"
      if let reason = houdini.incomplete {
        notes.append(
          "Houdini stopped: \(houdini.ctis.count) CTIs, \(refuted)\(houdini.queries) queries, "
            + "\(seconds(houdini.solverSeconds)) s in Z3, \(seconds(houdini.seconds)) s\(perAction)")
        // What the costliest action's first CTIs dropped: where a missing lemma or start may be.
        if let worst = houdini.perAction.max(by: { $0.value.seconds < $1.value.seconds })?.key {
          func text(_ i: Int) -> String { i < goals.count ? names[i] : pool[i - goals.count].text(model) }
          for cti in houdini.ctis.filter({ $0.action == worst }).prefix(3) {
            notes.append(
              "a CTI of \(worst)(\(cti.arguments.joined(separator: ", "))) dropped \(cti.broken.count): "
                + cti.broken.prefix(4).map(text).joined(separator: "; "))
          }
        }
        return report(.unknown("Houdini stopped: \(reason)"))
      }
      keptHoudini = houdini.kept.filter { $0 >= goals.count }.count
      notes.append(
        "Houdini: \(keptHoudini) candidates inductive, \(houdini.ctis.count) CTIs, "
          + (houdini.unanswered.isEmpty ? "" : "\(houdini.unanswered.count) dropped unanswered, ")
          + refuted + "\(houdini.queries) queries, \(seconds(houdini.solverSeconds)) s in Z3, "
          + "\(seconds(houdini.seconds)) s\(perAction)")
      let keptSet = Set(houdini.kept)
      if let lost = goalIndices.first(where: { !keptSet.contains($0) }) {
        let cti = houdini.ctis.first { $0.broken.contains(lost) }
        if let cti {
          let broken = cti.broken.map { $0 < goals.count ? names[$0] : pool[$0 - goals.count].text(model) }
          last = .cti(cti, broken: broken)
          notes += Self.describe(cti, model: model, initial: compiled.values(of: compiled.initialState()))
          let fates = companions.indices.map { i in
            "\(companions[i].name) \(keptSet.contains(goals.count + i) ? "kept" : "dropped")"
          }
          if !fates.isEmpty { notes.append("alongside: \(fates.joined(separator: ", "))") }
        } else {
          last = .unknown("Houdini dropped \(names[lost]) without a CTI")
        }
        continue
      }

      // 4. The proof with Houdini's whole set first (ordinary induction with inferred lemmas
      // only), so that a minimisation the budget cuts short still leaves a proof. With cores,
      // the set their closure gives from the goals comes first: it is inductive by the last
      // pass's unsat answers and usually much smaller, so its induction check is cheaper.
      var kept = houdini.kept
      var fromCores = false
      if let closure = houdini.coreSupport(of: goalIndices), closure.count < kept.count {
        let lemmas = Self.lemmas(
          Self.merge(closure.filter { $0 >= goals.count }.map { pool[$0 - goals.count] }), model: model,
          sampled: sampled, exhaustive: exhaustive)
        guard remaining() > 1 else { return report(.unknown("the budget ran out after Houdini")) }
        let check = prove(model: model, properties: properties, lemmas: lemmas, options: options, seconds: remaining())
        queries += check.queries
        notes.append(
          "induction check with the \(lemmas.count) lemmas the last pass's cores name: \(Self.describe(check.outcome)), "
            + "\(check.queries) queries, \(seconds(check.seconds)) s")
        if check.outcome == .proved {
          kept = closure
          fromCores = true
        } else if remaining() <= 1 {
          return report(.unknown("the budget ran out in the induction check with the cores' \(lemmas.count) lemmas"))
        }
      }
      let whole = Self.lemmas(
        Self.merge(kept.filter { $0 >= goals.count }.map { pool[$0 - goals.count] }), model: model, sampled: sampled,
        exhaustive: exhaustive)
      if !fromCores {
        guard remaining() > 1 else { return report(.unknown("the budget ran out after Houdini")) }
        let first = prove(model: model, properties: properties, lemmas: whole, options: options, seconds: remaining())
        queries += first.queries
        notes.append(
          "induction check with Houdini's \(whole.count) lemmas: \(first.queries) queries, \(seconds(first.seconds)) s")
        if let failed = Self.failure(first.outcome) { return report(failed) }
      }

      // 5. Minimise: the lemmas the properties' preservation rests on, then drop implied ones.
      func unminimised(_ why: String) -> InferenceReport {
        notes.append(
          "not minimised (\(why)): the proof rests on \(fromCores ? "the cores' lemmas" : "Houdini's whole set")")
        return report(.proved, lemmas: whole)
      }
      guard options.minimise else { return unminimised("minimisation off") }
      guard remaining() > 1 else { return unminimised("no budget left") }
      // Minimisation gets a fifth of the budget at most: with hundreds of lemmas the support
      // search may not finish, and the proof is already in hand.
      let minimiseUntil = elapsed() + max(5, options.budget * 0.2)
      let support: SupportReport
      do {
        let c = try SymbolicChecker(
          model: model,
          options: SymbolicOptions(
            parametricSorts: options.parametricSorts, timeout: min(remaining(), minimiseUntil - elapsed()),
            arguments: options.arguments))
        support = c.support(of: goalIndices, within: kept.map { formulas[$0] })
      } catch {
        return unminimised("\(error)")
      }
      queries += support.queries
      if let reason = support.incomplete { return unminimised("the support search stopped: \(reason)") }
      var chosen = support.support.map { kept[$0] }.filter { $0 >= goals.count }.map { pool[$0 - goals.count] }
      notes.append("support: \(chosen.count) lemmas, \(support.queries) queries, \(seconds(support.seconds)) s")
      // Greedy: drop each lemma whose removal leaves the rest, with the properties, inductive
      // (last first: the one-antecedent and constant-key candidates come after the unary ones).
      let minimiseStart = elapsed()
      let reserve = max(5, options.budget * 0.15)
      var position = chosen.count - 1
      var minimiseQueries = 0
      while position >= 0 && remaining() > reserve && elapsed() < minimiseUntil {
        var trial = chosen
        trial.remove(at: position)
        let fs = goals + trial.map { $0.formula(model) }
        do {
          let c = try SymbolicChecker(
            model: model,
            options: SymbolicOptions(
              parametricSorts: options.parametricSorts, timeout: min(remaining() - reserve, minimiseUntil - elapsed()),
              arguments: options.arguments))
          let r = c.support(of: Array(fs.indices), within: fs)
          minimiseQueries += r.queries
          if r.incomplete == nil { chosen = trial }
        } catch {
          return unminimised("\(error)")
        }
        position -= 1
      }
      queries += minimiseQueries
      notes.append(
        "minimised to \(chosen.count) lemmas\(position >= 0 ? " (stopped by the budget with \(position + 1) untried)" : ""), "
          + "\(minimiseQueries) queries, \(seconds(elapsed() - minimiseStart)) s")
      let lemmas = Self.lemmas(Self.merge(chosen), model: model, sampled: sampled, exhaustive: exhaustive)

      // 6. The proof with the minimised lemmas.
      guard remaining() > 1 else { return unminimised("the budget ran out before the minimised set's check") }
      let proof = prove(model: model, properties: properties, lemmas: lemmas, options: options, seconds: remaining())
      queries += proof.queries
      notes.append("final induction check: \(proof.queries) queries, \(seconds(proof.seconds)) s")
      notes += proof.notes
      if let failed = Self.failure(proof.outcome) {
        if case .unknown(let reason) = failed { return unminimised(reason) }
        return report(failed)
      }
      return report(.proved, lemmas: lemmas)
    }
    return report(last)
  }

  /// Proves the properties by induction with the given lemmas, on the model stripped of its own
  /// lemmas, exactly as a target with hand-written lemmas would be proved.
  ///
  /// Bounded, with ``InferenceOptions/workers`` above 1: the actions are dealt out to that many
  /// threads (the `k`-th action to thread `k % workers`), each proving initiation and the
  /// consecution of its actions on a model with only those actions, with a Z3 context of its own.
  /// Every part proved is initiation plus consecution for every action, each unsat: the same
  /// obligations as one check. Otherwise the first part (in order) not proved gives the outcome.
  public static func prove(
    model: Model, properties: [Int], lemmas: [InferredLemma], options: InferenceOptions, seconds: Double
  ) -> (outcome: SymbolicOutcome, queries: Int, seconds: Double, notes: [String]) {
    let mains = properties.map { model.properties[$0] }
    let all = mains + lemmas.map { Property(name: $0.name, kind: .lemma, doc: "inferred", formula: $0.formula) }
    let parts = options.parametricSorts.isEmpty ? max(1, min(options.workers, model.actions.count)) : 1
    let models = (0..<parts).map { k in
      Model(
        name: model.name, configuration: model.configuration, variables: model.variables, initial: model.initial,
        actions: model.actions.indices.filter { $0 % parts == k }.map { model.actions[$0] }, properties: all,
        abi: model.abi)
    }
    let symbolic = SymbolicOptions(
      parametricSorts: options.parametricSorts, timeout: seconds, arguments: options.arguments)
    @Sendable func check(_ augmented: Model) -> (
      outcome: SymbolicOutcome, queries: Int, seconds: Double, notes: [String]
    ) {
      do {
        let checker = try SymbolicChecker(model: augmented, options: symbolic)
        let r = checker.induction(
          properties: Array(mains.indices), lemmas: Array(mains.count..<augmented.properties.count))
        return (r.outcome, r.queries, r.seconds, r.notes)
      } catch {
        return (.unknown("\(error)"), 0, 0, [])
      }
    }
    guard parts > 1 else { return check(models[0]) }
    let results = PartResults(count: parts)
    let group = DispatchGroup()
    for k in 1..<parts {
      group.enter()
      let part = models[k]
      Thread.detachNewThread {
        results.set(k, check(part))
        group.leave()
      }
    }
    results.set(0, check(models[0]))
    group.wait()
    let done = results.all
    let outcome = done.first { $0.outcome != .proved }?.outcome ?? .proved
    return (
      outcome, done.map(\.queries).reduce(0, +), done.map(\.seconds).max() ?? 0, done.flatMap(\.notes)
    )
  }

  /// The results of ``prove(model:properties:lemmas:options:seconds:)``'s parts, by part.
  final class PartResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(outcome: SymbolicOutcome, queries: Int, seconds: Double, notes: [String])?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ r: (outcome: SymbolicOutcome, queries: Int, seconds: Double, notes: [String])) {
      lock.withLock { results[k] = r }
    }
    /// Every part's result (each set before the threads are waited for).
    var all: [(outcome: SymbolicOutcome, queries: Int, seconds: Double, notes: [String])] {
      lock.withLock { results.compactMap { $0 } }
    }
  }

  /// A formula Houdini may keep: a template's candidate or one of the model's own properties
  /// (``InferenceOptions/alongside``).
  enum Pooled {
    case template(Candidate)
    case property(Property)

    func formula(_ model: Model) -> Expr {
      switch self {
      case .template(let c): return c.formula(model)
      case .property(let p): return p.formula
      }
    }

    func text(_ model: Model) -> String {
      switch self {
      case .template(let c): return c.text(model)
      case .property(let p): return p.name
      }
    }
  }

  /// Merges candidates that differ only in the values their consequents exclude into one
  /// (`x = a → y ∉ {b, c}`); the conjunction is the same formula.
  static func merge(_ pooled: [Pooled]) -> [Pooled] {
    let candidates = pooled.compactMap { p -> Candidate? in
      if case .template(let c) = p { return c }
      return nil
    }
    return pooled.filter { if case .property = $0 { return true } else { return false } }
      + merge(candidates).map(Pooled.template)
  }

  static func merge(_ candidates: [Candidate]) -> [Candidate] {
    var order: [Candidate] = []
    var excluded: [Int: [Value]] = [:]
    var index: [String: Int] = [:]
    for c in candidates {
      guard case .excludes(let vs) = c.consequent else {
        order.append(c)
        continue
      }
      let key = "\(c.quantified)|\(c.distinct)|\(c.antecedents)|\(c.cell)"
      if let i = index[key] {
        excluded[i, default: []] += vs
      } else {
        index[key] = order.count
        excluded[order.count] = vs
        order.append(c)
      }
    }
    return order.enumerated().map { i, c in
      guard let vs = excluded[i] else { return c }
      return Candidate(
        quantified: c.quantified, distinct: c.distinct, antecedents: c.antecedents, cell: c.cell,
        consequent: .excludes(Array(Set(vs)).sorted()))
    }
  }

  static func holds(_ compiled: CompiledModel, _ property: Int, _ values: [Value]) throws -> Bool {
    try compiled.holds(property, in: try compiled.state(fromValues: values))
  }

  static func seconds(_ s: Double) -> String { String(format: "%.1f", s) }

  /// The outcome of a final induction check that did not prove the properties (nil when it did).
  static func failure(_ outcome: SymbolicOutcome) -> InferenceOutcome? {
    switch outcome {
    case .proved: return nil
    case .unknown(let reason): return .unknown("the final induction check: \(reason)")
    case .cti(let cti):
      return .unknown(
        "the final induction check found a CTI (\(cti.action) breaks \(cti.failing.joined(separator: ", "))) although Houdini converged: a bug"
      )
    case .violated: return .unknown("the final induction check reports a violation although sampling found none")
    case .holdsBounded: return .unknown("unexpected bounded result")
    }
  }

  /// The pooled formulas as lemmas: templates numbered `inferred-N`, the model's own properties
  /// by name.
  static func lemmas(_ chosen: [Pooled], model: Model, sampled: Int, exhaustive: Bool) -> [InferredLemma] {
    var numbered = 0
    return chosen.map { pooled -> InferredLemma in
      switch pooled {
      case .property(let property):
        // The model's own property, proved here with the inferred lemmas (not a lemma to paste).
        return InferredLemma(
          name: property.name, formula: property.formula,
          text: "\(property.name) (the model's property, proved alongside)",
          swift: "// \(property.name): the model's own property, proved alongside")
      case .template(let c):
        numbered += 1
        let name = "inferred-\(numbered)"
        let doc =
          "Inferred: true in all \(sampled) sampled states\(exhaustive ? " (every reachable state)" : ""), inductive with the others."
        return InferredLemma(
          name: name, formula: c.formula(model), text: c.text(model), swift: c.swift(model, name: name, doc: doc))
      }
    }
  }

  /// A CTI's pre-state as the cells where it differs from the initial state, and the cells the
  /// step changed (notes for a reader looking for the missing lemma).
  static func describe(_ cti: HoudiniCTI, model: Model, initial: [Value]) -> [String] {
    guard let pre = cti.pre, let post = cti.post else { return [] }
    let layout = model.layout
    func cell(_ i: Int, _ v: Value) -> String {
      "\(layout.name(at: i))=\(model[layout.variable(at: i)].value.render(v))"
    }
    let differs = pre.indices.filter { pre[$0] != initial[$0] }.map { cell($0, pre[$0]) }
    let changed = pre.indices.filter { pre[$0] != post[$0] }.map { cell($0, post[$0]) }
    return [
      "the CTI's pre-state, where it differs from the initial state: \(differs.joined(separator: " "))",
      "the CTI's step \(cti.action)(\(cti.arguments.joined(separator: ", "))) sets: \(changed.joined(separator: " "))",
    ]
  }

  /// A progress line for a Houdini pass (seconds from the run's start).
  static func describe(_ pass: HoudiniPass, offset: Double) -> String {
    "Houdini pass \(pass.pass): \(pass.kept) kept (\(pass.dropped) dropped), \(pass.ctis) CTIs, "
      + "\(pass.queries) queries, \(seconds(offset + pass.seconds)) s"
  }

  static func describe(_ outcome: SymbolicOutcome) -> String {
    switch outcome {
    case .proved: return "inductive"
    case .cti(let cti): return "CTI (\(cti.action) breaks \(cti.failing.joined(separator: ", ")))"
    case .violated: return "violated initially"
    case .holdsBounded: return "bounded"
    case .unknown(let reason): return "unknown (\(reason))"
    }
  }
}
