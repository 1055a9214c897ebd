import CCAModel
import Explore
import Spec
import Testing

/// The CCA model's unobservable cells (``Unobservable``): what it declares, and that the
/// declaration changes no exploration.
@Suite("CCA: unobservable cells")
struct UnobservableCellsTests {
  @Test(
    "The model declares an invalid line's data unobservable and a clean copy of memory redundant, and BFS counts the same states without it"
  )
  func invalidLineData() throws {
    let config = try #require(CCA.family.configuration(named: "rmm-tlb-setup"))
    let model = try CCA.family.build(config)
    let cells = try #require(model.variable(named: "cacheData"))
    let line = try #require(model.variable(named: "cacheLine"))
    let memory = try #require(model.variable(named: "memory"))
    let tlb = try #require(model.variable(named: "gptTLB"))
    let tlbValid = try #require(model.variable(named: "gptTLBValid"))
    #expect(model.unobservable.map(\.cells) == [cells, tlb, cells, cells])
    #expect(model.unobservable.map(\.whileVariable) == [line, tlbValid, line, line])
    // Then the redundant copies: a CLEAN or DIRTY line holding memory's value reads as INVALID (0).
    #expect(model.unobservable.map(\.copyOf) == [nil, nil, memory, memory])
    #expect(model.unobservable.map(\.equals) == [0, 0, 1, 2])
    #expect(model.unobservable.map(\.conditionReadsAs) == [nil, nil, 0, 0])
    try Self.expectSameExploration(model)
  }

  @Test("The DA model declares the SMMU's cached STE a redundant copy, and BFS counts the same states without it")
  func cachedSTE() throws {
    let config = try #require(CCA.family.configuration(named: "rmm-da-setup"))
    let model = try CCA.family.build(config)
    let copy = try #require(model.unobservable.first { $0.copyIndex != nil })
    #expect(copy.cells == model.variable(named: "steCachedRealm"))
    #expect(copy.whileVariable == model.variable(named: "steCached"))
    #expect(copy.copyOf == model.variable(named: "granuleOwner"))
    #expect(copy.copyIndex == model.variable(named: "steVdev"))
    #expect(copy.alsoWhile?.variable == model.variable(named: "steValid"))
    #expect(copy.equals == 1 && copy.conditionReadsAs == 0 && copy.alsoWhile?.value == 1)
    try Self.expectSameExploration(model)
    // With smmu-tlb the SMMU's TLB is used only while the STE is cached: no declaration.
    let tlb = try CCA.family.build(try #require(CCA.family.configuration(named: "rmm-da-iotlb")))
    #expect(!tlb.unobservable.contains { $0.copyIndex != nil })
  }

  /// Expects BFS to depth 2 to count the same states and reach the same outcome without the model's declarations.
  static func expectSameExploration(_ model: Model) throws {
    let stripped = Model(
      name: model.name, configuration: model.configuration, variables: model.variables, initial: model.initial,
      actions: model.actions, properties: model.properties, builderErrors: model.builderErrors, abi: model.abi)
    var options = ExploreOptions(mode: .bfs, workers: 1)
    options.maxDepth = 2
    let with = explore(try CompiledModel(model), options: options)
    let without = explore(try CompiledModel(stripped), options: options)
    #expect(with.distinctStates == without.distinctStates)
    #expect(with.distinctStates > 1)
    #expect(with.outcome == without.outcome)
  }
}
