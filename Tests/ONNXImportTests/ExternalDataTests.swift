import DirectInference
import Foundation
import ModelGraph
import Quantization
import Testing
@testable import ONNXImport

/// External data (ONNX `data_location = EXTERNAL`): torch's dynamo exporter's real output, and hand-built
/// hostile entries that must be refused with a reason.
struct ExternalDataTests {
    /// Exported by bench/vectors/make_dynamo_fixtures.py (torch 2.15 dynamo exporter, weights in model.onnx.data);
    /// expected outputs from onnxruntime.
    @Test(arguments: ["dynamo_mlp", "dynamo_convnet"])
    func dynamoExportsRunInBothPaths(_ name: String) throws {
        let folder = "Tests/ONNXImportTests/Fixtures/\(name)"
        let path = Repository.root.appendingPathComponent("\(folder)/model.onnx").path
        let expected = try JSONSerialization.jsonObject(with: Data(try Repository.bytes("\(folder)/expected.json"))) as! [String: Any]
        let reference = (expected["output_data"] as! [[Double]])[0]
        #expect((expected["external_tensors"] as! [String]).count >= 2)

        // The bytes alone are not enough, and say what to do.
        do {
            _ = try ONNXImporter.importModel(bytes: try Repository.bytes("\(folder)/model.onnx"))
            Issue.record("a model with external data imported from its bytes alone")
        } catch let error as ONNXImportError {
            #expect(error.description.contains("external file") && error.description.contains("load(path:)"))
        }

        let model = try ONNXImporter.load(path: path)
        #expect(model.opset == (expected["opset"] as! NSNumber).int64Value)
        let input = try InputFile.load(path: Repository.root.appendingPathComponent("\(folder)/input.json").path, graph: model.graph)[0]
        let float = try Inference.runFloat(model.graph, input: input).outputs[0]
        #expect(float.count == reference.count)
        for (got, want) in zip(float, reference) { #expect(abs(got - want) <= 1e-5 * abs(want) + 1e-6) }

        let quantized = try QuantizedModel(model.graph, settings: .default)
        let fixed = try Inference.runFixed(quantized, input: input).outputs[0]
        let report = try Inference.errorReport(quantized, input: input)
        #expect(report.withinBounds)
        let bound = report.outputs.map(\.bound).max() ?? 0
        for (got, want) in zip(fixed, reference) { #expect(abs(got - want) <= bound + 1e-5 * abs(want) + 1e-6) }

        // The self-contained form (what a circuit file embeds) imports from bytes to the same graph.
        let inlined = try ONNXImporter.selfContainedModel(path: path)
        #expect(try ONNXImporter.importModel(bytes: inlined).graph == model.graph)
        #expect(try ExternalData.hasExternalTensors(inlined) == false)
        #expect(try ONNXImporter.selfContainedModel(path: path) == inlined)  // deterministic
    }

    @Test func aModelWithoutExternalDataIsUnchanged() throws {
        let path = Repository.root.appendingPathComponent("circuits/mlp_tiny/model.onnx").path
        #expect(try ONNXImporter.selfContainedModel(path: path) == (try Repository.bytes("circuits/mlp_tiny/model.onnx")))
    }

    /// A one-node model y = x + c with c [1, 4] stored externally under `entries` (and data_location EXTERNAL
    /// unless `location` says otherwise), written with `files` into a fresh folder; returns the import's error
    /// text ("imported" on success, with the constant's values).
    func importing(_ entries: [(String, String)], location: Int64? = 1, files: [String: [UInt8]] = [:],
                   setUp: ((URL) throws -> Void)? = nil) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("external-\(UUID().uuidString)")
        let modelFolder = folder.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: modelFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, bytes) in files { try Data(bytes).write(to: modelFolder.appendingPathComponent(name)) }
        try setUp?(folder)
        let bytes = tinyModel(op: "Add", extraTensor: { t in
            t.int(1, 1); t.int(1, 4); t.int(2, 1); t.string(8, "c")
            for (key, value) in entries { t.message(13) { $0.string(1, key); $0.string(2, value) } }
            if let location { t.int(14, location) }
        }, extraInput: "c")
        let path = modelFolder.appendingPathComponent("model.onnx").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            let model = try ONNXImporter.load(path: path)
            let constant = model.graph.values.first { $0.name == "c" }?.constant?.values ?? []
            return "imported \(constant)"
        } catch {
            return "\(error)"
        }
    }

    static let fourFloats: [UInt8] = [1.0, 2.0, -0.5, 0.25].flatMap { (v: Float) in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }

    @Test func offsetsLengthsAndLocationsAreFollowed() throws {
        let padded = [UInt8](repeating: 0xEE, count: 8) + Self.fourFloats + [0xEE]
        #expect(try importing([("location", "w.bin")], files: ["w.bin": Self.fourFloats]) == "imported [1.0, 2.0, -0.5, 0.25]")
        #expect(try importing([("location", "w.bin"), ("offset", "8"), ("length", "16"), ("checksum", "ignored")],
                              files: ["w.bin": padded]) == "imported [1.0, 2.0, -0.5, 0.25]")
        // Inside the folder through a subfolder and back: allowed.
        #expect(try importing([("location", "sub/../w.bin")], files: ["w.bin": Self.fourFloats]) { folder in
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("model/sub"), withIntermediateDirectories: true)
        } == "imported [1.0, 2.0, -0.5, 0.25]")
    }

    @Test func hostileEntriesAreRefusedWithAReason() throws {
        let data = ["w.bin": Self.fourFloats]
        #expect(try importing([("location", "/etc/passwd")], files: data).contains("absolute path"))
        #expect(try importing([("location", "../outside.bin")], files: data) { folder in
            try Data(Self.fourFloats).write(to: folder.appendingPathComponent("outside.bin"))
        }.contains("leaves the model's folder"))
        #expect(try importing([("location", "link.bin")], files: data) { folder in
            try Data(Self.fourFloats).write(to: folder.appendingPathComponent("outside.bin"))
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("model/link.bin").path,
                                                       withDestinationPath: folder.appendingPathComponent("outside.bin").path)
        }.contains("leaves the model's folder"))
        #expect(try importing([("location", "missing.bin")], files: data).contains("not found next to the model"))
        #expect(try importing([("location", "w.bin"), ("offset", "17")], files: data).contains("past the end"))
        #expect(try importing([("location", "w.bin"), ("offset", "8"), ("length", "16")], files: data).contains("past the end"))
        #expect(try importing([("location", "w.bin"), ("offset", "99999999999999999999")], files: data).contains("not a byte count"))
        #expect(try importing([("location", "w.bin"), ("length", "-4")], files: data).contains("not a byte count"))
        #expect(try importing([("location", "w.bin"), ("length", "12")], files: data).contains("raw_data has 12 bytes"))
        #expect(try importing([("location", "w.bin"), ("location", "w.bin")], files: data).contains("twice"))
        #expect(try importing([("offset", "0")], files: data).contains("no location"))
        #expect(try importing([("location", "w.bin")], location: 0, files: data).contains("data_location is not EXTERNAL"))
        #expect(try importing([("location", "w.bin")], location: 7, files: data).contains("data_location is not EXTERNAL"))
        // A folder, not a file.
        #expect(try importing([("location", "sub")], files: data) { folder in
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("model/sub"), withIntermediateDirectories: true)
        }.contains("not a regular file"))
    }

    @Test func eachDataFileIsReadOnce() throws {
        let model = Repository.root.appendingPathComponent("Tests/ONNXImportTests/Fixtures/dynamo_convnet/model.onnx").path
        var external = try ExternalData(modelPath: model)
        let inlined = try external.inline(try Repository.bytes("Tests/ONNXImportTests/Fixtures/dynamo_convnet/model.onnx"))
        #expect(external.filesRead == 1)
        #expect(external.inlinedBytes == (try Repository.bytes("Tests/ONNXImportTests/Fixtures/dynamo_convnet/model.onnx.data")).count)
        #expect(!inlined.isEmpty)
    }
}
