import Spec

/// A Markdown rendering of a trace: a summary table, the initial state (folded), then each
/// step with a table of only the variables it changed.
///
/// ```markdown
/// ### Step 2: `RMI_GRANULE_DELEGATE(pe=0, addr=0x80000000)` → success
///
/// | variable | before | after |
/// |---|---|---|
/// | `granuleState[0]` | UNDELEGATED | **DELEGATED** |
/// ```
public enum TraceMarkdown {
  /// Renders a trace as GitHub-flavoured Markdown.
  public static func render(_ trace: Trace, model: Model) -> String {
    let layout = model.layout
    var out = "# \(trace.property.map { "Counterexample: \($0)" } ?? "Trace of \(trace.model)")\n\n"
    out += "| | |\n|---|---|\n"
    out += "| model | \(cell(trace.model)) |\n"
    out += "| configuration | \(cell(trace.configuration.description)) |\n"
    out += "| outcome | \(cell(trace.outcome.rawValue + (trace.property.map { " \($0)" } ?? ""))) |\n"
    if let seed = trace.seed { out += "| seed | \(seed) |\n" }
    out += "| steps | \(trace.steps.count) |\n\n"

    out += "## Initial state\n\n<details><summary>\(layout.count) values</summary>\n\n"
    out += "| variable | value |\n|---|---|\n"
    for position in 0..<layout.count {
      out +=
        "| `\(code(layout.name(at: position)))` | \(cell(TraceDiff.render(trace.states[0][position], at: position, layout))) |\n"
    }
    out += "\n</details>\n"

    for (i, step) in trace.steps.enumerated() {
      let lanes = StepLanes.of(step, model: model)
      out += "\n### Step \(i + 1): `\(code(TraceText.call(step, model: model)))` → \(cell(step.resultSummary))\n\n"
      out += "*\(cell(lanes.caller.map { "\($0) → \(lanes.actor)" } ?? lanes.actor))*\n\n"
      let changes = TraceDiff.changes(trace, model: model, step: i)
      if changes.isEmpty {
        out += "No change.\n"
        continue
      }
      out += "| variable | before | after |\n|---|---|---|\n"
      for change in changes {
        out += "| `\(code(change.name))` | \(cell(change.before)) | **\(cell(change.after))** |\n"
      }
    }
    if let property = trace.property {
      let doc = model.property(named: property)?.doc ?? ""
      out += "\n## Violation\n\nThe last state violates **\(cell(property))**"
      out += doc.isEmpty ? ".\n" : ": \(cell(doc))\n"
    }
    return out
  }

  /// Escapes text for a table cell: pipes, and characters Markdown would read as markup
  /// (underscores inside words are not emphasis in GitHub-flavoured Markdown).
  public static func cell(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "|": out += "\\|"
      case "*", "`", "<", "\\": out += "\\\(c)"
      case "\n": out += " "
      default: out.append(c)
      }
    }
    return out
  }

  /// Escapes text inside a code span in a table: pipes only (backticks never occur in names).
  static func code(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "'")
  }
}
