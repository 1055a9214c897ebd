import Spec

extension ITF {
  /// A model for rendering a trace whose model is not at hand, inferred from the document's
  /// values: every variable a state gives, every action taken with the arguments it was given, the
  /// results and outputs recorded, and the property named in `#meta`.
  ///
  /// An ITF trace written by CCAVerify carries every value it shows, so it renders the same way
  /// without its model, except that integers print as decimals below 0x10000 and as hex above
  /// (the trace does not say which registers are addresses), and actors (the lanes of a Mermaid
  /// diagram) read as `?`. The inferred model is for rendering only: it has no semantics (no
  /// guards, effects or property formulas) and cannot be replayed.
  ///
  /// - Throws: ``ITFError`` naming the JSON path of the first value that is not an ITF value.
  public static func inferredModel(from document: JSONValue) throws -> Model {
    let (name, reference) = try reference(of: document)
    let configuration = Configuration(
      name: reference.name ?? "", bounds: reference.bounds ?? [:], features: reference.features ?? [],
      mutant: reference.mutant)
    guard case .array(let states)? = document["states"], !states.isEmpty else {
      throw ITFError("$.states", "expected a non-empty array of states")
    }
    // Variables in the order of `vars`, else of the first state.
    var names: [String] = []
    if case .array(let vars)? = document["vars"] {
      for case .string(let v) in vars where !v.hasPrefix("mbt::") { names.append(v) }
    }
    if names.isEmpty, case .object(let members) = states[0] {
      names = members.map(\.0).filter { !$0.hasPrefix("#") && !$0.hasPrefix("mbt::") }
    }
    var variables: [StateVariable] = []
    var initial: [VariableID: (keys: [BoundVariable], value: Expr)] = [:]
    for variable in names {
      var keyColumns: [[JSONValue]] = []
      var values: [JSONValue] = []
      var arity: Int?
      var isMap = false
      for (i, state) in states.enumerated() {
        let path = "$.states[\(i)].\(variable)"
        guard let encoded = state[variable] else {
          throw ITFError(path, "missing (a trace read without its model gives every variable in every state)")
        }
        guard case .array(let entries)? = encoded["#map"] else {
          guard arity == nil || arity == 0 else { throw ITFError(path, "expected a map, as in the first state") }
          arity = 0
          values.append(encoded)
          continue
        }
        isMap = true
        for (e, entry) in entries.enumerated() {
          guard case .array(let pair) = entry, pair.count == 2 else {
            throw ITFError("\(path).#map[\(e)]", "expected a [key, value] pair")
          }
          var keys = [pair[0]]
          if case .array(let parts)? = pair[0]["#tup"] { keys = parts }
          guard arity == nil || arity == keys.count, !keys.isEmpty else {
            throw ITFError("\(path).#map[\(e)][0]", "expected \(arity ?? 1) keys")
          }
          arity = keys.count
          if keyColumns.isEmpty { keyColumns = Array(repeating: [], count: keys.count) }
          for (k, key) in keys.enumerated() { keyColumns[k].append(key) }
          values.append(pair[1])
        }
      }
      // A sparse map whose every entry holds its default in every state (see ``ITF``) names no
      // key: it never changes, so the rendering leaves it out.
      if isMap && keyColumns.isEmpty { continue }
      // The value a sparse map's left-out entries hold (see ``ITF``) is one of its values too.
      if let d = document["#meta"]?["map-defaults"]?[variable] { values.append(d) }
      let keys = try keyColumns.enumerated().map {
        try keyDomain("\(variable)#\($0.offset)", $0.element, path: "$.states[*].\(variable)")
      }
      variables.append(
        StateVariable(
          name: variable, keys: keys, value: try valueDomain(variable, values, path: "$.states[*].\(variable)")))
      initial[VariableID(variables.count - 1)] = (keys.map { BoundVariable($0) }, .literal(0))
    }
    // Actions: parameters in the order first seen, failures and outputs as recorded.
    var actionOrder: [String] = []
    var parameters: [String: [(String, [JSONValue])]] = [:]
    var failures: [String: [FailureCondition]] = [:]
    var outputs: [String: [String]] = [:]
    var successCodes: [String: Value] = [:]
    for (i, state) in states.enumerated().dropFirst() {
      let path = "$.states[\(i)]"
      guard case .string(let action)? = state["mbt::actionTaken"] else {
        throw ITFError("\(path).mbt::actionTaken", "expected the action name as a string")
      }
      if parameters[action] == nil {
        actionOrder.append(action)
        parameters[action] = []
      }
      if case .object(let picks)? = state["mbt::nondetPicks"] {
        for (p, var value) in picks {
          if case .string("Some")? = value["tag"], let inner = value["value"] { value = inner }
          if let j = parameters[action, default: []].firstIndex(where: { $0.0 == p }) {
            parameters[action, default: []][j].1.append(value)
          } else {
            parameters[action, default: []].append((p, [value]))
          }
        }
      }
      guard let result = state["#meta"]?["result"], result != .null else { continue }
      let code = try result["code"].map { try decodeInteger($0, path: "\(path).#meta.result.code") } ?? 0
      if case .string(let status)? = result["status"] {
        if status == "success" {
          successCodes[action] = successCodes[action] ?? code
        } else if case .string(let condition)? = result["condition"],
          !(failures[action] ?? []).contains(where: { $0.name == condition })
        {
          failures[action, default: []].append(
            FailureCondition(name: condition, error: status, code: code, when: false))
        }
      }
      if case .object(let recorded)? = result["outputs"] {
        for (o, _) in recorded where !(outputs[action] ?? []).contains(o) { outputs[action, default: []].append(o) }
      }
    }
    let actions = try actionOrder.map { action in
      Action(
        name: action, caller: Party("?"), doc: "",
        parameters: try parameters[action, default: []].map {
          Parameter($0.0, try valueDomain($0.0, $0.1, path: "$.states[*].mbt::nondetPicks.\($0.0)"))
        },
        guardCondition: true, failures: failures[action] ?? [], effects: [], successCode: successCodes[action] ?? 0,
        outputs: (outputs[action] ?? []).map { Output($0, .literal(0)) })
    }
    var properties: [Property] = []
    if case .string(let property)? = document["#meta"]?["property"] {
      properties.append(Property(name: property, kind: .invariant, doc: "", formula: true))
    }
    return Model(
      name: name, configuration: configuration, variables: variables, initial: initial, actions: actions,
      properties: properties)
  }

