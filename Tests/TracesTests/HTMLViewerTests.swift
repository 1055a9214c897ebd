import CCAModel
import Explore
import Foundation
import Spec
import Testing
import Traces

/// The HTML viewer's structure, checked without a browser (Scripts/check-html-viewer runs it
/// in headless Chromium).
@Suite("HTML viewer")
struct HTMLViewerTests {
  /// The JSON embedded in the page, parsed back.
  static func embeddedData(_ html: String) throws -> JSONValue {
    let open = "<script type=\"application/json\" id=\"trace-data\">"
    let start = try #require(html.range(of: open)).upperBound
    let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
    return try JSONValue.parse(Data(html[start..<end].utf8))
  }

  @Test("A real counterexample: self-contained page with step list, granule map and the trace as JSON")
  func structure() throws {
    let c = try Fixtures.fineMode()
    let html = TraceHTML.render(c.trace, model: c.model)
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    #expect(html.hasSuffix("</html>\n"))
    for id in ["step-list", "step-title", "changes", "tables", "variables", "prev", "next", "trace-data", "violation"] {
      #expect(html.contains("id=\"\(id)\""), "missing #\(id)")
    }
    // Navigation by keys and buttons.
    #expect(html.contains("\"ArrowRight\"") && html.contains("\"ArrowLeft\""))
    #expect(html.contains("addEventListener(\"keydown\""))
    // Nothing is fetched from anywhere: no external scripts, styles, images or fonts.
    for forbidden in ["src=", "href=", "<link", "@import", "url(", "http://", "https://", "fetch(", "XMLHttpRequest"] {
      #expect(!html.contains(forbidden), "the page must not reference \(forbidden)")
    }
    // Exactly two scripts (the data and the viewer) and one style sheet.
    #expect(html.components(separatedBy: "<script").count - 1 == 2)
    #expect(html.components(separatedBy: "</script>").count - 1 == 2)
    #expect(html.components(separatedBy: "<style>").count - 1 == 1)

    let data = try Self.embeddedData(html)
    let layout = c.model.layout
    guard case .array(let states)? = data["states"], case .array(let steps)? = data["steps"],
      case .array(let tables)? = data["tables"], case .array(let names)? = data["names"]
    else {
      Issue.record("embedded data lacks states, steps, tables or names")
      return
    }
    #expect(states.count == c.trace.steps.count + 1)
    #expect(steps.count == c.trace.steps.count)
    #expect(names.count == layout.count)
    for (k, state) in states.enumerated() {
      guard case .array(let values) = state else { continue }
      #expect(
        values == c.trace.states[k].indices.map { .string(TraceDiff.render(c.trace.states[k][$0], at: $0, layout)) })
    }
    for (i, step) in steps.enumerated() {
      let expected = TraceDiff.changes(c.trace, model: c.model, step: i).map { JSONValue.number(Int64($0.position)) }
      #expect(step["changed"] == .array(expected))
      #expect(step["call"] == .string(TraceText.call(c.trace.steps[i], model: c.model)))
    }
    let map = try #require(tables.first)
    #expect(map["id"] == .string("primary-map"))
    #expect(map["sort"] == .string("Granule"))
    #expect(map["rows"] == .array([.string("0"), .string("1")]))
    #expect(data["property"] == .string("gpt-consistent"))
    // The plain-text rendering is there for readers without JavaScript.
    #expect(html.contains("<details id=\"text\"><summary>Plain text</summary>"))
    #expect(html.contains("Step 1: RMI_GRANULE_DELEGATE"))
  }

  @Test("Text that looks like markup cannot break out of the page")
  func hostileText() throws {
    let b = ModelBuilder(name: "evil<b>", configuration: Configuration(name: "x\"'&", bounds: [:]))
    let x = b.variable("x", .range(0, 1), initial: 0)
    b.action("SET", by: "</script><script>alert(1)</script>") { a in a.set(x, to: 1) }
    b.invariant("x-is-0", doc: "</script><!-- <img src=x onerror=alert(2)> ]]>", x.value.eq(0))
    let model = b.build()
    let compiled = try CompiledModel(model)
    let trace = try compiled.trace(of: [(0, [])], property: "x-is-0")
    let html = TraceHTML.render(trace, model: model)
    #expect(html.components(separatedBy: "</script>").count - 1 == 2)
    #expect(!html.contains("<img"))
    #expect(!html.contains("<b>"))
    #expect(html.contains("evil&lt;b&gt;"))
    let data = try Self.embeddedData(html)
    #expect(data["propertyDoc"] == .string("</script><!-- <img src=x onerror=alert(2)> ]]>"))
    guard case .array(let steps)? = data["steps"] else {
      Issue.record("no steps")
      return
    }
    #expect(steps.first?["actor"] == .string("</script><script>alert(1)</script>"))
  }
}
