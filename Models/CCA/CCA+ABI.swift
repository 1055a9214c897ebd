import Spec

extension CCA {
  /// The parties of the model, in the order lanes are drawn: the callers (the hypervisor, the
  /// realms, the devices), the trusted firmware (the RMM, EL3), then the hardware.
  public enum Parties {
    public static let hypervisor = Party("hypervisor")
    public static let realm = Party("realm")
    public static let device = Party("device")
    public static let rmm = Party("RMM")
    public static let el3 = Party("EL3")
    public static let hardware = Party("hardware")
    public static let all = [hypervisor, realm, device, rmm, el3, hardware]
  }

  /// The Arm CCA interfaces as the model exports them: the one table of function identifiers,
  /// statuses, encodings and structure layouts that traces, scenarios and reports read.
  ///
  /// Function identifiers are SMCCC SMC64 fast calls owned by the Standard Secure Service,
  /// `0xC4000000 | fnum` (reference/rmm.md §0): RMI 1.0 (§2), the RMM 1.1 DA and MEC commands of
  /// the pinned revision (§3.1, [1.1-UNSTABLE]), RSI (§5), the PSCI calls a realm makes (PSCI
  /// 1.1, SMC64 where the call takes an address or an MPIDR) and the RMM-EL3 calls
  /// (reference/rme.md §2.1, §4.2). A configuration adds its own constants (``constants(_:)``).
  public static let abi = ABIDescription(
    parties: Parties.all,
    interfaces: [
      ABIDescription.Interface(
        name: "RMI", caller: Parties.hypervisor, handler: Parties.rmm,
        functions: named([
          ("RMI_VERSION", 0xC400_0150), ("RMI_GRANULE_DELEGATE", 0xC400_0151),
          ("RMI_GRANULE_UNDELEGATE", 0xC400_0152), ("RMI_DATA_CREATE", 0xC400_0153),
          ("RMI_DATA_CREATE_UNKNOWN", 0xC400_0154), ("RMI_DATA_DESTROY", 0xC400_0155),
          ("RMI_REALM_ACTIVATE", 0xC400_0157), ("RMI_REALM_CREATE", 0xC400_0158),
          ("RMI_REALM_DESTROY", 0xC400_0159), ("RMI_REC_CREATE", 0xC400_015A), ("RMI_REC_DESTROY", 0xC400_015B),
          ("RMI_REC_ENTER", 0xC400_015C), ("RMI_RTT_CREATE", 0xC400_015D), ("RMI_RTT_DESTROY", 0xC400_015E),
          ("RMI_RTT_MAP_UNPROTECTED", 0xC400_015F), ("RMI_RTT_READ_ENTRY", 0xC400_0161),
          ("RMI_RTT_UNMAP_UNPROTECTED", 0xC400_0162), ("RMI_PSCI_COMPLETE", 0xC400_0164),
          ("RMI_FEATURES", 0xC400_0165), ("RMI_RTT_FOLD", 0xC400_0166), ("RMI_REC_AUX_COUNT", 0xC400_0167),
          ("RMI_RTT_INIT_RIPAS", 0xC400_0168), ("RMI_RTT_SET_RIPAS", 0xC400_0169),
          // RMM 1.1 Device Assignment [1.1-UNSTABLE], TF-RMM rmm-spec-v1.x-aligned (rmm.md §3.1).
          ("RMI_PDEV_AUX_COUNT", 0xC400_0156), ("RMI_VDEV_AUX_COUNT", 0xC400_0160),
          ("RMI_VDEV_VALIDATE_MAPPING", 0xC400_0163),
          ("RMI_VDEV_MAP", 0xC400_0172), ("RMI_VDEV_UNMAP", 0xC400_0173), ("RMI_PDEV_ABORT", 0xC400_0174),
          ("RMI_PDEV_COMMUNICATE", 0xC400_0175), ("RMI_PDEV_CREATE", 0xC400_0176),
          ("RMI_PDEV_DESTROY", 0xC400_0177), ("RMI_PDEV_GET_STATE", 0xC400_0178),
          ("RMI_PDEV_IDE_RESET", 0xC400_0179), ("RMI_PDEV_IDE_KEY_REFRESH", 0xC400_017A),
          ("RMI_PDEV_SET_PUBKEY", 0xC400_017B), ("RMI_PDEV_STOP", 0xC400_017C), ("RMI_VDEV_ABORT", 0xC400_0185),
          ("RMI_VDEV_COMMUNICATE", 0xC400_0186), ("RMI_VDEV_CREATE", 0xC400_0187),
          ("RMI_VDEV_DESTROY", 0xC400_0188), ("RMI_VDEV_GET_STATE", 0xC400_0189), ("RMI_VDEV_UNLOCK", 0xC400_018A),
          ("RMI_VDEV_GET_INTERFACE_REPORT", 0xC400_01D0), ("RMI_VDEV_GET_MEASUREMENTS", 0xC400_01D1),
          ("RMI_VDEV_LOCK", 0xC400_01D2), ("RMI_VDEV_START", 0xC400_01D3),
          // With vdev-complete: the host names the VDEV of a realm's RSI VDEV call.
          ("RMI_VDEV_COMPLETE", 0xC400_018E),
          // RMM 1.1 MEC (rmm.md §3.1, §3.5).
          ("RMI_MEC_SET_SHARED", 0xC400_018C), ("RMI_MEC_SET_PRIVATE", 0xC400_018D),
        ]),
        // RmiStatusCode (rmm.md §0.1).
        statuses: named([
          ("RMI_SUCCESS", RMIABI.success), ("RMI_ERROR_INPUT", RMIABI.errorInput),
          ("RMI_ERROR_REALM", RMIABI.errorRealm),
          ("RMI_ERROR_REC", RMIABI.errorREC), ("RMI_ERROR_RTT", RMIABI.errorRTT),
          ("RMI_ERROR_NOT_SUPPORTED", RMIABI.errorNotSupported), ("RMI_ERROR_DEVICE", DAABI.errorDevice),
        ]),
        success: "RMI_SUCCESS", statusIndex: ["RMI_ERROR_RTT": "level"]),
      ABIDescription.Interface(
        name: "RSI", caller: Parties.realm, handler: Parties.rmm,
        functions: named([
          ("RSI_VERSION", 0xC400_0190), ("RSI_FEATURES", 0xC400_0191), ("RSI_MEASUREMENT_READ", 0xC400_0192),
          ("RSI_MEASUREMENT_EXTEND", 0xC400_0193), ("RSI_ATTESTATION_TOKEN_INIT", 0xC400_0194),
          ("RSI_ATTESTATION_TOKEN_CONTINUE", 0xC400_0195), ("RSI_REALM_CONFIG", 0xC400_0196),
          ("RSI_IPA_STATE_SET", 0xC400_0197), ("RSI_IPA_STATE_GET", 0xC400_0198), ("RSI_HOST_CALL", 0xC400_0199),
          // RMM 1.1 Device Assignment [1.1-UNSTABLE] (rmm.md §5).
          ("RSI_VDEV_DMA_ENABLE", 0xC400_019C), ("RSI_VDEV_GET_INFO", 0xC400_019D),
          ("RSI_VDEV_VALIDATE_MAPPING", 0xC400_019F), ("RSI_VDEV_DMA_DISABLE", 0xC400_01A4),
        ]),
        // RsiCommandReturnCode (rmm.md §0.2).
        statuses: named([
          ("RSI_SUCCESS", RSI.success), ("RSI_ERROR_INPUT", RSI.errorInput), ("RSI_ERROR_STATE", RSI.errorState),
          ("RSI_INCOMPLETE", RSI.incomplete), ("RSI_ERROR_UNKNOWN", RSI.errorUnknown),
          ("RSI_ERROR_DEVICE", RSI.errorDevice),
        ]),
        success: "RSI_SUCCESS"),
      ABIDescription.Interface(
        name: "PSCI", caller: Parties.realm, handler: Parties.rmm,
        functions: named([
          ("PSCI_VERSION", PSCI.version), ("PSCI_CPU_SUSPEND", PSCI.cpuSuspend), ("PSCI_CPU_OFF", PSCI.cpuOff),
          ("PSCI_CPU_ON", PSCI.cpuOn), ("PSCI_AFFINITY_INFO", PSCI.affinityInfo), ("PSCI_SYSTEM_OFF", PSCI.systemOff),
          ("PSCI_SYSTEM_RESET", PSCI.systemReset), ("PSCI_FEATURES", PSCI.features),
        ]),
        // PSCI return values (Arm DEN0022), sign-extended to 64 bits.
        statuses: named([
          ("PSCI_SUCCESS", PSCI.success), ("PSCI_NOT_SUPPORTED", PSCI.notSupported),
          ("PSCI_INVALID_PARAMETERS", PSCI.invalidParameters),
          ("PSCI_DENIED", PSCI.denied), ("PSCI_ALREADY_ON", PSCI.alreadyOn),
          ("PSCI_INVALID_ADDRESS", PSCI.invalidAddress),
        ])),
      ABIDescription.Interface(
        name: "RMM-EL3", caller: Parties.rmm, handler: Parties.el3,
        functions: named([
          ("RMM_GTSI_DELEGATE", 0xC400_01B0), ("RMM_GTSI_UNDELEGATE", 0xC400_01B1), ("RMM_MEC_REFRESH", 0xC400_01B6),
        ])),
    ],
    encodings: [
      FiniteSet("RmiRecRunnable", [("NOT_RUNNABLE", 0), ("RUNNABLE", RMIABI.recRunnableFlag)]),
      FiniteSet(
        "RmiHashAlgorithm", [("RMI_HASH_SHA_256", RMIABI.hashSHA256), ("RMI_HASH_SHA_512", RMIABI.hashSHA512)]),
      FiniteSet(
        "RmiRipas",
        [("RMI_EMPTY", RMIABI.ripasEmpty), ("RMI_RAM", RMIABI.ripasRAM), ("RMI_DESTROYED", RMIABI.ripasDestroyed)]),
      FiniteSet(
        "RmiRttEntryState",
        [
          ("RMI_UNASSIGNED", RMIABI.entryUnassigned), ("RMI_ASSIGNED", RMIABI.entryAssigned),
          ("RMI_TABLE", RMIABI.entryTable),
        ]),
      RecExitReason.set,
      FiniteSet("RsiResponse", [("RSI_ACCEPT", RSI.accept), ("RSI_REJECT", RSI.reject)]),
    ],
    constants: [
      ABIDescription.NamedValue("RMI_ABI_VERSION", RMIABI.version),
      // RmiRealmFlags (rmm.md §1.6): bits of RealmParams.flags.
      ABIDescription.NamedValue("RMI_REALM_FLAGS_LPA2", RMIABI.realmFlagLPA2),
      ABIDescription.NamedValue("RMI_REALM_FLAGS_SVE", RMIABI.realmFlagSVE),
      ABIDescription.NamedValue("RMI_REALM_FLAGS_PMU", RMIABI.realmFlagPMU),
      // RMM 1.1 DA [1.1-UNSTABLE] (rmm.md §1.2: da_enabled, flags0 bit 3).
      ABIDescription.NamedValue("RMI_REALM_FLAGS_DA", RMIABI.realmFlagDA),
      // RmiRecExitReason 8 (rmm.md §1.6; TF-RMM rmm-spec-v1.x-aligned smc-rmi.h): an RSI VDEV call waits on
      // RMI_VDEV_COMPLETE (vdev-complete).
      ABIDescription.NamedValue("RMI_EXIT_VDEV_REQUEST", DAABI.exitVdevRequest),
    ],
    fields: structureFields,
    pointers: [
      ABIDescription.Pointer(action: "RMI_REALM_CREATE", register: "x2", structure: "RealmParams"),
      ABIDescription.Pointer(action: "RMI_REC_CREATE", register: "x3", structure: "RecParams"),
      ABIDescription.Pointer(action: "RMI_REC_ENTER", register: "x2", structure: "RecRun"),
      // RMM 1.1 DA [1.1-UNSTABLE] (TF-RMM rmm-spec-v1.x-aligned smc-rmi.h).
      ABIDescription.Pointer(action: "RMI_PDEV_CREATE", register: "x2", structure: "PdevParams"),
      ABIDescription.Pointer(action: "RMI_PDEV_COMMUNICATE", register: "x2", structure: "RmiDevCommData"),
      ABIDescription.Pointer(action: "RMI_PDEV_SET_PUBKEY", register: "x2", structure: "PublicKeyParams"),
      ABIDescription.Pointer(action: "RMI_VDEV_CREATE", register: "x4", structure: "VdevParams"),
      ABIDescription.Pointer(action: "RMI_VDEV_COMMUNICATE", register: "x4", structure: "RmiDevCommData"),
      ABIDescription.Pointer(action: "RMI_VDEV_GET_MEASUREMENTS", register: "x4", structure: "VdevMeasureParams"),
    ],
    primarySort: "Granule")

