import CCAModel
import Spec

/// The model families a command line or a proof run knows, by name: a value, so a user's own
/// executable can pass its families (``standard`` holds the CCA families).
public struct Catalog: Sendable {
  /// Every model family, in listing order; the first is the default model.
  public var families: [ModelFamily]

  /// A catalogue of the given families, in listing order.
  public init(families: [ModelFamily]) {
    self.families = families
  }

  /// The catalogue of the `cca-verify` executable: the CCA families.
  public static let standard = Catalog(families: [CCA.family])

  /// The family with the given name.
  ///
  /// - Throws: ``InputError`` listing the valid names.
  public func family(named name: String, location: String = "--model") throws -> ModelFamily {
    guard let family = families.first(where: { $0.name == name }) else {
      throw InputError(location, "unknown model '\(name)'; valid: \(families.map(\.name).joined(separator: ", "))")
    }
    return family
  }

  /// Resolves a configuration of a family from names given by a user: a named configuration
  /// (default: the mutant's configuration, else the family's first), a mutant, bound overrides
  /// and feature overrides.
  ///
  /// - Throws: ``InputError`` naming the bad value and listing the valid ones.
  public static func configuration(
    of family: ModelFamily, named name: String?, mutant: String?, bounds: [Configuration.Bound: Int] = [:],
    features: Set<Configuration.Feature>? = nil,
    locations: (config: String, mutant: String, bounds: String) = ("--config", "--mutant", "bounds")
  ) throws -> Configuration {
    var mutantInfo: Mutant?
    if let mutant, mutant != "none" {
      guard let m = family.mutant(named: mutant) else {
        throw InputError(
          locations.mutant,
          "unknown mutant '\(mutant)' of model \(family.name); valid: \(family.mutants.map(\.name).joined(separator: ", "))"
        )
      }
      mutantInfo = m
    }
    let configName = name ?? mutantInfo?.configuration ?? family.configurations.first?.name ?? ""
    guard var configuration = family.configuration(named: configName) else {
      throw InputError(
        locations.config,
        "unknown configuration '\(configName)' of model \(family.name); valid: \(family.configurations.map(\.name).joined(separator: ", "))"
      )
    }
    for (key, value) in bounds.sorted(by: { $0.key < $1.key }) {
      guard family.boundDocs[key] != nil else {
        throw InputError(
          "\(locations.bounds).\(key)",
          "unknown bound '\(key)' of model \(family.name); valid: \(family.boundDocs.keys.sorted().map(\.rawValue).joined(separator: ", "))"
        )
      }
      guard value >= 1 && value <= 1024 else {
        throw InputError("\(locations.bounds).\(key)", "expected an integer in 1...1024, found \(value)")
      }
      configuration.bounds[key] = value
    }
    if let features {
      for f in features.sorted() where family.featureDocs[f] == nil {
        throw InputError(
          "features",
          "unknown feature '\(f)' of model \(family.name); valid: \(family.featureDocs.keys.sorted().map(\.rawValue).joined(separator: ", "))"
        )
      }
      configuration.features = features
    }
    configuration.mutant = mutantInfo?.name
    return configuration
  }

  /// Builds a model, turning model errors into input errors (an unknown name, a configuration
  /// the family rejects) or internal errors (a malformed model is a bug in the model).
  public static func build(_ family: ModelFamily, _ configuration: Configuration) throws -> Model {
    do {
      return try family.build(configuration)
    } catch let error as ModelError {
      if case .unknownName = error { throw InputError("configuration", error.description) }
      // A family rejects a configuration it cannot build (a bound out of its range) at the
      // configuration: that is the user's input, not a malformed model.
      if case .invalid(let location, let message) = error, location.hasPrefix("configuration") {
        throw InputError("configuration \(configuration.name)", message)
      }
      throw InternalError("model \(family.name) is malformed: \(error)")
    }
  }

  /// Builds a model whose mutant must act: a mutant whose code the configuration does not
  /// build (a DA mutant without DA, say) would otherwise pass every check silently.
  ///
  /// - Throws: as ``build(_:_:)``, and ``InputError`` at `mutantLocation` when the builder
  ///   never applied the configuration's mutant.
  public static func build(_ family: ModelFamily, _ configuration: Configuration, mutantLocation: String) throws
    -> Model
  {
    let log = MutantUse()
    let model = try MutantUse.$log.withValue(log) { try build(family, configuration) }
    if let name = configuration.mutant, !log.applied(name) {
      let home = family.mutant(named: name)?.configuration ?? "?"
      throw InputError(
        mutantLocation,
        "mutant '\(name)' cannot act in configuration \(configuration.description): the part of the model it "
          + "changes is not built there (its own configuration is \(home))")
    }
    return model
  }

  /// The indices of the named properties of a model (all non-lemma properties when `names` is
  /// empty).
  ///
  /// - Throws: ``InputError`` listing the valid property names.
  public static func properties(_ names: [String], of model: Model, location: String = "--property") throws -> [Int] {
    if names.isEmpty {
      return model.properties.indices.filter { model.properties[$0].kind != .lemma }
    }
    return try names.map { name in
      guard let i = model.properties.firstIndex(where: { $0.name == name }) else {
        throw InputError(
          location,
          "unknown property '\(name)' of model \(model.name); valid: \(model.properties.map(\.name).joined(separator: ", "))"
        )
      }
      return i
    }
  }
}
