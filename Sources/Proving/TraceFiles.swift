import Foundation
import Spec
import Traces

/// The version of CCAVerify written into traces and reports.
public let toolVersion = "0.1.0"

/// Writes trace files with ``OutputFile``: each file appears complete or not at all.
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
    try writeOutput(itf, to: itfPath)
    try writeOutput(text, to: textPath)
    return itfPath
  }

  /// Writes text to an output path with ``OutputFile`` (atomic onto a regular or new file,
  /// written through to `-`, a device or a FIFO, refused for a directory).
  ///
  /// - Throws: ``InputError`` naming the path and what went wrong.
  public static func writeOutput(_ text: String, to path: String) throws {
    do { try OutputFile.write(text, to: path) } catch let error as OutputFile.WriteError {
      throw InputError(error.path, error.message)
    }
  }

  /// Checks, before any work, that an output file can be written (see ``OutputFile/check(_:createDirectory:)``).
  ///
  /// - Throws: ``InputError`` naming the option and the path.
  public static func checkOutputFile(_ path: String, option: String) throws {
    do { try OutputFile.check(path) } catch let error as OutputFile.WriteError {
      throw InputError(option, "\(error.path) \(error.message)")
    }
  }

  /// Checks, before any work, that an output directory exists or can be created.
  ///
  /// - Throws: ``InputError`` naming the option and the path.
  public static func checkOutputDirectory(_ path: String, option: String) throws {
    do { try OutputFile.checkDirectory(path) } catch let error as OutputFile.WriteError {
      throw InputError(option, "\(error.path): \(error.message)")
    }
  }

  /// A file-name stem for a counterexample: `cca-standard-no-tlbi-on-delegate-hyp-no-realm-read`.
  public static func stem(model: String, configuration: Configuration, property: String) -> String {
    var parts = [model, configuration.name]
    if let mutant = configuration.mutant { parts.append(mutant) }
    parts.append(property)
    return parts.joined(separator: "-").map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.map(
      String.init
    ).joined()
  }
}
