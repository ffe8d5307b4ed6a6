import BN254
import FieldArithmetic
import MSM
import Parallelism
import Transcript

/// Evaluation proofs for monomial-basis multilinear polynomials over a univariate KZG SRS: Gemini
/// (Bootle, Chiesa, Hu, Orrù, "Gemini: elastic SNARKs for diverse environments", ePrint 2022/420, §5),
/// with all folds opened at the same three points β, −β, β² (as HyperKZG does). Written from the paper.
///
/// Claim: for the KZG commitment C = [f_0(τ)]₁ of f_0(Z) = Σ_k a_k·Z^k (2^ℓ coefficients) and a point
/// r ∈ Fr^ℓ, v = Σ_k a_k·Π_t r_t^(bit t of k).
///
/// - Folds: f_(t+1)(Z) = e_t(Z) + r_t·o_t(Z) where f_t(Z) = e_t(Z²) + Z·o_t(Z²); f_ℓ is the constant v.
///   The prover commits f_1 … f_(ℓ−1) and absorbs them; then β = squeeze.
/// - Since f_(t+1)(β²) = (f_t(β) + f_t(−β))/2 + r_t·(f_t(β) − f_t(−β))/(2β), the prover sends
///   f_t(β), f_t(−β) for t < ℓ and the verifier derives f_(t+1)(β²) for t < ℓ − 1 and checks the last
///   fold equals v. γ = squeeze after the values.
/// - Three batched KZG openings (powers of γ over t): every f_t at β and at −β, and f_1 … f_(ℓ−1) at β²
///   at the derived values. λ = squeeze after the three witnesses weighs the three pairing equations.
///
/// The verifier returns its pairing equation as terms (`PairingTerms`) so a caller can merge it with other
/// KZG checks on the same SRS into one pairing product.
public enum Gemini {
    public enum Label {
        public static let fold = "gemini-fold"
        public static let beta = "gemini-beta"
        public static let evaluation = "gemini-eval"
        public static let gamma = "gemini-gamma"
        public static let opening = "gemini-opening"
        public static let lambda = "gemini-lambda"
    }

    public struct Proof: Sendable, Equatable {
        /// [f_1] … [f_(ℓ−1)].
        public var folds: [G1Affine]
        /// f_t(β) and f_t(−β) for t = 0 … ℓ−1.
        public var atBeta: [Fr]
        public var atMinusBeta: [Fr]
        /// Opening witnesses at β, −β, β².
        public var witnesses: [G1Affine]

        public init(folds: [G1Affine], atBeta: [Fr], atMinusBeta: [Fr], witnesses: [G1Affine]) {
            self.folds = folds
            self.atBeta = atBeta
            self.atMinusBeta = atMinusBeta
            self.witnesses = witnesses
        }

        /// Points and scalars in the proof for ℓ variables (ℓ ≥ 1).
        public static func pointCount(variables: Int) -> Int { variables - 1 + 3 }
        public static func scalarCount(variables: Int) -> Int { 2 * variables }
        public static func byteCount(variables: Int) -> Int {
            32 * (pointCount(variables: variables) + scalarCount(variables: variables))
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case shape(String)
        case foldMismatch(round: Int)
        case valueMismatch

        public var description: String {
            switch self {
            case .shape(let s): return "Gemini proof has the wrong shape: \(s)"
            case .foldMismatch(let t): return "Gemini fold \(t) is inconsistent with the opened values"
            case .valueMismatch: return "Gemini's last fold differs from the claimed evaluation"
            }
        }
    }

    /// e(Σ left, [τ]₂) · e(−(Σ right + generator·[1]₁), [1]₂) = 1.
    public struct PairingTerms: Sendable {
        public var left: [(G1Affine, Fr)] = []
        public var right: [(G1Affine, Fr)] = []
        public var generatorScalar: Fr = .zero
        public init() {}

        /// Each opening: W·(τ − x) = Σγ^i·C_i − (Σγ^i·E_i)·[1]₁, as Left += w·W, Right += w·(x·W + ΣγC) − w·ΣγE.
        mutating func addOpening(witness: G1Affine, point: Fr, commitments: [(G1Affine, Fr)], value: Fr, weight: Fr) {
            left.append((witness, weight))
            right.append((witness, weight * point))
            for (c, s) in commitments { right.append((c, weight * s)) }
            generatorScalar -= weight * value
        }
    }

    // MARK: Prover

