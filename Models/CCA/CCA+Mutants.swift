import Spec

extension CCA {
  /// Mutant names.
  public enum MutantName {
    public static let noTLBIOnDelegate = "no-tlbi-on-delegate"
    public static let undelegateWithoutScrub = "undelegate-without-scrub"
    public static let cmoSourceAliasOnly = "cmo-source-alias-only"
    public static let undelegateSkipsNoAccess = "undelegate-skips-no-access"
    public static let gptWordUnlocked = "gpt-word-unlocked"
    public static let dataCreateSkipsStateCheck = "data-create-skips-state-check"
    public static let dataDestroyWithoutScrub = "data-destroy-without-scrub"
    public static let realmDestroyIgnoresLiveness = "realm-destroy-ignores-liveness"
    public static let rttDestroyIgnoresLive = "rtt-destroy-ignores-live"
    public static let undelegateLiveObject = "undelegate-live-object"
    public static let dmaEnableWithoutNonceCheck = "dma-enable-without-nonce-check"
    public static let vdevUnlockKeepsSTE = "vdev-unlock-keeps-ste"
    public static let dmaEnableSkipsStateCheck = "dma-enable-skips-state-check"
    public static let vdevCreateSkipsPdevState = "vdev-create-skips-pdev-state"
    public static let dmaDisableKeepsSTECache = "dma-disable-keeps-ste-cache"
    public static let pdevStopIgnoresVdevs = "pdev-stop-ignores-vdevs"
    public static let vdevMapAcceptsUndelegated = "vdev-map-accepts-undelegated"
    public static let validateMappingSkipsPACheck = "validate-mapping-skips-pa-check"
    public static let smmuGPINotInvalidated = "smmu-gpi-not-invalidated"
    public static let vdevCompleteSkipsVdevID = "vdev-complete-skips-vdev-id"
    public static let dmaEnableChecksAtRequest = "dma-enable-checks-at-request"
    public static let dmaEnableUsesDeviceSTE = "dma-enable-uses-device-ste"
    public static let mecidReusedWithoutRefresh = "mecid-reused-without-refresh"
    public static let reuseWithoutScrub = "reuse-without-scrub"
    public static let mecSetPrivateIgnoresMembers = "mec-set-private-ignores-members"
    public static let s2TLBIFirstVMIDOnly = "s2-tlbi-first-vmid-only"
    public static let unmapSkipsSMMUTLBI = "unmap-skips-smmu-tlbi"
    public static let smmuTLBIFirstStreamOnly = "smmu-tlbi-first-stream-only"
    public static let releaseBeforeCMDSync = "release-before-cmd-sync"
    public static let releaseScrubUnderRMMMECID = "release-scrub-under-rmm-mecid"
    public static let realmCreateSetsRDBeforeRTTCheck = "realm-create-sets-rd-before-rtt-check"
  }

