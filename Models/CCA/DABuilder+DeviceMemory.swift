import Spec

// MARK: - Device memory: RMI_VDEV_MAP, RMI_VDEV_UNMAP, RMI_VDEV_VALIDATE_MAPPING, RSI_VDEV_VALIDATE_MAPPING
// (reference/rmm.md §3.1, §3.4; reference/rme.md §3.2) [1.1-UNSTABLE]

extension DABuilder {
  /// Reads and checks the `dev-granules` bound: device-memory granules per device (0 ...
  ///
  /// 2).
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` when it is out of range.
  static func perDevice(_ configuration: Configuration) throws -> Int {
    let count = configuration.bound(CCA.Bound.devGranules, default: 0)
    guard (0...2).contains(count) else {
      throw ModelError.invalid(
        location: "configuration \(configuration.name)", message: "bound dev-granules is \(count); it must be in 0...2")
    }
    return count
  }

  /// The number of device-memory granules of a configuration: `dev-granules` × `devices`.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` when a bound is out of range or the
  ///   device granules would take every granule.
  static func deviceGranules(_ configuration: Configuration) throws -> Int {
    let count = try perDevice(configuration) * configuration.bound(CCA.Bound.devices, default: 1)
    guard count < configuration.bound(CCA.Bound.granules, default: 2) else {
      throw ModelError.invalid(
        location: "configuration \(configuration.name)",
        message: "dev-granules × devices is \(count); it must leave granules for the RMM's objects")
    }
    return count
  }

  /// The device-memory state (present when the configuration has device granules).
  var deviceMemory: DAMemoryVariables {
    guard let m = rmm.daMemory else { preconditionFailure("device memory is declared only with dev-granules > 0") }
    return m
  }

  /// The PAs of the device-memory granules.
  var devicePAs: [Value] {
    (memoryMap.firstDeviceGranule..<memoryMap.granules).map { memoryMap.address(ofGranule: $0) }
  }

  /// Whether granule index `g` is device memory.
  func isDeviceGranule(_ g: Expr) -> Expr { g.ge(.literal(Value(memoryMap.firstDeviceGranule))) }

  /// The stream of the device whose MMIO device granule `g` is.
  func deviceStream(_ g: Expr) -> Expr {
    (g - .literal(Value(memoryMap.firstDeviceGranule))) / .literal(Value(deviceMemory.perDevice))
  }

  /// Whether the stream of device granule `g` has a VDEV bound to realm `rr` (its Realm STE is
  /// programmed for a VDEV of `rr`).
  func deviceAssigned(_ g: Expr, to rr: Expr) -> Expr {
    let s = deviceStream(g)
    return pre.read(daState.steBound, [s]) && pre.read(rmmState.owner, [pre.read(daState.steVdev, [s])]).eq(rr)
  }

  /// `vdev_mapped`: a device granule of VDEV `g`'s device is still DEV_MAPPED (reference/rme.md §3.2: VDEV_UNLOCK is
  /// refused while any device-memory granule of the VDEV is mapped; the model refuses VDEV_DESTROY likewise, since a
  /// VDEV can reach ERROR with its memory mapped).
  ///
  /// Nothing without device memory.
  func failIfMapped(_ a: ActionBuilder, vdev g: Expr) {
    guard rmm.daMemory != nil else { return }
    let s = streamOf(vdev: g)
    let mapped = (memoryMap.firstDeviceGranule..<memoryMap.granules).map { k -> Expr in
      let h = Expr.literal(Value(k))
      return deviceStream(h).eq(s) && isState(h, GranuleState.devMapped)
    }
    failDevice(a, "vdev_mapped", when: .or(mapped))
  }

