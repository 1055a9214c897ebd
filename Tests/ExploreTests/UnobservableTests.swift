import Spec
import Testing

@testable import Explore

/// A two-line cache over one memory cell: `data[l]` is unobservable while `valid[l]` is false.
///
/// `dropData` is what `drop` leaves in the line's data (the correct model: 0); `dropKeepsValid`
/// makes `drop` leave the line valid (an observable change: later reads hit it); `readPeeks` makes a
/// miss read the invalid line's data too (breaking the declaration: it returns 1 more when the data is 3).
/// `withTick` adds a `phase` that `drop` clears and `tick` sets, and a peeking read then peeks only in
/// phase 1: the variant's difference shows two steps after its drop, never one.
/// `dropKeepsLine` makes `drop` change nothing; `fillNeedsInvalid` guards `fill` by an invalid line (a
/// hardware fill: no output, no failure); `writeInvalidates` makes `write` drop both lines (so a valid line
/// always holds memory); `declareCopy` declares a valid line holding memory as good as an invalid one.
private func cacheModel(
  dropData: Value = 0, dropKeepsValid: Bool = false, readPeeks: Bool = false, declare: Bool = true,
  withTick: Bool = false, dropKeepsLine: Bool = false, fillNeedsInvalid: Bool = false,
  writeInvalidates: Bool = false, declareCopy: Bool = false
) -> Model {
  let line = Domain.index(IndexSort("Line", count: 2))
  let b = ModelBuilder(name: "cache", configuration: Configuration(name: "test", bounds: [:]))
  let memory = b.variable("memory", .range(0, 3), initial: 0)
  let valid = b.map("valid", keys: [line], .bool) { _ in false }
  let data = b.map("data", keys: [line], .range(0, 3)) { _ in 0 }
  let phase = withTick ? b.variable("phase", .range(0, 1), initial: 0) : nil
  b.action("write", by: "env") { a in
    a.fail("at_max", error: "FULL", code: 1, when: memory.value.eq(3))
    a.set(memory, to: memory.value + 1)
    if writeInvalidates {
      for l in 0..<2 {
        a.set(valid, [.literal(Value(l))], to: false)
        a.set(data, [.literal(Value(l))], to: 0)
      }
    }
  }
  b.action("fill", by: "env", parameters: [Parameter("l", line)]) { a in
    let l = a.arg("l")
    if fillNeedsInvalid { a.requires(!valid[l]) }
    a.set(valid, [l], to: true)
    a.set(data, [l], to: memory.value)
  }
  b.action("read", by: "env", parameters: [Parameter("l", line)]) { a in
    let l = a.arg("l")
    var peeks = data[l].eq(3)
    if let phase { peeks = peeks && phase.value.eq(1) }
    let miss: Expr = readPeeks ? memory.value + .ite(peeks, then: 1, else: 0) : memory.value
    a.output("value", .ite(valid[l], then: data[l], else: miss))
  }
  b.action("drop", by: "env", parameters: [Parameter("l", line)]) { a in
    let l = a.arg("l")
    if !dropKeepsLine {
      if !dropKeepsValid { a.set(valid, [l], to: false) }
      a.set(data, [l], to: .literal(dropData))
    }
    if let phase { a.set(phase, to: 0) }
  }
  if let phase {
    b.action("tick", by: "env") { a in a.set(phase, to: 1) }
  }
  if declare {
    b.unobservable(data, while: valid, equals: 0, canonical: 0, reason: "a read of an invalid line returns memory")
  }
  if declareCopy {
    b.unobservableCopy(
      data, of: memory, while: valid, equals: 1, readsAs: 0, canonical: 0,
      reason: "a valid line holding memory reads as memory")
  }
  return b.build()
}

@Suite("Unobservable cells: equivalence modulo the model's projection")
struct UnobservableTests {
  @Test("A variant differing only in a declared-unobservable cell is equivalent; without the declaration it is not")
  func unobservableDifference() throws {
    let reference = try CompiledModel(cacheModel())
    let variant = try CompiledModel(cacheModel(dropData: 3))
    let comparison = try compareBehaviour(reference, variant)
    #expect(comparison.difference == nil)
    #expect(comparison.complete)
    let plain = try compareBehaviour(
      CompiledModel(cacheModel(declare: false)), CompiledModel(cacheModel(dropData: 3, declare: false)))
    let difference = try #require(plain.difference)
    #expect(difference.action == "drop")
  }

