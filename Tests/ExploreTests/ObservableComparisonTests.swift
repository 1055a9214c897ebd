import Spec
import Testing

@testable import Explore

/// One memory cell behind a one-line cache.
///
/// `fill` and `evict` are internal (no failure, no
/// output), `write` and `read` are calls. `fillFills: false` makes the fill change nothing (a cache
/// that never caches); `writeInvalidates: false` makes a write leave a valid line stale; `evicts:
/// false` disables the eviction; `writeWrites: false` makes a write change nothing.
private func lineModel(
  fillFills: Bool = true, writeInvalidates: Bool = true, evicts: Bool = true, writeWrites: Bool = true
) -> Model {
  let b = ModelBuilder(name: "line", configuration: Configuration(name: "test", bounds: [:]))
  let memory = b.variable("memory", .range(0, 2), initial: 0)
  let valid = b.variable("valid", .bool, initial: false)
  let data = b.variable("data", .range(0, 2), initial: 0)
  b.action("fill", by: "env") { a in
    a.requires(!valid.value)
    if fillFills {
      a.set(valid, to: true)
      a.set(data, to: memory.value)
    }
  }
  b.action("evict", by: "env") { a in
    a.requires(valid.value && .boolean(evicts))
    a.set(valid, to: false)
  }
  b.action("write", by: "env") { a in
    a.fail("full", error: "FULL", code: 1, when: memory.value.eq(2))
    if writeWrites { a.set(memory, to: memory.value + 1) }
    if writeInvalidates { a.set(valid, to: false) }
  }
  b.action("read", by: "env") { a in
    a.output("value", .ite(valid.value, then: data.value, else: memory.value))
  }
  return b.build()
}

@Suite("Observable results: calls compared with the internal steps hidden")
struct ObservableComparisonTests {
  @Test("A cache that never fills returns the same results as one that does; the step comparison tells them apart")
  func neverFilling() throws {
    let reference = try CompiledModel(lineModel())
    let variant = try CompiledModel(lineModel(fillFills: false))
    #expect(try compareBehaviour(reference, variant).difference?.action == "fill")
    let observable = try compareObservableResults(reference, variant)
    #expect(observable.difference == nil)
    #expect(observable.complete)
    #expect(observable.hidden == ["fill", "evict"])
    // Every state the reference reaches is the first of some pair (its runs are all followed).
    let states = try ReachableStates(reference).count
    #expect(observable.pairs >= states)
    // Both directions: the reference as the variant too.
    #expect(try compareObservableResults(variant, reference).difference == nil)
    // No eviction at all is hidden the same way.
    #expect(try compareObservableResults(reference, CompiledModel(lineModel(evicts: false))).difference == nil)
  }

  @Test("A stale line a read returns is a difference, after the variant's own fill and the write that leaves it stale")
  func staleLine() throws {
    let reference = try CompiledModel(lineModel())
    let variant = try CompiledModel(lineModel(writeInvalidates: false))
    let difference = try #require(try compareObservableResults(reference, variant).difference)
    #expect(difference.action == "read")
    // Both filled (each could), then the write left the variant's line stale.
    #expect(difference.prefix.steps.map(\.action) == ["fill", "write"])
    // Within two steps the stale read is not reached.
    let bounded = try compareObservableResults(reference, variant, maxDepth: 2)
    #expect(bounded.difference == nil)
    #expect(bounded.complete)
    #expect(bounded.maxDepth == 2)
    // A model agrees with itself (both take each internal step together).
    #expect(try compareObservableResults(variant, variant).difference == nil)
  }

  @Test("A call's lost effect differs at the first call that shows it; the state cap leaves the comparison incomplete")
  func lostWrite() throws {
    let reference = try CompiledModel(lineModel())
    let difference = try #require(
      try compareObservableResults(reference, CompiledModel(lineModel(writeWrites: false))).difference)
    #expect(difference.action == "read")
    #expect(difference.prefix.steps.map(\.action) == ["write"])
    let capped = try compareObservableResults(reference, CompiledModel(lineModel(fillFills: false)), maxStates: 2)
    #expect(!capped.complete)
  }
}
