import Spec

// MARK: - The DA properties

extension DABuilder {
  /// Declares `device-assigned-only` (a monitor: device accesses set its flag) and `da-wellformed`.
  ///
  /// `hyp-no-realm-read`, `hyp-no-realm-write` and `realm-isolation` are the RMM layer's: device accesses set their
  /// flags too (a Non-secure stream is the host's agent).
  func declareProperties() {
    builder.monitor(
      CCA.PropertyName.deviceAssignedOnly, doc: CCA.propertyDoc[CCA.PropertyName.deviceAssignedOnly] ?? "",
      flag: daState.deviceStrayAccess)
    builder.invariant(
      CCA.PropertyName.daWellformed, doc: CCA.propertyDoc[CCA.PropertyName.daWellformed] ?? "", wellformed)
    builder.invariant(
      CCA.PropertyName.dmaVerifiedOnlyWhileEnabled,
      doc: CCA.propertyDoc[CCA.PropertyName.dmaVerifiedOnlyWhileEnabled] ?? "", verifiedOnlyWhileEnabled)
  }

  /// The `dma-verified-only-while-enabled` formula (reference/rmm.md §3.4 step 5; reference/rme.md §3.2): a VDEV's
  /// DMA verification (the ghost `vdevDMAVerified`, set by RSI_VDEV_DMA_ENABLE with the evidence current) stands only
  /// while its DMA is ENABLED and it is STARTED.
  ///
  /// da-wellformed has the converse (ENABLED only while STARTED and verified); without this half, a disable that
  /// leaves the flag set passes every property until something reads the flag again.
  var verifiedOnlyWhileEnabled: Expr {
    .forAll(granule) { g in
      self.pre.read(self.daState.vdevDMAVerified, [g]).implies(
        self.pre.read(self.daState.vdevDMA, [g])
          && self.pre.read(self.daState.vdevState, [g]).eq(.literal(VdevState.started)))
    }
  }

  /// The `da-wellformed` formula (reference/rmm.md §3.2, §3.3; reference/rme.md §3.2).
  ///
  /// In the parametric variant, the same facts with a PDEV's VDEVs counted by pointer (DABuilder+Parametric.swift).
  var wellformed: Expr {
    if memoryMap.granuleOperands { return wellformedByPointer }
    let granules = (0..<memoryMap.granules).map { Expr.literal(Value($0)) }
    var facts: [Expr] = []
    for g in granules {
      let vdevs = rmm.sum(
        granules.map { h in rmm.one(isState(h, GranuleState.vdev) && pre.read(daState.vdevPdev, [h]).eq(g)) })
      facts += granuleFacts(g, vdevs: vdevs)
    }
    return .and(facts + streamAndSMMUFacts + deviceMemoryFacts)
  }

  /// The facts of `da-wellformed` about granule `g`, whose VDEVs number `vdevs` if it is a PDEV.
  func granuleFacts(_ g: Expr, vdevs: Expr) -> [Expr] {
    let vs = { (s: Value) -> Expr in .literal(s) }
    var facts: [Expr] = []
    let isPdev = isState(g, GranuleState.pdev)
    let isVdev = isState(g, GranuleState.vdev)
    let p = pre.read(daState.vdevPdev, [g])
    let s = streamOf(vdev: g)
    facts.append(
      (!isPdev).implies(
        pre.read(daState.pdevState, [g]).eq(.literal(PdevState.new)) && pre.read(daState.pdevStream, [g]).eq(0)
          && pre.read(daState.pdevVdevs, [g]).eq(0)))
    facts.append(
      isPdev.implies(
        pre.read(rmmState.owner, [g]).eq(0) && pre.read(daState.pdevVdevs, [g]).eq(vdevs)
          && pre.read(daState.pdevVdevs, [g]).ne(0).implies(
            pre.read(daState.pdevState, [g]).isOne(of: [
              .literal(PdevState.ready), .literal(PdevState.ideResetting), .literal(PdevState.communicating),
              .literal(PdevState.error),
            ]))
      ))
    facts.append(
      (!isVdev).implies(
        pre.read(daState.vdevState, [g]).eq(vs(VdevState.new))
          && pre.read(daState.vdevRequest, [g]).eq(.literal(VdevRequest.none))
          && p.eq(0) && !pre.read(daState.vdevDMA, [g]) && !pre.read(daState.vdevDMAVerified, [g])
          && pre.read(daState.vdevLockNonce, [g]).eq(0) && pre.read(daState.vdevMeasSeq, [g]).eq(0)
          && pre.read(daState.vdevReportSeq, [g]).eq(0)))
    facts.append(
      isVdev.implies(
        isState(p, GranuleState.pdev)
          && pre.read(rmmState.realmState, [pre.read(rmmState.owner, [g])]).ne(.literal(RealmState.none))
          && pre.read(daState.steBound, [s]) && pre.read(daState.steVdev, [s]).eq(g)
          && pre.read(daState.vdevDMA, [g]).eq(pre.read(daState.steValid, [s]))
          && pre.read(daState.vdevDMA, [g]).implies(
            pre.read(daState.vdevState, [g]).eq(vs(VdevState.started)) && pre.read(daState.vdevDMAVerified, [g]))
      ))
    // With several TDIs: a VDEV's TDI is 0 unless it is a VDEV, and a PDEV names a device (so its TDIs' streams
    // exist).
    if let vdevTdi {
      facts.append((!isVdev).implies(pre.read(vdevTdi, [g]).eq(0)))
      facts.append(isPdev.implies(pre.read(daState.pdevStream, [g]).lt(.literal(Value(devices)))))
    }
    return facts
  }

  /// The facts of `da-wellformed` about each stream's STE and the SMMU's GPT TLB.
  var streamAndSMMUFacts: [Expr] {
    var facts: [Expr] = []
    facts.append(
      .forAll(stream) { s in
        let bound = self.pre.read(self.daState.steBound, [s])
        let g = self.pre.read(self.daState.steVdev, [s])
        return bound.implies(self.isState(g, GranuleState.vdev) && self.streamOf(vdev: g).eq(s))
          && (!bound).implies(g.eq(0) && !self.pre.read(self.daState.steValid, [s]))
          && self.pre.read(self.daState.steCached, [s]).implies(
            self.pre.read(self.daState.steValid, [s])
              && self.pre.read(self.daState.steCachedRealm, [s]).eq(self.pre.read(self.rmmState.owner, [g])))
          && (!self.pre.read(self.daState.steCached, [s])).implies(
            self.pre.read(self.daState.steCachedRealm, [s]).eq(0))
      })
    // The SMMU's GPT TLB agrees with the GPT (EL3's invalidation reached it), as gpt-consistent
    // asks of the PEs' (every RMM command is atomic, so no transition is ever half done here).
    if let smmu = cca.smmuGPT {
      facts.append(
        .forAll(granule) { g in
          .ite(
            self.pre.read(smmu.valid, [g]), then: self.pre.read(smmu.gpi, [g]).eq(self.cca.gpi(self.pre, g)),
            else: self.pre.read(smmu.gpi, [g]).eq(.literal(GPI.noAccess)))
        })
    }
    return facts
  }
}
