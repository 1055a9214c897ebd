import CCAModel
import Spec
import Testing

/// The failure conditions of one command in spec order: the list reference/rmm.md gives (the
/// order the specification lists them, which the ACS tests one at a time), transcribed with its
/// section, and the revisions the model makes to it, each with its reason.
struct SpecOrder: Sendable, CustomTestStringConvertible {
  /// A difference between the model and the reference, decided and documented here.
  enum Revision: Sendable {
    /// The model has no such condition.
    case omitted(String, because: String)
    /// The model adds a condition after `after` (or first, when `after` is nil).
    case added(String, after: String?, because: String)
  }

  let command: String
  /// The section of reference/rmm.md the list is transcribed from.
  let section: String
  let reference: [String]
  var revisions: [Revision] = []
  /// The configuration whose model has the command.
  var configuration = "rmm-small"

  /// The reference's list with the revisions applied: what the model must declare, in order.
  var expected: [String] {
    var list = reference
    for revision in revisions {
      switch revision {
      case .omitted(let name, _): list.removeAll { $0 == name }
      case .added(let name, let after, _):
        let at = after.flatMap { a in list.firstIndex(of: a).map { $0 + 1 } } ?? 0
        list.insert(name, at: at)
      }
    }
    return list
  }

  var testDescription: String { command }
}

private let rd = ["rd_align", "rd_bound", "rd_state"]
private let noLPA2 = "no LPA2: every PA the model has is below 2^48, so the condition is constantly false"
private let pdevGranule = ["pdev_align", "pdev_bound", "pdev_gran_state"]
private let binding = [
  "rd_align", "rd_bound", "rd_state", "pdev_align", "pdev_bound", "pdev_state", "vdev_align", "vdev_bound",
  "vdev_gran_state", "vdev_realm", "vdev_pdev",
]
/// The 1.1 DA and MEC sections state the checks and some orderings only (§3.2, §3.3, §3.5
/// [1.1-UNSTABLE]): the list is the model's, in the ACS's order where §3 gives one (ADR 0005).
private let daSection = "§3.2-3.4 [1.1-UNSTABLE]: checks named, order the model's (Docs/ADR/0005)"

