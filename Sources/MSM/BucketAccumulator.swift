import BN254
import CFieldKernels
import FieldArithmetic

/// One Pippenger task: the points of one chunk put into the 2^(c−1) buckets of one window, then the
/// buckets reduced to Σ k·B_k.
///
/// Buckets are affine, and points go into them by *batched* affine additions: up to `batchSize` additions
/// (each to a different bucket) are collected, their denominators x_P − x_B inverted together with
/// Montgomery's trick (one inversion and three multiplications per element), and then finished. An affine
/// addition then costs about 6 multiplications instead of the 11 of a mixed Jacobian addition.
/// A point whose bucket is already in the open batch waits in a queue for the next batch; when the queue
/// is full (pathological inputs, e.g. every digit equal) it is added into a Jacobian overflow bucket instead,
/// so no input makes the kernel slower than plain mixed additions.
@usableFromInline
struct BucketAccumulator {
    @usableFromInline let bucketCount: Int
    @usableFromInline let batchCapacity: Int
    @usableFromInline let queueCapacity: Int

    // Buckets: coordinates and a state (0 empty, 1 holds a point, 2 holds a point with an addition pending).
    @usableFromInline let bucketX: UnsafeMutablePointer<Fq>
    @usableFromInline let bucketY: UnsafeMutablePointer<Fq>
    @usableFromInline let state: UnsafeMutablePointer<UInt8>
    @usableFromInline var overflow: UnsafeMutablePointer<G1Projective>?

    // The open batch: bucket, addend, kind (0 add, 1 double, 2 cancel), denominator, prefix product.
    @usableFromInline let entryBucket: UnsafeMutablePointer<Int32>
    @usableFromInline let entryX: UnsafeMutablePointer<Fq>
    @usableFromInline let entryY: UnsafeMutablePointer<Fq>
    @usableFromInline let entryKind: UnsafeMutablePointer<UInt8>
    @usableFromInline let denominator: UnsafeMutablePointer<Fq>
    @usableFromInline let prefix: UnsafeMutablePointer<Fq>
    @usableFromInline var entries = 0

    // Waiting additions (ring buffer): bucket and addend.
    @usableFromInline let queueBucket: UnsafeMutablePointer<Int32>
    @usableFromInline let queueX: UnsafeMutablePointer<Fq>
    @usableFromInline let queueY: UnsafeMutablePointer<Fq>
    @usableFromInline var queueHead = 0
    @usableFromInline var queueCount = 0

    /// Scratch of the AVX-512 IFMA batch (`vectorFlush`): 80 words per eight entries, then the eight lane
    /// products; nil without IFMA.
    @usableFromInline let vectorScratch: UnsafeMutablePointer<UInt64>?
    /// Whether batches may take the IFMA path (tests switch it off to compare).
    public static var vectorAdditionsEnabled = zk_ifma_available() != 0 && MemoryLayout<Fq>.size == 32
    /// Smaller batches stay scalar: the vector path's eight-way inversion and gathers cost a few scalar additions.
    @usableFromInline static var vectorMinimumBatch: Int { 32 }

    /// Buckets of `windows` windows side by side (window j's bucket b is j·2^(c−1) + b), so that small
    /// windows share one batch: with 64 buckets per window a lone window could batch only 16 additions per
    /// inversion, several windows together batch the full `batchSize`.
    @inlinable
    init(window c: Int, windows: Int = 1, batchSize: Int) {
        // Many more open additions than buckets would mostly collide; keep the batch well below the
        // bucket count for small windows.
        self.init(window: c, windows: windows, batchCapacity: max(4, min(batchSize, (windows << (c - 1)) / 4)))
    }

    /// With the batch capacity chosen by the caller (`MSMPlan.batchCapacity`).
    @inlinable
    init(window c: Int, windows: Int = 1, batchCapacity: Int) {
        bucketCount = windows << (c - 1)
        self.batchCapacity = max(1, batchCapacity)
        queueCapacity = 2 * batchCapacity
        bucketX = .allocate(capacity: bucketCount)
        bucketY = .allocate(capacity: bucketCount)
        state = .allocate(capacity: bucketCount)
        state.initialize(repeating: 0, count: bucketCount)
        entryBucket = .allocate(capacity: batchCapacity)
        entryX = .allocate(capacity: batchCapacity)
        entryY = .allocate(capacity: batchCapacity)
        entryKind = .allocate(capacity: batchCapacity)
        denominator = .allocate(capacity: batchCapacity)
        prefix = .allocate(capacity: batchCapacity)
        queueBucket = .allocate(capacity: queueCapacity)
        queueX = .allocate(capacity: queueCapacity)
        queueY = .allocate(capacity: queueCapacity)
        vectorScratch = Self.vectorAdditionsEnabled && batchCapacity >= Self.vectorMinimumBatch
            ? .allocate(capacity: 80 * ((batchCapacity + 7) / 8) + 32) : nil
    }

