import Spec

/// The readable renderings of a trace, by name (the `--format` of `cca-verify show`).
public enum TraceFormat: String, CaseIterable, Sendable {
  /// Plain text: the initial state, then each step with only the variables it changed.
  case text
  /// Markdown: a summary table, then each step with a table of the variables it changed.
  case markdown
  /// A Mermaid sequence diagram with a lane per party.
  case mermaid
  /// A self-contained HTML viewer with step-by-step navigation and a granule map.
  case html

  /// The usual file extension of the format.
  public var fileExtension: String {
    switch self {
    case .text: return "txt"
    case .markdown: return "md"
    case .mermaid: return "mmd"
    case .html: return "html"
    }
  }

  /// Renders a trace of a model in this format.
  public func render(_ trace: Trace, model: Model) -> String {
    switch self {
    case .text: return TraceText.render(trace, model: model)
    case .markdown: return TraceMarkdown.render(trace, model: model)
    case .mermaid: return TraceMermaid.render(trace, model: model)
    case .html: return TraceHTML.render(trace, model: model)
    }
  }
}
