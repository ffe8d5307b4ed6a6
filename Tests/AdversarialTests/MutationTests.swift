import Foundation
import Testing

@testable import PlonkVerifier

/// Mutation through the `zkverify` command (proof-format.md §3–§4, protocol.md §15 step 1: every byte is
/// checked or bound by the transcript; the design rule that hostile bytes never crash): every single-byte
/// change of mlp_tiny's proof file — header, public values and body — and a sample of 2,000 single-byte changes
/// of its verifying key are each rejected with exit 1 (invalid) or 2 (malformed), with a message, never
/// accepted, never a crash or a hang. Each change XORs one byte with a seeded non-zero value.
///
/// Runtime: one `zkverify` process per mutation (the test bundle cannot link the executable; see
/// `ZKVerifyProcess`), four at a time — about 4,000 processes.
struct MutationTests {
    static let m = try! ProvedModel(shared: "mlp_tiny")

    /// Runs zkverify on every (key, proof) byte pair of `cases`, four processes at a time: the exit codes.
    static func run(_ cases: [(key: [UInt8], proof: [UInt8])], in dir: ScratchDirectory) throws -> [(code: Int32, err: String)] {
        var results = [(code: Int32, err: String)?](repeating: nil, count: cases.count)
        let workers = 4
        results.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for k in stride(from: w, to: cases.count, by: workers) {
                    do {
                        let vk = try dir.write("\(w).vk", cases[k].key)
                        let proof = try dir.write("\(w).proof", cases[k].proof)
                        let r = try ZKVerifyProcess.run(["--vk", vk, "--proof", proof, "--allow-dev-srs"], timeout: 30, scratch: (dir, "\(w)."))
                        slots[k] = (r.code, r.err)
                    } catch {
                        slots[k] = (-2, "\(error)")
                    }
                }
            }
        }
        return results.map { $0! }
    }

    /// Mutations of `bytes` at `positions` (each XORed with a seeded non-zero byte).
    static func mutations(of bytes: [UInt8], at positions: [Int], seed: UInt64) -> [[UInt8]] {
        var rng = SeededRandomReals(seed: seed)
        return positions.map { position in
            var copy = bytes
            copy[position] ^= UInt8(1 + rng.next() % 255)
            return copy
        }
    }

    /// Proof-format.md §3–§4, protocol.md §15 step 1 and §16.1: see the suite comment.
    @Test func everyByteOfTheProofFileAndASampleOfTheKeyAreRejected() throws {
        try #require(FileManager.default.isExecutableFile(atPath: AdversarialPaths.zkverify), "build zkverify first (make test)")
        let clock = ContinuousClock()
        let start = clock.now
        let key = Self.m.vk.encoded
        let proof = try Self.m.proveHonest().encoded
        let dir = try ScratchDirectory("mutation")
        defer { dir.remove() }

        // The unmutated pair verifies (exit 0): the rejections below are the mutations'.
        let baseline = try Self.run([(key, proof)], in: dir)
        #expect(baseline[0].code == 0, "\(baseline[0].err)")

        let proofCases = Self.mutations(of: proof, at: Array(proof.indices), seed: 101).map { (key: key, proof: $0) }
        var rng = SeededRandomReals(seed: 103)
        let keyPositions = (0..<2000).map { _ in Int(rng.next() % UInt64(key.count)) }
        let keyCases = Self.mutations(of: key, at: keyPositions, seed: 107).map { (key: $0, proof: proof) }
        let results = try Self.run(proofCases + keyCases, in: dir)

        var codes: [String: [Int32: Int]] = ["proof": [:], "key": [:]]
        for (k, r) in results.enumerated() {
            let what = k < proofCases.count ? "proof byte \(k)" : "key byte \(keyPositions[k - proofCases.count])"
            codes[k < proofCases.count ? "proof" : "key"]![r.code, default: 0] += 1
            #expect(r.code == 1 || r.code == 2, "\(what): exit \(r.code) \(r.err)")
            #expect(!r.err.isEmpty, "\(what): rejected without a message")
        }
        // Where the rejections come from: the body is bound by the pairing (exit 1), the framing is malformed (2).
        #expect((codes["proof"]![1] ?? 0) > proof.count / 2)
        print("mutation: \(proof.count) proof bytes \(codes["proof"]!), \(keyCases.count) of \(key.count) key bytes \(codes["key"]!); \(clock.now - start)")
    }
}
