import ArgumentParser
import Foundation
import Proving
import Spec

/// The whole `cca-verify` command line as a library: a user's own executable calls
/// ``main(families:)`` with its model families, and `explore`, `prove`, `show`, `replay` and
/// `list` work on them.
///
/// ```swift
/// import CCAVerifyCLI
/// CCAVerifyTool.main(families: [MyModel.family])
/// ```
public enum CCAVerifyTool {
  /// Parses the process's arguments, runs the command against a catalogue of `families` (default:
  /// the CCA families, as the `cca-verify` executable) and exits with the documented status.
  public static func main(families: [ModelFamily] = Catalog.standard.families) -> Never {
    CurrentCatalog.shared.set(Catalog(families: families))
    CCAVerify.main()
  }
}

/// The catalogue the commands resolve model names against, set once by
/// ``CCAVerifyTool/main(families:)`` before the arguments are parsed.
final class CurrentCatalog: @unchecked Sendable {
  static let shared = CurrentCatalog()
  private let lock = NSLock()
  private var catalog = Catalog.standard

  func set(_ catalog: Catalog) { lock.withLock { self.catalog = catalog } }
  var value: Catalog { lock.withLock { catalog } }
}

/// The catalogue of this run.
var catalog: Catalog { CurrentCatalog.shared.value }

/// The name the executable was run by (`cca-verify`, or a user's own), for the commands it prints.
var programName: String {
  CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? "cca-verify"
}

/// Exit statuses are an API: 0 every expectation met (or no violation), 1 an outcome differs
/// (or a violation was found, or a replay diverged), 2 bad input, 3 internal error, 130 the run
/// was interrupted (Ctrl-C, SIGINT) before it finished, as shells report it.
enum ExitStatus: Int32 {
  case ok = 0
  case unmet = 1
  case badInput = 2
  case internalError = 3
  case interrupted = 130
}

struct CCAVerify: ParsableCommand {
  // Computed: a user's own executable (CCAVerifyTool.main(families:)) shows its own name in help.
  static var configuration: CommandConfiguration {
    CommandConfiguration(
      commandName: programName,
      abstract: "Check the isolation guarantees of Arm CCA: explore and prove an executable specification.",
      discussion: """
        Exit status: 0 no violation / every expectation met; 1 a violation, an unmet expectation or a \
        diverging replay; 2 bad input (an unknown name, a malformed number or file, an output path \
        that cannot be written); 3 internal error; 130 interrupted (Ctrl-C) before the run finished.
        """,
      version: toolVersion,
      subcommands: [
        List.self, ExploreCommand.self, Prove.self, InferCommand.self, Replay.self, Show.self, RunCommand.self,
        MutateCommand.self, MergeReports.self, CoverageCommand.self,
      ])
  }

  static func main() -> Never {
    // Ctrl-C ends any command with 130; explore and prove replace this with a handler that
    // stops the engine and prints what was found so far (and then exit 130 too).
    signal(SIGINT) { _ in _exit(ExitStatus.interrupted.rawValue) }
    // A parent may start us with SIGINT blocked (Foundation's Process does): unblock it.
    var interrupt = sigset_t()
    sigemptyset(&interrupt)
    sigaddset(&interrupt, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
    do {
      try checkHelpTopics(Array(CommandLine.arguments.dropFirst()))
      var command = try parseAsRoot()
      try command.run()
      Foundation.exit(ExitStatus.ok.rawValue)
    } catch let code as ExitCode {
      // A result other than success, already printed (ExitCode.unmet, .interrupted).
      Foundation.exit(code.rawValue)
    } catch let error as any LocatedError {
      // Bad input from any reader (a target, a trace, a scenario, JSON, an output path).
      FileHandle.standardError.write(Data("cca-verify: error: \(error)\n".utf8))
      Foundation.exit(ExitStatus.badInput.rawValue)
    } catch let error as InternalError {
      FileHandle.standardError.write(Data("cca-verify: \(error)\n".utf8))
      Foundation.exit(ExitStatus.internalError.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        // --help, --version
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(code == .validationFailure ? ExitStatus.badInput.rawValue : ExitStatus.internalError.rawValue)
    }
  }
}

/// Writes a line to standard error.
func note(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Installs a Ctrl-C handler that asks a running engine to stop and print what it has.
func installInterruptHandler(_ onInterrupt: @escaping @Sendable () -> Void) -> DispatchSourceSignal {
  signal(SIGINT, SIG_IGN)
  let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
  source.setEventHandler {
    note("\ncca-verify: interrupted; stopping and printing the summary so far (Ctrl-C again to abort)")
    onInterrupt()
    signal(SIGINT) { _ in _exit(ExitStatus.interrupted.rawValue) }
  }
  source.resume()
  return source
}

/// Refuses `cca-verify help NAME` for a NAME that is not a subcommand (argument-parser would print the root help and
/// exit 0).
///
/// The subcommands have no subcommands of their own.
func checkHelpTopics(_ arguments: [String]) throws {
  guard arguments.first == "help" else { return }
  let topics = arguments.dropFirst().filter { !$0.hasPrefix("-") }
  guard !topics.isEmpty else { return }
  let valid = ["list", "explore", "prove", "replay", "show", "run"]
  guard topics.count == 1, let topic = topics.first, valid.contains(topic) else {
    throw InputError("help", "no command '\(topics.joined(separator: " "))'; valid: \(valid.joined(separator: ", "))")
  }
}
