import Spec

/// A call with every name resolved against the model: the action, its full argument tuple and
/// what it is expected to return.
public struct ResolvedStep: Sendable {
  public let line: Int
  public let action: Int
  public let arguments: [Value]
  public let expectation: ResolvedExpectation?
  /// The Non-secure structure fields the call reads, with the address and value of each.
  ///
  /// The address is the pointer register plus the field's offset: this is what a harness writes
  /// to memory before issuing the call.
  public var structureReads: [(field: StructureField, address: Value, value: Value)] = []
  /// The `expect` statements that follow the call, checked in the state after it.
  public var stateChecks: [ResolvedStateCheck] = []
  /// The arguments that use outputs bound by earlier calls (`:aux_count`), by parameter index:
  /// evaluated when the call runs (``arguments`` holds 0 there until then).
  public var deferred: [(parameter: Int, value: ResolvedValue)] = []
  /// The parameter each of ``structureReads`` feeds (its value is that argument's).
  var readParameters: [Int] = []
}

/// A value known when the scenario runs: a constant, or an expression over outputs that earlier
/// calls bound to names (`x1=:aux_count`).
public indirect enum ResolvedValue: Sendable, Hashable {
  case constant(Value)
  /// Binding slot `slot` (``ResolvedScenario/bindings``), written `:name`, bound at line `line`.
  case bound(slot: Int, name: String, line: Int)
  case add(ResolvedValue, ResolvedValue)
  case or(ResolvedValue, ResolvedValue)

  /// The value given the bound outputs so far, or why there is none (a name whose binding call
  /// did not return the output, a sum that overflows).
  public func evaluate(_ bound: [Value?]) -> Result<Value, ScenarioRunFailure> {
    switch self {
    case .constant(let v): return .success(v)
    case .bound(let slot, let name, let line):
      guard let v = bound[slot] else {
        return .failure(
          ScenarioRunFailure(message: "':\(name)' is not bound: the call at line \(line) did not return the output"))
      }
      return .success(v)
    case .add(let a, let b):
      return a.evaluate(bound).flatMap { x in
        b.evaluate(bound).flatMap { y in
          let (s, o) = x.addingReportingOverflow(y)
          return o ? .failure(ScenarioRunFailure(message: "the sum does not fit in 64 bits")) : .success(s)
        }
      }
    case .or(let a, let b): return a.evaluate(bound).flatMap { x in b.evaluate(bound).map { x | $0 } }
    }
  }
}

extension ResolvedValue {
  /// The expression as a harness reads it: numbers in hexadecimal, a bound name as `:name` (the
  /// output an earlier call bound to it), `a+b`, `a|b`.
  public var text: String {
    switch self {
    case .constant(let v): return "0x" + String(v, radix: 16)
    case .bound(_, let name, _): return ":" + name
    case .add(let a, let b): return a.text + "+" + b.text
    case .or(let a, let b): return a.text + "|" + b.text
    }
  }

  /// The bound names the expression reads, in order of appearance (once each).
  public var names: [String] {
    var out: [String] = []
    func walk(_ v: ResolvedValue) {
      switch v {
      case .constant: break
      case .bound(_, let name, _): if !out.contains(name) { out.append(name) }
      case .add(let a, let b), .or(let a, let b):
        walk(a)
        walk(b)
      }
    }
    walk(self)
    return out
  }
}

/// Why a value bound at run time could not be computed.
public struct ScenarioRunFailure: Error, Sendable, Hashable {
  public let message: String
}

/// An output a call binds to a name for later calls (`-> RMI_SUCCESS x1=:aux_count`).
public struct ResolvedBinding: Sendable, Hashable {
  /// The slot in ``ResolvedScenario/bindings``.
  public let slot: Int
  /// The output's position in the action's outputs, and its name.
  public let output: Int
  public let outputName: String
}

/// An `expect` statement resolved: one slot of the state and the value it must hold.
public struct ResolvedStateCheck: Sendable {
  public let line: Int
  /// The statement as written.
  public let text: String
  /// `granuleState[1]`: the slot with its keys rendered.
  public let slotName: String
  /// The slot's flat position in the model's state (``StateLayout``).
  public let position: Int
  public let expected: Value
  /// The variable's value domain, to render values.
  public let domain: Domain
}

