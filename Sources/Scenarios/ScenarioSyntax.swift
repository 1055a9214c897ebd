/// A value expression of a scenario: numbers and names joined by `+` and `|`.
public indirect enum ValueExpr: Hashable, Sendable {
  case number(UInt64, SourcePosition)
  /// A `let` symbol, a predefined name, or a label of the parameter's domain.
  case name(String, SourcePosition)
  /// `:name`: an output an earlier call bound (`-> RMI_SUCCESS x1=:aux_count`), known only when
  /// the scenario runs.
  case bound(String, SourcePosition)
  case add(ValueExpr, ValueExpr)
  case or(ValueExpr, ValueExpr)

  public var position: SourcePosition {
    switch self {
    case .number(_, let p), .name(_, let p), .bound(_, let p): return p
    case .add(let a, _), .or(let a, _): return a.position
    }
  }

  /// The first `:name` in the expression, if any (left to right).
  var firstBound: (name: String, position: SourcePosition)? {
    switch self {
    case .number, .name: return nil
    case .bound(let name, let p): return (name, p)
    case .add(let a, let b), .or(let a, let b): return a.firstBound ?? b.firstBound
    }
  }
}

/// An argument of a call: positional (X1, X2, ...
///
/// in order) or named (`ipa=0x1000`, `X3=5`).
public struct CallArgument: Hashable, Sendable {
  public let name: String?
  public let value: ValueExpr
  public let position: SourcePosition
  /// An expected output written `x1!=VALUE`: the call must return another value (a digest that
  /// must differ from one an earlier call bound: `x1!=:rim_a`).
  public var differs = false
}

/// What a call is expected to return.
public struct Expectation: Hashable, Sendable {
  public enum Status: Hashable, Sendable {
    /// A status name (`RMI_ERROR_RTT`) with an optional index (`level 2`).
    case named(String, index: ValueExpr?)
    /// A raw X0 value.
    case value(ValueExpr)
    /// The call's guard must not hold (`NOT_ENABLED`).
    case notEnabled
  }

  public let status: Status
  /// The failure condition the model must report (`(rtt_walk)`), if given.
  public let condition: String?
  /// Expected outputs by name (`x1=0x1000`).
  public let outputs: [CallArgument]
  public let position: SourcePosition
}

/// A post-state assertion: `expect VARIABLE[KEY]... = VALUE`, or `expect granule ADDRESS state
/// VALUE` (the RMM's state of the granule at a PA, `granuleState`): what the ABI cannot observe.
public struct StateExpectation: Hashable, Sendable {
  /// The model's state variable (`granuleState`).
  public let variable: String
  /// Its keys: numbers, names or labels of the key domain.
  public let keys: [ValueExpr]
  /// Whether the one key is a granule's PA (the `granule ADDRESS` form), not its index.
  public let keyIsGranuleAddress: Bool
  public let value: ValueExpr
  public let position: SourcePosition
  /// The statement as written, for messages.
  public let text: String
}

/// One statement of a scenario file.
public enum Statement: Hashable, Sendable {
  /// `config NAME key=value ...`.
  case config(name: String, settings: [CallArgument], position: SourcePosition)
  /// `let NAME = VALUE`.
  case bind(name: String, value: ValueExpr, position: SourcePosition)
  /// `write ADDRESS Structure.field = VALUE`.
  case write(
    address: ValueExpr, field: String, value: ValueExpr, position: SourcePosition, fieldPosition: SourcePosition)
  /// `ACTION args... [on pe N] [-> expectation]`.
  case call(Call)
  /// `expect ...`: checked in the state after the preceding call.
  case expect(StateExpectation)
}

/// A call of a model action.
public struct Call: Hashable, Sendable {
  public let action: String
  public let arguments: [CallArgument]
  public let pe: ValueExpr?
  public let expectation: Expectation?
  public let position: SourcePosition
}

/// A parsed scenario file (names not yet resolved against a model).
public struct ScenarioSource: Hashable, Sendable {
  /// The file name shown in messages.
  public let file: String
  public let statements: [Statement]
}

