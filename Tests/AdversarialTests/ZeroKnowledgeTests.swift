import FieldArithmetic
import Foundation
import Parallelism
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// Zero knowledge (protocol.md §12, §7 "chunk blinding", §17 "what stays hidden"): two different private
/// witnesses with the same public values give proofs whose every element — each commitment, each opened
/// evaluation at ζ and ωζ, each opening proof — has the same distribution.
///
/// Witnesses: `AdversarialModels.hiddenHalf` compiled with a private input (2^8 rows). Inputs A and B agree
/// on x₀…x₃ and differ on x₄…x₇, which only reach fc1 rows that are always negative and so are zeroed by the
/// Relu: the public output is the same, while the input lanes, fc1's quotients, remainders and sign limbs
/// differ.
///
/// Statistic: for each of the K items of the proof body, N = 80 proofs of A and N of B, each item mapped to
/// u ∈ [0, 1) (a scalar v as v/r, a point by its x-coordinate over the base field's modulus, both from the top
/// 64 of their 254 bits), and the two-sample Kolmogorov–Smirnov statistic D = sup_u |F_A(u) − F_B(u)| of the
/// two empirical distributions. Under the null (same distribution), √(N/2)·D follows Kolmogorov's law
/// asymptotically; with Stephens' small-sample correction λ = (√(N/2) + 0.12 + 0.11/√(N/2))·D,
/// p ≈ 2 Σ_{k≥1} (−1)^{k−1}·exp(−2k²λ²). An item is flagged when p < 10⁻⁶/K (Bonferroni): the chance that
/// any of the K items of a hiding prover is flagged is below 10⁻⁶, so the test is not flaky, while a
/// systematic difference of D ≳ 0.5 (half the mass moved) is flagged.
///
/// The test can fail: the same statistic on a non-hiding prover — the seeded test prover with one constant
/// seed, so that the blinding is the same for every proof and a proof is a function of its witness — flags
/// (nearly) every item with N = 20 (D = 1 exceeds the threshold 0.96 there).
struct ZeroKnowledgeTests {
    static let familyWiseAlarm = 1e-6

    /// An item of the proof body mapped to [0, 1): top 64 of the 254 value bits over the modulus's.
    static func unit(_ item: ArraySlice<UInt8>, isPoint: Bool) -> Double {
        var bytes = Array(item)
        if isPoint { bytes[31] &= 0x3f }  // the compressed encoding's two flag bits
        func top64(_ b: [UInt8]) -> UInt64 {  // bits 190 … 253 of a 256-bit little-endian integer below 2^254
            var v: UInt128 = 0
            for i in stride(from: 31, through: 23, by: -1) { v = (v << 8) | UInt128(b[i]) }  // bits 184 … 255
            return UInt64(v >> 6)
        }
        let modulus = (isPoint ? Fq.modulus : Fr.modulus).littleEndianBytes(count: 32)!
        return Double(top64(bytes)) / Double(top64(modulus))
    }

    /// Two-sample Kolmogorov–Smirnov: D and its asymptotic p-value with Stephens' correction.
    static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> (d: Double, p: Double) {
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            let v = min(x[i], y[j])
            while i < x.count && x[i] == v { i += 1 }
            while j < y.count && y[j] == v { j += 1 }
            d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        let ne = Double(x.count * y.count) / Double(x.count + y.count)
        let lambda = (ne.squareRoot() + 0.12 + 0.11 / ne.squareRoot()) * d
        // Below λ ≈ 0.3 the series converges too slowly to sum, and p > 0.99 anyway.
        guard lambda > 0.3 else { return (d, 1) }
        var p = 0.0
        for k in 1...100 {
            let term = 2 * exp(-2 * Double(k * k) * lambda * lambda) * (k % 2 == 1 ? 1 : -1)
            p += term
            if abs(term) < 1e-12 { break }
        }
        return (d, min(max(p, 0), 1))
    }

    /// The KS test of every body item between the proofs of A and of B: the flagged items' names.
    static func flagged(_ proofsA: [ProofFile], _ proofsB: [ProofFile], points: [Bool]) -> (flagged: [Int], items: Int, largest: Double) {
        let items = proofsA[0].body.count / 32
        var flagged: [Int] = []
        var largest = 0.0
        for item in 0..<items {
            let isPoint = points[item]
            func sample(_ proofs: [ProofFile]) -> [Double] { proofs.map { unit($0.body[(32 * item)..<(32 * item + 32)], isPoint: isPoint) } }
            let (d, p) = kolmogorovSmirnov(sample(proofsA), sample(proofsB))
            largest = max(largest, d)
            if p < familyWiseAlarm / Double(items) { flagged.append(item) }
        }
        return (flagged, items, largest)
    }

