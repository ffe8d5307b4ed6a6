import BN254
import CommandLineSupport
import FieldArithmetic
import MSM
import Parallelism
import Polynomials

/// `zkbench small`: per-call cost of the kernels at the shared models' sizes (2^9 rows, 2^11 coset):
/// one MSM of 2^9 full-size and 16-bit scalars, NTTs of 2^9 and coset NTTs of 2^11, on 1 and 2 threads.
/// The prover makes a few dozen of each per proof, so their fixed overheads matter as much as their
/// asymptotic cost.
enum SmallKernelBenchmark {
    static let command = Command(
        name: "small", summary: "per-call MSM 2^9 and NTT 2^9 / coset 2^11 at the prover's sizes; 1 and 2 threads",
        options: [.value("log2", "k", "rows 2^k (default 9)")]
    ) { invocation in
        let log2 = Int(invocation.value("log2") ?? "9") ?? 9
        var report = FigureReport()
        var rng = BenchRandom(seed: 99)
        let n = 1 << log2
        let points = BenchData.points(n)
        let full = (0..<n).map { _ in rng.fr() }
        let s16 = (0..<n).map { _ in Fr(signed: Int64(Int16(truncatingIfNeeded: rng.next()))) }
        let domain = try! EvaluationDomain(log2Size: log2)
        let extended = try! EvaluationDomain(log2Size: log2 + 2)
        let coefficients = (0..<n).map { _ in rng.fr() }
        for threads in [1, 2] {
            Parallel.withThreadCount(threads) {
                report.value("threads_\(threads)", .int(Parallel.availableThreads))
                let tFull = BenchTiming.best(repeats: 20) { _ = msm(points: points, scalars: full) }
                let t16 = BenchTiming.best(repeats: 20) { _ = msm(points: points, scalars: s16) }
                let tNTT = BenchTiming.best(repeats: 50) { _ = try! domain.inverseNTT(coefficients) }
                let tCoset = BenchTiming.best(repeats: 50) { _ = try! extended.cosetNTT(coefficients) }
                report.seconds("msm_2^\(log2)_full_\(threads)t_s", tFull, "MSM 2^\(log2) full scalars, \(threads) thread(s)")
                report.seconds("msm_2^\(log2)_s16_\(threads)t_s", t16, "MSM 2^\(log2) 16-bit scalars, \(threads) thread(s)")
                report.seconds("intt_2^\(log2)_\(threads)t_s", tNTT, "inverse NTT 2^\(log2), \(threads) thread(s)")
                report.seconds("coset_ntt_2^\(log2 + 2)_\(threads)t_s", tCoset, "coset NTT 2^\(log2 + 2), \(threads) thread(s)")
            }
        }
        report.emit(json: invocation.wantsJSON)
    }
}
