import TestSupport
import BN254
import FieldArithmetic
import MSM
import Testing

/// `bucketSums` against discrete logs: with P_i = (a + i·b)·G, bucket b's sum is (Σ of its terms' logs)·G.
@Suite struct BucketSumsTests {
    static func check(family: PointFamily, pointIndices: [Int32], buckets: [Int32], bucketCount: Int) {
        var logs = [Fr](repeating: .zero, count: bucketCount)
        var used = [Bool](repeating: false, count: bucketCount)
        for (i, b) in zip(pointIndices, buckets) {
            logs[Int(b)] += family.discreteLog(Int(i))
            used[Int(b)] = true
        }
        let sums = family.points.withUnsafeBufferPointer { points in
            pointIndices.withUnsafeBufferPointer { indices in
                buckets.withUnsafeBufferPointer { bucketSums(points: points, pointIndices: indices, buckets: $0, bucketCount: bucketCount) }
            }
        }
        #expect(sums.count == bucketCount)
        for b in 0..<bucketCount {
            let expected = G1Projective.generator * logs[b]
            #expect(G1Projective(sums[b]) == expected, "bucket \(b)")
            if !used[b] { #expect(sums[b].isInfinity, "unused bucket \(b)") }
        }
    }

    @Test(arguments: [(1, 1), (5, 3), (300, 7), (3000, 256), (20000, 256), (4000, 4608)])
    func randomTermsAgreeWithDiscreteLogs(terms: Int, bucketCount: Int) {
        var rng = SeededGenerator(seed: UInt64(terms * 31 + bucketCount))
        let family = PointFamily(count: 512, rng: &rng)
        let pointIndices = (0..<terms).map { _ in Int32(rng.next() % 512) }
        let buckets = (0..<terms).map { _ in Int32(rng.next() % UInt64(bucketCount)) }
        Self.check(family: family, pointIndices: pointIndices, buckets: buckets, bucketCount: bucketCount)
    }

    /// Most terms in one bucket (a range check's zero limbs): the queue fills and spills into the Jacobian
    /// overflow, which must fold back into the same sums.
    @Test func skewedTermsAgreeWithDiscreteLogs() {
        var rng = SeededGenerator(seed: 5)
        let family = PointFamily(count: 4096, rng: &rng)
        let pointIndices = (0..<12000).map { Int32($0 % 4096) }
        let buckets = (0..<12000).map { k in Int32(k % 5 == 0 ? Int(rng.next() % 256) : 0) }
        Self.check(family: family, pointIndices: pointIndices, buckets: buckets, bucketCount: 256)
    }

    /// The same point twice (a doubling), a point and its negation (a sum at infinity, then refilled), and a
    /// point at infinity (adds nothing).
    @Test func doublingsCancellationsAndInfinity() {
        var rng = SeededGenerator(seed: 9)
        let family = PointFamily(count: 4, rng: &rng)
        var points = family.points
        points.append(points[1].negated())
        points.append(.infinity)
        let pointIndices: [Int32] = [0, 0, 1, 4, 2, 1, 4, 3, 5, 5]
        let buckets: [Int32] = [0, 0, 1, 1, 2, 2, 2, 3, 3, 4]
        let sums = points.withUnsafeBufferPointer { p in
            pointIndices.withUnsafeBufferPointer { i in
                buckets.withUnsafeBufferPointer { bucketSums(points: p, pointIndices: i, buckets: $0, bucketCount: 5) }
            }
        }
        #expect(G1Projective(sums[0]) == G1Projective.generator * (family.discreteLog(0) + family.discreteLog(0)))
        #expect(sums[1].isInfinity)
        #expect(G1Projective(sums[2]) == G1Projective(points[2]))
        #expect(G1Projective(sums[3]) == G1Projective(points[3]))
        #expect(sums[4].isInfinity)
    }
}
