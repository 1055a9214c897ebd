import Foundation
import Spec

/// A self-contained HTML viewer for a trace: one file with inline CSS and JavaScript and the
/// trace embedded as JSON, so it opens offline from disk and needs no network access.
///
/// The page has a step list (the initial state, then every step with its call and result), a
/// step view with the variables the step changed, a *granule map* (one row per element of the
/// `Granule` index sort, one column per map slot keyed by it: ``IndexTable``), the tables of the
/// model's other index sorts, and every other variable. Changed cells are highlighted.
/// Navigation: the Previous/Next buttons, the arrow keys (Home and End for the ends), clicking a
/// step, or the URL fragment `#step=N`. The plain-text rendering is included in a folded
/// section and is readable without JavaScript.
///
/// Stable element ids for tools and tests: `step-list` (an `<ol>` with one `<li>` per state),
/// `step-title`, `changes`, `primary-map` (the table of the model's primary index sort), `index-<Sort>` for the
/// others, `variables`, `prev`, `next`, `trace-data` (the embedded JSON).
public enum TraceHTML {
  /// Renders a trace as one HTML document.
  ///
  /// - Parameter primarySort: the index sort shown first (`primary-map`); by default the model's
  ///   ``ABIDescription/primarySort``.
  public static func render(_ trace: Trace, model: Model, primarySort: String? = nil) -> String {
    let primarySort = primarySort ?? model.abi.primarySort ?? ""
    let title = trace.property.map { "\(trace.outcome) \($0): \(trace.model)" } ?? "Trace of \(trace.model)"
    let data = payload(trace, model: model, primarySort: primarySort).serialized()
    // The JSON sits in a <script> element: `<`, `>` and `&` occur only inside JSON strings, where
    // their \u escapes mean the same, so no `</script>` or `<!--` can end or hide the element.
    let embedded = data.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
      .replacingOccurrences(of: "&", with: "\\u0026")
    var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    out += "<meta name=\"generator\" content=\"CCAVerify\">\n"
    out += "<title>\(escape(title))</title>\n<style>\n\(css)</style>\n</head>\n<body>\n"
    out += "<header>\n<h1>\(escape(title))</h1>\n<p id=\"summary\">\(escape(trace.configuration.description))"
    out += " · \(trace.steps.count) steps"
    if let seed = trace.seed { out += " · seed \(seed)" }
    out += "</p>\n</header>\n"
    out += """
      <main>
      <nav aria-label="steps">
      <div class="controls"><button id="prev" type="button" title="previous step (←)">◀ Prev</button>
      <span id="position">0 / \(trace.steps.count)</span>
      <button id="next" type="button" title="next step (→)">Next ▶</button></div>
      <ol id="step-list" start="0"></ol>
      </nav>
      <section id="view">
      <h2 id="step-title"></h2>
      <p id="step-result"></p>
      <h3>Changed in this step</h3>
      <table id="changes"><thead><tr><th>variable</th><th>before</th><th>after</th></tr></thead><tbody></tbody></table>
      <div id="tables"></div>
      <h3>Other variables</h3>
      <table id="variables"><thead><tr><th>variable</th><th>value</th></tr></thead><tbody></tbody></table>
      <p id="violation"></p>
      </section>
      </main>

      """
    out +=
      "<details id=\"text\"><summary>Plain text</summary>\n<pre>\(escape(TraceText.render(trace, model: model)))</pre>\n</details>\n"
    out += "<script type=\"application/json\" id=\"trace-data\">\n\(embedded)</script>\n"
    out += "<script>\n\(script)</script>\n</body>\n</html>\n"
    return out
  }

