import Spec
import Traces

/// Renders scenario results for the terminal and as JSON.
public enum ScenarioReport {
  /// Every call with its result, then each mismatch and violation with `file:line`, then a
  /// summary line.
  public static func text(_ results: [ScenarioResult]) -> String {
    var out = ""
    for result in results {
      out += "\(result.file) (\(result.configuration))\n"
      for p in result.initialViolations { out += "  VIOLATION: the initial state violates \(p)\n" }
      for step in result.steps {
        out += "  \(step.line): \(step.call) -> \(step.resultText)\n"
        for m in step.mismatches { out += "  \(step.location): MISMATCH: \(m)\n" }
        for p in step.violations { out += "  \(step.location): VIOLATION: the state after this call violates \(p)\n" }
      }
      out += "  \(result.passed ? "PASS" : "FAIL"): \(result.steps.count) calls\n"
    }
    out += summary(results) + "\n"
    return out
  }

  /// `3 scenarios, 120 calls: all as expected` or the counts of failures.
  public static func summary(_ results: [ScenarioResult]) -> String {
    let calls = results.reduce(0) { $0 + $1.steps.count }
    let mismatches = results.reduce(0) { $0 + $1.steps.reduce(0) { $0 + $1.mismatches.count } }
    let violations = results.reduce(0) {
      $0 + $1.initialViolations.count + $1.steps.reduce(0) { $0 + $1.violations.count }
    }
    let failed = results.filter { !$0.passed }.count
    let head = "\(results.count) scenario\(results.count == 1 ? "" : "s"), \(calls) calls: "
    if failed == 0 { return head + "all as expected" }
    return head + "\(failed) failed (\(mismatches) mismatches, \(violations) property violations)"
  }

  /// One JSON object: per scenario its calls (line, call, FID, X1..
  ///
  /// registers, every argument by name, the Non-secure structure fields read with address, width and value, X0 status
  /// and index, condition, outputs and their names, expected, mismatches, violations) and whether it passed: what a
  /// harness driving a real RMM needs (Docs/testing-an-rmm.md).
  public static func json(_ results: [ScenarioResult]) -> JSONValue {
    .object([
      ("outcome", .string(results.allSatisfy(\.passed) ? "pass" : "fail")),
      ("summary", .string(summary(results))),
      (
        "scenarios",
        .array(
          results.map { r in
            .object([
              ("file", .string(r.file)),
              ("configuration", .string(r.configuration.description)),
              ("passed", .bool(r.passed)),
              ("initialViolations", .array(r.initialViolations.map(JSONValue.string))),
              ("calls", .array(r.steps.map(stepJSON))),
            ])
          })
      ),
    ])
  }

  static func stepJSON(_ s: StepRecord) -> JSONValue {
    let hex = { (v: Value) in JSONValue.string("0x" + String(v, radix: 16)) }
    var members: [(String, JSONValue)] = [
      ("line", .number(Int64(s.line))), ("action", .string(s.action)), ("call", .string(s.call)),
      ("fid", s.fid.map(hex) ?? .null),
      ("registers", .array(s.registers.map(hex))),
      ("arguments", .object(s.arguments.map { ($0.name, hex($0.value)) })),
      (
        "structures",
        .array(
          s.structureReads.map {
            .object([
              ("field", .string($0.field.name)), ("address", hex($0.address)),
              ("bits", .number(Int64($0.field.bits))), ("value", hex($0.value)),
            ])
          })
      ),
      ("outputNames", .array(s.outputNames.map(JSONValue.string))),
      (
        "bound",
        .object(s.bound.map { ($0.name, .object([("output", .string($0.output)), ("value", hex($0.value))])) })
      ),
    ]
    switch s.result {
    case .notEnabled:
      members.append(("enabled", .bool(false)))
    case .returned(let x0, let condition, let outputs):
      members += [
        ("enabled", .bool(true)), ("x0", .string("0x" + String(x0, radix: 16))),
        ("status", .number(Int64(x0 & 0xFF))), ("index", .number(Int64(x0 >> 8))),
        ("condition", condition.map(JSONValue.string) ?? .null),
        ("outputs", .array(outputs.map { .string("0x" + String($0, radix: 16)) })),
      ]
    }
    members += [
      ("result", .string(s.resultText)),
      ("expected", s.expected.map(JSONValue.string) ?? .null),
      (
        "expectedOutputs",
        .array(
          s.expectedOutputs.map {
            .object([
              ("output", .string($0.output)), ("relation", .string($0.differs ? "!=" : "=")),
              ("expression", .string($0.expression)), ("names", .array($0.names.map(JSONValue.string))),
              ("value", $0.value.map(hex) ?? .null),
            ])
          })
      ),
      ("mismatches", .array(s.mismatches.map(JSONValue.string))),
      ("violations", .array(s.violations.map(JSONValue.string))),
    ]
    return .object(members)
  }
}
