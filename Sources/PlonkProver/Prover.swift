import BN254
import ConstraintSystem
import FieldArithmetic
@_spi(Testing) import PlonkVerifier
import SystemSupport
import Transcript

/// The prover of docs/protocol.md, round for round as `PlonkVerifier` replays them (§5): advice phases
/// with their challenges, v_com of the committed linear relation, multiplicities, accumulators, quotient,
/// evaluations, openings, and the relation's weight opening.
public enum PlonkProver {
    /// Proves a witness whose advice is fully assigned (circuits without challenge-dependent advice).
    public static func prove(
        key: ProvingKey, circuit: Circuit, assignment: Assignment, timings: ProverTimings? = nil
    ) throws -> ProofFile {
        try prove(key: key, circuit: circuit, assignment: assignment, timings: timings) { _, _ in }
    }

    /// Proves a witness built phase by phase: before committing phase p, `witness(p, &assignment)` is
    /// called with the challenges of earlier phases already set in `assignment` (e.g. to fill a running
    /// sum that depends on ρ). `assignment` starts with the public values and any advice known upfront.
    ///
    /// Refuses (`ProverError.unsatisfiedWitness`, with the checker's full report) a witness that
    /// `ConstraintChecker` rejects.
    public static func prove(
        key: ProvingKey, circuit: Circuit, assignment: Assignment, timings: ProverTimings? = nil,
        witness: (Int, inout Assignment) throws -> Void
    ) throws -> ProofFile {
        try run(
            key: key, circuit: circuit, assignment: assignment, witness: witness, checkWitness: true,
            randomness: .secure(), timings: timings ?? ProverTimings())
    }

    /// Test-only (internal, reached through `@testable import`): proves without running the checker, so
    /// soundness tests can show that the verifier rejects proofs of unsatisfied witnesses. Optionally with
    /// seeded randomness, for golden fixtures.
    static func proveUnchecked(
        key: ProvingKey, circuit: Circuit, assignment: Assignment, seed: UInt64? = nil,
        witness: (Int, inout Assignment) throws -> Void = { _, _ in }
    ) throws -> ProofFile {
        try run(
            key: key, circuit: circuit, assignment: assignment, witness: witness, checkWitness: false,
            randomness: seed.map(ProverRandomness.seeded) ?? .secure(), timings: ProverTimings())
    }

    /// Test-only: an honest (checked) proof with seeded blinding, for the golden proof fixture.
    static func proveSeeded(
        key: ProvingKey, circuit: Circuit, assignment: Assignment, seed: UInt64,
        witness: (Int, inout Assignment) throws -> Void = { _, _ in }
    ) throws -> ProofFile {
        try run(
            key: key, circuit: circuit, assignment: assignment, witness: witness, checkWitness: true,
            randomness: .seeded(seed), timings: ProverTimings())
    }

    /// Test-only: the forgery that a wrong round order allows (§16.2). With β drawn before the
    /// multiplicities are committed, the prover picks m after seeing β so that the logUp sum closes even for
    /// inputs outside the table. The proof verifies under the same wrong order — and under no other.
    static func forgeWithBetaBeforeMultiplicities(
        key: ProvingKey, circuit: Circuit, assignment: Assignment,
        witness: (Int, inout Assignment) throws -> Void = { _, _ in }
    ) throws -> ProofFile {
        try run(
            key: key, circuit: circuit, assignment: assignment, witness: witness, checkWitness: false,
            randomness: .secure(), timings: ProverTimings(), order: .betaBeforeMultiplicities)
    }

