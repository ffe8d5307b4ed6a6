import BN254
import ConstraintSystem
import FieldArithmetic
import Polynomials
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@_spi(Testing) @testable import PlonkVerifier

/// Wrong-order forgeries (protocol.md §16.2, the table of what each challenge must follow; §5 the round
/// order). For each challenge a cheating prover draws it *before* absorbing what must come first
/// (`PlonkProver.proveOutOfOrder`, `ProtocolTranscript.Order`), uses it to prove a false statement, and the
/// test shows the forgery verifies under that wrong order — so the order is what makes the protocol sound —
/// and is rejected by `PlonkVerifier.verify`, which replays §5. Every false statement is a wrong model output
/// (checked against the direct path), except β's, which is a lookup input outside its table.
///
/// | challenge | what the prover chooses after seeing it early |
/// |---|---|
/// | ρ | a free cell (a product lane's operand whose partner is 0) that cancels a false output in the fold |
/// | θ | a table value and slope whose θ-compression equals a genuine table row's |
/// | β, γ | multiplicities that balance the logUp sum for an input outside the table |
/// | α | two running sums that cancel a failing gate inside Σ α^i·C_i |
/// | ζ | a "quotient" that is just the constant N(ζ)/Z_H(ζ) |
/// | v | a false multiplicity evaluation that balances the v-batched value at ζ |
/// | μ | opening proofs for false values at ζ and ωζ, split with μ |
struct TranscriptOrderTests {
    var gadgets: ProvedModel { GadgetCheatTests.gadgets }
    static let tinyStacked = try! ProvedModel(shared: "mlp_tiny")
    static let small = try! RelationFreeCircuit()
    static let tinyColumns = try! ProvedModel(shared: "mlp_tiny", options: CompileOptions(stackRangeChecks: false, limbBits: 8))

