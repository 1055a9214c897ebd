import Spec

// MARK: - RMI_RTT_* commands

extension RMMBuilder {
  /// Adds `level_bound`, `ipa_align` (to the entry size at `alignLevel`), `ipa_bound` for an
  /// (rd, ipa, level) command.
  func levelIPAChecks(
    _ a: ActionBuilder, _ ipa: Expr, _ level: Expr, validLevel: Expr, alignLevel: Expr, ipaBound: Expr
  ) {
    a.fail("level_bound", error: Self.input, code: RMIABI.errorInput, when: !validLevel)
    a.fail("ipa_align", error: Self.input, code: RMIABI.errorInput, when: !geometry.isAligned(ipa, level: alignLevel))
    a.fail("ipa_bound", error: Self.input, code: RMIABI.errorInput, when: ipaBound)
  }

  /// The RMI ripas value of an entry (RMI_EMPTY for unprotected and TABLE entries).
  func ripas(_ entry: Expr) -> Expr {
    .ite(
      RTTEntry.isOne(entry, [.unassignedRAM, .assignedRAM]), then: .literal(RMIABI.ripasRAM),
      else: .ite(
        RTTEntry.isOne(entry, [.unassignedDestroyed, .assignedDestroyed]), then: .literal(RMIABI.ripasDestroyed),
        else: .literal(RMIABI.ripasEmpty)))
  }

  /// The PA of granule index `g`.
  func pa(_ g: Expr) -> Expr { .literal(MemoryMap.dramBase) + (g << .literal(MemoryMap.granuleShift)) }

