import Spec

/// Builds the Device Assignment layer of the CCA model (the `da` feature, on top of `rmm`):
/// PDEVs and VDEVs with their RMI commands, the realm's RSI VDEV calls, the SMMU's Realm stream
/// table and its cache, device DMA as attacker actions, and the DA properties.
///
/// Pinned revision [1.1-UNSTABLE]: RMM 1.1 DA as TF-RMM tag `rmm-spec-v1.x-aligned` implements it
/// (`runtime/rmi/pdev.c`, `vdev.c`, `runtime/rsi/vdev.c`) with the ACS DA alpha's failure
/// conditions (reference/rmm.md §3.1-3.4; reference/rme.md §3). Docs/ADR/0005 lists the
/// abstractions.
///
/// Conventions are ``RMMBuilder``'s: registers `x1` ... `x6`, failure conditions in the
/// reference's order (the model's order where the reference gives none, said in each doc),
/// X0 = status | index << 8, every command one atomic step.
final class DABuilder {
  let rmm: RMMBuilder
  let daState: DAVariables
  let streamSort: IndexSort

  var cca: CCABuilder { rmm.cca }
  var machine: CCAVariables { rmm.machine }
  var rmmState: RMMVariables { rmm.rmmState }
  var builder: ModelBuilder { rmm.builder }
  var pre: PreState { rmm.pre }
  var memoryMap: MemoryMap { rmm.memoryMap }
  var granule: Domain { rmm.granule }
  var stream: Domain { .index(streamSort) }

  /// Reads the `devices` bound and declares the DA state.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` when the bound is out of range.
  init(_ rmm: RMMBuilder) throws {
    let configuration = rmm.cca.configuration
    let devices = configuration.bound(CCA.Bound.devices, default: 1)
    guard (1...4).contains(devices) else {
      throw ModelError.invalid(
        location: "configuration \(configuration.name)", message: "bound devices is \(devices); it must be in 1...4")
    }
    let tdis = configuration.bound(CCA.Bound.tdis, default: 1)
    guard (1...4).contains(tdis), devices * tdis <= 4 else {
      throw ModelError.invalid(
        location: "configuration \(configuration.name)",
        message: "bound tdis is \(tdis) with devices = \(devices); tdis must be in 1...4 and devices * tdis at most 4")
    }
    self.rmm = rmm
    self.devices = devices
    self.tdis = tdis
    self.streamSort = IndexSort("Stream", count: devices * tdis)
    let wide = configuration.has(CCA.Feature.wideNonces)
    self.nonceValues = wide ? [0, 1, 2, 3] : [0, 1]
    let nonce = Domain.range(0, Value(nonceValues.count - 1))
    self.daState = DAVariables(
      rmm.builder, granule: rmm.granule, realm: rmm.realm, stream: .index(streamSort), nonce: nonce, tdis: tdis)
    self.vdevRequests =
      configuration.has(CCA.Feature.vdevComplete)
      ? DAVdevRequestVariables(rmm.builder, granule: rmm.granule, stream: .index(streamSort), nonce: nonce) : nil
    self.vdevTdi =
      tdis == 1
      ? nil
      : rmm.builder.map(
        "vdevTdi", keys: [rmm.granule], .range(0, Value(tdis - 1)), doc: "the TDI of a VDEV within its PDEV"
      ) { _ in 0 }
    // Read only by the mutation analysis's equivalence verdict (``Unobservable``). Device DMA takes the realm from
    // the cached STE if any, else from the valid STE's VDEV, then caches it (DABuilder+SMMU.swift); disabling DMA
    // drops both. So a cached copy of a valid STE naming the same realm is as good as none. Not with `smmu-tlb`:
    // there the SMMU's TLB is used only while the STE is cached.
    if !configuration.has(CCA.Feature.smmuTLB) {
      rmm.builder.unobservableCopy(
        daState.steCachedRealm, of: rmm.rmmState.owner, at: daState.steVdev, while: daState.steCached, equals: 1,
        and: daState.steValid, equals: 1, readsAs: 0, canonical: 0,
        reason: "the SMMU's cached STE naming the realm the valid STE in memory names is as good as none: a DMA "
          + "takes the same realm and caches it again; until the STE changes under it")
    }
  }

  /// Physical devices (PDEV streams): the `devices` bound.
  let devices: Int
  /// TDIs per device: the `tdis` bound (1 by default).
  ///
  /// The streams are `devices * tdis`, device `d`'s TDI `t` on stream `d * tdis + t`.
  let tdis: Int
  /// With `tdis` > 1: `vdevTdi[g]`, the TDI of a VDEV granule within its PDEV.
  ///
  /// VdevParams.tdi_id (TF-RMM rmm-spec-v1.x-aligned `vd->tdi_id`), 0 for granules that are not VDEVs. With one TDI
  /// it is always 0 and not declared, so those configurations compile to the terms they had before.
  let vdevTdi: Variable?

  /// The values of an evidence generation (lock nonce, measurement or report sequence): one bit, or two with
  /// `wide-nonces`.
  ///
  /// TF-RMM rmm-spec-v1.x-aligned draws each from its PRNG (64 bits, `generate_attest_info_nonce`); the
  /// specification calls the last two sequence numbers. The model counts modulo the width, so a stale value comes
  /// back after 2 (one bit) or 4 (two bits) regenerations: the only ABA the width leaves (Docs/ADR/0005).
  let nonceValues: [Value]
  /// With `vdev-complete`: the RECs' pending RSI VDEV calls.
  let vdevRequests: DAVdevRequestVariables?

