import Spec

/// One state slot whose value a step changed, named and rendered in the model's terms.
public struct SlotChange: Hashable, Sendable {
  /// The slot's position in the model's ``StateLayout``.
  public let position: Int
  /// The slot's name: `granuleState[0]`, `cacheLine[1][NS]`, `gptLock`.
  public let name: String
  /// The value before the step, rendered (`UNDELEGATED`).
  public let before: String
  /// The value after the step, rendered (`DELEGATED`).
  public let after: String
}

/// The differences between consecutive states of a trace, shared by every rendering.
public enum TraceDiff {
  /// The slots whose values differ between `trace.states[step]` and `trace.states[step + 1]`,
  /// in layout order.
  ///
  /// - Precondition: `step` is an index of `trace.steps` and the trace's states fit the model's
  ///   layout.
  public static func changes(_ trace: Trace, model: Model, step: Int) -> [SlotChange] {
    changes(from: trace.states[step], to: trace.states[step + 1], layout: model.layout)
  }

  /// The slots whose values differ between two states of a layout, in layout order.
  public static func changes(from before: [Value], to after: [Value], layout: StateLayout) -> [SlotChange] {
    var result: [SlotChange] = []
    for position in 0..<min(layout.count, before.count, after.count) where before[position] != after[position] {
      result.append(
        SlotChange(
          position: position, name: layout.name(at: position),
          before: render(before[position], at: position, layout), after: render(after[position], at: position, layout)))
    }
    return result
  }

  /// The rendering of the value in a slot: an enumeration label, `true`/`false`, a number, or a
  /// word in hex.
  public static func render(_ value: Value, at position: Int, _ layout: StateLayout) -> String {
    layout.variables[layout.variable(at: position).index].value.render(value)
  }
}

// MARK: - Index tables

/// A table of the state by the elements of one index sort: one row per element (one per
/// granule for the `Granule` sort), one column per map slot keyed by that element.
///
/// Derived from the model's variables alone, so it works for any model: every map variable with
/// the sort among its keys contributes one column per combination of its other keys
/// (`granuleState`; `cacheLine[NS]`, `cacheLine[Realm]`; `gptTLB[PE 0]`, `gptTLB[PE 1]`).
public struct IndexTable: Hashable, Sendable {
  /// One column: a name and, for each row, the slot it shows.
  public struct Column: Hashable, Sendable {
    /// The variable and its other keys: `cacheLine[NS]`.
    public let name: String
    /// The variable's name.
    public let variable: String
    /// The slot position of each row's cell.
    public let positions: [Int]
  }

  /// The index sort whose elements are the rows.
  public let sort: IndexSort
  /// The columns: variables whose first key is the sort, then the others, each group in
  /// declaration order.
  public let columns: [Column]

  /// The tables of a model: one per index sort that keys a map variable, the `primary` sort's
  /// (by default the model's ``ABIDescription/primarySort``) first, then the others in order of
  /// first use.
  public static func tables(of model: Model, primary: String? = nil) -> [IndexTable] {
    let primary = primary ?? model.abi.primarySort
    var sorts: [IndexSort] = []
    for variable in model.variables {
      for key in variable.keys {
        if case .index(let sort) = key, !sorts.contains(sort) { sorts.append(sort) }
      }
    }
    sorts.sort { ($0.name == primary ? 0 : 1) < ($1.name == primary ? 0 : 1) }
    return sorts.compactMap { table(of: model, sort: $0) }
  }

  /// The table of one index sort, or `nil` when no map variable is keyed by it.
  public static func table(of model: Model, sort: IndexSort) -> IndexTable? {
    let layout = model.layout
    var columns: [Column] = []
    // Variables keyed first by the sort (the granule's own state) before those keyed by it
    // later (per-PE caches of a granule), each group in declaration order.
    let keyed = model.variables.indices.filter { model.variables[$0].keys.contains(.index(sort)) }
    let order =
      keyed.filter { model.variables[$0].keys.first == .index(sort) }
      + keyed.filter { model.variables[$0].keys.first != .index(sort) }
    for v in order {
      let variable = model.variables[v]
      guard let k = variable.keys.firstIndex(of: .index(sort)) else { continue }
      // Every combination of the other keys, row-major.
      var combinations: [[Value]] = [[]]
      for (i, key) in variable.keys.enumerated() where i != k {
        let elements = key.elements ?? []
        combinations = combinations.flatMap { prefix in elements.map { prefix + [$0] } }
      }
      for others in combinations {
        var label = variable.name
        var j = 0
        for (i, key) in variable.keys.enumerated() where i != k {
          if case .index(let s) = key {
            label += "[\(s.name) \(others[j])]"
          } else {
            label += "[\(key.render(others[j]))]"
          }
          j += 1
        }
        var positions: [Int] = []
        for row in 0..<sort.count {
          var keys = others
          keys.insert(Value(row), at: k)
          guard let position = layout.position(of: VariableID(v), keys: keys) else { continue }
          positions.append(position)
        }
        if positions.count == sort.count {
          columns.append(Column(name: label, variable: variable.name, positions: positions))
        }
      }
    }
    return columns.isEmpty ? nil : IndexTable(sort: sort, columns: columns)
  }
}

