import Spec

// MARK: - RMI_VERSION, RMI_FEATURES, RMI_REALM_CREATE / ACTIVATE / DESTROY

extension RMMBuilder {
  /// Declares RMI_VERSION and RMI_FEATURES.
  func declareVersionCommands() {
    builder.action(
      "RMI_VERSION", by: CCA.Parties.hypervisor,
      doc: """
        RMI_VERSION (FID 0xC4000150; reference/rmm.md §2.1): x1 is the requested version. TF-RMM 1.0: \
        RMI_SUCCESS iff x1 = 0x10000, else RMI_ERROR_INPUT (`version`); X1 (lower) = X2 (higher) = \
        0x10000 on success and on `version` alike: the outputs are the implemented revisions the host \
        negotiates with, unconditional in the specification's success conditions (RMI_VERSION has no \
        failure pre-condition in DEN0137 1.0-rel0's machine-readable form), as TF-RMM's `smc_version` \
        returns them. Footprint: none.
        """,
      parameters: [register("x1", [RMIABI.version], allValues: [RMIABI.version + 1])], successCode: RMIABI.success
    ) { a in
      a.fail("version", error: Self.input, code: RMIABI.errorInput, when: a.arg("x1").ne(.literal(RMIABI.version)))
      a.output("x1", .literal(RMIABI.version), alsoOn: ["version"])
      a.output("x2", .literal(RMIABI.version), alsoOn: ["version"])
    }
    builder.action(
      "RMI_FEATURES", by: CCA.Parties.hypervisor,
      doc: """
        RMI_FEATURES (FID 0xC4000165; reference/rmm.md §2.2, §1.6): x1 is the index; never fails. X1 = \
        RmiFeatureRegister0 for index 0 (``RMIFeatures``: S2SZ[7:0] = the geometry's IPA width, no LPA2, \
        no SVE, NUM_BPS = NUM_WPS = 1, PMU_EN with PMU_NUM_CTRS = 31, HASH_SHA_256[32] and \
        HASH_SHA_512[33], GICV3_NUM_LRS = 0, MAX_RECS_ORDER = 10: TF-RMM rmm-spec-v1.0-rel0's host \
        build but for LPA2; with `da`, DA_EN[42] [1.1-UNSTABLE], TF-RMM rmm-spec-v1.x-aligned), \
        RmiFeatureRegister1 for index 1 with FEAT_MEC, 0 for any other index. \
        Footprint: none.
        """,
      parameters: [register("x1", [0], allValues: [1])], successCode: RMIABI.success
    ) { a in
      a.output("x1", .ite(a.arg("x1").eq(0), then: .literal(features.register0), else: featureRegister1(a.arg("x1"))))
    }
  }

  /// The RMM's features (RmiFeatureRegister0; ``RMIFeatures``) at this geometry, with DA_EN in
  /// configurations with `da`.
  var features: RMIFeatures {
    RMIFeatures(s2sz: geometry.ipaWidth, deviceAssignment: cca.configuration.has(CCA.Feature.da))
  }

