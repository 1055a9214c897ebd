import Explore
import Foundation
import Spec

/// What one call of a scenario did.
public struct StepRecord: Sendable {
  public enum Result: Sendable, Equatable {
    /// The action's guard did not hold: nothing happened (REALM_READ with no REC running).
    case notEnabled
    /// The action returned X0; `condition` is the failure condition that held first, if any.
    case returned(x0: Value, condition: String?, outputs: [Value])
  }

  public let file: String
  public let line: Int
  public let action: String
  /// `RMI_REALM_CREATE(x1=0x80001000, ...)`.
  public let call: String
  public let result: Result
  /// The result rendered (`RMI_ERROR_RTT level 2 (X0=0x204) [rtt_walk]`).
  public let resultText: String
  /// The expected result as written, if the call has one.
  public let expected: String?
  /// What differs from the expectation, one line each (empty when as expected).
  public let mismatches: [String]
  /// The properties this step's successor newly violates.
  public let violations: [String]
  /// Every parameter of the action by name, with its value (registers, structure fields, PE).
  public var arguments: [(name: String, value: Value)] = []
  /// X1, X2, ...: the values of the call's registers, in order (``ScenarioResolver/registers(of:abi:)``).
  public var registers: [Value] = []
  /// The function identifier of the call (the model's ``ABIDescription/functionID(of:)``: the
  /// SMCCC FID of an RMI command or a realm call), else `nil`.
  public var fid: UInt64?
  /// The Non-secure structure fields the call reads: field, address and value.
  public var structureReads: [(field: StructureField, address: Value, value: Value)] = []
  /// The names of the action's outputs, in the order of `outputs` in ``result``.
  public var outputNames: [String] = []
  /// The outputs this call bound to names for later calls (`x1=:aux_count`): name, output and
  /// value.
  public var bound: [(name: String, output: String, value: Value)] = []
  /// The outputs the expectation states, with the expression as written and its value in this run.
  ///
  /// Each `x1=VALUE` (must equal), then each `x1!=VALUE` (must differ). Outputs a call binds
  /// (`x1=:name`) are in ``bound``, not here.
  public var expectedOutputs: [ExpectedOutput] = []

  public var location: String { "\(file):\(line)" }
}

/// One output an expectation states (`x1=:base+0x1000`, `x1!=:rim_a`), for a harness that runs the
/// same calls on a real RMM: an expression over bound names must be evaluated with the values
/// *that RMM* returned when it bound them (a digest's value is the model's own; only the relation
/// between two reads carries over).
public struct ExpectedOutput: Sendable, Hashable {
  /// The output's name (`x1`).
  public let output: String
  /// Whether the output must differ from the value (`!=`) rather than equal it (`=`).
  public let differs: Bool
  /// The expression as written, resolved (``ResolvedValue/text``): `0x1000`, `:rim_a`, `:base+0x1000`.
  public let expression: String
  /// The bound names the expression reads (`rim_a`); empty for a constant.
  public let names: [String]
  /// The expression's value in this run (the model's), or `nil` when it could not be computed.
  public let value: Value?

  public init(output: String, differs: Bool, expression: String, names: [String], value: Value?) {
    self.output = output
    self.differs = differs
    self.expression = expression
    self.names = names
    self.value = value
  }
}

/// The outcome of running one scenario.
public struct ScenarioResult: Sendable {
  public let file: String
  public let configuration: Configuration
  public let steps: [StepRecord]
  /// Properties the initial state violates (a model bug).
  public let initialViolations: [String]
  /// The trace of the steps taken (not-enabled calls are no steps).
  public let trace: Trace

  /// Whether every call returned what was expected and no property was violated.
  public var passed: Bool {
    initialViolations.isEmpty && steps.allSatisfy { $0.mismatches.isEmpty && $0.violations.isEmpty }
  }
}

