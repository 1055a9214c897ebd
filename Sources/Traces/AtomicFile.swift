import Foundation

/// Writes files so that each appears complete or not at all: the text goes to a uniquely named
/// temporary file in the same directory, which is then renamed over the destination.
public enum AtomicFile {
  /// An error writing a file: the path and what went wrong.
  public struct WriteError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
  }

  /// Writes text to a path atomically, creating the directory first when `createDirectory`.
  ///
  /// - Throws: ``WriteError`` when the directory cannot be created or the file cannot be
  ///   written or moved into place; no temporary file is left behind.
  public static func write(_ text: String, to path: String, createDirectory: Bool = false) throws {
    let fm = FileManager.default
    let directory = (path as NSString).deletingLastPathComponent
    if createDirectory && !directory.isEmpty {
      do {
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw WriteError(path: directory, message: "cannot create the directory: \(error.localizedDescription)")
      }
    }
    let name = (path as NSString).lastPathComponent
    let temporary =
      (directory.isEmpty ? "" : directory + "/")
      + ".\(name).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
    guard fm.createFile(atPath: temporary, contents: Data(text.utf8)) else {
      throw WriteError(path: path, message: "cannot write the file")
    }
    if rename(temporary, path) != 0 {
      let reason = String(cString: strerror(errno))
      try? fm.removeItem(atPath: temporary)
      throw WriteError(path: path, message: "cannot move the file into place: \(reason)")
    }
  }
}
