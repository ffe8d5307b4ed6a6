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
        options: [
            .flag("quick", "2^7 and 2^9 only"),
            .flag("windows", "instead: 16 full-size columns over 2^6 … 2^14 bases through tables of windows 8 … 15, and the key's choice"),
        ]
    ) { invocation in
        let quick = invocation.flag("quick")
        var report = FigureReport()
        var rng = BenchRandom(seed: 2026)
        if invocation.flag("windows") {
            windowSweep(&report, &rng)
            report.emit(json: invocation.wantsJSON)
            return
        }
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

    /// The CPU of one batch of 16 full-size columns (a phase of running sums) per table window, beside the window a
    /// proving key of that many rows gets (`FixedBaseTable.keyWindow`): the check on the key windows' cost model.
    static func windowSweep(_ report: inout FigureReport, _ rng: inout BenchRandom) {
        for log2 in 6...14 {
            let n = 1 << log2
            let points = BenchData.points(n)
            let columns = (0..<16).map { _ in (0..<n).map { _ in rng.fr() } }
            var line = "2^\(log2) bases, key window \(FixedBaseTable.keyWindow(count: n).map(String.init) ?? "none"):"
            for c in 8...15 where n * FixedBaseTable.windows(window: c) * 64 <= FixedBaseTable.maximumKeyTableBytes {
                let table = FixedBaseTable(bases: points, window: c)
                let t = BenchTiming.measure(repeats: 3) { _ = msmBatch(table: table, scalarSets: columns) }
                report.value("msm_table_windows_2^\(log2)_c\(c)_cpu_ns", .double(BenchTiming.round(t.cpu * 1e9, 0)))
                line += " c=\(c) \(formatSeconds(t.cpu))"
            }
            report.lines.append(line)
        }
    }
}