    @inlinable
    func deallocate() {
        bucketX.deallocate()
        bucketY.deallocate()
        state.deallocate()
        overflow?.deallocate()
        entryBucket.deallocate()
        entryX.deallocate()
        entryY.deallocate()
        entryKind.deallocate()
        denominator.deallocate()
        prefix.deallocate()
        queueBucket.deallocate()
        queueX.deallocate()
        queueY.deallocate()
        vectorScratch?.deallocate()
    }

    /// Adds (x, y) into bucket b. Returns true when the batch is full and must be flushed.
    @inlinable @inline(__always)
    mutating func insert(bucket b: Int, x: Fq, y: Fq) -> Bool {
        switch state[b] {
        case 0:
            bucketX[b] = x
            bucketY[b] = y
            state[b] = 1
            return false
        case 1:
            entryBucket[entries] = Int32(truncatingIfNeeded: b)
            entryX[entries] = x
            entryY[entries] = y
            entries += 1
            state[b] = 2
            return entries == batchCapacity
        default:
            if queueCount < queueCapacity {
                let slot = (queueHead + queueCount) % queueCapacity
                queueBucket[slot] = Int32(truncatingIfNeeded: b)
                queueX[slot] = x
                queueY[slot] = y
                queueCount += 1
            } else {
                addToOverflow(bucket: b, x: x, y: y)
            }
            return false
        }
    }

    @inline(never) @usableFromInline
    mutating func addToOverflow(bucket b: Int, x: Fq, y: Fq) {
        if overflow == nil {
            let storage = UnsafeMutablePointer<G1Projective>.allocate(capacity: bucketCount)
            storage.initialize(repeating: .infinity, count: bucketCount)
            overflow = storage
        }
        overflow![b] = overflow![b].adding(G1Affine(uncheckedX: x, y: y))
    }

    /// Finishes every addition of the open batch with one shared inversion.
    @inlinable
    mutating func flush() {
        let n = entries
        if n == 0 { return }
        if let scratch = vectorScratch, n >= Self.vectorMinimumBatch, Self.vectorAdditionsEnabled, vectorFlush(n, scratch) {
            entries = 0
            return
        }
        var product = Fq.one
        for e in 0..<n {
            let b = Int(entryBucket[e])
            let dx = entryX[e] - bucketX[b]
            var d = dx
            if dx.isZero {
                if entryY[e] == bucketY[b] {
                    // P + P: λ = 3x²/2y (y ≠ 0: a prime-order group has no point of order 2).
                    entryKind[e] = 1
                    d = bucketY[b].doubled()
                } else {
                    // P + (−P) = O: nothing to invert.
                    entryKind[e] = 2
                    d = .one
                }
            } else {
                entryKind[e] = 0
            }
            denominator[e] = d
            prefix[e] = product
            product *= d
        }
        var inverse = product.inverse()
        var e = n - 1
        while e >= 0 {
            let b = Int(entryBucket[e])
            let inv = inverse * prefix[e]
            inverse *= denominator[e]
            let x1 = bucketX[b], y1 = bucketY[b]
            switch entryKind[e] {
            case 0:
                let lambda = (entryY[e] - y1) * inv
                let x3 = lambda.squared() - x1 - entryX[e]
                bucketY[b] = lambda * (x1 - x3) - y1
                bucketX[b] = x3
                state[b] = 1
            case 1:
                let xx = x1.squared()
                let lambda = (xx.doubled() + xx) * inv
                let x3 = lambda.squared() - x1.doubled()
                bucketY[b] = lambda * (x1 - x3) - y1
                bucketX[b] = x3
                state[b] = 1
            default:
                state[b] = 0
            }
            e -= 1
        }
        entries = 0
    }

