/// The parsed arguments of one command: positionals in order, options by name.
public struct Invocation: Sendable {
    public let commandPath: [String]
    public let positionals: [String]
    public let values: [String: String]
    public let flags: Set<String>
    /// Every value of each option, in order, for options that may be repeated (`values` keeps the last).
    public var repeatedValues: [String: [String]] = [:]

    public var wantsJSON: Bool { flags.contains("json") }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    public func value(_ name: String) -> String? { values[name] }

    /// All values given for a repeatable option (e.g. `--trust-srs A --trust-srs B`), in order.
    public func allValues(_ name: String) -> [String] { repeatedValues[name] ?? [] }

    /// A required option value; its absence is a usage error.
    public func requiredValue(_ name: String) throws -> String {
        guard let value = values[name] else {
            // `-o/--out` is the one option with the same alias on every command.
            throw CommandFailure.usage("missing required option \(name == "out" ? "-o/--out" : "--" + name)")
        }
        return value
    }

    /// An integer option within `range`, or `defaultValue` when absent.
    public func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = values[name] else { return defaultValue }
        guard let number = Int(text), range.contains(number) else {
            throw CommandFailure.usage("--\(name) expects an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return number
    }

    /// The positional at `index`; its absence is a usage error naming `what`.
    public func positional(_ index: Int, _ what: String) throws -> String {
        guard index < positionals.count else {
            throw CommandFailure.usage("missing argument <\(what)>")
        }
        return positionals[index]
    }
}
