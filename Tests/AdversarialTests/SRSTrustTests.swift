import CircuitCompiler
import CryptoPrimitives
import DirectInference
import Foundation
import KZG
import ModelMetadata
import PlonkVerifier
import Quantization
import Testing
import TestSupport
import ZKInferKit

@testable import PlonkProver

/// Attacks on what a valid proof *means* rather than on the argument (issue 14, findings 3 and 4), through
/// the real `zkverify` / `zkinfer` binaries:
/// - docs/protocol.md §17.1 (SRS identity and trust lists): a development-SRS key relabelled as a ceremony
///   and re-fingerprinted, a key whose [τ]₂ is a built-in ceremony's;
/// - §17.2 (`zkinfer verify-key`): a key from another model, an edited model hash, another SRS, an SRS file
///   whose powers are not one geometric sequence;
/// - §13.4 with §17 (`zkverify batch --vk`): proofs for keys planted beside the pinned one.
enum TrustFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let zkverify = root.appendingPathComponent(".build/release/zkverify").path
    static let zkinfer = root.appendingPathComponent(".build/release/zkinfer").path
    /// One development SRS for every model here (all compile to at most 2^9 rows).
    static let srs: SRS = try! SRS.insecureDevelopment(log2Size: 9)

    struct Model {
        let onnx: [UInt8]
        let file: CircuitFile
        let compiled: CompiledCircuit
        let model: QuantizedModel
        let key: ProvingKey
        let proof: ProofFile
        var vk: VerifyingKey { key.verifyingKey }
        var modelHash: String { SHA256.hash(onnx).hexEncoded }
    }

    /// compile → setup (on `srs`) → prove, as the commands do.
    static func model(_ name: String, srs: SRS = srs) throws -> Model {
        let onnx = [UInt8](try Data(contentsOf: root.appendingPathComponent("circuits/\(name)/model.onnx")))
        let written = try CircuitFile.compile(onnx: onnx, settings: .default, options: CompileOptions()).file
        let file = try CircuitFile.decode(written.encoded)
        let (model, compiled) = try file.rebuild()
        let key = try Pipeline.setup(file, compiled: compiled, srs: srs)
        let input = try InputFile.load(path: root.appendingPathComponent("circuits/\(name)/input.json").path, graph: model.graph)[0]
        let proof = try Pipeline.prove(model: model, compiled: compiled, key: key, input: input).proof
        return Model(onnx: onnx, file: file, compiled: compiled, model: model, key: key, proof: proof)
    }

    /// The same key with another SRS section, re-fingerprinted through the public initializer.
    static func resigned(_ vk: VerifyingKey, kzg: KZGVerifierKey, metadata: KeyMetadata? = nil) throws -> VerifyingKey {
        try VerifyingKey(
            circuit: vk.circuit, fixedCommitments: vk.fixedCommitments, permutationCommitments: vk.permutationCommitments,
            srs: SRSIdentity(kzg: kzg, hash: vk.srs.hash), metadata: metadata ?? vk.metadata, blockCommitments: vk.blockCommitments)
    }

    final class Directory {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("zkinfer-trust-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }

        @discardableResult
        func write(_ bytes: [UInt8], _ name: String) throws -> String {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: file)
            return file.path
        }

        func path(_ name: String) -> String { url.appendingPathComponent(name).path }

        /// Runs a binary with this directory as XDG_CONFIG_HOME, so no trusted-srs file of the user's counts.
        func run(_ binary: String, _ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_CONFIG_HOME"] = url.path
            return try runTool(binary, arguments, environment: environment)
        }
    }

    static func requireBinaries() throws {
        for binary in [zkverify, zkinfer] {
            try #require(FileManager.default.isExecutableFile(atPath: binary), "build first (swift build --build-tests): \(binary)")
        }
    }
}

