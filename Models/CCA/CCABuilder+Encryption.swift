import Spec

// MARK: - Memory encryption: contexts, ciphertext reads, tagged lines

extension CCABuilder {
  /// The number of realm MECIDs under `per-realm` (``mecids``); 0 otherwise.
  ///
  /// - Throws: ``ModelError/invalid(location:message:)`` when `max-mecid` is out of range.
  static func mecidCount(_ configuration: Configuration, realms: Int, encryption: Encryption) throws -> Int {
    guard encryption == .perRealm else { return 0 }
    guard configuration.has(CCA.Feature.rmm) else { return realms }
    let maxMECID = configuration.bound(CCA.Bound.maxMECID, default: 1)
    guard (0...7).contains(maxMECID) else {
      throw ModelError.invalid(
        location: "configuration \(configuration.name)", message: "bound max-mecid is \(maxMECID); it must be in 0...7")
    }
    return maxMECID + 1
  }

  /// A context literal.
  private func context(_ value: Value) -> Expr { .literal(value) }

  /// The context realm `r` (a Realm index expression) uses for its Realm-PAS accesses: the Realm key under `per-pas`;
  /// its MECID's under `per-realm` (with the RMM the MECID of its RealmParams, ``MECVariables/realmMECID``; the realm
  /// stand-in's realm `r` uses MECID `r`).
  ///
  /// Meaningless (RMM) without encryption.
  func realmContext(_ r: Expr) -> Expr {
    guard encryption == .perRealm else { return context(EncryptionContext.rmm) }
    if let mec {
      let m = PreState().read(mec.realmMECID, [r])
      return chain(count: mecids, of: m) { EncryptionContext.mecid(Value($0)) }
    }
    return chain(count: realmSort.count, of: r) { EncryptionContext.mecid(Value($0)) }
  }

  /// `value(k)` for the index expression `index` = k, as a chain of comparisons (index sorts
  /// stay free of arithmetic; the last value is the fallback).
  func chain(count: Int, of index: Expr, _ value: (Int) -> Value) -> Expr {
    var result = Expr.literal(value(count - 1))
    for k in (0..<(count - 1)).reversed() {
      result = .ite(index.eq(.literal(Value(k))), then: .literal(value(k)), else: result)
    }
    return result
  }

  /// The context of the agent that wrote `data` through the Realm PAS: the realm whose label it is, else the RMM
  /// (zeroes of a scrub or an initialisation).
  ///
  /// A realm writes only its own label and the RMM only zeroes or a realm's copied-in data, so the label names the
  /// writer.
  func writerContext(_ data: Expr) -> Expr {
    if case .literal(let value) = data {
      guard let r = (0..<realmSort.count).first(where: { content.realm($0) == value }) else {
        return context(EncryptionContext.rmm)
      }
      return realmContext(.literal(Value(r)))
    }
    var result = context(EncryptionContext.rmm)
    for r in (0..<realmSort.count).reversed() {
      result = .ite(data.eq(.literal(content.realm(r))), then: realmContext(.literal(Value(r))), else: result)
    }
    return result
  }

  /// The context the line of granule `g` in alias `pas` carries: NS for the Non-secure alias;
  /// the Realm key (`per-pas`) or the line's MECID tag (`per-realm`) for the Realm alias.
  func lineContext(_ state: some StateReader, _ g: Expr, _ pas: Expr) -> Expr {
    if taggedLines { return keyContext(pas) }
    switch encryption {
    case .none: return context(EncryptionContext.rmm)
    case .perPAS:
      return .ite(
        pas.eq(.literal(PAS.nonSecure)), then: context(EncryptionContext.nonSecure),
        else: context(EncryptionContext.rmm))
    case .perRealm:
      guard let line = keys?.realmLineContext else { preconditionFailure("per-realm declares realmLineContext") }
      return .ite(
        pas.eq(.literal(PAS.nonSecure)), then: context(EncryptionContext.nonSecure), else: state.read(line, [g]))
    }
  }

  /// The context of an access through `pas` by the Non-secure world or a realm's own data:
  /// NS for the Non-secure PAS, `realm`'s context for the Realm PAS.
  func accessContext(_ pas: Expr, realm r: Expr) -> Expr {
    guard encryption != .none else { return context(EncryptionContext.rmm) }
    return .ite(pas.eq(.literal(PAS.nonSecure)), then: context(EncryptionContext.nonSecure), else: realmContext(r))
  }

