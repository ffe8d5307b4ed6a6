import CommandLineSupport
import ConstraintSystem
import FieldArithmetic
import KZG
import Parallelism
import PlonkProver
import PlonkVerifier
#if canImport(Glibc)
import Glibc
#endif

/// `zkbench plonk`: keygen, prove (with the prover's time split), verify on one core and proof size for a
/// synthetic circuit of 2^10 … 2^16 rows (8 advice columns of small integers, 2 gates, copies on 2
/// columns, one range lookup); then batch verification of 100 proofs, same key and mixed keys.
enum PlonkBenchmark {
    static let command = Command(
        name: "plonk", summary: "prove/verify times, prover split, proof size, batch verification",
        options: [
            .flag("quick", "2^10 and 2^12 only, batches of 20"),
            .value("max-log2", "K", "largest circuit size (default 16)"),
        ]
    ) { invocation in
        let quick = invocation.flag("quick")
        let maxLog2 = try invocation.integer("max-log2", default: quick ? 12 : 16, in: 10...20)
        var report = FigureReport()
        for k in stride(from: 10, through: maxLog2, by: quick ? 2 : 1) {
            try sizeFigures(k, into: &report)
        }
        try batchFigures(count: quick ? 20 : 100, into: &report)
        report.value("peak_rss_mb", .double(BenchTiming.round(peakResidentMegabytes(), 1)))
        report.lines.append("peak resident memory: \(BenchTiming.round(peakResidentMegabytes(), 1)) MB")
        report.emit(json: invocation.wantsJSON)
    }

    static func sizeFigures(_ k: Int, into report: inout FigureReport) throws {
        let synthetic = try SyntheticCircuit(log2Rows: k, variant: 0)
        let srs = try SRS.insecureDevelopment(log2Size: k)
        var key: ProvingKey! = nil
        let keygen = BenchTiming.best(repeats: 1) { key = try! KeyGeneration.generate(circuit: synthetic.circuit, srs: srs) }
        var file: ProofFile! = nil
        var timings = ProverTimings()
        let proveRepeats = k <= 12 ? 3 : 1
        let prove = BenchTiming.best(repeats: proveRepeats) {
            let t = ProverTimings()
            file = try! PlonkProver.prove(key: key, circuit: synthetic.circuit, assignment: synthetic.assignment, timings: t)
            timings = t
        }
        let vk = key.verifyingKey
        let verify = Parallel.withThreadCount(1) {
            BenchTiming.best(repeats: 20) { try! PlonkVerifier.verify(key: vk, proof: file) }
        }
        let p = "plonk_2^\(k)"
        report.seconds("\(p)_keygen_s", keygen, "2^\(k) rows: keygen")
        report.seconds("\(p)_prove_s", prove, "2^\(k) rows: prove (\(Parallel.threadCount) threads)")
        report.seconds("\(p)_verify_1t_s", verify, "2^\(k) rows: verify, 1 thread")
        report.value("\(p)_proof_body_bytes", .int(file.body.count))
        report.lines.append("2^\(k) rows: proof body \(file.body.count) bytes (file \(file.encoded.count) bytes)")
        var split: [(String, JSONValue)] = []
        let total = timings.total
        for category in ProverTimings.categories {
            let s = timings.seconds[category] ?? 0
            split.append((category, .double(BenchTiming.round(s, 6))))
        }
        report.value("\(p)_prove_split_s", .object(split))
        let msmNtt = (timings.seconds["adviceMSM"] ?? 0) + (timings.seconds["otherMSM"] ?? 0) + (timings.seconds["ntt"] ?? 0)
        report.ratio("\(p)_prove_msm_ntt_share", msmNtt / max(total, 1e-12), "2^\(k) rows: share of prover time in MSM + NTT")
        report.lines.append(
            "2^\(k) rows: split " + ProverTimings.categories.map { "\($0) \(formatSeconds(timings.seconds[$0] ?? 0))" }.joined(separator: ", "))
    }

