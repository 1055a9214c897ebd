import ArgumentParser
import Foundation
import Proving
import Symbolic

/// `cca-bench prove`: seconds per proof target of the root's `Proofs/` and in total, through
/// Proving (the same path as `cca-verify prove`).
struct ProveBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prove",
    abstract: "Time every proof target in Proofs/ (Prover.targetFiles, ProofTarget.load, Prover.run).",
    discussion: """
      Seconds are Prover.run's own measure for each target (building and compiling the model, \
      running the engine, replaying and writing any counterexample); load seconds are parsing \
      and checking the target file. Counterexamples go to a temporary folder (--out), not to out/.
      """)

  @Argument(help: "Target files or folders (default: Proofs/ of the CCAVerify checkout).") var paths: [String] = []
  @Option(help: "Folder for counterexample files.") var out = (NSTemporaryDirectory() as NSString).appendingPathComponent("cca-bench-prove")
  @Option(help: "Override every symbolic target's argument encoding: symbolic or enumerated (default: each target's own).") var arguments: String?
  @OptionGroup var common: CommonOptions

  /// `Proofs/` in the current directory, else next to this package (Benchmarks/..).
  static func defaultProofs() -> String {
    if FileManager.default.fileExists(atPath: "Proofs") { return "Proofs" }
    let root = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent("Proofs").path
  }

  func run() throws {
    try guarded {
      let context = common.context()
      var table = ResultTable(
        title: "Proof targets",
        columns: ["target", "engine", "scope", "outcome", "expected", "met", "load s", "run s"])
      let searched = paths.isEmpty ? [Self.defaultProofs()] : paths
      if paths.isEmpty && !FileManager.default.fileExists(atPath: searched[0]) {
        table.notes.append("no Proofs/ folder at \(searched[0]): nothing to time")
        emit([table], context: context, command: "prove", json: common.json)
        return
      }
      let files: [String]
      do { files = try Prover.targetFiles(searched) } catch { throw BenchInputError("\(error)") }
      var totalLoad = 0.0
      var totalRun = 0.0
      var met = 0
      for file in files {
        progress("prove: \(file) ...")
        let (loaded, loadSeconds) = timed { Result { try ProofTarget.load(path: file) } }
        totalLoad += loadSeconds
        var target: ProofTarget
        switch loaded {
        case .success(let t): target = t
        case .failure(let error):
          table.append([
            .text((file as NSString).lastPathComponent), .none, .none, .text("bad input"), .none, .text("no"),
            .seconds(loadSeconds), .none,
          ])
          table.notes.append("\(file): \(error)")
          continue
        }
        if let arguments {
          guard let encoding = ArgumentEncoding(rawValue: arguments) else {
            throw BenchInputError("--arguments: unknown encoding '\(arguments)'; valid: symbolic, enumerated")
          }
          target.arguments = encoding
        }
        let (ran, runSeconds) = timed { Result { [target] in try Prover.run(target, outputDirectory: out) } }
        switch ran {
        case .success(let r):
          totalRun += r.seconds
          if r.met { met += 1 }
          table.append([
            .text(r.target), .text(r.engine), .text(r.scope), .text(r.outcome.rawValue), .text(r.expected.rawValue),
            .text(r.met ? "yes" : "NO"), .seconds(loadSeconds), .seconds(r.seconds),
          ])
          if !r.met { table.notes.append("\(r.target): \(r.detail)") }
        case .failure(let error):
          totalRun += runSeconds
          table.append([
            .text(target.name), .text(target.engine.name), .none, .text("error"), .text(target.expect.rawValue),
            .text("NO"), .seconds(loadSeconds), .seconds(runSeconds),
          ])
          table.notes.append("\(target.name): \(error)")
        }
      }
      table.append([
        .text("TOTAL (\(files.count) targets)"), .none, .none, .text("\(met) met"), .none, .none, .seconds(totalLoad),
        .seconds(totalRun),
      ])
      table.notes.append("targets from \(searched.joined(separator: ", ")); counterexamples in \(out)")
      emit([table], context: context, command: "prove", json: common.json)
    }
  }
}
