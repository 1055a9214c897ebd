import Spec
import Testing
import _TestSupport

@testable import Explore

/// The check programs (``CheckProgram``) skip what the arguments decide and cache verdicts per
/// state; these tests compare BFS with them against BFS running the fused step body on every
/// tuple: the same states, transitions, coverage, depth and traces.
@Suite struct CheckProgramTests {
  /// A model shaped like an RMI command: address arguments with misaligned and out-of-range
  /// values (failures decided by the arguments), state checks over different subsets of the
  /// arguments in an order that is not the parameters' order, a state-dependent guard
  /// conjunct after an argument-only one, and a failure condition after the state checks that
  /// reads no state.
  static func commandModel(buggy: Bool = false) -> Model {
    buildModel("commands") { b in
      let addresses: [Value] = [0, 1, 4, 8, 12, 16]  // 1 misaligned, 16 beyond the map
      let slot = Domain.range(0, 3)
      let owner = b.map("owner", keys: [slot], .range(0, 2)) { _ in 0 }
      let count = b.variable("count", .range(0, 3), initial: 0)
      let busy = b.variable("busy", .bool, initial: false)
      let set = FiniteSet("Address", addresses.map { ("a\($0)", $0) })
      let a0 = Parameter("dst", .finite(set))
      let a1 = Parameter("src", .finite(set))
      let who = Parameter("who", .range(1, 2))
      b.action("CLAIM", by: "env", parameters: [a0, who]) { a in
        let dst = a.arg("dst")
        a.fail("dst_align", error: "INPUT", code: 1, when: (dst & 3).ne(0))
        a.fail("dst_bound", error: "INPUT", code: 1, when: dst.ge(16))
        a.fail("dst_state", error: "STATE", code: 2, when: owner[dst >> 2].ne(0))
        a.fail("full", error: "FULL", code: 3, when: count.value.eq(3))
        a.set(owner, [dst >> 2], to: a.arg("who"))
        a.set(count, to: count.value + 1)
      }
      b.action("COPY", by: "env", parameters: [a0, a1, who]) { a in
        let (dst, src, who) = (a.arg("dst"), a.arg("src"), a.arg("who"))
        a.requires(who.eq(1) && !busy.value)
        a.fail("src_align", error: "INPUT", code: 1, when: (src & 3).ne(0))
        a.fail("src_bound", error: "INPUT", code: 1, when: src.ge(16))
        a.fail("src_state", error: "STATE", code: 2, when: owner[src >> 2].ne(who))
        a.fail("dst_align", error: "INPUT", code: 1, when: (dst & 3).ne(0))
        a.fail("dst_bound", error: "INPUT", code: 1, when: dst.ge(16))
        a.fail("dst_state", error: "STATE", code: 2, when: owner[dst >> 2].eq(0))
        a.fail("same", error: "INPUT", code: 1, when: dst.eq(src))
        a.set(owner, [dst >> 2], to: owner[src >> 2])
      }
      b.action("RELEASE", by: "env", parameters: [a0]) { a in
        let dst = a.arg("dst")
        // The guard reads `owner` before the bound check: address 16 reads it out of its
        // domain, but only when `busy` is set (a model error in some states, none in others).
        a.requires(busy.value.implies(owner[dst >> 2].ne(0)))
        a.fail("dst_bound", error: "INPUT", code: 1, when: dst.ge(16))
        a.fail("free", error: "STATE", code: 2, when: owner[dst >> 2].eq(0))
        a.set(owner, [dst >> 2], to: 0)
        a.set(count, to: .ite(count.value.gt(0), then: count.value - 1, else: 0))
      }
      b.action("LOCK", by: "env") { a in
        a.fail("locked", error: "BUSY", code: 4, when: busy.value)
        a.set(busy, to: .boolean(buggy))
      }
      b.invariant("owned-counted", count.value.ge(.literal(0)))
      b.invariant("not-two-twos", !(owner[.literal(0)].eq(2) && owner[.literal(1)].eq(2) && owner[.literal(2)].eq(2)))
    }
  }

