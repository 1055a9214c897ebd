import Foundation
import Testing

@Suite("cca-verify mutate")
struct MutateCLITests {
  static let badInput: [([String], [String])] = [
    (["mutate", "--operators", "flip-bits"], ["unknown operator 'flip-bits'", "drop-failure", "failure-effect"]),
    (["mutate", "--config", "nope"], ["unknown configuration 'nope'", "atomic"]),
    (
      ["mutate", "--config", "atomic", "--actions", "RMI_NOPE"], ["unknown action 'RMI_NOPE'", "RMI_GRANULE_DELEGATE"]
    ),
    (["mutate", "--engine", "dfs"], ["dfs"]),
    (["mutate", "--format", "html"], ["--format"]),
    (
      ["mutate", "--config", "atomic", "--show", "drop-failure/RMI_GRANULE_DELEGATE/99"],
      ["no mutant", "drop-failure/RMI_GRANULE_DELEGATE/0"]
    ),
    (["mutate", "--config", "atomic", "--start", "no-such-start.scenario"], ["--start", "no-such-start.scenario"]),
    (
      ["mutate", "--config", "atomic", "--mutants", "drop-failure/RMI_GRANULE_DELEGATE/99"],
      ["--mutants", "no mutant 'drop-failure/RMI_GRANULE_DELEGATE/99'"]
    ),
    (
      // A start scenario of another configuration: the scenario names its config, not atomic.
      ["mutate", "--config", "atomic", "--start", "Proofs/start/mec-lines.scenario"],
      ["--start", "mec-lines.scenario", "rmm-reuse-mec-lines"]
    ),
  ]

  @Test("bad input exits 2 naming the valid choices", arguments: badInput)
  func bad(_ arguments: [String], _ expected: [String]) throws {
    let run = try cca(arguments, in: repositoryRoot)
    #expect(run.status == 2, "\(arguments): stdout \(run.stdout) stderr \(run.stderr)")
    for text in expected { #expect(run.stderr.contains(text), "\(arguments): stderr \(run.stderr)") }
  }

  @Test("--show prints the IR diff of one mutant")
  func show() throws {
    let run = try cca(["mutate", "--config", "atomic", "--show", "drop-failure/RMI_GRANULE_DELEGATE/0"])
    #expect(run.status == 0, "stderr \(run.stderr)")
    #expect(run.stdout.contains("mutant drop-failure/RMI_GRANULE_DELEGATE/0: drops failure condition gran_align"))
    #expect(run.stdout.contains("- failure 0 gran_align -> RMI_ERROR_INPUT: when "))
  }

  @Test("a small run: JSON report with scores, killing traces written and named")
  func smallRun() throws {
    let dir = try temporaryDirectory()
    let run = try cca([
      "mutate", "--config", "atomic", "--actions", "RMI_GRANULE_UNDELEGATE", "--operators", "drop-effect",
      "--depth", "4", "--workers", "2", "--json", "--quiet", "--out", dir.path,
    ])
    #expect(run.status == 0, "stderr \(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let mutants = try #require(object["mutants"] as? [[String: Any]])
    #expect(!mutants.isEmpty)
    #expect(mutants.allSatisfy { ($0["id"] as? String)?.hasPrefix("drop-effect/RMI_GRANULE_UNDELEGATE/") == true })
    let killed = mutants.filter { $0["verdict"] as? String == "killed" }
    #expect(!killed.isEmpty)
    for m in killed {
      let path = try #require(m["trace"] as? String)
      #expect(FileManager.default.fileExists(atPath: path))
      #expect(FileManager.default.fileExists(atPath: String(path.dropLast(".itf.json".count)) + ".txt"))
    }
    #expect((object["total"] as? [String: Any])?["killed"] as? Int == killed.count)
  }

  @Test("--start: every model starts where the scenario ends, so a success path 1 step from it is run")
  func fromStart() throws {
    // From boot no RMI_RTT_CREATE succeeds within 1 step: every drop-effect mutant of it is
    // settled without running ("not run"). From realm-rtt.scenario's end (a NEW realm, two
    // delegated granules) it succeeds at once, so its mutants are run and the properties kill some.
    let arguments = [
      "mutate", "--config", "rmm-rtt", "--actions", "RMI_RTT_CREATE", "--operators", "drop-effect", "--depth", "1",
      "--workers", "2", "--no-triage", "--json", "--quiet",
    ]
    func mutants(_ extra: [String]) throws -> (object: [String: Any], mutants: [[String: Any]]) {
      let run = try cca(arguments + extra, in: repositoryRoot)
      #expect(run.status == 0, "stderr \(run.stderr)")
      let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
      return (object, try #require(object["mutants"] as? [[String: Any]]))
    }
    func notRun(_ m: [String: Any]) -> Bool { (m["detail"] as? String)?.hasPrefix("not run") == true }
    let boot = try mutants([])
    #expect(!boot.mutants.isEmpty && boot.mutants.allSatisfy(notRun))
    #expect(boot.object["start"] is NSNull || boot.object["start"] == nil)
    let start = try mutants(["--start", "Proofs/start/realm-rtt.scenario"])
    #expect(start.mutants.count == boot.mutants.count)
    #expect(start.mutants.contains { $0["verdict"] as? String == "killed" }, "\(start.mutants)")
    #expect((start.object["start"] as? String)?.contains("realm-rtt.scenario") == true)
  }

  @Test("--mutants runs exactly the mutants named")
  func namedMutants() throws {
    let ids = ["drop-failure/RMI_GRANULE_DELEGATE/0", "drop-effect/RMI_GRANULE_UNDELEGATE/0"]
    let run = try cca([
      "mutate", "--config", "atomic", "--mutants", ids.joined(separator: ","), "--depth", "2", "--workers", "1",
      "--no-triage", "--json", "--quiet",
    ])
    #expect(run.status == 0, "stderr \(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let mutants = try #require(object["mutants"] as? [[String: Any]])
    #expect(Set(mutants.compactMap { $0["id"] as? String }) == Set(ids))
  }
}
