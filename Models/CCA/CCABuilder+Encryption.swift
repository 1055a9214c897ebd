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

  /// The context realm `r` (a Realm index expression) uses for its Realm-PAS accesses: the
  /// Realm key under `per-pas`; its MECID's under `per-realm` (with the RMM the MECID of its
  /// RealmParams, ``MECVariables/realmMECID``; the realm stand-in's realm `r` uses MECID `r`).
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

  /// The context of the agent that wrote `data` through the Realm PAS: the realm whose label it
  /// is, else the RMM (zeroes of a scrub or an initialisation). A realm writes only its own
  /// label and the RMM only zeroes or a realm's copied-in data, so the label names the writer.
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
    guard let keys else { return state.read(v.memory, [g]) }
    return decrypted(state.read(v.memory, [g]), written: state.read(keys.memoryContext, [g]), reader: reader)
  }

  /// What a read of granule `g` through alias `pas` under context `reader` returns: a hit
  /// returns the line, decrypted if the line carries another context (a Realm line of another
  /// MECID); a miss returns memory as read under `reader`.
  func accessRead(_ state: some StateReader, _ g: Expr, _ pas: Expr, reader: Expr) -> Expr {
    let hit = state.read(v.cacheLine, [g, pas]).ne(.literal(LineState.invalid))
    let line = decrypted(state.read(v.cacheData, [g, pas]), written: lineContext(state, g, pas), reader: reader)
    return .ite(hit, then: line, else: memoryAsRead(state, g, reader: reader))
  }

  /// Fills the line of granule `g` in alias `pas` CLEAN from memory, as read under `reader`
  /// (nil: the context memory was written under, as when its owner prefetches the line; the
  /// Non-secure alias always reads under NS).
  func fillLine(_ context: StepContext, _ g: Expr, _ pas: Expr, reader: Expr? = nil, when: Expr = true) {
    guard let keys else {
      setLine(context, g, pas, LineState.clean, context.read(v.memory, [g]), when: when)
      return
    }
    let written = context.read(keys.memoryContext, [g])
    let reader = Expr.ite(
      pas.eq(.literal(PAS.nonSecure)), then: .literal(EncryptionContext.nonSecure),
      else: encryption == .perPAS ? .literal(EncryptionContext.rmm) : (reader ?? written))
    setLine(
      context, g, pas, LineState.clean, decrypted(context.read(v.memory, [g]), written: written, reader: reader),
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

  /// Records that the RMM wrote granule `g`'s memory under `key` (the RMM's own context when
  /// nil): a scrub, an initialisation, DATA_CREATE's copy. Drops the Realm line's tag with the
  /// line. Nothing without encryption.
  func setMemoryContext(_ a: ActionBuilder, _ g: Expr, _ key: Expr? = nil) {
    guard let keys else { return }
    a.set(keys.memoryContext, [g], to: key ?? .literal(EncryptionContext.rmm))
    if let line = keys.realmLineContext { a.set(line, [g], to: .literal(EncryptionContext.rmm)) }
  }

  /// Records that the RMM scrubbed every granule `where` selects (a bulk scrub through `setAll`,
  /// such as releasing a REC's auxiliary granules): memory under the RMM's context, Realm-line
  /// tags dropped with the lines. Nothing without encryption.
  func setMemoryContextAll(_ a: ActionBuilder, where selected: @escaping (Expr) -> Expr) {
    guard let keys else { return }
    a.setAll(keys.memoryContext, where: { k in selected(k[0]) }) { _ in .literal(EncryptionContext.rmm) }
    if let line = keys.realmLineContext {
      a.setAll(line, where: { k in selected(k[0]) }) { _ in .literal(EncryptionContext.rmm) }
    }
  }

  /// Tags granule `g`'s Realm line with `key` when an action writes the line directly (not
  /// through ``setLine(_:_:_:_:_:under:when:)``), such as the RMM writing a structure into
  /// realm memory for the realm (`key`: ``realmContext(_:)``). Nothing unless per-realm.
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
