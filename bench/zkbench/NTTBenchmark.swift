import CommandLineSupport
import FieldArithmetic
import Parallelism
import Polynomials

/// `zkbench ntt`: forward NTT of 2^16, 2^18, 2^20 random coefficients on 1 and 2 threads.
enum NTTBenchmark {
    static let command = Command(
        name: "ntt", summary: "NTT 2^16, 2^18, 2^20 on 1 and 2 threads",
        options: [.flag("quick", "2^16 only, one repetition")]
    ) { invocation in
        let quick = invocation.flag("quick")
        var report = FigureReport()
        for log2 in quick ? [16] : [16, 18, 20] {
            let domain = try EvaluationDomain(log2Size: log2)
            var generator = Fr(0x1234_5678)
            var data = (0..<domain.size).map { _ -> Fr in
                generator = generator * generator + Fr(7)
                return generator
            }
            var times: [Int: Double] = [:]
            for threads in [1, 2] {
                times[threads] = Parallel.withThreadCount(threads) {
                    data.withUnsafeMutableBufferPointer { buffer in
                        BenchTiming.best(repeats: quick ? 1 : 3) { domain.nttInPlace(buffer) }
                    }
                }
                report.seconds("ntt_2^\(log2)_\(threads)t_s", times[threads]!, "NTT 2^\(log2), \(threads) thread(s)")
            }
            report.ratio("ntt_2^\(log2)_speedup_2t", times[1]! / times[2]!, "NTT 2^\(log2) speed-up 2 vs 1 thread")
        }
        report.emit(json: invocation.wantsJSON)
    }
}
