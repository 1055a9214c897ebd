import Spec

/// Builds the CCA model for one configuration: declares the state (``CCAVariables``), then the
/// actions and the properties of each layer (`CCABuilder+*.swift`).
///
/// Layers so far: memory, caches and the GPT (reference/rme.md §1, §2), the hardware that may
/// act at any moment, the Non-secure hypervisor (the attacker), a realm stand-in, the RMM's
/// granule commands and EL3's transition sequences.
final class CCABuilder {
  let configuration: Configuration
  let builder: ModelBuilder

  // MARK: Bounds and domains

  let memoryMap: MemoryMap
  let content: Content
  /// The Granule sort.
  ///
  /// Arithmetic, because a granule's GPI lives in descriptor `g / 16` at nibble `g % 16` and a
  /// PA's granule is `(pa - base) >> 12`; a pure index sort under the `parametric` feature, where
  /// neither computation exists.
  let granuleSort: IndexSort
  let peSort: IndexSort
  let realmSort: IndexSort
  /// The L1 descriptor words the granules span (`nil` under `parametric`: a GPI per granule).
  let descriptorSort: IndexSort?
  /// Whether fine mode is on: each EL3 step is its own action, interleaving with other PEs.
  let fine: Bool
  /// Whether the parametric abstraction is on (Docs/ADR/0003-parametric-abstraction.md): one
  /// GPI per granule, and addresses as (address class, granule).
  let parametric: Bool

  var granule: Domain { .index(granuleSort) }
  var pe: Domain { .index(peSort) }
  var realm: Domain { .index(realmSort) }

  // MARK: State

  /// The state variables.
  let machine: CCAVariables
  /// The memory encryption (``Encryption``; `none` unless a feature selects one).
  let encryption: Encryption
  /// The encryption state, when memory is encrypted (CCABuilder+Encryption.swift).
  let keys: EncryptionVariables?
  /// The realm MECIDs there are under `per-realm`: MAX_MECID + 1 with the RMM (the `max-mecid`
  /// bound), else one per realm (the realm stand-in's realm `r` uses MECID `r`).
  let mecids: Int
  /// Whether Realm-PAS lines are per MECID (the `mecid-lines` feature; ``LineTag``).
  let taggedLines: Bool
  /// The key domain of the cache lines (``LineTag``).
  let lineDomain: Domain
  /// The Realm-PAS line keys (``LineTag/realmKeys(mecids:)``; `[Realm]` without `mecid-lines`).
  let realmLineKeys: [Value]
  /// The RMM's MEC state (`rmm` with `per-realm`; declared by RMMBuilder+MEC.swift).
  var mec: MECVariables?
  /// The SMMU's GPT TLB (`da`; DASMMUGPTVariables.swift), declared before the granule commands.
  var smmuGPT: SMMUGPTVariables?
  /// Ghost of `read-returns-last-write` (the realm stand-in, and the RMM unless `per-realm`): `lastWrite[g]` is the
  /// label of the last architectural write to granule `g`, whoever made it and through whichever alias (host data at
  /// boot, or the start state's memory).
  ///
  /// A monitor variable: no guard reads it and the mutation generator never changes its writes, so it is the
  /// abstract memory the caches and memory must implement (``declareReadReturnsLastWrite()``).
  let lastWrite: Variable?