/// An expectation with names resolved.
public struct ResolvedExpectation: Sendable {
  public enum Status: Sendable, Equatable {
    case x0(Value)
    case notEnabled
  }
  public let status: Status
  /// The expected status as written (`RMI_ERROR_RTT level 2`).
  public let text: String
  public let condition: String?
  /// (position in the action's outputs, name, expected value: a constant, or an expression over
  /// names earlier calls bound).
  public let outputs: [(index: Int, name: String, value: ResolvedValue)]
  /// The outputs the call binds to names for later calls (`x1=:aux_count`).
  public var bindings: [ResolvedBinding] = []
  /// Outputs that must differ from a value (`x1!=:rim_a`): position, name, the value.
  public var differing: [(index: Int, name: String, value: ResolvedValue)] = []
}

/// A scenario ready to run: its configuration's model and its steps.
public struct ResolvedScenario: Sendable {
  public let file: String
  public let model: ScenarioModel
  public let steps: [ResolvedStep]
  /// The names calls bind outputs to (`:aux_count`), by slot, with the line that binds each.
  public var bindings: [(name: String, line: Int)] = []
}

/// Resolves a parsed scenario against the model of its configuration.
public struct ScenarioResolver {
  let source: ScenarioSource
  let models: ScenarioModels
  /// The configuration the scenario must run at (a proof target's), or `nil` to take it from
  /// the `config` line (default ``ScenarioDefaults/configuration``).
  let required: Configuration?
  private var symbols: [String: Value] = [:]
  /// The host's Non-secure memory: 64-bit words written by `write`, by address (a value may use
  /// bound outputs: known when the call that reads it runs).
  private var memory: [Value: ResolvedValue] = [:]
  /// The names bound to outputs so far (`x1=:aux_count`): slot and where.
  private var bound: [String: (slot: Int, position: SourcePosition)] = [:]
  private var boundNames: [(name: String, line: Int)] = []

  /// - Parameter required: the configuration to run at, for a scenario that sets up a proof
  ///   target's start state: a scenario without a `config` line runs at it; a `config` line must
  ///   name the same configuration with the same bounds (its features come from the name) and
  ///   no other mutant, else resolving fails at that line. The run takes `required`'s mutant.
  public init(_ source: ScenarioSource, models: ScenarioModels, required: Configuration? = nil) {
    self.source = source
    self.models = models
    self.required = required
  }

  func error(_ position: SourcePosition, _ field: String, _ message: String) -> ScenarioError {
    ScenarioError(file: source.file, line: position.line, column: position.column, field: field, message: message)
  }

