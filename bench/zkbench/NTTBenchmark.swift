import CommandLineSupport
import FieldArithmetic
import Parallelism
import Polynomials

/// `zkbench ntt`: forward NTT of 2^13, 2^16, 2^18, 2^20 random coefficients on 1 and 2 threads, and on one
/// thread with the scalar butterflies only when the CPU has AVX-512 IFMA.
enum NTTBenchmark {
    static let command = Command(
        name: "ntt", summary: "NTT 2^13 … 2^20 on 1 and 2 threads, IFMA vs scalar butterflies",
        options: [.flag("quick", "2^13 and 2^16 only, one repetition")]
    ) { invocation in
        let quick = invocation.flag("quick")
        var report = FigureReport()
        for log2 in quick ? [13, 16] : [13, 16, 18, 20] {
            let domain = try EvaluationDomain(log2Size: log2)
            var generator = Fr(0x1234_5678)
            var data = (0..<domain.size).map { _ -> Fr in
                generator = generator * generator + Fr(7)
                return generator
            }
            // One untimed transform first: a domain makes its IFMA twiddle table on first use.
            _ = try domain.ntt(data)
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
            if EvaluationDomain.ifmaEnabled {
                // The same transform with the scalar butterflies only, for the side-by-side ratio.
                EvaluationDomain.ifmaEnabled = false
                let scalar = Parallel.withThreadCount(1) {
                    data.withUnsafeMutableBufferPointer { buffer in
                        BenchTiming.best(repeats: quick ? 1 : 3) { domain.nttInPlace(buffer) }
                    }
                }
                EvaluationDomain.ifmaEnabled = true
                report.seconds("ntt_2^\(log2)_1t_scalar_s", scalar, "NTT 2^\(log2), 1 thread, scalar butterflies only")
                report.ratio("ntt_2^\(log2)_ifma_speedup", scalar / times[1]!, "NTT 2^\(log2) IFMA speed-up (1 thread)")
            }
        }
        report.emit(json: invocation.wantsJSON)
    }
}
