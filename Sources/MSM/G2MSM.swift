import BN254
import FieldArithmetic

/// Σ scalars[i]·points[i] over G2 for the first `scalars.count` points: plain Pippenger with signed digits
/// and Jacobian buckets, single-threaded. For setup-time sums of a few to a few thousand terms, where the
/// batched-affine machinery of the G1 kernel would not pay for itself.
public func msmG2(points: [G2Affine], scalars: [Fr]) -> G2Projective {
    precondition(scalars.count <= points.count, "MSM needs a point for every scalar")
    var terms: [(point: G2Affine, scalar: RecodedScalar)] = []
    var maxBits = 0
    for i in 0..<scalars.count where !points[i].isInfinity {
        let r = RecodedScalar(scalars[i])
        if r.bits == 0 { continue }
        terms.append((points[i], r))
        maxBits = max(maxBits, r.bits)
    }
    if terms.isEmpty { return .infinity }
    // Window: about log2(number of terms), at least 2 (cost ≈ windows · (terms + 2^c)).
    var c = 2
    while (1 << (c + 1)) <= terms.count && c < 16 { c += 1 }
    let windows = (maxBits + 1 + c - 1) / c
    var digits = [Int32](repeating: 0, count: terms.count * windows)
    digits.withUnsafeMutableBufferPointer { out in
        for (i, term) in terms.enumerated() {
            term.scalar.writeSignedDigits(window: c, windows: windows, to: out.baseAddress! + i * windows, stride: 1)
        }
    }
    var acc = G2Projective.infinity
    var buckets = [G2Projective](repeating: .infinity, count: 1 << (c - 1))
    for window in stride(from: windows - 1, through: 0, by: -1) {
        for _ in 0..<c { acc = acc.doubled() }
        for b in 0..<buckets.count { buckets[b] = .infinity }
        for (i, term) in terms.enumerated() {
            let d = digits[i * windows + window]
            if d > 0 {
                buckets[Int(d) - 1] = buckets[Int(d) - 1].adding(term.point)
            } else if d < 0 {
                buckets[Int(-d) - 1] = buckets[Int(-d) - 1].adding(term.point.negated())
            }
        }
        var running = G2Projective.infinity
        var sum = G2Projective.infinity
        for b in stride(from: buckets.count - 1, through: 0, by: -1) {
            running = running + buckets[b]
            sum = sum + running
        }
        acc = acc + sum
    }
    return acc
}
