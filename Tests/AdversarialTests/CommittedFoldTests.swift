import BN254
import ConstraintSystem
import FieldArithmetic
import KZG
import MultilinearKZG
import Testing
import TestSupport

@testable import PlonkProver
@_spi(Testing) @testable import PlonkVerifier

/// Attacks on the committed linear relation (protocol.md §19) through the real prover and verifier, on
/// `CommittedFoldCircuit` (a convolution, a dense tile, a copy and biases whose public outputs only the
/// relation ties to the public inputs). Each test names the step of the argument it attacks:
///
/// | attack | caught by |
/// |---|---|
/// | a wrong receiver, everything else computed honestly | S's close (§19.4, the fold at ρ) |
/// | a wrong u that makes S close | T's close against Ω (§19.4, the fold at s) |
/// | u chosen after s (s drawn before u is absorbed) | only the order: it verifies under that order (§16.2) |
/// | a wrong v_com | the Gemini opening's last fold (§19.5, §19.6) |
/// | a changed Gemini fold, evaluation or witness | the opening's fold check or the merged pairing (§19.5) |
/// | a prover with other weights, consistent everywhere | the opening against the key's [K_b] (§19.5) |
/// | a key whose block commitment is replaced | the fingerprint (§16.1), or the opening (§19.7) |
/// | the committed blocks permuted (prover's blocks, or the key's commitments) | the opening: c_b binds block b's place |
struct CommittedFoldTests {
    static let fold = try! CommittedFoldCircuit(seed: 3)
    static let key = try! KeyGeneration.generate(
        circuit: fold.circuit, srs: try! AdversarialSRS.make(log2Size: fold.circuit.log2Rows))
    static let honest = try! PlonkProver.prove(
        key: key, circuit: fold.circuit, assignment: fold.assignment(), witness: fold.witness)
    var fold: CommittedFoldCircuit { Self.fold }
    var vk: VerifyingKey { Self.key.verifyingKey }
    /// A convolution output (receiver i₀) that the cheats below change by δ = 1, publishing the false value.
    static let wrongReceiver = 7

    func falseReceivers() -> [Int64] {
        var r = fold.receivers
        r[Self.wrongReceiver] += 1
        return r
    }

    /// "name@row#constraint" of every checker failure at fixed ρ, s (what a cheat breaks, literally).
    func failures(_ a: Assignment, foldVector: (Fr, Fr) -> [Fr]? = { _, _ in nil }) throws -> [String] {
        var full = a
        let (rho, s) = (Fr(0x5151_5151), Fr(0x7373_7373))
        try full.setChallenge(fold.rho, rho)
        try fold.layout.assign(phase: 2, &full, circuit: fold.circuit, foldVector: foldVector(rho, s))
        try full.setChallenge(fold.s, s)
        try fold.layout.assign(phase: 3, &full, circuit: fold.circuit)
        return ConstraintChecker.check(fold.circuit, full).map { f in
            if case .gate(let gate, let constraint, let row, _, _) = f { return "\(gate)@\(row)#\(constraint)" }
            return f.description
        }
    }

    var close: Int { fold.layout.closeRow }

    @Test func honestProofVerifies() throws {
        try PlonkVerifier.verify(key: try VerifyingKey.decode(vk.encoded), proof: try ProofFile.decode(Self.honest.encoded))
    }

    // MARK: The two folds (§19.4)