  /// `label` written under `written` as read under `reader`: the label itself when the
  /// contexts agree (or memory is not encrypted), else CIPHERTEXT.
  func decrypted(_ label: Expr, written: Expr, reader: Expr) -> Expr {
    guard encryption != .none else { return label }
    return .ite(written.eq(reader), then: label, else: .literal(content.ciphertext))
  }

  /// The memory of granule `g` as read under context `reader`.
  func memoryAsRead(_ state: some StateReader, _ g: Expr, reader: Expr) -> Expr {
    guard let keys else { return state.read(machine.memory, [g]) }
    return decrypted(state.read(machine.memory, [g]), written: state.read(keys.memoryContext, [g]), reader: reader)
  }

  /// What a read of granule `g` through alias `pas` under context `reader` returns: a hit
  /// returns the line, decrypted if the line carries another context (a Realm line of another
  /// MECID); a miss returns memory as read under `reader`.
  func accessRead(_ state: some StateReader, _ g: Expr, _ pas: Expr, reader: Expr) -> Expr {
    if taggedLines {
      // The access hits only the copy under its own MECID, which holds plaintext for it.
      let key = lineKey(pas, context: reader)
      return .ite(
        lineHit(state, g, pas, reader: reader), then: state.read(machine.cacheData, [g, key]),
        else: memoryAsRead(state, g, reader: reader))
    }
    let hit = state.read(machine.cacheLine, [g, pas]).ne(.literal(LineState.invalid))
    let line = decrypted(state.read(machine.cacheData, [g, pas]), written: lineContext(state, g, pas), reader: reader)
    return .ite(hit, then: line, else: memoryAsRead(state, g, reader: reader))
  }

  /// Fills the line of granule `g` in alias `pas` CLEAN from memory, as read under `reader`
  /// (nil: the context memory was written under, as when its owner prefetches the line; the
  /// Non-secure alias always reads under NS).
  func fillLine(_ context: StepContext, _ g: Expr, _ pas: Expr, reader: Expr? = nil, when: Expr = true) {
    if taggedLines, let keys {
      let written = context.read(keys.memoryContext, [g])
      let reader = Expr.ite(
        pas.eq(.literal(PAS.nonSecure)), then: .literal(EncryptionContext.nonSecure), else: reader ?? written)
      setLineAt(
        context, g, lineKey(pas, context: reader), LineState.clean,
        decrypted(context.read(machine.memory, [g]), written: written, reader: reader), when: when)
      return
    }
    guard let keys else {
      setLine(context, g, pas, LineState.clean, context.read(machine.memory, [g]), when: when)
      return
    }
    let written = context.read(keys.memoryContext, [g])
    let reader = Expr.ite(
      pas.eq(.literal(PAS.nonSecure)), then: .literal(EncryptionContext.nonSecure),
      else: encryption == .perPAS ? .literal(EncryptionContext.rmm) : (reader ?? written))
    setLine(
      context, g, pas, LineState.clean, decrypted(context.read(machine.memory, [g]), written: written, reader: reader),
      under: reader, when: when)
  }

  /// Records the context of a line write: the Realm-alias line's MECID tag under `per-realm`
  /// (``writerContext(_:)`` of the data unless `key` is given; RMM for an invalid line).
  func setLineContext(
    _ context: StepContext, _ g: Expr, _ pas: Expr, _ state: Value, _ data: Expr, under key: Expr?, when: Expr
  ) {
    guard let line = keys?.realmLineContext else { return }
    if case .literal(let alias) = pas, alias != PAS.realm { return }
    let value = state == LineState.invalid ? .literal(EncryptionContext.rmm) : (key ?? writerContext(data))
    context.write(line, [g], value, when: when && pas.eq(.literal(PAS.realm)))
  }

  /// Records, on a write-back of the line of `g` in `pas`, the line's context as memory's.
  func writeBackContext(_ context: StepContext, _ g: Expr, _ pas: Expr, when: Expr) {
    guard let keys else { return }
    context.write(keys.memoryContext, [g], lineContext(context, g, pas), when: when)
  }

  // MARK: RMM writes that reach memory directly (one atomic command)