    /// 100 proofs: one by one vs one batch, under one key and under 4 keys (2 circuits × 2 SRSs).
    static func batchFigures(count: Int, into report: inout FigureReport) throws {
        let k = 10
        let srsA = try SRS.insecureDevelopment(log2Size: k)
        let srsB = try SRS.insecureDevelopment(log2Size: k)
        let circuits = try [SyntheticCircuit(log2Rows: k, variant: 0), SyntheticCircuit(log2Rows: k, variant: 1)]
        let keys = try [
            KeyGeneration.generate(circuit: circuits[0].circuit, srs: srsA),
            KeyGeneration.generate(circuit: circuits[1].circuit, srs: srsA),
            KeyGeneration.generate(circuit: circuits[0].circuit, srs: srsB),
            KeyGeneration.generate(circuit: circuits[1].circuit, srs: srsB),
        ]
        func items(keyIndices: (Int) -> Int) throws -> [PlonkVerifier.BatchItem] {
            try (0..<count).map { i in
                let key = keys[keyIndices(i)]
                let circuit = circuits[keyIndices(i) % 2]
                let file = try PlonkProver.prove(key: key, circuit: circuit.circuit, assignment: circuit.assignment)
                return .init(key: key.verifyingKey, proof: file)
            }
        }
        for (name, batch) in [("same_key", try items { _ in 0 }), ("mixed_4keys_2srs", try items { $0 % 4 })] {
            let (single, batched) = Parallel.withThreadCount(1) {
                let single = BenchTiming.best(repeats: 2) {
                    for item in batch { try! PlonkVerifier.verify(key: item.key, proof: item.proof) }
                }
                let batched = BenchTiming.best(repeats: 3) {
                    let result = try! PlonkVerifier.batchVerify(batch)
                    precondition(result.allValid, "benchmark batch must verify")
                }
                return (single, batched)
            }
            let decodeOnly = Parallel.withThreadCount(1) {
                BenchTiming.best(repeats: 3) {
                    for item in batch { _ = try! Proof.decode(item.proof.body, for: item.key.circuit) }
                }
            }
            report.seconds("plonk_batch\(count)_\(name)_decode_per_proof_s", decodeOnly / Double(count), "batch of \(count) (\(name)): proof body decoding alone, per proof")
            let p = "plonk_batch\(count)_\(name)"
            report.seconds("\(p)_one_by_one_per_proof_s", single / Double(count), "batch of \(count) (\(name)): one by one, per proof, 1 thread")
            report.seconds("\(p)_batched_per_proof_s", batched / Double(count), "batch of \(count) (\(name)): batched, per proof, 1 thread")
            report.ratio("\(p)_speedup", single / batched, "batch of \(count) (\(name)): speed-up, both on 1 thread")
            let parallel = BenchTiming.best(repeats: 3) { _ = try! PlonkVerifier.batchVerify(batch) }
            report.seconds("\(p)_batched_\(Parallel.threadCount)t_per_proof_s", parallel / Double(count), "batch of \(count) (\(name)): batched on \(Parallel.threadCount) threads, per proof")
            report.ratio("\(p)_speedup_\(Parallel.threadCount)t", single / parallel, "batch of \(count) (\(name)): speed-up of the \(Parallel.threadCount)-thread batch over 1-thread one by one")
        }
    }

    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

/// 2^k rows: a0·a1 + a2 = a3 ("mad"), a6' = a4 + a5 ("lin", next row), a5[r+1] = a4[r] (copies), a7 in
/// 0…255 (lookup). All witness values are below 2^16, like a quantized network's activations.
/// `variant` 1 disables "lin" on odd rows (another circuit, same shape).
struct SyntheticCircuit {
    let circuit: Circuit
    let assignment: Assignment

    init(log2Rows k: Int, variant: Int) throws {
        var cs = ConstraintSystemBuilder()
        let a = (0..<8).map { cs.adviceColumn("a\($0)") }
        let q = cs.fixedColumn("q_mad"), q2 = cs.fixedColumn("q_lin"), qr = cs.fixedColumn("q_range")
        let table = cs.fixedColumn("range_table")
        cs.addGate(name: "mad", selector: q, constraints: [a[0].cur * a[1].cur + a[2].cur - a[3].cur])
        cs.addGate(name: "lin", selector: q2, constraints: [a[4].cur + a[5].cur - a[6].next])
        cs.addLookup(LookupArgument(name: "range8", selector: qr, inputs: [a[7].cur], table: [table]))
        let u = (1 << k) - Circuit.reservedRows
        for i in 0..<256 { cs.setFixed(table, row: i, Int64(i)) }
        cs.enable(q, rows: 0..<u)
        cs.enable(qr, rows: 0..<u)
        for r in 0..<(u - 1) where variant == 0 || r % 2 == 0 { cs.enable(q2, row: r) }
        for r in 0..<(u - 1) { cs.copy(a[4].at(r), a[5].at(r + 1)) }
        circuit = try cs.build(log2Rows: k)
        var w = Assignment(circuit: circuit)
        var rng = BenchRandom(seed: UInt64(k * 10 + variant))
        var values = [[Int64]](repeating: [Int64](repeating: 0, count: u), count: 8)
        for r in 0..<u {
            values[0][r] = Int64(rng.next() % 16)
            values[1][r] = Int64(rng.next() % 16)
            values[2][r] = Int64(rng.next() % 256)
            values[3][r] = values[0][r] * values[1][r] + values[2][r]
            values[4][r] = Int64(rng.next() % 256)
            values[5][r] = r == 0 ? Int64(rng.next() % 256) : values[4][r - 1]
            values[7][r] = Int64(rng.next() % 256)
        }
        for r in 0..<(u - 1) { values[6][r + 1] = values[4][r] + values[5][r] }
        for (c, column) in values.enumerated() {
            for (r, v) in column.enumerated() { try w.set(a[c], row: r, v) }
        }
        assignment = w
    }
}
