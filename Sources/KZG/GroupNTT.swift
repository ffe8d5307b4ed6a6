import BN254
import FieldArithmetic
import Parallelism
import Polynomials

/// The inverse NTT over G1: from [τ^j]₁ (j < n) to the Lagrange basis [L_i(τ)]₁ = n⁻¹·Σ_j ω^(−ij)·[τ^j]₁,
/// without knowing τ. Radix-2 decimation in time as in `Polynomials`, with each butterfly's twiddle a scalar
/// multiplication: about (n/2)·log₂ n of them, the cost of any import or truncation. Work within a stage
/// is split over the threads.
enum GroupNTT {
    static func lagrangeBasis(fromPowers powers: [G1Affine], domain: EvaluationDomain) -> [G1Affine] {
        let n = domain.size
        precondition(powers.count == n, "one power per domain point")
        var a = powers.map { G1Projective($0) }
        if n > 1 {
            a.withUnsafeMutableBufferPointer { a in
                let shift = UInt64(64 - domain.log2Size)
                for i in 0..<n {
                    let r = Int(truncatingIfNeeded: reverseBits(UInt64(i)) >> shift)
                    if i < r { a.swapAt(i, r) }
                }
                var half = 1
                while half < n {
                    let step = n / (2 * half)
                    // Twiddles ω^(−j·step) for this stage.
                    let twiddles = (0..<half).map { j in j == 0 ? Fr.one : domain.element(n - j * step) }
                    Parallel.forEachChunk(of: n / 2, minimumChunk: 64) { range in
                        for t in range {
                            let group = t / half
                            let j = t % half
                            let lo = group * 2 * half + j
                            let hi = lo + half
                            let v = j == 0 ? a[hi] : a[hi] * twiddles[j]
                            let u = a[lo]
                            a[lo] = u + v
                            a[hi] = u - v
                        }
                    }
                    half *= 2
                }
            }
        }
        let scale = domain.sizeInverse
        a.withUnsafeMutableBufferPointer { a in
            Parallel.forEachChunk(of: n, minimumChunk: 64) { range in
                for i in range { a[i] = a[i] * scale }
            }
        }
        return G1Projective.batchToAffine(a)
    }

    static func reverseBits(_ x: UInt64) -> UInt64 {
        var v = x
        v = ((v >> 1) & 0x5555_5555_5555_5555) | ((v & 0x5555_5555_5555_5555) << 1)
        v = ((v >> 2) & 0x3333_3333_3333_3333) | ((v & 0x3333_3333_3333_3333) << 2)
        v = ((v >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((v & 0x0F0F_0F0F_0F0F_0F0F) << 4)
        return v.byteSwapped
    }
}

/// k·G for many scalars k and one fixed base G: 32 windows of 8 bits, each with a table of the 255 non-zero
/// multiples of 2^(8w)·G in affine form, so one multiplication is at most 32 mixed additions.
struct FixedBaseTable {
    let table: [G1Affine]  // window w, digit d ≥ 1 at w·255 + d − 1

    init(base: G1Projective) {
        var points: [G1Projective] = []
        points.reserveCapacity(32 * 255)
        var windowBase = base
        for _ in 0..<32 {
            var multiple = windowBase
            for _ in 1...255 {
                points.append(multiple)
                multiple = multiple + windowBase
            }
            windowBase = multiple  // 256·(previous window base)
        }
        table = G1Projective.batchToAffine(points)
    }

    func multiply(_ scalar: Fr) -> G1Projective {
        let limbs = scalar.canonicalLimbs
        let words = [limbs.0, limbs.1, limbs.2, limbs.3]
        var acc = G1Projective.infinity
        for w in 0..<32 {
            let digit = Int((words[w / 8] >> UInt64(8 * (w % 8))) & 0xFF)
            if digit != 0 { acc = acc.adding(table[w * 255 + digit - 1]) }
        }
        return acc
    }

    /// Every scalar times the base, in parallel, converted to affine with one inversion.
    func multiplyAll(_ scalars: [Fr]) -> [G1Affine] {
        var out = [G1Projective](repeating: .infinity, count: scalars.count)
        out.withUnsafeMutableBufferPointer { out in
            Parallel.forEachChunk(of: scalars.count, minimumChunk: 256) { range in
                for i in range { out[i] = multiply(scalars[i]) }
            }
        }
        return G1Projective.batchToAffine(out)
    }
}
