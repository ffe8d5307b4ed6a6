import Foundation
import PlonkVerifier
import Testing
import TestSupport

@testable import PlonkProver

/// The pinned proof-format fixture: the feature circuit over the test SRS (published τ) with seeded
/// blinding gives these exact key and proof bytes. A change to the format, the transcript or the prover's
/// arithmetic changes them; regenerate only on purpose, with ZKINFER_WRITE_GOLDEN=1, and say why.
struct GoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func goldenProofIsPinned() throws {
        let f = Fixtures.feature
        let key = Fixtures.featureKey
        let file = try PlonkProver.proveSeeded(
            key: key, circuit: f.circuit, assignment: f.assignment(), seed: 1, witness: f.phase2)
        let vkURL = Self.directory.appendingPathComponent("golden-v3.vk")
        let proofURL = Self.directory.appendingPathComponent("golden-v4.proof")
        if ProcessInfo.processInfo.environment["ZKINFER_WRITE_GOLDEN"] == "1" {
            try Data(key.verifyingKey.encoded).write(to: vkURL)
            try Data(file.encoded).write(to: proofURL)
        }
        let vkBytes = [UInt8](try Data(contentsOf: vkURL))
        let proofBytes = [UInt8](try Data(contentsOf: proofURL))
        #expect(vkBytes == key.verifyingKey.encoded, "verifying-key format or keygen changed")
        #expect(proofBytes == file.encoded, "proof format, transcript or prover changed")
        // The pinned files verify on their own.
        try PlonkVerifier.verify(key: try VerifyingKey.decode(vkBytes), proof: try ProofFile.decode(proofBytes))
        // Seeded proving is deterministic.
        let again = try PlonkProver.proveSeeded(
            key: key, circuit: f.circuit, assignment: f.assignment(), seed: 1, witness: f.phase2)
        #expect(again == file)
    }

    /// The same for a committed linear relation (protocol §19): `CommittedFoldCircuit`'s key (with its
    /// relation section and block commitments) and a seeded proof (with v_com and the Gemini proof).
    @Test func goldenCommittedRelationProofIsPinned() throws {
        let f = try CommittedFoldCircuit()
        let key = try KeyGeneration.generate(circuit: f.circuit, srs: TestSRS.make(log2Size: f.circuit.log2Rows))
        let file = try PlonkProver.proveSeeded(key: key, circuit: f.circuit, assignment: f.assignment(), seed: 2, witness: f.witness)
        let vkURL = Self.directory.appendingPathComponent("golden-clr-v3.vk")
        let proofURL = Self.directory.appendingPathComponent("golden-clr-v4.proof")
        if ProcessInfo.processInfo.environment["ZKINFER_WRITE_GOLDEN"] == "1" {
            try Data(key.verifyingKey.encoded).write(to: vkURL)
            try Data(file.encoded).write(to: proofURL)
        }
        let vkBytes = [UInt8](try Data(contentsOf: vkURL))
        let proofBytes = [UInt8](try Data(contentsOf: proofURL))
        #expect(vkBytes == key.verifyingKey.encoded, "verifying-key format, relation section or keygen changed")
        #expect(proofBytes == file.encoded, "proof format, transcript or prover changed")
        try PlonkVerifier.verify(key: try VerifyingKey.decode(vkBytes), proof: try ProofFile.decode(proofBytes))
    }
}