// MARK: - Lexer

struct Token: Hashable {
  enum Kind: Hashable {
    case word(String)
    case number(UInt64)
    case symbol(String)
    /// `:name`, an output bound by an earlier call.
    case bound(String)
  }
  let kind: Kind
  let position: SourcePosition
  /// The token as written.
  let text: String
}

/// Parses scenario text into statements.
///
/// The grammar (Docs/scenarios.md): one statement per line; `#` starts a comment; leading
/// whitespace is free (indent realm steps under their REC_ENTER).
public enum ScenarioParser {
  /// Parses a scenario.
  ///
  /// - Throws: ``ScenarioError`` naming the line, column and field of the first error.
  public static func parse(_ text: String, file: String) throws -> ScenarioSource {
    var statements: [Statement] = []
    var lineNumber = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      var line = Substring(rawLine)
      if line.hasSuffix("\r") { line = line.dropLast() }
      let tokens = try tokenize(line, line: lineNumber, file: file)
      guard !tokens.isEmpty else { continue }
      var p = LineParser(tokens: tokens, file: file, line: lineNumber, end: line.count + 1)
      statements.append(try p.statement())
    }
    return ScenarioSource(file: file, statements: statements)
  }

  static func tokenize(_ line: Substring, line number: Int, file: String) throws -> [Token] {
    let chars = Array(line.unicodeScalars)
    var tokens: [Token] = []
    var i = 0
    func error(_ column: Int, _ field: String, _ message: String) -> ScenarioError {
      ScenarioError(file: file, line: number, column: column, field: field, message: message)
    }
    func isWordStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
    func isWordChar(_ c: Unicode.Scalar) -> Bool {
      isWordStart(c) || (c >= "0" && c <= "9") || c == "." || c == "[" || c == "]"
    }
    while i < chars.count {
      let c = chars[i]
      let position = SourcePosition(line: number, column: i + 1)
      if c == "#" { break }
      if c == " " || c == "\t" {
        i += 1
        continue
      }
      if isWordStart(c) {
        var j = i
        // A word may contain '-' (configuration, bound and mutant names) unless it starts '->'.
        while j < chars.count,
          isWordChar(chars[j]) || (chars[j] == "-" && !(j + 1 < chars.count && chars[j + 1] == ">"))
        {
          j += 1
        }
        let text = String(String.UnicodeScalarView(chars[i..<j]))
        tokens.append(Token(kind: .word(text), position: position, text: text))
        i = j
        continue
      }
      if c >= "0" && c <= "9" {
        var j = i
        while j < chars.count, chars[j].isASCII,
          chars[j].properties.isAlphabetic || (chars[j] >= "0" && chars[j] <= "9") || chars[j] == "_"
        {
          j += 1
        }
        let text = String(String.UnicodeScalarView(chars[i..<j]))
        guard let value = parseNumber(text) else {
          if parseNumber(text, checkOverflow: false) != nil {
            throw error(i + 1, "number", "'\(text)' does not fit in 64 bits")
          }
          throw error(
            i + 1, "number", "malformed number '\(text)'; expected decimal or 0x hex digits, '_' allowed between digits"
          )
        }
        tokens.append(Token(kind: .number(value), position: position, text: text))
        i = j
        continue
      }
      if c == ":" {
        guard i + 1 < chars.count, isWordStart(chars[i + 1]) else {
          throw error(i + 1, "syntax", "expected a name after ':' (an output bound by a call: x1=:aux_count)")
        }
        var j = i + 1
        while j < chars.count, isWordChar(chars[j]) && chars[j] != "[" && chars[j] != "]" && chars[j] != "." { j += 1 }
        let name = String(String.UnicodeScalarView(chars[(i + 1)..<j]))
        tokens.append(Token(kind: .bound(name), position: position, text: ":" + name))
        i = j
        continue
      }
      if c == "-" && i + 1 < chars.count && chars[i + 1] == ">" {
        tokens.append(Token(kind: .symbol("->"), position: position, text: "->"))
        i += 2
        continue
      }
      if c == "!" && i + 1 < chars.count && chars[i + 1] == "=" {
        tokens.append(Token(kind: .symbol("!="), position: position, text: "!="))
        i += 2
        continue
      }
      if "=,()+|".unicodeScalars.contains(c) {
        tokens.append(Token(kind: .symbol(String(c)), position: position, text: String(c)))
        i += 1
        continue
      }
      let shown =
        c.isASCII && c.value >= 0x20 && c.value < 0x7F ? "'\(c)'" : "U+\(String(c.value, radix: 16, uppercase: true))"
      throw error(
        i + 1, "syntax",
        "unexpected character \(shown); expected a name, a number, ':name', '=', '!=', ',', '->', '+', '|' or '#'")
    }
    return tokens
  }

  /// Parses `123`, `0x1F`, `0b101`, with `_` between digits; `nil` when malformed or (with
  /// `checkOverflow`) too large for 64 bits.
  static func parseNumber(_ text: String, checkOverflow: Bool = true) -> UInt64? {
    var digits = Substring(text)
    var radix: UInt64 = 10
    if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
      radix = 16
      digits = digits.dropFirst(2)
    } else if digits.hasPrefix("0b") || digits.hasPrefix("0B") {
      radix = 2
      digits = digits.dropFirst(2)
    }
    guard !digits.isEmpty, !digits.hasPrefix("_"), !digits.hasSuffix("_"), !digits.contains("__") else { return nil }
    var value: UInt64 = 0
    for ch in digits where ch != "_" {
      guard let d = ch.hexDigitValue, UInt64(d) < radix else { return nil }
      let (m, o1) = value.multipliedReportingOverflow(by: radix)
      let (s, o2) = m.addingReportingOverflow(UInt64(d))
      if (o1 || o2) && checkOverflow { return nil }
      value = s
    }
    return value
  }
}