  /// The trace as the viewer's JSON: rendered values, steps, changed positions and tables.
  static func payload(_ trace: Trace, model: Model, primarySort: String) -> JSONValue {
    let layout = model.layout
    let tables = IndexTable.tables(of: model, primary: primarySort)
    var inTable = Set<Int>()
    for table in tables {
      for column in table.columns { inTable.formUnion(column.positions) }
    }
    let names = (0..<layout.count).map { JSONValue.string(layout.name(at: $0)) }
    let states = trace.states.map { values in
      JSONValue.array(values.indices.map { .string(TraceDiff.render(values[$0], at: $0, layout)) })
    }
    let steps = trace.steps.enumerated().map { i, step -> JSONValue in
      let lanes = StepLanes.of(step, model: model)
      let changed = TraceDiff.changes(trace, model: model, step: i).map { JSONValue.number(Int64($0.position)) }
      return .object([
        ("call", .string(TraceText.call(step, model: model))),
        ("actor", .string(lanes.actor)),
        ("caller", lanes.caller.map(JSONValue.string) ?? .null),
        ("result", .string(step.resultSummary)),
        ("ok", .bool(step.succeeded)),
        ("changed", .array(changed)),
      ])
    }
    let tableJSON = tables.map { table -> JSONValue in
      .object([
        ("sort", .string(table.sort.name)),
        ("id", .string(table.sort.name == primarySort ? "primary-map" : "index-\(table.sort.name)")),
        ("rows", .array((0..<table.sort.count).map { .string(String($0)) })),
        (
          "columns",
          .array(
            table.columns.map { c in
              .object([("name", .string(c.name)), ("cells", .array(c.positions.map { .number(Int64($0)) }))])
            })
        ),
      ])
    }
    let doc = trace.property.flatMap { model.property(named: $0)?.doc } ?? ""
    return .object([
      ("model", .string(trace.model)),
      ("configuration", .string(trace.configuration.description)),
      ("outcome", .string(trace.outcome.rawValue)),
      ("property", trace.property.map(JSONValue.string) ?? .null),
      ("propertyDoc", .string(doc)),
      ("seed", trace.seed.map { .string(String($0)) } ?? .null),
      ("names", .array(names)),
      ("others", .array((0..<layout.count).filter { !inTable.contains($0) }.map { .number(Int64($0)) })),
      ("states", .array(states)),
      ("steps", .array(steps)),
      ("tables", .array(tableJSON)),
    ])
  }

