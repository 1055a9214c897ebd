import Foundation
import Traces

/// Splitting a `prove` run over several machines (a CI matrix) and joining their reports.
///
/// A shard is `K/N` (1 ≤ K ≤ N): shard K runs the targets whose file path hashes to K − 1
/// modulo N. The hash is FNV-1a of the path as given (not Swift's per-process `hashValue`), so
/// every machine computes the same split, and adding a target never moves the others to
/// another shard. `merge-reports` joins the shards' JSON reports (`prove --json`) back into the
/// report, JUnit file and exit status one run over all the targets would have given.
public enum Sharding {
  /// A shard `K/N`.
  public struct Shard: Equatable, Sendable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    /// Parses `K/N`.
    ///
    /// - Throws: ``InputError`` located at `option` for anything but two integers with
    ///   1 ≤ K ≤ N ≤ 10,000.
    public init(parsing text: String, option: String = "--shard") throws {
      let parts = text.split(separator: "/", omittingEmptySubsequences: false)
      guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 10_000, k >= 1, k <= n
      else {
        throw InputError(option, "expected K/N with 1 <= K <= N <= 10000 (e.g. 2/4), got '\(text)'")
      }
      index = k
      count = n
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether the target in `file` belongs to this shard.
    public func contains(_ file: String) -> Bool {
      Int(Sharding.fnv1a(file) % UInt64(count)) == index - 1
    }

    /// The files of this shard, in their given order.
    public func select(_ files: [String]) -> [String] { files.filter(contains) }

    /// The hash the split uses (for tests that pin it).
    public static func fnv1aForTesting(_ text: String) -> UInt64 { Sharding.fnv1a(text) }
  }

  /// 64-bit FNV-1a of the UTF-8 bytes of a string.
  static func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01b3
    }
    return hash
  }

  /// Reads the targets of one `prove --json` report.
  ///
  /// - Throws: ``InputError`` naming the file (and the target or field) when it is not such a
  ///   report.
  public static func results(ofReport data: Data, path: String) throws -> [TargetResult] {
    let json: JSONValue
    do {
      json = try JSONValue.parse(data)
    } catch {
      throw InputError(path, "not JSON: \(error)")
    }
    guard case .array(let targets)? = json["targets"] else {
      throw InputError(path, "expected a `cca-verify prove --json` report: an object with a \"targets\" array")
    }
    return try targets.enumerated().map { i, target in
      let at = "\(path): targets[\(i)]"
      func string(_ key: String) throws -> String {
        guard case .string(let s)? = target[key] else { throw InputError(at, "missing string field \"\(key)\"") }
        return s
      }
      guard let outcome = TargetResult.Outcome(rawValue: try string("outcome")) else {
        throw InputError(
          at, "unknown outcome '\(try string("outcome"))' (expected proved, violated, cti, unknown or holds-bounded)")
      }
      guard let expected = Expectation(rawValue: try string("expected")) else {
        throw InputError(at, "unknown expectation '\(try string("expected"))' (expected holds or violated)")
      }
      guard let seconds = Double(try string("seconds")), seconds >= 0 else {
        throw InputError(at, "\"seconds\" is not a non-negative number")
      }
      var trace: String?
      if case .string(let t)? = target["trace"] { trace = t }
      var lemmas: [String]?
      if case .array(let xs)? = target["lemmas"] {
        lemmas = try xs.map {
          guard case .string(let s) = $0 else { throw InputError(at, "\"lemmas\" holds a non-string") }
          return s
        }
      }
      var result = TargetResult(
        target: try string("target"), file: try string("file"), property: try string("property"),
        engine: try string("engine"), outcome: outcome, scope: (try? string("scope")) ?? "", expected: expected,
        seconds: seconds, trace: trace, detail: (try? string("detail")) ?? "")
      result.assumedLemmas = lemmas
      return result
    }
  }

  /// Joins the results of several shards: ordered by target file (the order one run over the
  /// sorted target folder gives).
  ///
  /// - Throws: ``InputError`` when one target file appears in two reports (overlapping shards
  ///   or a report given twice would count it twice).
  public static func merge(_ reports: [(path: String, results: [TargetResult])]) throws -> [TargetResult] {
    var seen: [String: String] = [:]
    var all: [TargetResult] = []
    for (path, results) in reports {
      for r in results {
        let key = "\(r.file)\u{0}\(r.target)"
        if let other = seen[key] {
          throw InputError(path, "target \(r.target) (\(r.file)) is also in \(other): shards must not overlap")
        }
        seen[key] = path
        all.append(r)
      }
    }
    // Stable: targets of one file keep their order.
    return all.enumerated().sorted { a, b in
      a.element.file != b.element.file ? a.element.file < b.element.file : a.offset < b.offset
    }.map(\.element)
  }
}
