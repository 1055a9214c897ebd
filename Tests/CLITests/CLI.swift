import Foundation
import Testing

/// The result of running the `cca-verify` executable.
struct Run {
  let status: Int32
  let stdout: String
  let stderr: String
}

/// Runs the `cca-verify` executable built next to the test bundle.
func cca(_ arguments: [String], in directory: URL? = nil) throws -> Run {
  let process = Process()
  process.executableURL = try executable()
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = directory }
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  // Read before waiting so a large output cannot fill the pipe and block the child.
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return Run(
    status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self))
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
