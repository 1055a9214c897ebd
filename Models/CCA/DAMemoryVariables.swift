import Spec

/// The device-memory state of the Device Assignment model (the `da` feature with `dev-granules` >
/// 0; reference/rmm.md §3.4) [1.1-UNSTABLE].
///
/// Device-memory granules are the last granules of the map (``MemoryMap/deviceGranules``), their
/// states UNDELEGATED, DELEGATED and DEV_MAPPED in `granuleState`. Device granule `k` (counting
/// from the first) is MMIO of the device on stream `k / dev-granules`. A REC's pending
/// RSI_VDEV_VALIDATE_MAPPING request lives in maps over granules, as its RIPAS change does
/// (``RECVariables``), held at 0 for granules that are not RECs with a request.
struct DAMemoryVariables {
  /// Device-memory granules per device (the `dev-granules` bound).
  let perDevice: Int
  /// `recDevMemVdev[g]`: the stream (`vdev_id`) of REC `g`'s pending device-memory request.
  let vdevID: Variable
  /// `recDevMemAddr[g]`: the next IPA of the request to validate (its progress); 0 when none.
  let addr: Variable
  /// `recDevMemTop[g]`: the top of the request's IPA range (0 when none: a request has top > 0).
  let top: Variable
  /// `recDevMemPA[g]`: the PA the realm expects at `recDevMemAddr[g]` (`pa_base` plus the progress).
  let pa: Variable
  /// `devMemAccepted[g]`: ghost: a device granule was validated at the PA its realm asked for
  /// (RMI_VDEV_VALIDATE_MAPPING found the realm's PA there).
  ///
  /// Read by `device-assigned-only`.
  let accepted: Variable

  init(_ b: ModelBuilder, granule: Domain, ipaWidth: Int, perDevice: Int) {
    self.perDevice = perDevice
    let ipa = Domain.word(bits: ipaWidth)
    vdevID = b.map("recDevMemVdev", keys: [granule], .range(0, 3), doc: "vdev_id of a pending device-memory request") {
      _ in 0
    }
    addr = b.map("recDevMemAddr", keys: [granule], ipa, doc: "the next IPA of a pending device-memory request") { _ in 0
    }
    top = b.map("recDevMemTop", keys: [granule], ipa, doc: "the top IPA of a pending device-memory request") { _ in 0 }
    pa = b.map("recDevMemPA", keys: [granule], .word(bits: 64), doc: "the PA the realm expects at recDevMemAddr") { _ in
      0
    }
    accepted = b.map(
      "devMemAccepted", keys: [granule], .bool, doc: "ghost: the device granule was validated at the realm's PA"
    ) { _ in false }
  }
}
