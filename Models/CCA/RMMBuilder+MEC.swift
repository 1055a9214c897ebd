import Spec

// MARK: - MEC: MECIDs, REALM_CREATE / REALM_DESTROY's MEC parts, RMI_MEC_SET_SHARED / PRIVATE

/// RMI 1.1 MEC function identifiers (reference/rmm.md §3.1, §3.5) and the RMM-EL3 key refresh (§4).
///
/// Revision pinned: RMM 1.1 beta as the ACS tag `v1.1_MEC_LFA_BETA_02.25` tests it, TF-RMM tag `rmm-spec-v1.x-aligned`
/// (`lib/mec/src/mec.c`, `runtime/rmi/realm.c`).
enum MECABI {
  /// `RMI_MEC_SET_SHARED`.
  static let setSharedFID: Value = 0xC400_018C
  /// `RMI_MEC_SET_PRIVATE`.
  static let setPrivateFID: Value = 0xC400_018D
  /// `RMM_MEC_REFRESH` (the legacy RMM-EL3 FID; reference/rme.md §4.2).
  static let refreshFID: Value = 0xC400_01B6
}

extension RMMBuilder {
  /// Whether the RMM has MEC (FEAT_MEC: the `per-realm` feature).
  var hasMEC: Bool { cca.encryption == .perRealm }
  /// MAX_MECID (RmiFeatureRegister1; 0 without FEAT_MEC, reference/rmm.md §3.5).
  var maxMECID: Value { hasMEC ? Value(cca.mecids - 1) : 0 }
  /// The MEC state (present exactly when ``hasMEC``).
  var mec: MECVariables? { cca.mec }

  /// Declares the MEC state and RMI_MEC_SET_SHARED / RMI_MEC_SET_PRIVATE (with FEAT_MEC only:
  /// without it the model is RMM 1.0, which has neither).
  func declareMEC() {
    guard hasMEC else { return }
    let mecidSort = IndexSort("MECID", count: cca.mecids)
    let mec = MECVariables(builder, mecid: .index(mecidSort), realm: realm, realms: cca.realmSort.count)
    cca.mec = mec
    declareMECCommands(mec)
  }

  /// RmiFeatureRegister1 for index `x1`: MAX_MECID[63:0] at index 1 (reference/rmm.md §1.6,
  /// §2.2), 0 otherwise.
  func featureRegister1(_ x1: Expr) -> Expr {
    hasMEC ? .ite(x1.eq(1), then: .literal(maxMECID), else: 0) : 0
  }

  /// A MECID register as a map key: itself when valid, else 0.
  func safeMECID(_ mecid: Expr) -> Expr { .ite(mecid.le(.literal(maxMECID)), then: mecid, else: 0) }

  /// Whether some MEC is SHARED.
  func someMECShared(_ mec: MECVariables) -> Expr {
    .or((0..<cca.mecids).map { pre.read(mec.mecState, [.literal(Value($0))]).eq(.literal(MECState.shared)) })
  }

  // MARK: REALM_CREATE and REALM_DESTROY

  /// RealmParams.mecid (offset 0x828), with FEAT_MEC only.
  var mecParameters: [Parameter] {
    hasMEC ? [register("params_mecid", (0...maxMECID).map { $0 })] : []
  }

  /// REALM_CREATE's MEC part of `params_supp` (reference/rmm.md §2.5 item 3: "1.1 MEC: mecid > MAX_MECID or MEC in
  /// PRIVATE_ASSIGNED"; the ACS lists it with the other unsupported parameters, after `params_valid` and before
  /// `alias`), or nil without FEAT_MEC.
  ///
  /// The condition itself, with the RealmParams features, is RMMBuilder+Realm.swift's.
  func mecUnsupported(_ a: ActionBuilder) -> Expr? {
    guard let mec else { return nil }
    let mecid = a.arg("params_mecid")
    return mecid.gt(.literal(maxMECID))
      || pre.read(mec.mecState, [safeMECID(mecid)]).eq(.literal(MECState.privateAssigned))
  }

