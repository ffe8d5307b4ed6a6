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

    /// Tabulates the multiples (n·W·c doublings; setup work, spread over the threads). Blocks of bases go
    /// to affine one at a time, so that the projective points never exist all at once (they are 1.5× the
    /// table; a key's table may be 24 MiB).
    public init(bases: [G1Affine], window c: Int) {
        precondition((2...20).contains(c), "a table window of 2 … 20 bits")
        let n = bases.count
        let w = Self.windows(window: c)
        let block = 256
        var points = [G1Affine](repeating: .infinity, count: n * w)
        points.withUnsafeMutableBufferPointer { out in
            bases.withUnsafeBufferPointer { b in
                Parallel.forEach(tasks: (n + block - 1) / block) { task in
                    let range = task * block..<min(n, (task + 1) * block)
                    var multiples = [G1Projective]()
                    multiples.reserveCapacity(range.count * w)
                    for i in range {
                        var p = G1Projective(b[i])
                        for k in 0..<w {
                            multiples.append(p)
                            if k + 1 < w { for _ in 0..<c { p = p.doubled() } }
                        }
                    }
                    for (j, p) in G1Projective.batchToAffine(multiples).enumerated() {
                        out[(j % w) * n + range.lowerBound + j / w] = p
                    }
                }
            }
        }
        self.init(window: c, count: n, points: points)
    }

    /// A table read back from a key file; `points.count` must be `count · windows(window:)`.
    public init(window c: Int, count: Int, points: [G1Affine]) {
        precondition((2...20).contains(c) && points.count == count * Self.windows(window: c), "a whole table")
        window = c
        windows = Self.windows(window: c)
        self.count = count
        self.points = points
    }

    /// Proving keys store a table of at most this many bytes per basis (2^13 bases: 8.5 MiB at c = 15).
    public static let maximumKeyTableBytes = 24 << 20

    /// The window of a proving key's table of `count` bases (nil: none, no bases or too large): a function of
    /// the count only, so that a key has one encoding and `zkinfer stats` can size it.
    public static func keyWindow(count: Int) -> Int? {
        count == 0 ? nil : bestWindow(count: count, maximumBytes: maximumKeyTableBytes)
    }

    /// The window that makes an MSM over all n bases cheapest by `MSMPlan`'s cost model (W·n insertions plus
    /// one reduction of 2^(c−1) buckets and a batch inversion per quarter of them, plus the top digits'
    /// collisions), among those whose table takes at most `maximumBytes`; nil when none fits.
    public static func bestWindow(count n: Int, maximumBytes: Int) -> Int? {
        var best: (c: Int, cost: Double)?
        for c in 4...20 where n * windows(window: c) * 64 <= maximumBytes {
            let cost = cost(insertions: n * windows(window: c), window: c) + topDigitCollisions(count: n, window: c) * collisionCost
            if best == nil || cost < best!.cost { best = (c, cost) }
        }
        return best?.c
    }

    /// What an addition that finds its bucket already in the batch costs (in `MSMPlan`'s products): it waits in
    /// the queue for a later batch, is inserted again, and may overflow into a mixed Jacobian addition.
    static let collisionCost = 20.0

    /// The top digit of a full-size scalar has only t = 255 − (W−1)·c bits: its n additions (1/W of each batch) go
    /// to 2^(t−1) buckets, and those past that many in a batch collide. `zkbench msm-table` at 2^10 bases: c = 12
    /// (t = 3) took 83 ms of CPU for 16 full-size columns and c = 13 (t = 8) 65 ms, which the model without this
    /// term put 2% apart the other way (`bench/results/2026-12-05-table-windows.md`).
    static func topDigitCollisions(count n: Int, window c: Int) -> Double {
        let w = windows(window: c)
        let topBuckets = Double(1 << (255 - (w - 1) * c - 1))
        let batch = Double(MSMPlan.batchCapacity(buckets: 1 << (c - 1)))
        return max(0, 1 / Double(w) - topBuckets / batch) * Double(n * w)
    }

    /// `MSMPlan`'s cost of a tabled sum: every insertion into one set of 2^(c−1) buckets, a batch inversion per
    /// `MSMPlan.batchCapacity` insertions, one bucket reduction.
    static func cost(insertions: Int, window c: Int) -> Double {
        let buckets = 1 << (c - 1)
        return Double(insertions) * MSMPlan.bucketAdd + Double(buckets) * MSMPlan.bucketReduce
            + Double(insertions) / Double(MSMPlan.batchCapacity(buckets: buckets)) * MSMPlan.batchOverhead
    }
}

/// Σ scalars[i]·B_i for several scalar vectors over a table's bases (each at most `table.count` long), one
/// result per vector in order; each equals `msm` over the bases. A vector's terms are cut into chunks so
/// that the batch has a task per thread; the sum does not depend on the thread count.
public func msmBatch(table: FixedBaseTable, scalarSets: [[Fr]]) -> [G1Projective] {
    if scalarSets.isEmpty { return [] }
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
        let c = table.window, w = table.windows, n = table.count
        precondition(scalars.count <= n || !scalars[n...].contains { !$0.isZero }, "MSM needs a point for every scalar")
        var indices: [Int32] = []
        var digits: [Int32] = []
        indices.reserveCapacity(scalars.count * w)
        digits.reserveCapacity(scalars.count * w)
        var scratch = [Int32](repeating: 0, count: w)
        for i in 0..<min(n, scalars.count) {
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

/// `msmBatch(points:scalarSets:)` with the sets the table makes cheaper summed over `table`, whose bases must
/// be the first `table.count` of `points`: wide scalars over many bases (the fold vector, running sums,
/// quotient chunks). Narrow or short sets, and sets with a non-zero scalar past the table, stay on Pippenger,
/// where a few windows of their own size beat the table's one wide window.
public func msmBatch(points: UnsafeBufferPointer<G1Affine>, table: FixedBaseTable?, scalarSets: [[Fr]]) -> [G1Projective] {
    guard let table else { return msmBatch(points: points, scalarSets: scalarSets) }
    let tabled = scalarSets.map { table.isCheaper(for: $0) }
    let viaTable = msmBatch(table: table, scalarSets: zip(scalarSets, tabled).filter(\.1).map(\.0))
    let plain = msmBatch(points: points, scalarSets: zip(scalarSets, tabled).filter { !$0.1 }.map(\.0))
    var nextTabled = viaTable.makeIterator(), nextPlain = plain.makeIterator()
    return tabled.map { $0 ? nextTabled.next()! : nextPlain.next()! }
}

extension FixedBaseTable {
    /// Whether summing `scalars` over the table costs less than a Pippenger run by `MSMPlan`'s model (false
    /// when a non-zero scalar lies past the table): the table pays one reduction of 2^(c−1) buckets, Pippenger
    /// one of its own (smaller) window per c′ bits. Scalars up to the last non-zero one count; their widest
    /// recoded length sets the windows.
    public func isCheaper(for scalars: [Fr]) -> Bool {
        guard let last = scalars.lastIndex(where: { !$0.isZero }), last < count else { return false }
        var bits = 0
        for s in scalars[0...last] {
            bits = max(bits, RecodedScalar(s).bits)
            if bits > 250 { break }
        }
        let m = last + 1
        let insertions = m * min(windows, (bits + 1 + window - 1) / window)
        return Self.cost(insertions: insertions, window: window)
            < MSMPlan.bestRun(count: m, bits: bits, threads: 1, exactForSmallRuns: false).cost
    }
}
