import FieldArithmetic
import Foundation
import PlonkVerifier
import Testing
import TestSupport

@testable import PlonkProver

/// The `zkverify` executable (built by `swift build --build-tests` next to the tests): exit codes and
/// messages for a valid proof, a dev-SRS key, a wrong expected value, a tampered and a truncated proof,
/// bad usage, and a batch.
struct ZKVerifyCommandTests {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.build/release/zkverify").standardized.path

    func run(_ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        try runTool(Self.binary, arguments)
    }

    @Test func exitCodes() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build zkverify first (swift build --build-tests)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zkverify-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let vk = dir.appendingPathComponent("key.vk").path
        let proof = dir.appendingPathComponent("a.proof").path
        let file = Fixtures.featureProof
        try Data(Fixtures.featureKey.verifyingKey.encoded).write(to: URL(fileURLWithPath: vk))
        try Data(file.encoded).write(to: URL(fileURLWithPath: proof))

        var r = try run(["--vk", vk, "--proof", proof])
        #expect(r.code == 1 && r.err.contains("INSECURE"))
        r = try run(["--vk", vk, "--proof", proof, "--allow-dev-srs"])
        #expect(r.code == 0 && r.out.hasPrefix("valid"))
        r = try run(["--vk", vk, "--proof", proof, "--allow-dev-srs", "--json"])
        #expect(r.code == 0 && r.out.contains("\"valid\":true") && r.out.contains("\"public_values\""))

        let y = Fixtures.feature.y
        let expected = dir.appendingPathComponent("expected.json").path
        try Data("{\"public_values\": [[1, \"8\", \(y[0]), \"\(y[1])\"]]}".utf8).write(to: URL(fileURLWithPath: expected))
        r = try run(["--vk", vk, "--proof", proof, "--allow-dev-srs", "--public", expected])
        #expect(r.code == 0)
        try Data("{\"public_values\": [[1, 9, \(y[0]), \(y[1])]]}".utf8).write(to: URL(fileURLWithPath: expected))
        r = try run(["--vk", vk, "--proof", proof, "--allow-dev-srs", "--public", expected])
        #expect(r.code == 1 && r.err.contains("public value 0[1] is 8, expected 9"))
        try Data("{\"public_values\": [[1, 2".utf8).write(to: URL(fileURLWithPath: expected))
        r = try run(["--vk", vk, "--proof", proof, "--allow-dev-srs", "--public", expected])
        #expect(r.code == 2)

        // A wrong public value inside the proof file: well-formed, invalid.
        var wrong = file
        wrong.publicValues[0][2] += .one
        let wrongPath = dir.appendingPathComponent("wrong.proof").path
        try Data(wrong.encoded).write(to: URL(fileURLWithPath: wrongPath))
        r = try run(["--vk", vk, "--proof", wrongPath, "--allow-dev-srs"])
        #expect(r.code == 1 && r.err.contains("pairing check failed"))
        // Truncated: malformed.
        let shortPath = dir.appendingPathComponent("short.proof").path
        try Data(file.encoded.dropLast(5)).write(to: URL(fileURLWithPath: shortPath))
        r = try run(["--vk", vk, "--proof", shortPath, "--allow-dev-srs"])
        #expect(r.code == 2)
        r = try run(["--proof", proof])
        #expect(r.code == 2 && r.err.contains("--vk"))
        r = try run(["--vk", proof, "--proof", proof])
        #expect(r.code == 2)

        // Batch: the directory holds the key, the valid proof and the two bad ones.
        r = try run(["batch", dir.path, "--allow-dev-srs"])
        #expect(r.code == 1)
        #expect(r.out.contains("valid: \(proof)") && r.out.contains("invalid: \(wrongPath)") && r.out.contains("invalid: \(shortPath)"))
        #expect(!r.out.contains(expected))
        try FileManager.default.removeItem(atPath: wrongPath)
        try FileManager.default.removeItem(atPath: shortPath)
        // JSON files beside the proofs (expected values, the prover's .output.json) are not proofs.
        try Data("{}".utf8).write(to: URL(fileURLWithPath: proof + ".output.json"))
        r = try run(["batch", dir.path, "--allow-dev-srs", "--json"])
        #expect(r.code == 0 && r.out.contains("\"valid\":true") && !r.out.contains(".json"))
        r = try run(["show", proof, "--vk", vk])
        #expect(r.code == 0 && r.out.contains("\"quotient_commitments\""))
    }

    /// A committed-linear-relation key and proof (protocol §19) through the executable: it verifies, `show`
    /// lists v_com and the weight opening, and a proof whose challenges moved (a changed public value) is
    /// rejected by its weight opening with exit code 1.
    @Test func committedRelationThroughTheExecutable() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build zkverify first (swift build --build-tests)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zkverify-clr-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let vk = dir.appendingPathComponent("key.vk").path, proof = dir.appendingPathComponent("a.proof").path
        try Data(CommittedRelationProofTests.key.verifyingKey.encoded).write(to: URL(fileURLWithPath: vk))
        let file = CommittedRelationProofTests.proof
        try Data(file.encoded).write(to: URL(fileURLWithPath: proof))
        var r = try run(["--vk", vk, "--proof", proof, "--allow-dev-srs"])
        #expect(r.code == 0 && r.out.hasPrefix("valid"), "\(r.err)")
        r = try run(["show", proof, "--vk", vk])
        #expect(r.code == 0 && r.out.contains("\"committed_value\"") && r.out.contains("\"weight_opening\""))
        var wrong = file
        wrong.publicValues[2][3] += .one
        let wrongPath = dir.appendingPathComponent("wrong.proof").path
        try Data(wrong.encoded).write(to: URL(fileURLWithPath: wrongPath))
        r = try run(["--vk", vk, "--proof", wrongPath, "--allow-dev-srs"])
        #expect(r.code == 1 && r.err.contains("weight opening failed"), "\(r.err)")
    }
}
