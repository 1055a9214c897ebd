import Spec

/// Builds the RMM 1.0 layer of the CCA model (the `rmm` feature): its state
/// (``RMMVariables``), the RMI commands (`RMMBuilder+*.swift`), realm execution, and the
/// properties across the RMM and the GPT layer.
///
/// Conventions shared by every command:
/// - RMI registers are parameters named `x1` … `x6` as in the ABI (reference/rmm.md §0); fields
///   of the Non-secure structures they point to (RealmParams, RecParams, RecRun) are parameters
///   named after the field (`params_vmid`, `params_rtt_base`, `params_flags`, ...). The model
///   does not keep Non-secure memory contents, so letting the host choose the fields with the
///   call is the same as letting it write them before the call.
/// - Registers are 64-bit words; exploration tries a few samples (granule PAs, IPAs of the
///   geometry), while a step may be taken with any value (scenarios, replay, the tests).
/// - Failure conditions are the reference's, in its order (rmm.md §2), each with its status;
///   `RMI_ERROR_RTT` carries the level in X0 bits [15:8]. Every failure condition reads the
///   pre-state only, so a failing command changes nothing (the footprint rule).
/// - Every command is one atomic step (the `rmm` feature requires atomic GPT transitions):
///   TF-RMM holds the granule locks for the whole command.
/// - The RMM's scrub of a granule (zero-fill) is modelled as zeroes that reach the PoPA: memory
///   becomes ZERO and the Realm-alias line is dropped. It happens whenever a granule returns to
///   DELEGATED and again when a DELEGATED granule becomes an object (TF-RMM f5cce5bc scrubs on
///   the way out of DELEGATED; reference/rme.md §2.5).
final class RMMBuilder {
  let cca: CCABuilder
  let geometry: RTTGeometry
  let recs: Int
  let rimLimit: Int
  let rmmState: RMMVariables
  /// The REC state (``RECVariables``: MPIDRs, aux granules, PSCI requests, RIPAS changes, REMs).
  let recState: RECVariables
  /// With `da` and device memory: the REC's pending device-memory requests (RMI_REC_ENTER
  /// completes them, ``devMemCompletion(_:flags:)``), declared before the REC commands.
  private(set) var daMemory: DAMemoryVariables?
  /// With `s2-tlb`: the PEs' stage-2 TLBs (``S2TLBVariables``), declared before the commands
  /// that invalidate them.
  private(set) var s2tlb: S2TLBVariables?
  /// With `smmu-tlb`: the SMMUs' TLBs, command queues and the pending unmap
  /// (``SMMUTLBVariables``), declared before RMI_DATA_DESTROY, which queues their invalidation.
  private(set) var smmuTLB: SMMUTLBVariables?
  /// With `da`: `realmDA[r]`: realm `r` was created with RealmParams.flags.DA (its RD's
  /// da_enabled; reference/rmm.md §1.2, §3.3), read by RMI_VDEV_CREATE's `da_en`; false for a
  /// slot with no realm.
  private(set) var realmDA: Variable?
  /// With `da`: the DA layer, made before the REC commands (RMI_REC_ENTER finishes a REC's RSI VDEV call with
  /// `vdev-complete`, ``DABuilder/vdevCompletion(_:rec:)``) and declared last; nil again once declared.
  private(set) var da: DABuilder?

  var machine: CCAVariables { cca.machine }
  var builder: ModelBuilder { cca.builder }
  var memoryMap: MemoryMap { cca.memoryMap }
  var granule: Domain { cca.granule }
  var realm: Domain { cca.realm }
  let pre = PreState()

