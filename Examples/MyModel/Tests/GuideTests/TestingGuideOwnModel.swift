import CCAVerifyTesting
import Testing

@Test func lockIsExclusive() throws {
  let thread = Domain.index(IndexSort("Thread", count: 2))
  let b = ModelBuilder(name: "lock", configuration: Configuration(name: "two-threads", bounds: [:]))
  let holder = b.variable("holder", .range(0, 2), doc: "0 free, else thread + 1", initial: 0)
  let inside = b.map("inside", keys: [thread], .bool) { _ in false }
  b.action("ACQUIRE", by: "thread", parameters: [Parameter("thread", thread)]) { a in
    a.fail("busy", error: "BUSY", code: 1, when: holder.value.ne(0))
    a.set(holder, to: a.arg("thread") + 1)
    a.set(inside, [a.arg("thread")], to: true)
  }
  b.action("RELEASE", by: "thread", parameters: [Parameter("thread", thread)]) { a in
    a.fail("not_holder", error: "DENIED", code: 2, when: holder.value.ne(a.arg("thread") + 1))
    a.set(holder, to: 0)
    a.set(inside, [a.arg("thread")], to: false)
  }
  b.invariant("mutual-exclusion", !(inside[.literal(0)] && inside[.literal(1)]))
  let result = try expectNoViolation(b.build(), exploring: .exhaustive())
  #expect(result.complete)
}