    /// The forgery verifies under `order` and is rejected under the protocol's order (and the verifier that
    /// `zkverify` runs never uses another).
    func requireForgery(_ m: some KeyHolder, _ proof: ProofFile, order: ProtocolTranscript.Order,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let key = try VerifyingKey.decode(m.vk.encoded)
        let file = try ProofFile.decode(proof.encoded)
        #expect(throws: Never.self, "verifies under the wrong order", sourceLocation: sourceLocation) {
            try PlonkVerifier.verify(key: key, proof: file, order: order)
        }
        #expect(rejected { try PlonkVerifier.verify(key: key, proof: file) }, sourceLocation: sourceLocation)
    }

    /// Rejected by the pairing check, or before it by the weight opening's fold check (§13.5).
    func rejected(_ verify: () throws -> Void) -> Bool {
        do {
            try verify()
            return false
        } catch let error as VerificationError {
            if case .weightOpeningFailed = error { return true }
            return error == .pairingCheckFailed
        } catch {
            return false
        }
    }

    /// A false output on mlp_tiny: the output layer's lane 0 claims q + 1 (limbs in range), published as the
    /// model's output; only the fold's close fails (`LimbAndFoldCheatTests`).
    func falseOutput(_ m: ProvedModel) throws -> Assignment {
        let g = m.compiled.plan.groups.count - 1
        let honest = try m.laneInputs(g, 0)
        var a = try m.honest()
        try m.write(&a, g, 0, inputs: [honest[0] + 1, honest[1]])
        try m.copyStack(&a)
        try m.claim(&a, output: 0, element: 0, honest[0] + 1)
        #expect(try m.failures(a) == [m.close])
        return a
    }

    /// What the verifier computes from a proof under `order` (its challenges, h(ζ) = N(ζ)/Z_H(ζ), and the
    /// v-batched values E_ζ, E_ωζ it opens against), read off its own pairing claim: the oracle a cheating
    /// prover can run itself, since the verifier's computation is public.
    struct VerifierView {
        let challenges: ProtocolTranscript.Challenges
        let valueAtZeta: Fr, valueAtOmegaZeta: Fr, quotientAtZeta: Fr
    }

    func view(_ m: some KeyHolder, _ file: ProofFile, order: ProtocolTranscript.Order) throws -> VerifierView {
        let proof = try Proof.decode(file.body, for: m.vk.circuit)
        let ch = ProtocolTranscript.replay(key: m.vk, publicValues: file.publicValues, proof: proof, order: order)
        let claim = try PlonkVerifier.prepare(key: m.vk, proof: file, expectedPublicValues: nil, order: order)
        func batched(_ values: [Fr]) -> (sum: Fr, nextPower: Fr) {
            var sum = Fr.zero, power = Fr.one
            for e in values { sum += power * e; power *= ch.v }
            return (sum, power)
        }
        let atOmegaZeta = batched(proof.evaluationsAtOmegaZeta).sum
        // generatorScalar = −(E_ζ + μ·E_ωζ); E_ζ = Σ v^i·e_i + v^|S_ζ|·h(ζ).
        let atZeta = -claim.generatorScalar - ch.mu * atOmegaZeta
        let (partial, power) = batched(proof.evaluationsAtZeta)
        return VerifierView(challenges: ch, valueAtZeta: atZeta, valueAtOmegaZeta: atOmegaZeta,
                            quotientAtZeta: (atZeta - partial) * power.inverse())
    }

    // MARK: ρ

    /// §16.2 row ρ_j, §11 (the fold's Schwartz–Zippel argument needs ρ after x and y): ρ drawn before the advice: on the gadget model, a product lane whose first operand is a Relu's 0
    /// satisfies 2^s·q + r = a·b + 2^(s−1) for *any* b, so b is a free cell that only the fold ties to fc_b's
    /// output. Knowing ρ, the prover publishes a false linear output and sets b to the field element that makes
    /// Σ_p ρ^p·e_p vanish: every constraint of the circuit then holds at that ρ.
    @Test func rhoBeforeAdviceAllowsAFalseOutput() throws {
        let m = gadgets
        let out = m.output("linear")
        var a = try m.honest()
        try m.claim(&a, output: out, element: 0, m.direct(output: out, element: 0) + 1)
        let g = try m.group("product")
        let lane = m.cells(g, try #require(try m.lanes(g) { $0[0] == 0 }.first))
        let b = lane.free[1]
        var forged: (witness: Assignment, rho: Fr)?
        let proof = try PlonkProver.proveOutOfOrder(.rhoBeforeAdvice, key: m.key, circuit: m.circuit, assignment: a,
                                                    witness: m.phase2) { state, a in
            let rho = state.rho[m.compiled.rho.index]
            func close(_ value: Fr) throws -> Fr {
                var trial = a
                try trial.set(b, row: lane.row, value)
                try m.compiled.assignSum(&trial, rho: rho)
                return trial.value(m.compiled.relationLayout.receiverSum, row: m.compiled.layout.closeRow)!
            }
            let honestB = a.value(b, row: lane.row)!
            let (s0, s1) = (try close(honestB), try close(honestB + .one))  // the close is affine in b
            try a.set(b, row: lane.row, honestB - s0 * (s1 - s0).inverse())
            forged = (a, rho)
        }
        let (witness, rho) = try #require(forged)
        #expect(try m.failures(witness, rho: rho).isEmpty, "at the ρ the prover saw, every constraint holds")
        #expect(try m.failures(witness) == [m.close], "at any other ρ the fold does not close")
        try requireForgery(m, proof, order: .rhoBeforeAdvice)
    }

    // MARK: θ

    /// §16.2 row θ, §9 (compression): θ drawn before the advice: a sigmoid lane clamped beyond the grid interpolates with g = 0, so its slope
    /// Δ is read by nothing but the lookup. The prover claims T + 1 (a false output) and Δ − θ^{-1}: the
    /// compressed tuple tag + θ·u + θ²·(T + 1) + θ³·(Δ − θ^{-1}) is the genuine row's, so the logUp
    /// argument counts it as that row.
    @Test func thetaBeforeAdviceAllowsAFalseTableValue() throws {
        let m = gadgets
        let g = try m.group("sigmoid"), out = m.output("sigmoid")
        let index = try #require(try m.lanes(g) { $0[1] != $0[3] }.first)  // z clamped to u: g = 0
        let lane = m.cells(g, index)
        var a = try m.honest()
        try m.claim(&a, output: out, element: index, m.direct(output: out, element: index) + 1)
        var forged: Assignment?
        let proof = try PlonkProver.proveOutOfOrder(.thetaBeforeAdvice, key: m.key, circuit: m.circuit, assignment: a,
                                                    witness: m.phase2) { state, a in
            try a.set(lane.free[3], row: lane.row, a.value(lane.free[3], row: lane.row)! + .one)
            try a.set(lane.free[4], row: lane.row, a.value(lane.free[4], row: lane.row)! - state.theta.inverse())
            forged = a
        }
        // Literally (not θ-compressed), the tuple is no row of the table: the checker names the lookup only.
        #expect(try m.failures(try #require(forged)) == [m.tableLookup(g, index)])
        try requireForgery(m, proof, order: .thetaBeforeAdvice)
    }

    // MARK: β, γ

    /// §16.2 row β, γ, §9 ("with m fixed before β"): β (and γ) drawn before the multiplicities: a tanh lane claims T + 1, which is no table row; knowing β,
    /// the prover puts the whole imbalance Σ q/(β + a) − Σ m·q_t/(β + t) on one table row's multiplicity
    /// (`ProverState.commitMultiplicities(forgingWithKnownBeta:)`), and the running sum closes.
    @Test func betaBeforeMultiplicitiesAllowsAnInputOutsideTheTable() throws {
        let m = gadgets
        let g = try m.group("tanh"), out = m.output("tanh")
        let lane = m.cells(g, 2)
        var a = try m.honest()
        try a.set(lane.free[3], row: lane.row, a.value(lane.free[3], row: lane.row)! + .one)
        try m.claim(&a, output: out, element: 2, m.direct(output: out, element: 2) + 1)
        #expect(try m.failures(a) == [m.tableLookup(g, 2)])
        let proof = try PlonkProver.proveOutOfOrder(.betaBeforeMultiplicities, key: m.key, circuit: m.circuit, assignment: a,
                                                    witness: m.phase2)
        try requireForgery(m, proof, order: .betaBeforeMultiplicities)
    }

    // MARK: α

    /// §16.2 row α, §7 (constraint order): α drawn before the accumulators: with a failing gate at row r (the fold's close, value G ≠ 0), the
    /// prover adds a₁ to φ₁ and a₂ to φ₂ on rows r' + 1 … r, for a lane row r' < r where the two lookups'
    /// inputs differ. Each running-sum transition then changes at rows r' and r only, by ±a_l·A_l·T_l, and a₁,
    /// a₂ solve the 2×2 system that cancels G at row r and keeps row r' balanced: Σ α^i·C_i vanishes on every
    /// row although a gate fails, so the "quotient" is a polynomial and every opening is honest.
    @Test func alphaBeforeAccumulatorsAllowsAFalseOutput() throws {
        let m = Self.tinyColumns
        #expect(m.circuit.lookupSums.count >= 2 && m.circuit.permutationColumns.isEmpty)
        let a = try falseOutput(m)
        let r = m.compiled.layout.closeRow
        let proof = try PlonkProver.proveOutOfOrder(.alphaBeforeAccumulators, key: m.key, circuit: m.circuit, assignment: a,
                                                    witness: m.phase2) { state, _ in
            let c = state.c
            // The α-weighted gate terms Σ α^i·q_i·e_i at a row; `index` ends at the first lookup constraint.
            var index = 0
            func gates(_ row: Int) -> Fr {
                var total = Fr.zero
                index = 0
                for gate in c.gates {
                    for constraint in gate.constraints {
                        total += state.alpha.power(UInt64(index)) * state.cell(gate.selector.column, row) * state.evaluate(constraint, row: row)
                        index += 1
                    }
                }
                return total
            }
            /// α^i·Π A_l·[T] at a row, for running sum s's transition constraint (index + 2s + 1; §9's batching:
            /// L_0·φ_s and the transition per sum, then L_u·Σφ per table).
            func weight(_ s: Int, _ row: Int) -> Fr {
                let sum = c.lookupSums[s]
                var product = state.alpha.power(UInt64(index + 2 * s + 1))
                for l in sum.lookups {
                    let lookup = c.lookups[l]
                    var input = state.beta, power = Fr.one
                    for e in lookup.inputs {
                        input += power * state.evaluate(e, row: row)
                        power *= state.theta
                    }
                    product *= input
                }
                if sum.carriesTable {
                    let lookup = c.lookups[sum.lookups[0]]
                    var table = state.beta, power = Fr.one
                    for column in lookup.table {
                        table += power * state.cell(column.column, row)
                        power *= state.theta
                    }
                    product *= table
                }
                return product
            }
            let g = gates(r)
            #expect(g != .zero && (0..<r).allSatisfy { gates($0) == .zero })
            let other = (0..<r).first { weight(0, $0) * weight(1, r) != weight(1, $0) * weight(0, r) }!
            // Row r: G − a₁·X₁ − a₂·Y₁ = 0; row r': a₁·X₂ + a₂·Y₂ = 0.
            let (x1, y1, x2, y2) = (weight(0, r), weight(1, r), weight(0, other), weight(1, other))
            let a2 = g * (y1 - x1 * y2 * x2.inverse()).inverse()
            let a1 = -a2 * y2 * x2.inverse()
            for row in (other + 1)...r {
                state.runningSums[0][row] += a1
                state.runningSums[1][row] += a2
            }
        }
        try requireForgery(m, proof, order: .alphaBeforeAccumulators)
    }

    // MARK: ζ

    /// §16.2 row ζ, §7 and §15 step 4: ζ drawn before the quotient: the prover first learns h(ζ) = N(ζ)/Z_H(ζ) as the verifier will compute it
    /// (a dry run with the same blinding: nothing before the quotient depends on it), then commits the constant
    /// polynomial h(ζ) as the whole quotient. It is no quotient at all (N is not divisible by Z_H: the fold does
    /// not close), but it opens at ζ to exactly what the verifier expects.
    @Test func zetaBeforeQuotientAllowsAFalseOutput() throws {
        // A relation-free circuit: with a committed relation the verifier's merged check (η, §13.5) hides the
        // values this forgery solves for, and Gemini's point β′ follows every challenge (§19.9).
        let m = Self.small
        let a = try m.falseOutput()
        let seed: UInt64 = 0x2e7a
        let dry = try PlonkProver.proveOutOfOrder(.zetaBeforeQuotient, key: m.key, circuit: m.circuit, assignment: a, seed: seed,
                                                  witness: m.phase2)
        let h = try view(m, dry, order: .zetaBeforeQuotient).quotientAtZeta
        let proof = try PlonkProver.proveOutOfOrder(.zetaBeforeQuotient, key: m.key, circuit: m.circuit, assignment: a, seed: seed,
                                                    witness: m.phase2) { state, _ in
            let n = state.n
            state.quotientChunks = state.quotientChunks.indices.map { i in
                Polynomial(coefficients: (i == 0 ? [h] : [.zero]) + [Fr](repeating: .zero, count: n - 1))
            }
        }
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: m.vk, proof: dry, order: .zetaBeforeQuotient) }
        try requireForgery(m, proof, order: .zetaBeforeQuotient)
    }

    // MARK: v

    /// §16.2 row v, §13.2: v drawn before the evaluations: the honest-looking quotient of a false witness opens to H(ζ) ≠ N(ζ)/Z_H(ζ),
    /// so the v-batched value the verifier expects at ζ differs from the committed one. The verifier's value is
    /// affine in the claimed multiplicity m₀(ζ) (it enters N linearly, and the batch with weight v^j); knowing v,
    /// the prover solves for the m₀(ζ) that makes the two equal (two dry runs with the same blinding give the
    /// line) and claims it. Every other evaluation, and both openings, are honest.
    @Test func vBeforeEvaluationsAllowsAFalseOutput() throws {
        // A relation-free circuit: with a committed relation the verifier's merged check (η, §13.5) hides the
        // values this forgery solves for, and Gemini's point β′ follows every challenge (§19.9).
        let m = Self.small
        let a = try m.falseOutput()
        let seed: UInt64 = 0x7e5
        let slot = EvaluationLayout(m.vk.circuit).lookups  // m₀(ζ) among the evaluations at ζ
        var committed = Fr.zero  // F_ζ(ζ): the value the openings really prove
        func run(_ delta: Fr) throws -> ProofFile {
            try PlonkProver.proveOutOfOrder(.vBeforeEvaluations, key: m.key, circuit: m.circuit, assignment: a, seed: seed,
                                            witness: m.phase2) { state, _ in
                committed = state.openingPolynomials().zeta.evaluate(at: state.zeta)
                state.claimedAtZeta[slot] += delta
            }
        }
        let e0 = try view(m, try run(.zero), order: .vBeforeEvaluations).valueAtZeta
        let e1 = try view(m, try run(.one), order: .vBeforeEvaluations).valueAtZeta
        #expect(e0 != committed, "the false witness's honest quotient does not open to what the verifier expects")
        let proof = try run((committed - e0) * (e1 - e0).inverse())
        #expect(try view(m, proof, order: .vBeforeEvaluations).valueAtZeta == committed)
        try requireForgery(m, proof, order: .vBeforeEvaluations)
    }

    // MARK: μ

    /// §16.2 row μ, §13.3: μ drawn before the openings: the verifier checks (τ − ζ)·W_ζ + μ·(τ − ωζ)·W_ωζ = R(τ) with
    /// R = F_ζ − E_ζ + μ·(F_ωζ − E_ωζ). Since X − ζ and X − ωζ are coprime, any R splits as
    /// (X − ζ)·A(X) + μ·(X − ωζ)·b with a constant b = R(ζ)/(μ·(ζ − ωζ)): knowing μ, the prover commits
    /// W_ζ = [A], W_ωζ = b·[1]₁ and so "opens" the false E_ζ (with the verifier's h(ζ) of a false witness).
    @Test func muBeforeOpeningsAllowsAFalseOutput() throws {
        // A relation-free circuit: with a committed relation the verifier's merged check (η, §13.5) hides the
        // values this forgery solves for, and Gemini's point β′ follows every challenge (§19.9).
        let m = Self.small
        let a = try m.falseOutput()
        let seed: UInt64 = 0x3b
        let dry = try PlonkProver.proveOutOfOrder(.muBeforeOpenings, key: m.key, circuit: m.circuit, assignment: a, seed: seed,
                                                  witness: m.phase2)
        let expected = try view(m, dry, order: .muBeforeOpenings)
        let proof = try PlonkProver.proveOutOfOrder(.muBeforeOpenings, key: m.key, circuit: m.circuit, assignment: a, seed: seed,
                                                    witness: m.phase2) { state, _ in
            let (fZeta, fOmegaZeta) = state.openingPolynomials()
            let zeta = state.zeta, omegaZeta = state.domain.generator * state.zeta, mu = state.mu
            let constant = { (c: Fr) in Polynomial(coefficients: [c]) }
            let remainder = (fZeta - constant(expected.valueAtZeta)) + (fOmegaZeta - constant(expected.valueAtOmegaZeta)).scaled(by: mu)
            let b = remainder.evaluate(at: zeta) * (mu * (zeta - omegaZeta)).inverse()
            let (quotient, rest) = (remainder - Polynomial(coefficients: [-omegaZeta, .one]).scaled(by: mu * b)).dividedByLinear(at: zeta)
            #expect(rest == .zero)
            let padded = { (p: Polynomial) in Polynomial(coefficients: p.coefficients + [Fr](repeating: .zero, count: state.n - p.coefficients.count)) }
            let commitments = state.commitCoefficients([padded(quotient), padded(constant(b))])
            (state.openingAtZeta, state.openingAtOmegaZeta) = (commitments[0], commitments[1])
        }
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: m.vk, proof: dry, order: .muBeforeOpenings) }
        try requireForgery(m, proof, order: .muBeforeOpenings)
    }

    /// §5 and §16.2: every wrong order but μ's gives a different transcript *that matters*: an honest proof made under any of
    /// them is rejected by the protocol's verifier, and the protocol's honest proof by each of theirs.
    @Test func honestProofsDoNotCrossOrders() throws {
        let m = Self.tinyStacked
        let honest = try m.honest()
        let good = try m.proveHonest()
        try m.verify(good)
        // ξ exists only with private weights (`PrivateWeightsTests`): mlp_tiny's key has none.
        for order in ProtocolTranscript.Order.allCases where order != .protocol && order != .xiBeforeWeightMask {
            let proof = try PlonkProver.proveOutOfOrder(order, key: m.key, circuit: m.circuit, assignment: honest, witness: m.phase2)
            try PlonkVerifier.verify(key: m.vk, proof: proof, order: order)
            // Compiled circuits carry a committed linear relation (§19.9), whose opening point β′ is drawn after
            // μ and every other challenge: every wrong order, μ's and s's included, changes the transcript that
            // β′ comes from, so an honest proof is rejected — by the pairing check or already by Gemini's fold
            // check (§13.5).
            #expect(rejected { try PlonkVerifier.verify(key: m.vk, proof: proof) }, "\(order)")
            #expect(rejected { try PlonkVerifier.verify(key: m.vk, proof: good, order: order) }, "\(order)")
        }
    }
}
