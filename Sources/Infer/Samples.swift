import Dispatch
import Explore
import Spec

/// Reachable states of a model, in the logical layout, gathered to filter candidate invariants.
///
/// Sampling proves nothing: a candidate true in every sample is only a candidate.
public struct Samples: Sendable {
  /// The distinct states found, each in ``StateLayout`` order.
  public let states: [[Value]]
  /// Whether breadth-first search exhausted the reachable states (within the model's bounds).
  public let exhaustive: Bool
  /// The random walks run after breadth-first search stopped short (0 when it was exhaustive).
  public let walks: Int

  /// Gathers reachable states: breadth-first search from the initial state up to
  /// `options.maxStates` states or `seconds`, then, if the search did not finish, seeded swarm
  /// walks (`SeededChooser(seed:stream:)`, one stream per walk) until the state limit or the time.
  ///
  /// - Throws: ``ExploreError`` when the model errs on a step.
  /// - Complexity: O(states × transitions per state) steps.
  public static func gather(_ compiled: CompiledModel, options: InferenceOptions, seconds: Double) throws -> Samples {
    let deadline = DispatchTime.now() + .nanoseconds(Int(max(seconds, 0.1) * 1e9))
    var seen: Set<State> = [compiled.initialState()]
    var states: [[Value]] = [compiled.values(of: compiled.initialState())]
    var frontier = [compiled.initialState()]
    var exhaustive = false
    search: while true {
      var next: [State] = []
      for state in frontier {
        if DispatchTime.now() > deadline { break search }
        for (_, _, outcome) in try compiled.successors(of: state) {
          guard case .succeeded(let successor) = outcome, seen.insert(successor).inserted else { continue }
          if seen.count > options.maxStates { break search }
          states.append(compiled.values(of: successor))
          next.append(successor)
        }
      }
      if next.isEmpty {
        exhaustive = true
        break
      }
      frontier = next
    }
    var walks = 0
    if !exhaustive {
      while walks < options.walks && seen.count <= options.maxStates && DispatchTime.now() < deadline {
        var chooser = SeededChooser(seed: options.seed, stream: UInt64(walks))
        let walk = try randomWalk(compiled, chooser: &chooser, length: options.walkLength, swarm: true, properties: [])
        walks += 1
        for values in walk.trace.states {
          guard let state = try? compiled.state(fromValues: values), seen.insert(state).inserted else { continue }
          states.append(values)
        }
      }
    }
    return Samples(states: states, exhaustive: exhaustive, walks: walks)
  }
}
