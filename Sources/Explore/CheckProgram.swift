import Spec

/// How the exhaustive search runs one action without evaluating what cannot succeed.
///
/// An action's step is a sequence of *checks*: the guard's top-level conjuncts (the step is
/// disabled at the first that is false), then the failure conditions in the spec's order (the
/// first that holds is the step's failure), then the effects. A check that reads no state is
/// decided by the argument tuple alone, so it is evaluated once per tuple when the model is
/// compiled:
///
/// - a tuple whose first deciding check reads no state (a misaligned address, an address outside
///   the memory map, ...) has the same outcome in every state. It is never evaluated: the search
///   adds the precomputed outcomes of all such tuples to the coverage of each expanded state, so
///   `transitions` and the coverage report keep their meaning;
/// - for every other tuple, the checks that read no state and pass are dropped from its *path*,
///   the state-reading checks it runs in order before its first state-free deciding check (or
///   before its effects).
///
/// A state-reading check depends on the state and on the parameters it reads only (its
/// *projection* of the tuple), so its verdict is cached per state and projection: `rd_state` of
/// `RMI_DATA_CREATE` is evaluated once per `rd` and state, not once per argument tuple; when it
/// fails, every tuple with that `rd` is decided by a table read (the whole block is skipped).
///
/// Semantics are exactly those of the fused step body (``CompiledAction/body``): the checks are
/// the same compiled closures, met in the same order, and a check is evaluated for the first
/// time on the first tuple (in canonical order) whose path reaches it, so a model error is raised
/// on the same tuple of the same state. Actions whose failure conditions carry effects (mutants)
/// and actions with too many tuples to store keep the fused body.
final class CheckProgram: @unchecked Sendable {
  /// The outcome code of a path that passes every check: run the effects.
  static let runEffects = CompiledModel.succeededCode

  /// The state-reading checks, by check number, unretained (``checks`` owns them), so the hot
  /// loop calls them without reference counting.
  let evals: UnsafeMutablePointer<Unmanaged<CheckFunction>>
  let checks: [CheckFunction]
  let checkCount: Int
  /// Per check: whether it decides when its value is 0 (a guard conjunct) rather than when it
  /// is not 0 (a failure condition).
  let decidesOnZero: UnsafeMutablePointer<Bool>
  /// Per check: the outcome when it decides (``CompiledModel/disabledCode`` or the failure's
  /// index).
  let decided: UnsafeMutablePointer<Int>
  /// The tuples that must be evaluated, in canonical order.
  let liveTuples: UnsafeMutablePointer<Int>
  let liveCount: Int
  /// Per live tuple: the outcome when every check of its path passes (``runEffects``,
  /// ``CompiledModel/disabledCode`` or a failure's index).
  let terminal: UnsafeMutablePointer<Int>
  /// Per live tuple `l`: its path is entries `pathStart[l] ..< pathStart[l + 1]`.
  let pathStart: UnsafeMutablePointer<Int>
  /// Per path entry: the check, and the cache slot of that check for the tuple's projection.
  let pathCheck: UnsafeMutablePointer<Int>
  let pathSlot: UnsafeMutablePointer<Int>
  /// Per path entry: the index of its inline test in ``atoms``, or -1 (call the check).
  let pathAtom: UnsafeMutablePointer<Int>
  let atoms: UnsafeMutablePointer<CheckAtom>
  /// Cache slots the action needs (the sum over its checks of their projections' sizes).
  let cacheSize: Int
  /// Outcomes of the tuples decided by their arguments alone, added once per expanded state.
  let staticTried: Int
  let staticDisabled: Int
  /// Per failure condition, how many tuples it decides by the arguments alone.
  let staticFailed: [Int]
  /// Copies the pre-state and applies the effects (for a path that passed every check).
  let effectsBody: StepBody

