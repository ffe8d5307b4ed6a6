import BN254
import CryptoPrimitives
import FieldArithmetic

/// The Fiat–Shamir transcript of docs/protocol.md §4: SHA-256 over length-prefixed labels and data.
///
///     init:            buf = LP(protocol id) ‖ LP(version)
///     absorb(l, data): buf = buf ‖ LP(l) ‖ LP(data)
///     squeeze(l):      buf = buf ‖ LP(l);  s = SHA256(buf);  buf = s
///                      challenge = Fr(wide: SHA256(s ‖ 0x00) ‖ SHA256(s ‖ 0x01))
///
/// `LP(x) = u64le(len(x)) ‖ x`. After a squeeze the state is the 32-byte digest, so `buf` stays short
/// (one round's commitments) and is hashed in one call per challenge.
public struct Transcript: Sendable {
    public static let protocolIdentifier = "ZKInfer-PLONK-logUp-KZG-BN254"
    public static let versionLabel = "v1"

    /// The bytes still to be hashed at the next squeeze.
    private var buffer: [UInt8] = []

    public init() {
        Self.appendPrefixed(&buffer, Array(Self.protocolIdentifier.utf8))
        Self.appendPrefixed(&buffer, Array(Self.versionLabel.utf8))
    }

    /// Appends `LP(label) ‖ LP(data)`.
    public mutating func absorb(_ label: String, _ data: [UInt8]) {
        Self.appendPrefixed(&buffer, Array(label.utf8))
        Self.appendPrefixed(&buffer, data)
    }

    /// A G1 point as its 32-byte compressed encoding.
    public mutating func absorb(_ label: String, point: G1Affine) {
        absorb(label, point.compressed)
    }

    /// A scalar as its 32 canonical little-endian bytes.
    public mutating func absorb(_ label: String, scalar: Fr) {
        absorb(label, scalar.canonicalBytes)
    }

    /// A list of scalars as the concatenation of their encodings (one `LP` around the whole list).
    public mutating func absorb(_ label: String, scalars: [Fr]) {
        var data: [UInt8] = []
        data.reserveCapacity(32 * scalars.count)
        for s in scalars { data += s.canonicalBytes }
        absorb(label, data)
    }

    /// Draws a challenge; the state becomes the digest of everything absorbed so far.
    public mutating func squeeze(_ label: String) -> Fr {
        Self.appendPrefixed(&buffer, Array(label.utf8))
        let state = SHA256.hash(buffer)
        buffer = state
        // The wide bytes extend the state with a one-byte suffix; a state input always continues with an
        // 8-byte length, so these inputs never collide with the next state's.
        let wide = SHA256.hash(state + [0]) + SHA256.hash(state + [1])
        return Fr(wideBytes: wide)
    }

    /// The pending bytes (for tests that check the exact byte layout).
    public var pendingBytes: [UInt8] { buffer }

    static func appendPrefixed(_ out: inout [UInt8], _ data: [UInt8]) {
        var length = UInt64(data.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(contentsOf: data)
    }
}
