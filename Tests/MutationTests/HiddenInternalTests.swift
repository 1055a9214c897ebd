import Explore
import Spec
import Testing
import _TestSupport

@testable import Mutation

/// A GPC with a one-entry TLB.
///
/// `access` faults on GPI 0 (the cached GPI when the entry is valid,
/// else the walked one) and caches the walked GPI; `toggle` flips the GPI and invalidates the
/// entry (a call with an output); `evict` drops the entry (internal: no failure, no output) and
/// leaves its value. The mutant `drop-effect/access/0` never marks the entry valid: a TLB that
/// never caches, whose every state the correct model reaches by evicting at once.
private func tlbModel() -> Model {
  buildModel { b in
    let gpi = b.variable("gpi", .range(0, 1), initial: 1)
    let valid = b.variable("valid", .bool, initial: false)
    let entry = b.variable("entry", .range(0, 1), initial: 0)
    b.action("access", by: "env") { a in
      a.fail("gpf", error: "GPF", code: 0x28, when: Expr.ite(valid.value, then: entry.value, else: gpi.value).eq(0))
      a.set(valid, to: true)
      a.set(entry, to: gpi.value)
    }
    b.action("toggle", by: "env") { a in
      a.output("old", gpi.value)
      a.set(gpi, to: 1 - gpi.value)
      a.set(valid, to: false)
    }
    b.action("evict", by: "env") { a in
      a.requires(valid.value)
      a.set(valid, to: false)
    }
    b.invariant("entry-current", !valid.value || entry.value.eq(gpi.value))
  }
}

@Suite("Mutation: survivors compared with the internal steps hidden")
struct HiddenInternalTests {
  private func triage(_ id: String, depth: Int?, hide: Bool, slack: Int = 1) throws -> MutantResult {
    let model = tlbModel()
    let mutant = try #require(MutantGenerator.mutants(of: model).first { $0.id == id })
    var options = MutationOptions(maxDepth: depth, workers: 1)
    options.stepEquivalence = false
    options.hideInternal = hide
    options.inclusionSlack = slack
    let result = try #require(try analyseMutants(model, mutants: [mutant], options: options).results.first)
    #expect(result.verdict == .survived)
    return result
  }

  @Test("A TLB that never caches: results only by the step comparison, equivalent up to internal steps hidden")
  func neverCaching() throws {
    let plain = try triage("drop-effect/access/0", depth: nil, hide: false)
    guard case .subsumed? = plain.triage else {
      Issue.record("expected results only, got \(String(describing: plain.triage))")
      return
    }
    let hidden = try triage("drop-effect/access/0", depth: nil, hide: true)
    guard case .observablyEquivalent(let pairs, nil, let names, _, nil, 0)? = hidden.triage else {
      Issue.record("expected equivalent up to internal steps, got \(String(describing: hidden.triage))")
      return
    }
    #expect(names == ["evict"])
    #expect(pairs > 0)
    var tally = MutationReport.Tally()
    tally.add(hidden)
    #expect(tally.equivalent == 1)
    #expect(MutationReport.triageText(hidden.triage).hasPrefix("equivalent up to internal steps"))
  }

  @Test("At a depth bound the mutant's state needs one eviction more: a gap, equivalent with one step of slack")
  func slack() throws {
    let plain = try triage("drop-effect/access/0", depth: 1, hide: false)
    guard case .propertyGap? = plain.triage else {
      Issue.record("expected a gap within 1 step, got \(String(describing: plain.triage))")
      return
    }
    let tight = try triage("drop-effect/access/0", depth: 1, hide: true, slack: 0)
    guard case .observablyEquivalent(_, _, _, _, .some, 0)? = tight.triage else {
      Issue.record("expected a gap in internal steps only, got \(String(describing: tight.triage))")
      return
    }
    var tally = MutationReport.Tally()
    tally.add(tight)
    #expect(tally.equivalent == 0)
    let loose = try triage("drop-effect/access/0", depth: 1, hide: true, slack: 1)
    guard case .observablyEquivalent(_, 1, _, _, nil, 1)? = loose.triage else {
      Issue.record("expected equivalent with one step of slack, got \(String(describing: loose.triage))")
      return
    }
  }

  @Test("A mutant whose calls return other results stays what the step comparison says")
  func callDiffers() throws {
    // No GPC check: an access with GPI 0 passes (and caches 0), a call that should fault.
    let r = try triage("drop-failure/access/0", depth: nil, hide: true)
    guard case .propertyGap? = r.triage else {
      Issue.record("expected a property gap, got \(String(describing: r.triage))")
      return
    }
  }
}
