import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A child process started with `posix_spawn`, its standard output and error read through pipes.
///
/// The CLI tests spawn `cca-verify` hundreds of times, several at once. Foundation's `Process.run()`
/// in the Swift 6.3 toolchain crashes now and then on Linux (SIGSEGV in a memcpy: it copies the whole
/// 256-byte `d_name` of each `/proc/self/fd` entry, reading past glibc's readdir buffer when a short
/// record ends a page; swift-corelibs-foundation pull request 5472, merged after 6.3.1). CI saw it
/// once in six runs. This launcher calls `posix_spawn` directly, with close-on-exec pipes, so no
/// directory walk happens and a concurrently spawned child never inherits another child's pipe.
final class Spawned: @unchecked Sendable {
  /// How the child ended.
  struct Ending {
    /// The exit code, or the signal number when it was killed by a signal (as `Process` reports it).
    let status: Int32
    /// `.exit` or `.uncaughtSignal`.
    let reason: Process.TerminationReason
  }

  let pid: pid_t
  private let stdoutReader: Thread
  private let stderrReader: Thread
  private let output = LockedData()
  private let errors = LockedData()
  private let readersDone = DispatchGroup()

  /// Starts `executable` with `arguments`, in `directory` if given, with `environment` (the
  /// test's own when nil) and standard input from /dev/null.
  init(
    _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
  ) throws {
    var outPipe: [Int32] = [-1, -1]
    var errPipe: [Int32] = [-1, -1]
    guard let pipe2 = Spawned.pipe2 else { throw SpawnError(call: "pipe2", code: ENOSYS) }
    guard pipe2(&outPipe, O_CLOEXEC) == 0 else { throw SpawnError(call: "pipe2", code: errno) }
    guard pipe2(&errPipe, O_CLOEXEC) == 0 else {
      let code = errno
      close(outPipe[0])
      close(outPipe[1])
      throw SpawnError(call: "pipe2", code: code)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    // dup2 clears close-on-exec on the target descriptor; the pipes' own ends close at exec.
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    if let directory {
      guard let addChdir = Spawned.addChdir else {
        throw SpawnError(call: "posix_spawn_file_actions_addchdir_np (glibc 2.29+)", code: ENOSYS)
      }
      _ = addChdir(&actions, directory.path)
    }

    // The child starts with default signal dispositions and nothing blocked, whatever the test
    // runner set for itself (an ignored SIGPIPE or SIGINT would otherwise survive exec).
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var all = sigset_t()
    var none = sigset_t()
    sigfillset(&all)
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
    let environment = environment ?? ProcessInfo.processInfo.environment
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var child: pid_t = 0
    let code = posix_spawn(&child, executable.path, &actions, &attributes, argv, envp)
    close(outPipe[1])
    close(errPipe[1])
    guard code == 0 else {
      close(outPipe[0])
      close(errPipe[0])
      throw SpawnError(call: "posix_spawn \(executable.path)", code: code)
    }
    pid = child
    let outFD = outPipe[0]
    let errFD = errPipe[0]
    let (output, errors, group) = (output, errors, readersDone)
    group.enter()
    group.enter()
    stdoutReader = Thread {
      output.set(FileHandle(fileDescriptor: outFD, closeOnDealloc: true).readDataToEndOfFile())
      group.leave()
    }
    stderrReader = Thread {
      errors.set(FileHandle(fileDescriptor: errFD, closeOnDealloc: true).readDataToEndOfFile())
      group.leave()
    }
    stdoutReader.start()
    stderrReader.start()
  }

  /// glibc's `pipe2`, which the Glibc module does not import (it is a GNU extension).
  private static let pipe2: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
  private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

  /// glibc's `posix_spawn_file_actions_addchdir_np`, which the Glibc module does not import.
  private static let addChdir: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np").map {
    unsafeBitCast($0, to: AddChdir.self)
  }
  private typealias AddChdir =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

  /// Sends `signal` to the child.
  func send(_ signal: Int32) { kill(pid, signal) }

  /// Waits for the child to end.
  func wait() -> Ending {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 {
      if errno != EINTR { return Ending(status: -1, reason: .exit) }
    }
    return ended(status)
  }

  /// Waits at most `timeout` seconds for the child to end; nil when it is still running.
  func wait(timeout: Double) -> Ending? {
    let deadline = Date().addingTimeInterval(timeout)
    var status: Int32 = 0
    while true {
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid { return ended(status) }
      if result == -1 && errno != EINTR { return Ending(status: -1, reason: .exit) }
      if Date() >= deadline { return nil }
      usleep(10_000)
    }
  }

  /// Decodes a `waitpid` status, once both pipes are drained.
  private func ended(_ status: Int32) -> Ending {
    readersDone.wait()
    let signal = status & 0x7f
    return signal == 0
      ? Ending(status: (status >> 8) & 0xff, reason: .exit) : Ending(status: signal, reason: .uncaughtSignal)
  }

  /// Everything the child wrote to standard output (complete once `wait` has returned).
  var stdout: String { String(decoding: output.get(), as: UTF8.self) }
  /// Everything the child wrote to standard error (complete once `wait` has returned).
  var stderr: String { String(decoding: errors.get(), as: UTF8.self) }
}

/// A failed system call while starting a child.
struct SpawnError: Error, CustomStringConvertible {
  let call: String
  let code: Int32
  var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}
