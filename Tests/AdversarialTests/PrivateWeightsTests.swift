import BN254
import CircuitCompiler
import ConstraintSystem
import FieldArithmetic
import KZG
import MSM
import MultilinearKZG
import Testing
import TestSupport
import Transcript

@testable import PlonkProver
@_spi(Testing) @testable import PlonkVerifier

/// Private weights (docs/protocol.md §19.10) through the real key generation, prover and verifier, on the
/// committed-relation circuit of `CommittedRelationProofTests` (a convolution, a dense tile, biases, a copy).
@Suite(.serialized)
struct PrivateWeightsTests {
    static let fold = try! CommittedFoldCircuit()
    static let seed = [UInt8](repeating: 0x5a, count: 32)
    static let srs = try! AdversarialSRS.make(log2Size: fold.circuit.log2Rows + 1)
    static let key = try! KeyGeneration.generate(circuit: fold.circuit, srs: srs, privateWeightsSeed: seed)
    static let publicKey = try! KeyGeneration.generate(circuit: fold.circuit, srs: srs)
    static let proof = try! PlonkProver.prove(key: key, circuit: fold.circuit, assignment: fold.assignment(), witness: fold.witness)

    @Test func privateProofVerifiesAndHasTheDocumentedSize() throws {
        let vk = Self.key.verifyingKey
        let c = vk.circuit
        #expect(c.privateWeights != nil && c.hasPrivateWeights && c.geminiVariables == c.weightOpeningVariables + 1)
        try PlonkVerifier.verify(key: vk, proof: Self.proof)
        // §19.10: [g], one more fold and two more values than the public proof of the same circuit.
        let publicProof = try PlonkProver.prove(
            key: Self.publicKey, circuit: Self.fold.circuit, assignment: Self.fold.assignment(), witness: Self.fold.witness)
        #expect(Self.proof.body.count == publicProof.body.count + 128)
        #expect(Self.proof.body.count == c.proofBodyBytes)
        // The key and proof files round-trip; the decoded proving key proves again.
        let decoded = try VerifyingKey.decode(vk.encoded)
        #expect(decoded.fingerprint == vk.fingerprint && decoded.circuit.privateWeights == c.privateWeights)
        try PlonkVerifier.verify(key: decoded, proof: try ProofFile.decode(Self.proof.encoded))
        let pk = try ProvingKey.decode(Self.key.encoded)
        #expect(pk.weightBlinding == Self.key.weightBlinding)
        let again = try PlonkProver.prove(key: pk, circuit: Self.fold.circuit, assignment: Self.fold.assignment(), witness: Self.fold.witness)
        try PlonkVerifier.verify(key: decoded, proof: again)
        // §13.4: it batches with the public key's proof on the same SRS, in one pairing product.
        let batch = try PlonkVerifier.batchVerify([
            .init(key: vk, proof: Self.proof), .init(key: Self.publicKey.verifyingKey, proof: publicProof),
            .init(key: vk, proof: again),
        ])
        #expect(batch.allValid && batch.pairingChecks == 1)
    }

