#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ModelGraph
import Quantization
import SystemSupport

/// One input element as written in the file: a float, or a decimal fixed-point number
/// {"value": v, "decimals": d} meaning v·10^-d.
public enum InputValue: Sendable, Equatable {
    case float(Double)
    case decimal(value: Int64, decimals: Int)

    public var real: Double {
        switch self {
        case .float(let x): return x
        case .decimal(let v, let d): return Double(v) / pow(10, Double(d))
        }
    }
}

/// One sample: the elements of every graph input, flattened row-major, in graph input order.
public struct ModelInput: Sendable {
    public var tensors: [[InputValue]]

    public init(tensors: [[InputValue]]) { self.tensors = tensors }

    /// Float tensors for the float path.
    public func realTensors(for graph: ModelGraph) throws -> [Tensor] {
        try zip(graph.inputs, tensors).map { try Tensor(shape: graph.values[$0].shape, values: $1.map(\.real)) }
    }

    /// Quantized inputs at scale 2^s with the spec's rounding, bound-checked.
    public func quantized(for graph: ModelGraph, settings: QuantizationSettings) throws -> [[Int64]] {
        var result: [[Int64]] = []
        result.reserveCapacity(tensors.count)
        let low = settings.activationMin, high = settings.activationMaxExclusive, scale = settings.activationScale
        for (id, values) in zip(graph.inputs, tensors) {
            var integers = [Int64](repeating: 0, count: values.count)
            let isInteger = graph.values[id].isInteger
            for index in 0..<values.count {
                let q: Int64?
                if isInteger {
                    // Token ids and other integer inputs are taken as they are, never scaled; they must be integers.
                    let real = values[index].real
                    guard let exact = Int64(exactly: real) else {
                        throw InferenceError.invalidInput(
                            "input '\(graph.values[id].name)' is an integer tensor; element \(index) = \(real) is not an integer")
                    }
                    q = exact
                } else {
                    switch values[index] {
                    case .float(let x): q = FixedPoint.quantize(x, scale: scale)
                    case .decimal(let v, let d): q = FixedPoint.quantizeDecimal(value: v, decimals: d, scale: scale)
                    }
                }
                guard let q, q >= low, q < high else {
                    throw QuantizationError.outOfRange(
                        layer: "input '\(graph.values[id].name)'", what: "element \(index) =", value: "\(values[index].real)",
                        bound: "[−2^\(settings.activationBits - 1 - settings.activationScale), 2^\(settings.activationBits - 1 - settings.activationScale)) (B = \(settings.activationBits), s = \(settings.activationScale))")
                }
                integers[index] = q
            }
            result.append(integers)
        }
        return result
    }
}

