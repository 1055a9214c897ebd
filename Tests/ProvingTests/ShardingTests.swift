import Foundation
import Proving
import Testing

/// `prove --shard K/N` and `merge-reports`: the shards partition the targets whatever N, the
/// split does not depend on the process, and merging the shards' JSON reports gives back the
/// report of one run.
@Suite("Sharding and merging prove reports")
struct ShardingTests {
  static let files = (1...40).map { "Proofs/target-\($0).toml" } + ["Proofs/da/x.toml", "other/y.toml"]

  @Test("the shards of K/N partition the targets", arguments: [1, 2, 3, 4, 7])
  func partition(count: Int) throws {
    var seen: [String] = []
    for k in 1...count {
      let shard = try Sharding.Shard(parsing: "\(k)/\(count)")
      seen += shard.select(Self.files)
    }
    #expect(seen.sorted() == Self.files.sorted())
    #expect(Set(seen).count == seen.count)
  }

  @Test("the split is fixed by the path (FNV-1a), not by the process or the other targets")
  func stable() throws {
    let shard = try Sharding.Shard(parsing: "2/4")
    // Values computed by hand from FNV-1a 64 ("a": 0xaf63dc4c8601ec8c).
    #expect(Sharding.Shard.fnv1aForTesting("a") == 0xaf63_dc4c_8601_ec8c)
    #expect(Sharding.Shard.fnv1aForTesting("") == 0xcbf2_9ce4_8422_2325)
    // Adding a target moves no other target.
    let before = shard.select(Self.files)
    let after = shard.select(Self.files + ["Proofs/new.toml"]).filter { $0 != "Proofs/new.toml" }
    #expect(before == after)
    // With 4 shards of 42 targets none is empty (a degenerate hash would put all in one).
    for k in 1...4 {
      let selected = try Sharding.Shard(parsing: "\(k)/4").select(Self.files)
      #expect(!selected.isEmpty)
    }
  }

  @Test(
    "malformed shards are bad input naming --shard", arguments: ["0/4", "5/4", "1/0", "a/b", "2", "1/2/3", "-1/2", ""])
  func malformed(text: String) {
    #expect(throws: InputError.self) { try Sharding.Shard(parsing: text) }
    do {
      _ = try Sharding.Shard(parsing: text)
    } catch let error as InputError {
      #expect(error.location == "--shard")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  static func report(_ targets: [(name: String, file: String, outcome: String, expected: String)]) -> Data {
    let items = targets.map {
      """
      {"target": "\($0.name)", "file": "\($0.file)", "property": "p", "engine": "bfs", "outcome": "\($0.outcome)", \
      "scope": "s", "expected": "\($0.expected)", "met": true, "seconds": "1.250", "trace": null, "detail": "", "lemmas": null}
      """
    }
    return Data("{\"tool\": \"CCAVerify\", \"targets\": [\(items.joined(separator: ", "))]}".utf8)
  }

  @Test("merging two shards gives one report in file order, met as one run")
  func merge() throws {
    let a = try Sharding.results(
      ofReport: Self.report([("b", "Proofs/b.toml", "proved", "holds"), ("d", "Proofs/d.toml", "violated", "violated")]
      ),
      path: "shard-1.json")
    let b = try Sharding.results(
      ofReport: Self.report([("a", "Proofs/a.toml", "holds-bounded", "holds")]), path: "shard-2.json")
    let merged = try Sharding.merge([("shard-1.json", a), ("shard-2.json", b)])
    #expect(merged.map(\.target) == ["a", "b", "d"])
    let allMet = merged.allSatisfy { $0.met }
    #expect(allMet)
    #expect(merged[0].seconds == 1.25)
    // The merged JSON reads back as the same targets.
    let again = try Sharding.results(ofReport: Data(ProveReport.json(merged).serialized().utf8), path: "merged.json")
    #expect(again.map(\.target) == ["a", "b", "d"])
    #expect(again.map(\.outcome) == merged.map(\.outcome))
    // An unmet target anywhere makes the merged run unmet.
    let c = try Sharding.results(
      ofReport: Self.report([("e", "Proofs/e.toml", "unknown", "holds")]), path: "shard-3.json")
    let unmet = try Sharding.merge([("shard-1.json", a), ("shard-3.json", c)])
    let unmetMet = unmet.allSatisfy { $0.met }
    #expect(!unmetMet)
  }

  @Test("a target in two reports, and a report that is not one, are bad input naming the file")
  func badReports() throws {
    let a = try Sharding.results(ofReport: Self.report([("b", "Proofs/b.toml", "proved", "holds")]), path: "x.json")
    #expect(throws: InputError.self) { try Sharding.merge([("x.json", a), ("y.json", a)]) }
    for (text, fragment) in [
      ("{\"targets\": 3}", "targets"), ("not json", "not JSON"), ("{\"targets\": [{\"target\": \"t\"}]}", "targets[0]"),
    ] {
      do {
        _ = try Sharding.results(ofReport: Data(text.utf8), path: "bad.json")
        Issue.record("accepted \(text)")
      } catch let error as InputError {
        #expect(error.location.hasPrefix("bad.json"))
        #expect(error.description.contains(fragment), "\(error)")
      }
    }
    let wrongOutcome = Self.report([("b", "Proofs/b.toml", "maybe", "holds")])
    #expect(throws: InputError.self) { try Sharding.results(ofReport: wrongOutcome, path: "bad.json") }
  }
}
