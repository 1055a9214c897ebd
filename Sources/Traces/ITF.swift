import Spec

/// Reading and writing traces in the Informal Trace Format (ITF) of Apalache and Quint.
///
/// The format is described in Apalache's ADR-015
/// (https://apalache-mc.org/docs/adr/015adr-trace.html). CCAVerify writes:
/// - `#meta`: format, tool, version, model, configuration, property, outcome, seed;
/// - `vars`: the model's state variables, then `mbt::actionTaken` and `mbt::nondetPicks`
///   (the names Quint uses for the action and its arguments);
/// - `states`: one object per state with `#meta` (`index`, and for every state after the first
///   the `result` of the step that led to it: status code, error name and failure condition).
///
/// Values: booleans as JSON booleans; enumeration cases and addresses of a finite set as their
/// label strings; integers as `{"#bigint": "..."}`; maps as `{"#map": [[key, value], ...]}` with
/// tuple keys `{"#tup": [...]}` for maps of several keys.
///
/// Maps are sparse: each map variable has a default value in `#meta.map-defaults` (the value
/// most of its entries hold in the first state), a `#map` lists only the entries whose value
/// differs from it, and an entry it leaves out holds the default (`#meta.map-entries` says so).
/// A reader needs nothing but the file to fill them in. Every state still gives every variable, so a trace keeps one
/// self-contained state per step, but a state of a large configuration (64 granules' RTT rows of
/// 512 entries) costs what it changed, not the whole schema. Docs/reading-traces.md describes it.
public enum ITF {
  /// The URL of the format description written into `#meta`.
  public static let formatDescription = "https://apalache-mc.org/docs/adr/015adr-trace.html"

  /// What `#meta.map-entries` says about the entries a `#map` leaves out.
  public static let mapEntriesNote =
    "a #map lists the entries whose value differs from the map's default in #meta.map-defaults; the others hold the default"

  /// The ITF document for a trace of a model.
  ///
  /// - Parameters:
  ///   - sparse: false to write every map entry of every state (the full encoding; readers
  ///     accept both).
  public static func document(
    for trace: Trace, model: Model, toolVersion: String, sparse: Bool = true
  ) -> JSONValue {
    let layout = model.layout
    // Per map variable, the value most of its entries hold in the first state (ties: the
    // smallest): entries holding it are left out of every state.
    var defaults: [Int: Value] = [:]
    if sparse, let first = trace.states.first {
      for (v, variable) in model.variables.enumerated() where !variable.keys.isEmpty {
        let offset = model.layout.offsets[v]
        var counts: [Value: Int] = [:]
        for k in 0..<variable.slotCount { counts[first[offset + k], default: 0] += 1 }
        defaults[v] = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
      }
    }
    var meta: [(String, JSONValue)] = [
      ("format", .string("ITF")),
      ("format-description", .string(formatDescription)),
      ("tool", .string("CCAVerify")),
      ("version", .string(toolVersion)),
      ("model", .string(trace.model)),
      ("configuration", configurationJSON(trace.configuration)),
      ("property", trace.property.map(JSONValue.string) ?? .null),
      ("outcome", .string(trace.outcome.rawValue)),
    ]
    if let seed = trace.seed { meta.append(("seed", .object([("#bigint", .string(String(seed)))]))) }
    meta.append(("description", .string("\(trace.steps.count)-step trace of \(trace.model)")))
    if !defaults.isEmpty {
      meta.append(("map-entries", .string(mapEntriesNote)))
      meta.append(
        (
          "map-defaults",
          .object(
            model.variables.enumerated().compactMap { v, variable in
              defaults[v].map { (variable.name, encode($0, variable.value)) }
            })
        ))
    }

    var vars = model.variables.map { JSONValue.string($0.name) }
    vars.append(.string("mbt::actionTaken"))
    vars.append(.string("mbt::nondetPicks"))

    var states: [JSONValue] = []
    for (i, values) in trace.states.enumerated() {
      var stateMeta: [(String, JSONValue)] = [("index", .number(Int64(i)))]
      var actionName = "init"
      var picks: [(String, JSONValue)] = []
      if i > 0 {
        let step = trace.steps[i - 1]
        actionName = step.action
        if let a = model.action(named: step.action) {
          let action = model.actions[a]
          for (p, value) in zip(action.parameters, step.arguments) {
            picks.append((p.name, encode(value, p.domain)))
          }
        }
        var result = resultJSON(step.result)
        if !step.outputs.isEmpty, case .object(var members) = result {
          let names = model.action(named: step.action).map { model.actions[$0].outputs.map(\.name) } ?? []
          members.append(
            (
              "outputs",
              .object(
                step.outputs.enumerated().map { i, v in
                  (i < names.count ? names[i] : "x\(i + 1)", .object([("#bigint", .string(String(v)))]))
                })
            ))
          result = .object(members)
        }
        stateMeta.append(("result", result))
      }
      var members: [(String, JSONValue)] = [("#meta", .object(stateMeta))]
      for (v, variable) in model.variables.enumerated() {
        let offset = layout.offsets[v]
        if variable.keys.isEmpty {
          members.append((variable.name, encode(values[offset], variable.value)))
        } else {
          var entries: [JSONValue] = []
          for k in 0..<variable.slotCount {
            if let d = defaults[v], values[offset + k] == d { continue }
            let keys = layout.keys(of: VariableID(v), position: offset + k)
            let key: JSONValue =
              keys.count == 1
              ? encode(keys[0], variable.keys[0])
              : .object([("#tup", .array(zip(keys, variable.keys).map { encode($0, $1) }))])
            entries.append(.array([key, encode(values[offset + k], variable.value)]))
          }
          members.append((variable.name, .object([("#map", .array(entries))])))
        }
      }
      members.append(("mbt::actionTaken", .string(actionName)))
      members.append(("mbt::nondetPicks", .object(picks)))
      states.append(.object(members))
    }
    return .object([("#meta", .object(meta)), ("vars", .array(vars)), ("states", .array(states))])
  }