/// Runs resolved scenarios against their compiled model.
public enum ScenarioRunner {
  /// Runs every call in order from the initial state, comparing each result with its
  /// expectation and checking every property of the model after every step (lemmas are proof
  /// devices, not claims a run checks: left out).
  ///
  /// - Throws: the compiler's or the engine's error when the model itself fails (a bug: exit
  ///   status 3).
  /// - Complexity: O(steps × (step cost + properties)).
  public static func run(_ scenario: ResolvedScenario) throws -> ScenarioResult {
    let compiled = try scenario.model.compiled()
    let model = compiled.model
    let execution = try Execution(
      compiled, checking: model.properties.indices.filter { model.properties[$0].kind != .lemma })
    var violated = Set(execution.violated)
    let initialViolations = execution.violated.map { model.properties[$0].name }
    var records: [StepRecord] = []
    // The values of the names calls bind (`x1=:aux_count`), by slot; nil until bound.
    var bound = [Value?](repeating: nil, count: scenario.bindings.count)
    for step in scenario.steps {
      let action = model.actions[step.action]
      // Arguments that use bound outputs take their values now.
      var arguments = step.arguments
      var unmade: String?
      for (p, value) in step.deferred {
        switch value.evaluate(bound) {
        case .success(let v) where action.parameters[p].domain.contains(v): arguments[p] = v
        case .success(let v):
          unmade =
            "\(action.parameters[p].name) = 0x\(String(v, radix: 16)) is outside its domain (\(action.parameters[p].domain))"
        case .failure(let f): unmade = "\(action.parameters[p].name): \(f.message)"
        }
        if unmade != nil { break }
      }
      var structureReads = step.structureReads
      for (k, p) in step.readParameters.enumerated() { structureReads[k].value = arguments[p] }
      let call = callText(action, arguments)
      if let unmade {
        // A value a call was to bind is missing: the call is not made (nothing happened).
        var record = StepRecord(
          file: scenario.file, line: step.line, action: action.name, call: call, result: .notEnabled,
          resultText: "NOT MADE (\(unmade))", expected: step.expectation?.text,
          mismatches: ["the call was not made: \(unmade)"], violations: [])
        record.arguments = zip(action.parameters, arguments).map { ($0.name, $1) }
        record.structureReads = structureReads
        records.append(record)
        continue
      }
      let ran = try execution.step(step.action, arguments)
      var result: StepRecord.Result
      var resultText: String
      switch ran.status {
      case .disabled:
        result = .notEnabled
        resultText = "NOT_ENABLED (the action's guard does not hold; nothing happened)"
      case .failed(let c):
        // The outputs the action defines on this failure (Output.failures), in the pre-state:
        // the state a failed call leaves.
        result = .returned(x0: ran.result.code, condition: action.failures[c].name, outputs: ran.outputs)
        resultText = scenario.model.describe(ran.result.code, action: action) + " [\(action.failures[c].name)]"
        if !ran.outputs.isEmpty {
          let defined = action.outputIndices(onFailure: c)
          resultText +=
            " "
            + zip(defined, ran.outputs).map { "\(action.outputs[$0].name)=0x\(String($1, radix: 16))" }.joined(
              separator: " ")
        }
      case .succeeded:
        result = .returned(x0: ran.result.code, condition: nil, outputs: ran.outputs)
        resultText = scenario.model.describe(ran.result.code, action: action)
        if !ran.outputs.isEmpty {
          resultText +=
            " "
            + zip(action.outputs, ran.outputs).filter { !$0.0.isStatus }.map { "\($0.name)=0x\(String($1, radix: 16))" }
            .joined(separator: " ")
        }
      }
      var mismatches = compare(result, step.expectation, action: action, model: scenario.model, bound: bound)
      // Valued before this call binds anything, as compare did.
      let stated = expectedOutputs(step.expectation, bound: bound)
      // The outputs the call binds: only those it returned.
      var boundHere: [(name: String, output: String, value: Value)] = []
      for binding in step.expectation?.bindings ?? [] {
        let name = scenario.bindings[binding.slot].name
        guard case .returned(_, _, let outputs) = result,
          let i = outputNames(of: action, result).firstIndex(of: binding.outputName),
          i < outputs.count
        else {
          mismatches.append(
            "\(binding.outputName)=:\(name) binds nothing: the call did not return \(binding.outputName)")
          continue
        }
        bound[binding.slot] = outputs[i]
        boundHere.append((name, binding.outputName, outputs[i]))
      }
      if !step.stateChecks.isEmpty {
        let values = execution.values
        for check in step.stateChecks where values[check.position] != check.expected {
          mismatches.append(
            "line \(check.line): \(check.text): \(check.slotName) is \(check.domain.render(values[check.position])), "
              + "expected \(check.domain.render(check.expected))")
        }
      }
      // A transition property is broken by this step alone: reported for the step, never
      // carried over as a state's violation.
      let broken = ran.violated.filter { compiled.isTransitionProperty($0) }
      let now = Set(ran.violated).subtracting(broken)
      let newViolations =
        now.subtracting(violated).sorted().map { model.properties[$0].name }
        + broken.map { model.properties[$0].name }
      violated = now
      var record = StepRecord(
        file: scenario.file, line: step.line, action: action.name, call: call, result: result,
        resultText: resultText, expected: step.expectation?.text, mismatches: mismatches,
        violations: newViolations)
      record.arguments = zip(action.parameters, arguments).map { ($0.name, $1) }
      record.registers = ScenarioResolver.registers(of: action, abi: model.abi).map { arguments[$0] }
      record.fid = model.abi.functionID(of: action.name)
      record.structureReads = structureReads
      record.bound = boundHere
      record.outputNames = outputNames(of: action, result)
      record.expectedOutputs = stated
      records.append(record)
    }
    let trace = execution.trace(property: nil, outcome: .scenario)
    return ScenarioResult(
      file: scenario.file, configuration: model.configuration, steps: records,
      initialViolations: initialViolations, trace: trace)
  }

  /// The names of the outputs a result carries, in order: every output on success, those the
  /// action defines on the failure condition that held (``Output/failures``) on a failure.
  static func outputNames(of action: Action, _ result: StepRecord.Result) -> [String] {
    guard case .returned(_, let condition, _) = result else { return [] }
    guard let condition, let c = action.failures.firstIndex(where: { $0.name == condition }) else {
      return action.outputs.map(\.name)
    }
    return action.outputIndices(onFailure: c).map { action.outputs[$0].name }
  }

