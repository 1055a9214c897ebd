import Spec

/// The physical memory map of a configuration: delegable DRAM granules and a few addresses that
/// are not delegable, laid out as on Arm's FVP Base platform.
///
/// Granule `i` is the 4 KB granule at PA `0x8000_0000 + i × 0x1000` (FVP DRAM0 starts at
/// `0x8000_0000`; it is 64 KB aligned, so granule `i`'s GPI sits in L1 descriptor `i / 16` at
/// nibble `i % 16`, reference/rme.md §1.3). The protected PA size is 4 GB (GPCCR_EL3.PPS = 000,
/// T = 32).
///
/// The `PhysicalAddress` parameter domain holds every granule PA plus four addresses that
/// exercise the RMI failure conditions and the attacker's reach:
/// - ``misaligned``: inside granule 0, not 4 KB aligned (`gran_align`, before `gran_state`);
/// - ``mmio``: FVP UART0, a device region, not delegable (`gran_bound`);
/// - ``misalignedMMIO``: inside UART0, not aligned (`gran_align`, before `gran_bound`);
/// - ``beyondPPS``: at the protected size, not delegable (`gran_bound`).
///
/// A Non-secure access to ``misaligned`` is an access to granule 0. Non-secure accesses to
/// ``mmio``, ``misalignedMMIO`` and ``beyondPPS`` succeed and change nothing the model tracks:
/// the UART's GPI is NS for good (TF-A maps device regions NS at boot and never transitions
/// them) and its registers are not memory content; above PPS the GPC lets Non-secure accesses
/// through (GPCCR_EL3.APPSAA = 0 allows only the NS PAS there) and no modelled granule lives
/// there.
struct MemoryMap {
  /// The PA of granule 0: FVP DRAM0.
  static let dramBase: Value = 0x8000_0000
  /// The granule size (GPCCR_EL3.PGS = 00, 4 KB; RMM granules are 4 KB).
  static let granuleSize: Value = 0x1000
  /// log2 of ``granuleSize``.
  static let granuleShift: Value = 12
  /// GPIs per L1 granules descriptor.
  static let gpisPerDescriptor = 16
  /// A misaligned address inside granule 0.
  static let misaligned: Value = 0x8000_0010
  /// FVP UART0 (PL011), a device region.
  static let mmio: Value = 0x1C09_0000
  /// A misaligned address inside UART0.
  static let misalignedMMIO: Value = 0x1C09_0010
  /// The first PA at or beyond the protected physical address size (PPS = 4 GB).
  static let beyondPPS: Value = 0x1_0000_0000

  /// The number of modelled granules (DRAM, and with `da` the devices' MMIO granules at the top).
  let granules: Int
  /// The number of those granules that are device memory (the `da` feature's `dev-granules` bound times `devices`): the
  /// last ones, `granules - deviceGranules ..< granules`.
  ///
  /// TF-RMM 1.1 keeps device (MMIO) granules apart from DRAM granules (`dev_granule`): RMI_GRANULE_DELEGATE and
  /// UNDELEGATE take them through the same EL3 GPT transitions, and no other RMI command accepts one as an object or
  /// buffer (``isDelegable(_:)`` excludes them). The model places them after the DRAM granules so that the GPT, the GPC
  /// and the caches cover them unchanged; their PAs are abstract (a real MMIO window is elsewhere).
  var deviceGranules: Int = 0
  /// Whether the RMM's address registers are granules rather than PAs: the `parametric` feature
  /// with `rmm` (Docs/ADR/0011-parametric-rmm.md).
  ///
  /// A register that names a granule (`rd`, `rtt`, `data`, `src`, a REC, a descriptor's output
  /// address) is then an operand of the Granule sort: ``granule(of:)`` is the identity and the
  /// address tests (``isDRAM(_:)``, ``isAligned(_:)``, ``isDelegable(_:)``) hold, so nothing
  /// computes with the granule index and the sort can be uninterpreted. The PAs that fail those
  /// tests are gone from the variant; every command fails on them before any effect, so they only
  /// added steps that change nothing.
  var granuleOperands = false

  /// The index of the first device-memory granule.
  var firstDeviceGranule: Int { granules - deviceGranules }

  /// The PA of granule `i`.
  func address(ofGranule i: Int) -> Value { Self.dramBase + Value(i) * Self.granuleSize }

  /// The number of L1 descriptor words the granules span.
  var descriptors: Int { (granules + Self.gpisPerDescriptor - 1) / Self.gpisPerDescriptor }

  /// The `PhysicalAddress` finite set.
  ///
  /// The granule PAs, then the misaligned, MMIO, misaligned MMIO and beyond-PPS addresses;
  /// labels are the addresses in hex.
  var addressSet: FiniteSet {
    let granulePAs = (0..<granules).map { address(ofGranule: $0) }
    return FiniteSet(
      "PhysicalAddress",
      (granulePAs + [Self.misaligned, Self.mmio, Self.misalignedMMIO, Self.beyondPPS]).map {
        ("0x" + String($0, radix: 16), $0)
      })
  }

  var addressDomain: Domain { .finite(addressSet) }

  /// Whether `pa` lies in the modelled DRAM (any granule, aligned or not).
  func isDRAM(_ pa: Expr) -> Expr {
    if granuleOperands { return true }
    return pa.ge(.literal(Self.dramBase)) && pa.lt(.literal(address(ofGranule: granules)))
  }

  /// Whether `pa` is 4 KB aligned.
  func isAligned(_ pa: Expr) -> Expr {
    if granuleOperands { return true }
    return (pa & .literal(Self.granuleSize - 1)).eq(0)
  }

  /// `PaIsDelegable(pa)` for an aligned `pa`: a granule of the modelled DRAM (not device memory).
  func isDelegable(_ pa: Expr) -> Expr {
    deviceGranules == 0 ? isDRAM(pa) : isDRAM(pa) && !isDeviceMemory(pa)
  }

  /// Whether `pa` lies in a device-memory granule (never, without device granules).
  func isDeviceMemory(_ pa: Expr) -> Expr {
    deviceGranules == 0 || granuleOperands
      ? false
      : pa.ge(.literal(address(ofGranule: firstDeviceGranule))) && pa.lt(.literal(address(ofGranule: granules)))
  }

  /// The granule that contains `pa`, or granule 0 for an address outside DRAM (so a map read
  /// keyed by it is always in range; callers guard its use with ``isDRAM(_:)``).
  func granule(of pa: Expr) -> Expr {
    if granuleOperands { return pa }
    return .ite(isDRAM(pa), then: (pa - .literal(Self.dramBase)) >> .literal(Self.granuleShift), else: 0)
  }
}

extension CCA {
  /// The index of the DRAM granule at PA `pa` (the key of `granuleState` and the other per-granule variables), or `nil`
  /// when `pa` is not a 4 KB-aligned PA at or above DRAM's base.
  ///
  /// Scenarios use it for `expect granule ADDRESS state NAME` (Docs/scenarios.md).
  public static func granuleIndex(ofPA pa: Value) -> Value? {
    guard pa >= MemoryMap.dramBase, pa & (MemoryMap.granuleSize - 1) == 0 else { return nil }
    return (pa - MemoryMap.dramBase) >> MemoryMap.granuleShift
  }
}
