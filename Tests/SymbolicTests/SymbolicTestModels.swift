import Spec

/// `x` and `y` count up together to 10; `y-not-15` needs the lemma `x-eq-y` to be inductive.
func lockstepModel() -> Model {
  let b = ModelBuilder(name: "lockstep", configuration: Configuration(name: "test", bounds: [:]))
  let x = b.variable("x", .range(0, 15), initial: 0)
  let y = b.variable("y", .range(0, 15), initial: 0)
  b.action("inc", by: "env") { a in
    a.fail("x_limit", error: "LIMIT", code: 1, when: x.value.ge(10))
    a.set(x, to: x.value + 1)
    a.set(y, to: .ite(y.value.eq(15), then: 15, else: y.value + 1))
  }
  b.invariant("y-not-15", y.value.ne(15))
  b.lemma("x-eq-y", x.value.eq(y.value))
  b.lemma("x-le-10", x.value.le(10))
  return b.build()
}

/// Granules claimed and released by owners: `flag[g]` mirrors `owner[g] == 1`.
///
/// With `forgetFlag`, `release` leaves the flag set (a seeded bug).
func ownershipModel(granules: Int = 3, forgetFlag: Bool = false) -> Model {
  let granule = Domain.index(IndexSort("Granule", count: granules))
  let b = ModelBuilder(
    name: "ownership", configuration: Configuration(name: "g\(granules)", bounds: ["granules": granules]))
  let owner = b.map("owner", keys: [granule], .range(0, 2)) { _ in 0 }
  let flag = b.map("flag", keys: [granule], .bool) { _ in false }
  let last = b.variable("last", granule, initial: 0)
  b.action("claim", by: "env", parameters: [Parameter("g", granule)]) { a in
    let g = a.arg("g")
    a.fail("not_free", error: "BUSY", code: 1, when: owner[g].ne(0))
    a.set(owner, [g], to: 1)
    a.set(flag, [g], to: true)
    a.set(last, to: g)
  }
  b.action("release", by: "env", parameters: [Parameter("g", granule)]) { a in
    let g = a.arg("g")
    a.fail("not_owned", error: "STATE", code: 2, when: owner[g].ne(1))
    a.set(owner, [g], to: 0)
    if !forgetFlag { a.set(flag, [g], to: false) }
  }
  b.action("park", by: "env") { a in
    a.requires(owner[last.value].eq(1))
    a.set(owner, [last.value], to: 2)
    a.set(flag, [last.value], to: false)
  }
  b.action("unparkAll", by: "env") { a in
    a.setAll(owner, where: { owner.at($0).eq(2) }) { _ in 0 }
  }
  b.invariant("flag-iff-owned", .forAll(granule) { g in flag[g].eq(owner[g].eq(1)) })
  return b.build()
}

/// A cursor that jumps three links along a chain of marked granules: `head-marked` is true and
/// inductive with the lemma `marks-follow-links` (a marked granule links to a marked one), but the
/// jump's step needs that lemma at `link[link[head]]`, a term beyond the query's ground terms and
/// their one round of closure (`head`, a scalar cell, and `link[head]`).
func chainModel(granules: Int = 3) -> Model {
  let granule = Domain.index(IndexSort("Granule", count: granules))
  let b = ModelBuilder(
    name: "chain", configuration: Configuration(name: "g\(granules)", bounds: ["granules": granules]))
  let mark = b.map("mark", keys: [granule], .bool) { _ in true }
  let link = b.map("link", keys: [granule], granule) { k in k[0] }
  let head = b.variable("head", granule, initial: 0)
  b.action("jump", by: "env") { a in
    a.set(head, to: link[link[link[head.value]]])
  }
  b.invariant("head-marked", mark[head.value])
  b.lemma("marks-follow-links", .forAll(granule) { g in mark[g].implies(mark[link[g]]) })
  return b.build()
}

/// Five per-granule flags linked by implications, where relevance alone is too narrow.
///
/// `set(g)`, enabled where `y[g]`, sets `x[g]`, and `x-implies-w` is inductive with the lemmas `y-implies-u`, `u-implies-v` and `v-implies-w` (y → u → v → w). `u-implies-v` shares no
/// variable with the goal (x, w) or with what `set` reads or writes (x, y): a query that assumes only the formulas
/// sharing one (relevance) is satisfiable, the full query is not. `raise(g)` sets y, u, v, w together; with
/// `breakRaise` it leaves v, which breaks `u-implies-v` (a true failure, after `set` in the action order).
func relevanceChainModel(breakRaise: Bool = false, neverEnabled: Bool = false) -> Model {
  let granule = Domain.index(IndexSort("Granule", count: 3))
  let b = ModelBuilder(name: "relevance-chain", configuration: Configuration(name: "g3", bounds: ["granules": 3]))
  let flags = ["x", "y", "u", "v", "w"].map { name in b.map(name, keys: [granule], .bool) { _ in false } }
  let (x, y, u, v, w) = (flags[0], flags[1], flags[2], flags[3], flags[4])
  b.action("set", by: "env", parameters: [Parameter("g", granule)]) { a in
    let g = a.arg("g")
    a.requires(y[g])
    a.set(x, [g], to: true)
  }
  b.action("raise", by: "env", parameters: [Parameter("g", granule)]) { a in
    let g = a.arg("g")
    a.set(y, [g], to: true)
    a.set(u, [g], to: true)
    if !breakRaise { a.set(v, [g], to: true) }
    a.set(w, [g], to: true)
  }
  if neverEnabled {
    // Guards the invariant contradicts: vacuity notes them.
    b.action("stuck", by: "env", parameters: [Parameter("g", granule)]) { a in
      let g = a.arg("g")
      a.requires(x[g] && !w[g])
      a.set(v, [g], to: true)
    }
    b.action("stuck-too", by: "env", parameters: [Parameter("g", granule)]) { a in
      let g = a.arg("g")
      a.requires(y[g] && !u[g])
      a.set(v, [g], to: true)
    }
  }
  b.invariant("x-implies-w", .forAll(granule) { g in x[g].implies(w[g]) })
  b.lemma("y-implies-u", .forAll(granule) { g in y[g].implies(u[g]) })
  b.lemma("u-implies-v", .forAll(granule) { g in u[g].implies(v[g]) })
  b.lemma("v-implies-w", .forAll(granule) { g in v[g].implies(w[g]) })
  return b.build()
}