  /// Reads the RMM bounds and declares the RMM state.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` when a bound is out of range or the
  ///   configuration also asks for fine mode or the parametric abstraction.
  init(_ cca: CCABuilder) throws {
    let configuration = cca.configuration
    let location = "configuration \(configuration.name)"
    let levels = configuration.bound(CCA.Bound.rttLevels, default: 2)
    let entries = configuration.bound(CCA.Bound.rttEntries, default: 2)
    let recs = configuration.bound(CCA.Bound.recs, default: 1)
    guard (1...4).contains(levels) else {
      throw ModelError.invalid(location: location, message: "bound rtt-levels is \(levels); it must be in 1...4")
    }
    guard entries >= 2, entries <= 512, entries & (entries - 1) == 0 else {
      throw ModelError.invalid(
        location: location, message: "bound rtt-entries is \(entries); it must be a power of 2 in 2...512")
    }
    guard (1...4).contains(recs) else {
      throw ModelError.invalid(location: location, message: "bound recs is \(recs); it must be in 1...4")
    }
    guard !configuration.has(CCA.Feature.fine) else {
      throw ModelError.invalid(location: location, message: "feature rmm needs atomic GPT transitions; remove fine")
    }
    if configuration.has(CCA.Feature.parametric) {
      // The parametric variant (Docs/ADR/0011-parametric-rmm.md) has granule operands; these
      // features still compute with granule indices or PAs (block ranges, TLB entries holding
      // granule + 1, the setup starts' fixed granules). `da` is taken at its own bounds only
      // (DABuilder+Parametric.swift: one device, no device memory).
      let computing = [
        CCA.Feature.blocks, CCA.Feature.s2TLB, CCA.Feature.smmuTLB, CCA.Feature.tlbSetup, CCA.Feature.blocksSetup,
      ]
      if let feature = computing.first(where: { configuration.has($0) }) {
        throw ModelError.invalid(
          location: location, message: "feature \(feature) computes with granule PAs; remove parametric or \(feature)")
      }
      guard try Self.recAuxCount(configuration) == 0 else {
        throw ModelError.invalid(
          location: location, message: "the parametric variant counts no REC_AUX granules; set the bound rec-aux to 0")
      }
      if configuration.has(CCA.Feature.da) { try DABuilder.checkParametric(configuration) }
    }
    let geometry = RTTGeometry(levels: levels, entries: entries)
    let cells = cca.memoryMap.granules * entries
    guard cells <= Self.maxRTTCells else {
      throw ModelError.invalid(
        location: location,
        message: "granules x rtt-entries is \(cca.memoryMap.granules) x \(entries) = \(cells) RTT entry slots; "
          + "at most \(Self.maxRTTCells) (every granule has a row of entries in rtte, rtteAddr and rtteDesc)")
    }
    self.cca = cca
    self.geometry = geometry
    self.recs = recs
    self.rimLimit = 7
    self.rmmState = RMMVariables(
      cca.builder, granule: cca.granule, pe: cca.pe, realm: cca.realm, geometry: geometry,
      maxRefcount: Self.maxRefcount(configuration, entries: entries, recs: recs), recs: recs, rimLimit: 7,
      granuleDescriptors: cca.memoryMap.granuleOperands)
    self.recState = RECVariables(
      cca.builder, granule: cca.granule, realm: cca.realm, recs: recs,
      auxCount: try Self.recAuxCount(configuration), ipaWidth: geometry.ipaWidth, rimLimit: 7,
      attest: configuration.has(CCA.Feature.attest))
  }

  /// The largest reference count any granule can hold, from every contributor
  /// (reference/rmm.md §1.5): an RTT counts its live entries (at most `entries`), a running REC
  /// holds 1, and an RD counts its RECs (at most `recs`) plus, with DA, its VDEVs (one per PDEV,
  /// and PDEVs have distinct streams: at most `devices`, times `tdis` with several TDIs per device).
  static func maxRefcount(_ configuration: Configuration, entries: Int, recs: Int) -> Int {
    let vdevs =
      configuration.has(CCA.Feature.da)
      ? configuration.bound(CCA.Bound.devices, default: 1) * configuration.bound(CCA.Bound.tdis, default: 1) : 0
    return max(entries, recs + vdevs, 1)
  }

  /// The largest number of RTT entry slots (granules × entries per table) a configuration may
  /// have: each slot is a cell of `rtte`, `rtteAddr` and `rtteDesc` in every state (about 74
  /// bits), so this keeps a state under about 600 KB.
  static let maxRTTCells = 65_536