    /// Which body items are points, in §14's order (`Proof.encoded`): advice, v_com, the other commitments, the
    /// evaluations, the two openings, then the weight opening's folds, evaluations and witnesses.
    static func pointItems(_ file: ProofFile, key: VerifyingKey) throws -> [Bool] {
        let p = try Proof.decode(file.body, for: key.circuit)
        var points = [Bool](repeating: true, count: p.advice.count)
        if p.committedValue != nil { points.append(false) }
        points += [Bool](repeating: true, count: p.multiplicities.count + p.permutation.count + p.runningSums.count + p.quotient.count)
        points += [Bool](repeating: false, count: p.evaluationsAtZeta.count + p.evaluationsAtOmegaZeta.count)
        points += [true, true]
        if let g = p.weightOpening {
            points += [Bool](repeating: true, count: g.folds.count)
            points += [Bool](repeating: false, count: g.atBeta.count + g.atMinusBeta.count)
            points += [Bool](repeating: true, count: g.witnesses.count)
        }
        return points
    }

    /// `count` results of `body`, one proof per task over the worker threads (each proof then runs on one thread).
    static func concurrently<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
        var results = [Result<T, Error>?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { slots in
            Parallel.forEach(tasks: count) { k in slots[k] = Result { try body(k) } }
        }
        return try results.map { try $0!.get() }
    }

    /// Protocol.md §12 and §7 (chunk blinding): the statistic of the suite comment, and its sanity check.
    @Test func proofsOfTwoWitnessesWithTheSamePublicValuesAreIndistinguishable() throws {
        let clock = ContinuousClock()
        let start = clock.now
        var rng = SeededRandomReals(seed: 43)
        let inputA = rng.inputs(8, scale: 16)
        var inputB = inputA
        for i in 4..<8 { inputB[i] = rng.inputs(1, scale: 16)[0] }
        let a = try ProvedModel(graph: AdversarialModels.hiddenHalf(), name: "adversarial hidden half", input: [inputA],
                                options: CompileOptions(publicInput: false, limbBits: 7))
        let b = try a.with(input: [inputB])
        #expect(a.compiled.layout.log2Rows == 8 && a.compiled.plan.publicInputCount == 0)

        // Same statement, different witnesses.
        let (witnessA, witnessB) = (try a.honest(), try b.honest())
        #expect(witnessA.instance == witnessB.instance)
        let differing = zip(witnessA.advice, witnessB.advice).reduce(0) { n, columns in n + zip(columns.0, columns.1).filter { $0 != $1 }.count }
        #expect(differing >= 20, "\(differing) advice cells differ")

        let n = 80
        // Both witnesses satisfy the circuit (checked once); the proofs then skip the checker (OpenSSL blinding).
        #expect(try a.failures(witnessA).isEmpty && b.failures(witnessB).isEmpty)
        let proofs = try Self.concurrently(2 * n) { k in try (k < n ? a : b).proveCheat(k < n ? witnessA : witnessB) }
        let (proofsA, proofsB) = (Array(proofs[..<n]), Array(proofs[n...]))
        for proof in [proofsA[0], proofsB[0], proofsA[n - 1], proofsB[n - 1]] { try a.verify(proof) }
        #expect(proofsA[0].publicValues == proofsB[0].publicValues)
        let points = try Self.pointItems(proofsA[0], key: a.vk)
        #expect(points.count * 32 == proofsA[0].body.count)
        let hiding = Self.flagged(proofsA, proofsB, points: points)
        #expect(hiding.flagged.isEmpty, "items \(hiding.flagged) of \(hiding.items) distinguish the witnesses")

        // The same statistic on a prover whose blinding is one constant stream (not hiding): flagged.
        let seeded = 20
        let fixedA = try (0..<seeded).map { _ in
            try PlonkProver.proveSeeded(key: a.key, circuit: a.circuit, assignment: witnessA, seed: 7, witness: a.phase2)
        }
        let fixedB = try (0..<seeded).map { _ in
            try PlonkProver.proveSeeded(key: b.key, circuit: b.circuit, assignment: witnessB, seed: 7, witness: b.phase2)
        }
        #expect(Set(fixedA.map(\.body)).count == 1 && Set(fixedB.map(\.body)).count == 1, "one proof per witness")
        let leaking = Self.flagged(fixedA, fixedB, points: points)
        let differentItems = (0..<leaking.items).filter { fixedA[0].body[(32 * $0)..<(32 * $0 + 32)] != fixedB[0].body[(32 * $0)..<(32 * $0 + 32)] }
        #expect(leaking.flagged == differentItems && differentItems.count > leaking.items / 2)
        print("zero knowledge: \(hiding.items) items, largest D \(hiding.largest) over \(2 * n) hiding proofs; \(leaking.flagged.count) items flagged for the constant-blinding prover; \(clock.now - start)")
    }
}
