/// Process exit codes shared by every ZKInfer command.
///
/// - `success` (0): the command did what was asked (for a verifier: the proof is valid).
/// - `rejected` (1): a well-formed "no", e.g. an invalid proof.
/// - `usage` (2): bad usage or malformed input; the reason is one line on stderr.
public enum ExitCode: Int32, Sendable {
    case success = 0
    case rejected = 1
    case usage = 2
}

/// An error a command reports to the user: one line on stderr plus an exit code.
public struct CommandFailure: Error, CustomStringConvertible, Sendable {
    public let exitCode: ExitCode
    public let message: String

    public init(_ exitCode: ExitCode, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    public static func usage(_ message: String) -> CommandFailure { .init(.usage, message) }
    public static func malformedInput(_ message: String) -> CommandFailure { .init(.usage, message) }
    public static func rejected(_ message: String) -> CommandFailure { .init(.rejected, message) }

    public var description: String { message }
}
