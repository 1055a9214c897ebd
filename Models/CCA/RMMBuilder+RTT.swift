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
        else: .ite(
          entry.eq(RTTEntry.assignedDevDev.expr), then: .literal(RMIABI.ripasDev), else: .literal(RMIABI.ripasEmpty))))
  }

  /// The PA of granule index `g` (the granule itself in the parametric variant, whose address
  /// registers are granules: ``MemoryMap/granuleOperands``).
  func pa(_ g: Expr) -> Expr {
    memoryMap.granuleOperands ? g : .literal(MemoryMap.dramBase) + (g << .literal(MemoryMap.granuleShift))
  }

  /// A run of entries a range command processes (RMI_RTT_INIT_RIPAS, RMI_RTT_SET_RIPAS): in the
  /// table where realm `rr`'s walk for `base` towards level 3 stops, the entries from `base`'s
  /// (`first`) on while the command processes them, they end at or below `top`, and the table
  /// has entries left.
  ///
  /// The IR has no local definitions, so the run is stated with quantifiers over the entry
  /// indices rather than as a stored end index: an entry is in the run when every entry from
  /// `first` to it is processed (``contains``, one quantifier), and ``count`` is the length of
  /// the run, found by halving the table (one quantifier per halving step). Both are stated per
  /// depth the walk may stop at, so their inner loops read constant-depth walks.
  struct EntryRun {
    /// The depth and level where the walk stopped.
    let depth: Expr
    let level: Expr
    /// The table granule and the size of the IPA range of one of its entries.
    let table: Expr
    let size: Expr
    /// The base IPA and the index of its entry.
    let base: Expr
    let first: Expr
    /// Whether entry `index` of granule `g` is in the run.
    let contains: (Expr, Expr) -> Expr
    /// The number of entries in the run.
    let count: Expr

    /// `out_top`: the end of the last processed entry (`base` when none is).
    var outTop: Expr { base + count * size }
  }

  /// The run of entries from `base` to `top` in the table realm `rr`'s walk reaches, while `processes(entry value)`
  /// holds (see ``EntryRun``).
  ///
  /// Meaningful once `base` is aligned to the entry size of the level reached and `top > base`.
  ///
  /// - Complexity: ``EntryRun/count`` takes `entries × log2(entries)` quantifier steps;
  ///   ``EntryRun/contains`` `entries` steps per entry of the run's table (so a row written
  ///   with it takes `entries²`, each a couple of comparisons outside the run).
  func entryRun(_ rr: Expr, base: Expr, top: Expr, while processes: @escaping (Expr) -> Expr) -> EntryRun {
    let index = Domain.index(geometry.entrySort)
    // Per constant depth d: the table, base's entry and the end of the entries below top.
    struct AtDepth {
      let table: Expr
      let first: Expr
      let limit: Expr
    }
    // `body` over depth d's table, first and limit, each a local definition: they read the
    // walk, and the run's expressions use them at every entry of the table.
    let atDepth: (Int, Expr, (AtDepth) -> Expr) -> Expr = { d, base, body in
      .local(self.table(rr, depth: d, base)) { table in
        .local(self.geometry.index(depth: d, ipa: base)) { first in
          let fit = Expr.ite(top.gt(base), then: (top - base) / .literal(self.geometry.entrySize(depth: d)), else: 0)
          let room = Expr.literal(Value(self.geometry.entries)) - first
          return .local(first + .ite(fit.lt(room), then: fit, else: room)) { limit in
            body(AtDepth(table: table, first: first, limit: limit))
          }
        }
      }
    }
    // `body` per depth the walk for `base` may stop at, with `base` itself defined once.
    let perDepth: ((Int, Expr) -> Expr) -> Expr = { body in
      .local(base) { base in
        .local(self.walkDepth(rr, base, target: .literal(Value(self.geometry.lastDepth)))) { depth in
          self.byDepth(depth) { d in body(d, base) }
        }
      }
    }
    // Entry j of table t passes: before the run, or below the limit and processed.
    func passes(_ t: Expr, _ j: Expr, _ at: AtDepth) -> Expr {
      j.lt(at.first) || (j.lt(at.limit) && processes(pre.read(rmmState.rtte, [t, j])))
    }
    // The length of the all-passing prefix of `range`, counting entries from `first` on.
    func runLength(_ range: Range<Int>, _ at: AtDepth) -> Expr {
      let lo = Value(range.lowerBound)
      if range.count == 1 {
        let j = Expr.literal(lo)
        return .ite(passes(at.table, j, at) && j.ge(at.first), then: 1, else: 0)
      }
      let mid = range.lowerBound + range.count / 2
      let allPass = Expr.forAll(index) { i in
        (i.ge(.literal(lo)) && i.lt(.literal(Value(mid)))).implies(passes(at.table, i, at))
      }
      // Entries of the lower half at or after first.
      let counted = Expr.ite(
        at.first.le(.literal(lo)), then: .literal(Value(mid) - lo),
        else: .ite(at.first.lt(.literal(Value(mid))), then: .literal(Value(mid)) - at.first, else: 0))
      return .ite(
        allPass, then: counted + runLength(mid..<range.upperBound, at), else: runLength(range.lowerBound..<mid, at))
    }
    let isCandidate: (Expr) -> Expr = { g in
      self.state(g).eq(.literal(GranuleState.rtt)) && self.pre.read(self.rmmState.owner, [g]).eq(rr)
    }
    let depth = walkDepth(rr, base, target: .literal(Value(geometry.lastDepth)))
    return EntryRun(
      depth: depth, level: level(ofDepth: depth), table: tableGranule(rr, depth: depth, base),
      size: byDepth(depth) { d in .literal(self.geometry.entrySize(depth: d)) }, base: base,
      first: entryIndex(depth: depth, base),
      contains: { g, j in
        isCandidate(g)
          && perDepth { d, base in
            atDepth(d, base) { at in
              g.eq(at.table) && j.ge(at.first) && j.lt(at.limit)
                && .forAll(index) { i in (i.ge(at.first) && i.le(j)).implies(passes(g, i, at)) }
            }
          }
      },
      count: perDepth { d, base in atDepth(d, base) { at in runLength(0..<self.geometry.entries, at) } })
  }

  /// Whether an entry value is *live*: it holds a PA.
  ///
  /// Live entries are ASSIGNED (any RIPAS, device memory included), ASSIGNED_NS and TABLE ones;
  /// UNASSIGNED (any RIPAS) and UNASSIGNED_NS entries are not (reference/rmm.md §2.14, §2.16,
  /// §2.19: the `top` outputs skip non-live entries). TF-RMM rmm-spec-v1.0-rel0 decides the same
  /// way (`s2tte_is_live`: `s2tte_has_pa`).
  static func isLive(_ entry: Expr) -> Expr {
    !RTTEntry.isOne(entry, RTTEntry.unassignedProtected + [.unassignedNS])
  }

  /// `top`, the end of the non-live region from the entry where realm `rr`'s walk for `ipa`
  /// towards depth `target` stops, as RMI_DATA_DESTROY (X2), RMI_RTT_DESTROY (X2) and
  /// RMI_RTT_UNMAP_UNPROTECTED (X1) return it (reference/rmm.md §2.14, §2.16, §2.19: "top of
  /// non-live region from the walk point"): `ipa` itself when that entry is live after the
  /// call; otherwise `ipa` aligned down to the entry size of the level reached, plus that size
  /// for the entry and for each following non-live entry of the same table, up to the first live
  /// one or the end of the table.
  ///
  /// The entry is judged as it is *after* the call: `clears(slot)` says whether the call, having
  /// reached `target`, makes the live entry at `slot` non-live (the command's success), so the
  /// one expression serves the success and the failure paths the outputs are defined on (a
  /// failed call changes nothing). How an entry's liveness is found and the alignment of an
  /// unaligned `ipa` after an early walk stop follow TF-RMM rmm-spec-v1.0-rel0
  /// (`s2tt_skip_non_live_entries`, lib/s2tt/src/s2tt.c), which reference/rmm.md does not spell out.
  ///
  /// - Complexity: `log2(entries)` quantifiers over the table's entries per evaluation (the
  ///   first live entry after the walk point is found by halving the table).
  func nonLiveTop(_ rr: Expr, _ ipa: Expr, target: Expr, clears: @escaping (RTTSlot) -> Expr) -> Expr {
    let index = Domain.index(geometry.entrySort)
    // The first index in `range` after `after` whose entry of table t is live, else
    // range.upperBound.
    func firstLive(_ t: Expr, after: Expr, _ range: Range<Int>) -> Expr {
      let live: (Expr) -> Expr = { j in j.gt(after) && Self.isLive(self.pre.read(self.rmmState.rtte, [t, j])) }
      if range.count == 1 {
        return .ite(
          live(.literal(Value(range.lowerBound))), then: .literal(Value(range.lowerBound)),
          else: .literal(Value(range.upperBound)))
      }
      let mid = range.lowerBound + range.count / 2
      let inLower = Expr.exists(index) { i in
        i.ge(.literal(Value(range.lowerBound))) && i.lt(.literal(Value(mid))) && live(i)
      }
      return .ite(
        inLower, then: firstLive(t, after: after, range.lowerBound..<mid),
        else: firstLive(t, after: after, mid..<range.upperBound))
    }
    return .local(ipa) { ipa in
      .local(self.walkDepth(rr, ipa, target: target)) { depth in
        self.byDepth(depth) { d in
          .local(self.table(rr, depth: d, ipa)) { t in
            .local(self.geometry.index(depth: d, ipa: ipa)) { i in
              let size = self.geometry.entrySize(depth: d)
              let liveAfter =
                Self.isLive(self.pre.read(self.rmmState.rtte, [t, i]))
                && !(depth.eq(target) && clears(RTTSlot(table: t, index: i)))
              return .ite(
                liveAfter, then: ipa,
                else: (ipa & .literal(~(size - 1))) + (firstLive(t, after: i, 0..<self.geometry.entries) - i)
                  * .literal(size))
            }
          }
        }
      }
    }
  }

  /// Adds the failure conditions the RTT structure commands (RTT_CREATE, RTT_DESTROY, RTT_FOLD; reference/rmm.md
  /// §2.15-§2.17) share, in their order: rd_align, rd_bound, rd_state; level_bound (level ≤ the starting level or > 3);
  /// ipa_align (to the entry size at level − 1); ipa_bound (≥ 2^s2sz); then `beforeWalk` (RTT_CREATE's rtt_* checks);
  /// rtt_walk (the walk to level − 1 stops early: RMI_ERROR_RTT at the level reached).
  ///
  /// Returns the realm and the position of the parent entry (level − 1) that maps `ipa`.
  func structureChecks(
    _ a: ActionBuilder, rd: Expr, ipa: Expr, level: Expr, beforeWalk: () -> Void = {}
  ) -> (realm: Expr, parent: RTTSlot) {
    rdChecks(a, rd)
    let rr = realmOf(rd)
    levelIPAChecks(
      a, ipa, level, validLevel: level.gt(.literal(Value(geometry.startLevel))) && level.le(3), alignLevel: level - 1,
      ipaBound: ipa.ge(.literal(geometry.ipaLimit)))
    beforeWalk()
    let parentDepth = geometry.depth(ofLevel: level - 1)
    let reached = walkDepth(rr, ipa, target: parentDepth)
    a.fail(
      "rtt_walk", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: self.level(ofDepth: reached),
      when: reached.ne(parentDepth))
    return (rr, slot(rr, depth: parentDepth, ipa))
  }

  /// Adds `rtte_state` for RTT_DESTROY and RTT_FOLD (the parent entry is not a TABLE:
  /// RMI_ERROR_RTT at level − 1) and returns the RTT granule the parent entry points to.
  func childTable(_ a: ActionBuilder, _ parent: RTTSlot, level: Expr) -> Expr {
    a.fail(
      "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: level - 1,
      when: read(rmmState.rtte, parent).ne(RTTEntry.table.expr))
    return read(rmmState.rtteAddr, parent)
  }

  /// Takes RTT `g` of realm `rr` out of the tree (RTT_DESTROY, RTT_FOLD): `g` returns to
  /// DELEGATED, scrubbed, with a canonical row; the parent entry becomes `entry` and the parent
  /// table loses the reference the TABLE entry held.
  ///
  /// With `block` (RTT_FOLD of an ASSIGNED table, ``blocks``): where `block.assigned` holds, the
  /// parent entry maps `block.address` and keeps the reference (the block entry holds it now).
  func unlink(
    _ a: ActionBuilder, _ g: Expr, realm rr: Expr, parent: RTTSlot, entry: Expr,
    block: (assigned: Expr, address: Expr)? = nil
  ) {
    release(a, g)
    set(a, rmmState.rtte, parent, to: entry)
    if let block {
      set(a, rmmState.rtteAddr, parent, to: .ite(block.assigned, then: block.address, else: Self.canonicalAddr))
      a.set(
        rmmState.refcount, [parent.table],
        to: pre.read(rmmState.refcount, [parent.table]) - .ite(block.assigned, then: 0, else: 1))
    } else {
      set(a, rmmState.rtteAddr, parent, to: Self.canonicalAddr)
      a.set(rmmState.refcount, [parent.table], to: pre.read(rmmState.refcount, [parent.table]) - 1)
    }
    clearRow(a, g, realm: rr)
  }

  /// Declares the RTT commands.
  func declareRTTCommands() {
    let start = Value(geometry.startLevel)
    let levels = tableLevels
    builder.action(
      "RMI_RTT_CREATE", by: CCA.Parties.hypervisor,
      doc: """
        RMI_RTT_CREATE (FID 0xC400015D; reference/rmm.md §2.15): x1 = rd, x2 = rtt, x3 = ipa, x4 = level of \
        the new RTT. Failure conditions in spec order: rd_align, rd_bound, rd_state; level_bound \
        (level ≤ the starting level or > 3); ipa_align (to the entry size at level − 1); ipa_bound \
        (≥ 2^s2sz); rtt_align, rtt_bound, rtt_state (not DELEGATED) (all RMI_ERROR_INPUT); rtt_walk \
        (the walk to level − 1 stops early) RMI_ERROR_RTT at the level reached; rtte_state (the \
        parent entry is already a TABLE) RMI_ERROR_RTT at level − 1. Success: rtt → RTT owned by the \
        realm, zero-filled; the parent entry becomes TABLE → rtt and the parent RTT's reference count \
        grows by one; the new table's entries inherit the parent's unassigned state (same RIPAS, or \
        UNASSIGNED_NS); reference count 0. With `blocks`, under an ASSIGNED_NS block the new entries \
        are ASSIGNED_NS, entry i with the block's descriptor + i × the new level's entry size (its \
        pages or smaller blocks, same attributes), holding no reference; under a protected ASSIGNED \
        block (any RIPAS) they are ASSIGNED with the block's RIPAS, entry i mapping the block's PA + \
        i × the new level's entry size, the new RTT's reference count is the number of its entries \
        (512 at the architecture's geometry) and the parent's is unchanged: the block's reference \
        becomes the table link (reference/rmm.md §2.15, §1.5).
        """,
      parameters: [
        register("x1", granulePAs), register("x2", granulePAs), register("x3", pageIPAs, allValues: offIPAs),
        register("x4", levels, allValues: offLevels(below: geometry.startLevel + 1)),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, rtt, ipa, level) = (a.arg("x1"), a.arg("x2"), a.arg("x3"), a.arg("x4"))
      let (rr, parent) = structureChecks(a, rd: rd, ipa: ipa, level: level) {
        self.granuleChecks(a, "rtt", rtt, state: GranuleState.delegated)
      }
      let parentEntry = read(rmmState.rtte, parent)
      a.fail(
        "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: level - 1,
        when: parentEntry.eq(RTTEntry.table.expr))
      let g = memoryMap.granule(of: rtt)
      // With `blocks`, a protected ASSIGNED parent is a block the new table splits.
      let assignedBlock = RTTEntry.isOne(parentEntry, RTTEntry.assignedProtected)
      makeObject(
        a, g, state: GranuleState.rtt, realm: rr,
        refcount: blocks ? .ite(assignedBlock, then: .literal(Value(geometry.entries)), else: 0) : 0)
      a.set(rmmState.rttLevel, [g], to: level)
      a.set(rmmState.mappedIPA, [g], to: ipa)
      set(a, rmmState.rtte, parent, to: RTTEntry.table.expr)
      set(a, rmmState.rtteAddr, parent, to: g)
      a.set(
        rmmState.refcount, [parent.table],
        to: pre.read(rmmState.refcount, [parent.table]) + (blocks ? .ite(assignedBlock, then: 0, else: 1) : 1))
      setRow(a, rmmState.rtte, g) { _ in parentEntry }
      if blocks {
        // Unfolding a protected ASSIGNED block: entry i maps the block's granule + i × the new
        // level's entry size in granules (its DATA pages or smaller blocks), same RIPAS.
        let parentAddr = read(rmmState.rtteAddr, parent)
        let granules = geometry.entrySize(level: level) / .literal(MemoryMap.granuleSize)
        setRow(a, rmmState.rtteAddr, g) { i in
          .ite(assignedBlock, then: parentAddr + i * granules, else: Self.canonicalAddr)
        }
        // Unfolding an ASSIGNED_NS block: entry i maps the block's page (or smaller block) i, with
        // the block's attributes (descriptor + i × the new level's entry size).
        let parentDesc = read(rmmState.rtteDesc, parent)
        let size = geometry.entrySize(level: level)
        set(a, rmmState.rtteDesc, parent, to: 0)  // the block's descriptor moves into the new table
        setRow(a, rmmState.rtteDesc, g) { i in
          .ite(parentEntry.eq(RTTEntry.assignedNS.expr), then: parentDesc + i * size, else: 0)
        }
      }
    }

    builder.action(
      "RMI_RTT_DESTROY", by: CCA.Parties.hypervisor,
      doc: """
        RMI_RTT_DESTROY (FID 0xC400015E; reference/rmm.md §2.16): x1 = rd, x2 = ipa, x3 = level of the RTT. \
        Failure conditions in spec order: rd_align, rd_bound, rd_state; level_bound; ipa_align (to \
        level − 1); ipa_bound (all RMI_ERROR_INPUT); rtt_walk RMI_ERROR_RTT at the level reached; \
        rtte_state (the parent entry is not a TABLE) RMI_ERROR_RTT at level − 1; rtt_live (the RTT has \
        live entries: reference count ≠ 0) RMI_ERROR_RTT at level. Success: the RTT returns to \
        DELEGATED, scrubbed; the parent entry becomes UNASSIGNED with RIPAS DESTROYED (protected) or \
        UNASSIGNED_NS; the parent RTT's reference count drops by one; the table's entries (at most \
        ASSIGNED_NS ones, which hold no reference) are gone. X1 = the RTT's PA; X2 = top, the end of \
        the non-live region of the parent table from the parent entry on (``nonLiveTop``), also on \
        rtt_walk and rtte_state (from the entry where the walk stopped) and on rtt_live (the ipa: \
        the TABLE entry stays live). reference/rmm.md §2.16 does not say on which errors X2 is \
        defined; these are TF-RMM rmm-spec-v1.0-rel0's (smc_rtt_destroy).
        """,
      parameters: [
        register("x1", granulePAs), register("x2", pageIPAs, allValues: offIPAs),
        register("x3", levels, allValues: offLevels(below: geometry.startLevel + 1)),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, ipa, level) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      let (rr, parent) = structureChecks(a, rd: rd, ipa: ipa, level: level)
      let g = childTable(a, parent, level: level)
      a.fail(
        "rtt_live", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: level,
        when: pre.read(rmmState.refcount, [g]).ne(0))
      a.output("x1", pa(g))
      a.output(
        "x2",
        nonLiveTop(rr, ipa, target: geometry.depth(ofLevel: level - 1)) { s in
          self.read(self.rmmState.rtte, s).eq(RTTEntry.table.expr)
            && self.pre.read(self.rmmState.refcount, [self.read(self.rmmState.rtteAddr, s)]).eq(0)
        }, alsoOn: ["rtt_walk", "rtte_state", "rtt_live"])
      unlink(
        a, g, realm: rr, parent: parent,
        entry: .ite(
          ipa.lt(.literal(geometry.protectedLimit)), then: RTTEntry.unassignedDestroyed.expr,
          else: RTTEntry.unassignedNS.expr))
      // With `s2-tlb`: every page the table mapped (an unprotected table may hold ASSIGNED_NS
      // entries, which hold no reference: TF-RMM 22ba106d, "RMI_RTT_DESTROY should TLBI entire RTT
      // range"; a protected one has only invalid entries, so this is a no-op there).
      let span = geometry.entrySize(level: level - 1)
      let start = ipa & ~(span - 1)
      invalidateS2TLB(a, realm: rr) { p in p.ge(start) && p.lt(start + span) }
    }

    builder.action(
      "RMI_RTT_FOLD", by: CCA.Parties.hypervisor,
      doc: """
        RMI_RTT_FOLD (FID 0xC4000166; reference/rmm.md §2.17): x1 = rd, x2 = ipa, x3 = level of the RTT to \
        fold. Failure conditions in spec order: rd_align, rd_bound, rd_state; level_bound (level ≤ the \
        starting level or > 3); ipa_align (to level − 1); ipa_bound (≥ 2^s2sz) (all RMI_ERROR_INPUT); \
        rtt_walk (the walk to level − 1 stops early) RMI_ERROR_RTT at the level reached; rtte_state \
        (the parent entry is not a TABLE) RMI_ERROR_RTT at level − 1; rtte_homo (the RTT is not \
        homogeneous) RMI_ERROR_RTT at level. Homogeneous here means: all entries UNASSIGNED with the \
        same RIPAS, or all UNASSIGNED_NS; with `blocks` also all ASSIGNED_NS with one set of \
        attributes and contiguous PAs, the first aligned to an entry at level − 1, and level − 1 ≥ 1 \
        (``assignedNSBlock``), or all ASSIGNED with one RIPAS mapping contiguous DATA granules, the \
        first aligned to an entry at level − 1, and level − 1 ≥ 1 (``assignedBlock``). Success: the \
        parent entry becomes the table's unassigned entry (same RIPAS, or UNASSIGNED_NS), or a block: \
        for an ASSIGNED_NS table an ASSIGNED_NS block with the first entry's descriptor, for an \
        ASSIGNED table an ASSIGNED block with the RIPAS and the first entry's PA; the parent RTT's \
        reference count drops by one (the table link is gone; NS entries hold none) except for an \
        ASSIGNED fold, where the block entry keeps the table link's reference (reference/rmm.md \
        §2.17: the table's 512 references go with it); the RTT returns to DELEGATED, scrubbed, its \
        row back to the canonical value. X1 = the folded RTT's PA.
        """,
      parameters: [
        register("x1", granulePAs), register("x2", pageIPAs, allValues: offIPAs),
        register("x3", levels, allValues: offLevels(below: geometry.startLevel + 1)),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, ipa, level) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      let (rr, parent) = structureChecks(a, rd: rd, ipa: ipa, level: level)
      let g = childTable(a, parent, level: level)
      let first = pre.read(rmmState.rtte, [g, 0])
      // Homogeneous: checked on the realm's RTT granules h = g, so that the walk to g is
      // evaluated once per RTT of the realm and not once per entry.
      let homogeneous = Expr.forAll(granule) { h in
        (self.state(h).eq(.literal(GranuleState.rtt)) && self.pre.read(self.rmmState.owner, [h]).eq(rr) && h.eq(g))
          .implies(
            .forAll(.index(self.geometry.entrySort)) { i in
              self.pre.read(self.rmmState.rtte, [h, i]).eq(self.pre.read(self.rmmState.rtte, [h, 0]))
            })
      }
      let foldable = RTTEntry.isOne(first, RTTEntry.unassignedProtected + [.unassignedNS]) && homogeneous
      let nsBlock = blocks ? assignedNSBlock(g, realm: rr, level: level) : .boolean(false)
      let block = blocks ? assignedBlock(g, realm: rr, level: level, homogeneous: homogeneous) : .boolean(false)
      a.fail(
        "rtte_homo", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: level,
        when: !(blocks ? foldable || nsBlock || block : foldable))
      a.output("x1", pa(g))
      unlink(
        a, g, realm: rr, parent: parent, entry: first,
        block: blocks
          ? (RTTEntry.isOne(first, RTTEntry.assignedProtected), pre.read(rmmState.rtteAddr, [g, 0])) : nil)
      // With `blocks`, an ASSIGNED_NS fold leaves a block with the first entry's descriptor.
      if blocks {
        set(
          a, rmmState.rtteDesc, parent,
          to: .ite(first.eq(RTTEntry.assignedNS.expr), then: pre.read(rmmState.rtteDesc, [g, 0]), else: 0))
      }
    }

    builder.action(
      "RMI_RTT_INIT_RIPAS", by: CCA.Parties.hypervisor,
      doc: """
        RMI_RTT_INIT_RIPAS (FID 0xC4000168; reference/rmm.md §2.21): x1 = rd, x2 = base, x3 = top. Failure \
        conditions in the ACS rel0 order: rd_align, rd_bound, rd_state; size_valid (top ≤ base); \
        top_bound (top above the protected IPA range) (all RMI_ERROR_INPUT); realm_state (not NEW) \
        RMI_ERROR_REALM; base_align (base not aligned to the entry where the walk to level 3 stopped) \
        RMI_ERROR_RTT at that level; rtte_state (that entry is ASSIGNED) RMI_ERROR_RTT at that level; \
        top_gran_align (top not 4 KB aligned) RMI_ERROR_INPUT; no_progress (top below the end of that \
        entry) RMI_ERROR_RTT at that level. Success: the entries of the table the walk reached, from \
        base's entry on, are processed while they are UNASSIGNED and lie below top, up to the end of \
        the table: RIPAS EMPTY becomes RAM (RAM is kept; DESTROYED is kept too: TF-RMM 1.0 stops at a \
        DESTROYED entry instead, a difference the reference leaves open and that shows only in X1). \
        The RIM is extended once per processed entry (saturating); X1 = out_top, the end of the last \
        processed entry (below top when an entry stopped the run or the table ended: the host repeats).
        """,
      parameters: [
        register("x1", granulePAs), register("x2", protectedIPAs, allValues: offIPAs),
        register("x3", protectedIPAs.map { $0 + 0x1000 }, allValues: offTops),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, base, top) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      rdChecks(a, rd)
      let rr = realmOf(rd)
      a.fail("size_valid", error: Self.input, code: RMIABI.errorInput, when: top.le(base))
      a.fail("top_bound", error: Self.input, code: RMIABI.errorInput, when: top.gt(.literal(geometry.protectedLimit)))
      a.fail(
        "realm_state", error: "RMI_ERROR_REALM", code: RMIABI.errorRealm,
        when: pre.read(rmmState.realmState, [rr]).ne(.literal(RealmState.new)))
      let run = entryRun(rr, base: base, top: top) { RTTEntry.isOne($0, RTTEntry.unassignedProtected) }
      a.fail(
        "base_align", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: run.level,
        when: (base & (run.size - 1)).ne(0))
      a.fail(
        "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: run.level,
        when: RTTEntry.isOne(
          read(rmmState.rtte, RTTSlot(table: run.table, index: run.first)), RTTEntry.assignedProtected))
      a.fail("top_gran_align", error: Self.input, code: RMIABI.errorInput, when: (top & 0xFFF).ne(0))
      a.fail(
        "no_progress", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: run.level, when: top.lt(base + run.size))
      a.output("x1", run.outTop)
      a.setAll(rmmState.rtte, where: { k in run.contains(k[0], k[1]) }) { k in
        let e = self.pre.read(self.rmmState.rtte, k)
        return .ite(e.eq(RTTEntry.unassignedEmpty.expr), then: RTTEntry.unassignedRAM.expr, else: e)
      }
      measure(a, rr, events: run.count)
    }

    builder.action(
      "RMI_RTT_READ_ENTRY", by: CCA.Parties.hypervisor,
      doc: """
        RMI_RTT_READ_ENTRY (FID 0xC4000161; reference/rmm.md §2.20): x1 = rd, x2 = ipa, x3 = level. Failure \
        conditions in spec order, all RMI_ERROR_INPUT: rd_align, rd_bound, rd_state; level_bound \
        (below the starting level or above 3); ipa_align (to level); ipa_bound (≥ 2^s2sz). Never \
        RMI_ERROR_RTT: the walk goes as far as it can. X1 = the level reached, X2 = the RmiRttEntryState \
        (UNASSIGNED, ASSIGNED, TABLE; a `da` ASSIGNED_DEV entry reads as ASSIGNED with its device granule, the pinned encoding of ASSIGNED_DEV not being in the reference), X3 = the PA (of the DATA granule, the child RTT, or the host's \
        descriptor for ASSIGNED_NS; 0 for unassigned and ASSIGNED/DESTROYED), X4 = the RIPAS (EMPTY \
        for unprotected and TABLE entries). Footprint: none.
        """,
      parameters: [
        register("x1", granulePAs), register("x2", [0], allValues: pageIPAs + offIPAs),
        register(
          "x3", [start], allValues: (geometry.startLevel...3).map { Value($0) } + offLevels(below: geometry.startLevel)),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, ipa, level) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      rdChecks(a, rd)
      let rr = realmOf(rd)
      levelIPAChecks(
        a, ipa, level, validLevel: isLevel(level), alignLevel: level, ipaBound: ipa.ge(.literal(geometry.ipaLimit)))
      let target = Expr.ite(isLevel(level), then: geometry.depth(ofLevel: level), else: 0)
      let depth = walkDepth(rr, ipa, target: target)
      let position = slot(rr, depth: depth, ipa)
      let entry = read(rmmState.rtte, position)
      a.output("x1", self.level(ofDepth: depth))
      a.output(
        "x2",
        .ite(
          entry.eq(RTTEntry.table.expr), then: .literal(RMIABI.entryTable),
          else: .ite(
            RTTEntry.isOne(entry, RTTEntry.assignedProtected + [.assignedNS] + RTTEntry.assignedDevice),
            then: .literal(RMIABI.entryAssigned),
            else: .literal(RMIABI.entryUnassigned))))
      a.output(
        "x3",
        .ite(
          RTTEntry.isOne(entry, [.assignedEmpty, .assignedRAM, .table] + RTTEntry.assignedDevice),
          then: pa(read(rmmState.rtteAddr, position)),
          else: .ite(entry.eq(RTTEntry.assignedNS.expr), then: read(rmmState.rtteDesc, position), else: 0)))
      a.output("x4", ripas(entry))
    }

    declareUnprotectedCommands()
  }

  /// The attribute bits a host may set in an RTT_MAP_UNPROTECTED descriptor besides the PA: MemAttr[4:2] and S2AP[7:6].
  ///
  /// reference/rmm.md §2.18 names the host's attributes "MemAttr/S2AP" (so not SH, which the RMM sets itself) without
  /// their bit positions; the positions and widths are TF-RMM rmm-spec-v1.0-rel0's (`S2TTE_NS_ATTR_MASK` =
  /// `S2TTE_MEMATTR_MASK` | `S2TTE_AP_MASK`, lib/s2tt/src/s2tt_pvt_defs.h: MemAttr in the FEAT_S2FWB encoding, three
  /// bits).
  static let descAttributeMask: Value = 0xDC
  /// The one reserved MemAttr[4:2] value under FEAT_S2FWB, 0b100 (TF-RMM rel0
  /// `S2TTE_MEMATTR_FWB_RESERVED`, checked by `host_ns_s2tte_is_valid`): attr_valid fails on it.
  static let descMemAttrMask: Value = 0x1C
  static let descMemAttrReserved: Value = 0x10
  /// The output-address bits of a level-3 descriptor, PA[47:12].
  static let descAddressMask: Value = 0x0000_FFFF_FFFF_F000

  func declareUnprotectedCommands() {
    let unprotected = pageIPAs.filter { $0 >= geometry.protectedLimit }
    // The levels MAP and UNMAP take: 3, and with `blocks` the block levels of the geometry.
    let mapLevels: [Value] = blocks ? (max(Int(Self.minBlockLevel), geometry.startLevel)...3).map { Value($0) } : [3]
    for map in [true, false] {
      builder.action(
        map ? "RMI_RTT_MAP_UNPROTECTED" : "RMI_RTT_UNMAP_UNPROTECTED", by: CCA.Parties.hypervisor,
        doc: map
          ? """
          RMI_RTT_MAP_UNPROTECTED (FID 0xC400015F; reference/rmm.md §2.18): x1 = rd, x2 = ipa, x3 = level, \
          x4 = desc (the host's stage-2 descriptor: PA[47:12], MemAttr[4:2], S2AP[7:6]). Failure \
          conditions in spec order, RMI_ERROR_INPUT unless noted: attr_valid (desc sets bits outside \
          the PA and those attributes, or MemAttr is the reserved 0b100; ``descAttributeMask``); rd_align, rd_bound, rd_state; level_bound (not 3; with \
          `blocks`, below 1 or above 3: ``blockMapping(_:map:realm:ipa:level:)``); addr_align (the PA \
          not aligned to the entry size at level: never fails at level 3); ipa_align (to level); ipa_bound (protected, or ≥ 2^s2sz); rtt_walk RMI_ERROR_RTT \
          at the level reached; rtte_state (not UNASSIGNED_NS) RMI_ERROR_RTT at level. Success: the \
          entry becomes ASSIGNED_NS with desc; no reference count changes (reference/rmm.md §1.5).
          """
          : """
          RMI_RTT_UNMAP_UNPROTECTED (FID 0xC4000162; reference/rmm.md §2.19): x1 = rd, x2 = ipa, x3 = level. \
          Failure conditions in spec order: rd_align, rd_bound, rd_state; level_bound (not 3, as for \
          MAP; with `blocks`, below 1 or above 3); ipa_align; ipa_bound (protected, or ≥ 2^s2sz) (all RMI_ERROR_INPUT); rtt_walk \
          RMI_ERROR_RTT at the level reached; rtte_state (not ASSIGNED_NS) RMI_ERROR_RTT at level. \
          Success: the entry becomes UNASSIGNED_NS (the realm's stage-2 TLB entries go with it: the \
          model's realm accesses always walk the RTT). X1 = top, the end of the non-live region from \
          the entry on (``nonLiveTop``), also on rtt_walk and rtte_state (from the entry where the \
          walk stopped): reference/rmm.md §2.19 does not say on which errors X1 is defined; these are \
          TF-RMM rmm-spec-v1.0-rel0's (map_unmap_ns).
          """,
        parameters: [
          register("x1", granulePAs), register("x2", unprotected, allValues: [0] + offIPAs),
          register("x3", mapLevels, allValues: offLevels(below: Int(mapLevels[0]))),
        ]
          + (map ? [register("x4", granulePAs)] : []),
        successCode: RMIABI.success
      ) { a in
        let (rd, ipa, level) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
        if map {
          a.fail(
            "attr_valid", error: Self.input, code: RMIABI.errorInput,
            when: memoryMap.granuleOperands  // x4 names a granule: a descriptor with no attributes
              ? false
              : (a.arg("x4") & .literal(~(Self.descAddressMask | Self.descAttributeMask))).ne(0)
                || (a.arg("x4") & .literal(Self.descMemAttrMask)).eq(.literal(Self.descMemAttrReserved)))
        }
        rdChecks(a, rd)
        let rr = realmOf(rd)
        if blocks {
          blockMapping(a, map: map, realm: rr, ipa: ipa, level: level)
          return
        }
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
        mapEntry(
          a, map: map, realm: rr, ipa: ipa, at: slot(rr, depth: last, ipa), depth: .literal(Value(last)), level: 3
        ) {
          self.invalidateS2TLB(a, realm: rr, page: ipa)  // `s2-tlb` (TF-RMM rel0 map_unmap_ns)
        }
      }
    }
  }
  /// The checks and effects of RMI_RTT_MAP_UNPROTECTED (`map`) and RMI_RTT_UNMAP_UNPROTECTED after
  /// rd_state, with unprotected block mappings (``blocks``; reference/rmm.md §2.18, §2.19).
  ///
  /// Failure conditions in spec order: level_bound (level below 1, TF-RMM rel0 `S2TT_MIN_BLOCK_LEVEL`, or
  /// above 3: `validate_rtt_map_cmds`); MAP: addr_align (the descriptor's PA not aligned to the size of
  /// an entry at `level`); ipa_align (to that size); ipa_bound (protected, or ≥ 2^s2sz) (all
  /// RMI_ERROR_INPUT); rtt_walk (the walk to `level` stops early) RMI_ERROR_RTT at the level reached;
  /// rtte_state (not UNASSIGNED_NS for MAP, not ASSIGNED_NS for UNMAP) RMI_ERROR_RTT at `level`.
  /// A level above the starting level's parent never passes ipa_align and ipa_bound together: its
  /// entry would map the whole IPA space, so only IPA 0, a protected one, is aligned to it.
  /// Success: MAP makes the entry ASSIGNED_NS with the descriptor (a block at level 1 or 2); UNMAP
  /// makes it UNASSIGNED_NS, returns X1 = top (``nonLiveTop``, also on rtt_walk and rtte_state) and,
  /// with `s2-tlb`, invalidates every page the entry mapped.
  func blockMapping(_ a: ActionBuilder, map: Bool, realm rr: Expr, ipa: Expr, level: Expr) {
    let valid = level.ge(.literal(Self.minBlockLevel)) && level.le(3)
    a.fail("level_bound", error: Self.input, code: RMIABI.errorInput, when: !valid)
    // The size of an entry at `level`, for a valid level (any level's formula stays in range).
    let size = Expr.ite(valid, then: geometry.entrySize(level: level), else: 0x1000)
    if map {
      a.fail(
        "addr_align", error: Self.input, code: RMIABI.errorInput,
        when: (a.arg("x4") & .literal(Self.descAddressMask) & (size - 1)).ne(0))
    }
    a.fail("ipa_align", error: Self.input, code: RMIABI.errorInput, when: (ipa & (size - 1)).ne(0))
    a.fail(
      "ipa_bound", error: Self.input, code: RMIABI.errorInput,
      when: ipa.lt(.literal(geometry.protectedLimit)) || ipa.ge(.literal(geometry.ipaLimit)))
    let start = Expr.literal(Value(geometry.startLevel))
    let target = Expr.ite(level.ge(start) && valid, then: geometry.depth(ofLevel: level), else: 0)
    let depth = walkDepth(rr, ipa, target: target)
    a.fail(
      "rtt_walk", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: self.level(ofDepth: depth),
      when: depth.ne(target) || level.lt(start))
    mapEntry(a, map: map, realm: rr, ipa: ipa, at: slot(rr, depth: target, ipa), depth: target, level: level) {
      self.invalidateS2TLB(a, realm: rr) { p in p.ge(ipa) && p.lt(ipa + size) }  // `s2-tlb`: the whole block
    }
  }

  /// Whether RTT `g` of realm `rr`, at `level`, folds into an unprotected block (``blocks``;
  /// reference/rmm.md §2.17): every entry ASSIGNED_NS, entry i's descriptor the first one's plus
  /// i × the entry size (one set of attributes, contiguous PAs), the first PA aligned to the size
  /// of an entry at level − 1, and level − 1 at least `S2TT_MIN_BLOCK_LEVEL`.
  ///
  /// Stated over the realm's RTT granules h = g, as RTT_FOLD's homogeneity, so that the walk to
  /// `g` is evaluated once per RTT of the realm.
  func assignedNSBlock(_ g: Expr, realm rr: Expr, level: Expr) -> Expr {
    let size = geometry.entrySize(level: level)
    let parentSize = geometry.entrySize(level: level - 1)
    let entries = Expr.forAll(granule) { h in
      (self.state(h).eq(.literal(GranuleState.rtt)) && self.pre.read(self.rmmState.owner, [h]).eq(rr) && h.eq(g))
        .implies(
          .forAll(.index(self.geometry.entrySort)) { i in
            self.pre.read(self.rmmState.rtte, [h, i]).eq(RTTEntry.assignedNS.expr)
              && self.pre.read(self.rmmState.rtteDesc, [h, i]).eq(
                self.pre.read(self.rmmState.rtteDesc, [h, 0]) + i * size)
          })
    }
    let first = pre.read(rmmState.rtteDesc, [g, 0])
    return (level - 1).ge(.literal(Self.minBlockLevel)) && pre.read(rmmState.rtte, [g, 0]).eq(RTTEntry.assignedNS.expr)
      && (first & .literal(Self.descAddressMask) & (parentSize - 1)).eq(0) && entries
  }

  /// Whether RTT `g` of realm `rr`, at `level`, folds into a protected ASSIGNED block (``blocks``;
  /// reference/rmm.md §2.17, "all ASSIGNED with same RIPAS and contiguous, block-aligned PAs"):
  /// `homogeneous` (every entry equal to the first, so one RIPAS), the first ASSIGNED (EMPTY, RAM
  /// or DESTROYED), entry i mapping the first entry's granule + i × the entry size in granules,
  /// the first PA aligned to the size of an entry at level − 1, and level − 1 at least
  /// `S2TT_MIN_BLOCK_LEVEL`.
  ///
  /// The reference is unsure whether ASSIGNED DESTROYED tables fold: it says only "same RIPAS".
  /// TF-RMM's lib/s2tt (`s2tt_maps_assigned_destroyed_block` beside the EMPTY, RAM and NS ones,
  /// as the code index has it; not checked at the rmm-spec-v1.0-rel0 tag) folds them, so the
  /// model does.
  func assignedBlock(_ g: Expr, realm rr: Expr, level: Expr, homogeneous: Expr) -> Expr {
    let granules = geometry.entrySize(level: level) / .literal(MemoryMap.granuleSize)
    let parentSize = geometry.entrySize(level: level - 1)
    let contiguous = Expr.forAll(granule) { h in
      (self.state(h).eq(.literal(GranuleState.rtt)) && self.pre.read(self.rmmState.owner, [h]).eq(rr) && h.eq(g))
        .implies(
          .forAll(.index(self.geometry.entrySort)) { i in
            self.pre.read(self.rmmState.rtteAddr, [h, i]).eq(
              self.pre.read(self.rmmState.rtteAddr, [h, 0]) + i * granules)
          })
    }
    return (level - 1).ge(.literal(Self.minBlockLevel))
      && RTTEntry.isOne(pre.read(rmmState.rtte, [g, 0]), RTTEntry.assignedProtected) && homogeneous
      && (pa(pre.read(rmmState.rtteAddr, [g, 0])) & (parentSize - 1)).eq(0) && contiguous
  }

  /// Adds the end of RMI_RTT_MAP_UNPROTECTED (`map`) or RMI_RTT_UNMAP_UNPROTECTED at `position`.
  ///
  /// `position` is the entry at `depth` (`level`) that realm `rr`'s walk for `ipa` reached: rtte_state
  /// (for MAP not UNASSIGNED_NS, for UNMAP not ASSIGNED_NS) RMI_ERROR_RTT at `level`; MAP makes the entry
  /// ASSIGNED_NS with the descriptor; UNMAP returns X1 = top (``nonLiveTop``, also on rtt_walk and
  /// rtte_state), makes the entry UNASSIGNED_NS and runs `invalidate` (the stage-2 TLB's).
  func mapEntry(
    _ a: ActionBuilder, map: Bool, realm rr: Expr, ipa: Expr, at position: RTTSlot, depth: Expr, level: Expr,
    invalidate: () -> Void
  ) {
    a.fail(
      "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: level,
      when: read(rmmState.rtte, position).ne((map ? RTTEntry.unassignedNS : RTTEntry.assignedNS).expr))
    if map {
      set(a, rmmState.rtte, position, to: RTTEntry.assignedNS.expr)
      set(a, rmmState.rtteDesc, position, to: a.arg("x4"))
    } else {
      a.output(
        "x1",
        nonLiveTop(rr, ipa, target: depth) { s in self.read(self.rmmState.rtte, s).eq(RTTEntry.assignedNS.expr) },
        alsoOn: ["rtt_walk", "rtte_state"])
      set(a, rmmState.rtte, position, to: RTTEntry.unassignedNS.expr)
      set(a, rmmState.rtteDesc, position, to: 0)
      invalidate()
    }
  }
}