  static func configurationJSON(_ c: Configuration) -> JSONValue {
    .object([
      ("name", .string(c.name)),
      ("bounds", .object(c.bounds.sorted { $0.key < $1.key }.map { ($0.key.rawValue, .number(Int64($0.value))) })),
      ("features", .array(c.features.sorted().map { .string($0.rawValue) })),
      ("mutant", c.mutant.map(JSONValue.string) ?? .null),
    ])
  }

  static func resultJSON(_ r: StepResult) -> JSONValue {
    switch r {
    case .success(let code):
      return .object([("status", .string("success")), ("code", .object([("#bigint", .string(String(code)))]))])
    case .failure(let condition, let error, let code):
      return .object([
        ("status", .string(error)), ("condition", .string(condition)),
        ("code", .object([("#bigint", .string(String(code)))])),
      ])
    }
  }

  /// The ITF encoding of a value of a domain.
  public static func encode(_ value: Value, _ domain: Domain) -> JSONValue {
    switch domain {
    case .bool: return .bool(value != 0)
    case .finite(let set):
      if let label = set.label(of: value) { return .string(label) }
      return .object([("#bigint", .string(String(value)))])
    case .range, .index, .word:
      return .object([("#bigint", .string(String(value)))])
    }
  }
}

// MARK: - Reading

/// An error reading an ITF trace: the JSON path of the bad field and what was expected.
public struct ITFError: LocatedError, Equatable, Sendable {
  public let path: String
  public var location: String { path }
  public let message: String
  public init(_ path: String, _ message: String) {
    self.path = path
    self.message = message
  }
  public var description: String { "\(path): \(message)" }
}

extension ITF {
  /// The model name and configuration recorded in a trace's `#meta`.
  ///
  /// The configuration is the one written: missing bounds and features read as none. Use
  /// ``reference(of:)`` to resolve a configuration given by name only.
  ///
  /// - Throws: ``ITFError`` naming the missing or malformed field.
  public static func header(of document: JSONValue) throws -> (model: String, configuration: Configuration) {
    let (model, reference) = try reference(of: document)
    guard let name = reference.name else {
      throw ITFError("$.#meta.configuration", "expected an object with name, bounds, features, mutant")
    }
    return (
      model,
      Configuration(
        name: name, bounds: reference.bounds ?? [:], features: reference.features ?? [], mutant: reference.mutant)
    )
  }

