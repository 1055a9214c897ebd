import Proving
import Testing

/// BFS targets with a depth bound (`engine = "bfs"`, `depth = N`): every state within N steps is
/// checked, so a clean run is `holds-bounded` with the depth in its scope, a violation within the
/// depth is still found, and a violation beyond it is not claimed either way.
@Suite("Depth-bounded BFS targets")
struct BoundedBFSTests {
  @Test("a clean depth-bounded BFS is holds-bounded and states the depth")
  func cleanIsHoldsBounded() throws {
    let (result, _) = try GPTProofTests.run(
      "bounded",
      """
      model = "cca"
      configuration = "atomic"
      engine = "bfs"
      depth = 3
      expect = "holds"
      """)
    #expect(result.outcome == .holdsBounded)
    #expect(result.met)
    #expect(result.scope.contains("within 3 steps"), "\(result.scope)")
  }

  @Test("a violation within the depth is found; a shallower depth only bounds the claim")
  func violationDepth() throws {
    let target = { (depth: Int) in
      """
      model = "cca"
      mutant = "no-tlbi-on-delegate"
      properties = ["gpt-consistent"]
      engine = "bfs"
      depth = \(depth)
      expect = "violated"
      """
    }
    let (deep, _) = try GPTProofTests.run("deep", target(4))
    #expect(deep.outcome == .violated)
    // Its shortest gpt-consistent violation takes 2 steps: within 1 step the property holds.
    let (shallow, _) = try GPTProofTests.run("shallow", target(1))
    #expect(shallow.outcome == .holdsBounded)
    #expect(!shallow.met)
  }

  @Test("a negative or non-integer depth names the line")
  func malformedDepth() {
    for (text, fragment) in [
      ("model = \"cca\"\nengine = \"bfs\"\ndepth = -1\nexpect = \"holds\"\n", "bad.toml:3"),
      ("model = \"cca\"\nengine = \"bfs\"\ndepth = \"deep\"\nexpect = \"holds\"\n", "bad.toml:3"),
    ] {
      do {
        _ = try ProofTarget.parse(file: "bad.toml", text: text)
        Issue.record("parsed a malformed target: \(text)")
      } catch {
        #expect("\(error)".contains(fragment), "\(error)")
      }
    }
  }
}
