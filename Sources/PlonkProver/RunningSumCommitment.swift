import BN254
import ConstraintSystem
import FieldArithmetic
import MSM

/// 1/(β + T_r) for the rows r of one lookup table that are in use: `values[slotOfRow[r]]` (slot −1: unused);
/// and the table's own side of §9's sum, m·q_t on each row carrying a multiplicity.
struct TableInverses {
    let slotOfRow: [Int32]
    let values: [Fr]
    let carried: [(row: Int, weight: Fr)]

    func inverse(atRow r: Int) -> Fr { values[Int(slotOfRow[r])] }
}

/// The commitment of a logUp running sum over a small table, made without its full-size values. It is the
/// same point as Σ φ_i·[L_i(τ)]₁, so proofs do not change.
///
/// With S_k = Σ_{i=k}^{u} [L_i(τ)]₁ and φ_0 = 0, Σ_{i≤u} φ_i·L_i = Σ_{r<u} δ_r·S_{r+1}, where the step
/// δ_r = φ_{r+1} − φ_r is Σ q/(β + T) over the row's lookups minus the table's m·q_t/(β + T) (§9). Each
/// 1/(β + T) is one of the table's few inverses, so the step bases S_{r+1} of the lookups that hit each table
/// row are added into that row's bucket (`bucketSums`: additions only) and one MSM over the table's rows
/// with their inverses finishes. For a 256-row range table at 2^13 rows: ~3·2^13 affine additions and a
/// 256-term MSM, instead of a 2^13-term full-size MSM. Terms whose selector is not 1 and the table's own side
/// join that last MSM with their scalars.
extension ProverState {
    /// Whether running sums may take the bucketed commitment (tests compare both paths' proofs).
    static var bucketsRunningSums = true
    /// The bucketed commitment is used when the table's rows in use are at most u / this: below it a
    /// |T|-term MSM costs about what the sum's own MSM would.
    static var rowsPerTableRow = 2
    /// Test-only evidence that the bucketed path ran: sums committed through it, ever.
    static var bucketedCommitmentCount = 0

    /// Commitments of the running sums that go through their table's buckets (nil: the direct MSM).
    func bucketedRunningSumCommitments() -> [G1Projective?] {
        guard Self.bucketsRunningSums else { return [G1Projective?](repeating: nil, count: runningSums.count) }
        let sums = c.lookupSums
        let eligible = sums.indices.map { s in
            sumsFromTableSteps.contains(s) && tableInverses[sums[s].table].values.count * Self.rowsPerTableRow <= u
        }
        guard eligible.contains(true) else { return [G1Projective?](repeating: nil, count: runningSums.count) }
        let steps = stepBases()
        guard !steps.contains(where: \.isInfinity) else { return [G1Projective?](repeating: nil, count: runningSums.count) }
        let commitments = Self.concurrentMap(Array(sums.indices)) { s in
            eligible[s] ? bucketedCommitment(sum: s, steps: steps) : nil
        }
        Self.bucketedCommitmentCount += commitments.filter { $0 != nil }.count
        return commitments
    }

    /// S_k for k = 0 … u, shared by every proof with this key.
    private func stepBases() -> [G1Affine] {
        key.lagrangeSuffixSums.value {
            var suffix = [G1Projective](repeating: .infinity, count: u + 1)
            var acc = G1Projective.infinity
            var k = u
            while k >= 0 {
                acc = acc.adding(key.lagrangeG1[k])
                suffix[k] = acc
                k -= 1
            }
            return G1Projective.batchToAffine(suffix)
        }
    }

    /// Sum s's commitment (blinding rows included).
    private func bucketedCommitment(sum s: Int, steps: [G1Affine]) -> G1Projective? {
        let sum = c.lookupSums[s]
        let inverses = tableInverses[sum.table]
        var pointIndices: [Int32] = [], buckets: [Int32] = []
        pointIndices.reserveCapacity(sum.lookups.count * u)
        buckets.reserveCapacity(sum.lookups.count * u)
        var otherPoints: [G1Affine] = [], otherScalars: [Fr] = []
        for l in sum.lookups {
            let q = key.fixedValues[c.lookups[l].selector.index]
            let rows = lookupHitRows[l]
            for r in 0..<u where !q[r].isZero {
                guard rows[r] >= 0 else { return nil }
                let slot = inverses.slotOfRow[Int(rows[r])]
                if q[r] == .one {
                    pointIndices.append(Int32(r + 1))
                    buckets.append(slot)
                } else {
                    otherPoints.append(steps[r + 1])
                    otherScalars.append(q[r] * inverses.values[Int(slot)])
                }
            }
        }
        if sum.carriesTable {
            for (row, weight) in inverses.carried {
                otherPoints.append(steps[row + 1])
                otherScalars.append(-(weight * inverses.inverse(atRow: row)))
            }
        }
        let rowSums = steps.withUnsafeBufferPointer { points in
            pointIndices.withUnsafeBufferPointer { indices in
                buckets.withUnsafeBufferPointer { bucketOf in
                    bucketSums(points: points, pointIndices: indices, buckets: bucketOf, bucketCount: inverses.values.count)
                }
            }
        }
        let usable = msm(points: rowSums + otherPoints, scalars: inverses.values + otherScalars)
        return usable + blindingBases.combine(runningSums[s][(u + 1)...])
    }
}
