import Spec

/// The RMM's implementation-defined features: the fields of RmiFeatureRegister0 that RMI_FEATURES
/// reports and RMI_REALM_CREATE checks RealmParams against (reference/rmm.md §1.6, §2.2, §2.5).
///
/// The values are TF-RMM `rmm-spec-v1.0-rel0`'s on its host platform (`get_feature_register_0`
/// in runtime/rmi/feature.c over the ID registers `host_util_setup_sysreg_and_boot_manifest`
/// emulates: one breakpoint and one watchpoint field value, PMUv3 with 31 counters and no
/// FEAT_HPMN0, no SVE, GICv3 with one list register, MAX_RECS_ORDER 10), except two:
/// - `S2SZ` is the configuration's IPA width (48 at `rmm-full`, as TF-RMM's host build reports;
///   smaller geometries report their own), the only width the model's RTTs have.
/// - `LPA2` is 0: TF-RMM's host build reports 1, but the model has no 52-bit output addresses or
///   LPA2 descriptor layout, so it does not claim the feature, and a realm asking for it fails
///   `params_supp`.
struct RMIFeatures: Sendable {
  /// RmiFeatureRegister0.S2SZ: the largest IPA width a realm may ask for.
  var s2sz: Int
  /// LPA2 (bit 8).
  var lpa2 = false
  /// SVE_EN (bit 9) and SVE_VL (bits [13:10]: the largest vector length, in quadwords minus one).
  var sveEnabled = false
  var sveVL: Value = 0
  /// NUM_BPS (bits [19:14]) and NUM_WPS (bits [25:20]).
  var numBPs: Value = 1
  var numWPs: Value = 1
  /// PMU_EN (bit 26) and PMU_NUM_CTRS (bits [31:27]).
  var pmuEnabled = true
  var pmuNumCtrs: Value = 31
  /// Whether FEAT_HPMN0 is present: without it a realm with PMU must have at least one counter (TF-RMM rel0
  /// `validate_realm_params`).
  ///
  /// Not a field of the register.
  var hpmn0 = false
  /// GICV3_NUM_LRS (bits [37:34]): the number of GIC list registers minus one.
  var gicv3NumLRs: Value = 0
  /// MAX_RECS_ORDER (bits [41:38]): at most 2^order − 1 RECs per realm (TF-RMM: the width of a granule's reference
  /// count).
  ///
  /// The model's `recs` bound is an exploration bound below it.
  var maxRecsOrder: Value = 10
  /// DA_EN (bit 42): Device Assignment, in configurations with `da`.
  ///
  /// RMM 1.1 [1.1-UNSTABLE; TF-RMM rmm-spec-v1.x-aligned]; TF-RMM rel0 (RMM 1.0) has no DA.
  var deviceAssignment = false

  /// RmiFeatureRegister0 with both hash algorithms (HASH_SHA_256 bit 32, HASH_SHA_512 bit 33).
  var register0: Value {
    Value(s2sz) | (lpa2 ? 1 << 8 : 0) | (sveEnabled ? 1 << 9 : 0) | sveVL << 10 | numBPs << 14 | numWPs << 20
      | (pmuEnabled ? 1 << 26 : 0) | pmuNumCtrs << 27 | 1 << 32 | 1 << 33 | gicv3NumLRs << 34 | maxRecsOrder << 38
      | (deviceAssignment ? DAABI.featureDAEnabled : 0)
  }

  /// RMI_REALM_CREATE's `params_supp` for the RealmParams fields (reference/rmm.md §2.5 item 3; TF-RMM rel0
  /// `validate_realm_params`): LPA2 asked for but not supported; num_bps or num_wps 0 (reserved) or above NUM_BPS /
  /// NUM_WPS; SVE asked for but not supported, or sve_vl above SVE_VL; PMU asked for but not supported, or pmu_num_ctrs
  /// above PMU_NUM_CTRS, or 0 without FEAT_HPMN0.
  ///
  /// sve_vl and pmu_num_ctrs are read only when their flag is set. Both hash algorithms are supported, so `hash_algo`
  /// never fails here (an unknown one is params_valid).
  func unsupported(flags: Expr, sveVL: Expr, numBPs: Expr, numWPs: Expr, pmuNumCtrs: Expr) -> Expr {
    let lpa2Asked = (flags & .literal(RMIABI.realmFlagLPA2)).ne(0)
    let sveAsked = (flags & .literal(RMIABI.realmFlagSVE)).ne(0)
    let pmuAsked = (flags & .literal(RMIABI.realmFlagPMU)).ne(0)
    let pmuBad: Expr =
      pmuEnabled
      ? pmuNumCtrs.gt(.literal(self.pmuNumCtrs)) || (hpmn0 ? .boolean(false) : pmuNumCtrs.eq(0)) : .boolean(true)
    return (lpa2 ? .boolean(false) : lpa2Asked)
      || numBPs.eq(0) || numBPs.gt(.literal(self.numBPs)) || numWPs.eq(0) || numWPs.gt(.literal(self.numWPs))
      || (sveAsked && (sveEnabled ? sveVL.gt(.literal(self.sveVL)) : .boolean(true)))
      || (pmuAsked && pmuBad)
  }
}
