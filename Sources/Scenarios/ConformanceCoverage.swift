import Spec

/// Which failure conditions (and successes) of a model's RMI commands passing scenarios hit.
///
/// The rows come from the Model IR: every action whose name starts with `RMI_`, each of its
/// failure conditions in the model's order, then its success. A row is covered by the first
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

  /// Conditions no run of the model can meet, with the reason; a condition whose IR is the
  /// constant `false` is found without being listed here. Listing a reachable condition is
  /// caught by the tests (a passing scenario hits it).
  public static let unreachable: [String: String] = [
    "RMI_GRANULE_DELEGATE gran_gpt": """
      not reachable in the model: its GPI is NS exactly when the granule is UNDELEGATED (gpt-consistent) \
      and it has no Secure or Root granule in DRAM
      """
  ]

  public let configuration: Configuration
  public let rows: [Row]

  /// The rows no passing scenario hits although the model can reach them.
  public var missing: [Row] { rows.filter { $0.location == nil && $0.unreachable == nil } }

  /// Computes the coverage of `results` over the RMI commands of `model`.
  public init(model: ScenarioModel, results: [ScenarioResult]) {
    let m = model.model
    configuration = m.configuration
    var hits: [String: (status: String, location: String)] = [:]
    for result in results where result.passed {
      for step in result.steps {
        guard case .returned(let x0, let condition, _) = step.result, let a = m.action(named: step.action) else {
          continue
        }
        let key = "\(step.action) \(condition ?? "success")"
        if hits[key] == nil { hits[key] = (model.describe(x0, action: m.actions[a]), step.location) }
      }
    }
    var rows: [Row] = []
    for action in m.actions where action.name.hasPrefix("RMI_") {
      for name in action.failures.map(\.name) + ["success"] {
        let hit = hits["\(action.name) \(name)"]
        let failure = action.failures.first { $0.name == name }
        let fallback = name == "success" ? model.successNames(of: action)[0] : failure?.error ?? ""
        let unreachable =
          failure?.condition == .boolean(false)
          ? "not reachable in the model: its condition is constantly false" : Self.unreachable["\(action.name) \(name)"]
        rows.append(
          Row(
            command: action.name, condition: name, status: hit?.status ?? fallback, location: hit?.location,
            unreachable: hit == nil ? unreachable : nil))
      }
    }
    self.rows = rows
  }

  /// The configuration a coverage table of `scenarios` is computed for: the default
  /// (``ScenarioDefaults/configuration``) when some scenario runs there, else the first
  /// scenario's; without its mutant. Deterministic whatever the order of the files.
  public static func configuration(of scenarios: [ResolvedScenario]) -> Configuration? {
    let configurations = scenarios.map(\.model.model.configuration)
    guard var c = configurations.first(where: { $0.name == ScenarioDefaults.configuration && $0.mutant == nil })
      ?? configurations.first
    else { return nil }
    c.mutant = nil
    return c
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

      Each failure condition of each RMI command of the model (configuration `\(configuration.name)`), in the \
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
