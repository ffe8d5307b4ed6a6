import BN254
import FieldArithmetic
import Parallelism

/// The multiples 2^(c·k)·B_i of fixed bases B_0 … B_(n−1), k < W: with them an MSM over these bases needs no
/// window per c bits, only one. Σ s_i·B_i = Σ_k Σ_i d_(k,i)·(2^(c·k)·B_i) for the signed digits d of s_i, so
/// all W·n digit terms go into one set of 2^(c−1) buckets and one bucket reduction, with no doublings.
///
/// Pippenger pays a bucket reduction per window, which is most of a small full-size MSM's cost (a 124-term
/// one at c = 5: 52 windows of 124 insertions and 16 buckets), and the circuits commit many such columns
/// over the same Lagrange and monomial bases: the fold vector, the running sums, the quotient's chunks. The
/// tables are made once per key (the proving key stores them, docs/proof-format.md §5).
public struct FixedBaseTable: Sendable {
    /// Digit width c.
    public let window: Int
    /// Multiples per base W: enough for any scalar's signed digits (magnitudes below 2^254).
    public let windows: Int
    /// Bases n.
    public let count: Int
    /// Window-major: `points[k·count + i] = 2^(c·k)·B_i`.
    public let points: [G1Affine]

    /// Windows a table of width c needs for every scalar: magnitudes stay below 2^254 after recoding
    /// (`RecodedScalar`), and signed digits need one bit more (`writeSignedDigits`).
    public static func windows(window c: Int) -> Int { (254 + 1 + c - 1) / c }

    /// Tabulates the multiples (n·W·c doublings; setup work, spread over the threads).
    public init(bases: [G1Affine], window c: Int) {
        precondition((2...20).contains(c), "a table window of 2 … 20 bits")
        let n = bases.count
        let w = Self.windows(window: c)
        var projective = [G1Projective](repeating: .infinity, count: n * w)
        projective.withUnsafeMutableBufferPointer { out in
            bases.withUnsafeBufferPointer { b in
                Parallel.forEachChunk(of: n, minimumChunk: 64) { range in
                    for i in range {
                        var p = G1Projective(b[i])
                        for k in 0..<w {
                            out[k * n + i] = p
                            if k + 1 < w { for _ in 0..<c { p = p.doubled() } }
                        }
                    }
                }
            }
        }
        self.init(window: c, count: n, points: G1Projective.batchToAffine(projective))
    }

    /// A table read back from a key file; `points.count` must be `count · windows(window:)`.
    public init(window c: Int, count: Int, points: [G1Affine]) {
        precondition((2...20).contains(c) && points.count == count * Self.windows(window: c), "a whole table")
        window = c
        windows = Self.windows(window: c)
        self.count = count
        self.points = points
    }

    /// The window that makes an MSM over all n bases cheapest by `MSMPlan`'s cost model (W·n insertions plus
    /// one reduction of 2^(c−1) buckets and a batch inversion per quarter of them), among those whose table
    /// takes at most `maximumBytes`; nil when none fits.
    public static func bestWindow(count n: Int, maximumBytes: Int) -> Int? {
        var best: (c: Int, cost: Double)?
        for c in 4...20 where n * windows(window: c) * 64 <= maximumBytes {
            let insertions = Double(n * windows(window: c))
            let buckets = 1 << (c - 1)
            let capacity = Double(MSMPlan.batchCapacity(buckets: buckets))
            let cost = insertions * MSMPlan.bucketAdd + Double(buckets) * MSMPlan.bucketReduce
                + (insertions / capacity) * MSMPlan.batchOverhead
            if best == nil || cost < best!.cost { best = (c, cost) }
        }
        return best?.c
    }
}

/// Σ scalars[i]·B_i for several scalar vectors over a table's bases (each at most `table.count` long), one
/// result per vector in order; each equals `msm` over the bases. A vector's terms are cut into chunks so
/// that the batch has a task per thread; the sum does not depend on the thread count.
public func msmBatch(table: FixedBaseTable, scalarSets: [[Fr]]) -> [G1Projective] {
    let threads = Parallel.availableThreads
    return table.points.withUnsafeBufferPointer { points in
        let jobs = scalarSets.map { scalars in
            scalars.withUnsafeBufferPointer { s in
                PippengerJob(table: table, points: points, scalars: s,
                             chunks: max(1, (threads + scalarSets.count - 1) / scalarSets.count))
            }
        }
        defer { for job in jobs { job.deallocate() } }
        return runPippengerJobs(jobs)
    }
}

extension PippengerJob {
    /// One window over the table's multiples: term (k, i) is digit k of scalar i on point k·n + i. Zero
    /// digits are left out, so a narrow scalar costs only its own windows.
    init(table: FixedBaseTable, points: UnsafeBufferPointer<G1Affine>, scalars: UnsafeBufferPointer<Fr>, chunks: Int) {
        precondition(scalars.count <= table.count, "MSM needs a point for every scalar")
        let c = table.window, w = table.windows, n = table.count
        var indices: [Int32] = []
        var digits: [Int32] = []
        indices.reserveCapacity(scalars.count * w)
        digits.reserveCapacity(scalars.count * w)
        var scratch = [Int32](repeating: 0, count: w)
        for i in 0..<scalars.count {
            let r = RecodedScalar(scalars[i])
            if r.bits == 0 || points[i].isInfinity { continue }
            let used = min(w, (r.bits + 1 + c - 1) / c)
            scratch.withUnsafeMutableBufferPointer { r.writeSignedDigits(window: c, windows: used, to: $0.baseAddress!, stride: 1) }
            for k in 0..<used where scratch[k] != 0 {
                indices.append(Int32(truncatingIfNeeded: k * n + i))
                digits.append(scratch[k])
            }
        }
        let m = indices.count
        let stored = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, m))
        digits.withUnsafeBufferPointer { stored.initialize(from: $0.baseAddress!, count: m) }
        self.points = points
        self.indices = indices
        self.digits = stored
        self.c = c
        windows = 1
        self.chunks = max(1, min(chunks, m / 64 + 1))
        groups = 1
        perGroup = 1
    }
}
