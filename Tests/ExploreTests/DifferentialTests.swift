import Spec
import Testing
import _TestSupport

@testable import Explore

/// A deliberately naive tree-walking evaluator of the IR over logical state values: the
/// reference the compiled closures are checked against.
struct ReferenceEvaluator {
  struct KeyOutOfDomain: Error {}
  struct ValueOutOfDomain: Error {}

  let model: Model
  let layout: StateLayout
  let state: [Value]
  let args: [Value]
  var bound: [Int: Value] = [:]

  init(model: Model, state: [Value], args: [Value]) {
    self.model = model
    self.layout = model.layout
    self.state = state
    self.args = args
  }

  func bool(_ b: Bool) -> Value { b ? 1 : 0 }

  func position(_ id: VariableID, _ keys: [Value]) throws -> Int {
    guard let p = layout.position(of: id, keys: keys) else { throw KeyOutOfDomain() }
    return p
  }

  func eval(_ e: Expr) throws -> Value {
    switch e {
    case .literal(let v): return v
    case .boolean(let b): return bool(b)
    case .parameter(let i): return args[i]
    case .bound(let b): return bound[b.id] ?? 0
    case .read(let id, let keys): return state[try position(id, keys.map(eval))]
    case .unary(.not, let a): return try eval(a) == 0 ? 1 : 0
    case .unary(.bitNot, let a): return ~(try eval(a))
    case .binary(.implies, let a, let b): return try eval(a) == 0 ? 1 : (eval(b) != 0 ? 1 : 0)
    case .binary(let op, let a, let b):
      let x = try eval(a)
      let y = try eval(b)
      switch op {
      case .eq: return bool(x == y)
      case .ne: return bool(x != y)
      case .lt: return bool(x < y)
      case .le: return bool(x <= y)
      case .gt: return bool(x > y)
      case .ge: return bool(x >= y)
      case .add: return x &+ y
      case .sub: return x &- y
      case .mul: return x &* y
      case .div: return y == 0 ? ~0 : x / y
      case .mod: return y == 0 ? x : x % y
      case .bitAnd: return x & y
      case .bitOr: return x | y
      case .bitXor: return x ^ y
      case .shiftLeft: return y >= 64 ? 0 : x << y
      case .shiftRight: return y >= 64 ? 0 : x >> y
      case .implies: fatalError("handled above")
      }
    case .and(let xs):
      for x in xs where try eval(x) == 0 { return 0 }
      return 1
    case .or(let xs):
      for x in xs where try eval(x) != 0 { return 1 }
      return 0
    case .ite(let c, let a, let b): return try eval(c) != 0 ? eval(a) : eval(b)
    case .quantified(let q, let v, let body):
      var inner = self
      for element in v.domain.elements ?? [] {
        inner.bound[v.id] = element
        let holds = try inner.eval(body) != 0
        if q == .forAll && !holds { return 0 }
        if q == .exists && holds { return 1 }
      }
      return q == .forAll ? 1 : 0
    case .local(let v, let value, let body):
      var inner = self
      inner.bound[v.id] = try eval(value)
      return try inner.eval(body)
    }
  }

  /// The successor of a step without failure conditions, or a thrown error.
  func apply(_ action: Action) throws -> [Value] {
    var post = state
    for effect in action.effects {
      switch effect {
      case .assign(let id, let keys, let value, let when):
        guard try eval(when) != 0 else { continue }
        let p = try position(id, keys.map(eval))
        let v = try eval(value)
        guard model[id].value.contains(v) else { throw ValueOutOfDomain() }
        post[p] = v
      case .assignAll(let id, let keys, let condition, let value):
        let variable = model[id]
        for flat in 0..<variable.slotCount {
          let keyValues = layout.keys(of: id, position: layout.offsets[id.index] + flat)
          var inner = self
          for (k, b) in zip(keyValues, keys) { inner.bound[b.id] = k }
          guard try inner.eval(condition) != 0 else { continue }
          let v = try inner.eval(value)
          guard variable.value.contains(v) else { throw ValueOutOfDomain() }
          post[layout.offsets[id.index] + flat] = v
        }
      }
    }
    return post
  }
}

/// Random well-kinded expressions over a fixed schema, every choice from one seeded chooser.
struct ExpressionGenerator {
  var chooser: SeededChooser
  let x: Variable, flag: Variable, m: Variable, f: Variable, w: Variable, g: Variable
  let slot: Domain, sparse: Domain
  var scope: [BoundVariable] = []

  mutating func pick(_ n: Int) -> Int { chooser.choose(below: n) }

