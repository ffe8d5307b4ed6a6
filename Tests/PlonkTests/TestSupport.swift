import TestSupport
import BN254
import ConstraintSystem
import FieldArithmetic
import KZG
import Polynomials

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