  /// The level-3 entry realm `rr`'s walk for `ipa` reaches: the checks `rtt_walk` (the walk stops
  /// above level 3: RMI_ERROR_RTT at the level reached) and the entry's position.
  private func leafChecks(_ a: ActionBuilder, realm rr: Expr, ipa: Expr) -> RTTSlot {
    let last = rmm.geometry.lastDepth
    let depth = rmm.walkDepth(rr, ipa, target: .literal(Value(last)))
    a.fail(
      "rtt_walk", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: rmm.level(ofDepth: depth),
      when: depth.ne(.literal(Value(last))))
    return rmm.slot(rr, depth: last, ipa)
  }

  /// `level_bound`, `ipa_align`, `ipa_bound` of VDEV_MAP and VDEV_UNMAP.
  private func mapLevelChecks(_ a: ActionBuilder, ipa: Expr, level: Expr) {
    a.fail("level_bound", error: Self.input, code: RMIABI.errorInput, when: level.ne(3))
    a.fail("ipa_align", error: Self.input, code: RMIABI.errorInput, when: (ipa & 0xFFF).ne(0))
    a.fail(
      "ipa_bound", error: Self.input, code: RMIABI.errorInput,
      when: ipa.ge(.literal(rmm.geometry.protectedLimit)))
  }

