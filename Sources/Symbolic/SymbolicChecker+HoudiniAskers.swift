import Dispatch
import Foundation
import Spec
import Z3

/// What a Houdini run asks, the same for every asker (thread): the formulas and the settings of
/// ``SymbolicChecker/houdini(_:protected:chunk:queryLimit:relevance:cores:workers:refuter:progress:actionDone:)``,
/// with what each formula reads and, per action, the formulas it can change and the variables it touches.
struct HoudiniJob: Sendable {
  let formulas: [Expr]
  let protected: Set<Int>
  let chunk: Int
  let queryLimit: Double?
  let relevance: Bool
  let cores: Bool
  /// The variables each formula reads.
  let reads: [Set<VariableID>]
  /// Per action, the formulas reading a variable it writes (the others keep their value: the frame).
  let framedBy: [Set<Int>]
  /// Per action, the variables it reads or writes (relevance).
  let near: [Set<VariableID>]

  /// The formulas in groups of `chunk` (one group when `chunk` is 0).
  func groups(_ members: [Int]) -> [[Int]] {
    guard chunk > 0, members.count > chunk else { return [members] }
    return stride(from: 0, to: members.count, by: chunk).map { Array(members[$0..<min($0 + chunk, members.count)]) }
  }
}

/// What Houdini's askers share, under one lock: the kept set, the counts of the report, the cores
/// and the schedule of the passes.
///
/// A pass hands out the action instances in order, one at a time, to whichever asker is free; an
/// asker done with the pass waits at a barrier until every asker is, and the last one to arrive
/// ends the pass (records it, and starts another if anything was dropped). Each asker asks Z3
/// with a snapshot of the kept set; the set only shrinks, so a snapshot holds every formula kept
/// later, and a CTI from a state satisfying a snapshot drops no formula of the largest inductive
/// subset (the one Houdini finds). Hence the kept set at the end does not depend on the number of
/// askers or on which asker asks what (except for candidates dropped unanswered: Z3's time limit).
final class HoudiniBoard: @unchecked Sendable {
  private let condition = NSCondition()
  /// Held while the refuter runs (it is not safe to call from two threads).
  private let refuting = NSLock()
  let askers: Int
  let count: Int
  let start: DispatchTime
  private let refuter: HoudiniRefuter?
  private let progress: ((HoudiniPass) -> Void)?
  private let actionDone: ((HoudiniActionStep) -> Void)?

  private(set) var kept: Set<Int>
  private(set) var ctis: [HoudiniCTI]
  private(set) var unanswered: [Int] = []
  private(set) var refuted = 0
  private(set) var refuterSeconds = 0.0
  private(set) var perAction: [String: (queries: Int, sat: Int, seconds: Double)] = [:]
  private(set) var passes: [HoudiniPass] = []
  private(set) var framed = 0
  private(set) var widened = 0
  private(set) var asserted = 0
  /// Every asker's queries so far (initiation's included).
  private(set) var queries: Int
  /// The Z3 seconds of the askers other than the calling checker.
  private(set) var otherSolverSeconds = 0.0
  /// Per instance, the core of the last unsat answer about each formula, and the instance's last
  /// core; per formula, the union of this pass's cores about it.
  private var coreMemo: [[Int: [Int]]]
  private var latestCore: [[Int]?]
  private(set) var passCores: [Int: Set<Int>] = [:]
  /// Members whose earlier unsat answer still held (``settled(_:instance:)``): not asked again.
  private(set) var reused = 0
  /// Why the run stopped early (the first reason given), or the first error an asker threw.
  private(set) var stopped: String?
  private(set) var failure: (any Error)?

  private var taken = 0
  private var arrived = 0
  private var generation = 0
  private var changed = false
  private var done: Bool
  private var keptBefore: Int

  init(
    kept: Set<Int>, ctis: [HoudiniCTI], queries: Int, instances: Int, askers: Int, start: DispatchTime,
    refuter: HoudiniRefuter?, progress: ((HoudiniPass) -> Void)?, actionDone: ((HoudiniActionStep) -> Void)?
  ) {
    self.kept = kept
    self.ctis = ctis
    self.queries = queries
    self.count = instances
    self.askers = askers
    self.start = start
    self.refuter = refuter
    self.progress = progress
    self.actionDone = actionDone
    coreMemo = Array(repeating: [:], count: instances)
    latestCore = Array(repeating: nil, count: instances)
    done = kept.isEmpty
    keptBefore = kept.count
  }

