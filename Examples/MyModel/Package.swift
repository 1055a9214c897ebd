// swift-tools-version: 6.1
//
// A starter package: a model of your own, checked with CCAVerify. Copy this folder, point the
// CCAVerify dependency at your checkout (or its URL), and replace the lock with your model.
//
//   MyModel       the model (Sources/MyModel/Lock.swift), built with the modelling language Spec
//   my-model      the whole cca-verify command line, with the lock registered (three lines)
//   MyModelTests  Swift Testing suites of the lock with CCAVerifyTesting
//   GuideTests    the code of Docs/testing-guide.md and Docs/writing-a-model.md, file by file as
//                 the guides show it (CCAVerify's GuideSnippetTests checks they match)
//
// Every target compiles with MemberImportVisibility: each file imports what it uses, and one
// import (CCAVerifyTesting, CCAVerifyCLI) brings the modules it re-exports.
import PackageDescription

let package = Package(
  name: "MyModel",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "CCAVerify", path: "../..")
  ],
  targets: [
    .target(name: "MyModel", dependencies: [.product(name: "Spec", package: "CCAVerify")]),
    .executableTarget(
      name: "my-model", dependencies: ["MyModel", .product(name: "CCAVerifyCLI", package: "CCAVerify")]),
    .testTarget(
      name: "MyModelTests", dependencies: ["MyModel", .product(name: "CCAVerifyTesting", package: "CCAVerify")]),
    .testTarget(name: "GuideTests", dependencies: [.product(name: "CCAVerifyTesting", package: "CCAVerify")]),
  ]
)

for target in package.targets {
  target.swiftSettings = [.enableUpcomingFeature("MemberImportVisibility")]
}
