import Explore
import Foundation
import Spec

/// The result of a mutation analysis: every mutant's verdict, the scores, and the survivors'
/// triage.
///
/// The **mutation score** is killed / (killed + survived); invalid and unknown mutants are not
/// counted. The score after triage leaves out the survivors shown equivalent:
/// killed / (killed + survived − equivalent).
public struct MutationReport: Hashable, Sendable {
  public let model: String
  public let configuration: Configuration
  public let engine: MutationOptions.Engine
  public let maxDepth: Int?
  public let budget: Double
  public let workers: Int
  /// The properties checked, by name.
  public let properties: [String]
  /// The guards run besides the properties (``MutationGuard``), by name; empty when none.
  public let guards: [String]
  public let baseline: MutationBaseline
  /// Mutants generated; `results` may hold fewer when the run was interrupted.
  public let generated: Int
  /// One result per mutant checked, in generation order.
  public var results: [MutantResult]
  public let interrupted: Bool
  public let seconds: Double
  /// Where every model started, when not from its initial state (``MutationStart/origin``:
  /// `the state after start.scenario (12 calls)`); `nil`: the initial state.
  public var start: String? = nil

  /// Counts of a set of results.
  public struct Tally: Hashable, Sendable {
    public var killed = 0
    public var survived = 0
    public var unknown = 0
    public var invalid = 0
    public var equivalent = 0
    /// Survivors that reach only the correct model's states (only results differ).
    public var subsumed = 0
    /// Survivors of the properties that a guard kills.
    public var guardsOnly = 0

    /// killed / (killed + survived), or `nil` when neither.
    public var score: Double? { killed + survived > 0 ? Double(killed) / Double(killed + survived) : nil }
    /// killed / (killed + survived − equivalent).
    public var scoreAfterTriage: Double? {
      let d = killed + survived - equivalent
      return d > 0 ? Double(killed) / Double(d) : nil
    }
    /// (killed + killed by guards only) / (killed + survived − equivalent): the score when the
    /// guards count as well.
    public var scoreWithGuards: Double? {
      let d = killed + survived - equivalent
      return d > 0 ? Double(killed + guardsOnly) / Double(d) : nil
    }

    mutating func add(_ r: MutantResult) {
      switch r.verdict {
      case .killed: killed += 1
      case .survived:
        survived += 1
        if r.guardKill != nil { guardsOnly += 1 }
        if case .equivalent? = r.triage { equivalent += 1 }
        if case .provedEquivalent? = r.triage { equivalent += 1 }
        if case .unexercised? = r.triage { equivalent += 1 }
        if case .subsumed? = r.triage { subsumed += 1 }
        if case .observablyEquivalent(_, _, _, _, nil, _)? = r.triage { equivalent += 1 }
      case .unknown: unknown += 1
      case .invalid: invalid += 1
      }
    }
  }

  public var total: Tally {
    var t = Tally()
    results.forEach { t.add($0) }
    return t
  }

  /// Per action, in model order of first appearance.
  public var perAction: [(action: String, tally: Tally)] {
    var order: [String] = []
    var tallies: [String: Tally] = [:]
    for r in results {
      if tallies[r.mutant.action] == nil { order.append(r.mutant.action) }
      tallies[r.mutant.action, default: Tally()].add(r)
    }
    return order.map { ($0, tallies[$0] ?? Tally()) }
  }

  /// Per operator.
  public var perOperator: [(mutationOperator: MutationOperator, tally: Tally)] {
    MutationOperator.allCases.compactMap { op in
      let rs = results.filter { $0.mutant.mutationOperator == op }
      guard !rs.isEmpty else { return nil }
      var t = Tally()
      rs.forEach { t.add($0) }
      return (op, t)
    }
  }

  /// Per property: the mutants it killed (first violated on the killing trace) and its share of
  /// the mutants that count (killed + survived).
  public var perProperty: [(property: String, kills: Int, score: Double?)] {
    let t = total
    let counted = t.killed + t.survived
    return properties.map { p in
      let kills = results.filter { $0.verdict == .killed && $0.property == p }.count
      return (p, kills, counted > 0 ? Double(kills) / Double(counted) : nil)
    }
  }

