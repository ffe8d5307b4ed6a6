import BN254
import FieldArithmetic
import Transcript

/// The labels and round structure of docs/protocol.md §5, shared by prover and verifier so the two cannot
/// drift: the prover calls these as it computes each round, the verifier as it reads the proof.
public enum ProtocolTranscript {
    public enum Label {
        public static let key = "vk"
        public static let instance = "instance"
        public static let advice = "advice"
        public static let challenge = "challenge"
        public static let theta = "theta"
        public static let multiplicity = "multiplicity"
        public static let beta = "beta"
        public static let gamma = "gamma"
        public static let permutation = "permutation"
        public static let logUp = "logup"
        public static let alpha = "alpha"
        public static let quotient = "quotient"
        public static let zeta = "zeta"
        public static let evaluation = "eval"
        public static let v = "v"
        public static let opening = "opening"
        public static let mu = "mu"
        /// v_com (§19.6), and the weight merging the Gemini pairing equation into §13.3's (§19.5).
        public static let committedValue = "vcom"
        public static let eta = "eta"
        /// Private weights (§19.10): [g], then ξ, then ω̂ in place of v_com.
        public static let weightMask = "weight-mask"
        public static let maskChallenge = "weight-xi"
        public static let maskedValue = "vcom-masked"
    }

    /// Round 0: the key fingerprint, then each instance column's values (an empty string for length 0).
    public static func begin(fingerprint: [UInt8], publicValues: [[Fr]]) -> Transcript {
        var t = Transcript()
        t.absorb(Label.key, fingerprint)
        for column in publicValues { t.absorb(Label.instance, scalars: column) }
        return t
    }

    /// Advice commitments of one phase, in index order, then that phase's challenges in index order.
    /// `commitments` pairs each advice column index of the phase with its commitment.
    /// (`skipping`: test-only, a challenge already squeezed earlier — `Order.sBeforeFoldVector`.)
    public static func advicePhase(
        _ t: inout Transcript, phase: Int, commitments: [G1Affine], circuit: VerifierCircuit, skipping: Int? = nil
    ) -> [(index: Int, value: Fr)] {
        for c in commitments { t.absorb(Label.advice, point: c) }
        return circuit.challengePhases.indices.filter { circuit.challengePhases[$0] == phase && $0 != skipping }.map {
            (index: $0, value: t.squeeze(Label.challenge))
        }
    }

    /// Every challenge of one proof.
    public struct Challenges: Sendable {
        public var rho: [Fr] = []
        public var theta = Fr.zero, beta = Fr.zero, gamma = Fr.zero, alpha = Fr.zero
        public var zeta = Fr.zero, v = Fr.zero, mu = Fr.zero
        /// Drawn only with a weight opening (§19.5), after it.
        public var eta = Fr.zero
        /// Drawn only with private weights (§19.10), after [g].
        public var xi = Fr.zero
        public init() {}
    }

    /// The round order. Only `.protocol` is ever used outside tests; the others exist so that a test can show
    /// what goes wrong when a challenge is drawn before a commitment it must follow (§16.2): each squeezes one
    /// challenge (or group) earlier, before the items named, and leaves every other step in place.
    @_spi(Testing) public enum Order: Sendable, CaseIterable {
        case `protocol`
        /// Every ρ_j squeezed right after round 0, before any advice is absorbed: advice may depend on ρ.
        case rhoBeforeAdvice
        /// θ squeezed right after round 0, before any advice: lookup inputs may be chosen knowing θ.
        case thetaBeforeAdvice
        /// β and γ squeezed before the multiplicities are absorbed: the prover then picks m knowing β.
        case betaBeforeMultiplicities
        /// α squeezed before the accumulators z, π_j, φ_s are absorbed.
        case alphaBeforeAccumulators
        /// ζ squeezed before the quotient chunks are absorbed.
        case zetaBeforeQuotient
        /// v squeezed before the evaluations are absorbed.
        case vBeforeEvaluations
        /// μ squeezed before the two opening proofs are absorbed.
        case muBeforeOpenings
        /// The committed relation's s (§19.4) squeezed right before the advice of its own phase — the fold
        /// vector u — is absorbed: u may then be chosen knowing s.
        case sBeforeFoldVector
        /// Private weights (§19.10): ξ squeezed before the mask commitment [g] is absorbed: g may then be chosen
        /// knowing ξ (no effect on a key without private weights).
        case xiBeforeWeightMask
    }

    /// The verifier's side: replays every round with the proof's values. Items are absorbed as the
    /// proof's own bytes (the decoder checked they are canonical, so they equal the re-encoded values).
    static func replay(key: VerifyingKey, publicValues: [[Fr]], proof: Proof, order: Order = .protocol) -> Challenges {
        replayThroughOpenings(key: key, publicValues: publicValues, proof: proof, order: order).challenges
    }

