/// A named option of a command: either a flag (`--json`) or one that takes a value (`--log2 20`).
public struct OptionSpec: Sendable {
    public enum Kind: Sendable { case flag, value(placeholder: String) }

    public let name: String
    public let kind: Kind
    public let help: String
    /// Optional one-letter alias, e.g. `-o` for `--output`.
    public var short: Character? = nil

    public static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .flag, help: help)
    }

    public static func value(_ name: String, _ placeholder: String, _ help: String, short: Character? = nil) -> OptionSpec {
        OptionSpec(name: name, kind: .value(placeholder: placeholder), help: help, short: short)
    }

    var takesValue: Bool {
        if case .value = kind { return true }
        return false
    }

    var synopsis: String {
        let alias = short.map { "-\($0), " } ?? ""
        switch kind {
        case .flag: return alias + "--\(name)"
        case .value(let placeholder): return alias + "--\(name) <\(placeholder)>"
        }
    }
}

/// Options every command accepts.
public enum CommonOptions {
    public static let json = OptionSpec.flag("json", "print machine-readable JSON on stdout")
    public static let help = OptionSpec.flag("help", "show this help")

    /// `-o, --out`: what a command writes, the same name on every command that writes a file or folder.
    public static func out(_ help: String, placeholder: String = "PATH") -> OptionSpec {
        .value("out", placeholder, help, short: "o")
    }
}
