import CZ3

/// A set of Z3 parameters (name/value pairs) to configure a solver.
///
/// Z3 validates the names only when the set is applied (``Z3Solver/setParams(_:)``), so an
/// unknown or ill-typed parameter is reported there.
public final class Z3Params: CustomStringConvertible {
  /// The context that owns the parameter set; kept alive by it.
  public let context: Z3Context
  /// The raw parameter set; valid while this object is alive.
  let raw: Z3_params

  /// Wraps a raw parameter set of `context`, taking a reference to it.
  init(context: Z3Context, raw: Z3_params) {
    self.context = context
    self.raw = raw
    Z3_params_inc_ref(context.raw, raw)
  }

  deinit {
    Z3_params_dec_ref(context.raw, raw)
  }

  /// Creates an empty parameter set in `context`.
  ///
  /// - Throws: ``Z3Error`` if Z3 cannot create it.
  public convenience init(context: Z3Context) throws(Z3Error) {
    self.init(context: context, raw: try context.nonNull { Z3_mk_params($0) })
  }

  /// Sets a Boolean parameter, for example `"model"` or `"unsat_core"`.
  public func set(_ name: String, to value: Bool) throws(Z3Error) {
    let key = try context.symbol(name)
    try context.checked { Z3_params_set_bool($0, raw, key, value) }
  }

  /// Sets an unsigned parameter, for example `"timeout"` (milliseconds) or `"rlimit"`.
  public func set(_ name: String, to value: UInt32) throws(Z3Error) {
    let key = try context.symbol(name)
    try context.checked { Z3_params_set_uint($0, raw, key, value) }
  }

  /// Sets a floating-point parameter.
  public func set(_ name: String, to value: Double) throws(Z3Error) {
    let key = try context.symbol(name)
    try context.checked { Z3_params_set_double($0, raw, key, value) }
  }

  /// Sets a symbol-valued parameter, for example a logic name.
  public func set(_ name: String, to value: String) throws(Z3Error) {
    let key = try context.symbol(name)
    let symbol = try context.symbol(value)
    try context.checked { Z3_params_set_symbol($0, raw, key, symbol) }
  }

  /// The parameters as Z3 prints them.
  public var description: String {
    (try? context.string { Z3_params_to_string($0, raw) }) ?? "<params>"
  }
}
