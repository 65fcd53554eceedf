import Foundation
import PlannerKit
@testable import PlannerCLI
import PlannerTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The progress line of a long solve: drawn on a terminal only, late, rarely, erased at the end, and
/// never a byte of difference on stdout.
@Suite struct ProgressLineTests {
    static func progress(_ seconds: Double, steps: Int = 340_000, best: Objective? = .hostsUsed(52)) -> SolverProgress {
        SolverProgress(phase: .search, steps: steps, stepLimit: 2_000_000, seconds: seconds, best: best, lowerBound: .hostsUsed(47))
    }

    @Test func text() {
        #expect(ProgressLine.text(Self.progress(1.23))
                == "placing… 1.2 s, 340,000 of 2,000,000 steps, best: hosts used 52 (bound 47)")
        #expect(ProgressLine.text(SolverProgress(phase: .heuristic, steps: 1_024, stepLimit: 30_000, seconds: 0.5, best: nil,
                                                 lowerBound: .peakUtilisation(0.7412)))
                == "placing… 0.5 s, 1,024 of 30,000 steps, no placement yet (bound 74.1%)")
        #expect(ProgressLine.text(SolverProgress(phase: .search, steps: 0, stepLimit: 999, seconds: 12, best: .peakUtilisation(0.8711),
                                                 lowerBound: .peakUtilisation(0.7412)))
                == "placing… 12.0 s, 0 of 999 steps, best: peak 87.1% (bound 74.1%)")
        #expect([0, 7, 999, 1_000, 65_536, 2_000_000, 1_234_567_890].map(ProgressLine.grouped)
                == ["0", "7", "999", "1,000", "65,536", "2,000,000", "1,234,567,890"])
    }

    @Test("nothing before half a second, at most four redraws a second, erased at the end, cut to the terminal's width")
    func drawing() {
        let written = Written()
        let line = ProgressLine(width: 40, write: written.append)
        line.finish()                                  // nothing drawn: nothing to erase
        line.show(Self.progress(0.3))                  // a short solve stays silent
        line.show(Self.progress(0.6))
        line.show(Self.progress(0.7))                  // too soon after the last redraw
        line.show(Self.progress(0.85))
        line.finish()
        let drawn = String(ProgressLine.text(Self.progress(0.6)).prefix(40))
        #expect(drawn.count == 40)
        #expect(written.all == [
            ProgressLine.clear + drawn,
            ProgressLine.clear + String(ProgressLine.text(Self.progress(0.85)).prefix(40)),
            ProgressLine.clear,
        ])
    }

    static let longSpec = PackageRoot.url.appendingPathComponent("Tests/Fixtures/long-solves/spread-8-hosts.spec").path
    /// A check that runs about a second however fast the machine: the time limit, not the steps, ends it.
    static let aboutOneSecond = ["check", longSpec, "--steps", "100000000", "--time-limit", "1"]

    @Test("stderr not a terminal: nothing on it, even for a solve long enough to show progress")
    func pipeGetsNothing() throws {
        let run = try PlannerBinary.run(Self.aboutOneSecond)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty, "stderr: \(run.stderr.debugDescription)")
        #expect(run.output.contains("long-spread"))
    }

    @Test("stderr a terminal: the line is drawn during the solve and erased before the report")
    func terminalGetsTheLine() throws {
        let run = try Terminal.run(Self.aboutOneSecond)
        #expect(run.status == 0)
        #expect(run.terminal.hasPrefix(ProgressLine.clear + "placing… "), "\(run.terminal.debugDescription)")
        #expect(run.terminal.hasSuffix(ProgressLine.clear))
        #expect(!run.terminal.contains("\n"))
        #expect(run.terminal.components(separatedBy: ProgressLine.clear).count >= 3)   // drawn at least once, then erased
    }

    @Test("stderr a terminal: nothing with --no-progress or --format json", arguments: [["--no-progress"], ["--format", "json"]])
    func terminalOptedOut(flags: [String]) throws {
        let run = try Terminal.run(Self.aboutOneSecond + flags)
        #expect(run.status == 0)
        #expect(run.terminal.isEmpty, "\(run.terminal.debugDescription)")
    }

    @Test("stdout is byte-identical whether or not stderr is a terminal showing progress")
    func sameReportOnATerminal() throws {
        let arguments = ["check", Self.longSpec, "--steps", "60000", "--time-limit", "600"]
        let piped = try PlannerBinary.run(arguments)
        let watched = try Terminal.run(arguments)
        #expect(piped.status == 0 && watched.status == 0)
        #expect(watched.stdout == piped.stdout)
        #expect(!piped.stdout.isEmpty)
    }
}

/// Strings written by a `ProgressLine`.
final class Written: @unchecked Sendable {
    private let lock = NSLock()
    private var strings: [String] = []
    var all: [String] { lock.withLock { strings } }
    func append(_ string: String) { lock.withLock { strings.append(string) } }
}

/// Runs `planner` with its stderr on a pseudo-terminal, as when a person runs it.
enum Terminal {
    struct Run {
        var status: Int32
        var stdout: Data
        /// What it wrote to the terminal.
        var terminal: String
    }

    static func run(_ arguments: [String]) throws -> Run {
        let master = POSIXTerminal.openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, POSIXTerminal.grantpt(master) == 0, POSIXTerminal.unlockpt(master) == 0,
              let name = POSIXTerminal.ptsname(master) else {
            throw SetupError("no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        defer { close(master) }
        let slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw SetupError("cannot open \(String(cString: name))") }
        // Read the terminal while it runs, so a full buffer can never block it; reading ends (EIO)
        // once the child has exited and the slave side is closed here too.
        let reader = TerminalReader(master)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            reader.readToEnd()
            done.signal()
        }
        let run: CapturedRun
        do {
            run = try PlannerBinary.run(arguments, standardError: .handle(FileHandle(fileDescriptor: slave, closeOnDealloc: false)))
        } catch {
            close(slave)
            done.wait()
            throw error
        }
        close(slave)
        done.wait()
        return Run(status: run.status, stdout: run.stdout, terminal: String(decoding: reader.bytes, as: UTF8.self))
    }

    final class TerminalReader: @unchecked Sendable {
        let descriptor: Int32
        var bytes: [UInt8] = []
        init(_ descriptor: Int32) { self.descriptor = descriptor }

        func readToEnd() {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                if count > 0 { bytes += buffer[..<count]; continue }
                if count < 0, errno == EINTR { continue }
                return
            }
        }
    }
}

/// posix_openpt, grantpt, unlockpt and ptsname: POSIX, in every C library, but not imported by Swift's
/// Glibc module (they need _XOPEN_SOURCE), so looked up by name.
enum POSIXTerminal {
    private static func function<T>(_ name: String, as type: T.Type) -> T {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), name) else { fatalError("\(name) is not in the C library") }
        return unsafeBitCast(symbol, to: type)
    }

    static let openpt = function("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
    static let grantpt = function("grantpt", as: (@convention(c) (Int32) -> Int32).self)
    static let unlockpt = function("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
    static let ptsname = function("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
}