  /// The mutants: each a real bug class (reference/rme.md §5), selected by name, never an edit.
  static let mutants: [Spec.Mutant] = [
    Spec.Mutant(
      name: MutantName.noTLBIOnDelegate,
      doc: """
        RMM_GTSI_DELEGATE writes GPI REALM but skips TLBI RPALOS (reference/rme.md §2.3 step 3). TF-A's \
        rationale for the TLBI: PEs may cache the old GPI NS, and without the invalidation the \
        Non-secure hypervisor keeps reading or writing the now-Realm granule through the stale entry. \
        The same stale-entry effect was behind TF-A 77612b90a (M2: no barrier between the GPT store \
        and the TLBI, so the walker could refetch the old entry). A PE that cached NS before the \
        delegate reads realm data later, and its dirty NS line lands on realm data.
        """,
      breaks: [PropertyName.gptConsistent, PropertyName.hypNoRealmRead, PropertyName.hypNoRealmWrite],
      configuration: "atomic"),
    Spec.Mutant(
      name: MutantName.undelegateWithoutScrub,
      doc: """
        RMI_GRANULE_UNDELEGATE skips the RMM's scrub (reference/rme.md §2.5, §5 M10): Islet RMM PR \
        #307 (2024-04, found by model checking) fixed `granule_undelegate` skipping the content wipe \
        that the RMM spec requires on every path out of DELEGATED (A2.2.4 "Granule wiping"). EL3's \
        source-alias clean then pushes the realm's data to memory and the host reads it.
        """,
      breaks: [PropertyName.delegatedClean, PropertyName.hypNoRealmRead],
      configuration: "atomic"),
    Spec.Mutant(
      name: MutantName.cmoSourceAliasOnly,
      doc: """
        EL3 cleans only the source PAS alias on delegate (NS) and on undelegate (Realm), as TF-A did \
        before 6a00e9b0c "rework delegating/undelegating sequence" (reference/rme.md §5 M1), which \
        added the PoPA CMOs on both aliases required by DDI0615 A1.1.1/A1.1.2. On undelegate, a clean \
        NS line speculatively filled with realm data while the granule was Realm survives the \
        transition and serves the host's next read. (On delegate the missing Realm-alias clean only \
        lets the realm see stale host data, which no property forbids.)
        """,
      breaks: [PropertyName.delegatedClean, PropertyName.hypNoRealmRead],
      configuration: "atomic"),
    Spec.Mutant(
      name: MutantName.undelegateSkipsNoAccess,
      doc: """
        RMM_GTSI_UNDELEGATE goes straight from REALM to NS, without first writing NO_ACCESS and \
        invalidating the GPT TLBs, as TF-A did before 6a00e9b0c (reference/rme.md §5 M1, §2.4 step \
        1). The old owner, still holding a cached REALM on another PE, writes after EL3 cleaned the \
        Realm alias; its dirty line outlives the transition and later reaches the host. Fine mode \
        only: the window does not exist when the transition is one step.
        """,
      breaks: [PropertyName.delegatedClean, PropertyName.hypNoRealmRead],
      configuration: "standard"),
    Spec.Mutant(
      name: MutantName.gptWordUnlocked,
      doc: """
        EL3 changes a GPI without the GPT lock around the descriptor read-modify-write (reference/rme.md \
        §2.2, §5 M7: the lock must cover reading the GPI through writing it back). Two PEs changing \
        two granules of one descriptor word both read the old word, and the later write-back undoes \
        the earlier one: a DELEGATED granule is left NS (or an UNDELEGATED one REALM). Fine mode \
        only.
        """,
      breaks: [PropertyName.gptConsistent],
      configuration: "standard"),
    Spec.Mutant(
      name: MutantName.dataCreateSkipsStateCheck,
      doc: """
        RMI_DATA_CREATE accepts a data granule that is not DELEGATED: the data_state condition is \
        missing (reference/rmm.md §2.12). The bug class of TF-RMM 2b1d3b4d (reference/rme.md §5 M16: \
        DATA_MAP_INIT did not reject a data granule aliasing the locked RD or an RTT). The host passes \
        the realm's own RD or RTT (or an UNDELEGATED granule) as the data granule: an RD or RTT \
        becomes a DATA page the realm can write, or a Non-secure granule becomes realm memory while \
        its GPI stays NS.
        """,
      breaks: [PropertyName.rmmWellformed],
      configuration: "rmm-small"),
    Spec.Mutant(
      name: MutantName.dataDestroyWithoutScrub,
      doc: """
        RMI_DATA_DESTROY returns the data granule to DELEGATED without scrubbing it (reference/rme.md §5 \
        M10: Islet RMM PR #132 / #70, where wiping happened only on RD/REC → DELEGATED, not on every \
        path; the RMM spec's A2.2.4 "Granule wiping"). The realm's data stays in a DELEGATED granule, \
        one RMI_GRANULE_UNDELEGATE away from the host (the undelegate scrub is then the only defence).
        """,
      breaks: [PropertyName.delegatedClean],
      configuration: "rmm-small"),
    Spec.Mutant(
      name: MutantName.realmCreateSetsRDBeforeRTTCheck,
      doc: """
        RMI_REALM_CREATE makes the RD granule an RD of the requested VMID before it checks the starting \
        RTT (reference/rmm.md §2.5 rtt_state), and returns RMI_ERROR_INPUT without undoing it: "state \
        set, then the error returned", the error-path bug class of TF-RMM issue #25 (an error path that \
        did not reset the state it had set; reference/rmm.md §2: everything but the footprint must be \
        unchanged on failure). The granule is left an RD of no realm: never undelegated, never destroyed \
        (rmm-wellformed: an RD must belong to a live realm).
        """,
      breaks: [PropertyName.failedCallChangesNothing, PropertyName.rmmWellformed],
      configuration: "rmm-small"),
    Spec.Mutant(
      name: MutantName.realmDestroyIgnoresLiveness,
      doc: """
        RMI_REALM_DESTROY skips realm_live (reference/rmm.md §2.7, §1.5 RealmIsLive): the RD and the \
        starting-level RTT are freed while RECs still reference the RD and the RTT still maps DATA \
        pages (a use-after-free of the RD, the bug class of TF-RMM a773789a, reference/rme.md §5 M14, \
        where objects were destroyed and reused under stale references). RECs and DATA granules are \
        left owned by a realm that no longer exists, and its VMID can be given to a new realm.
        """,
      breaks: [PropertyName.rmmWellformed],
      configuration: "rmm-small"),
    Spec.Mutant(
      name: MutantName.rttDestroyIgnoresLive,
      doc: """
        RMI_RTT_DESTROY skips rtt_live (reference/rmm.md §2.16): an RTT that still maps DATA pages is \
        freed and scrubbed, so the DATA granules lose their one RTT entry (leaked: never destroyable, \
        the realm never destroyable either) — the reference-counting bug class behind TF-RMM's RTT \
        refcount rules (reference/rmm.md §1.5, "live" RTTs).
        """,
      breaks: [PropertyName.rmmWellformed],
      configuration: "rmm-rtt"),
    Spec.Mutant(
      name: MutantName.undelegateLiveObject,
      doc: """
        RMI_GRANULE_UNDELEGATE accepts any granule the RMM owns, not only a DELEGATED one: gran_state \
        checks "not UNDELEGATED" instead of "not DELEGATED" (reference/rmm.md §2.4; reference/rme.md \
        §2.5: TF-RMM locks the granule only if its state is DELEGATED, so a granule that belongs to an \
        RD, REC, RTT or DATA object cannot be undelegated until the object is destroyed — the state \
        check Islet RMM's `granule_undelegate` and TF-RMM's `find_lock_granule` exist for). The host \
        takes a live realm's RD, RTT or DATA page back to the Non-secure world while the realm still \
        uses it.
        """,
      breaks: [PropertyName.rmmWellformed],
      configuration: "rmm-small"),
    Spec.Mutant(
      name: MutantName.mecidReusedWithoutRefresh,
      doc: """
        RMI_REALM_DESTROY releases a private MECID without asking EL3 to refresh its key \
        (RMM_MEC_REFRESH, reference/rme.md §4.2, §4.3: "the MECID key must be refreshed before a \
        MECID is given to another Realm"; TF-RMM `mec_release` refreshes before clearing the \
        reservation bit, and `smc_realm_destroy` tweaks the key of a non-shared MECID). No public \
        bug of this exact kind is known; the closest real class is reference/rme.md §5 M17 (TF-RMM \
        1389c5c4 / 67d74b6d: MEC state programmed wrongly, so accesses used the wrong key). The next \
        realm given the MECID holds the old realm's key, so any of the old realm's data left in \
        memory decrypts to plaintext for it.
        """,
      breaks: [PropertyName.mecUnique],
      configuration: "rmm-small-mec"),
    Spec.Mutant(
      name: MutantName.releaseScrubUnderRMMMECID,
      doc: """
        With MECID-tagged lines: a granule's release to DELEGATED (RMI_DATA_DESTROY, RTT_DESTROY,         REC_DESTROY, REALM_DESTROY) zeroes it through a mapping with the RMM's MECID 0 and does no DC         CIPAE, which is TF-RMM's flow before commit f5cce5bc "Change the granule scrub flow" (2025-07,         reference/rme.md §2.5, §5 M9) run on a FEAT_MEC system. The commit says why it had to change:         with FEAT_MEC a granule must be written with the right MECID, so the zeroing moved to the way         out of DELEGATED (each *_CREATE under the new owner's MECID, RMI_GRANULE_UNDELEGATE's sanitize)         and the way in became `granule_dcci_poe`, a clean and invalidate of every copy to the Point of         Encryption. This is a bug class, not a shipped bug: the old flow predates TF-RMM's MEC support.         The zeroes land in the MECID-0 copy only (reference/rme.md §4.1: lines are tagged with the         access's MECID and copies coexist), so the realm's dirty copy under its own MECID survives into         the DELEGATED granule and is written back, under that live key, over whatever the granule holds         next (the undelegate scrub, where EL3's DC CIPAPA writes back every copy, or the next owner's         initialisation).
        """,
      breaks: [PropertyName.noStaleRealmCopy, PropertyName.delegatedClean],
      configuration: "rmm-reuse-mec-lines"),
    Spec.Mutant(
      name: MutantName.reuseWithoutScrub,
      doc: """
        A granule goes from one realm to another unscrubbed: RMI_DATA_DESTROY returns it to \
        DELEGATED without the wipe and RMI_DATA_CREATE_UNKNOWN hands it to the next realm without \
        initialising it (reference/rme.md §5 M9, TF-RMM f5cce5bc: some *_CREATE path forgets to \
        initialise, so a new object holds another realm's data; M10, Islet RMM PR #132 / #70: \
        wiping only on some paths to DELEGATED; the RMM spec's A2.2.4 "Granule wiping"). The next \
        realm reads the old realm's data: plaintext under encryption none or per-pas (one Realm \
        key), ciphertext under per-realm MEC with private MECIDs (a different key, or the same \
        MECID after its refresh).
        """,
      breaks: [PropertyName.realmIsolation],
      configuration: "rmm-reuse-per-pas"),
    Spec.Mutant(
      name: MutantName.mecSetPrivateIgnoresMembers,
      doc: """
        RMI_MEC_SET_PRIVATE skips its members condition (reference/rmm.md §3.5; TF-RMM \
        `mec_set_private` checks `shared_mec_members == 0` under the shared-MECID spinlock): the \
        Shared MEC becomes PRIVATE_UNASSIGNED, and is re-keyed, while realms still use it, so their \
        memory turns to garbage and the next REALM_CREATE can take the MECID as private while they \
        live. The reference-counting bug class of reference/rme.md §5 M14 (TF-RMM a773789a: an \
        object released while still referenced) applied to the MEC member count.
        """,
      breaks: [PropertyName.mecUnique],
      configuration: "rmm-small-mec"),
  ]