  // MARK: MECID-tagged lines (the `mecid-lines` feature; ``LineTag``)

  /// The line key of an access through `pas` under context `context`: `pas` itself without
  /// `mecid-lines`; with it NS for the Non-secure alias and the context's Realm line for the
  /// Realm PAS (reference/rme.md §4.1: a line is tagged with the MECID of the access).
  func lineKey(_ pas: Expr, context: Expr) -> Expr {
    guard taggedLines else { return pas }
    if case .literal(let alias) = pas { return alias == PAS.nonSecure ? pas : realmLineKey(context) }
    return .ite(pas.eq(.literal(PAS.nonSecure)), then: .literal(PAS.nonSecure), else: realmLineKey(context))
  }

  /// The Realm-PAS line key of encryption context `context`: `Realm` for the RMM's MECID 0,
  /// `Realm_MECID_m` for realm MECID `m` (always `Realm` without `mecid-lines`).
  func realmLineKey(_ context: Expr) -> Expr {
    guard taggedLines else { return .literal(PAS.realm) }
    var result = Expr.literal(PAS.realm)
    for m in (0..<mecids).reversed() {
      let c = EncryptionContext.mecid(Value(m))
      if case .literal(let value) = context {
        if value == c { return .literal(LineTag.mecid(Value(m))) }
        continue
      }
      result = .ite(context.eq(.literal(c)), then: .literal(LineTag.mecid(Value(m))), else: result)
    }
    return result
  }

  /// The encryption context of the line with key `key` under `mecid-lines`: NS for the
  /// Non-secure alias, the RMM's for `Realm`, MECID `m`'s for `Realm_MECID_m`.
  func keyContext(_ key: Expr) -> Expr {
    if case .literal(let k) = key {
      if k == PAS.nonSecure { return .literal(EncryptionContext.nonSecure) }
      if k == PAS.realm { return .literal(EncryptionContext.rmm) }
      return .literal(EncryptionContext.mecid(k - LineTag.mecid(0)))
    }
    var result = Expr.literal(EncryptionContext.rmm)
    for m in (0..<mecids).reversed() {
      result = .ite(
        key.eq(.literal(LineTag.mecid(Value(m)))), then: .literal(EncryptionContext.mecid(Value(m))), else: result)
    }
    return .ite(key.eq(.literal(PAS.nonSecure)), then: .literal(EncryptionContext.nonSecure), else: result)
  }

  /// Whether line key `key` is a Realm-PAS line (`Realm` without `mecid-lines`; any key but NS
  /// with it).
  func isRealmKey(_ key: Expr) -> Expr {
    taggedLines ? key.ne(.literal(PAS.nonSecure)) : key.eq(.literal(PAS.realm))
  }

  /// Whether an access to granule `g` through `pas` under context `reader` hits a valid line:
  /// the alias's line, or with `mecid-lines` the copy under the access's MECID.
  func lineHit(_ state: some StateReader, _ g: Expr, _ pas: Expr, reader: Expr) -> Expr {
    state.read(machine.cacheLine, [g, lineKey(pas, context: reader)]).ne(.literal(LineState.invalid))
  }

  /// `true` when any of `conditions` holds (the one condition itself when there is one, so that
  /// configurations without `mecid-lines` keep their expressions).
  func any(_ conditions: [Expr]) -> Expr { conditions.count == 1 ? conditions[0] : .or(conditions) }

  /// Fills the line with key `key` (a hardware fill, ``declareHardwareActions()``): with
  /// `mecid-lines` the copy under the key's MECID, holding memory as read under that MECID
  /// (ciphertext unless memory was written under it).
  func fillLineAt(_ context: StepContext, _ g: Expr, key: Expr) {
    guard taggedLines else { return fillLine(context, g, key) }
    let reader = keyContext(key)
    setLineAt(context, g, key, LineState.clean, memoryAsRead(context, g, reader: reader))
  }

  /// Sets the Realm-PAS line of granule `g` under context `key` directly (an RMM command that
  /// writes a structure into realm memory for the realm; RSI_REALM_CONFIG).
  func setRealmLine(_ a: ActionBuilder, _ g: Expr, _ state: Value, _ data: Expr, under key: Expr) {
    let line = realmLineKey(key)
    a.set(machine.cacheLine, [g, line], to: .literal(state))
    a.set(machine.cacheData, [g, line], to: data)
    setRealmLineContext(a, g, key)
    recordWrite(a, g, data)
  }

