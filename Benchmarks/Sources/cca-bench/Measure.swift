import Dispatch
import Foundation

/// Wall-clock seconds spent in `body`, measured with the monotonic clock.
func timed<T>(_ body: () throws -> T) rethrows -> (value: T, seconds: Double) {
  let start = DispatchTime.now().uptimeNanoseconds
  let value = try body()
  return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// CPU seconds this process has used so far (every thread; Z3 runs on the caller's thread). On a
/// shared machine the difference around a check is the work it did, whatever the load.
func processCPUSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// The median of a non-empty list (the mean of the middle two for an even count).
func median(_ xs: [Double]) -> Double {
  precondition(!xs.isEmpty, "median of nothing")
  let s = xs.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// The process's resident memory from /proc/self/status (Linux only).
enum ResidentMemory {
  /// `VmHWM`: the peak resident set size, in bytes, or `nil` where /proc is missing.
  static var peakBytes: Int? { field("VmHWM") }

  /// `VmRSS`: the current resident set size, in bytes.
  static var currentBytes: Int? { field("VmRSS") }

  /// Resets the peak to the current resident size (`echo 5 > /proc/self/clear_refs`, Linux 4.0+),
  /// so a following ``peakBytes`` is the peak of what ran in between. Returns whether it worked.
  @discardableResult
  static func resetPeak() -> Bool {
    guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
    defer { try? handle.close() }
    do {
      try handle.write(contentsOf: Data("5".utf8))
      return true
    } catch {
      return false
    }
  }

  private static func field(_ name: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
      let parts = line.split(separator: " ", omittingEmptySubsequences: true)
      // "VmHWM:   123456 kB"
      if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
    }
    return nil
  }
}

/// Parses a comma-separated list of positive integers (`2,4,8`).
func integerList(_ text: String, name: String, range: ClosedRange<Int>) throws -> [Int] {
  let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  var result: [Int] = []
  for item in items {
    guard let n = Int(item), range.contains(n) else {
      throw BenchInputError("\(name): expected integers in \(range.lowerBound)...\(range.upperBound) separated by commas, found '\(item)'")
    }
    result.append(n)
  }
  guard !result.isEmpty else { throw BenchInputError("\(name): expected at least one integer") }
  return result
}

/// Bad command-line input; the message names the option.
struct BenchInputError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