    /// Every round up to μ (§5), and the transcript there: the weight opening continues it (§19.5).
    static func replayThroughOpenings(
        key: VerifyingKey, publicValues: [[Fr]], proof: Proof, order: Order = .protocol
    ) -> (challenges: Challenges, transcript: Transcript) {
        let c = key.circuit
        let body = proof.decodedBody ?? proof.encoded
        var offset = 0
        func item() -> [UInt8] {
            defer { offset += 32 }
            return Array(body[offset..<(offset + 32)])
        }
        var t = begin(fingerprint: key.fingerprint, publicValues: publicValues)
        var ch = Challenges()
        ch.rho = [Fr](repeating: .zero, count: c.challengeNames.count)
        if order == .rhoBeforeAdvice {
            for (index, _) in earlyChallengeOrder(c) { ch.rho[index] = t.squeeze(Label.challenge) }
        }
        if order == .thetaBeforeAdvice { ch.theta = t.squeeze(Label.theta) }
        let early = order == .sBeforeFoldVector ? c.linearRelationShape?.s.index : nil
        for phase in key.derived.phases {
            if let s = early, c.challengePhases[s] == phase { ch.rho[s] = t.squeeze(Label.challenge) }
            for _ in 0..<c.advicePhases.filter({ $0 == phase }).count { t.absorb(Label.advice, item()) }
            guard order != .rhoBeforeAdvice else { continue }
            for index in c.challengePhases.indices where c.challengePhases[index] == phase && index != early {
                ch.rho[index] = t.squeeze(Label.challenge)
            }
        }
        // §19.6: v_com, after the last advice phase's challenges (ρ and s), before θ.
        // §19.10: with private weights, [g], ξ and ω̂ instead.
        if c.hasPrivateWeights {
            if order == .xiBeforeWeightMask { ch.xi = t.squeeze(Label.maskChallenge) }
            t.absorb(Label.weightMask, item())
            if order != .xiBeforeWeightMask { ch.xi = t.squeeze(Label.maskChallenge) }
            t.absorb(Label.maskedValue, item())
        } else if c.hasWeightOpening {
            t.absorb(Label.committedValue, item())
        }
        if order != .thetaBeforeAdvice { ch.theta = t.squeeze(Label.theta) }
        let multiplicities = (0..<proof.multiplicities.count).map { _ in item() }
        if order == .betaBeforeMultiplicities {
            ch.beta = t.squeeze(Label.beta)
            ch.gamma = t.squeeze(Label.gamma)
            for m in multiplicities { t.absorb(Label.multiplicity, m) }
        } else {
            for m in multiplicities { t.absorb(Label.multiplicity, m) }
            ch.beta = t.squeeze(Label.beta)
            ch.gamma = t.squeeze(Label.gamma)
        }
        if order == .alphaBeforeAccumulators { ch.alpha = t.squeeze(Label.alpha) }
        for _ in proof.permutation { t.absorb(Label.permutation, item()) }
        for _ in proof.runningSums { t.absorb(Label.logUp, item()) }
        if order != .alphaBeforeAccumulators { ch.alpha = t.squeeze(Label.alpha) }
        if order == .zetaBeforeQuotient { ch.zeta = t.squeeze(Label.zeta) }
        for _ in proof.quotient { t.absorb(Label.quotient, item()) }
        if order != .zetaBeforeQuotient { ch.zeta = t.squeeze(Label.zeta) }
        if order == .vBeforeEvaluations { ch.v = t.squeeze(Label.v) }
        for _ in 0..<(proof.evaluationsAtZeta.count + proof.evaluationsAtOmegaZeta.count) {
            t.absorb(Label.evaluation, item())
        }
        if order != .vBeforeEvaluations { ch.v = t.squeeze(Label.v) }
        if order == .muBeforeOpenings { ch.mu = t.squeeze(Label.mu) }
        t.absorb(Label.opening, item())
        t.absorb(Label.opening, item())
        if order != .muBeforeOpenings { ch.mu = t.squeeze(Label.mu) }
        return (ch, t)
    }

    /// Test-only (`Order.rhoBeforeAdvice`): the challenges in the order they are squeezed when all are drawn
    /// early — by phase, then by index, as the protocol would draw them.
    @_spi(Testing) public static func earlyChallengeOrder(_ c: VerifierCircuit) -> [(index: Int, phase: Int)] {
        c.challengePhases.enumerated().map { (index: $0.offset, phase: $0.element) }
            .sorted { ($0.phase, $0.index) < ($1.phase, $1.index) }
    }
}
