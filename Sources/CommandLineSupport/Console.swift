#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// stdout/stderr writing, and progress lines that appear only when stderr is a terminal.
public enum Console {
    public static func out(_ text: String) {
        print(text)
    }

    public static func err(_ text: String) {
        var line = text
        line.append("\n")
        _ = line.withCString { fputs($0, stderr) }
    }

    public static var stderrIsTerminal: Bool { isatty(2) != 0 }
    public static var stdoutIsTerminal: Bool { isatty(1) != 0 }
}

/// Reports long steps on stderr ("setup: 1.2 s") when stderr is a terminal; silent otherwise so that
/// pipelines and tests see only their data.
public struct Progress: Sendable {
    public let enabled: Bool

    public init(enabled: Bool = Console.stderrIsTerminal) { self.enabled = enabled }

    public func step(_ message: String) {
        if enabled { Console.err("… \(message)") }
    }

    /// Runs `body`, reporting its duration when enabled.
    public func measure<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        if enabled {
            let seconds = (clock.now - start).seconds
            Console.err("… \(label): \(formatSeconds(seconds))")
        }
        return result
    }
}

public func formatSeconds(_ seconds: Double) -> String {
    if seconds < 1e-3 { return "\(Int((seconds * 1e6).rounded())) µs" }
    if seconds < 1 { return String(Int((seconds * 1e3).rounded())) + " ms" }
    return String(Double(Int(seconds * 100)) / 100) + " s"
}

extension Duration {
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
