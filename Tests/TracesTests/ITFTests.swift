import CCAModel
import Explore
import Foundation
import Spec
import Testing
import Traces

@Suite("ITF: round trips, ADR-015 field by field, hand-written traces")
struct ITFTests {
  @Test("A written trace reads back equal, by the strict and the lenient reader")
  func roundTrip() throws {
    for c in [try Fixtures.bfs("no-tlbi-on-delegate"), try Fixtures.fineMode()] {
      let text = ITF.document(for: c.trace, model: c.model, toolVersion: "test").serialized()
      let document = try JSONValue.parse(Data(text.utf8))
      #expect(try ITF.read(document, model: c.model) == c.trace)
      #expect(try ITF.read(document, compiled: c.compiled) == c.trace)
      #expect(replay(c.compiled, trace: try ITF.read(document, compiled: c.compiled)) == .exact)
    }
  }

  @Test("Outputs (X1..X4) are written, read back, rendered, and computed when a hand-written trace leaves them out")
  func outputs() throws {
    let b = ModelBuilder(name: "outputs", configuration: Configuration(name: "c", bounds: [:]))
    let x = b.variable("x", .range(0, 3), initial: 1)
    b.action("RMI_READ", by: "RMM", parameters: [Parameter("add", .range(0, 2))]) { a in
      a.fail("at_max", error: "RMI_ERROR_INPUT", code: 1, when: x.value.eq(3))
      a.output("X1", x.value + a.arg("add"))
      a.set(x, to: x.value + 1)
    }
    let model = b.build()
    let compiled = try CompiledModel(model)
    let trace = try compiled.trace(of: [(0, [2]), (0, [0])], outcome: .example)
    #expect(trace.steps.map(\.outputs) == [[3], [2]])
    let document = ITF.document(for: trace, model: model, toolVersion: "test")
    guard case .array(let states)? = document["states"] else {
      Issue.record("no states")
      return
    }
    #expect(states[1]["#meta"]?["result"]?["outputs"] == .object([("X1", .object([("#bigint", .string("3"))]))]))
    #expect(try ITF.read(document, model: model) == trace)
    #expect(try ITF.read(document, compiled: compiled) == trace)
    #expect(TraceText.describe(trace.steps[0], model: model) == "RMI_READ(add=2) -> success [X1=0x3]")
    // Left out, they are computed; stated wrongly, replay says so.
    let bare = try JSONValue.parse(
      Data(
        ##"{"#meta": {"model": "outputs"}, "states": [{}, {"mbt::actionTaken": "RMI_READ", "mbt::nondetPicks": {"add": 2}}]}"##
          .utf8))
    let read = try ITF.read(bare, compiled: compiled)
    #expect(read.steps[0].outputs == [3])
    #expect(replay(compiled, trace: read) == .exact)
    let wrong = try JSONValue.parse(
      Data(
        ##"{"#meta": {"model": "outputs"}, "states": [{}, {"#meta": {"result": {"status": "success", "outputs": {"X1": 7}}}, "mbt::actionTaken": "RMI_READ", "mbt::nondetPicks": {"add": 2}}]}"##
          .utf8))
    guard case .diverged(1, _) = replay(compiled, trace: try ITF.read(wrong, compiled: compiled)) else {
      Issue.record("a wrong output must diverge at step 1")
      return
    }
  }

  /// Returns the paths of the values that are not ITF values (ADR-015).
  ///
  /// An ITF value is a boolean, a string, a `#bigint` object with a decimal string, a `#tup` or
  /// `#set` array, a `#map` of pairs, a list, or a record of ITF values.
  static func nonITFValues(_ value: JSONValue, path: String) -> [String] {
    switch value {
    case .bool, .string: return []
    case .null: return [path + ": null is not an ITF value"]
    case .number(let n):
      // Plain JSON integers are allowed in the safe range; CCAVerify never writes them in states.
      return [path + ": plain number \(n) (CCAVerify writes #bigint)"]
    case .array(let items):
      return items.enumerated().flatMap { nonITFValues($1, path: "\(path)[\($0)]") }
    case .object(let members):
      if members.count == 1, let (key, inner) = members.first {
        switch key {
        case "#bigint":
          guard case .string(let digits) = inner, !digits.isEmpty,
            digits.drop(while: { $0 == "-" }).allSatisfy(\.isNumber)
          else { return [path + ": #bigint must hold a decimal string"] }
          return []
        case "#tup", "#set":
          guard case .array(let items) = inner else { return [path + ": \(key) must hold an array"] }
          return items.enumerated().flatMap { nonITFValues($1, path: "\(path).\(key)[\($0)]") }
        case "#map":
          guard case .array(let pairs) = inner else { return [path + ": #map must hold an array"] }
          return pairs.enumerated().flatMap { i, pair -> [String] in
            guard case .array(let kv) = pair, kv.count == 2 else { return ["\(path).#map[\(i)]: not a pair"] }
            return nonITFValues(kv[0], path: "\(path).#map[\(i)][0]")
              + nonITFValues(kv[1], path: "\(path).#map[\(i)][1]")
          }
        default: break
        }
      }
      return members.flatMap { key, inner in
        key.hasPrefix("#") ? ["\(path).\(key): unknown reserved key"] : nonITFValues(inner, path: "\(path).\(key)")
      }
    }
  }

