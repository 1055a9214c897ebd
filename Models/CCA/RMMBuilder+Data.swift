import Spec

// MARK: - RMI_DATA_CREATE, RMI_DATA_CREATE_UNKNOWN, RMI_DATA_DESTROY

extension RMMBuilder {
  /// Adds `ipa_align`, `ipa_bound` (not a protected IPA), `rtt_walk` (the walk stops above level
  /// 3: RMI_ERROR_RTT with the level reached) for a page IPA; returns the level-3 entry's position.
  func pageWalkChecks(_ a: ActionBuilder, _ rr: Expr, _ ipa: Expr, realmState: Expr? = nil) -> RTTSlot {
    a.fail("ipa_align", error: Self.input, code: RMIABI.errorInput, when: (ipa & 0xFFF).ne(0))
    a.fail("ipa_bound", error: Self.input, code: RMIABI.errorInput, when: ipa.ge(.literal(geometry.protectedLimit)))
    if let realmState {
      a.fail("realm_state", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm, when: realmState)
    }
    let last = geometry.levels - 1
    let depth = walkDepth(rr, ipa, target: .literal(Value(last)))
    a.fail(
      "rtt_walk", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: level(ofDepth: depth),
      when: depth.ne(.literal(Value(last))))
    return slot(rr, depth: last, ipa)
  }