  /// Survivors, in generation order.
  public var survivors: [MutantResult] { results.filter { $0.verdict == .survived } }
}

// MARK: - Renderings

extension MutationReport {
  static func percent(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }

  var settings: String {
    var s = "engine \(engine.rawValue)"
    s += maxDepth.map { ", depth \($0)" } ?? (engine == .bfs ? ", unbounded depth" : "")
    s += ", budget \(String(format: "%g", budget)) s per mutant, \(workers) workers"
    s += start.map { ", from \($0)" } ?? ""
    return s
  }

  /// A short summary for a terminal.
  public var text: String {
    let t = total
    var lines: [String] = []
    lines.append("mutation analysis of \(model) (\(configuration.description)): \(settings)")
    lines.append(
      "  correct model: \(baseline.distinctStates) states in \(String(format: "%.2f", baseline.seconds)) s\(baseline.complete ? "" : " (bounded)")"
    )
    lines.append(
      "  \(results.count) of \(generated) mutants checked in \(String(format: "%.1f", seconds)) s\(interrupted ? " (interrupted)" : ""): \(t.killed) killed, \(t.survived) survived (\(t.equivalent) equivalent, \(t.subsumed) results only), \(t.unknown) unknown, \(t.invalid) invalid"
    )
    lines.append("  mutation score \(Self.percent(t.score)); after triage \(Self.percent(t.scoreAfterTriage))")
    if !guards.isEmpty { lines.append("  " + guardSummary) }
    for (p, kills, score) in perProperty where kills > 0 {
      lines.append("  \(p): killed \(kills) (\(Self.percent(score)))")
    }
    for r in survivors {
      lines.append("  survived \(r.mutant.id): \(r.mutant.summary)")
      if let kill = r.guardKill {
        lines.append("    killed by \(kill.name) only: \(kill.detail)")
      } else {
        lines.append("    " + Self.triageText(r.triage))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Counts of mutants by which checks catch them, and the score with the guards.
  var guardSummary: String {
    var counts: [MutantResult.Catchment: Int] = [:]
    for r in results { if let c = r.catchment { counts[c, default: 0] += 1 } }
    return "with \(guards.joined(separator: ", ")): \(counts[.propertiesOnly] ?? 0) caught by the properties only, "
      + "\(counts[.both] ?? 0) by both, \(counts[.guardsOnly] ?? 0) by the guards only, \(counts[.neither] ?? 0) by neither; "
      + "score with the guards (after triage) \(Self.percent(total.scoreWithGuards))"
      + "; \(results.filter { !$0.guards.isEmpty && !$0.judged }.count) mutants not judged by the guards (not present at their configuration)"
  }

  static func triageText(_ triage: Triage?) -> String {
    switch triage {
    case nil: return "not triaged"
    case .equivalent(let states, let depth, let modulo)?:
      return
        "equivalent: the exhaustive comparison of \(states) reachable states found the same successors and results for every step"
        + (modulo.isEmpty
          ? "" : ", up to the cells the model declares unobservable (\(modulo.joined(separator: "; ")))")
        + (depth.map { " (traces up to \($0) steps)" } ?? "")
    case .provedEquivalent(let actions, let seconds)?:
      return
        "equivalent at any depth: Z3 answered unsat for a difference in the step relation of \(actions.joined(separator: ", ")) (enabled, result, outputs or successor) in every state of the variables' domains (\(String(format: "%.1f", seconds)) s)"
    case .unexercised(let reason, let states, let depth)?:
      return "equivalent (not run): from the correct model's \(states) reachable states"
        + (depth.map { " (traces up to \($0) steps)" } ?? "")
        + ", \(reason); the mutant changes nothing else, so it takes the same steps and reaches the same states with the same results"
    case .subsumed(let states, let d)?:
      return
        "results only: the mutant's \(states) reachable states are all reachable in the correct model (up to the cells it declares unobservable, if any), so only a property reading those can tell them apart; first difference "
        + differenceText(d)
    case .propertyGap(let escape, let d)?:
      return
        "property gap: in \(escape.steps.count) steps the mutant reaches a state the correct model never reaches, and no property fails there; first difference "
        + differenceText(d)
    case .observablyEquivalent(let pairs, let depth, let hidden, let states, let escape, let slack)?:
      let calls =
        "with the internal actions hidden (\(hidden.joined(separator: ", "))), every call returns the same result (status, failure condition, outputs) in both models in each of the \(pairs) pairs of states they reach"
        + (depth.map { " (runs up to \($0) steps)" } ?? "")
        + " (an internal step taken by both when both can, else by the one that can)"
      guard let escape else {
        return
          "equivalent up to internal steps: \(calls); and the mutant's \(states) reachable states are all reachable in the correct model (up to the cells it declares unobservable, if any)"
          + (slack > 0 ? " within \(slack) step\(slack == 1 ? "" : "s") more than the mutant's bound" : "")
      }
      return
        "property gap, but only in internal steps: \(calls); in \(escape.steps.count) steps the mutant reaches a state the correct model does not reach within the bound"
    case .undetermined(let why)?: return "undetermined: \(why)"
    }
  }

  static func differenceText(_ d: BehaviourComparison.Difference) -> String {
    "after \(d.prefix.steps.count) steps, \(d.action)(\(d.arguments.map { "0x" + String($0, radix: 16) }.joined(separator: ", "))): correct model \(d.reference); mutant \(d.variant)"
  }

  static func stepsText(_ trace: Trace) -> String {
    trace.steps.enumerated().map { i, s in
      "\(i + 1). `\(s.action)(\(s.arguments.map { "0x" + String($0, radix: 16) }.joined(separator: ", ")))` → \(s.result)"
    }.joined(separator: "\n")
  }

  /// The report as Markdown: settings, scores per operator, action and property, every survivor
  /// with its triage and diff, then the killed, unknown and invalid mutants.
  public var markdown: String {
    let t = total
    var md = "# Mutation analysis: \(model), configuration `\(configuration.name)`\n\n"
    md += "Configuration: `\(configuration.description)`. Settings: \(settings).\n"
    md += "Properties: \(properties.map { "`\($0)`" }.joined(separator: ", ")).\n\n"
    md += "The correct model: \(baseline.distinctStates) states in \(String(format: "%.2f", baseline.seconds)) s.\n"
    md +=
      "\(results.count) of \(generated) mutants checked in \(String(format: "%.1f", seconds)) s\(interrupted ? " (interrupted)" : "").\n\n"
    md += "Score: killed / (killed + survived). After triage: survivors shown equivalent left out. "
    md += "Results only: survivors that reach no state the correct model does not (only return values differ), "
    md += "which no state property can catch; the rest of the survivors are property gaps.\n\n"
    md +=
      "| | killed | survived | equivalent | results only | unknown | invalid | score | after triage |\n|---|---|---|---|---|---|---|---|---|\n"
    func row(_ name: String, _ x: Tally) -> String {
      "| \(name) | \(x.killed) | \(x.survived) | \(x.equivalent) | \(x.subsumed) | \(x.unknown) | \(x.invalid) | \(Self.percent(x.score)) | \(Self.percent(x.scoreAfterTriage)) |\n"
    }
    md += row("**all**", t)
    for (op, x) in perOperator { md += row("`\(op.rawValue)`", x) }
    if !guards.isEmpty {
      md += "\nGuards besides the properties: " + guardSummary + ".\n"
    }
    md +=
      "\n## Per action\n\n| action | killed | survived | equivalent | results only | unknown | invalid | score | after triage |\n|---|---|---|---|---|---|---|---|---|\n"
    for (a, x) in perAction { md += row("`\(a)`", x) }
    md +=
      "\n## Per property\n\nA killed mutant counts for the property violated at the end of its killing trace.\n\n| property | kills | share of counted mutants |\n|---|---|---|\n"
    for (p, kills, score) in perProperty { md += "| `\(p)` | \(kills) | \(Self.percent(score)) |\n" }
    // Survivors settled without a comparison (not run, or Z3) are listed compactly: their
    // triage is one sentence and there can be hundreds at a depth bound.
    func compact(_ r: MutantResult) -> Bool {
      switch r.triage {
      case .unexercised?, .provedEquivalent?: return r.guardKill == nil
      default: return false
      }
    }
    let detailed = survivors.filter { !compact($0) }
    md += "\n## Survivors\n\n"
    if detailed.isEmpty { md += "None" + (survivors.isEmpty ? "" : " but the equivalent ones listed below") + ".\n\n" }
    for r in detailed {
      md += "### `\(r.mutant.id)`\n\n\(r.mutant.summary). Survived: \(r.detail).\n\n"
      if let kill = r.guardKill {
        md += "**Killed by \(kill.name) only**: \(kill.detail).\n\n"
      } else {
        md += "**Triage**: \(Self.triageText(r.triage)).\n\n"
      }
      switch r.triage {
      case .subsumed(_, let d)?, .propertyGap(_, let d)?:
        md +=
          "The first behavioural difference (the correct model's steps, then the step the two take differently):\n\n"
          + (d.prefix.steps.isEmpty ? "" : Self.stepsText(d.prefix) + "\n")
          + "\(d.prefix.steps.count + 1). `\(d.action)(\(d.arguments.map { "0x" + String($0, radix: 16) }.joined(separator: ", ")))`: "
          + "correct model \(d.reference); mutant \(d.variant)\n\n"
      default: break
      }
      if case .propertyGap(let escape, _)? = r.triage, !escape.steps.isEmpty {
        md += "The mutant's steps to a state the correct model never reaches:\n\n" + Self.stepsText(escape) + "\n\n"
      }
      md += "```diff\n" + r.mutant.diff.joined(separator: "\n") + "\n```\n\n"
    }
    let settled = survivors.filter(compact)
    if !settled.isEmpty {
      md += "## Survivors shown equivalent without a comparison\n\n"
      md +=
        "Not run: the correct model's steps from its explored states never run what the mutant changes, so the mutant "
      md +=
        "takes the same steps (equivalent within the run's bound). Z3: the changed actions' step relations are equal in "
      md += "every state (equivalent at any depth).\n\n| mutant | what it changes | shown by |\n|---|---|---|\n"
      for r in settled {
        let how: String
        switch r.triage {
        case .unexercised(let reason, _, _)?: how = "not run: " + reason
        case .provedEquivalent(let actions, _)?: how = "Z3 step equivalence (\(actions.joined(separator: ", ")))"
        default: how = ""
        }
        md += "| `\(r.mutant.id)` | \(r.mutant.summary.replacingOccurrences(of: "|", with: "\\|")) | \(how) |\n"
      }
      md += "\n"
    }
    let others = results.filter { $0.verdict == .unknown || $0.verdict == .invalid }
    if !others.isEmpty {
      md += "## Unknown and invalid\n\n| mutant | verdict | why |\n|---|---|---|\n"
      for r in others {
        md +=
          "| `\(r.mutant.id)` | \(r.verdict.rawValue) | \(r.detail.replacingOccurrences(of: "|", with: "\\|").prefix(200)) |\n"
      }
      md += "\n"
    }
    md += "## Killed\n\n| mutant | property | steps | seconds |\n|---|---|---|---|\n"
    for r in results where r.verdict == .killed {
      md +=
        "| `\(r.mutant.id)` | `\(r.property ?? "")` | \(r.trace?.steps.count ?? 0) | \(String(format: "%.2f", r.seconds)) |\n"
    }
    return md
  }

  /// The report as a JSON-compatible value (dictionaries, arrays, strings, numbers, booleans).
  public var jsonObject: [String: Any] {
    let t = total
    func tally(_ x: Tally) -> [String: Any] {
      [
        "killed": x.killed, "survived": x.survived, "equivalent": x.equivalent, "unknown": x.unknown,
        "invalid": x.invalid, "subsumed": x.subsumed, "score": x.score as Any,
        "scoreAfterTriage": x.scoreAfterTriage as Any,
        "guardsOnly": x.guardsOnly, "scoreWithGuards": x.scoreWithGuards as Any,
      ]
    }
    return [
      "model": model, "configuration": configuration.name, "engine": engine.rawValue, "maxDepth": maxDepth as Any,
      "budget": budget, "workers": workers, "properties": properties, "guards": guards, "generated": generated,
      "interrupted": interrupted, "seconds": seconds, "start": start as Any,
      "baseline": ["states": baseline.distinctStates, "seconds": baseline.seconds, "complete": baseline.complete],
      "total": tally(t),
      "perAction": perAction.map { ["action": $0.action, "tally": tally($0.tally)] as [String: Any] },
      "perOperator": perOperator.map {
        ["operator": $0.mutationOperator.rawValue, "tally": tally($0.tally)] as [String: Any]
      },
      "perProperty": perProperty.map {
        ["property": $0.property, "kills": $0.kills, "score": $0.score as Any] as [String: Any]
      },
      "mutants": results.map { r -> [String: Any] in
        var o: [String: Any] = [
          "id": r.mutant.id, "operator": r.mutant.mutationOperator.rawValue, "action": r.mutant.action,
          "position": r.mutant.position, "summary": r.mutant.summary, "verdict": r.verdict.rawValue,
          "seconds": r.seconds, "detail": r.detail,
        ]
        if let p = r.property { o["property"] = p }
        if let trace = r.trace { o["steps"] = trace.steps.count }
        if let path = r.tracePath { o["trace"] = path }
        if let c = r.catchment { o["catchment"] = c.rawValue }
        if !r.guards.isEmpty {
          o["guards"] = r.guards.map { g -> [String: Any] in
            switch g.verdict {
            case .kills(let why): return ["name": g.name, "verdict": "kills", "detail": why]
            case .passes: return ["name": g.name, "verdict": "passes"]
            case .notApplicable(let why): return ["name": g.name, "verdict": "not-applicable", "detail": why]
            }
          }
        }
        switch r.triage {
        case .equivalent(let states, _, let modulo)?:
          o["triage"] = ["kind": "equivalent", "states": states, "moduloUnobservable": modulo]
        case .provedEquivalent(let actions, _)?:
          o["triage"] = ["kind": "equivalent", "shownBy": "z3-step-equivalence", "actions": actions]
        case .unexercised(let reason, let states, _)?:
          o["triage"] =
            ["kind": "equivalent", "shownBy": "unexercised", "reason": reason, "states": states] as [String: Any]
        case .subsumed(let states, let d)?:
          o["triage"] =
            ["kind": "results-only", "states": states, "difference": Self.differenceText(d)] as [String: Any]
        case .propertyGap(let escape, let d)?:
          o["triage"] =
            [
              "kind": "property-gap",
              "escape": escape.steps.map { "\($0.action)(\($0.arguments.map(String.init).joined(separator: ", ")))" },
              "difference": Self.differenceText(d),
            ] as [String: Any]
        case .observablyEquivalent(let pairs, _, let hidden, let states, let escape, let slack)?:
          o["triage"] =
            [
              "kind": escape == nil ? "equivalent" : "property-gap", "shownBy": "observable-results",
              "pairs": pairs, "hidden": hidden, "states": states, "inclusionSlack": slack,
              "escape": escape.map {
                $0.steps.map { "\($0.action)(\($0.arguments.map(String.init).joined(separator: ", ")))" }
              }
                as Any,
            ] as [String: Any]
        case .undetermined(let why)?: o["triage"] = ["kind": "undetermined", "why": why]
        case nil: break
        }
        return o
      },
    ]
  }

  /// The JSON report, pretty-printed with sorted keys.
  public var json: String {
    let data =
      (try? JSONSerialization.data(withJSONObject: jsonObject, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