    /// Proves v = f(point) for the coefficient vector (length 2^point.count, point.count ≥ 1), whose KZG
    /// commitment the verifier already has (the caller absorbed it, or derives it). `powers` are
    /// [τ^0]₁ … with at least as many points as the vector's degree (f itself is never committed here: its
    /// folds and quotients have lower degree; trailing zero coefficients cost nothing). `table`, when given,
    /// holds the window multiples of the same powers (the proving key's). Returns the proof and v.
    public static func prove(
        coefficients: [Fr], point: [Fr], powers: UnsafeBufferPointer<G1Affine>, table: FixedBaseTable? = nil,
        transcript: inout Transcript
    ) -> (proof: Proof, value: Fr) {
        let ell = point.count
        precondition(ell >= 1 && coefficients.count == 1 << ell)
        precondition(powers.count >= (coefficients.lastIndex { !$0.isZero } ?? 0), "the SRS must cover the degree")
        var polys: [[Fr]] = [coefficients]
        for t in 0..<(ell - 1) { polys.append(parallelFold(polys[t], at: point[t])) }
        let last = MonomialMultilinear.fold(polys[ell - 1], at: point[ell - 1])[0]

        let foldCommitments = commitAll(Array(polys.dropFirst()), powers: powers, table: table)
        for c in foldCommitments { transcript.absorb(Label.fold, point: c) }
        let beta = transcript.squeeze(Label.beta)

        // 2ℓ evaluations, one task each (ℓ up to 22: the sequential Horner passes were ~0.2 s).
        var evaluations = [Fr](repeating: .zero, count: 2 * ell)
        evaluations.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(tasks: 2 * ell) { i in out[i] = horner(polys[i % ell], at: i < ell ? beta : -beta) }
        }
        let plus = Array(evaluations[0..<ell])
        let minus = Array(evaluations[ell...])
        transcript.absorb(Label.evaluation, scalars: plus + minus)
        let gamma = transcript.squeeze(Label.gamma)

