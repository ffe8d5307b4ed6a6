import Testing
import DirectInference
import ModelGraph
import ONNXImport
import Quantization

/// Tier 1 of every model: the float path equals onnxruntime, the fixed-point path stays within the
/// error the spec predicts for this input.
struct ModelAccuracyTests {
    @Test(arguments: Repository.models + Repository.vectors)
    func floatPathMatchesOnnxruntime(_ name: String) throws {
        let (model, input, expected) = Repository.files(name)
        let graph = try ONNXImporter.load(path: Repository.path(model)).graph
        let sample = try InputFile.load(path: Repository.path(input), graph: graph)[0]
        let result = try Inference.runFloat(graph, input: sample)
        let reference = try Repository.expectedOutputs(expected)
        #expect(result.outputs.count == reference.count)
        for (ours, theirs) in zip(result.outputs, reference) {
            #expect(ours.count == theirs.count)
            let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-4, "\(name): float path differs from onnxruntime by \(worst)")
        }
    }

    @Test(arguments: Repository.models + Repository.vectors)
    func fixedPointPathStaysWithinThePredictedBound(_ name: String) throws {
        let (model, input, _) = Repository.files(name)
        let graph = try ONNXImporter.load(path: Repository.path(model)).graph
        let sample = try InputFile.load(path: Repository.path(input), graph: graph)[0]
        for settings in [QuantizationSettings.default, QuantizationSettings(activationScale: 10, parameterScale: 9, activationBits: 24)] {
            let quantized = try QuantizedModel(graph, settings: settings)
            let report = try Inference.errorReport(quantized, input: sample)
            #expect(report.withinBounds, "\(name) at s=\(settings.activationScale): \(report.elementwiseViolations)")
            // At the default scales the bound is informative, not vacuous.
            if settings == .default { #expect(report.outputs.allSatisfy { $0.bound < 0.01 }) }
            // The run's dequantized outputs are the report's fixed values.
            let run = try Inference.runFixed(quantized, input: sample)
            let float = try Inference.runFloat(graph, input: sample)
            let worst = zip(run.outputs.flatMap { $0 }, float.outputs.flatMap { $0 }).map { abs($0 - $1) }.max()!
            #expect(abs(worst - report.maxOutputError) < 1e-12)
        }
    }

    @Test(arguments: Repository.models)
    func defaultsBeatTheEZKLBaseline(_ name: String) throws {
        // EZKL 23.0.5 at its default scale 2^13 (../shared/peers/EZKL_BASELINE.md), per model.
        let ezkl = ["mlp_tiny": 8.43e-05, "cnn_small": 1.09e-04, "mlp_deep": 1.01e-04, "mlp_mnist": 3.88e-04][name]!
        let (model, input, expected) = Repository.files(name)
        let graph = try ONNXImporter.load(path: Repository.path(model)).graph
        let sample = try InputFile.load(path: Repository.path(input), graph: graph)[0]
        let run = try Inference.runFixed(try QuantizedModel(graph, settings: .default), input: sample)
        let reference = try Repository.expectedOutputs(expected)
        let worst = zip(run.outputs[0], reference[0]).map { abs($0 - $1) }.max()!
        #expect(worst < ezkl, "\(name): \(worst) vs EZKL \(ezkl)")
    }

    @Test func calibrationKeepsAMarginAndReportsEveryLayer() throws {
        let (model, input, _) = Repository.files("mlp_deep")
        let graph = try ONNXImporter.load(path: Repository.path(model)).graph
        let samples = try InputFile.load(path: Repository.path(input), graph: graph)
        let result = try Calibration.calibrate(graph, samples: samples, activationBits: 16, margin: 1)
        let s = result.settings.activationScale
        // Largest activation·2^s·2 must stay below 2^15.
        #expect(result.largestActivation * Double(1 << s) * 2 < Double(1 << 15))
        #expect(result.layers.count == graph.nodes.count)
        #expect(result.layers.allSatisfy { $0.maxAbsError <= $0.bound })
        // The chosen settings reproduce the reported output error.
        let report = try Inference.errorReport(try QuantizedModel(graph, settings: result.settings), input: samples[0])
        #expect(abs(report.maxOutputError - result.maxOutputError) < 1e-12)
    }
}
