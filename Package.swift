// swift-tools-version: 6.1
//
// CCAVerify: an executable specification of Arm CCA isolation with two checkers.
//
// Module graph (the dependency rule; Docs/ADR/0001-layers.md explains it). One module a line:
// what it is, then `->` and exactly the modules it imports (ModuleGraphTests checks this list
// against the targets below, the `import` lines of the sources and the ADR's table):
//
//   Spec              modelling language: domains, state schema, actions, properties     -> (none)
//   Explore           concrete engine: compiled IR, packing, random/BFS, the one Execution -> Spec
//   Traces            trace values, ITF JSON, renderings (completed by a TraceCompleting) -> Spec
//   CZ3               the system libz3                                                    -> (none)
//   Z3                a thin Swift wrapper of libz3; knows nothing of specs               -> CZ3
//   Symbolic          Spec IR -> Z3 terms: BMC, induction with CTIs, k-induction          -> Spec, Z3
//   Infer             invariant inference: templates, sampling, Houdini, minimisation     -> Spec, Explore, Symbolic
//   CCAModel          Models/CCA: the Arm CCA specification written in Spec              -> Spec
//   Mutation          mutants generated from the IR, run against the properties, score   -> Spec, Explore, Symbolic
//   Scenarios         ABI-level scenario files: parse, run against the model, coverage   -> Spec, Explore, Traces, CCAModel
//   Proving           Proofs/ loading, engine dispatch, reports, trace files and replay  -> Spec, Explore, Traces, Symbolic, Infer, CCAModel, Scenarios, Mutation
//   CCAVerifyTesting  the library users call from Swift Testing (re-exports its imports) -> Spec, Explore, Traces, CCAModel, Mutation
//   CCAVerifyProving  one import for proving from Swift (re-exports its imports)         -> Proving, Symbolic, Explore, Spec, Traces
//   CCAVerifyCLI      the command line as a library: argument parsing and presentation   -> Proving, Scenarios, Spec, Explore, Traces, Mutation, ArgumentParser
//   cca-verify        the executable: CCAVerifyCLI with the CCA model families           -> CCAVerifyCLI
//
// The model never imports an engine. Spec, Explore, Traces and CCAModel build and test without Z3.
//
// EXPLORE_INTERNAL_CHECKS (a compilation condition, off by default): build with
//   swift build --build-tests -Xswiftc -DEXPLORE_INTERNAL_CHECKS --scratch-path .build/checks
//   swift test --skip-build --scratch-path .build/checks --filter ExploreTests
// and the concrete engine checks its own invariants as it runs (every packed state it produces
// decodes into its variables' domains with zero padding bits; the visited store's table is
// consistent at the end of a search). Slow, for debugging the engine. `.ci/run` does not build it:
// a second build of every module costs more than the rest of CI's debug work on 2 cores.
import PackageDescription

let package = Package(
  name: "CCAVerify",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "cca-verify", targets: ["cca-verify"]),
    .library(name: "CCAVerifyCLI", targets: ["CCAVerifyCLI"]),
    .library(name: "Spec", targets: ["Spec"]),
    .library(name: "Explore", targets: ["Explore"]),
    .library(name: "Traces", targets: ["Traces"]),
    .library(name: "CCAModel", targets: ["CCAModel"]),
    .library(name: "Proving", targets: ["Proving"]),
    .library(name: "Infer", targets: ["Infer"]),
    .library(name: "Symbolic", targets: ["Symbolic"]),
    .library(name: "CCAVerifyProving", targets: ["CCAVerifyProving"]),
    .library(name: "CCAVerifyTesting", targets: ["CCAVerifyTesting"]),
    .library(name: "Scenarios", targets: ["Scenarios"]),
    .library(name: "Mutation", targets: ["Mutation"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    .target(name: "Spec"),
    .target(name: "Explore", dependencies: ["Spec"]),
    .target(name: "Traces", dependencies: ["Spec"]),
    .systemLibrary(
      name: "CZ3", pkgConfig: "z3", providers: [.apt(["libz3-dev"])]),
    .target(name: "Z3", dependencies: ["CZ3"]),
    .target(name: "Symbolic", dependencies: ["Spec", "Z3"]),
    .target(name: "Infer", dependencies: ["Spec", "Explore", "Symbolic"]),
    .target(name: "CCAModel", dependencies: ["Spec"], path: "Models/CCA"),
    .target(name: "Mutation", dependencies: ["Spec", "Explore", "Symbolic"]),
    .target(
      name: "Proving",
      dependencies: ["Spec", "Explore", "Traces", "Symbolic", "Infer", "CCAModel", "Scenarios", "Mutation"]),
    .target(
      name: "CCAVerifyTesting", dependencies: ["Spec", "Explore", "Traces", "CCAModel", "Mutation"]),
    .target(
      name: "CCAVerifyProving", dependencies: ["Proving", "Symbolic", "Explore", "Spec", "Traces"]),
    .target(name: "Scenarios", dependencies: ["Spec", "Explore", "Traces", "CCAModel"]),
    .target(
      name: "CCAVerifyCLI",
      dependencies: [
        "Proving", "Scenarios", "Spec", "Explore", "Traces", "Mutation",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "cca-verify", dependencies: ["CCAVerifyCLI"]),
    .target(
      name: "_TestSupport", dependencies: ["Spec"], path: "Tests/_TestSupport"),
    .testTarget(name: "SpecTests", dependencies: ["Spec", "_TestSupport"]),
    .testTarget(name: "ExploreTests", dependencies: ["Explore", "Spec", "_TestSupport"]),
    .testTarget(name: "TracesTests", dependencies: ["Traces", "Explore", "Spec", "CCAModel"]),
    .testTarget(name: "Z3Tests", dependencies: ["Z3"]),
    .testTarget(
      name: "SymbolicTests",
      dependencies: ["Symbolic", "Explore", "Spec", "CCAModel", "Z3", "_TestSupport"]),
    .testTarget(
      name: "CCAModelTests", dependencies: ["CCAModel", "Explore", "Spec", "_TestSupport"]),
    .testTarget(name: "CLITests", dependencies: ["cca-verify", "Proving", "Traces", "Scenarios"]),
    .testTarget(
      name: "ScenarioTests", dependencies: ["Scenarios", "CCAModel", "Spec", "Explore"]),
    .testTarget(
      name: "CCAVerifyTestingTests", dependencies: ["CCAVerifyTesting", "CCAModel", "Spec", "Explore", "_TestSupport"]),
    .testTarget(name: "InferTests", dependencies: ["Infer", "Symbolic", "Explore", "Spec", "CCAVerifyTesting"]),
    .testTarget(
      name: "MutationTests", dependencies: ["Mutation", "Explore", "Spec", "Symbolic", "CCAModel", "_TestSupport"]),
    .testTarget(
      name: "ProvingTests",
      dependencies: ["Proving", "CCAModel", "Explore", "Spec", "Traces", "Symbolic", "Mutation", "_TestSupport"]),
  ]
)
