import TestSupport
import BN254
import FieldArithmetic
@testable import MSM
import Testing

/// The MSM's batched additions on AVX-512 IFMA (`BucketAccumulator.vectorFlush`) against the scalar batches and
/// against discrete logs: random MSMs large enough for full batches, repeated points (doublings inside a
/// batch, which send it to the scalar path), a point and its negation (cancellations), and bucket sums.
@Suite(.serialized, .enabled(if: BucketAccumulator.vectorAdditionsEnabled, "needs AVX-512 IFMA"))
struct VectorBatchTests {
    static func bothWays<T>(_ body: () -> T) -> (vector: T, scalar: T) {
        defer { BucketAccumulator.vectorAdditionsEnabled = true }
        BucketAccumulator.vectorAdditionsEnabled = true
        let vector = body()
        BucketAccumulator.vectorAdditionsEnabled = false
        return (vector, body())
    }

    @Test(arguments: [64, 700, 5000]) func randomMSMsAgree(count: Int) {
        var rng = SeededGenerator(seed: UInt64(count))
        let family = PointFamily(count: count, rng: &rng)
        let scalars = rng.frs(count)
        let results = Self.bothWays { msm(points: family.points, scalars: scalars) }
        #expect(results.vector == family.reference(scalars))
        #expect(results.scalar == results.vector)
    }

    @Test func repeatedAndNegatedPointsAgree() {
        var rng = SeededGenerator(seed: 77)
        let family = PointFamily(count: 3, rng: &rng)
        // 3000 terms over three points and their negations: equal digits put equal points into one bucket.
        let points = (0..<3000).map { i -> G1Affine in i % 2 == 0 ? family.points[i % 3] : family.points[i % 3].negated() }
        let scalars = (0..<3000).map { i in Fr(UInt64(1 + i % 5)) }
        var expected = Fr.zero
        for (i, s) in scalars.enumerated() {
            let log = family.discreteLog(i % 3)
            expected += i % 2 == 0 ? s * log : -(s * log)
        }
        let results = Self.bothWays { msm(points: points, scalars: scalars) }
        #expect(results.vector == G1Projective.generator * expected)
        #expect(results.scalar == results.vector)
    }

    @Test func bucketSumsAgree() {
        var rng = SeededGenerator(seed: 78)
        let family = PointFamily(count: 2048, rng: &rng)
        let pointIndices = (0..<20000).map { _ in Int32(rng.next() % 2048) }
        let buckets = (0..<20000).map { _ in Int32(rng.next() % 256) }
        let results = Self.bothWays {
            family.points.withUnsafeBufferPointer { p in
                pointIndices.withUnsafeBufferPointer { i in
                    buckets.withUnsafeBufferPointer { bucketSums(points: p, pointIndices: i, buckets: $0, bucketCount: 256) }
                }
            }
        }
        #expect(results.vector == results.scalar)
    }
}
