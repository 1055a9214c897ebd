import CCAModel
import Explore
import Spec
import Synchronization

/// Where scenarios run when they have no `config` line.
public enum ScenarioDefaults {
  /// The default configuration: the architecture's RTT geometry (4 levels of 512 entries,
  /// starting level 0, `s2sz` 48), 64 granules, 2 realms, 2 RECs per realm, 2 PEs, so a scenario
  /// uses the IPAs and table shapes a real RMM sees.
  public static let configuration = "rmm-full"
}

/// A model as scenarios see it: the model, its status names, the names scenarios may use for
/// values, and its compiled form.
///
/// Resolving a scenario needs only the IR; the model is compiled the first time a scenario runs
/// (at `rmm-full` compiling costs seconds in a debug build, so bad input is reported without it).
public final class ScenarioModel: Sendable {
  public let model: Model
  private let compiledModel = Mutex<CompiledModel?>(nil)
  /// Status name → status code (bits [7:0] of X0), from the failure conditions of the IR.
  let statusCodes: [String: Value]
  /// Predefined value names (configuration facts and ABI constants).
  let predefined: [String: Value]

  /// The compiled model, compiled on first use.
  ///
  /// - Throws: the compiler's error.
  public func compiled() throws -> CompiledModel {
    try compiledModel.withLock { cached in
      if let cached { return cached }
      let c = try CompiledModel(model)
      cached = c
      return c
    }
  }

  init(_ model: Model) {
    self.model = model
    var codes: [String: Value] = [:]
    for action in model.actions {
      for f in action.failures where codes[f.error] == nil { codes[f.error] = f.code }
    }
    statusCodes = codes
    var names: [String: Value] = [
      "RUNNABLE": 1, "NOT_RUNNABLE": 0, "RMI_HASH_SHA_256": 0, "RMI_HASH_SHA_512": 1,
      "RMI_ABI_VERSION": 0x1_0000, "RMI_EMPTY": 0, "RMI_RAM": 1, "RMI_DESTROYED": 2,
      "RMI_UNASSIGNED": 0, "RMI_ASSIGNED": 1, "RMI_TABLE": 2, "true": 1, "false": 0,
    ]
    // The configuration's RealmParams values a host must use: the model's own samples for them.
    if let create = model.action(named: "RMI_REALM_CREATE") {
      let action = model.actions[create]
      for (name, parameter) in [("S2SZ", "params_s2sz"), ("RTT_LEVEL_START", "params_rtt_level_start")] {
        if let p = action.parameters.first(where: { $0.name == parameter }), let sample = p.samples?.first {
          names[name] = sample
        }
      }
      if let s2sz = names["S2SZ"], s2sz >= 1, s2sz < 64 {
        names["IPA_PROTECTED_LIMIT"] = 1 << (s2sz - 1)
        names["IPA_LIMIT"] = 1 << s2sz
      }
    }
    predefined = names
  }

  /// The names a successful call's status may be given as.
  func successNames(of action: Action) -> [String] {
    var names = ["SUCCESS"]
    if let prefix = action.name.split(separator: "_").first, prefix == "RMI" || prefix == "RSI" {
      names.insert("\(prefix)_SUCCESS", at: 0)
    }
    return names
  }

  /// The status name of an X0 value returned by an action: its success name, or the error name
  /// of a failure condition with that code.
  func statusName(_ x0: Value, action: Action) -> String {
    let code = x0 & 0xFF
    if x0 == action.successCode { return successNames(of: action)[0] }
    if let f = action.failures.first(where: { $0.code == code }) { return f.error }
    if let (name, _) = statusCodes.first(where: { $0.value == code }) { return name }
    return "0x\(String(code, radix: 16))"
  }

  /// `RMI_ERROR_RTT level 2 (X0=0x204)`, `RMI_ERROR_RTT level 0 (X0=0x4)` (the level is always
  /// shown: level 0 is a real level), `RMI_ERROR_INPUT (X0=0x1)`, `RMI_SUCCESS`.
  func describe(_ x0: Value, action: Action) -> String {
    let index = x0 >> 8
    let name = statusName(x0, action: action)
    if x0 == action.successCode { return name }
    let isRTT = name == "RMI_ERROR_RTT"
    return (index == 0 && !isRTT ? name : "\(name) \(isRTT ? "level" : "index") \(index)")
      + " (X0=0x\(String(x0, radix: 16)))"
  }
}

/// Builds models by configuration, once each (safe to share between threads: tests share one).
public final class ScenarioModels: Sendable {
  private let cache = Mutex<[Configuration: ScenarioModel]>([:])
  public let family: ModelFamily

  public init(family: ModelFamily = CCA.family) { self.family = family }

  /// The model of a configuration (compiled when a scenario first runs on it).
  ///
  /// - Throws: `ModelError` when the family rejects the configuration.
  public func model(for configuration: Configuration) throws -> ScenarioModel {
    try cache.withLock { cache in
      if let m = cache[configuration] { return m }
      let m = ScenarioModel(try family.build(configuration))
      cache[configuration] = m
      return m
    }
  }
}
