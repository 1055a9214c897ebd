import CCAVerifyTesting
import Testing

@Test func delegatedGranuleFaultsTheHost() throws {
  let model = try CCA.family.model("atomic")
  let trace = try loadTrace("Tests/Fixtures/delegate-then-read.itf.json", model: model)
  #expect(replay(try CompiledModel(model), trace: trace) == .exact)
}
