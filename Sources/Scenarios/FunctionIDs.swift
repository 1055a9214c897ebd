/// The SMCCC function identifiers of the RMI commands (reference/rmm.md §2: `0xC4000000 | fnum`,
/// RMM 1.0, TF-RMM 1.0 `smc-rmi.h`), so a harness driving a real RMM can issue each call of a
/// scenario as an SMC with X0 = FID and X1..X6 = the call's registers.
public enum FunctionIDs {
  /// FID by command name.
  public static let rmi: [String: UInt64] = [
    "RMI_VERSION": 0xC400_0150,
    "RMI_GRANULE_DELEGATE": 0xC400_0151,
    "RMI_GRANULE_UNDELEGATE": 0xC400_0152,
    "RMI_DATA_CREATE": 0xC400_0153,
    "RMI_DATA_CREATE_UNKNOWN": 0xC400_0154,
    "RMI_DATA_DESTROY": 0xC400_0155,
    "RMI_REALM_ACTIVATE": 0xC400_0157,
    "RMI_REALM_CREATE": 0xC400_0158,
    "RMI_REALM_DESTROY": 0xC400_0159,
    "RMI_REC_CREATE": 0xC400_015A,
    "RMI_REC_DESTROY": 0xC400_015B,
    "RMI_REC_ENTER": 0xC400_015C,
    "RMI_RTT_CREATE": 0xC400_015D,
    "RMI_RTT_DESTROY": 0xC400_015E,
    "RMI_RTT_MAP_UNPROTECTED": 0xC400_015F,
    "RMI_RTT_READ_ENTRY": 0xC400_0161,
    "RMI_RTT_UNMAP_UNPROTECTED": 0xC400_0162,
    "RMI_PSCI_COMPLETE": 0xC400_0164,
    "RMI_FEATURES": 0xC400_0165,
    "RMI_RTT_FOLD": 0xC400_0166,
    "RMI_REC_AUX_COUNT": 0xC400_0167,
    "RMI_RTT_INIT_RIPAS": 0xC400_0168,
    "RMI_RTT_SET_RIPAS": 0xC400_0169,
    // RMM 1.1 Device Assignment [1.1-UNSTABLE], TF-RMM rmm-spec-v1.x-aligned (reference/rmm.md §3.1).
    "RMI_PDEV_AUX_COUNT": 0xC400_0156, "RMI_PDEV_ABORT": 0xC400_0174, "RMI_PDEV_COMMUNICATE": 0xC400_0175,
    "RMI_PDEV_CREATE": 0xC400_0176, "RMI_PDEV_DESTROY": 0xC400_0177, "RMI_PDEV_GET_STATE": 0xC400_0178,
    "RMI_PDEV_IDE_RESET": 0xC400_0179, "RMI_PDEV_IDE_KEY_REFRESH": 0xC400_017A, "RMI_PDEV_SET_PUBKEY": 0xC400_017B,
    "RMI_PDEV_STOP": 0xC400_017C, "RMI_VDEV_ABORT": 0xC400_0185, "RMI_VDEV_COMMUNICATE": 0xC400_0186,
    "RMI_VDEV_CREATE": 0xC400_0187, "RMI_VDEV_DESTROY": 0xC400_0188, "RMI_VDEV_GET_STATE": 0xC400_0189,
    "RMI_VDEV_UNLOCK": 0xC400_018A, "RMI_VDEV_GET_INTERFACE_REPORT": 0xC400_01D0,
    "RMI_VDEV_GET_MEASUREMENTS": 0xC400_01D1, "RMI_VDEV_LOCK": 0xC400_01D2, "RMI_VDEV_START": 0xC400_01D3,
    // RMM 1.1 MEC (reference/rmm.md §3.1, §3.5).
    "RMI_MEC_SET_SHARED": 0xC400_018C, "RMI_MEC_SET_PRIVATE": 0xC400_018D,
  ]

  /// The realm's calls, for a harness whose realm payload issues them: RSI (reference/rmm.md §5)
  /// and PSCI (SMCCC function IDs of the PSCI specification; SMC64 where the call takes an
  /// address or an MPIDR).
  public static let realm: [String: UInt64] = [
    "RSI_VERSION": 0xC400_0190,
    "RSI_FEATURES": 0xC400_0191,
    "RSI_MEASUREMENT_READ": 0xC400_0192,
    "RSI_MEASUREMENT_EXTEND": 0xC400_0193,
    "RSI_ATTESTATION_TOKEN_INIT": 0xC400_0194,
    "RSI_ATTESTATION_TOKEN_CONTINUE": 0xC400_0195,
    "RSI_REALM_CONFIG": 0xC400_0196,
    "RSI_IPA_STATE_SET": 0xC400_0197,
    "RSI_IPA_STATE_GET": 0xC400_0198,
    "RSI_HOST_CALL": 0xC400_0199,
    "PSCI_VERSION": 0x8400_0000,
    "PSCI_CPU_SUSPEND": 0xC400_0001,
    "PSCI_CPU_OFF": 0x8400_0002,
    "PSCI_CPU_ON": 0xC400_0003,
    "PSCI_AFFINITY_INFO": 0xC400_0004,
    "PSCI_SYSTEM_OFF": 0x8400_0008,
    "PSCI_SYSTEM_RESET": 0x8400_0009,
    "PSCI_FEATURES": 0x8400_000A,
    // RMM 1.1 Device Assignment [1.1-UNSTABLE] (reference/rmm.md §5).
    "RSI_VDEV_DMA_ENABLE": 0xC400_019C, "RSI_VDEV_GET_INFO": 0xC400_019D, "RSI_VDEV_DMA_DISABLE": 0xC400_01A4,
  ]

  /// The FID of an RMI command or a realm call, by the model's action name.
  public static func fid(of action: String) -> UInt64? { rmi[action] ?? realm[action] }
}
