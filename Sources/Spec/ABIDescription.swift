/// A party of a model: someone who performs actions (a hypervisor, a realm, a device, the
/// hardware, a thread).
///
/// Every ``Action`` names the party that performs it (its ``Action/caller``). Renderings draw one
/// lane per party, one per instance when an action has a parameter that names the party (a
/// parameter `realm`, or one whose index sort is `Realm`, gives `realm 0`, `realm 1`).
public struct Party: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
  /// The party's name (`hypervisor`, `realm`).
  public let name: String

  public init(_ name: String) { self.name = name }
  public init(stringLiteral name: String) { self.name = name }

  public var description: String { name }
}

/// What a model says about its interface, for the layers that present it: which parties exist,
/// which calls each makes and who handles them, function identifiers, status names and codes,
/// named encodings, the layout of the structures calls read, and which index sort to show first.
///
/// The description is data a model exports (``ModelBuilder/abi``); it has no semantics: the
/// engines never read it. Traces draw lanes from ``parties`` and ``interfaces``, scenarios
/// resolve names and structure fields through it, reports pick ``primarySort``. A model without
/// one still renders and runs scenarios: each action's lane is its caller and only the names in
/// its failure conditions are known.
public struct ABIDescription: Hashable, Sendable {
  /// A set of calls one party makes and another handles (`RMI`: the hypervisor calls, the RMM
  /// handles), with their function identifiers and statuses.
  public struct Interface: Hashable, Sendable {
    /// The interface's name (`RMI`).
    public let name: String
    /// The party that makes the calls.
    public let caller: Party
    /// The party that handles them.
    public let handler: Party
    /// Each call by its action name, with its function identifier (X0 of the call), in the
    /// specification's order.
    public let functions: [NamedValue]
    /// The status names and codes a call returns (bits [7:0] of X0 for RMI).
    public let statuses: [NamedValue]
    /// The status a successful call returns, if the interface names one (`RMI_SUCCESS`).
    public let success: String?
    /// For a status whose bits [15:8] carry a meaning, what they are (`RMI_ERROR_RTT`: `level`).
    public let statusIndex: [String: String]

    public init(
      name: String, caller: Party, handler: Party, functions: [NamedValue], statuses: [NamedValue] = [],
      success: String? = nil, statusIndex: [String: String] = [:]
    ) {
      self.name = name
      self.caller = caller
      self.handler = handler
      self.functions = functions
      self.statuses = statuses
      self.success = success
      self.statusIndex = statusIndex
    }

    /// The function identifier of an action of this interface.
    public func functionID(of action: String) -> Value? {
      functions.first { $0.name == action }?.value
    }
  }

  /// A name for a value (`RMI_GRANULE_DELEGATE` = `0xC4000151`, `RMI_ERROR_INPUT` = 1).
  public struct NamedValue: Hashable, Sendable {
    public let name: String
    public let value: Value
    public init(_ name: String, _ value: Value) {
      self.name = name
      self.value = value
    }
  }

  /// A field of a structure a call reads from memory (or writes), with its byte offset and
  /// width, and the action parameter it feeds.
  public struct Field: Hashable, Sendable {
    /// The structure's name in the specification (`RealmParams`).
    public let structure: String
    /// The field's name, dotted for nested fields (`vmid`, `enter.flags`).
    public let field: String
    /// The byte offset in the structure.
    public let offset: UInt64
    /// The width in bits (a value written must fit).
    public let bits: Int
    /// The parameter the field feeds, or `nil` for a field the model does not read.
    public let parameter: String?
    /// For a field the callee writes, the output of the actions that write it.
    public let output: String?
    /// The value a call reads for the field when the caller never wrote it (a scenario's
    /// convention, 0 unless the ABI says otherwise: a field whose 0 is reserved has a valid
    /// value here, so a scenario that does not care about it need not write it).
    public let unwritten: Value

    public init(
      structure: String, field: String, offset: UInt64, bits: Int, parameter: String?, output: String? = nil,
      unwritten: Value = 0
    ) {
      self.structure = structure
      self.field = field
      self.offset = offset
      self.bits = bits
      self.parameter = parameter
      self.output = output
      self.unwritten = unwritten
    }

    /// `RealmParams.vmid`.
    public var name: String { "\(structure).\(field)" }
  }

  /// A pointer register of a call: the structure the call reads at the address it holds.
  public struct Pointer: Hashable, Sendable {
    /// The action (`RMI_REALM_CREATE`).
    public let action: String
    /// The parameter holding the address (`x2`).
    public let register: String
    /// The structure at that address (`RealmParams`).
    public let structure: String

    public init(action: String, register: String, structure: String) {
      self.action = action
      self.register = register
      self.structure = structure
    }
  }

  /// The parties, in the order lanes are drawn (callers first, then handlers, then hardware).
  public var parties: [Party]
  /// The interfaces; an action belongs to the first whose ``Interface/functions`` name it.
  public var interfaces: [Interface]
  /// Named encodings (enumerations with their values: `RmiRipas`, `RsiResponse`).
  public var encodings: [FiniteSet]
  /// Other named values a user may write instead of a number (configuration facts such as the
  /// IPA width of the configuration).
  public var constants: [NamedValue]
  /// The fields of the structures calls read, by structure, in offset order.
  public var fields: [Field]
  /// The calls' pointer registers.
  public var pointers: [Pointer]
  /// The index sort renderings show first and a parametric proof quantifies over by default
  /// (`Granule`), if the model has one.
  public var primarySort: String?

  public init(
    parties: [Party] = [], interfaces: [Interface] = [], encodings: [FiniteSet] = [], constants: [NamedValue] = [],
    fields: [Field] = [], pointers: [Pointer] = [], primarySort: String? = nil
  ) {
    self.parties = parties
    self.interfaces = interfaces
    self.encodings = encodings
    self.constants = constants
    self.fields = fields
    self.pointers = pointers
    self.primarySort = primarySort
  }

  /// The interface an action belongs to, if any.
  public func interface(of action: String) -> Interface? {
    interfaces.first { $0.functionID(of: action) != nil }
  }

  /// The function identifier of an action, if an interface lists it.
  public func functionID(of action: String) -> Value? {
    interface(of: action)?.functionID(of: action)
  }

  /// The field with the given dotted name (`RealmParams.vmid`).
  public func field(named name: String) -> Field? {
    fields.first { $0.name == name }
  }

  /// The structure names, in order of first field.
  public var structures: [String] {
    var seen: [String] = []
    for f in fields where !seen.contains(f.structure) { seen.append(f.structure) }
    return seen
  }

  /// Every status of every interface, by name (the first interface naming a status wins).
  public var statusCodes: [String: Value] {
    var codes: [String: Value] = [:]
    for interface in interfaces {
      for status in interface.statuses where codes[status.name] == nil { codes[status.name] = status.value }
    }
    return codes
  }

  /// What bits [15:8] of a status mean (`level` for `RMI_ERROR_RTT`), if an interface says.
  public func indexMeaning(of status: String) -> String? {
    interfaces.lazy.compactMap { $0.statusIndex[status] }.first
  }
}
