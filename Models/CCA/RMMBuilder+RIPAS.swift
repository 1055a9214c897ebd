import Spec

// MARK: - RSI_IPA_STATE_GET and RMI_RTT_SET_RIPAS

extension RMMBuilder {
  /// Declares RSI_IPA_STATE_GET (reference/rmm.md §5) and RMI_RTT_SET_RIPAS (§2.22), which walk
  /// the realm's RTT and process a run of entries (``entryRun(_:base:top:while:)``).
  func declareRIPAS() {
    let protected = protectedIPAs
    builder.action(
      "RSI_IPA_STATE_GET", by: CCA.Parties.realm,
      doc: """
        RSI_IPA_STATE_GET (FID 0xC4000198; reference/rmm.md §5, the 1.0-rel0 form) from the realm on PE \
        `pe`: x1 = base, x2 = top. RSI_ERROR_INPUT, in this order: base_align, top_align (not 4 KB \
        aligned), size_valid (top ≤ base), region (top beyond the protected IPA range). Success: X2 = \
        the RIPAS of the entry where the realm's RTT walk for base stops (RSI_EMPTY, RSI_RAM, \
        RSI_DESTROYED); X1 = the end of the run of entries of that table, from that entry on, with the \
        same RIPAS, capped at top (the model looks no further than the table, so a host-visible \
        region may be reported in pieces).
        """,
      parameters: [
        Parameter("pe", cca.pe), register("x1", protected, allValues: offIPAs),
        register("x2", protected.map { $0 + 0x1000 }, allValues: offTops),
      ],
      successCode: RSI.success
    ) { a in
      let p = a.arg("pe")
      let (base, top) = (a.arg("x1"), a.arg("x2"))
      a.requires(pre.read(rmmState.peRunning, [p]))
      rangeChecks(a, base, top)
      let rr = pre.read(rmmState.owner, [runningREC(p)])
      let aligned = alignedRun(rr, base)
      let value = ripas(read(rmmState.rtte, RTTSlot(table: aligned.table, index: aligned.first)))
      // The run compares every entry with base's RIPAS: defined once, not walked per entry.
      a.output(
        "x1",
        .local(value) { value in
          let run = self.entryRun(rr, base: aligned.base, top: .literal(self.geometry.ipaLimit)) { e in
            self.hasRipas(e) && self.ripas(e).eq(value)
          }
          return .ite(run.outTop.lt(top), then: run.outTop, else: top)
        })
      a.output("x2", value)
    }

    builder.action(
      "RMI_RTT_SET_RIPAS", by: CCA.Parties.hypervisor,
      doc: """
        RMI_RTT_SET_RIPAS (FID 0xC4000169; reference/rmm.md §2.22): x1 = rd, x2 = rec, x3 = base, x4 = top; \
        the host's answer to a REC's RIPAS change request (RSI_IPA_STATE_SET). Failure conditions in \
        the ACS order: rd_align, rd_bound, rd_state; rec_align, rec_bound, rec_gran_state (not REC) \
        (all RMI_ERROR_INPUT); rec_running (the REC is RUNNING: TF-RMM checks its reference count right \
        after locking it, so here; RMI_ERROR_REC like rec_owner, so its order against rec_owner is \
        unobservable) RMI_ERROR_REC; rec_owner (the REC is not the realm's) RMI_ERROR_REC; size_valid \
        (top ≤ base) RMI_ERROR_INPUT; base_bound (base ≠ the REC's ripas_addr: no request, or not \
        its next chunk) RMI_ERROR_INPUT; top_bound (top > ripas_top) RMI_ERROR_INPUT; base_align \
        (base not aligned to the entry where the walk to level 3 stops, and that entry's RIPAS is \
        not the requested value: the 1.0-rel0 FENIMORE-765 fix; an unaligned base whose entry already \
        has the value is processed from the entry's start) RMI_ERROR_RTT at that level; \
        top_gran_align (top not 4 KB aligned) RMI_ERROR_INPUT; no_progress (no entry is processed: \
        the first one does not end at or below top, or it is DESTROYED and the request is not \
        CHANGE_DESTROYED) RMI_ERROR_RTT at that level. Success: from that entry on, up to the end \
        of its table, the entries that end at or below top get RIPAS ripas_value, UNASSIGNED ones \
        staying UNASSIGNED and ASSIGNED ones ASSIGNED (an ASSIGNED RAM entry made EMPTY stops \
        translating: the realm's accesses abort), until the first entry that has no RIPAS (TABLE) \
        or is DESTROYED while the request is not CHANGE_DESTROYED (TF-RMM 1.0 `update_ripas`); \
        ripas_addr and X1 = out_top, the end of the last processed entry. The realm sees the result \
        when the host next enters the REC (RMI_REC_ENTER's realm_x1, realm_x2).
        """,
      parameters: [
        register("x1", granulePAs), register("x2", granulePAs), register("x3", protected, allValues: offIPAs),
        register("x4", protected.map { $0 + 0x1000 }, allValues: offTops),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, rec, base, top) = (a.arg("x1"), a.arg("x2"), a.arg("x3"), a.arg("x4"))
      rdChecks(a, rd)
      granuleChecks(a, "rec", rec, state: GranuleState.rec, stateName: "rec_gran_state")
      let g = memoryMap.granule(of: rec)
      let rr = realmOf(rd)
      a.fail("rec_running", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: pre.read(rmmState.refcount, [g]).ne(0))
      a.fail("rec_owner", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: pre.read(rmmState.owner, [g]).ne(rr))
      a.fail("size_valid", error: Self.input, code: RMIABI.errorInput, when: top.le(base))
      a.fail("base_bound", error: Self.input, code: RMIABI.errorInput, when: base.ne(pre.read(recState.ripasAddr, [g])))
      a.fail("top_bound", error: Self.input, code: RMIABI.errorInput, when: top.gt(pre.read(recState.ripasTop, [g])))
      let value = pre.read(recState.ripasValue, [g])
      let destroyed = pre.read(recState.ripasDestroyed, [g])
      let aligned = alignedRun(rr, base)
      let firstEntry = read(rmmState.rtte, RTTSlot(table: aligned.table, index: aligned.first))
      a.fail(
        "base_align", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: aligned.level,
        when: aligned.base.ne(base) && ripas(firstEntry).ne(value))
      a.fail("top_gran_align", error: Self.input, code: RMIABI.errorInput, when: (top & 0xFFF).ne(0))
      let run = entryRun(rr, base: aligned.base, top: top) { e in
        self.hasRipas(e)
          && (destroyed || self.ripas(e).ne(.literal(RMIABI.ripasDestroyed)))
      }
      a.fail("no_progress", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: run.level, when: run.count.eq(0))
      a.output("x1", run.outTop)
      let ram = value.eq(.literal(RMIABI.ripasRAM))
      a.setAll(rmmState.rtte, where: { k in run.contains(k[0], k[1]) }) { k in
        let e = self.pre.read(self.rmmState.rtte, k)
        return .ite(
          RTTEntry.isOne(e, RTTEntry.unassignedProtected),
          then: .ite(ram, then: RTTEntry.unassignedRAM.expr, else: RTTEntry.unassignedEmpty.expr),
          else: .ite(ram, then: RTTEntry.assignedRAM.expr, else: RTTEntry.assignedEmpty.expr))
      }
      a.set(recState.ripasAddr, [g], to: run.outTop)
      // With `s2-tlb`: an ASSIGNED RAM entry made EMPTY stops translating, so its page is
      // invalidated for every VMID of the realm (TF-RMM rel0 update_ripas / rtt_set_ripas_range:
      // "TLBI is required").
      a.when(!ram) {
        invalidateS2TLB(a, realm: rr) { ipa in
          ipa.ge(aligned.base) && ipa.lt(run.outTop)
            && self.read(self.rmmState.rtte, self.slot(rr, depth: self.geometry.lastDepth, ipa)).eq(
              RTTEntry.assignedRAM.expr)
        }
      }
    }
  }

  /// Whether an entry carries a RIPAS: a protected UNASSIGNED or ASSIGNED entry (not TABLE, not *_NS).
  func hasRipas(_ e: Expr) -> Expr { RTTEntry.isOne(e, RTTEntry.unassignedProtected + RTTEntry.assignedProtected) }

  /// Where realm `rr`'s walk for `base` towards level 3 stops: the level, the table and the
  /// index of `base`'s entry, and `base` aligned down to that entry's start.
  func alignedRun(_ rr: Expr, _ base: Expr) -> (level: Expr, table: Expr, first: Expr, base: Expr) {
    let depth = walkDepth(rr, base, target: .literal(Value(geometry.lastDepth)))
    let size = byDepth(depth) { d in .literal(self.geometry.entrySize(depth: d)) }
    return (
      level(ofDepth: depth), tableGranule(rr, depth: depth, base), entryIndex(depth: depth, base), base & ~(size - 1)
    )
  }
}
