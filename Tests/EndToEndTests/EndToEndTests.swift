import DirectInference
import FieldArithmetic
import Foundation
import KZG
import ModelMetadata
import ONNXImport
import PlonkVerifier
import Quantization
import Testing
import ZKInferKit

@testable import CircuitCompiler
@testable import PlonkProver

/// compile → setup → prove → verify on the small shared models (the benchmark runs all four), with the
/// rejections issue 8 lists. One development SRS of 2^9 points serves every model (all compile to 2^9).
enum Shared {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let srs: SRS = try! SRS.insecureDevelopment(log2Size: 9)

    struct Artifacts: Sendable {
        let file: CircuitFile
        let model: QuantizedModel
        let compiled: CompiledCircuit
        let key: ProvingKey
        let input: ModelInput
    }

    static func artifacts(_ name: String, options: CompileOptions = CompileOptions()) throws -> Artifacts {
        try artifacts(modelPath: root.appendingPathComponent("circuits/\(name)/model.onnx").path,
                      inputPath: root.appendingPathComponent("circuits/\(name)/input.json").path, options: options, srs: srs)
    }

    /// compile (from the path, as `zkinfer compile`: external data inlined) → the file format's round trip, as
    /// `zkinfer setup` and `prove` read it → keys on `srs`, or on a development SRS of the circuit's size → input.
    static func artifacts(modelPath: String, inputPath: String, options: CompileOptions = CompileOptions(), srs: SRS? = nil) throws -> Artifacts {
        let (file, _) = try CircuitFile.compile(modelPath: modelPath, settings: .default, options: options)
        let decoded = try CircuitFile.decode(file.encoded)
        let (model, compiled) = try decoded.rebuild()
        let key = try Pipeline.setup(decoded, compiled: compiled, srs: try srs ?? SRS.insecureDevelopment(log2Size: compiled.layout.log2Rows))
        let input = try InputFile.load(path: inputPath, graph: model.graph)[0]
        return Artifacts(file: decoded, model: model, compiled: compiled, key: key, input: input)
    }

    /// A proof as `zkinfer prove` writes it, read back and verified as `zkverify` does, beside `zkinfer run`'s result.
    struct Verified {
        let vk: VerifyingKey
        let proof: ProofFile
        let description: ModelDescription
        let direct: InferenceResult
        let directFixed: [[Int64]]

        /// Output `i`'s integers as the proof's public values carry them.
        func proved(_ i: Int) -> [Int64]? {
            description.integers(of: description.outputs[i], publicValues: proof.publicValues)
        }
    }

    /// Issue 15's limits (verifying key ≤ 64 KiB, proof body ≤ 16 KiB), and the compiler's key-size estimate
    /// (which picks a taller circuit when the key would pass 64 KiB) equal to the key setup made.
    static func expectWithinKeyAndProofLimits(_ a: Artifacts, _ v: Verified) throws {
        let vk = a.key.verifyingKey
        #expect(vk.encoded.count <= 65536)
        #expect(v.proof.body.count <= 16384)
        #expect(try VerifyingKey.encodedBytes(circuit: VerifierCircuit(a.compiled.circuit), metadata: vk.metadata,
                                              originDetail: vk.srs.kzg.origin.detail) == vk.encoded.count)
    }

    static func proveAndVerify(_ a: Artifacts) throws -> Verified {
        let result = try Pipeline.prove(model: a.model, compiled: a.compiled, key: a.key, input: a.input)
        let vk = try VerifyingKey.decode(a.key.verifyingKey.encoded)
        let proof = try ProofFile.decode(result.proof.encoded)
        try PlonkVerifier.verify(key: vk, proof: proof)
        let direct = try Inference.runFixed(a.model, input: a.input)
        return Verified(vk: vk, proof: proof, description: try #require(ModelDescription(vk.metadata)), direct: direct,
                        directFixed: try #require(direct.fixed))
    }
}

