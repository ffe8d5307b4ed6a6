import BN254
import FieldArithmetic

/// B_b = Σ_{k: buckets[k] = b} points[pointIndices[k]] for b < bucketCount: point additions only, no scalars.
///
/// An MSM whose scalars take only a few distinct values v_b is Σ_b v_b·B_b: this sum, then one MSM of
/// `bucketCount` terms. A logUp running sum over a 256-row table is one (`RunningSumCommitment` in the
/// prover): ~3 additions per row instead of a row's full-size term.
///
/// The additions are `BucketAccumulator`'s batched affine ones (≈ 6 multiplications each). One batch holds at
/// most one addition per bucket, so a crowded bucket (a range check's zero limbs: half of all terms) would
/// queue and spill into Jacobian additions; a bucket of more than `spreadThreshold` terms is therefore spread
/// over ⌈terms / spreadThreshold⌉ sub-buckets in turn, and the sub-buckets are summed into it by a second,
/// smaller pass. Points at infinity add nothing. Empty buckets are the point at infinity.
public func bucketSums(
    points: UnsafeBufferPointer<G1Affine>, pointIndices: UnsafeBufferPointer<Int32>,
    buckets: UnsafeBufferPointer<Int32>, bucketCount: Int
) -> [G1Affine] {
    precondition(pointIndices.count == buckets.count, "one bucket per term")
    guard bucketCount > 0 else { return [] }
    var counts = [Int](repeating: 0, count: bucketCount)
    for k in 0..<buckets.count {
        let b = Int(buckets[k])
        precondition(b >= 0 && b < bucketCount, "bucket out of range")
        counts[b] += 1
    }
    if counts.contains(where: { $0 > spreadThreshold }) {
        return spreadBucketSums(points: points, pointIndices: pointIndices, buckets: buckets, counts: counts)
    }
    return plainBucketSums(points: points, pointIndices: pointIndices, buckets: buckets, bucketCount: bucketCount)
}

/// Terms a bucket takes before `bucketSums` spreads it.
let spreadThreshold = 16

/// `bucketSums` with every bucket b spread over ⌈counts[b] / spreadThreshold⌉ sub-buckets, its terms dealt
/// round-robin; the sub-buckets' sums are then summed per bucket.
func spreadBucketSums(
    points: UnsafeBufferPointer<G1Affine>, pointIndices: UnsafeBufferPointer<Int32>,
    buckets: UnsafeBufferPointer<Int32>, counts: [Int]
) -> [G1Affine] {
    var firstSub = [Int](repeating: 0, count: counts.count + 1)
    for b in counts.indices { firstSub[b + 1] = firstSub[b] + max(1, (counts[b] + spreadThreshold - 1) / spreadThreshold) }
    let subCount = firstSub[counts.count]
    var owner = [Int32](repeating: 0, count: subCount)
    for b in counts.indices { for s in firstSub[b]..<firstSub[b + 1] { owner[s] = Int32(b) } }
    var dealt = [Int](repeating: 0, count: counts.count)
    let subBuckets = (0..<buckets.count).map { k -> Int32 in
        let b = Int(buckets[k])
        let width = firstSub[b + 1] - firstSub[b]
        defer { dealt[b] += 1 }
        return Int32(firstSub[b] + dealt[b] % width)
    }
    let subSums = subBuckets.withUnsafeBufferPointer {
        plainBucketSums(points: points, pointIndices: pointIndices, buckets: $0, bucketCount: subCount)
    }
    let identity = (0..<subCount).map { Int32($0) }
    return subSums.withUnsafeBufferPointer { sums in
        identity.withUnsafeBufferPointer { indices in
            owner.withUnsafeBufferPointer { bucketSums(points: sums, pointIndices: indices, buckets: $0, bucketCount: counts.count) }
        }
    }
}

/// The sums with one accumulator bucket per bucket.
func plainBucketSums(
    points: UnsafeBufferPointer<G1Affine>, pointIndices: UnsafeBufferPointer<Int32>,
    buckets: UnsafeBufferPointer<Int32>, bucketCount: Int
) -> [G1Affine] {
    // The accumulator holds 2^(c−1) buckets.
    var c = 1
    while (1 << (c - 1)) < bucketCount { c += 1 }
    var accumulator = BucketAccumulator(window: c, windows: 1, batchCapacity: MSMPlan.batchCapacity(buckets: 1 << (c - 1)))
    defer { accumulator.deallocate() }
    for k in 0..<pointIndices.count {
        let b = Int(buckets[k])
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
