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
    return runPippengerJobs(plan.jobs).reduce(.infinity, +)
}

/// Several MSMs over the same points (e.g. the quotient's chunks), their Pippenger tasks (window groups)
/// scheduled together: seven 2^9-term MSMs on two threads then take 3.5 MSM-times, not the 4 that running
/// whole MSMs as tasks would, and a lone MSM still gets every thread. Results in order; each equals `msm`.
public func msmBatch(points: UnsafeBufferPointer<G1Affine>, scalarSets: [[Fr]]) -> [G1Projective] {
    if scalarSets.count <= 1 { return scalarSets.map { s in s.withUnsafeBufferPointer { msm(points: points, scalars: $0) } } }
    for s in scalarSets { precondition(s.count <= points.count, "MSM needs a point for every scalar") }
    // Planned for one thread each: the batch, not the MSM, is what is spread over the threads.
    let plans = scalarSets.map { s in s.withUnsafeBufferPointer { MSMJobPlan(points: points, scalars: $0, threads: 1) } }
    defer { for p in plans { p.deallocate() } }
    var runs = runPippengerJobs(plans.flatMap(\.jobs))[...]
    return plans.map { plan in
        defer { runs = runs.dropFirst(plan.jobs.count) }
        return runs.prefix(plan.jobs.count).reduce(.infinity, +)
    }
}

/// Every task of every job in one parallel loop, then each job's combination, in order.
func runPippengerJobs(_ jobs: [PippengerJob]) -> [G1Projective] {
    let tasks = jobs.indices.flatMap { j in (0..<jobs[j].tasks).map { (job: j, task: $0) } }
    var sums = [[G1Projective]](repeating: [], count: tasks.count)
    sums.withUnsafeMutableBufferPointer { out in
        Parallel.forEach(tasks: tasks.count) { t in out[t] = jobs[tasks[t].job].runTask(tasks[t].task) }
    }
    var next = 0
    return jobs.map { job in
        defer { next += job.tasks }
        return job.combine(taskSums: sums[next..<(next + job.tasks)])
    }
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
            Parallel.forEach(tasks: histogramChunks) { body($0) }
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
            Parallel.forEachChunk(of: m, minimumChunk: 4096) { body($0) }
        }
        let shape = MSMPlan.taskShape(window: c, windows: windows, chunks: chunks, threads: threads)
        groups = shape.groups
        perGroup = shape.perGroup
    }

    func deallocate() { digits.deallocate() }

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
        let capacity = MSMPlan.batchCapacity(buckets: groupWindows * half)
        var buckets = BucketAccumulator(window: c, windows: groupWindows, batchCapacity: capacity)
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
        buckets.foldOverflow()
        let sums = buckets.reduceWindows(groupWindows)
        buckets.deallocate()
        return sums
    }

    /// Σ_j 2^(cj)·W_j by Horner's rule from the top window, W_j summed over the chunks; `taskSums` are the
    /// results of tasks 0..<tasks in order.
    func combine(taskSums: ArraySlice<[G1Projective]>) -> G1Projective {
        var partial = [G1Projective](repeating: .infinity, count: windows * chunks)
        for (task, sums) in zip(0..., taskSums) {
            let group = task / chunks, chunk = task % chunks
            for (local, sum) in sums.enumerated() { partial[(group * perGroup + local) * chunks + chunk] = sum }
        }
        var acc = G1Projective.infinity
        for window in stride(from: windows - 1, through: 0, by: -1) {
            for _ in 0..<c { acc = acc.doubled() }
            for chunk in 0..<chunks { acc = acc + partial[window * chunks + chunk] }
        }
        return acc
    }
}
