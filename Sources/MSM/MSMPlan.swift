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
    ///
    /// Small runs (≤ `exactModelLimit` terms) are costed as they run (`taskShape`, `batchCapacity`,
    /// `BucketAccumulator.segments`): the window group's insertions, one inversion per batch of them, and
    /// one per step of the lock-step reduction. There inversions are a large share: a 2^8-term run of ±8-bit
    /// values with c = 5 has 16 buckets a window, so batches of 4 and 64 inversions a window, which the
    /// large-run model (one inversion per 512 insertions) does not see. Larger runs keep that model, fitted
    /// at 2^16 terms, so their plans do not change.
    @usableFromInline
    static func bestRun(count: Int, bits: Int, threads: Int, exactForSmallRuns: Bool = true) -> Run {
        var best = Run(bits: bits, window: 1, windows: bits + 1, chunks: 1, count: count, cost: .infinity)
        if count == 0 || bits == 0 { return Run(bits: bits, window: 1, windows: 0, chunks: 1, count: 0, cost: 0) }
        let exact = exactForSmallRuns && count <= exactModelLimit
        // A window wider than bits + 1 only adds empty buckets; the small-run model, which spreads the
        // insertions over all buckets, would otherwise pick one for a run of ones and let it queue.
        for c in 2...(exact ? max(2, min(maximumWindow, bits + 1)) : maximumWindow) {
            let windows = (bits + 1 + c - 1) / c
            for chunks in 1...max(1, 2 * threads) {
                let perChunk = (count + chunks - 1) / chunks
                let task: Double
                let tasks: Int
                if exact {
                    let shape = taskShape(window: c, windows: windows, chunks: chunks, threads: threads)
                    let half = 1 << (c - 1)
                    let buckets = shape.perGroup * half
                    let insertions = perChunk * shape.perGroup
                    let capacity = batchCapacity(buckets: buckets)
                    let batches = (insertions + capacity - 1) / capacity
                    let steps = half / BucketAccumulator.segments(windows: shape.perGroup, half: half) + 1
                    task = Double(insertions) * bucketAdd + Double(buckets) * bucketReduce
                        + Double(batches + steps) * batchOverhead
                    tasks = shape.groups * chunks
                } else {
                    let batches = max(1.0, Double(perChunk) / Double(batchSize))
                    task = Double(perChunk) * bucketAdd + Double(1 << (c - 1)) * bucketReduce + batches * batchOverhead
                    tasks = windows * chunks
                }
                let rounds = Double((tasks + threads - 1) / threads)
                // Joining the results: c doublings per window (≈ 9 each) and one addition per window and chunk.
                let cost = rounds * task + Double(windows * c) * 9 + Double(windows * chunks) * 16 + runOverhead
                if cost < best.cost {
                    best = Run(bits: bits, window: c, windows: windows, chunks: chunks, count: count, cost: cost)
                }
            }
        }
        return best
    }

    /// Runs up to this many terms are costed with their real batches and reduction steps.
    static let exactModelLimit = 2048

    /// Fixed cost of one run beyond its tasks (0; kept as the place to put one). The split decides with
    /// the large-run model: the small-run model (and 8·batchOverhead here) kept a 2^8 MSM of half ones (the
    /// rest ±16-bit) in one run, whose hot bucket then queued: the batched case took 2.0× as long.
    static let runOverhead = 0.0

    /// How a run's windows are grouped into tasks: small windows share one bucket set so that a group has
    /// at least 4·batchSize buckets (the batched inversion then serves a full batch), but there are at
    /// least as many tasks as threads.
    @usableFromInline
    static func taskShape(window c: Int, windows: Int, chunks: Int, threads: Int) -> (groups: Int, perGroup: Int) {
        let half = 1 << (c - 1)
        let wanted = max(1, (4 * batchSize) / half)
        var groups = (windows + wanted - 1) / wanted
        groups = min(windows, max(groups, (threads + chunks - 1) / chunks))
        let perGroup = (windows + groups - 1) / groups
        return ((windows + perGroup - 1) / perGroup, perGroup)
    }

    /// Additions per inversion for a task with `buckets` buckets: many more open additions than buckets
    /// would mostly collide, so the batch stays at a quarter of the bucket count. (Half for every task made
    /// 2^8-term ±8-bit MSMs faster under the old plan but 2^14-term ±32-bit ones 0.78× as fast; under this
    /// plan it made the batched 2^8 ±8-bit and half-ones MSMs slower too: narrow values fill only part of a
    /// wide window's buckets, and the hot bucket of a half-ones column queues.)
    @usableFromInline
    static func batchCapacity(buckets: Int) -> Int { max(4, min(batchSize, buckets / 4)) }

    /// Splits scalars by bit length into at most three runs: the threshold t puts scalars of ≤ t bits into
    /// one run and the rest into another (whose width is their maximum), chosen by the cost model; the low
    /// part may be split once more. This is how a few full-size scalars (blinding factors) among many small
    /// ones get their own run instead of dragging every scalar onto the full-size path.
    @usableFromInline
    static func split(histogram: [Int], threads: Int, depth: Int = 2) -> [(maxBits: Int, cost: Double)] {
        let total = histogram.reduce(0, +)
        guard let maxBits = histogram.lastIndex(where: { $0 > 0 }), total > 0, maxBits > 0 else { return [] }
        let whole = bestRun(count: total, bits: maxBits, threads: threads, exactForSmallRuns: false).cost
        if depth == 0 { return [(maxBits, whole)] }
        var bestCost = whole
        var bestThreshold = maxBits
        var below = 0
        for t in 0..<maxBits {
            below += histogram[t]
            if histogram[t] == 0 || below == 0 { continue }
            let lowCost = bestRun(count: below, bits: t, threads: threads, exactForSmallRuns: false).cost
            let highCost = bestRun(count: total - below, bits: maxBits, threads: threads, exactForSmallRuns: false).cost
            if lowCost + highCost < bestCost {
                bestCost = lowCost + highCost
                bestThreshold = t
            }
        }
        if bestThreshold == maxBits { return [(maxBits, whole)] }
        let low = Array(histogram[0...bestThreshold])
        let lowRuns = split(histogram: low, threads: threads, depth: depth - 1)
        let high = bestRun(count: total - low.reduce(0, +), bits: maxBits, threads: threads, exactForSmallRuns: false).cost
        let lowTotal = lowRuns.reduce(0.0) { $0 + $1.cost }
        // Keep the finer split of the low part only if it still pays.
        let lowWhole = bestRun(count: low.reduce(0, +), bits: bestThreshold, threads: threads, exactForSmallRuns: false).cost
        let lowPart = lowTotal < lowWhole ? lowRuns : [(bestThreshold, lowWhole)]
        return lowPart + [(maxBits, high)]
    }
}
