import ArgumentParser
import Foundation

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
  @OptionGroup var common: CommonOptions

  func validate() throws {
    if !(0...100).contains(bmcDepth) { throw ValidationError("--bmc-depth must be in 0...100, got \(bmcDepth)") }
    if !(timeout > 0) { throw ValidationError("--timeout must be > 0, got \(timeout)") }
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
      emit([induction, bmc], context: context, command: "baseline", json: common.json)
    }
  }
}