/// Every RMI and RSI command of the model, with its failure conditions in spec order.
let specOrders: [SpecOrder] = [
  // RMM 1.0 RMI (reference/rmm.md §2).
  SpecOrder(
    command: "RMI_VERSION", section: "§2.1", reference: [],
    revisions: [
      .added("version", after: nil, because: "TF-RMM 1.0: RMI_ERROR_INPUT unless the requested version is 1.0 (§2.1)")
    ]),
  SpecOrder(command: "RMI_FEATURES", section: "§2.2", reference: []),
  SpecOrder(
    command: "RMI_GRANULE_DELEGATE", section: "§2.3", reference: ["gran_align", "gran_bound", "gran_state", "gran_gpt"]),
  SpecOrder(command: "RMI_GRANULE_UNDELEGATE", section: "§2.4", reference: ["gran_align", "gran_bound", "gran_state"]),
  SpecOrder(
    command: "RMI_REALM_CREATE", section: "§2.5",
    reference: ["params_align", "params_bound", "params_pas", "params_valid", "params_supp", "alias"] + rd
      + ["rtt_align", "rtt_num_level", "rtt_state", "vmid_valid"]),
  SpecOrder(command: "RMI_REALM_ACTIVATE", section: "§2.6", reference: rd + ["realm_state"]),
  SpecOrder(command: "RMI_REALM_DESTROY", section: "§2.7", reference: rd + ["realm_live"]),
  SpecOrder(command: "RMI_REC_AUX_COUNT", section: "§2.8", reference: rd),
  SpecOrder(
    command: "RMI_REC_CREATE", section: "§2.9",
    reference: ["params_align", "params_bound", "params_pas", "rec_align", "rec_bound", "rec_state"] + rd
      + ["realm_state", "mpidr_index", "num_aux", "aux_align", "aux_alias", "aux_state"],
    configuration: "rmm-small rec-aux=1"),
  SpecOrder(
    command: "RMI_REC_DESTROY", section: "§2.10", reference: ["rec_align", "rec_bound", "rec_gran_state", "rec_state"]),
  SpecOrder(
    command: "RMI_REC_ENTER", section: "§2.11",
    reference: [
      "run_align", "run_bound", "run_pas", "rec_align", "rec_bound", "rec_gran_state", "realm_new", "system_off",
      "rec_runnable", "rec_psci", "rec_mmio", "rec_gicv3",
    ],
    revisions: [
      .added(
        "rec_running", after: "rec_psci",
        because:
          "TF-RMM: a REC already RUNNING gives RMI_ERROR_REC (§2.11), among the mutually unordered REC errors 5-8")
    ]),
  SpecOrder(
    command: "RMI_DATA_CREATE", section: "§2.12",
    reference: ["src_align", "src_bound", "src_pas", "data_align", "data_bound", "data_state", "data_bound2"] + rd
      + ["ipa_align", "ipa_bound", "realm_state", "rtt_walk", "rtte_state"],
    revisions: [.omitted("data_bound2", because: noLPA2)]),
  SpecOrder(
    command: "RMI_DATA_CREATE_UNKNOWN", section: "§2.13",
    reference: ["data_align", "data_bound", "data_state", "data_bound2"] + rd + [
      "ipa_align", "ipa_bound", "rtt_walk", "rtte_state",
    ],
    revisions: [.omitted("data_bound2", because: noLPA2)]),
  SpecOrder(
    command: "RMI_DATA_DESTROY", section: "§2.14", reference: rd + ["ipa_align", "ipa_bound", "rtt_walk", "rtte_state"]),
  SpecOrder(
    command: "RMI_RTT_CREATE", section: "§2.15",
    reference: rd + [
      "level_bound", "ipa_align", "ipa_bound", "rtt_align", "rtt_bound", "rtt_state", "rtt_bound2", "rtt_walk",
      "rtte_state",
    ],
    revisions: [.omitted("rtt_bound2", because: noLPA2)]),
  SpecOrder(
    command: "RMI_RTT_DESTROY", section: "§2.16",
    reference: rd + ["level_bound", "ipa_align", "ipa_bound", "rtt_walk", "rtte_state", "rtt_live"]),
  SpecOrder(
    command: "RMI_RTT_FOLD", section: "§2.17",
    reference: rd + ["level_bound", "ipa_align", "ipa_bound", "rtt_walk", "rtte_state", "rtte_homo"]),
  SpecOrder(
    command: "RMI_RTT_MAP_UNPROTECTED", section: "§2.18",
    reference: ["attr_valid"] + rd + [
      "level_bound", "addr_align", "addr_bound", "ipa_align", "ipa_bound", "rtt_walk", "rtte_state",
    ],
    revisions: [.omitted("addr_bound", because: noLPA2)]),
  SpecOrder(
    command: "RMI_RTT_UNMAP_UNPROTECTED", section: "§2.19",
    reference: rd + ["level_bound", "ipa_align", "ipa_bound", "rtt_walk", "rtte_state"]),
  SpecOrder(
    command: "RMI_RTT_READ_ENTRY", section: "§2.20", reference: rd + ["level_bound", "ipa_align", "ipa_bound"]),
  SpecOrder(
    command: "RMI_RTT_INIT_RIPAS", section: "§2.21",
    reference: rd + [
      "size_valid", "top_bound", "realm_state", "base_align", "rtte_state", "top_gran_align", "no_progress",
    ]),
  SpecOrder(
    command: "RMI_RTT_SET_RIPAS", section: "§2.22",
    reference: rd + [
      "rec_align", "rec_bound", "rec_gran_state", "rec_owner", "size_valid", "base_bound", "top_bound", "base_align",
      "top_gran_align", "no_progress",
    ],
    revisions: [
      .added(
        "rec_running", after: "rec_gran_state", because: "TF-RMM: a REC that is running gives RMI_ERROR_REC (§2.22)")
    ]),
  SpecOrder(
    command: "RMI_PSCI_COMPLETE", section: "§2.23",
    reference: [
      "alias", "calling_align", "calling_bound", "calling_state", "target_align", "target_bound", "target_state",
      "pending",
      "owner", "target", "status",
    ]),
  // RSI 1.0 (reference/rmm.md §5): the table states the failures in words; the names are the
  // model's, in the order the table states them.
  SpecOrder(
    command: "RSI_VERSION", section: "§5", reference: [],
    revisions: [
      .added("version", after: nil, because: "as RMI_VERSION: RSI_ERROR_INPUT unless the requested version is 1.0")
    ]),
  SpecOrder(command: "RSI_FEATURES", section: "§5", reference: []),
  SpecOrder(command: "RSI_MEASUREMENT_READ", section: "§5 (index > 4)", reference: ["index"]),
  SpecOrder(
    command: "RSI_MEASUREMENT_EXTEND", section: "§5 (index 0 or > 4, size > 64)", reference: ["index", "size"]),
  SpecOrder(
    command: "RSI_REALM_CONFIG", section: "§5 (unaligned / unprotected)", reference: ["ipa_align", "ipa_bound"],
    revisions: [
      .added(
        "ripas_empty", after: "ipa_bound", because: "TF-RMM 1.0 handle_rsi_realm_config: the buffer's RIPAS must be RAM"
      ),
      .added(
        "stage2_abort", after: "ripas_empty", because: "TF-RMM: an unmapped buffer exits to the host as a stage-2 abort"
      ),
    ]),
  SpecOrder(
    command: "RSI_HOST_CALL", section: "§5 (unaligned / unprotected)", reference: ["ipa_align", "ipa_bound"],
    revisions: [
      .added("ripas_empty", after: "ipa_bound", because: "TF-RMM 1.0: the RsiHostCall buffer's RIPAS must be RAM"),
      .added(
        "stage2_abort", after: "ripas_empty", because: "TF-RMM: an unmapped buffer exits to the host as a stage-2 abort"
      ),
    ]),
  SpecOrder(
    command: "RSI_IPA_STATE_SET", section: "§5 (unaligned, top <= base, not protected, invalid ripas)",
    reference: ["base_align", "top_align", "size_valid", "region", "ripas_valid"]),
  SpecOrder(
    command: "RSI_IPA_STATE_GET", section: "§5 (unaligned / unprotected; 1.0-rel0 base, top form)",
    reference: ["base_align", "top_align", "size_valid", "region"]),
  // RMM 1.1 DA and MEC [1.1-UNSTABLE] (reference/rmm.md §3).
  SpecOrder(command: "RMI_PDEV_AUX_COUNT", section: "§3.1 (never fails)", reference: [], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_AUX_COUNT", section: "§3.1 (never fails with DA)", reference: [], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_PDEV_CREATE", section: "§3.2 ACS failure order",
    reference: [
      "pdev_align", "pdev_bound", "pdev_state", "params_align", "params_bound", "params_pas", "params_valid", "num_aux",
    ],
    configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_PDEV_COMMUNICATE", section: daSection,
    reference: pdevGranule + ["data_align", "data_bound", "data_pas", "pdev_state"], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_PDEV_SET_PUBKEY", section: daSection,
    reference: pdevGranule + ["params_align", "params_bound", "params_pas", "pdev_state"], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_PDEV_IDE_RESET", section: daSection, reference: pdevGranule + ["pdev_state"],
    configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_PDEV_IDE_KEY_REFRESH", section: daSection, reference: pdevGranule + ["pdev_state"],
    configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_PDEV_ABORT", section: daSection, reference: pdevGranule + ["pdev_state"], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_PDEV_STOP", section: "§3.2 (COMMUNICATING, STOPPING, STOPPED, or num_vdevs != 0)",
    reference: pdevGranule + ["pdev_state", "num_vdevs"], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_PDEV_DESTROY", section: daSection, reference: pdevGranule + ["pdev_state"],
    configuration: "rmm-da-mem"),
  SpecOrder(command: "RMI_PDEV_GET_STATE", section: daSection, reference: pdevGranule, configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_CREATE", section: daSection,
    reference: rd + [
      "pdev_align", "pdev_bound", "pdev_state", "vdev_align", "vdev_bound", "vdev_state", "params_align",
      "params_bound", "params_pas", "da_en", "pdev_ready", "tdi_id", "num_aux",
    ], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_COMMUNICATE", section: daSection,
    reference: binding + ["data_align", "data_bound", "data_pas", "vdev_state"], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_LOCK", section: daSection, reference: binding + ["vdev_state"], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_START", section: daSection, reference: binding + ["vdev_state"], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_UNLOCK", section: daSection, reference: binding + ["vdev_state", "vdev_mapped"],
    configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_GET_MEASUREMENTS", section: daSection,
    reference: binding + ["params_align", "params_bound", "params_pas", "vdev_state"], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_GET_INTERFACE_REPORT", section: daSection, reference: binding + ["vdev_state"],
    configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_ABORT", section: daSection,
    reference: ["vdev_align", "vdev_bound", "vdev_gran_state", "vdev_state"],
    configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_DESTROY", section: "§3.3 (DESTROY lists vdev_realm as RMI_ERROR_DEVICE)",
    reference: binding + ["vdev_state", "vdev_mapped"], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_GET_STATE", section: daSection, reference: ["vdev_align", "vdev_bound", "vdev_gran_state"],
    configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_MAP", section: "§3.4 (spec order, plus vdev_addr: Docs/ADR/0005)",
    reference: ["addr_align", "addr_bound", "addr_state"] + rd + [
      "vdev_align", "vdev_bound", "vdev_gran_state", "vdev_realm",
      "vdev_addr", "level_bound", "ipa_align", "ipa_bound", "rtt_walk", "rtte_state", "rtte_ripas",
    ],
    configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_UNMAP", section: daSection,
    reference: rd + ["level_bound", "ipa_align", "ipa_bound", "rtt_walk", "rtte_state"],
    configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_VDEV_VALIDATE_MAPPING", section: "§3.4 (the reference names the checks only; Docs/ADR/0005)",
    reference: binding + [
      "rec_align", "rec_bound", "rec_gran_state", "rec_running", "rec_owner", "request", "size_valid",
      "base_bound", "top_bound", "rtt_walk", "rtte_state", "rtte_ripas", "map_pa",
    ], configuration: "rmm-da-mem"),
  SpecOrder(command: "RSI_VDEV_GET_INFO", section: daSection, reference: ["vdev_id"], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RSI_VDEV_DMA_ENABLE", section: "§3.3 (state, then the lock nonce and the sequence numbers)",
    reference: ["vdev_id", "vdev_state", "lock_nonce", "meas_seq", "report_seq"], configuration: "rmm-da-mem"),
  SpecOrder(command: "RSI_VDEV_DMA_DISABLE", section: daSection, reference: ["vdev_id"], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RSI_VDEV_VALIDATE_MAPPING", section: daSection,
    reference: [
      "vdev_id", "base_align", "top_align", "size_valid", "region", "pa_align", "vdev_state", "lock_nonce", "meas_seq",
      "report_seq",
    ], configuration: "rmm-da-mem"),
  SpecOrder(
    command: "RMI_MEC_SET_SHARED", section: "§3.5 [1.1-UNSTABLE]", reference: ["mecid_bound", "state"],
    configuration: "rmm-small-mec"),
  SpecOrder(
    command: "RMI_MEC_SET_PRIVATE", section: "§3.5 [1.1-UNSTABLE]", reference: ["mecid_bound", "state", "members"],
    configuration: "rmm-small-mec"),
]

