import ModelGraph
import Quantization

/// The two paths of `zkinfer run`: fixed-point (what proofs attest) and float reference.
public enum Inference {
    /// Float reference path (Double).
    public static func runFloat(_ graph: ModelGraph, input: ModelInput) throws -> InferenceResult {
        let values = try FloatEvaluator.run(graph, inputs: try input.realTensors(for: graph))
        return InferenceResult(
            names: graph.outputNames, shapes: graph.outputs.map { graph.values[$0].shape },
            outputs: graph.outputs.map { values[$0].values }, fixed: nil, quantizedInputs: nil, trace: nil)
    }

    /// Fixed-point path: quantize the input (spec §1), run the integer interpreter, dequantize outputs.
    public static func runFixed(_ model: QuantizedModel, input: ModelInput, trace: Bool = false) throws -> InferenceResult {
        let graph = model.graph
        let quantized = try input.quantized(for: graph, settings: model.settings)
        let result = try IntegerInterpreter(model).run(quantizedInputs: quantized, trace: trace)
        let fixed = graph.outputs.map { result.values[$0] }
        return InferenceResult(
            names: graph.outputNames, shapes: graph.outputs.map { graph.values[$0].shape },
            outputs: zip(graph.outputs, fixed).map { id, values in
                let scale = graph.values[id].isInteger ? 0 : model.settings.activationScale
                return values.map { FixedPoint.dequantize($0, scale: scale) }
            },
            fixed: fixed, quantizedInputs: quantized, trace: trace ? result : nil)
    }

    /// Fixed-point vs float for one sample, per layer, with the spec's predicted bounds.
    public static func errorReport(_ model: QuantizedModel, input: ModelInput) throws -> ErrorReport {
        let floatValues = try FloatEvaluator.run(model.graph, inputs: try input.realTensors(for: model.graph))
        let quantized = try input.quantized(for: model.graph, settings: model.settings)
        let trace = try IntegerInterpreter(model).run(quantizedInputs: quantized, trace: true)
        return ErrorReport(model: model, floatValues: floatValues, fixed: trace.values)
    }
}
