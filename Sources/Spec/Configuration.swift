import Synchronization

/// The parameters a model is built for: bounds, feature switches and at most one mutant.
public struct Configuration: Hashable, Sendable, Codable, CustomStringConvertible {
  /// A name for the configuration (`standard`, `fine-2pe`), shown in reports.
  public var name: String
  /// Bounds such as `granules`, `pes`, `realms`.
  public var bounds: [Bound: Int]
  /// Enabled feature switches, such as `fine`.
  public var features: Set<Feature>
  /// The selected mutant, or `nil` for the correct model.
  public var mutant: String?

  /// The name of a bound a family declares (``ModelFamily/boundDocs``), such as `granules`.
  ///
  /// A model names its bounds once, as constants (`static let granules: Configuration.Bound =
  /// "granules"`), and reads them through ``Configuration/bound(_:default:)``; a name the
  /// family does not declare makes ``ModelFamily/build(_:)`` throw. String literals convert, so
  /// `bounds: ["granules": 4]` still reads as written.
  public struct Bound: ConfigurationName, CodingKeyRepresentable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var codingKey: any CodingKey { Configuration.NameKey(stringValue: rawValue) }
    public init?<T: CodingKey>(codingKey: T) { self.rawValue = codingKey.stringValue }
  }

  /// The name of a feature switch a family declares (``ModelFamily/featureDocs``), such as
  /// `fine`; read through ``Configuration/has(_:)``, checked like ``Bound``.
  public struct Feature: ConfigurationName {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
  }

  /// The coding key of a bound name, so `bounds` encodes as a JSON object keyed by name.
  struct NameKey: CodingKey {
    let stringValue: String
    init(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { return nil }
  }

  public init(name: String, bounds: [Bound: Int], features: Set<Feature> = [], mutant: String? = nil) {
    self.name = name
    self.bounds = bounds
    self.features = features
    self.mutant = mutant
  }

  /// The bound with the given name, or `defaultValue` when it is not set.
  ///
  /// Inside ``ModelFamily/build(_:)`` the name must be one of the family's bounds: a misspelt
  /// name would silently read the default, so the build throws naming it.
  public func bound(_ key: Bound, default defaultValue: Int) -> Int {
    ConfigurationReads.current?.record(.bound, key.rawValue)
    return bounds[key] ?? defaultValue
  }

  /// Whether a feature switch is on (inside ``ModelFamily/build(_:)``, `feature` must be one
  /// of the family's features, or the build throws).
  public func has(_ feature: Feature) -> Bool {
    ConfigurationReads.current?.record(.feature, feature.rawValue)
    return features.contains(feature)
  }

  /// Whether the given mutant is selected.
  ///
  /// A builder asks this where the mutant changes the model: inside ``ModelFamily/build(_:)``, `name` must be one of
  /// the family's mutants, or the build throws; a ``MutantUse`` log in scope records each "yes", so a caller can tell a
  /// mutant that never acted (its code is not built in this configuration) from one that did.
  public func mutated(_ name: String) -> Bool {
    ConfigurationReads.current?.record(.mutant, name)
    let selected = mutant == name
    if selected { MutantUse.log?.record(name) }
    return selected
  }

  /// A one-line rendering: `standard {granules=2, pes=2} +fine mutant=no-tlbi-on-delegate`.
  public var description: String {
    var s = name
    if !bounds.isEmpty {
      s += " {" + bounds.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "}"
    }
    for f in features.sorted() { s += " +\(f)" }
    if let mutant { s += " mutant=\(mutant)" }
    return s
  }
}

/// A name in a configuration (a bound or a feature switch): a string with a type of its own, so a bound cannot be
/// passed where a feature is expected.
///
/// Encoded as the string.
public protocol ConfigurationName: RawRepresentable, Hashable, Comparable, Sendable, Codable,
  ExpressibleByStringLiteral, CustomStringConvertible
where RawValue == String {
  init(rawValue: String)
}

extension ConfigurationName {
  public init(_ name: String) { self.init(rawValue: name) }
  public init(stringLiteral name: String) { self.init(rawValue: name) }
  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
  public var description: String { rawValue }
}

/// A named bug injection of a model family, documented with the real bug it stands for.
public struct Mutant: Hashable, Sendable {
  public let name: String
  /// The real bug (commit, advisory) and what the mutant changes.
  public let doc: String
  /// The properties the mutant must break.
  public let breaks: [String]
  /// The configuration in which the explorer finds the violation by default.
  public let configuration: String

  public init(name: String, doc: String, breaks: [String], configuration: String) {
    self.name = name
    self.doc = doc
    self.breaks = breaks
    self.configuration = configuration
  }
}