  /// REALM_CREATE's MEC effects for realm `rr` (reference/rmm.md §3.5): a PRIVATE_UNASSIGNED MEC
  /// becomes PRIVATE_ASSIGNED; a SHARED MEC gains a member; the realm records its MECID.
  func mecAssign(_ a: ActionBuilder, realm rr: Expr) {
    guard let mec else { return }
    let m = safeMECID(a.arg("params_mecid"))
    let shared = pre.read(mec.mecState, [m]).eq(.literal(MECState.shared))
    a.set(mec.realmMECID, [rr], to: m)
    a.set(
      mec.mecState, [m], to: .ite(shared, then: .literal(MECState.shared), else: .literal(MECState.privateAssigned)))
    a.set(mec.sharedMembers, to: pre.read(mec.sharedMembers) + one(shared))
    a.set(mec.keyUsed, [m], to: true)
    // The starting-level RTT was initialised under the realm's MECID, which is this command's
    // RealmParams.mecid, not the pre-state's (later effects win).
    // (Conditional on the MECID being valid, which success implies, so that the IR does not see
    // two unconditional writes of one element.)
    if let keys = cca.keys {
      a.when(a.arg("params_mecid").le(.literal(maxMECID))) {
        a.set(
          keys.memoryContext, [memoryMap.granule(of: a.arg("params_rtt_base"))],
          to: cca.chain(count: cca.mecids, of: m) { EncryptionContext.mecid(Value($0)) })
      }
    }
  }

  /// REALM_DESTROY's MEC effects for realm `rr` (reference/rmm.md §2.7, §3.5; TF-RMM `smc_realm_destroy`): a SHARED MEC
  /// loses a member (its key is kept: the other members' data is under it); a private MEC is re-keyed (RMM_MEC_REFRESH
  /// through EL3) and released to PRIVATE_UNASSIGNED.
  ///
  /// Declared before the RD and RTT are released, so their scrubs win over the refresh's effect on their memory.
  func mecRelease(_ a: ActionBuilder, realm rr: Expr) {
    guard let mec else { return }
    let m = pre.read(mec.realmMECID, [rr])
    let shared = pre.read(mec.mecState, [m]).eq(.literal(MECState.shared))
    a.set(mec.sharedMembers, to: pre.read(mec.sharedMembers) - one(shared))
    a.set(
      mec.mecState, [m], to: .ite(shared, then: .literal(MECState.shared), else: .literal(MECState.privateUnassigned)))
    a.set(mec.realmMECID, [rr], to: 0)
    if !mutated(CCA.MutantName.mecidReusedWithoutRefresh) {
      a.when(!shared) { refresh(a, mec, m) }
    }
  }

  /// RMM_MEC_REFRESH for MEC `m` (FID 0xC40001B6; reference/rme.md §4.2, §4.3): EL3 changes the key (tweak) of `m`'s
  /// context.
  ///
  /// TF-RMM releases a MECID only once no mapping uses it and DC CIPoE is complete, so first every Realm line tagged
  /// with `m` is written back and dropped; then whatever memory holds under the old key is garbage under the new one
  /// (CIPHERTEXT). The key is fresh again (`mecKeyUsed` false).
  func refresh(_ a: ActionBuilder, _ mec: MECVariables, _ m: Expr) {
    if cca.taggedLines { return refreshTagged(a, mec, m) }
    guard let keys = cca.keys, let lineContext = keys.realmLineContext else { return }
    let context = cca.chain(count: cca.mecids, of: m) { EncryptionContext.mecid(Value($0)) }
    let realmPAS = Expr.literal(PAS.realm)
    func tagged(_ g: Expr) -> Expr {
      pre.read(machine.cacheLine, [g, realmPAS]).ne(.literal(LineState.invalid))
        && pre.read(lineContext, [g]).eq(context)
    }
    func underOldKey(_ g: Expr) -> Expr {
      pre.read(keys.memoryContext, [g]).eq(context)
        || (tagged(g) && pre.read(machine.cacheLine, [g, realmPAS]).eq(.literal(LineState.dirty)))
    }
    a.setAll(machine.memory, where: { k in underOldKey(k[0]) }, to: { _ in .literal(cca.content.ciphertext) })
    a.setAll(keys.memoryContext, where: { k in underOldKey(k[0]) }, to: { _ in context })
    a.setAll(
      machine.cacheLine, where: { k in k[1].eq(realmPAS) && tagged(k[0]) }, to: { _ in .literal(LineState.invalid) })
    a.setAll(machine.cacheData, where: { k in k[1].eq(realmPAS) && tagged(k[0]) }, to: { _ in .literal(Content.zero) })
    a.setAll(lineContext, where: { k in tagged(k[0]) }, to: { _ in .literal(EncryptionContext.rmm) })
    a.set(mec.keyUsed, [m], to: false)
  }