/// Parses the tokens of one line.
struct LineParser {
  let tokens: [Token]
  let file: String
  let line: Int
  /// The column just past the line's last character (for "expected ...
  ///
  /// at end of line").
  let end: Int
  var i = 0

  init(tokens: [Token], file: String, line: Int, end: Int) {
    self.tokens = tokens
    self.file = file
    self.line = line
    self.end = end
  }

  var atEnd: Bool { i >= tokens.count }
  var here: SourcePosition { atEnd ? SourcePosition(line: line, column: end) : tokens[i].position }

  func error(_ field: String, _ message: String, at position: SourcePosition? = nil) -> ScenarioError {
    let p = position ?? here
    return ScenarioError(file: file, line: p.line, column: p.column, field: field, message: message)
  }

  /// What the current token is, for messages.
  var found: String { atEnd ? "the end of the line" : "'\(tokens[i].text)'" }

  func peekSymbol(_ s: String) -> Bool {
    if !atEnd, case .symbol(let t) = tokens[i].kind, t == s { return true }
    return false
  }

  func peekWord(_ w: String) -> Bool {
    if !atEnd, case .word(let t) = tokens[i].kind, t == w { return true }
    return false
  }

  /// Whether the token after the current one is the symbol `s`.
  func peekSymbol(_ s: String, ahead: Int) -> Bool {
    guard i + ahead < tokens.count, case .symbol(let t) = tokens[i + ahead].kind else { return false }
    return t == s
  }

  mutating func expectSymbol(_ s: String, field: String) throws {
    guard peekSymbol(s) else { throw error(field, "expected '\(s)', found \(found)") }
    i += 1
  }

  mutating func word(field: String, expected: String) throws -> (String, SourcePosition) {
    guard !atEnd, case .word(let w) = tokens[i].kind else { throw error(field, "expected \(expected), found \(found)") }
    i += 1
    return (w, tokens[i - 1].position)
  }

