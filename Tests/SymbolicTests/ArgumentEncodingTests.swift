import Spec
import Symbolic
import Testing
import _TestSupport

/// Symbolic arguments (one instance per action, arguments as constants constrained to their
/// domains) against enumerated ones (one instance per argument tuple): the same outcomes, and
/// counterexamples that name concrete arguments.
@Suite("Argument encodings")
struct ArgumentEncodingTests {
  func checker(_ model: Model, _ encoding: ArgumentEncoding) throws -> SymbolicChecker {
    try SymbolicChecker(model: model, options: SymbolicOptions(arguments: encoding))
  }

  /// Every counter must reach the maximum, so the shortest trace increments each slot once: a different argument at
  /// every step.
  ///
  /// Argument constants shared by the steps of an unrolling could not express it.
  @Test(
    "BMC finds the shortest trace with either encoding, choosing arguments anew at each step",
    arguments: ArgumentEncoding.allCases)
  func bmcArgumentsPerStep(_ encoding: ArgumentEncoding) throws {
    let model = countersModel(count: 3, maximum: 1)
    let report = try checker(model, encoding).bmc(properties: [try propertyIndex(model, "not-all-max")], depth: 3)
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.steps.count == 3)
    #expect(Set(trace.steps.map { $0.arguments }) == [[0], [1], [2]])
    try expectReplays(trace, model)
  }

  @Test("induction proves the correct model with either encoding, one query per action when symbolic")
  func inductionProved() throws {
    let model = ownershipModel(granules: 4)
    let property = try propertyIndex(model, "flag-iff-owned")
    let symbolic = try checker(model, .symbolic).induction(properties: [property], lemmas: [])
    let enumerated = try checker(model, .enumerated).induction(properties: [property], lemmas: [])
    #expect(symbolic.outcome == .proved)
    #expect(enumerated.outcome == .proved)
    // Initiation, then one consecution query per action (claim, release, park, unparkAll) and
    // one vacuity query per action (its first instance is enabled); enumerated asks consecution per
    // granule for claim and release.
    #expect(symbolic.queries == 1 + 4 + 4)
    #expect(enumerated.queries == 1 + (4 + 4 + 1 + 1) + 4)
  }

  @Test("the CTI names a concrete argument read from Z3's model, with states that agree with it")
  func ctiArguments() throws {
    let model = ownershipModel(granules: 4, forgetFlag: true)
    let report = try checker(model, .symbolic).induction(
      properties: [try propertyIndex(model, "flag-iff-owned")], lemmas: [])
    guard case .cti(let cti) = report.outcome else {
      Issue.record("expected a CTI, got \(report.outcome)")
      return
    }
    #expect(cti.action == "release")
    let argument = try #require(cti.arguments.first)
    let g = try #require(Value(argument.dropFirst("g=".count)), "argument \(argument) is not g=<granule>")
    #expect(argument.hasPrefix("g=") && g < 4)
    let pre = try #require(cti.pre)
    let post = try #require(cti.post)
    let owner = try #require(model.layout.position(of: VariableID(0), keys: [g]))
    let flag = try #require(model.layout.position(of: VariableID(1), keys: [g]))
    // release(g) succeeded on an owned granule and left its flag set.
    #expect(pre[owner] == 1 && post[owner] == 0 && post[flag] == 1)
  }

  @Test(
    "k-induction proves with lemmas and finds the counters' violation with either encoding",
    arguments: ArgumentEncoding.allCases)
  func kInduction(_ encoding: ArgumentEncoding) throws {
    let lockstep = lockstepModel()
    let lemmas = [try propertyIndex(lockstep, "x-eq-y"), try propertyIndex(lockstep, "x-le-10")]
    let proved = try checker(lockstep, encoding).kInduction(
      properties: [try propertyIndex(lockstep, "y-not-15")], lemmas: lemmas, k: 3)
    #expect(proved.outcome == .proved)
    let model = countersModel(count: 3, maximum: 1)
    let report = try checker(model, encoding).kInduction(
      properties: [try propertyIndex(model, "not-all-max")], lemmas: [], k: 4)
    guard case .violated(let trace) = report.outcome else {
      Issue.record("expected a violation, got \(report.outcome)")
      return
    }
    #expect(trace.steps.count == 3)
    try expectReplays(trace, model)
  }
}
