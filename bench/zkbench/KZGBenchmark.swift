import BN254
import CommandLineSupport
import Foundation
import FieldArithmetic
import KZG
import MSM
import Parallelism
import Polynomials

/// `zkbench kzg`: KZG commitment of a 2^18 polynomial (coefficients with full-size values; evaluations
/// with 32-bit witness-like values), one opening and its verification, on a dev SRS made in-process.
enum KZGBenchmark {
    static let command = Command(
        name: "kzg", summary: "KZG commit/open/verify of a 2^18 polynomial",
        options: [.flag("quick", "2^14 instead of 2^18")]
    ) { invocation in
        let log2 = invocation.flag("quick") ? 14 : 18
        var report = FigureReport()
        var rng = BenchRandom(seed: 99)
        var srs: SRS?
        let setup = BenchTiming.best(repeats: 1) { srs = try! SRS.insecureDevelopment(log2Size: log2) }
        report.seconds("srs_dev_setup_2^\(log2)_s", setup, "dev SRS setup 2^\(log2) (both bases)")
        let key = srs!.verifierKey
        let p = Polynomial(coefficients: (0..<(1 << log2)).map { _ in rng.fr() })
        let commitTime = BenchTiming.best(repeats: 2) { _ = try! KZG.commit(p, srs: srs!) }
        report.seconds("kzg_commit_2^\(log2)_s", commitTime, "KZG commit 2^\(log2), coefficients (full-size)")
        let direct = BenchTiming.best(repeats: 2) { _ = msm(points: srs!.powersG1, scalars: p.coefficients) }
        report.seconds("kzg_commit_msm_only_2^\(log2)_s", direct, "the same MSM called directly")
        let domain = try EvaluationDomain(log2Size: log2)
        let witness = try Evaluations(
            values: (0..<(1 << log2)).map { _ in Fr(signed: Int64(Int32(truncatingIfNeeded: rng.next()))) }, domain: domain)
        let lagrangeTime = BenchTiming.best(repeats: 2) { _ = try! KZG.commit(witness, srs: srs!) }
        report.seconds("kzg_commit_lagrange_s32_2^\(log2)_s", lagrangeTime, "KZG commit 2^\(log2), evaluations (32-bit values)")
        let z = rng.fr()
        var opening: (value: Fr, proof: G1Affine)?
        let openTime = BenchTiming.best(repeats: 2) { opening = try! KZG.open(p, at: z, srs: srs!) }
        report.seconds("kzg_open_2^\(log2)_s", openTime, "KZG open 2^\(log2)")
        let c = try KZG.commit(p, srs: srs!)
        var ok = false
        let verifyTime = BenchTiming.best(repeats: 3) {
            ok = KZG.verify(commitment: c, point: z, value: opening!.value, proof: opening!.proof, key: key)
        }
        guard ok else { throw CommandFailure.rejected("benchmark opening did not verify") }
        report.seconds("kzg_verify_s", verifyTime, "KZG verify (2-pairing product)")
        report.emit(json: invocation.wantsJSON)
    }
}

/// `zkbench srs`: writing and loading (hash, decode with all checks) a 2^20 SRS file.
enum SRSBenchmark {
    static let command = Command(
        name: "srs", summary: "SRS file write and load time for 2^20 (dev SRS, file under bench/results/tmp)",
        options: [.flag("quick", "2^14 instead of 2^20")]
    ) { invocation in
        let log2 = invocation.flag("quick") ? 14 : 20
        var report = FigureReport()
        let path = "bench/results/tmp/bench-dev-k\(log2).srs"
        try? FileManager.default.createDirectory(atPath: "bench/results/tmp", withIntermediateDirectories: true)
        if (try? SRSFile.readHeader(path: path)) == nil {
            var srs: SRS?
            let setup = BenchTiming.best(repeats: 1) { srs = try! SRS.insecureDevelopment(log2Size: log2) }
            report.seconds("srs_dev_setup_2^\(log2)_s", setup, "dev SRS setup 2^\(log2)")
            let write = BenchTiming.best(repeats: 1) { try! SRSFile.write(srs!, to: path) }
            report.seconds("srs_write_2^\(log2)_s", write, "SRS write 2^\(log2)")
        }
        var loaded: SRS?
        let load = BenchTiming.best(repeats: 2) { loaded = try! SRSFile.load(path: path) }
        report.seconds("srs_load_2^\(log2)_s", load, "SRS load 2^\(log2) (hash + decode with checks)")
        report.value("srs_load_points", .int(2 * loaded!.size))
        report.emit(json: invocation.wantsJSON)
    }
}
