import Spec

/// Explores a compiled model: exhaustive breadth-first search or seeded random walks, as the
/// options say, checking properties in every state reached.
///
/// BFS checks every distinct state (the initial one included) and reports a *shortest* trace to
/// the first violation, the same one for any number of workers; `complete` says the reachable
/// space was exhausted. Random mode runs `walks` walks of `walkLength` steps, walk `i` drawing
/// from `SeededChooser(seed: seed, stream: i)`, and reports the violation of the lowest-numbered
/// walk, so the same seed and configuration give the same trace.
///
/// - Parameters:
///   - compiled: the model.
///   - options: mode, seed, limits, workers, properties, progress callback and stop signal.
/// - Returns: the report; a property violation and a model error are outcomes, not thrown.
/// - Complexity: BFS: O(reachable states × (action, argument) pairs × step cost) time,
///   about ``ExploreReport/bytesPerState`` bytes per distinct state plus two BFS levels of packed
///   states. Random: O(walks × walkLength × step cost).
public func explore(_ compiled: CompiledModel, options: ExploreOptions = ExploreOptions()) -> ExploreReport {
  let properties: [Int]
  var symmetry: Symmetry?
  do {
    properties = try compiled.checkedProperties(options.properties)
    if options.mode == .bfs && !options.symmetricSorts.isEmpty {
      symmetry = try Symmetry(model: compiled.model, layout: compiled.layout, sorts: options.symmetricSorts)
    }
  } catch {
    return ExploreReport(
      outcome: .modelError(String(describing: error)), mode: options.mode, distinctStates: 0,
      transitions: 0, maxDepthReached: 0, complete: false, stoppedBy: nil, elapsed: 0,
      coverage: CoverageCounter(model: compiled.model).coverage(of: compiled.model), seed: options.seed,
      bytesPerState: 0, packedStateBytes: compiled.wordsPerState * 8, workers: max(1, options.workers),
      walksCompleted: 0, violatingWalk: nil, errorTrace: nil)
  }
  switch options.mode {
  case .bfs:
    return BreadthFirstSearch(compiled: compiled, options: options, properties: properties, symmetry: symmetry).run()
  case .random:
    return RandomExploration(compiled: compiled, options: options, properties: properties).run()
  }
}
