import Explore
import Spec
import Testing

/// A whole-map update whose condition pins one key (`key == e`) visits only that key's cells;
/// the result must be the same as visiting every cell.
@Suite("Row updates")
struct RowUpdateTests {
  /// A 4 x 3 map; ROW(r, v) sets row r to v where the column is odd (a pinned key and an extra
  /// condition), COLUMN(c, v) sets column c to v (the second key pinned, written `e == key`),
  /// OUTSIDE(v) pins a value outside the key domain (no cell changes).
  static func model() -> Model {
    let row = Domain.index(IndexSort("Row", count: 4))
    let column = Domain.index(IndexSort("Column", count: 3))
    let b = ModelBuilder(name: "rows", configuration: Configuration(name: "c", bounds: [:]))
    let m = b.map("m", keys: [row, column], .range(0, 9)) { k in k[1] }
    b.action("ROW", by: "t", parameters: [Parameter("r", row), Parameter("v", .range(0, 9))]) { a in
      a.setAll(m, where: { k in k[0].eq(a.arg("r")) && (k[1] % 2).eq(1) }, to: { _ in a.arg("v") })
    }
    b.action("COLUMN", by: "t", parameters: [Parameter("c", column), Parameter("v", .range(0, 9))]) { a in
      a.setAll(m, where: { k in a.arg("c").eq(k[1]) }, to: { k in k[0] + a.arg("v") })
    }
    b.action("OUTSIDE", by: "t", parameters: [Parameter("v", .range(0, 9))]) { a in
      a.setAll(m, where: { k in k[0].eq(7) }, to: { _ in a.arg("v") })
    }
    return b.build()
  }

  @Test("pinned rows, pinned columns and a key outside the domain give the cell-by-cell result")
  func rowsAndColumns() throws {
    let compiled = try CompiledModel(Self.model())
    var state = compiled.initialState()
    func step(_ name: String, _ args: [Value]) throws {
      let a = try #require(compiled.model.action(named: name))
      guard case .succeeded(let next) = try compiled.step(state, action: a, arguments: args) else {
        Issue.record("\(name) did not succeed")
        return
      }
      state = next
    }
    // m[r][c] = c initially; values(of:) lists m row-major (r, then c).
    var expected = (0..<4).flatMap { _ in (0..<3).map { Value($0) } }
    func cell(_ r: Int, _ c: Int) -> Int { r * 3 + c }
    try step("ROW", [2, 9])
    expected[cell(2, 1)] = 9
    #expect(compiled.values(of: state) == expected)
    try step("COLUMN", [0, 5])
    for r in 0..<4 { expected[cell(r, 0)] = Value(r) + 5 }
    #expect(compiled.values(of: state) == expected)
    try step("OUTSIDE", [4])
    #expect(compiled.values(of: state) == expected)
  }
}
