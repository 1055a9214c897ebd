import CCAModel
import Spec

extension ScenarioResolver {
  /// Resolves an `expect` statement against the model's state variables: the variable by name,
  /// each key in its key domain (a number, a `let` name or a label), the expected value in the
  /// variable's value domain.
  ///
  /// - Throws: ``ScenarioError`` at the unknown variable, the wrong key count, or the key or
  ///   value outside its domain, naming what was expected.
  func resolve(_ e: StateExpectation, model: Model) throws -> ResolvedStateCheck {
    guard let index = model.variables.firstIndex(where: { $0.name == e.variable }) else {
      let names = model.variables.filter { $0.role == .state }.map(\.name)
      throw error(
        e.position, "expect",
        "unknown state variable '\(e.variable)'; expected 'granule ADDRESS state NAME' or one of: \(names.joined(separator: ", "))"
      )
    }
    let variable = model.variables[index]
    guard e.keys.count == variable.keys.count else {
      throw error(
        e.position, "expect",
        "\(e.variable) takes \(variable.keys.count) key\(variable.keys.count == 1 ? "" : "s") (\(variable.keys.map { "\($0)" }.joined(separator: ", "))), found \(e.keys.count)"
      )
    }
    var keys: [Value] = []
    for (k, key) in e.keys.enumerated() {
      var v = try evaluate(key, field: e.variable, domain: variable.keys[k])
      if e.keyIsGranuleAddress {
        guard let g = CCA.granuleIndex(ofPA: v), variable.keys[k].contains(g) else {
          throw error(
            key.position, "granule",
            "\(hex(v)) is not the PA of one of the configuration's granules (4 KB aligned, from 0x80000000: \(variable.keys[k]))"
          )
        }
        v = g
      }
      guard variable.keys[k].contains(v) else {
        throw error(key.position, e.variable, "key \(hex(v)) is outside \(variable.keys[k])")
      }
      keys.append(v)
    }
    let expected = try evaluate(e.value, field: e.variable, domain: variable.value)
    guard variable.value.contains(expected) else {
      throw error(
        e.value.position, e.variable, "\(hex(expected)) is outside the values of \(e.variable) (\(variable.value))")
    }
    guard let position = model.layout.position(of: VariableID(index), keys: keys) else {
      throw error(e.position, "expect", "no slot \(e.variable) with these keys")
    }
    let rendered = keys.enumerated().map { "[\(variable.keys[$0].render($1))]" }.joined()
    return ResolvedStateCheck(
      line: e.position.line, text: e.text, slotName: e.variable + rendered, position: position, expected: expected,
      domain: variable.value)
  }
}