  /// A configuration as a trace names it: what it gives, leaving the rest to the model family.
  public struct ConfigurationReference: Hashable, Sendable {
    /// The configuration's name, or `nil` for the family's default.
    public var name: String?
    /// Bound values, or `nil` for the named configuration's.
    public var bounds: [Configuration.Bound: Int]?
    /// Feature switches, or `nil` for the named configuration's.
    public var features: Set<Configuration.Feature>?
    /// The mutant, or `nil` for none.
    public var mutant: String?

    public init(
      name: String? = nil, bounds: [Configuration.Bound: Int]? = nil, features: Set<Configuration.Feature>? = nil,
      mutant: String? = nil
    ) {
      self.name = name
      self.bounds = bounds
      self.features = features
      self.mutant = mutant
    }

    /// Whether a configuration agrees with everything the reference gives.
    public func matches(_ configuration: Configuration) -> Bool {
      (name == nil || name == configuration.name)
        && (bounds == nil || bounds == configuration.bounds)
        && (features == nil || features == configuration.features)
        && mutant == configuration.mutant
    }
  }

  /// The model name and the configuration reference in a trace's `#meta`.
  ///
  /// `#meta.configuration` may be an object (`name`, `bounds`, `features`, `mutant`, each
  /// optional), a string (a configuration's name), or absent (the family's default); a
  /// hand-written trace need only name what differs from the defaults.
  ///
  /// - Throws: ``ITFError`` naming the missing or malformed field.
  public static func reference(of document: JSONValue) throws -> (model: String, configuration: ConfigurationReference)
  {
    guard case .object = document else { throw ITFError("$", "expected a JSON object") }
    guard let meta = document["#meta"] else { throw ITFError("$.#meta", "missing") }
    guard case .object = meta else { throw ITFError("$.#meta", "expected an object") }
    guard case .string(let model)? = meta["model"] else {
      throw ITFError("$.#meta.model", "expected the model name as a string")
    }
    var reference = ConfigurationReference()
    switch meta["configuration"] {
    case nil, .null?: return (model, reference)
    case .string(let name)?:
      reference.name = name
      return (model, reference)
    case .object?: break
    default:
      throw ITFError(
        "$.#meta.configuration", "expected a configuration name or an object with name, bounds, features, mutant")
    }
    guard let c = meta["configuration"] else { return (model, reference) }
    switch c["name"] {
    case nil, .null?: break
    case .string(let name)?: reference.name = name
    default: throw ITFError("$.#meta.configuration.name", "expected a string")
    }
    if let b = c["bounds"], b != .null {
      guard case .object(let members) = b else { throw ITFError("$.#meta.configuration.bounds", "expected an object") }
      var bounds: [Configuration.Bound: Int] = [:]
      for (key, value) in members {
        let n: UInt64
        switch value {
        case .number(let x) where x >= 0: n = UInt64(x)
        case .object: n = (try? decodeInteger(value, path: "")) ?? .max
        default: n = .max
        }
        guard n < 1 << 20 else {
          throw ITFError("$.#meta.configuration.bounds.\(key)", "expected a small non-negative integer")
        }
        bounds[Configuration.Bound(key)] = Int(n)
      }
      reference.bounds = bounds
    }
    if let f = c["features"], f != .null {
      guard case .array(let items) = f else {
        throw ITFError("$.#meta.configuration.features", "expected an array of strings")
      }
      var features: Set<Configuration.Feature> = []
      for (i, item) in items.enumerated() {
        guard case .string(let s) = item else {
          throw ITFError("$.#meta.configuration.features[\(i)]", "expected a string")
        }
        features.insert(Configuration.Feature(s))
      }
      reference.features = features
    }
    switch c["mutant"] {
    case nil, .null?: reference.mutant = nil
    case .string(let s)?: reference.mutant = s == "none" ? nil : s
    default: throw ITFError("$.#meta.configuration.mutant", "expected a string or null")
    }
    return (model, reference)
  }

