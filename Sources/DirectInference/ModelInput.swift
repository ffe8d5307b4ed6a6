import ModelGraph
import Quantization

/// One sample: the elements of every graph input, flattened row-major, in graph input order.
public struct ModelInput: Sendable {
    public var tensors: [[InputValue]]

    public init(tensors: [[InputValue]]) { self.tensors = tensors }

    /// Float tensors for the float path.
    public func realTensors(for graph: ModelGraph) throws -> [Tensor] {
        try zip(graph.inputs, tensors).map { try Tensor(shape: graph.values[$0].shape, values: $1.map(\.real)) }
    }

    /// Quantized inputs at scale 2^s with the spec's rounding, bound-checked (`InputFileFormat.quantize`).
    public func quantized(for graph: ModelGraph, settings: QuantizationSettings) throws -> [[Int64]] {
        try zip(graph.inputs, tensors).map { id, values in
            try InputFileFormat.quantize(values, input: graph.values[id].name, settings: settings)
        }
    }
}

/// Input files for a model graph (formats: `InputFileFormat`, which `zkverify --input` reads too).
public enum InputFile {
    public static func load(path: String, graph: ModelGraph) throws -> [ModelInput] {
        try samples { try InputFileFormat.load(path: path, inputs: specs(graph)) }
    }

    public static func parse(_ bytes: [UInt8], graph: ModelGraph) throws -> [ModelInput] {
        try samples { try InputFileFormat.parse(bytes, inputs: specs(graph)) }
    }

    static func specs(_ graph: ModelGraph) -> [InputTensorSpec] {
        graph.inputs.map { InputTensorSpec(name: graph.values[$0].name, shape: graph.values[$0].shape) }
    }

    /// File problems keep their direct-path type (`InferenceError.invalidInput`).
    static func samples(_ read: () throws -> [[[InputValue]]]) throws -> [ModelInput] {
        do { return try read().map(ModelInput.init(tensors:)) } catch let error as QuantizationError {
            switch error {
            case .invalidInput(let reason), .inputMismatch(let reason): throw InferenceError.invalidInput(reason)
            default: throw error
            }
        }
    }
}
