import CZ3

/// The full version string of the linked libz3 (`Z3_get_full_version`), for example `"4.8.12.0"`.
///
/// Read it module-qualified as `Z3.version`. Use ``Z3Version/current`` to compare numerically,
/// for example to guard an API newer than the 4.8.12 this project targets.
public let version: String = {
  guard let raw = Z3_get_full_version() else { return "unknown" }
  return String(cString: raw)
}()

/// A libz3 version number: major, minor, build and revision.
///
/// Versions order lexicographically by their components, so `Z3Version.current >= .init(4, 8, 12)`
/// asks whether the linked library is at least 4.8.12.
public struct Z3Version: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The major version, for example 4.
  public var major: Int
  /// The minor version, for example 8.
  public var minor: Int
  /// The build number, for example 12.
  public var build: Int
  /// The revision number, usually 0.
  public var revision: Int

  /// Creates a version from its components.
  public init(_ major: Int, _ minor: Int, _ build: Int, _ revision: Int = 0) {
    self.major = major
    self.minor = minor
    self.build = build
    self.revision = revision
  }

  /// The version of the libz3 this process is linked against (`Z3_get_version`).
  public static let current: Z3Version = {
    var major: UInt32 = 0
    var minor: UInt32 = 0
    var build: UInt32 = 0
    var revision: UInt32 = 0
    Z3_get_version(&major, &minor, &build, &revision)
    return Z3Version(Int(major), Int(minor), Int(build), Int(revision))
  }()

  /// Orders versions by major, then minor, build and revision.
  public static func < (lhs: Z3Version, rhs: Z3Version) -> Bool {
    (lhs.major, lhs.minor, lhs.build, lhs.revision)
      < (rhs.major, rhs.minor, rhs.build, rhs.revision)
  }

  /// The dotted rendering, for example `4.8.12.0`.
  public var description: String { "\(major).\(minor).\(build).\(revision)" }
}
