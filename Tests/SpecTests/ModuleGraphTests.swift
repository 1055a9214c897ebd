import Foundation
import Testing

/// The module graph is written down three times.
///
/// The targets' dependencies in Package.swift, the graph in Package.swift's header, and the
/// table in Docs/ADR/0001-layers.md. These tests
/// read all three and every source file's `import` lines and check that they agree.
@Suite("Module graph: Package.swift, its header, ADR 0001 and the imports agree")
struct ModuleGraphTests {
  /// Modules of the toolchain, imported freely.
  static let system: Set<String> = ["Foundation", "Dispatch", "Synchronization", "Testing", "PackageDescription"]

  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  struct Target {
    let name: String
    let kind: String
    let path: String
    let dependencies: Set<String>
  }

  /// The targets Package.swift declares, with their dependencies (products by name).
  static func targets() throws -> [Target] {
    let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
    var targets: [Target] = []
    let kinds = ["target", "executableTarget", "testTarget", "systemLibrary"]
    var rest = Substring(text)
    while let open = rest.range(
      of: #"\.(target|executableTarget|testTarget|systemLibrary)\("#, options: .regularExpression)
    {
      // The call's text, to its matching parenthesis.
      var depth = 0
      var end = open.upperBound
      var i = rest.index(before: open.upperBound)
      while i < rest.endIndex {
        if rest[i] == "(" { depth += 1 }
        if rest[i] == ")" {
          depth -= 1
          if depth == 0 {
            end = i
            break
          }
        }
        i = rest.index(after: i)
      }
      let call = rest[open.lowerBound..<end]
      let kind = kinds.first { call.hasPrefix(".\($0)(") } ?? ""
      let name = try #require(Self.strings(in: call.components(separatedBy: "name:").dropFirst().first ?? "").first)
      var dependencies: Set<String> = []
      if let d = call.range(of: "dependencies: [") {
        let list = call[d.upperBound...].prefix { $0 != "]" }
        // `.product(name: "X", package: "y")` counts as X.
        var items = String(list)
        while let product = items.range(
          of: #"\.product\(name: "[^"]+", package: "[^"]+"\)"#, options: .regularExpression)
        {
          dependencies.formUnion(Self.strings(in: String(items[product])).prefix(1))
          items.removeSubrange(product)
        }
        dependencies.formUnion(Self.strings(in: items))
      }
      var path = kind == "testTarget" ? "Tests/\(name)" : "Sources/\(name)"
      if let p = call.range(of: "path: \"") { path = String(call[p.upperBound...].prefix { $0 != "\"" }) }
      targets.append(Target(name: name, kind: kind, path: path, dependencies: dependencies))
      rest = rest[end...]
    }
    return targets
  }

  static func strings(in text: some StringProtocol) -> [String] {
    text.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map {
      String($0.element)
    }
  }

  /// The modules the Swift files under a folder import (`import X`, `@_exported import X`,
  /// `@testable import X`), system modules left out.
  static func imports(under path: String) throws -> Set<String> {
    let folder = root.appendingPathComponent(path)
    var found: Set<String> = []
    guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
    for case let file as URL in files where file.pathExtension == "swift" {
      // Top-level imports start in column 0 (an indented one is text in a string literal).
      for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") where line.first != " " {
        let words = line.split(separator: " ")
        guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
          words[..<i].allSatisfy({ $0.hasPrefix("@") || $0 == "public" || $0 == "internal" })
        else { continue }
        found.insert(String(words[i + 1].split(separator: ".")[0]))
      }
    }
    return found.subtracting(system)
  }

  /// `Name -> A, B` lines of a text (Package.swift's header comment).
  static func headerGraph() throws -> [String: Set<String>] {
    let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
    var graph: [String: Set<String>] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("//   ") && line.contains(" -> ") {
      let name = line.dropFirst(5).prefix { $0 != " " }
      guard let arrow = line.range(of: " -> ", options: .backwards) else { continue }
      let list = line[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
      graph[String(name)] = Self.list(list)
    }
    return graph
  }

  /// The ADR's table: module (first column, in backticks) to the last column.
  static func adrGraph() throws -> [String: Set<String>] {
    let text = try String(contentsOf: root.appendingPathComponent("Docs/ADR/0001-layers.md"), encoding: .utf8)
    var graph: [String: Set<String>] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("| `") {
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count >= 3, let name = cells[0].split(separator: "`").first, let last = cells.last else { continue }
      graph[String(name)] = Self.list(last)
    }
    return graph
  }

  static func list(_ text: String) -> Set<String> {
    text == "(none)" || text == "(nothing)"
      ? [] : Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
  }

  @Test("Every library and executable target imports exactly the modules Package.swift declares")
  func importsMatchDeclarations() throws {
    let targets = try Self.targets()
    #expect(targets.count > 20, "Package.swift was not parsed: \(targets.map(\.name))")
    for target in targets where target.kind == "target" || target.kind == "executableTarget" {
      let imports = try Self.imports(under: target.path)
      #expect(
        imports == target.dependencies,
        "\(target.name) (\(target.path)) imports \(imports.sorted()), declares \(target.dependencies.sorted())")
    }
  }

  @Test("Every test target imports only modules it declares")
  func testImportsDeclared() throws {
    for target in try Self.targets() where target.kind == "testTarget" {
      let imports = try Self.imports(under: target.path)
      #expect(
        imports.isSubset(of: target.dependencies),
        "\(target.name) imports \(imports.subtracting(target.dependencies).sorted()) undeclared")
    }
  }

  @Test("Package.swift's header and ADR 0001's table list the declared graph")
  func documentedGraph() throws {
    let declared = Dictionary(
      uniqueKeysWithValues: try Self.targets().filter { $0.kind != "testTarget" && !$0.name.hasPrefix("_") }.map {
        ($0.name, $0.dependencies)
      })
    let header = try Self.headerGraph()
    let adr = try Self.adrGraph()
    #expect(
      Set(header.keys) == Set(declared.keys),
      "header lists \(header.keys.sorted()), Package.swift declares \(declared.keys.sorted())")
    #expect(
      Set(adr.keys) == Set(declared.keys),
      "ADR lists \(adr.keys.sorted()), Package.swift declares \(declared.keys.sorted())")
    for (name, dependencies) in declared {
      #expect(
        header[name] == dependencies,
        "header: \(name) -> \(header[name]?.sorted() ?? []), declared \(dependencies.sorted())")
      #expect(
        adr[name] == dependencies, "ADR: \(name) -> \(adr[name]?.sorted() ?? []), declared \(dependencies.sorted())")
    }
  }
}