    /// The open batch on AVX-512 IFMA (`msm_ifma.c`): Montgomery's trick as eight interleaved chains whose
    /// products are inverted together here, eight additions per instruction stream. False (nothing changed)
    /// when an entry meets its bucket's x (a doubling or a cancellation), which the scalar path handles.
    @usableFromInline @inline(never)
    func vectorFlush(_ n: Int, _ scratch: UnsafeMutablePointer<UInt64>) -> Bool {
        Self.vectorAdd(
            into: (bucketX, bucketY, state), buckets: entryBucket, entries: (entryX, entryY), count: n, scratch: scratch)
    }

    /// acc[buckets[e]] += (x_e, y_e) for e < n, the accumulators distinct, on IFMA: the kernel chains the x
    /// differences per lane and returns the eight lane products, inverted here together, then finishes every
    /// addition and sets its state to 1. False, with nothing changed, when an entry meets its accumulator's x.
    /// scratch: 80 words per eight entries, then 32.
    @usableFromInline
    static func vectorAdd(
        into acc: (x: UnsafeMutablePointer<Fq>, y: UnsafeMutablePointer<Fq>, state: UnsafeMutablePointer<UInt8>),
        buckets: UnsafePointer<Int32>, entries: (x: UnsafeMutablePointer<Fq>, y: UnsafeMutablePointer<Fq>), count n: Int,
        scratch: UnsafeMutablePointer<UInt64>
    ) -> Bool {
        let lanes = scratch + 80 * ((n + 7) / 8)
        guard zk_ifma_fq_batch_forward(Fq.words(acc.x), buckets, Fq.words(entries.x), n, scratch, lanes) != 0 else { return false }
        Fq.batchInvert(UnsafeMutableBufferPointer(start: UnsafeMutableRawPointer(lanes).assumingMemoryBound(to: Fq.self), count: 8))
        zk_ifma_fq_batch_backward(
            Fq.mutableWords(acc.x), Fq.mutableWords(acc.y), acc.state, buckets, Fq.words(entries.x), Fq.words(entries.y), n,
            scratch, lanes)
        return true
    }

    /// Re-inserts the additions that were waiting when the last batch was flushed.
    @inlinable
    mutating func drainQueue() {
        var pending = queueCount
        while pending > 0 {
            let slot = queueHead
            queueHead = (queueHead + 1) % queueCapacity
            queueCount -= 1
            pending -= 1
            if insert(bucket: Int(queueBucket[slot]), x: queueX[slot], y: queueY[slot]) { flush() }
        }
    }

    /// Finishes all pending additions.
    @inlinable
    mutating func finish() {
        flush()
        while queueCount > 0 {
            drainQueue()
            flush()
        }
    }

    /// Adds the Jacobian overflow buckets into the affine ones, so that `reduceWindows` keeps its batched
    /// affine reduction: a skewed input (many equal digits: a column of mostly equal values) fills a few
    /// buckets' queues, and the overflow used to send the whole group's reduction down the Jacobian path
    /// (two full additions per bucket, several times the cost). The overflow sums are made affine with one
    /// shared inversion, then each joins its bucket as one batched affine addition; every bucket gets at
    /// most one, so nothing queues. Call after `finish()`.
    @inlinable
    mutating func foldOverflow() {
        guard let overflow else { return }
        var used: [Int] = []
        for b in 0..<bucketCount where !overflow[b].isInfinity { used.append(b) }
        let sums = G1Projective.batchToAffine(used.map { overflow[$0] })
        overflow.deallocate()
        self.overflow = nil
        for (b, sum) in zip(used, sums) where insert(bucket: b, x: sum.x, y: sum.y) { flush() }
        flush()
    }

