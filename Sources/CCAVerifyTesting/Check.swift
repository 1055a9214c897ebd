import Explore
import Foundation
import Spec
import Testing
import Traces

/// The version written into the `#meta` of the traces this library writes.
let libraryVersion = "CCAVerifyTesting 0.1.0"

// MARK: - Checking

/// Explores a model and checks its properties, without recording anything: the caller decides
/// what the result means.
///
/// A violation is shrunk (random walks) and written to ``CheckOptions/traceDirectory`` as
/// `.itf.json` and `.txt`, each file written atomically (a temporary file renamed into place).
///
/// ```swift
/// let result = try check(CCA.family.model("atomic"), exploring: .random(seed: 7))
/// #expect(result.violation == nil)
/// ```
///
/// - Parameters:
///   - model: the model: from a family (`ModelFamily/model(_:mutant:bounds:features:)`), a
///     user-defined mutant (`Model/mutant(_:action:_:)`) or a user's own `ModelBuilder`
///     model.
///   - properties: the properties to check, by name (default: every property but lemmas).
///   - exploring: random walks (seeded) or exhaustive search.
///   - options: trace directory, shrinking, workers, time limit.
/// - Throws: ``CheckError`` for an unknown property, an invalid option, or a model that does not
///   compile. A violation is not an error.
/// - Complexity: that of `explore(_:options:)`, plus shrinking: at most 20,000
///   re-executions of the violating walk.
public func check(
  _ model: Model, properties: [String] = [], exploring: Exploration = .random(),
  options: CheckOptions = CheckOptions()
) throws -> CheckResult {
  let compiled: CompiledModel
  do {
    compiled = try CompiledModel(model)
  } catch {
    throw CheckError.model("\(model.name) (\(model.configuration)) does not compile: \(error)")
  }
  var indices: [Int] = []
  for name in properties {
    guard let i = model.properties.firstIndex(where: { $0.name == name }) else {
      throw CheckError.unknownName(
        kind: "property of model \(model.name)", name: name, valid: model.properties.map(\.name))
    }
    indices.append(i)
  }
  var exploreOptions = try exploring.exploreOptions(options, environment: ProcessInfo.processInfo.environment)
  exploreOptions.properties = properties.isEmpty ? nil : indices
  let report = explore(compiled, options: exploreOptions)
  if case .modelError = report.outcome {
    // The path to the state where the model failed is written like a counterexample.
    var result = CheckResult(model: model, exploration: exploring, report: report, violation: nil)
    if let trace = report.errorTrace, options.writeTraces {
      do {
        result.errorTracePath = try writeTrace(
          trace, model: model, directory: options.traceDirectory, property: "model-error")
      } catch {
        result.errorTraceWriteError = "\(error)"
      }
    }
    return result
  }
  guard case .violation(let p, let trace) = report.outcome else {
    return CheckResult(model: model, exploration: exploring, report: report, violation: nil)
  }
  let property = model.properties[p].name
  var tracePath: String?
  var writeError: String?
  if options.writeTraces {
    do {
      tracePath = try writeTrace(trace, model: model, directory: options.traceDirectory, property: property)
    } catch {
      writeError = "\(error)"
    }
  }
  let violation = Violation(
    property: property, trace: trace, originalLength: report.unshrunkLength ?? trace.steps.count,
    seed: report.seed, walk: report.violatingWalk, tracePath: tracePath, writeError: writeError,
    rendering: TraceText.render(trace, model: model))
  return CheckResult(model: model, exploration: exploring, report: report, violation: violation)
}

/// Explores a model and records a test issue for a property violation or a model error.
///
/// The issue names the property and the configuration and gives the seed, the counterexample's
/// length before and after shrinking, the path of the written `.itf.json`, and the trace as
/// text (only the variables each step changed).
///
/// ```swift
/// @Test func delegationKeepsRealmDataPrivate() throws {
///   try expectNoViolation(CCA.family.model("atomic"), exploring: .random(seed: 42, walks: 500))
/// }
/// ```
///
/// - Parameters:
///   - model: the model to explore.
///   - properties: the properties to check, by name (default: every property but lemmas).
///   - exploring: random walks (seeded) or exhaustive search.
///   - options: trace directory, shrinking, workers, time limit.
///   - sourceLocation: where the issue is reported (forward your own helper's).
/// - Returns: the result, for further expectations (coverage, state counts).
/// - Throws: ``CheckError`` when the check cannot run (see ``check(_:properties:exploring:options:)``).
@discardableResult
public func expectNoViolation(
  _ model: Model, properties: [String] = [], exploring: Exploration = .random(),
  options: CheckOptions = CheckOptions(), sourceLocation: SourceLocation = #_sourceLocation
) throws -> CheckResult {
  let result = try check(model, properties: properties, exploring: exploring, options: options)
  if let violation = result.violation {
    Issue.record(Comment(rawValue: "Property \(violation)"), sourceLocation: sourceLocation)
  } else if let report = result.modelErrorReport {
    Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
  }
  return result
}

