import Spec

/// The status an access returns when the Granule Protection Check fails.
///
/// A Granule Protection Fault is reported with fault status code `0x28` ("GPF not on
/// translation table walk", reference/rme.md §1.5). The access does not happen.
enum GPF {
  static let faultStatusCode: Value = 0x28
  static let name = "GPF"
}
