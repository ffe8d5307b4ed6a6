import BN254
import FieldArithmetic
import Parallelism

/// Σ scalars[i]·points[i] over G1 for the first `scalars.count` points: Pippenger's bucket method with
/// signed digits and batched affine bucket additions (`BucketAccumulator`), multithreaded.
///
/// The cost follows the scalars' actual sizes: each scalar is recoded to the shorter of s and −(r − s), so
/// the witness value −3 (stored as r − 3) costs like 3; scalars are then grouped by bit length
/// (`MSMPlan.split`) so that a few full-size scalars among many small ones form their own run, and each
/// run gets the window width and chunking its size and bit length call for. Zero scalars and points at
/// infinity are skipped. The result does not depend on the thread count.
public func msm(points: UnsafeBufferPointer<G1Affine>, scalars: UnsafeBufferPointer<Fr>) -> G1Projective {
    precondition(scalars.count <= points.count, "MSM needs a point for every scalar")
    let n = scalars.count
    if n == 0 { return .infinity }
    let threads = Parallel.availableThreads

    // 1. Recode every scalar and count bit lengths (0 for a skipped term).
    let recoded = UnsafeMutableBufferPointer<RecodedScalar>.allocate(capacity: n)
    defer { recoded.deallocate() }
    let histogramChunks = max(1, min(threads * 4, n / 2048))
    var histograms = [[Int]](repeating: [Int](repeating: 0, count: 256), count: histogramChunks)
    histograms.withUnsafeMutableBufferPointer { histogramBuffer in
        let chunkSize = (n + histogramChunks - 1) / histogramChunks
        Parallel.forEach(tasks: histogramChunks) { chunk in
            var histogram = [Int](repeating: 0, count: 256)
            let start = chunk * chunkSize
            let end = min(n, start + chunkSize)
            if start < end {
                for i in start..<end {
                    var r = RecodedScalar(scalars[i])
                    if points[i].isInfinity { r.bits = 0 }
                    recoded.baseAddress!.advanced(by: i).initialize(to: r)
                    histogram[r.bits] += 1
                }
            }
            histogramBuffer[chunk] = histogram
        }
    }
    var histogram = [Int](repeating: 0, count: 256)
    for h in histograms { for b in 0..<256 { histogram[b] += h[b] } }
    histogram[0] = 0

    // 2. Split into runs by bit length and compute each run.
    let runs = MSMPlan.split(histogram: histogram, threads: threads)
    var result = G1Projective.infinity
    var lowerBits = 0
    for run in runs {
        let bitsRange = (lowerBits + 1)...run.maxBits
        lowerBits = run.maxBits
        var indices: [Int32] = []
        indices.reserveCapacity(bitsRange.reduce(0) { $0 + histogram[$1] })
        for i in 0..<n where bitsRange.contains(recoded[i].bits) { indices.append(Int32(truncatingIfNeeded: i)) }
        let plan = MSMPlan.bestRun(count: indices.count, bits: run.maxBits, threads: threads)
        result = result + pippengerRun(points: points, recoded: UnsafeBufferPointer(recoded), indices: indices, plan: plan)
    }
    return result
}

public func msm(points: [G1Affine], scalars: [Fr]) -> G1Projective {
    points.withUnsafeBufferPointer { p in scalars.withUnsafeBufferPointer { s in msm(points: p, scalars: s) } }
}

/// One Pippenger run over the terms `indices`, all of at most `plan.bits` bits.
@usableFromInline
func pippengerRun(
    points: UnsafeBufferPointer<G1Affine>, recoded: UnsafeBufferPointer<RecodedScalar>, indices: [Int32],
    plan: MSMPlan.Run
) -> G1Projective {
    let m = indices.count
    if m == 0 { return .infinity }
    let c = plan.window, windows = plan.windows, chunks = plan.chunks

    // Digits, window-major so that each task reads one contiguous row.
    let digits = UnsafeMutablePointer<Int32>.allocate(capacity: m * windows)
    defer { digits.deallocate() }
    indices.withUnsafeBufferPointer { idx in
        Parallel.forEachChunk(of: m, minimumChunk: 4096) { range in
            for i in range {
                recoded[Int(idx[i])].writeSignedDigits(window: c, windows: windows, to: digits + i, stride: m)
            }
        }
    }

    // Tasks: (window group, chunk) pairs; each has its own buckets. Small windows are grouped so that
    // a group has at least 4·batchSize buckets: the batched inversion then serves a full batch.
    let half = 1 << (c - 1)
    let threads = Parallel.availableThreads
    var groups = (windows + max(1, (4 * MSMPlan.batchSize) / half) - 1) / max(1, (4 * MSMPlan.batchSize) / half)
    groups = min(windows, max(groups, (threads + chunks - 1) / chunks))
    let perGroup = (windows + groups - 1) / groups
    groups = (windows + perGroup - 1) / perGroup
    let tasks = groups * chunks
    var partial = [G1Projective](repeating: .infinity, count: windows * chunks)
    let chunkSize = (m + chunks - 1) / chunks
    partial.withUnsafeMutableBufferPointer { out in
        indices.withUnsafeBufferPointer { idx in
            Parallel.forEach(tasks: tasks) { task in
                let group = task / chunks
                let chunk = task % chunks
                let start = chunk * chunkSize
                let end = min(m, start + chunkSize)
                if start >= end { return }
                let firstWindow = group * perGroup
                let groupWindows = min(perGroup, windows - firstWindow)
                var buckets = BucketAccumulator(window: c, windows: groupWindows, batchSize: MSMPlan.batchSize)
                // Point by point, every window of the group in turn: consecutive additions go to different
                // windows' buckets, so the batch fills with distinct buckets instead of queueing.
                let rows = digits + firstWindow * m
                for i in start..<end {
                    let point = points[Int(idx[i])]
                    for local in 0..<groupWindows {
                        let d = rows[local * m + i]
                        if d == 0 { continue }
                        let offset = local * half - 1
                        let full: Bool
                        if d > 0 {
                            full = buckets.insert(bucket: offset + Int(d), x: point.x, y: point.y)
                        } else {
                            full = buckets.insert(bucket: offset - Int(d), x: point.x, y: -point.y)
                        }
                        if full {
                            buckets.flush()
                            buckets.drainQueue()
                        }
                    }
                }
                buckets.finish()
                let sums = buckets.reduceWindows(groupWindows)
                for local in 0..<groupWindows { out[(firstWindow + local) * chunks + chunk] = sums[local] }
                buckets.deallocate()
            }
        }
    }

    // Σ_j 2^(cj)·W_j by Horner's rule from the top window.
    var acc = G1Projective.infinity
    for window in stride(from: windows - 1, through: 0, by: -1) {
        for _ in 0..<c { acc = acc.doubled() }
        for chunk in 0..<chunks { acc = acc + partial[window * chunks + chunk] }
    }
    return acc
}