    /// Test-only: a cheating prover that runs the rounds in `order` (§16.2) and, right after drawing the
    /// challenge that order moves earlier, calls `tamper` with its state — the early challenge set, the items
    /// that challenge should have followed not yet committed — so a test can choose them knowing it:
    /// - `.rhoBeforeAdvice`, `.thetaBeforeAdvice`: the phase-1 assignment (nothing committed yet);
    /// - `.betaBeforeMultiplicities`: the multiplicities are also rebalanced as in `forgeWithBetaBeforeMultiplicities`;
    /// - `.alphaBeforeAccumulators`: `state.products`, `state.runningSums` (computed, not committed);
    /// - `.zetaBeforeQuotient`: `state.quotientChunks` (computed, not committed);
    /// - `.vBeforeEvaluations`: `state.claimedAtZeta`, `state.claimedAtOmegaZeta` (what the proof will claim);
    /// - `.muBeforeOpenings`: `state.openingAtZeta`, `state.openingAtOmegaZeta` (honest, replaceable);
    /// - `.sBeforeFoldVector`: the assignment before the witness callback of s's phase (ρ set, s set): the
    ///   callback — or `tamper` — may then fill the fold vector u knowing s.
    /// No checker; `seed` makes the blinding (and so every round before the tamper) reproducible.
    static func proveOutOfOrder(
        _ order: ProtocolTranscript.Order, key: ProvingKey, circuit: Circuit, assignment: Assignment, seed: UInt64? = nil,
        witness: (Int, inout Assignment) throws -> Void = { _, _ in },
        tamper: (ProverState, inout Assignment) throws -> Void = { _, _ in }
    ) throws -> ProofFile {
        try run(
            key: key, circuit: circuit, assignment: assignment, witness: witness, checkWitness: false,
            randomness: seed.map(ProverRandomness.seeded) ?? .secure(), timings: ProverTimings(), order: order,
            tamper: tamper)
    }

    /// Test-only: a cheating prover that claims `transform(v_com)` instead of the committed blocks' value at
    /// the opening point (§19.6), Ω following it, and opens the honest blocks. No checker.
    static func proveClaimingCommittedValue(
        _ transform: @escaping (Fr) -> Fr, key: ProvingKey, circuit: Circuit, assignment: Assignment,
        witness: (Int, inout Assignment) throws -> Void = { _, _ in }
    ) throws -> ProofFile {
        try run(
            key: key, circuit: circuit, assignment: assignment, witness: witness, checkWitness: false,
            randomness: .secure(), timings: ProverTimings(), claimedValue: transform)
    }

    /// Test-only: with private weights (§19.10), a prover that writes `transform(g(z))` into the mask cell
    /// instead of g(z), everything else honest. No checker (it reads Ω as the public claim).
    static func proveWithMaskValue(
        _ transform: @escaping (Fr) -> Fr, key: ProvingKey, circuit: Circuit, assignment: Assignment,
        witness: (Int, inout Assignment) throws -> Void = { _, _ in }
    ) throws -> ProofFile {
        try run(
            key: key, circuit: circuit, assignment: assignment, witness: witness, checkWitness: false,
            randomness: .secure(), timings: ProverTimings(), maskValue: transform)
    }

    /// Test-only: a cheating prover whose multiplicities of table t (§9's batching: one column per table) are
    /// `tamper(t, &m)` of the honest ones, everything else honest. No checker.
    static func proveWithMultiplicities(
        _ tamper: @escaping (Int, inout [Fr]) -> Void, key: ProvingKey, circuit: Circuit, assignment: Assignment,
        witness: (Int, inout Assignment) throws -> Void = { _, _ in }
    ) throws -> ProofFile {
        try run(
            key: key, circuit: circuit, assignment: assignment, witness: witness, checkWitness: false,
            randomness: .secure(), timings: ProverTimings(), multiplicities: tamper)
    }