  @Test("Written traces follow Apalache ADR-015 field by field")
  func adr015() throws {
    let c = try Fixtures.fineMode()
    let document = ITF.document(for: c.trace, model: c.model, toolVersion: "test")
    guard case .object(let top) = document else {
      Issue.record("the document is not an object")
      return
    }
    // Top level: #meta (an object), vars (strings), states (objects); optional params and loop absent.
    #expect(top.map(\.0) == ["#meta", "vars", "states"])
    guard case .object(let meta)? = document["#meta"], case .array(let vars)? = document["vars"],
      case .array(let states)? = document["states"]
    else {
      Issue.record("#meta, vars or states has the wrong type")
      return
    }
    #expect(meta.first { $0.0 == "format" }?.1 == .string("ITF"))
    #expect(meta.first { $0.0 == "format-description" }?.1 == .string(ITF.formatDescription))
    let names = vars.compactMap { v -> String? in
      if case .string(let s) = v { return s }
      return nil
    }
    #expect(names.count == vars.count, "vars must be strings")
    #expect(Set(names).count == names.count, "vars must be distinct")
    #expect(names == c.model.variables.map(\.name) + ["mbt::actionTaken", "mbt::nondetPicks"])
    #expect(states.count == c.trace.states.count)
    for (i, state) in states.enumerated() {
      guard case .object(let members) = state else {
        Issue.record("state \(i) is not an object")
        continue
      }
      // Each state: #meta, then exactly the variables of vars.
      #expect(members.map(\.0) == ["#meta"] + names)
      #expect(state["#meta"]?["index"] == .number(Int64(i)))
      for (name, value) in members where name != "#meta" {
        let problems = Self.nonITFValues(value, path: "states[\(i)].\(name)")
        #expect(problems.isEmpty, "\(problems)")
      }
    }
    // Maps are sparse: a #map lists the entries that differ from its default in
    // #meta.map-defaults (the others hold it, as #meta.map-entries says), with #tup keys for
    // maps of several keys. Every cache line starts INVALID, so the first state lists none.
    #expect(meta.first { $0.0 == "map-entries" }?.1 == .string(ITF.mapEntriesNote))
    #expect(meta.first { $0.0 == "map-defaults" }?.1["cacheLine"] == .string("INVALID"))
    #expect(states[0]["cacheLine"]?["#map"] == .array([]))
    // no-tlbi-on-delegate's counterexample changes a PE's GPT TLB entry (keys PE and granule).
    let tlb = try Fixtures.bfs("no-tlbi-on-delegate")
    guard case .array(let tlbStates)? = ITF.document(for: tlb.trace, model: tlb.model, toolVersion: "test")["states"]
    else {
      Issue.record("no states")
      return
    }
    let multiKey = tlb.model.variables.filter { $0.keys.count == 2 }.map(\.name)
    let changed = tlbStates.flatMap { state in
      multiKey.compactMap { name -> [JSONValue]? in
        guard case .array(let entries)? = state[name]?["#map"], !entries.isEmpty else { return nil }
        return entries
      }
    }
    let entries = try #require(changed.first, "no state changes a map of two keys (\(multiKey))")
    for entry in entries {
      guard case .array(let pair) = entry, pair.count == 2, case .array(let tuple)? = pair[0]["#tup"] else {
        Issue.record("\(entry) is not a [#tup key, value] pair")
        continue
      }
      #expect(tuple.count == 2)
    }
  }

