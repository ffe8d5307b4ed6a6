import DirectInference
import Foundation
import ModelMetadata
import PlonkVerifier
import Testing
import TestSupport
import ZKInferKit

/// `zkverify --input input.json` through the real binary (issue 14, finding 2): the file is quantized with the
/// key's settings and every public input compared; the human output shows each public input's digest
/// (docs/proof-format.md §6), `--json` all values and the digest.
struct InputPinningTests {
    static let binary = Shared.root.appendingPathComponent(".build/release/zkverify").path

    func run(_ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        try runTool(Self.binary, arguments)
    }

    /// SHA-256 by coreutils' `sha256sum`: an implementation independent of ours.
    func coreutilsSHA256(_ bytes: [UInt8], in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("digest.bin")
        try Data(bytes).write(to: path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    @Test func inputFilePinsThePublicInputs() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build zkverify first (swift build --build-tests)")
        let a = try Shared.artifacts("mlp_tiny")
        let result = try Pipeline.prove(model: a.model, compiled: a.compiled, key: a.key, input: a.input)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zkverify-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ text: String, _ name: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
        let vk = directory.appendingPathComponent("vk.bin").path
        let proof = directory.appendingPathComponent("proof.bin").path
        try Data(a.key.verifyingKey.encoded).write(to: URL(fileURLWithPath: vk))
        try Data(result.proof.encoded).write(to: URL(fileURLWithPath: proof))
        let base = ["--vk", vk, "--proof", proof, "--allow-dev-srs"]
        let ezkl = Shared.root.appendingPathComponent("circuits/mlp_tiny/input.json").path
        let reals = a.input.tensors[0].map(\.real)
        func list(_ values: [Double]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }

        // The EZKL-style file the proof was made from, and the same values as a named tensor: exit 0.
        var r = try run(base + ["--input", ezkl])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("input 'input' matches \(ezkl) (16 values at scale 2^16)"))
        let named = try write("{\"input\": [\(list(reals))]}", "named.json")
        r = try run(base + ["--input", named])
        #expect(r.code == 0, "\(r.err)")
        // Decimal fixed-point numbers that quantize to the same integers also match.
        let quantized = try a.input.quantized(for: a.model.graph, settings: a.model.settings)[0]
        let decimals = quantized.map { "{\"value\": \($0 * 152_587_890_625), \"decimals\": 16}" }  // q·2^-16 exactly
        r = try run(base + ["--input", try write("{\"input_data\": [[\(decimals.joined(separator: ", "))]]}", "decimal.json")])
        #expect(r.code == 0, "\(r.err)")

        // The human output shows the input digest: SHA-256 over the quantized integers as i64le.
        let bytes = quantized.flatMap { v in withUnsafeBytes(of: v.littleEndian, Array.init) }
        let digest = try coreutilsSHA256(bytes, in: directory)
        r = try run(base)
        #expect(r.code == 0 && r.out.contains("input 'input' [1, 16]: sha256 \(digest), 16 values ["))
        // --json: every input value, the integers and the digest.
        r = try run(base + ["--json", "--input", ezkl])
        #expect(r.code == 0 && r.out.contains("\"sha256\":\"\(digest)\"") && r.out.contains("\"input_matches\":true"))
        #expect(r.out.contains("\"fixed\":[" + quantized.map(String.init).joined(separator: ",") + "]"))

        // One changed value: exit 1, naming the tensor, the flat index and both values.
        var changed = reals
        changed[3] += 0.5
        r = try run(base + ["--input", try write("{\"input_data\": [\(list(changed))]}", "changed.json")])
        #expect(r.code == 1)
        #expect(r.err.contains("the proof is valid but not of this input: input 'input' element 3: "))
        #expect(r.err.contains("gives \(quantized[3] + 32768) ("), "\(r.err)")
        #expect(r.err.contains("the proof has \(quantized[3]) ("))
        r = try run(base + ["--json", "--input", try write("{\"input_data\": [\(list(changed))]}", "changed2.json")])
        #expect(r.code == 1 && r.out.contains("\"input_matches\":false") && r.out.contains("element 3"))

        // Wrong count or unknown tensor: exit 1 (the file does not fit the key). Not an input file: exit 2.
        r = try run(base + ["--input", try write("{\"input_data\": [\(list(Array(reals.dropLast())))]}", "short.json")])
        #expect(r.code == 1 && r.err.contains("does not fit the key's inputs") && r.err.contains("needs 16"))
        r = try run(base + ["--input", try write("{\"x\": \(list(reals))}", "unknown.json")])
        #expect(r.code == 1 && r.err.contains("unknown input 'x'"))
        r = try run(base + ["--input", try write("{\"input_data\": [[1, 2", "broken.json")])
        #expect(r.code == 2)
        // A value that quantizes outside [−2^31, 2^31): no valid proof can have it, exit 1.
        var huge = reals
        huge[0] = 1e6
        r = try run(base + ["--input", try write("{\"input_data\": [\(list(huge))]}", "huge.json")])
        #expect(r.code == 1 && r.err.contains("value out of range at layer input 'input'"))

        // A key whose input is private cannot be pinned: exit 2 with the reason.
        let hidden = try Shared.artifacts("mlp_tiny", options: .init(publicInput: false))
        let hiddenProof = try Pipeline.prove(model: hidden.model, compiled: hidden.compiled, key: hidden.key, input: hidden.input).proof
        let hiddenVK = directory.appendingPathComponent("hidden.vk").path
        let hiddenProofPath = directory.appendingPathComponent("hidden.proof").path
        try Data(hidden.key.verifyingKey.encoded).write(to: URL(fileURLWithPath: hiddenVK))
        try Data(hiddenProof.encoded).write(to: URL(fileURLWithPath: hiddenProofPath))
        r = try run(["--vk", hiddenVK, "--proof", hiddenProofPath, "--allow-dev-srs", "--input", ezkl])
        #expect(r.code == 2 && r.err.contains("the key's input 'input' is private"))

        // The option is documented.
        r = try run(["--help"])
        #expect(r.code == 0 && r.out.contains("--input"))
    }
}
