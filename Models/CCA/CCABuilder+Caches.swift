import Spec

// MARK: - Data caches and memory

extension CCABuilder {
  /// Whether granule `g` holds realm data where a Non-secure write-back would change it: in
  /// memory, or in a valid Realm-PAS line.
  func holdsRealmData(_ state: some StateReader, _ g: Expr) -> Expr {
    content.isRealmData(state.read(machine.memory, [g]))
      || any(
        realmLineKeys.map { k in
          state.read(machine.cacheLine, [g, .literal(k)]).ne(.literal(LineState.invalid))
            && content.isRealmData(state.read(machine.cacheData, [g, .literal(k)]))
        })
  }

  /// Sets the line of granule `g` in alias `pas`; with encryption, also the context the line
  /// carries (`key`, or the writer's: ``setLineContext(_:_:_:_:_:under:when:)``).
  func setLine(
    _ context: StepContext, _ g: Expr, _ pas: Expr, _ state: Value, _ data: Expr, under key: Expr? = nil,
    when: Expr = true
  ) {
    if taggedLines {
      setLineAt(context, g, lineKey(pas, context: key ?? writerContext(data)), state, data, when: when)
      return
    }
    context.write(machine.cacheLine, [g, pas], .literal(state), when: when)
    context.write(machine.cacheData, [g, pas], data, when: when)
    setLineContext(context, g, pas, state, data, under: key, when: when)
  }

  /// Sets the line with key `key` (``LineTag``: with `mecid-lines` a Realm key names one MECID's
  /// copy), as an eviction, a clean or a hardware fill does.
  func setLineAt(_ context: StepContext, _ g: Expr, _ key: Expr, _ state: Value, _ data: Expr, when: Expr = true) {
    context.write(machine.cacheLine, [g, key], .literal(state), when: when)
    context.write(machine.cacheData, [g, key], data, when: when)
    if !taggedLines { setLineContext(context, g, key, state, data, under: nil, when: when) }
  }

  /// Writes the line of granule `g` in alias `pas` back to memory if it is dirty, then drops it: what an eviction and
  /// `DC CIPAPA` both do to one line.
  ///
  /// With encryption the write-back encrypts under the context the line carries (reference/rme.md §4.1: "a write-back
  /// uses the MECID recorded with the cache line"; DC CIPAPA covers every MECID's copy).
  ///
  /// A dirty Non-secure line that lands on a granule holding realm data (``holdsRealmData(_:_:)``,
  /// read before the write-back) sets the `hyp-no-realm-write` monitor: the host's data has
  /// changed realm memory, or will the moment the realm's line is dropped.
  func writeBackAndInvalidate(_ context: StepContext, _ g: Expr, _ pas: Expr, when: Expr = true) {
    let dirty = when && context.read(machine.cacheLine, [g, pas]).eq(.literal(LineState.dirty))
    context.write(machine.memory, [g], context.read(machine.cacheData, [g, pas]), when: dirty)
    writeBackContext(context, g, pas, when: dirty)
    context.write(
      machine.nsWroteRealmData, [], true, when: dirty && pas.eq(.literal(PAS.nonSecure)) && holdsRealmData(context, g))
    setLineAt(context, g, pas, LineState.invalid, .literal(Content.zero), when: when)
  }

  /// `DC CIPAPA` (or `DC CIGDPAPA`) over granule `g` with PAS selector `pas`, then `DSB OSH`:
  /// clean to the Point of Physical Aliasing and invalidate the alias's line (reference/rme.md
  /// §2.3 steps 1 and 4, §2.4 steps 2 and 3).
  ///
  /// With `mecid-lines` the Realm selector cleans every Realm-PAS copy, whatever its MECID
  /// (reference/rme.md §4.1: DC CIPAPA cleans and invalidates all copies regardless of MECID),
  /// each written back under its own MECID, in key order (the last dirty copy wins; other orders
  /// are reached by evicting copies first).
  func cleanInvalidateToPoPA(_ context: StepContext, _ g: Expr, pas: Value) {
    guard taggedLines && pas == PAS.realm else { return writeBackAndInvalidate(context, g, .literal(pas)) }
    for k in realmLineKeys { writeBackAndInvalidate(context, g, .literal(k)) }
  }

  /// Declares the hardware's own moves, possible at any moment: cache evictions, speculative
  /// line fills and GPT-TLB evictions.
  func declareHardwareActions() {
    builder.action(
      "CACHE_EVICT", by: CCA.Parties.hardware,
      doc: """
        The data cache evicts a line at any moment: a dirty line is written back to memory, then \
        the line is invalid. Write-backs of dirty Non-secure lines set the hyp-no-realm-write monitor \
        when they land on realm data. Caches hold lines per PAS alias and are not coherent across \
        aliases (reference/rme.md §2.3 step 4, §2.4 step 2). With mecid-lines `pas` names one \
        Realm copy per MECID, written back under its own MECID (§4.1).
        """,
      parameters: [Parameter("granule", granule), Parameter("pas", lineDomain)]
    ) { a in
      let (g, pas) = (a.args[0], a.args[1])
      a.requires(PreState().read(machine.cacheLine, [g, pas]).ne(.literal(LineState.invalid)))
      let context = StepContext()
      writeBackAndInvalidate(context, g, pas)
      context.emit(into: a)
    }
    builder.action(
      "SPECULATIVE_FILL", by: CCA.Parties.hardware,
      doc: """
        The hardware fills an invalid line of either PAS alias with the granule's memory content at \
        any moment, whatever the GPI. This over-approximates speculation and prefetch, and is TF-A's \
        stated reason for cleaning the target alias: "remove any data speculatively fetched into the \
        target PAS" (reference/rme.md §2.3 step 1, §2.4 step 3). Architectural reads still fail the \
        GPC; a filled line is only observable through an access that passes it. With encryption a \
        Non-secure line decrypts memory under NS (ciphertext of realm data), and a Realm line is \
        filled under the context memory was written in, tagged with it (as the owner's prefetch: \
        a fill under another MECID would only hold ciphertext, which no read can tell from memory). \
        With mecid-lines `pas` names the copy of one MECID, filled with memory as read under that \
        MECID (ciphertext unless memory was written under it).
        """,
      parameters: [Parameter("granule", granule), Parameter("pas", lineDomain)]
    ) { a in
      let (g, pas) = (a.args[0], a.args[1])
      a.requires(PreState().read(machine.cacheLine, [g, pas]).eq(.literal(LineState.invalid)))
      let context = StepContext()
      fillLineAt(context, g, key: pas)
      context.emit(into: a)
    }
    builder.action(
      "GPT_TLB_EVICT", by: CCA.Parties.hardware,
      doc: """
        A PE's GPT TLB drops a cached GPI at any moment; the next access walks the GPT again \
        (reference/rme.md §1.4: GPT entries may be cached in TLBs).
        """,
      parameters: [Parameter("pe", pe), Parameter("granule", granule)]
    ) { a in
      let (p, g) = (a.args[0], a.args[1])
      a.requires(PreState().read(machine.gptTLBValid, [p, g]))
      a.set(machine.gptTLBValid, [p, g], to: false)
      a.set(machine.gptTLB, [p, g], to: .literal(GPI.noAccess))
    }
  }
}
