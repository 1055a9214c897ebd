import Foundation
import Testing

@Suite("cca-verify coverage")
struct CoverageCLITests {
  @Test(
    "rmm-small pins RSI_IPA_STATE_SET's flags; rmm-small-values takes RSI_CHANGE_DESTROYED too, and the report shows both"
  )
  func pinnedAndWidened() throws {
    let pinned = try cca(["coverage", "--config", "rmm-small", "--depth", "3", "--json"])
    #expect(pinned.status == 0, "stderr: \(pinned.stderr)")
    let small = try #require(try JSONSerialization.jsonObject(with: Data(pinned.stdout.utf8)) as? [String: Any])
    let pinnedList = try #require(small["pinned"] as? [String])
    #expect(pinnedList.contains("RSI_IPA_STATE_SET.x4"))
    #expect(pinnedList.contains("RMI_REC_CREATE.params_mpidr"))
    let wide = try cca(["coverage", "--config", "rmm-small-values", "--depth", "3", "--json"])
    #expect(wide.status == 0, "stderr: \(wide.stderr)")
    let values = try #require(try JSONSerialization.jsonObject(with: Data(wide.stdout.utf8)) as? [String: Any])
    let widePinned = try #require(values["pinned"] as? [String])
    #expect(!widePinned.contains("RSI_IPA_STATE_SET.x4"))
    #expect(!widePinned.contains("RMI_REC_CREATE.params_mpidr"))
    // Per action: the failure conditions and each parameter's values with their counts.
    let actions = try #require(values["actions"] as? [[String: Any]])
    let create = try #require(actions.first { $0["name"] as? String == "RMI_REALM_CREATE" })
    let failures = try #require(create["failures"] as? [[String: Any]])
    // Within 3 steps of boot a realm can be created with a bad hash algorithm: params_valid fires.
    let valid = try #require(failures.first { $0["name"] as? String == "params_valid" })
    #expect((valid["fired"] as? Int ?? 0) > 0)
    let parameters = try #require(create["parameters"] as? [[String: Any]])
    let hash = try #require(parameters.first { $0["name"] as? String == "params_hash_algo" })
    #expect((hash["values"] as? [[String: Any]])?.count == 3)
  }

  @Test("the text report names what was never reached")
  func text() throws {
    let run = try cca(["coverage", "--config", "rmm-small", "--depth", "2"])
    #expect(run.status == 0, "stderr: \(run.stderr)")
    #expect(run.stdout.contains("Coverage of cca rmm-small"))
    #expect(run.stdout.contains("failure conditions never fired:"))
    #expect(run.stdout.contains("RSI_IPA_STATE_SET: taken 0"))
    #expect(run.stdout.contains("x4: 0x0 0/0 (never)  PINNED") || run.stdout.contains("x4: 0 0/0 (never)  PINNED"))
  }

  @Test(
    "bad input is exit 2 with the option named",
    arguments: [
      (["coverage", "--config", "nope"], "nope"),
      (["coverage", "--depth", "-1"], "--depth"),
      (["coverage", "--mode", "dfs"], "dfs"),
      (["coverage", "--mutant", "nope"], "nope"),
    ])
  func badInput(_ arguments: [String], _ named: String) throws {
    let run = try cca(arguments)
    #expect(run.status == 2, "stdout: \(run.stdout) stderr: \(run.stderr)")
    #expect(run.stderr.contains(named))
  }
}
