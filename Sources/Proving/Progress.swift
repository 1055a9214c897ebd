import Explore
import Foundation

/// What a long run shows while it works: on a terminal, one line redrawn in place with a bar,
/// the rate and an estimate of the time left; otherwise (CI logs, pipes), a plain line every
/// `interval` seconds.
///
/// The estimate is only given when the run has a known end: a state or time limit, a number of
/// random walks, or the remaining proof targets. An exhaustive BFS without limits does not know
/// how many states remain, so it shows its rate and queue and no ETA rather than a made-up one.
public final class ProgressLine: @unchecked Sendable {
  /// Where lines go (stderr in the CLI).
  private let write: @Sendable (String) -> Void
  /// Whether to redraw one line in place (a terminal) or print plain lines.
  public let redraw: Bool
  /// Plain mode: seconds between lines.
  public let interval: Double
  private let lock = NSLock()
  private var lastPrint = -Double.infinity
  private var drawn = false
  private let start = DispatchTime.now()

  public init(redraw: Bool, interval: Double = 10, write: @escaping @Sendable (String) -> Void) {
    self.redraw = redraw
    self.interval = interval
    self.write = write
  }

  /// A progress line on stderr: redrawn in place when stderr is a terminal (and TERM is not
  /// `dumb`), plain lines every 10 seconds otherwise.
  public static func standardError() -> ProgressLine {
    let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
    let tty = isatty(STDERR_FILENO) == 1 && term != "dumb"
    return ProgressLine(redraw: tty) { text in FileHandle.standardError.write(Data(text.utf8)) }
  }

  /// Seconds since this line was made.
  public var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

  /// Shows `text`: redrawn at most 10 times a second on a terminal; printed when `interval`
  /// seconds have passed since the last plain line (or always, with `force`).
  public func update(_ text: String, force: Bool = false) {
    lock.lock()
    defer { lock.unlock() }
    let now = elapsed
    if redraw {
      guard force || now - lastPrint >= 0.1 else { return }
      lastPrint = now
      write("\r\u{1B}[2K" + text)
      drawn = true
    } else {
      guard force || now - lastPrint >= interval else { return }
      lastPrint = now
      write(text + "\n")
    }
  }

  /// Prints a line that stays (a result), clearing a redrawn progress line first.
  public func print(_ text: String) {
    lock.lock()
    defer { lock.unlock() }
    if redraw && drawn { write("\r\u{1B}[2K") }
    drawn = false
    write(text + "\n")
  }

  /// Clears a redrawn line (nothing in plain mode).
  public func finish() {
    lock.lock()
    defer { lock.unlock() }
    if redraw && drawn { write("\r\u{1B}[2K") }
    drawn = false
  }
}

/// Pure formatting of progress lines (tested on its own).
public enum ProgressFormat {
  /// A bar of `width` cells for a fraction in 0...1: `[######------]  50%`.
  public static func bar(_ fraction: Double, width: Int = 20) -> String {
    let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
    let filled = Int((f * Double(width)).rounded(.down))
    return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
      + String(format: " %3d%%", Int((f * 100).rounded(.down)))
  }

  /// A duration as `42s`, `3m07s` or `1h02m`.
  public static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "?" }
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
  }

  /// The time left when `fraction` of the work took `elapsed` seconds, or nil when there is no
  /// basis for an estimate (no progress yet).
  public static func eta(fraction: Double, elapsed: Double) -> Double? {
    guard fraction.isFinite, fraction > 0.001, elapsed > 0 else { return nil }
    return elapsed * (1 - min(fraction, 1)) / min(fraction, 1)
  }

  /// How far an exploration is towards the first limit it will hit: random walks done of
  /// `walks`, states of `maxStates`, seconds of `timeLimit`; nil when none of them is set (an
  /// exhaustive BFS has no known end).
  public static func fraction(_ p: ProgressSnapshot, options: ExploreOptions) -> Double? {
    var fractions: [Double] = []
    if options.mode == .random, options.walks > 0 { fractions.append(Double(p.walksCompleted) / Double(options.walks)) }
    if let maxStates = options.maxStates, maxStates > 0 {
      fractions.append(Double(p.distinctStates) / Double(maxStates))
    }
    if let limit = options.timeLimit, limit > 0 { fractions.append(p.elapsed / limit) }
    return fractions.max().map { min($0, 1) }
  }

  /// One line for an exploration: bar and ETA when the end is known, then states, rate, depth
  /// and queue (BFS) or walks (random).
  public static func exploration(_ p: ProgressSnapshot, options: ExploreOptions) -> String {
    var parts: [String] = []
    if let f = fraction(p, options: options) {
      parts.append(bar(f))
      parts.append("ETA " + (eta(fraction: f, elapsed: p.elapsed).map(duration) ?? "?"))
    }
    parts.append("\(p.distinctStates.formatted()) states")
    parts.append(String(format: "%.0f states/s", p.statesPerSecond))
    if options.mode == .random {
      parts.append("\(p.walksCompleted.formatted()) of \(options.walks.formatted()) walks")
    } else {
      parts.append("depth \(p.depth)")
      parts.append("queue \(p.queueSize.formatted())")
    }
    parts.append(duration(p.elapsed))
    return parts.joined(separator: "  ")
  }

  /// One line for `prove`: target `index` (0-based) of `count` running for `running` seconds,
  /// with the finished targets' times as the basis of the estimate for the rest.
  ///
  /// With `jobs` targets at once, the targets are taken in order, so the ones after `index` have
  /// not started; `others` are the running times of the other targets still running. The
  /// estimate is the work left (a mean target for each one not started, the rest of a mean
  /// target for each running one) shared by the jobs.
  public static func targets(
    index: Int, count: Int, name: String, engine: String, running: Double, finished: [Double], inner: String? = nil,
    jobs: Int = 1, others: [Double] = []
  ) -> String {
    let done = Double(index) / Double(max(count, 1))
    var parts = [bar(done), "target \(index + 1)/\(count) \(name) (\(engine)) \(duration(running))"]
    if !finished.isEmpty {
      let mean = finished.reduce(0, +) / Double(finished.count)
      let started = ([running] + others).reduce(0) { $0 + max(mean - $1, 0) }
      let left = mean * Double(max(count - index - 1, 0)) + started
      parts.append("ETA ~" + duration(left / Double(max(jobs, 1))))
    }
    if let inner { parts.append(inner) }
    return parts.joined(separator: "  ")
  }

}
