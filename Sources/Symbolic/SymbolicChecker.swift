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

  public init(parametricSorts: Set<String> = [], timeout: Double = 300, rlimit: UInt32? = nil) {
    self.parametricSorts = parametricSorts
    self.timeout = timeout
    self.rlimit = rlimit
  }
}

/// A counterexample to induction: a state satisfying the invariant whose successor under one
/// action does not. It is not a violation: the pre-state may be unreachable.
public struct CTI: Sendable, Equatable {
  /// The action and its arguments (rendered; elements of a parametric sort as `Granule#i`).
  public let action: String
  public let arguments: [String]
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
  private var queries = 0
  private var deadline: DispatchTime = .distantFuture
  private var notes: [String] = []

  /// Creates a checker for a model.
  ///
  /// - Throws: ``SymbolicError`` when the model cannot be encoded (for example a parametric sort
  ///   used in arithmetic).
  public init(model: Model, options: SymbolicOptions = SymbolicOptions()) throws {
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

  /// One action with its enumerated (non-parametric) arguments; parametric arguments are fresh
  /// constants.
  struct Instance {
    let action: Int
    /// The enumerated arguments; `nil` for a free one (a parametric sort, or a sampled
    /// parameter under induction).
    let arguments: [Value?]
    let terms: [Z3Expr]
    /// Domain constraints on the free arguments.
    let constraints: [Z3Expr]
  }

  /// Every action with every enumerated argument tuple.
  ///
  /// Parameters of a parametric sort are fresh constants. A *sampled* parameter (a domain too
  /// large to enumerate, such as a 64-bit register) is enumerated over its samples when
  /// `sampled` is true (BMC: every trace it finds is real) and is a fresh constant constrained
  /// to its domain otherwise (induction: a proof must cover every value, not the samples).
  func instances(tag: String, sampled: Bool) throws -> [Instance] {
    var result: [Instance] = []
    for (a, action) in model.actions.enumerated() {
      var tuples: [[Value?]] = [[]]
      for p in action.parameters {
        if encoder.isParametric(p.domain) || (!sampled && p.isSampled) {
          tuples = tuples.map { $0 + [nil] }
        } else {
          tuples = tuples.flatMap { t in p.values.map { t + [$0] } }
        }
      }
      for t in tuples {
        var terms: [Z3Expr] = []
        var constraints: [Z3Expr] = []
        for (i, p) in action.parameters.enumerated() {
          if let v = t[i] {
            terms.append(p.domain == .bool ? try encoder.constant(v != 0) : try encoder.numeral(v))
          } else {
            let term = try encoder.freshValue("\(tag).\(action.name).\(p.name)", p.domain)
            terms.append(term)
            if !encoder.isParametric(p.domain) && p.domain != .bool { constraints.append(try encoder.member(term, p.domain)) }
          }
        }
        result.append(Instance(action: a, arguments: t, terms: terms, constraints: constraints))
      }
    }
    return result
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

  /// Checks the solver within the remaining budget.
  func check(_ s: Z3Solver) throws -> SolverResult {
    let now = DispatchTime.now()
    guard now < deadline else { return .unknown(reason: "time budget exhausted") }
    let remaining = (deadline.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000
    do {
      try s.setTimeout(milliseconds: UInt32(min(remaining, UInt64(UInt32.max))))
      queries += 1
      return try s.check()
    } catch { throw SymbolicError(error) }
  }

  func begin() {
    queries = 0
    notes = []
    let nanos = UInt64(max(options.timeout, 0) * 1e9)
    deadline = DispatchTime.now() + .nanoseconds(Int(min(nanos, UInt64(Int.max))))
  }

  func report(_ outcome: SymbolicOutcome, since start: DispatchTime) -> SymbolicReport {
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return SymbolicReport(outcome: outcome, seconds: seconds, queries: queries, scope: scope, notes: notes)
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
  /// - Complexity: one query per action instance (actions times enumerated argument tuples).
  public func induction(properties: [Int], lemmas: [Int]) -> SymbolicReport {
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
      do {
        for c in try encoder.domainConstraints(pre) { try s.assert(c) }
        for f in preFormulas { try s.assert(f) }
        for axiom in try encoder.distinctness() { try s.assert(axiom) }
      } catch { throw SymbolicError(error) }
      var vacuous: Set<String> = []
      var enabledSomewhere: Set<String> = []
      for instance in instances {
        let step = try encoder.step(instance.action, state: pre, parameters: instance.terms)
        let postFormulas = try formulas(invariant, in: step.post)
        let result: SolverResult
        do {
          try s.push()
          for c in instance.constraints { try s.assert(c) }
          try s.assert(step.enabled)
          try s.assert(try context.not(try context.and(postFormulas)))
          result = try check(s)
        } catch { throw SymbolicError(error) }
        switch result {
        case .unsat:
          do { try s.pop() } catch { throw SymbolicError(error) }
          // Vacuity: is the action enabled in some invariant state at all?
          let name = model.actions[instance.action].name
          if !enabledSomewhere.contains(name) {
            do {
              try s.push()
              for c in instance.constraints { try s.assert(c) }
              try s.assert(step.enabled)
              let r = try check(s)
              try s.pop()
              if r == .sat { enabledSomewhere.insert(name) } else { vacuous.insert(name) }
            } catch { throw SymbolicError(error) }
          }
        case .sat:
          let cti = try extractCTI(s, instance: instance, pre: pre, post: step.post, invariant: invariant)
          return report(.cti(cti), since: start)
        case .unknown(let reason):
          return report(.unknown("Z3 answered unknown on \(model.actions[instance.action].name): \(reason)"), since: start)
        }
      }
      for name in vacuous.subtracting(enabledSomewhere).sorted() {
        notes.append("action \(name) is never enabled in a state satisfying the invariant")
      }
      return report(.proved, since: start)
    } catch {
      return report(.unknown(SymbolicError(error).description), since: start)
    }
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
            property: model.properties[main].name, outcome: "violated"))
      }
      return .unknown(
        "the initial state does not satisfy \(failing.map { model.properties[$0].name }.joined(separator: ", "))")
    }
  }

  func extractCTI(_ s: Z3Solver, instance: Instance, pre: SymbolicState, post: SymbolicState, invariant: [Int]) throws -> CTI {
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
    var arguments: [String] = []
    for (i, p) in action.parameters.enumerated() {
      if let v = instance.arguments[i] {
        arguments.append("\(p.name)=\(p.domain.render(v))")
      } else if encoder.isParametric(p.domain) {
        let index = (try? m.universeIndex(of: instance.terms[i])) ?? 0
        arguments.append("\(p.name)=\(p.domain)#\(index)")
      } else if p.domain == .bool {
        arguments.append("\(p.name)=\(((try? m.boolValue(of: instance.terms[i])) ?? false) ? "true" : "false")")
      } else {
        arguments.append("\(p.name)=\(p.domain.render((try? m.bitVectorValue(of: instance.terms[i])) ?? 0))")
      }
    }
    let bounded = options.parametricSorts.isEmpty
    return CTI(
      action: action.name, arguments: arguments, pre: bounded ? try stateValues(m, pre) : nil,
      post: bounded ? try stateValues(m, post) : nil, failing: failing)
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