/// The models the table is checked against, built once.
private let specOrderModels: [String: Model] = {
  var models: [String: Model] = [:]
  for name in Set(specOrders.map(\.configuration)) {
    let words = name.split(separator: " ")
    guard var c = CCA.family.configuration(named: String(words[0])) else { continue }
    for setting in words.dropFirst() {
      let pair = setting.split(separator: "=")
      if pair.count == 2, let v = Int(pair[1]) { c.bounds[Configuration.Bound(String(pair[0]))] = v }
    }
    models[name] = try? CCA.family.build(c)
  }
  return models
}()

@Suite("Spec order: every RMI and RSI command's failure conditions against reference/rmm.md")
struct SpecOrderTests {
  @Test(
    "the model declares the reference's failure conditions in spec order (with the documented revisions)",
    arguments: specOrders)
  func specOrder(_ entry: SpecOrder) throws {
    let model = try #require(specOrderModels[entry.configuration], "configuration \(entry.configuration) builds")
    let a = try #require(model.action(named: entry.command), "\(entry.command) in \(entry.configuration)")
    #expect(
      model.actions[a].failures.map(\.name) == entry.expected, "\(entry.command) (reference/rmm.md \(entry.section))")
  }

  @Test("every RMI and RSI command of the model has an entry, and every revision names a real difference")
  func everyCommandListed() throws {
    let listed = Set(specOrders.map(\.command))
    #expect(listed.count == specOrders.count, "a command is listed twice")
    for model in specOrderModels.values {
      for action in model.actions where action.name.hasPrefix("RMI_") || action.name.hasPrefix("RSI_") {
        #expect(listed.contains(action.name), "\(action.name) has no spec-order entry")
      }
    }
    for entry in specOrders {
      for revision in entry.revisions {
        switch revision {
        case .omitted(let name, _):
          #expect(entry.reference.contains(name), "\(entry.command): \(name) is not in the reference")
        case .added(let name, _, _):
          #expect(!entry.reference.contains(name), "\(entry.command): \(name) is in the reference")
        }
      }
    }
  }
}
