import Spec

// Small models whose reachable states and shortest counterexamples are known by hand, for
// engine tests in every test target.

/// Hand-computed facts about ``dieHardModel()``.
public enum DieHard {
  /// Reachable states: every (small, big) with at least one jug empty or full: 2 × 6 + 2 × 2.
  public static let reachableStates = 16
  /// The shortest way to 4 gallons in the big jug: fill big, pour into small, empty small,
  /// pour into small, fill big, pour into small.
  public static let shortestViolation = 6
  /// The depth of the farthest reachable state from the initial state (0, 0).
  public static let diameter = 7
}

/// The Die Hard water-jug puzzle (TLA+'s classic): a 3-gallon and a 5-gallon jug.
///
/// Variables `small` (0...3) and `big` (0...5), both 0 initially. Every action has failure
/// conditions in the style of an RMM command: `fillSmall` fails with `FULL` (1) when the small
/// jug is full; `emptyBig` fails with `EMPTY` (2) when the big jug is empty; the pours check
/// the source is not empty (`EMPTY`, 2) before the target is not full (`FULL`, 1).
///
/// Properties: invariant `big-not-4` (violated after ``DieHard/shortestViolation`` steps) and
/// lemma `small-not-2` (violated after 4 steps; engines skip lemmas by default).
public func dieHardModel() -> Model {
  let b = ModelBuilder(name: "die-hard", configuration: Configuration(name: "standard", bounds: [:]))
  let small = b.variable("small", .range(0, 3), doc: "gallons in the 3-gallon jug", initial: 0)
  let big = b.variable("big", .range(0, 5), doc: "gallons in the 5-gallon jug", initial: 0)
  b.action("fillSmall", by: "env") { a in
    a.fail("small_full", error: "FULL", code: 1, when: small.value.eq(3))
    a.set(small, to: 3)
  }
  b.action("fillBig", by: "env") { a in
    a.fail("big_full", error: "FULL", code: 1, when: big.value.eq(5))
    a.set(big, to: 5)
  }
  b.action("emptySmall", by: "env") { a in
    a.fail("small_empty", error: "EMPTY", code: 2, when: small.value.eq(0))
    a.set(small, to: 0)
  }
  b.action("emptyBig", by: "env") { a in
    a.fail("big_empty", error: "EMPTY", code: 2, when: big.value.eq(0))
    a.set(big, to: 0)
  }
  b.action("pourSmallToBig", by: "env") { a in
    a.fail("small_empty", error: "EMPTY", code: 2, when: small.value.eq(0))
    a.fail("big_full", error: "FULL", code: 1, when: big.value.eq(5))
    let total = small.value + big.value
    a.set(big, to: .ite(total.gt(5), then: 5, else: total))
    a.set(small, to: .ite(total.gt(5), then: total - 5, else: 0))
  }
  b.action("pourBigToSmall", by: "env") { a in
    a.fail("big_empty", error: "EMPTY", code: 2, when: big.value.eq(0))
    a.fail("small_full", error: "FULL", code: 1, when: small.value.eq(3))
    let total = small.value + big.value
    a.set(small, to: .ite(total.gt(3), then: 3, else: total))
    a.set(big, to: .ite(total.gt(3), then: total - 3, else: 0))
  }
  b.invariant("big-not-4", doc: "the puzzle is unsolvable (it is not)", big.value.ne(4))
  b.lemma("small-not-2", doc: "a false lemma; engines skip lemmas unless asked", small.value.ne(2))
  return b.build()
}

/// Hand-computed facts about ``countersModel(count:maximum:)``.
public enum Counters {
  /// Every vector of counter values is reachable: (maximum + 1)^count.
  public static func reachableStates(count: Int, maximum: Int) -> Int {
    (0..<count).reduce(1) { r, _ in r * (maximum + 1) }
  }
  /// `all-at-max` needs every counter incremented to the maximum: count × maximum steps.
  public static func shortestViolation(count: Int, maximum: Int) -> Int { count * maximum }
}

