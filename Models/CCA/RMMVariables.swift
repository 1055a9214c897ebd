import Spec

/// The RMM 1.0 state of the CCA model (the `rmm` feature), on top of ``CCAVariables``, whose
/// `granuleState` then ranges over every RMM granule state (reference/rmm.md §1).
///
/// Realms are identified by their VMID: realm slot `r` is the realm whose RealmParams.vmid is
/// `r` (VMIDs are unique among live realms, reference/rmm.md §2.5 `vmid_valid`), and its private
/// data carries the content label `REALM_r`. RECs, DATA and RTT granules name their realm in
/// `granuleOwner`. Values that mean nothing (the owner of a DELEGATED granule, the entries of a
/// granule that is not an RTT, a free realm slot's fields) are kept at fixed values so they never
/// split otherwise equal states.
struct RMMVariables {
  /// `granuleOwner[g]`: the realm an RD, REC, DATA or RTT granule belongs to (0 otherwise).
  let owner: Variable
  /// `granuleRefcount[g]`: TF-RMM's reference count (reference/rmm.md §1.5): RECs of an RD,
  /// live entries of an RTT, 1 for a running REC; 0 otherwise.
  let refcount: Variable
  /// `recRunnable[g]`: REC.flags.runnable of a REC granule (false otherwise).
  let recRunnable: Variable
  /// `realmState[r]`: RD.state, or NONE for a free slot.
  let realmState: Variable
  /// `realmRD[r]`: the realm's RD granule (0 when free).
  let realmRD: Variable
  /// `realmRTTBase[r]`: the realm's starting-level RTT granule, `rtt_base` (0 when free).
  let realmRTTBase: Variable
  /// `realmRIM[r]`: the RIM as a digest of the measured events: their number, saturating.
  let realmRIM: Variable
  /// `realmRecIndex[r]`: `rec_index`, the MPIDR index the next REC must have.
  let realmRecIndex: Variable
  /// `rtte[g][i]`: entry `i` of RTT granule `g` (``RTTGeometry``); rows of granules that are not
  /// RTTs hold ``RTTGeometry/canonical``.
  let rtte: Variable
  /// `rtteAddr[g][i]`: the granule a protected ASSIGNED entry maps or a TABLE entry points to (0 otherwise).
  let rtteAddr: Variable
  /// `rtteDesc[g][i]`: the host's descriptor (PA and attributes) of an ASSIGNED_NS entry (0 otherwise).
  ///
  /// Under the parametric variant (`granuleDescriptors`) it is the granule the descriptor's PA
  /// names instead: nothing reads the attributes but RMI_RTT_READ_ENTRY's output and folds into
  /// blocks, which the variant does not have (Docs/ADR/0011-parametric-rmm.md).
  let rtteDesc: Variable
  /// `rttLevel[g]`: the level of an RTT granule's table (0 for other granules).
  ///
  /// A ghost: the RMM finds it by walking; fixed by the tree, so it never splits states; read by `rmm-wellformed`.
  let rttLevel: Variable
  /// `mappedIPA[g]`: the first IPA an RTT granule's table maps, or the IPA a DATA granule is mapped at (0 for other
  /// granules).
  ///
  /// A ghost like ``rttLevel``.
  let mappedIPA: Variable
  /// `peRunning[pe]`: whether the PE runs a REC (between REC_ENTER and the REC's exit).
  let peRunning: Variable
  /// `peREC[pe]`: the REC granule the PE runs (0 when not running).
  let peREC: Variable
  /// Monitor: a realm read another realm's data, or wrote over it.
  let realmForeignAccess: Variable

  init(
    _ b: ModelBuilder, granule: Domain, pe: Domain, realm: Domain, geometry: RTTGeometry,
    maxRefcount: Int, recs: Int, rimLimit: Int, granuleDescriptors: Bool = false
  ) {
    owner = b.map("granuleOwner", keys: [granule], realm, doc: "the realm an RD, REC, DATA or RTT granule belongs to") {
      _ in 0
    }
    refcount = b.map(
      "granuleRefcount", keys: [granule], .range(0, Value(maxRefcount)),
      doc: "TF-RMM's granule reference count (rmm.md §1.5)"
    ) { _ in 0 }
    recRunnable = b.map("recRunnable", keys: [granule], .bool, doc: "REC.flags.runnable of a REC granule") { _ in false
    }
    realmState = b.map("realmState", keys: [realm], RealmState.domain, doc: "RD.state, NONE for a free VMID") { _ in
      .literal(RealmState.none)
    }
    realmRD = b.map("realmRD", keys: [realm], granule, doc: "the realm's RD granule") { _ in 0 }
    realmRTTBase = b.map("realmRTTBase", keys: [realm], granule, doc: "the realm's starting-level RTT") { _ in 0 }
    realmRIM = b.map(
      "realmRIM", keys: [realm], .range(0, Value(rimLimit)),
      doc: "the RIM: the number of measured events, saturating (an abstract digest)"
    ) { _ in 0 }
    realmRecIndex = b.map("realmRecIndex", keys: [realm], .range(0, Value(recs)), doc: "rec_index") { _ in 0 }
    let index = Domain.index(geometry.entrySort)
    let canonical = RTTGeometry.canonical.expr
    rtte = b.map(
      "rtte", keys: [granule, index], RTTEntry.domain, doc: "the entries of each RTT granule (HIPAS x RIPAS)"
    ) { _ in canonical }
    rtteAddr = b.map(
      "rtteAddr", keys: [granule, index], granule, doc: "the DATA or child RTT granule of an entry"
    ) { _ in 0 }
    rtteDesc = b.map(
      "rtteDesc", keys: [granule, index], granuleDescriptors ? granule : .word(bits: 64),
      doc: granuleDescriptors
        ? "the granule the host's descriptor of an ASSIGNED_NS entry names (the parametric variant)"
        : "the host's descriptor of an ASSIGNED_NS entry"
    ) { _ in 0 }
    rttLevel = b.map("rttLevel", keys: [granule], .range(0, 3), doc: "the level of an RTT granule (ghost)") { _ in 0 }
    mappedIPA = b.map(
      "mappedIPA", keys: [granule], .word(bits: geometry.ipaWidth),
      doc: "the first IPA an RTT maps, or the IPA of a DATA granule (ghost)"
    ) { _ in 0 }
    peRunning = b.map("peRunning", keys: [pe], .bool, doc: "whether the PE runs a REC") { _ in false }
    peREC = b.map("peREC", keys: [pe], granule, doc: "the REC the PE runs") { _ in 0 }
    realmForeignAccess = b.variable(
      "realmForeignAccess", .bool, role: .monitor, doc: "a realm read or overwrote another realm's data",
      initial: false)
  }
}