    /// Hiding commitments: two private setups of the same circuit (other seeds) share no block commitment with
    /// each other or with the public key; the same seed gives the same key (so verify-key can rebuild it), and
    /// the public key is what it was without the option.
    @Test func setupsDifferAndThePublicKeyIsUnchanged() throws {
        let other = try KeyGeneration.generate(
            circuit: Self.fold.circuit, srs: Self.srs, privateWeightsSeed: [UInt8](repeating: 0xa5, count: 32))
        let a = Self.key.verifyingKey.blockCommitments, b = other.verifyingKey.blockCommitments
        let plain = Self.publicKey.verifyingKey.blockCommitments
        #expect(a.count == plain.count && b.count == plain.count && !plain.isEmpty)
        for i in plain.indices { #expect(a[i] != b[i] && a[i] != plain[i] && b[i] != plain[i], "block \(i)") }
        let same = try KeyGeneration.generate(circuit: Self.fold.circuit, srs: Self.srs, privateWeightsSeed: Self.seed)
        #expect(same.verifyingKey.fingerprint == Self.key.verifyingKey.fingerprint)
        let smaller = try KeyGeneration.generate(circuit: Self.fold.circuit, srs: try Self.srs.truncated(toLog2Size: Self.fold.circuit.log2Rows))
        // The same ceremony cut to 2^k first: nothing changes but the key's origin label.
        #expect(Self.publicKey.verifyingKey.firstDifference(from: smaller.verifyingKey) == nil)
        #expect(Self.publicKey.verifyingKey.blockCommitments == smaller.verifyingKey.blockCommitments)
        #expect(Self.publicKey.verifyingKey.circuit.privateWeights == nil)
        // And each key verifies only its own proofs.
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: other.verifyingKey, proof: Self.proof) }
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: Self.publicKey.verifyingKey, proof: Self.proof) }
        var retargeted = Self.proof
        retargeted.keyFingerprint = other.verifyingKey.fingerprint
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: other.verifyingKey, proof: retargeted) }
    }

    /// `zkinfer stats --private-weights` and `ProofShape(_:privateWeights:)` predict a compiled model's private proof
    /// byte for byte (128 more than the public one) and its SRS (2^(k+1) points).
    @Test func statisticsPredictThePrivateProofSize() throws {
        let m = try ProvedModel(shared: "mlp_tiny")
        let srs = try AdversarialSRS.make(log2Size: m.circuit.log2Rows + 1)
        let key = try KeyGeneration.generate(circuit: m.circuit, srs: srs, privateWeightsSeed: Self.seed)
        let proof = try PlonkProver.prove(key: key, circuit: m.circuit, assignment: try m.honest(), witness: m.phase2)
        try PlonkVerifier.verify(key: key.verifyingKey, proof: proof)
        let stats = ModelStatistics(compiled: m.compiled, privateWeights: true)
        let publicStats = ModelStatistics(compiled: m.compiled)
        #expect(stats.proofBytes == proof.body.count)
        #expect(ProofShape(m.circuit, privateWeights: true).bytes == proof.body.count)
        #expect(key.verifyingKey.circuit.proofBodyBytes == proof.body.count)
        let publicProof = try m.proveHonest()
        #expect(publicStats.proofBytes + 128 == proof.body.count && publicStats.proofBytes == publicProof.body.count)
        #expect(stats.srsLog2Size == m.circuit.log2Rows + 1 && publicStats.srsLog2Size == m.circuit.log2Rows)
        #expect(stats.estimatedSetupPeakBytes > publicStats.estimatedSetupPeakBytes)
    }

    /// Issue 15's "a challenge reordered": ξ drawn before the mask commitment [g] is absorbed (§19.10 needs [g]
    /// fixed before ξ). Knowing ξ, a prover can choose g to match a mask cell that is not g(z) — the one cell that
    /// moves Ω by ξ·(g(z) − M), the lever of §19.10's soundness argument (ii). Such a proof verifies under that
    /// wrong order, and is rejected by the protocol's verifier; the same mask cell under the protocol's order is
    /// rejected too (`wrongMaskedValueAndTamperedOpeningAreRejected`).
    @Test func xiDrawnBeforeTheMaskCommitmentIsRejected() throws {
        let vk = Self.key.verifyingKey
        let forged = try PlonkProver.run(
            key: Self.key, circuit: Self.fold.circuit, assignment: try Self.fold.assignment(), witness: Self.fold.witness,
            checkWitness: false, randomness: .secure(), timings: ProverTimings(), order: .xiBeforeWeightMask,
            maskValue: { $0 + .one })
        try PlonkVerifier.verify(key: vk, proof: forged, order: .xiBeforeWeightMask)
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: vk, proof: forged) }
        // An honest proof made under the wrong order fails the protocol's verifier too, and the honest proof
        // fails the wrong order's: ξ's place in the transcript is checked, not only its value.
        let honestWrongOrder = try PlonkProver.run(
            key: Self.key, circuit: Self.fold.circuit, assignment: try Self.fold.assignment(), witness: Self.fold.witness,
            checkWitness: false, randomness: .secure(), timings: ProverTimings(), order: .xiBeforeWeightMask)
        try PlonkVerifier.verify(key: vk, proof: honestWrongOrder, order: .xiBeforeWeightMask)
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: vk, proof: honestWrongOrder) }
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: vk, proof: Self.proof, order: .xiBeforeWeightMask) }
    }

    /// Every 32-byte item of the body changed (one byte XOR-ed) is rejected, and never as malformed.
    @Test func everyTamperedItemIsRejected() throws {
        let vk = Self.key.verifyingKey
        let body = Self.proof.body
        var rng = SeededRandom(seed: 19)
        for item in 0..<(body.count / 32) {
            var file = Self.proof
            file.body[item * 32 + Int(rng.next() % 31)] ^= UInt8(1 + rng.next() % 255)
            do {
                try PlonkVerifier.verify(key: vk, proof: file)
                Issue.record("item \(item) changed: the proof still verifies")
            } catch let error as VerificationError {
                #expect(!error.isMalformed, "item \(item): \(error)")
            }
        }
    }

    /// The adversarial opening: a prover that claims ω̂ + 1 (Ω follows it) cannot open F there; a prover whose
    /// mask cell is not g(z) fails the quotient; nor does changing one Gemini value, fold or witness, the mask
    /// commitment or ω̂ in the proof survive.
    @Test func wrongMaskedValueAndTamperedOpeningAreRejected() throws {
        let vk = Self.key.verifyingKey
        let wrong = try PlonkProver.proveClaimingCommittedValue(
            { $0 + .one }, key: Self.key, circuit: Self.fold.circuit, assignment: try Self.fold.assignment(),
            witness: Self.fold.witness)
        #expect(throws: VerificationError.weightOpeningFailed(Gemini.Failure.valueMismatch.description)) {
            try PlonkVerifier.verify(key: vk, proof: wrong)
        }
        // The mask cell M(close + 1) ≠ g(z): T's close then misses Ω by ξ·(g(z) − M), a non-zero multiple of a
        // challenge drawn after M was committed; the quotient is not a polynomial and the pairing fails.
        let badMask = try PlonkProver.proveWithMaskValue(
            { $0 + .one }, key: Self.key, circuit: Self.fold.circuit, assignment: try Self.fold.assignment(),
            witness: Self.fold.witness)
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: vk, proof: badMask) }
        // The same hook with the honest value gives a valid proof: the rejection above is the mask's alone.
        let sameMask = try PlonkProver.proveWithMaskValue(
            { $0 }, key: Self.key, circuit: Self.fold.circuit, assignment: try Self.fold.assignment(), witness: Self.fold.witness)
        try PlonkVerifier.verify(key: vk, proof: sameMask)

        let proof = try Proof.decode(Self.proof.body, for: vk.circuit)
        let shift = G1Projective(G1Affine.generator) * Fr(7)
        func moved(_ p: G1Affine) -> G1Affine { (G1Projective(p) + shift).toAffine() }
        var changes: [(String, (inout Proof) -> Void)] = [
            ("[g]", { $0.weightMask = moved($0.weightMask!) }), ("ω̂", { $0.committedValue! += .one }),
        ]
        let opening = try #require(proof.weightOpening)
        for t in opening.folds.indices { changes.append(("fold \(t)", { $0.weightOpening!.folds[t] = moved($0.weightOpening!.folds[t]) })) }
        for t in opening.atBeta.indices {
            changes.append(("f_\(t)(β)", { $0.weightOpening!.atBeta[t] += .one }))
            changes.append(("f_\(t)(−β)", { $0.weightOpening!.atMinusBeta[t] += .one }))
        }
        for w in opening.witnesses.indices {
            changes.append(("witness \(w)", { $0.weightOpening!.witnesses[w] = moved($0.weightOpening!.witnesses[w]) }))
        }
        for (name, change) in changes {
            var p = proof
            change(&p)
            var file = Self.proof
            file.body = p.encoded
            #expect(throws: VerificationError.self, "\(name)") { try PlonkVerifier.verify(key: vk, proof: file) }
        }
    }

    /// What the public proof exposes — v_com = f(z), a linear function of the weights, and Gemini's values of f's
    /// folds — appears nowhere in the private proof, whose every weight-dependent field is a function of the
    /// masked F. The control: the same search finds v_com in the public proof.
    @Test func proofDoesNotContainTheWeightsLinearFunctions() throws {
        func scalars(_ body: [UInt8]) -> Set<[UInt8]> { Set(stride(from: 0, to: body.count, by: 32).map { Array(body[$0..<($0 + 32)]) }) }
        func exposed(key: ProvingKey, file: ProofFile) throws -> (vcom: Fr, folds: [Fr]) {
            let vk = key.verifyingKey
            let proof = try Proof.decode(file.body, for: vk.circuit)
            let (ch, replayed) = ProtocolTranscript.replayThroughOpenings(key: vk, publicValues: file.publicValues, proof: proof)
            var transcript = replayed
            let shape = try #require(vk.circuit.linearRelationShape)
            let (r, s) = (ch.rho[shape.rho.index], ch.rho[shape.s.index])
            let f = try #require(key.linearRelation).combinedBlocks(coefficients: shape.evaluate(rho: r, s: s).blockCoefficients)
            let z = shape.openingPoint(rho: r, s: s)
            // f's folds at this proof's β′ (the one its Gemini transcript draws).
            for c in proof.weightOpening!.folds { transcript.absorb(Gemini.Label.fold, point: c) }
            let beta = transcript.squeeze(Gemini.Label.beta)
            var polys = [f]
            for t in 0..<(z.count - 1) { polys.append(MonomialMultilinear.fold(polys[t], at: z[t])) }
            func horner(_ c: [Fr], at x: Fr) -> Fr { c.reversed().reduce(Fr.zero) { $0 * x + $1 } }
            let values = polys.flatMap { [horner($0, at: beta), horner($0, at: -beta)] }
            return (MonomialMultilinear.evaluate(f, at: z), values)
        }
        func bytes(_ x: Fr) -> [UInt8] { x.canonicalBytes }
        let (vcom, folds) = try exposed(key: Self.key, file: Self.proof)
        let items = scalars(Self.proof.body)
        #expect(!items.contains(bytes(vcom)), "v_com is not in the private proof")
        for (i, v) in folds.enumerated() { #expect(!items.contains(bytes(v)), "f's fold value \(i)") }
        let masked = try #require(try Proof.decode(Self.proof.body, for: Self.key.circuit).committedValue)
        #expect(masked != vcom)

        let publicProof = try PlonkProver.prove(
            key: Self.publicKey, circuit: Self.fold.circuit, assignment: Self.fold.assignment(), witness: Self.fold.witness)
        let (publicVcom, _) = try exposed(key: Self.publicKey, file: publicProof)
        #expect(scalars(publicProof.body).contains(bytes(publicVcom)), "control: the public proof carries v_com")
    }

    /// The zero-knowledge argument of §19.10, made executable: everything the verifier reads about the weights
    /// — [g], ω̂ and the Gemini proof — can be produced from the verifying key alone. For two keys of the same
    /// shape with different weights (and seeds), one random F, [g] := ξ⁻¹·([F] − Σ c_b·[K̂_b]) and ω̂ := F(z, 0)
    /// give an opening that each key's check accepts; both transcripts are the same bytes except [g].
    @Test func weightOpeningIsSimulatableFromTheKeyAlone() throws {
        let otherWeights = try CommittedFoldCircuit(denseShift: 3)
        let otherKey = try KeyGeneration.generate(
            circuit: otherWeights.circuit, srs: Self.srs, privateWeightsSeed: [UInt8](repeating: 0x33, count: 32))
        #expect(otherWeights.relation != Self.fold.relation)
        let c = Self.key.circuit
        let shape = try #require(c.linearRelationShape)
        let (rho, s, xi) = (Fr(0x1111_2222), Fr(0x3333_4444), Fr(0x5555_6666))
        let coefficients = shape.evaluate(rho: rho, s: s).blockCoefficients
        let point = shape.openingPoint(rho: rho, s: s) + [.zero]
        let size = 1 << c.weightOpeningVariables
        var rng = SeededRandom(seed: 3)
        var f = (0...size).map { _ in Fr(rng.next()) }
        f += [Fr](repeating: .zero, count: 2 * size - f.count)
        let value = MonomialMultilinear.evaluate(f, at: point)
        let powers = Self.srs.powersG1
        let commitmentF = msm(points: Array(powers[0...size]), scalars: Array(f[0...size]))
        var transcripts: [[UInt8]] = []
        for vk in [Self.key.verifyingKey, otherKey.verifyingKey] {
            let combined = msm(points: vk.blockCommitments, scalars: coefficients)
            let mask = ((commitmentF - combined) * xi.inverse()).toAffine()
            var proverTranscript = Transcript()
            let (opening, opened) = powers.withUnsafeBufferPointer {
                Gemini.prove(coefficients: f, point: point, powers: UnsafeBufferPointer(rebasing: $0[0..<(1 << c.log2Rows)]), transcript: &proverTranscript)
            }
            #expect(opened == value)
            var verifierTranscript = Transcript()
            var (terms, scalar) = try Gemini.verify(point: point, value: value, proof: opening, transcript: &verifierTranscript)
            for (b, cb) in coefficients.enumerated() { terms.right.append((vk.blockCommitments[b], scalar * cb)) }
            terms.right.append((mask, scalar * xi))
            #expect(terms.holds(generator: Self.srs.powersG1[0], g2: Self.srs.g2, tauG2: Self.srs.tauG2))
            let proof = Proof(
                advice: [], multiplicities: [], permutation: [], runningSums: [], quotient: [], evaluationsAtZeta: [],
                evaluationsAtOmegaZeta: [], openingAtZeta: .infinity, openingAtOmegaZeta: .infinity, committedValue: value,
                weightOpening: opening, weightMask: nil)
            transcripts.append(proof.encoded)
        }
        #expect(transcripts[0] == transcripts[1])
    }

    /// Key decoding refuses a private-weights section whose mask column is not opened at ωζ (the verifier would
    /// have no M(ωζ) for Ω) or is committed before s.
    @Test func badMaskColumnIsRefused() throws {
        let vk = Self.key.verifyingKey
        let c = vk.circuit
        let mask = try #require(c.privateWeights).maskColumn
        let atNext = Set(c.queriedAtNext(.advice))
        let shape = try #require(c.linearRelationShape)
        let notAtNext = try #require(c.adviceNames.indices.first { !atNext.contains($0) })
        let early = try #require(c.adviceNames.indices.first {
            atNext.contains($0) && c.advicePhases[$0] <= c.challengePhases[shape.s.index]
        })
        for bad in [notAtNext, early] {
            #expect(bad != mask)
            let key = try VerifyingKey(
                circuit: c.withPrivateWeights(PrivateWeights(maskColumn: bad)), fixedCommitments: vk.fixedCommitments,
                permutationCommitments: vk.permutationCommitments, srs: vk.srs, metadata: vk.metadata,
                blockCommitments: vk.blockCommitments)
            #expect(throws: KeyError.self, "mask column \(bad)") { _ = try VerifyingKey.decode(key.encoded) }
        }
    }
}
