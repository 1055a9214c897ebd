import Spec
import Z3

/// The symbolic values of every state variable of a model in one state.
///
/// A variable's keys split into the *parametric* key (at most one, a sort that a parametric
/// proof treats as uninterpreted) and the others, which are enumerated. Each combination of the
/// enumerated keys is a *cell*; a cell holds one term, or, when the variable has a parametric
/// key, an array from that sort to the value.
struct SymbolicState {
  /// `cells[v][c]`: the term of cell `c` of variable `v`.
  var cells: [[Z3Expr]]
}

/// How the encoding represents each variable; fixed for a model and a set of parametric sorts.
struct VariableShape {
  /// Position of the parametric key among the variable's keys, if any.
  let parametricKey: Int?
  /// The enumerated keys' positions and domains, in key order.
  let enumeratedKeys: [Int]
  /// Strides of the enumerated keys in cell numbering (row-major).
  let strides: [Int]
  let cellCount: Int
  /// Width of the stored bit-vector for value variables (0 for booleans and parametric sorts).
  let width: Int
  /// The value domain is a parametric sort.
  let parametricValue: Bool
}
