import BN254
import ConstraintSystem
import FieldArithmetic
import KZG
import MSM
import Parallelism
import PlonkVerifier
import Polynomials
import SystemSupport

/// Key generation: commits the fixed columns, the permutation polynomials σ_i (docs/protocol.md §8) and the
/// committed linear relation's weight blocks (§19.5), and binds them, the circuit, the SRS identity and the
/// metadata into the verifying key.
///
/// Deterministic: the same circuit, SRS and metadata give byte-identical keys for any thread count (the
/// MSM and NTT kernels are thread-count independent, and nothing here is random).
public enum KeyGeneration {
    ///
    /// `privateWeightsSeed` (32 bytes, `zkinfer setup --private-weights`) makes the weights private (§19.10):
    /// the block commitments get blinding terms r_b·[τ^(2^ℓ)]₁ derived from the seed (so the same seed gives the
    /// same key, which is how `verify-key` rebuilds one), and the key records the mask column. The SRS must
    /// then hold 2^ℓ + 1 powers (2^(k+1) when ℓ = k).
    public static func generate(
        circuit: Circuit, srs: SRS, metadata: KeyMetadata = KeyMetadata(), privateWeightsSeed: [UInt8]? = nil
    ) throws -> ProvingKey {
        let k = circuit.log2Rows
        guard srs.log2Size >= k else {
            throw ProverError.srsTooSmall(needed: k, available: srs.log2Size)
        }
        // Commitments in evaluation form need the Lagrange basis of exactly this n; a larger SRS is cut
        // (a group NTT: slow for large n — cut it once with `zkinfer params truncate` instead).
        let sized = srs.log2Size == k ? srs : try srs.truncated(toLog2Size: k)
        let n = circuit.rowCount
        let domain = try EvaluationDomain(log2Size: k)

        let fixedValues = circuit.fixedValues.map { $0 + [Fr](repeating: .zero, count: n - $0.count) }
        StepProgress.report("setup", 0, of: 4, "permutation")
        let sigmaValues = permutationValues(circuit, domain: domain)
        StepProgress.report("setup", 1, of: 4, "fixed columns")
        let fixedCommitments = commitAll(fixedValues, basis: sized.lagrangeG1)
        StepProgress.report("setup", 2, of: 4, "permutation columns")
        let sigmaCommitments = commitAll(sigmaValues, basis: sized.lagrangeG1)
        StepProgress.report("setup", 3, of: 4, "weight blocks")
        var blockCommitments = circuit.linearRelation.map { commitBlocks($0, powers: sized.powersG1) } ?? []
        StepProgress.done("setup", parts: 4)

        var verifierCircuit = VerifierCircuit(circuit)
        var blinding: WeightBlinding? = nil
        if let seed = privateWeightsSeed {
            guard seed.count == WeightBlinding.seedBytes else {
                throw ProverError.privateWeights("the blinding seed must be \(WeightBlinding.seedBytes) bytes")
            }
            guard verifierCircuit.hasWeightOpening, let mask = verifierCircuit.defaultMaskColumn else {
                throw ProverError.privateWeights("the circuit has no committed weight blocks to hide")
            }
            verifierCircuit = verifierCircuit.withPrivateWeights(PrivateWeights(maskColumn: mask))
            let blockSize = 1 << verifierCircuit.weightOpeningVariables
            guard srs.powersG1.count > blockSize else {
                throw ProverError.srsTooSmall(needed: k + 1, available: srs.log2Size)
            }
            blinding = WeightBlinding(seed: seed, power: srs.powersG1[blockSize])
            let h = srs.powersG1[blockSize]
            let blinds = blinding!.scalars(count: blockCommitments.count)
            blockCommitments = G1Projective.batchToAffine(
                zip(blockCommitments, blinds).map { G1Projective($0) + h * $1 })
        }

        let identity = SRSIdentity(
            kzg: sized.verifierKey,
            hash: SRSIdentity.hash(powers: sized.powersG1[0..<n], g2: sized.g2, tauG2: sized.tauG2))
        let vk = try VerifyingKey(
            circuit: verifierCircuit, fixedCommitments: fixedCommitments,
            permutationCommitments: sigmaCommitments, srs: identity, metadata: metadata, blockCommitments: blockCommitments)
        return ProvingKey(
            verifyingKey: vk, domain: domain, fixedValues: fixedValues, sigmaValues: sigmaValues,
            powersG1: sized.powersG1, lagrangeG1: sized.lagrangeG1, linearRelation: circuit.linearRelation,
            weightBlinding: blinding)
    }

    /// [K_b] = Σ K_b[α][γ]·[τ^(α·N + γ)]₁ for every block: an MSM over its non-zero (small) weights. The
    /// builder made sure M·N ≤ n, so these powers are among the n the SRS hash covers.
    static func commitBlocks(_ relation: LinearRelation, powers: [G1Affine]) -> [G1Affine] {
        let n = relation.shape.blockColumns
        return G1Projective.batchToAffine(relation.blocks.map { block in
            msm(points: block.entries.map { powers[$0.row * n + $0.column] }, scalars: block.entries.map { Fr(signed: $0.value) })
        })
    }

    /// σ_i(ω^r) = δ^{i'}·ω^{r'} where (i', r') is the image of cell (i, r) (§8); rows without copies,
    /// and all rows ≥ u, map to themselves.
    static func permutationValues(_ circuit: Circuit, domain: EvaluationDomain) -> [[Fr]] {
        let mapping = PermutationMapping(circuit)
        let columns = mapping.columns.count
        guard columns > 0 else { return [] }
        let omegas = domain.elements
        var deltaPowers = [Fr.one]
        for _ in 1..<max(columns, 1) { deltaPowers.append(deltaPowers.last! * Fr.multiplicativeGenerator) }
        var sigma = (0..<columns).map { i in omegas.map { deltaPowers[i] * $0 } }
        for (from, to) in mapping.images { sigma[from.column][from.row] = deltaPowers[to.column] * omegas[to.row] }
        return sigma
    }

    static func commitAll(_ columns: [[Fr]], basis: [G1Affine]) -> [G1Affine] {
        G1Projective.batchToAffine(columns.map { msm(points: basis, scalars: $0) })
    }
}
