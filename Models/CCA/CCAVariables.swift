import Spec

/// The state variables of the CCA model's memory, GPT and granule layer.
///
/// The state (reference/rme.md §2.6, DESIGN.md §6):
/// - the GPT: L1 granules descriptors of 16 GPIs each (under the `parametric` feature, one GPI
///   per granule: Docs/ADR/0003-parametric-abstraction.md), and EL3's global GPT lock;
/// - per PE, the GPT TLB: a cached GPI (valid bit and value) per granule;
/// - per granule and PAS alias (NS, Realm), one data-cache line (state and content label);
/// - per granule, the memory's content label;
/// - per granule, the RMM's state and the RMM's granule lock;
/// - per PE, where it is in an RMI granule command (program counter, granule, and the
///   descriptor word read for EL3's read-modify-write; none under `parametric`);
/// - two monitor flags for the `hyp-no-realm-*` properties.
///
/// Values that mean nothing at the moment (a cached GPI that is not valid, an invalid line's
/// content, an idle PE's granule and descriptor) are kept at fixed values (NO_ACCESS, ZERO, 0),
/// so they never split otherwise equal states.
struct CCAVariables {
  /// How the GPT is stored.
  enum GPTStorage {
    /// The architecture's layout: `gptDescriptor[d]` is L1 granules descriptor `d`, the GPIs of
    /// granules `16d … 16d+15`; `el3Descriptor[pe]` is the word EL3 read for its
    /// read-modify-write, until it writes it back (0 otherwise).
    case descriptors(gptDescriptor: Variable, el3Descriptor: Variable)
    /// The parametric abstraction: `gpi[g]` is granule `g`'s GPI, its own entry (no word shared
    /// with other granules, so no read-modify-write state).
    case perGranule(gpi: Variable)
  }

  /// The GPT.
  let gpt: GPTStorage
  /// `gptLock`: TF-A's global GPT lock (`RME_GPT_BITLOCK_BLOCK` = 0, reference/rme.md §2.2).
  let gptLock: Variable
  /// `gptTLBValid[pe][g]`: whether PE `pe` caches a GPI for granule `g`.
  let gptTLBValid: Variable
  /// `gptTLB[pe][g]`: the cached GPI (NO_ACCESS while not valid).
  let gptTLB: Variable
  /// `cacheLine[g][pas]`: the data-cache line of granule `g` in PAS alias `pas` (with
  /// `mecid-lines`, a Realm-PAS line per MECID: ``LineTag``).
  let cacheLine: Variable
  /// `cacheData[g][pas]`: that line's content label (ZERO while invalid).
  let cacheData: Variable
  /// `memory[g]`: the content label of granule `g` in DRAM (past the PoPA).
  let memory: Variable
  /// `granuleState[g]`: the RMM's state of granule `g`.
  let granuleState: Variable
  /// `granuleLock[g]`: whether an RMI command on `g` is in flight (TF-RMM's granule lock, held
  /// across the SMC to EL3, reference/rme.md §2.2, §2.5).
  let granuleLock: Variable
  /// `el3Step[pe]`: the next step of the RMI command PE `pe` runs, or IDLE.
  let el3Step: Variable
  /// `el3Granule[pe]`: the granule that command works on (0 while idle).
  let el3Granule: Variable
  /// Monitor: a Non-secure read returned realm data.
  let nsReadRealmData: Variable
  /// Monitor: Non-secure data was written back over realm data.
  let nsWroteRealmData: Variable

  /// Declares the variables, with their initial values, in `b`.
  ///
  /// `descriptor` is the domain of the descriptor words, or `nil` for one GPI per granule (the
  /// `parametric` feature). The descriptor layout declares the variables in the same order as
  /// always, so states, traces and search counts of the default configurations do not change.
  ///
  /// `lines` is the key domain of the cache lines (``LineTag``): the two cached PAS aliases, or
  /// with `mecid-lines` one Realm line per MECID.
  init(
    _ b: ModelBuilder, granule: Domain, pe: Domain, descriptor: Domain?, content: Domain,
    lines: Domain = PAS.cachedDomain
  ) {
    let gptVariable: Variable
    if let descriptor {
      let allNS = (0..<MemoryMap.gpisPerDescriptor).reduce(Value(0)) { word, i in
        word | GPI.nonSecure << Value(4 * i)
      }
      gptVariable = b.map(
        "gptDescriptor", keys: [descriptor], .word(bits: 64),
        doc: "L1 granules descriptors: 16 GPIs per 64-bit word, granule g at nibble g % 16 of word g / 16; "
          + "every GPI NS at boot (granules the model does not track stay NS)",
        initial: { _ in .literal(allNS) })
    } else {
      gptVariable = b.map(
        "gpi", keys: [granule], GPI.domain,
        doc:
          "the granule's GPI, one entry per granule (the parametric abstraction of the descriptor words); NS at boot",
        initial: { _ in .literal(GPI.nonSecure) })
    }
    gptLock = b.variable(
      "gptLock", .bool, doc: "TF-A's global GPT lock (RME_GPT_BITLOCK_BLOCK = 0)", initial: false)
    gptTLBValid = b.map(
      "gptTLBValid", keys: [pe, granule], .bool, doc: "whether the PE's GPT TLB caches the granule's GPI",
      initial: { _ in false })
    gptTLB = b.map(
      "gptTLB", keys: [pe, granule], GPI.domain, doc: "the cached GPI (NO_ACCESS when not valid)",
      initial: { _ in .literal(GPI.noAccess) })
    cacheLine = b.map(
      "cacheLine", keys: [granule, lines], LineState.domain,
      doc: "the data-cache line of the granule in the PAS alias", initial: { _ in .literal(LineState.invalid) })
    cacheData = b.map(
      "cacheData", keys: [granule, lines], content,
      doc: "the line's content label (ZERO when invalid)", initial: { _ in .literal(Content.zero) })
    memory = b.map(
      "memory", keys: [granule], content, doc: "the granule's content label in DRAM; host data at boot",
      initial: { _ in .literal(Content.host) })
    granuleState = b.map(
      "granuleState", keys: [granule], GranuleState.domain(for: b.configuration), doc: "the RMM's granule state",
      initial: { _ in .literal(GranuleState.undelegated) })
    granuleLock = b.map(
      "granuleLock", keys: [granule], .bool, doc: "the RMM's granule lock, held across the SMC to EL3",
      initial: { _ in false })
    el3Step = b.map(
      "el3Step", keys: [pe], TransitionStep.domain,
      doc: "the next step of the granule command the PE runs (always IDLE between actions in atomic mode)",
      initial: { _ in TransitionStep.idle.expr })
    el3Granule = b.map(
      "el3Granule", keys: [pe], granule, doc: "the granule of that command (0 when idle)", initial: { _ in 0 })
    if descriptor != nil {
      let el3Descriptor = b.map(
        "el3Descriptor", keys: [pe], .word(bits: 64),
        doc: "the descriptor word EL3 read for its read-modify-write, until it writes it back (0 otherwise)",
        initial: { _ in 0 })
      gpt = .descriptors(gptDescriptor: gptVariable, el3Descriptor: el3Descriptor)
    } else {
      gpt = .perGranule(gpi: gptVariable)
    }
    nsReadRealmData = b.variable(
      "nsReadRealmData", .bool, role: .monitor, doc: "a Non-secure read returned realm data", initial: false)
    nsWroteRealmData = b.variable(
      "nsWroteRealmData", .bool, role: .monitor, doc: "Non-secure data was written back over realm data",
      initial: false)
  }
}