  /// Declares the RMI commands, realm execution and the RMM properties.
  func declare() throws {
    builder.abi.constants += CCA.constants(geometry)
    if memoryMap.deviceGranules > 0 {
      daMemory = DAMemoryVariables(
        builder, granule: granule, ipaWidth: geometry.ipaWidth, perDevice: try DABuilder.perDevice(cca.configuration))
    }
    if cca.configuration.has(CCA.Feature.s2TLB) { s2tlb = try declareS2TLB() }  // RMMBuilder+S2TLB.swift
    if cca.configuration.has(CCA.Feature.smmuTLB) { smmuTLB = try declareSMMUTLB() }
    if cca.configuration.has(CCA.Feature.tlbSetup) { try declareTLBSetupStart() }
    if cca.configuration.has(CCA.Feature.blocksSetup) { try declareBlocksSetupStart() }  // RMMBuilder+BlocksSetup.swift
    if cca.configuration.has(CCA.Feature.da) {
      realmDA = builder.map("realmDA", keys: [realm], .bool, doc: "the realm was created with flags.DA") { _ in false }
    }
    declareMEC()  // RMMBuilder+MEC.swift: FEAT_MEC's state and commands (per-realm only)
    declareVersionCommands()
    declareRealmCommands()
    if cca.configuration.has(CCA.Feature.da) { da = try DABuilder(self) }
    declareRECCommands()
    declareDataCommands()
    declareRTTCommands()
    declareRealmExecution()
    declarePSCI()
    declareRSI()
    declareProperties()
    declareMECProperties()
    declareLemmas()  // RMMBuilder+Lemmas.swift
    try da?.declare()
    da = nil
  }

  func mutated(_ name: String) -> Bool { cca.mutated(name) }

  /// Whether the configuration has block mappings, unprotected and protected (``CCA/Feature/blocks``).
  var blocks: Bool { cca.configuration.has(CCA.Feature.blocks) }
  /// The lowest level a block entry may have: TF-RMM rmm-spec-v1.0-rel0 `S2TT_MIN_BLOCK_LEVEL`
  /// (lib/s2tt/include/s2tt.h), the lowest level RMI_RTT_MAP_UNPROTECTED accepts.
  static let minBlockLevel: Value = 1

  // MARK: - Samples

  /// The PAs of the modelled granules: the samples of address registers.
  var granulePAs: [Value] { (0..<memoryMap.granules).map { memoryMap.address(ofGranule: $0) } }
  /// Page-aligned IPA samples: every page of a small IPA space; at a large geometry, the first
  /// two pages of each half and the first pages of a few blocks (exploration only samples).
  var pageIPAs: [Value] {
    if geometry.pages <= 16 { return (0..<geometry.pages).map { Value($0) << 12 } }
    let half = geometry.protectedLimit
    let blocks = (0..<geometry.levels).map { geometry.entrySize(depth: $0) }.filter { $0 < half }
    return Array(Set([0, 0x1000, half, half + 0x1000] + blocks)).sorted()
  }
  /// The protected page IPAs.
  var protectedIPAs: [Value] { pageIPAs.filter { $0 < geometry.protectedLimit } }
  /// The levels below the starting level.
  /// (With one level there is none; the samples are then `[3]`, which always fails level_bound.)
  var tableLevels: [Value] {
    geometry.startLevel >= 3 ? [3] : ((geometry.startLevel + 1)...3).map { Value($0) }
  }

  /// A 64-bit register parameter with exploration samples.
  ///
  /// In the parametric variant (``MemoryMap/granuleOperands``) a register whose samples are all
  /// granule PAs names a granule, so it is an operand of the Granule sort instead, sampled at the
  /// same granules (Docs/ADR/0011-parametric-rmm.md).
  func register(_ name: String, _ samples: [Value]) -> Parameter {
    let pas = granulePAs
    let granules = samples.compactMap { pas.firstIndex(of: $0) }
    if memoryMap.granuleOperands, !samples.isEmpty, granules.count == samples.count {
      return Parameter(name, granule, samples: granules.count == pas.count ? nil : granules.map { Value($0) })
    }
    return Parameter(name, .word(bits: 64), samples: samples)
  }

  /// A register the model pins to `samples` unless the configuration has `all-values`
  /// (``CCA/Feature/allValues``): then it also takes `allValues`, the values that reach its
  /// other branches (a failure condition, a flag's effect).
  func register(_ name: String, _ samples: [Value], allValues: [Value]) -> Parameter {
    guard cca.configuration.has(CCA.Feature.allValues) else { return register(name, samples) }
    var values = samples
    for v in allValues where !values.contains(v) { values.append(v) }
    return register(name, values)
  }

  // MARK: - all-values samples of IPA and level registers

  /// With `all-values`, the IPAs an IPA register also takes: a page-unaligned one (ipa_align,
  /// base_align) and the first IPA outside the IPA space (ipa_bound).
  ///
  /// Both fail every command's input checks, so they add steps but no states.
  var offIPAs: [Value] { [0x800, geometry.ipaLimit] }