  /// Resolves every statement.
  ///
  /// - Throws: ``ScenarioError`` at the first unknown name, wrong arity, out-of-domain value or
  ///   unknown configuration.
  public mutating func resolve() throws -> ResolvedScenario {
    let family = models.family
    var configuration: Configuration?
    var configPosition = SourcePosition(line: 1, column: 1)
    for (i, statement) in source.statements.enumerated() {
      guard case .config(let name, let settings, let position) = statement else { continue }
      guard i == 0 else { throw error(position, "config", "the config line must be the file's first statement") }
      guard var c = family.configuration(named: name) else {
        throw error(
          position, "config",
          "unknown configuration '\(name)'; valid: \(family.configurations.map(\.name).joined(separator: ", "))")
      }
      for setting in settings {
        let key = setting.name ?? ""
        if key == "mutant" {
          guard case .name(let mutant, _) = setting.value, family.mutant(named: mutant) != nil else {
            throw error(
              setting.position, "mutant",
              "expected a mutant name; valid: \(family.mutants.map(\.name).joined(separator: ", "))")
          }
          c.mutant = mutant
        } else if family.boundDocs[Configuration.Bound(key)] != nil {
          let v = try evaluate(setting.value, field: key)
          guard v >= 1 && v <= 1024 else {
            throw error(setting.position, key, "expected an integer in 1...1024, found \(v)")
          }
          c.bounds[Configuration.Bound(key)] = Int(v)
        } else {
          throw error(
            setting.position, "config",
            "unknown setting '\(key)'; valid: mutant, \(family.boundDocs.keys.sorted().map(\.rawValue).joined(separator: ", "))"
          )
        }
      }
      configuration = c
      configPosition = position
    }
    if let required {
      if let c = configuration {
        var unmutated = c
        unmutated.mutant = nil
        var target = required
        target.mutant = nil
        guard unmutated == target, c.mutant == nil || c.mutant == required.mutant else {
          throw error(
            configPosition, "config",
            "the proof target runs configuration \(required); this scenario's config line says \(c) (leave the line out to run at the target's configuration)"
          )
        }
      }
      configuration = required
    }
    if configuration == nil {
      // A family without the CCA default runs at its own default (its first configuration).
      guard let c = family.configuration(named: ScenarioDefaults.configuration) ?? family.configurations.first else {
        throw error(
          configPosition, "config", "the default configuration \(ScenarioDefaults.configuration) does not exist")
      }
      configuration = c
    }
    let model: ScenarioModel
    do {
      // `configuration` is set on every path above.
      model = try models.model(for: configuration ?? Configuration(name: "", bounds: [:]))
    } catch {
      throw self.error(configPosition, "config", "the model rejects the configuration: \(error)")
    }
    symbols = model.predefined
    var steps: [ResolvedStep] = []
    for statement in source.statements {
      switch statement {
      case .config:
        continue
      case .bind(let name, let value, let position):
        guard symbols[name] == nil else {
          throw error(position, name, "'\(name)' is already defined; names are bound once")
        }
        symbols[name] = try evaluate(value, field: name)
      case .write(let address, let fieldName, let value, _, let fieldPosition):
        guard let field = model.model.abi.field(named: fieldName) else {
          // A known structure lists its own fields; otherwise every field.
          let structure = fieldName.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
          let own = model.model.abi.fields.filter { $0.structure == structure }
          let valid = (own.isEmpty ? model.model.abi.fields : own).map(\.name)
          throw error(
            fieldPosition, "write",
            "unknown structure field '\(fieldName)'; valid: \(valid.isEmpty ? "(none)" : valid.joined(separator: ", "))"
          )
        }
        guard field.parameter != nil else {
          throw error(
            fieldPosition, fieldName,
            field.output != nil
              ? "the RMM writes this field when the REC exits; expect it on the call instead (\(fieldName)=VALUE)"
              : "the model does not read this field, so it cannot say what an RMM returns for it")
        }
        let base = try evaluate(address, field: "write")
        let v = try runtimeValue(value, field: fieldName)
        if case .constant(let v) = v {
          guard field.bits >= 64 || v < (1 << UInt64(field.bits)) else {
            throw error(value.position, fieldName, "\(hex(v)) does not fit the field's \(field.bits) bits")
          }
        }
        let (at, overflow) = base.addingReportingOverflow(field.offset)
        guard !overflow else {
          throw error(address.position, "write", "address \(hex(base)) + \(hex(field.offset)) overflows")
        }
        memory[at] = v
      case .call(let call):
        steps.append(try resolve(call, model: model))
      case .expect(let e):
        guard !steps.isEmpty else {
          throw error(e.position, "expect", "an expect statement checks the state after a call; put it after one")
        }
        steps[steps.count - 1].stateChecks.append(try resolve(e, model: model.model))
      }
    }
    var resolved = ResolvedScenario(file: source.file, model: model, steps: steps)
    resolved.bindings = boundNames
    return resolved
  }

  func hex(_ v: Value) -> String { "0x" + String(v, radix: 16) }