  /// RMI_REALM_CREATE's RealmParams feature fields: flags, sve_vl, num_bps, num_wps, pmu_num_ctrs.
  ///
  /// Pinned to a supported value. With `all-values` flags also takes LPA2 and num_bps 0. With
  /// `realm-params-values` (``CCA/Feature/realmParamsValues``) they take the values that reach
  /// every clause of params_supp (``RMIFeatures/unsupported(flags:sveVL:numBPs:numWPs:pmuNumCtrs:)``):
  /// flags LPA2, SVE and PMU; num_bps and num_wps 0 and above the supported count; pmu_num_ctrs 0
  /// (a PMU request without FEAT_HPMN0), a supported count and one above PMU_NUM_CTRS. sve_vl keeps
  /// one value: it is read only when RMI_FEATURES offers SVE, which no configuration does.
  var realmParamsFields: [Parameter] {
    guard cca.configuration.has(CCA.Feature.realmParamsValues) else {
      return [
        realmDA == nil
          ? register("params_flags", [0], allValues: [RMIABI.realmFlagLPA2])
          : register("params_flags", [RMIABI.realmFlagDA], allValues: [RMIABI.realmFlagLPA2, 0]),
        register("params_sve_vl", [0]),
        register("params_num_bps", [1], allValues: [0]), register("params_num_wps", [1]),
        register("params_pmu_num_ctrs", [0]),
      ]
    }
    let f = features
    let da = realmDA == nil ? 0 : RMIABI.realmFlagDA
    return [
      register("params_flags", [0, RMIABI.realmFlagLPA2, RMIABI.realmFlagSVE, RMIABI.realmFlagPMU].map { $0 | da }),
      register("params_sve_vl", [0]), register("params_num_bps", [1, 0, f.numBPs + 1]),
      register("params_num_wps", [1, 0, f.numWPs + 1]), register("params_pmu_num_ctrs", [0, 1, f.pmuNumCtrs + 1]),
    ]
  }