struct EndToEndTests {
    @Test(arguments: ["mlp_tiny", "cnn_small"])
    func proofVerifiesAndCarriesTheDirectOutput(_ name: String) throws {
        let a = try Shared.artifacts(name)
        let result = try Pipeline.prove(model: a.model, compiled: a.compiled, key: a.key, input: a.input)
        let vk = try VerifyingKey.decode(a.key.verifyingKey.encoded)
        let proof = try ProofFile.decode(result.proof.encoded)
        try PlonkVerifier.verify(key: vk, proof: proof)
        #expect(proof.body.count <= 16384)  // issue 15's target

        // The public output is `zkinfer run`'s integer output, bit for bit, and the key's metadata decodes it.
        let direct = try Inference.runFixed(a.model, input: a.input)
        let description = try #require(ModelDescription(vk.metadata))
        #expect(description.activationScale == 16)
        #expect(description.outputs.count == 1)
        #expect(description.integers(of: description.outputs[0], publicValues: proof.publicValues) == direct.fixed![0])
        #expect(description.integers(of: description.inputs[0], publicValues: proof.publicValues) == direct.quantizedInputs![0])
        #expect(description.dequantized(of: description.outputs[0], publicValues: proof.publicValues) == direct.outputs[0])
    }

    @Test func tamperedProofsAreRejected() throws {
        let a = try Shared.artifacts("mlp_tiny")
        let proof = try Pipeline.prove(model: a.model, compiled: a.compiled, key: a.key, input: a.input).proof
        let vk = a.key.verifyingKey
        let description = try #require(ModelDescription(vk.metadata))
        let length = description.publicColumnLength
        func position(_ i: Int) -> (Int, Int) { (i / length, i % length) }

        // A changed output value.
        var changed = proof
        let (oc, or) = position(description.outputs[0].publicStart! + 1)
        changed.publicValues[oc][or] = changed.publicValues[oc][or] + Fr.one
        // (Public values are absorbed before every challenge, so the Gemini opening's point moves too: it may be
        // the first check to fail, §13.5.)
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: vk, proof: changed) }

        // A changed (public) input value.
        var input = proof
        let (ic, ir) = position(description.inputs[0].publicStart! + 3)
        input.publicValues[ic][ir] = input.publicValues[ic][ir] - Fr.one
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: vk, proof: input) }

        // A proof for another model.
        let other = try Shared.artifacts("cnn_small")
        let otherProof = try Pipeline.prove(model: other.model, compiled: other.compiled, key: other.key, input: other.input).proof
        #expect(throws: (any Error).self) { try PlonkVerifier.verify(key: vk, proof: otherProof) }

        // A flipped byte anywhere in the body, and in the public values: rejected (never accepted).
        let bytes = proof.encoded
        for index in stride(from: bytes.count - proof.body.count, to: bytes.count, by: 97) + [bytes.count - proof.body.count - 40] {
            var flipped = bytes
            flipped[index] ^= 0x20
            #expect(throws: (any Error).self) {
                let file = try ProofFile.decode(flipped)
                try PlonkVerifier.verify(key: vk, proof: file)
            }
        }
    }

    /// A cheating witness (one wrong output of the first layer, limbs in range) proved through the prover's
    /// test-only entry point, which skips the checker: the verifier rejects the proof.
    @Test func cheatingWitnessGivesARejectedProof() throws {
        let a = try Shared.artifacts("mlp_tiny")
        let trace = try Inference.runFixed(a.model, input: a.input, trace: true).trace!
        var assignment = try a.compiled.assignment(trace: trace)
        let cells = a.compiled.cells(group: 0, index: 2)
        let honest = try a.compiled.laneInputs(group: 0, trace: trace).0(2)
        let (limbs, free) = try a.compiled.plan.groups[0].kind.gadget.witness([honest[0] + 5, honest[1]])
        for (c, v) in zip(cells.limbs, limbs) { try assignment.set(c, row: cells.row, v) }
        for (c, v) in zip(cells.free, free) { try assignment.set(c, row: cells.row, v) }
        let compiled = a.compiled
        let proof = try PlonkProver.proveUnchecked(key: a.key, circuit: compiled.circuit, assignment: assignment) { phase, w in
            try compiled.assignPhase(phase, &w)
        }
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: a.key.verifyingKey, proof: proof) }
    }

    @Test func privateInputIsNotPublic() throws {
        let a = try Shared.artifacts("mlp_tiny", options: CompileOptions(publicInput: false))
        let result = try Pipeline.prove(model: a.model, compiled: a.compiled, key: a.key, input: a.input)
        try PlonkVerifier.verify(key: a.key.verifyingKey, proof: result.proof)
        let description = try #require(ModelDescription(a.key.verifyingKey.metadata))
        #expect(description.inputs[0].publicStart == nil)
        #expect(result.proof.publicValues.flatMap { $0 }.count == description.outputs[0].count)
    }

    @Test func keysAreDeterministic() throws {
        let a = try Shared.artifacts("mlp_tiny"), b = try Shared.artifacts("mlp_tiny")
        #expect(a.file.encoded == b.file.encoded)
        #expect(a.key.verifyingKey.encoded == b.key.verifyingKey.encoded)
        // A changed model or setting is a different key.
        var settings = QuantizationSettings.default
        settings.parameterScale = 15
        let (file, compiled) = try CircuitFile.compile(onnx: a.file.onnx, settings: settings, options: CompileOptions())
        let key = try Pipeline.setup(file, compiled: compiled, srs: Shared.srs)
        #expect(key.verifyingKey.fingerprint != a.key.verifyingKey.fingerprint)
    }
}