  /// ``refresh(_:_:_:)`` with `mecid-lines`: the copies under `m`'s MECID (their own line key)
  /// are written back and dropped, then memory under the old key reads as CIPHERTEXT.
  private func refreshTagged(_ a: ActionBuilder, _ mec: MECVariables, _ m: Expr) {
    guard let keys = cca.keys else { return }
    let context = cca.chain(count: cca.mecids, of: m) { EncryptionContext.mecid(Value($0)) }
    let line = cca.realmLineKey(context)
    func underOldKey(_ g: Expr) -> Expr {
      pre.read(keys.memoryContext, [g]).eq(context)
        || pre.read(machine.cacheLine, [g, line]).eq(.literal(LineState.dirty))
    }
    a.setAll(machine.memory, where: { k in underOldKey(k[0]) }, to: { _ in .literal(cca.content.ciphertext) })
    a.setAll(keys.memoryContext, where: { k in underOldKey(k[0]) }, to: { _ in context })
    a.setAll(machine.cacheLine, where: { k in k[1].eq(line) }, to: { _ in .literal(LineState.invalid) })
    a.setAll(machine.cacheData, where: { k in k[1].eq(line) }, to: { _ in .literal(Content.zero) })
    a.set(mec.keyUsed, [m], to: false)
  }

  // MARK: RMI_MEC_SET_SHARED, RMI_MEC_SET_PRIVATE

