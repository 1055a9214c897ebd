import Spec

/// The GICv3 virtual CPU interface state a host passes in RecRun.enter (`gicv3_hcr`,
/// `gicv3_lrs[]`), and RMI_REC_ENTER's `rec_gicv3` check of it (reference/rmm.md §2.11 item 8:
/// "invalid gicv3_hcr / list-register values in enter → RMI_ERROR_REC").
///
/// The check reads the call's RecRun only, so the model keeps no GIC state per REC: what the
/// realm's virtual interrupts do is realm execution, which it abstracts. The rules are TF-RMM
/// `rmm-spec-v1.0-rel0`'s `gic_validate_state` (lib/gic/src/gic.c) at the model's GIC, which has
/// one list register (RmiFeatureRegister0.GICV3_NUM_LRS = 0, as TF-RMM's host build reports), so
/// only `gicv3_lrs[0]` is read:
/// - `gicv3_hcr` has a bit outside the ones the host may set (ICH_HCR_EL2 UIE, LRENPIE, NPIE,
///   VGrp0EIE, VGrp0DIE, VGrp1EIE, VGrp1DIE, TDIR: bits [7:1] and 14);
/// - or the list register is not Invalid (State, bits [63:62], not 0) and: HW (bit 61) is set;
///   or a RES0 bit of Priority (bits [55:48]) is set; or a pINTID bit (bits [44:32]) other than
///   EOI (bit 41) is set; or the vINTID (bits [31:0]) is none of 0 ... 1019 (SGIs, PPIs, SPIs)
///   and 8192 ... 65535 (LPIs of a 16-bit INTID space; no extended ranges).
///
/// The model's GIC has 5 priority bits, the architecture's least (Priority bits [50:48] RES0).
/// TF-RMM's host build emulates ICH_VTR_EL2 with PRIbits 0 and so treats Priority bits [54:48]
/// as RES0: the two differ for list registers whose Priority has a bit of [54:51] set.
enum GICv3 {
  /// ICH_HCR_EL2 bits the Non-secure host may set (TF-RMM `ICH_HCR_EL2_NS_MASK`).
  static let hcrHostMask: Value = 0b1111_1110 | 1 << 14
  /// ICH_LR<n>_EL2 fields.
  static let lrStateShift: Value = 62
  static let lrHW: Value = 1 << 61
  static let lrPriorityRES0: Value = 0b111 << 48
  static let lrPINTID: Value = 0x1FFF << 32
  static let lrEOI: Value = 1 << 41
  static let lrVINTID: Value = 0xFFFF_FFFF
  /// The largest SPI INTID, the first LPI INTID and the largest vINTID of a 16-bit INTID space.
  static let maxSPI: Value = 1019
  static let minLPI: Value = 8192
  static let maxVINTID: Value = 0xFFFF

  /// A list register value that fails `rec_gicv3` (pending, with the HW bit set): the value
  /// `all-values` adds to RecRun.enter's `gicv3_lrs[0]`.
  static let invalidListRegister: Value = (1 << lrStateShift) | lrHW

  /// Whether RecRun.enter's `gicv3_hcr` and `gicv3_lrs[0]` fail `rec_gicv3`.
  static func invalid(hcr: Expr, lr: Expr) -> Expr {
    let vintid = lr & .literal(lrVINTID)
    let listRegisterBad =
      (lr & .literal(lrHW)).ne(0) || (lr & .literal(lrPriorityRES0)).ne(0)
      || (lr & .literal(lrPINTID & ~lrEOI)).ne(0)
      || !(vintid.le(.literal(maxSPI)) || (vintid.ge(.literal(minLPI)) && vintid.le(.literal(maxVINTID))))
    return (hcr & .literal(~hcrHostMask)).ne(0) || ((lr >> .literal(lrStateShift)).ne(0) && listRegisterBad)
  }
}