/// Input files: EZKL style {"input_data": [[…], …]} (one array per graph input, in order) or named
/// {"<input name>": […]}; arrays may be nested (they are flattened row-major). A file may also hold
/// several samples: a top-level array of such objects, or, in EZKL style, k·(number of inputs) arrays.
public enum InputFile {
    public static func load(path: String, graph: ModelGraph) throws -> [ModelInput] {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path, limit: 1 << 30) } catch { throw InferenceError.invalidInput("cannot read \(error)") }
        return try parse(bytes, graph: graph)
    }

    public static func parse(_ bytes: [UInt8], graph: ModelGraph) throws -> [ModelInput] {
        let root: JSONNode
        do { root = try JSONReader.parse(bytes) } catch let error as JSONError { throw InferenceError.invalidInput(error.description) }
        if case .array(let samples) = root {
            guard !samples.isEmpty else { throw InferenceError.invalidInput("the file holds no samples") }
            return try samples.enumerated().flatMap { try parseObject($1, graph: graph, path: "[\($0)]") }
        }
        return try parseObject(root, graph: graph, path: "")
    }

    static func parseObject(_ node: JSONNode, graph: ModelGraph, path: String) throws -> [ModelInput] {
        guard case .object(let members) = node else {
            throw InferenceError.invalidInput("\(path.isEmpty ? "the file" : path) must be a JSON object, got \(node.kind)")
        }
        let names = graph.inputs.map { graph.values[$0].name }
        var arrays: [(String, JSONNode)] = []
        if let data = node["input_data"] {
            guard case .array(let items) = data, !items.isEmpty else {
                throw InferenceError.invalidInput("\(path)input_data must be a non-empty array of arrays")
            }
            arrays = items.enumerated().map { ("\(path)input_data[\($0)]", $1) }
            return try consecutive(arrays, graph: graph)
        }
        for (key, _) in members where !names.contains(key) {
            throw InferenceError.invalidInput(
                "\(path)unknown input '\(key)'; the model's inputs are: \(names.joined(separator: ", ")) (or use \"input_data\")")
        }
        var tensors: [[InputValue]] = []
        for id in graph.inputs {
            let name = graph.values[id].name
            guard let value = node[name] else { throw InferenceError.invalidInput("\(path)missing input '\(name)'") }
            var values: [InputValue] = []
            try flatten(value, path: "\(path)\(name)", into: &values)
            try checkCount(values.count, id: id, graph: graph, where: "\(path)\(name)")
            tensors.append(values)
        }
        return [ModelInput(tensors: tensors)]
    }

    /// EZKL style: the arrays fill the graph inputs in order, sample after sample. An input takes one array holding
    /// all its values, or several consecutive arrays (e.g. one per batch row of a batch-B input) that add up to them.
    static func consecutive(_ arrays: [(String, JSONNode)], graph: ModelGraph) throws -> [ModelInput] {
        var samples: [ModelInput] = []
        var index = 0
        while index < arrays.count {
            var tensors: [[InputValue]] = []
            for id in graph.inputs {
                let expected = graph.values[id].elementCount
                var values: [InputValue] = []
                let first = arrays[min(index, arrays.count - 1)].0
                repeat {
                    guard index < arrays.count else {
                        try checkCount(values.count, id: id, graph: graph, where: first)
                        return samples  // unreachable: the count differs
                    }
                    try flatten(arrays[index].1, path: arrays[index].0, into: &values)
                    index += 1
                } while values.count < expected
                try checkCount(values.count, id: id, graph: graph, where: values.count == expected ? first : "\(first)…")
                tensors.append(values)
            }
            samples.append(ModelInput(tensors: tensors))
        }
        return samples
    }

    static func checkCount(_ count: Int, id: ValueID, graph: ModelGraph, where place: String) throws {
        let shape = graph.values[id].shape
        let expected = shape.reduce(1, *)
        guard count == expected else {
            throw InferenceError.invalidInput(
                "\(place) has \(count) values; input '\(graph.values[id].name)' needs \(expected) (shape \(Shape.describe(shape)))")
        }
    }

    static func flatten(_ node: JSONNode, path: String, into values: inout [InputValue]) throws {
        switch node {
        case .array(let items):
            for (i, item) in items.enumerated() { try flatten(item, path: "\(path)[\(i)]", into: &values) }
        case .number(let text):
            guard let x = Double(text), x.isFinite else {
                throw InferenceError.invalidInput("\(path): \(text) is not a finite number")
            }
            values.append(.float(x))
        case .object:
            guard case .number(let v)? = node["value"], let value = Int64(v) else {
                throw InferenceError.invalidInput("\(path): a fixed-point value needs an integer \"value\" (64-bit)")
            }
            guard case .number(let d)? = node["decimals"], let decimals = Int(d), (0...18).contains(decimals) else {
                throw InferenceError.invalidInput("\(path): a fixed-point value needs \"decimals\" in 0...18")
            }
            values.append(.decimal(value: value, decimals: decimals))
        default:
            throw InferenceError.invalidInput("\(path): expected a number, got \(node.kind)")
        }
    }
}