  /// The Non-secure structures the RMI commands point to, mapped onto the model's parameters.
  ///
  /// Offsets and widths are RMM 1.0's (reference/rmm.md §1.6; TF-RMM 1.0 `smc-rmi.h`). The model
  /// keeps no Non-secure memory: the fields a command reads are its parameters (`params_vmid`,
  /// `enter_flags`; Docs/ADR/0004-rmm-model.md). Fields with no parameter are known to the ABI
  /// but not read by the model.
  static let structureFields: [ABIDescription.Field] =
    [
      field("RealmParams", "flags", 0x0, 64, "params_flags"),
      field("RealmParams", "s2sz", 0x8, 8, "params_s2sz"),
      field("RealmParams", "sve_vl", 0x10, 8, "params_sve_vl"),
      // num_bps and num_wps: 0 is reserved (TF-RMM rel0 validate_realm_params), so an unwritten
      // field reads as 1, the least valid value (what tools/tf-rmm-host's --fill-defaults writes).
      field("RealmParams", "num_bps", 0x18, 8, "params_num_bps", unwritten: 1),
      field("RealmParams", "num_wps", 0x20, 8, "params_num_wps", unwritten: 1),
      field("RealmParams", "pmu_num_ctrs", 0x28, 8, "params_pmu_num_ctrs"),
      field("RealmParams", "hash_algo", 0x30, 8, "params_hash_algo"),
      field("RealmParams", "vmid", 0x800, 16, "params_vmid"),
      field("RealmParams", "rtt_base", 0x808, 64, "params_rtt_base"),
      field("RealmParams", "rtt_level_start", 0x810, 64, "params_rtt_level_start"),
      field("RealmParams", "rtt_num_start", 0x818, 32, "params_rtt_num_start"),
      // RMM 1.1 MEC (reference/rmm.md §1.5): read by configurations with FEAT_MEC (per-realm).
      field("RealmParams", "mecid", 0x828, 64, "params_mecid"),
      field("RecParams", "flags", 0x0, 64, "params_flags"),
      field("RecParams", "mpidr", 0x100, 64, "params_mpidr"),
      field("RecParams", "pc", 0x200, 64, "params_pc"),
      field("RecParams", "num_aux", 0x800, 64, "params_num_aux"),
    ]
    // RecParams.aux[i]: the PA of REC auxiliary granule i (RecAuxCount of them are read).
    + (0..<RMIABI.maxRecAux).map { field("RecParams", "aux[\($0)]", 0x808 + 8 * UInt64($0), 64, "params_aux\($0)") }
    + [
      field("RecRun", "enter.flags", 0x0, 64, "enter_flags"),
      field("RecRun", "enter.gicv3_hcr", 0x300, 64, "enter_gicv3_hcr"),
      // The model's GIC has one list register (GICV3_NUM_LRS = 0): RecRun.enter.gicv3_lrs[0].
      field("RecRun", "enter.gicv3_lrs[0]", 0x308, 64, "enter_gicv3_lrs0"),
      // RecRun.exit (at 0x800), written by the RMM when the REC exits: outputs of the realm's
      // moves that exit (REC_EXIT, PSCI_*, RSI_IPA_STATE_SET, RSI_HOST_CALL).
      field("RecRun", "exit.exit_reason", 0x800, 64, nil, output: "exit_reason"),
      field("RecRun", "exit.gprs[0]", 0xA00, 64, nil, output: "exit_gprs0"),
      field("RecRun", "exit.gprs[1]", 0xA08, 64, nil, output: "exit_gprs1"),
      field("RecRun", "exit.ripas_base", 0xD00, 64, nil, output: "exit_ripas_base"),
      field("RecRun", "exit.ripas_top", 0xD08, 64, nil, output: "exit_ripas_top"),
      field("RecRun", "exit.ripas_value", 0xD10, 8, nil, output: "exit_ripas_value"),
      field("RecRun", "exit.imm", 0xE00, 16, nil, output: "exit_imm"),
    ] + daStructureFields