  /// The domain of a variable's values: booleans, labels (with any unlabelled integers), or
  /// integers (hex above 0xFFFF).
  static func valueDomain(_ name: String, _ values: [JSONValue], path: String) throws -> Domain {
    if !values.isEmpty, values.allSatisfy({ if case .bool = $0 { return true } else { return false } }) { return .bool }
    var labels: [String] = []
    var integers: [Value] = []
    for value in values {
      if case .string(let label) = value {
        if !labels.contains(label) { labels.append(label) }
      } else {
        integers.append(try decodeInteger(value, path: path))
      }
    }
    let largest = integers.max() ?? 0
    guard !labels.isEmpty else { return largest > 0xFFFF ? .word(bits: 64) : .range(0, max(largest, 1)) }
    // Labels get values above every integer seen, so both render as written.
    let base = largest == .max ? 0 : largest + 1
    return .finite(FiniteSet(name, labels.enumerated().map { ($0.element, base &+ Value($0.offset)) }))
  }

  /// A map key's domain: the keys seen, each rendered as written.
  static func keyDomain(_ name: String, _ keys: [JSONValue], path: String) throws -> Domain {
    var elements: [(String, Value)] = []
    var seen: Set<String> = []
    let domain = try valueDomain(name, keys, path: path)
    if domain == .bool { return .bool }
    for key in keys {
      let value: Value
      switch (domain, key) {
      case (.finite(let set), .string(let label)): value = set.value(label)
      default: value = try decodeInteger(key, path: path)
      }
      let label = domain.render(value)
      if seen.insert(label).inserted { elements.append((label, value)) }
    }
    return .finite(FiniteSet(name, elements.sorted { $0.1 < $1.1 }))
  }
}