  /// The outputs an expectation states (equalities, then inequalities), with their values given
  /// the names bound before the call.
  static func expectedOutputs(_ expectation: ResolvedExpectation?, bound: [Value?]) -> [ExpectedOutput] {
    guard let expectation else { return [] }
    let stated =
      expectation.outputs.map { (position: $0.index, name: $0.name, value: $0.value, differs: false) }
      + expectation.differing.map { (position: $0.index, name: $0.name, value: $0.value, differs: true) }
    return stated.map {
      ExpectedOutput(
        output: $0.name, differs: $0.differs, expression: $0.value.text, names: $0.value.names,
        value: try? $0.value.evaluate(bound).get())
    }
  }

  /// `ACTION(param=value, ...)` with registers in hex.
  static func callText(_ action: Action, _ arguments: [Value]) -> String {
    action.name + "("
      + zip(action.parameters, arguments).map { p, v in
        if case .word = p.domain { return "\(p.name)=0x\(String(v, radix: 16))" }
        return "\(p.name)=\(p.domain.render(v))"
      }.joined(separator: ", ") + ")"
  }

  /// What differs between a result and its expectation.
  static func compare(
    _ result: StepRecord.Result, _ expectation: ResolvedExpectation?, action: Action, model: ScenarioModel,
    bound: [Value?] = []
  ) -> [String] {
    guard let expectation else {
      // With no expectation the call must at least be enabled: a call that does nothing is
      // never silently skipped.
      return result == .notEnabled
        ? ["\(action.name) is not enabled here (its guard does not hold); nothing happened"] : []
    }
    switch (expectation.status, result) {
    case (.notEnabled, .notEnabled): return []
    case (.notEnabled, .returned(let x0, let c, _)):
      return ["expected NOT_ENABLED, got \(model.describe(x0, action: action))\(c.map { " [\($0)]" } ?? "")"]
    case (.x0, .notEnabled):
      return [
        "expected \(expectation.text), but \(action.name) is not enabled here (its guard does not hold); nothing happened"
      ]
    case (.x0(let expected), .returned(let x0, let condition, let outputs)):
      var out: [String] = []
      let actual = model.describe(x0, action: action) + (condition.map { " [\($0)]" } ?? "")
      if expected != x0 {
        let wanted = model.describe(expected, action: action) + (expectation.condition.map { " [\($0)]" } ?? "")
        out.append("expected \(wanted), got \(actual)")
      } else if let c = expectation.condition, c != condition {
        out.append("expected failure condition \(c), got \(condition ?? "success") (X0 as expected)")
      }
      if expected == x0 {
        let names = outputNames(of: action, result)
        // `x1=VALUE` must equal, `x1!=VALUE` must differ.
        let checks =
          expectation.outputs.map { ($0.name, $0.value, false) }
          + expectation.differing.map { ($0.name, $0.value, true) }
        for (name, expression, differs) in checks {
          let value: Value
          switch expression.evaluate(bound) {
          case .success(let v): value = v
          case .failure(let f):
            out.append("expected \(name): \(f.message)")
            continue
          }
          let relation = differs ? "!=" : "="
          guard let i = names.firstIndex(of: name), i < outputs.count else {
            let returned = names.isEmpty ? "no outputs" : "only " + names.joined(separator: ", ")
            out.append(
              "expected \(name)\(relation)0x\(String(value, radix: 16)), but the call failed\(condition.map { " [\($0)]" } ?? ""), "
                + "on which it returns \(returned)")
            continue
          }
          if differs && outputs[i] == value {
            out.append(
              "expected \(name) to differ from 0x\(String(value, radix: 16)), got \(name)=0x\(String(value, radix: 16))"
            )
          } else if !differs && outputs[i] != value {
            out.append("expected \(name)=0x\(String(value, radix: 16)), got \(name)=0x\(String(outputs[i], radix: 16))")
          }
        }
      }
      return out
    }
  }
}

/// Loads, parses and resolves scenario files.
public enum ScenarioFiles {
  /// Reads, parses and resolves one file; `display` is the name shown in messages.
  ///
  /// - Throws: ``ScenarioError`` (file unreadable, syntax, names).
  /// `required` is the configuration a proof target's start scenario runs at
  /// (``ScenarioResolver/init(_:models:required:)``).
  public static func load(
    path: String, display: String? = nil, models: ScenarioModels, required: Configuration? = nil
  ) throws -> ResolvedScenario {
    let shown = display ?? path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
      let data = FileManager.default.contents(atPath: path)
    else {
      throw ScenarioError(file: shown, line: 0, column: 0, field: "file", message: "cannot read the file")
    }
    return try resolve(text: String(decoding: data, as: UTF8.self), file: shown, models: models, required: required)
  }

  /// Parses and resolves scenario text.
  public static func resolve(
    text: String, file: String, models: ScenarioModels, required: Configuration? = nil
  ) throws -> ResolvedScenario {
    var resolver = ScenarioResolver(try ScenarioParser.parse(text, file: file), models: models, required: required)
    return try resolver.resolve()
  }
}