  private func locked<T>(_ body: () throws -> T) rethrows -> T {
    condition.lock()
    defer { condition.unlock() }
    return try body()
  }

  var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

  /// The next instance to ask about in this pass, waiting for the other askers at the end of a
  /// pass; nil when the run is over (fixpoint, stopped, or failed).
  func take() -> Int? {
    locked {
      while true {
        if done || stopped != nil || failure != nil { return nil }
        if taken < count && !kept.isEmpty {
          taken += 1
          return taken - 1
        }
        arrived += 1
        if arrived == askers {
          endPass()
        } else {
          let g = generation
          while generation == g && stopped == nil && failure == nil { condition.wait() }
        }
      }
    }
  }

  /// Under the lock, by the last asker to finish the pass.
  private func endPass() {
    let pass = HoudiniPass(
      pass: passes.count + 1, kept: kept.count, dropped: keptBefore - kept.count, ctis: ctis.count, queries: queries,
      seconds: elapsed)
    passes.append(pass)
    progress?(pass)
    if !changed || kept.isEmpty {
      done = true
    } else {
      taken = 0
      changed = false
      keptBefore = kept.count
      passCores = [:]
    }
    arrived = 0
    generation += 1
    condition.broadcast()
  }

  /// Ends the run early (the first reason is kept); every asker stops at its next instance.
  func stop(_ reason: String) {
    locked {
      if stopped == nil { stopped = reason }
      condition.broadcast()
    }
  }

  func fail(_ error: any Error) {
    locked {
      if failure == nil { failure = error }
      condition.broadcast()
    }
  }

  var snapshot: Set<Int> { locked { kept } }

  /// Whether no kept formula can change in the instance's step (counted as framed).
  func framedOut(_ touched: Set<Int>) -> Bool {
    locked {
      guard kept.isDisjoint(with: touched) else { return false }
      framed += 1
      return true
    }
  }

  /// The members with the kept formulas their earlier cores name (for a member never answered,
  /// the instance's last core); nil when a member has none and the instance has no core yet.
  func coreSeed(_ members: [Int], instance k: Int, kept: Set<Int>) -> [Int]? {
    locked {
      var seed = Set(members)
      for i in members {
        guard let core = coreMemo[k][i] ?? latestCore[k] else { return nil }
        seed.formUnion(core)
      }
      return seed.filter { kept.contains($0) }.sorted()
    }
  }

  /// The members whose last unsat answer at instance `k` needs no asking again.
  ///
  /// Those whose answer (an earlier pass's) rested only on formulas still kept: it still holds.
  /// Their cores join this pass's (``passCores``) as if asked again.
  ///
  /// Sound for the same reason as the snapshots: the kept set only shrinks, and a pass that ends
  /// with no drop saw every such core inside the final kept set.
  func settled(_ members: [Int], instance k: Int) -> Set<Int> {
    locked {
      var settled: Set<Int> = []
      for i in members {
        guard let core = coreMemo[k][i], core.allSatisfy({ kept.contains($0) }) else { continue }
        settled.insert(i)
        passCores[i, default: []].formUnion(core)
      }
      reused += settled.count
      return settled
    }
  }

  func recordCore(_ core: [Int], members: [Int], instance k: Int) {
    locked {
      for i in members {
        coreMemo[k][i] = core
        passCores[i, default: []].formUnion(core)
      }
      latestCore[k] = core
    }
  }

  func noteQuery(_ action: String, sat: Bool, seconds: Double, asserted count: Int, widened: Int) {
    locked {
      perAction[action, default: (0, 0, 0)].queries += 1
      perAction[action, default: (0, 0, 0)].seconds += seconds
      if sat { perAction[action, default: (0, 0, 0)].sat += 1 }
      asserted += count
      self.widened += widened
    }
  }

  func addQueries(_ n: Int) { locked { queries += n } }

  func addSolverSeconds(_ s: Double) { locked { otherSolverSeconds += s } }

  /// Drops a candidate Z3 gave no answer about; returns 1 if it was still kept.
  func dropUnanswered(_ i: Int) -> Int {
    locked {
      changed = true
      unanswered.append(i)
      return kept.remove(i) == nil ? 0 : 1
    }
  }

  /// Records an unanswered candidate counted as broken by a CTI that follows.
  func noteUnanswered(_ i: Int) { locked { unanswered.append(i) } }

  /// Records a CTI and drops what it broke; returns how many were still kept.
  func drop(_ cti: HoudiniCTI) -> Int {
    locked {
      changed = true
      ctis.append(cti)
      let before = kept.count
      kept.subtract(cti.broken)
      return before - kept.count
    }
  }

