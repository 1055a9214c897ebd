import Spec
import Testing
import _TestSupport

@Suite("Model validation")
struct ValidationTests {
  /// Validates a model and returns the error it throws, or records an issue when it throws none.
  func validationError(of model: Model, sourceLocation: SourceLocation = #_sourceLocation) -> ModelError? {
    do {
      try model.validate()
      Issue.record("validate() accepted a bad model", sourceLocation: sourceLocation)
      return nil
    } catch let error as ModelError {
      return error
    } catch {
      Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
      return nil
    }
  }

  @Test("The toy models are valid")
  func toyModelsValid() throws {
    try dieHardModel().validate()
    try countersModel().validate()
  }

  @Test("A variable assigned twice unconditionally by one action is rejected, naming both")
  func assignedTwice() {
    let model = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 0)
      b.action("twice", by: "env") { a in
        a.set(x, to: 1)
        a.set(x, to: 2)
      }
    }
    let error = validationError(of: model)
    guard case .invalid(let location, let message)? = error else { return }
    #expect(location == "action twice")
    #expect(message.contains("x"))
    #expect(message.contains("twice"))
  }

  @Test("A boolean where a value is needed is rejected, naming the action and the effect")
  func wrongKindInEffect() {
    let model = buildModel { b in
      let x = b.variable("count", .range(0, 3), initial: 0)
      b.action("bad", by: "env") { a in a.set(x, to: x.value.eq(1)) }
    }
    guard case .invalid(let location, let message)? = validationError(of: model) else { return }
    #expect(location == "action bad")
    #expect(message.contains("count"))
    #expect(message.contains("expected a value"))
  }

  @Test("A value where a guard's boolean is needed is rejected")
  func wrongKindInGuard() {
    let model = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 0)
      b.action("g", by: "env") { a in
        a.requires(x.value + 1)
        a.set(x, to: 1)
      }
    }
    guard case .invalid(let location, let message)? = validationError(of: model) else { return }
    #expect(location == "action g")
    #expect(message.contains("guard"))
  }

  @Test("A literal outside the variable's domain is rejected, in an effect and in an initial value")
  func literalOutsideDomain() {
    let effect = buildModel { b in
      let x = b.variable("level", .range(0, 3), initial: 0)
      b.action("overflow", by: "env") { a in a.set(x, to: 4) }
    }
    if case .invalid(let location, let message)? = validationError(of: effect) {
      #expect(location == "action overflow")
      #expect(message.contains("level"))
      #expect(message.contains("4"))
    }
    let initial = buildModel { b in
      b.variable("gpi", .finite(FiniteSet("GPI", [("NS", 9), ("ROOT", 10)])), initial: 3)
    }
    if case .invalid(let location, let message)? = validationError(of: initial) {
      #expect(location == "initial value of gpi")
      #expect(message.contains("3"))
    }
  }

  @Test("A parameter with a word domain is rejected, naming the action and parameter")
  func wordParameter() {
    let model = buildModel { b in
      let x = b.variable("x", .word(bits: 64), initial: 0)
      b.action("write", by: "hypervisor", parameters: [Parameter("value", .word(bits: 64))]) { a in
        a.set(x, to: a.arg("value"))
      }
    }
    guard case .invalid(let location, let message)? = validationError(of: model) else { return }
    #expect(location == "action write")
    #expect(message.contains("value"))
  }

  @Test("A map read with the wrong number of keys is rejected")
  func wrongKeyCount() {
    let slot = Domain.index(IndexSort("Slot", count: 2))
    let model = buildModel { b in
      let m = b.map("m", keys: [slot, slot], .bool) { _ in false }
      b.invariant("p", m[0])
    }
    guard case .invalid(let location, let message)? = validationError(of: model) else { return }
    #expect(location == "property p")
    #expect(message.contains("m"))
  }

  @Test("Duplicate action names are rejected")
  func duplicateActions() {
    let model = buildModel { b in
      let x = b.variable("x", .bool, initial: false)
      b.action("a", by: "env") { a in a.set(x, to: true) }
      b.action("a", by: "env") { a in a.set(x, to: false) }
    }
    guard case .invalid(let location, _)? = validationError(of: model) else { return }
    #expect(location == "action a")
  }
}

@Suite("Model validation: error-path effects")
struct ErrorPathValidationTests {
  func message(_ model: Model) -> String? {
    do {
      try model.validate()
      return nil
    } catch {
      return String(describing: error)
    }
  }

  @Test("Failure effects are validated like success effects, naming the failure condition")
  func validated() {
    #expect(message(errorPathModel(buggy: true)) == nil)
    let outside = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 0)
      b.action("act", by: "env") { a in
        a.fail("bad", error: "E", code: 1, when: true, effects: [.assign(x.id, keys: [], value: 9, when: true)])
      }
    }
    let m1 = message(outside)
    #expect(m1?.contains("action act") == true)
    #expect(m1?.contains("9 is outside") == true)
    let undeclared = buildModel { b in
      _ = b.variable("x", .range(0, 3), initial: 0)
      b.action("act", by: "env") { a in
        a.fail(
          "bad", error: "E", code: 1, when: true, effects: [.assign(VariableID(7), keys: [], value: 1, when: true)])
      }
    }
    let m2 = message(undeclared)
    #expect(m2?.contains("failure condition bad") == true)
    #expect(m2?.contains("undeclared") == true)
    let twice = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 0)
      b.action("act", by: "env") { a in
        a.fail(
          "bad", error: "E", code: 1, when: true,
          effects: [.assign(x.id, keys: [], value: 1, when: true), .assign(x.id, keys: [], value: 2, when: true)])
      }
    }
    #expect(message(twice)?.contains("assigned twice by failure condition bad") == true)
    let wrongKind = buildModel { b in
      let x = b.variable("x", .range(0, 3), initial: 0)
      b.action("act", by: "env") { a in
        a.fail(
          "bad", error: "E", code: 1, when: true, effects: [.assign(x.id, keys: [], value: .boolean(true), when: true)])
      }
    }
    #expect(message(wrongKind)?.contains("effect of failure condition bad on x") == true)
  }
}
