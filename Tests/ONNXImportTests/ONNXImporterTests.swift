import Testing
import ModelGraph
@testable import ONNXImport

struct ONNXImporterTests {
    @Test(arguments: Repository.models)
    func sharedModelsImport(_ name: String) throws {
        let model = try ONNXImporter.importModel(bytes: try Repository.bytes("circuits/\(name)/model.onnx"))
        #expect(model.opset == 13)
        let graph = model.graph
        let parameters = graph.nodes.reduce(0) { $0 + $1.operation.parameterCount }
        let expected = ["mlp_tiny": 340, "cnn_small": 1490, "mlp_deep": 21450, "mlp_mnist": 50890][name]!
        #expect(parameters == expected)
        #expect(graph.outputNames == ["output"])
        if name == "cnn_small" {
            #expect(graph.nodes.map(\.operation.name) == ["Conv", "Relu", "Reshape", "Linear"])
            #expect(graph.values[graph.outputs[0]].shape == [1, 10])
        }
    }

    @Test func everyUnsupportedNodeIsListedWithSuggestions() throws {
        let bytes = try Repository.bytes("Tests/DirectInferenceTests/Vectors/unsupported_net.onnx")
        do {
            _ = try ONNXImporter.importModel(bytes: bytes)
            Issue.record("expected unsupportedOperators")
        } catch ONNXImportError.unsupportedOperators(let nodes) {
            // The vector's Erf node (gelu_erf) is supported since issue 17; the custom-domain FusedGemm is not.
            #expect(nodes.map(\.opType) == ["FusedGemm"])
            #expect(nodes.map(\.nodeName) == ["fused"])
            #expect(nodes.allSatisfy { $0.suggestion != nil })
            let text = ONNXImportError.unsupportedOperators(nodes).description
            #expect(text.contains("supported operators:") && text.contains("Gemm"))
        }
    }

    @Test func unsupportedModelFeaturesSayWhat() throws {
        func message(_ bytes: [UInt8]) -> String {
            do { _ = try ONNXImporter.importModel(bytes: bytes); return "imported" } catch { return "\(error)" }
        }
        #expect(message(try Repository.bytes("Tests/DirectInferenceTests/Vectors/dynamic_batch.onnx")).contains("dynamic dimension 'batch'"))
        #expect(message(try Repository.bytes("Tests/DirectInferenceTests/Vectors/external_data.onnx")).contains("external file"))
        #expect(message(tinyModel(opset: 3)).contains("opset 3"))
        #expect(message(tinyModel(dims: [4, 4])) == "imported")  // batch 4: four samples in one run
        #expect(message(tinyModel(op: "Foo")).contains("Foo node 'n0'"))
        #expect(message(tinyModel()) == "imported")
    }

    @Test func declaredTensorSizesNeverDriveAllocation() throws {
        // An initializer declaring 2^40 elements with 4 bytes of data: rejected, nothing allocated.
        let bytes = tinyModel(extraTensor: { t in
            t.int(1, 1 << 20); t.int(1, 1 << 20); t.int(2, 1); t.string(8, "w"); t.bytesField(9, [0, 0, 0, 0])
        })
        #expect(throws: ONNXImportError.self) { try ONNXImporter.importModel(bytes: bytes) }
        let mismatch = tinyModel(extraTensor: { t in
            t.int(1, 3); t.int(2, 1); t.string(8, "w"); t.bytesField(9, [0, 0, 0, 0])
        })
        #expect(throws: ONNXImportError.self) { try ONNXImporter.importModel(bytes: mismatch) }
    }

    @Test func corruptedAndTruncatedFilesGiveErrorsNotCrashes() throws {
        let original = try Repository.bytes("circuits/cnn_small/model.onnx")
        // Every truncation point in the header region and a spread of points through the file.
        var points = Array(0..<min(400, original.count))
        points += stride(from: 400, to: original.count, by: 97)
        for length in points {
            #expect(throws: (any Error).self) { try ONNXImporter.importModel(bytes: Array(original[..<length])) }
        }
        #expect(throws: ONNXImportError.self) { try ONNXImporter.importModel(bytes: []) }
        #expect(throws: ONNXImportError.self) { try ONNXImporter.importModel(bytes: Array("not a model at all".utf8)) }
    }

    @Test func fuzzSmokeRandomBytesAndFlips() throws {
        var rng = SplitMix64(seed: 0x5EED)
        // Random byte strings.
        for _ in 0..<3000 {
            let length = Int(rng.next() % 300)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = try? ONNXImporter.importModel(bytes: bytes)
        }
        // Byte flips and random truncations of real models: any outcome but a trap is acceptable.
        for name in ["mlp_tiny", "cnn_small"] {
            let original = try Repository.bytes("circuits/\(name)/model.onnx")
            for _ in 0..<1500 {
                var bytes = original
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                }
                if rng.next() % 4 == 0 { bytes = Array(bytes[..<Int(rng.next() % UInt64(bytes.count))]) }
                if let model = try? ONNXImporter.importModel(bytes: bytes) {
                    // Whatever imported is a consistent graph.
                    for node in model.graph.nodes {
                        #expect(try ShapeInference.outputShape(of: node.operation, inputs: node.inputs.map { model.graph.values[$0].shape })
                                == model.graph.values[node.output].shape)
                    }
                }
            }
        }
    }
}

/// Deterministic generator so a fuzz failure reproduces.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
