import BN254
import CryptoPrimitives
import FieldArithmetic

/// The secret behind a private-weights key (docs/protocol.md §19.10): a 32-byte seed from which every block's
/// blinding scalar r_b is derived, and the SRS power H = [τ^(2^ℓ)]₁ they multiply. The block commitments are
/// [K̂_b] = [K_b] + r_b·H; the proving key keeps the seed (the prover needs Σ c_b·r_b), and `zkinfer setup
/// --private-weights` also writes it to a separate file, which `zkinfer verify-key --weights-blinding` needs to
/// rebuild the key.
public struct WeightBlinding: Sendable, Equatable {
    public static let seedBytes = 32
    static let label = Array("ZKInfer-weight-blinding-v1".utf8)

    public let seed: [UInt8]
    /// [τ^(2^ℓ)]₁, the first power past the blocks' 2^ℓ coefficients (it may be [τ^n]₁, which the proving key's
    /// n powers do not include).
    let power: G1Affine

    init(seed: [UInt8], power: G1Affine) {
        precondition(seed.count == Self.seedBytes)
        self.seed = seed
        self.power = power
    }

    /// A fresh seed from OpenSSL.
    public static func freshSeed() throws -> [UInt8] { try SecureRandom.bytes(seedBytes) }

    /// r_b = wide(SHA256(LP(label) ‖ seed ‖ u64le(b) ‖ 0x00) ‖ SHA256(… ‖ 0x01)) mod r.
    static func scalar(seed: [UInt8], block b: Int) -> Fr {
        var input = [UInt8]()
        var length = UInt64(label.count).littleEndian
        withUnsafeBytes(of: &length) { input.append(contentsOf: $0) }
        input += label + seed
        var index = UInt64(b).littleEndian
        withUnsafeBytes(of: &index) { input.append(contentsOf: $0) }
        return Fr(wideBytes: SHA256.hash(input + [0]) + SHA256.hash(input + [1]))
    }

    func scalars(count: Int) -> [Fr] { (0..<count).map { Self.scalar(seed: seed, block: $0) } }
}
