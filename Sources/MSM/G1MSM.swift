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
    if scalars.isEmpty { return .infinity }
    let plan = MSMJobPlan(points: points, scalars: scalars, threads: Parallel.availableThreads)
    defer { plan.deallocate() }
    var result = G1Projective.infinity
    for job in plan.jobs { result = result + job.run() }
    return result
}

/// Several MSMs over the same points (e.g. the quotient's chunks), their Pippenger tasks (window groups)
/// scheduled together: seven 2^9-term MSMs on two threads then take 3.5 MSM-times, not the 4 that running
/// whole MSMs as tasks would, and a lone MSM still gets every thread. Results in order; each equals `msm`.
public func msmBatch(points: UnsafeBufferPointer<G1Affine>, scalarSets: [[Fr]]) -> [G1Projective] {
    if scalarSets.count <= 1 { return scalarSets.map { s in s.withUnsafeBufferPointer { msm(points: points, scalars: $0) } } }
    for s in scalarSets { precondition(s.count <= points.count, "MSM needs a point for every scalar") }
    let threads = Parallel.availableThreads
    // Planned for one thread each: the batch, not the MSM, is what is spread over the threads.
    var plans: [MSMJobPlan] = []
    for s in scalarSets { plans.append(s.withUnsafeBufferPointer { MSMJobPlan(points: points, scalars: $0, threads: 1) }) }
    defer { for p in plans { p.deallocate() } }
    var tasks: [(plan: Int, job: Int, group: Int)] = []
    for (p, plan) in plans.enumerated() {
        for (j, job) in plan.jobs.enumerated() { for g in 0..<job.tasks { tasks.append((p, j, g)) } }
    }
    var partials = [[G1Projective]](repeating: [], count: tasks.count)
    partials.withUnsafeMutableBufferPointer { out in
        Parallel.forEach(tasks: threads <= 1 ? 0 : tasks.count) { t in
            let task = tasks[t]
            out[t] = plans[task.plan].jobs[task.job].runTask(task.group)
        }
        if threads <= 1 {
            for t in 0..<tasks.count { out[t] = plans[tasks[t].plan].jobs[tasks[t].job].runTask(tasks[t].group) }
        }
    }
    var results = [G1Projective](repeating: .infinity, count: scalarSets.count)
    var t = 0
    for (p, plan) in plans.enumerated() {
        for job in plan.jobs {
            var windowSums = [G1Projective](repeating: .infinity, count: job.windows * job.chunks)
            for g in 0..<job.tasks {
                job.place(partials[t], task: g, into: &windowSums)
                t += 1
            }
            results[p] = results[p] + job.combine(windowSums)
        }
    }
    return results
}

/// One MSM cut into Pippenger runs by scalar bit length (`MSMPlan.split`), each a `PippengerJob`.
@usableFromInline
final class MSMJobPlan {
    let recoded: UnsafeMutableBufferPointer<RecodedScalar>
    var jobs: [PippengerJob] = []

    init(points: UnsafeBufferPointer<G1Affine>, scalars: UnsafeBufferPointer<Fr>, threads: Int) {
        let n = scalars.count
        // 1. Recode every scalar and count bit lengths (0 for a skipped term).
        recoded = .allocate(capacity: n)
        let recoded = self.recoded
        let histogramChunks = max(1, min(threads * 4, n / 2048))
        var histograms = [[Int]](repeating: [Int](repeating: 0, count: 256), count: histogramChunks)
        histograms.withUnsafeMutableBufferPointer { histogramBuffer in
            let chunkSize = (n + histogramChunks - 1) / histogramChunks
            func body(_ chunk: Int) {
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
            if threads <= 1 { for c in 0..<histogramChunks { body(c) } } else { Parallel.forEach(tasks: histogramChunks) { body($0) } }
        }
        var histogram = [Int](repeating: 0, count: 256)
        for h in histograms { for b in 0..<256 { histogram[b] += h[b] } }
        histogram[0] = 0

        // 2. Split into runs by bit length.
        var lowerBits = 0
        for run in MSMPlan.split(histogram: histogram, threads: threads) {
            let bitsRange = (lowerBits + 1)...run.maxBits
            lowerBits = run.maxBits
            var indices: [Int32] = []
            indices.reserveCapacity(bitsRange.reduce(0) { $0 + histogram[$1] })
            for i in 0..<n where bitsRange.contains(recoded[i].bits) { indices.append(Int32(truncatingIfNeeded: i)) }
            let plan = MSMPlan.bestRun(count: indices.count, bits: run.maxBits, threads: threads)
            if !indices.isEmpty {
                jobs.append(PippengerJob(points: points, recoded: UnsafeBufferPointer(recoded), indices: indices, plan: plan,
                                         threads: threads))
            }
        }
    }

    func deallocate() {
        for job in jobs { job.deallocate() }
        recoded.deallocate()
    }
}

public func msm(points: [G1Affine], scalars: [Fr]) -> G1Projective {
    points.withUnsafeBufferPointer { p in scalars.withUnsafeBufferPointer { s in msm(points: p, scalars: s) } }
}

/// One Pippenger run over the terms `indices`, all of at most `plan.bits` bits: signed digits, then tasks
/// of (window group, chunk), each with its own buckets, then Horner over the windows.
@usableFromInline
struct PippengerJob {
    let points: UnsafeBufferPointer<G1Affine>
    let indices: [Int32]
    let digits: UnsafeMutablePointer<Int32>
    let c: Int, windows: Int, chunks: Int
    let groups: Int, perGroup: Int
    var tasks: Int { groups * chunks }
    var m: Int { indices.count }