        let (all, tail) = combineFolds(polys, gamma: gamma)
        let betaSquared = beta.squared()
        let divisions: [(values: [Fr], point: Fr)] = [(all, beta), (all, -beta), (tail, betaSquared)]
        var quotients = [[Fr]](repeating: [], count: 3)
        quotients.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(tasks: 3) { i in out[i] = dividedByLinear(divisions[i].values, at: divisions[i].point) }
        }
        let witnesses = commitAll(quotients, powers: powers, table: table)
        for w in witnesses { transcript.absorb(Label.opening, point: w) }
        _ = transcript.squeeze(Label.lambda)
        return (Proof(folds: foldCommitments, atBeta: plus, atMinusBeta: minus, witnesses: witnesses), last)
    }

    /// Commitments over each vector's non-zero prefix (a vector may be longer than `powers` when its tail
    /// is zero, as with private weights' blinding coefficient, docs/protocol.md §19.10).
    /// `MonomialMultilinear.fold` in parallel chunks (the folds of a 2^22-coefficient vector were ~0.1 s).
    static func parallelFold(_ f: [Fr], at r: Fr) -> [Fr] {
        let half = f.count / 2
        var g = [Fr](repeating: .zero, count: half)
        f.withUnsafeBufferPointer { src in
            g.withUnsafeMutableBufferPointer { dst in
                Parallel.forEachChunk(of: half, minimumChunk: 8192) { range in
                    for k in range { dst[k] = src[2 * k] + r * src[2 * k + 1] }
                }
            }
        }
        return g
    }

    /// Σ_t γ^t f_t (opened at ±β) and Σ_(t≥1) γ^t f_t (opened at β²) for the folds f_0 … f_(ℓ−1) (f_t has
    /// 2^(ℓ−t) coefficients), in parallel chunks of coefficient indices.
    static func combineFolds(_ polys: [[Fr]], gamma: Fr) -> (all: [Fr], tail: [Fr]) {
        let ell = polys.count
        var gammaPowers = [Fr.one]
        for _ in 1..<max(ell, 1) { gammaPowers.append(gammaPowers.last! * gamma) }
        var all = polys[0]
        var tail = [Fr](repeating: .zero, count: all.count / 2)
        all.withUnsafeMutableBufferPointer { allOut in
            tail.withUnsafeMutableBufferPointer { tailOut in
                Parallel.forEachChunk(of: tailOut.count, minimumChunk: 4096) { range in
                    for t in 1..<max(ell, 1) {
                        let power = gammaPowers[t]
                        let end = min(range.upperBound, polys[t].count)
                        if range.lowerBound >= end { continue }
                        polys[t].withUnsafeBufferPointer { f in
                            for k in range.lowerBound..<end { tailOut[k] += power * f[k] }
                        }
                    }
                    for k in range { allOut[k] += tailOut[k] }
                }
            }
        }
        return (all, tail)
    }

    /// The commitments of `polys`, their MSMs scheduled as one batch (`msmBatch`) and made affine together.
    static func commitAll(_ polys: [[Fr]], powers: UnsafeBufferPointer<G1Affine>, table: FixedBaseTable? = nil) -> [G1Affine] {
        let trimmed = polys.map { p in
            let count = (p.lastIndex { !$0.isZero } ?? -1) + 1
            precondition(count <= powers.count, "a committed polynomial exceeds the SRS")
            return count == p.count ? p : Array(p[0..<count])
        }
        return G1Projective.batchToAffine(msmBatch(points: powers, table: table, scalarSets: trimmed))
    }

    static func horner(_ c: [Fr], at z: Fr) -> Fr {
        var acc = Fr.zero
        for x in c.reversed() { acc = acc * z + x }
        return acc
    }

    /// (p(X) − p(z)) / (X − z), coefficients.
    static func dividedByLinear(_ c: [Fr], at z: Fr) -> [Fr] {
        guard c.count > 1 else { return [] }
        var q = [Fr](repeating: .zero, count: c.count - 1)
        var carry = Fr.zero
        for i in stride(from: c.count - 1, through: 1, by: -1) {
            carry = carry * z + c[i]
            q[i - 1] = carry
        }
        return q
    }

    // MARK: Verifier

    /// Replays the transcript, checks the folds against `value`, and returns the pairing equation (to be
    /// checked alone with `holds` or merged by the caller). `commitment` is [f_0].
    public static func verify(
        commitment: G1Affine, point: [Fr], value: Fr, proof: Proof, transcript: inout Transcript
    ) throws -> PairingTerms {
        var (terms, scalar) = try verify(point: point, value: value, proof: proof, transcript: &transcript)
        terms.right.append((commitment, scalar))
        return terms
    }

    /// The same without [f_0]: the terms leave it out and `commitmentScalar` is its scalar on the right side,
    /// for a caller whose [f_0] is a combination Σ c_b·[K_b] it never forms (it adds the [K_b] with scalars
    /// commitmentScalar·c_b to its own multi-scalar multiplication).
    public static func verify(
        point: [Fr], value: Fr, proof: Proof, transcript: inout Transcript
    ) throws -> (terms: PairingTerms, commitmentScalar: Fr) {
        let ell = point.count
        guard ell >= 1 else { throw Failure.shape("no variables") }
        guard proof.folds.count == ell - 1, proof.atBeta.count == ell, proof.atMinusBeta.count == ell,
            proof.witnesses.count == 3
        else { throw Failure.shape("expected \(ell - 1) folds, \(ell) + \(ell) values and 3 witnesses") }
        for c in proof.folds { transcript.absorb(Label.fold, point: c) }
        let beta = transcript.squeeze(Label.beta)
        guard !beta.isZero else { throw Failure.shape("β = 0") }
        transcript.absorb(Label.evaluation, scalars: proof.atBeta + proof.atMinusBeta)
        let gamma = transcript.squeeze(Label.gamma)
        for w in proof.witnesses { transcript.absorb(Label.opening, point: w) }
        let lambda = transcript.squeeze(Label.lambda)

        // f_(t+1)(β²) from f_t(±β); the last must be v.
        let half = Fr(2).inverse()
        let halfOverBeta = (Fr(2) * beta).inverse()
        var derived: [Fr] = []  // f_t(β²) for t = 1 … ℓ−1
        for t in 0..<ell {
            let p = proof.atBeta[t], m = proof.atMinusBeta[t]
            let next = (p + m) * half + point[t] * (p - m) * halfOverBeta
            if t == ell - 1 {
                guard next == value else { throw Failure.valueMismatch }
            } else {
                derived.append(next)
            }
        }
        var terms = PairingTerms()
        var gammaPowers: [Fr] = []
        var g = Fr.one
        for _ in 0..<ell {
            gammaPowers.append(g)
            g *= gamma
        }
        // [f_0]'s scalar is collected apart: it is the opening's weight times γ^0 at β and at −β.
        var commitmentScalar = Fr.zero
        func combined(_ values: [Fr], from first: Int, weight: Fr) -> (commitments: [(G1Affine, Fr)], value: Fr) {
            var cs: [(G1Affine, Fr)] = []
            var v = Fr.zero
            for (i, t) in (first..<ell).enumerated() {
                if t == 0 {
                    commitmentScalar += weight * gammaPowers[0]
                } else {
                    cs.append((proof.folds[t - 1], gammaPowers[t]))
                }
                v += gammaPowers[t] * values[i]
            }
            return (cs, v)
        }
        let atPlus = combined(proof.atBeta, from: 0, weight: .one)
        let atMinus = combined(proof.atMinusBeta, from: 0, weight: lambda)
        terms.addOpening(witness: proof.witnesses[0], point: beta, commitments: atPlus.commitments, value: atPlus.value, weight: .one)
        terms.addOpening(witness: proof.witnesses[1], point: -beta, commitments: atMinus.commitments, value: atMinus.value, weight: lambda)
        if ell > 1 {
            let atSquare = combined(derived, from: 1, weight: lambda.squared())
            terms.addOpening(
                witness: proof.witnesses[2], point: beta.squared(), commitments: atSquare.commitments, value: atSquare.value,
                weight: lambda.squared())
        } else {
            // No fold polynomial to open at β²: the witness must be the commitment to zero.
            guard proof.witnesses[2].isInfinity else { throw Failure.shape("a β² witness with nothing to open") }
        }
        return (terms, commitmentScalar)
    }
}

extension Gemini.PairingTerms {
    /// The pairing check on its own: e(Σ left, [τ]₂)·e(−Σ right, [1]₂) = 1.
    public func holds(generator: G1Affine, g2: G2Affine, tauG2: G2Affine) -> Bool {
        let l = msm(points: left.map(\.0), scalars: left.map(\.1)).toAffine()
        let r = msm(points: right.map(\.0) + [generator], scalars: right.map(\.1) + [generatorScalar])
        return Pairing.productIsOne([(l, tauG2), (r.negated().toAffine(), g2)])
    }
}
