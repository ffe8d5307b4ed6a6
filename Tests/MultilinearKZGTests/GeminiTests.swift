import BN254
import FieldArithmetic
import KZG
import MSM
@testable import MultilinearKZG
import Testing
import TestSupport
import Transcript

/// One small development SRS (2^8 points) for every test here.
let srs: SRS = try! SRS.insecureDevelopment(log2Size: 8)

func commit(_ a: [Fr]) -> G1Affine {
    srs.powersG1.withUnsafeBufferPointer { p in
        a.withUnsafeBufferPointer { msm(points: UnsafeBufferPointer(rebasing: p[0..<a.count]), scalars: $0) }
    }.toAffine()
}

func prove(_ a: [Fr], _ point: [Fr]) -> (Gemini.Proof, Fr) {
    var t = Transcript()
    t.absorb("test", [1])
    return srs.powersG1.withUnsafeBufferPointer { Gemini.prove(coefficients: a, point: point, powers: $0, transcript: &t) }
}

func accepts(_ c: G1Affine, _ point: [Fr], _ value: Fr, _ proof: Gemini.Proof) -> Bool {
    var t = Transcript()
    t.absorb("test", [1])
    guard let terms = try? Gemini.verify(commitment: c, point: point, value: value, proof: proof, transcript: &t) else {
        return false
    }
    return terms.holds(generator: srs.powersG1[0], g2: srs.g2, tauG2: srs.tauG2)
}

@Suite struct GeminiTests {
    /// The monomial multilinear value by its definition, Σ_k a_k Π_t r_t^(bit t of k), term by term.
    static func definition(_ a: [Fr], _ r: [Fr]) -> Fr {
        var sum = Fr.zero
        for (k, x) in a.enumerated() {
            var term = x
            for (t, rt) in r.enumerated() where (k >> t) & 1 == 1 { term *= rt }
            sum += term
        }
        return sum
    }

    @Test func foldingEvaluatesTheDefinitionAndPowerPointsGiveTheUnivariate() {
        var rng = SeededRandom(seed: 7)
        for ell in 0...6 {
            let a = rng.frs(1 << ell), r = rng.frs(ell)
            #expect(MonomialMultilinear.evaluate(a, at: r) == Self.definition(a, r))
            let x = rng.fr()
            var univariate = Fr.zero
            for c in a.reversed() { univariate = univariate * x + c }
            #expect(MonomialMultilinear.evaluate(a, at: MonomialMultilinear.powerPoint(x, count: ell)) == univariate)
        }
    }

    @Test func honestProofsVerifyForEverySize() {
        var rng = SeededRandom(seed: 11)
        for ell in 1...8 {
            let a = rng.frs(1 << ell), r = rng.frs(ell)
            let (proof, value) = prove(a, r)
            #expect(value == Self.definition(a, r))
            #expect(proof.folds.count == ell - 1 && proof.atBeta.count == ell)
            #expect(accepts(commit(a), r, value, proof), "ℓ = \(ell)")
        }
    }

    @Test func aWrongValueCommitmentOrPointIsRejected() {
        var rng = SeededRandom(seed: 12)
        let ell = 6
        let a = rng.frs(1 << ell), r = rng.frs(ell)
        let (proof, value) = prove(a, r)
        let c = commit(a)
        #expect(accepts(c, r, value, proof))
        #expect(!accepts(c, r, value + .one, proof), "wrong value")
        var otherPoint = r
        otherPoint[3] += .one
        #expect(!accepts(c, otherPoint, value, proof), "wrong point")
        var b = a
        b[5] += .one
        #expect(!accepts(commit(b), r, value, proof), "commitment to another vector")
    }

    /// A prover that lies about the value must lie somewhere in the proof: each single change is caught.
    @Test func everyTamperedProofElementIsRejected() {
        var rng = SeededRandom(seed: 13)
        let ell = 5
        let a = rng.frs(1 << ell), r = rng.frs(ell)
        let (proof, value) = prove(a, r)
        let c = commit(a)
        let shift = (G1Projective.generator * Fr(3)).toAffine()
        for i in 0..<proof.folds.count {
            var p = proof
            p.folds[i] = (G1Projective(p.folds[i]) + G1Projective(shift)).toAffine()
            #expect(!accepts(c, r, value, p), "fold commitment \(i)")
        }
        for i in 0..<ell {
            var p = proof
            p.atBeta[i] += .one
            #expect(!accepts(c, r, value, p), "f_\(i)(β)")
            p = proof
            p.atMinusBeta[i] += .one
            #expect(!accepts(c, r, value, p), "f_\(i)(−β)")
        }
        for i in 0..<3 {
            var p = proof
            p.witnesses[i] = (G1Projective(p.witnesses[i]) + G1Projective(shift)).toAffine()
            #expect(!accepts(c, r, value, p), "witness \(i)")
        }
        var short = proof
        short.atBeta.removeLast()
        #expect(!accepts(c, r, value, short), "wrong shape")
    }

    /// Fold commitments made for another point (a prover fixing its folds before r is known) do not verify.
    @Test func foldsForAnotherPointDoNotVerify() {
        var rng = SeededRandom(seed: 14)
        let ell = 4
        let a = rng.frs(1 << ell), r = rng.frs(ell), other = rng.frs(ell)
        let (proof, _) = prove(a, other)
        #expect(!accepts(commit(a), r, Self.definition(a, r), proof))
    }
}

/// The prover's parallel combination of the folds (chunks of 4096 indices) against its definition, at a
/// size with several chunks and folds shorter than a chunk.
@Suite struct GeminiCombinationTests {
    @Test func combinedFoldsMatchTheirDefinition() {
        var rng = SeededRandom(seed: 41)
        let ell = 14
        var polys: [[Fr]] = [rng.frs(1 << ell)]
        for t in 0..<(ell - 1) { polys.append(MonomialMultilinear.fold(polys[t], at: rng.fr())) }
        let gamma = rng.fr()
        var all = [Fr](repeating: .zero, count: 1 << ell)
        var tail = [Fr](repeating: .zero, count: 1 << (ell - 1))
        var power = Fr.one
        for (t, f) in polys.enumerated() {
            for (k, x) in f.enumerated() {
                all[k] += power * x
                if t > 0 { tail[k] += power * x }
            }
            power *= gamma
        }
        let combined = Gemini.combineFolds(polys, gamma: gamma)
        #expect(Gemini.parallelFold(polys[0], at: gamma) == MonomialMultilinear.fold(polys[0], at: gamma))
        #expect(combined.all == all)
        #expect(combined.tail == tail)
        let single = Gemini.combineFolds([[Fr(3), Fr(5)]], gamma: gamma)
        #expect(single.all == [Fr(3), Fr(5)] && single.tail == [.zero])
    }
}
