import Foundation
import Spec

/// A JSON document with ordered object members, so written files are deterministic and read in
/// the order a person expects (`#meta` first).
public indirect enum JSONValue: Hashable, Sendable {
  case null
  case bool(Bool)
  case number(Int64)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let x): hasher.combine(x)
    case .number(let x): hasher.combine(x)
    case .string(let x): hasher.combine(x)
    case .array(let x): hasher.combine(x)
    case .object(let x):
      for (k, v) in x {
        hasher.combine(k)
        hasher.combine(v)
      }
    }
  }

  /// The member with the given key of an object.
  public subscript(_ key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }

  /// The text of the document, indented by two spaces, with a final newline.
  public func serialized() -> String {
    var out = ""
    write(to: &out, indent: 0)
    out += "\n"
    return out
  }

  private func write(to out: inout String, indent: Int) {
    let pad = String(repeating: "  ", count: indent + 1)
    let close = String(repeating: "  ", count: indent)
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += String(n)
    case .string(let s): out += Self.quote(s)
    case .array(let xs):
      if xs.isEmpty {
        out += "[]"
        return
      }
      // Short arrays of scalars, and of small tuples (`[{"#tup": [...]}, value]`, a map entry of
      // several keys), go on one line: a trace's maps then cost a line per entry, not six.
      if xs.count <= 8 && xs.allSatisfy(\.isCompact) {
        out += "[" + xs.map { $0.serializedInline() }.joined(separator: ", ") + "]"
        return
      }
      out += "[\n"
      for (i, x) in xs.enumerated() {
        out += pad
        x.write(to: &out, indent: indent + 1)
        out += i + 1 < xs.count ? ",\n" : "\n"
      }
      out += close + "]"
    case .object(let members):
      if members.isEmpty {
        out += "{}"
        return
      }
      if members.count == 1, members[0].1.isScalar {
        out += "{ \(Self.quote(members[0].0)): \(members[0].1.serializedInline()) }"
        return
      }
      out += "{\n"
      for (i, (k, v)) in members.enumerated() {
        out += pad + Self.quote(k) + ": "
        v.write(to: &out, indent: indent + 1)
        out += i + 1 < members.count ? ",\n" : "\n"
      }
      out += close + "}"
    }
  }

  private var isScalar: Bool {
    switch self {
    case .null, .bool, .number, .string: return true
    case .object(let m): return m.count == 1 && m[0].1.isScalar && !m[0].1.isObject
    default: return false
    }
  }

  /// A scalar, or an object of one member holding a short array of scalars (`{"#tup": [...]}`).
  private var isCompact: Bool {
    if isScalar { return true }
    if case .object(let m) = self, m.count == 1, case .array(let xs) = m[0].1 {
      return xs.count <= 8 && xs.allSatisfy(\.isScalar)
    }
    return false
  }

  private var isObject: Bool {
    if case .object = self { return true }
    return false
  }

  private func serializedInline() -> String {
    switch self {
    case .object(let m) where m.count == 1: return "{ \(Self.quote(m[0].0)): \(m[0].1.serializedInline()) }"
    case .array(let xs): return "[" + xs.map { $0.serializedInline() }.joined(separator: ", ") + "]"
    default:
      var s = ""
      write(to: &s, indent: 0)
      return s
    }
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}

// MARK: - Parsing

/// An error reading a JSON document: what was wrong and where (line and column).
public struct JSONParseError: LocatedError, Equatable, Sendable {
  public let line: Int
  public let column: Int
  public var location: String { "line \(line), column \(column)" }
  public let message: String
  public var description: String { "line \(line), column \(column): \(message)" }
}

extension JSONValue {
  /// Parses a JSON document (RFC 8259).
  ///
  /// Numbers must be integers that fit in 64 bits; anything else is an error (ITF writes large
  /// integers as `{"#bigint": "..."}`). Nesting deeper than 512 levels is refused.
  ///
  /// - Throws: ``JSONParseError`` with the line and column of the problem.
  public static func parse(_ data: Data) throws -> JSONValue {
    var parser = JSONParser(bytes: [UInt8](data))
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    guard parser.index == parser.bytes.count else { throw parser.error("unexpected text after the document") }
    return value
  }
}

struct JSONParser {
  let bytes: [UInt8]
  var index = 0

  init(bytes: [UInt8]) { self.bytes = bytes }

  func error(_ message: String) -> JSONParseError {
    var line = 1
    var column = 1
    for b in bytes[0..<min(index, bytes.count)] {
      if b == 0x0A {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return JSONParseError(line: line, column: column, message: message)
  }

  mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  mutating func expect(_ literal: String) throws {
    for b in literal.utf8 {
      guard index < bytes.count, bytes[index] == b else { throw error("expected '\(literal)'") }
      index += 1
    }
  }

  mutating func parseValue(depth: Int) throws -> JSONValue {
    guard depth < 512 else { throw error("nesting too deep") }
    guard index < bytes.count else { throw error("unexpected end of input") }
    switch bytes[index] {
    case UInt8(ascii: "{"):
      index += 1
      var members: [(String, JSONValue)] = []
      skipWhitespace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      }
      while true {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
          throw error("expected a member name in quotes")
        }
        let key = try parseString()
        skipWhitespace()
        try expect(":")
        skipWhitespace()
        members.append((key, try parseValue(depth: depth + 1)))
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input in an object") }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
          continue
        }
        try expect("}")
        return .object(members)
      }
    case UInt8(ascii: "["):
      index += 1
      var items: [JSONValue] = []
      skipWhitespace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      }
      while true {
        skipWhitespace()
        items.append(try parseValue(depth: depth + 1))
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input in an array") }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
          continue
        }
        try expect("]")
        return .array(items)
      }
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"):
      try expect("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expect("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expect("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      let start = index
      if bytes[index] == UInt8(ascii: "-") { index += 1 }
      while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
      if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") {
        throw error("only integers are supported")
      }
      let text = String(decoding: bytes[start..<index], as: UTF8.self)
      guard let n = Int64(text) else {
        index = start
        throw error("number \(text) is not a 64-bit integer")
      }
      return .number(n)
    default:
      throw error("unexpected character")
    }
  }

  mutating func parseString() throws -> String {
    index += 1
    var scalars = String.UnicodeScalarView()
    var raw: [UInt8] = []
    func flush() {
      if !raw.isEmpty {
        scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
        raw.removeAll()
      }
    }
    while true {
      guard index < bytes.count else { throw error("unterminated string") }
      let b = bytes[index]
      index += 1
      switch b {
      case UInt8(ascii: "\""):
        flush()
        return String(scalars)
      case UInt8(ascii: "\\"):
        flush()
        guard index < bytes.count else { throw error("unterminated escape") }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "/"): scalars.append("/")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "u"):
          guard index + 4 <= bytes.count,
            let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
          else {
            throw error("bad \\u escape")
          }
          index += 4
          scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
        default: throw error("bad escape")
        }
      default:
        if b < 0x20 { throw error("control character in string") }
        // Copy the run of plain bytes up to the next quote, backslash or control character.
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20
        {
          end += 1
        }
        raw.append(b)
        raw.append(contentsOf: bytes[index..<end])
        index = end
      }
    }
  }
}