  /// The Non-secure structures of the RMM 1.1 DA commands [1.1-UNSTABLE], at the offsets of TF-RMM
  /// `rmm-spec-v1.x-aligned` (`lib/smc/include/smc-rmi.h`: `rmi_pdev_params`, `rmi_vdev_params`,
  /// `rmi_public_key_params`, `rmi_vdev_measure_params`, `rmi_dev_comm_data`).
  ///
  /// The model reads PdevParams.rid_base (the device's requester ID: the model's stream index,
  /// `params_rid`) and num_aux, and VdevParams.num_aux and tdi_id (`params_tdi_id`: the TDI within the
  /// PDEV, in every configuration; with the default one TDI per device only 0 passes RMI_VDEV_CREATE's
  /// `tdi_id`, and explorations sample 0 alone, so other values are reached by scenarios and
  /// `all-values`). The SPDM and
  /// TDISP exchanges are abstract, so no field of the key, measurement or communication buffers
  /// is read (writing one is an input error, as for RealmParams.sve_vl). The aux[] arrays are left out: PDEV_AUX_COUNT
  /// and VDEV_AUX_COUNT are 0 in the model.
  static let daStructureFields: [ABIDescription.Field] = [
    field("PdevParams", "flags", 0x0, 64, nil),
    field("PdevParams", "pdev_id", 0x8, 64, nil),
    field("PdevParams", "segment_id", 0x10, 8, nil),
    field("PdevParams", "ecam_addr", 0x18, 64, nil),
    field("PdevParams", "root_id", 0x20, 16, nil),
    field("PdevParams", "cert_id", 0x28, 64, nil),
    field("PdevParams", "rid_base", 0x30, 16, "params_rid"),
    field("PdevParams", "rid_top", 0x38, 16, nil),
    field("PdevParams", "hash_algo", 0x40, 8, nil),
    field("PdevParams", "num_aux", 0x48, 64, "params_num_aux"),
    field("PdevParams", "ide_sid", 0x50, 64, nil),
    field("PdevParams", "ncoh_num_addr_range", 0x58, 64, nil),
    field("PdevParams", "coh_num_addr_range", 0x60, 64, nil),
    field("VdevParams", "flags", 0x0, 64, nil),
    field("VdevParams", "vdev_id", 0x8, 64, nil),
    field("VdevParams", "tdi_id", 0x10, 64, "params_tdi_id"),
    field("VdevParams", "num_aux", 0x18, 64, "params_num_aux"),
    field("PublicKeyParams", "key_len", 0x800, 64, nil),
    field("PublicKeyParams", "metadata_len", 0x808, 64, nil),
    field("PublicKeyParams", "algo", 0x810, 8, nil),
    field("VdevMeasureParams", "flags", 0x0, 64, nil),
    field("RmiDevCommData", "enter.status", 0x0, 8, nil),
    field("RmiDevCommData", "enter.req_addr", 0x8, 64, nil),
    field("RmiDevCommData", "enter.resp_addr", 0x10, 64, nil),
    field("RmiDevCommData", "enter.resp_len", 0x18, 64, nil),
  ]

