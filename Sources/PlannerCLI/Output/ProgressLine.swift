// The progress line of a long solve, on a terminal's stderr.

import Foundation
import PlannerKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line on stderr that shows a long solve is alive, redrawn in place ("\r", then clear to the
/// end of the line) so it never scrolls anything away, and erased before the report is printed.
///
/// Only for a person at a terminal: `onStandardError` gives none when stderr is a pipe or a file, so
/// scripts, CI logs and tests see nothing extra. Nothing is drawn before `delay` (a quick check stays
/// silent) or more often than every `redrawInterval`. It only reads the solver's reports, so the
/// placement, and everything on stdout, is the same with or without it.
final class ProgressLine: @unchecked Sendable {
    static let delay = 0.5
    static let redrawInterval = 0.25
    /// Carriage return, then erase to the end of the line (ANSI EL).
    static let clear = "\r\u{1B}[K"

    private let write: (String) -> Void
    /// Most characters a line may have: a longer one would wrap, and "\r" only goes back to its last row.
    private let width: Int
    private let lock = NSLock()
    private var lastDrawn: Double?

    init(width: Int, write: @escaping (String) -> Void) {
        self.width = max(10, width)
        self.write = write
    }

    /// A line on stderr when stderr is a terminal, else nil.
    static func onStandardError() -> ProgressLine? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        return ProgressLine(width: terminalColumns(STDERR_FILENO) - 1) { StandardError.write($0) }
    }

    /// Redraws the line with this report, unless the solve is young or the last redraw recent.
    func show(_ progress: SolverProgress) {
        lock.lock()
        defer { lock.unlock() }
        guard progress.seconds >= ProgressLine.delay,
              lastDrawn.map({ progress.seconds - $0 >= ProgressLine.redrawInterval }) ?? true else { return }
        lastDrawn = progress.seconds
        write(ProgressLine.clear + String(ProgressLine.text(progress).prefix(width)))
    }

    /// Erases the line, if one was drawn: the solve is over.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard lastDrawn != nil else { return }
        lastDrawn = nil
        write(ProgressLine.clear)
    }

    /// "placing… 1.2 s, 340,000 of 2,000,000 steps, best: hosts used 52 (bound 47)", short enough for
    /// 80 columns.
    static func text(_ progress: SolverProgress) -> String {
        let best = progress.best.map { "best: \(short($0))" } ?? "no placement yet"
        return String(format: "placing… %.1f s, ", progress.seconds)
            + "\(grouped(progress.steps)) of \(grouped(progress.stepLimit)) steps, \(best) (bound \(value(progress.lowerBound)))"
    }

    /// "hosts used 52", "peak 61.3%".
    static func short(_ objective: Objective) -> String {
        switch objective {
        case .hostsUsed: return "hosts used \(value(objective))"
        case .peakUtilisation: return "peak \(value(objective))"
        }
    }

    /// "52", "61.3%".
    static func value(_ objective: Objective) -> String {
        switch objective {
        case .hostsUsed(let n): return "\(n)"
        case .peakUtilisation(let u): return String(format: "%.1f%%", u * 100)
        }
    }

    /// 2000000 as "2,000,000", the same in every locale.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return n < 0 ? "-" + out : out
    }

    /// The terminal's width in columns, 80 when it does not say.
    static func terminalColumns(_ descriptor: Int32) -> Int {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
