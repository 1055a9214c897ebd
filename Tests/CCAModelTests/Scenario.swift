import CCAModel
import Explore
import Spec
import Testing

// Architectural encodings the tests assert against, written out independently of the model.
enum Enc {
  static let noAccess: Value = 0x0
  static let gpiNS: Value = 0x9
  static let gpiRealm: Value = 0xB
  static let invalid: Value = 0
  static let clean: Value = 1
  static let dirty: Value = 2
  static let zero: Value = 0
  static let host: Value = 1
  static let realm0: Value = 2
  static let undelegated: Value = 0
  static let delegated: Value = 1
  static let allNS: Value = 0x9999_9999_9999_9999
  static let g0: Value = 0x8000_0000
  static let g1: Value = 0x8000_1000
  static let misaligned: Value = 0x8000_0010
  static let mmio: Value = 0x1C09_0000
  static let misalignedMMIO: Value = 0x1C09_0010
  static let beyondPPS: Value = 0x1_0000_0000
  static let nsPAS: Value = 1
  static let realmPAS: Value = 3
  static let gpf: Value = 0x28
  static let rmiErrorInput: Value = 1
}

/// A compiled CCA model and a current state, stepped by action name, with whole-state checks.
struct Scenario {
  let compiled: CompiledModel
  var state: State

  init(_ configuration: String, mutant: String? = nil) throws {
    let family = CCA.family
    var config = try #require(family.configuration(named: configuration))
    config.mutant = mutant
    compiled = try CompiledModel(try family.build(config))
    state = compiled.initialState()
  }

  var model: Model { compiled.model }

  /// The state's slots by name (`cacheLine[0][NS]`, `gptLock`).
  func slots(_ state: State) -> [String: Value] {
    let layout = model.layout
    let values = compiled.values(of: state)
    return Dictionary(uniqueKeysWithValues: values.indices.map { (layout.name(at: $0), values[$0]) })
  }

  /// The value of one slot of the current state.
  func value(_ slot: String) -> Value? { slots(state)[slot] }

  /// The encoding of a step name in the `TransitionStep` domain.
  func step(_ name: String) -> Value {
    guard let id = model.variable(named: "el3Step"), case .finite(let set) = model[id].value else {
      preconditionFailure("no el3Step")
    }
    return set.value(name)
  }

  func actionIndex(_ name: String) throws -> Int {
    try #require(model.action(named: name), "no action \(name)")
  }

  /// `arguments` completed with the first exploration sample of each trailing parameter they
  /// leave out: the RealmParams, RecParams and RecRun fields a test does not care about (flags,
  /// num_bps, pc, the GIC state, ...) take a valid value, as a scenario's unwritten fields do.
  func complete(_ action: Int, _ arguments: [Value]) -> [Value] {
    let parameters = model.actions[action].parameters
    guard arguments.count < parameters.count else { return arguments }
    return arguments + parameters[arguments.count...].map { $0.samples?.first ?? $0.domain.elements?.first ?? 0 }
  }

  /// Replaces slots of the current state (to start a step test from a crafted state).
  mutating func set(_ changes: [String: Value]) throws {
    let layout = model.layout
    var values = compiled.values(of: state)
    for (name, value) in changes {
      let position = try #require((0..<layout.count).first { layout.name(at: $0) == name }, "no slot \(name)")
      values[position] = value
    }
    state = try compiled.state(fromValues: values)
  }

  /// Runs an action that must succeed and checks the whole next state: exactly the slots in
  /// `changes` differ from the current state, with those values.
  mutating func expect(
    _ action: String, _ arguments: [Value], changes: [String: Value],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let index = try actionIndex(action)
    let outcome = try compiled.step(state, action: index, arguments: complete(index, arguments))
    guard case .succeeded(let next) = outcome else {
      Issue.record(
        "\(action)\(arguments.map { String($0, radix: 16) }) gave \(outcome)", sourceLocation: sourceLocation)
      return
    }
    // Only the slots that differ are named: naming every slot is slow for large states (rmm-full).
    let layout = model.layout
    let (before, after) = (compiled.values(of: state), compiled.values(of: next))
    let diff = Dictionary(
      uniqueKeysWithValues: before.indices.filter { before[$0] != after[$0] }.map { (layout.name(at: $0), after[$0]) })
    #expect(diff == changes, "\(action): changed slots", sourceLocation: sourceLocation)
    state = next
  }

  /// Runs an action that must fail with the named condition and code (the state is unchanged by
  /// the semantics).
  func expectFailure(
    _ action: String, _ arguments: [Value], condition: String, code: Value,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let index = try actionIndex(action)
    let outcome = try compiled.step(state, action: index, arguments: complete(index, arguments))
    guard case .failed(let position, let returned, _) = outcome else {
      Issue.record("\(action) gave \(outcome), expected \(condition)", sourceLocation: sourceLocation)
      return
    }
    #expect(model.actions[index].failures[position].name == condition, sourceLocation: sourceLocation)
    #expect(returned == code, sourceLocation: sourceLocation)
  }

  /// Checks that an action is not enabled.
  func expectDisabled(_ action: String, _ arguments: [Value], sourceLocation: SourceLocation = #_sourceLocation) throws
  {
    let index = try actionIndex(action)
    let outcome = try compiled.step(state, action: index, arguments: complete(index, arguments))
    #expect(outcome == .disabled, "\(action) should be disabled", sourceLocation: sourceLocation)
  }

  /// Whether the named property holds in the current state.
  func holds(_ property: String) throws -> Bool {
    let index = try #require(model.properties.firstIndex { $0.name == property })
    return try compiled.holds(index, in: state)
  }
}
