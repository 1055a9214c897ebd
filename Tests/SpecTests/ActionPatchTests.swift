import Spec
import Testing

@Suite("IR patches of failure conditions")
struct ActionPatchTests {
  static func model() -> Model {
    let b = ModelBuilder(name: "m", configuration: Configuration(name: "c", bounds: [:]))
    let x = b.variable("x", .range(0, 3), initial: 0)
    b.action("SET", by: "env", parameters: [Parameter("v", .range(0, 3))]) { a in
      a.fail("first", error: "E", code: 1, when: a.arg("v").eq(0))
      a.fail("second", error: "E", code: 2, when: a.arg("v").eq(1))
      a.fail("third", error: "E", code: 3, when: a.arg("v").eq(2))
      a.output("x1", x.value, alsoOn: ["second", "third"])
      a.set(x, to: a.arg("v"))
    }
    return b.build()
  }

  @Test("dropping conditions keeps the others in order and forgets outputs defined on the dropped ones")
  func drop() throws {
    let patched = try Self.model().replacingAction(named: "SET") { try $0.droppingFailures(["second"]) }
    let action = patched.actions[0]
    #expect(action.failures.map(\.name) == ["first", "third"])
    #expect(action.outputs.map(\.failures) == [["third"]])
    #expect(action.effects == Self.model().actions[0].effects)
    #expect(
      throws: ModelError.unknownName(
        kind: "failure condition of SET", name: "fourth", valid: ["first", "second", "third"])
    ) {
      try Self.model().actions[0].droppingFailures(["fourth"])
    }
  }

  @Test("moving a condition checks it before another one")
  func move() throws {
    let action = try Self.model().actions[0].movingFailure("third", before: "first")
    #expect(action.failures.map(\.name) == ["third", "first", "second"])
    #expect(throws: ModelError.self) { try Self.model().actions[0].movingFailure("third", before: "nope") }
  }

  @Test("replacing an action the model does not build returns the model unchanged")
  func absentAction() throws {
    let model = Self.model()
    let same = try model.replacingAction(named: "NOPE") { try $0.droppingFailures(["first"]) }
    #expect(same.actions == model.actions)
  }
}
