import CCAModel
import Explore
import Spec
import Testing

@testable import Mutation

/// The properties added for the gaps the mutation reports named (issue 17): each kills a generated mutant the report
/// listed as a survivor, one the properties and lemmas before it let through.
@Suite("Mutation: the gap properties kill their survivors")
struct GapPropertyTests {
  /// `configuration`'s model with the generated mutant `id` applied, and the model itself.
  static func mutated(_ id: String, in configuration: String) throws -> (correct: Model, mutant: Model) {
    let model = try CCA.family.build(try #require(CCA.family.configuration(named: configuration)))
    let action = String(id.split(separator: "/")[1])
    let mutant = try #require(
      MutantGenerator.mutants(of: model, actions: [action]).first { $0.id == id }, "no mutant \(id) at \(configuration)"
    )
    return (model, mutant.apply(to: model))
  }

  /// BFS of `model` checking only the named properties.
  static func search(_ model: Model, _ names: [String], maxDepth: Int? = nil) throws -> (ExploreReport, [Int]) {
    let compiled = try CompiledModel(model)
    let indices = try names.map { name in try #require(compiled.model.properties.firstIndex { $0.name == name }) }
    return (explore(compiled, options: ExploreOptions(mode: .bfs, maxDepth: maxDepth, properties: indices)), indices)
  }

  @Test(
    "realm-data-under-own-mecid kills the realm write tagged with the RMM's MECID, which the Realm-key lemma lets through"
  )
  func realmWriteUnderRMMMECID() throws {
    let (_, mutant) = try Self.mutated("replace-value/REALM_WRITE/4=1", in: "atomic-per-realm")
    let (weak, _) = try Self.search(mutant, ["realm-lines-tagged-with-realm-keys"])
    #expect(weak.outcome == .noViolation && weak.complete, "\(weak.outcome)")
    let (strong, indices) = try Self.search(mutant, [CCA.PropertyName.realmDataUnderOwnMECID])
    guard case .violation(let property, let trace) = strong.outcome else {
      Issue.record("no violation: \(strong.outcome)")
      return
    }
    #expect(property == indices[0])
    // RMI_GRANULE_DELEGATE, then the realm's write.
    #expect(trace.steps.map(\.action) == ["RMI_GRANULE_DELEGATE", "REALM_WRITE"])
  }

  @Test(
    "dma-verified-only-while-enabled kills a disable that leaves the VDEV DMA-verified (rmm-da-setup, depth 3)",
    arguments: ["drop-effect/RSI_VDEV_DMA_DISABLE/1", "replace-value/RMI_VDEV_UNLOCK/2=true"])
  func verificationOutlivesDMA(id: String) throws {
    // The correct model holds the property at this depth and beyond: Proofs/da-properties-setup-depth4.
    let (_, mutant) = try Self.mutated(id, in: "rmm-da-setup")
    let (report, indices) = try Self.search(mutant, [CCA.PropertyName.dmaVerifiedOnlyWhileEnabled], maxDepth: 3)
    guard case .violation(let property, let trace) = report.outcome else {
      Issue.record("\(id): no violation within 3 steps: \(report.outcome)")
      return
    }
    #expect(property == indices[0])
    #expect(trace.steps.last?.action == String(id.split(separator: "/")[1]))
  }

  @Test(
    "read-returns-last-write kills lost, stale and mislabelled writes that every isolation property lets through",
    arguments: [
      // A dirty line evicted without its write-back (memory keeps the old label).
      "drop-effect/CACHE_EVICT/0",
      // An evicted NS line left valid (the host reads ZERO instead of its data).
      "drop-effect/CACHE_EVICT/3",
      // The host's write recorded as ZERO, the realm's as ZERO.
      "replace-value/NS_WRITE/3=0", "replace-value/REALM_WRITE/3=0",
      // The delegate's write-back of the host's line not recorded under NS (the host then reads CIPHERTEXT).
      "drop-effect/RMI_GRANULE_DELEGATE/11",
      // The undelegate scrub's zeroes not recorded under the RMM's MECID, or written as HOST.
      "drop-effect/RMI_GRANULE_UNDELEGATE/6", "replace-value/RMI_GRANULE_UNDELEGATE/5=1",
    ])
  func lastWriteLostOrMislabelled(id: String) throws {
    // The correct model holds it in every reachable state: Proofs/mem-read-returns-last-write-per-realm-bfs, and with
    // every property at atomic, fine-1, atomic-parametric, atomic-per-pas and standard (ExplorationTests, EncryptionTests).
    let mutant = try Self.mutated(id, in: "atomic-per-realm").mutant
    let trace = try Self.expectViolation(of: CCA.PropertyName.readReturnsLastWrite, by: mutant, id: id)
    // The shortest violation runs the mutated action.
    #expect(trace?.steps.contains { $0.action == String(id.split(separator: "/")[1]) } ?? false, "\(id)")
  }

  /// The shortest trace on which `mutant` violates `property` (exhaustive BFS of that property alone), or nil after
  /// recording an issue when it holds.
  static func expectViolation(of property: String, by mutant: Model, id: String) throws -> Trace? {
    let (report, indices) = try search(mutant, [property])
    guard case .violation(let violated, let trace) = report.outcome else {
      Issue.record("\(id): no violation of \(property): \(report.outcome)")
      return nil
    }
    #expect(violated == indices[0])
    return trace
  }

  @Test(
    "clean-line-matches-memory kills a transition that leaves its target alias's line valid",
    arguments: [
      "drop-effect/RMI_GRANULE_DELEGATE/3", "replace-value/RMI_GRANULE_DELEGATE/3=1",
      "drop-effect/RMI_GRANULE_UNDELEGATE/14", "replace-value/RMI_GRANULE_UNDELEGATE/14=1",
    ])
  func staleTargetLine(id: String) throws {
    // The correct model holds it in every reachable state of atomic-per-realm (EncryptionTests checks every property).
    let mutant = try Self.mutated(id, in: "atomic-per-realm").mutant
    let trace = try Self.expectViolation(of: CCA.PropertyName.cleanLineMatchesMemory, by: mutant, id: id)
    #expect(trace?.steps.last?.action == String(id.split(separator: "/")[1]), "\(id)")
    // The last write's alias is the other one: read-returns-last-write alone does not see the stale line.
    let (weak, _) = try Self.search(mutant, [CCA.PropertyName.readReturnsLastWrite])
    #expect(weak.outcome == .noViolation && weak.complete, "\(id): \(weak.outcome)")
  }

  @Test(
    "with the RMM, read-returns-last-write and no-dirty-line-after-release kill the destroy scrubs' gaps (rmm-tlb-setup)",
    arguments: [
      // The freed granule's memory left HOST instead of ZERO: the next owner's read sees stale data.
      ("replace-value/RMI_DATA_DESTROY/8=1", CCA.PropertyName.readReturnsLastWrite),
      ("replace-value/RMI_REC_DESTROY/5=1", CCA.PropertyName.readReturnsLastWrite),
      // The Realm line left (or made) DIRTY on the DELEGATED granule: a pending write-back of the old owner.
      ("drop-effect/RMI_DATA_DESTROY/9", CCA.PropertyName.noDirtyLineAfterRelease),
      ("replace-value/RMI_DATA_DESTROY/9=2", CCA.PropertyName.noDirtyLineAfterRelease),
      ("replace-value/RMI_REC_DESTROY/6=2", CCA.PropertyName.noDirtyLineAfterRelease),
    ])
  func destroyScrubGaps(id: String, property: String) throws {
    let (correct, mutant) = try Self.mutated(id, in: "rmm-tlb-setup")
    // The correct model holds both within 3 steps (and 4: Proofs/mem-functional-rmm-tlb-setup-bfs).
    let (holds, _) = try Self.search(correct, [property], maxDepth: 3)
    #expect(holds.outcome == .noViolation, "\(property): \(holds.outcome)")
    let (report, indices) = try Self.search(mutant, [property], maxDepth: 3)
    guard case .violation(let violated, let trace) = report.outcome else {
      Issue.record("\(id): no violation of \(property) within 3 steps: \(report.outcome)")
      return
    }
    #expect(violated == indices[0])
    #expect(trace.steps.last?.action == String(id.split(separator: "/")[1]), "\(id)")
  }

  @Test("dropping a failure condition an output is returned on gives a valid mutant (rmm-small's RTT walks)")
  func dropFailureKeepsOutputsValid() throws {
    let model = try CCA.family.build(try #require(CCA.family.configuration(named: "rmm-small")))
    for (action, position) in [("RMI_DATA_DESTROY", 5), ("RMI_RTT_DESTROY", 8)] {
      let id = "drop-failure/\(action)/\(position)"
      let mutant = try #require(MutantGenerator.mutants(of: model, actions: [action]).first { $0.id == id }, "\(id)")
      let original = model.actions[try #require(model.action(named: action))]
      let dropped = original.failures[position].name
      // The original returns an output on the dropped condition (what made such mutants invalid).
      #expect(original.outputs.contains { $0.failures.contains(dropped) }, "\(id)")
      #expect(throws: Never.self, "\(id)") { try mutant.apply(to: model).validate() }
    }
  }

  @Test(
    "the destroys' CLEAN line of ZERO over ZERO memory is equivalent up to the redundant copy (rmm-tlb-setup, 2 steps)",
    arguments: ["replace-value/RMI_DATA_DESTROY/9=1", "replace-value/RMI_REC_DESTROY/6=1"])
  func cleanCopyOfMemory(id: String) throws {
    let (correct, mutant) = try Self.mutated(id, in: "rmm-tlb-setup")
    let comparison = try compareBehaviour(CompiledModel(correct), CompiledModel(mutant), maxDepth: 2)
    #expect(comparison.difference == nil, "\(id): \(String(describing: comparison.difference))")
    #expect(comparison.complete)
    // Without the copy declaration the line left CLEAN is a difference at the destroy itself.
    try Self.expectDifference(id, correct, mutant) { $0.copyOf == nil }
  }

  /// Expects the comparison within 2 steps, with only the declarations `keeping` keeps, to find a difference at the
  /// mutated action.
  static func expectDifference(
    _ id: String, _ correct: Model, _ mutant: Model, keeping: (Unobservable) -> Bool
  ) throws {
    let difference = try #require(
      try compareBehaviour(plain(correct, keeping: keeping), plain(mutant, keeping: keeping), maxDepth: 2).difference)
    #expect(difference.action == String(id.split(separator: "/")[1]), "\(id)")
  }

  /// The model compiled with only the declarations `keeping` keeps (none by default).
  static func plain(_ m: Model, keeping: (Unobservable) -> Bool = { _ in false }) throws -> CompiledModel {
    try CompiledModel(
      Model(
        name: m.name, configuration: m.configuration, variables: m.variables, initial: m.initial, actions: m.actions,
        properties: m.properties, builderErrors: m.builderErrors, abi: m.abi,
        unobservable: m.unobservable.filter(keeping)
      ))
  }

  @Test(
    "device DMA that leaves the STE uncached is equivalent up to the cached STE's declaration (rmm-da-setup, 2 steps)",
    arguments: ["drop-effect/DEVICE_REALM_READ/2", "drop-effect/DEVICE_REALM_WRITE/2"])
  func cachedSTECopy(id: String) throws {
    let (correct, mutant) = try Self.mutated(id, in: "rmm-da-setup")
    let comparison = try compareBehaviour(CompiledModel(correct), CompiledModel(mutant), maxDepth: 2)
    #expect(comparison.difference == nil, "\(id): \(String(describing: comparison.difference))")
    #expect(comparison.complete)
    #expect(comparison.usedDeclarations)
    // Without the STE declaration (the copies of an indirect source) the uncached STE is a difference at the DMA.
    try Self.expectDifference(id, correct, mutant) { $0.copyIndex == nil }
  }

  @Test(
    "a speculative fill that leaves the line INVALID reaches only the correct model's states up to the declarations")
  func fillRemovesBehaviourOnly() throws {
    let (correct, mutant) = try Self.mutated("drop-effect/SPECULATIVE_FILL/0", in: "rmm-small")
    let inclusion = try firstStateOutside(
      CompiledModel(mutant), of: ReachableStates(CompiledModel(correct), maxDepth: 2))
    #expect(inclusion.escape == nil, "\(String(describing: inclusion.escape))")
    #expect(inclusion.complete)
    // Raw, the invalid line's data is a state the correct model never reaches: a property gap before.
    let escape = try #require(
      try firstStateOutside(Self.plain(mutant), of: ReachableStates(Self.plain(correct), maxDepth: 2)).escape)
    #expect(escape.steps.last?.action == "SPECULATIVE_FILL")
  }
}
