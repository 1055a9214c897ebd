import Spec

/// A MEC's state (reference/rmm.md §3.5, RMM 1.1 beta, ACS tag `v1.1_MEC_LFA_BETA_02.25`):
/// `MEC_STATE_PRIVATE_UNASSIGNED` (every MEC at boot), `MEC_STATE_PRIVATE_ASSIGNED` (one realm
/// uses it), `MEC_STATE_SHARED` (any number of realms use it, counted by the member count).
///
/// The reference gives no numeric encodings; these are the model's, in the reference's order.
enum MECState {
  static let privateUnassigned: Value = 0
  static let privateAssigned: Value = 1
  static let shared: Value = 2

  static let set = FiniteSet(
    "MecState",
    [
      ("MEC_STATE_PRIVATE_UNASSIGNED", privateUnassigned), ("MEC_STATE_PRIVATE_ASSIGNED", privateAssigned),
      ("MEC_STATE_SHARED", shared),
    ])
  static let domain = Domain.finite(set)
}

/// The RMM's MEC state (the `rmm` feature with `per-realm`; reference/rmm.md §3.5, reference/rme.md
/// §4.2; TF-RMM `lib/mec`, tag `rmm-spec-v1.x-aligned`).
///
/// MECIDs are the RMI's: 0 … MAX_MECID (the `max-mecid` bound), all available to realms; the
/// RMM's own MECID is separate (``EncryptionContext``). A realm's MEC policy is not stored: it
/// is SHARED exactly when its MECID's state is SHARED (MEC_SET_PRIVATE refuses a SHARED MEC
/// with members, so the state cannot change under a live member), PRIVATE otherwise.
struct MECVariables {
  /// `mecState[m]`: MEC `m`'s state.
  let mecState: Variable
  /// `mecSharedMembers`: the Shared MEC's member count (TF-RMM `shared_mec_members`; at most
  /// one MEC is SHARED at a time, so one counter); 0 while none is SHARED.
  let sharedMembers: Variable
  /// `mecKeyUsed[m]`: whether MEC `m`'s current key has been given to a realm since it was last refreshed
  /// (RMM_MEC_REFRESH).
  ///
  /// `mec-unique` requires it false while the MEC is PRIVATE_UNASSIGNED: a private MECID is re-keyed before its next
  /// owner gets it.
  let keyUsed: Variable
  /// `realmMECID[r]`: RealmParams.mecid of realm `r` (0 for a free slot).
  let realmMECID: Variable

  init(_ b: ModelBuilder, mecid: Domain, realm: Domain, realms: Int) {
    mecState = b.map(
      "mecState", keys: [mecid], MECState.domain, doc: "the MEC's state (PRIVATE_UNASSIGNED at boot)",
      initial: { _ in .literal(MECState.privateUnassigned) })
    sharedMembers = b.variable(
      "mecSharedMembers", .range(0, Value(realms)), doc: "the Shared MEC's member count", initial: 0)
    keyUsed = b.map(
      "mecKeyUsed", keys: [mecid], .bool, doc: "the MEC's key was given to a realm since its last refresh",
      initial: { _ in false })
    realmMECID = b.map(
      "realmMECID", keys: [realm], mecid, doc: "RealmParams.mecid of the realm (0 when free)", initial: { _ in 0 })
  }
}