  /// The refuter's CTIs from `pre` (see ``HoudiniRefuter``), each dropping what it broke;
  /// returns the CTIs that dropped something and how many formulas they dropped.
  func refute(_ pre: [Value]) -> (ctis: Int, dropped: Int) {
    guard let refuter else { return (0, 0) }
    return refuting.withLock {
      let begun = DispatchTime.now()
      let more = refuter(pre, snapshot)
      return locked {
        var result = (ctis: 0, dropped: 0)
        for cti in more {
          let dropped = cti.broken.filter { kept.contains($0) }
          guard !dropped.isEmpty else { continue }
          kept.subtract(dropped)
          refuted += dropped.count
          ctis.append(cti)
          result.ctis += 1
          result.dropped += dropped.count
        }
        refuterSeconds += Double(DispatchTime.now().uptimeNanoseconds - begun.uptimeNanoseconds) / 1e9
        return result
      }
    }
  }

  func reportStep(action: String, queries: Int, ctis: Int, dropped: Int, seconds: Double) {
    guard let actionDone else { return }
    locked {
      actionDone(
        HoudiniActionStep(
          pass: passes.count + 1, action: action, queries: queries, ctis: ctis, dropped: dropped, seconds: seconds))
    }
  }

  /// The report of the run (`incomplete` nil: the fixpoint), with the calling checker's Z3 seconds.
  func report(incomplete: String?, solverSeconds: Double) -> HoudiniReport {
    locked {
      HoudiniReport(
        incomplete: incomplete, kept: kept.sorted(), ctis: ctis, queries: queries, seconds: elapsed,
        unanswered: unanswered, refuted: refuted, refuterSeconds: refuterSeconds,
        solverSeconds: solverSeconds + otherSolverSeconds, perAction: perAction, passes: passes, framed: framed,
        widened: widened, asserted: asserted, reused: reused,
        cores: incomplete == nil ? passCores.mapValues { $0.filter { kept.contains($0) }.sorted() } : [:])
    }
  }
}

/// One asker's compiled terms: its pre-state, the formulas in it (each with an indicator), the
/// base constraints and the action instances, in its own Z3 context.
struct HoudiniTerms {
  let solver: Z3Solver
  let pre: SymbolicState
  let quantified: [Z3Expr]
  let base: [Z3Expr]
  let indicators: [Z3Expr]
  let preTerms: [Z3Expr]
  let indexOf: [Z3Expr: Int]
  let instances: [SymbolicChecker.Instance]
  /// Each query on a solver of its own (bounded runs), rather than on `solver` under indicators.
  let fresh: Bool
}

extension SymbolicChecker {
  /// Compiles what this checker asks Houdini's consecution queries with; nil when the budget ran out.
  ///
  /// Every asker compiles the same things in the same order, so its instances are the same, by
  /// index, as every other asker's.
  func houdiniTerms(_ job: HoudiniJob) throws -> HoudiniTerms? {
    let s = try solver()
    let pre = try encoder.freshState("pre")
    let domains = try encoder.domainConstraints(pre)
    var indicators: [Z3Expr] = []
    var preTerms: [Z3Expr] = []
    // Bounded: each query goes to a solver of its own with the kept formulas asserted (Z3's
    // non-incremental QF_BV tactic, as induction's consecution queries); the shared solver
    // with an indicator per formula is kept for parametric runs.
    let fresh = options.freshSolverPerQuery && options.parametricSorts.isEmpty
    let base = domains.plain + (try encoder.distinctness())
    do {
      for c in base { try s.assert(c) }
      let bool = try context.boolSort()
      for (i, f) in job.formulas.enumerated() {
        if i % 64 == 0 && DispatchTime.now() >= deadline { return nil }
        let h = try context.constant(named: "houdini!\(i)", sort: bool)
        let term = try encoder.compile(f, state: pre, parameters: [])
        indicators.append(h)
        preTerms.append(term)
        if !fresh { try s.assert(try context.implies(h, term)) }
      }
    } catch { throw SymbolicError(error) }
    let indexOf = Dictionary(uniqueKeysWithValues: indicators.enumerated().map { ($1, $0) })
    // Enumerated: each answer drops candidates for one concrete argument tuple, and the CTIs
    // name it. Symbolic: one query per action, Z3's model names the arguments.
    let instances = try instances(tag: "h", sampled: false)
    return HoudiniTerms(
      solver: s, pre: pre, quantified: domains.quantified, base: base, indicators: indicators, preTerms: preTerms,
      indexOf: indexOf, instances: instances, fresh: fresh)
  }

