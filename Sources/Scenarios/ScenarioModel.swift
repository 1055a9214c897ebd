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
/// values (from the model's ``ABIDescription``), and its compiled form.
///
/// Resolving a scenario needs only the IR; the model is compiled the first time a scenario runs
/// (at `rmm-full` compiling costs seconds in a debug build, so bad input is reported without it).
public final class ScenarioModel: Sendable {
  public let model: Model
  private let compiledModel = Mutex<CompiledModel?>(nil)
  /// Status name → status code (bits [7:0] of X0), from the failure conditions of the IR.
  let statusCodes: [String: Value]
  /// Predefined value names (the model's ABI encodings, statuses and constants).
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

  /// The scenario view of `model` (compiled when a scenario first runs on it).
  public init(_ model: Model) {
    self.model = model
    // Status names: those of the failure conditions of the IR, then the statuses the model's
    // ABI declares (a status no condition returns, such as RSI_INCOMPLETE).
    var codes: [String: Value] = [:]
    for action in model.actions {
      for f in action.failures where codes[f.error] == nil { codes[f.error] = f.code }
    }
    for (name, code) in model.abi.statusCodes where codes[name] == nil { codes[name] = code }
    statusCodes = codes
    // Value names: the ABI's encodings, statuses and constants (configuration facts such as
    // S2SZ), and the booleans.
    var names: [String: Value] = ["true": 1, "false": 0]
    for encoding in model.abi.encodings {
      for (label, value) in zip(encoding.labels, encoding.values) where names[label] == nil { names[label] = value }
    }
    for interface in model.abi.interfaces {
      for status in interface.statuses where names[status.name] == nil { names[status.name] = status.value }
    }
    for constant in model.abi.constants { names[constant.name] = constant.value }
    predefined = names
  }

  /// The names a successful call's status may be given as: the success status of the action's
  /// interface (`RMI_SUCCESS`), if it names one, then `SUCCESS`.
  func successNames(of action: Action) -> [String] {
    var names = ["SUCCESS"]
    if let success = model.abi.interface(of: action.name)?.success { names.insert(success, at: 0) }
    return names
  }

  /// The status name of an X0 value returned by an action: its success name, or the error name
  /// of a failure condition with that code, or a status of the action's interface.
  func statusName(_ x0: Value, action: Action) -> String {
    let code = x0 & 0xFF
    if x0 == action.successCode { return successNames(of: action)[0] }
    if let f = action.failures.first(where: { $0.code == code }) { return f.error }
    if let status = model.abi.interface(of: action.name)?.statuses.first(where: { $0.value == code }) {
      return status.name
    }
    if let name = statusCodes.filter({ $0.value == code }).keys.min() { return name }
    return "0x\(String(code, radix: 16))"
  }

  /// `RMI_ERROR_RTT level 2 (X0=0x204)`, `RMI_ERROR_RTT level 0 (X0=0x4)` (the level is always shown: level 0 is a real
  /// level), `RMI_ERROR_INPUT (X0=0x1)`, `RMI_SUCCESS`.
  ///
  /// What the index means is the model's ABI's (``ABIDescription/indexMeaning(of:)``).
  func describe(_ x0: Value, action: Action) -> String {
    let index = x0 >> 8
    let name = statusName(x0, action: action)
    if x0 == action.successCode { return name }
    let meaning = model.abi.indexMeaning(of: name)
    return (index == 0 && meaning == nil ? name : "\(name) \(meaning ?? "index") \(index)")
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