  mutating func statement() throws -> Statement {
    let start = here
    if peekWord("config") {
      i += 1
      let (name, _) = try word(field: "config", expected: "a configuration name")
      var settings: [CallArgument] = []
      while !atEnd {
        let (key, position) = try word(field: "config", expected: "a setting key=value (a bound or mutant)")
        try expectSymbol("=", field: key)
        settings.append(CallArgument(name: key, value: try value(field: key), position: position))
      }
      return .config(name: name, settings: settings, position: start)
    }
    if peekWord("let") {
      i += 1
      let (name, _) = try word(field: "let", expected: "a symbol name")
      try expectSymbol("=", field: name)
      let v = try value(field: name)
      try endOfLine(field: name)
      return .bind(name: name, value: v, position: start)
    }
    if peekWord("write") {
      i += 1
      let address = try value(field: "write")
      let (field, fieldPosition) = try word(field: "write", expected: "a structure field such as RealmParams.vmid")
      try expectSymbol("=", field: field)
      let v = try value(field: field)
      try endOfLine(field: field)
      return .write(address: address, field: field, value: v, position: start, fieldPosition: fieldPosition)
    }
    if peekWord("expect") {
      i += 1
      return .expect(try stateExpectation(start: start))
    }
    return .call(try call())
  }

  /// `granule ADDRESS state VALUE` or `VARIABLE[KEY]... = VALUE` (after `expect`).
  mutating func stateExpectation(start: SourcePosition) throws -> StateExpectation {
    // The statement takes the whole line.
    let text = tokens.map(\.text).joined(separator: " ")
    if peekWord("granule") {
      i += 1
      let address = try value(field: "granule")
      guard peekWord("state") else {
        throw error("expect", "expected 'state' after the granule's address, found \(found)")
      }
      i += 1
      let v = try value(field: "state")
      try endOfLine(field: "expect")
      return StateExpectation(
        variable: "granuleState", keys: [address], keyIsGranuleAddress: true, value: v, position: start, text: text)
    }
    let (word, position) = try word(
      field: "expect", expected: "'granule ADDRESS state NAME' or a state variable with its keys (rtte[4][0] = NAME)")
    // NAME[KEY][KEY]...: the lexer keeps brackets inside a word.
    var parts = word.split(separator: "[", omittingEmptySubsequences: false)
    let name = String(parts.removeFirst())
    var keys: [ValueExpr] = []
    var column = position.column + name.count
    for part in parts {
      guard part.hasSuffix("]"), part.count > 1, !part.dropLast().contains("]") else {
        throw error(
          "expect", "expected VARIABLE[KEY][KEY]... with one number or name per key, found '\(word)'", at: position)
      }
      let key = String(part.dropLast())
      let keyPosition = SourcePosition(line: position.line, column: column + 1)
      if let n = ScenarioParser.parseNumber(key) {
        keys.append(.number(n, keyPosition))
      } else if let c = key.unicodeScalars.first, c == "_" || (c.isASCII && c.properties.isAlphabetic),
        !key.contains(".")
      {
        keys.append(.name(key, keyPosition))
      } else {
        throw error("expect", "expected a number or a name as a key, found '\(key)'", at: keyPosition)
      }
      column += part.count + 1
    }
    guard !name.isEmpty, !name.contains("]"), !name.contains(".") else {
      throw error("expect", "expected a state variable name before '[', found '\(word)'", at: position)
    }
    try expectSymbol("=", field: name)
    let v = try value(field: name)
    try endOfLine(field: "expect")
    return StateExpectation(
      variable: name, keys: keys, keyIsGranuleAddress: false, value: v, position: start, text: text)
  }

  mutating func endOfLine(field: String) throws {
    guard atEnd else { throw error(field, "expected the end of the line, found \(found)") }
  }