  private func declareMECCommands(_ mec: MECVariables) {
    let samples = (0...maxMECID).map { $0 }
    builder.action(
      "RMI_MEC_SET_SHARED", by: CCA.Parties.hypervisor,
      doc: """
        RMI_MEC_SET_SHARED (FID 0xC400018C; reference/rmm.md §3.1, §3.5; RMM 1.1 beta, ACS \
        `cmd_mec_set_shared`, TF-RMM `mec_set_shared`): x1 = mecid. Failure conditions in the ACS \
        order, all RMI_ERROR_INPUT: mecid_bound (mecid > MAX_MECID); state (the MEC is not \
        PRIVATE_UNASSIGNED, or another MEC is already SHARED: at most one Shared MEC exists; the \
        ACS's stimulus covers the first, TF-RMM tests both in one condition). Success: the MEC is \
        SHARED with no members. (TF-RMM also refreshes the key when it reserves the MECID; the \
        model refreshes on release only, which can only make more data readable: see \
        Docs/defence-in-depth.md.)
        """,
      parameters: [register("x1", samples)], successCode: RMIABI.success
    ) { a in
      let mecid = a.arg("x1")
      let m = safeMECID(mecid)
      a.fail("mecid_bound", error: Self.input, code: RMIABI.errorInput, when: mecid.gt(.literal(maxMECID)))
      a.fail(
        "state", error: Self.input, code: RMIABI.errorInput,
        when: pre.read(mec.mecState, [m]).ne(.literal(MECState.privateUnassigned)) || someMECShared(mec))
      a.set(mec.mecState, [m], to: .literal(MECState.shared))
    }
    builder.action(
      "RMI_MEC_SET_PRIVATE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_MEC_SET_PRIVATE (FID 0xC400018D; reference/rmm.md §3.1, §3.5; RMM 1.1 beta, ACS \
        `cmd_mec_set_private`, TF-RMM `mec_set_private`): x1 = mecid. Failure conditions in the ACS \
        order, all RMI_ERROR_INPUT: mecid_bound (MAX_MECID = 0, no FEAT_MEC; or mecid > MAX_MECID); \
        state (the MEC is not SHARED); members (the Shared MEC's member count is not 0). Success: \
        the key is refreshed (RMM_MEC_REFRESH, FID 0xC40001B6, TF-RMM `mec_release`) and the MEC \
        is PRIVATE_UNASSIGNED.
        """,
      parameters: [register("x1", samples)], successCode: RMIABI.success
    ) { a in
      let mecid = a.arg("x1")
      let m = safeMECID(mecid)
      a.fail(
        "mecid_bound", error: Self.input, code: RMIABI.errorInput,
        when: .boolean(maxMECID == 0) || mecid.gt(.literal(maxMECID)))
      a.fail(
        "state", error: Self.input, code: RMIABI.errorInput,
        when: pre.read(mec.mecState, [m]).ne(.literal(MECState.shared)))
      a.fail("members", error: Self.input, code: RMIABI.errorInput, when: pre.read(mec.sharedMembers).ne(0))
      a.set(mec.mecState, [m], to: .literal(MECState.privateUnassigned))
      refresh(a, mec, m)
    }
  }

  // MARK: realm-isolation

  /// Whether a write through `pas` to granule `g` by the realm whose label is `own` changes another live realm's data:
  /// its label in memory or in the alias's valid line.
  ///
  /// A realm that no longer exists has no data to protect: a granule it left unscrubbed holds leftovers, which are a
  /// confidentiality matter (a read of them is the leak), not an integrity one.
  func overwritesLiveRealmData(_ context: StepContext, _ g: Expr, _ pas: Expr, own: Expr) -> Expr {
    func otherLive(_ label: Expr) -> Expr {
      .or(
        (0..<cca.realmSort.count).map { k in
          label.eq(.literal(cca.content.realm(k))) && label.ne(own)
            && pre.read(rmmState.realmState, [.literal(Value(k))]).ne(.literal(RealmState.none))
        })
    }
    return otherLive(context.read(machine.memory, [g]))
      || (context.read(machine.cacheLine, [g, pas]).ne(.literal(LineState.invalid))
        && otherLive(context.read(machine.cacheData, [g, pas])))
  }

  // MARK: mec-unique

  /// Declares `mec-unique` (with FEAT_MEC only).
  func declareMECProperties() {
    guard let mec else { return }
    let realms = (0..<cca.realmSort.count).map { Expr.literal(Value($0)) }
    func live(_ rr: Expr) -> Expr { pre.read(rmmState.realmState, [rr]).ne(.literal(RealmState.none)) }
    var facts: [Expr] = []
    let states = (0..<cca.mecids).map { pre.read(mec.mecState, [.literal(Value($0))]) }
    for m in 0..<cca.mecids {
      let key = Expr.literal(Value(m))
      let state = states[m]
      let users = sum(realms.map { rr in one(live(rr) && pre.read(mec.realmMECID, [rr]).eq(key)) })
      facts.append(state.eq(.literal(MECState.shared)).implies(pre.read(mec.sharedMembers).eq(users)))
      facts.append(state.eq(.literal(MECState.privateAssigned)).implies(users.eq(1)))
      facts.append(
        state.eq(.literal(MECState.privateUnassigned)).implies(users.eq(0) && !pre.read(mec.keyUsed, [key])))
      for n in (m + 1)..<max(cca.mecids, m + 1) {
        facts.append(!(state.eq(.literal(MECState.shared)) && states[n].eq(.literal(MECState.shared))))
      }
    }
    facts.append(someMECShared(mec) || pre.read(mec.sharedMembers).eq(0))
    for rr in realms { facts.append(live(rr) || pre.read(mec.realmMECID, [rr]).eq(0)) }
    builder.invariant(CCA.PropertyName.mecUnique, doc: CCA.propertyDoc[CCA.PropertyName.mecUnique] ?? "", .and(facts))
  }
}
