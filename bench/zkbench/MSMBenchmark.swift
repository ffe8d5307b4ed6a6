import BN254
import CommandLineSupport
import FieldArithmetic
import MSM
import Parallelism

/// `zkbench msm`: G1 MSM of 2^16 and 2^18 terms with full-size, 16-bit and 32-bit scalars and 32-bit
/// scalars plus 4 full-size ones; full-size also on 1 thread for the 2-vs-1 speed-up.
enum MSMBenchmark {
    static let command = Command(
        name: "msm", summary: "G1 MSM 2^16 and 2^18: full, 16-bit, 32-bit, 32-bit + 4 full scalars; 1 and 2 threads",
        options: [.flag("quick", "2^16 only, one repetition")]
    ) { invocation in
        let quick = invocation.flag("quick")
        var report = FigureReport()
        var rng = BenchRandom(seed: 2024)
        let mulNs = Calibration.fqMultiplyNanoseconds()
        report.value("fq_mul_ns", .double(BenchTiming.round(mulNs, 2)))
        report.lines.append("Fq multiplication (calibration): \(BenchTiming.round(mulNs, 1)) ns")
        for log2 in quick ? [16] : [16, 18] {
            let n = 1 << log2
            let points = BenchData.points(n)
            let full = (0..<n).map { _ in rng.fr() }
            let s16 = (0..<n).map { _ in Fr(signed: Int64(Int16(truncatingIfNeeded: rng.next()))) }
            let s32 = (0..<n).map { _ in Fr(signed: Int64(Int32(truncatingIfNeeded: rng.next()))) }
            var mixed = s32
            for i in 0..<4 { mixed[(i * 7919) % n] = rng.fr() }
            let repeats = quick ? 1 : 2
            func time(_ scalars: [Fr], threads: Int) -> Double {
                Parallel.withThreadCount(threads) {
                    BenchTiming.best(repeats: repeats) { _ = msm(points: points, scalars: scalars) }
                }
            }
            let key = "msm_2^\(log2)"
            let full1Measure = Parallel.withThreadCount(1) {
                BenchTiming.measure(repeats: repeats) { _ = msm(points: points, scalars: full) }
            }
            let full1 = full1Measure.wall
            report.seconds("\(key)_full_1t_cpu_s", full1Measure.cpu, "MSM 2^\(log2) full scalars, 1 thread, CPU time")
            report.ratio("\(key)_full_1t_cpu_in_fq_muls_per_term", full1Measure.cpu / (mulNs * 1e-9) / Double(n), "MSM 2^\(log2) full, 1 thread: CPU time in Fq multiplications per term")
            let full2 = time(full, threads: 2)
            let t16 = time(s16, threads: 2)
            let t32 = time(s32, threads: 2)
            let tMixed = time(mixed, threads: 2)
            report.seconds("\(key)_full_1t_s", full1, "MSM 2^\(log2) full scalars, 1 thread")
            report.seconds("\(key)_full_2t_s", full2, "MSM 2^\(log2) full scalars, 2 threads")
            report.seconds("\(key)_s16_2t_s", t16, "MSM 2^\(log2) 16-bit scalars, 2 threads")
            report.seconds("\(key)_s32_2t_s", t32, "MSM 2^\(log2) 32-bit scalars, 2 threads")
            report.seconds("\(key)_s32mix4_2t_s", tMixed, "MSM 2^\(log2) 32-bit + 4 full scalars, 2 threads")
            report.ratio("\(key)_speedup_2t", full1 / full2, "MSM 2^\(log2) full: speed-up 2 vs 1 thread")
            report.ratio("\(key)_full_over_s16", full2 / t16, "MSM 2^\(log2): full / 16-bit")
            report.ratio("\(key)_full_over_s32", full2 / t32, "MSM 2^\(log2): full / 32-bit")
            report.ratio("\(key)_full_over_s32mix4", full2 / tMixed, "MSM 2^\(log2): full / (32-bit + 4 full)")
        }
        report.emit(json: invocation.wantsJSON)
    }
}

/// Benchmark inputs: deterministic, cheap to make.
enum BenchData {
    /// n distinct G1 points: a random start plus multiples of a random step, converted with one inversion.
    static func points(_ n: Int) -> [G1Affine] {
        var rng = BenchRandom(seed: 77)
        var current = G1Projective.generator * rng.fr()
        let step = G1Projective.generator * rng.fr()
        var projective = [G1Projective]()
        projective.reserveCapacity(n)
        for _ in 0..<n {
            projective.append(current)
            current = current + step
        }
        return G1Projective.batchToAffine(projective)
    }
}

/// SplitMix64, seeded: the same inputs on every run.
struct BenchRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func fr() -> Fr { Fr(reducing: (next(), next(), next(), next() >> 2)) }
}
