import Foundation
import Spec
import Testing

/// Mistakes a model's author makes in the builder are thrown ``ModelError``s naming the action,
/// the parameter or variable and the valid choices, never a crash of the whole test run.
@Suite("Builder mistakes are thrown model errors")
struct BuilderErrorTests {
  static let thread = Domain.index(IndexSort("Thread", count: 2))

  /// A lock whose actions are written by `body`, for one mistake per test.
  func lock(_ body: (ModelBuilder, Variable, Variable) -> Void) -> Model {
    let b = ModelBuilder(name: "lock", configuration: Configuration(name: "two", bounds: [:]))
    let holder = b.variable("holder", .range(0, 2), initial: 0)
    let inside = b.map("inside", keys: [Self.thread], .bool) { _ in false }
    body(b, holder, inside)
    return b.build()
  }

  @Test("a.arg with a misspelt parameter throws, naming the action, the name and the parameters")
  func misspeltParameter() {
    let model = lock { b, holder, _ in
      b.action("ACQUIRE", by: "thread", parameters: [Parameter("thread", Self.thread)]) { a in
        a.set(holder, to: a.arg("thraed") + 1)
      }
    }
    #expect(
      throws: ModelError.invalid(location: "action ACQUIRE", message: "unknown parameter 'thraed'; valid: thread")
    ) {
      try model.validate()
    }
  }

  @Test("The first misspelling is the one thrown, also when later ones follow")
  func firstMistakeThrown() {
    let model = lock { b, holder, _ in
      b.action("ACQUIRE", by: "thread", parameters: [Parameter("thread", Self.thread)]) { a in
        a.set(holder, to: a.arg("thraed") + 1)
      }
      b.action("RELEASE", by: "thread") { a in a.set(holder, to: a.arg("thread")) }
    }
    #expect(model.builderErrors.count == 2)
    #expect(
      model.builderErrors.last
        == .invalid(location: "action RELEASE", message: "unknown parameter 'thread'; valid: (none)"))
    #expect(
      throws: ModelError.invalid(location: "action ACQUIRE", message: "unknown parameter 'thraed'; valid: thread")
    ) {
      try model.validate()
    }
  }

  @Test(".value on a map variable throws, naming the variable, its keys and the property")
  func valueOnMap() throws {
    let model = lock { b, _, inside in
      b.invariant("nobody-inside", !inside.value)
    }
    let error = try #require(throws: ModelError.self) { try model.validate() }
    guard case .invalid(let location, let message) = error else {
      Issue.record("expected .invalid, got \(error)")
      return
    }
    #expect(location == "property nobody-inside")
    #expect(message.contains("inside is a map with keys (Thread)"))
    #expect(message.contains("inside[key]"))
  }

  @Test(".value on a map inside an action's effect throws, naming the action")
  func valueOnMapInAction() throws {
    let model = lock { b, holder, inside in
      b.action("PEEK", by: "thread") { a in a.set(holder, to: .ite(inside.value, then: 1, else: 0)) }
    }
    let error = try #require(throws: ModelError.self) { try model.validate() }
    #expect(error.description.hasPrefix("action PEEK: effect on holder: inside is a map"))
  }

  /// A family whose builder reads `bound`, `feature` and `mutant` names given by the test.
  func family(
    bound: Configuration.Bound = "threads", feature: Configuration.Feature = "fair", mutant: String = "no-check"
  ) -> ModelFamily {
    ModelFamily(
      name: "lock", doc: "", configurations: [Configuration(name: "two", bounds: ["threads": 2])],
      configurationDocs: [:],
      mutants: [Mutant(name: "no-check", doc: "", breaks: [], configuration: "two")],
      propertyDocs: [], boundDocs: ["threads": "number of threads"], featureDocs: ["fair": "fair scheduling"],
      build: { configuration in
        let count = configuration.bound(bound, default: 2)
        _ = configuration.has(feature)
        _ = configuration.mutated(mutant)
        let b = ModelBuilder(name: "lock", configuration: configuration)
        b.variable("holder", .range(0, Value(count)), initial: 0)
        return b.build()
      })
  }

  @Test("A bound read under a misspelt name fails the build instead of reading its default")
  func misspeltBound() throws {
    #expect(throws: Never.self) { try family().build(family().configurations[0]) }
    #expect(
      throws: ModelError.invalid(
        location: "model lock",
        message: "the builder reads bound 'thread', which the family does not declare; valid: threads")
    ) { try family(bound: "thread").build(family().configurations[0]) }
  }

  @Test("A feature or mutant read under a misspelt name fails the build")
  func misspeltFeatureAndMutant() {
    let configuration = family().configurations[0]
    #expect(
      throws: ModelError.invalid(
        location: "model lock",
        message: "the builder reads feature 'fiar', which the family does not declare; valid: fair")
    ) { try family(feature: "fiar").build(configuration) }
    #expect(
      throws: ModelError.invalid(
        location: "model lock",
        message: "the builder reads mutant 'nocheck', which the family does not declare; valid: no-check")
    ) { try family(mutant: "nocheck").build(configuration) }
  }

  @Test("Reading bounds outside a family's build records nothing and reads the value")
  func readsOutsideBuild() {
    let configuration = Configuration(name: "c", bounds: ["x": 3])
    #expect(configuration.bound("x", default: 1) == 3)
    #expect(configuration.bound("y", default: 1) == 1)
  }
}

@Suite("Typed configuration names")
struct ConfigurationNameTests {
  @Test("bounds encode as a JSON object keyed by name and decode back; features as an array of names")
  func codable() throws {
    let c = Configuration(name: "two", bounds: ["threads": 2, "locks": 1], features: ["fair"], mutant: nil)
    let data = try JSONEncoder().encode(c)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["bounds"] as? [String: Int] == ["threads": 2, "locks": 1])
    #expect(object["features"] as? [String] == ["fair"])
    #expect(try JSONDecoder().decode(Configuration.self, from: data) == c)
  }

  @Test("a name reads as its string in renderings and compares by it")
  func rendering() {
    let c = Configuration(name: "two", bounds: ["threads": 2, "locks": 1], features: ["fair", "eager"])
    #expect(c.description == "two {locks=1, threads=2} +eager +fair")
    #expect(Configuration.Bound("locks") < "threads")
  }
}
