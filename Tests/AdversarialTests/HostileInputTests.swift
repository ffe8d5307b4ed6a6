import BN254
import ConstraintSystem
import FieldArithmetic
import Foundation
import KZG
import ModelMetadata
import Testing

@testable import PlonkVerifier

/// Hostile keys and proofs (issue 14, finding 5; attacks docs/proof-format.md §3.2, the fold matrix bounds,
/// and §7, "Decoder bounds"): small files whose counts would make a verifier allocate gigabytes are refused
/// before anything is allocated, with exit 2 through `zkverify`, quickly and within a virtual-memory limit
/// far below what they ask for.
struct HostileInputTests {
    /// A key whose circuit has `advice` advice columns of phase 1, one challenge and one challenge column
    /// holding one fold segment with the given matrix; no gates. Built through the encoder, which (unlike
    /// the decoder) checks nothing: that is how an attacker would write it.
    static func keyWithFold(log2Rows: Int, advice: Int, matrix: FoldMatrix) throws -> VerifyingKey {
        let circuit = VerifierCircuit(
            log2Rows: log2Rows, adviceNames: (0..<advice).map { "a\($0)" }, advicePhases: Array(repeating: 1, count: advice),
            instanceNames: [], instanceLengths: [], instanceBits: [], fixedNames: [], challengeNames: ["rho"], challengePhases: [1],
            challengeColumnNames: ["fold"],
            challengeSegments: [[ChallengeSegment(challenge: Challenge(index: 0), startRow: 0, source: .fold(matrix))]],
            gates: [], lookups: [], permutationColumns: [])
        let srs = SRSIdentity(
            kzg: KZGVerifierKey(
                g1: .generator, g2: .generator, tauG2: .generator,
                origin: SRSOrigin(kind: .insecureDevelopment, detail: "hostile-input test")),
            hash: [UInt8](repeating: 7, count: 32))
        return try VerifyingKey(
            circuit: circuit, fixedCommitments: [], permutationCommitments: [], srs: srs, metadata: KeyMetadata())
    }

    /// A proof file of the right shape for `key` (every point the generator, every scalar 0): what the
    /// verifier would reach the fold with.
    static func shapedProof(for key: VerifyingKey) -> ProofFile {
        let c = key.circuit
        var w = ByteWriter()
        for _ in 0..<(c.proofCommitments - 2) { w.point(G1Affine.generator) }
        for _ in 0..<(c.evaluationsAtZeta + c.evaluationsAtOmegaZeta) { w.scalar(.zero) }
        w.point(G1Affine.generator)
        w.point(G1Affine.generator)
        return ProofFile(keyFingerprint: key.fingerprint, publicValues: c.instanceLengths.map { [Fr](repeating: .zero, count: $0) }, body: w.bytes)
    }

    /// The issue's key: ~100 bytes of circuit asking for a fold with 2^28 powers and no entries (the old
    /// verifier wrote out all 2^28 powers of ρ: 8 GiB). A 2^3-row circuit with one advice column has 3
    /// usable cells, so at most 4 powers are meaningful: the decoder refuses it, naming the limit.
    @Test func keyWithOutOfRangePowersIsRefusedByTheDecoder() throws {
        let matrix = try FoldMatrix(powers: 1 << 28, outputs: 1, entries: [])
        let key = try Self.keyWithFold(log2Rows: 3, advice: 1, matrix: matrix)
        #expect(key.encoded.count < 512)  // the whole file: labels, SRS section, the circuit above
        let error = #expect(throws: KeyError.self) { try VerifyingKey.decode(key.encoded) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("matrix powers = 268435456 exceeds the limit 4"))
        // Outputs beyond the usable rows are refused before the matrix is read, too.
        let wide = try Self.keyWithFold(log2Rows: 3, advice: 1, matrix: FoldMatrix(powers: 1, outputs: 1 << 20, entries: []))
        let wideError = #expect(throws: KeyError.self) { try VerifyingKey.decode(wide.encoded) }
        #expect("\(wideError.map { "\($0)" } ?? "")".contains("matrix outputs = 1048576 exceeds the limit 3"))
    }

    /// Through `zkverify`: the out-of-range key (with a proof naming it) gives exit 2 and the decoder's
    /// message, within a 1 GiB address-space limit and well under a second.
    @Test func zkverifyRefusesOutOfRangePowersQuicklyWithBoundedMemory() throws {
        let key = try Self.keyWithFold(log2Rows: 3, advice: 1, matrix: FoldMatrix(powers: 1 << 28, outputs: 1, entries: []))
        let result = try ZKVerifyRun.run(key: key.encoded, proof: Self.shapedProof(for: key).encoded, extra: ["--allow-dev-srs"])
        #expect(result.code == 2, "\(result.err)")
        #expect(result.err.contains("matrix powers"))
        #expect(result.seconds < 2)
    }

