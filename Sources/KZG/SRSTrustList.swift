/// The SRS identities a verifier trusts (docs/protocol.md §17): the built-in ceremonies, plus identities the
/// user adds (`zkverify --trust-srs`, a trusted-srs file). A key's origin kind is never consulted: an
/// identity is trusted because it is listed, or the key is refused (unless `--allow-dev-srs`).
///
/// No file access here: the commands read the file (`defaultFilePath` says where) and pass its text.
public struct SRSTrustList: Sendable {
    public struct Entry: Sendable, Equatable {
        public let identity: [UInt8]
        /// Why it is trusted: "built-in: <ceremony>", "--trust-srs", or "<file>:<line>".
        public let source: String
    }

    public private(set) var entries: [Entry] = []

    /// A list with the built-in ceremonies (or empty).
    public init(builtIn: Bool = true) {
        if builtIn {
            entries = KnownCeremonies.all.map { Entry(identity: $0.identity, source: "built-in: \($0.name)") }
        }
    }

    /// Why `identity` is trusted, or nil when it is not.
    public func source(of identity: [UInt8]) -> String? {
        entries.first { $0.identity == identity }?.source
    }

    /// Adds one identity given as 64 hex digits.
    public mutating func trust(identityHex text: String, source: String) throws {
        guard let identity = Self.identity(hex: text) else {
            throw SRSTrustError.malformedIdentity(text: String(text.prefix(80)), location: source)
        }
        entries.append(Entry(identity: identity, source: source))
    }

    /// The most entries a trusted-srs file may hold, and its largest size in bytes.
    public static let maximumFileEntries = 10_000
    public static let maximumFileBytes = 1 << 20

    /// Adds a trusted-srs file: one identity (64 hex digits) per line; `#` starts a comment; blank lines are
    /// ignored. Any other content is an error naming the line, so a typo never silently trusts nothing.
    public mutating func add(fileText text: String, path: String) throws {
        var added = 0
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = content.filter { !$0.isWhitespace }
            if trimmed.isEmpty { continue }
            added += 1
            guard added <= Self.maximumFileEntries else {
                throw SRSTrustError.tooManyEntries(path: path, limit: Self.maximumFileEntries)
            }
            try trust(identityHex: String(trimmed), source: "\(path):\(number + 1)")
        }
    }

    /// Where the trusted-srs file is looked for when no path is given: `$XDG_CONFIG_HOME/zkinfer/trusted-srs`,
    /// else `$HOME/.config/zkinfer/trusted-srs` (nil when neither variable is set). It is read only if it exists.
    public static func defaultFilePath(environment: (String) -> String?) -> String? {
        if let config = environment("XDG_CONFIG_HOME"), !config.isEmpty { return config + "/zkinfer/trusted-srs" }
        if let home = environment("HOME"), !home.isEmpty { return home + "/.config/zkinfer/trusted-srs" }
        return nil
    }

    /// 32 bytes from exactly 64 hex digits (either case).
    public static func identity(hex text: String) -> [UInt8]? {
        guard text.utf8.count == 64, let bytes = bytes(hex: text) else { return nil }
        return bytes
    }

    static func bytes(hex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = value(digits[i]), let low = value(digits[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}

public enum SRSTrustError: Error, Equatable, CustomStringConvertible, Sendable {
    case malformedIdentity(text: String, location: String)
    case tooManyEntries(path: String, limit: Int)

    public var description: String {
        switch self {
        case .malformedIdentity(let text, let location):
            return "\(location): '\(text)' is not an SRS identity (64 hex digits, as `zkinfer params info` prints)"
        case .tooManyEntries(let path, let limit):
            return "\(path): more than \(limit) trusted SRS identities"
        }
    }
}
