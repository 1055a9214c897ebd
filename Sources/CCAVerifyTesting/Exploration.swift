import Explore
import Foundation

/// How a check explores a model: seeded random walks, or exhaustive breadth-first search.
public enum Exploration: Sendable, Hashable, CustomStringConvertible {
  /// Seeded random walks from the initial state.
  ///
  /// Walk `i` draws every choice from a stream derived from `seed` and `i`, so the same seed
  /// gives the same walks and the same counterexample on every machine. A violation is shrunk
  /// (steps deleted, arguments simplified, each candidate re-checked by the concrete engine)
  /// unless ``CheckOptions/shrink`` is off. The environment variable `CCAVERIFY_SEED`
  /// overrides the seed, to reproduce a failure or to vary the walks on purpose.
  ///
  /// - Parameters:
  ///   - seed: the seed of every random choice.
  ///   - walks: the number of walks.
  ///   - length: the number of steps per walk.
  ///   - swarm: whether each walk draws its own action weights (swarm testing).
  case random(seed: UInt64 = 1, walks: Int = 1000, length: Int = 100, swarm: Bool = false)
  /// Exhaustive breadth-first search: a shortest counterexample, and when no limit stops it, a
  /// proof that every reachable state satisfies the properties.
  ///
  /// - Parameters:
  ///   - maxStates: stop after this many distinct states (the result is then a sample).
  ///   - maxDepth: stop at this depth.
  case exhaustive(maxStates: Int? = nil, maxDepth: Int? = nil)

  /// The environment variable that overrides the seed of random explorations.
  public static let seedVariable = "CCAVERIFY_SEED"

  public var description: String {
    switch self {
    case .random(let seed, let walks, let length, let swarm):
      return "random(seed: \(seed), walks: \(walks), length: \(length)\(swarm ? ", swarm" : ""))"
    case .exhaustive(let maxStates, let maxDepth):
      var limits: [String] = []
      if let maxStates { limits.append("maxStates: \(maxStates)") }
      if let maxDepth { limits.append("maxDepth: \(maxDepth)") }
      return "exhaustive(\(limits.joined(separator: ", ")))"
    }
  }

  /// The engine options for this exploration, with the seed from the environment if set.
  func exploreOptions(_ options: CheckOptions, environment: [String: String]) throws -> ExploreOptions {
    var result: ExploreOptions
    switch self {
    case .random(var seed, let walks, let length, let swarm):
      guard walks >= 1 else { throw CheckError.invalidOption("walks must be at least 1, got \(walks)") }
      guard length >= 1 else { throw CheckError.invalidOption("length must be at least 1, got \(length)") }
      if let text = environment[Self.seedVariable] {
        guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
          throw CheckError.invalidOption("\(Self.seedVariable)=\(text) is not an unsigned 64-bit integer")
        }
        seed = value
      }
      result = ExploreOptions(mode: .random, seed: seed, walks: walks, walkLength: length, swarm: swarm)
      result.shrink = options.shrink
    case .exhaustive(let maxStates, let maxDepth):
      if let maxStates, maxStates < 1 {
        throw CheckError.invalidOption("maxStates must be at least 1, got \(maxStates)")
      }
      if let maxDepth, maxDepth < 0 { throw CheckError.invalidOption("maxDepth must be at least 0, got \(maxDepth)") }
      result = ExploreOptions(mode: .bfs, maxDepth: maxDepth, maxStates: maxStates)
    }
    if let workers = options.workers {
      guard workers >= 1 else { throw CheckError.invalidOption("workers must be at least 1, got \(workers)") }
      result.workers = workers
    }
    if let timeLimit = options.timeLimit {
      guard timeLimit > 0 && timeLimit <= 1e9 else {
        throw CheckError.invalidOption("timeLimit must be positive and at most 1e9 seconds, got \(timeLimit)")
      }
      result.timeLimit = timeLimit
    }
    return result
  }
}

/// Settings of a check other than how it explores.
public struct CheckOptions: Sendable {
  /// Where counterexamples are written as `.itf.json` (and `.txt`); created when needed.
  public var traceDirectory: URL
  /// Whether a random-walk counterexample is shrunk before it is reported (default on).
  public var shrink: Bool
  /// Worker threads (default: the engine's, every active processor).
  public var workers: Int?
  /// A wall-clock limit in seconds; the exploration stops there and reports what it found.
  public var timeLimit: Double?
  /// Whether to write counterexample files at all.
  public var writeTraces: Bool

  /// The default trace directory: `cca-verify-traces` in the temporary directory.
  public static var defaultTraceDirectory: URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("cca-verify-traces", isDirectory: true)
  }

  public init(
    traceDirectory: URL = CheckOptions.defaultTraceDirectory, shrink: Bool = true, workers: Int? = nil,
    timeLimit: Double? = nil, writeTraces: Bool = true
  ) {
    self.traceDirectory = traceDirectory
    self.shrink = shrink
    self.workers = workers
    self.timeLimit = timeLimit
    self.writeTraces = writeTraces
  }
}

/// A check that could not run: a bad name or option, or a model the engine cannot compile.
///
/// A property violation is not an error: it is a ``Violation`` in the ``CheckResult`` (and an
/// issue recorded by ``expectNoViolation(_:properties:exploring:options:sourceLocation:)``).
public enum CheckError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A name that the model or family does not have; lists the valid ones.
  case unknownName(kind: String, name: String, valid: [String])
  /// An option out of range.
  case invalidOption(String)
  /// The model failed to build, validate or compile.
  case model(String)
  /// A trace file that cannot be read: the path, and the JSON path of the problem.
  case unreadableTrace(path: String, message: String)

  public var description: String {
    switch self {
    case .unknownName(let kind, let name, let valid):
      return "unknown \(kind) '\(name)'; valid: \(valid.joined(separator: ", "))"
    case .invalidOption(let message): return "invalid option: \(message)"
    case .model(let message): return "model error: \(message)"
    case .unreadableTrace(let path, let message): return "\(path): \(message)"
    }
  }
}
