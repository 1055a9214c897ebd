import CCAModel
import Explore
import Foundation
import Spec
import Testing
import Traces

/// Mutations of real traces fed to the JSON parser and the ITF reader: every input is read or
/// refused with a typed error naming where; none crashes, and whatever is read replays and
/// renders.
@Suite("ITF reader robustness")
struct ITFFuzzTests {
  static let seed: UInt64 = 0x1CF_F022

  /// A random JSON value: scalars of every type, ITF wrappers with bad contents, deep nesting.
  static func junkValue(_ rng: inout SeededChooser, depth: Int = 0) -> JSONValue {
    let labels = [
      "", "NS", "REALM", "DELEGATED", "UNDELEGATED", "0x80000000", "0xFFFFFFFF", "nope", "\u{0}", "ü😀", "</script>",
    ]
    switch rng.choose(below: depth > 2 ? 9 : 12) {
    case 0: return .null
    case 1: return .bool(rng.choose(below: 2) == 1)
    case 2: return .number([0, 1, 2, -1, 255, 4096, Int64.max, Int64.min, 1 << 32][rng.choose(below: 9)])
    case 3: return .string(labels[rng.choose(below: labels.count)])
    case 4:
      let digits = [
        "0", "1", "2", "18446744073709551615", "18446744073709551616", "-1", "99999999999999999999999", "abc", "",
      ]
      return .object([("#bigint", .string(digits[rng.choose(below: digits.count)]))])
    case 5: return .object([("#bigint", junkValue(&rng, depth: depth + 1))])
    case 6: return .object([("#map", .array([]))])
    case 7: return .object([("#tup", .array([junkValue(&rng, depth: depth + 1)]))])
    case 8: return .object([("tag", .string("Some")), ("value", junkValue(&rng, depth: depth + 1))])
    case 9: return .array((0..<rng.choose(below: 4)).map { _ in junkValue(&rng, depth: depth + 1) })
    case 10:
      return .object([
        ("#map", .array([.array([junkValue(&rng, depth: depth + 1), junkValue(&rng, depth: depth + 1)])]))
      ])
    default: return .object([("x", junkValue(&rng, depth: depth + 1))])
    }
  }

  /// Applies one structural mutation at a random node of a document.
  static func mutate(_ value: JSONValue, _ rng: inout SeededChooser) -> JSONValue {
    switch value {
    case .object(var members) where !members.isEmpty && rng.choose(below: 4) != 0:
      let i = rng.choose(below: members.count)
      switch rng.choose(below: 6) {
      case 0: members.remove(at: i)
      case 1: members.append(members[i])
      case 2: members[i].1 = junkValue(&rng)
      case 3: members[i].0 = ["", "#meta", "#bigint", "states", "nope", "mbt::actionTaken"][rng.choose(below: 6)]
      default: members[i].1 = mutate(members[i].1, &rng)
      }
      return .object(members)
    case .array(var items) where !items.isEmpty && rng.choose(below: 4) != 0:
      let i = rng.choose(below: items.count)
      switch rng.choose(below: 5) {
      case 0: items.remove(at: i)
      case 1: items.insert(items[i], at: i)
      case 2: items[i] = junkValue(&rng)
      case 3: items.swapAt(i, rng.choose(below: items.count))
      default: items[i] = mutate(items[i], &rng)
      }
      return .array(items)
    default:
      return junkValue(&rng)
    }
  }

