import Spec
import Testing
import _TestSupport

@testable import Explore

/// PEs take and release one lock; `last` records the PE that took it last (a stored value of
/// the symmetric sort, so a renaming relabels it as well as the map's keys).
private func lockModel(pes: Int, asymmetric: Bool = false) -> Model {
  let pe = Domain.index(IndexSort("PE", count: pes))
  return buildModel("pe-lock") { b in
    let holds = b.map("holds", keys: [pe], .bool) { _ in .boolean(false) }
    let last = b.variable("last", pe, initial: 0)
    b.action("acquire", by: "pe", parameters: [Parameter("p", pe)]) { a in
      let p = a.arg("p")
      a.fail("busy", error: "BUSY", code: 1, when: .exists(pe) { holds[$0] })
      a.set(holds, [p], to: .boolean(true))
      a.set(last, to: p)
    }
    b.action("release", by: "pe", parameters: [Parameter("p", pe)]) { a in
      let p = a.arg("p")
      a.fail("not_held", error: "NOT_HELD", code: 2, when: !holds[p])
      a.set(holds, [p], to: .boolean(false))
    }
    b.invariant("holder-is-last", .forAll(pe) { holds[$0].implies(last.value.eq($0)) })
    if asymmetric {
      // Names PE 0: not invariant under renaming.
      b.invariant("pe0-never-holds", !holds[.literal(0)])
    }
  }
}

@Suite("Symmetry reduction")
struct SymmetryTests {
  func bfs(_ model: Model, symmetric: [String] = [], workers: Int = 1, properties: [Int]? = []) throws -> ExploreReport
  {
    var options = ExploreOptions(workers: workers, properties: properties)
    options.symmetricSorts = symmetric
    return explore(try CompiledModel(model), options: options)
  }

  /// The number of orbits among the states a plain search reaches, by brute force.
  func orbits(_ model: Model, _ sorts: [String]) throws -> Int {
    let compiled = try CompiledModel(model)
    let symmetry = try Symmetry(model: model, layout: compiled.layout, sorts: sorts)
    let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: compiled.wordsPerState)
    defer { scratch.deallocate() }
    var seen: Set<State> = [compiled.initialState()]
    var queue = [compiled.initialState()]
    var i = 0
    while i < queue.count {
      for (_, _, outcome) in try compiled.successors(of: queue[i]) {
        let next = outcome.successor(of: queue[i])
        if seen.insert(next).inserted { queue.append(next) }
      }
      i += 1
    }
    return Set(
      seen.map { s in s.words.withUnsafeBufferPointer { symmetry.canonicalFingerprint($0.start, scratch: scratch) } }
    )
    .count
  }

  @Test("Counters: one state per multiset of values, the same shortest violation, any worker count")
  func counters() throws {
    let model = countersModel(count: 4, maximum: 3)
    let plain = try bfs(model)
    let reduced = try bfs(model, symmetric: ["Slot"])
    let two = try bfs(model, symmetric: ["Slot"], workers: 2)
    #expect(plain.distinctStates == 256)
    // Multisets of 4 values in 0...3: C(7, 3).
    #expect(reduced.distinctStates == 35)
    #expect(try orbits(model, ["Slot"]) == 35)
    #expect(reduced.complete && reduced.maxDepthReached == plain.maxDepthReached)
    #expect(two.distinctStates == 35 && two.transitions == reduced.transitions)
    // The violation of not-all-max: the same length, and the trace replays in the original model.
    let v1 = try bfs(model, properties: nil)
    let v2 = try bfs(model, symmetric: ["Slot"], properties: nil)
    let trace = try #require(v2.trace)
    #expect(trace.steps.count == v1.trace?.steps.count)
    #expect(trace.steps.count == 12)
    let compiled = try CompiledModel(model)
    let last = try compiled.state(fromValues: trace.states[trace.states.count - 1])
    #expect(try !compiled.holds(0, in: last))
    #expect(try compiled.symmetryViolation(sorts: ["Slot"], maxStates: 60) == nil)
  }

  @Test("A stored value of the sort is renamed with the keys")
  func renamesValues() throws {
    let model = lockModel(pes: 3)
    let plain = try bfs(model)
    let reduced = try bfs(model, symmetric: ["PE"])
    // Free with last = 0, 1, 2, and held by p with last = p; two orbits.
    #expect(plain.distinctStates == 6)
    #expect(reduced.distinctStates == 2)
    #expect(try orbits(model, ["PE"]) == 2)
    #expect(try CompiledModel(model).symmetryViolation(sorts: ["PE"], maxStates: 100) == nil)
    #expect(try bfs(model, symmetric: ["PE"], properties: nil).outcome == .noViolation)
  }

  @Test("The check finds a property that names one element")
  func asymmetricProperty() throws {
    let compiled = try CompiledModel(lockModel(pes: 2, asymmetric: true))
    let found = try compiled.symmetryViolation(sorts: ["PE"], properties: nil, maxStates: 100)
    #expect(found?.contains("pe0-never-holds") == true)
  }

  @Test("Unknown and arithmetic sorts are refused with a clear message")
  func refusals() throws {
    let unknown = try bfs(countersModel(count: 2, maximum: 1), symmetric: ["Granule"])
    #expect(
      unknown.outcome
        == .modelError("invalid state: symmetric sort Granule: the model has no index sort of that name (it has Slot)"))
    let page = Domain.index(IndexSort("Page", count: 2, arithmetic: true))
    let model = buildModel { b in
      let m = b.map("m", keys: [page], .bool) { _ in .boolean(false) }
      b.action("set", by: "env", parameters: [Parameter("p", page)]) { a in a.set(m, [a.arg("p")], to: .boolean(true)) }
    }
    let arithmetic = try bfs(model, symmetric: ["Page"])
    #expect(
      arithmetic.outcome
        == .modelError(
          "invalid state: symmetric sort Page: the sort is arithmetic, so its elements are not interchangeable"))
  }
}
