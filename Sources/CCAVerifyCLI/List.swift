import ArgumentParser
import Proving
import Spec
import Traces

struct List: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List models, configurations, properties and mutants, one line of description each.")

  @Flag(help: "Print one JSON object.")
  var json = false

  func run() throws {
    var families: [JSONValue] = []
    var text = ""
    for family in catalog.families {
      text += "model \(family.name): \(family.doc)\n\n  configurations:\n"
      for c in family.configurations {
        text +=
          "    \(c.name.padding(toLength: max(16, c.name.count), withPad: " ", startingAt: 0)) \(c)  \(family.configurationDocs[c.name] ?? "")\n"
      }
      text += "\n  properties:\n"
      let propertyWidth = max(22, family.propertyDocs.map(\.name.count).max() ?? 0)
      for p in family.propertyDocs {
        text += "    \(p.name.padding(toLength: propertyWidth, withPad: " ", startingAt: 0)) \(p.doc)\n"
      }
      // Lemmas belong to the models built from configurations (they differ with features).
      var lemmas: [(name: String, doc: String, configurations: [String])] = []
      for c in family.configurations {
        guard let model = try? family.build(c) else { continue }
        for p in model.properties where p.kind == .lemma {
          if let i = lemmas.firstIndex(where: { $0.name == p.name }) {
            lemmas[i].configurations.append(c.name)
          } else {
            lemmas.append((p.name, p.doc, [c.name]))
          }
        }
      }
      if !lemmas.isEmpty {
        text += "\n  lemmas (assumed by induction, and proved with the properties):\n"
        let width = lemmas.map(\.name.count).max() ?? 0
        for l in lemmas {
          text +=
            "    \(l.name.padding(toLength: width, withPad: " ", startingAt: 0)) \(l.doc.split(separator: "\n").first.map(String.init) ?? "")\n"
        }
      }
      text += "\n  mutants (each breaks the listed properties):\n"
      let mutantWidth = family.mutants.map(\.name.count).max() ?? 0
      for m in family.mutants {
        text +=
          "    \(m.name.padding(toLength: mutantWidth, withPad: " ", startingAt: 0)) breaks \(m.breaks.joined(separator: ", ")) [\(m.configuration)]\n      \(m.doc.split(separator: "\n").first.map(String.init) ?? "")\n"
      }
      text +=
        "\n  bounds: "
        + family.boundDocs.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: "; ")
      text +=
        "\n  features: "
        + family.featureDocs.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: "; ") + "\n"
      families.append(
        .object([
          ("name", .string(family.name)), ("doc", .string(family.doc)),
          (
            "configurations",
            .array(
              family.configurations.map { c in
                .object([
                  ("name", .string(c.name)), ("doc", .string(family.configurationDocs[c.name] ?? "")),
                  ("description", .string(c.description)),
                ])
              })
          ),
          (
            "properties",
            .array(family.propertyDocs.map { .object([("name", .string($0.name)), ("doc", .string($0.doc))]) })
          ),
          (
            "lemmas",
            .array(
              lemmas.map { l in
                .object([
                  ("name", .string(l.name)), ("doc", .string(l.doc)),
                  ("configurations", .array(l.configurations.map(JSONValue.string))),
                ])
              })
          ),
          (
            "mutants",
            .array(
              family.mutants.map { m in
                .object([
                  ("name", .string(m.name)), ("doc", .string(m.doc)),
                  ("breaks", .array(m.breaks.map(JSONValue.string))),
                  ("configuration", .string(m.configuration)),
                ])
              })
          ),
        ]))
    }
    print(json ? JSONValue.object([("models", .array(families))]).serialized() : text, terminator: "")
  }
}