  /// Builds the program of an action, or returns `nil` when the fused body must be used
  /// (failure effects, tuples not stored).
  ///
  /// - Parameters:
  ///   - checks: the guard's conjuncts then the failure conditions, in order, each with its
  ///     expression, compiled closure and outcome when it decides.
  ///   - scratch: buffers to evaluate state-free checks in (the state is never read).
  init?(
    action: CompiledAction, checks: [(expr: Expr, eval: EvalBox, outcome: Int)], effectsBody: @escaping StepBody,
    failureCount: Int, scratch: Scratch, atomTemplates: [AtomTemplate?] = [], layout: PackedLayout? = nil
  ) {
    guard !action.hasFailureEffects, !action.argumentTuples.isEmpty || action.argumentCount == 0 else { return nil }
    let count = action.argumentCount
    guard count > 0 else { return nil }
    self.effectsBody = effectsBody
    // Classify the checks.
    var stateFree: [Bool] = []
    var parameters: [[Int]] = []
    for check in checks {
      var reads = false
      var read = Set<Int>()
      check.expr.forEachNode {
        switch $0 {
        case .read: reads = true
        case .parameter(let p): read.insert(p)
        default: break
        }
      }
      stateFree.append(!reads)
      parameters.append(read.sorted())
    }
    // Number the state-reading checks and lay out their caches.
    var checkIndex = [Int](repeating: -1, count: checks.count)
    var checkEvals: [EvalBox] = []
    var checkOnZero: [Bool] = []
    var checkOutcome: [Int] = []
    var cacheBase: [Int] = []
    var cacheRadices: [[(parameter: Int, size: Int)]] = []
    var size = 0
    for (i, check) in checks.enumerated() where !stateFree[i] {
      checkIndex[i] = checkEvals.count
      checkEvals.append(check.eval)
      checkOnZero.append(check.outcome == CompiledModel.disabledCode)
      checkOutcome.append(check.outcome)
      cacheBase.append(size)
      let radices = parameters[i].map { (parameter: $0, size: action.radices[$0].count) }
      cacheRadices.append(radices)
      size += radices.reduce(1) { $0 * $1.size }
    }
    // Walk every tuple's checks.
    var live: [Int] = []
    var terminals: [Int] = []
    var starts: [Int] = [0]
    var pathChecks: [Int] = []
    var pathSlots: [Int] = []
    var pathAtoms: [Int] = []
    var atomList: [CheckAtom] = []
    /// The inline test of check `i` on the tuple at `args`, when it has a template and every
    /// key is in its domain.
    func atom(_ i: Int, _ args: UnsafePointer<UInt64>, _ outcome: Int) -> CheckAtom? {
      guard let layout, i < atomTemplates.count, let template = atomTemplates[i] else { return nil }
      let context = EvalContext(state: UnsafePointer(scratch.post), args: args, bound: scratch.bound)
      var position = layout.logical.offsets[template.variable]
      for (j, key) in template.keys.enumerated() {
        guard let k = try? key.eval(context) else { return nil }
        let o = template.ordinals[j].ordinal(k)
        guard o >= 0 else { return nil }
        position += o * template.strides[j]
      }
      let location = layout.locations[position]
      // A guard conjunct decides when its value is 0, a failure condition when it is not.
      let decidesWhenTrue = outcome != CompiledModel.disabledCode
      return CheckAtom(
        word: Int(location >> 6), shift: UInt64(location & 63), mask: layout.masks[template.variable],
        bits: template.constant, decidesIfEqual: template.equal == decidesWhenTrue)
    }
    var disabled = 0
    var failed = [Int](repeating: 0, count: failureCount)
    let stride = action.stride
    action.argumentTuples.withUnsafeBufferPointer { tuples in
      guard let first = tuples.baseAddress else { return }
      for t in 0..<count {
        let args = first + t * stride
        let context = EvalContext(state: UnsafePointer(scratch.post), args: args, bound: scratch.bound)
        var path: [(check: Int, slot: Int)] = []
        var outcome = Self.runEffects
        for (i, check) in checks.enumerated() {
          if stateFree[i] {
            // No state read: nothing here can throw; an error would mean an unvalidated model,
            // and then the check is left to run in every state.
            guard let v = try? check.eval.eval(context) else {
              path.append((i, -1))
              continue
            }
            let decides = check.outcome == CompiledModel.disabledCode ? v == 0 : v != 0
            if decides {
              outcome = check.outcome
              break
            }
          } else {
            var slot = 0
            for (p, size) in cacheRadices[checkIndex[i]] {
              slot = slot * size + (t / action.blockSizes[p + 1]) % size
            }
            path.append((i, cacheBase[checkIndex[i]] + slot))
          }
        }
        if path.isEmpty && outcome != Self.runEffects {
          if outcome == CompiledModel.disabledCode { disabled += 1 } else { failed[outcome] += 1 }
          continue
        }
        live.append(t)
        terminals.append(outcome)
        for (i, slot) in path {
          if slot < 0 {
            // A state-free check that could not be evaluated ahead: evaluate it every time,
            // in a slot of its own per tuple.
            if checkIndex[i] < 0 {
              checkIndex[i] = checkEvals.count
              checkEvals.append(checks[i].eval)
              checkOnZero.append(checks[i].outcome == CompiledModel.disabledCode)
              checkOutcome.append(checks[i].outcome)
              cacheBase.append(size)
              cacheRadices.append([])
              size += count
            }
            pathChecks.append(checkIndex[i])
            pathSlots.append(cacheBase[checkIndex[i]] + t)
          } else {
            pathChecks.append(checkIndex[i])
            pathSlots.append(slot)
          }
          if slot >= 0, let a = atom(i, first + t * stride, checks[i].outcome) {
            pathAtoms.append(atomList.count)
            atomList.append(a)
          } else {
            pathAtoms.append(-1)
          }
        }
        starts.append(pathChecks.count)
      }
    }
    func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
      let p = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
      p.initialize(from: array, count: array.count)
      return p
    }
    checkCount = checkEvals.count
    self.checks = checkEvals.map { CheckFunction($0.eval) }
    evals = copy(self.checks.map { Unmanaged.passUnretained($0) })
    decidesOnZero = copy(checkOnZero)
    decided = copy(checkOutcome)
    liveTuples = copy(live)
    liveCount = live.count
    terminal = copy(terminals)
    pathStart = copy(starts)
    pathCheck = copy(pathChecks)
    pathSlot = copy(pathSlots)
    pathAtom = copy(pathAtoms)
    atoms = copy(atomList)
    cacheSize = size
    staticDisabled = disabled
    staticFailed = failed
    staticTried = count - live.count
  }

  deinit {
    evals.deallocate()
    decidesOnZero.deallocate()
    decided.deallocate()
    liveTuples.deallocate()
    terminal.deallocate()
    pathStart.deallocate()
    pathCheck.deallocate()
    pathSlot.deallocate()
    pathAtom.deallocate()
    atoms.deallocate()
  }

  /// The guard's top-level conjuncts, in order (none for a constantly true guard).
  static func conjuncts(of guardCondition: Expr) -> [Expr] {
    switch guardCondition {
    case .and(let xs): return xs
    case .boolean(true): return []
    default: return [guardCondition]
    }
  }
}

