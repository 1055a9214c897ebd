// One import: a test that imports CCAVerifyTesting also sees the modelling language (Spec), the
// concrete engine (Explore), the trace formats (Traces) and the CCA model, so a user's suite
// compiles with `import CCAVerifyTesting` alone, also under MemberImportVisibility.
@_exported import CCAModel
@_exported import Explore
@_exported import Spec
@_exported import Traces