  /// Escapes text for HTML element content and attribute values.
  static func escape(_ s: String) -> String {
    var out = ""
    for c in s {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(c)
      }
    }
    return out
  }

  static let css = """
    body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
    header { padding: 12px 20px; background: #233; color: #fff; }
    header h1 { font-size: 18px; margin: 0 0 4px; }
    header p { margin: 0; opacity: .85; font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
    main { display: flex; align-items: flex-start; gap: 16px; padding: 16px 20px; }
    nav { flex: 0 0 360px; position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; }
    .controls { display: flex; align-items: center; gap: 8px; margin-bottom: 8px; }
    .controls span { flex: 1; text-align: center; font-variant-numeric: tabular-nums; }
    button { font: inherit; padding: 4px 10px; border: 1px solid #aab; border-radius: 4px; background: #fff; cursor: pointer; }
    button:disabled { opacity: .4; cursor: default; }
    #step-list { margin: 0; padding-left: 32px; font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
    #step-list li { padding: 3px 6px; border-radius: 4px; cursor: pointer; }
    #step-list li:hover { background: #eef; }
    #step-list li.current { background: #dde6ff; outline: 1px solid #99f; }
    #step-list li.failed .result { color: #a40; }
    #step-list .actor { color: #667; }
    section { flex: 1; min-width: 0; }
    h2 { font-size: 16px; font-family: ui-monospace, Menlo, monospace; margin: 0 0 4px; }
    h3 { font-size: 14px; margin: 18px 0 6px; }
    table { border-collapse: collapse; font-family: ui-monospace, Menlo, monospace; font-size: 12px; background: #fff; display: block; overflow-x: auto; max-width: 100%; }
    th, td { border: 1px solid #ccd; padding: 3px 8px; text-align: left; white-space: nowrap; }
    th { background: #eef0f4; position: sticky; top: 0; }
    td.changed { background: #fff3b0; font-weight: 600; }
    td.before { color: #888; text-decoration: line-through; }
    #violation { margin-top: 18px; padding: 8px 12px; border-left: 4px solid #c33; background: #fee; display: none; }
    #violation.shown { display: block; }
    details { margin: 0 20px 20px; }
    pre { font-size: 12px; background: #fff; border: 1px solid #ccd; padding: 8px; overflow-x: auto; }

    """

  static let script = """
    (function () {
      "use strict";
      var data = JSON.parse(document.getElementById("trace-data").textContent);
      var count = data.steps.length;
      var current = 0;
      var list = document.getElementById("step-list");
      function el(tag, text, cls) {
        var e = document.createElement(tag);
        if (text !== undefined && text !== null) e.textContent = text;
        if (cls) e.className = cls;
        return e;
      }
      // The step list: the initial state, then each step.
      var first = el("li");
      first.appendChild(el("span", "initial state"));
      list.appendChild(first);
      data.steps.forEach(function (s, i) {
        var li = el("li", null, s.ok ? "ok" : "failed");
        li.appendChild(el("span", (s.caller ? s.caller + " → " : "") + s.actor + ": ", "actor"));
        li.appendChild(el("span", s.call, "call"));
        li.appendChild(el("span", " → " + s.result, "result"));
        list.appendChild(li);
      });
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.addEventListener("click", function () { show(i); });
      });
      // One table per index sort.
      var tables = document.getElementById("tables");
      data.tables.forEach(function (t) {
        var h = el("h3", t.sort + " map");
        tables.appendChild(h);
        var table = el("table");
        table.id = t.id;
        var head = el("thead"), row = el("tr");
        row.appendChild(el("th", t.sort));
        t.columns.forEach(function (c) { row.appendChild(el("th", c.name)); });
        head.appendChild(row);
        table.appendChild(head);
        var body = el("tbody");
        t.rows.forEach(function (r, ri) {
          var tr = el("tr");
          tr.appendChild(el("th", r));
          t.columns.forEach(function (c) {
            var td = el("td");
            td.dataset.position = c.cells[ri];
            tr.appendChild(td);
          });
          body.appendChild(tr);
        });
        table.appendChild(body);
        tables.appendChild(table);
      });
      var vars = document.querySelector("#variables tbody");
      data.others.forEach(function (p) {
        var tr = el("tr");
        tr.appendChild(el("th", data.names[p]));
        var td = el("td");
        td.dataset.position = p;
        tr.appendChild(td);
        vars.appendChild(tr);
      });
      var cells = document.querySelectorAll("td[data-position]");
      function show(k) {
        k = Math.max(0, Math.min(count, k));
        current = k;
        var state = data.states[k];
        var changed = k > 0 ? data.steps[k - 1].changed : [];
        var isChanged = {};
        changed.forEach(function (p) { isChanged[p] = true; });
        Array.prototype.forEach.call(cells, function (td) {
          var p = +td.dataset.position;
          td.textContent = state[p];
          td.classList.toggle("changed", !!isChanged[p]);
        });
        Array.prototype.forEach.call(list.children, function (li, i) {
          li.classList.toggle("current", i === k);
        });
        var title = document.getElementById("step-title");
        var result = document.getElementById("step-result");
        if (k === 0) {
          title.textContent = "Initial state";
          result.textContent = data.configuration;
        } else {
          var s = data.steps[k - 1];
          title.textContent = "Step " + k + ": " + s.call;
          result.textContent = (s.caller ? s.caller + " → " : "") + s.actor + " · " + s.result;
        }
        var body = document.querySelector("#changes tbody");
        body.textContent = "";
        if (k > 0 && changed.length === 0) {
          var tr = el("tr");
          var td = el("td", "(no change)");
          td.colSpan = 3;
          tr.appendChild(td);
          body.appendChild(tr);
        }
        changed.forEach(function (p) {
          var tr = el("tr");
          tr.appendChild(el("th", data.names[p]));
          tr.appendChild(el("td", data.states[k - 1][p], "before"));
          tr.appendChild(el("td", state[p], "changed"));
          body.appendChild(tr);
        });
        var v = document.getElementById("violation");
        if (data.property && k === count) {
          v.textContent = "This state violates " + data.property + (data.propertyDoc ? ": " + data.propertyDoc : "");
          v.classList.add("shown");
        } else {
          v.classList.remove("shown");
        }
        document.getElementById("position").textContent = k + " / " + count;
        document.getElementById("prev").disabled = k === 0;
        document.getElementById("next").disabled = k === count;
        var li = list.children[k];
        if (li && li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
        if (history.replaceState) history.replaceState(null, "", "#step=" + k);
      }
      document.getElementById("prev").addEventListener("click", function () { show(current - 1); });
      document.getElementById("next").addEventListener("click", function () { show(current + 1); });
      document.addEventListener("keydown", function (e) {
        if (e.altKey || e.ctrlKey || e.metaKey) return;
        if (e.key === "ArrowRight" || e.key === "ArrowDown" || e.key === "j") { show(current + 1); e.preventDefault(); }
        else if (e.key === "ArrowLeft" || e.key === "ArrowUp" || e.key === "k") { show(current - 1); e.preventDefault(); }
        else if (e.key === "Home") { show(0); e.preventDefault(); }
        else if (e.key === "End") { show(count); e.preventDefault(); }
      });
      var m = /step=(\\d+)/.exec(location.hash);
      show(m ? parseInt(m[1], 10) : 0);
      document.body.dataset.ready = "true";
    })();

    """
}