  /// Declares RMI_REALM_CREATE, RMI_REALM_ACTIVATE and RMI_REALM_DESTROY.
  func declareRealmCommands() {
    let realmCount = cca.realmSort.count
    builder.action(
      "RMI_REALM_CREATE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_REALM_CREATE (FID 0xC4000158; reference/rmm.md §2.5): x1 = rd, x2 = params_ptr (a Non-secure \
        granule holding RealmParams, whose fields are the params_* parameters). Failure conditions in the \
        ACS order, all RMI_ERROR_INPUT: params_align, params_bound, params_pas; params_valid (hash_algo \
        not SHA-256/512, s2sz not the geometry's IPA width); params_supp (RealmParams asks for what \
        RMI_FEATURES does not offer, ``RMIFeatures/unsupported(flags:sveVL:numBPs:numWPs:pmuNumCtrs:)``: \
        flags.LPA2; num_bps or num_wps 0 or above NUM_BPS / NUM_WPS; flags.SVE (not supported); \
        flags.PMU with pmu_num_ctrs 0 or above PMU_NUM_CTRS; with FEAT_MEC, an invalid or \
        PRIVATE_ASSIGNED mecid); alias (rd = rtt_base); rd_align, rd_bound, \
        rd_state (not DELEGATED); rtt_align; rtt_num_level (rtt_level_start not the geometry's \
        starting level or rtt_num_start ≠ 1); rtt_state (the rtt_base granule is not a DELEGATED \
        granule); vmid_valid (vmid ≥ the realms bound, or used by a live realm). The reference puts \
        the reserved num_bps / num_wps value 0 under params_supp (TF-RMM returns RMI_ERROR_INPUT for \
        both, so the split between params_valid and params_supp is not observable); a RealmParams \
        field a scenario leaves unwritten reads as num_bps = num_wps = 1 (``CCA/structureFields``). \
        The flags, sve_vl, num_bps, num_wps and pmu_num_ctrs are not recorded: they configure realm \
        execution, which the model abstracts. Flags bits above bit 2 are ignored, as TF-RMM rel0 does, \
        except, with `da`, flags.DA (bit 3; TF-RMM rmm-spec-v1.x-aligned `rd->da_enabled`) [1.1-UNSTABLE]: \
        recorded as the realm's DA flag (realmDA), which RMI_VDEV_CREATE's da_en reads; its \
        params_supp case (flags.DA without RMI_FEATURES' DA_EN) cannot arise, as `da` sets DA_EN. \
        The ACS states no priority orderings for this command; the list order is the model's. \
        Success: rd → RD and rtt_base → RTT, both zero-filled and owned by the realm of VMID vmid; \
        the starting-level table's entries UNASSIGNED with RIPAS EMPTY in its lower (protected) half \
        and UNASSIGNED_NS in its upper half (rtt_num_start = 1, so the table maps the whole IPA space); \
        state NEW; RIM = one measured event (the realm parameters); rec_index = 0.
        """,
      parameters: [
        register("x1", granulePAs), register("x2", granulePAs),
        register("params_hash_algo", [RMIABI.hashSHA256], allValues: [RMIABI.hashSHA512, RMIABI.hashSHA512 + 1]),
        register("params_s2sz", [Value(geometry.ipaWidth)], allValues: [Value(geometry.ipaWidth) + 1]),
        register("params_vmid", (0..<realmCount).map { Value($0) }, allValues: [Value(realmCount)]),
        register("params_rtt_base", granulePAs),
        register("params_rtt_level_start", [Value(geometry.startLevel)], allValues: [Value(geometry.startLevel) + 1]),
        register("params_rtt_num_start", [1], allValues: [2]),
      ] + mecParameters + [
        // RealmParams' feature fields (last, after the MEC one): pinned to a supported value; with
        // all-values, flags also takes LPA2 and num_bps 0 (two ways params_supp fails) without
        // multiplying the others; with realm-params-values (``realmParamsValues``) every clause of
        // params_supp and the PMU request that succeeds. With DA every explored realm is a DA
        // realm (all-values adds one without the flag, for VDEV_CREATE's da_en).
      ] + realmParamsFields,
      successCode: RMIABI.success
    ) { a in
      let (rd, params) = (a.arg("x1"), a.arg("x2"))
      let vmid = a.arg("params_vmid")
      let rttBase = a.arg("params_rtt_base")
      nsBufferChecks(a, "params", params)
      a.fail(
        "params_valid", error: Self.input, code: RMIABI.errorInput,
        when: a.arg("params_hash_algo").gt(.literal(RMIABI.hashSHA512))
          || a.arg("params_s2sz").ne(.literal(Value(geometry.ipaWidth))))
      let unsupported = features.unsupported(
        flags: a.arg("params_flags"), sveVL: a.arg("params_sve_vl"), numBPs: a.arg("params_num_bps"),
        numWPs: a.arg("params_num_wps"), pmuNumCtrs: a.arg("params_pmu_num_ctrs"))
      a.fail(
        "params_supp", error: Self.input, code: RMIABI.errorInput,
        when: mecUnsupported(a).map { unsupported || $0 } ?? unsupported)  // MEC: RMMBuilder+MEC.swift
      a.fail("alias", error: Self.input, code: RMIABI.errorInput, when: rd.eq(rttBase))
      granuleChecks(a, "rd", rd, state: GranuleState.delegated)
      a.fail("rtt_align", error: Self.input, code: RMIABI.errorInput, when: !memoryMap.isAligned(rttBase))
      a.fail(
        "rtt_num_level", error: Self.input, code: RMIABI.errorInput,
        when: a.arg("params_rtt_level_start").ne(.literal(Value(geometry.startLevel)))
          || a.arg("params_rtt_num_start").ne(1))
      let rtt = memoryMap.granule(of: rttBase)
      let safeVMID = Expr.ite(vmid.lt(.literal(Value(realmCount))), then: vmid, else: 0)
      // The mutant realm-create-sets-rd-before-rtt-check: the RD is set before this check fails.
      let rdSetEarly: [Effect] =
        mutated(CCA.MutantName.realmCreateSetsRDBeforeRTTCheck)
        ? [
          .assign(
            machine.granuleState.id, keys: [memoryMap.granule(of: rd)], value: .literal(GranuleState.rd), when: true),
          .assign(rmmState.owner.id, keys: [memoryMap.granule(of: rd)], value: safeVMID, when: true),
        ] : []
      a.fail(
        "rtt_state", error: Self.input, code: RMIABI.errorInput,
        when: !memoryMap.isDelegable(rttBase) || state(rtt).ne(.literal(GranuleState.delegated)), effects: rdSetEarly)
      a.fail(
        "vmid_valid", error: Self.input, code: RMIABI.errorInput,
        when: vmid.ge(.literal(Value(realmCount)))
          || pre.read(rmmState.realmState, [safeVMID]).ne(.literal(RealmState.none)))
      let g = memoryMap.granule(of: rd)
      makeObject(a, g, state: GranuleState.rd, realm: safeVMID)
      makeObject(a, rtt, state: GranuleState.rtt, realm: safeVMID)
      a.set(rmmState.realmState, [safeVMID], to: .literal(RealmState.new))
      a.set(rmmState.realmRD, [safeVMID], to: g)
      a.set(rmmState.realmRTTBase, [safeVMID], to: rtt)
      a.set(rmmState.realmRIM, [safeVMID], to: 1)
      a.set(rmmState.realmRecIndex, [safeVMID], to: 0)
      if let realmDA {
        a.set(realmDA, [safeVMID], to: (a.arg("params_flags") & .literal(RMIABI.realmFlagDA)).ne(0))
      }
      a.set(rmmState.rttLevel, [rtt], to: .literal(Value(geometry.startLevel)))
      let half = Value(geometry.entries / 2)
      setRow(a, rmmState.rtte, rtt) { i in
        .ite(i.lt(.literal(half)), then: RTTEntry.unassignedEmpty.expr, else: RTTEntry.unassignedNS.expr)
      }
      mecAssign(a, realm: safeVMID)
    }

    builder.action(
      "RMI_REALM_ACTIVATE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_REALM_ACTIVATE (FID 0xC4000157; reference/rmm.md §2.6): x1 = rd. Failure conditions in spec \
        order: rd_align, rd_bound, rd_state (not RD) RMI_ERROR_INPUT; realm_state (not NEW) \
        RMI_ERROR_REALM. Success: the realm becomes ACTIVE (its RIM is frozen).
        """,
      parameters: [register("x1", granulePAs)], successCode: RMIABI.success
    ) { a in
      let rd = a.arg("x1")
      rdChecks(a, rd)
      let rr = realmOf(rd)
      a.fail(
        "realm_state", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm,
        when: pre.read(rmmState.realmState, [rr]).ne(.literal(RealmState.new)))
      a.set(rmmState.realmState, [rr], to: .literal(RealmState.active))
    }

    builder.action(
      "RMI_REALM_DESTROY", by: CCA.Parties.hypervisor,
      doc: """
        RMI_REALM_DESTROY (FID 0xC4000159; reference/rmm.md §2.7, §1.5): x1 = rd. Failure conditions in \
        spec order: rd_align, rd_bound, rd_state RMI_ERROR_INPUT; realm_live (RealmIsLive: the RD's \
        reference count, its number of RECs, is not 0, or the starting-level RTT has live entries) \
        RMI_ERROR_REALM. Success: the RD and the starting-level RTT return to DELEGATED, scrubbed; the \
        VMID is free again (the slot's fields back to their initial values, the RTT's row of entries \
        back to the canonical value of a granule that is not an RTT).
        """,
      parameters: [register("x1", granulePAs)], successCode: RMIABI.success
    ) { a in
      let rd = a.arg("x1")
      rdChecks(a, rd)
      let rr = realmOf(rd)
      let g = memoryMap.granule(of: rd)
      let rtt = pre.read(rmmState.realmRTTBase, [rr])
      a.fail(
        "realm_live", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm,
        when: pre.read(rmmState.refcount, [g]).ne(0) || pre.read(rmmState.refcount, [rtt]).ne(0))
      mecRelease(a, realm: rr)  // before the releases: their scrubs win (RMMBuilder+MEC.swift)
      release(a, g)
      release(a, rtt)
      a.set(rmmState.realmState, [rr], to: .literal(RealmState.none))
      a.set(rmmState.realmRD, [rr], to: 0)
      a.set(rmmState.realmRTTBase, [rr], to: 0)
      a.set(rmmState.realmRIM, [rr], to: 0)
      a.set(rmmState.realmRecIndex, [rr], to: 0)
      if let realmDA { a.set(realmDA, [rr], to: false) }
      resetREMs(a, rr)
      clearRow(a, rtt, realm: rr)
    }
  }
}
