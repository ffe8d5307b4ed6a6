import BN254
import CryptoPrimitives
import FieldArithmetic
import MSM
import Parallelism

/// Batch verification (docs/protocol.md §13.4): every proof's transcript, shape checks and h(ζ) are
/// computed on its own; then, with independent 128-bit weights r_k from OpenSSL (unknown to any prover),
/// the pairing checks of all proofs over one SRS are merged into one:
///     e(Σ r_k·Left_k, [τ]₂) · e(−Σ r_k·Right_k, [1]₂) = 1.
/// Proofs under the same key add their scalars for the key's fixed, σ and weight-block commitments, so those
/// points enter the merged MSM once. A false proof passes a group with probability ≤ 2^-128.
/// When a group fails, its proofs are checked one by one to name the bad ones.
extension PlonkVerifier {
    public struct BatchItem: Sendable {
        public var key: VerifyingKey
        public var proof: ProofFile
        public var expectedPublicValues: [[Fr]]?

        public init(key: VerifyingKey, proof: ProofFile, expectedPublicValues: [[Fr]]? = nil) {
            self.key = key
            self.proof = proof
            self.expectedPublicValues = expectedPublicValues
        }
    }

    public struct BatchResult: Sendable {
        /// nil for a valid proof, else why it was rejected; in input order.
        public var outcomes: [VerificationError?]
        /// Number of merged pairing checks (one per SRS group; more if a group had to be re-checked).
        public var pairingChecks: Int
        public var allValid: Bool { outcomes.allSatisfy { $0 == nil } }
    }

    public static func batchVerify(_ items: [BatchItem]) throws -> BatchResult {
        // Each proof's own work (decoding, transcript, h(ζ)) is independent: spread over the threads.
        var prepared = [Result<PairingClaim, VerificationError>?](repeating: nil, count: items.count)
        prepared.withUnsafeMutableBufferPointer { slots in
            Parallel.forEach(tasks: items.count) { k in
                let item = items[k]
                do {
                    slots[k] = .success(
                        try prepare(key: item.key, proof: item.proof, expectedPublicValues: item.expectedPublicValues))
                } catch let error as VerificationError {
                    slots[k] = .failure(error)
                } catch {
                    slots[k] = .failure(.malformedProof("\(error)"))
                }
            }
        }
        var outcomes = [VerificationError?](repeating: nil, count: items.count)
        var claims: [Int: PairingClaim] = [:]
        for (k, result) in prepared.enumerated() {
            switch result! {
            case .success(let claim): claims[k] = claim
            case .failure(let error): outcomes[k] = error
            }
        }
        // Group by SRS: the pairing's G2 points must be the same (and [1]₁ for the merged generator term).
        var groups: [[Int]] = []
        var groupOf: [SRSKey: Int] = [:]
        for k in claims.keys.sorted() {
            let s = SRSKey(items[k].key.srs)
            if let g = groupOf[s] {
                groups[g].append(k)
            } else {
                groupOf[s] = groups.count
                groups.append([k])
            }
        }
        var pairingChecks = 0
        for group in groups {
            pairingChecks += 1
            if try mergedCheck(group.map { (items[$0].key, claims[$0]!) }) { continue }
            for k in group {
                pairingChecks += 1
                if !claims[k]!.holds(key: items[k].key) { outcomes[k] = .pairingCheckFailed }
            }
        }
        return BatchResult(outcomes: outcomes, pairingChecks: pairingChecks)
    }

    /// One two-pairing product for proofs over the same SRS.
    static func mergedCheck(_ entries: [(key: VerifyingKey, claim: PairingClaim)]) throws -> Bool {
        guard let first = entries.first else { return true }
        var leftPoints: [G1Affine] = [], leftScalars: [Fr] = []
        var rightPoints: [G1Affine] = [], rightScalars: [Fr] = []
        // Per key (by fingerprint): summed scalars of its fixed, σ and weight-block commitments.
        var keyOrder: [[UInt8]] = []
        var keyTerms: [[UInt8]: (key: VerifyingKey, fixed: [Fr], sigma: [Fr], blocks: [Fr])] = [:]
        var generator = Fr.zero
        for (key, claim) in entries {
            let r = try randomWeight()
            for (p, s) in claim.left {
                leftPoints.append(p)
                leftScalars.append(r * s)
            }
            for (p, s) in claim.proofTerms {
                rightPoints.append(p)
                rightScalars.append(r * s)
            }
            generator += r * claim.generatorScalar
            var terms = keyTerms[key.fingerprint] ?? {
                keyOrder.append(key.fingerprint)
                return (key, [Fr](repeating: .zero, count: key.fixedCommitments.count),
                    [Fr](repeating: .zero, count: key.permutationCommitments.count),
                    [Fr](repeating: .zero, count: key.blockCommitments.count))
            }()
            for i in terms.fixed.indices { terms.fixed[i] += r * claim.fixedScalars[i] }
            for i in terms.sigma.indices { terms.sigma[i] += r * claim.sigmaScalars[i] }
            for i in terms.blocks.indices { terms.blocks[i] += r * claim.blockScalars[i] }
            keyTerms[key.fingerprint] = terms
        }
        for fingerprint in keyOrder {
            let t = keyTerms[fingerprint]!
            rightPoints += t.key.fixedCommitments + t.key.permutationCommitments + t.key.blockCommitments
            rightScalars += t.fixed + t.sigma + t.blocks
        }
        let srs = first.key.srs.kzg
        rightPoints.append(srs.g1)
        rightScalars.append(generator)
        let left = msm(points: leftPoints, scalars: leftScalars).toAffine()
        let right = msm(points: rightPoints, scalars: rightScalars).negated().toAffine()
        return Pairing.productIsOne([(left, srs.tauG2), (right, srs.g2)])
    }

    /// A uniformly random non-zero 128-bit weight from OpenSSL.
    static func randomWeight() throws -> Fr {
        while true {
            let bytes = try SecureRandom.bytes(16)
            let w = Fr(wideBytes: bytes + [UInt8](repeating: 0, count: 48))
            if !w.isZero { return w }
        }
    }
}

/// The SRS points a merged check depends on.
struct SRSKey: Hashable {
    let bytes: [UInt8]
    init(_ s: SRSIdentity) { bytes = s.kzg.g1.compressed + s.kzg.g2.compressed + s.kzg.tauG2.compressed }
}
