import Dispatch
import Explore
import Spec

/// Reachable states of a model, in the logical layout, gathered to filter candidate invariants.
///
/// Sampling proves nothing: a candidate true in every sample is only a candidate.
public struct Samples: Sendable {
  /// The distinct states found, each in ``StateLayout`` order.
  public let states: [[Value]]
  /// Whether breadth-first search from the initial state exhausted the reachable states (within
  /// the model's bounds) and no extra start added a state.
  public let exhaustive: Bool
  /// The random walks run after breadth-first search stopped short (0 when it was exhaustive).
  public let walks: Int
  /// The states sampling started from besides the initial state (``InferenceOptions/starts``).
  public let starts: Int

  /// Gathers reachable states from the initial state, then from each of `options.starts`.
  ///
  /// Each origin gets an equal share of what is left of the state limit (`options.maxStates`),
  /// of the walks and of `seconds`: breadth-first search from it until its share of states or
  /// time less the walks' share (`options.walkShare`), then, if the search did not finish,
  /// seeded swarm walks from it until the rest is used
  /// (`SeededChooser(seed:stream:)`, one stream per walk). With no extra start this is one
  /// search from the initial state with the whole budget.
  ///
  /// - Throws: ``ExploreError`` when the model errs on a step or a start is not a state of it.
  /// - Complexity: O(states × transitions per state) steps.
  public static func gather(_ compiled: CompiledModel, options: InferenceOptions, seconds: Double) throws -> Samples {
    let deadline = DispatchTime.now() + .nanoseconds(Int(max(seconds, 0.1) * 1e9))
    let origins = try [compiled.initialState()] + options.starts.map { try compiled.state(fromValues: $0) }
    var seen: Set<State> = []
    var states: [[Value]] = []
    var exhaustive = false
    var walks = 0
    for (index, origin) in origins.enumerated() {
      let left = origins.count - index
      // This origin's share of the time, states and walks left.
      let now = DispatchTime.now()
      let share = deadline > now ? (deadline.uptimeNanoseconds - now.uptimeNanoseconds) / UInt64(left) : 0
      let until = now + .nanoseconds(Int(share))
      let cap = seen.count + max(0, options.maxStates - seen.count) / left
      let walkCap = walks + max(0, options.walks - walks) / left
      // Breadth-first search leaves the walks their share of the states and of the time.
      let walkShare = options.walks > 0 ? min(max(options.walkShare, 0), 1) : 0
      let searchCap = cap - Int(Double(cap - seen.count) * walkShare)
      let searchUntil = now + .nanoseconds(Int(Double(share) * (1 - walkShare)))
      let before = states.count
      if seen.insert(origin).inserted { states.append(compiled.values(of: origin)) }
      var frontier = [origin]
      var finished = false
      search: while true {
        var next: [State] = []
        for state in frontier {
          if DispatchTime.now() > searchUntil { break search }
          for (_, _, outcome) in try compiled.successors(of: state) {
            guard case .succeeded(let successor) = outcome, seen.insert(successor).inserted else { continue }
            if seen.count > searchCap {
              // Not sampled, so not seen: a later origin may still reach it.
              seen.remove(successor)
              break search
            }
            states.append(compiled.values(of: successor))
            next.append(successor)
          }
        }
        if next.isEmpty {
          finished = true
          break
        }
        frontier = next
      }
      if index == 0 {
        exhaustive = finished
      } else if states.count > before {
        exhaustive = false
      }
      guard !finished else { continue }
      let walker = index == 0 ? compiled : compiled.starting(at: origin)
      while walks < walkCap && seen.count < cap && DispatchTime.now() < until {
        var chooser = SeededChooser(seed: options.seed, stream: UInt64(walks))
        let walk = try randomWalk(walker, chooser: &chooser, length: options.walkLength, swarm: true, properties: [])
        walks += 1
        for values in walk.trace.states {
          guard let state = try? compiled.state(fromValues: values), seen.insert(state).inserted else { continue }
          states.append(values)
        }
      }
    }
    return Samples(states: states, exhaustive: exhaustive, walks: walks, starts: options.starts.count)
  }
}