  /// Declares the DATA commands.
  func declareDataCommands() {
    for unknown in [false, true] {
      let name = unknown ? "RMI_DATA_CREATE_UNKNOWN" : "RMI_DATA_CREATE"
      builder.action(
        name, by: CCA.Parties.hypervisor,
        doc: unknown
          ? """
          RMI_DATA_CREATE_UNKNOWN (FID 0xC4000154; reference/rmm.md §2.13): x1 = rd, x2 = data, x3 = ipa. \
          Failure conditions in spec order: data_align, data_bound, data_state (not DELEGATED); \
          rd_align, rd_bound, rd_state; ipa_align, ipa_bound (not a protected IPA) (all \
          RMI_ERROR_INPUT); rtt_walk (the walk stops above level 3) RMI_ERROR_RTT at the level \
          reached; rtte_state (not UNASSIGNED) RMI_ERROR_RTT, index 3. No realm_state: allowed in \
          NEW and ACTIVE. (data_bound2 never applies: every PA is below 2^48.) Success: data → DATA \
          owned by the realm, zero-filled; the entry becomes ASSIGNED with its RIPAS unchanged; the \
          level-3 RTT's reference count grows by one; nothing is measured.
          """
          : """
          RMI_DATA_CREATE (FID 0xC4000153; reference/rmm.md §2.12): x1 = rd, x2 = data, x3 = ipa, x4 = src \
          (Non-secure), x5 = flags (RMI_MEASURE_CONTENT). Failure conditions in spec order: \
          src_align, src_bound, src_pas; data_align, data_bound, data_state (not DELEGATED); rd_align, \
          rd_bound, rd_state; ipa_align, ipa_bound (not a protected IPA) (all RMI_ERROR_INPUT); \
          realm_state (not NEW) RMI_ERROR_REALM; rtt_walk RMI_ERROR_RTT at the level reached; \
          rtte_state (not UNASSIGNED) RMI_ERROR_RTT, index 3. Success: data → DATA owned by the \
          realm, holding the copied contents (from here on the realm's data: label REALM_r); the \
          entry becomes ASSIGNED with RIPAS RAM; the level-3 RTT's reference count grows by one; \
          the RIM is extended (one event whether or not the content is measured).
          """,
        parameters: [
          register("x1", granulePAs), register("x2", granulePAs), register("x3", protectedIPAs, allValues: offIPAs),
        ]
          + (unknown ? [] : [register("x4", granulePAs), register("x5", [0], allValues: [1])]),
        successCode: RMIABI.success
      ) { a in
        let (rd, data, ipa) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
        if !unknown { nsBufferChecks(a, "src", a.arg("x4")) }
        granuleChecks(a, "data", data, state: GranuleState.delegated)
        rdChecks(a, rd)
        let rr = realmOf(rd)
        let position = pageWalkChecks(
          a, rr, ipa, realmState: unknown ? nil : pre.read(rmmState.realmState, [rr]).ne(.literal(RealmState.new)))
        let entry = read(rmmState.rtte, position)
        a.fail(
          "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: 3,
          when: !RTTEntry.isOne(entry, RTTEntry.unassignedProtected))
        let g = memoryMap.granule(of: data)
        let table = position.table
        let fill = unknown && !mutated(CCA.MutantName.reuseWithoutScrub)
        makeObject(a, g, state: GranuleState.data, realm: rr, fill: fill)
        // The ghost: DATA_CREATE's copy, or (UNKNOWN) the zero-fill, which makeObject records when it fills.
        if !fill { cca.recordWrite(a, g, unknown ? .literal(Content.zero) : cca.content.realmLabel(rr)) }
        a.set(rmmState.mappedIPA, [g], to: ipa)
        if unknown {
          set(
            a, rmmState.rtte, position,
            to: .ite(
              entry.eq(RTTEntry.unassignedRAM.expr), then: RTTEntry.assignedRAM.expr,
              else: .ite(
                entry.eq(RTTEntry.unassignedDestroyed.expr), then: RTTEntry.assignedDestroyed.expr,
                else: RTTEntry.assignedEmpty.expr)))
        } else {
          a.set(machine.memory, [g], to: cca.content.realmLabel(rr))
          cca.setMemoryContext(a, g, cca.realmContext(rr))
          cca.dropRealmLine(a, g, under: cca.realmContext(rr))
          set(a, rmmState.rtte, position, to: RTTEntry.assignedRAM.expr)
          measure(a, rr)
        }
        set(a, rmmState.rtteAddr, position, to: g)
        a.set(rmmState.refcount, [table], to: pre.read(rmmState.refcount, [table]) + 1)
      }
    }

    builder.action(
      "RMI_DATA_DESTROY", by: CCA.Parties.hypervisor,
      doc: """
        RMI_DATA_DESTROY (FID 0xC4000155; reference/rmm.md §2.14): x1 = rd, x2 = ipa. Failure conditions in \
        spec order: rd_align, rd_bound, rd_state, ipa_align, ipa_bound (all RMI_ERROR_INPUT); rtt_walk \
        RMI_ERROR_RTT at the level reached; rtte_state (not ASSIGNED) RMI_ERROR_RTT, index 3. Success: \
        the entry becomes UNASSIGNED (RAM → DESTROYED, EMPTY → EMPTY, DESTROYED → DESTROYED); the data \
        granule returns to DELEGATED, scrubbed; the RTT's reference count drops by one. X1 = the data \
        PA; X2 = top, the end of the non-live region from the entry on (``nonLiveTop``), also on \
        RMI_ERROR_RTT (rtt_walk, rtte_state: from the entry where the walk stopped), as §2.14 says.
        """,
      parameters: [register("x1", granulePAs), register("x2", protectedIPAs, allValues: offIPAs)],
      successCode: RMIABI.success
    ) { a in
      let (rd, ipa) = (a.arg("x1"), a.arg("x2"))
      rdChecks(a, rd)
      let rr = realmOf(rd)
      let position = pageWalkChecks(a, rr, ipa)
      let entry = read(rmmState.rtte, position)
      a.fail(
        "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: 3,
        when: !RTTEntry.isOne(entry, RTTEntry.assignedProtected))
      let g = read(rmmState.rtteAddr, position)
      let table = position.table
      a.output("x1", pa(g))
      a.output(
        "x2",
        nonLiveTop(rr, ipa, target: .literal(Value(geometry.levels - 1))) { s in
          RTTEntry.isOne(self.read(self.rmmState.rtte, s), RTTEntry.assignedProtected)
        },
        alsoOn: ["rtt_walk", "rtte_state"])
      set(
        a, rmmState.rtte, position,
        to: .ite(
          entry.eq(RTTEntry.assignedEmpty.expr), then: RTTEntry.unassignedEmpty.expr,
          else: RTTEntry.unassignedDestroyed.expr))
      set(a, rmmState.rtteAddr, position, to: Self.canonicalAddr)
      // With `s2-tlb`: TLBI for every VMID of the realm when the entry was valid (ASSIGNED RAM;
      // TF-RMM rmm-spec-v1.0-rel0 smc_data_destroy: an ASSIGNED EMPTY or DESTROYED entry is
      // invalid, its TLBI was done by the RIPAS change that made it so).
      let valid = entry.eq(RTTEntry.assignedRAM.expr)
      a.when(valid) { invalidateS2TLB(a, realm: rr, smmu: false, page: ipa) }
      let releaseNow = {
        self.release(
          a, g,
          scrubbing: !self.mutated(CCA.MutantName.dataDestroyWithoutScrub)
            && !self.mutated(CCA.MutantName.reuseWithoutScrub))
        a.set(self.rmmState.refcount, [table], to: self.pre.read(self.rmmState.refcount, [table]) - 1)
      }
      if let t = smmuTLB {
        // With `smmu-tlb` the SMMUs' invalidation completes in a later step (RMM_CMD_SYNC).
        queueSMMUTLBI(a, t, realm: rr, ipa: ipa, valid: valid, granule: g, table: table, release: releaseNow)
      } else {
        releaseNow()
      }
    }
  }
}