  /// Runs Houdini's consecution queries for the instances `board` hands this checker, until the
  /// run is over; see ``houdini(_:protected:chunk:queryLimit:relevance:cores:workers:refuter:progress:actionDone:)``.
  ///
  /// Stops (``HoudiniBoard/stop(_:)``) when the budget runs out or Z3 answers unknown where no
  /// formula may be dropped; errors are thrown.
  func houdiniAsk(_ board: HoudiniBoard, _ job: HoudiniJob, _ t: HoudiniTerms) throws {
    let (formulas, s, pre, preTerms, indicators) = (job.formulas, t.solver, t.pre, t.preTerms, t.indicators)
    let (cores, queryLimit) = (job.cores, job.queryLimit)
    /// The unsat core of the last ``ask(_:_:_:_:)`` answered unsat (with `cores`): the asserted
    /// formulas Z3 used.
    var lastCore: [Int] = []
    /// Asks `goal` of a fresh solver holding the step, the instance and the kept formulas
    /// `active` (with `cores`, each behind its indicator, assumed, so an unsat answer names the
    /// formulas it used).
    func ask(_ active: [Int], _ goal: Z3Expr, _ instance: Instance, _ enabled: Z3Expr) throws -> SolverResult {
      let f = try solver()
      do {
        for c in t.base + instance.constraints + [enabled, goal] { try f.assert(c) }
        for i in active { try f.assert(cores ? try context.implies(indicators[i], preTerms[i]) : preTerms[i]) }
      } catch { throw SymbolicError(error) }
      let begun = DispatchTime.now()
      let result: SolverResult
      if cores {
        result = try checkTracked(f, assuming: active.map { indicators[$0] }, limit: queryLimit)
      } else {
        result = try check(f, limit: queryLimit)
      }
      solverSeconds += Double(DispatchTime.now().uptimeNanoseconds - begun.uptimeNanoseconds) / 1e9
      do {
        if result == .sat { lastModel = try f.model() }
        if result == .unsat && cores { lastCore = try f.unsatCore().compactMap { t.indexOf[$0] } }
      } catch { throw SymbolicError(error) }
      return result
    }
    // The queries counted on the board so far (the rest when this asker stops).
    var added = queries
    defer { board.addQueries(queries - added) }
    while let k = board.take() {
      let instance = t.instances[k]
      let touched = job.framedBy[instance.action]
      if board.framedOut(touched) { continue }
      // Encoding an instance with many candidates costs time outside Z3's checks.
      if DispatchTime.now() >= deadline { return board.stop("time budget exhausted") }
      let step = try encoder.step(instance.action, state: pre, parameters: instance.terms)
      var post: [Int: Z3Expr] = [:]
      do {
        try s.push()
        for c in instance.constraints { try s.assert(c) }
        try s.assert(step.enabled)
      } catch { throw SymbolicError(error) }
      let name = model.actions[instance.action].name
      let (begun, queriesBefore) = (board.elapsed, queries)
      var (found, dropped) = (0, 0)
      // The groups still to ask about. After a CTI only its group is asked again: the
      // groups already answered unsat wait for the next pass (a pass that drops anything
      // is followed by another full pass, and the run ends only after a pass of unsat
      // answers under the final kept set).
      var pending = job.groups(board.snapshot.intersection(touched).sorted()).reversed() as [[Int]]
      while let group = pending.popLast() {
        // A snapshot: other askers may drop formulas meanwhile, never add one.
        let kept = board.snapshot
        var members = group.filter { kept.contains($0) }
        // With cores, a member whose earlier answer rested on kept formulas only is not asked
        // again (from the second pass: the first has no answers yet).
        if cores && t.fresh && !members.isEmpty {
          let settled = board.settled(members, instance: k)
          members.removeAll { settled.contains($0) }
        }
        if members.isEmpty { continue }
        let active = kept.sorted()
        for i in members where post[i] == nil {
          post[i] = try encoder.compile(formulas[i], state: step.post, parameters: [])
        }
        if DispatchTime.now() >= deadline { return board.stop("time budget exhausted") }
        let goal = try context.not(try context.and(members.compactMap { post[$0] }))
        let assumptions = active.map { indicators[$0] }
        let solverStart = solverSeconds
        var result: SolverResult
        var (asserted, widened) = (0, 0)
        if t.fresh {
          // Relevance: assert the kept formulas sharing a variable with the goal group or the
          // action; widen by those the sat answer's pre-state falsifies, and ask again.
          let cone = job.near[instance.action].union(members.flatMap { job.reads[$0] })
          let relevant = job.relevance ? active.filter { !job.reads[$0].isDisjoint(with: cone) } : active
          var chosen = relevant
          // Cores: the group with the formulas earlier unsat answers for its members (or,
          // for a member never answered, this instance's last answer) rested on.
          if cores, let seed = board.coreSeed(members, instance: k, kept: kept), seed.count < relevant.count {
            chosen = seed
          }
          while true {
            asserted += chosen.count
            result = try ask(chosen, goal, instance, step.enabled)
            guard result == .sat, chosen.count < active.count, let m = lastModel else { break }
            let inside = Set(chosen)
            let falsified = active.contains { i in
              !inside.contains(i) && (try? m.boolValue(of: preTerms[i])) != true
            }
            if !falsified { break }
            // Widening by the falsified formulas alone let Z3 pick pre-states falsifying
            // others, round after round (RMI_DATA_CREATE at rmm-da-setup: 9 sat answers,
            // about 80 queries): from a core, ask with the relevant formulas; from those,
            // with every kept formula.
            widened += 1
            chosen = chosen.count < relevant.count ? Set(relevant).union(chosen).sorted() : active
          }
          if result == .unsat && cores {
            board.recordCore(lastCore.filter { kept.contains($0) }, members: members, instance: k)
          }
        } else {
          asserted += active.count
          result = try check(s, assuming: assumptions, goal: goal, limit: queryLimit)
        }
        if result == .sat && !t.quantified.isEmpty {
          result = try check(s, assuming: assumptions, goal: goal, extra: t.quantified, limit: queryLimit)
        }
        board.noteQuery(
          name, sat: result == .sat, seconds: solverSeconds - solverStart, asserted: asserted, widened: widened)
        switch result {
        case .unsat: continue
        case .unknown(let reason):
          if DispatchTime.now() >= deadline || queryLimit == nil {
            return board.stop("Z3 answered unknown on \(name): \(reason)")
          }
          // Too hard within the per-query limit: ask about halves; drop a lone candidate.
          if members.count > 1 {
            let half = members.count / 2
            pending.append(Array(members[half...]))
            pending.append(Array(members[..<half]))
            continue
          }
          if job.protected.contains(members[0]) {
            return board.stop("Z3 answered unknown on \(name) for a goal within \(queryLimit ?? 0) s: \(reason)")
          }
          dropped += board.dropUnanswered(members[0])
        case .sat:
          // The model evaluates every kept formula's successor term the step can change.
          for i in active where post[i] == nil && touched.contains(i) {
            post[i] = try encoder.compile(formulas[i], state: step.post, parameters: [])
          }
          if DispatchTime.now() >= deadline { return board.stop("time budget exhausted") }
          var broken = try falseTerms(s, active.compactMap { i in post[i].map { (i, $0) } })
          if !unevaluable.isEmpty {
            // Quantified terms the model cannot evaluate: ask, one by one, whether each can be
            // false in such a successor (each answer sat is a CTI of that formula).
            broken.removeAll { unevaluable.contains($0) }
            for i in unevaluable.sorted() {
              guard let term = post[i] else { continue }
              var r = try check(s, assuming: assumptions, goal: try context.not(term), limit: queryLimit)
              if r == .sat && !t.quantified.isEmpty {
                r = try check(
                  s, assuming: assumptions, goal: try context.not(term), extra: t.quantified, limit: queryLimit)
              }
              if case .unknown(let reason) = r {
                if DispatchTime.now() >= deadline || queryLimit == nil || job.protected.contains(i) {
                  return board.stop("Z3 answered unknown on \(name): \(reason)")
                }
                board.noteUnanswered(i)
                broken.append(i)
              }
              if r == .sat { broken.append(i) }
            }
          }
          guard !broken.isEmpty else {
            return board.stop("no candidate is false in the successor Z3 gave for \(name)")
          }
          let cti = try houdiniCTI(s, instance: instance, pre: pre, post: step.post, broken: broken)
          found += 1
          dropped += board.drop(cti)
          if let values = cti.pre {
            let more = board.refute(values)
            found += more.ctis
            dropped += more.dropped
          }
        }
        pending.append(members)
      }
      do { try s.pop() } catch { throw SymbolicError(error) }
      board.addQueries(queries - added)
      added = queries
      board.reportStep(
        action: name, queries: queries - queriesBefore, ctis: found, dropped: dropped, seconds: board.elapsed - begun)
    }
  }
}