// MARK: - Lanes

/// Who takes part in a step, for sequence diagrams: the lane of the action's actor and, for a
/// call from another party, the caller's lane.
public struct StepLanes: Hashable, Sendable {
  /// The lane of the party that performs the step (`RMM`, `EL3`, `realm 0`, `hardware`).
  public let actor: String
  /// The lane of the party that called it (`hypervisor` for an RMI command), or `nil` when the
  /// actor acts on its own.
  public let caller: String?

  public init(actor: String, caller: String?) {
    self.actor = actor
    self.caller = caller
  }

  /// The lanes of a step of a model.
  ///
  /// The actor's lane is the action's ``Action/caller``, split per instance when the action has
  /// a parameter that names the party (a parameter `realm`, or one whose index sort is `Realm`,
  /// gives `realm 0`, `realm 1`; likewise `device`). When the model's ``ABIDescription`` puts the
  /// action in an interface, the interface's caller calls it (its instance when a parameter
  /// names it) and, for an action its caller performs, the interface's handler is the actor: an
  /// RMI command the hypervisor issues is drawn as an arrow from the hypervisor to the RMM. A
  /// caller equal to the actor is dropped.
  public static func of(_ step: TraceStep, model: Model) -> StepLanes {
    guard let a = model.action(named: step.action) else { return StepLanes(actor: "?", caller: nil) }
    let action = model.actions[a]
    var actor = instanceLane(action.caller.name, action: action, arguments: step.arguments)
    var caller: String?
    if let interface = model.abi.interface(of: action.name) {
      caller = instanceLane(interface.caller.name, action: action, arguments: step.arguments)
      if action.caller == interface.caller { actor = interface.handler.name }
    }
    if caller == actor { caller = nil }
    return StepLanes(actor: actor, caller: caller)
  }

  static func instanceLane(_ name: String, action: Action, arguments: [Value]) -> String {
    let lowered = name.lowercased()
    for (p, argument) in zip(action.parameters, arguments) {
      if p.name.lowercased() == lowered {
        return "\(name) \(p.domain.render(argument))"
      }
      if case .index(let sort) = p.domain, sort.name.lowercased() == lowered {
        return "\(name) \(argument)"
      }
    }
    return name
  }

  /// Orders lanes by the model's parties (``Model/parties``: the order its ``ABIDescription``
  /// declares, then the other callers; instances with their party), ties by appearance.
  static func ordered(_ lanes: [String], model: Model) -> [String] {
    let parties = model.parties.map(\.name)
    func rank(_ lane: String) -> Int {
      if let i = parties.firstIndex(of: lane) { return i }
      let base = lane.split(separator: " ").first.map(String.init) ?? lane
      return parties.firstIndex(of: base) ?? parties.count
    }
    return lanes.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
  }
}

// MARK: - Results

extension TraceStep {
  /// The step's result in a few words: `success`, `success (0x28)`, `RMI_ERROR_INPUT [gran_align]`.
  public var resultSummary: String {
    switch result {
    case .success(let code):
      let outputs =
        self.outputs.isEmpty
        ? "" : " [" + self.outputs.map { "0x" + String($0, radix: 16) }.joined(separator: ", ") + "]"
      return (code == 0 ? "success" : "success (\(code))") + outputs
    case .failure(let condition, let error, _): return "\(error) [\(condition)]"
    }
  }

  /// Whether no failure condition held.
  public var succeeded: Bool {
    if case .success = result { return true }
    return false
  }
}