  /// Evaluates a value expression; `domain` lets a name be one of the domain's labels.
  func evaluate(_ e: ValueExpr, field: String, domain: Domain? = nil) throws -> Value {
    switch e {
    case .number(let n, _): return n
    case .name(let name, let position):
      if let v = symbols[name] { return v }
      if case .finite(let set)? = domain, let i = set.labels.firstIndex(of: name) { return set.values[i] }
      var hint = "define it with 'let \(name) = ...'"
      if case .finite(let set)? = domain { hint += " or use one of \(set.labels.joined(separator: ", "))" }
      throw error(position, field, "unknown name '\(name)'; \(hint)")
    case .add(let a, let b):
      let (s, o) = try evaluate(a, field: field, domain: domain).addingReportingOverflow(
        try evaluate(b, field: field, domain: domain))
      guard !o else { throw error(e.position, field, "the sum does not fit in 64 bits") }
      return s
    case .or(let a, let b):
      return try evaluate(a, field: field, domain: domain) | evaluate(b, field: field, domain: domain)
    case .bound(let name, let position):
      throw error(
        position, field,
        "':\(name)' is an output bound when the scenario runs; it may stand in a call's arguments, a value written "
          + "with 'write' and an expected output, not here")
    }
  }

  /// Evaluates a value that may use outputs bound by earlier calls (`:aux_count`): a constant
  /// when it uses none.
  ///
  /// - Throws: ``ScenarioError`` at a name no earlier call binds.
  func runtimeValue(_ e: ValueExpr, field: String, domain: Domain? = nil) throws -> ResolvedValue {
    guard e.firstBound != nil else { return .constant(try evaluate(e, field: field, domain: domain)) }
    switch e {
    case .number, .name: return .constant(try evaluate(e, field: field, domain: domain))
    case .bound(let name, let position):
      guard let b = bound[name] else {
        throw error(
          position, field,
          "':\(name)' is not bound; bind it with an expected output of an earlier call (-> RMI_SUCCESS x1=:\(name))")
      }
      return .bound(slot: b.slot, name: name, line: b.position.line)
    case .add(let a, let b):
      return .add(try runtimeValue(a, field: field, domain: domain), try runtimeValue(b, field: field, domain: domain))
    case .or(let a, let b):
      return .or(try runtimeValue(a, field: field, domain: domain), try runtimeValue(b, field: field, domain: domain))
    }
  }

  /// The parameters of an action a call gives by position (X1, X2, ...): for an action with register parameters (`x1`
  /// ...
  ///
  /// `x6`, as every RMI command), those; otherwise every parameter but the PE (`ipa` of a realm access, `addr` of
  /// RMI_GRANULE_DELEGATE).
  ///
  /// Any other parameter of a command with registers that no structure field feeds must be
  /// given by name (`name=value`): the model has grown a parameter the field table does not
  /// know yet, and guessing its value would make the oracle's answer a guess.
  static func registers(of action: Action, abi: ABIDescription) -> [Int] {
    // X1 ... X30: RSI calls take more than RMI's six (RSI_ATTESTATION_TOKEN_INIT's challenge is X1 ... X8).
    let isRegister = { (p: Parameter) in
      p.name.first == "x" && Int(p.name.dropFirst()).map { (1...30).contains($0) && !p.name.hasPrefix("x0") } == true
    }
    if action.parameters.contains(where: isRegister) {
      return action.parameters.indices.filter { isRegister(action.parameters[$0]) }
    }
    let fields = Set(abi.structureFields(of: action).map(\.parameter))
    return action.parameters.indices.filter { action.parameters[$0].name != "pe" && !fields.contains($0) }
  }