    init(points: UnsafeBufferPointer<G1Affine>, recoded: UnsafeBufferPointer<RecodedScalar>, indices: [Int32],
         plan: MSMPlan.Run, threads: Int) {
        self.points = points
        self.indices = indices
        let m = indices.count
        c = plan.window
        windows = plan.windows
        chunks = plan.chunks
        // Digits, window-major so that each task reads one contiguous row.
        let digits = UnsafeMutablePointer<Int32>.allocate(capacity: m * windows)
        self.digits = digits
        let (c, windows) = (self.c, self.windows)
        indices.withUnsafeBufferPointer { idx in
            func body(_ range: Range<Int>) {
                for i in range { recoded[Int(idx[i])].writeSignedDigits(window: c, windows: windows, to: digits + i, stride: m) }
            }
            if threads <= 1 { body(0..<m) } else { Parallel.forEachChunk(of: m, minimumChunk: 4096) { body($0) } }
        }
        // Small windows are grouped so that a group has at least 4·batchSize buckets: the batched inversion
        // then serves a full batch.
        let half = 1 << (c - 1)
        let wanted = max(1, (4 * MSMPlan.batchSize) / half)
        var groups = (windows + wanted - 1) / wanted
        groups = min(windows, max(groups, (threads + chunks - 1) / chunks))
        perGroup = (windows + groups - 1) / groups
        self.groups = (windows + perGroup - 1) / perGroup
    }

    func deallocate() { digits.deallocate() }

    /// Every task on the available threads, then the combination.
    func run() -> G1Projective {
        var partial = [G1Projective](repeating: .infinity, count: windows * chunks)
        partial.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(tasks: tasks) { task in
                let sums = runTask(task)
                let group = task / chunks, chunk = task % chunks
                for (local, sum) in sums.enumerated() { out[(group * perGroup + local) * chunks + chunk] = sum }
            }
        }
        return combine(partial)
    }

    /// Task (group, chunk): the window sums of the group's windows over the chunk's terms.
    func runTask(_ task: Int) -> [G1Projective] {
        let group = task / chunks
        let chunk = task % chunks
        let chunkSize = (m + chunks - 1) / chunks
        let start = chunk * chunkSize
        let end = min(m, start + chunkSize)
        let firstWindow = group * perGroup
        let groupWindows = min(perGroup, windows - firstWindow)
        if start >= end || groupWindows <= 0 { return [G1Projective](repeating: .infinity, count: max(0, groupWindows)) }
        let half = 1 << (c - 1)
        var buckets = BucketAccumulator(window: c, windows: groupWindows, batchSize: MSMPlan.batchSize)
        // Point by point, every window of the group in turn: consecutive additions go to different
        // windows' buckets, so the batch fills with distinct buckets instead of queueing.
        let rows = digits + firstWindow * m
        indices.withUnsafeBufferPointer { idx in
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
        }
        buckets.finish()
        let sums = buckets.reduceWindows(groupWindows)
        buckets.deallocate()
        return sums
    }

    /// Puts task `task`'s window sums where `combine` expects them (window-major, then chunk).
    func place(_ sums: [G1Projective], task: Int, into out: inout [G1Projective]) {
        let group = task / chunks, chunk = task % chunks
        for (local, sum) in sums.enumerated() { out[(group * perGroup + local) * chunks + chunk] = sum }
    }

    /// Σ_j 2^(cj)·W_j by Horner's rule from the top window.
    func combine(_ partial: [G1Projective]) -> G1Projective {
        var acc = G1Projective.infinity
        for window in stride(from: windows - 1, through: 0, by: -1) {
            for _ in 0..<c { acc = acc.doubled() }
            for chunk in 0..<chunks { acc = acc + partial[window * chunks + chunk] }
        }
        return acc
    }
}