struct ModelDescriptionTests {
    @Test func roundTripsThroughKeyMetadataAndFormatsOutputs() throws {
        let d = ModelDescription(
            modelSHA256: "ab", settingsSHA256: "cd", settingsJSON: "{}", activationScale: 2, publicColumnLength: 3,
            inputs: [.init(name: "in put", shape: [1, 2], publicStart: 0, count: 2)],
            outputs: [.init(name: "y", shape: [1, 2], publicStart: 2, count: 2), .init(name: "z", shape: [], publicStart: 4, count: 1)])
        #expect(ModelDescription(d.metadata) == d)
        // Values 5, -6 at scale 2^2 → 1.25, -1.5; the output spans two instance columns of 3 rows.
        let values: [[Fr]] = [[Fr(1), Fr(2), Fr(5)], [-Fr(6), Fr(3)]]
        let outputs = d.verifiedOutputs(publicValues: values)
        #expect(outputs[0]?.fixed == [5, -6] && outputs[0]?.values == [1.25, -1.5])
        #expect(outputs[1]?.values == [0.75])
        #expect(d.outputLines(publicValues: values)[0] == "output 'y' [1, 2]: [1.250000, -1.500000]")
        // Untrusted metadata: a bad layout line is not a model description.
        var m = d.metadata
        m.setString("zkinfer.outputs", "x 2 1,2 y")
        #expect(ModelDescription(m) == nil)
    }
}

/// The `zkverify` binary's exit codes on files (built beside the tests by `swift build --build-tests`).
struct VerifierCommandTests {
    static let binary = Shared.root.appendingPathComponent(".build/release/zkverify").path

    func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func exitCodes() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build zkverify first (swift build --build-tests)")
        let a = try Shared.artifacts("mlp_tiny")
        let proof = try Pipeline.prove(model: a.model, compiled: a.compiled, key: a.key, input: a.input).proof
        let other = try Shared.artifacts("cnn_small")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zkverify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ bytes: [UInt8], _ name: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url.path
        }
        let vk = try write(a.key.verifyingKey.encoded, "vk.bin")
        let otherVK = try write(other.key.verifyingKey.encoded, "other-vk.bin")
        let good = try write(proof.encoded, "proof.bin")
        let description = try #require(ModelDescription(a.key.verifyingKey.metadata))
        var changed = proof
        let o = description.outputs[0].publicStart!
        let length = description.publicColumnLength
        changed.publicValues[o / length][o % length] = changed.publicValues[o / length][o % length] + Fr.one
        let changedPath = try write(changed.encoded, "changed.bin")
        var input = proof
        input.publicValues[0][0] = input.publicValues[0][0] + Fr.one
        let inputPath = try write(input.encoded, "input.bin")
        var flipped = proof.encoded
        flipped[flipped.count - 64 - 32 - 5] ^= 0x01  // inside the last evaluation at ζ: still a canonical scalar
        let flippedPath = try write(flipped, "flipped.bin")
        var offCurve = proof.encoded
        offCurve[offCurve.count - proof.body.count + 31] ^= 0x40  // the first commitment's sign flag: still decodes
        offCurve[offCurve.count - proof.body.count + 3] ^= 0x5A   // …and its x: off the curve or another point
        let offCurvePath = try write(offCurve, "off-curve.bin")
        var truncated = proof.encoded
        truncated.removeLast(7)
        let truncatedPath = try write(truncated, "truncated.bin")

        #expect(try run(["--vk", vk, "--proof", good, "--allow-dev-srs"]) == 0)
        #expect(try run(["--vk", vk, "--proof", good]) == 1, "a development-SRS key needs --allow-dev-srs")
        #expect(try run(["--vk", vk, "--proof", changedPath, "--allow-dev-srs"]) == 1)
        #expect(try run(["--vk", vk, "--proof", inputPath, "--allow-dev-srs"]) == 1)
        #expect(try run(["--vk", otherVK, "--proof", good, "--allow-dev-srs"]) == 1)
        #expect(try run(["--vk", vk, "--proof", flippedPath, "--allow-dev-srs"]) == 1)
        #expect(try run(["--vk", vk, "--proof", offCurvePath, "--allow-dev-srs"]) == 1, "a bad point is an invalid proof")
        #expect(try run(["--vk", vk, "--proof", truncatedPath, "--allow-dev-srs"]) == 2, "a truncated file is malformed")
        #expect(try run(["--vk", vk, "--allow-dev-srs"]) == 2)
    }
}

