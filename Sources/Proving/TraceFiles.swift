import Foundation
import Spec
import Traces

/// The version of CCAVerify written into traces and reports.
public let toolVersion = "0.1.0"

/// Writes trace files atomically: each file appears complete or not at all.
public enum TraceFiles {
  /// Writes `<stem>.itf.json` and `<stem>.txt` for a trace into a directory (created if needed)
  /// and returns the path of the ITF file.
  ///
  /// - Throws: ``InputError`` when the directory cannot be created or written.
  @discardableResult
  public static func write(_ trace: Trace, model: Model, directory: String, stem: String) throws -> String {
    let fm = FileManager.default
    do {
      try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw InputError(directory, "cannot create the output directory: \(error.localizedDescription)")
    }
    let itf = ITF.document(for: trace, model: model, toolVersion: toolVersion).serialized()
    let text = TraceText.render(trace, model: model)
    let itfPath = (directory as NSString).appendingPathComponent("\(stem).itf.json")
    let textPath = (directory as NSString).appendingPathComponent("\(stem).txt")
    try atomicWrite(itf, to: itfPath)
    try atomicWrite(text, to: textPath)
    return itfPath
  }

  /// Writes text to a temporary file next to `path`, then renames it into place.
  public static func atomicWrite(_ text: String, to path: String) throws {
    let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
      throw InputError(path, "cannot write the file")
    }
    if rename(temporary, path) != 0 {
      try? FileManager.default.removeItem(atPath: temporary)
      throw InputError(path, "cannot move the file into place")
    }
  }

  /// A file-name stem for a counterexample: `cca-standard-no-tlbi-on-delegate-hyp-no-realm-read`.
  public static func stem(model: String, configuration: Configuration, property: String) -> String {
    var parts = [model, configuration.name]
    if let mutant = configuration.mutant { parts.append(mutant) }
    parts.append(property)
    return parts.joined(separator: "-").map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.map(String.init).joined()
  }
}
