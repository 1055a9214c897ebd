import Spec

/// The state of one data-cache line (one granule in one PAS alias; the model treats a granule as
/// one line, since every access and every maintenance operation covers the whole granule).
enum LineState {
  /// Not present.
  ///
  /// Its content label is kept at ``Content/zero`` so invalid lines never split states.
  static let invalid: Value = 0
  /// Present and equal to what it was filled from; dropped without a write-back.
  static let clean: Value = 1
  /// Present and written since the fill; written back to memory when evicted or cleaned.
  static let dirty: Value = 2

  static let set = FiniteSet("LineState", [("INVALID", invalid), ("CLEAN", clean), ("DIRTY", dirty)])
  static let domain = Domain.finite(set)
}
