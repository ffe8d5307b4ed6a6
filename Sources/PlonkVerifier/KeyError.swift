/// Why a key could not be made, encoded or read.
public enum KeyError: Error, Equatable, CustomStringConvertible, Sendable {
    case malformed(DecodingError)
    case badMagic(String)
    case unsupportedVersion(found: UInt32, supported: UInt32)
    /// The stored fingerprint does not match the key's contents: the file is corrupted or was edited.
    case fingerprintMismatch
    /// An expression nests deeper than the decoder accepts.
    case expressionTooDeep(Int)
    case circuitMismatch(String)

    public var description: String {
        switch self {
        case .malformed(let e): return e.description
        case .badMagic(let what): return "not a ZKInfer \(what) (wrong magic bytes)"
        case .unsupportedVersion(let found, let supported):
            return "unsupported format version \(found) (this build reads version \(supported)); make the keys again with `zkinfer setup`"
        case .fingerprintMismatch:
            return "the key's fingerprint does not match its contents (corrupted or edited key)"
        case .expressionTooDeep(let limit): return "a constraint expression nests deeper than \(limit) levels"
        case .circuitMismatch(let detail): return "the key does not belong to this circuit: \(detail)"
        }
    }
}
