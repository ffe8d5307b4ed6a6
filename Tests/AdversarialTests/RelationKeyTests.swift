import BN254
@testable import ConstraintSystem
import FieldArithmetic
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// The verifying key's relation section (docs/proof-format.md §3.5, format 3) binds what the verifier computes
/// Ω from: the links the compiler emits as public c·diag terms (docs/protocol.md §19.9), the block terms and
/// the block commitments. A key with any of them changed is another key, and a prover holding the true weights
/// and the true links cannot make a proof that key accepts.
@Suite(.serialized)
struct RelationKeyTests {
    static let model = try! ProvedModel(shared: "mlp_tiny")

    /// A prover with the model's own weights and witness, proving for `vk` (the checker is off: the witness
    /// satisfies the true relation, not the edited one). Its circuit carries `vk`'s relation shape with the true
    /// blocks, so its fold vector is the edited key's u = ρᵀW′.
    func proveFor(_ vk: VerifyingKey) throws -> ProofFile {
        let m = Self.model, k = m.key
        let relation = try LinearRelation(shape: try #require(vk.circuit.linearRelationShape), blocks: m.compiled.relation.blocks)
        let key = ProvingKey(
            verifyingKey: vk, domain: k.domain, fixedValues: k.fixedValues, sigmaValues: k.sigmaValues,
            powersG1: k.powersG1, lagrangeG1: k.lagrangeG1, linearRelation: relation)
        var a = try m.honest()
        try m.compiled.fillLinks(&a)
        return try PlonkProver.proveUnchecked(key: key, circuit: m.circuit.withLinearRelation(relation), assignment: a,
                                              witness: m.phase2)
    }

    func rekeyed(terms: [LinearTerm]? = nil, commitments: [G1Affine]? = nil) throws -> VerifyingKey {
        let vk = Self.model.vk
        let shape = try #require(vk.circuit.linearRelationShape)
        let edited = try LinearRelationShape(
            rho: shape.rho, s: shape.s, receiverCount: shape.receiverCount, producerCount: shape.producerCount,
            receiverChannelStride: shape.receiverChannelStride, producerChannelStride: shape.producerChannelStride,
            log2BlockRows: shape.log2BlockRows, log2BlockColumns: shape.log2BlockColumns, blockShapes: shape.blockShapes,
            terms: terms ?? shape.terms)
        let key = try VerifyingKey(
            circuit: vk.circuit.withLinearRelation(edited), fixedCommitments: vk.fixedCommitments,
            permutationCommitments: vk.permutationCommitments, srs: vk.srs, metadata: vk.metadata,
            blockCommitments: commitments ?? vk.blockCommitments)
        // The edited key is a well-formed key: it survives its own encoding.
        return try VerifyingKey.decode(key.encoded)
    }

    /// The output ties are links: constant terms, public, and no block holds them.
    @Test func linksAreConstantTerms() throws {
        let shape = try #require(Self.model.vk.circuit.linearRelationShape)
        let diagonals = shape.terms.filter { if case .diagonal = $0.kernel { return true } else { return false } }
        #expect(!diagonals.isEmpty, "the output ties are c·diag terms")
        // The honest proof verifies with the true key.
        try Self.model.verify(try proveFor(Self.model.vk))
    }

    /// A link term with another value, or moved by one receiver, changes Ω: the true prover's T closes at the
    /// true Ω, so the edited key's verifier rejects.
    @Test func wrongLinkDescriptorIsRejected() throws {
        let shape = try #require(Self.model.vk.circuit.linearRelationShape)
        let t = try #require(shape.terms.firstIndex { if case .diagonal = $0.kernel { return true } else { return false } })
        guard case .diagonal(let size, let value) = shape.terms[t].kernel else { return }
        let term = shape.terms[t]
        var changedValue = shape.terms
        changedValue[t] = LinearTerm(receiverOffset: term.receiverOffset, producerOffset: term.producerOffset, box: term.box,
                                     kernel: .diagonal(size: size, value: value + 1))
        // Moved by one producer (towards 0, so it stays inside the index range).
        var moved = shape.terms
        moved[t] = LinearTerm(receiverOffset: term.receiverOffset,
                              producerOffset: term.producerOffset + (term.producerOffset > 0 ? -1 : 1), box: term.box,
                              kernel: term.kernel)
        for terms in [changedValue, moved] {
            let key = try rekeyed(terms: terms)
            #expect(key.fingerprint != Self.model.vk.fingerprint)
            #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: key, proof: try proveFor(key)) }
        }
    }

    /// A block term pointing at another block changes Ω as well.
    @Test func wrongBlockDescriptorIsRejected() throws {
        let shape = try #require(Self.model.vk.circuit.linearRelationShape)
        guard shape.blockShapes.count >= 2 else { Issue.record("mlp_tiny has fewer than 2 blocks"); return }
        let t = try #require(shape.terms.firstIndex { if case .block = $0.kernel { return true } else { return false } })
        guard case .block(let b) = shape.terms[t].kernel else { return }
        // Another block of the same shape, so the edited term stays inside the index ranges.
        guard let other = shape.blockShapes.indices.first(where: { $0 != b && shape.blockShapes[$0] == shape.blockShapes[b] }) else {
            return
        }
        var terms = shape.terms
        let term = terms[t]
        terms[t] = LinearTerm(receiverOffset: term.receiverOffset, producerOffset: term.producerOffset, box: term.box, kernel: .block(other))
        let key = try rekeyed(terms: terms)
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: key, proof: try proveFor(key)) }
    }

    /// Block commitments permuted (two swapped) or a byte of one flipped in the file.
    @Test func permutedOrFlippedBlockCommitmentsAreRejected() throws {
        let vk = Self.model.vk
        guard vk.blockCommitments.count >= 2 else { Issue.record("mlp_tiny has fewer than 2 blocks"); return }
        var swapped = vk.blockCommitments
        swapped.swapAt(0, 1)
        #expect(swapped != vk.blockCommitments)
        let key = try rekeyed(commitments: swapped)
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: key, proof: try proveFor(key)) }
        // The key file with one commitment byte flipped: the point does not decode or the fingerprint differs.
        var bytes = vk.encoded
        let original = vk.blockCommitments[1].compressed
        let at = try #require((0...(bytes.count - 32)).last { Array(bytes[$0..<($0 + 32)]) == original })
        bytes[at + 3] ^= 0x10
        #expect(throws: KeyError.self) { _ = try VerifyingKey.decode(bytes) }
    }
}
