/// How an MSM is cut up: which scalars go into which Pippenger run, each run's window width c, and how
/// many chunks its points are split into so that every thread has work.
///
/// Cost model, in field multiplications, fitted to CPU times of 2^16-term runs at windows 8…16 (the
/// counted multiplications are 6 and 27; additions, copies and cache misses make up the rest):
/// - putting one point into a bucket with a batched affine addition: `bucketAdd` ≈ 11 (λ, λ², y, three
///   for the share of Montgomery's batch inversion, plus about eight additions and the copies),
/// - bucket reduction: per bucket one mixed and one Jacobian addition, `bucketReduce` ≈ 32,
/// - one inversion per batch of additions, `batchOverhead` ≈ 80.
/// A run of n scalars of b bits with window c has w = ⌈(b+1)/c⌉ windows; with k chunks it is w·k tasks of
/// (n/k)·bucketAdd + 2^(c−1)·bucketReduce each, spread over T threads.
@usableFromInline
struct MSMPlan {
    @usableFromInline
    struct Run {
        @usableFromInline var bits: Int
        @usableFromInline var window: Int
        @usableFromInline var windows: Int
        @usableFromInline var chunks: Int
        @usableFromInline var count: Int
        @usableFromInline var cost: Double
    }

    static let bucketAdd = 11.0
    static let bucketReduce = 14.0
    static let batchOverhead = 80.0
    static let batchSize = 512
    static let maximumWindow = 20

    /// The cheapest window and chunking for `count` scalars of at most `bits` bits on `threads` threads.
    @usableFromInline
    static func bestRun(count: Int, bits: Int, threads: Int) -> Run {
        var best = Run(bits: bits, window: 1, windows: bits + 1, chunks: 1, count: count, cost: .infinity)
        if count == 0 || bits == 0 { return Run(bits: bits, window: 1, windows: 0, chunks: 1, count: 0, cost: 0) }
        for c in 2...maximumWindow {
            let windows = (bits + 1 + c - 1) / c
            for chunks in 1...max(1, 2 * threads) {
                let perChunk = Double((count + chunks - 1) / chunks)
                let batches = max(1.0, perChunk / Double(batchSize))
                let task = perChunk * bucketAdd + Double(1 << (c - 1)) * bucketReduce + batches * batchOverhead
                let rounds = Double((windows * chunks + threads - 1) / threads)
                // Joining the results: c doublings per window (≈ 9 each) and one addition per task.
                let cost = rounds * task + Double(windows * c) * 9 + Double(windows * chunks) * 16
                if cost < best.cost {
                    best = Run(bits: bits, window: c, windows: windows, chunks: chunks, count: count, cost: cost)
                }
            }
        }
        return best
    }

    /// Splits scalars by bit length into at most three runs: the threshold t puts scalars of ≤ t bits into
    /// one run and the rest into another (whose width is their maximum), chosen by the cost model; the low
    /// part may be split once more. This is how a few full-size scalars (blinding factors) among many small
    /// ones get their own run instead of dragging every scalar onto the full-size path.
    @usableFromInline
    static func split(histogram: [Int], threads: Int, depth: Int = 2) -> [(maxBits: Int, cost: Double)] {
        let total = histogram.reduce(0, +)
        guard let maxBits = histogram.lastIndex(where: { $0 > 0 }), total > 0, maxBits > 0 else { return [] }
        let whole = bestRun(count: total, bits: maxBits, threads: threads).cost
        if depth == 0 { return [(maxBits, whole)] }
        var bestCost = whole
        var bestThreshold = maxBits
        var below = 0
        for t in 0..<maxBits {
            below += histogram[t]
            if histogram[t] == 0 || below == 0 { continue }
            let lowCost = bestRun(count: below, bits: t, threads: threads).cost
            let highCost = bestRun(count: total - below, bits: maxBits, threads: threads).cost
            if lowCost + highCost < bestCost {
                bestCost = lowCost + highCost
                bestThreshold = t
            }
        }
        if bestThreshold == maxBits { return [(maxBits, whole)] }
        let low = Array(histogram[0...bestThreshold])
        let lowRuns = split(histogram: low, threads: threads, depth: depth - 1)
        let high = bestRun(count: total - low.reduce(0, +), bits: maxBits, threads: threads).cost
        let lowTotal = lowRuns.reduce(0.0) { $0 + $1.cost }
        // Keep the finer split of the low part only if it still pays.
        let lowWhole = bestRun(count: low.reduce(0, +), bits: bestThreshold, threads: threads).cost
        let lowPart = lowTotal < lowWhole ? lowRuns : [(bestThreshold, lowWhole)]
        return lowPart + [(maxBits, high)]
    }
}