  /// The next evidence generation after `old`: `old + 1` modulo the width (a flip with one bit).
  func nextNonce(_ old: Expr) -> Expr {
    nonceValues.count == 2 ? 1 - old : .ite(old.eq(.literal(nonceValues.last ?? 1)), then: 0, else: old + 1)
  }

  /// Declares the DA commands, RSI calls, device accesses and properties (and, with `da-setup`,
  /// the start state).
  func declare() throws {
    if cca.configuration.has(CCA.Feature.daSetupDMA) && !cca.configuration.has(CCA.Feature.daSetup) {
      throw ModelError.invalid(
        location: "configuration \(cca.configuration.name)",
        message: "feature da-setup-dma needs da-setup; add da-setup")
    }
    if tdis > 1 && memoryMap.deviceGranules > 0 {
      throw ModelError.invalid(
        location: "configuration \(cca.configuration.name)",
        message: "bound tdis > 1 does not model device memory (whose TDI a granule is); set dev-granules = 0")
    }
    if vdevRequests != nil && memoryMap.deviceGranules > 0 {
      throw ModelError.invalid(
        location: "configuration \(cca.configuration.name)",
        message: "feature vdev-complete does not model RSI_VDEV_VALIDATE_MAPPING's round trip; set dev-granules = 0")
    }
    if cca.configuration.has(CCA.Feature.daSetup) { try declareSetupStart() }
    declarePDEVCommands()
    declareVDEVCommands()
    declareRealmVDEVCalls()
    declareDeviceAccesses()
    if let t = rmm.smmuTLB { declareSMMUInvalidation(t) }  // DABuilder+SMMUTLB.swift
    declareDeviceMemory()
    declareProperties()
    declareLemmas()  // DABuilder+Lemmas.swift
    if memoryMap.granuleOperands { declareParametric() }  // DABuilder+Parametric.swift
  }

  func mutated(_ name: String) -> Bool { rmm.mutated(name) }

  // MARK: - Helpers

  static let input = RMMBuilder.input
  static let device = "RMI_ERROR_DEVICE"

  /// Adds a failure condition returning `RMI_ERROR_DEVICE`.
  func failDevice(_ a: ActionBuilder, _ name: String, when condition: Expr) {
    a.fail(name, error: Self.device, code: DAABI.errorDevice, when: condition)
  }

  /// The granule state of `g`.
  func state(_ g: Expr) -> Expr { rmm.state(g) }
  /// Whether `g` is in state `s`.
  func isState(_ g: Expr, _ s: Value) -> Expr { state(g).eq(.literal(s)) }

  /// The samples of a Non-secure buffer register (PdevParams, VdevParams, RmiDevCommData, the public key): the first
  /// and the last granule.
  ///
  /// Exploration only samples (a step may be taken with any value); a buffer decides only whether its checks fail, and
  /// the DA flows keep their buffers in the first granule while the last is an object, so both outcomes stay explored
  /// at a fraction of the cost (a VDEV command already has 7^3 samples of its other registers).
  var bufferPAs: [Value] { Array(rmm.granulePAs.prefix(1) + rmm.granulePAs.suffix(1)) }

  /// The stream samples (every stream).
  var streams: [Value] { (0..<streamSort.count).map { Value($0) } }

  /// The device samples of PdevParams.rid_base (every device; the streams with one TDI per device).
  var deviceIDs: [Value] { (0..<devices).map { Value($0) } }

  /// A stream register value as a safe map key (0 when out of range).
  func safeStream(_ s: Expr) -> Expr { .ite(s.lt(.literal(Value(streamSort.count))), then: s, else: 0) }

  /// A device register value (PdevParams.rid_base) as a safe stream key (0 when out of range).
  func safeDevice(_ d: Expr) -> Expr { .ite(d.lt(.literal(Value(devices))), then: d, else: 0) }

  /// The stream of TDI `tdi` of the PDEV granule `p`: its device's stream with one TDI per device, else
  /// `device * tdis + tdi`.
  func stream(pdev p: Expr, tdi: Expr) -> Expr {
    let device = pre.read(daState.pdevStream, [p])
    return vdevTdi == nil ? device : device * .literal(Value(tdis)) + tdi
  }

  /// Turns DMA off for VDEV `g` on stream `s`: the RMM clears STE.V, then CFGI_STE, TLBI for the
  /// STE's VMID and CMD_SYNC drop the SMMU's cached copy (reference/rme.md §3.2, VDEV_UNLOCK,
  /// RSI_VDEV_DMA_DISABLE).
  func disableDMA(_ a: ActionBuilder, vdev g: Expr, stream s: Expr) {
    a.set(daState.vdevDMA, [g], to: false)
    a.set(daState.vdevDMAVerified, [g], to: false)
    a.set(daState.steValid, [s], to: false)
    a.set(daState.steCached, [s], to: false)
    a.set(daState.steCachedRealm, [s], to: 0)
    // With `smmu-tlb`: the TLBI for the STE's VMID drops the stream's SMMU TLB entries too.
    if let t = rmm.smmuTLB { a.setAll(t.iotlb, where: { k in k[0].eq(s) }) { _ in 0 } }
  }

  /// The stream of VDEV `g`: its PDEV's, or with `tdis` > 1 its TDI's (``stream(pdev:tdi:)``).
  func streamOf(vdev g: Expr) -> Expr {
    stream(pdev: pre.read(daState.vdevPdev, [g]), tdi: vdevTdi.map { pre.read($0, [g]) } ?? 0)
  }
}