  /// Declares the RTT commands.
  func declareRTTCommands() {
    let start = Value(geometry.startLevel)
    let levels = tableLevels
    b.action(
      "RMI_RTT_CREATE", actor: "hypervisor",
      doc: """
        RMI_RTT_CREATE (FID 0xC400015D; reference/rmm.md §2.15): x1 = rd, x2 = rtt, x3 = ipa, x4 = level of \
        the new RTT. Failure conditions in the ACS order: rd_align, rd_bound, rd_state; level_bound \
        (level ≤ the starting level or > 3); ipa_align (to the entry size at level − 1); ipa_bound \
        (≥ 2^s2sz); rtt_align, rtt_bound, rtt_state (not DELEGATED) (all RMI_ERROR_INPUT); rtt_walk \
        (the walk to level − 1 stops early) RMI_ERROR_RTT at the level reached; rtte_state (the \
        parent entry is already a TABLE) RMI_ERROR_RTT at level − 1. Success: rtt → RTT owned by the \
        realm, zero-filled; the parent entry becomes TABLE → rtt and the parent RTT's reference count \
        grows by one; the new table's entries inherit the parent's unassigned state (same RIPAS, or \
        UNASSIGNED_NS); reference count 0 (the model has no block mappings, so an assigned parent \
        never occurs).
        """,
      parameters: [
        register("x1", granulePAs), register("x2", granulePAs), register("x3", pageIPAs), register("x4", levels),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, rtt, ipa, level) = (a.arg("x1"), a.arg("x2"), a.arg("x3"), a.arg("x4"))
      rdChecks(a, rd)
      let rr = realmOf(rd)
      levelIPAChecks(
        a, ipa, level, validLevel: level.gt(.literal(start)) && level.le(3), alignLevel: level - 1,
        ipaBound: ipa.ge(.literal(geometry.ipaLimit)))
      granuleChecks(a, "rtt", rtt, state: GranuleState.delegated)
      let parentDepth = geometry.depth(ofLevel: level - 1)
      let reached = walkDepth(rr, ipa, target: parentDepth)
      a.fail(
        "rtt_walk", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: self.level(ofDepth: reached),
        when: reached.ne(parentDepth))
      let parent = node(depth: parentDepth, ipa)
      let parentEntry = pre.read(r.rtte, [rr, parent])
      a.fail(
        "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: level - 1,
        when: parentEntry.eq(RTTEntry.table.expr))
      let g = memoryMap.granule(of: rtt)
      let parentTable = tableGranule(rr, depth: parentDepth, ipa)
      makeObject(a, g, state: GranuleState.rtt, realm: rr)
      a.set(r.rtte, [rr, parent], to: RTTEntry.table.expr)
      a.set(r.rtteAddr, [rr, parent], to: g)
      a.set(r.refcount, [parentTable], to: pre.read(r.refcount, [parentTable]) + 1)
      for n in 0..<geometry.nodes {
        for child in geometry.children(ofNode: n) {
          a.when(parent.eq(.literal(Value(n)))) {
            a.set(r.rtte, [rr, .literal(Value(child))], to: parentEntry)
          }
        }
      }
    }

    b.action(
      "RMI_RTT_DESTROY", actor: "hypervisor",
      doc: """
        RMI_RTT_DESTROY (FID 0xC400015E; reference/rmm.md §2.16): x1 = rd, x2 = ipa, x3 = level of the RTT. \
        Failure conditions in spec order: rd_align, rd_bound, rd_state; level_bound; ipa_align (to \
        level − 1); ipa_bound (all RMI_ERROR_INPUT); rtt_walk RMI_ERROR_RTT at the level reached; \
        rtte_state (the parent entry is not a TABLE) RMI_ERROR_RTT at level − 1; rtt_live (the RTT has \
        live entries: reference count ≠ 0) RMI_ERROR_RTT at level. Success: the RTT returns to \
        DELEGATED, scrubbed; the parent entry becomes UNASSIGNED with RIPAS DESTROYED (protected) or \
        UNASSIGNED_NS; the parent RTT's reference count drops by one; the table's entries (at most \
        ASSIGNED_NS ones, which hold no reference) are gone. X1 = the RTT's PA, X2 = top (the end of \
        the parent entry's range).
        """,
      parameters: [register("x1", granulePAs), register("x2", pageIPAs), register("x3", levels)],
      successCode: RMIABI.success
    ) { a in
      let (rd, ipa, level) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      rdChecks(a, rd)
      let rr = realmOf(rd)
      levelIPAChecks(
        a, ipa, level, validLevel: level.gt(.literal(start)) && level.le(3), alignLevel: level - 1,
        ipaBound: ipa.ge(.literal(geometry.ipaLimit)))
      let parentDepth = geometry.depth(ofLevel: level - 1)
      let reached = walkDepth(rr, ipa, target: parentDepth)
      a.fail(
        "rtt_walk", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: self.level(ofDepth: reached),
        when: reached.ne(parentDepth))
      let parent = node(depth: parentDepth, ipa)
      a.fail(
        "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: level - 1,
        when: pre.read(r.rtte, [rr, parent]).ne(RTTEntry.table.expr))
      let g = pre.read(r.rtteAddr, [rr, parent])
      if !mutated(CCA.MutantName.rttDestroyIgnoresLive) {
        a.fail(
          "rtt_live", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: level,
          when: pre.read(r.refcount, [g]).ne(0))
      }
      let parentTable = tableGranule(rr, depth: parentDepth, ipa)
      a.output("x1", pa(g))
      a.output("x2", (ipa | byDepth(parentDepth) { d in .literal(self.geometry.entrySize(depth: d) - 1) }) + 1)
      release(a, g)
      a.set(
        r.rtte, [rr, parent],
        to: .ite(ipa.lt(.literal(geometry.protectedLimit)), then: RTTEntry.unassignedDestroyed.expr, else: RTTEntry.unassignedNS.expr))
      a.set(r.rtteAddr, [rr, parent], to: 0)
      a.set(r.refcount, [parentTable], to: pre.read(r.refcount, [parentTable]) - 1)
      for n in 0..<geometry.nodes {
        for child in geometry.children(ofNode: n) {
          a.when(parent.eq(.literal(Value(n)))) {
            a.set(r.rtte, [rr, .literal(Value(child))], to: geometry.initial(node: child).expr)
            a.set(r.rtteAddr, [rr, .literal(Value(child))], to: 0)
            a.set(r.rtteDesc, [rr, .literal(Value(child))], to: 0)
          }
        }
      }
    }

    b.action(
      "RMI_RTT_INIT_RIPAS", actor: "hypervisor",
      doc: """
        RMI_RTT_INIT_RIPAS (FID 0xC4000168; reference/rmm.md §2.21): x1 = rd, x2 = base, x3 = top. Failure \
        conditions in the ACS rel0 order: rd_align, rd_bound, rd_state; size_valid (top ≤ base); \
        top_bound (top above the protected IPA range) (all RMI_ERROR_INPUT); realm_state (not NEW) \
        RMI_ERROR_REALM; base_align (base not aligned to the entry where the walk stopped) \
        RMI_ERROR_RTT at that level; rtte_state (that entry is ASSIGNED) RMI_ERROR_RTT at that level; \
        top_gran_align (top not 4 KB aligned) RMI_ERROR_INPUT; no_progress (top below the end of that \
        entry) RMI_ERROR_RTT at that level. Success: that one entry, if UNASSIGNED with RIPAS EMPTY, \
        gets RIPAS RAM (RAM and DESTROYED are kept); the RIM is extended; X1 = the end of the entry. \
        The model processes one entry per call, where the specification continues to the end of the \
        table or top: a host sees progress in smaller steps and repeats the call.
        """,
      parameters: [register("x1", granulePAs), register("x2", protectedIPAs), register("x3", protectedIPAs.map { $0 + 0x1000 })],
      successCode: RMIABI.success
    ) { a in
      let (rd, base, top) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      rdChecks(a, rd)
      let rr = realmOf(rd)
      a.fail("size_valid", error: Self.input, code: RMIABI.errorInput, when: top.le(base))
      a.fail("top_bound", error: Self.input, code: RMIABI.errorInput, when: top.gt(.literal(geometry.protectedLimit)))
      a.fail(
        "realm_state", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm,
        when: pre.read(r.realmState, [rr]).ne(.literal(RealmState.new)))
      let depth = walkDepth(rr, base, target: .literal(Value(geometry.levels - 1)))
      let lvl = level(ofDepth: depth)
      let size = byDepth(depth) { d in .literal(self.geometry.entrySize(depth: d)) }
      let n = node(depth: depth, base)
      let entry = pre.read(r.rtte, [rr, n])
      a.fail("base_align", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: lvl, when: (base & (size - 1)).ne(0))
      a.fail(
        "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: lvl,
        when: RTTEntry.isOne(entry, RTTEntry.assignedProtected))
      a.fail("top_gran_align", error: Self.input, code: RMIABI.errorInput, when: (top & 0xFFF).ne(0))
      a.fail("no_progress", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: lvl, when: top.lt(base + size))
      a.output("x1", base + size)
      a.set(
        r.rtte, [rr, n],
        to: .ite(entry.eq(RTTEntry.unassignedEmpty.expr), then: RTTEntry.unassignedRAM.expr, else: entry))
      measure(a, rr)
    }

    b.action(
      "RMI_RTT_READ_ENTRY", actor: "hypervisor",
      doc: """
        RMI_RTT_READ_ENTRY (FID 0xC4000161; reference/rmm.md §2.20): x1 = rd, x2 = ipa, x3 = level. Failure \
        conditions in spec order, all RMI_ERROR_INPUT: rd_align, rd_bound, rd_state; level_bound \
        (below the starting level or above 3); ipa_align (to level); ipa_bound (≥ 2^s2sz). Never \
        RMI_ERROR_RTT: the walk goes as far as it can. X1 = the level reached, X2 = the RmiRttEntryState \
        (UNASSIGNED, ASSIGNED, TABLE), X3 = the PA (of the DATA granule, the child RTT, or the host's \
        descriptor for ASSIGNED_NS; 0 for unassigned and ASSIGNED/DESTROYED), X4 = the RIPAS (EMPTY \
        for unprotected and TABLE entries). Footprint: none.
        """,
      parameters: [register("x1", granulePAs), register("x2", [0]), register("x3", [start])],
      successCode: RMIABI.success
    ) { a in
      let (rd, ipa, level) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      rdChecks(a, rd)
      let rr = realmOf(rd)
      levelIPAChecks(
        a, ipa, level, validLevel: isLevel(level), alignLevel: level, ipaBound: ipa.ge(.literal(geometry.ipaLimit)))
      let target = Expr.ite(isLevel(level), then: geometry.depth(ofLevel: level), else: 0)
      let depth = walkDepth(rr, ipa, target: target)
      let n = node(depth: depth, ipa)
      let entry = pre.read(r.rtte, [rr, n])
      a.output("x1", self.level(ofDepth: depth))
      a.output(
        "x2",
        .ite(
          entry.eq(RTTEntry.table.expr), then: .literal(RMIABI.entryTable),
          else: .ite(
            RTTEntry.isOne(entry, RTTEntry.assignedProtected + [.assignedNS]), then: .literal(RMIABI.entryAssigned),
            else: .literal(RMIABI.entryUnassigned))))
      a.output(
        "x3",
        .ite(
          RTTEntry.isOne(entry, [.assignedEmpty, .assignedRAM, .table]), then: pa(pre.read(r.rtteAddr, [rr, n])),
          else: .ite(entry.eq(RTTEntry.assignedNS.expr), then: pre.read(r.rtteDesc, [rr, n]), else: 0)))
      a.output("x4", ripas(entry))
    }

    declareUnprotectedCommands()
  }

