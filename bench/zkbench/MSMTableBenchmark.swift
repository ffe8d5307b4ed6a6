import BN254
import CommandLineSupport
import FieldArithmetic
import MSM
import Parallelism

/// `zkbench msm-table`: full-size and ±32-bit MSMs over fixed bases, Pippenger (`msmBatch(points:)`) beside
/// the precomputed window multiples (`msmBatch(table:)`, the proving key's tables), in the same run: one
/// column and a batch of ten (a phase of fold-vector columns), 2^7 … 2^13 bases.
enum MSMTableBenchmark {
    static let command = Command(
        name: "msm-table", summary: "MSM with precomputed window multiples vs Pippenger, 2^7 … 2^13 bases",
        options: [.flag("quick", "2^7 and 2^9 only")]
    ) { invocation in
        let quick = invocation.flag("quick")
        var report = FigureReport()
        var rng = BenchRandom(seed: 2026)
        for log2 in quick ? [7, 9] : [7, 9, 11, 13] {
            let n = 1 << log2
            let points = BenchData.points(n)
            let window = FixedBaseTable.bestWindow(count: n, maximumBytes: 64 << 20)!
            let built = BenchTiming.measure(repeats: 1) { _ = FixedBaseTable(bases: points, window: window) }
            let table = FixedBaseTable(bases: points, window: window)
            report.lines.append("2^\(log2) bases: table c = \(window), \(table.points.count * 64 / 1024) KiB, built in \(formatSeconds(built.wall))")
            let repeats = max(3, min(50, (1 << 18) / n))
            for (name, make) in [("full", { rng.fr() }), ("s32", { Fr(signed: Int64(Int32(truncatingIfNeeded: rng.next()))) })] as [(String, () -> Fr)] {
                for count in [1, 10] {
                    let columns = (0..<count).map { _ in (0..<n).map { _ in make() } }
                    let plain = points.withUnsafeBufferPointer { p in
                        BenchTiming.measure(repeats: repeats) { _ = msmBatch(points: p, scalarSets: columns) }
                    }
                    let tabled = BenchTiming.measure(repeats: repeats) { _ = msmBatch(table: table, scalarSets: columns) }
                    let key = "msm_table_2^\(log2)_\(name)_x\(count)"
                    report.value("\(key)_pippenger_cpu_ns", .double(BenchTiming.round(plain.cpu * 1e9, 0)))
                    report.value("\(key)_table_cpu_ns", .double(BenchTiming.round(tabled.cpu * 1e9, 0)))
                    report.lines.append("  \(name) ×\(count): Pippenger \(formatSeconds(plain.wall)) (CPU \(formatSeconds(plain.cpu))), "
                                        + "table \(formatSeconds(tabled.wall)) (CPU \(formatSeconds(tabled.cpu))), CPU ratio "
                                        + String(format: "%.2f", tabled.cpu / plain.cpu))
                }
            }
        }
        report.emit(json: invocation.wantsJSON)
    }
}
