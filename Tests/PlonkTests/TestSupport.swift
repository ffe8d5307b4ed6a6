import BN254
import ConstraintSystem
import FieldArithmetic
import KZG
import Polynomials

/// Deterministic generator (SplitMix64) so that a failing test reproduces.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func element() -> Fr {
        var bytes: [UInt8] = []
        for _ in 0..<8 { withUnsafeBytes(of: next()) { bytes += $0 } }
        return Fr(wideBytes: bytes)
    }
}

/// SRSs from a fixed, *known* τ — for tests only (fast for small sizes, and deterministic so that key
/// fingerprints and the golden proof are reproducible).
enum TestSRS {
    static let tau = Fr(0x5eed_cafe_f00d_1234)
    nonisolated(unsafe) private static var cache: [String: SRS] = [:]
    private static let lock = NSLockLike()

    static func make(log2Size k: Int, tau: Fr = TestSRS.tau) -> SRS {
        lock.withLock {
            if let srs = cache["\(k) \(tau)"] { return srs }
            let domain = try! EvaluationDomain(log2Size: k)
            var powers: [Fr] = [.one]
            for _ in 1..<domain.size { powers.append(powers.last! * tau) }
            let g = G1Projective.generator
            let powersG1 = G1Projective.batchToAffine(powers.map { g * $0 })
            let lagrangeG1 = G1Projective.batchToAffine(domain.lagrangeBasis(at: tau).map { g * $0 })
            let srs = SRS(
                log2Size: k, powersG1: powersG1, lagrangeG1: lagrangeG1, g2: .generator,
                tauG2: (G2Projective.generator * tau).toAffine(),
                origin: SRSOrigin(kind: .insecureDevelopment, detail: "test SRS with a published tau"))
            cache["\(k) \(tau)"] = srs
            return srs
        }
    }
}

import Foundation

final class NSLockLike: @unchecked Sendable {
    private let lock = NSLock()
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
