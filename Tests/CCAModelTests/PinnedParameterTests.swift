import CCAModel
import Spec
import Testing

/// Every parameter of every action takes more than one value in at least one shipped
/// configuration (issue 14 item 5): a parameter pinned to one value everywhere is a branch of the
/// specification no search explores.
///
/// Cheap: it builds each configuration's model and reads its parameters' exploration values; no
/// search runs.
@Suite("Parameters: none is pinned to one value in every configuration")
struct PinnedParameterTests {
  /// The parameters that have one value in every configuration because the model never reads
  /// them: any value takes the same branches, outputs and successor (each checked below).
  static let unread: Set<String> = [
    "PSCI_CPU_ON.x3",  // context_id: the realm's entry state, which the model abstracts
    "PSCI_CPU_SUSPEND.x2", "PSCI_CPU_SUSPEND.x3",  // entry_point_address, context_id: likewise
    "RMI_REC_CREATE.params_pc",  // the REC's entry PC: realm execution is abstract
    "RMI_PDEV_AUX_COUNT.x1",  // flags: the model's answer is 0 for every PDEV
    "RMI_VDEV_AUX_COUNT.x1", "RMI_VDEV_AUX_COUNT.x2",  // pdev_flags, vdev_flags: likewise
    "RMI_PDEV_IDE_KEY_REFRESH.x2",  // coh: the IDE stream's keys are abstract
    "RSI_VDEV_VALIDATE_MAPPING.x5",  // flags: coherency and sharing attributes are not modelled
    // sve_vl: checked only when RMI_FEATURES offers SVE (RMIFeatures.sveEnabled), which no
    // configuration does (TF-RMM's host build has no SVE): an SVE request fails params_supp whatever
    // sve_vl is, and the builder leaves the comparison out.
    "RMI_REALM_CREATE.params_sve_vl",
  ]

  /// Whether `action` reads its parameter `index` anywhere: guard, failure conditions (and their
  /// indices and effects), effects or outputs.
  static func reads(_ action: Action, parameter index: Int) -> Bool {
    var exprs = [action.guardCondition] + action.outputs.map(\.value)
    let effects = action.effects + action.failures.flatMap(\.effects)
    exprs += action.failures.flatMap { [$0.condition, $0.index] }
    for effect in effects {
      switch effect {
      case .assign(_, let keys, let value, let when): exprs += keys + [value, when]
      case .assignAll(_, _, let condition, let value): exprs += [condition, value]
      }
    }
    var found = false
    for e in exprs {
      e.forEachNode { if case .parameter(index) = $0 { found = true } }
      if found { return true }
    }
    return false
  }

  /// Every `action.parameter` of every configuration, the ones that take more than one value in
  /// some configuration (with the first such), and the ones some configuration's action reads.
  static func survey() throws -> Survey {
    var all = Set<String>()
    var wide: [String: String] = [:]
    var read = Set<String>()
    // rmm-full is the scenario configuration (its states are too large to search), so it does
    // not count as the configuration that explores a parameter.
    for config in CCA.family.configurations where config.name != "rmm-full" {
      let model = try CCA.family.build(config)
      for action in model.actions {
        for (i, p) in action.parameters.enumerated() {
          let key = "\(action.name).\(p.name)"
          all.insert(key)
          if reads(action, parameter: i) { read.insert(key) }
          let single = Set(p.values).count <= 1 && (p.domain.cardinality.map { $0 > 1 } ?? true)
          if !single, wide[key] == nil { wide[key] = config.name }
        }
      }
    }
    return Survey(all: all, wide: wide, read: read)
  }

  struct Survey {
    let all: Set<String>
    let wide: [String: String]
    let read: Set<String>
    var tuple: (Set<String>, [String: String], Set<String>) { (all, wide, read) }
  }

  /// The survey, built once for both tests.
  static let surveyed = Result { try survey() }

  @Test(
    "Every action parameter takes more than one value in some configuration, except the documented single-valued ones"
  )
  func noParameterPinnedEverywhere() throws {
    let (all, wide, read) = try Self.surveyed.get().tuple
    let pinned = all.subtracting(wide.keys)
    let allowed = Self.unread
    #expect(
      pinned.subtracting(allowed).isEmpty, "pinned in every configuration: \(pinned.subtracting(allowed).sorted())")
    // The exceptions are exact: none has since gained a second value (then it leaves the list).
    #expect(allowed.subtracting(pinned).isEmpty, "no longer pinned: \(allowed.subtracting(pinned).sorted())")
    // Each exception is read by no configuration's action: its value cannot matter.
    #expect(Self.unread.intersection(read).isEmpty, "read after all: \(Self.unread.intersection(read).sorted())")
    print("parameters: \(all.count); widened in some configuration: \(wide.count); single-valued: \(pinned.sorted())")
  }

  @Test(
    "The registers issue 14 named as pinned take more than one value in rmm-rtt-values, rmm-params-values or rmm-da-mem-values"
  )
  func namedRegisters() throws {
    let wide = try Self.surveyed.get().wide
    let named = [
      "RMI_RTT_CREATE.x4", "RMI_RTT_DESTROY.x3", "RMI_RTT_FOLD.x3", "RMI_RTT_READ_ENTRY.x2", "RMI_RTT_READ_ENTRY.x3",
      "RMI_RTT_MAP_UNPROTECTED.x3", "RMI_RTT_UNMAP_UNPROTECTED.x3", "RSI_IPA_STATE_SET.x1", "RSI_IPA_STATE_GET.x2",
      "RMI_DATA_CREATE.x3", "RMI_RTT_SET_RIPAS.x3", "RMI_RTT_SET_RIPAS.x4", "PSCI_CPU_ON.x1", "PSCI_AFFINITY_INFO.x2",
      "RSI_MEASUREMENT_EXTEND.x1", "RSI_MEASUREMENT_EXTEND.x2", "REC_EXIT.reason", "RMI_REALM_CREATE.params_num_wps",
      "RMI_REALM_CREATE.params_pmu_num_ctrs", "RSI_VDEV_VALIDATE_MAPPING.x6",
    ]
    for key in named { #expect(wide[key] != nil, "\(key) is pinned everywhere") }
  }
}
