import CZ3

/// A model of a satisfiable check: an assignment to constants, functions and arrays.
///
/// Obtain one with ``Z3Solver/model()``. Evaluation uses *model completion* by default: a
/// constant or function the model leaves unconstrained gets some value of its sort, so every
/// term evaluates to a literal.
public final class Z3Model: CustomStringConvertible {
  /// The context that owns the model; kept alive by it.
  public let context: Z3Context
  /// The raw model; valid while this object is alive.
  let raw: Z3_model

  /// Wraps a raw model of `context`, taking a reference to it.
  init(context: Z3Context, raw: Z3_model) {
    self.context = context
    self.raw = raw
    Z3_model_inc_ref(context.raw, raw)
  }

  deinit {
    Z3_model_dec_ref(context.raw, raw)
  }

  /// Evaluates a term in the model.
  ///
  /// - Parameters:
  ///   - expr: Any term of the model's context: constants, array selects, applications, formulas.
  ///   - completion: Whether to give unconstrained symbols a value (`Z3_model_eval`'s
  ///     `model_completion`); without it, the result may still contain free symbols.
  /// - Returns: The simplified value, a literal when `completion` is `true`.
  /// - Throws: ``Z3Error`` if Z3 cannot evaluate the term.
  public func evaluate(_ expr: Z3Expr, completion: Bool = true) throws(Z3Error) -> Z3Expr {
    let term = context.own(expr)
    var value: Z3_ast?
    let ok = try context.checked { Z3_model_eval($0, raw, term, completion, &value) }
    guard ok, let value else {
      throw Z3Error(code: .notAValue, message: "the model could not evaluate \(expr)")
    }
    return Z3Expr(context: context, raw: value)
  }

  /// Evaluates a bit-vector term (up to 64 bits wide) to its unsigned value.
  ///
  /// Works for any bit-vector term, including array selects such as `select(a, i)`.
  ///
  /// - Throws: ``Z3Error`` (``Z3Error/Code/notAValue``) if the value is not a numeral or is
  ///   wider than 64 bits.
  public func bitVectorValue(of expr: Z3Expr) throws(Z3Error) -> UInt64 {
    let value = try evaluate(expr)
    guard let number = try value.numeralValue else {
      throw Z3Error(code: .notAValue, message: "\(expr) evaluates to \(value), not a 64-bit numeral")
    }
    return number
  }

  /// Evaluates a Boolean term to `true` or `false`.
  ///
  /// - Throws: ``Z3Error`` (``Z3Error/Code/notAValue``) if the value is not a Boolean literal.
  public func boolValue(of expr: Z3Expr) throws(Z3Error) -> Bool {
    let value = try evaluate(expr)
    guard let truth = try value.boolLiteral else {
      throw Z3Error(code: .notAValue, message: "\(expr) evaluates to \(value), not true or false")
    }
    return truth
  }

  /// The finite set of elements the model uses for an uninterpreted sort, in Z3's order.
  ///
  /// - Throws: ``Z3Error`` if the sort is not an uninterpreted sort of the model.
  public func universe(of sort: Z3Sort) throws(Z3Error) -> [Z3Expr] {
    let rawSort = context.own(sort)
    return try context.expressions(
      of: try context.nonNull { Z3_model_get_sort_universe($0, raw, rawSort) })
  }

  /// Evaluates a term of an uninterpreted sort to the position of its value in
  /// ``universe(of:)``.
  ///
  /// Two terms have the same index exactly when the model makes them equal, so indices are a
  /// concrete stand-in for abstract elements (e.g. granules) when replaying a counterexample.
  ///
  /// - Throws: ``Z3Error`` if the term is not of an uninterpreted sort or its value is not in the
  ///   universe.
  public func universeIndex(of expr: Z3Expr) throws(Z3Error) -> Int {
    let value = try evaluate(expr)
    let elements = try universe(of: try expr.sort)
    guard let index = elements.firstIndex(of: value) else {
      throw Z3Error(
        code: .notAValue, message: "\(expr) evaluates to \(value), which is not in the universe")
    }
    return index
  }

  /// The model as Z3 prints it (`Z3_model_to_string`); meant for debugging.
  public var description: String {
    (try? context.string { Z3_model_to_string($0, raw) }) ?? "<model>"
  }
}
