// swift-tools-version: 6.1
//
// CCAVerify benchmarks: a separate package so the main package's build and tests never pay for
// the harness. It depends on the root package by path and uses only its library products.
//
//   cca-bench   bfs | scaling | prove | baseline | rmm | features | infer | mutate   (Benchmarks/README.md)
//
// The root package exposes Spec, Explore, Traces, CCAModel and Proving as products, but not Z3
// or Symbolic. Proving depends on both, so SwiftPM builds them and links them into cca-bench;
// `import Symbolic` and `import Z3` in this package resolve through that transitive dependency
// (SwiftPM's implicit module visibility). If the root ever exposes them as products, list them
// below instead.
import PackageDescription

let package = Package(
  name: "CCAVerifyBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "CCAVerify", path: ".."),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    .executableTarget(
      name: "cca-bench",
      dependencies: [
        .product(name: "Spec", package: "CCAVerify"),
        .product(name: "Explore", package: "CCAVerify"),
        .product(name: "CCAModel", package: "CCAVerify"),
        .product(name: "Proving", package: "CCAVerify"),
        .product(name: "Infer", package: "CCAVerify"),
        .product(name: "Mutation", package: "CCAVerify"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ])
  ]
)
