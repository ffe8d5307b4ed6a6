import ConstraintSystem
import FieldArithmetic
import KZG
import Testing
import TestSupport

@testable import PlonkProver
@testable import PlonkVerifier

/// The committed linear relation of docs/protocol.md §19 through the real prover and verifier: a
/// convolution, a dense tile, a copy and biases (`CommittedFoldCircuit`) whose public outputs only the
/// relation ties to the public inputs.
struct CommittedRelationProofTests {
    static let fold = try! CommittedFoldCircuit()
    static let key = try! KeyGeneration.generate(circuit: fold.circuit, srs: TestSRS.make(log2Size: fold.circuit.log2Rows))
    static let proof = try! PlonkProver.prove(
        key: key, circuit: fold.circuit, assignment: fold.assignment(), witness: fold.witness)

    @Test func honestProofVerifiesAndHasTheDocumentedSize() throws {
        let f = Self.fold
        try PlonkVerifier.verify(key: Self.key.verifyingKey, proof: Self.proof)
        // §14: v_com and the Gemini proof (ℓ = 5: 4 folds, 10 values, 3 witnesses) on top of the PLONK body.
        let c = Self.key.circuit
        #expect(c.hasWeightOpening && c.weightOpeningVariables == 5)
        #expect(Self.proof.body.count == ProofShape(f.circuit).bytes)
        #expect(Self.proof.body.count == c.proofBodyBytes)
        let withoutRelation = 32 * (c.proofCommitments + c.evaluationsAtZeta + c.evaluationsAtOmegaZeta)
        #expect(Self.proof.body.count - withoutRelation == 32 * (1 + 4 + 3 + 10))
        // The relation's gates keep the quotient at degree 3 (§19.4).
        #expect(f.circuit.quotientDegree == 3)
        #expect(f.circuit.gates.first { $0.name == "clr_run" }?.degree == 3)
        // The key's section holds one commitment per block, and the decoded key is the same key.
        #expect(Self.key.verifyingKey.blockCommitments.count == 11)
        let decoded = try VerifyingKey.decode(Self.key.verifyingKey.encoded)
        #expect(decoded.fingerprint == Self.key.verifyingKey.fingerprint)
        #expect(decoded.circuit.linearRelationShape == f.relation.shape)
        try PlonkVerifier.verify(key: decoded, proof: try ProofFile.decode(Self.proof.encoded))
        // The proving key file keeps the weights; a proof from the decoded one verifies.
        let pk = try ProvingKey.decode(Self.key.encoded)
        #expect(pk.linearRelation == f.relation)
        let again = try PlonkProver.prove(key: pk, circuit: f.circuit, assignment: f.assignment(), witness: f.witness)
        try PlonkVerifier.verify(key: decoded, proof: again)
    }

    /// The checker's Ω is the relation's own Σ ρ^i s^j W[i][j] (expanded entry by entry), and the honest T
    /// closes on it; a wrong receiver fails exactly the close of S.
    @Test func checkerEvaluatesTheClaimAndNamesAWrongReceiver() throws {
        let f = Self.fold
        var honest = try f.assignment()
        let (rho, s) = (Fr(0x1234_5678), Fr(0x9abc_def0))
        try honest.setChallenge(f.rho, rho)
        try f.witness(2, &honest)
        try honest.setChallenge(f.s, s)
        try f.witness(3, &honest)
        #expect(ConstraintChecker.check(f.circuit, honest).isEmpty)
        let close = f.layout.closeRow
        #expect(honest.value(f.layout.claimSum, row: close) == f.relation.expandedClaim(rho: rho, s: s))

        var receivers = f.receivers
        receivers[7] += 1  // a convolution output, published as such
        var cheat = try f.assignment(receivers: receivers)
        try cheat.setChallenge(f.rho, rho)
        try f.witness(2, &cheat)
        try cheat.setChallenge(f.s, s)
        try f.witness(3, &cheat)
        let failures = ConstraintChecker.check(f.circuit, cheat)
        #expect(failures.map { "\($0.constraintName ?? "?")@\($0.row ?? -1)" } == ["clr_close@\(close)"])
        if case .gate(_, let constraint, _, _, _) = failures.first { #expect(constraint == 0, "S does not close; T does") }
        // The prover refuses it with that report.
        #expect(throws: ProverError.self) {
            _ = try PlonkProver.prove(key: Self.key, circuit: f.circuit, assignment: try f.assignment(receivers: receivers), witness: f.witness)
        }
    }

