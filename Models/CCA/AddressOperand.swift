import Spec

/// The classes of addresses the `parametric` variant distinguishes, in place of concrete PAs
/// (Docs/ADR/0003-parametric-abstraction.md).
///
/// Each class stands for the addresses of ``MemoryMap``'s `PhysicalAddress` set that the RMI
/// failure conditions and the GPC treat alike: the base of a DRAM granule, an address inside a
/// DRAM granule that is not 4 KB aligned, an aligned MMIO address, a misaligned MMIO address,
/// and an address at or beyond the protected physical address size.
enum AddressClass {
  /// The base PA of a delegable DRAM granule (`0x8000_0000 + i × 0x1000`).
  static let dram: Value = 0
  /// An address inside a DRAM granule, not 4 KB aligned (``MemoryMap/misaligned`` is one, in
  /// granule 0).
  static let misaligned: Value = 1
  /// An aligned device address (``MemoryMap/mmio``, FVP UART0).
  static let mmio: Value = 2
  /// A misaligned device address (``MemoryMap/misalignedMMIO``).
  static let misalignedMMIO: Value = 3
  /// An address at or beyond the protected PA size (``MemoryMap/beyondPPS``).
  static let beyondPPS: Value = 4

  static let set = FiniteSet(
    "AddressClass",
    [
      ("DRAM", dram), ("MISALIGNED", misaligned), ("MMIO", mmio), ("MISALIGNED_MMIO", misalignedMMIO),
      ("BEYOND_PPS", beyondPPS),
    ])
  static let domain = Domain.finite(set)
}

/// The address operand of an RMI granule command or a hypervisor access (X1, or the address of a
/// load or store), as the action's parameters and the facts the model needs about it.
///
/// With the architecture's addresses (the default) the operand is one parameter `addr` drawn
/// from ``MemoryMap/addressSet`` and every fact is computed from the PA. Under the `parametric`
/// feature it is two parameters, `addrClass` (``AddressClass``) and `granule`, and every fact is
/// a test of the class: nothing computes with the granule index, so the Granule sort can be
/// uninterpreted. Both forms give the failure conditions the same inputs in the same order
/// (`gran_align`, then `gran_bound`, ...); the classified form also has a misaligned address
/// inside every granule, not only granule 0.
struct AddressOperand {
  /// The granule the address lies in (meaningful only when ``isDRAM`` holds).
  let granule: Expr
  /// Whether the address lies in the modelled DRAM (any granule, aligned or not).
  let isDRAM: Expr
  /// Whether the address is 4 KB aligned.
  let isAligned: Expr
  /// RMI_GRANULE_DELEGATE's `gran_bound` passes: for an aligned address, a granule of the modelled
  /// DRAM or, with `da`, of device memory (TF-RMM 1.1 delegates device granules through the same
  /// command, reference/rmm.md §3.4).
  let isDelegable: Expr

  /// The operand's parameters for a configuration's memory map.
  ///
  /// With `anyAddress` (configurations with the RMM, whose registers are all 64-bit words) `addr`
  /// is a 64-bit register whose exploration samples are ``MemoryMap/addressSet``: exploration and
  /// BMC try exactly the addresses they tried before, while a step may be taken with any PA
  /// (scenarios, replay), which gets the model's answer (`gran_bound` for a PA no modelled granule
  /// holds: DRAM beyond the map, any MMIO, beyond PPS). Without it `addr` is drawn from the set.
  static func parameters(_ memoryMap: MemoryMap, granule: Domain, classified: Bool, anyAddress: Bool) -> [Parameter] {
    if classified { return [Parameter("addrClass", AddressClass.domain), Parameter("granule", granule)] }
    return anyAddress
      ? [Parameter("addr", .word(bits: 64), samples: memoryMap.addressSet.values)]
      : [Parameter("addr", memoryMap.addressDomain)]
  }

  /// The operand given the action's arguments for ``parameters(_:granule:classified:anyAddress:)``.
  init(_ memoryMap: MemoryMap, arguments: ArraySlice<Expr>, classified: Bool) {
    let first = arguments[arguments.startIndex]
    if classified {
      let addrClass = first
      granule = arguments[arguments.startIndex + 1]
      isDRAM = addrClass.isOne(of: [.literal(AddressClass.dram), .literal(AddressClass.misaligned)])
      isAligned = addrClass.isOne(of: [
        .literal(AddressClass.dram), .literal(AddressClass.mmio), .literal(AddressClass.beyondPPS),
      ])
      isDelegable = isDRAM
    } else {
      granule = memoryMap.granule(of: first)
      isDRAM = memoryMap.isDRAM(first)
      isAligned = memoryMap.isAligned(first)
      isDelegable = memoryMap.deviceGranules == 0 ? memoryMap.isDelegable(first) : isDRAM
    }
  }
}
