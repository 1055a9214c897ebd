import Foundation
import Traces

/// Renderings of proof results: the terminal table, JSON and JUnit XML.
public enum ProveReport {
  /// The table printed by `cca-verify prove`.
  public static func table(_ results: [TargetResult]) -> String {
    let header = ["target", "property", "engine", "outcome", "expected", "seconds"]
    var rows = results.map {
      [
        $0.target, $0.property, $0.engine, $0.outcome.rawValue + ($0.met ? "" : "  <-- UNMET"), $0.expected.rawValue,
        String(format: "%.2f", $0.seconds),
      ]
    }
    rows.insert(header, at: 0)
    var widths = [Int](repeating: 0, count: header.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    var out = ""
    for (r, row) in rows.enumerated() {
      out += row.enumerated().map { i, cell in
        i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
      out += "\n"
      if r == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
    }
    // What each result covers: the bounds that still apply (or `parametric (Sort); bounds kept`)
    // and, for induction, the lemmas proved with it.
    out += "\nscope:\n"
    for r in results {
      var line = "  \(r.target): \(r.scope)"
      if let lemmas = r.assumedLemmas {
        line += lemmas.isEmpty ? "; no lemmas" : "; lemmas proved with it: \(lemmas.joined(separator: ", "))"
      }
      out += line + "\n"
    }
    let met = results.filter(\.met).count
    let total = results.reduce(0) { $0 + $1.seconds }
    out += "\n\(met) of \(results.count) targets met their expectation in \(String(format: "%.2f", total)) s\n"
    return out
  }

  /// `{"targets": [...]}` with one object per target.
  public static func json(_ results: [TargetResult]) -> JSONValue {
    .object([
      ("tool", .string("CCAVerify")),
      ("version", .string(toolVersion)),
      (
        "targets",
        .array(
          results.map { r in
            .object([
              ("target", .string(r.target)),
              ("file", .string(r.file)),
              ("property", .string(r.property)),
              ("engine", .string(r.engine)),
              ("outcome", .string(r.outcome.rawValue)),
              ("scope", .string(r.scope)),
              ("expected", .string(r.expected.rawValue)),
              ("met", .bool(r.met)),
              ("seconds", .string(String(format: "%.3f", r.seconds))),
              ("trace", r.trace.map(JSONValue.string) ?? .null),
              ("detail", .string(r.detail)),
              ("lemmas", r.assumedLemmas.map { .array($0.map(JSONValue.string)) } ?? .null),
              // Where the lemmas are proved: induction proves them with the properties, in the same
              // obligations (null when no lemma was assumed).
              (
                "lemmas-proved",
                r.assumedLemmas.map { $0.isEmpty ? .null : .string("with the properties, in this induction") } ?? .null
              ),
            ])
          })
      ),
    ])
  }

  /// The JUnit `classname` of a target: its folder path, dotted as CI tools group class names
  /// (`Proofs/da/x.toml` -> `Proofs.da`; a target in the current folder -> `Proofs`).
  public static func junitClassname(file: String) -> String {
    let folder = (file as NSString).deletingLastPathComponent
    let parts = folder.split(separator: "/").filter { $0 != "." && !$0.isEmpty }
    return parts.isEmpty ? "Proofs" : parts.joined(separator: ".")
  }

  /// JUnit XML: one test case per target (its `classname` the target's folder path, see
  /// ``junitClassname(file:)``), a failure for each unmet expectation.
  public static func junit(_ results: [TargetResult]) -> String {
    func escape(_ s: String) -> String {
      var out = ""
      for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.unicodeScalars.append(c.value < 0x20 && c != "\n" && c != "\t" ? " " : c)
        }
      }
      return out
    }
    let failures = results.filter { !$0.met }.count
    let total = results.reduce(0) { $0 + $1.seconds }
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml +=
      "<testsuites name=\"cca-verify prove\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" time=\"\(String(format: "%.3f", total))\">\n"
    xml +=
      "  <testsuite name=\"Proofs\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(String(format: "%.3f", total))\">\n"
    for r in results {
      // The target file goes in system-out: the common JUnit schema (Jenkins xunit junit-10.xsd,
      // which Scripts/check-junit validates against) has no `file` attribute on a test case.
      xml +=
        "    <testcase classname=\"\(escape(junitClassname(file: r.file)))\" name=\"\(escape(r.target))\" time=\"\(String(format: "%.3f", r.seconds))\">\n"
      if !r.met {
        xml +=
          "      <failure message=\"expected \(r.expected.rawValue), got \(r.outcome.rawValue)\" type=\"\(r.outcome.rawValue)\">\(escape(r.detail))</failure>\n"
      }
      let lemmas =
        r.assumedLemmas.map { $0.isEmpty ? " lemmas: none" : " lemmas (proved with it): \($0.joined(separator: ", "))" }
        ?? ""
      xml +=
        "      <system-out>\(escape("\(r.file): \(r.property) \(r.engine) \(r.outcome.rawValue) [\(r.scope)]\(lemmas) \(r.trace ?? "")"))</system-out>\n"
      xml += "    </testcase>\n"
    }
    xml += "  </testsuite>\n</testsuites>\n"
    return xml
  }
}
