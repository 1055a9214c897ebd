import Foundation
import Testing

/// The guides' Swift code is compiled and run by the starter package (Examples/MyModel), a separate package depending
/// on CCAVerify by path, under MemberImportVisibility, as a user's package would (`.ci/run` builds and tests it).
///
/// These tests check that the guides show exactly that code: every complete example (a block that starts with imports)
/// is one file of Examples/MyModel/Tests/GuideTests, and every such file is shown by a guide.
@Suite("The guides' code is the starter package's")
struct GuideSnippetTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let guides = ["Docs/testing-guide.md", "Docs/writing-a-model.md"]
  static let folder = "Examples/MyModel/Tests/GuideTests"

  /// The complete Swift examples of a guide: the fenced blocks that begin with `import`.
  static func examples(of guide: String) throws -> [String] {
    let text = try String(contentsOf: root.appendingPathComponent(guide), encoding: .utf8)
    return text.components(separatedBy: "```swift\n").dropFirst().compactMap { rest in
      let code = rest.components(separatedBy: "```").first ?? ""
      return code.hasPrefix("import ") ? code : nil
    }
  }

  static func guideFiles() throws -> [String: String] {
    let directory = root.appendingPathComponent(folder)
    var files: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".swift") {
      files[name] = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
    return files
  }

  @Test("Every complete example of the guides is a file of the starter package, word for word")
  func examplesAreFiles() throws {
    let files = try Self.guideFiles()
    #expect(files.count >= 4)
    var shown: Set<String> = []
    for guide in Self.guides {
      let examples = try Self.examples(of: guide)
      #expect(!examples.isEmpty, "\(guide) shows no complete example")
      for example in examples {
        let match = files.first { $0.value == example }
        #expect(match != nil, "\(guide): an example is not a file of \(Self.folder):\n\(example)")
        if let match { shown.insert(match.key) }
      }
    }
    #expect(
      shown == Set(files.keys), "files of \(Self.folder) no guide shows: \(Set(files.keys).subtracting(shown).sorted())"
    )
  }

  @Test("The hand-written trace of the testing guide is the starter package's fixture")
  func traceFixture() throws {
    let guide = try String(contentsOf: Self.root.appendingPathComponent("Docs/testing-guide.md"), encoding: .utf8)
    let json = try #require(
      guide.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "```").first)
    let fixture = try String(
      contentsOf: Self.root.appendingPathComponent("Examples/MyModel/Tests/Fixtures/delegate-then-read.itf.json"),
      encoding: .utf8)
    #expect(fixture == json)
  }

  @Test("The guides import one CCAVerify product per example, the products the starter depends on")
  func oneImport() throws {
    for guide in Self.guides {
      for example in try Self.examples(of: guide) {
        let imports = example.split(separator: "\n").filter { $0.hasPrefix("import ") }.map { String($0.dropFirst(7)) }
        #expect(imports == ["CCAVerifyTesting", "Testing"], "\(guide): \(imports)")
      }
    }
  }
}