  @Test("A #map lists only the entries that differ from its default; the readers fill the others back")
  func sparseMaps() throws {
    let c = try Fixtures.fineMode()
    let document = ITF.document(for: c.trace, model: c.model, toolVersion: "test")
    guard case .object(let defaults)? = document["#meta"]?["map-defaults"] else {
      Issue.record("no #meta.map-defaults")
      return
    }
    let layout = c.model.layout
    guard case .array(let states)? = document["states"] else {
      Issue.record("no states")
      return
    }
    for (i, values) in c.trace.states.enumerated() {
      for (v, variable) in c.model.variables.enumerated() where !variable.keys.isEmpty {
        guard case .array(let entries)? = states[i][variable.name]?["#map"] else {
          Issue.record("states[\(i)].\(variable.name) is not a #map")
          continue
        }
        let offset = layout.offsets[v]
        let encoded = try #require(defaults.first { $0.0 == variable.name }?.1, "no default for \(variable.name)")
        let differing = (0..<variable.slotCount).filter {
          ITF.encode(values[offset + $0], variable.value) != encoded
        }.count
        #expect(entries.count == differing, "states[\(i)].\(variable.name)")
      }
    }
    #expect(try ITF.read(document, model: c.model) == c.trace)
    #expect(try ITF.read(document, compiled: c.compiled) == c.trace)
    // The full encoding (every entry written) reads as the same trace.
    let full = ITF.document(for: c.trace, model: c.model, toolVersion: "test", sparse: false)
    #expect(full.serialized().count > document.serialized().count)
    #expect(try ITF.read(full, model: c.model) == c.trace)
  }

  /// The text of a small hand-written trace of the CCA model: configuration by name, no step
  /// results, and only the variables a person cares about.
  static let handWritten = """
    {
      "#meta": { "model": "cca", "configuration": "atomic" },
      "vars": ["granuleState", "mbt::actionTaken", "mbt::nondetPicks"],
      "states": [
        { "granuleState": { "#map": [[{"#bigint": "0"}, "UNDELEGATED"], [{"#bigint": "1"}, "UNDELEGATED"]] } },
        { "mbt::actionTaken": "RMI_GRANULE_DELEGATE",
          "mbt::nondetPicks": { "pe": {"#bigint": "0"}, "addr": "0x80001000" },
          "granuleState": { "#map": [[{"#bigint": "0"}, "UNDELEGATED"], [{"#bigint": "1"}, "DELEGATED"]] } },
        { "mbt::actionTaken": "RMI_GRANULE_DELEGATE",
          "mbt::nondetPicks": { "pe": {"tag": "Some", "value": {"#bigint": "1"}}, "addr": "0x80001000" } },
        { "mbt::actionTaken": "RMI_GRANULE_UNDELEGATE",
          "mbt::nondetPicks": { "pe": 0, "addr": "0x80001000" } }
      ]
    }
    """

  @Test("A hand-written trace: results and left-out variables are computed, given values kept")
  func handWrittenTrace() throws {
    let document = try JSONValue.parse(Data(Self.handWritten.utf8))
    let (name, reference) = try ITF.reference(of: document)
    #expect(name == "cca")
    #expect(reference == ITF.ConfigurationReference(name: "atomic"))
    let model = try CCA.family.build(try #require(CCA.family.configuration(named: "atomic")))
    let compiled = try CompiledModel(model)
    let trace = try ITF.read(document, compiled: compiled)
    #expect(trace.configuration == model.configuration)
    #expect(trace.steps.count == 3)
    #expect(trace.steps[0].result == .success(code: 0))
    // Delegating a DELEGATED granule fails gran_state: the result is computed, not assumed.
    guard case .failure(let condition, let error, _) = trace.steps[1].result else {
      Issue.record("the second delegate should fail, got \(trace.steps[1].result)")
      return
    }
    #expect(condition == "gran_state")
    #expect(error == "RMI_ERROR_INPUT")
    #expect(trace.steps[2].result == .success(code: 0))
    #expect(replay(compiled, trace: trace) == .exact)
    let state = try #require(model.variable(named: "granuleState"))
    let g1 = try #require(model.layout.position(of: state, keys: [1]))
    #expect(
      trace.states.map { TraceDiff.render($0[g1], at: g1, model.layout) } == [
        "UNDELEGATED", "DELEGATED", "DELEGATED", "UNDELEGATED",
      ])
    // The strict reader wants every variable.
    #expect(throws: ITFError.self) { try ITF.read(document, model: model) }
  }