  /// With `all-values`, the tops a range register (RSI_IPA_STATE_SET/GET, RMI_RTT_INIT_RIPAS,
  /// RMI_RTT_SET_RIPAS) also takes: 0 (size_valid: top ≤ base), an unaligned one (top_align,
  /// top_gran_align) and one beyond the protected IPA range (region, top_bound).
  var offTops: [Value] { [0, 0x1800, geometry.protectedLimit + 0x1000] }

  /// With `all-values`, the levels a level register also takes when a command accepts levels
  /// `lowest ... 3`: the level below `lowest` (if any) and level 4.
  ///
  /// Both fail level_bound.
  func offLevels(below lowest: Int) -> [Value] { (lowest > 0 ? [Value(lowest - 1)] : []) + [4] }

  // MARK: - Helpers

  static let input = "RMI_ERROR_INPUT"

  /// The granule state of `g`.
  func state(_ g: Expr) -> Expr { pre.read(machine.granuleState, [g]) }

  /// Adds `<name>_align`, `<name>_bound` and `<name>_state` for a granule address argument
  /// (reference/rmm.md §2 conventions): not 4 KB aligned, not a delegable PA, state not `state`.
  func granuleChecks(_ a: ActionBuilder, _ name: String, _ addr: Expr, state required: Value, stateName: String? = nil)
  {
    let g = memoryMap.granule(of: addr)
    a.fail("\(name)_align", error: Self.input, code: RMIABI.errorInput, when: !memoryMap.isAligned(addr))
    a.fail("\(name)_bound", error: Self.input, code: RMIABI.errorInput, when: !memoryMap.isDelegable(addr))
    a.fail(
      stateName ?? "\(name)_state", error: Self.input, code: RMIABI.errorInput, when: state(g).ne(.literal(required)))
  }

  /// Adds `<name>_align`, `<name>_bound` and `<name>_pas` for a Non-secure buffer argument: not
  /// aligned, not in the modelled memory, GPI not NS (the GPT is Realm, Secure or Root).
  func nsBufferChecks(_ a: ActionBuilder, _ name: String, _ addr: Expr) {
    let g = memoryMap.granule(of: addr)
    a.fail("\(name)_align", error: Self.input, code: RMIABI.errorInput, when: !memoryMap.isAligned(addr))
    a.fail("\(name)_bound", error: Self.input, code: RMIABI.errorInput, when: !memoryMap.isDRAM(addr))
    a.fail("\(name)_pas", error: Self.input, code: RMIABI.errorInput, when: cca.gpi(pre, g).ne(.literal(GPI.nonSecure)))
  }

  /// `rd_align`, `rd_bound`, `rd_state` (the granule is not an RD).
  func rdChecks(_ a: ActionBuilder, _ rd: Expr) {
    granuleChecks(a, "rd", rd, state: GranuleState.rd)
  }

  /// The realm of an RD (or any object) granule address.
  func realmOf(_ addr: Expr) -> Expr { pre.read(rmmState.owner, [memoryMap.granule(of: addr)]) }

  /// An IPA as a safe map key: the IPA itself if inside the IPA space, else 0.
  func safe(_ ipa: Expr) -> Expr { .ite(ipa.lt(.literal(geometry.ipaLimit)), then: ipa, else: 0) }

  // MARK: - RTT walks
  //
  // Stable helpers (other command files build on them): `root`, `table(_:depth:_:)` (constant
  // depth), `entry(_:depth:_:)`, `walkDepth`, `level(ofDepth:)`, `byDepth`, `tableGranule`,
  // `entryIndex`, `slot` / `RTTSlot`, `read(_:_:)`, `setRow`, `clearRow`.

  /// The starting-level RTT granule of realm `rr` (`rtt_base`).
  func root(_ rr: Expr) -> Expr { pre.read(rmmState.realmRTTBase, [rr]) }

  /// The table granule at constant depth `d` on realm `rr`'s walk for `ipa`: the starting-level table at depth 0, else
  /// the granule the entry at depth `d − 1` points to.
  ///
  /// Meaningful when the entries above depth `d` are TABLE entries (else it is 0 or a leaf's DATA granule).
  func table(_ rr: Expr, depth d: Int, _ ipa: Expr) -> Expr {
    d == 0
      ? root(rr)
      : pre.read(rmmState.rtteAddr, [table(rr, depth: d - 1, ipa), geometry.index(depth: d - 1, ipa: ipa)])
  }

  /// The value of the entry at constant depth `d` that maps `ipa` on realm `rr`'s walk.
  func entry(_ rr: Expr, depth d: Int, _ ipa: Expr) -> Expr {
    pre.read(rmmState.rtte, [table(rr, depth: d, ipa), geometry.index(depth: d, ipa: ipa)])
  }

