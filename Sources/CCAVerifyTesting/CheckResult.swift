import Explore
import Foundation
import Spec
import Traces

/// A property violation found by a check: the property, the (shrunk) counterexample, the seed
/// that reproduces it, and where its trace was written.
public struct Violation: Sendable, CustomStringConvertible {
  /// The violated property.
  public let property: String
  /// The counterexample, from the initial state to a state violating `property`.
  ///
  /// Shrunk for random walks (unless ``CheckOptions/shrink`` is off); shortest for exhaustive search.
  public let trace: Trace
  /// The length of the walk before shrinking (equal to the trace's for exhaustive search).
  public let originalLength: Int
  /// The exploration's seed.
  public let seed: UInt64
  /// Random: the index of the violating walk.
  public let walk: Int?
  /// The `.itf.json` file, or `nil` when traces are not written or writing failed.
  public let tracePath: String?
  /// Why the trace could not be written, if it could not.
  public let writeError: String?
  /// The trace rendered as text: the initial state, then each step with what it changed.
  public let rendering: String
  /// The command that renders the trace file as a page.
  ///
  /// `cca-verify show` reads any trace this library writes: a model it does not know (your own, or your own mutant) is
  /// rendered from the trace's values; `cca-verify replay` needs the model (register your family with
  /// `CCAVerifyTool.main(families:)` in an executable of yours, as Examples/MyModel does).
  public static func viewCommand(_ path: String) -> String {
    "cca-verify show \(path) --format html --out trace.html"
  }

  /// The number of steps of the reported trace.
  public var length: Int { trace.steps.count }

  /// A report for a test failure: property, configuration, seed, lengths, trace file, then the
  /// rendered trace.
  public var description: String {
    var s = "\(property) violated in \(trace.model) (\(trace.configuration))\n"
    if let walk {
      s += "  seed: \(seed) (walk \(walk)); rerun with \(Exploration.seedVariable)=\(seed)\n"
      s += "  counterexample: \(length) steps (shrunk from \(originalLength))\n"
    } else {
      s += "  seed: \(seed) (exhaustive search: a shortest counterexample)\n"
      s += "  counterexample: \(length) steps\n"
    }
    if let tracePath {
      s += "  trace: \(tracePath)\n"
      s += "  view it: \(Self.viewCommand(tracePath))\n"
    } else if let writeError {
      s += "  trace not written: \(writeError)\n"
    }
    return s + "\n" + rendering
  }
}

/// What a check did: the engine's report and the violation, if it found one.
public struct CheckResult: Sendable {
  /// The model that was explored.
  public let model: Model
  /// How it was explored.
  public let exploration: Exploration
  /// The engine's report: states, transitions, depth, coverage, elapsed time.
  public let report: ExploreReport
  /// The violation found, if any.
  public let violation: Violation?

  /// The exploration's seed (after any `CCAVERIFY_SEED` override).
  public var seed: UInt64 { report.seed }

  /// Whether exhaustive search explored every reachable state (no limit stopped it).
  public var complete: Bool { report.complete }

  /// A model error, if the model did something undefined while running (not a violation).
  public var modelError: String? {
    if case .modelError(let message) = report.outcome { return message }
    return nil
  }

  /// The `.itf.json` of the path to the state in which the model error occurred (written like
  /// a counterexample, with its `.txt`), or `nil`.
  public internal(set) var errorTracePath: String? = nil
  /// Why the error trace could not be written, if it could not.
  public internal(set) var errorTraceWriteError: String? = nil

  /// A report of the model error for a test failure: the message, the seed, the trace file and
  /// the trace to the failing state as text; `nil` without a model error.
  public var modelErrorReport: String? {
    guard let modelError else { return nil }
    var s = "Model error in \(model.name) (\(model.configuration)), seed \(seed): \(modelError)\n"
    if let errorTracePath {
      s += "  trace to the failing state: \(errorTracePath)\n"
      s += "  view it: \(Violation.viewCommand(errorTracePath))\n"
    } else if let errorTraceWriteError {
      s += "  trace not written: \(errorTraceWriteError)\n"
    }
    if let trace = report.errorTrace { s += "\n" + TraceText.render(trace, model: model) }
    return s
  }

  /// One line: what was explored and what was found.
  public var summary: String {
    let what: String
    if let violation {
      what = "violation of \(violation.property) after \(violation.length) steps"
    } else if let modelError {
      what = "model error: \(modelError)"
    } else if report.mode == .bfs && report.complete {
      what = "no violation in every reachable state"
    } else {
      what = "no violation (a sample: \(report.stoppedBy.map { "stopped by \($0.rawValue)" } ?? "random walks"))"
    }
    return
      "\(model.name) (\(model.configuration)), \(exploration): \(what); \(report.distinctStates) distinct states, "
      + "\(report.transitions) transitions, seed \(report.seed)"
  }
}