  mutating func value(_ depth: Int) -> Expr {
    let leaves = 7
    let choice = depth <= 0 ? pick(leaves) : pick(leaves + 7)
    switch choice {
    case 0:
      let interesting: [Value] = [0, 1, 2, 3, 7, 63, 64, 65, 0x10, 0x7, 0x1000_0000, ~0, 1 << 63]
      return .literal(interesting[pick(interesting.count)])
    case 1: return .parameter(0)
    case 2: return .parameter(1)
    case 3: return x.value
    case 4: return w.value
    case 5:
      if let b = scope.last, pick(2) == 0 { return .bound(b) }
      return .literal(Value(pick(6)))
    case 6: return m[pick(5) == 0 ? value(depth - 1) : value(depth - 1) % 4]
    case 7:
      switch pick(5) {
      case 0: return f[value(depth - 1)]
      case 1, 2: return f[.parameter(1)]
      default: return f[.literal([0x10, 0x1000_0000, 0x7][pick(3)])]
      }
    case 8, 9, 10:
      let ops: [BinaryOperator] = [.add, .sub, .mul, .div, .mod, .bitAnd, .bitOr, .bitXor, .shiftLeft, .shiftRight]
      return .binary(ops[pick(ops.count)], value(depth - 1), value(depth - 1))
    case 11: return .ite(boolean(depth - 1), value(depth - 1), value(depth - 1))
    case 12:
      // A local definition whose body may use it (through the innermost bound variable).
      let defined = value(depth - 1)
      let b = BoundVariable(.word(bits: 64))
      scope.append(b)
      let body = value(depth - 1)
      scope.removeLast()
      return .local(b, value: defined, body: body)
    default:
      if pick(2) == 0 { return ~value(depth - 1) }
      return g[value(depth - 1) % 4, pick(6) == 0 ? value(depth - 1) : value(depth - 1) % 2]
    }
  }

  mutating func boolean(_ depth: Int) -> Expr {
    let choice = depth <= 0 ? pick(3) : pick(10)
    switch choice {
    case 0: return .boolean(pick(2) == 0)
    case 1: return flag.value
    case 2: return .binary([.eq, .ne, .lt, .le][pick(4)], x.value, .literal(Value(pick(10))))
    case 3:
      let ops: [BinaryOperator] = [.eq, .ne, .lt, .le, .gt, .ge]
      return .binary(ops[pick(ops.count)], value(depth - 1), value(depth - 1))
    case 4: return !boolean(depth - 1)
    case 5: return .and((0..<pick(4)).map { _ in boolean(depth - 1) })
    case 6: return .or((0..<pick(4)).map { _ in boolean(depth - 1) })
    case 7: return boolean(depth - 1).implies(boolean(depth - 1))
    case 8: return .ite(boolean(depth - 1), boolean(depth - 1), boolean(depth - 1))
    default:
      let b = BoundVariable(slot)
      scope.append(b)
      let body = boolean(depth - 1)
      scope.removeLast()
      return .quantified(pick(2) == 0 ? .forAll : .exists, b, body)
    }
  }
}