/// A map of `count` counters over the index sort `Slot`, each in `0...maximum`.
///
/// Actions: `inc(i)` fails with `FULL` (1) when counter `i` is at the maximum, else increments
/// it; `reset` sets every counter to 0 with a whole-map update, and fails with `ZERO` (2) when
/// all are already 0. Invariant `not-all-max`: not every counter is at the maximum, violated
/// after ``Counters/shortestViolation(count:maximum:)`` steps.
public func countersModel(count: Int = 3, maximum: Value = 2) -> Model {
  let slot = Domain.index(IndexSort("Slot", count: count))
  let b = ModelBuilder(
    name: "counters",
    configuration: Configuration(name: "c\(count)m\(maximum)", bounds: ["count": count, "maximum": Int(maximum)]))
  let counter = b.map("counter", keys: [slot], .range(0, maximum)) { _ in 0 }
  b.action("inc", by: "env", parameters: [Parameter("i", slot)]) { a in
    let i = a.arg("i")
    a.fail("at_max", error: "FULL", code: 1, when: counter[i].eq(.literal(maximum)))
    a.set(counter, [i], to: counter[i] + 1)
  }
  b.action("reset", by: "env") { a in
    a.fail("all_zero", error: "ZERO", code: 2, when: .forAll(slot) { counter[$0].eq(0) })
    a.setAll(counter) { _ in 0 }
  }
  b.invariant("not-all-max", !.forAll(slot) { counter[$0].eq(.literal(maximum)) })
  return b.build()
}

/// Builds a small ad-hoc model for a test: one default configuration, the body declares the
/// rest.
public func buildModel(_ name: String = "test", _ body: (ModelBuilder) -> Void) -> Model {
  let b = ModelBuilder(name: name, configuration: Configuration(name: "test", bounds: [:]))
  body(b)
  return b.build()
}

/// A lock whose error paths may change state: the shape of "state set, then the error
/// returned" (a failure condition with effects).
///
/// Variables `held` (bool), `value` (a map over slots 0...1 to 0...3, all 0) and `epoch`
/// (0...1). `acquire(slot, v)` fails with `BUSY` (1) when the lock is held, then with
/// `RESERVED` (2) when `v` is 3; on success it takes the lock and writes `value[slot] := v`.
/// `release` fails with `NOT_HELD` (3) when the lock is free; on success it frees the lock.
///
/// With `buggy`, `acquire`'s `busy` condition writes `value[slot] := v` before failing (so a 3
/// gets in behind the `reserved` check) and `release`'s `not_held` condition clears every
/// `value` and sets `epoch` (an `assignAll` and a scalar write on an error path). Invariant
/// `no-three` (no slot holds 3) holds for the correct model and is violated by the buggy one
/// after 2 steps: acquire(0, 0), acquire(0, 3).
///
/// With `frameRules`, two transition properties: `failed-changes-nothing` (a failed acquire or
/// release changes no variable) and `release-keeps-values` (a successful release changes only
/// `held` and `epoch`).
public func errorPathModel(buggy: Bool, frameRules: Bool = false) -> Model {
  buildModel(buggy ? "error-path-buggy" : "error-path") { b in
    let held = b.variable("held", .bool, initial: false)
    let value = b.map("value", keys: [.range(0, 1)], .range(0, 3)) { _ in 0 }
    let epoch = b.variable("epoch", .range(0, 1), initial: 0)
    b.action("acquire", by: "env", parameters: [Parameter("slot", .range(0, 1)), Parameter("v", .range(0, 3))]) {
      a in
      let write = Effect.assign(value.id, keys: [a.arg("slot")], value: a.arg("v"), when: true)
      a.fail("busy", error: "BUSY", code: 1, when: held.value, effects: buggy ? [write] : [])
      a.fail("reserved", error: "RESERVED", code: 2, when: a.arg("v").eq(3))
      a.set(held, to: true)
      a.set(value, [a.arg("slot")], to: a.arg("v"))
    }
    b.action("release", by: "env") { a in
      let slot = BoundVariable(.range(0, 1))
      a.fail(
        "not_held", error: "NOT_HELD", code: 3, when: !held.value,
        effects: buggy
          ? [
            .assignAll(value.id, keys: [slot], condition: true, value: 0),
            .assign(epoch.id, keys: [], value: 1, when: true),
          ] : [])
      a.set(held, to: false)
    }
    b.invariant("no-three", .forAll(.range(0, 1)) { value[$0].ne(3) })
    if frameRules {
      b.transitionProperty("failed-changes-nothing", actions: ["acquire", "release"], on: .failure)
      b.transitionProperty("release-keeps-values", actions: ["release"], on: .success, mayChange: [held, epoch])
    }
  }
}

/// A counter that INC takes past its domain 0...2 on the third step: a model error after two
/// steps, for the tests of error traces.
public func overflowingCounter(_ configuration: Configuration = Configuration(name: "one", bounds: [:])) -> Model {
  let b = ModelBuilder(name: "overflow", configuration: configuration)
  let x = b.variable("x", .range(0, 2), initial: 0)
  b.action("INC", by: "env") { a in a.set(x, to: x.value + 1) }
  b.invariant("small", x.value.le(2))
  return b.build()
}