  func both(_ model: Model, workers: Int, properties: [Int]? = nil) throws -> (ExploreReport, ExploreReport) {
    let compiled = try CompiledModel(model)
    var options = ExploreOptions(mode: .bfs, workers: workers)
    options.properties = properties
    let checked = try compiled.checkedProperties(properties)
    let programs = BreadthFirstSearch(compiled: compiled, options: options, properties: checked).run()
    let bodies = BreadthFirstSearch(compiled: compiled, options: options, properties: checked, usePrograms: false)
      .run()
    return (programs, bodies)
  }

  @Test(arguments: [1, 2])
  func sameSearchAsTheFusedBodies(workers: Int) throws {
    let (programs, bodies) = try both(Self.commandModel(), workers: workers, properties: [])
    #expect(programs.complete && bodies.complete)
    #expect(programs.distinctStates == bodies.distinctStates)
    #expect(programs.transitions == bodies.transitions)
    #expect(programs.maxDepthReached == bodies.maxDepthReached)
    #expect(programs.coverage == bodies.coverage)
    #expect(programs.outcome == bodies.outcome)
    // The argument-decided tuples and cached verdicts are really skipped.
    #expect(programs.evaluatedSteps < bodies.evaluatedSteps)
    print(
      "commands: \(programs.distinctStates) states, evaluated \(programs.evaluatedSteps) vs \(bodies.evaluatedSteps)")
  }

  @Test func sameShortestViolation() throws {
    let (programs, bodies) = try both(Self.commandModel(), workers: 1)
    guard case .violation(let p, let trace) = programs.outcome else {
      Issue.record("expected a violation, got \(programs.outcome)")
      return
    }
    #expect(bodies.outcome == .violation(property: p, trace: trace))
    #expect(programs.distinctStates == bodies.distinctStates)
  }

  /// `RELEASE` reads `owner` with a misaligned address once `busy` is set: the same model
  /// error, on the same state, with the same trace.
  @Test func sameModelError() throws {
    let (programs, bodies) = try both(Self.commandModel(buggy: true), workers: 1, properties: [])
    guard case .modelError(let message) = programs.outcome else {
      Issue.record("expected a model error, got \(programs.outcome)")
      return
    }
    #expect(bodies.outcome == .modelError(message))
    #expect(programs.errorTrace == bodies.errorTrace)
    #expect(programs.errorTrace != nil)
  }

  /// A failure condition with effects (a mutant's shape) keeps the fused body: same results.
  @Test func failureEffectsKeepTheFusedBody() throws {
    let model = errorPathModel(buggy: true)
    let compiled = try CompiledModel(model)
    #expect(compiled.programs[0] == nil)
    let (programs, bodies) = try both(model, workers: 1, properties: [])
    #expect(programs.distinctStates == bodies.distinctStates)
    #expect(programs.coverage == bodies.coverage)
  }

  /// What the programs decide ahead: `CLAIM` with a misaligned or out-of-range `dst` fails
  /// whatever the state; `COPY` with `who` = 2 is disabled by the guard's first conjunct, but its
  /// misaligned `src` is not decided ahead, because the guard's state conjunct comes first.
  @Test func argumentDecidedTuples() throws {
    let compiled = try CompiledModel(Self.commandModel())
    let names = compiled.model.actions.map(\.name)
    let claimIndex = try #require(names.firstIndex(of: "CLAIM"))
    let claim = try #require(compiled.programs[claimIndex])
    // 6 dst × 2 who: dst 1 fails dst_align, dst 16 dst_bound, in every state.
    #expect(claim.staticDisabled == 0)
    #expect(claim.staticFailed == [2, 2, 0, 0])
    #expect(claim.staticTried == 4)
    #expect(claim.liveCount == 8)
    let copyIndex = try #require(names.firstIndex(of: "COPY"))
    let copy = try #require(compiled.programs[copyIndex])
    // 6 dst × 6 src × 2 who: who = 2 (36 tuples) is disabled whatever the state.
    #expect(copy.staticDisabled == 36)
    #expect(copy.staticFailed == [0, 0, 0, 0, 0, 0, 0])
    #expect(copy.liveCount == 36)
  }
}