    /// §13.4: a committed-relation proof batches with proofs of other keys on the same SRS (its block
    /// commitments merge like fixed commitments), and a false one in the batch is named.
    @Test func batchesWithProofsWithoutARelation() throws {
        let f = Self.fold
        let second = try PlonkProver.prove(key: Self.key, circuit: f.circuit, assignment: f.assignment(), witness: f.witness)
        var items: [PlonkVerifier.BatchItem] = [
            .init(key: Self.key.verifyingKey, proof: Self.proof),
            .init(key: Fixtures.featureKey.verifyingKey, proof: Fixtures.featureProof),
            .init(key: Self.key.verifyingKey, proof: second),
        ]
        let result = try PlonkVerifier.batchVerify(items)
        #expect(result.allValid)
        #expect(result.pairingChecks == 1, "one SRS: one merged check")
        items[2].proof.publicValues[2][CommittedFoldCircuit.startRow] += .one  // a false output
        let bad = try PlonkVerifier.batchVerify(items)
        #expect(bad.outcomes[0] == nil && bad.outcomes[1] == nil)
        // Its challenges moved with the public value, so its weight opening is for another point: named there.
        #expect(bad.outcomes[2] != nil && bad.outcomes[2]?.isMalformed == false)
    }

    /// A relation of constant terms only (no committed block): Ω is computed from the terms alone, and the
    /// proof has no v_com and no weight opening (§19.6).
    @Test func relationWithoutBlocksNeedsNoOpening() throws {
        var cs = ConstraintSystemBuilder()
        let x = cs.adviceColumn("x"), y = cs.adviceColumn("y")
        let rho = cs.challenge("rho", afterPhase: 1), s = cs.challenge("s", afterPhase: 2)
        // y_i = 3·x_i for 6 values, plus Σ over all x into one more receiver (a ones term).
        let shape = try LinearRelationShape(
            rho: rho, s: s, receiverCount: 7, producerCount: 6, receiverChannelStride: 1, producerChannelStride: 1,
            log2BlockRows: 0, log2BlockColumns: 1, blockShapes: [],
            terms: [LinearTerm(receiverOffset: 0, producerOffset: 0, box: [], kernel: .diagonal(size: 6, value: 3)),
                    LinearTerm(receiverOffset: 6, producerOffset: 0, box: [], kernel: .ones(rows: 1, columns: 6, value: 1))])
        let relation = try LinearRelation(shape: shape, blocks: [])
        let layout = try CommittedRelationLayout(
            &cs, relation: relation, producers: [x.cur], receivers: [y.cur], startRow: 0, rows: 7)
        let circuit = try cs.build()
        let xs: [Int64] = [4, -2, 9, 0, 7, -5]
        let ys = xs.map { 3 * $0 } + [xs.reduce(0, +)]
        func assignment(_ ys: [Int64]) throws -> Assignment {
            var a = Assignment(circuit: circuit)
            for r in 0..<7 {
                try a.set(x, row: r, r < 6 ? xs[r] : 0)
                try a.set(y, row: r, ys[r])
            }
            return a
        }
        let witness: (Int, inout Assignment) throws -> Void = { try layout.assign(phase: $0, &$1, circuit: circuit) }
        let key = try KeyGeneration.generate(circuit: circuit, srs: TestSRS.make(log2Size: circuit.log2Rows))
        #expect(!key.circuit.hasWeightOpening && key.verifyingKey.blockCommitments.isEmpty)
        let proof = try PlonkProver.prove(key: key, circuit: circuit, assignment: try assignment(ys), witness: witness)
        try PlonkVerifier.verify(key: try VerifyingKey.decode(key.verifyingKey.encoded), proof: proof)
        let c = key.circuit
        #expect(proof.body.count == 32 * (c.proofCommitments + c.evaluationsAtZeta + c.evaluationsAtOmegaZeta))
        var wrong = ys
        wrong[6] += 1
        let cheat = try PlonkProver.proveUnchecked(key: key, circuit: circuit, assignment: try assignment(wrong), witness: witness)
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: key.verifyingKey, proof: cheat) }
    }

    /// Hostile key bytes around the relation section (docs/proof-format.md §3.5): truncated or flipped files
    /// are refused; re-fingerprinted bodies with any section byte changed either are refused or decode to a
    /// key whose re-encoding is exactly those bytes (canonical); oversized counts are refused before allocating.
    @Test func relationSectionDecodingIsBoundedAndCanonical() throws {
        let vk = Self.key.verifyingKey
        let bytes = vk.encoded
        var rng = SeededRandom(seed: 19)
        for cut in stride(from: 0, to: bytes.count, by: 11) {
            #expect(throws: KeyError.self) { _ = try VerifyingKey.decode(Array(bytes.prefix(cut))) }
        }
        var w = ByteWriter()
        try vk.circuit.encodeLinearRelationSection(commitments: vk.blockCommitments, into: &w)
        let section = w.bytes
        let body = vk.body
        #expect(Array(body.suffix(section.count)) == section)
        let prefix = Array(body.dropLast(section.count))
        func file(_ body: [UInt8]) -> [UInt8] {
            var w = ByteWriter()
            w.raw(VerifyingKey.magic)
            w.u32(VerifyingKey.formatVersion)
            w.prefixed(body)
            w.raw(VerifyingKey.fingerprint(of: body))
            return w.bytes
        }
        var refused = 0
        for position in 0..<section.count {
            var tampered = section
            tampered[position] ^= UInt8(1 + rng.next() % 255)
            let candidate = file(prefix + tampered)
            do {
                let key = try VerifyingKey.decode(candidate)
                #expect(key.encoded == candidate, "section byte \(position): decoded but not canonical")
            } catch is KeyError {
                refused += 1
            }
        }
        #expect(refused > section.count / 3, "most changes are refused, \(refused) of \(section.count)")
        // Counts far beyond the bytes present (blocks, terms, a term's dimensions), a block step out of range, and
        // non-shortest or over-long varints, written field by field (docs/proof-format.md §3.5).
        let shape = vk.circuit.linearRelationShape!
        func sectionHead(_ w: inout ByteWriter, rho: [UInt8]? = nil) {
            w.u8(1)
            if let rho { w.raw(rho) } else { w.varint(shape.rho.index) }
            w.varint(shape.s.index)
            for v in [shape.receiverCount, shape.producerCount, shape.receiverChannelStride, shape.producerChannelStride] {
                w.varint(v)
            }
            w.varint(shape.log2BlockRows)
            w.varint(shape.log2BlockColumns)
        }
        func hostile(blocks: UInt64, terms: UInt64?, term: [UInt8] = [], rho: [UInt8]? = nil) -> [UInt8] {
            var w = ByteWriter()
            sectionHead(&w, rho: rho)
            w.varint(blocks)
            for b in shape.blockShapes.prefix(Int(min(blocks, UInt64(shape.blockShapes.count)))) {
                w.varint(b.rows - 1)
                w.varint(b.columns - 1)
            }
            if let terms { w.varint(terms) }
            w.raw(term)
            return file(prefix + w.bytes)
        }
        let b = UInt64(shape.blockShapes.count)
        let cases: [(String, [UInt8])] = [
            ("2^32 blocks", hostile(blocks: 1 << 32, terms: nil)),
            ("2^31 terms", hostile(blocks: b, terms: 1 << 31)),
            ("a term of 9 dimensions", hostile(blocks: b, terms: 1, term: [0x09, 0, 0])),
            ("kernel kind 3", hostile(blocks: b, terms: 1, term: [0x30, 0, 0, 0])),
            ("block step past the blocks", hostile(blocks: b, terms: 1, term: [0x00, 0, 0] + { var w = ByteWriter(); w.zigzag(Int64(b)); return w.bytes }())),
            ("block step below 0", hostile(blocks: b, terms: 1, term: [0x00, 0, 0, 1])),
            ("non-shortest varint", hostile(blocks: b, terms: nil, rho: [0x80 | UInt8(shape.rho.index), 0x00])),
            ("varint past 64 bits", hostile(blocks: b, terms: nil, rho: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])),
        ]
        for (what, candidate) in cases {
            #expect(throws: KeyError.self, "\(what)") { _ = try VerifyingKey.decode(candidate) }
        }
        // No section while the gates read Ω; a section after the end; trailing bytes.
        #expect(throws: KeyError.self) { _ = try VerifyingKey.decode(file(prefix)) }
        #expect(throws: KeyError.self) { _ = try VerifyingKey.decode(file(body + [0])) }
        #expect(throws: KeyError.self) { _ = try VerifyingKey.decode(file(body + section)) }
        // A proving key with its weights cut short or extended is refused.
        let pk = Self.key.encoded
        for cut in [1, 8, 17] { #expect(throws: KeyError.self) { _ = try ProvingKey.decode(Array(pk.dropLast(cut))) } }
        #expect(throws: KeyError.self) { _ = try ProvingKey.decode(pk + [0]) }
    }
}