    /// Σ_k (k+1)·B_k for each of the `windows` windows side by side, by running sums from the top bucket
    /// down, all windows in lock-step so that each step is one batch of affine additions with one shared
    /// inversion: per window and step, sum += running (the old running sum) and running += B_k at once,
    /// then a last sum += running. A Jacobian reduction costs several times more per addition, and at small
    /// sizes (2^9 terms) it was most of the MSM. With overflow buckets in use it falls back to that.
    ///
    /// Few windows (a wide window reduced alone: 2^15 buckets at c = 16) would make each lock-step a batch of
    /// two additions paying a whole inversion; each window is then cut into S equal segments reduced as
    /// S lanes side by side, and joined in Jacobian form: with L buckets per segment, segment s's local sum
    /// T_s = Σ_k (k+1)·B_{sL+k} and total R_s = Σ_k B_{sL+k} give Σ_s T_s + L·Σ_s s·R_s.
    @inlinable
    func reduceWindows(_ windows: Int) -> [G1Projective] {
        let half = bucketCount / windows
        if overflow != nil || windows == 0 {
            return (0..<windows).map { reduce(buckets: ($0 * half)..<(($0 + 1) * half)) }
        }
        let segments = Self.segments(windows: windows, half: half)
        let length = half / segments
        let (sums, totals) = reduceLanes(windows * segments, length: length)
        if segments == 1 { return sums }
        return (0..<windows).map { w in
            var result = G1Projective.infinity
            var running = G1Projective.infinity
            var weighted = G1Projective.infinity  // Σ_s s·R_s by running sums from the top segment down
            var s = segments - 1
            while s >= 0 {
                result = result + sums[w * segments + s]
                if s > 0 {
                    running = running + totals[w * segments + s]
                    weighted = weighted + running
                }
                s -= 1
            }
            var shift = length
            while shift > 1 {
                weighted = weighted.doubled()
                shift >>= 1
            }
            return result + weighted
        }
    }

    /// Segments per window in `reduceWindows` for `windows` windows of `half` buckets each.
    @inlinable
    static func segments(windows: Int, half: Int) -> Int {
        var segments = 1
        while windows * segments < reductionLanes && half / (2 * segments) >= minimumSegment { segments *= 2 }
        return segments
    }

    /// Lanes per lock-step reduction when windows are split: up to 2·64 additions share an inversion.
    @usableFromInline static var reductionLanes: Int { 64 }
    /// Segments keep at least this many buckets, so the Jacobian join stays a small share.
    @usableFromInline static var minimumSegment: Int { 8 }

