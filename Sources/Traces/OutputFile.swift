import Foundation
import Spec

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way CCAVerify writes an output file (traces, reports, renderings, coverage tables).
///
/// What a path names decides how it is written:
/// - `-`: standard output.
/// - a new path or a regular file: atomically, a uniquely named temporary file in the same
///   directory renamed over the destination, so the file appears complete or not at all;
///   a symbolic link to a regular file keeps the link and replaces the file it names.
/// - a character device (`/dev/null`, a terminal), a FIFO or a socket, and any path under
///   `/dev/` or `/proc/` (`/dev/stdout`, `/dev/fd/3`): written through, never replaced.
/// - a directory, a block device or a dangling symbolic link: refused.
///
/// ``check(_:)`` and ``checkDirectory(_:)`` validate a destination before any work is done,
/// so a long run never ends by failing to write its results.
public enum OutputFile {
  /// An error writing a file: the path and what went wrong.
  public struct WriteError: LocatedError, Equatable, Sendable {
    public let path: String
    public var location: String { path }
    public let message: String
    public init(path: String, message: String) {
      self.path = path
      self.message = message
    }
    public var description: String { "\(path): \(message)" }
  }

  /// How a destination is written.
  public enum Destination: Equatable, Sendable {
    /// Standard output (`-`).
    case standardOutput
    /// Atomically replaced (or created) at this path.
    case atomic(String)
    /// Opened and written in place: a device, FIFO, socket or a `/dev`, `/proc` link.
    case writeThrough(String)
  }

  /// Classifies a destination without writing to it.
  ///
  /// - Throws: ``WriteError`` for an empty path, a directory, a block device or a dangling link.
  public static func destination(of path: String) throws -> Destination {
    if path == "-" { return .standardOutput }
    guard !path.isEmpty else { throw WriteError(path: path, message: "an empty path is not a file") }
    if path.hasPrefix("/dev/") || path.hasPrefix("/proc/") {
      guard let kind = fileKind(path, follow: true) else {
        throw WriteError(path: path, message: "does not exist (files under /dev and /proc are never created)")
      }
      if kind == S_IFDIR { throw WriteError(path: path, message: "is a directory; give a file path") }
      return .writeThrough(path)
    }
    guard let own = fileKind(path, follow: false) else { return .atomic(path) }
    switch own {
    case S_IFREG: return .atomic(path)
    case S_IFDIR: throw WriteError(path: path, message: "is a directory; give a file path")
    case S_IFLNK:
      guard let target = fileKind(path, follow: true) else {
        throw WriteError(path: path, message: "is a symbolic link to a file that does not exist")
      }
      switch target {
      case S_IFREG:
        guard let resolved = realpath(path, nil) else {
          throw WriteError(path: path, message: "cannot resolve the symbolic link")
        }
        defer { free(resolved) }
        return .atomic(String(cString: resolved))
      case S_IFDIR: throw WriteError(path: path, message: "is a directory; give a file path")
      case S_IFCHR, S_IFIFO, S_IFSOCK: return .writeThrough(path)
      default: throw WriteError(path: path, message: "is not a regular file, a device or a FIFO")
      }
    case S_IFCHR, S_IFIFO, S_IFSOCK: return .writeThrough(path)
    default: throw WriteError(path: path, message: "is not a regular file, a device or a FIFO")
    }
  }

  /// Checks, before any work, that a file can later be written at `path`: it is `-`, a
  /// writable special file, or a new or regular file whose directory exists and is writable
  /// or can be created (`createDirectory`).
  ///
  /// - Throws: ``WriteError`` naming the path and what is wrong with it.
  public static func check(_ path: String, createDirectory: Bool = true) throws {
    switch try destination(of: path) {
    case .standardOutput: return
    case .writeThrough(let p):
      if access(p, W_OK) != 0 { throw WriteError(path: path, message: "is not writable: \(reason())") }
    case .atomic(let p):
      let directory = (p as NSString).deletingLastPathComponent
      if fileKind(p, follow: false) == S_IFREG, access(p, W_OK) != 0 {
        throw WriteError(path: path, message: "is not writable: \(reason())")
      }
      if createDirectory {
        try checkDirectory(directory.isEmpty ? "." : directory, label: path)
      } else {
        let d = directory.isEmpty ? "." : directory
        guard fileKind(d, follow: true) == S_IFDIR else {
          throw WriteError(path: path, message: "the directory \(d) does not exist")
        }
        if access(d, W_OK) != 0 { throw WriteError(path: path, message: "the directory \(d) is not writable") }
      }
    }
  }

