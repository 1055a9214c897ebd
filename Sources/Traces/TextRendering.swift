import Spec

/// Readable renderings of traces: the initial state, then each step with only what changed.
public enum TraceText {
  /// Renders a trace as plain text.
  ///
  /// ```
  /// Step 3: RMI_GRANULE_DELEGATE(pe=0, addr=0x80000000) -> success
  ///   rmmState[0]: UNDELEGATED -> DELEGATED
  /// ```
  public static func render(_ trace: Trace, model: Model) -> String {
    let layout = model.layout
    var out = "Trace of \(trace.model) (\(trace.configuration))\n"
    if let property = trace.property { out += "Outcome: \(trace.outcome) \(property)\n" }
    if let seed = trace.seed { out += "Seed: \(seed)\n" }
    out += "Steps: \(trace.steps.count)\n\nInitial state:\n"
    for position in 0..<layout.count {
      out += "  \(layout.name(at: position)) = \(render(trace.states[0][position], at: position, layout))\n"
    }
    for (i, step) in trace.steps.enumerated() {
      out += "\nStep \(i + 1): \(describe(step, model: model))\n"
      let before = trace.states[i]
      let after = trace.states[i + 1]
      var changed = false
      for position in 0..<layout.count where before[position] != after[position] {
        changed = true
        out +=
          "  \(layout.name(at: position)): \(render(before[position], at: position, layout)) -> \(render(after[position], at: position, layout))\n"
      }
      if !changed { out += "  (no change)\n" }
    }
    if let property = trace.property {
      let doc = model.property(named: property)?.doc ?? ""
      out += "\nThe last state violates \(property)\(doc.isEmpty ? "" : ": \(doc)")\n"
    }
    return out
  }

  /// One step as `ACTION(param=value, ...) -> result`.
  public static func describe(_ step: TraceStep, model: Model) -> String {
    let call = call(step, model: model)
    switch step.result {
    case .success(let code): return call + " -> success" + (code == 0 ? "" : " (\(code))") + outputs(step, model: model)
    case .failure(let condition, let error, let code): return call + " -> \(error) [\(condition)] (X0=\(code))"
    }
  }

  /// A step's outputs as ` [X1=0x1000, X2=0x3]`, or the empty string when it has none.
  static func outputs(_ step: TraceStep, model: Model) -> String {
    guard !step.outputs.isEmpty else { return "" }
    let names = model.action(named: step.action).map { model.actions[$0].outputs.map(\.name) } ?? []
    let items = step.outputs.enumerated().map { i, v in
      "\(i < names.count ? names[i] : "x\(i + 1)")=0x\(String(v, radix: 16))"
    }
    return " [" + items.joined(separator: ", ") + "]"
  }

  /// One step's call as `ACTION(param=value, ...)`, arguments rendered in their domains.
  public static func call(_ step: TraceStep, model: Model) -> String {
    var call = step.action
    if let a = model.action(named: step.action) {
      let action = model.actions[a]
      call +=
        "("
        + zip(action.parameters, step.arguments).map { "\($0.name)=\($0.domain.render($1))" }.joined(separator: ", ")
        + ")"
    } else {
      call += "(" + step.arguments.map { String($0) }.joined(separator: ", ") + ")"
    }
    return call
  }

  static func render(_ value: Value, at position: Int, _ layout: StateLayout) -> String {
    layout.variables[layout.variable(at: position).index].value.render(value)
  }
}