  /// Declares the device-memory commands and calls, and the realm's accesses to device memory
  /// (only with device granules).
  func declareDeviceMemory() {
    guard rmm.daMemory != nil else { return }
    let ipas = rmm.pageIPAs
    builder.action(
      "RMI_VDEV_MAP", by: CCA.Parties.hypervisor,
      doc: """
        RMI_VDEV_MAP (FID 0xC4000172; reference/rmm.md §3.4): x1 = rd, x2 = vdev, x3 = ipa, x4 = level, x5 = \
        addr (the device-memory PA). Failure conditions in spec order: addr_align, addr_bound (not a \
        device-memory granule), addr_state (not DELEGATED); rd_align, rd_bound, rd_state; vdev_align, \
        vdev_bound, vdev_gran_state (not a VDEV); vdev_realm (the VDEV is another realm's) (all \
        RMI_ERROR_INPUT); vdev_addr (addr is not MMIO of the VDEV's device: a condition the reference does \
        not list, so its name, code RMI_ERROR_INPUT and place are the model's; without it the host could \
        map another device's MMIO into the realm); level_bound (not 3: the model has no block mappings, the \
        reference allows 2 too); ipa_align; ipa_bound (an unprotected IPA) (RMI_ERROR_INPUT); rtt_walk \
        RMI_ERROR_RTT at the level reached; rtte_state (not UNASSIGNED) RMI_ERROR_RTT at 3; rtte_ripas \
        (RIPAS not EMPTY: the reference's "RIPAS still EMPTY" after the map) RMI_ERROR_RTT at 3. Success: \
        the entry becomes ASSIGNED_DEV with RIPAS EMPTY and maps the granule, which is DEV_MAPPED, \
        owned by the realm, not yet validated; the RTT's reference count grows by one.
        """,
      parameters: [
        rmm.register("x1", rmm.granulePAs), rmm.register("x2", rmm.granulePAs), rmm.register("x3", ipas),
        rmm.register("x4", [3], allValues: rmm.offLevels(below: 3)),
        rmm.register("x5", devicePAs, allValues: Array(rmm.granulePAs.prefix(1)) + [0x800]),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, vdev, ipa, level, addr) = (a.arg("x1"), a.arg("x2"), a.arg("x3"), a.arg("x4"), a.arg("x5"))
      let g = memoryMap.granule(of: addr)
      let skips = mutated(CCA.MutantName.vdevMapAcceptsUndelegated)
      a.fail("addr_align", error: Self.input, code: RMIABI.errorInput, when: !memoryMap.isAligned(addr))
      a.fail("addr_bound", error: Self.input, code: RMIABI.errorInput, when: !memoryMap.isDeviceMemory(addr))
      if !skips {
        a.fail("addr_state", error: Self.input, code: RMIABI.errorInput, when: !isState(g, GranuleState.delegated))
      }
      rmm.rdChecks(a, rd)
      let rr = rmm.realmOf(rd)
      rmm.granuleChecks(a, "vdev", vdev, state: GranuleState.vdev, stateName: "vdev_gran_state")
      let vg = memoryMap.granule(of: vdev)
      a.fail("vdev_realm", error: Self.input, code: RMIABI.errorInput, when: pre.read(rmmState.owner, [vg]).ne(rr))
      if !skips {
        a.fail("vdev_addr", error: Self.input, code: RMIABI.errorInput, when: deviceStream(g).ne(streamOf(vdev: vg)))
      }
      mapLevelChecks(a, ipa: ipa, level: level)
      let position = leafChecks(a, realm: rr, ipa: ipa)
      let entry = rmm.read(rmmState.rtte, position)
      a.fail(
        "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: 3,
        when: !RTTEntry.isOne(entry, RTTEntry.unassignedProtected))
      a.fail(
        "rtte_ripas", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: 3,
        when: entry.ne(RTTEntry.unassignedEmpty.expr))
      rmm.set(a, rmmState.rtte, position, to: RTTEntry.assignedDevEmpty.expr)
      rmm.set(a, rmmState.rtteAddr, position, to: g)
      a.set(rmmState.refcount, [position.table], to: pre.read(rmmState.refcount, [position.table]) + 1)
      a.set(machine.granuleState, [g], to: .literal(GranuleState.devMapped))
      a.set(rmmState.owner, [g], to: rr)
      a.set(deviceMemory.accepted, [g], to: false)
    }

    builder.action(
      "RMI_VDEV_UNMAP", by: CCA.Parties.hypervisor,
      doc: """
        RMI_VDEV_UNMAP (FID 0xC4000173; reference/rmm.md §3.1, §3.4 step 6): x1 = rd, x2 = ipa, x3 = level. \
        Failure conditions (the order of VDEV_MAP's, the reference lists none): rd_align, rd_bound, \
        rd_state; level_bound (not 3); ipa_align; ipa_bound (unprotected) (all RMI_ERROR_INPUT); rtt_walk \
        RMI_ERROR_RTT at the level reached; rtte_state (not ASSIGNED_DEV) RMI_ERROR_RTT at 3. Success: \
        the entry becomes UNASSIGNED with RIPAS DESTROYED (the realm's stage-2 TLB entries go with it: \
        its accesses always walk), the RTT's reference count drops by one, the granule returns to \
        DELEGATED with no owner. X1 = the granule's PA, X2 = top (the end of the page).
        """,
      parameters: [
        rmm.register("x1", rmm.granulePAs), rmm.register("x2", ipas),
        rmm.register("x3", [3], allValues: rmm.offLevels(below: 3)),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, ipa, level) = (a.arg("x1"), a.arg("x2"), a.arg("x3"))
      rmm.rdChecks(a, rd)
      let rr = rmm.realmOf(rd)
      mapLevelChecks(a, ipa: ipa, level: level)
      let position = leafChecks(a, realm: rr, ipa: ipa)
      a.fail(
        "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: 3,
        when: !RTTEntry.isOne(rmm.read(rmmState.rtte, position), RTTEntry.assignedDevice))
      let g = rmm.read(rmmState.rtteAddr, position)
      a.output("x1", rmm.pa(g))
      a.output("x2", ipa + 0x1000)
      rmm.set(a, rmmState.rtte, position, to: RTTEntry.unassignedDestroyed.expr)
      rmm.set(a, rmmState.rtteAddr, position, to: RMMBuilder.canonicalAddr)
      a.set(rmmState.refcount, [position.table], to: pre.read(rmmState.refcount, [position.table]) - 1)
      a.set(machine.granuleState, [g], to: .literal(GranuleState.delegated))
      a.set(rmmState.owner, [g], to: 0)
      a.set(deviceMemory.accepted, [g], to: false)
    }

    builder.action(
      "RMI_VDEV_VALIDATE_MAPPING", by: CCA.Parties.hypervisor,
      doc: """
        RMI_VDEV_VALIDATE_MAPPING (FID 0xC4000163; reference/rmm.md §3.1, §3.4 step 4): x1 = rd, x2 = rec, \
        x3 = pdev, x4 = vdev, x5 = base, x6 = top; the host's answer to a REC's RSI_VDEV_VALIDATE_MAPPING. \
        The reference names the checks (the IPA → PA mapping matches the PA the realm gave, RIPAS EMPTY) \
        but not their conditions' names or order; the model's: the VDEV binding checks (rd_*, pdev_*, \
        vdev_align, vdev_bound, vdev_gran_state, vdev_realm RMI_ERROR_INPUT, vdev_pdev RMI_ERROR_DEVICE); \
        rec_align, rec_bound, rec_gran_state (RMI_ERROR_INPUT); rec_running (RMI_ERROR_REC); rec_owner \
        (another realm's REC) RMI_ERROR_REC; request (the REC has no pending device-memory request for this \
        VDEV) RMI_ERROR_INPUT; size_valid (top ≤ base); base_bound (base ≠ the request's next IPA); \
        top_bound (top > its top) (RMI_ERROR_INPUT); rtt_walk RMI_ERROR_RTT at the level reached; \
        rtte_state (not ASSIGNED_DEV) RMI_ERROR_RTT at 3; rtte_ripas (RIPAS not EMPTY) RMI_ERROR_RTT at \
        3; map_pa (the entry maps a PA other than the one the realm expects there) RMI_ERROR_INPUT. The \
        memory-attribute check against the coherency flag is not modelled (no attributes). Success, one \
        page per call (the host repeats): the entry's RIPAS becomes DEV, the request's next IPA and PA \
        advance by a page; X1 = out_top, the end of the page. The realm sees the result on its next \
        RMI_REC_ENTER.
        """,
      parameters: [
        rmm.register("x1", rmm.granulePAs), rmm.register("x2", rmm.granulePAs), rmm.register("x3", rmm.granulePAs),
        rmm.register("x4", rmm.granulePAs), rmm.register("x5", rmm.protectedIPAs),
        rmm.register("x6", [rmm.geometry.protectedLimit], allValues: rmm.offTops),
      ],
      successCode: RMIABI.success
    ) { a in
      let (rd, rec, pdev, vdev, base, top) = (
        a.arg("x1"), a.arg("x2"), a.arg("x3"), a.arg("x4"), a.arg("x5"), a.arg("x6")
      )
      bindingChecks(a, rd: rd, pdev: pdev, vdev: vdev)
      rmm.granuleChecks(a, "rec", rec, state: GranuleState.rec, stateName: "rec_gran_state")
      let g = memoryMap.granule(of: rec)
      let rr = rmm.realmOf(rd)
      a.fail("rec_running", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: pre.read(rmmState.refcount, [g]).ne(0))
      a.fail("rec_owner", error: "RMI_ERROR_REC", code: RMIABI.errorREC, when: pre.read(rmmState.owner, [g]).ne(rr))
      let vg = memoryMap.granule(of: vdev)
      a.fail(
        "request", error: Self.input, code: RMIABI.errorInput,
        when: pre.read(deviceMemory.top, [g]).eq(0) || pre.read(deviceMemory.vdevID, [g]).ne(streamOf(vdev: vg)))
      a.fail("size_valid", error: Self.input, code: RMIABI.errorInput, when: top.le(base))
      a.fail("base_bound", error: Self.input, code: RMIABI.errorInput, when: base.ne(pre.read(deviceMemory.addr, [g])))
      a.fail("top_bound", error: Self.input, code: RMIABI.errorInput, when: top.gt(pre.read(deviceMemory.top, [g])))
      let position = leafChecks(a, realm: rr, ipa: base)
      let entry = rmm.read(rmmState.rtte, position)
      a.fail(
        "rtte_state", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: 3,
        when: !RTTEntry.isOne(entry, RTTEntry.assignedDevice))
      a.fail(
        "rtte_ripas", error: "RMI_ERROR_RTT", code: RMIABI.errorRTT, index: 3,
        when: entry.ne(RTTEntry.assignedDevEmpty.expr))
      let h = rmm.read(rmmState.rtteAddr, position)
      let expected = pre.read(deviceMemory.pa, [g])
      let matches = rmm.pa(h).eq(expected)
      a.fail("map_pa", error: Self.input, code: RMIABI.errorInput, when: !matches)
      rmm.set(a, rmmState.rtte, position, to: RTTEntry.assignedDevDev.expr)
      a.set(deviceMemory.accepted, [h], to: matches)
      a.set(deviceMemory.addr, [g], to: base + 0x1000)
      a.set(deviceMemory.pa, [g], to: expected + 0x1000)
      a.output("x1", base + 0x1000)
    }

    declareRealmDeviceMemory()
  }