/// Circuit files are read back by `prove`, so their header is untrusted input: every field is checked
/// before anything is built from it, and every defect is a `PipelineError`, never a trap or a hang.
struct CircuitFileTests {
    /// The file layout with `json` as the header (docs in `CircuitFile`).
    func file(header json: String, onnx: [UInt8] = [1, 2, 3]) -> [UInt8] {
        var bytes = CircuitFile.magic
        bytes += withUnsafeBytes(of: CircuitFile.version.littleEndian, Array.init)
        bytes += withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian, Array.init)
        bytes += Array(json.utf8)
        bytes += withUnsafeBytes(of: UInt64(onnx.count).littleEndian, Array.init)
        return bytes + onnx
    }

    @Test func headerRoundTripsAndHostileHeadersAreRefused() throws {
        let a = try Shared.artifacts("mlp_tiny")
        let decoded = try CircuitFile.decode(a.file.encoded)
        #expect(decoded.header == a.file.header && decoded.onnx == a.file.onnx)
        let good = String(decoding: a.file.encoded[20..<(20 + Int(a.file.encoded[12]) + 256 * Int(a.file.encoded[13]))],
                          as: UTF8.self)
        #expect(good.hasPrefix("{\"compiler\":"))
        let columns = try #require(a.file.header.laneColumns)
        let bad = [
            good.replacingOccurrences(of: "\"lanesPerRow\":1", with: "\"lanesPerRow\":1000000000"),
            good.replacingOccurrences(of: "\"lanesPerRow\":1", with: "\"lanesPerRow\":0"),
            good.replacingOccurrences(of: "\"log2Rows\":\(a.file.header.log2Rows)", with: "\"log2Rows\":40"),
            good.replacingOccurrences(of: "\"limbBits\":\(a.file.header.limbBits)", with: "\"limbBits\":3"),
            good.replacingOccurrences(of: "\"limbBits\":\(a.file.header.limbBits)", with: "\"limbBits\":\"7\""),
            good.replacingOccurrences(of: "\"publicInput\":true", with: "\"publicInput\":1"),
            good.replacingOccurrences(of: "\"version\":2", with: "\"version\":1"),
            good.replacingOccurrences(of: ",\"stackRangeChecks\":false", with: ""),
            good.replacingOccurrences(of: "\"limbColumns\":\(columns.limbs)", with: "\"limbColumns\":1000000000"),
            good.replacingOccurrences(of: "\"limbColumns\":\(columns.limbs)", with: "\"limbColumns\":-1"),
            good.replacingOccurrences(of: "\"freeColumns\":\(columns.free)", with: "\"freeColumns\":-1"),
            good.replacingOccurrences(of: "\"freeColumns\":\(columns.free),", with: ""),
            "[]", "{", "",
        ]
        for json in bad {
            #expect(json != good)
            #expect(throws: PipelineError.self, "\(json)") { try CircuitFile.decode(file(header: json, onnx: a.file.onnx)) }
        }
        var truncated = a.file.encoded
        truncated.removeLast(3)
        #expect(throws: PipelineError.self) { try CircuitFile.decode(truncated) }
        #expect(throws: PipelineError.self) { try CircuitFile.decode(a.file.encoded + [0]) }
    }
}
