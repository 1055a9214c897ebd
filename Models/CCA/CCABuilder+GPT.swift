import Spec

// MARK: - The GPT and the Granule Protection Check

extension CCABuilder {
  /// The L1 descriptor word that holds granule `g`'s GPI: `g / 16` (reference/rme.md §1.3: the
  /// L1 index is PA[S-1:P+4], and DRAM0 starts 64 KB aligned).
  func descriptorIndex(_ g: Expr) -> Expr { g / .literal(Value(MemoryMap.gpisPerDescriptor)) }

  /// The bit position of granule `g`'s GPI in its descriptor: `4 × (g % 16)` (the nibble
  /// PA[P+3:P]).
  func gpiShift(_ g: Expr) -> Expr { (g % .literal(Value(MemoryMap.gpisPerDescriptor))) * 4 }

  /// Granule `g`'s GPI in the GPT: the one place that reads a GPI out of a descriptor word (or,
  /// under `parametric`, the granule's own entry).
  func gpi(_ state: some StateReader, _ g: Expr) -> Expr {
    switch machine.gpt {
    case .descriptors(let gptDescriptor, _):
      return state.read(gptDescriptor, [descriptorIndex(g)]).bits(gpiShift(g), width: 4)
    case .perGranule(let gpi):
      return state.read(gpi, [g])
    }
  }

  /// The descriptor word `word` with granule `g`'s GPI replaced by `gpi`: the one place that
  /// updates a GPI nibble (TF-A's `write_gpt` does the same read-modify-write of the 4-bit field).
  func descriptor(_ word: Expr, settingGPIOf g: Expr, to gpi: Expr) -> Expr {
    word.withBits(gpiShift(g), width: 4, gpi)
  }

  /// Performs the Granule Protection Check for an access by PE `pe` in PAS `pas` to granule `g`
  /// and returns whether it passes.
  ///
  /// The PE uses its cached GPI when it holds one; otherwise it walks the GPT and caches the GPI
  /// it found (the fill is an effect of the access, so it happens only when the access does).
  /// The check compares the access PAS with that GPI (``GPI/permits(_:_:)``). `active` limits
  /// the fill to accesses that reach a granule at all.
  func protectionCheck(
    _ context: StepContext, pe: Expr, granule g: Expr, pas: Expr, active: Expr = true
  ) -> Expr {
    let cached = context.read(machine.gptTLBValid, [pe, g])
    let walked = gpi(context, g)
    let seen = Expr.ite(cached, then: context.read(machine.gptTLB, [pe, g]), else: walked)
    context.write(machine.gptTLBValid, [pe, g], true, when: active && !cached)
    context.write(machine.gptTLB, [pe, g], walked, when: active && !cached)
    return GPI.permits(seen, pas)
  }

  /// Invalidates every PE's cached GPI for granule `g`.
  ///
  /// This is `TLBI RPALOS` for the granule followed by `DSB OSH` (reference/rme.md §2.3
  /// step 3); the broadcast completes within the step.
  func invalidateGPTTLBs(_ context: StepContext, granule g: Expr) {
    context.writeAll(machine.gptTLBValid, where: { k in k[1].eq(g) }, to: { _ in false })
    context.writeAll(machine.gptTLB, where: { k in k[1].eq(g) }, to: { _ in .literal(GPI.noAccess) })
    invalidateSMMUGPT(context, granule: g)  // with `da`: the SMMU's GPT TLB too (DASMMUGPTVariables.swift)
  }
}
