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
  ]

  @Test("bad input exits 2 naming the valid choices", arguments: badInput)
  func bad(_ arguments: [String], _ expected: [String]) throws {
    let run = try cca(arguments)
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
}
