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
        let (model, compiled, key, input) = (a.model, a.compiled, a.key, a.input)

        let result = try Pipeline.prove(model: model, compiled: compiled, key: key, input: input)
        let vk = try VerifyingKey.decode(key.verifyingKey.encoded)
        let proof = try ProofFile.decode(result.proof.encoded)
        try PlonkVerifier.verify(key: vk, proof: proof)

        // The proven output is the direct path's integers, and those are within the spec's bound of onnxruntime.
        let direct = try Inference.runFixed(model, input: input)
        let description = try #require(ModelDescription(vk.metadata))
        #expect(description.outputs.count == 1)
        #expect(description.integers(of: description.outputs[0], publicValues: proof.publicValues) == direct.fixed![0])
        let proven = try #require(description.dequantized(of: description.outputs[0], publicValues: proof.publicValues))
        let report = try Inference.errorReport(model, input: input)
        let bound = try #require(report.outputs.first?.bound)
        let expected = try Self.expectedOutput(folder)
        #expect(proven.count == expected.count)
        let error = zip(proven, expected).map { abs($0 - $1) }.max() ?? .infinity
        // onnxruntime computes in float32: its own rounding (a few ulps of the outputs) comes on top of the bound.
        #expect(error <= bound + 1e-5, "\(export): max |proof − onnxruntime| = \(error), bound \(bound)")

        // One output value changed: rejected.
        var changed = proof
        let length = description.publicColumnLength
        let position = description.outputs[0].publicStart!
        changed.publicValues[position / length][position % length] = changed.publicValues[position / length][position % length] + Fr.one
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: vk, proof: changed) }
    }

    static func expectedOutput(_ folder: URL) throws -> [Double] {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected_output.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(object["output_data"] as? [[Any]])
        return rows[0].compactMap { ($0 as? NSNumber)?.doubleValue }
    }
}