  mutating func call() throws -> Call {
    let start = here
    let (action, _) = try word(
      field: "command", expected: "a command (config, let, write, or an action such as RMI_VERSION)")
    var arguments: [CallArgument] = []
    var pe: ValueExpr?
    var expectation: Expectation?
    while !atEnd {
      if peekSymbol(",") {
        guard !arguments.isEmpty else { throw error("arguments", "expected an argument before ','") }
        i += 1
        guard !atEnd, !peekSymbol("->"), !peekSymbol(",") else {
          throw error("arguments", "expected an argument after ',', found \(found)")
        }
        continue
      }
      if peekSymbol("->") {
        i += 1
        expectation = try expect()
        break
      }
      if peekWord("on") {
        let position = here
        i += 1
        guard peekWord("pe") else { throw error("pe", "expected 'pe' after 'on', found \(found)") }
        i += 1
        guard pe == nil else { throw error("pe", "the PE is given twice", at: position) }
        pe = try value(field: "pe")
        continue
      }
      let position = here
      if case .word(let name) = tokens[i].kind, peekSymbol("=", ahead: 1) {
        i += 2
        arguments.append(CallArgument(name: name, value: try value(field: name), position: position))
      } else {
        arguments.append(
          CallArgument(
            name: nil, value: try value(field: "X\(arguments.filter { $0.name == nil }.count + 1)"), position: position)
        )
      }
    }
    return Call(action: action, arguments: arguments, pe: pe, expectation: expectation, position: start)
  }

  mutating func expect() throws -> Expectation {
    let start = here
    let status: Expectation.Status
    guard !atEnd else {
      throw error(
        "expected result",
        "expected a status name (RMI_SUCCESS, RMI_ERROR_RTT level 2), a number or NOT_ENABLED after '->'")
    }
    if case .word(let name) = tokens[i].kind, !peekSymbol("=", ahead: 1) {
      i += 1
      if name == "NOT_ENABLED" {
        status = .notEnabled
      } else if peekWord("level") || peekWord("index") {
        i += 1
        status = .named(name, index: try value(field: "index"))
      } else {
        status = .named(name, index: nil)
      }
    } else if case .number = tokens[i].kind {
      status = .value(try value(field: "X0"))
    } else {
      throw error("expected result", "expected a status name, a number or NOT_ENABLED, found \(found)")
    }
    var condition: String?
    if peekSymbol("(") {
      i += 1
      condition = try word(field: "condition", expected: "a failure condition name such as rtt_walk").0
      try expectSymbol(")", field: "condition")
    }
    var outputs: [CallArgument] = []
    while !atEnd {
      if peekSymbol(",") {
        i += 1
        continue
      }
      let position = here
      let (name, _) = try word(field: "output", expected: "an expected output name=value (x1=0x1000)")
      // `x1!=VALUE`: the output must differ from VALUE.
      let differs = peekSymbol("!=")
      if differs { i += 1 } else { try expectSymbol("=", field: name) }
      var output = CallArgument(name: name, value: try value(field: name), position: position)
      output.differs = differs
      outputs.append(output)
    }
    return Expectation(status: status, condition: condition, outputs: outputs, position: start)
  }

  mutating func term(field: String) throws -> ValueExpr {
    guard !atEnd else { throw error(field, "expected a value (a number or a name), found the end of the line") }
    switch tokens[i].kind {
    case .number(let n):
      i += 1
      return .number(n, tokens[i - 1].position)
    case .word(let w):
      i += 1
      return .name(w, tokens[i - 1].position)
    case .bound(let name):
      i += 1
      return .bound(name, tokens[i - 1].position)
    case .symbol:
      throw error(field, "expected a value (a number or a name), found \(found)")
    }
  }

  /// The most terms one value may join with `+` and `|`.
  ///
  /// A value is a left-nested tree, which evaluation, hashing and deallocation walk recursively: the bound keeps that
  /// depth far from the stack's limit (40,000 terms overflowed it) while allowing any value a scenario needs.
  static let maximumTerms = 256

  mutating func value(field: String) throws -> ValueExpr {
    var result = try term(field: field)
    var terms = 1
    while peekSymbol("+") || peekSymbol("|") {
      let plus = peekSymbol("+")
      terms += 1
      guard terms <= Self.maximumTerms else {
        throw error(field, "a value joins at most \(Self.maximumTerms) terms with '+' and '|'; this one has more")
      }
      i += 1
      let rhs = try term(field: field)
      result = plus ? .add(result, rhs) : .or(result, rhs)
    }
    return result
  }
}
