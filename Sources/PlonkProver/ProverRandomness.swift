import CryptoPrimitives
import FieldArithmetic

/// Where the blinding values come from (docs/protocol.md §12): OpenSSL for every real proof. The seeded
/// source is internal — reachable only from tests (`@testable`): golden fixtures, reproducible dry runs of the
/// adversarial suite's forgeries, and its non-hiding control for the zero-knowledge test.
final class ProverRandomness {
    private enum Source {
        case secure
        case seeded(seed: [UInt8], counter: UInt64)
    }

    private var source: Source

    static func secure() -> ProverRandomness { ProverRandomness(.secure) }

    /// A deterministic stream: SHA-256(seed ‖ counter) pairs, reduced wide. Never for real proofs.
    static func seeded(_ seed: UInt64) -> ProverRandomness {
        var bytes = Array("ZKInfer test randomness".utf8)
        var s = seed.littleEndian
        withUnsafeBytes(of: &s) { bytes.append(contentsOf: $0) }
        return ProverRandomness(.seeded(seed: bytes, counter: 0))
    }

    private init(_ source: Source) { self.source = source }

    func element() throws -> Fr {
        switch source {
        case .secure:
            return Fr(wideBytes: try SecureRandom.bytes(64))
        case .seeded(let seed, let counter):
            source = .seeded(seed: seed, counter: counter + 2)
            return Fr(wideBytes: block(seed, counter) + block(seed, counter + 1))
        }
    }

    func elements(_ count: Int) throws -> [Fr] { try (0..<count).map { _ in try element() } }

    private func block(_ seed: [UInt8], _ counter: UInt64) -> [UInt8] {
        var c = counter.littleEndian
        var bytes = seed
        withUnsafeBytes(of: &c) { bytes.append(contentsOf: $0) }
        return SHA256.hash(bytes)
    }
}