    /// A key that *is* within the bounds but declares the largest sizes: 2^28 rows, a fold of 2^28 − 4
    /// powers and 2^28 − 5 outputs with one entry at the last power. The verifier's fold is O(stored
    /// entries), so verifying a proof for it completes (and rejects) within the same 1 GiB limit instead of
    /// allocating 8 GiB of powers and outputs.
    @Test func largestDeclaredFoldVerifiesInBoundedMemory() throws {
        let rows = 1 << 28
        let usable = rows - Circuit.reservedRows
        let matrix = try FoldMatrix(
            powers: usable + 1, outputs: usable, entries: [.init(power: usable, output: usable - 1, value: 1)])
        let key = try Self.keyWithFold(log2Rows: 28, advice: 1, matrix: matrix)
        let decoded = try VerifyingKey.decode(key.encoded)
        let proof = Self.shapedProof(for: decoded)
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: decoded, proof: proof) }
        let result = try ZKVerifyRun.run(key: key.encoded, proof: proof.encoded, extra: ["--allow-dev-srs"])
        #expect(result.code == 1 || result.code == 2, "\(result.err)")
        #expect(!result.err.isEmpty)
        #expect(result.seconds < 10)
    }

    /// Phases are rounds the verifier walks one by one, each over every column: a key may use 1…64.
    @Test func phasesBeyondTheLimitAreRefused() throws {
        let circuit = VerifierCircuit(
            log2Rows: 3, adviceNames: ["a"], advicePhases: [65], instanceNames: [], instanceLengths: [], instanceBits: [], fixedNames: [],
            challengeNames: [], challengePhases: [], challengeColumnNames: [], challengeSegments: [], gates: [], lookups: [],
            permutationColumns: [])
        let key = try VerifyingKey(
            circuit: circuit, fixedCommitments: [], permutationCommitments: [],
            srs: try Self.keyWithFold(log2Rows: 3, advice: 1, matrix: FoldMatrix(powers: 1, outputs: 1, entries: [])).srs,
            metadata: KeyMetadata())
        let error = #expect(throws: KeyError.self) { try VerifyingKey.decode(key.encoded) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("phase = 65 exceeds the limit 64"))
        var builder = ConstraintSystemBuilder()
        _ = builder.adviceColumn("a", phase: 65)
        let buildError = #expect(throws: ConstraintSystemError.self) { try builder.build(log2Rows: 3) }
        #expect("\(buildError.map { "\($0)" } ?? "")".contains("phase 65"))
    }

    /// `zkverify --public` reads at most 4 KiB + 128 bytes per public value of the key: a larger file is
    /// refused before it is parsed (a 16 MB file of zeros used to take 50 s and 760 MB).
    @Test func expectedValuesFileIsBoundedByTheKey() throws {
        let key = try Self.keyWithFold(log2Rows: 3, advice: 1, matrix: FoldMatrix(powers: 1, outputs: 1, entries: []))
        let expected = "{\"public_values\": [[" + Array(repeating: "0", count: 5000).joined(separator: ",") + "]]}"
        let result = try ZKVerifyRun.run(
            key: key.encoded, proof: Self.shapedProof(for: key).encoded, extra: ["--allow-dev-srs"], expected: Array(expected.utf8))
        #expect(result.code == 2)
        #expect(result.err.contains("the limit is 4096"))
    }

    /// Printing a verified output never traps: a key's layout and scale are untrusted, and scale 0 with a
    /// value near 2^62 overflowed the six-decimal formatting.
    @Test func hugeVerifiedOutputsPrint() {
        let description = ModelDescription(
            modelSHA256: "00", settingsSHA256: "00", settingsJSON: "{}", activationScale: 0, publicColumnLength: 2,
            inputs: [], outputs: [.init(name: "y", shape: [2], publicStart: 0, count: 2)])
        let lines = description.outputLines(publicValues: [[Fr(UInt64(1) << 61), -Fr(UInt64(1) << 62)]])
        #expect(lines.first?.contains("2.305843009213694e+18") == true)
        #expect(lines.first?.contains("-4.611686018427388e+18") == true)
    }

    /// Proof files declaring more public values than they hold are refused before allocating them.
    @Test func proofHeaderCountsAreBoundedByTheBytesPresent() throws {
        var w = ByteWriter()
        w.raw(ProofFile.magic)
        w.u32(ProofFile.formatVersion)
        w.raw([UInt8](repeating: 0, count: 32))
        w.u32(1 << 16)  // instance columns
        w.u32(1 << 24)  // the first one's length, with no values following
        #expect(throws: VerificationError.self) { try ProofFile.decode(w.bytes) }
    }
}

/// Runs the `zkverify` executable (built next to the tests by `swift build --build-tests`) under a 1 GiB
/// virtual-memory limit (`ulimit -v`): an allocation of gigabytes fails and the process dies instead of
/// exiting 1 or 2.
enum ZKVerifyRun {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.build/release/zkverify").standardized.path

    static func run(key: [UInt8], proof: [UInt8], extra: [String], expected: [UInt8]? = nil) throws
        -> (code: Int32, err: String, seconds: Double)
    {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build zkverify first (swift build --build-tests)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let keyPath = dir.appendingPathComponent("key.vk").path, proofPath = dir.appendingPathComponent("p.proof").path
        try Data(key).write(to: URL(fileURLWithPath: keyPath))
        try Data(proof).write(to: URL(fileURLWithPath: proofPath))
        var extra = extra
        if let expected {
            let path = dir.appendingPathComponent("expected.json").path
            try Data(expected).write(to: URL(fileURLWithPath: path))
            extra += ["--public", path]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 1048576 && exec \"$0\" \"$@\"", binary, "--vk", keyPath, "--proof", proofPath] + extra
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        let start = Date()
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        return (process.terminationStatus, String(decoding: errData, as: UTF8.self), seconds)
    }
}