  /// Drops the Realm-PAS line of `g` that an RMM write under `key` (the RMM's context when nil) went through: the write
  /// reached memory (``setMemoryContext(_:_:_:)``).
  ///
  /// Without `mecid-lines` that is the granule's one Realm line; with it only the copy under `key`: copies under other
  /// MECIDs stay (reference/rme.md §4.1).
  func dropRealmLine(_ a: ActionBuilder, _ g: Expr, under key: Expr? = nil) {
    let line = realmLineKey(key ?? .literal(EncryptionContext.rmm))
    a.set(machine.cacheLine, [g, line], to: .literal(LineState.invalid))
    a.set(machine.cacheData, [g, line], to: .literal(Content.zero))
  }

  /// `DC CIPAE` over granule `g` as one RMM command's effect (TF-RMM `granule_dcci_poe` in
  /// `granule_unlock_transition_to_delegated`, reference/rme.md §2.5): every Realm-PAS copy, whatever its MECID, is
  /// written back if dirty, under its own MECID, and dropped (§4.1).
  ///
  /// Dirty copies are written back in key order, so the last one wins; the other orders are reached by evicting copies
  /// first (CACHE_EVICT).
  func cleanInvalidateRealmCopies(_ a: ActionBuilder, _ g: Expr) {
    for k in realmLineKeys {
      let key = Expr.literal(k)
      a.when(PreState().read(machine.cacheLine, [g, key]).eq(.literal(LineState.dirty))) {
        a.set(machine.memory, [g], to: PreState().read(machine.cacheData, [g, key]))
        if let keys { a.set(keys.memoryContext, [g], to: keyContext(key)) }
      }
    }
    for k in realmLineKeys {
      a.set(machine.cacheLine, [g, .literal(k)], to: .literal(LineState.invalid))
      a.set(machine.cacheData, [g, .literal(k)], to: .literal(Content.zero))
    }
  }

  /// Records that the RMM wrote granule `g`'s memory under `key` (the RMM's own context when nil): a scrub, an
  /// initialisation, DATA_CREATE's copy.
  ///
  /// Drops the Realm line's tag with the line. Nothing without encryption.
  func setMemoryContext(_ a: ActionBuilder, _ g: Expr, _ key: Expr? = nil) {
    guard let keys else { return }
    a.set(keys.memoryContext, [g], to: key ?? .literal(EncryptionContext.rmm))
    if let line = keys.realmLineContext { a.set(line, [g], to: .literal(EncryptionContext.rmm)) }
  }

  /// Records that the RMM scrubbed every granule `where` selects (a bulk scrub through `setAll`, such as releasing a
  /// REC's auxiliary granules): memory under the RMM's context, Realm-line tags dropped with the lines.
  ///
  /// Nothing without encryption.
  func setMemoryContextAll(_ a: ActionBuilder, where selected: @escaping (Expr) -> Expr) {
    guard let keys else { return }
    a.setAll(keys.memoryContext, where: { k in selected(k[0]) }) { _ in .literal(EncryptionContext.rmm) }
    if let line = keys.realmLineContext {
      a.setAll(line, where: { k in selected(k[0]) }) { _ in .literal(EncryptionContext.rmm) }
    }
  }

  /// Tags granule `g`'s Realm line with `key` when an action writes the line directly (not through
  /// ``setLine(_:_:_:_:_:under:when:)``), such as the RMM writing a structure into realm memory for the realm (`key`:
  /// ``realmContext(_:)``).
  ///
  /// Nothing unless per-realm.
  func setRealmLineContext(_ a: ActionBuilder, _ g: Expr, _ key: Expr) {
    guard let line = keys?.realmLineContext else { return }
    a.set(line, [g], to: key)
  }

  /// The context the RMM initialises a new object of state `state` of realm `r` under
  /// (reference/rme.md §2.5, §4.2: DATA and RTT granules through Realm-MECID slots, so under
  /// the realm's MECID; RD and REC, RMM metadata, under MECID 0).
  func objectContext(_ state: Value, realm r: Expr) -> Expr {
    state == GranuleState.data || state == GranuleState.rtt ? realmContext(r) : .literal(EncryptionContext.rmm)
  }
}
