import Spec

/// The REC state of the RMM 1.0 model beyond ``RMMVariables`` (reference/rmm.md §1.3): each
/// REC's MPIDR, its auxiliary granules, its pending PSCI request and RIPAS change, and each
/// realm's REMs.
///
/// Every map is keyed by granule (a REC granule's fields); the fields of any other granule, and
/// of a REC with nothing pending, are held at 0 (NONE, false) so they never split otherwise equal
/// states (`rmm-wellformed` checks it).
struct RECVariables {
  /// RecAuxCount: the number of auxiliary granules every REC takes (the `rec-aux` bound).
  let auxCount: Int
  /// `recMpidr[g]`: the MPIDR index (Aff0) of REC `g`.
  let mpidr: Variable
  /// `recAuxOf[g]`: the REC a REC_AUX granule belongs to (0 otherwise).
  let auxOf: Variable
  /// `recPsciPending[g]`: `psci_pending`: the REC made a PSCI call the host must complete.
  let psciPending: Variable
  /// `recPsciRequest[g]`: the function of the pending PSCI call (NONE when none).
  let psciRequest: Variable
  /// `recPsciTarget[g]`: the MPIDR index the pending call targets.
  let psciTarget: Variable
  /// `recPsciResult[g]`: the PSCI return value RMI_PSCI_COMPLETE left in the REC's X0, which
  /// the realm sees on its next entry.
  let psciResult: Variable
  /// `recRipasAddr[g]`, `recRipasTop[g]`: `ripas_addr` (the progress) and `ripas_top` of a
  /// pending RIPAS change (both 0 when none: a request always has top > 0).
  let ripasAddr: Variable
  let ripasTop: Variable
  /// `recRipasValue[g]`: `ripas_value` of the pending change (RMI_EMPTY or RMI_RAM).
  let ripasValue: Variable
  /// `recRipasDestroyed[g]`: `ripas_destroyed` = CHANGE_DESTROYED.
  let ripasDestroyed: Variable
  /// `realmREM[r][i]`: REM[i + 1] of realm `r` as an abstract digest: the number of
  /// extensions, saturating (like the RIM).
  let rem: Variable
  /// With `attest`: `recAttestInProgress[g]`: REC `g`'s attest_state is ATTEST_IN_PROGRESS
  /// (reference/rmm.md §5: RSI_ATTESTATION_TOKEN_INIT started a token, CONTINUE has not
  /// written all of it).
  let attestInProgress: Variable?
  /// With `attest`: `recAttestCopied[g]`: the bytes of the abstract token the realm has been
  /// given so far (0 when none is in progress; less than ``RSI/attestTokenLength`` while one is).
  let attestCopied: Variable?

  /// Declares the REC state for `recs` RECs per realm and an IPA space of `ipaWidth` bits, with
  /// the attestation state when `attest`.
  init(
    _ b: ModelBuilder, granule: Domain, realm: Domain, recs: Int, auxCount: Int, ipaWidth: Int, rimLimit: Int,
    attest: Bool = false
  ) {
    self.auxCount = auxCount
    let index = Domain.range(0, Value(max(recs - 1, 0)))
    mpidr = b.map("recMpidr", keys: [granule], index, doc: "the MPIDR index of a REC") { _ in 0 }
    auxOf = b.map("recAuxOf", keys: [granule], granule, doc: "the REC a REC_AUX granule belongs to") { _ in 0 }
    psciPending = b.map("recPsciPending", keys: [granule], .bool, doc: "psci_pending of a REC") { _ in false }
    psciRequest = b.map(
      "recPsciRequest", keys: [granule], .finite(PSCI.requestSet), doc: "the PSCI call a REC waits on"
    ) { _ in 0 }
    psciTarget = b.map("recPsciTarget", keys: [granule], index, doc: "the target MPIDR index of a pending PSCI call") {
      _ in 0
    }
    psciResult = b.map(
      "recPsciResult", keys: [granule], .finite(PSCI.resultSet), doc: "the PSCI result PSCI_COMPLETE left in X0"
    ) { _ in 0 }
    let ipa = Domain.word(bits: ipaWidth)
    ripasAddr = b.map("recRipasAddr", keys: [granule], ipa, doc: "ripas_addr of a pending RIPAS change") { _ in 0 }
    ripasTop = b.map("recRipasTop", keys: [granule], ipa, doc: "ripas_top of a pending RIPAS change") { _ in 0 }
    ripasValue = b.map("recRipasValue", keys: [granule], .range(0, 1), doc: "ripas_value (EMPTY, RAM)") { _ in 0 }
    ripasDestroyed = b.map("recRipasDestroyed", keys: [granule], .bool, doc: "ripas_destroyed = CHANGE_DESTROYED") {
      _ in false
    }
    rem = b.map(
      "realmREM", keys: [realm, .index(IndexSort("REM", count: 4))], .range(0, Value(rimLimit)),
      doc: "REM[1..4]: the number of extensions, saturating (an abstract digest)"
    ) { _ in 0 }
    if attest {
      attestInProgress = b.map(
        "recAttestInProgress", keys: [granule], .bool, doc: "attest_state = ATTEST_IN_PROGRESS of a REC"
      ) { _ in false }
      attestCopied = b.map(
        "recAttestCopied", keys: [granule], .range(0, RSI.attestTokenLength - 1),
        doc: "the bytes of the abstract attestation token written so far"
      ) { _ in 0 }
    } else {
      attestInProgress = nil
      attestCopied = nil
    }
  }
}