/// Explores a model that should be wrong (a mutant) and records a test issue unless it finds a
/// violation (of `property`, when given).
///
/// Use it to show that a check catches a bug: a mutant that stops being caught fails the test.
///
/// - Returns: the result; its ``CheckResult/violation`` holds the counterexample.
/// - Throws: ``CheckError`` when the check cannot run or `property` is unknown.
@discardableResult
public func expectViolation(
  _ model: Model, of property: String? = nil, exploring: Exploration = .random(),
  options: CheckOptions = CheckOptions(), sourceLocation: SourceLocation = #_sourceLocation
) throws -> CheckResult {
  let properties = property.map { [$0] } ?? []
  let result = try check(model, properties: properties, exploring: exploring, options: options)
  if result.violation == nil {
    let wanted = property ?? "any property"
    Issue.record(
      Comment(
        rawValue:
          "Expected a violation of \(wanted) in \(model.name) (\(model.configuration)); found none. \(result.summary)"
          + (result.modelErrorReport.map { "\n" + $0 } ?? "")
      ),
      sourceLocation: sourceLocation)
  }
  return result
}

// MARK: - Trace files

/// Writes a counterexample as `<stem>.itf.json` and `<stem>.txt` and returns the ITF path.
///
/// The stem names the model, configuration, mutant, property, the seed (or `bfs`) and a short
/// hash of the configuration, so different checks never overwrite each other's files and the
/// same check writes the same name.
func writeTrace(_ trace: Trace, model: Model, directory: URL, property: String) throws -> String {
  var parts = [model.name, model.configuration.name]
  if let mutant = model.configuration.mutant { parts.append(mutant) }
  parts.append(property)
  parts.append(trace.seed.map { "seed\($0)" } ?? "bfs")
  parts.append(String(fnv1a(model.configuration.description + "|\(trace.steps.count)"), radix: 16))
  let stem = parts.joined(separator: "-").map { c -> Character in
    c.isLetter || c.isNumber || c == "-" || c == "_" ? c : "_"
  }
  let base = directory.appendingPathComponent(String(stem)).path
  let itf = ITF.document(for: trace, model: model, toolVersion: libraryVersion).serialized()
  try OutputFile.write(itf, to: base + ".itf.json")
  try OutputFile.write(TraceText.render(trace, model: model), to: base + ".txt")
  return base + ".itf.json"
}

/// FNV-1a, 32 bits: a short, stable hash for file names.
func fnv1a(_ text: String) -> UInt32 {
  var hash: UInt32 = 0x811C_9DC5
  for byte in text.utf8 {
    hash ^= UInt32(byte)
    hash = hash &* 0x0100_0193
  }
  return hash
}

// MARK: - Reading traces back

/// Reads a trace file (`.itf.json`) of a model, for regression tests that replay an old
/// counterexample.
///
/// The reader is lenient in what a hand-written trace may leave out (step results, variables;
/// see `ITF/read(_:compiled:)`), so a scenario written by hand loads too.
///
/// ```swift
/// let trace = try loadTrace("Tests/Fixtures/delegate-race.itf.json", model: model)
/// #expect(replay(try CompiledModel(model), trace: trace) == .exact)
/// ```
///
/// - Throws: ``CheckError/unreadableTrace(path:message:)`` naming the file and the JSON path of
///   the first problem, or ``CheckError/model(_:)`` when the model does not compile.
public func loadTrace(_ path: String, model: Model) throws -> Trace {
  guard let data = FileManager.default.contents(atPath: path) else {
    throw CheckError.unreadableTrace(path: path, message: "cannot read the file")
  }
  let compiled: CompiledModel
  do {
    compiled = try CompiledModel(model)
  } catch {
    throw CheckError.model("\(model.name) (\(model.configuration)) does not compile: \(error)")
  }
  do {
    return try ITF.read(try JSONValue.parse(data), compiled: compiled)
  } catch {
    throw CheckError.unreadableTrace(path: path, message: "\(error)")
  }
}
