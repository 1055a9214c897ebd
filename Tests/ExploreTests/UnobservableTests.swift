import Spec
import Testing

@testable import Explore

/// A two-line cache over one memory cell: `data[l]` is unobservable while `valid[l]` is false.
///
/// `dropData` is what `drop` leaves in the line's data (the correct model: 0); `dropKeepsValid`
/// makes `drop` leave the line valid (an observable change: later reads hit it); `readPeeks` makes a
/// miss read the invalid line's data too (breaking the declaration: it returns 1 more when the data is 3).
private func cacheModel(
  dropData: Value = 0, dropKeepsValid: Bool = false, readPeeks: Bool = false, declare: Bool = true
) -> Model {
  let line = Domain.index(IndexSort("Line", count: 2))
  let b = ModelBuilder(name: "cache", configuration: Configuration(name: "test", bounds: [:]))
  let memory = b.variable("memory", .range(0, 3), initial: 0)
  let valid = b.map("valid", keys: [line], .bool) { _ in false }
  let data = b.map("data", keys: [line], .range(0, 3)) { _ in 0 }
  b.action("write", by: "env") { a in
    a.fail("at_max", error: "FULL", code: 1, when: memory.value.eq(3))
    a.set(memory, to: memory.value + 1)
  }
  b.action("fill", by: "env", parameters: [Parameter("l", line)]) { a in
    let l = a.arg("l")
    a.set(valid, [l], to: true)
    a.set(data, [l], to: memory.value)
  }
  b.action("read", by: "env", parameters: [Parameter("l", line)]) { a in
    let l = a.arg("l")
    let miss: Expr = readPeeks ? memory.value + .ite(data[l].eq(3), then: 1, else: 0) : memory.value
    a.output("value", .ite(valid[l], then: data[l], else: miss))
  }
  b.action("drop", by: "env", parameters: [Parameter("l", line)]) { a in
    let l = a.arg("l")
    if !dropKeepsValid { a.set(valid, [l], to: false) }
    a.set(data, [l], to: .literal(dropData))
  }
  if declare {
    b.unobservable(data, while: valid, equals: 0, canonical: 0, reason: "a read of an invalid line returns memory")
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

  @Test("A variant that reads the cells it leaves different is caught by the one-step witness")
  func variantObservesCell() throws {
    let reference = try CompiledModel(cacheModel())
    // On the reference's states (data 0 while invalid) the peeking read agrees; only its own drop's 3 shows.
    #expect(try compareBehaviour(reference, CompiledModel(cacheModel(readPeeks: true))).difference == nil)
    let variant = try CompiledModel(cacheModel(dropData: 3, readPeeks: true))
    let difference = try #require(try compareBehaviour(reference, variant).difference)
    #expect(difference.action == "drop")
    #expect(difference.variant.contains("read"))
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
}
