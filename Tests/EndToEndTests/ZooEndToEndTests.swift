import DirectInference
import FieldArithmetic
import Foundation
import KZG
import ModelMetadata
import PlonkVerifier
import Quantization
import Testing
import ZKInferKit

@testable import CircuitCompiler
@testable import PlonkProver

/// The model zoo of issue 16 (circuits/zoo, bench/models/make_zoo.py: networks as PyTorch's two exporters write
/// them): each export compiles from its path (external data inlined), proves and verifies; the proven output
/// is `zkinfer run`'s bit for bit and within the spec's bound of onnxruntime's float output
/// (expected_output.json); a proof with one output value changed is rejected.
struct ZooEndToEndTests {
    static let zoo = Shared.root.appendingPathComponent("circuits/zoo")

    /// Every `<model>/<exporter>` folder of circuits/zoo that the importer supports today.
    static let exports: [String] = [
        "autoencoder/dynamo", "autoencoder/torchscript",
        "conv1d_forecaster/dynamo", "conv1d_forecaster/torchscript",
        "embedding_mean_text/dynamo", "embedding_mean_text/torchscript",
        "embeddingbag_text/dynamo", "embeddingbag_text/torchscript",  // Loop / If / sequences unrolled at import
        "mlp_batch4/dynamo", "mlp_batch4/torchscript",
        "mobilenet_block/dynamo", "mobilenet_block/torchscript",
        "resnet_small/dynamo", "resnet_small/torchscript",
    ]

    /// The list above is the whole zoo but the models that still need a refused operator: a new folder is
    /// either listed here or fails this test.
    @Test func everyZooExportIsCovered() throws {
        let models = try FileManager.default.contentsOfDirectory(atPath: Self.zoo.path).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: Self.zoo.appendingPathComponent($0).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        var found: [String] = []
        for model in models {
            for exporter in try FileManager.default.contentsOfDirectory(atPath: Self.zoo.appendingPathComponent(model).path)
            where FileManager.default.fileExists(atPath: Self.zoo.appendingPathComponent("\(model)/\(exporter)/model.onnx").path) {
                found.append("\(model)/\(exporter)")
            }
        }
        let refused = Set(found).subtracting(Self.exports)
        for export in refused {
            // Not proved yet: it must at least be refused cleanly by the importer, never accepted silently.
            #expect(throws: (any Error).self, "\(export) imports now: add it to ZooEndToEndTests.exports") {
                _ = try CircuitFile.compile(modelPath: Self.zoo.appendingPathComponent("\(export)/model.onnx").path,
                                            settings: .default, options: CompileOptions())
            }
        }
        #expect(Set(Self.exports).isSubset(of: Set(found)))
    }

    @Test(arguments: exports)
    func zooModelProvesVerifiesAndMatchesOnnxruntime(_ export: String) throws {
        let folder = Self.zoo.appendingPathComponent(export)
        let a = try Shared.artifacts(modelPath: folder.appendingPathComponent("model.onnx").path,
                                     inputPath: folder.appendingPathComponent("input.json").path)
        let (model, input) = (a.model, a.input)
        let v = try Shared.proveAndVerify(a)
        try Shared.expectWithinKeyAndProofLimits(a, v)
        let (vk, proof, description) = (v.vk, v.proof, v.description)

        // The proven output is the direct path's integers, and those are within the spec's bound of onnxruntime.
        #expect(description.outputs.count == 1)
        #expect(v.proved(0) == v.directFixed[0])
        let proven = try #require(description.dequantized(of: description.outputs[0], publicValues: proof.publicValues))
        let report = try Inference.errorReport(model, input: input)
        let bound = try #require(report.outputs.first?.bound)
        let expected = try Self.expectedOutput(folder)
        #expect(proven.count == expected.count)
        let error = zip(proven, expected).map { abs($0 - $1) }.max() ?? .infinity
        // onnxruntime computes in float32: its own rounding (a few ulps of the outputs) comes on top of the bound.
        #expect(error <= bound + 1e-5, "\(export): max |proof − onnxruntime| = \(error), bound \(bound)")

        // The verified public input is the file's: token ids as the integers themselves (scale 2^0), reals
        // within half a unit of 2^-scale.
        let fileInput = try Self.inputValues(folder)
        let verifiedInputs = description.verifiedInputs(publicValues: proof.publicValues)
        #expect(verifiedInputs.count == 1)
        let verified = try #require(verifiedInputs.first ?? nil)
        #expect(verified.isInteger == export.hasPrefix("embedding"), "\(export): input integer flag")
        let tolerance = verified.isInteger ? 0 : 0.5 / Double(1 << description.activationScale)
        #expect(verified.values.count == fileInput.count)
        #expect(zip(verified.values, fileInput).allSatisfy { abs($0 - $1) <= tolerance }, "\(export): verified input differs from the file")

        // One output value changed: rejected.
        var changed = proof
        let length = description.publicColumnLength
        let position = description.outputs[0].publicStart!
        changed.publicValues[position / length][position % length] = changed.publicValues[position / length][position % length] + Fr.one
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: vk, proof: changed) }
    }

    /// Which tensors are integer-valued travels in the key's metadata (bound by its fingerprint); keys of
    /// all-real models carry no entry for it, and an index that names no tensor makes the description malformed.
    @Test func integerTensorsRoundTripThroughKeyMetadata() throws {
        let description = ModelDescription(
            modelSHA256: "m", settingsSHA256: "s", settingsJSON: "{}", activationScale: 16, publicColumnLength: 8,
            inputs: [.init(name: "tokens", shape: [1, 3], publicStart: 0, count: 3, isInteger: true),
                     .init(name: "x", shape: [2], publicStart: 3, count: 2)],
            outputs: [.init(name: "y", shape: [1], publicStart: 5, count: 1)])
        let metadata = description.metadata
        #expect(metadata.string("zkinfer.inputs.integer") == "0")
        #expect(metadata.string("zkinfer.outputs.integer") == nil)
        let decoded = try #require(ModelDescription(metadata))
        #expect(decoded == description)
        #expect(decoded.scale(of: decoded.inputs[0]) == 0 && decoded.scale(of: decoded.inputs[1]) == 16)
        let values = [[Fr(46), Fr(19), Fr(7), Fr(65536), -Fr(32768), Fr(3)]]
        let inputs = decoded.verifiedInputs(publicValues: values)
        #expect(inputs[0]?.values == [46, 19, 7] && inputs[1]?.values == [1.0, -0.5])

        for bad in ["2", "-1", "0,,1", "x", ""] {
            var tampered = metadata
            tampered.setString("zkinfer.inputs.integer", bad)
            #expect(ModelDescription(tampered) == nil, "index list '\(bad)' accepted")
        }
    }

    /// The input file's values, flattened (every zoo input file is `{"input_data": [[…]]}`).
    static func inputValues(_ folder: URL) throws -> [Double] {
        let data = try Data(contentsOf: folder.appendingPathComponent("input.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(object["input_data"] as? [[Any]])
        return rows[0].compactMap { ($0 as? NSNumber)?.doubleValue }
    }

    static func expectedOutput(_ folder: URL) throws -> [Double] {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected_output.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(object["output_data"] as? [[Any]])
        return rows[0].compactMap { ($0 as? NSNumber)?.doubleValue }
    }
}
