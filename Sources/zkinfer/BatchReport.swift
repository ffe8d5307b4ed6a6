import CommandLineSupport
import SystemSupport
import ZKInferKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `summary.json` of `zkinfer prove-batch`, written as inputs finish (one entry per input, in finishing
/// order) into a hidden temporary file that is renamed into place at the end: memory does not grow with
/// the number of inputs, and a reader never sees half a summary. Format: docs/proof-format.md §6.
final class BatchSummaryWriter {
    let path: String
    private let temporary: String
    private let file: UnsafeMutablePointer<FILE>
    private var first = true
    private(set) var proved = 0, skipped = 0, failed = 0

    init(path: String, header: [(String, JSONValue)]) throws {
        self.path = path
        temporary = FileSystem.join(FileSystem.directory(of: path), "." + FileSystem.lastComponent(of: path) + ".\(FileSystem.processID).tmp")
        guard let file = fopen(temporary, "w") else {
            throw CommandFailure.usage("cannot write '\(temporary)': \(String(cString: strerror(errno)))")
        }
        self.file = file
        let head = JSONValue.object(header).rendered()
        fputs(String(head.dropLast()) + ",\"inputs\":[", file)
    }

    var total: Int { proved + skipped + failed }

    func append(_ outcome: BatchProver.Outcome) {
        var members: [(String, JSONValue)] = [
            ("name", .string(outcome.name)), ("source", .string(outcome.source)), ("proof", .string(outcome.proofPath)),
        ]
        switch outcome.status {
        case .proved: proved += 1; members.append(("status", .string("proved")))
        case .skipped: skipped += 1; members.append(("status", .string("skipped")))
        case .failed(let message):
            failed += 1
            members.append(("status", .string("failed")))
            members.append(("error", .string(message)))
        }
        members.append(("seconds", .double(Self.rounded(outcome.seconds))))
        fputs((first ? "\n" : ",\n") + JSONValue.object(members).rendered(), file)
        first = false
    }

    /// The totals; closes the file and renames it into place.
    func finish(seconds: Double, stoppedBy error: String?) throws -> [(String, JSONValue)] {
        let totals: [(String, JSONValue)] = [
            ("total", .int(total)), ("proved", .int(proved)), ("skipped", .int(skipped)), ("failed", .int(failed)),
            ("seconds", .double(Self.rounded(seconds))),
            ("proofs_per_second", .double(seconds > 0 ? Self.rounded(Double(proved) / seconds) : 0)),
            ("stopped_early", error.map(JSONValue.string) ?? .null),
        ]
        let tail = JSONValue.object(totals).rendered().dropFirst()
        fputs("\n]," + tail + "\n", file)
        let closed = fclose(file) == 0
        guard closed, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CommandFailure.usage("cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        return totals
    }

    static func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
}

/// One progress line with rate and ETA, redrawn in place on stderr at most four times a second — only when
/// stderr is a terminal (logs and pipelines see no progress noise).
final class BatchProgress {
    let enabled: Bool
    let total: Int?
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private var shown = false

    init(enabled: Bool, total: Int?) {
        self.enabled = enabled
        self.total = total
        start = clock.now
        lastDraw = start
    }

    func update(_ summary: BatchSummaryWriter, force: Bool = false) {
        guard enabled else { return }
        let now = clock.now
        guard force || (now - lastDraw).seconds >= 0.25 else { return }
        lastDraw = now
        let elapsed = (now - start).seconds
        let rate = elapsed > 0 ? Double(summary.proved) / elapsed : 0
        var text = "proved \(summary.proved)"
        if let total { text += " · done \(summary.total)/\(total)" }
        if summary.skipped > 0 { text += " · \(summary.skipped) skipped" }
        if summary.failed > 0 { text += " · \(summary.failed) failed" }
        text += " · " + TextFormatting.fixed(rate, decimals: 1) + " proofs/s"
        if let total, rate > 0, summary.total < total {
            text += " · ETA " + Self.clockTime(Double(total - summary.total) / rate)
        }
        fputs("\r\u{1B}[K" + text, stderr)
        shown = true
    }

    /// A message on its own line (the progress line is redrawn after it).
    func message(_ text: String) {
        if enabled && shown { fputs("\r\u{1B}[K", stderr) }
        Console.err(text)
    }

    func end() {
        if enabled && shown { fputs("\n", stderr) }
    }

    static func clockTime(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let (h, m, r) = (s / 3600, (s / 60) % 60, s % 60)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(r))" : "\(m):\(two(r))"
    }
}