  /// Declares RSI_VDEV_VALIDATE_MAPPING and the realm's accesses to its device memory.
  private func declareRealmDeviceMemory() {
    let pe = Parameter("pe", cca.pe)
    let inputError = "RSI_ERROR_INPUT"
    let deviceError = "RSI_ERROR_DEVICE"
    // A generation no VDEV ever has (with all-values: each evidence check's failure).
    let never = Value(nonceValues.count)
    builder.action(
      "RSI_VDEV_VALIDATE_MAPPING", by: CCA.Parties.realm,
      doc: """
        RSI_VDEV_VALIDATE_MAPPING (FID 0xC400019F; reference/rmm.md §3.4 step 4, reference/rme.md §3.2): the \
        realm of the REC running on PE `pe` asks to accept device memory of VDEV x1 = vdev_id at IPAs [x2 = \
        ipa_base, x3 = ipa_top) backed from x4 = pa_base on, with x5 = flags (coherency and sharing: not \
        modelled) and the evidence it checked: x6 = lock nonce, x7 = measurements sequence, x8 = interface \
        report sequence. Failure conditions (the model's order; the reference lists the arguments only): \
        vdev_id (no VDEV of this realm has the ID) RSI_ERROR_INPUT; base_align, top_align, size_valid, \
        region (the IPA range, as RSI_IPA_STATE_SET's) RSI_ERROR_INPUT; pa_align (pa_base not 4 KB aligned) \
        RSI_ERROR_INPUT; vdev_state (not LOCKED or STARTED) RSI_ERROR_DEVICE; lock_nonce, meas_seq, \
        report_seq (not current) RSI_ERROR_DEVICE. Success: the REC records the request and exits to the \
        host with RMI_EXIT_DEV_MEM_MAP (0x09; the ACS calls it RMI_EXIT_VDEV_MAP), exit_dev_mem_base / \
        _top / _pa giving the range; the host maps the granules (RMI_VDEV_MAP), validates them \
        (RMI_VDEV_VALIDATE_MAPPING) and re-enters the REC, which then returns RSI_SUCCESS with X1 = the \
        progress and X2 = RSI_ACCEPT, or RSI_REJECT with DEV_MEM_RESPONSE (RMI_REC_ENTER).
        """,
      parameters: [
        pe, rmm.register("x1", streams, allValues: [Value(streams.count)]), rmm.register("x2", rmm.protectedIPAs),
        rmm.register("x3", [rmm.geometry.protectedLimit], allValues: rmm.offTops),
        rmm.register("x4", devicePAs + rmm.granulePAs.prefix(1)), rmm.register("x5", [0]),
        // The evidence: with all-values also `never`.
        rmm.register("x6", [1], allValues: [never]), rmm.register("x7", [1], allValues: [never]),
        rmm.register("x8", [1], allValues: [never]),
      ],
      successCode: DAABI.rsiSuccess
    ) { a in
      let p = a.arg("pe")
      a.requires(pre.read(rmmState.peRunning, [p]))
      let rec = rmm.runningREC(p)
      let rr = pre.read(rmmState.owner, [rec])
      let (g, valid) = realmVdev(a.arg("x1"), realm: rr)
      let (base, top, pa) = (a.arg("x2"), a.arg("x3"), a.arg("x4"))
      a.fail("vdev_id", error: inputError, code: DAABI.rsiErrorInput, when: !valid)
      rmm.rangeChecks(a, base, top)
      a.fail("pa_align", error: inputError, code: DAABI.rsiErrorInput, when: (pa & 0xFFF).ne(0))
      a.fail(
        "vdev_state", error: deviceError, code: DAABI.rsiErrorDevice,
        when: !pre.read(daState.vdevState, [g]).isOne(of: [.literal(VdevState.locked), .literal(VdevState.started)]))
      for (name, variable, passed) in [
        ("lock_nonce", daState.vdevLockNonce, a.arg("x6")), ("meas_seq", daState.vdevMeasSeq, a.arg("x7")),
        ("report_seq", daState.vdevReportSeq, a.arg("x8")),
      ] {
        a.fail(name, error: deviceError, code: DAABI.rsiErrorDevice, when: passed.ne(pre.read(variable, [g])))
      }
      a.set(deviceMemory.vdevID, [rec], to: a.arg("x1"))
      a.set(deviceMemory.addr, [rec], to: base)
      a.set(deviceMemory.top, [rec], to: top)
      a.set(deviceMemory.pa, [rec], to: pa)
      a.output("exit_reason", .literal(DAABI.exitDevMemMap))
      a.output("exit_dev_mem_base", base)
      a.output("exit_dev_mem_top", top)
      a.output("exit_dev_mem_pa", pa)
      rmm.exitREC(a, p)
    }

    builder.action(
      "REALM_DEV_ACCESS", by: CCA.Parties.realm,
      doc: """
        The realm of the REC running on PE `pe` accesses the device memory (MMIO) at IPA `ipa` (reference/rmm.md \
        §3.4: "Resulting RTTE: HIPAS = ASSIGNED_DEV, RIPAS = DEV"; the ACS mm_hipas_assigned_dev tests). \
        Stage 2: the walk must reach a level-3 ASSIGNED_DEV entry with RIPAS DEV, else `stage2_abort` \
        (0x24: with RIPAS EMPTY or DESTROYED the realm takes an SEA or the REC exits, both an abort here); \
        then the GPC on the device granule in the Realm PAS (`gpf`, 0x28). Device registers are not memory \
        content: the access changes no content and no cache line. It sets device-assigned-only unless the \
        granule is DEV_MAPPED for this realm, was validated at the PA the realm asked for, and its device's \
        Realm STE is bound to a VDEV of this realm.
        """,
      parameters: [pe, rmm.register("ipa", rmm.protectedIPAs)]
    ) { a in
      let (p, ipa) = (a.arg("pe"), a.arg("ipa"))
      a.requires(pre.read(rmmState.peRunning, [p]))
      let rr = pre.read(rmmState.owner, [rmm.runningREC(p)])
      let (reached, position) = rmm.leaf(rr, ipa)
      a.fail(
        "stage2_abort", error: "STAGE2_ABORT", code: 0x24,
        when: ipa.ge(.literal(rmm.geometry.protectedLimit)) || !reached
          || rmm.read(rmmState.rtte, position).ne(RTTEntry.assignedDevDev.expr))
      let g = rmm.read(rmmState.rtteAddr, position)
      let context = StepContext()
      let passes = cca.protectionCheck(context, pe: p, granule: g, pas: .literal(PAS.realm))
      context.fail("gpf", error: GPF.name, code: GPF.faultStatusCode, when: !passes)
      let allowed =
        isDeviceGranule(g) && isState(g, GranuleState.devMapped) && pre.read(rmmState.owner, [g]).eq(rr)
        && pre.read(deviceMemory.accepted, [g]) && deviceAssigned(g, to: rr)
      context.write(daState.deviceStrayAccess, [], true, when: !allowed)
      context.emit(into: a)
    }
  }
}

