import CCAModel
import Explore
import Spec

/// Where scenarios run when they have no `config` line.
public enum ScenarioDefaults {
  /// The default configuration: the largest RMM configuration, with the architecture's RTT
  /// geometry once the model has it. The one place to switch (to `rmm-full`).
  public static let configuration = "rmm-rtt"
}

/// A compiled model as scenarios see it: the model, its status names, and the names scenarios may
/// use for values.
public final class ScenarioModel: @unchecked Sendable {
  public let compiled: CompiledModel
  public var model: Model { compiled.model }
  /// Status name → status code (bits [7:0] of X0), from the failure conditions of the IR.
  let statusCodes: [String: Value]
  /// Predefined value names (configuration facts and ABI constants).
  let predefined: [String: Value]

  init(_ compiled: CompiledModel) {
    self.compiled = compiled
    let model = compiled.model
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

  /// `RMI_ERROR_RTT level 2 (X0=0x204)`, `RMI_SUCCESS`.
  func describe(_ x0: Value, action: Action) -> String {
    let index = x0 >> 8
    let name = statusName(x0, action: action)
    if x0 == action.successCode { return name }
    return (index == 0 ? name : "\(name) \(name == "RMI_ERROR_RTT" ? "level" : "index") \(index)")
      + " (X0=0x\(String(x0, radix: 16)))"
  }
}

/// Builds and compiles models by configuration, once each.
public final class ScenarioModels: @unchecked Sendable {
  private var cache: [Configuration: ScenarioModel] = [:]
  public let family: ModelFamily

  public init(family: ModelFamily = CCA.family) { self.family = family }

  /// The compiled model of a configuration.
  ///
  /// - Throws: `ModelError` when the family rejects the configuration, or the compiler's error.
  public func model(for configuration: Configuration) throws -> ScenarioModel {
    if let m = cache[configuration] { return m }
    let m = ScenarioModel(try CompiledModel(try family.build(configuration)))
    cache[configuration] = m
    return m
  }
}