  /// The attribute bits a host may set in an RTT_MAP_UNPROTECTED descriptor besides the PA:
  /// MemAttr[5:2], S2AP[7:6], SH[9:8].
  static let descAttributeMask: Value = 0x3FC
  /// The output-address bits of a level-3 descriptor, PA[47:12].
  static let descAddressMask: Value = 0x0000_FFFF_FFFF_F000

  func declareUnprotectedCommands() {
    let unprotected = pageIPAs.filter { $0 >= geometry.protectedLimit }
    for map in [true, false] {
      b.action(
        map ? "RMI_RTT_MAP_UNPROTECTED" : "RMI_RTT_UNMAP_UNPROTECTED", actor: "hypervisor",
        doc: map
          ? """
            RMI_RTT_MAP_UNPROTECTED (FID 0xC400015F; reference/rmm.md §2.18): x1 = rd, x2 = ipa, x3 = level, \
            x4 = desc (the host's stage-2 descriptor: PA[47:12] and MemAttr/S2AP/SH). Failure \
            conditions in spec order, RMI_ERROR_INPUT unless noted: attr_valid (desc sets bits outside \
            the PA and those attributes); rd_align, rd_bound, rd_state; level_bound (not 3: the model \
            has no block mappings, so level 3 is the only mapping level); addr_align (never fails at \
            level 3); ipa_align (to level); ipa_bound (protected, or ≥ 2^s2sz); rtt_walk RMI_ERROR_RTT \
            at the level reached; rtte_state (not UNASSIGNED_NS) RMI_ERROR_RTT at level. Success: the \
            entry becomes ASSIGNED_NS with desc; no reference count changes (reference/rmm.md §1.5).
            """
          : """
            RMI_RTT_UNMAP_UNPROTECTED (FID 0xC4000162; reference/rmm.md §2.19): x1 = rd, x2 = ipa, x3 = level. \
            Failure conditions in spec order: rd_align, rd_bound, rd_state; level_bound (not 3, as for \
            MAP); ipa_align; ipa_bound (protected, or ≥ 2^s2sz) (all RMI_ERROR_INPUT); rtt_walk \
            RMI_ERROR_RTT at the level reached; rtte_state (not ASSIGNED_NS) RMI_ERROR_RTT at level. \
            Success: the entry becomes UNASSIGNED_NS (the realm's stage-2 TLB entries go with it: the \
            model's realm accesses always walk the RTT). X1 = top, the end of the page.
            """,
        parameters: [register("x1", granulePAs), register("x2", unprotected), register("x3", [3])]
          + (map ? [register("x4", granulePAs)] : []),
        successCode: RMIABI.success
      ) { a in
        let (rd, ipa, level) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
        if map {
          a.fail(
            "attr_valid", error: Self.input, code: RMIABI.errorInput,
            when: (a.arg("x4") & .literal(~(Self.descAddressMask | Self.descAttributeMask))).ne(0))
        }
        rdChecks(a, rd)
        let rr = realmOf(rd)
        a.fail("level_bound", error: Self.input, code: RMIABI.errorInput, when: level.ne(3))
        if map { a.fail("addr_align", error: Self.input, code: RMIABI.errorInput, when: false) }
        a.fail("ipa_align", error: Self.input, code: RMIABI.errorInput, when: (ipa & 0xFFF).ne(0))
        a.fail(
          "ipa_bound", error: Self.input, code: RMIABI.errorInput,
          when: ipa.lt(.literal(geometry.protectedLimit)) || ipa.ge(.literal(geometry.ipaLimit)))
        let last = geometry.levels - 1
        let depth = walkDepth(rr, ipa, target: .literal(Value(last)))
        a.fail(
          "rtt_walk", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: self.level(ofDepth: depth),
          when: depth.ne(.literal(Value(last))))
        let n = geometry.node(depth: last, ipa: safe(ipa))
        let entry = pre.read(r.rtte, [rr, n])
        a.fail(
          "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: 3,
          when: entry.ne((map ? RTTEntry.unassignedNS : RTTEntry.assignedNS).expr))
        if map {
          a.set(r.rtte, [rr, n], to: RTTEntry.assignedNS.expr)
          a.set(r.rtteDesc, [rr, n], to: a.arg("x4"))
        } else {
          a.output("x1", ipa + 0x1000)
          a.set(r.rtte, [rr, n], to: RTTEntry.unassignedNS.expr)
          a.set(r.rtteDesc, [rr, n], to: 0)
        }
      }
    }
  }
}