  /// A value chosen by the depth expression `depth` among per-depth constants' values.
  func byDepth(_ depth: Expr, _ value: (Int) -> Expr) -> Expr {
    var result = value(geometry.levels - 1)
    for d in (0..<(geometry.levels - 1)).reversed() {
      result = .ite(depth.eq(.literal(Value(d))), then: value(d), else: result)
    }
    return result
  }

  /// The depth an RTT walk of realm `rr` for `ipa` reaches when it aims at depth `target`: it
  /// descends through TABLE entries and stops at `target` or at the first entry that is not a
  /// TABLE (reference/rmm.md §2: `rtt_walk`).
  func walkDepth(_ rr: Expr, _ ipa: Expr, target: Expr) -> Expr {
    var result: Expr = .literal(Value(geometry.levels - 1))
    for d in (0..<(geometry.levels - 1)).reversed() {
      let stop = target.le(.literal(Value(d))) || entry(rr, depth: d, ipa).ne(RTTEntry.table.expr)
      result = .ite(stop, then: .literal(Value(d)), else: result)
    }
    return result
  }

  /// The level of a depth expression.
  func level(ofDepth depth: Expr) -> Expr { depth + .literal(Value(geometry.startLevel)) }

  /// The index of the entry at depth expression `depth` that maps `ipa`.
  func entryIndex(depth: Expr, _ ipa: Expr) -> Expr {
    byDepth(depth) { d in self.geometry.index(depth: d, ipa: ipa) }
  }

  /// The granule of the table that holds realm `rr`'s entry at depth expression `depth` for `ipa`.
  func tableGranule(_ rr: Expr, depth: Expr, _ ipa: Expr) -> Expr {
    byDepth(depth) { d in self.table(rr, depth: d, ipa) }
  }

  /// The position of realm `rr`'s entry at depth expression `depth` for `ipa`.
  func slot(_ rr: Expr, depth: Expr, _ ipa: Expr) -> RTTSlot {
    RTTSlot(table: tableGranule(rr, depth: depth, ipa), index: entryIndex(depth: depth, ipa))
  }

  /// The position of realm `rr`'s entry at constant depth `d` for `ipa`.
  func slot(_ rr: Expr, depth d: Int, _ ipa: Expr) -> RTTSlot {
    RTTSlot(table: table(rr, depth: d, ipa), index: geometry.index(depth: d, ipa: ipa))
  }

  /// The pre-state value of `rtte`, `rtteAddr` or `rtteDesc` at an entry position.
  func read(_ variable: Variable, _ s: RTTSlot) -> Expr { pre.read(variable, [s.table, s.index]) }

  /// Writes `rtte`, `rtteAddr` or `rtteDesc` at an entry position.
  func set(_ a: ActionBuilder, _ variable: Variable, _ s: RTTSlot, to value: Expr) {
    a.set(variable, [s.table, s.index], to: value)
  }

  /// The granule `rtteAddr` holds for entries that point nowhere.
  static let canonicalAddr: Expr = 0

  /// Writes the whole row of table granule `g` in `variable`: entry `i` gets `value(i)` (one
  /// `setAll` whose condition selects the row).
  ///
  /// The concrete engine evaluates the condition for every cell of the map (granules ×
  /// entries), so when `g` is an expensive expression (a walk) pass `among`, a cheap condition
  /// on the granule key that `g` satisfies (its state, its owner): `g` is then evaluated only
  /// for those rows.
  func setRow(
    _ a: ActionBuilder, _ variable: Variable, _ g: Expr, among: ((Expr) -> Expr)? = nil,
    to value: @escaping (Expr) -> Expr
  ) {
    a.setAll(variable, where: { k in (among?(k[0]) ?? true) && k[0].eq(g) }, to: { k in value(k[1]) })
  }

  /// Puts every entry of RTT granule `g` back at the canonical value of a granule that is not an
  /// RTT (entries, addresses and descriptors), as when an RTT is destroyed or folded; `g` is an
  /// RTT of realm `rr` in the pre-state (the rows written are chosen among those).
  func clearRow(_ a: ActionBuilder, _ g: Expr, realm rr: Expr) {
    let among: (Expr) -> Expr = { h in
      self.state(h).eq(.literal(GranuleState.rtt)) && self.pre.read(self.rmmState.owner, [h]).eq(rr)
    }
    setRow(a, rmmState.rtte, g, among: among) { _ in RTTGeometry.canonical.expr }
    setRow(a, rmmState.rtteAddr, g, among: among) { _ in Self.canonicalAddr }
    setRow(a, rmmState.rtteDesc, g, among: among) { _ in 0 }
  }