@Suite(.serialized) struct SRSTrustTests {
    /// §17.1: the attacker runs setup on a development SRS whose file header claims a ptau import (the
    /// origin is the SRS file's label), so the key and its proof are consistent and the key says "ceremony".
    /// The identity is computed from the points, so it is the development SRS's, and zkverify refuses it.
    @Test func relabelledDevelopmentKeyIsRefusedUntilItsIdentityIsTrusted() throws {
        try TrustFixture.requireBinaries()
        let dev = TrustFixture.srs
        let fake = SRS(
            log2Size: dev.log2Size, powersG1: dev.powersG1, lagrangeG1: dev.lagrangeG1, g2: dev.g2, tauG2: dev.tauG2,
            origin: SRSOrigin(kind: .importedPtau, detail: "first 2^9 of 2^28 powers, Perpetual Powers of Tau (trust me)"))
        let m = try TrustFixture.model("mlp_tiny", srs: fake)
        #expect(m.vk.srs.kzg.origin.kind == .importedPtau && !m.vk.srs.isInsecure)
        let identity = m.vk.srs.identity.hexEncoded
        #expect(m.vk.srs.identity == dev.identity)

        // The public API relabels too: kind and text change, the fingerprint is recomputed, the identity is not.
        let honest = try TrustFixture.model("mlp_tiny")
        let relabelled = try TrustFixture.resigned(
            honest.vk, kzg: KZGVerifierKey(g1: honest.vk.srs.kzg.g1, g2: honest.vk.srs.kzg.g2, tauG2: honest.vk.srs.kzg.tauG2,
                                           origin: SRSOrigin(kind: .importedHalo2, detail: "ceremony")))
        #expect(relabelled.fingerprint != honest.vk.fingerprint && relabelled.srs.identity == honest.vk.srs.identity)

        let dir = try TrustFixture.Directory()
        let vk = try dir.write(m.vk.encoded, "vk.bin")
        let proof = try dir.write(m.proof.encoded, "proof.bin")
        let relabelledPath = try dir.write(relabelled.encoded, "relabelled.vk.bin")

        var r = try dir.run(TrustFixture.zkverify, ["--vk", vk, "--proof", proof])
        #expect(r.code == 1 && r.out.isEmpty)
        #expect(r.err.contains("not trusted") && r.err.contains(identity) && r.err.contains("--trust-srs \(identity)"))
        #expect(r.err.contains("ptau import"), "the label is shown, and said not to be trusted")
        r = try dir.run(TrustFixture.zkverify, ["--vk", relabelledPath, "--proof", proof])
        #expect(r.code == 1 && r.err.contains(identity))

        // Trusted by the user's explicit choice: the option, then the trusted-srs file.
        r = try dir.run(TrustFixture.zkverify, ["--vk", vk, "--proof", proof, "--trust-srs", identity])
        #expect(r.code == 0 && r.out.hasPrefix("valid") && r.out.contains("trusted (--trust-srs)"))
        r = try dir.run(TrustFixture.zkverify, ["--vk", vk, "--proof", proof, "--trust-srs", String(repeating: "0", count: 64), "--trust-srs", identity.uppercased()])
        #expect(r.code == 0, "repeatable, case-insensitive")
        let file = try dir.write(Array("# keys I made myself\n\(identity)  # laptop dev SRS\n".utf8), "zkinfer/trusted-srs")
        r = try dir.run(TrustFixture.zkverify, ["--vk", vk, "--proof", proof, "--json"])
        #expect(r.code == 0 && r.out.contains("\"srs_trusted\":true") && r.out.contains("\"srs_trust\":\"\(file):2\""))
        try FileManager.default.removeItem(atPath: file)
        r = try dir.run(TrustFixture.zkverify, ["--vk", vk, "--proof", proof, "--trusted-srs-file", dir.write(Array("nonsense\n".utf8), "bad")])
        #expect(r.code == 2 && r.err.contains(":1:"), "a malformed trust file is an error, not an empty list")
        r = try dir.run(TrustFixture.zkverify, ["--vk", vk, "--proof", proof, "--trust-srs", "abc"])
        #expect(r.code == 2)

        // --allow-dev-srs accepts an untrusted identity, loudly.
        r = try dir.run(TrustFixture.zkverify, ["--vk", vk, "--proof", proof, "--allow-dev-srs"])
        #expect(r.code == 0 && r.out.hasPrefix("valid") && r.out.contains("NOT trusted"))
        #expect(r.err.contains("WARNING") && r.err.contains("UNTRUSTED") && r.err.contains(identity))
        r = try dir.run(TrustFixture.zkverify, ["--vk", vk, "--proof", proof, "--allow-dev-srs", "--json"])
        #expect(r.code == 0 && r.out.contains("\"srs_trusted\":false") && r.out.contains("\"srs_identity\":\"\(identity)\""))
    }