  /// Applies one byte-level mutation: truncation, flipped or inserted bytes, deep nesting.
  static func corrupt(_ bytes: [UInt8], _ rng: inout SeededChooser) -> [UInt8] {
    var out = bytes
    switch rng.choose(below: 7) {
    case 5:
      // Deep: objects and arrays nested far beyond the parser's limit of 512.
      let depth = 1000 + rng.choose(below: 100_000)
      out = Array(String(repeating: rng.choose(below: 2) == 0 ? "{\"a\":" : "[", count: depth).utf8)
    case 6:
      // Long: a states array of many junk elements, or a very long string, in a real trace.
      let count = 10_000 + rng.choose(below: 100_000)
      let filler =
        rng.choose(below: 2) == 0
        ? Array(repeating: "1", count: count).joined(separator: ",")
        : "\"" + String(repeating: "x", count: count * 10) + "\""
      let text = String(decoding: out, as: UTF8.self)
      out = Array(text.replacingOccurrences(of: "\"states\": [", with: "\"states\": [\(filler), ").utf8)
    case 0: out = Array(out.prefix(rng.choose(below: max(1, out.count))))
    case 1:
      for _ in 0..<(1 + rng.choose(below: 8)) where !out.isEmpty {
        out[rng.choose(below: out.count)] = UInt8(truncatingIfNeeded: rng.next())
      }
    case 2:
      let junk: [UInt8] = [0, 0xFF, 0xFE, 0xC0, 0x80, 0x22, 0x5C, 0x7B, 0x5B, 0x2C, 0x3A]
      for _ in 0..<(1 + rng.choose(below: 8)) {
        out.insert(junk[rng.choose(below: junk.count)], at: rng.choose(below: out.count + 1))
      }
    case 3: out = Array(repeating: UInt8(ascii: "["), count: 100 + rng.choose(below: 2000))
    default: out = (0..<rng.choose(below: 512)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }
    return out
  }

  @Test("3,000 mutated real traces: each is read or refused with its path; none crashes")
  func mutatedTraces() throws {
    print("ITF fuzz seed: \(Self.seed)")
    let fixtures = [
      try Fixtures.bfs("no-tlbi-on-delegate"), try Fixtures.bfs("cmo-source-alias-only"), try Fixtures.fineMode(),
    ]
    let documents = fixtures.map { ITF.document(for: $0.trace, model: $0.model, toolVersion: "fuzz") }
    let texts = documents.map { Array($0.serialized().utf8) }
    var rng = SeededChooser(seed: Self.seed)
    var counts: [String: Int] = [:]
    let total = 3000
    for n in 0..<total {
      let f = n % fixtures.count
      var document = documents[f]
      if n % 4 == 3 {
        // Bytes: truncated, flipped, inserted, junk; through the parser.
        do {
          document = try JSONValue.parse(Data(Self.corrupt(texts[f], &rng)))
        } catch let error as JSONParseError {
          #expect(error.line >= 1 && error.column >= 1 && !error.message.isEmpty)
          counts["bad JSON", default: 0] += 1
          continue
        }
      } else {
        // Structure: members and elements deleted, duplicated, renamed, replaced by junk; every
        // fourth one through the serializer and the parser too.
        for _ in 0..<(1 + rng.choose(below: 3)) { document = Self.mutate(document, &rng) }
        if n % 4 == 2 { document = try JSONValue.parse(Data(document.serialized().utf8)) }
      }
      let trace: Trace
      do {
        trace = try ITF.read(document, compiled: fixtures[f].compiled)
      } catch let error as ITFError {
        #expect(error.path.hasPrefix("$"), "input \(n): \(error)")
        #expect(!error.message.isEmpty)
        counts["refused", default: 0] += 1
        continue
      }
      // Whatever is read replays (exactly or not) and renders in every format.
      switch replay(fixtures[f].compiled, trace: trace, fromTraceStart: trace.outcome == .cti) {
      case .exact: counts["read, replays exactly", default: 0] += 1
      case .diverged: counts["read, diverges", default: 0] += 1
      }
      for format in TraceFormat.allCases {
        #expect(!format.render(trace, model: fixtures[f].model).isEmpty)
      }
    }
    print(
      "ITF fuzz: \(total) inputs: \(counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
    )
    #expect(counts.values.reduce(0, +) == total)
    #expect(counts["refused", default: 0] > total / 4)
    #expect(counts["bad JSON", default: 0] > total / 8)
  }
}
