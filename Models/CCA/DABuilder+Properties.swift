import Spec

// MARK: - The DA properties

extension DABuilder {
  /// Declares `device-assigned-only` (a monitor: device accesses set its flag) and
  /// `da-wellformed`. `hyp-no-realm-read`, `hyp-no-realm-write` and `realm-isolation` are the RMM
  /// layer's: device accesses set their flags too (a Non-secure stream is the host's agent).
  func declareProperties() {
    b.monitor(
      CCA.PropertyName.deviceAssignedOnly, doc: CCA.propertyDoc[CCA.PropertyName.deviceAssignedOnly] ?? "",
      flag: d.deviceStrayAccess)
    b.invariant(
      CCA.PropertyName.daWellformed, doc: CCA.propertyDoc[CCA.PropertyName.daWellformed] ?? "", wellformed)
  }

  /// The `da-wellformed` formula (reference/rmm.md §3.2, §3.3; reference/rme.md §3.2).
  var wellformed: Expr {
    let granules = (0..<memoryMap.granules).map { Expr.literal(Value($0)) }
    let vs = { (s: Value) -> Expr in .literal(s) }
    var facts: [Expr] = []
    for g in granules {
      let isPdev = isState(g, GranuleState.pdev)
      let isVdev = isState(g, GranuleState.vdev)
      let p = pre.read(d.vdevPdev, [g])
      let s = pre.read(d.pdevStream, [p])
      let vdevs = rmm.sum(granules.map { h in rmm.one(isState(h, GranuleState.vdev) && pre.read(d.vdevPdev, [h]).eq(g)) })
      facts.append(
        (!isPdev).implies(
          pre.read(d.pdevState, [g]).eq(.literal(PdevState.new)) && pre.read(d.pdevStream, [g]).eq(0)
            && pre.read(d.pdevVdevs, [g]).eq(0)))
      facts.append(
        isPdev.implies(
          pre.read(r.owner, [g]).eq(0) && pre.read(d.pdevVdevs, [g]).eq(vdevs)
            && pre.read(d.pdevVdevs, [g]).ne(0).implies(
              pre.read(d.pdevState, [g]).isOne(of: [
                .literal(PdevState.ready), .literal(PdevState.ideResetting), .literal(PdevState.communicating),
                .literal(PdevState.error),
              ]))))
      facts.append(
        (!isVdev).implies(
          pre.read(d.vdevState, [g]).eq(vs(VdevState.new)) && pre.read(d.vdevRequest, [g]).eq(.literal(VdevRequest.none))
            && p.eq(0) && !pre.read(d.vdevDMA, [g]) && !pre.read(d.vdevDMAVerified, [g])
            && pre.read(d.vdevLockNonce, [g]).eq(0) && pre.read(d.vdevMeasSeq, [g]).eq(0)
            && pre.read(d.vdevReportSeq, [g]).eq(0)))
      facts.append(
        isVdev.implies(
          isState(p, GranuleState.pdev)
            && pre.read(r.realmState, [pre.read(r.owner, [g])]).ne(.literal(RealmState.none))
            && pre.read(d.steBound, [s]) && pre.read(d.steVdev, [s]).eq(g)
            && pre.read(d.vdevDMA, [g]).eq(pre.read(d.steValid, [s]))
            && pre.read(d.vdevDMA, [g]).implies(
              pre.read(d.vdevState, [g]).eq(vs(VdevState.started)) && pre.read(d.vdevDMAVerified, [g]))))
    }
    facts.append(
      .forAll(stream) { s in
        let bound = self.pre.read(self.d.steBound, [s])
        let g = self.pre.read(self.d.steVdev, [s])
        return bound.implies(self.isState(g, GranuleState.vdev) && self.streamOf(vdev: g).eq(s))
          && (!bound).implies(g.eq(0) && !self.pre.read(self.d.steValid, [s]))
          && self.pre.read(self.d.steCached, [s]).implies(
            self.pre.read(self.d.steValid, [s]) && self.pre.read(self.d.steCachedRealm, [s]).eq(self.pre.read(self.r.owner, [g])))
          && (!self.pre.read(self.d.steCached, [s])).implies(self.pre.read(self.d.steCachedRealm, [s]).eq(0))
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
    return .and(facts + deviceMemoryFacts)
  }
}
