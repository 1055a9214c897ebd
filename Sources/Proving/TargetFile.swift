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
    case (.table(let x), .table(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
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

/// A parser for proof-target files: TOML (v1.0) without the parts a target never needs.
///
/// Accepted: `key = value` lines, `# comments`, bare and quoted keys, dotted keys
/// (`bounds.granules = 4`), table headers (`[bounds]`), basic strings `"..."` (with TOML's
/// escapes) and literal strings `'...'`, integers (decimal, `0x` hex, `0o` octal, `0b` binary,
/// `_` separators), `true`/`false`, arrays (which may span lines, hold comments and end with a
/// comma) and inline tables `{ k = v, k = v }`. Refused with a message naming the line and
/// column: floats, dates, multi-line strings, nested tables and arrays of tables (no target key
/// takes them), and everything TOML itself refuses (a key or a table defined twice).
///
/// Which keys exist and what each holds is the target loader's business (``ProofTarget``, its
/// table of known keys): this parser only gives each top-level key its value and its line.
public struct TargetFileParser {
  let file: String
  let text: String

  public init(file: String, text: String) {
    self.file = file
    self.text = text
  }

  /// A top-level entry being built; `extendable` when later dotted keys may add to its table
  /// (a table started by dotted keys; an inline table is closed, a `[name]` table is extended
  /// by the lines after its header).
  private struct Building {
    var key: String
    var value: TargetValue
    var line: Int
    var extendable: Bool
  }

  /// Parses every top-level entry, in file order; a table written as `[name]` or with dotted
  /// keys is one entry, on the line it starts.
  ///
  /// - Throws: ``InputError`` at `file:line:column` for the first syntax error or duplicate key.
  public func parse() throws -> [TargetEntry] {
    var cursor = Cursor(chars: Array(text.unicodeScalars), file: file)
    var entries: [Building] = []
    var section: Int?
    func duplicate(_ key: String, _ line: Int, _ first: Int) -> InputError {
      InputError("\(file):\(line)", "duplicate key '\(key)' (first set on line \(first))")
    }
    while true {
      try cursor.skipBlankLinesAndComments()
      if cursor.atEnd { break }
      let line = cursor.line
      if cursor.peek == "[" {
        cursor.index += 1
        if !cursor.atEnd && cursor.peek == "[" {
          throw cursor.error("arrays of tables ([[name]]) are not part of the target format")
        }
        cursor.skipSpaces()
        let path = try cursor.parseKeyPath()
        guard path.count == 1 else { throw cursor.error("nested tables ([a.b]) are not part of the target format") }
        try cursor.expect("]", "expected ']' to close the table header")
        try cursor.endOfLine(after: "[\(path[0])]")
        if let first = entries.first(where: { $0.key == path[0] }) { throw duplicate(path[0], line, first.line) }
        entries.append(Building(key: path[0], value: .table([]), line: line, extendable: false))
        section = entries.count - 1
        continue
      }
      let path = try cursor.parseKeyPath()
      cursor.skipSpaces()
      try cursor.expect("=", "expected '=' after the key \(path.joined(separator: "."))")
      cursor.skipSpaces()
      let value = try cursor.parseValue(depth: 0)
      try cursor.endOfLine(after: "the value of \(path.joined(separator: "."))")
      let location = "\(file):\(line)"
      if let s = section {
        guard case .table(var members) = entries[s].value else { continue }
        try Self.insert(&members, path: path, value: value) { InputError(location, $0) }
        entries[s].value = .table(members)
      } else if let i = entries.firstIndex(where: { $0.key == path[0] }) {
        guard path.count > 1, entries[i].extendable, case .table(var members) = entries[i].value else {
          throw duplicate(path[0], line, entries[i].line)
        }
        try Self.insert(&members, path: Array(path.dropFirst()), value: value) { InputError(location, $0) }
        entries[i].value = .table(members)
      } else if path.count == 1 {
        entries.append(Building(key: path[0], value: value, line: line, extendable: false))
      } else {
        // `bounds.granules = 4` starts the table `bounds`; later dotted keys add to it.
        var members: [(String, TargetValue)] = []
        try Self.insert(&members, path: Array(path.dropFirst()), value: value) { InputError(location, $0) }
        entries.append(Building(key: path[0], value: .table(members), line: line, extendable: true))
      }
    }
    return entries.map { TargetEntry(key: $0.key, value: $0.value, line: $0.line) }
  }

  /// Adds a (dotted) key to a table's members, refusing one set twice.
  static func insert(
    _ members: inout [(String, TargetValue)], path: [String], value: TargetValue, error: (String) -> InputError
  ) throws {
    let key = path[0]
    if path.count == 1 {
      guard !members.contains(where: { $0.0 == key }) else { throw error("duplicate key '\(key)' in the table") }
      members.append((key, value))
      return
    }
    var inner: [(String, TargetValue)] = []
    var at = members.count
    if let i = members.firstIndex(where: { $0.0 == key }) {
      guard case .table(let existing) = members[i].1 else { throw error("duplicate key '\(key)' in the table") }
      inner = existing
      at = i
    }
    try insert(&inner, path: Array(path.dropFirst()), value: value, error: error)
    if at < members.count { members[at].1 = .table(inner) } else { members.append((key, .table(inner))) }
  }

  struct Cursor {
    let chars: [Unicode.Scalar]
    let file: String
    var index = 0
    /// The 1-based line of `index`, and the index where that line starts.
    var line = 1
    var lineStart = 0

    init(chars: [Unicode.Scalar], file: String) {
      self.chars = chars
      self.file = file
    }

    var atEnd: Bool { index >= chars.count }
    var peek: Unicode.Scalar { chars[index] }

    func error(_ message: String) -> InputError {
      InputError("\(file):\(line):\(index - lineStart + 1)", message)
    }

    mutating func skipSpaces() {
      while !atEnd && (peek == " " || peek == "\t") { index += 1 }
    }

    /// Moves past a newline (`\n` or `\r\n`) at the cursor, if there is one.
    ///
    /// A carriage return at the very end of the file counts as its last newline.
    mutating func newline() -> Bool {
      if !atEnd && peek == "\r" && index + 1 == chars.count {
        index += 1
        return true
      }
      if !atEnd && peek == "\r" && chars[index + 1] == "\n" { index += 1 }
      guard !atEnd && peek == "\n" else { return false }
      index += 1
      line += 1
      lineStart = index
      return true
    }

    mutating func skipComment() throws {
      guard !atEnd && peek == "#" else { return }
      while !atEnd && peek != "\n" {
        if peek.value < 0x20 && peek != "\t" && peek != "\r" { throw error("control character in a comment") }
        index += 1
      }
    }

    /// Skips spaces, comments and newlines (between entries, and inside arrays).
    mutating func skipBlankLinesAndComments() throws {
      while true {
        skipSpaces()
        try skipComment()
        if !newline() { return }
      }
    }

    /// Requires the end of the line (spaces and a comment allowed) and moves past it.
    mutating func endOfLine(after what: String) throws {
      skipSpaces()
      try skipComment()
      if atEnd { return }
      guard newline() else { throw error("unexpected text after \(what)") }
    }

    mutating func expect(_ c: Unicode.Scalar, _ message: String) throws {
      skipSpaces()
      guard !atEnd && peek == c else { throw error(message) }
      index += 1
    }

    static func isKeyChar(_ c: Unicode.Scalar) -> Bool {
      (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_"
    }

    /// A key: bare (`max-states`) or quoted (`"max-states"`, `'max-states'`).
    mutating func parseKey() throws -> String {
      if !atEnd && peek == "\"" { return try parseString() }
      if !atEnd && peek == "'" { return try parseLiteralString() }
      let start = index
      while !atEnd && Self.isKeyChar(peek) { index += 1 }
      guard index > start else { throw error("expected a key (letters, digits, '-' or '_', or a quoted key)") }
      return String(String.UnicodeScalarView(chars[start..<index]))
    }

    /// A key or a dotted key (`bounds.granules`), as its parts.
    mutating func parseKeyPath() throws -> [String] {
      var parts = [try parseKey()]
      while true {
        skipSpaces()
        guard !atEnd && peek == "." else { return parts }
        index += 1
        skipSpaces()
        parts.append(try parseKey())
      }
    }

    func startsTriple(_ quote: Unicode.Scalar) -> Bool {
      index + 2 < chars.count && chars[index] == quote && chars[index + 1] == quote && chars[index + 2] == quote
    }

    mutating func parseValue(depth: Int) throws -> TargetValue {
      guard depth < 16 else { throw error("values nested too deeply") }
      guard !atEnd else { throw error("expected a value") }
      switch peek {
      case "\"", "'":
        if startsTriple(peek) { throw error("multi-line strings are not part of the target format") }
        return .string(peek == "'" ? try parseLiteralString() : try parseString())
      case "[":
        // Arrays may span lines and hold comments; a trailing comma is allowed.
        index += 1
        let opened = line
        var items: [TargetValue] = []
        while true {
          try skipBlankLinesAndComments()
          guard !atEnd else { throw error("unterminated array: expected ']' (the array opens on line \(opened))") }
          if peek == "]" {
            index += 1
            return .array(items)
          }
          items.append(try parseValue(depth: depth + 1))
          try skipBlankLinesAndComments()
          guard !atEnd else { throw error("unterminated array: expected ']' (the array opens on line \(opened))") }
          if peek == "," {
            index += 1
          } else if peek != "]" {
            throw error("expected ',' or ']' in the array")
          }
        }
      case "{":
        // Inline tables stay on one line (TOML 1.0).
        index += 1
        var members: [(String, TargetValue)] = []
        var seen: Set<String> = []
        skipSpaces()
        if !atEnd && peek == "}" {
          index += 1
          return .table(members)
        }
        while true {
          skipSpaces()
          guard !atEnd, peek != "\n", peek != "\r" else {
            throw error("unterminated table: expected '}' on the same line")
          }
          let path = try parseKeyPath()
          try expect("=", "expected '=' after \(path.joined(separator: "."))")
          skipSpaces()
          let value = try parseValue(depth: depth + 1)
          if path.count == 1 {
            // A set, not a scan of the members: a table of 100,000 keys stays linear.
            guard seen.insert(path[0]).inserted else { throw error("duplicate key '\(path[0])' in the table") }
            members.append((path[0], value))
          } else {
            let here = self
            try TargetFileParser.insert(&members, path: path, value: value) { here.error($0) }
            seen.insert(path[0])
          }
          skipSpaces()
          guard !atEnd else { throw error("unterminated table: expected '}' on the same line") }
          if peek == "}" {
            index += 1
            return .table(members)
          }
          guard peek == "," else { throw error("expected ',' or '}' in the table") }
          index += 1
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
        return .integer(try parseInteger())
      default:
        throw error("expected a value (a \"string\", an integer, true/false, [array] or { table })")
      }
    }

    mutating func parseInteger() throws -> Int64 {
      let start = index
      while !atEnd && (Self.isKeyChar(peek) || peek == "+" || peek == "." || peek == ":") { index += 1 }
      let written = String(String.UnicodeScalarView(chars[start..<index]))
      let shown = String(written.prefix(24))
      func fail() -> InputError {
        index = start
        let lower = written.lowercased()
        if lower.hasSuffix("inf") || lower.hasSuffix("nan") || written.contains(".")
          || (lower.contains("e") && !lower.hasPrefix("0x") && !lower.hasPrefix("-0x") && !lower.hasPrefix("+0x"))
        {
          return error("floats are not used by any target key; expected an integer, found '\(shown)'")
        }
        if written.contains(":") || written.dropFirst().contains("-") {
          return error("dates and times are not used by any target key; expected an integer, found '\(shown)'")
        }
        return error("malformed or out-of-range integer '\(shown)'")
      }
      // TOML: an underscore only between two digits.
      if written.hasPrefix("_") || written.hasSuffix("_") || written.contains("__") { throw fail() }
      var text = written.replacingOccurrences(of: "_", with: "")
      var negative = false
      if text.hasPrefix("-") {
        negative = true
        text.removeFirst()
      } else if text.hasPrefix("+") {
        text.removeFirst()
      }
      let magnitude: UInt64?
      switch text.prefix(2) {
      case "0x": magnitude = UInt64(text.dropFirst(2), radix: 16)
      case "0o": magnitude = UInt64(text.dropFirst(2), radix: 8)
      case "0b": magnitude = UInt64(text.dropFirst(2), radix: 2)
      default: magnitude = text.allSatisfy(\.isASCII) ? UInt64(text, radix: 10) : nil
      }
      guard let magnitude, magnitude <= UInt64(Int64.max) else { throw fail() }
      return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    /// A literal string `'...'`: no escapes, on one line.
    mutating func parseLiteralString() throws -> String {
      index += 1
      var out = String.UnicodeScalarView()
      while true {
        guard !atEnd, peek != "\n" else { throw error("unterminated string: expected \"'\" on the same line") }
        let c = peek
        index += 1
        if c == "'" { return String(out) }
        if c.value < 0x20 && c != "\t" { throw error("control character in a string") }
        out.append(c)
      }
    }

    /// A basic string `"..."` with TOML's escapes, on one line.
    mutating func parseString() throws -> String {
      index += 1
      var out = String.UnicodeScalarView()
      while true {
        guard !atEnd, peek != "\n" else { throw error("unterminated string: expected '\"' on the same line") }
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
          case "r": out.append("\r")
          case "b": out.append("\u{8}")
          case "f": out.append("\u{C}")
          case "u", "U":
            let count = e == "u" ? 4 : 8
            guard index + count <= chars.count,
              let v = UInt32(String(String.UnicodeScalarView(chars[index..<index + count])), radix: 16),
              let scalar = Unicode.Scalar(v)
            else { throw error("malformed \\\(e) escape: expected \(count) hex digits of a Unicode scalar") }
            index += count
            out.append(scalar)
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
