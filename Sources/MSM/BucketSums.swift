import BN254
import CFieldKernels
import FieldArithmetic

/// B_b = Σ_{k: buckets[k] = b} points[pointIndices[k]] for b < bucketCount: point additions only, no scalars.
///
/// An MSM whose scalars take only a few distinct values v_b is Σ_b v_b·B_b: this sum, then one MSM of
/// `bucketCount` terms. A logUp running sum over a 256-row table is one (`RunningSumCommitment` in the
/// prover): ~3 additions per row instead of a row's full-size term.
///
/// The additions are `BucketAccumulator`'s batched affine ones (≈ 6 multiplications each). A heavily skewed
/// input (most terms in one bucket) spills into its Jacobian overflow buckets, so it costs at most mixed
/// additions. Points at infinity add nothing. Empty buckets are the point at infinity.
public func bucketSums(
    points: UnsafeBufferPointer<G1Affine>, pointIndices: UnsafeBufferPointer<Int32>,
    buckets: UnsafeBufferPointer<Int32>, bucketCount: Int
) -> [G1Affine] {
    precondition(pointIndices.count == buckets.count, "one bucket per term")
    guard bucketCount > 0 else { return [] }
    // The accumulator holds 2^(c−1) buckets.
    var c = 1
    while (1 << (c - 1)) < bucketCount { c += 1 }
    var accumulator = BucketAccumulator(window: c, windows: 1, batchCapacity: MSMPlan.batchCapacity(buckets: 1 << (c - 1)))
    defer { accumulator.deallocate() }
    for k in 0..<pointIndices.count {
        let b = Int(buckets[k])
        precondition(b >= 0 && b < bucketCount, "bucket out of range")
        let point = points[Int(pointIndices[k])]
        if point.isInfinity { continue }
        if accumulator.insert(bucket: b, x: point.x, y: point.y) {
            accumulator.flush()
            accumulator.drainQueue()
        }
    }
    accumulator.finish()
    accumulator.foldOverflow()
    return (0..<bucketCount).map { b in
        accumulator.state[b] == 0 ? .infinity : G1Affine(uncheckedX: accumulator.bucketX[b], y: accumulator.bucketY[b])
    }
}

/// Test access to the batched additions' IFMA switch (`BucketAccumulator` is internal).
public enum BucketAccumulatorSwitch {
    /// Whether this machine can take the IFMA path.
    public static let available = zk_ifma_available() != 0
    public static func set(_ enabled: Bool) { BucketAccumulator.vectorAdditionsEnabled = enabled && available }
}
