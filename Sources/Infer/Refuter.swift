import Dispatch
import Explore
import Spec
import Symbolic

/// Drops Houdini candidates by running the concrete engine from the pre-state of a CTI Z3 gave.
///
/// A CTI's pre-state satisfies every candidate kept at that moment, and so does any state reached
/// from it whose candidates all hold: each is a pre-state Houdini may use. From the given state
/// the refuter searches breadth-first (every action and argument tuple) among such states, up to
/// ``maxStates`` states or ``seconds`` seconds, and drops every candidate false after some step.
/// Each drop is a CTI Z3 would have had to find one query at a time: Houdini's fixpoint (the
/// largest inductive subset) is unchanged, since a candidate of an inductive subset of the kept
/// set holds after every step from a state where that subset holds.
public struct Refuter {
  /// The model with the Houdini formulas as its properties, in their order.
  public let compiled: CompiledModel
  public let model: Model
  public let maxStates: Int
  public let seconds: Double
  /// Every action instance: the action and an argument tuple.
  let instances: [(action: Int, arguments: [Value])]
  /// For each action, the formulas that read a variable it may write: only these can turn false
  /// in a step of that action from a state where every kept formula holds.
  public let touched: [Set<Int>]

  /// Compiles `formulas` as the properties of `model` (its own properties are left out).
  public init(model: Model, formulas: [Expr], maxStates: Int = 64, seconds: Double = 1) throws {
    let augmented = Model(
      name: model.name, configuration: model.configuration, variables: model.variables, initial: model.initial,
      actions: model.actions,
      properties: formulas.enumerated().map {
        Property(name: "houdini-\($0.offset)", kind: .invariant, doc: "a Houdini formula", formula: $0.element)
      },
      abi: model.abi)
    let compiled = try CompiledModel(augmented)
    self.compiled = compiled
    self.instances = model.actions.indices.flatMap { a in
      (0..<compiled.argumentCount(action: a)).map { (a, compiled.arguments(action: a, position: $0)) }
    }
    self.touched = model.actions.map { action in
      let writes = Set((action.effects + action.failures.flatMap(\.effects)).map(\.variable))
      return Set(formulas.indices.filter { !formulas[$0].variablesRead.isDisjoint(with: writes) })
    }
    self.model = model
    self.maxStates = maxStates
    self.seconds = seconds
  }

  /// The CTIs found from `pre` (logical layout) relative to `kept`; see ``HoudiniRefuter``.
  public func refute(_ pre: [Value], _ kept: Set<Int>) -> [HoudiniCTI] {
    let deadline = DispatchTime.now() + .nanoseconds(Int(seconds * 1e9))
    guard let start = try? compiled.state(fromValues: pre) else { return [] }
    var kept = kept
    var found: [HoudiniCTI] = []
    var queue = [start]
    var seen: Set<State> = [start]
    var head = 0
    while head < queue.count && DispatchTime.now() < deadline {
      let state = queue[head]
      head += 1
      for (action, arguments) in instances {
        if DispatchTime.now() >= deadline { break }
        // A step the concrete engine cannot take (a key outside a map's domain in an
        // unreachable state) is left to Z3.
        guard let outcome = try? compiled.step(state, action: action, arguments: arguments) else { continue }
        let next = outcome.successor(of: state)
        guard next != state, seen.insert(next).inserted else { continue }
        // Every kept formula holds in `state`; one reading no variable the action writes holds in
        // `next` too.
        let broken = kept.intersection(touched[action]).filter { (try? compiled.holds($0, in: next)) == false }
          .sorted()
        if !broken.isEmpty {
          let a = model.actions[action]
          found.append(
            HoudiniCTI(
              action: a.name,
              arguments: zip(a.parameters, arguments).map { "\($0.name)=\($0.domain.render($1))" },
              argumentValues: arguments, broken: broken, pre: compiled.values(of: state),
              post: compiled.values(of: next)))
          kept.subtract(broken)
        }
        // Every candidate still kept holds in `next`: a pre-state of its own.
        if queue.count < maxStates { queue.append(next) }
      }
    }
    return found
  }
}
