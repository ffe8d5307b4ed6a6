import BN254
import FieldArithmetic
import MSM

/// A column that ends in a long run of one non-zero value (a running sum that does not close, §9, stays at
/// its last value over the padding rows) would cost that run's full-size scalars in the MSM. Its share is
/// c·Σ L_i over the run instead: one sum of the run's bases, shared by every column whose run starts on the
/// same row, and one scalar multiplication. The commitment is the same point.
enum ConstantTail {
    /// Runs shorter than this stay in the MSM: their base sum would cost about as much.
    static let minimumLength = 64

    /// Zeroes the trailing run of equal non-zero values and returns where it starts and its value.
    static func cut(_ values: inout [Fr]) -> (start: Int, value: Fr)? {
        guard let value = values.last, value != .zero else { return nil }
        var start = values.count - 1
        while start > 0 && values[start - 1] == value { start -= 1 }
        guard values.count - start >= minimumLength else { return nil }
        for i in start..<values.count { values[i] = .zero }
        return (start, value)
    }

    /// Σ bases[start..<end] for each distinct start (an MSM with all-one scalars: one bucket per window).
    static func baseSums(starts: [Int], end: Int, bases: [G1Affine]) -> [Int: G1Projective] {
        var sums: [Int: G1Projective] = [:]
        bases.withUnsafeBufferPointer { points in
            for start in Set(starts) {
                let ones = [Fr](repeating: .one, count: end - start)
                sums[start] = ones.withUnsafeBufferPointer {
                    msm(points: UnsafeBufferPointer(rebasing: points[start..<end]), scalars: $0)
                }
            }
        }
        return sums
    }
}
