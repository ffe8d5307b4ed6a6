import BN254
import CommandLineSupport
import FieldArithmetic
import MSM
import Parallelism

/// `zkbench msm-sizes`: the prover's MSM sizes (2^8 … 2^14 terms) with full-size and small signed scalars,
/// as one MSM on 2 threads and as a batch of four columns (`msmBatch`, the prover's advice commitments).
/// Figures are ns per MSM (minimum over repetitions; CPU time beside wall time, since the machine is shared).
enum MSMSizesBenchmark {
    static let command = Command(
        name: "msm-sizes", summary: "G1 MSM 2^8 … 2^14: full, ±8-, ±16-, ±32-bit, half-ones scalars; one MSM and a batch of 4",
        options: [.flag("quick", "2^8 and 2^10 only, fewer repetitions")]
    ) { invocation in
        let quick = invocation.flag("quick")
        var report = FigureReport()
        var rng = BenchRandom(seed: 2025)
        for log2 in quick ? [8, 10] : [8, 10, 12, 14] {
            let n = 1 << log2
            let points = BenchData.points(n)
            let kinds: [(String, () -> Fr)] = [
                ("full", { rng.fr() }),
                ("s8", { Fr(signed: Int64(Int8(truncatingIfNeeded: rng.next()))) }),
                ("s16", { Fr(signed: Int64(Int16(truncatingIfNeeded: rng.next()))) }),
                ("s32", { Fr(signed: Int64(Int32(truncatingIfNeeded: rng.next()))) }),
                // A column of mostly equal values (a saturated activation, a constant run broken up): every
                // other value is 1, the rest ±16-bit. Its equal digits pile up in one bucket.
                ("rep", { rng.next() & 1 == 0 ? Fr.one : Fr(signed: Int64(Int16(truncatingIfNeeded: rng.next()))) }),
            ]
            // Enough repetitions for ~0.2 s per figure at most.
            let repeats = quick ? 3 : max(3, min(200, (1 << 22) / (n * 64)))
            for (name, make) in kinds {
                let columns = (0..<4).map { _ in (0..<n).map { _ in make() } }
                let one = BenchTiming.measure(repeats: repeats) { _ = msm(points: points, scalars: columns[0]) }
                let batch = points.withUnsafeBufferPointer { p in
                    BenchTiming.measure(repeats: max(2, repeats / 4)) { _ = msmBatch(points: p, scalarSets: columns) }
                }
                let key = "msm_2^\(log2)_\(name)"
                report.value("\(key)_ns", .double(BenchTiming.round(one.wall * 1e9, 0)))
                report.value("\(key)_cpu_ns", .double(BenchTiming.round(one.cpu * 1e9, 0)))
                report.value("\(key)_batch4_ns", .double(BenchTiming.round(batch.wall * 1e9, 0)))
                report.value("\(key)_batch4_cpu_ns", .double(BenchTiming.round(batch.cpu * 1e9, 0)))
                report.lines.append("MSM 2^\(log2) \(name): one \(formatSeconds(one.wall)) (CPU \(formatSeconds(one.cpu))), "
                                    + "batch of 4 \(formatSeconds(batch.wall)) (CPU \(formatSeconds(batch.cpu)))")
            }
        }
        report.emit(json: invocation.wantsJSON)
    }
}