@Suite("Differential: compiled closures vs a reference interpreter")
struct DifferentialTests {
  @Test("Random expressions and effects: the compiled step matches the reference, errors included")
  func randomExpressions() throws {
    let seed: UInt64 = 0xC0FF_EE00
    print("differential fuzz seed: \(seed)")
    let slot = Domain.index(IndexSort("Slot", count: 4))
    let sparse = Domain.finite(FiniteSet("F", [("a", 0x10), ("b", 0x1000_0000), ("c", 0x7)]))
    let gpi = Domain.finite(FiniteSet("G", [("NS", 9), ("ROOT", 10), ("REALM", 11)]))
    var chooser = SeededChooser(seed: seed)
    var agreed = 0
    var errors = 0
    for round in 0..<400 {
      let b = ModelBuilder(name: "fuzz", configuration: Configuration(name: "c", bounds: [:]))
      let x = b.variable("x", .range(3, 9), initial: 3)
      let flag = b.variable("flag", .bool, initial: false)
      let m = b.map("m", keys: [slot], .range(0, 5)) { _ in 0 }
      let f = b.map("f", keys: [sparse], gpi) { _ in 9 }
      let w = b.variable("w", .word(bits: 64), initial: 0)
      let g = b.map("g", keys: [slot, .range(0, 1)], .range(0, 3)) { k in k[1] }
      let out = b.variable("out", .word(bits: 64), initial: 0)
      let outb = b.variable("outb", .bool, initial: false)
      var gen = ExpressionGenerator(
        chooser: SeededChooser(seed: seed, stream: UInt64(round)), x: x, flag: flag, m: m, f: f, w: w, g: g,
        slot: slot, sparse: sparse)
      let valueExpr = gen.value(4)
      let boolExpr = gen.boolean(4)
      let mKey = gen.value(1) % 5
      let mValue = gen.value(2)
      let mWhen = gen.boolean(2)
      let fValue = gen.value(1)
      b.action("eval", by: "fuzz", parameters: [Parameter("p0", .range(0, 7)), Parameter("p1", sparse)]) { a in
        a.set(out, to: valueExpr)
        a.set(outb, to: boolExpr)
        // `+ 0` keeps validation from rejecting an out-of-domain literal: the engine must catch it.
        a.when(mWhen) { a.set(m, [mKey], to: mValue + 0) }
        a.setAll(f, where: { k in k[0].ne(0x7) }) { _ in .ite(fValue.gt(10), then: 11, else: 9) }
        a.set(x, to: .ite(flag.value, then: 4, else: x.value))
        a.set(g, [mKey % 4, .ite(mWhen, then: 1, else: 0)], to: .ite(boolExpr, then: 3, else: 2))
      }
      let model = b.build()
      let compiled = try CompiledModel(model)
      for _ in 0..<8 {
        // A random state with every slot in its domain.
        var values: [Value] = []
        for variable in model.variables {
          for _ in 0..<variable.slotCount {
            if let elements = variable.value.elements {
              values.append(elements[chooser.choose(below: elements.count)])
            } else {
              values.append(UInt64(chooser.choose(below: 1 << 20)) << UInt64(chooser.choose(below: 44)))
            }
          }
        }
        let args: [Value] = [Value(chooser.choose(below: 8)), [0x10, 0x1000_0000, 0x7][chooser.choose(below: 3)]]
        let state = try compiled.state(fromValues: values)
        let reference = Result {
          try ReferenceEvaluator(model: model, state: values, args: args).apply(model.actions[0])
        }
        let actual = Result { try compiled.step(state, action: 0, arguments: args) }
        switch (reference, actual) {
        case (.success(let expected), .success(.succeeded(let next))):
          #expect(compiled.values(of: next) == expected, "round \(round): \(valueExpr) / \(boolExpr)")
          agreed += 1
        case (.failure, .failure(let error)):
          #expect(error is ExploreError, "round \(round)")
          errors += 1
        default:
          Issue.record(
            "round \(round): reference \(reference), compiled \(actual); \(valueExpr) / \(boolExpr) / m[\(mKey)] := \(mValue)"
          )
        }
      }
    }
    print("differential fuzz: \(agreed) successors and \(errors) errors agreed")
    #expect(agreed > 1000)
    #expect(errors > 100)
  }

  @Test("BFS finds exactly the states and enabled steps of a naive search over step()")
  func bfsMatchesNaiveSearch() throws {
    // Two PEs take and release three slots; guards over a prefix of the parameters.
    let peDomain = Domain.range(1, 2)
    let slot = Domain.index(IndexSort("Slot", count: 3))
    let model = buildModel("tokens") { b in
      let owner = b.map("owner", keys: [slot], .range(0, 2)) { _ in 0 }
      let busy = b.map("busy", keys: [.index(IndexSort("PE", count: 3))], .bool) { _ in false }
      b.action("take", by: "pe", parameters: [Parameter("pe", peDomain), Parameter("slot", slot)]) { a in
        let (pe, s) = (a.args[0], a.args[1])
        a.requires(!busy[pe])
        a.requires(owner[s].eq(0))
        a.fail("last", error: "LAST", code: 3, when: s.eq(2) && owner[0].eq(0))
        a.set(owner, [s], to: pe)
        a.set(busy, [pe], to: true)
      }
      b.action("release", by: "pe", parameters: [Parameter("pe", peDomain), Parameter("slot", slot)]) { a in
        let (pe, s) = (a.args[0], a.args[1])
        a.requires(busy[pe] && owner[s].eq(pe))
        a.set(owner, [s], to: 0)
        a.set(busy, [pe], to: false)
      }
      b.action("shuffle", by: "env") { a in
        a.setAll(owner, where: { k in owner[k[0]].eq(0) && k[0].ne(0) }) { _ in 0 }
      }
    }
    let compiled = try CompiledModel(model)
    // Naive BFS with whole states in a Set.
    var seen: Set<State> = [compiled.initialState()]
    var frontier = [compiled.initialState()]
    var enabled = 0
    var depth = 0
    while !frontier.isEmpty {
      var next: [State] = []
      for s in frontier {
        for step in try compiled.successors(of: s) {
          enabled += 1
          if case .succeeded(let n) = step.outcome, seen.insert(n).inserted { next.append(n) }
        }
      }
      if !next.isEmpty { depth += 1 }
      frontier = next
    }
    for workers in [1, 2] {
      let report = explore(compiled, options: ExploreOptions(workers: workers, properties: []))
      #expect(report.distinctStates == seen.count)
      #expect(report.transitions == enabled)
      #expect(report.maxDepthReached == depth)
      #expect(report.complete)
      #expect(report.coverage.actions.map(\.tried).reduce(0, +) == seen.count * compiled.transitionsPerState)
    }
  }
}
