import BN254
import CommandLineSupport
import FieldArithmetic
import KZG
import MSM
import MultilinearKZG
import Parallelism
import Transcript

/// `zkbench linear`: the microbenchmarks behind the committed-weight linear argument's design
/// (docs/protocol.md §19): the Gemini opening of the combined weight polynomial (prover and verifier), the
/// commitment of the prover's fold vector u (full-size scalars, one per activation), the verifier's MSM over
/// the key's weight-block commitments, and the structured computation of u for a convolution (work per
/// parameter + activation·tap, never per MAC) against the naive per-MAC fold the key-folded design needs.
enum LinearArgumentBenchmark {
    static let command = Command(
        name: "linear", summary: "microbenchmarks of the committed-weight linear argument (Gemini, u, blocks, conv fold)",
        options: [.flag("quick", "smaller sizes (2^12 Gemini, small conv)")]
    ) { invocation in
        let quick = invocation.flag("quick")
        var report = FigureReport()
        var rng = BenchRandom(seed: 2026)
        let maxLog2 = quick ? 12 : 18
        var srs: SRS?
        let setup = BenchTiming.best(repeats: 1) { srs = try! SRS.insecureDevelopment(log2Size: maxLog2) }
        report.seconds("srs_dev_setup_2^\(maxLog2)_s", setup, "dev SRS 2^\(maxLog2)")
        let powers = srs!.powersG1

        // Gemini: prove and verify one evaluation of a dense 2^ℓ polynomial (full-size coefficients, as the
        // combined weight polynomial Σ c_b·K_b has).
        for ell in stride(from: quick ? 10 : 12, through: maxLog2, by: 2) {
            let a = (0..<(1 << ell)).map { _ in rng.fr() }
            let point = (0..<ell).map { _ in rng.fr() }
            let c = msm(points: Array(powers[0..<(1 << ell)]), scalars: a).toAffine()
            var proof: Gemini.Proof?
            var value = Fr.zero
            let prove = BenchTiming.best(repeats: ell >= 16 ? 1 : 2) {
                var t = Transcript()
                (proof, value) = powers.withUnsafeBufferPointer { Gemini.prove(coefficients: a, point: point, powers: $0, transcript: &t) }
            }
            var ok = false
            let verify = BenchTiming.best(repeats: 5) {
                var t = Transcript()
                let terms = try! Gemini.verify(commitment: c, point: point, value: value, proof: proof!, transcript: &t)
                ok = terms.holds(generator: powers[0], g2: srs!.g2, tauG2: srs!.tauG2)
            }
            guard ok else { throw CommandFailure.rejected("Gemini proof for 2^\(ell) did not verify") }
            report.seconds("gemini_prove_2^\(ell)_s", prove, "Gemini prove, 2^\(ell) coefficients")
            report.seconds("gemini_verify_2^\(ell)_s", verify, "Gemini verify alone (with its own 2-pairing check), 2^\(ell)")
            report.value("gemini_proof_bytes_2^\(ell)", .int(Gemini.Proof.byteCount(variables: ell)))
        }

        // u: one full-size scalar per activation, committed in Lagrange form (an MSM over the Lagrange basis).
        let uLog2 = quick ? 12 : 16
        let u = (0..<(1 << uLog2)).map { _ in rng.fr() }
        let limbs = (0..<(1 << uLog2)).map { _ in Fr(UInt64(rng.next() & 0xff)) }
        let lagrange = try srs!.truncated(toLog2Size: uLog2).lagrangeG1
        let fullTime = BenchTiming.best(repeats: 2) { _ = msm(points: lagrange, scalars: u) }
        let limbTime = BenchTiming.best(repeats: 2) { _ = msm(points: lagrange, scalars: limbs) }
        report.seconds("commit_u_full_2^\(uLog2)_s", fullTime, "commit a 2^\(uLog2) column of full-size u values")
        report.seconds("commit_limbs_8bit_2^\(uLog2)_s", limbTime, "commit a 2^\(uLog2) column of 8-bit limbs (for scale)")

        // The verifier's MSM over B weight-block commitments with full-size coefficients c_b(ρ, s).
        for blocks in [16, 64, 256, 512] {
            let pts = Array(powers.prefix(blocks))
            let scalars = (0..<blocks).map { _ in rng.fr() }
            let t = BenchTiming.best(repeats: 5) { _ = Parallel.withThreadCount(1) { msm(points: pts, scalars: scalars) } }
            report.seconds("verifier_block_msm_\(blocks)_1t_s", t, "verifier MSM over \(blocks) block commitments (1 thread)")
        }

        // u = ρᵀW for a conv (C_in → C_out, k×k, H×W, stride 1, pad k/2, NHWC): structured (per parameter,
        // then per input activation and tap) against the per-MAC fold.
        let (cIn, cOut, k, h, w) = quick ? (8, 8, 3, 8, 8) : (64, 64, 3, 32, 32)
        let kernel = (0..<(cOut * cIn * k * k)).map { _ in Fr(UInt64(rng.next() & 0xffff)) }
        let rho = rng.fr()
        var structured = [Fr](repeating: .zero, count: h * w * cIn)
        let structuredTime = BenchTiming.best(repeats: 2) {
            structured = ConvFold.structured(kernel: kernel, cIn: cIn, cOut: cOut, k: k, h: h, w: w, rho: rho)
        }
        var naive = [Fr](repeating: .zero, count: h * w * cIn)
        let naiveTime = BenchTiming.best(repeats: 1) {
            naive = ConvFold.perMAC(kernel: kernel, cIn: cIn, cOut: cOut, k: k, h: h, w: w, rho: rho)
        }
        guard structured == naive else { throw CommandFailure.rejected("structured conv fold differs from the per-MAC fold") }
        report.seconds("conv_fold_structured_s", structuredTime, "u = ρᵀW, conv \(cIn)→\(cOut) \(k)×\(k) on \(h)×\(w): structured")
        report.seconds("conv_fold_per_mac_s", naiveTime, "u = ρᵀW, the same conv: one field multiply-add per MAC")
        report.ratio("conv_fold_speedup", naiveTime / structuredTime, "structured over per-MAC")
        report.emit(json: invocation.wantsJSON)
    }
}