/// A check that compares one state slot with a constant, where the slot's keys read only
/// parameters (``CompiledModel/atomTemplate(_:compiler:)``): on a given tuple it is a fixed bit
/// field, so the search tests it inline (``CheckAtom``) instead of calling its closure.
struct AtomTemplate {
  let variable: Int
  /// The key expressions, compiled; they read only the arguments.
  let keys: [EvalBox]
  let ordinals: [KeyOrdinal]
  let strides: [Int]
  /// The check's value is `slot == constant` (`equal`) or `slot != constant`.
  let constant: Value
  let equal: Bool
}

/// A check on one tuple as a bit-field test: it decides when `(state[word] >> shift) & mask`
/// equals `bits` exactly when `decidesIfEqual`.
struct CheckAtom {
  let word: Int
  let shift: UInt64
  let mask: UInt64
  let bits: UInt64
  let decidesIfEqual: Bool
}

/// One compiled check in an object of its own, so the hot loop can call it through an
/// unretained reference.
final class CheckFunction: Sendable {
  let eval: Eval
  init(_ eval: @escaping Eval) { self.eval = eval }
}

/// Verdicts of state-reading checks for the state being expanded, stamped with a generation so
/// starting a new (state, action) pair costs nothing.
final class CheckCache {
  /// `entry >> 1 == generation` when valid; bit 0 says the check decides.
  let entries: UnsafeMutablePointer<UInt32>
  let capacity: Int
  private(set) var generation: UInt32 = 0

  init(capacity: Int) {
    self.capacity = max(capacity, 1)
    entries = .allocate(capacity: self.capacity)
    entries.initialize(repeating: 0, count: self.capacity)
  }

  deinit { entries.deallocate() }

  /// Invalidates every entry.
  @inline(__always)
  func next() -> UInt32 {
    if generation == (UInt32.max >> 1) {
      entries.update(repeating: 0, count: capacity)
      generation = 0
    }
    generation &+= 1
    return generation
  }
}
