import Spec

/// A lock shared by threads: ACQUIRE when it is free, RELEASE when you hold it. The property is
/// mutual exclusion; the mutant `release-by-anyone` forgets the holder check on RELEASE.
public enum Lock {
  public static let family = ModelFamily(
    name: "lock", doc: "a lock shared by threads",
    configurations: [
      Configuration(name: "two", bounds: ["threads": 2]),
      Configuration(name: "three", bounds: ["threads": 3]),
    ],
    configurationDocs: ["two": "2 threads", "three": "3 threads"],
    mutants: [
      Mutant(
        name: "release-by-anyone", doc: "RELEASE does not check that the caller holds the lock",
        breaks: ["mutual-exclusion"], configuration: "two")
    ],
    propertyDocs: [("mutual-exclusion", "at most one thread is inside its critical section")],
    boundDocs: ["threads": "number of threads"], featureDocs: [:],
    build: build)

  static func build(_ configuration: Configuration) throws -> Model {
    let count = configuration.bound("threads", default: 2)
    let thread = Domain.index(IndexSort("Thread", count: count))
    let b = ModelBuilder(name: "lock", configuration: configuration)
    let holder = b.variable("holder", .range(0, Value(count)), doc: "0 free, else thread + 1", initial: 0)
    let inside = b.map("inside", keys: [thread], .bool, doc: "each thread in its critical section") { _ in false }
    b.action("ACQUIRE", by: "thread", parameters: [Parameter("thread", thread)]) { a in
      a.fail("busy", error: "BUSY", code: 1, when: holder.value.ne(0))
      a.set(holder, to: a.arg("thread") + 1)
      a.set(inside, [a.arg("thread")], to: true)
    }
    b.action("RELEASE", by: "thread", parameters: [Parameter("thread", thread)]) { a in
      if !configuration.mutated("release-by-anyone") {
        a.fail("not_holder", error: "DENIED", code: 2, when: holder.value.ne(a.arg("thread") + 1))
      }
      a.set(holder, to: 0)
      a.set(inside, [a.arg("thread")], to: false)
    }
    b.invariant(
      "mutual-exclusion",
      .forAll(thread) { t in .forAll(thread) { u in (inside[t] && inside[u]).implies(t.eq(u)) } })
    // Inductive strengthening: a thread is inside exactly when it holds the lock.
    b.lemma("inside-iff-holder", .forAll(thread) { t in inside[t].eq(holder.value.eq(t + 1)) })
    return b.build()
  }
}