  /// Checks, before any work, that `path` is a writable directory or can be created as one:
  /// its nearest existing ancestor is a writable directory.
  ///
  /// - Throws: ``WriteError`` when a component is a file or the directory cannot be written.
  public static func checkDirectory(_ path: String) throws {
    try checkDirectory(path, label: path)
  }

  private static func checkDirectory(_ path: String, label: String) throws {
    guard !path.isEmpty else { throw WriteError(path: label, message: "an empty path is not a directory") }
    var candidate = path
    while true {
      if let kind = fileKind(candidate, follow: true) {
        guard kind == S_IFDIR else {
          throw WriteError(path: label, message: "\(candidate) exists and is not a directory")
        }
        if access(candidate, W_OK | X_OK) != 0 {
          throw WriteError(path: label, message: "the directory \(candidate) is not writable")
        }
        return
      }
      let parent = (candidate as NSString).deletingLastPathComponent
      if parent.isEmpty || parent == candidate { candidate = "."; continue }
      candidate = parent
    }
  }

  /// Writes text to a destination as its kind calls for (see ``OutputFile``), creating the
  /// directory of a new file first when `createDirectory`.
  ///
  /// - Throws: ``WriteError`` when the destination is refused or cannot be written; an atomic
  ///   write leaves no temporary file behind and the old file unchanged.
  public static func write(_ text: String, to path: String, createDirectory: Bool = true) throws {
    try write(Data(text.utf8), to: path, createDirectory: createDirectory)
  }

  /// Writes bytes to a destination; see ``write(_:to:createDirectory:)-(String,_,_)``.
  public static func write(_ data: Data, to path: String, createDirectory: Bool = true) throws {
    switch try destination(of: path) {
    case .standardOutput:
      fflush(nil)
      try writeAll(data, to: STDOUT_FILENO, path: path)
    case .writeThrough(let p):
      // Append: `/dev/stdout` redirected to a file must not truncate what was printed before.
      let fd = open(p, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC)
      guard fd >= 0 else { throw WriteError(path: path, message: "cannot open for writing: \(reason())") }
      defer { close(fd) }
      try writeAll(data, to: fd, path: path)
    case .atomic(let p):
      try writeAtomically(data, to: p, label: path, createDirectory: createDirectory)
    }
  }

  private static func writeAtomically(_ data: Data, to path: String, label: String, createDirectory: Bool) throws {
    let directory = (path as NSString).deletingLastPathComponent
    if createDirectory && !directory.isEmpty {
      do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw WriteError(path: directory, message: "cannot create the directory: \(error.localizedDescription)")
      }
    }
    let name = (path as NSString).lastPathComponent
    let temporary =
      (directory.isEmpty ? "" : directory + "/")
      + ".\(name).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw WriteError(path: label, message: "cannot write the file: \(reason())") }
    do {
      try writeAll(data, to: fd, path: label)
    } catch {
      close(fd)
      unlink(temporary)
      throw error
    }
    close(fd)
    if rename(temporary, path) != 0 {
      let why = reason()
      unlink(temporary)
      throw WriteError(path: label, message: "cannot move the file into place: \(why)")
    }
  }

  private static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
    try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
      guard var base = buffer.baseAddress else { return }
      var left = buffer.count
      while left > 0 {
        let n = Foundation.write(fd, base, left)
        if n < 0 {
          if errno == EINTR { continue }
          throw WriteError(path: path, message: "cannot write: \(reason())")
        }
        left -= n
        base = base.advanced(by: n)
      }
    }
  }

  /// The type bits of a path's status (`S_IFREG`, `S_IFDIR`, ...), or nil when it does not exist.
  private static func fileKind(_ path: String, follow: Bool) -> mode_t? {
    var info = stat()
    let result = follow ? stat(path, &info) : lstat(path, &info)
    guard result == 0 else { return nil }
    return info.st_mode & S_IFMT
  }

  private static func reason() -> String { String(cString: strerror(errno)) }
}