// MARK: - The device-memory facts of da-wellformed

extension DABuilder {
  /// The device-memory facts of `da-wellformed` (none without device memory): only device granules
  /// are DEV_MAPPED; a DEV_MAPPED granule's GPI is REALM, its owner a live realm with a VDEV on the
  /// granule's device; an ASSIGNED_DEV entry of an RTT maps a DEV_MAPPED granule of the RTT's realm,
  /// validated (at the PA the realm asked for) exactly when its RIPAS is DEV; other granules are not
  /// validated; a REC with no pending device-memory request holds zeroes.
  var deviceMemoryFacts: [Expr] {
    guard rmm.daMemory != nil else { return [] }
    var facts: [Expr] = []
    for k in 0..<memoryMap.granules {
      let g = Expr.literal(Value(k))
      let mapped = isState(g, GranuleState.devMapped)
      let own = pre.read(rmmState.owner, [g])
      if k < memoryMap.firstDeviceGranule {
        facts.append(!mapped && !pre.read(deviceMemory.accepted, [g]))
      } else {
        facts.append(
          mapped.implies(
            cca.gpi(pre, g).eq(.literal(GPI.realm))
              && pre.read(rmmState.realmState, [own]).ne(.literal(RealmState.none)) && deviceAssigned(g, to: own)))
        facts.append((!mapped).implies(!pre.read(deviceMemory.accepted, [g])))
      }
      let top = pre.read(deviceMemory.top, [g])
      facts.append(
        (!isState(g, GranuleState.rec) || top.eq(0)).implies(
          top.eq(0) && pre.read(deviceMemory.addr, [g]).eq(0) && pre.read(deviceMemory.pa, [g]).eq(0)
            && pre.read(deviceMemory.vdevID, [g]).eq(0)))
    }
    facts.append(
      .forAll(granule) { t in
        (self.isState(t, GranuleState.rtt)).implies(
          .forAll(.index(self.rmm.geometry.entrySort)) { i in
            let e = self.pre.read(self.rmmState.rtte, [t, i])
            let h = self.pre.read(self.rmmState.rtteAddr, [t, i])
            return RTTEntry.isOne(e, RTTEntry.assignedDevice).implies(
              self.isDeviceGranule(h) && self.isState(h, GranuleState.devMapped)
                && self.pre.read(self.rmmState.owner, [h]).eq(self.pre.read(self.rmmState.owner, [t]))
                && self.pre.read(self.deviceMemory.accepted, [h]).eq(e.eq(RTTEntry.assignedDevDev.expr)))
          })
      })
    return facts
  }
}

// MARK: - Hooks in RMI_REC_ENTER and the REC's reset

extension RMMBuilder {
  /// How RMI_REC_ENTER completes REC `g`'s pending RSI_VDEV_VALIDATE_MAPPING (nil without device
  /// memory): pending (the request's top ≠ 0), X1 = its progress (the next IPA to validate), and
  /// RSI_REJECT when `flags` has DEV_MEM_RESPONSE (bit 6, RecRun.enter.flags).
  func devMemCompletion(_ g: Expr, flags: Expr) -> (pending: Expr, x1: Expr, reject: Expr)? {
    guard let m = daMemory else { return nil }
    return (pre.read(m.top, [g]).ne(0), pre.read(m.addr, [g]), (flags & .literal(DAABI.devMemResponseFlag)).ne(0))
  }

  /// Clears REC `g`'s pending device-memory request (nothing without device memory).
  func clearDevMemRequest(_ a: ActionBuilder, _ g: Expr) {
    guard let m = daMemory else { return }
    for variable in [m.vdevID, m.addr, m.top, m.pa] { a.set(variable, [g], to: 0) }
  }
}