/// ρᵀW for a stride-1, same-padded convolution in NHWC order: output element (y, x, o) has index
/// (y·W + x)·C_out + o and weight ρ^index; input element (y', x', c) receives Σ over taps and o.
enum ConvFold {
    static func structured(kernel: [Fr], cIn: Int, cOut: Int, k: Int, h: Int, w: Int, rho: Fr) -> [Fr] {
        // Per parameter: K'[tap][c] = Σ_o ρ^o·K[o][c][tap].
        var rhoPowers = [Fr](repeating: .one, count: cOut)
        for o in 1..<cOut { rhoPowers[o] = rhoPowers[o - 1] * rho }
        let taps = k * k
        var folded = [Fr](repeating: .zero, count: taps * cIn)
        for o in 0..<cOut {
            let p = rhoPowers[o]
            for c in 0..<cIn {
                for t in 0..<taps { folded[t * cIn + c] += p * kernel[((o * cIn) + c) * taps + t] }
            }
        }
        // Per activation and tap: the output position's weight ρ^(C_out·pos) times K'.
        let step = rho.power(UInt64(cOut))
        var positionPowers = [Fr](repeating: .one, count: h * w)
        for p in 1..<(h * w) { positionPowers[p] = positionPowers[p - 1] * step }
        var u = [Fr](repeating: .zero, count: h * w * cIn)
        let pad = k / 2
        for y in 0..<h {
            for x in 0..<w {
                let weight = positionPowers[y * w + x]
                for ky in 0..<k {
                    let iy = y + ky - pad
                    if iy < 0 || iy >= h { continue }
                    for kx in 0..<k {
                        let ix = x + kx - pad
                        if ix < 0 || ix >= w { continue }
                        let base = (iy * w + ix) * cIn, tap = (ky * k + kx) * cIn
                        for c in 0..<cIn { u[base + c] += weight * folded[tap + c] }
                    }
                }
            }
        }
        return u
    }

    static func perMAC(kernel: [Fr], cIn: Int, cOut: Int, k: Int, h: Int, w: Int, rho: Fr) -> [Fr] {
        var u = [Fr](repeating: .zero, count: h * w * cIn)
        let pad = k / 2
        var power = Fr.one
        for y in 0..<h {
            for x in 0..<w {
                for o in 0..<cOut {
                    for ky in 0..<k {
                        let iy = y + ky - pad
                        if iy < 0 || iy >= h { continue }
                        for kx in 0..<k {
                            let ix = x + kx - pad
                            if ix < 0 || ix >= w { continue }
                            let base = (iy * w + ix) * cIn, tap = (ky * k + kx)
                            for c in 0..<cIn { u[base + c] += power * kernel[((o * cIn) + c) * k * k + tap] }
                        }
                    }
                    power *= rho
                }
            }
        }
        return u
    }
}