    static func run(
        key: ProvingKey, circuit: Circuit, assignment: Assignment, witness: (Int, inout Assignment) throws -> Void,
        checkWitness: Bool, randomness: ProverRandomness, timings: ProverTimings,
        order: ProtocolTranscript.Order = .protocol,
        tamper: (ProverState, inout Assignment) throws -> Void = { _, _ in },
        claimedValue: ((Fr) -> Fr)? = nil, maskValue: ((Fr) -> Fr)? = nil,
        multiplicities: ((Int, inout [Fr]) -> Void)? = nil
    ) throws -> ProofFile {
        try key.requireMatches(circuit)
        var assignment = assignment
        let c = key.circuit
        let publicValues = try publicValues(of: assignment, circuit: c)
        let state = ProverState(key: key, randomness: randomness, timings: timings, publicValues: publicValues)
        state.multiplicityTamper = multiplicities
        state.splitsQuotient = ProverState.splitsQuotient && order == .protocol

        // Progress for the tools (nothing is drawn unless a tool listens): one part per advice phase, then
        // lookups, accumulators, quotient, evaluations and openings.
        let stages = c.phases.count + 5
        var stage = 0
        func next(_ name: String) {
            StepProgress.report("prove", stage, of: stages, name)
            stage += 1
        }
        defer { StepProgress.done("prove", parts: stages) }

        // Round 0 and the advice phases (§5). (Other orders: test-only, see `proveOutOfOrder`.)
        var transcript = ProtocolTranscript.begin(fingerprint: key.verifyingKey.fingerprint, publicValues: publicValues)
        if order == .rhoBeforeAdvice {
            for (index, _) in ProtocolTranscript.earlyChallengeOrder(c) {
                state.rho[index] = transcript.squeeze(ProtocolTranscript.Label.challenge)
                try assignment.setChallenge(Challenge(index: index), state.rho[index])
            }
            try tamper(state, &assignment)
        }
        if order == .thetaBeforeAdvice {
            state.theta = transcript.squeeze(ProtocolTranscript.Label.theta)
            try tamper(state, &assignment)
        }
        let earlyS = order == .sBeforeFoldVector ? c.linearRelationShape?.s.index : nil
        for phase in c.phases {
            if let s = earlyS, c.challengePhases[s] == phase {
                state.rho[s] = transcript.squeeze(ProtocolTranscript.Label.challenge)
                try assignment.setChallenge(Challenge(index: s), state.rho[s])
                try tamper(state, &assignment)
            }
            next("witness phase \(phase)")
            try timings.measure("witness") { try witness(phase, &assignment) }
            if let p = c.privateWeights, c.hasPrivateWeights, c.advicePhases[p.maskColumn] == phase {
                try state.placeWeightMask(&assignment, cellValue: maskValue)
            }
            let columns = c.advicePhases.indices.filter { c.advicePhases[$0] == phase }
            let commitments = try state.commitAdvice(columns, from: assignment)
            if order == .rhoBeforeAdvice {
                for commitment in commitments { transcript.absorb(ProtocolTranscript.Label.advice, point: commitment) }
                continue
            }
            let drawn = ProtocolTranscript.advicePhase(
                &transcript, phase: phase, commitments: commitments, circuit: c, skipping: earlyS)
            for d in drawn {
                state.rho[d.index] = d.value
                try assignment.setChallenge(Challenge(index: d.index), d.value)
            }
        }
        try state.requireUnchanged(assignment)
        // §19.6: Ω (and f = Σ c_b·k_b, v_com) first, so that the checker reuses it instead of evaluating the
        // weights again.
        state.prepareLinearClaim(claimedValue: claimedValue)
        if checkWitness {
            try timings.measure("witnessCheck") {
                do {
                    try ConstraintChecker.requireSatisfied(circuit, assignment, linearClaim: state.honestLinearClaim)
                } catch let report as UnsatisfiedConstraints {
                    throw ProverError.unsatisfiedWitness(report)
                }
            }
        }
        state.computeVerifierColumns()
        // §19.6: v_com absorbed before θ (§19.10: [g], ξ, ω̂ with private weights).
        state.linearClaimRound(&transcript, xiFirst: order == .xiBeforeWeightMask)

        // Lookup round.
        next("lookups")
        if order != .thetaBeforeAdvice { state.theta = transcript.squeeze(ProtocolTranscript.Label.theta) }
        let multiplicityCommitments: [G1Affine]
        if order == .betaBeforeMultiplicities {
            state.beta = transcript.squeeze(ProtocolTranscript.Label.beta)
            state.gamma = transcript.squeeze(ProtocolTranscript.Label.gamma)
            try tamper(state, &assignment)
            multiplicityCommitments = try state.commitMultiplicities(forgingWithKnownBeta: true)
            for m in multiplicityCommitments { transcript.absorb(ProtocolTranscript.Label.multiplicity, point: m) }
        } else {
            multiplicityCommitments = try state.commitMultiplicities()
            for m in multiplicityCommitments { transcript.absorb(ProtocolTranscript.Label.multiplicity, point: m) }
            state.beta = transcript.squeeze(ProtocolTranscript.Label.beta)
            state.gamma = transcript.squeeze(ProtocolTranscript.Label.gamma)
        }

        // Accumulator round.
        next("accumulators")
        if order == .alphaBeforeAccumulators { state.alpha = transcript.squeeze(ProtocolTranscript.Label.alpha) }
        try state.computeAccumulators()
        if order == .alphaBeforeAccumulators {
            try tamper(state, &assignment)
            // The sums' values may have been edited: commit those values, not the steps they came from.
            state.sumsFromTableSteps = []
        }
        let (productCommitments, sumCommitments) = state.commitAccumulatorValues()
        for p in productCommitments { transcript.absorb(ProtocolTranscript.Label.permutation, point: p) }
        for s in sumCommitments { transcript.absorb(ProtocolTranscript.Label.logUp, point: s) }
        if order != .alphaBeforeAccumulators { state.alpha = transcript.squeeze(ProtocolTranscript.Label.alpha) }

        // Quotient round.
        next("quotient")
        try state.computeQuotient()
        if order == .zetaBeforeQuotient {
            state.zeta = transcript.squeeze(ProtocolTranscript.Label.zeta)
            try tamper(state, &assignment)
        }
        let quotientCommitments = state.commitCoefficients(state.quotientChunks)
        for h in quotientCommitments { transcript.absorb(ProtocolTranscript.Label.quotient, point: h) }
        if order != .zetaBeforeQuotient { state.zeta = transcript.squeeze(ProtocolTranscript.Label.zeta) }

        // Evaluation and opening rounds.
        next("evaluations")
        (state.claimedAtZeta, state.claimedAtOmegaZeta) = state.evaluations()
        if order == .vBeforeEvaluations {
            state.v = transcript.squeeze(ProtocolTranscript.Label.v)
            try tamper(state, &assignment)
        }
        for e in state.claimedAtZeta + state.claimedAtOmegaZeta { transcript.absorb(ProtocolTranscript.Label.evaluation, scalar: e) }
        if order != .vBeforeEvaluations { state.v = transcript.squeeze(ProtocolTranscript.Label.v) }
        next("openings")
        (state.openingAtZeta, state.openingAtOmegaZeta) = state.openings()
        if order == .muBeforeOpenings {
            state.mu = transcript.squeeze(ProtocolTranscript.Label.mu)
            try tamper(state, &assignment)
        }
        transcript.absorb(ProtocolTranscript.Label.opening, point: state.openingAtZeta)
        transcript.absorb(ProtocolTranscript.Label.opening, point: state.openingAtOmegaZeta)
        // Drawn so the transcript has one shape (§5); the prover itself never uses μ.
        if order != .muBeforeOpenings { state.mu = transcript.squeeze(ProtocolTranscript.Label.mu) }
        // §19.5: the weight opening, then η.
        let weightOpening = state.proveWeightOpening(&transcript)

        let proof = Proof(
            advice: state.adviceCommitmentsInOrder, multiplicities: multiplicityCommitments,
            permutation: productCommitments, runningSums: sumCommitments, quotient: quotientCommitments,
            evaluationsAtZeta: state.claimedAtZeta, evaluationsAtOmegaZeta: state.claimedAtOmegaZeta,
            openingAtZeta: state.openingAtZeta, openingAtOmegaZeta: state.openingAtOmegaZeta,
            committedValue: state.committedValue, weightOpening: weightOpening, weightMask: state.weightMaskCommitment)
        return ProofFile(keyFingerprint: key.verifyingKey.fingerprint, publicValues: publicValues, body: proof.encoded)
    }

    /// The assignment's public values per instance column (unassigned ones read as 0; the checker reports them).
    static func publicValues(of assignment: Assignment, circuit c: VerifierCircuit) throws -> [[Fr]] {
        guard assignment.instance.count == c.instanceCount,
            zip(assignment.instance, c.instanceLengths).allSatisfy({ $0.count == $1 })
        else { throw ProverError.publicValues("the assignment's instance columns do not match the circuit") }
        return assignment.instance
    }
}
