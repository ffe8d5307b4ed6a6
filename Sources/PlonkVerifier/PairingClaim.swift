import BN254
import FieldArithmetic
import MSM

/// The final check of docs/protocol.md §13.3 for one proof, as scalar–point terms so that a batch can
/// merge them (§13.4): accept iff e(Left, [τ]₂)·e(−Right, [1]₂) = 1 with
/// Left = W_ζ + μ·W_ωζ and Right = Σ proof terms + Σ fixed/σ terms + generator·[1]₁.
struct PairingClaim {
    var left: [(G1Affine, Fr)]
    /// Terms whose points come from the proof (commitments and the two openings).
    var proofTerms: [(G1Affine, Fr)]
    /// Scalar for each fixed commitment [f_i] and each [σ_i] of the key.
    var fixedScalars: [Fr]
    var sigmaScalars: [Fr]
    /// Scalar of each weight-block commitment [K_b] of the key (§19.5): η·(Gemini's weight on f_0)·c_b.
    var blockScalars: [Fr] = []
    /// Scalar of [1]₁: −(E_ζ + μ·E_ωζ).
    var generatorScalar: Fr

    /// All Right terms for one key, each scaled by `weight`.
    func rightTerms(key: VerifyingKey, weight: Fr = .one) -> (points: [G1Affine], scalars: [Fr]) {
        var points = proofTerms.map(\.0) + key.fixedCommitments + key.permutationCommitments + key.blockCommitments
            + [key.srs.kzg.g1]
        var scalars = proofTerms.map(\.1) + fixedScalars + sigmaScalars + blockScalars + [generatorScalar]
        if weight != .one { scalars = scalars.map { $0 * weight } }
        // Zero scalars (e.g. an unused generator term) cost nothing in the MSM but are dropped anyway.
        var i = 0
        while i < scalars.count {
            if scalars[i].isZero {
                scalars.remove(at: i)
                points.remove(at: i)
            } else {
                i += 1
            }
        }
        return (points, scalars)
    }

    func holds(key: VerifyingKey) -> Bool {
        let leftPoint = SmallMSM.msm(points: left.map(\.0), scalars: left.map(\.1)).toAffine()
        let right = rightTerms(key: key)
        let rightPoint = right.points.count <= SmallMSM.maximumTerms
            ? SmallMSM.msm(points: right.points, scalars: right.scalars)
            : msm(points: right.points, scalars: right.scalars)
        return Pairing.productIsOne([(leftPoint, key.srs.kzg.tauG2), (rightPoint.negated().toAffine(), key.srs.kzg.g2)])
    }
}

extension PlonkVerifier {
    /// §13.2–§13.3: the batched opening sets S_ζ (then H) and S_ωζ with powers of v, combined with μ.
    static func assembleClaim(
        key: VerifyingKey, proof: Proof, challenges ch: ProtocolTranscript.Challenges, omegaZeta: Fr,
        quotientAtZeta: Fr
    ) -> PairingClaim {
        let c = key.circuit
        let derived = key.derived
        let mu = ch.mu
        var proofTerms: [(G1Affine, Fr)] = []
        var fixedScalars = [Fr](repeating: .zero, count: c.fixedCount)
        var sigmaScalars = [Fr](repeating: .zero, count: c.permutationColumns.count)
        // The proof lists advice commitments in commitment order; openings list them by index.
        var adviceCommitment = [G1Affine](repeating: .infinity, count: c.adviceCount)
        for (position, index) in derived.commitmentOrder.enumerated() { adviceCommitment[index] = proof.advice[position] }

        // S_ζ: weights v^0, v^1, … in §13.1 order, values from the proof, then H with h(ζ).
        var weight = Fr.one
        var evaluationSum = Fr.zero
        var e = 0
        func next(_ value: Fr) -> Fr {
            let w = weight
            evaluationSum += w * value
            weight *= ch.v
            return w
        }
        let ez = proof.evaluationsAtZeta
        // Positions of the S_ζ terms of advice, z and φ_s, so that their S_ωζ weights join the same term.
        var adviceTerm = [Int](repeating: 0, count: c.adviceCount)
        var productTerm = 0
        let sumCount = proof.runningSums.count
        var sumTerm = [Int](repeating: 0, count: sumCount)
        for i in 0..<c.adviceCount {
            adviceTerm[i] = proofTerms.count
            proofTerms.append((adviceCommitment[i], next(ez[e]))); e += 1
        }
        for i in 0..<c.fixedCount { fixedScalars[i] += next(ez[e]); e += 1 }
        for i in 0..<c.permutationColumns.count { sigmaScalars[i] += next(ez[e]); e += 1 }
        productTerm = proofTerms.count
        for p in proof.permutation { proofTerms.append((p, next(ez[e]))); e += 1 }
        for m in proof.multiplicities { proofTerms.append((m, next(ez[e]))); e += 1 }
        for s in 0..<sumCount {
            sumTerm[s] = proofTerms.count
            proofTerms.append((proof.runningSums[s], next(ez[e]))); e += 1
        }
        // [H] = Σ_i ζ^{i(n−1)}·[h'_i], opened against the verifier's own h(ζ).
        let hWeight = next(quotientAtZeta)
        let zetaToNMinus1 = ch.zeta.power(UInt64(c.rowCount - 1))
        var chunkPower = Fr.one
        for h in proof.quotient {
            proofTerms.append((h, hWeight * chunkPower))
            chunkPower *= zetaToNMinus1
        }
        let valueAtZeta = evaluationSum

        // S_ωζ, each weight also times μ.
        weight = .one
        evaluationSum = .zero
        e = 0
        let eo = proof.evaluationsAtOmegaZeta
        for i in derived.adviceAtNext { proofTerms[adviceTerm[i]].1 += mu * next(eo[e]); e += 1 }
        for i in derived.fixedAtNext { fixedScalars[i] += mu * next(eo[e]); e += 1 }
        if c.permutationChunks > 0 { proofTerms[productTerm].1 += mu * next(eo[e]); e += 1 }
        for s in 0..<sumCount { proofTerms[sumTerm[s]].1 += mu * next(eo[e]); e += 1 }
        let valueAtOmegaZeta = evaluationSum

        proofTerms.append((proof.openingAtZeta, ch.zeta))
        proofTerms.append((proof.openingAtOmegaZeta, mu * omegaZeta))
        return PairingClaim(
            left: [(proof.openingAtZeta, .one), (proof.openingAtOmegaZeta, mu)],
            proofTerms: proofTerms, fixedScalars: fixedScalars, sigmaScalars: sigmaScalars,
            blockScalars: [Fr](repeating: .zero, count: key.blockCommitments.count),
            generatorScalar: -(valueAtZeta + mu * valueAtOmegaZeta))
    }
}
