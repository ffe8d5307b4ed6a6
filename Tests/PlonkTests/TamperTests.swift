import TestSupport
import BN254
import ConstraintSystem
import FieldArithmetic
@_spi(Testing) import PlonkVerifier
import Testing

@testable import PlonkProver

/// A valid proof changed in any way is rejected, each change with its specific reason.
struct TamperTests {
    let key = Fixtures.featureKey.verifyingKey
    let file = Fixtures.featureProof

    /// Every byte of the proof file (header, public values, body) XOR-ed with a random non-zero value.
    @Test func everyFlippedByteIsRejected() throws {
        let bytes = file.encoded
        var rng = SeededRandom(seed: 77)
        var reasons: [String: Int] = [:]
        let bodyStart = bytes.count - file.body.count
        for position in 0..<bytes.count {
            var tampered = bytes
            tampered[position] ^= UInt8(1 + rng.next() % 255)
            do {
                let decoded = try ProofFile.decode(tampered)
                try PlonkVerifier.verify(key: key, proof: decoded)
                Issue.record("byte \(position) flipped: the proof still verifies")
            } catch let error as VerificationError {
                let reason: String
                switch error {
                case .malformedProof: reason = "malformed"
                case .invalidProofElement: reason = "element"
                case .keyMismatch: reason = "key"
                case .publicValuesShape: reason = "shape"
                case .pairingCheckFailed: reason = "pairing"
                default: reason = "other"
                }
                reasons[reason, default: 0] += 1
                // A flip inside the framed body is an invalid proof (zkverify exit 1), never "malformed" (2).
                if position >= bodyStart { #expect(!error.isMalformed, "byte \(position): \(error)") }
            }
        }
        #expect((reasons["element"] ?? 0) > 0, "some flips break a point's encoding")
        // Flips in the fingerprint name another key; flips in values or points fail the pairing or decoding.
        #expect(reasons["key"] == 32)
        #expect((reasons["pairing"] ?? 0) > bytes.count / 3)
        #expect(reasons.values.reduce(0, +) == bytes.count)
    }

    @Test func truncatedAndExtendedProofsAreMalformed() throws {
        let bytes = file.encoded
        for cut in [1, 31, 32, 100, bytes.count - 1] {
            #expect(throws: VerificationError.self) { _ = try ProofFile.decode(Array(bytes.dropLast(cut))) }
        }
        #expect(throws: VerificationError.self) { _ = try ProofFile.decode(bytes + [0]) }
        // A consistent header around a body one item short: the body length check names it.
        var short = file
        short.body.removeLast(32)
        do {
            try PlonkVerifier.verify(key: key, proof: try ProofFile.decode(short.encoded))
            Issue.record("a short body verified")
        } catch let error as VerificationError {
            #expect(error.isMalformed)
            #expect(error.description.contains("needs exactly"))
        }
    }

    @Test func wrongPublicValueFailsThePairing() throws {
        var tampered = file
        tampered.publicValues[0][1] += .one
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: key, proof: tampered) }
        // With expected values given, the difference is named before any algebra.
        var expected = file.publicValues
        expected[0][2] = Fr(signed: -3)
        #expect(throws: VerificationError.unexpectedPublicValue(column: 0, row: 2, expected: "-3", actual: "\(Fixtures.feature.y[0])")) {
            try PlonkVerifier.verify(key: key, proof: file, expectedPublicValues: expected)
        }
        try PlonkVerifier.verify(key: key, proof: file, expectedPublicValues: file.publicValues)
        var missing = file
        missing.publicValues[0].removeLast()
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: key, proof: missing) }
    }

    /// The feature circuit bounds `out` to 16 bits: a value at 2^15 (or a large field element) is refused
    /// before the transcript, naming column, row and bound; −2^15 is inside and only fails the pairing.
    @Test func publicValueOutsideItsBoundIsRejectedFirst() throws {
        #expect(key.circuit.instanceBits == [16])
        var high = file
        high.publicValues[0][1] = Fr(1 << 15)
        #expect(throws: VerificationError.publicValueOutOfRange(column: 0, name: "out", row: 1, value: "32768", bits: 16)) {
            try PlonkVerifier.verify(key: key, proof: high)
        }
        var inside = file
        inside.publicValues[0][1] = Fr(signed: -(1 << 15))
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: key, proof: inside) }
        // Even with the expected values equal to the proof's: the bound comes first.
        var huge = file
        huge.publicValues[0][3] = Fr(signed: -3) - Fr(1 << 40) * Fr(1 << 40) * Fr(1 << 40)
        do {
            try PlonkVerifier.verify(key: key, proof: huge, expectedPublicValues: huge.publicValues)
            Issue.record("an out-of-range public value verified")
        } catch let error as VerificationError {
            guard case .publicValueOutOfRange(0, "out", 3, _, 16) = error else { Issue.record("\(error)"); return }
            #expect(!error.isMalformed, "an out-of-range value is an invalid proof (exit 1), not a malformed file")
            #expect(error.description.contains("outside the column's bound [−2^15, 2^15)"))
        }
    }

    /// The quotient commitment replaced by the point at infinity (and by another valid point).
    @Test func replacedQuotientCommitmentIsRejected() throws {
        let c = key.circuit
        let offset = 32 * (c.adviceCount + c.lookupTableGroups.count + c.lookupSums.count + c.permutationChunks)
        var infinity = file
        infinity.body.replaceSubrange(offset..<(offset + 32), with: G1Affine.infinity.compressed)
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: key, proof: infinity) }
        var generator = file
        generator.body.replaceSubrange(offset..<(offset + 32), with: G1Affine.generator.compressed)
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: key, proof: generator) }
    }

    @Test func proofForAnotherCircuitIsRejected() throws {
        let other = Fixtures.publicFoldKey.verifyingKey
        do {
            try PlonkVerifier.verify(key: other, proof: file)
            Issue.record("verified under another key")
        } catch VerificationError.keyMismatch {}
        // Relabelled with the other key's fingerprint, the body no longer has that circuit's shape.
        var relabelled = file
        relabelled.keyFingerprint = other.fingerprint
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: other, proof: relabelled) }
    }

    /// A key for the same circuit whose weights differ in one entry: it has another fingerprint, and a
    /// proof relabelled to it fails the pairing (the fold uses the key's weights).
    @Test func keyWithOneDifferentWeightRejectsTheProof() throws {
        var weights = FeatureCircuit.defaultWeights
        weights[1][2] += 1
        let altered = try FeatureCircuit(weights: weights)
        let alteredKey = try KeyGeneration.generate(
            circuit: altered.circuit, srs: TestSRS.make(log2Size: altered.circuit.log2Rows)).verifyingKey
        #expect(alteredKey.fingerprint != key.fingerprint)
        #expect(alteredKey.fixedCommitments == key.fixedCommitments)  // only the fold matrix differs
        do {
            try PlonkVerifier.verify(key: alteredKey, proof: file)
            Issue.record("verified under a key with other weights")
        } catch VerificationError.keyMismatch {}
        var relabelled = file
        relabelled.keyFingerprint = alteredKey.fingerprint
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: alteredKey, proof: relabelled) }
    }

    /// An evaluation replaced by a non-canonical scalar (≥ r) is an invalid element, never reduced.
    @Test func nonCanonicalScalarIsRejected() throws {
        let c = key.circuit
        let offset = 32 * c.proofCommitments - 64  // first evaluation (the openings come last)
        var tampered = file
        tampered.body.replaceSubrange(offset..<(offset + 32), with: [UInt8](repeating: 0xff, count: 32))
        do {
            try PlonkVerifier.verify(key: key, proof: tampered)
            Issue.record("non-canonical scalar accepted")
        } catch let error as VerificationError {
            guard case .invalidProofElement(let detail) = error else {
                Issue.record("expected an invalid element, got \(error)")
                return
            }
            #expect(detail.contains("not canonical"))
        }
    }
}

/// The round order matters (protocol §16.2): if β were drawn before the multiplicities are committed, a
/// prover could choose m after seeing β and "prove" a lookup input that is not in the table.
struct TranscriptOrderTests {
    @Test func drawingBetaBeforeTheMultiplicitiesAllowsAForgery() throws {
        let f = Fixtures.feature
        let key = Fixtures.featureKey
        // c[5] = 36 is outside the range table (the checker rejects this witness).
        let cheat = try f.assignment(.lookup)
        let forged = try PlonkProver.forgeWithBetaBeforeMultiplicities(
            key: key, circuit: f.circuit, assignment: cheat, witness: f.phase2)
        // Under the wrong order the forgery verifies…
        try PlonkVerifier.verify(key: key.verifyingKey, proof: forged, order: .betaBeforeMultiplicities)
        // …under the protocol's order it is rejected, and so is any honest-order proof of the same witness.
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: key.verifyingKey, proof: forged) }
        let unchecked = try PlonkProver.proveUnchecked(key: key, circuit: f.circuit, assignment: cheat, witness: f.phase2)
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: key.verifyingKey, proof: unchecked) }
    }
}
