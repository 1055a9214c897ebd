import Foundation

/// One measured value, rendered the same way in the table and in JSON.
enum Cell: Sendable {
  case text(String)
  case integer(Int)
  /// A number printed with a fixed number of decimals in the table, full precision in JSON.
  case number(Double, decimals: Int)
  /// No value (not measured, not applicable).
  case none

  static func seconds(_ s: Double) -> Cell { .number(s, decimals: s < 10 ? 3 : 1) }

  var tableText: String {
    switch self {
    case .text(let s): return s
    case .integer(let n): return n.formatted(.number.grouping(.automatic))
    case .number(let x, let decimals): return String(format: "%.\(decimals)f", x)
    case .none: return "-"
    }
  }

  var json: String {
    switch self {
    case .text(let s): return jsonQuote(s)
    case .integer(let n): return String(n)
    case .number(let x, _): return x.isFinite ? String(x) : "null"
    case .none: return "null"
    }
  }
}

/// A result table: named columns, rows of cells, and notes printed under it.
struct ResultTable: Sendable {
  let title: String
  let columns: [String]
  var rows: [[Cell]] = []
  var notes: [String] = []

  init(title: String, columns: [String]) {
    self.title = title
    self.columns = columns
  }

  mutating func append(_ row: [Cell]) {
    precondition(row.count == columns.count, "a row of \(row.count) cells for \(columns.count) columns")
    rows.append(row)
  }

  /// The table as aligned plain text: numbers right-aligned, text left-aligned.
  func render() -> String {
    let cells = rows.map { $0.map(\.tableText) }
    var widths = columns.map(\.count)
    for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
    func line(_ row: [String], numeric: [Bool]) -> String {
      row.enumerated().map { i, c in
        let pad = String(repeating: " ", count: widths[i] - c.count)
        return numeric[i] ? pad + c : c + pad
      }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
    let numericColumns = columns.indices.map { i in
      rows.contains { if case .text = $0[i] { return false } else { return true } }
        && !rows.contains { if case .text = $0[i] { return true } else { return false } }
    }
    var out = "\(title)\n\n"
    out += line(columns, numeric: numericColumns) + "\n"
    out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    for row in cells { out += line(row, numeric: numericColumns) + "\n" }
    if !notes.isEmpty {
      out += "\n" + notes.map { "note: \($0)" }.joined(separator: "\n") + "\n"
    }
    return out
  }

  /// `{"title": ..., "rows": [{column: value, ...}], "notes": [...]}`.
  func jsonText(indent: String = "") -> String {
    let i1 = indent + "  "
    let i2 = i1 + "  "
    var out = "{\n\(i1)\"title\": \(jsonQuote(title)),\n\(i1)\"rows\": ["
    out += rows.map { row in
      "\n\(i2){" + zip(columns, row).map { "\(jsonQuote($0)): \($1.json)" }.joined(separator: ", ") + "}"
    }.joined(separator: ",")
    out += rows.isEmpty ? "],\n" : "\n\(i1)],\n"
    out += "\(i1)\"notes\": [" + notes.map(jsonQuote).joined(separator: ", ") + "]\n\(indent)}"
    return out
  }
}

/// What every benchmark prints before its tables: when, where, and with what.
struct RunContext {
  let date: String
  let host: String
  let cores: Int
  let memoryGB: Double
  let z3: String
  let swiftBuild: String
  /// /proc/loadavg's 1, 5 and 15 minute averages when the benchmark started: other work on the
  /// machine (the cores are shared) shows up here and in the timings.
  let loadAtStart: String
  /// Whether SWIFT_DETERMINISTIC_HASHING is set: Swift's Set and Dictionary orders (and so the
  /// order in which an engine may build Z3 terms) are then the same in every process.
  let deterministicHashing: Bool

  static func current(z3: String) -> RunContext {
    let info = ProcessInfo.processInfo
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    #if DEBUG
      let build = "debug (numbers are not representative: use -c release)"
    #else
      let build = "release"
    #endif
    return RunContext(
      date: formatter.string(from: Date()), host: cpuModel() ?? info.hostName,
      cores: info.activeProcessorCount, memoryGB: Double(info.physicalMemory) / 1_073_741_824, z3: z3,
      swiftBuild: build, loadAtStart: loadAverage() ?? "?",
      deterministicHashing: (info.environment["SWIFT_DETERMINISTIC_HASHING"] ?? "").isEmpty == false)
  }

  /// The 1, 5 and 15 minute load averages (Linux), e.g. "0.52 0.61 0.70".
  static func loadAverage() -> String? {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
  }

  var text: String {
    "\(date)  \(host), \(cores) cores, \(String(format: "%.0f", memoryGB)) GB; Z3 \(z3); \(swiftBuild) build; "
      + "Swift hashing \(deterministicHashing ? "deterministic" : "randomized per process"); "
      + "load average \(loadAtStart) at start, \(Self.loadAverage() ?? "?") at end"
  }

  var json: String {
    "{\"date\": \(jsonQuote(date)), \"cpu\": \(jsonQuote(host)), \"cores\": \(cores), "
      + "\"memoryGB\": \(String(format: "%.1f", memoryGB)), \"z3\": \(jsonQuote(z3)), \"build\": \(jsonQuote(swiftBuild)), "
      + "\"deterministicHashing\": \(deterministicHashing), \"loadAverageAtStart\": \(jsonQuote(loadAtStart)), \"loadAverageAtEnd\": \(jsonQuote(Self.loadAverage() ?? "?"))}"
  }

  /// The CPU model from /proc/cpuinfo (Linux), if readable.
  static func cpuModel() -> String? {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
      if let colon = line.firstIndex(of: ":") {
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
    return nil
  }
}

/// Prints the context and the tables, as text or as one JSON object.
func emit(_ tables: [ResultTable], context: RunContext, command: String, json: Bool) {
  if json {
    var out = "{\n  \"command\": \(jsonQuote(command)),\n  \"machine\": \(context.json),\n  \"tables\": ["
    out += tables.map { "\n    " + $0.jsonText(indent: "    ") }.joined(separator: ",")
    out += "\n  ]\n}\n"
    print(out, terminator: "")
  } else {
    print("cca-bench \(command): \(context.text)\n")
    print(tables.map { $0.render() }.joined(separator: "\n"), terminator: "")
  }
}

func jsonQuote(_ s: String) -> String {
  var out = "\""
  for u in s.unicodeScalars {
    switch u {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\t": out += "\\t"
    case "\r": out += "\\r"
    default:
      if u.value < 0x20 {
        out += String(format: "\\u%04x", u.value)
      } else {
        out.unicodeScalars.append(u)
      }
    }
  }
  return out + "\""
}

/// Writes a progress line to standard error (never mixed into the table or JSON).
func progress(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}