  /// The values a host must use with a configuration's RTT geometry (`S2SZ`, `RTT_LEVEL_START`,
  /// `IPA_PROTECTED_LIMIT`, `IPA_LIMIT`), added to ``abi`` by configurations with the RMM.
  static func constants(_ geometry: RTTGeometry) -> [ABIDescription.NamedValue] {
    [
      ABIDescription.NamedValue("S2SZ", Value(geometry.ipaWidth)),
      ABIDescription.NamedValue("RTT_LEVEL_START", Value(geometry.startLevel)),
      ABIDescription.NamedValue("IPA_PROTECTED_LIMIT", geometry.protectedLimit),
      ABIDescription.NamedValue("IPA_LIMIT", geometry.ipaLimit),
    ]
  }

  private static func named(_ pairs: [(String, Value)]) -> [ABIDescription.NamedValue] {
    pairs.map { ABIDescription.NamedValue($0.0, $0.1) }
  }

  private static func field(
    _ structure: String, _ name: String, _ offset: UInt64, _ bits: Int, _ parameter: String?, output: String? = nil,
    unwritten: Value = 0
  ) -> ABIDescription.Field {
    ABIDescription.Field(
      structure: structure, field: name, offset: offset, bits: bits, parameter: parameter, output: output,
      unwritten: unwritten)
  }
}
