import Foundation
import Testing

/// The result of running the `cca-verify` executable.
struct Run {
  let status: Int32
  let stdout: String
  let stderr: String
}

/// Runs the `cca-verify` executable built next to the test bundle (see `Spawned` for why not `Process`).
func cca(_ arguments: [String], in directory: URL? = nil) throws -> Run {
  let child = try Spawned(try executable(), arguments, in: directory)
  let ending = child.wait()
  return Run(status: ending.status, stdout: child.stdout, stderr: child.stderr)
}

/// The `cca-verify` binary in the build products directory.
func executable() throws -> URL {
  var directory = Bundle.main.bundleURL
  for _ in 0..<4 {
    let candidate = directory.appendingPathComponent("cca-verify")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    directory = directory.deletingLastPathComponent()
  }
  let fromArguments = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  for base in [fromArguments, fromArguments.deletingLastPathComponent()] {
    let candidate = base.appendingPathComponent("cca-verify")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
  }
  throw CLIError(message: "cca-verify not found near \(Bundle.main.bundleURL.path)")
}

struct CLIError: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("cca-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// The repository root (for Proofs/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()