/// A family of models: one specification, built for any of its configurations and mutants.
///
/// Engines and the command line find models only through a family.
public struct ModelFamily: Sendable {
  public let name: String
  public let doc: String
  /// Named configurations; the first is the default.
  public let configurations: [Configuration]
  /// One line per configuration, in the order of `configurations`.
  public let configurationDocs: [String: String]
  public let mutants: [Mutant]
  /// The names and one-line descriptions of the properties, in report order.
  public let propertyDocs: [(name: String, doc: String)]
  /// Bound names the family understands, with what they mean.
  public let boundDocs: [Configuration.Bound: String]
  /// Feature switches the family understands, with what they mean.
  public let featureDocs: [Configuration.Feature: String]
  private let builder: @Sendable (Configuration) throws -> Model

  public init(
    name: String, doc: String, configurations: [Configuration], configurationDocs: [String: String],
    mutants: [Mutant], propertyDocs: [(name: String, doc: String)], boundDocs: [Configuration.Bound: String],
    featureDocs: [Configuration.Feature: String], build: @escaping @Sendable (Configuration) throws -> Model
  ) {
    self.name = name
    self.doc = doc
    self.configurations = configurations
    self.configurationDocs = configurationDocs
    self.mutants = mutants
    self.propertyDocs = propertyDocs
    self.boundDocs = boundDocs
    self.featureDocs = featureDocs
    self.builder = build
  }

  /// The configuration with the given name.
  public func configuration(named name: String) -> Configuration? {
    configurations.first { $0.name == name }
  }

  /// The mutant with the given name.
  public func mutant(named name: String) -> Mutant? {
    mutants.first { $0.name == name }
  }

  /// Builds and validates the model for a configuration.
  ///
  /// - Throws: ``ModelError`` when the configuration names an unknown mutant, bound or feature,
  ///   or when the built model is malformed.
  public func build(_ configuration: Configuration) throws -> Model {
    if let mutant = configuration.mutant, self.mutant(named: mutant) == nil {
      throw ModelError.unknownName(
        kind: "mutant", name: mutant, valid: mutants.map(\.name))
    }
    for key in configuration.bounds.keys.sorted() where boundDocs[key] == nil {
      throw ModelError.unknownName(kind: "bound", name: key.rawValue, valid: boundDocs.keys.sorted().map(\.rawValue))
    }
    for feature in configuration.features.sorted() where featureDocs[feature] == nil {
      throw ModelError.unknownName(
        kind: "feature", name: feature.rawValue, valid: featureDocs.keys.sorted().map(\.rawValue))
    }
    let reads = ConfigurationReads()
    let model = try ConfigurationReads.$current.withValue(reads) { try builder(configuration) }
    // A name the builder read that the family does not declare is a misspelling (or an
    // undocumented switch no user can set): reading it would silently give the default.
    for (kind, name) in reads.names {
      let valid: [String]
      switch kind {
      case .bound: valid = boundDocs.keys.sorted().map(\.rawValue)
      case .feature: valid = featureDocs.keys.sorted().map(\.rawValue)
      case .mutant: valid = mutants.map(\.name)
      }
      guard valid.contains(name) else {
        throw ModelError.invalid(
          location: "model \(self.name)",
          message:
            "the builder reads \(kind.rawValue) '\(name)', which the family does not declare; valid: \(valid.isEmpty ? "(none)" : valid.joined(separator: ", "))"
        )
      }
    }
    try model.validate()
    return model
  }
}

/// Which selected mutants a model builder applied, recorded while a log is in scope.
///
/// ```swift
/// let log = MutantUse()
/// let model = try MutantUse.$log.withValue(log) { try family.build(configuration) }
/// if !log.applied("no-tlbi-on-delegate") { /* the mutant changes nothing here */ }
/// ```
public final class MutantUse: Sendable {
  /// The log that ``Configuration/mutated(_:)`` records into, if any.
  @TaskLocal public static var log: MutantUse?

  private let names = Mutex<Set<String>>([])

  public init() {}

  func record(_ name: String) { names.withLock { _ = $0.insert(name) } }

  /// Whether a builder applied the mutant while this log was in scope.
  public func applied(_ name: String) -> Bool { names.withLock { $0.contains(name) } }
}

/// The bound, feature and mutant names a family's builder reads from its configuration,
/// recorded while ``ModelFamily/build(_:)`` runs it.
final class ConfigurationReads: Sendable {
  enum Kind: String, Sendable {
    case bound
    case feature
    case mutant
  }

  @TaskLocal static var current: ConfigurationReads?

  private let recorded = Mutex<[(Kind, String)]>([])

  func record(_ kind: Kind, _ name: String) {
    recorded.withLock { $0.append((kind, name)) }
  }

  /// Every name read, in the order first read.
  var names: [(Kind, String)] {
    recorded.withLock { all in
      var seen: Set<String> = []
      return all.filter { seen.insert("\($0.0.rawValue) \($0.1)").inserted }
    }
  }
}
