import Explore
import Foundation
import Proving
import Testing

/// Progress lines: bars, durations and ETAs, only when the end of the run is known; at most one
/// plain line per interval; one redrawn line on a terminal.
@Suite("Progress formatting")
struct ProgressFormatTests {
  @Test("bars, durations and estimates")
  func formatting() {
    #expect(ProgressFormat.bar(0.5, width: 10) == "[#####-----]  50%")
    #expect(ProgressFormat.bar(1.7, width: 4) == "[####] 100%")
    #expect(ProgressFormat.bar(.nan, width: 4) == "[----]   0%")
    #expect(ProgressFormat.duration(42) == "42s")
    #expect(ProgressFormat.duration(187) == "3m07s")
    #expect(ProgressFormat.duration(3720) == "1h02m")
    #expect(ProgressFormat.eta(fraction: 0.25, elapsed: 10) == 30)
    #expect(ProgressFormat.eta(fraction: 0, elapsed: 10) == nil)
  }

  @Test("prove's estimate shares the work left among the jobs")
  func targetsETA() {
    // Targets of 10 s on average; target 5 of 10 has run 4 s: 5 not started and 6 s of target 5.
    let one = ProgressFormat.targets(index: 4, count: 10, name: "t", engine: "bfs", running: 4, finished: [8, 12])
    #expect(one.contains("ETA ~56s"), "\(one)")
    // Two jobs, target 4 also running for 8 s: (50 + 6 + 2) / 2.
    let two = ProgressFormat.targets(
      index: 4, count: 10, name: "t", engine: "bfs", running: 4, finished: [8, 12], jobs: 2, others: [8])
    #expect(two.contains("ETA ~29s"), "\(two)")
    // A target past the mean adds nothing; nothing finished yet gives no estimate.
    let late = ProgressFormat.targets(index: 9, count: 10, name: "t", engine: "bfs", running: 30, finished: [10])
    #expect(late.contains("ETA ~0s"), "\(late)")
    #expect(
      !ProgressFormat.targets(index: 0, count: 3, name: "t", engine: "bfs", running: 1, finished: []).contains("ETA"))
  }

  @Test("an exploration has an ETA only when its end is known")
  func explorationETA() {
    let p = ProgressSnapshot(
      elapsed: 10, distinctStates: 5000, statesPerSecond: 500, depth: 7, queueSize: 300, transitions: 9000,
      walksCompleted: 0)
    // An exhaustive BFS without limits: no bar, no ETA, but states, rate, depth and queue.
    let open = ProgressFormat.exploration(p, options: ExploreOptions(mode: .bfs))
    #expect(!open.contains("ETA") && !open.contains("%"))
    #expect(open.contains("5,000 states") || open.contains("5000 states"), "\(open)")
    #expect(open.contains("500 states/s") && open.contains("depth 7") && open.contains("queue"))
    // A state limit of 20,000: a quarter done in 10 s leaves 30 s.
    let limited = ProgressFormat.exploration(p, options: ExploreOptions(mode: .bfs, maxStates: 20_000))
    #expect(limited.contains(" 25%") && limited.contains("ETA 30s"), "\(limited)")
    // Random walks: the fraction of walks done.
    var walks = p
    walks.walksCompleted = 500
    let random = ProgressFormat.exploration(walks, options: ExploreOptions(mode: .random, walks: 1000))
    #expect(random.contains(" 50%") && random.contains("ETA 10s"), "\(random)")
    #expect(random.contains("of 1,000 walks") || random.contains("of 1000 walks"), "\(random)")
  }

  @Test("plain mode prints at most one line per interval; a terminal gets one redrawn line")
  func lineModes() {
    let plain = Collected()
    let line = ProgressLine(redraw: false, interval: 3600) { plain.append($0) }
    line.update("first")
    line.update("second")  // within the interval: dropped
    line.print("result")
    #expect(plain.text == "first\nresult\n")
    let tty = Collected()
    let redrawn = ProgressLine(redraw: true) { tty.append($0) }
    redrawn.update("one", force: true)
    redrawn.print("done")
    #expect(tty.text == "\r\u{1B}[2Kone\r\u{1B}[2Kdone\n")
  }

}

/// Text written by a progress line.
final class Collected: @unchecked Sendable {
  private let lock = NSLock()
  private var parts: [String] = []
  func append(_ s: String) { lock.withLock { parts.append(s) } }
  var text: String { lock.withLock { parts.joined() } }
}