  @Test("A hand-written trace that states something false diverges where it is false")
  func handWrittenWrongState() throws {
    let wrong = Self.handWritten.replacingOccurrences(
      of: "[{\"#bigint\": \"1\"}, \"DELEGATED\"]", with: "[{\"#bigint\": \"1\"}, \"UNDELEGATED\"]")
    let model = try CCA.family.build(try #require(CCA.family.configuration(named: "atomic")))
    let compiled = try CompiledModel(model)
    let trace = try ITF.read(try JSONValue.parse(Data(wrong.utf8)), compiled: compiled)
    guard case .diverged(let step, let reason) = replay(compiled, trace: trace) else {
      Issue.record("a false state must diverge")
      return
    }
    #expect(step == 1)
    #expect(reason.contains("granuleState[1]"))
  }

  @Test(
    "Malformed traces are errors naming the JSON path",
    arguments: [
      ("[]", "$"),
      ("{}", "$.#meta"),
      ("{\"#meta\": {\"model\": 3}}", "$.#meta.model"),
      ("{\"#meta\": {\"model\": \"cca\", \"configuration\": 7}}", "$.#meta.configuration"),
      (
        "{\"#meta\": {\"model\": \"cca\", \"configuration\": {\"bounds\": {\"granules\": -1}}}}",
        "$.#meta.configuration.bounds.granules"
      ),
      ("{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\"}}", "$.states"),
      ("{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\"}, \"states\": []}", "$.states"),
      (
        "{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\", \"property\": \"nope\"}, \"states\": [{}]}",
        "$.#meta.property"
      ),
      (
        "{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\", \"outcome\": \"won\"}, \"states\": [{}]}",
        "$.#meta.outcome"
      ),
      (
        "{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\"}, \"states\": [{\"gptLock\": 2}]}",
        "$.states[0].gptLock"
      ),
      (
        "{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\"}, \"states\": [{}, {}]}",
        "$.states[1].mbt::actionTaken"
      ),
      (
        "{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\"}, \"states\": [{}, {\"mbt::actionTaken\": \"NOPE\"}]}",
        "$.states[1].mbt::actionTaken"
      ),
      (
        "{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\"}, \"states\": [{}, {\"mbt::actionTaken\": \"RMI_GRANULE_DELEGATE\", \"mbt::nondetPicks\": {\"pe\": 0}}]}",
        "$.states[1].mbt::nondetPicks.addr"
      ),
      (
        "{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\"}, \"states\": [{}, {\"mbt::actionTaken\": \"RMI_GRANULE_DELEGATE\", \"mbt::nondetPicks\": {\"pe\": 9, \"addr\": \"0x80000000\"}}]}",
        "$.states[1].mbt::nondetPicks.pe"
      ),
      (
        "{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\"}, \"states\": [{\"granuleState\": {\"#map\": [[0, \"DELEGATED\"], [0, \"DELEGATED\"]]}}]}",
        "$.states[0].granuleState.#map[1][0]"
      ),
      (
        "{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\"}, \"states\": [{}, {\"#meta\": {\"result\": {\"status\": \"X\"}}, \"mbt::actionTaken\": \"RMI_GRANULE_DELEGATE\", \"mbt::nondetPicks\": {\"pe\": 0, \"addr\": \"0x80000000\"}}]}",
        "$.states[1].#meta.result.condition"
      ),
    ])
  func malformed(_ text: String, _ path: String) throws {

    let model = try CCA.family.build(try #require(CCA.family.configuration(named: "atomic")))
    let compiled = try CompiledModel(model)
    let document = try JSONValue.parse(Data(text.utf8))
    do {
      _ = try ITF.read(document, compiled: compiled)
      Issue.record("\(text) was accepted")
    } catch let error as ITFError {
      #expect(error.path == path, "\(error)")
      #expect(!error.message.isEmpty)
    }
  }

  @Test("Every trace kind round-trips through #meta.outcome; an unknown one is refused naming the valid ones")
  func outcomeKinds() throws {
    let model = try CCA.family.build(try #require(CCA.family.configuration(named: "atomic")))
    let compiled = try CompiledModel(model)
    for kind in Trace.Kind.allCases {
      let trace = try compiled.trace(of: [], outcome: kind)
      let read = try ITF.read(ITF.document(for: trace, model: model, toolVersion: "test"), compiled: compiled)
      #expect(read.outcome == kind)
    }
    let bad = "{\"#meta\": {\"model\": \"cca\", \"configuration\": \"atomic\", \"outcome\": \"won\"}, \"states\": [{}]}"
    do {
      _ = try ITF.read(try JSONValue.parse(Data(bad.utf8)), compiled: compiled)
      Issue.record("an unknown outcome was accepted")
    } catch let error as ITFError {
      #expect(error.message.contains("'won'") && error.message.contains("violated, cti, example, scenario"), "\(error)")
    }
  }
}