    /// §17.1: an identity in the built-in list is trusted with no option. Nobody here knows a ceremony's τ, so
    /// no valid proof exists for such a key: the test checks the trust decision itself (zkverify goes on to
    /// the pairing check and rejects the proof as invalid, not as untrusted) and what `params info` prints.
    @Test func builtInCeremonyIdentityIsTrusted() throws {
        try TrustFixture.requireBinaries()
        let hermez = try #require(KnownCeremonies.all.first { $0.name == "hermez-ptau" })
        let m = try TrustFixture.model("mlp_tiny")
        let key = try TrustFixture.resigned(
            m.vk, kzg: KZGVerifierKey(g1: .generator, g2: .generator, tauG2: hermez.tauG2, origin: SRSOrigin(kind: .importedPtau, detail: "hez")))
        #expect(key.srs.identity == hermez.identity)
        var proof = m.proof.encoded
        proof.replaceSubrange(12..<44, with: key.fingerprint)  // the proof file names the key it is for

        let dir = try TrustFixture.Directory()
        let vk = try dir.write(key.encoded, "hermez.vk")
        let proofPath = try dir.write(proof, "p.proof")
        var r = try dir.run(TrustFixture.zkverify, ["--vk", vk, "--proof", proofPath, "--json"])
        #expect(r.code == 1 && !r.err.contains("not trusted") && r.err.contains("invalid proof"))
        #expect(r.out.contains("\"srs_trusted\":true") && r.out.contains("\"srs_trust\":\"built-in: hermez-ptau\""))
        #expect(r.out.contains("\"srs_identity\":\"\(hermez.identity.hexEncoded)\""))

        // An SRS file holding the ceremony's verifier points (size 2^0: trivially one geometric sequence).
        let tiny = SRS(log2Size: 0, powersG1: [.generator], lagrangeG1: [.generator], g2: .generator, tauG2: hermez.tauG2,
                       origin: SRSOrigin(kind: .importedPtau, detail: "first power of powersOfTau28_hez_final"))
        let srsPath = dir.path("hermez-k0.srs")
        try SRSFile.write(tiny, to: srsPath)
        r = try dir.run(TrustFixture.zkinfer, ["params", "info", srsPath, "--verify"])
        #expect(r.code == 0 && r.out.contains("SRS identity: \(hermez.identity.hexEncoded)") && r.out.contains("trusted (built-in: hermez-ptau)"))
        // The development SRS: printed with the command that would trust it.
        try SRSFile.write(try TrustFixture.srs.truncated(toLog2Size: 2), to: dir.path("dev.srs"))
        r = try dir.run(TrustFixture.zkinfer, ["params", "info", dir.path("dev.srs"), "--json"])
        #expect(r.code == 0 && r.out.contains("\"srs_identity\":\"\(TrustFixture.srs.identity.hexEncoded)\"") && r.out.contains("\"srs_trusted\":false"))
    }

