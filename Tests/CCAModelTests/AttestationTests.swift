import CCAModel
import Spec
import Testing

/// The `attest` feature's footprint: RSI attestation's state and calls exist only where the
/// feature is on, so the exhaustive configurations' state spaces and proofs stay as they were.
@Suite("RSI attestation behind the attest feature")
struct AttestationTests {
  static func model(_ name: String, adding feature: Configuration.Feature? = nil) throws -> Model {
    var config = try #require(CCA.family.configuration(named: name))
    if let feature { config.features.insert(feature) }
    return try CCA.family.build(config)
  }

  static let names = ["recAttestInProgress", "recAttestCopied"]
  static let calls = ["RSI_ATTESTATION_TOKEN_INIT", "RSI_ATTESTATION_TOKEN_CONTINUE"]

  @Test("rmm-small and rmm-da have neither the state nor the calls; with attest, rmm-small has both")
  func footprint() throws {
    for name in ["rmm-small", "rmm-da"] {
      let model = try Self.model(name)
      #expect(!model.variables.contains { Self.names.contains($0.name) }, "\(name)")
      #expect(!model.actions.contains { Self.calls.contains($0.name) }, "\(name)")
    }
    let plain = try Self.model("rmm-small")
    let with = try Self.model("rmm-small", adding: CCA.Feature.attest)
    #expect(Set(with.variables.map(\.name)).subtracting(plain.variables.map(\.name)) == Set(Self.names))
    #expect(Set(with.actions.map(\.name)).subtracting(plain.actions.map(\.name)) == Set(Self.calls))
    #expect(try Self.model("rmm-full").actions.contains { $0.name == "RSI_ATTESTATION_TOKEN_CONTINUE" })
  }

  @Test("CONTINUE's failure conditions are the specification's, in its order, then TF-RMM's walk checks")
  func order() throws {
    let model = try Self.model("rmm-small", adding: CCA.Feature.attest)
    let action = try #require(model.actions.first { $0.name == "RSI_ATTESTATION_TOKEN_CONTINUE" })
    #expect(
      action.failures.map(\.name) == [
        "addr_align", "addr_bound", "offset_bound", "size_overflow", "size_bound", "state", "ripas_empty",
        "stage2_abort",
      ])
    #expect(action.failures.first { $0.name == "state" }?.error == "RSI_ERROR_STATE")
    let initAction = try #require(model.actions.first { $0.name == "RSI_ATTESTATION_TOKEN_INIT" })
    #expect(initAction.failures.isEmpty)
    #expect(initAction.statusOutput == nil && action.statusOutput != nil)
  }
}
