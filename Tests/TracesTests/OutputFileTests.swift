import Foundation
import Testing
import Traces

/// ``OutputFile``: atomic onto a regular or new file, written through to devices and FIFOs,
/// refused for a directory; nothing is ever replaced that is not a regular file.
@Suite("Output files")
struct OutputFileTests {
  func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("cca-out-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  func kind(_ path: String, follow: Bool = false) -> mode_t? {
    var info = stat()
    guard (follow ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
    return info.st_mode & S_IFMT
  }

  func inode(_ path: String) -> ino_t {
    var info = stat()
    _ = stat(path, &info)
    return info.st_ino
  }

  @Test(
    "A new path (in a directory created for it) and a regular file are written atomically, leaving no temporary file")
  func regularFiles() throws {
    let dir = try temporaryDirectory()
    let path = dir + "/sub/deeper/report.xml"
    try OutputFile.check(path)
    #expect(!FileManager.default.fileExists(atPath: dir + "/sub"), "check must not create anything")
    try OutputFile.write("one\n", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\n")
    let before = inode(path)
    try OutputFile.write("two\n", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "two\n")
    #expect(inode(path) != before, "a regular file is replaced by rename, not rewritten in place")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/sub/deeper") == ["report.xml"])
    #expect(try OutputFile.destination(of: path) == .atomic(path))
  }

  @Test("A symbolic link to a regular file stays a link; the file it names gets the text")
  func symbolicLink() throws {
    let dir = try temporaryDirectory()
    try "old".write(toFile: dir + "/target.txt", atomically: false, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: dir + "/link.txt", withDestinationPath: dir + "/target.txt")
    try OutputFile.write("new", to: dir + "/link.txt")
    #expect(kind(dir + "/link.txt") == S_IFLNK)
    #expect(try String(contentsOfFile: dir + "/target.txt", encoding: .utf8) == "new")
    try FileManager.default.createSymbolicLink(atPath: dir + "/dangling", withDestinationPath: dir + "/nothing")
    #expect(throws: OutputFile.WriteError.self) { try OutputFile.write("x", to: dir + "/dangling") }
    #expect(kind(dir + "/dangling") == S_IFLNK)
  }

  @Test("A FIFO is written through and stays a FIFO")
  func fifo() throws {
    let dir = try temporaryDirectory()
    let path = dir + "/pipe"
    #expect(mkfifo(path, 0o600) == 0)
    #expect(try OutputFile.destination(of: path) == .writeThrough(path))
    try OutputFile.check(path)
    let received = LockedText()
    // A blocking read to the end (Foundation's file readers may read a FIFO's size, 0, only).
    let reader = Thread {
      let handle = FileHandle(forReadingAtPath: path)
      received.set(handle.map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) } ?? "<unreadable>")
    }
    reader.start()
    try OutputFile.write("through the pipe\n", to: path)
    while received.get() == nil { usleep(10_000) }
    #expect(received.get() == "through the pipe\n")
    #expect(kind(path) == S_IFIFO, "the FIFO was replaced")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["pipe"])
  }

  @Test("Character devices and /dev links are written through, never replaced; - is standard output")
  func devices() throws {
    #expect(try OutputFile.destination(of: "/dev/null") == .writeThrough("/dev/null"))
    #expect(try OutputFile.destination(of: "/dev/stdout") == .writeThrough("/dev/stdout"))
    #expect(try OutputFile.destination(of: "-") == .standardOutput)
    try OutputFile.check("/dev/null")
    try OutputFile.write("discarded", to: "/dev/null")
    #expect(kind("/dev/null") == S_IFCHR)
    #expect(throws: OutputFile.WriteError.self) { try OutputFile.check("/dev/no-such-device") }
  }

  @Test("A directory, an empty path and a path below a regular file are refused, before and at writing")
  func refused() throws {
    let dir = try temporaryDirectory()
    try "keep".write(toFile: dir + "/file", atomically: false, encoding: .utf8)
    for bad in [dir, "", dir + "/file/below.xml"] {
      #expect(throws: OutputFile.WriteError.self, "\(bad)") { try OutputFile.check(bad) }
      #expect(throws: OutputFile.WriteError.self, "\(bad)") { try OutputFile.write("x", to: bad) }
    }
    #expect(kind(dir) == S_IFDIR)
    #expect(try String(contentsOfFile: dir + "/file", encoding: .utf8) == "keep")
    #expect(throws: OutputFile.WriteError.self) { try OutputFile.checkDirectory(dir + "/file/sub") }
    try OutputFile.checkDirectory(dir + "/new/sub")
    #expect(!FileManager.default.fileExists(atPath: dir + "/new"))
  }
}

/// Text set by one thread and read by another.
final class LockedText: @unchecked Sendable {
  private let lock = NSLock()
  private var text: String?
  func set(_ t: String) { lock.withLock { text = t } }
  func get() -> String? { lock.withLock { text } }
}