    /// §17.2: the key's model hash, weights and SRS are claims; `zkinfer verify-key` rebuilds the key and names
    /// the first field that differs.
    @Test func verifyKeyRebuildsTheKeyFromTheModelAndTheSRS() throws {
        try TrustFixture.requireBinaries()
        let dir = try TrustFixture.Directory()
        let tiny = try TrustFixture.model("mlp_tiny")
        let modelPath = TrustFixture.root.appendingPathComponent("circuits/mlp_tiny/model.onnx").path
        let otherModel = TrustFixture.root.appendingPathComponent("circuits/cnn_small/model.onnx").path
        let srsPath = dir.path("dev.srs")
        try SRSFile.write(TrustFixture.srs, to: srsPath)
        let vk = try dir.write(tiny.vk.encoded, "vk.bin")
        let identity = tiny.vk.srs.identity.hexEncoded

        var r = try dir.run(TrustFixture.zkinfer, ["verify-key", vk, "--model", modelPath, "--params", srsPath])
        #expect(r.code == 0 && r.out.contains("key matches model \(tiny.modelHash)"))
        #expect(r.out.contains("SRS identity \(identity)") && r.out.contains("NOT trusted") && r.out.contains("--trust-srs \(identity)"))
        let circuit = try dir.write(tiny.file.encoded, "circuit.zkc")
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", vk, "--model", modelPath, "--params", srsPath, "--circuit", circuit])
        #expect(r.code == 0)
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", vk, "--model", otherModel, "--params", srsPath, "--circuit", circuit])
        #expect(r.code == 1 && r.err.contains("compiled from a model with sha256"))
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", vk, "--model", modelPath, "--params", srsPath, "--circuit", circuit, "--lanes", "2"])
        #expect(r.code == 2)

        // A key from another model.
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", vk, "--model", otherModel, "--params", srsPath, "--json"])
        #expect(r.code == 1 && r.err.contains("first difference") && r.out.contains("\"matches\":false"))
        // Other layout flags than compile was given: another circuit, found as such.
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", vk, "--model", modelPath, "--params", srsPath, "--lanes",
                                               String(tiny.file.header.lanesPerRow + 1)])
        #expect(r.code == 1 && r.err.contains("circuit"))
        // The model hash edited to claim another model (everything else the same key).
        var metadata = tiny.vk.metadata
        metadata.setString("zkinfer.model.sha256", String(repeating: "0", count: 64))
        let edited = try dir.write(TrustFixture.resigned(tiny.vk, kzg: tiny.vk.srs.kzg, metadata: metadata).encoded, "edited.vk")
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", edited, "--model", modelPath, "--params", srsPath])
        #expect(r.code == 1 && r.err.contains("metadata 'zkinfer.model.sha256'"))
        // The key made on another SRS.
        let otherSRS = dir.path("other.srs")
        try SRSFile.write(try SRS.insecureDevelopment(log2Size: 9), to: otherSRS)
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", vk, "--model", modelPath, "--params", otherSRS])
        #expect(r.code == 1 && r.err.contains("SRS [τ]₂"), "a development SRS has [1]₁, [1]₂ = the generators: τ differs")
        // Only the origin label differs: the same key in meaning, reported as a note.
        let relabelled = try TrustFixture.resigned(tiny.vk, kzg: KZGVerifierKey(
            g1: tiny.vk.srs.kzg.g1, g2: tiny.vk.srs.kzg.g2, tauG2: tiny.vk.srs.kzg.tauG2, origin: SRSOrigin(kind: .importedPtau, detail: "x")))
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", dir.write(relabelled.encoded, "relabelled.vk"), "--model", modelPath, "--params", srsPath])
        #expect(r.code == 0 && r.out.contains("note:") && r.out.contains("origin label"))

        // An SRS file whose powers are not one geometric sequence (one power replaced): refused before use,
        // since a key rebuilt from it would say nothing about the SRS's identity.
        var powers = TrustFixture.srs.powersG1
        powers[5] = powers[6]
        let broken = SRS(log2Size: 9, powersG1: powers, lagrangeG1: TrustFixture.srs.lagrangeG1, g2: TrustFixture.srs.g2,
                         tauG2: TrustFixture.srs.tauG2, origin: TrustFixture.srs.origin)
        try SRSFile.write(broken, to: dir.path("broken.srs"))
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", vk, "--model", modelPath, "--params", dir.path("broken.srs")])
        #expect(r.code == 2 && r.err.contains("not a valid SRS"))
    }

    /// §17.2 with external data: torch's dynamo exporter writes the weights to `model.onnx.data`, and compile
    /// hashes the model with them inlined; verify-key reads the model the same way, so it rebuilds the key of a
    /// dynamo export (it used to refuse it), and a changed byte in the data file makes it another model.
    @Test func verifyKeyReadsExternalData() throws {
        try TrustFixture.requireBinaries()
        let dir = try TrustFixture.Directory()
        let source = TrustFixture.root.appendingPathComponent("circuits/zoo/autoencoder/dynamo")
        let modelDir = dir.path("model")
        try FileManager.default.createDirectory(atPath: modelDir, withIntermediateDirectories: true)
        for name in ["model.onnx", "model.onnx.data"] {
            try FileManager.default.copyItem(atPath: source.appendingPathComponent(name).path, toPath: modelDir + "/" + name)
        }
        let model = modelDir + "/model.onnx", srsPath = dir.path("dev.srs")
        try SRSFile.write(TrustFixture.srs, to: srsPath)
        var r = try dir.run(TrustFixture.zkinfer, ["compile", model, "-o", dir.path("c.zkc")])
        #expect(r.code == 0, "\(r.err)")
        r = try dir.run(TrustFixture.zkinfer, ["setup", dir.path("c.zkc"), "--params", srsPath, "-o", dir.path("keys")])
        #expect(r.code == 0, "\(r.err)")
        let vk = dir.path("keys/vk.bin")
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", vk, "--model", model, "--params", srsPath])
        #expect(r.code == 0 && r.out.contains("key matches model"), "\(r.err)")
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", vk, "--model", model, "--params", srsPath, "--circuit", dir.path("c.zkc")])
        #expect(r.code == 0, "\(r.err)")

        // One weight changed in the data file (the last 4 bytes: a float32 of the last tensor).
        let dataPath = modelDir + "/model.onnx.data"
        var data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dataPath)))
        data[data.count - 2] ^= 0x40
        try Data(data).write(to: URL(fileURLWithPath: dataPath))
        r = try dir.run(TrustFixture.zkinfer, ["verify-key", vk, "--model", model, "--params", srsPath])
        #expect(r.code == 1 && r.err.contains("first difference"), "\(r.out) \(r.err)")
    }

    /// `zkverify batch --vk`: a folder's `*.vk` files are whatever its writer put there; pinned to one key,
    /// proofs for any other key (here a planted key for another model) are invalid.
    @Test func batchPinnedToOneKeyIgnoresPlantedKeys() throws {
        try TrustFixture.requireBinaries()
        let dir = try TrustFixture.Directory()
        let a = try TrustFixture.model("mlp_tiny"), b = try TrustFixture.model("cnn_small")
        let vkA = try dir.write(a.vk.encoded, "batch/a.vk")
        try dir.write(b.vk.encoded, "batch/planted.vk")
        let proofA = try dir.write(a.proof.encoded, "batch/a.proof")
        let proofB = try dir.write(b.proof.encoded, "batch/b.proof")
        let folder = dir.path("batch")
        let identity = a.vk.srs.identity.hexEncoded

        // Unpinned: every key in the folder, the trust rule applied to each.
        var r = try dir.run(TrustFixture.zkverify, ["batch", folder])
        #expect(r.code == 1 && r.out.contains("invalid: \(proofA)") && r.err.contains("--trust-srs \(identity)"))
        r = try dir.run(TrustFixture.zkverify, ["batch", folder, "--trust-srs", identity])
        #expect(r.code == 0)
        #expect(r.out.contains("valid: \(proofA) (key \(a.vk.fingerprintHex.prefix(16))…, model sha256 \(a.modelHash))"))
        #expect(r.out.contains("valid: \(proofB) (key \(b.vk.fingerprintHex.prefix(16))…, model sha256 \(b.modelHash))"))

        // Pinned: the planted key is not used.
        r = try dir.run(TrustFixture.zkverify, ["batch", folder, "--vk", vkA, "--trust-srs", identity, "--json"])
        #expect(r.code == 1)
        let lines = r.out.split(separator: "\n").map(String.init)
        let lineA = try #require(lines.first { $0.contains("\"proof\":\"\(proofA)\"") })
        let lineB = try #require(lines.first { $0.contains("\"proof\":\"\(proofB)\"") })
        #expect(lineA.contains("\"valid\":true") && lineA.contains("\"key_fingerprint\":\"\(a.vk.fingerprintHex)\"")
                && lineA.contains("\"model_sha256\":\"\(a.modelHash)\""))
        #expect(lineB.contains("\"valid\":false") && lineB.contains("not made for the pinned key")
                && lineB.contains("\"key_fingerprint\":\"\(b.vk.fingerprintHex)\""))
    }
}
