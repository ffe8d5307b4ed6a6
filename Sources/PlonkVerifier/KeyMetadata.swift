/// Opaque key/value pairs the compiler stores in the verifying key (model hash, settings hash, scales,
/// instance layout, compiler version, …). They are bound by the key's fingerprint, so a verifier that
/// prints them (e.g. to dequantize outputs) prints what the prover was held to.
///
/// Canonical form: keys are distinct UTF-8 strings, kept sorted by their bytes.
public struct KeyMetadata: Sendable, Equatable {
    public private(set) var entries: [(key: String, value: [UInt8])] = []

    public init() {}

    public init(_ pairs: [String: [UInt8]]) {
        for (k, v) in pairs { self[k] = v }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public subscript(key: String) -> [UInt8]? {
        get { entries.first { $0.key == key }?.value }
        set {
            entries.removeAll { $0.key == key }
            if let value = newValue {
                entries.append((key, value))
                entries.sort { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            }
        }
    }

    /// A UTF-8 value, if the key exists and its bytes are valid UTF-8.
    public func string(_ key: String) -> String? {
        self[key].flatMap { String(validating: $0, as: UTF8.self) }
    }

    public mutating func setString(_ key: String, _ value: String) { self[key] = Array(value.utf8) }

    /// Each entry as printable text: the value itself when it is printable UTF-8, else `0x…` hex.
    /// This is the hook `zkverify` prints; the compiler's keys (issue 8) decide what the values mean.
    public var printable: [(key: String, value: String)] {
        entries.map { entry in
            if let s = String(validating: entry.value, as: UTF8.self),
                s.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\n" || $0 == "\t" })
            {
                return (entry.key, s)
            }
            return (entry.key, "0x" + entry.value.map { String($0, radix: 16).leftPadded(2) }.joined())
        }
    }

    func encode(into w: inout ByteWriter) {
        w.count(entries.count)
        for e in entries {
            w.string(e.key)
            w.prefixed(e.value)
        }
    }

    static func decode(from r: inout ByteReader) throws -> KeyMetadata {
        var m = KeyMetadata()
        var previous: [UInt8]? = nil
        for _ in 0..<(try r.count("metadata entries", limit: 1 << 16)) {
            let key = try r.string("metadata key")
            let value = try r.prefixed("metadata value", limit: 1 << 26)
            let keyBytes = Array(key.utf8)
            if let p = previous, !p.lexicographicallyPrecedes(keyBytes) {
                throw r.fail("metadata keys must be sorted and distinct (\"\(key)\")")
            }
            previous = keyBytes
            m.entries.append((key, value))
        }
        return m
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