  /// The mutants that only drop a failure condition, as IR patches: the builders state the
  /// specification's conditions once, and ``applyingFailurePatches(_:)`` removes the check when
  /// the mutant is selected (and the configuration builds the action).
  static let failurePatches: [(mutant: String, action: String, drop: [String])] = [
    (MutantName.dataCreateSkipsStateCheck, "RMI_DATA_CREATE", ["data_state"]),
    (MutantName.realmDestroyIgnoresLiveness, "RMI_REALM_DESTROY", ["realm_live"]),
    (MutantName.rttDestroyIgnoresLive, "RMI_RTT_DESTROY", ["rtt_live"]),
    (MutantName.dmaEnableWithoutNonceCheck, "RSI_VDEV_DMA_ENABLE", ["lock_nonce", "meas_seq", "report_seq"]),
    (MutantName.dmaEnableSkipsStateCheck, "RSI_VDEV_DMA_ENABLE", ["vdev_state"]),
    (MutantName.vdevCreateSkipsPdevState, "RMI_VDEV_CREATE", ["pdev_ready"]),
    (MutantName.pdevStopIgnoresVdevs, "RMI_PDEV_STOP", ["num_vdevs"]),
    (MutantName.validateMappingSkipsPACheck, "RMI_VDEV_VALIDATE_MAPPING", ["map_pa"]),
    (MutantName.mecSetPrivateIgnoresMembers, "RMI_MEC_SET_PRIVATE", ["members"]),
  ]

  /// Applies the selected mutant's patch from ``failurePatches`` to a built model.
  ///
  /// A patch whose action has none of its conditions is skipped: the configuration implements the check elsewhere
  /// and the builder applies the mutant there (with `vdev-complete`, RSI_VDEV_DMA_ENABLE's checks are in
  /// RMI_REC_ENTER's finish, ``DABuilder/vdevCompletion(_:rec:)``).
  ///
  /// - Throws: ``ModelError`` when the patch names a condition the action does not have.
  static func applyingFailurePatches(_ model: Model) throws -> Model {
    var result = model
    for patch in failurePatches {
      guard let index = model.action(named: patch.action),
        model.actions[index].failures.contains(where: { patch.drop.contains($0.name) })
      else { continue }
      guard model.configuration.mutated(patch.mutant) else { continue }
      result = try result.replacingAction(named: patch.action) { try $0.droppingFailures(patch.drop) }
    }
    return result
  }
}
