import Foundation

/// A value in a proof-target file.
public indirect enum TargetValue: Equatable, Sendable {
  case string(String)
  case integer(Int64)
  case bool(Bool)
  case array([TargetValue])
  case table([(String, TargetValue)])

  public static func == (a: TargetValue, b: TargetValue) -> Bool {
    switch (a, b) {
    case (.string(let x), .string(let y)): return x == y
    case (.integer(let x), .integer(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.table(let x), .table(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// A name for the value's type in messages.
  public var typeName: String {
    switch self {
    case .string: return "a string"
    case .integer: return "an integer"
    case .bool: return "a boolean"
    case .array: return "an array"
    case .table: return "a table"
    }
  }
}

/// One `key = value` entry of a proof-target file, with the line it is on.
public struct TargetEntry: Equatable, Sendable {
  public let key: String
  public let value: TargetValue
  public let line: Int
}

/// A parser for the proof-target file format: a small subset of TOML.
///
/// Lines are `key = value`, comments start with `#`, blank lines are ignored. Values are
/// `"strings"` (with `\"`, `\\`, `\n`, `\t` escapes), integers (decimal, `0x` hex, `_`
/// separators), `true`/`false`, arrays `[v, v]` and inline tables `{ k = v, k = v }`, each on one
/// line. Keys are letters, digits, `-` and `_`. No sections, no dotted keys, no floats, no dates:
/// anything outside the subset is an error with its line and column, never a guess.
public struct TargetFileParser {
  let file: String
  let lines: [Substring]

  public init(file: String, text: String) {
    self.file = file
    self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
  }

  /// Parses every entry, in file order.
  ///
  /// - Throws: ``InputError`` at `file:line:column` for the first syntax error or duplicate key.
  public func parse() throws -> [TargetEntry] {
    var entries: [TargetEntry] = []
    var seen: [String: Int] = [:]
    for (i, raw) in lines.enumerated() {
      var cursor = Cursor(chars: Array(raw.unicodeScalars), file: file, line: i + 1)
      cursor.skipSpaces()
      if cursor.atEnd || cursor.peek == "#" { continue }
      if cursor.peek == "\r" {
        cursor.index += 1
        cursor.skipSpaces()
        if cursor.atEnd { continue }
      }
      let key = try cursor.parseKey()
      cursor.skipSpaces()
      try cursor.expect("=", "expected '=' after the key \(key)")
      cursor.skipSpaces()
      let value = try cursor.parseValue(depth: 0)
      cursor.skipSpaces()
      if !cursor.atEnd && cursor.peek != "#" && cursor.peek != "\r" {
        throw cursor.error("unexpected text after the value of \(key)")
      }
      if let previous = seen[key] {
        throw InputError("\(file):\(i + 1)", "duplicate key '\(key)' (first set on line \(previous))")
      }
      seen[key] = i + 1
      entries.append(TargetEntry(key: key, value: value, line: i + 1))
    }
    return entries
  }

  struct Cursor {
    let chars: [Unicode.Scalar]
    let file: String
    let line: Int
    var index = 0

    var atEnd: Bool { index >= chars.count }
    var peek: Unicode.Scalar { chars[index] }

    func error(_ message: String) -> InputError {
      InputError("\(file):\(line):\(index + 1)", message)
    }

    mutating func skipSpaces() {
      while !atEnd && (peek == " " || peek == "\t") { index += 1 }
    }

    mutating func expect(_ c: Unicode.Scalar, _ message: String) throws {
      guard !atEnd && peek == c else { throw error(message) }
      index += 1
    }

    static func isKeyChar(_ c: Unicode.Scalar) -> Bool {
      (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_"
    }

    mutating func parseKey() throws -> String {
      if !atEnd && peek == "[" { throw error("sections ([name]) are not part of the target format; write key = value lines") }
      let start = index
      while !atEnd && Self.isKeyChar(peek) { index += 1 }
      guard index > start else { throw error("expected a key (letters, digits, '-' or '_')") }
      if !atEnd && peek == "." { throw error("dotted keys are not supported; use an inline table: key = { name = value }") }
      return String(String.UnicodeScalarView(chars[start..<index]))
    }

    mutating func parseValue(depth: Int) throws -> TargetValue {
      guard depth < 16 else { throw error("values nested too deeply") }
      guard !atEnd else { throw error("expected a value") }
      switch peek {
      case "\"": return .string(try parseString())
      case "[":
        index += 1
        var items: [TargetValue] = []
        while true {
          skipSpaces()
          guard !atEnd else { throw error("unterminated array: expected ']' on the same line") }
          if peek == "]" {
            index += 1
            return .array(items)
          }
          items.append(try parseValue(depth: depth + 1))
          skipSpaces()
          guard !atEnd else { throw error("unterminated array: expected ']' on the same line") }
          if peek == "," {
            index += 1
          } else if peek != "]" {
            throw error("expected ',' or ']' in the array")
          }
        }
      case "{":
        index += 1
        var members: [(String, TargetValue)] = []
        while true {
          skipSpaces()
          guard !atEnd else { throw error("unterminated table: expected '}' on the same line") }
          if peek == "}" {
            index += 1
            return .table(members)
          }
          let key = try parseKey()
          if members.contains(where: { $0.0 == key }) { throw error("duplicate key '\(key)' in the table") }
          skipSpaces()
          try expect("=", "expected '=' after \(key)")
          skipSpaces()
          members.append((key, try parseValue(depth: depth + 1)))
          skipSpaces()
          guard !atEnd else { throw error("unterminated table: expected '}' on the same line") }
          if peek == "," {
            index += 1
          } else if peek != "}" {
            throw error("expected ',' or '}' in the table")
          }
        }
      case "t", "f":
        let start = index
        while !atEnd && Self.isKeyChar(peek) { index += 1 }
        let word = String(String.UnicodeScalarView(chars[start..<index]))
        if word == "true" { return .bool(true) }
        if word == "false" { return .bool(false) }
        index = start
        throw error("expected a value; strings need quotes: \"\(word)\"")
      case "-", "+", "0"..."9":
        let start = index
        while !atEnd && (Self.isKeyChar(peek) || peek == "+" || peek == ".") { index += 1 }
        var text = String(String.UnicodeScalarView(chars[start..<index])).replacingOccurrences(of: "_", with: "")
        var negative = false
        if text.hasPrefix("-") {
          negative = true
          text.removeFirst()
        } else if text.hasPrefix("+") {
          text.removeFirst()
        }
        let magnitude: UInt64?
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
          magnitude = UInt64(text.dropFirst(2), radix: 16)
        } else {
          magnitude = UInt64(text, radix: 10)
        }
        guard let magnitude, magnitude <= UInt64(Int64.max) else {
          index = start
          throw error("malformed or out-of-range integer '\(String(String.UnicodeScalarView(chars[start..<min(chars.count, start + 24)])))'")
        }
        return .integer(negative ? -Int64(magnitude) : Int64(magnitude))
      default:
        throw error("expected a value (a \"string\", an integer, true/false, [array] or { table })")
      }
    }

    mutating func parseString() throws -> String {
      index += 1
      var out = String.UnicodeScalarView()
      while true {
        guard !atEnd else { throw error("unterminated string: expected '\"' on the same line") }
        let c = peek
        index += 1
        if c == "\"" { return String(out) }
        if c == "\\" {
          guard !atEnd else { throw error("unterminated escape") }
          let e = peek
          index += 1
          switch e {
          case "\"": out.append("\"")
          case "\\": out.append("\\")
          case "n": out.append("\n")
          case "t": out.append("\t")
          default: throw error("unknown escape \\\(e)")
          }
        } else if c.value < 0x20 && c != "\t" {
          throw error("control character in a string")
        } else {
          out.append(c)
        }
      }
    }
  }
}