  @Test("A variant differing in an observable cell is not equivalent, with the declaration")
  func observableDifference() throws {
    let reference = try CompiledModel(cacheModel())
    let variant = try CompiledModel(cacheModel(dropKeepsValid: true))
    let difference = try #require(try compareBehaviour(reference, variant).difference)
    #expect(difference.action == "drop")
    // Data only, while the line stays valid: a later read returns it.
    let data = try CompiledModel(cacheModel(dropData: 3, dropKeepsValid: true))
    #expect(try compareBehaviour(reference, data).difference != nil)
  }

  @Test("A variant that reads the cells it leaves different differs, at the read from its own state")
  func variantObservesCell() throws {
    let reference = try CompiledModel(cacheModel())
    // On the reference's states (data 0 while invalid) the peeking read agrees; only its own drop's 3 shows.
    #expect(try compareBehaviour(reference, CompiledModel(cacheModel(readPeeks: true))).difference == nil)
    let variant = try CompiledModel(cacheModel(dropData: 3, readPeeks: true))
    let difference = try #require(try compareBehaviour(reference, variant).difference)
    #expect(difference.action == "read")
    #expect(difference.prefix.steps.map(\.action).last == "drop")
    #expect(difference.variant.contains("from its own state"))
  }

  @Test("A difference two steps after the unobservable cells diverge is found (a one-step check would miss it)")
  func variantObservesCellLater() throws {
    let reference = try CompiledModel(cacheModel(withTick: true))
    #expect(try compareBehaviour(reference, CompiledModel(cacheModel(withTick: true))).difference == nil)
    // After drop the phase is 0: no read peeks yet, and tick changes no cell the declaration covers.
    let variant = try CompiledModel(cacheModel(dropData: 3, readPeeks: true, withTick: true))
    let difference = try #require(try compareBehaviour(reference, variant).difference)
    #expect(difference.action == "read")
    #expect(difference.prefix.steps.map(\.action).suffix(2) == ["drop", "tick"])
  }

  @Test("A valid line holding memory is as good as none, declared as a copy; and only while memory stays")
  func redundantCopy() throws {
    func model(keeps: Bool, copy: Bool, invalidates: Bool = true) throws -> CompiledModel {
      try CompiledModel(
        cacheModel(
          dropKeepsLine: keeps, fillNeedsInvalid: true, writeInvalidates: invalidates, declareCopy: copy))
    }
    // drop that keeps the line: the line stays valid holding memory (every write drops the lines).
    let equivalent = try compareBehaviour(model(keeps: false, copy: true), model(keeps: true, copy: true))
    #expect(equivalent.difference == nil)
    #expect(equivalent.complete)
    // Without the declaration the kept line is a difference, at the drop.
    let plain = try #require(
      try compareBehaviour(model(keeps: false, copy: false), model(keeps: true, copy: false)).difference)
    #expect(plain.action == "drop")
    // When a write leaves lines valid, a line can go stale under the declaration: the comparison finds the
    // difference (the shortest is a drop of a line a write left stale: kept valid, it no longer holds memory).
    let stale = try #require(
      try compareBehaviour(
        model(keeps: false, copy: true, invalidates: false), model(keeps: true, copy: true, invalidates: false)
      ).difference)
    #expect(["drop", "write", "read"].contains(stale.action), "\(stale.action)")
  }

  @Test("Exploring with and without the declaration gives the same states and verdicts")
  func explorationUnchanged() throws {
    var options = ExploreOptions(mode: .bfs, workers: 1)
    options.properties = []
    let with = explore(try CompiledModel(cacheModel()), options: options)
    let without = explore(try CompiledModel(cacheModel(declare: false)), options: options)
    #expect(with.distinctStates == without.distinctStates)
    #expect(with.complete && without.complete)
    #expect(with.outcome == without.outcome)
  }

  @Test("State inclusion is up to the declarations: junk under an invalid line is inside, a valid line of it is not")
  func inclusionUpToDeclarations() throws {
    // The variant's drop leaves 3 under the invalid line: a state the reference never reaches raw.
    let reachable = try ReachableStates(try CompiledModel(cacheModel()))
    let inside = try firstStateOutside(try CompiledModel(cacheModel(dropData: 3)), of: reachable)
    #expect(inside.escape == nil)
    #expect(inside.complete && inside.variantStates > 1)
    // Without the declaration the same variant escapes at its drop.
    let raw = try ReachableStates(try CompiledModel(cacheModel(declare: false)))
    let escape = try #require(
      try firstStateOutside(try CompiledModel(cacheModel(dropData: 3, declare: false)), of: raw).escape)
    #expect(escape.steps.last?.action == "drop")
    // A valid line holding 3 over memory 0 is observable: outside with the declaration too.
    let kept = try firstStateOutside(try CompiledModel(cacheModel(dropData: 3, dropKeepsValid: true)), of: reachable)
    #expect(kept.escape?.steps.last?.action == "drop")
  }
}
