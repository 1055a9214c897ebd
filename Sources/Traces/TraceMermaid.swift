import Spec

/// A Mermaid sequence diagram of a trace: a lane per party (the hypervisor, each realm, the RMM,
/// EL3, the hardware, each device, as the model's actions name them), an arrow per step, and a
/// note with what the step changed.
///
/// ```
/// sequenceDiagram
///   participant hypervisor
///   participant RMM
///   hypervisor->>RMM: 1. RMI_GRANULE_DELEGATE(pe=0, addr=0x80000000)
///   RMM-->>hypervisor: success
///   Note over RMM: granuleState[0]: UNDELEGATED → DELEGATED
/// ```
///
/// Lanes come from ``StepLanes``: any model renders, whatever actors it declares.
public enum TraceMermaid {
  /// Renders a trace as a Mermaid `sequenceDiagram`.
  ///
  /// - Parameter maxChangesPerNote: the most changed variables listed in a step's note (the
  ///   rest are counted).
  public static func render(_ trace: Trace, model: Model, maxChangesPerNote: Int = 4) -> String {
    let lanes = trace.steps.map { StepLanes.of($0, model: model) }
    var seen: [String] = []
    for l in lanes {
      for name in [l.caller, l.actor].compactMap({ $0 }) where !seen.contains(name) { seen.append(name) }
    }
    let ordered = StepLanes.ordered(seen, model: model)
    var ids: [String: String] = [:]
    var out = "sequenceDiagram\n"
    if let property = trace.property {
      out += "  %% \(comment("\(trace.outcome) \(property): \(trace.model) \(trace.configuration)"))\n"
    }
    for (i, lane) in ordered.enumerated() {
      let id = "p\(i)"
      ids[lane] = id
      out += "  participant \(id) as \(text(lane))\n"
    }
    for (i, step) in trace.steps.enumerated() {
      let l = lanes[i]
      guard let actor = ids[l.actor] else { continue }
      let call = text("\(i + 1). \(TraceText.call(step, model: model))")
      if let caller = l.caller.flatMap({ ids[$0] }) {
        out += "  \(caller)->>+\(actor): \(call)\n"
        out += "  \(actor)-->>-\(caller): \(text(step.resultSummary))\n"
      } else {
        let result = step.succeeded && step.result.code == 0 ? "" : " → \(step.resultSummary)"
        out += "  \(actor)->>\(actor): \(call)\(text(result))\n"
      }
      let changes = TraceDiff.changes(trace, model: model, step: i)
      if !changes.isEmpty {
        var lines = changes.prefix(maxChangesPerNote).map { "\($0.name): \($0.before) → \($0.after)" }
        if changes.count > maxChangesPerNote { lines.append("… and \(changes.count - maxChangesPerNote) more") }
        out += "  Note over \(actor): \(lines.map(text).joined(separator: "<br/>"))\n"
      }
    }
    if let property = trace.property, let last = lanes.last.flatMap({ ids[$0.actor] }) {
      out += "  Note over \(last): violates \(text(property))\n"
    }
    return out
  }

  /// Escapes message text: Mermaid reads `;` as a line break and `#…;` as an entity, and
  /// `<`, `>` as markup.
  static func text(_ s: String) -> String {
    var out = ""
    for c in s {
      switch c {
      case "#": out += "#35;"
      case ";": out += "#59;"
      case "<": out += "#lt;"
      case ">": out += "#gt;"
      case "\n": out += " "
      default: out.append(c)
      }
    }
    return out
  }

  static func comment(_ s: String) -> String {
    s.replacingOccurrences(of: "\n", with: " ")
  }
}