  /// Reads the bounds and declares the state.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` when a bound is out of range.
  init(configuration: Configuration) throws {
    let granules = configuration.bound(CCA.Bound.granules, default: 2)
    let pes = configuration.bound(CCA.Bound.pes, default: 2)
    let realms = configuration.bound(CCA.Bound.realms, default: 1)
    for (name, value, range) in [
      (CCA.Bound.granules, granules, 1...CCA.maxGranules), (CCA.Bound.pes, pes, 1...8),
      (CCA.Bound.realms, realms, 1...8),
    ] where !range.contains(value) {
      throw ModelError.invalid(
        location: "configuration \(configuration.name)",
        message: "bound \(name) is \(value); it must be in \(range.lowerBound)...\(range.upperBound)")
    }
    let builder = ModelBuilder(name: CCA.name, configuration: configuration)
    builder.abi = CCA.abi
    self.configuration = configuration
    self.builder = builder
    var memoryMap = MemoryMap(granules: granules)
    if configuration.has(CCA.Feature.da) { memoryMap.deviceGranules = try DABuilder.deviceGranules(configuration) }
    memoryMap.granuleOperands = configuration.has(CCA.Feature.parametric) && configuration.has(CCA.Feature.rmm)
    let encryption = try Encryption.of(configuration)
    let content = Content(realms: realms, encrypted: encryption != .none)
    let parametric = configuration.has(CCA.Feature.parametric)
    let granuleSort = IndexSort("Granule", count: granules, arithmetic: !parametric)
    let peSort = IndexSort("PE", count: pes)
    let descriptorSort = parametric ? nil : IndexSort("Descriptor", count: memoryMap.descriptors)
    self.memoryMap = memoryMap
    self.content = content
    self.granuleSort = granuleSort
    self.peSort = peSort
    self.realmSort = IndexSort("Realm", count: realms)
    self.descriptorSort = descriptorSort
    self.fine = configuration.has(CCA.Feature.fine)
    self.parametric = parametric
    let mecids = try Self.mecidCount(configuration, realms: realms, encryption: encryption)
    let taggedLines = configuration.has(CCA.Feature.mecidLines)
    if taggedLines && (encryption != .perRealm || !configuration.has(CCA.Feature.rmm)) {
      throw ModelError.invalid(
        location: "configuration \(configuration.name)",
        message: "feature mecid-lines needs rmm and per-realm; add them")
    }
    let lineSet = LineTag.set(mecids: taggedLines ? mecids : 0)
    self.taggedLines = taggedLines
    self.lineDomain = .finite(lineSet)
    self.realmLineKeys = taggedLines ? LineTag.realmKeys(mecids: mecids) : [PAS.realm]
    self.machine = CCAVariables(
      builder, granule: .index(granuleSort), pe: .index(peSort), descriptor: descriptorSort.map { .index($0) },
      content: content.domain, lines: .finite(lineSet))
    // Read only by the mutation analysis's equivalence verdict (``Unobservable``).
    builder.unobservable(
      machine.cacheData, while: machine.cacheLine, equals: LineState.invalid, canonical: Content.zero,
      reason: "an invalid line's data is never read: a hit needs a valid line, a fill overwrites it, a write-back "
        + "needs DIRTY (every read of cacheData in the model tests the line's state first)")
    builder.unobservable(
      machine.gptTLB, while: machine.gptTLBValid, equals: 0, canonical: GPI.noAccess,
      reason: "an invalid GPT TLB entry's GPI is never read: the check uses it only while the entry is valid, a "
        + "walk's fill overwrites it")
    // A valid line holding what memory holds is as good as none (two variables: the line and memory). A clean
    // one: a read returns the same value, a fill would bring it back, dropping it writes nothing. A dirty one:
    // its write-back writes what memory holds. Until memory changes under it; the comparison follows both
    // models' own states, so a line a later write leaves stale is found there.
    for state in [LineState.clean, LineState.dirty] {
      builder.unobservableCopy(
        machine.cacheData, of: machine.memory, while: machine.cacheLine, equals: state, readsAs: LineState.invalid,
        canonical: Content.zero,
        reason: "a valid line holding what memory holds is as good as none: a read returns the same value, a "
          + "write-back writes what memory holds, a fill would bring it back; until memory changes under it")
    }
    self.encryption = encryption
    self.mecids = mecids
    self.keys =
      encryption == .none
      ? nil
      : EncryptionVariables(
        builder, granule: .index(granuleSort), encryption: encryption, mecids: mecids, taggedLines: taggedLines)
    self.lastWrite =
      configuration.has(CCA.Feature.rmm) && encryption == .perRealm
      ? nil
      : builder.map(
        "lastWrite", keys: [.index(granuleSort)], content.domain, role: .monitor,
        doc: "ghost: the label of the last write to the granule, by anyone through either alias (host data at boot)",
        initial: { _ in .literal(Content.host) })
  }

