#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemSupport

/// Draws `StepProgress` reports as one line redrawn in place on stderr ("… prove: quotient 4/7 · 2.1 s ·
/// ETA 1.6 s"), at most four times a second, and clears it when a step's last part arrives so that the
/// tool's own lines start clean. Installed only when stderr is a terminal and the output is not JSON:
/// pipelines, logs and `--json` see nothing extra.
public final class TerminalProgress: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private let clock = ContinuousClock()
    private var step = ""
    private var stepStart: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant?
    private var lineShown = false

    private init() {
        stepStart = clock.now
        pthread_mutex_init(&mutex, nil)
    }

    /// Starts drawing when `enabled` (callers pass: stderr is a terminal and no `--json`); returns the
    /// progress to `finish()`, or nil when nothing is drawn.
    public static func install(enabled: Bool) -> TerminalProgress? {
        guard enabled else { return nil }
        let progress = TerminalProgress()
        StepProgress.sink = { step, part, parts, detail in progress.report(step, part, parts, detail) }
        return progress
    }

    /// The convention of every long command: progress on a terminal unless the output is JSON.
    public static func install(for invocation: Invocation) -> TerminalProgress? {
        install(enabled: Console.stderrIsTerminal && !invocation.wantsJSON)
    }

    /// Stops drawing and clears the line.
    public func finish() {
        StepProgress.sink = nil
        pthread_mutex_lock(&mutex)
        clearLine()
        pthread_mutex_unlock(&mutex)
    }

    func report(_ name: String, _ part: Int, _ parts: Int, _ detail: String) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        let now = clock.now
        if name != step { step = name; stepStart = now; lastDraw = nil }
        if part >= parts { clearLine(); return }
        if let last = lastDraw, now - last < .milliseconds(250) { return }
        lastDraw = now
        let line = Self.line(step: name, part: part, parts: parts, detail: detail, elapsed: (now - stepStart).seconds)
        _ = ("\r\u{1B}[K" + line).withCString { fputs($0, stderr) }
        fflush(stderr)
        lineShown = true
    }

    /// "… prove: quotient 4/7 · 2.1 s · ETA 1.6 s" (the ETA assumes the remaining parts take as long as the
    /// finished ones on average; none before the first part is done).
    public static func line(step: String, part: Int, parts: Int, detail: String, elapsed: Double) -> String {
        var text = "… \(step): " + (detail.isEmpty ? "" : detail + " ") + "\(part + 1)/\(parts) · \(formatSeconds(elapsed))"
        if part > 0 {
            text += " · ETA " + formatSeconds(elapsed * Double(parts - part) / Double(part))
        }
        return text
    }

    private func clearLine() {
        if lineShown {
            _ = "\r\u{1B}[K".withCString { fputs($0, stderr) }
            fflush(stderr)
            lineShown = false
        }
    }
}
