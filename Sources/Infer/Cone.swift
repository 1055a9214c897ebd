import Spec

/// The cone of influence of a set of state variables: the variables whose values can reach them.
///
/// Starting from the variables the properties read, adds, for every action that writes a
/// variable already in the cone (on success or on a failure condition with effects), what
/// decides that write: the guard, the failure conditions, and the write's keys, value and
/// condition. The result is closed: no action writes a variable in the cone from one outside
/// it. The model projected onto its cone is a transition system of its own (each cone
/// variable's next value depends only on cone variables), so an inductive invariant over the
/// cone's variables proves the properties whenever one over all variables does; templates
/// outside the cone only slow Houdini down.
public enum Cone {
  /// The cone of the variables `properties` read (indices into `model.properties`).
  public static func of(_ model: Model, properties: [Int]) -> Set<VariableID> {
    var cone = Set(properties.flatMap { model.properties[$0].formula.variablesRead })
    // What each action's writes to each variable depend on.
    var feeds: [VariableID: Set<VariableID>] = [:]
    for action in model.actions {
      var decides = action.guardCondition.variablesRead
      for f in action.failures { decides.formUnion(f.condition.variablesRead) }
      for effect in action.effects + action.failures.flatMap(\.effects) {
        let reads = decides.union(effect.variablesRead)
        feeds[effect.variable, default: []].formUnion(reads)
      }
    }
    var frontier = Array(cone)
    while let v = frontier.popLast() {
      for w in feeds[v] ?? [] where cone.insert(w).inserted { frontier.append(w) }
    }
    return cone
  }
}
