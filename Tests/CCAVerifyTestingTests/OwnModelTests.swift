import CCAVerifyTesting
import Foundation
import Spec
import Testing

/// A user's own small model, checked the same way as the CCA model: a two-slot lock where
/// `release` in the buggy version forgets to check who holds the lock.
enum TicketLock {
  static func model(buggy: Bool) -> Model {
    let thread = Domain.index(IndexSort("Thread", count: 2))
    let b = ModelBuilder(
      name: "ticket-lock",
      configuration: Configuration(name: "two-threads", bounds: [:], mutant: buggy ? "release-unchecked" : nil))
    let holder = b.variable("holder", .range(0, 2), doc: "0 free, else thread + 1", initial: 0)
    let inCritical = b.map("inCritical", keys: [thread], .bool, doc: "whether the thread is in its critical section") {
      _ in false
    }
    b.action("ACQUIRE", by: "thread", parameters: [Parameter("thread", thread)]) { a in
      let t = a.arg("thread")
      a.fail("busy", error: "BUSY", code: 1, when: holder.value.ne(0))
      a.set(holder, to: t + 1)
      a.set(inCritical, [t], to: true)
    }
    b.action("RELEASE", by: "thread", parameters: [Parameter("thread", thread)]) { a in
      let t = a.arg("thread")
      if !buggy { a.fail("not_holder", error: "DENIED", code: 2, when: holder.value.ne(t + 1)) }
      a.set(holder, to: 0)
      a.set(inCritical, [t], to: false)
    }
    b.invariant(
      "mutual-exclusion", doc: "at most one thread is in its critical section",
      !(inCritical[.literal(0)] && inCritical[.literal(1)]))
    return b.build()
  }
}

@Suite("CCAVerifyTesting: a user's own model")
struct OwnModelTests {
  @Test("The correct lock holds in every reachable state; the buggy one is caught with a shortest trace")
  func ownModel() throws {
    let options = CheckOptions(traceDirectory: traceDirectory(), workers: 1)
    let correct = try expectNoViolation(TicketLock.model(buggy: false), exploring: .exhaustive(), options: options)
    #expect(correct.complete)
    #expect(correct.report.distinctStates == 3)
    let buggy = try expectViolation(
      TicketLock.model(buggy: true), of: "mutual-exclusion", exploring: .exhaustive(), options: options)
    let violation = try #require(buggy.violation)
    // Thread 0 acquires, thread 1 releases the lock it does not hold, thread 1 acquires.
    #expect(violation.trace.steps.map(\.action) == ["ACQUIRE", "RELEASE", "ACQUIRE"])
    #expect(violation.trace.steps.map(\.arguments) == [[0], [1], [1]])
    // Random walks find it too, and shrink it to the same length.
    let random = try expectViolation(
      TicketLock.model(buggy: true), of: "mutual-exclusion", exploring: .random(seed: 5, walks: 100, length: 50),
      options: options)
    let shrunk = try #require(random.violation)
    print(
      "ticket-lock: seed \(shrunk.seed): random walk shrunk from \(shrunk.originalLength) to \(shrunk.length) steps")
    #expect(shrunk.length == 3)
  }
}