  /// Reads a trace of a model from an ITF document.
  ///
  /// Every state must give every model variable; `mbt::actionTaken` and `mbt::nondetPicks` give
  /// each step's action and arguments; a step's `#meta.result` gives what it returned (when it
  /// is missing the trace records success; ``read(_:compiled:)`` computes it instead).
  ///
  /// - Throws: ``ITFError`` naming the JSON path of the first bad field.
  public static func read(_ document: JSONValue, model: Model) throws -> Trace {
    let recorded = try recorded(document, model: model) {
      throw ITFError(
        "$.#meta",
        "a #map leaves out entries and there is no map-defaults: the model's initial state gives them, "
          + "so read this trace with its compiled model (replay, or ITF.read(_:compiled:))")
    }
    var valuesList: [[Value]] = []
    for (i, partial) in recorded.states.enumerated() {
      var values = [Value](repeating: 0, count: model.layout.count)
      for (v, variable) in model.variables.enumerated() {
        let offset = model.layout.offsets[v]
        for k in 0..<variable.slotCount {
          guard let value = partial[offset + k] else {
            throw ITFError("$.states[\(i)].\(variable.name)", "missing")
          }
          values[offset + k] = value
        }
      }
      valuesList.append(values)
    }
    let steps = recorded.steps.map { step in
      TraceStep(
        action: model.actions[step.action].name, arguments: step.arguments,
        result: step.result ?? model.actions[step.action].successResult(outputs: step.outputs ?? []),
        outputs: step.outputs ?? [])
    }
    return Trace(
      model: recorded.model, configuration: recorded.configuration, states: valuesList, steps: steps,
      property: recorded.property, outcome: recorded.outcome, seed: recorded.seed)
  }

  /// Reads a trace of a compiled model from an ITF document, computing what it leaves out.
  ///
  /// This is the reader for hand-written traces. The first state may leave out variables (they
  /// take their initial values); every later state may leave out variables (they take the values
  /// the step computes from the state before it); a step without `#meta.result` gets the result
  /// the model computes, and one without `#meta.result.outputs` the outputs (X1..X4) it
  /// computes. What the document does give is kept as written, so
  /// ``Explore/replay(_:trace:fromTraceStart:)`` still checks it against the model. A step that
  /// is disabled in the state before it keeps that state, and replay reports the divergence.
  ///
  /// The reader takes only what the file says (``recorded(_:model:initialValues:)``); the model
  /// completes it (``TraceCompleting/complete(_:)``).
  ///
  /// - Throws: ``ITFError`` naming the JSON path of the first bad field, or of a state the
  ///   model cannot hold.
  public static func read(_ document: JSONValue, compiled: some TraceCompleting) throws -> Trace {
    let recorded = try recorded(document, model: compiled.model) { compiled.initialValues() }
    do { return try compiled.complete(recorded) } catch let error as TraceCompletionError {
      throw located(error, in: recorded, model: compiled.model)
    }
  }

  /// The JSON path and message of a completion error in a trace read from ITF.
  public static func located(_ error: TraceCompletionError, in recorded: RecordedTrace, model: Model) -> ITFError {
    let i = error.state
    let action = i > 0 && i <= recorded.steps.count ? model.actions[recorded.steps[i - 1].action].name : "the step"
    switch error.kind {
    case .notAState: return ITFError("$.states[\(i)]", "not a state of the model: \(error.message)")
    case .step: return ITFError("$.states[\(i)].mbt::actionTaken", "\(action) raised an error: \(error.message)")
    case .outputs:
      return ITFError("$.states[\(i)].mbt::actionTaken", "the outputs of \(action) raised an error: \(error.message)")
    case .property: return ITFError("$.states[\(i)]", "a property raised an error here: \(error.message)")
    }
  }