/// Random guards and failure conditions (the differential test's generator, over two
/// parameters): BFS through the check programs and BFS through the fused bodies agree on
/// states, transitions, coverage, depth and outcome (violations and model errors included).
@Suite struct CheckProgramFuzzTests {
  @Test func randomConditions() throws {
    let seed: UInt64 = 0x16_E4_0001
    print("check program fuzz seed: \(seed)")
    let slot = Domain.index(IndexSort("Slot", count: 4))
    let sparse = Domain.finite(FiniteSet("F", [("a", 0x10), ("b", 0x1000_0000), ("c", 0x7)]))
    let gpi = Domain.finite(FiniteSet("G", [("NS", 9), ("ROOT", 10), ("REALM", 11)]))
    var completed = 0
    var errors = 0
    var skipped = 0
    for round in 0..<300 {
      let b = ModelBuilder(name: "fuzz", configuration: Configuration(name: "c", bounds: [:]))
      let x = b.variable("x", .range(3, 9), initial: 3)
      let flag = b.variable("flag", .bool, initial: false)
      let m = b.map("m", keys: [slot], .range(0, 5)) { _ in 0 }
      let f = b.map("f", keys: [sparse], gpi) { _ in 9 }
      let w = b.variable("w", .range(0, 3), initial: 0)
      let g = b.map("g", keys: [slot, .range(0, 1)], .range(0, 3)) { k in k[1] }
      var gen = ExpressionGenerator(
        chooser: SeededChooser(seed: seed, stream: UInt64(round)), x: x, flag: flag, m: m, f: f, w: w, g: g,
        slot: slot, sparse: sparse)
      let guards = (0..<gen.pick(3)).map { _ in gen.boolean(2) }
      let failures = (0..<(1 + gen.pick(4))).map { _ in gen.boolean(2) }
      let mKey = gen.value(1) % 4
      let mValue = gen.value(1) % 6
      b.action("act", by: "fuzz", parameters: [Parameter("p0", .range(0, 7)), Parameter("p1", sparse)]) { a in
        for condition in guards { a.requires(condition) }
        for (i, condition) in failures.enumerated() {
          a.fail("f\(i)", error: "E\(i)", code: Value(i + 1), when: condition)
        }
        a.set(m, [mKey], to: mValue)
        a.set(x, to: .ite(x.value.lt(9), then: x.value + 1, else: 3))
        a.set(flag, to: !flag.value)
      }
      b.action("bump", by: "fuzz", parameters: [Parameter("p0", .range(0, 7))]) { a in
        a.fail("odd", error: "ODD", code: 9, when: (a.args[0] & 1).eq(1))
        a.fail("big", error: "BIG", code: 9, when: a.args[0].ge(.literal(Value(4))) && m[a.args[0] & 3].eq(0))
        a.set(m, [a.args[0] & 3], to: .ite(m[a.args[0] & 3].lt(5), then: m[a.args[0] & 3] + 1, else: 0))
      }
      b.invariant("m0-small", m[.literal(0)].lt(5))
      let model = b.build()
      let compiled: CompiledModel
      do {
        compiled = try CompiledModel(model)
      } catch {
        skipped += 1  // an initial value or literal the validator refuses
        continue
      }
      let checked = try compiled.checkedProperties(nil)
      let options = ExploreOptions(mode: .bfs, maxStates: 3000, workers: 1 + round % 2)
      let programs = BreadthFirstSearch(compiled: compiled, options: options, properties: checked).run()
      let bodies = BreadthFirstSearch(compiled: compiled, options: options, properties: checked, usePrograms: false)
        .run()
      #expect(programs.outcome == bodies.outcome, "round \(round)")
      #expect(programs.errorTrace == bodies.errorTrace, "round \(round)")
      #expect(programs.distinctStates == bodies.distinctStates, "round \(round)")
      #expect(programs.transitions == bodies.transitions, "round \(round)")
      #expect(programs.coverage == bodies.coverage, "round \(round)")
      #expect(programs.maxDepthReached == bodies.maxDepthReached, "round \(round)")
      if case .modelError = programs.outcome { errors += 1 } else { completed += 1 }
    }
    print("check program fuzz: \(completed) searches and \(errors) model errors agreed, \(skipped) models refused")
    #expect(completed > 200)
    #expect(errors > 10)
  }
}
