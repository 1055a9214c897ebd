// One import for proving: proof targets and reports (Proving), the Z3-backed checker
// (Symbolic: BMC, induction, k-induction), the concrete engine, the modelling language and the
// trace formats.
@_exported import Explore
@_exported import Proving
@_exported import Spec
@_exported import Symbolic
@_exported import Traces