    /// The lock-step reduction of `lanes` bucket ranges of `length` buckets each (lane j: buckets
    /// j·length ..< (j+1)·length): per lane Σ_k (k+1)·B_k and Σ_k B_k.
    @inlinable
    func reduceLanes(_ windows: Int, length half: Int) -> (sums: [G1Projective], totals: [G1Projective]) {
        // Accumulators 0..<windows are the running sums, windows..<2·windows the sums.
        let count = 2 * windows
        var ax = [Fq](repeating: .zero, count: count), ay = [Fq](repeating: .zero, count: count)
        var present = [Bool](repeating: false, count: count)
        var addX = [Fq](repeating: .zero, count: count), addY = [Fq](repeating: .zero, count: count)
        var target = [Int](repeating: 0, count: count)
        var kind = [UInt8](repeating: 0, count: count)
        var denominators = [Fq](repeating: .one, count: count)
        var prefixes = [Fq](repeating: .one, count: count)
        // The IFMA batches (`vectorFlush`'s kernel) when this machine has them and the lanes can fill one.
        let vectorCapacity = count >= Self.vectorMinimumBatch && Self.vectorAdditionsEnabled ? count : 0
        let vectorScratch = UnsafeMutablePointer<UInt64>.allocate(capacity: 80 * ((vectorCapacity + 7) / 8) + 32)
        let vectorTarget = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, vectorCapacity))
        defer {
            vectorScratch.deallocate()
            vectorTarget.deallocate()
        }
        // Entries whose accumulator is empty take their addend; if the others fill an IFMA batch, they are added
        // there and 0 is returned; else they are moved to the front for the scalar batch and their count returned.
        func addVectorBatch(_ n: Int) -> Int {
            var m = 0
            for e in 0..<n {
                let t = target[e]
                if !present[t] {
                    ax[t] = addX[e]
                    ay[t] = addY[e]
                    present[t] = true
                } else {
                    target[m] = t
                    addX[m] = addX[e]
                    addY[m] = addY[e]
                    m += 1
                }
            }
            guard m >= Self.vectorMinimumBatch else { return m }
            for e in 0..<m { vectorTarget[e] = Int32(truncatingIfNeeded: target[e]) }
            let added = ax.withUnsafeMutableBufferPointer { ax in
                ay.withUnsafeMutableBufferPointer { ay in
                    addX.withUnsafeMutableBufferPointer { addX in
                        addY.withUnsafeMutableBufferPointer { addY in
                            present.withUnsafeMutableBufferPointer { present in
                                // `present` is one byte per flag (0 or 1), which the kernel sets like a bucket state.
                                let flags = UnsafeMutableRawPointer(present.baseAddress!).assumingMemoryBound(to: UInt8.self)
                                return Self.vectorAdd(
                                    into: (ax.baseAddress!, ay.baseAddress!, flags), buckets: vectorTarget,
                                    entries: (addX.baseAddress!, addY.baseAddress!), count: m, scratch: vectorScratch)
                            }
                        }
                    }
                }
            }
            return added ? 0 : m
        }
        // One batch: acc[target[e]] += (addX[e], addY[e]) for e < n.
        func addBatch(_ n: Int) {
            let n = vectorCapacity > 0 && n >= Self.vectorMinimumBatch ? addVectorBatch(n) : n
            if n == 0 { return }
            var product = Fq.one
            var pending = 0
            for e in 0..<n {
                let t = target[e]
                if !present[t] {
                    kind[e] = 3  // acc is O: take the addend
                    continue
                }
                let dx = addX[e] - ax[t]
                var d = dx
                if dx.isZero {
                    if addY[e] == ay[t] {
                        kind[e] = 1
                        d = ay[t].doubled()
                    } else {
                        kind[e] = 2  // P + (−P) = O
                        continue
                    }
                } else {
                    kind[e] = 0
                }
                denominators[e] = d
                prefixes[e] = product
                product *= d
                pending += 1
            }
            var inverse = pending > 0 ? product.inverse() : .one
            var e = n - 1
            while e >= 0 {
                let t = target[e]
                switch kind[e] {
                case 3:
                    ax[t] = addX[e]
                    ay[t] = addY[e]
                    present[t] = true
                case 2:
                    present[t] = false
                default:
                    let inv = inverse * prefixes[e]
                    inverse *= denominators[e]
                    let x1 = ax[t], y1 = ay[t]
                    let lambda: Fq
                    if kind[e] == 0 {
                        lambda = (addY[e] - y1) * inv
                    } else {
                        let xx = x1.squared()
                        lambda = (xx.doubled() + xx) * inv
                    }
                    let x3 = lambda.squared() - x1 - addX[e]
                    ay[t] = lambda * (x1 - x3) - y1
                    ax[t] = x3
                }
                e -= 1
            }
        }
        var k = half - 1
        while k >= 0 {
            var n = 0
            for w in 0..<windows {
                if present[w] {  // sum_w += running_w (before this bucket)
                    target[n] = windows + w
                    addX[n] = ax[w]
                    addY[n] = ay[w]
                    n += 1
                }
                let b = w * half + k
                if state[b] != 0 {  // running_w += B_k
                    target[n] = w
                    addX[n] = bucketX[b]
                    addY[n] = bucketY[b]
                    n += 1
                }
            }
            addBatch(n)
            k -= 1
        }
        var n = 0
        for w in 0..<windows where present[w] {
            target[n] = windows + w
            addX[n] = ax[w]
            addY[n] = ay[w]
            n += 1
        }
        // The running sums are the lanes' totals; read them before the last batch changes nothing of them
        // (it only adds into the sums).
        let totals = (0..<windows).map { w in
            present[w] ? G1Projective(G1Affine(uncheckedX: ax[w], y: ay[w])) : .infinity
        }
        addBatch(n)
        let sums = (0..<windows).map { w in
            present[windows + w] ? G1Projective(G1Affine(uncheckedX: ax[windows + w], y: ay[windows + w])) : .infinity
        }
        return (sums, totals)
    }

    /// Σ_k (k+1)·B_k by running sums from the top bucket down (all buckets: one window).
    @inlinable
    func reduce() -> G1Projective { reduce(buckets: 0..<bucketCount) }

    /// The same over the buckets `range` of one window (k counted from the range's start).
    @inlinable
    func reduce(buckets range: Range<Int>) -> G1Projective {
        var running = G1Projective.infinity
        var sum = G1Projective.infinity
        let first = range.lowerBound
        var b = range.upperBound - 1
        // Skip empty top buckets: nothing to add yet.
        while b >= first && state[b] == 0 && (overflow == nil || overflow![b].isInfinity) { b -= 1 }
        while b >= first {
            if state[b] != 0 { running = running.adding(G1Affine(uncheckedX: bucketX[b], y: bucketY[b])) }
            if let overflow, !overflow[b].isInfinity { running = running + overflow[b] }
            sum = sum + running
            b -= 1
        }
        return sum
    }
}
