import Spec

// MARK: - The parametric variant with Device Assignment (Docs/ADR/0011-parametric-rmm.md)

extension DABuilder {
  /// The features the parametric variant takes with `da`: every other one still computes with granule indices or PAs,
  /// fixes granules, or is a device-side extension the counting-free facts below do not cover.
  static let parametricFeatures: Set<Configuration.Feature> = [CCA.Feature.rmm, CCA.Feature.da, CCA.Feature.parametric]

  /// The bounds the parametric variant with `da` knows; any other bound (a device-side extension, such as several
  /// TDIs per device) must keep the value 1, which compiles to the model these facts describe.
  static let parametricBounds: Set<Configuration.Bound> = [
    CCA.Bound.granules, CCA.Bound.pes, CCA.Bound.realms, CCA.Bound.rttLevels, CCA.Bound.rttEntries, CCA.Bound.recs,
    CCA.Bound.recAux, CCA.Bound.devices, CCA.Bound.devGranules,
  ]

  /// Refuses a `da` configuration the parametric variant does not cover: device memory (its granules are the last PAs
  /// of the map, so `MemoryMap` computes with their indices), more than one device (the VDEV facts are stated by
  /// pointer through the one stream), and any feature or bound beyond ``parametricFeatures`` /
  /// ``parametricBounds`` (the setup starts fix granules; `vdev-complete` and `smmu-tlb` keep granule-valued state
  /// the facts do not state).
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` naming what to remove.
  static func checkParametric(_ configuration: Configuration) throws {
    let location = "configuration \(configuration.name)"
    if let feature = configuration.features.subtracting(parametricFeatures).sorted(by: { $0.rawValue < $1.rawValue })
      .first
    {
      throw ModelError.invalid(
        location: location,
        message: "the parametric variant with da takes only the features rmm, da and parametric; remove \(feature)")
    }
    if let bound = configuration.bounds.keys.filter({ !parametricBounds.contains($0) && configuration.bounds[$0] != 1 })
      .sorted(by: { $0.rawValue < $1.rawValue }).first
    {
      throw ModelError.invalid(
        location: location,
        message:
          "the parametric variant with da does not cover bound \(bound) (it keeps one TDI per device); set it to 1")
    }
    guard configuration.bound(CCA.Bound.devGranules, default: 0) == 0 else {
      throw ModelError.invalid(
        location: location,
        message: "the parametric variant with da has no device memory (its granules are PAs of the map); "
          + "set dev-granules = 0")
    }
    guard configuration.bound(CCA.Bound.devices, default: 1) == 1 else {
      throw ModelError.invalid(
        location: location, message: "the parametric variant with da keeps one device; set devices = 1")
    }
  }

  /// Declares what the parametric variant adds: `SMMU_STE_FETCH` and the lemma `rd-counts-its-vdevs`.
  func declareParametric() {
    declareSTEFetch()
    declareParametricLemmas()
  }

  /// Declares `SMMU_STE_FETCH`: the SMMU caches a stream's valid Realm STE (its configuration cache) with no
  /// transaction reaching memory.
  ///
  /// The variant's image of one step of the PA model: a Realm-stream access through an ASSIGNED_NS entry whose PA is
  /// outside the modelled DRAM caches the STE and changes nothing else (the `dram` test of DEVICE_REALM_READ /
  /// WRITE), while in the variant every descriptor is a granule, so every successful access also reaches a granule.
  /// An SMMUv3 may fetch and cache a valid STE at any time anyway (configuration caching is not tied to a
  /// transaction). Docs/ADR/0011-parametric-rmm.md, item 5.
  func declareSTEFetch() {
    builder.action(
      "SMMU_STE_FETCH", by: CCA.Parties.device,
      doc: """
        The SMMU fetches the Realm STE of stream `stream` into its configuration cache, with no transaction reaching \
        memory (the parametric variant only: the image of a device access through an ASSIGNED_NS entry whose PA \
        is not modelled DRAM, which in the PA model caches the STE and changes nothing else). Enabled while the STE \
        is valid and not cached; caches it for the realm of its VDEV.
        """,
      parameters: [Parameter("stream", stream)]
    ) { a in
      let s = a.arg("stream")
      a.requires(pre.read(daState.steValid, [s]) && !pre.read(daState.steCached, [s]))
      a.set(daState.steCached, [s], to: true)
      a.set(daState.steCachedRealm, [s], to: pre.read(rmmState.owner, [pre.read(daState.steVdev, [s])]))
    }
  }

  /// Declares `rd-counts-its-vdevs`, the lower half of an RD's reference count with VDEVs in the parametric variant
  /// (`rmm-objects-by-pointer` has the upper half).
  func declareParametricLemmas() {
    let rc: (Expr) -> Expr = { self.pre.read(self.rmmState.refcount, [$0]) }
    let owner: (Expr) -> Expr = { self.pre.read(self.rmmState.owner, [$0]) }
    let rdOf: (Expr) -> Expr = { self.pre.read(self.rmmState.realmRD, [owner($0)]) }
    builder.lemma(
      "rd-counts-its-vdevs",
      doc: """
        An RD's reference count is at least its realm's number of VDEVs, and one more while the realm has a REC \
        (the parametric variant, Docs/ADR/0011-parametric-rmm.md). rmm-wellformed counts an RD's RECs and VDEVs over \
        the granules, which the variant cannot; rmm-objects-by-pointer bounds the count from above (rec_index plus \
        the VDEVs, read through the streams' STEs: a bound STE names a VDEV and every VDEV is its stream's) and from \
        below by 1 while a REC lives. RMI_VDEV_CREATE and RMI_VDEV_DESTROY move the count and the STE binding \
        together, RMI_REC_DESTROY takes one off, and RMI_REALM_DESTROY needs a count of 0. Without this, induction \
        starts from a realm with a VDEV whose RD's count is 0, and RMI_REALM_DESTROY frees the realm under its VDEV \
        (a VDEV of a dead realm: the CTI of device-assigned-only at 6 granules breaks da-bookkeeping-wellformed).
        """,
      .forAll(granule) { g in
        let vdevs = self.vdevs(ofRealm: owner(g))
        return self.isState(g, GranuleState.vdev).implies(rc(rdOf(g)).ge(vdevs))
          && self.isState(g, GranuleState.rec).implies(rc(rdOf(g)).ge(1 + vdevs))
      })
  }

  /// `da-wellformed` without counting over granules, for the parametric variant: every per-granule fact for every
  /// granule (a quantifier), the stream facts and the SMMU's GPT TLB facts as they are, and a PDEV's VDEV count by
  /// pointer (``vdevsByPointer(pdev:)``).
  ///
  /// The same formula as the counting one on every reachable state: each VDEV `v` is its stream's `steVdev`, and its
  /// stream is its PDEV's, so the VDEVs of one PDEV are all `steVdev[pdevStream[p]]`: one at most, and one exactly
  /// when that STE is bound to a VDEV of `p`.
  var wellformedByPointer: Expr {
    let perGranule = Expr.forAll(granule) { g in .and(self.granuleFacts(g, vdevs: self.vdevsByPointer(pdev: g))) }
    return .and([perGranule] + streamAndSMMUFacts + deviceMemoryFacts)
  }

  /// The number of VDEVs of PDEV `g`, read by pointer: 1 when the STE of `g`'s stream is bound to a VDEV of `g`, else
  /// 0 (``wellformedByPointer``).
  func vdevsByPointer(pdev g: Expr) -> Expr {
    let s = pre.read(daState.pdevStream, [g])
    let v = pre.read(daState.steVdev, [s])
    return rmm.one(
      pre.read(daState.steBound, [s]) && isState(v, GranuleState.vdev) && pre.read(daState.vdevPdev, [v]).eq(g))
  }

  /// The number of VDEVs of realm `rr`, read through the streams' STEs (a bound STE names a VDEV of its stream, and
  /// every VDEV is its stream's): the references an RD holds beyond its RECs, for `rmm-objects-by-pointer`.
  func vdevs(ofRealm rr: Expr) -> Expr {
    rmm.sum(
      streams.map { s in
        let stream = Expr.literal(s)
        return rmm.one(
          pre.read(daState.steBound, [stream])
            && pre.read(rmmState.owner, [pre.read(daState.steVdev, [stream])]).eq(rr))
      })
  }
}