  /// Whether a level expression is one of the geometry's levels (start ...
  ///
  /// 3).
  func isLevel(_ level: Expr) -> Expr {
    level.ge(.literal(Value(geometry.startLevel))) && level.le(3)
  }

  /// Scrubs granule `g`: zeroes that reach the PoPA (memory ZERO, the Realm-alias line dropped).
  ///
  /// With encryption the zeroes are written under `key` (the RMM's context when nil).
  ///
  /// With `mecid-lines` only the copy under `key` is dropped: the RMM writes through a mapping
  /// with one MECID (TF-RMM's slot buffers, reference/rme.md §2.5), and copies under other MECIDs
  /// stay in the cache (§4.1).
  func scrub(_ a: ActionBuilder, _ g: Expr, under key: Expr? = nil) {
    a.set(machine.memory, [g], to: .literal(Content.zero))
    cca.dropRealmLine(a, g, under: key)
    cca.setMemoryContext(a, g, key)
  }

  /// Makes `g` an object of realm `rr` in state `state`, zero-filled (the initialisation on the
  /// way out of DELEGATED, reference/rme.md §2.5).
  func makeObject(_ a: ActionBuilder, _ g: Expr, state: Value, realm rr: Expr, refcount: Expr = 0, fill: Bool = true) {
    a.set(machine.granuleState, [g], to: .literal(state))
    a.set(rmmState.owner, [g], to: rr)
    a.set(rmmState.refcount, [g], to: refcount)
    if fill {
      scrub(a, g, under: cca.objectContext(state, realm: rr))
      cca.recordWrite(a, g, .literal(Content.zero))
    }
  }

  /// Returns `g` to DELEGATED, scrubbed, with no owner, no references and no ghost level or IPA.
  ///
  /// With `mecid-lines` the release is TF-RMM's (`granule_unlock_transition_to_delegated`,
  /// commit f5cce5bc; reference/rme.md §2.5): DC CIPAE of every Realm-PAS copy, written back
  /// under its own MECID, and no zeroing: the granule is initialised on its way out of
  /// DELEGATED, under the next owner's MECID, or scrubbed by RMI_GRANULE_UNDELEGATE. The mutant
  /// `release-scrub-under-rmm-mecid` keeps the pre-f5cce5bc release instead: zeroes through a
  /// MECID-0 mapping, no DC CIPAE.
  func release(_ a: ActionBuilder, _ g: Expr, scrubbing: Bool = true) {
    a.set(machine.granuleState, [g], to: .literal(GranuleState.delegated))
    a.set(rmmState.owner, [g], to: 0)
    a.set(rmmState.refcount, [g], to: 0)
    a.set(rmmState.rttLevel, [g], to: 0)
    a.set(rmmState.mappedIPA, [g], to: 0)
    // The ghost follows the model's release (zeroes, but not with `mecid-lines`), whatever a mutant skips.
    if !cca.taggedLines { cca.recordWrite(a, g, .literal(Content.zero)) }
    guard scrubbing else { return }
    if cca.taggedLines && !mutated(CCA.MutantName.releaseScrubUnderRMMMECID) {
      cca.cleanInvalidateRealmCopies(a, g)
    } else {
      scrub(a, g)
    }
  }

  /// Extends realm `rr`'s RIM by one measured event (saturating).
  func measure(_ a: ActionBuilder, _ rr: Expr) {
    let rim = pre.read(rmmState.realmRIM, [rr])
    a.set(rmmState.realmRIM, [rr], to: .ite(rim.lt(.literal(Value(rimLimit))), then: rim + 1, else: rim))
  }

  /// Extends realm `rr`'s RIM by `events` measured events (an expression, at most 2^32;
  /// saturating): one per entry of a range command.
  func measure(_ a: ActionBuilder, _ rr: Expr, events: Expr) {
    let extended = pre.read(rmmState.realmRIM, [rr]) + events
    let limit = Expr.literal(Value(rimLimit))
    a.set(rmmState.realmRIM, [rr], to: .ite(extended.lt(limit), then: extended, else: limit))
  }
}

/// The position of an RTT entry: its table granule and its index in the table.
struct RTTSlot {
  let table: Expr
  let index: Expr
}