    /// §19.4 (with u = u*, S forces Σ_i ρ^i·((W·x)_i − recv_i) = 0): a false convolution output, published;
    /// u, S, T all computed honestly by the recurrences. Only S's close fails, and the verifier rejects.
    @Test func wrongReceiverWithAnOtherwiseConsistentWitnessIsRejected() throws {
        let a = try fold.assignment(receivers: falseReceivers())
        #expect(try failures(a) == ["clr_close@\(close)#0"])
        let proof = try PlonkProver.proveUnchecked(key: Self.key, circuit: fold.circuit, assignment: a, witness: fold.witness)
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: vk, proof: proof) }
    }

    /// The fold vector u* + Δ with Δ on one producer j (x_j ≠ 0), Δ_j·x_j = ρ^(i₀)·δ: S closes on the false
    /// receiver. It can be chosen after ρ (u is committed after ρ), but not after s.
    func closingFoldVector(rho: Fr, producer j: Int) -> [Fr] {
        var u = fold.relation.foldVector(rho: rho)
        u[j] += rho.power(UInt64(Self.wrongReceiver)) * Fr(signed: fold.producers[j]).inverse()
        return u
    }

    /// §19.4 (T forces Σ_j s^j·u_j = Ω, a polynomial in s fixed before s): a wrong u that makes S close on a
    /// false receiver leaves T's close off by s^j·Δ_j. Only T's close fails; the verifier rejects.
    @Test func wrongFoldVectorThatClosesSIsRejected() throws {
        let j = try #require(fold.producers.firstIndex { $0 != 0 })
        let a = try fold.assignment(receivers: falseReceivers())
        #expect(try failures(a) { rho, _ in closingFoldVector(rho: rho, producer: j) } == ["clr_close@\(close)#1"])
        let proof = try PlonkProver.proveUnchecked(key: Self.key, circuit: fold.circuit, assignment: a) { phase, a in
            guard let rho = a.challenges[fold.rho.index] else { return }  // phase 1: nothing to fill
            try fold.layout.assign(
                phase: phase, &a, circuit: fold.circuit, foldVector: phase == 2 ? closingFoldVector(rho: rho, producer: j) : nil)
        }
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: vk, proof: proof) }
    }

    /// §16.2 row s, §19.4: with s drawn before u is absorbed (`Order.sBeforeFoldVector`), the prover spreads
    /// Δ over two producers so that S closes on the false receiver (Δ₁x₁ + Δ₂x₂ = ρ^(i₀)) *and*
    /// Σ s^j·Δ_j = 0, so T still closes on Ω: every constraint holds, and the forgery verifies under that
    /// order — and is rejected under the protocol's, where s follows u.
    @Test func sDrawnBeforeTheFoldVectorAllowsAForgery() throws {
        let nonZero = fold.producers.indices.filter { fold.producers[$0] != 0 }
        let (j1, j2) = (nonZero[0], nonZero[1])
        func forged(rho: Fr, s: Fr) -> [Fr] {
            var u = fold.relation.foldVector(rho: rho)
            let (a, b) = (Fr(signed: fold.producers[j1]), Fr(signed: fold.producers[j2]))
            let (p, q) = (s.power(UInt64(j1)), s.power(UInt64(j2)))
            let e = rho.power(UInt64(Self.wrongReceiver))
            let d = (a * q - b * p).inverse()
            u[j1] += e * q * d
            u[j2] -= e * p * d
            return u
        }
        let a = try fold.assignment(receivers: falseReceivers())
        #expect(try failures(a) { rho, s in forged(rho: rho, s: s) }.isEmpty, "at the s it was made for, the forgery satisfies everything")
        var seen: (rho: Fr, s: Fr)?
        let proof = try PlonkProver.proveOutOfOrder(
            .sBeforeFoldVector, key: Self.key, circuit: fold.circuit, assignment: a,
            witness: { phase, a in
                guard let rho = a.challenges[fold.rho.index] else { return }  // phase 1: nothing to fill
                let s = a.challenges[fold.s.index]
                if phase == 2 { seen = (rho, try #require(s, "s is known when u is filled")) }
                try fold.layout.assign(
                    phase: phase, &a, circuit: fold.circuit, foldVector: phase == 2 ? forged(rho: rho, s: s!) : nil)
            })
        #expect(seen != nil)
        let key = try VerifyingKey.decode(vk.encoded)
        let file = try ProofFile.decode(proof.encoded)
        #expect(throws: Never.self, "verifies under the wrong order") { try PlonkVerifier.verify(key: key, proof: file, order: .sBeforeFoldVector) }
        // Under the protocol's order s is another challenge s′ (ρ is the same): the u fixed for the early s
        // leaves T's close off at s′ — and the weight opening, made for the early s's opening point, is the
        // first check of the verifier to fail.
        let early = try #require(seen)
        let ch = ProtocolTranscript.replay(key: key, publicValues: file.publicValues, proof: try Proof.decode(file.body, for: key.circuit))
        #expect(ch.rho[fold.rho.index] == early.rho && ch.rho[fold.s.index] != early.s)
        var replayed = a
        try replayed.setChallenge(fold.rho, early.rho)
        try fold.layout.assign(phase: 2, &replayed, circuit: fold.circuit, foldVector: forged(rho: early.rho, s: early.s))
        try replayed.setChallenge(fold.s, ch.rho[fold.s.index])
        try fold.layout.assign(phase: 3, &replayed, circuit: fold.circuit)
        #expect(ConstraintChecker.check(fold.circuit, replayed).map { "\($0.constraintName ?? "")@\($0.row ?? -1)" } == ["clr_close@\(close)"])
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: key, proof: file) }
        do { try PlonkVerifier.verify(key: key, proof: file) } catch let e as VerificationError { #expect(!e.isMalformed) }
    }

    // MARK: The weight opening (§19.5, §19.6)

    /// §19.6 (Ω = constant + v_com) and §19.5: a prover that claims v_com + 1 — its Ω follows, absorbed
    /// before θ — cannot open the key's blocks to it: the Gemini proof's last fold is the true value.
    @Test func wrongCommittedValueIsRejectedByTheOpening() throws {
        let proof = try PlonkProver.proveClaimingCommittedValue(
            { $0 + .one }, key: Self.key, circuit: fold.circuit, assignment: try fold.assignment(), witness: fold.witness)
        #expect(throws: VerificationError.weightOpeningFailed(Gemini.Failure.valueMismatch.description)) {
            try PlonkVerifier.verify(key: vk, proof: proof)
        }
    }

    /// §19.5: each part of an honest proof's Gemini proof changed — a fold commitment, an evaluation at β or
    /// −β, an opening witness — is rejected (by the fold check or by the merged pairing), never accepted.
    @Test func tamperedWeightOpeningIsRejected() throws {
        let proof = try Proof.decode(Self.honest.body, for: vk.circuit)
        let opening = try #require(proof.weightOpening)
        let shift = G1Projective(G1Affine.generator) * Fr(5)
        func moved(_ p: G1Affine) -> G1Affine { (G1Projective(p) + shift).toAffine() }
        var changes: [(String, (inout Gemini.Proof) -> Void)] = []
        for t in opening.folds.indices { changes.append(("fold \(t)", { $0.folds[t] = moved($0.folds[t]) })) }
        for t in opening.atBeta.indices {
            changes.append(("f_\(t)(β)", { $0.atBeta[t] += .one }))
            changes.append(("f_\(t)(−β)", { $0.atMinusBeta[t] += .one }))
        }
        for w in opening.witnesses.indices { changes.append(("witness \(w)", { $0.witnesses[w] = moved($0.witnesses[w]) })) }
        for (name, change) in changes {
            var p = proof
            change(&p.weightOpening!)
            var file = Self.honest
            file.body = p.encoded
            #expect(throws: VerificationError.self, "\(name)") { try PlonkVerifier.verify(key: vk, proof: file) }
            do { try PlonkVerifier.verify(key: vk, proof: file) } catch let e as VerificationError {
                #expect(e == .pairingCheckFailed || { if case .weightOpeningFailed = e { return true }; return false }(), "\(name): \(e)")
            }
        }
        // v_com itself changed in the body: Ω moves and the opening's last fold no longer matches.
        var p = proof
        p.committedValue! += .one
        var file = Self.honest
        file.body = p.encoded
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: vk, proof: file) }
    }

    /// §19.5 (binding is KZG's): a prover whose relation has other weights W′ (one dense weight + 1) proves a
    /// witness that satisfies every constraint for W′ — its u, Ω and v_com are W′'s — under the honest key.
    /// Its outputs are false for the key's model; the opening of W′'s blocks against the key's [K_b] fails.
    @Test func proverWithOtherWeightsIsRejected() throws {
        let other = try CommittedFoldCircuit(seed: 3, denseShift: 1)
        #expect(other.receivers != fold.receivers, "W′ gives other outputs")
        let k = Self.key
        let hybrid = ProvingKey(
            verifyingKey: k.verifyingKey, domain: k.domain, fixedValues: k.fixedValues, sigmaValues: k.sigmaValues,
            powersG1: k.powersG1, lagrangeG1: k.lagrangeG1, linearRelation: other.relation)
        // The checker (with W′) accepts: the proof is honest for W′.
        let proof = try PlonkProver.prove(key: hybrid, circuit: other.circuit, assignment: try other.assignment(), witness: other.witness)
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: vk, proof: proof) }
    }

    /// §16.1, §19.7: the block commitments are bound by the fingerprint — an edited key file is refused; a
    /// key re-made with one commitment replaced (W′'s dense block) is another key: the honest proof names
    /// the original, and a proof by the honest prover (weights W) made for the replaced key fails its opening.
    @Test func keyWithAReplacedBlockCommitmentIsRejected() throws {
        let other = try CommittedFoldCircuit(seed: 3, denseShift: 1)
        let otherKey = try KeyGeneration.generate(circuit: other.circuit, srs: try AdversarialSRS.make(log2Size: fold.circuit.log2Rows))
        let replacement = otherKey.verifyingKey.blockCommitments[10]
        #expect(replacement != vk.blockCommitments[10])
        // The key file edited in place: the fingerprint no longer matches (or the point does not decode).
        var bytes = vk.encoded
        let original = vk.blockCommitments[10].compressed
        let at = try #require((0...(bytes.count - 32)).last { Array(bytes[$0..<($0 + 32)]) == original })
        bytes.replaceSubrange(at..<(at + 32), with: replacement.compressed)
        #expect(throws: KeyError.fingerprintMismatch) { _ = try VerifyingKey.decode(bytes) }
        // A consistent key with the replaced commitment.
        var commitments = vk.blockCommitments
        commitments[10] = replacement
        let replaced = try VerifyingKey(
            circuit: vk.circuit, fixedCommitments: vk.fixedCommitments, permutationCommitments: vk.permutationCommitments,
            srs: vk.srs, metadata: vk.metadata, blockCommitments: commitments)
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: replaced, proof: Self.honest) }
        let k = Self.key
        let honestWeights = ProvingKey(
            verifyingKey: replaced, domain: k.domain, fixedValues: k.fixedValues, sigmaValues: k.sigmaValues,
            powersG1: k.powersG1, lagrangeG1: k.lagrangeG1, linearRelation: fold.relation)
        let proof = try PlonkProver.prove(key: honestWeights, circuit: fold.circuit, assignment: try fold.assignment(), witness: fold.witness)
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: replaced, proof: proof) }
        // …while the same prover's proof under the true key verifies.
        try PlonkVerifier.verify(key: vk, proof: try PlonkProver.prove(
            key: Self.key, circuit: fold.circuit, assignment: try fold.assignment(), witness: fold.witness))
    }
    /// §19.5 (the opening combines the blocks as Σ_b c_b·K_b, c_b block b's coefficient at (ρ, s)): the key's own
    /// committed blocks in another order are another W. The nine tap blocks rotated by one (each term reads the
    /// next tap's block): a prover whose relation holds them so proves a witness consistent with that W′ — its u,
    /// Ω and v_com are W′'s, its outputs W′·x — under the honest key, and the opening against the key's [K_b]
    /// fails. The other side: a key with the same commitments permuted (the same multiset of blocks) is another
    /// key — the edited key file is refused, the honest proof does not verify under the re-made key, and neither
    /// does an honest prover's proof made for it.
    @Test func permutedCommittedBlocksAreRejected() throws {
        let rotation = (0..<9).map { ($0 + 1) % 9 }
        let permuted = try CommittedFoldCircuit(seed: 3, tapOrder: rotation)
        #expect(Set(permuted.relation.blocks) == Set(fold.relation.blocks), "the same blocks…")
        #expect(permuted.relation.blocks != fold.relation.blocks, "…in another order")
        #expect(permuted.receivers != fold.receivers, "W′ gives other outputs")
        let k = Self.key
        let hybrid = ProvingKey(
            verifyingKey: k.verifyingKey, domain: k.domain, fixedValues: k.fixedValues, sigmaValues: k.sigmaValues,
            powersG1: k.powersG1, lagrangeG1: k.lagrangeG1, linearRelation: permuted.relation)
        #expect(try failures(try permuted.assignment()).isEmpty == false, "W′'s witness breaks the honest relation")
        // The checked prover accepts: the proof is honest for W′.
        let proof = try PlonkProver.prove(key: hybrid, circuit: permuted.circuit, assignment: try permuted.assignment(),
                                          witness: permuted.witness)
        #expect(throws: VerificationError.pairingCheckFailed) {
            try PlonkVerifier.verify(key: try VerifyingKey.decode(vk.encoded), proof: try ProofFile.decode(proof.encoded))
        }

        // The key's commitments in another order (two tap blocks swapped, then all nine rotated).
        for order in [[1, 0] + Array(2..<9), rotation] {
            var commitments = vk.blockCommitments
            for t in 0..<9 { commitments[t] = vk.blockCommitments[order[t]] }
            #expect(commitments != vk.blockCommitments)
            // Edited in place in the key file: the fingerprint no longer matches.
            var bytes = vk.encoded
            let places = try (0..<9).map { t in
                try #require((0...(bytes.count - 32)).first { Array(bytes[$0..<($0 + 32)]) == vk.blockCommitments[t].compressed })
            }
            for t in 0..<9 { bytes.replaceSubrange(places[t]..<(places[t] + 32), with: commitments[t].compressed) }
            #expect(throws: KeyError.fingerprintMismatch) { _ = try VerifyingKey.decode(bytes) }
            // Re-made consistently: another fingerprint, and the honest proof is rejected under it.
            let reordered = try VerifyingKey(
                circuit: vk.circuit, fixedCommitments: vk.fixedCommitments, permutationCommitments: vk.permutationCommitments,
                srs: vk.srs, metadata: vk.metadata, blockCommitments: commitments)
            #expect(reordered.fingerprint != vk.fingerprint)
            #expect(throws: VerificationError.self) {
                try PlonkVerifier.verify(key: try VerifyingKey.decode(reordered.encoded), proof: try ProofFile.decode(Self.honest.encoded))
            }
            // An honest prover (weights W, blocks in the canonical order) proving for the reordered key: the opening fails.
            let forReordered = ProvingKey(
                verifyingKey: reordered, domain: k.domain, fixedValues: k.fixedValues, sigmaValues: k.sigmaValues,
                powersG1: k.powersG1, lagrangeG1: k.lagrangeG1, linearRelation: fold.relation)
            let honestWeights = try PlonkProver.prove(key: forReordered, circuit: fold.circuit, assignment: try fold.assignment(),
                                                      witness: fold.witness)
            #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: reordered, proof: honestWeights) }
        }
    }
}
