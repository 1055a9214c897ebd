import ArgumentParser
import Explore
import Foundation
import Spec
import Symbolic

/// `cca-bench baseline`: the hand-written Z3 encoding of a small GPT model (GPTBaseline.swift), a
/// yardstick for the compiled encoding.
struct BaselineBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline",
    abstract: "A hand-written Z3 encoding of a small GPT model (a yardstick only): parametric, bounded and BMC timings.",
    discussion: """
      The model: atomic transitions, one hypervisor PE with cached GPIs, PAS-tagged cache lines \
      (GPTBaseline.swift documents it). It is written against the Z3 wrapper, not the Spec IR, \
      and proves nothing about CCA: it shows what a direct encoding costs on this machine.
        parametric  not leak, inductive with forall g. Q(g); granules an uninterpreted sort
        bounded     the same, unrolled at --granules; acting granule symbolic (one query per \
      action) or enumerated (one query per action and granule, as the compiled encoding does)
        bmc         the no-tlbi-on-delegate variant: a shortest leak (5 steps)
        same model  the same model written in the Spec IR (GPTBaselineTwin.swift) and checked by the \
      compiled encoding with each argument encoding of --compiled, against the hand-written encoding \
      (acting granule symbolic, qf-bv solver): bounded induction at --granules and BMC at \
      --bmc-granules, the three alternating run by run (--repeat runs, median)
      --solver: incremental asks every query of a check of one general solver between push and pop \
      (libz3 then uses its incremental SMT core); qf-bv does the same with Z3_mk_solver_for_logic("QF_BV"), \
      the solver the compiled checker uses for bounded queries (not for parametric ones: no arrays or \
      quantifiers); fresh builds a new general solver per query (libz3's non-incremental path).
      Seconds include building terms; "solve s" is the time inside consecution (or BMC) queries.
      """)

  @Option(help: "Comma-separated granule counts for the bounded proofs.") var granules = "2,4,8,16,32,64"
  @Option(help: "Comma-separated acting-granule encodings for the bounded proofs: symbolic, enumerated.") var acting = "symbolic,enumerated"
  @Option(help: "Comma-separated solver modes: incremental (one general solver, push/pop per query), qf-bv (one QF_BV solver, push/pop: the compiled checker's bounded solver), fresh (a new general solver per query).") var solver = "incremental,qf-bv,fresh"
  @Option(help: "Comma-separated granule counts for BMC.") var bmcGranules = "8"
  @Option(help: "BMC depth bound.") var bmcDepth = 6
  @Option(help: "Wall-clock budget per solver query in seconds.") var timeout: Double = 300
  @Option(help: "Comma-separated argument encodings of the compiled checker for the same-model table (symbolic, enumerated), or none.") var compiled = "symbolic,enumerated"
  @Option(name: .customLong("repeat"), help: "Runs per same-model measurement (the table shows the median).") var repeats = 1
  @OptionGroup var common: CommonOptions

  func validate() throws {
    if !(0...100).contains(bmcDepth) { throw ValidationError("--bmc-depth must be in 0...100, got \(bmcDepth)") }
    if !(timeout > 0) { throw ValidationError("--timeout must be > 0, got \(timeout)") }
    if repeats < 1 { throw ValidationError("--repeat must be >= 1, got \(repeats)") }
    do { _ = try compiledEncodings() } catch { throw ValidationError("\(error)") }
    do {
      _ = try integerList(granules, name: "--granules", range: 1...1024)
      _ = try integerList(bmcGranules, name: "--bmc-granules", range: 1...1024)
    } catch { throw ValidationError("\(error)") }
    for item in acting.split(separator: ",") where GPTBaseline.Acting(rawValue: String(item)) == nil {
      throw ValidationError("--acting: unknown encoding '\(item)'; valid: symbolic, enumerated")
    }
    for item in solver.split(separator: ",") where GPTBaseline.SolverMode(rawValue: String(item)) == nil {
      throw ValidationError("--solver: unknown mode '\(item)'; valid: incremental, qf-bv, fresh")
    }
  }

  func run() throws {
    try guarded {
      let sizes = try integerList(granules, name: "--granules", range: 1...1024)
      let bmcSizes = try integerList(bmcGranules, name: "--bmc-granules", range: 1...1024)
      var modes: [GPTBaseline.Acting] = []
      for item in acting.split(separator: ",") {
        guard let mode = GPTBaseline.Acting(rawValue: String(item)) else {
          throw BenchInputError("--acting: unknown encoding '\(item)'; valid: symbolic, enumerated")
        }
        modes.append(mode)
      }
      var solverModes: [GPTBaseline.SolverMode] = []
      for item in solver.split(separator: ",") {
        guard let mode = GPTBaseline.SolverMode(rawValue: String(item)) else {
          throw BenchInputError("--solver: unknown mode '\(item)'; valid: incremental, qf-bv, fresh")
        }
        solverModes.append(mode)
      }
      let context = common.context()

      var induction = ResultTable(
        title: "Baseline (hand-written Z3, yardstick only): inductive proof of not leak with forall g. Q(g)",
        columns: ["check", "variant", "granules", "acting", "solver", "seconds", "solve s", "queries", "outcome", "detail"])
      func add(_ check: String, _ variant: String, _ granules: String, _ acting: String, _ mode: GPTBaseline.SolverMode, _ r: BaselineReport) {
        induction.append([
          .text(check), .text(variant), .text(granules), .text(acting), .text(mode.rawValue), .seconds(r.seconds), .seconds(r.solveSeconds),
          .integer(r.queries), .text(r.outcome.name), .text(r.outcome.detail),
        ])
        for n in r.notes { induction.notes.append("\(check) \(variant) \(granules) \(acting) \(mode.rawValue): \(n)") }
        progress(String(format: "  %.3f s, %d queries, %@ %@", r.seconds, r.queries, r.outcome.name, r.outcome.detail))
      }
      do {
        for mode in solverModes where mode != .qfbv {
          for mutant in [false, true] {
            let variant = mutant ? "no-tlbi-on-delegate" : "correct"
            progress("baseline: parametric induction, \(variant), \(mode.rawValue) solver ...")
            add(
              "parametric", variant, "any", "fresh constant", mode,
              try GPTBaseline(mutant: mutant).parametricInduction(mode: mode, timeout: timeout))
          }
        }
        for mode in solverModes {
          for actingMode in modes {
            for n in sizes {
              progress("baseline: bounded induction, \(n) granules, acting \(actingMode.rawValue), \(mode.rawValue) solver ...")
              add(
                "bounded", "correct", String(n), actingMode.rawValue, mode,
                try GPTBaseline(mutant: false).boundedInduction(granules: n, acting: actingMode, mode: mode, timeout: timeout))
            }
          }
        }
      } catch let error as BenchInputError {
        throw error
      } catch {
        throw BenchFailure("baseline induction: \(error)")
      }
      induction.notes.append(
        "Q(g) = typing ∧ conjuncts 1-4 of reference/gpt-invariants.md; its 5th conjunct is for a three-state RMM and does not apply (GPTBaseline.swift)")

      var bmc = ResultTable(
        title: "Baseline (hand-written Z3, yardstick only): BMC of the no-tlbi-on-delegate variant, deepening to \(bmcDepth)",
        columns: ["granules", "depth bound", "solver", "seconds", "solve s", "queries", "outcome", "detail"])
      do {
        for mode in solverModes {
          for n in bmcSizes {
            progress("baseline: BMC, \(n) granules, depth \(bmcDepth), \(mode.rawValue) solver ...")
            let r = try GPTBaseline(mutant: true).bmc(granules: n, depth: bmcDepth, mode: mode, timeout: timeout)
            progress(String(format: "  %.3f s, %d queries, %@ %@", r.seconds, r.queries, r.outcome.name, r.outcome.detail))
            bmc.append([
              .integer(n), .integer(bmcDepth), .text(mode.rawValue), .seconds(r.seconds), .seconds(r.solveSeconds),
              .integer(r.queries), .text(r.outcome.name), .text(r.outcome.detail),
            ])
          }
        }
      } catch {
        throw BenchFailure("baseline BMC: \(error)")
      }
      let encodings = try compiledEncodings()
      var tables = [induction, bmc]
      if !encodings.isEmpty {
        tables.append(try sameModelTable(sizes: sizes, bmcSizes: bmcSizes, encodings: encodings))
      }
      emit(tables, context: context, command: "baseline", json: common.json)
    }
  }

  func compiledEncodings() throws -> [ArgumentEncoding] {
    if compiled == "none" { return [] }
    return try compiled.split(separator: ",").map { name in
      guard let e = ArgumentEncoding(rawValue: String(name)) else {
        throw BenchInputError("--compiled: unknown encoding '\(name)'; valid: symbolic, enumerated, or none")
      }
      return e
    }
  }

  /// The hand-written encoding and the compiled one on the same model (GPTBaselineTwin), run by
  /// run alternating: bounded induction of `not leak` with Q(g), and BMC of the variant.
  func sameModelTable(sizes: [Int], bmcSizes: [Int], encodings: [ArgumentEncoding]) throws -> ResultTable {
    var columns = ["check", "granules", "hand-written s", "cpu s", "hand-written outcome"]
    for e in encodings {
      columns += ["compiled \(e.rawValue) s", "cpu s", "x hand-written", "x hand-written cpu", "queries", "outcome"]
    }
    var table = ResultTable(
      title: "Same model: hand-written (acting symbolic, qf-bv) against compiled (Spec IR twin)"
        + (repeats > 1 ? " (median of \(repeats) runs)" : ""),
      columns: columns)
    func measure(_ check: String, _ n: Int) throws -> [Cell] {
      let mutant = check == "bmc"
      let model = GPTBaselineTwin.model(granules: n, mutant: mutant)
      let compiledModel: CompiledModel
      do { compiledModel = try CompiledModel(model) } catch { throw BenchFailure("the twin does not compile: \(error)") }
      let property = try {
        guard let p = model.properties.firstIndex(where: { $0.name == "no-leak" }) else { throw BenchFailure("the twin has no no-leak") }
        return p
      }()
      let lemmas = model.properties.indices.filter { model.properties[$0].kind == .lemma }
      var handSeconds: [Double] = []
      var handCPU: [Double] = []
      var cpu = [[Double]](repeating: [], count: encodings.count)
      var handOutcome = ""
      var seconds = [[Double]](repeating: [], count: encodings.count)
      var reports = [SymbolicReport?](repeating: nil, count: encodings.count)
      for r in 1...repeats {
        progress("baseline: same model, \(check), \(n) granules, hand-written" + (repeats > 1 ? " run \(r)/\(repeats)" : "") + " ...")
        let handBefore = processCPUSeconds()
        let hand =
          mutant
          ? try GPTBaseline(mutant: true).bmc(granules: n, depth: bmcDepth, mode: .qfbv, timeout: timeout)
          : try GPTBaseline(mutant: false).boundedInduction(granules: n, acting: .symbolic, mode: .qfbv, timeout: timeout)
        progress(String(format: "  %.3f s, %@ %@", hand.seconds, hand.outcome.name, hand.outcome.detail))
        handSeconds.append(hand.seconds)
        handCPU.append(processCPUSeconds() - handBefore)
        handOutcome = hand.outcome.name + (mutant ? " (\(hand.outcome.detail.prefix(8)))" : "")
        for (i, e) in encodings.enumerated() {
          progress("baseline: same model, \(check), \(n) granules, compiled \(e.rawValue) ...")
          let checker: SymbolicChecker
          do {
            checker = try SymbolicChecker(model: model, options: SymbolicOptions(timeout: timeout, arguments: e))
          } catch { throw BenchFailure("the twin does not encode: \(error)") }
          let before = processCPUSeconds()
          let report =
            mutant
            ? checker.bmc(properties: [property], depth: bmcDepth)
            : checker.induction(properties: [property], lemmas: lemmas)
          progress(String(format: "  %.3f s, %d queries", report.seconds, report.queries))
          seconds[i].append(report.seconds)
          cpu[i].append(processCPUSeconds() - before)
          reports[i] = report
        }
      }
      let hand = median(handSeconds)
      let handCPUMedian = median(handCPU)
      var row: [Cell] = [.text(check), .integer(n), .seconds(hand), .seconds(handCPUMedian), .text(handOutcome)]
      for i in encodings.indices {
        guard let report = reports[i] else { throw BenchFailure("no run") }
        var (outcome, _) = ScalingBenchmark.describe(report.outcome)
        if case .violated(let trace) = report.outcome {
          outcome += " (\(trace.steps.count) steps)"
          // Every symbolic counterexample is replayed concretely before it is shown.
          if case .diverged(let step, let reason) = replay(compiledModel, trace: trace) {
            outcome = "violated (DOES NOT REPLAY at step \(step): \(reason))"
          }
        }
        let s = median(seconds[i])
        let c = median(cpu[i])
        row += [
          .seconds(s), .seconds(c), .number(s / max(hand, 1e-9), decimals: 2), .number(c / max(handCPUMedian, 1e-9), decimals: 2),
          .integer(report.queries), .text(outcome),
        ]
      }
      return row
    }
    for n in sizes { table.append(try measure("induction", n)) }
    for n in bmcSizes { table.append(try measure("bmc", n)) }
    table.notes.append(
      "the twin (GPTBaselineTwin.swift) computes each field of the acting granule as GPTBaseline.step does; its lemmas are Q(g)'s conjuncts 1-4, typing is the fields' domains")
    table.notes.append(
      "compiled seconds: SymbolicReport.seconds (encoding and solving); hand-written: building terms and solving; cpu s: the process's CPU seconds around the check (the machine may be shared)")
    return table
  }
}
