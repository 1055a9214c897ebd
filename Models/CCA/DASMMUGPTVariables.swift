import Spec

/// The SMMU's own GPT TLB (the `da` feature; reference/rme.md §3.1) [1.1-UNSTABLE]: the GPIs the
/// SMMU's GPC caches, one entry per granule a device can reach, declared before the granule
/// commands so that EL3's transitions can invalidate it.
///
/// An RME SMMU checks every client transaction's (PA, PAS) against the same GPT as the PEs, and
/// caches GPT information in its TLBs (`SMMU_S_INIT.INV_ALL` drops it at boot). TF-A's transition
/// path issues only the PEs' `TLBI RPALOS` / `PAALLOS` and never writes `SMMU_ROOT_TLBI`: it
/// relies on the SMMU honouring broadcast PA-based TLB invalidation (reference/rme.md §3.1, itself
/// uncertain). The model takes the broadcast to reach the SMMU (EL3's TLBI step drops the SMMU's
/// entry with the PEs'); the `smmu-gpi-not-invalidated` mutant is the system where it does not.
struct SMMUGPTVariables {
  /// `smmuGPTValid[g]`: the SMMU caches a GPI for granule `g`.
  let valid: Variable
  /// `smmuGPT[g]`: the cached GPI (NO_ACCESS while not valid).
  let gpi: Variable

  init(_ b: ModelBuilder, granule: Domain) {
    valid = b.map("smmuGPTValid", keys: [granule], .bool, doc: "the SMMU's GPT TLB caches the granule's GPI") { _ in
      false
    }
    gpi = b.map("smmuGPT", keys: [granule], GPI.domain, doc: "the GPI the SMMU caches (NO_ACCESS when not valid)") {
      _ in .literal(GPI.noAccess)
    }
  }
}

extension CCABuilder {
  /// The SMMU's GPC on granule `g` for `pas` (reference/rme.md §3.1): its cached GPI if it holds one, else a GPT walk
  /// whose result it caches (when `active`).
  ///
  /// Returns whether the access passes.
  func smmuProtectionCheck(_ context: StepContext, granule g: Expr, pas: Expr, active: Expr = true) -> Expr {
    guard let smmu = smmuGPT else { return GPI.permits(gpi(context, g), pas) }
    let cached = context.read(smmu.valid, [g])
    let seen = Expr.ite(cached, then: context.read(smmu.gpi, [g]), else: gpi(context, g))
    context.write(smmu.valid, [g], true, when: active && !cached)
    context.write(smmu.gpi, [g], seen, when: active && !cached)
    return GPI.permits(seen, pas)
  }

  /// EL3's GPT TLB invalidation reaching the SMMU (broadcast TLBI RPALOS, or SMMU_ROOT_TLBI):
  /// drops the SMMU's entry for `g`; nothing under `smmu-gpi-not-invalidated` or without `da`.
  func invalidateSMMUGPT(_ context: StepContext, granule g: Expr) {
    guard let smmu = smmuGPT, !mutated(CCA.MutantName.smmuGPINotInvalidated) else { return }
    context.write(smmu.valid, [g], false)
    context.write(smmu.gpi, [g], .literal(GPI.noAccess))
  }
}
