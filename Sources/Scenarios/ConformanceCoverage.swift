import Spec

/// Which failure conditions (and successes) of a model's commands passing scenarios hit.
///
/// The rows come from the Model IR: every action of the first interface the model's
/// ``ABIDescription`` declares (RMI in the CCA model), each of its failure conditions in the
/// model's order, then its success. A row is covered by the first
/// call (in file order) of a *passing* scenario whose result was that condition (or success).
public struct ConformanceCoverage: Sendable {
  public struct Row: Sendable, Equatable {
    public let command: String
    /// The failure condition's name, or `success`.
    public let condition: String
    /// The status returned when hit (`RMI_ERROR_RTT level 2 (X0=0x204)`), or the condition's
    /// error name when missing.
    public let status: String
    /// `file:line` of the first passing call that hit it, or `nil` (MISSING).
    public let location: String?
    /// Why no scenario can hit the row, when the model cannot reach it (``unreachable``).
    public let unreachable: String?
  }

  /// Conditions no run of the model can meet, with the reason; a condition whose IR is the constant `false` is found
  /// without being listed here.
  ///
  /// Listing a reachable condition is caught by the tests (a passing scenario hits it).
  public static let unreachable: [String: String] = [
    "RMI_GRANULE_DELEGATE gran_gpt": """
    not reachable in the model: its GPI is NS exactly when the granule is UNDELEGATED (gpt-consistent) \
    and it has no Secure or Root granule in DRAM
    """
  ]

  /// The configurations the rows come from: the reference, then those that added a command or
  /// condition it lacks.
  public let configurations: [Configuration]
  public let rows: [Row]

  /// The configuration whose commands make up the table; the others add only what it lacks.
  public var configuration: Configuration { configurations[0] }

  /// The rows no passing scenario hits although the model can reach them.
  public var missing: [Row] { rows.filter { $0.location == nil && $0.unreachable == nil } }

  /// Computes the coverage of `results` over the RMI commands of `model`.
  public init(model: ScenarioModel, results: [ScenarioResult]) {
    self.init(models: [model], results: results)
  }

  /// Computes the coverage of `results` over the RMI commands of `models`: every command and
  /// condition of the first, then those only a later one has (a feature the reference
  /// configuration leaves out, such as MEC), each condition placed after the one that precedes
  /// it in that model's order.
  ///
  /// - Precondition: `models` is not empty.
  public init(models: [ScenarioModel], results: [ScenarioResult]) {
    precondition(!models.isEmpty, "coverage needs a model")
    var hits: [String: (status: String, location: String)] = [:]
    let byName = Dictionary(models.map { ($0.model.configuration.name, $0) }, uniquingKeysWith: { a, _ in a })
    for result in results where result.passed {
      for step in result.steps {
        guard case .returned(let x0, let condition, _) = step.result else { continue }
        let key = "\(step.action) \(condition ?? "success")"
        guard hits[key] == nil else { continue }
        // The status as the model the scenario ran on names it (its own action).
        for candidate in [byName[result.configuration.name]].compactMap({ $0 }) + models {
          guard let a = candidate.model.action(named: step.action) else { continue }
          hits[key] = (candidate.describe(x0, action: candidate.model.actions[a]), step.location)
          break
        }
      }
    }
    // (command, condition, the model that has it), commands in first-seen order.
    var commands: [String] = []
    var conditions: [String: [(name: String, model: ScenarioModel)]] = [:]
    for model in models {
      let interface = model.model.abi.interfaces.first
      for action in model.model.actions where interface?.functionID(of: action.name) != nil {
        if conditions[action.name] == nil { commands.append(action.name) }
        var list = conditions[action.name] ?? []
        var previous: String? = nil
        for name in action.failures.map(\.name) + ["success"] {
          if !list.contains(where: { $0.name == name }) {
            let at = previous.flatMap { p in list.firstIndex { $0.name == p }.map { $0 + 1 } } ?? 0
            list.insert((name, model), at: at)
          }
          previous = name
        }
        conditions[action.name] = list
      }
    }
    var rows: [Row] = []
    var contributors: [String] = []
    for command in commands {
      for (name, model) in conditions[command] ?? [] {
        let contributor = model.model.configuration.name
        if contributor != models[0].model.configuration.name, !contributors.contains(contributor) {
          contributors.append(contributor)
        }
        guard let a = model.model.action(named: command) else { continue }
        let action = model.model.actions[a]
        let hit = hits["\(command) \(name)"]
        let failure = action.failures.first { $0.name == name }
        let fallback = name == "success" ? model.successNames(of: action)[0] : failure?.error ?? ""
        let unreachable =
          failure?.condition == .boolean(false)
          ? "not reachable in the model: its condition is constantly false" : Self.unreachable["\(command) \(name)"]
        rows.append(
          Row(
            command: command, condition: name, status: hit?.status ?? fallback, location: hit?.location,
            unreachable: hit == nil ? unreachable : nil))
      }
    }
    self.rows = rows
    configurations =
      [models[0].model.configuration]
      + contributors.compactMap { name in models.first { $0.model.configuration.name == name }?.model.configuration }
  }

  /// The configurations a coverage table of `scenarios` is computed for: the default
  /// (``ScenarioDefaults/configuration``) when some scenario runs there, else the first scenario's; then every other
  /// configuration a scenario runs on, by name (its first scenario's bounds); without mutants.
  ///
  /// Deterministic whatever the order of the files.
  public static func configurations(of scenarios: [ResolvedScenario]) -> [Configuration] {
    var all = scenarios.map(\.model.model.configuration).filter { $0.mutant == nil }
    if all.isEmpty {
      all = scenarios.map(\.model.model.configuration).map {
        var c = $0
        c.mutant = nil
        return c
      }
    }
    guard
      let reference = all.first(where: { $0.name == ScenarioDefaults.configuration })
        ?? all.min(by: { $0.name < $1.name })
    else { return [] }
    var seen: Set<String> = [reference.name]
    var others: [Configuration] = []
    for c in all.sorted(by: { $0.name < $1.name }) where seen.insert(c.name).inserted { others.append(c) }
    return [reference] + others
  }

  /// The reference configuration of ``configurations(of:)``.
  public static func configuration(of scenarios: [ResolvedScenario]) -> Configuration? {
    configurations(of: scenarios).first
  }

  /// The command that regenerates the checked-in table.
  public static let regenerateCommand =
    "swift run cca-verify run --coverage Docs/conformance-coverage.md Tests/Conformance/*.scenario"

  /// The table as Markdown (deterministic: rows in the model's order).
  public func markdown() -> String {
    var out = """
      # RMM conformance coverage

      Generated; do not edit. Regenerate with:

          \(Self.regenerateCommand)

      Each failure condition of each RMI command of the model (configuration `\(configuration.name)`\
      \(configurations.count > 1 ? "; commands and conditions it lacks come from " + configurations.dropFirst().map { "`\($0.name)`" }.joined(separator: ", ") : "")), in the \
      model's order, then the command's success, with the status a conforming RMM returns and the first \
      call of a passing scenario in Tests/Conformance that hits it (Docs/scenarios.md). \
      \(missing.isEmpty ? "Every row the model can reach is covered." : "\(missing.count) rows are MISSING.")

      | command | condition | status | scenario |
      |---|---|---|---|

      """
    for row in rows {
      out += "| \(row.command) | \(row.condition) | \(row.status) | \(row.location ?? row.unreachable ?? "MISSING") |\n"
    }
    return out
  }
}