  mutating func resolve(_ call: Call, model: ScenarioModel) throws -> ResolvedStep {
    let m = model.model
    guard let index = m.action(named: call.action) else {
      throw error(
        call.position, "command",
        "unknown command '\(call.action)' in configuration \(m.configuration.name); valid: config, let, write, \(m.actions.map(\.name).joined(separator: ", "))"
      )
    }
    let action = m.actions[index]
    let registers = Self.registers(of: action, abi: m.abi)
    let registerNames = registers.enumerated().map { "X\($0.offset + 1) = \(action.parameters[$0.element].name)" }
    var values = [Value?](repeating: nil, count: action.parameters.count)
    var deferred: [Int: ResolvedValue] = [:]
    var deferredPositions: [Int: SourcePosition] = [:]
    var positional = 0
    func describeArity() -> String {
      registers.isEmpty
        ? "\(action.name) takes no positional arguments"
        : "\(action.name) takes \(registers.count) (\(registerNames.joined(separator: ", ")))"
    }
    for argument in call.arguments {
      let p: Int
      let field: String
      if let name = argument.name {
        if let i = action.parameters.firstIndex(where: { $0.name == name }) {
          p = i
        } else if name.count == 2, name.first == "X" || name.first == "x", let k = Int(name.dropFirst()), k >= 1,
          k <= registers.count
        {
          p = registers[k - 1]
        } else {
          throw error(
            argument.position, name,
            "unknown argument of \(action.name); valid: \((registerNames + action.parameters.map(\.name)).joined(separator: ", "))"
          )
        }
        field = name
      } else {
        guard positional < registers.count else {
          throw error(argument.position, "X\(positional + 1)", "wrong arity: \(describeArity()), found more")
        }
        p = registers[positional]
        field = "X\(positional + 1)"
        positional += 1
      }
      guard values[p] == nil else {
        throw error(argument.position, field, "\(action.parameters[p].name) is given twice")
      }
      if argument.value.firstBound != nil {
        deferredPositions[p] = argument.value.position
        deferred[p] = try runtimeValue(argument.value, field: field, domain: action.parameters[p].domain)
        values[p] = 0
      } else {
        values[p] = try argumentValue(argument.value, action: action, parameter: p, field: field)
      }
    }
    if let pe = call.pe {
      guard let p = action.parameters.firstIndex(where: { $0.name == "pe" }) else {
        throw error(pe.position, "pe", "\(action.name) runs on no particular PE; remove 'on pe'")
      }
      guard values[p] == nil else { throw error(pe.position, "pe", "the PE is given twice") }
      values[p] = try argumentValue(pe, action: action, parameter: p, field: "pe")
    }
    for (k, p) in registers.enumerated() where values[p] == nil {
      throw error(
        SourcePosition(line: call.position.line, column: call.position.column), "X\(k + 1)",
        "wrong arity: \(describeArity()), found \(positional); X\(k + 1) (\(action.parameters[p].name)) is missing")
    }
    // Structure fields: read from the host's memory at the pointer register's address.
    var reads: [(field: StructureField, address: Value, value: Value)] = []
    var readParameters: [Int] = []
    for (p, field, register) in m.abi.structureFields(of: action) {
      if deferred[register] != nil {
        throw error(
          deferredPositions[register] ?? call.position, field.name,
          "the pointer register of \(field.name) uses a bound output; the structure's address must be known before the scenario runs"
        )
      }
      let address = (values[register] ?? 0) &+ field.offset
      if values[p] == nil {
        switch memory[address] ?? .constant(field.unwritten) {
        case .constant(let v): values[p] = v
        case let v:
          deferred[p] = v
          values[p] = 0
        }
      }
      reads.append((field, address, values[p] ?? field.unwritten))
      readParameters.append(p)
    }
    // The PE defaults to 0.
    for p in action.parameters.indices where values[p] == nil {
      guard action.parameters[p].name == "pe" else {
        throw error(
          call.position, action.parameters[p].name,
          "\(action.name) needs \(action.parameters[p].name)=VALUE (no structure field of the model's ABI feeds it)")
      }
      values[p] = 0
    }
    let arguments = values.map { $0 ?? 0 }
    var expectation: ResolvedExpectation?
    if let e = call.expectation { expectation = try resolve(e, action: action, model: model) }
    var step = ResolvedStep(line: call.position.line, action: index, arguments: arguments, expectation: expectation)
    step.structureReads = reads
    step.readParameters = readParameters
    step.deferred = deferred.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    return step
  }

  func argumentValue(_ e: ValueExpr, action: Action, parameter p: Int, field: String) throws -> Value {
    let parameter = action.parameters[p]
    let v = try evaluate(e, field: field, domain: parameter.domain)
    guard parameter.domain.contains(v) else {
      var message = "\(hex(v)) is outside the domain of \(parameter.name) in this configuration (\(parameter.domain)"
      if let elements = parameter.domain.elements, elements.count <= 16 {
        message += ": " + elements.map { parameter.domain.render($0) }.joined(separator: ", ")
      }
      message += "); a bigger bound in the config line may include it"
      throw error(e.position, field, message)
    }
    return v
  }

