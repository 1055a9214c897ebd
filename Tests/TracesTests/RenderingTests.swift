import CCAModel
import Explore
import Foundation
import Spec
import Testing
import Traces

@Suite("Renderings: text, Markdown, Mermaid")
struct RenderingTests {
  @Test("Text and Markdown list only the variables each step changed, in the model's terms")
  func onlyChanges() throws {
    let c = try Fixtures.bfs("no-tlbi-on-delegate")
    let layout = c.model.layout
    let text = TraceText.render(c.trace, model: c.model)
    let markdown = TraceMarkdown.render(c.trace, model: c.model)
    for (i, step) in c.trace.steps.enumerated() {
      let changes = TraceDiff.changes(c.trace, model: c.model, step: i)
      #expect(!changes.isEmpty || !step.succeeded)
      for change in changes {
        #expect(text.contains("  \(change.name): \(change.before) -> \(change.after)\n"))
        #expect(markdown.contains("| `\(change.name)` | \(change.before) | **\(change.after)** |"))
      }
      // Every unchanged slot is absent from the step's section.
      let section = try #require(
        markdown.components(separatedBy: "### Step \(i + 1):").last?.components(separatedBy: "### Step").first)
      for position in 0..<layout.count where c.trace.states[i][position] == c.trace.states[i + 1][position] {
        #expect(!section.contains("| `\(layout.name(at: position))` |"))
      }
      #expect(markdown.contains("### Step \(i + 1): `\(TraceText.call(step, model: c.model))` → \(step.resultSummary)"))
    }
    #expect(markdown.hasPrefix("# Counterexample: \(c.trace.property ?? "")"))
    #expect(markdown.contains("The last state violates **\(c.trace.property ?? "")**"))
    #expect(text.contains("granuleState[0]: UNDELEGATED -> DELEGATED"))
  }

  @Test("Markdown table cells escape pipes and markup")
  func markdownEscaping() {
    #expect(TraceMarkdown.cell("a|b*c`d<e") == "a\\|b\\*c\\`d\\<e")
    #expect(TraceMarkdown.cell("EL3_DELEGATE_LOCK") == "EL3_DELEGATE_LOCK")
  }

  @Test("Mermaid: one lane per party, RMI calls from the hypervisor, EL3 steps on their own lane")
  func mermaidLanes() throws {
    let c = try Fixtures.fineMode()
    let diagram = TraceMermaid.render(c.trace, model: c.model)
    let lines = diagram.split(separator: "\n").map(String.init)
    #expect(lines.first == "sequenceDiagram")
    let participants = lines.filter { $0.hasPrefix("  participant ") }
    #expect(participants == ["  participant p0 as hypervisor", "  participant p1 as RMM", "  participant p2 as EL3"])
    for (i, step) in c.trace.steps.enumerated() {
      let call = "\(i + 1). \(TraceText.call(step, model: c.model))"
      if step.action.hasPrefix("RMI_") {
        #expect(lines.contains("  p0->>+p1: \(call)"))
      } else if step.action.hasPrefix("EL3_") {
        #expect(lines.contains { $0.hasPrefix("  p2->>p2: \(call)") })
      }
    }
    #expect(
      lines.last == "  Note over p2: violates gpt-consistent"
        || lines.last?.hasSuffix("violates gpt-consistent") == true)
    // Every message and note is one line with no raw ';' or '#' outside entity codes.
    for line in lines where line.contains(": ") {
      let text = line.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
      #expect(!text.replacingOccurrences(of: "#59;", with: "").replacingOccurrences(of: "#35;", with: "").contains(";"))
    }
  }

  @Test("Mermaid: a lane per realm instance, and RSI calls come from the realm")
  func mermaidInstances() throws {
    let model = Fixtures.bank()
    let compiled = try CompiledModel(model)
    let steps: [(action: Int, arguments: [Value])] = [
      (try #require(model.action(named: "GIVE")), [1, 0]),
      (try #require(model.action(named: "RSI_SPEND")), [0]),
      (try #require(model.action(named: "RMI_DEPOSIT")), [1]),
      (try #require(model.action(named: "RSI_SPEND")), [1]),
    ]
    let trace = try compiled.trace(of: steps, property: "no-overdraft")
    let diagram = TraceMermaid.render(trace, model: model)
    #expect(diagram.contains("participant p0 as hypervisor"))
    #expect(diagram.contains("participant p1 as realm 1"))
    #expect(diagram.contains("participant p2 as realm 0"))
    #expect(diagram.contains("participant p3 as RMM"))
    #expect(diagram.contains("p1->>p1: 1. GIVE(realm=1, granule=0)"))
    #expect(diagram.contains("p2->>+p3: 2. RSI_SPEND(realm=0)"))
    #expect(diagram.contains("p3-->>-p2: success"))
    #expect(diagram.contains("p0->>+p3: 3. RMI_DEPOSIT(realm=1)"))
    #expect(StepLanes.of(trace.steps[3], model: model) == StepLanes(actor: "RMM", caller: "realm 1"))
  }

  @Test("Mermaid: RMM commands the hypervisor issues run in the RMM's lane")
  func mermaidRMMLanes() throws {
    // The shortest counterexample of data-create-skips-state-check: RMI commands only.
    let c = try Fixtures.bfs("data-create-skips-state-check", configuration: "rmm-small")
    let diagram = TraceMermaid.render(c.trace, model: c.model)
    #expect(diagram.contains("participant p0 as hypervisor"))
    #expect(diagram.contains("participant p1 as RMM"))
    for (i, step) in c.trace.steps.enumerated() where step.action.hasPrefix("RMI_") {
      #expect(StepLanes.of(step, model: c.model) == StepLanes(actor: "RMM", caller: "hypervisor"))
      #expect(diagram.contains("p0->>+p1: \(i + 1). \(step.action)"), "\(diagram)")
    }
  }

  @Test("Index tables: one row per granule, a column per map slot keyed by it, own state first")
  func granuleMap() throws {
    let c = try Fixtures.bfs("no-tlbi-on-delegate")
    let tables = IndexTable.tables(of: c.model)
    let map = try #require(tables.first)
    #expect(map.sort.name == "Granule")
    let names = map.columns.map(\.name)
    #expect(names.contains("granuleState"))
    #expect(names.contains("memory"))
    #expect(names.contains("cacheLine[NS]"))
    #expect(names.contains("gptTLB[PE 1]"))
    let firstForeign = try #require(names.firstIndex { $0.hasPrefix("gptTLB") })
    let own = try #require(names.firstIndex(of: "granuleState"))
    #expect(own < firstForeign)
    let layout = c.model.layout
    let state = try #require(map.columns.first { $0.name == "granuleState" })
    #expect(state.positions.map { layout.name(at: $0) } == ["granuleState[0]", "granuleState[1]"])
    #expect(tables.map(\.sort.name).contains("PE"))
    // A model without index sorts has no tables.
    let scalar = ModelBuilder(name: "x", configuration: Configuration(name: "c", bounds: [:]))
    scalar.variable("x", .bool, initial: false)
    #expect(IndexTable.tables(of: scalar.build()).isEmpty)
  }

  @Test("Every format renders every real counterexample", arguments: TraceFormat.allCases)
  func everyFormat(_ format: TraceFormat) throws {
    for c in [
      try Fixtures.bfs("no-tlbi-on-delegate"), try Fixtures.bfs("cmo-source-alias-only"), try Fixtures.fineMode(),
    ] {
      let rendering = format.render(c.trace, model: c.model)
      #expect(rendering.count > 200)
      for step in c.trace.steps {
        #expect(rendering.contains(step.action))
      }
    }
  }
}