  /// Records a write of `label` to granule `g` in the ghost ``lastWrite`` (nothing where it is not declared).
  ///
  /// The write is the action's last effect (``StepContext/writeGhost(_:_:_:when:)``). `g`, `label` and `when` are over the pre-state of the
  /// action: the steps that record writes (NS_WRITE, REALM_WRITE, the undelegate scrub) are each the first step
  /// of their action that touches the granule's contents.
  func recordWrite(_ context: StepContext, _ g: Expr, _ label: Expr, when: Expr = true) {
    guard let lastWrite else { return }
    context.writeGhost(lastWrite, [g], label, when: when)
  }

  /// Records a write of `label` to granule `g` by an RMM command in the ghost ``lastWrite``, as one of the action's last
  /// effects (``ActionBuilder/setGhost(_:_:to:)``; under any enclosing `when`; over the pre-state).
  func recordWrite(_ a: ActionBuilder, _ g: Expr, _ label: Expr) {
    guard let lastWrite else { return }
    a.setGhost(lastWrite, [g], to: label)
  }

  /// Records a write of `label` to every granule `selected` picks (an RMM command's scrub of several granules).
  func recordWriteAll(_ a: ActionBuilder, where selected: @escaping (Expr) -> Expr, _ label: Expr) {
    guard let lastWrite else { return }
    a.setGhostAll(lastWrite, where: { k in selected(k[0]) }, to: { _ in label })
  }

  /// Declares the actions and properties and returns the model (validated by the family).
  func build() throws -> Model {
    if configuration.has(CCA.Feature.da) { smmuGPT = SMMUGPTVariables(builder, granule: granule) }
    declareHardwareActions()
    declareHypervisorActions()
    declareRealmActions()
    declareGranuleCommands()
    if fine { declareTransitionSteps() }
    if configuration.has(CCA.Feature.da) && !configuration.has(CCA.Feature.rmm) {
      throw ModelError.invalid(
        location: "configuration \(configuration.name)", message: "feature da needs rmm; add rmm")
    }
    for feature in [CCA.Feature.vdevComplete, CCA.Feature.wideNonces]
    where configuration.has(feature) && !configuration.has(CCA.Feature.da) {
      throw ModelError.invalid(
        location: "configuration \(configuration.name)", message: "feature \(feature.rawValue) needs da; add da")
    }
    if configuration.has(CCA.Feature.rmm) {
      try RMMBuilder(self).declare()
      // The ghost starts as the start state's memory (boot: HOST; `tlb-setup`, `da-setup`: their objects' contents).
      if let lastWrite { builder.copyInitial(lastWrite, from: machine.memory) }
    } else {
      declareProperties()
    }
    declareFailedCallProperty()
    return builder.build()
  }

  /// Whether the configuration selects the given mutant.
  func mutated(_ mutant: String) -> Bool { configuration.mutated(mutant) }

  // MARK: - Helpers

  /// The parameters naming an address: `addr`, or `addrClass` and `granule` under `parametric`
  /// (``AddressOperand``).
  var addressParameters: [Parameter] {
    AddressOperand.parameters(
      memoryMap, granule: granule, classified: parametric, anyAddress: configuration.has(CCA.Feature.rmm))
  }

  /// The address operand given an action's arguments from the first address parameter on.
  func address(_ arguments: ArraySlice<Expr>) -> AddressOperand {
    AddressOperand(memoryMap, arguments: arguments, classified: parametric)
  }

  /// Whether PE `pe` is free to run a new action: not inside an RMI command.
  func idle(_ state: some StateReader, _ pe: Expr) -> Expr {
    state.read(machine.el3Step, [pe]).eq(TransitionStep.idle.expr)
  }
}
