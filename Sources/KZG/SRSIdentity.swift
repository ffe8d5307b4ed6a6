import BN254
import CryptoPrimitives
import FieldArithmetic

/// The **SRS identity** (docs/protocol.md §17, docs/proof-format.md §2): what a verifier trusts or not.
///
///     SHA-256( LP("ZKInfer-SRS-identity-v1") ‖ uncompressed [1]₁ ‖ uncompressed [1]₂ ‖ uncompressed [τ]₂ )
///
/// It covers exactly the three points the pairing check uses, so it is computed from those points (from a
/// key, an SRS file or a ceremony's published [τ]₂), never read as a stored claim. A forger's only way in is
/// knowing the τ behind [τ]₂; the G1 powers a key maker used only fix the key's commitments (the model's
/// identity), which `zkinfer verify-key` rebuilds from a validated SRS file — and a validated file (powers
/// in one geometric sequence consistent with [τ]₂) is determined by its identity.
extension KZGVerifierKey {
    public static let identityLabel = "ZKInfer-SRS-identity-v1"

    public var identity: [UInt8] { Self.identity(g1: g1, g2: g2, tauG2: tauG2) }

    public static func identity(g1: G1Affine, g2: G2Affine, tauG2: G2Affine) -> [UInt8] {
        let label = Array(identityLabel.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + label.count + 64 + 256)
        var length = UInt64(label.count)
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: length))
            length >>= 8
        }
        bytes += label
        bytes += g1.uncompressed
        bytes += g2.uncompressed
        bytes += tauG2.uncompressed
        return SHA256.hash(bytes)
    }
}

extension SRS {
    /// The identity of this SRS: [τ^0]₁, [1]₂, [τ]₂ (the same for every size cut from one ceremony).
    public var identity: [UInt8] { verifierKey.identity }
}