  mutating func resolve(_ e: Expectation, action: Action, model: ScenarioModel) throws -> ResolvedExpectation {
    let status: ResolvedExpectation.Status
    var text: String
    switch e.status {
    case .notEnabled:
      status = .notEnabled
      text = "NOT_ENABLED"
    case .value(let v):
      let x0 = try evaluate(v, field: "X0")
      status = .x0(x0)
      text = model.describe(x0, action: action)
    case .named(let name, let indexExpr):
      let code: Value
      if model.successNames(of: action).contains(name) {
        code = action.successCode
      } else if let c = action.failures.first(where: { $0.error == name })?.code ?? model.statusCodes[name] {
        code = c
      } else {
        let valid = model.successNames(of: action) + Array(Set(action.failures.map(\.error))).sorted() + ["NOT_ENABLED"]
        throw error(
          e.position, "expected result",
          "unknown status '\(name)' for \(action.name); valid: \(valid.joined(separator: ", "))")
      }
      var index: Value = 0
      if let indexExpr {
        index = try evaluate(indexExpr, field: "index")
        guard index < 256 else { throw error(indexExpr.position, "index", "the index is 8 bits; found \(index)") }
      }
      status = .x0(code | index << 8)
      text = name + (indexExpr == nil ? "" : " \(model.model.abi.indexMeaning(of: name) ?? "index") \(index)")
    }
    if let condition = e.condition, !action.failures.contains(where: { $0.name == condition }) {
      // A mutant may drop a condition the specification has (rtt-destroy-ignores-live has no
      // rtt_live): a scenario written against the specification names it, and running it on the
      // mutant reports the mismatch instead of rejecting the file.
      var specification = model.model.configuration
      specification.mutant = nil
      let unmutated =
        specification.mutant != model.model.configuration.mutant
        ? (try? models.model(for: specification))?.model.actions.first { $0.name == action.name } : nil
      guard let unmutated, unmutated.failures.contains(where: { $0.name == condition }) else {
        throw error(
          e.position, "condition",
          "\(action.name) has no failure condition '\(condition)'; it has \(action.failures.map(\.name).joined(separator: ", "))"
        )
      }
    }
    var outputs: [(Int, String, ResolvedValue)] = []
    var bindings: [ResolvedBinding] = []
    var differing: [(Int, String, ResolvedValue)] = []
    for o in e.outputs {
      var name = o.name ?? ""
      // A RecRun.exit field names the output that fills it.
      if let output = model.model.abi.field(named: name)?.output { name = output }
      guard let i = action.outputs.firstIndex(where: { $0.name == name || $0.name == name.lowercased() }) else {
        let valid = action.outputs.map(\.name)
        throw error(
          o.position, name,
          valid.isEmpty
            ? "\(action.name) has no outputs"
            : "unknown output of \(action.name); valid: \(valid.joined(separator: ", "))")
      }
      if o.differs {
        // `x1!=VALUE`: compared, never bound (`x1!=:rim_a` uses the name).
        differing.append((i, action.outputs[i].name, try runtimeValue(o.value, field: name)))
        continue
      }
      if case .bound(let boundName, let position) = o.value {
        // `x1=:name`: the call binds the output to the name for later calls.
        if let earlier = bound[boundName] {
          throw error(
            position, name,
            "':\(boundName)' is already bound at line \(earlier.position.line), column \(earlier.position.column); a name is bound once"
          )
        }
        bound[boundName] = (boundNames.count, position)
        bindings.append(ResolvedBinding(slot: boundNames.count, output: i, outputName: action.outputs[i].name))
        boundNames.append((boundName, position.line))
        continue
      }
      outputs.append((i, action.outputs[i].name, try runtimeValue(o.value, field: name)))
    }
    if let c = e.condition { text += " (\(c))" }
    var resolved = ResolvedExpectation(status: status, text: text, condition: e.condition, outputs: outputs)
    resolved.bindings = bindings
    resolved.differing = differing
    return resolved
  }
}