  /// Reads what a document gives, and nothing more: the values, results and outputs it states.
  ///
  /// `initialValues` gives the initial state, whose values fill the entries a `#map` leaves out
  /// when the document has no `#meta.map-defaults` (called at most once, and only when one does).
  ///
  /// - Throws: ``ITFError`` naming the JSON path of the first bad field.
  public static func recorded(_ document: JSONValue, model: Model, initialValues: () throws -> [Value]) throws
    -> RecordedTrace
  {
    var initialCache: [Value]?
    func initial() throws -> [Value] {
      if let initialCache { return initialCache }
      let values = try initialValues()
      initialCache = values
      return values
    }
    let (modelName, reference) = try reference(of: document)
    // A configuration given in part (a hand-written trace) is the model's when it agrees with it.
    let configuration =
      reference.matches(model.configuration)
      ? model.configuration
      : Configuration(
        name: reference.name ?? "", bounds: reference.bounds ?? [:], features: reference.features ?? [],
        mutant: reference.mutant)
    let meta = document["#meta"]
    var property: String?
    switch meta?["property"] {
    case nil, .null?: break
    case .string(let p)?:
      guard model.property(named: p) != nil else {
        throw ITFError(
          "$.#meta.property",
          "unknown property '\(p)' of model \(model.name); valid: \(model.properties.map(\.name).joined(separator: ", "))"
        )
      }
      property = p
    default: throw ITFError("$.#meta.property", "expected a property name or null")
    }
    var outcome = Trace.Kind.example
    switch meta?["outcome"] {
    case nil, .null?: break
    case .string(let o)?:
      guard let kind = Trace.Kind(rawValue: o) else {
        throw ITFError(
          "$.#meta.outcome",
          "unknown outcome '\(o)'; expected one of \(Trace.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      outcome = kind
    default: throw ITFError("$.#meta.outcome", "expected a string")
    }
    var seed: UInt64?
    if let s = meta?["seed"], s != .null { seed = try decodeInteger(s, path: "$.#meta.seed") }

    guard case .array(let states)? = document["states"] else {
      throw ITFError("$.states", "expected an array of states")
    }
    guard !states.isEmpty else { throw ITFError("$.states", "expected at least the initial state") }
    let layout = model.layout
    var valuesList: [[Value?]] = []
    var steps: [RecordedTrace.Step] = []
    for (i, state) in states.enumerated() {
      let path = "$.states[\(i)]"
      guard case .object = state else { throw ITFError(path, "expected an object") }
      var values = [Value?](repeating: nil, count: layout.count)
      for (v, variable) in model.variables.enumerated() {
        let vpath = "\(path).\(variable.name)"
        guard let encoded = state[variable.name] else { continue }
        let offset = layout.offsets[v]
        if variable.keys.isEmpty {
          values[offset] = try decode(encoded, variable.value, path: vpath)
        } else {
          guard case .array(let entries)? = encoded["#map"] else {
            throw ITFError(vpath, "expected {\"#map\": [[key, value], ...]}")
          }
          var seen = Set<Int>()
          for (e, entry) in entries.enumerated() {
            let epath = "\(vpath).#map[\(e)]"
            guard case .array(let pair) = entry, pair.count == 2 else {
              throw ITFError(epath, "expected a [key, value] pair")
            }
            var keys: [Value] = []
            if variable.keys.count == 1 {
              keys = [try decode(pair[0], variable.keys[0], path: "\(epath)[0]")]
            } else {
              guard case .array(let parts)? = pair[0]["#tup"], parts.count == variable.keys.count else {
                throw ITFError("\(epath)[0]", "expected {\"#tup\": [...]} with \(variable.keys.count) keys")
              }
              keys = try zip(parts, variable.keys).enumerated().map {
                try decode($0.element.0, $0.element.1, path: "\(epath)[0].#tup[\($0.offset)]")
              }
            }
            guard let position = layout.position(of: VariableID(v), keys: keys) else {
              throw ITFError("\(epath)[0]", "key outside the map's domain")
            }
            guard seen.insert(position).inserted else { throw ITFError("\(epath)[0]", "duplicate key") }
            values[position] = try decode(pair[1], variable.value, path: "\(epath)[1]")
          }
          if seen.count < variable.slotCount {
            // Entries left out hold the map's default (see ``ITF``); without one (a hand-written
            // trace), the model's initial value.
            if let encodedDefault = meta?["map-defaults"]?[variable.name] {
              let d = try decode(encodedDefault, variable.value, path: "$.#meta.map-defaults.\(variable.name)")
              for position in offset..<(offset + variable.slotCount) where !seen.contains(position) {
                values[position] = d
              }
            } else {
              for position in offset..<(offset + variable.slotCount) where !seen.contains(position) {
                values[position] = try initial()[position]
              }
            }
          }
        }
      }
      valuesList.append(values)
      if i > 0 {
        guard case .string(let actionName)? = state["mbt::actionTaken"] else {
          throw ITFError("\(path).mbt::actionTaken", "expected the action name as a string")
        }
        guard let a = model.action(named: actionName) else {
          throw ITFError(
            "\(path).mbt::actionTaken",
            "unknown action '\(actionName)'; valid: \(model.actions.map(\.name).joined(separator: ", "))")
        }
        let action = model.actions[a]
        var arguments: [Value] = []
        let picks = state["mbt::nondetPicks"] ?? .object([])
        guard case .object = picks else {
          throw ITFError("\(path).mbt::nondetPicks", "expected an object of the action's arguments")
        }
        for p in action.parameters {
          let ppath = "\(path).mbt::nondetPicks.\(p.name)"
          guard var encoded = picks[p.name] else { throw ITFError(ppath, "missing argument") }
          // Quint writes each pick as an option: {"tag": "Some", "value": v}.
          if case .string("Some")? = encoded["tag"], let inner = encoded["value"] { encoded = inner }
          arguments.append(try decode(encoded, p.domain, path: ppath))
        }
        let stateMeta = state["#meta"]
        if let stateMeta, stateMeta != .null {
          guard case .object = stateMeta else { throw ITFError("\(path).#meta", "expected an object") }
        }
        var result: StepResult?
        var outputs: [Value]?
        if let json = stateMeta?["result"], json != .null {
          result = try decodeResult(json, action: action, path: "\(path).#meta.result")
          if let recorded = json["outputs"], recorded != .null {
            guard case .object = recorded else {
              throw ITFError("\(path).#meta.result.outputs", "expected an object of the action's outputs")
            }
            outputs = try action.outputs.map { output in
              let opath = "\(path).#meta.result.outputs.\(output.name)"
              guard let v = recorded[output.name] else { throw ITFError(opath, "missing output") }
              return try decodeInteger(v, path: opath)
            }
          }
        }
        steps.append(RecordedTrace.Step(action: a, arguments: arguments, result: result, outputs: outputs))
      }
    }
    return RecordedTrace(
      model: modelName, configuration: configuration, property: property, outcome: outcome, seed: seed,
      states: valuesList, steps: steps)
  }

  static func decodeResult(_ json: JSONValue, action: Action, path: String) throws -> StepResult {
    guard case .string(let status)? = json["status"] else { throw ITFError("\(path).status", "expected a string") }
    let code = try json["code"].map { try decodeInteger($0, path: "\(path).code") }
    if status == "success" { return .success(code: code ?? action.successCode) }
    guard case .string(let condition)? = json["condition"] else {
      throw ITFError("\(path).condition", "expected the failure condition's name")
    }
    guard let failure = action.failures.first(where: { $0.name == condition }) else {
      throw ITFError(
        "\(path).condition",
        "unknown failure condition '\(condition)' of \(action.name); valid: \(action.failures.map(\.name).joined(separator: ", "))"
      )
    }
    return .failure(condition: condition, error: status, code: code ?? failure.code)
  }

  static func decodeInteger(_ json: JSONValue, path: String) throws -> UInt64 {
    switch json {
    case .number(let n) where n >= 0: return UInt64(n)
    case .object:
      guard case .string(let s)? = json["#bigint"], let v = UInt64(s) else {
        throw ITFError(path, "expected {\"#bigint\": \"<unsigned 64-bit integer>\"}")
      }
      return v
    default: throw ITFError(path, "expected a non-negative integer")
    }
  }

  /// Decodes a value of a domain, checking it belongs to the domain.
  static func decode(_ json: JSONValue, _ domain: Domain, path: String) throws -> Value {
    let value: Value
    switch (domain, json) {
    case (.bool, .bool(let b)): value = b ? 1 : 0
    case (.bool, _): throw ITFError(path, "expected true or false")
    case (.finite(let set), .string(let label)):
      guard let i = set.labels.firstIndex(of: label) else {
        throw ITFError(path, "unknown \(set.name) '\(label)'; valid: \(set.labels.joined(separator: ", "))")
      }
      value = set.values[i]
    default: value = try decodeInteger(json, path: path)
    }
    guard domain.contains(value) else { throw ITFError(path, "value \(value) is outside \(domain)") }
    return value
  }
}
