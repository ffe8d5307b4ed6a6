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
            for index in 0..<values.count {
                let q: Int64?
                switch values[index] {
                case .float(let x): q = FixedPoint.quantize(x, scale: scale)
                case .decimal(let v, let d): q = FixedPoint.quantizeDecimal(value: v, decimals: d, scale: scale)
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
            guard items.count % names.count == 0 else {
                throw InferenceError.invalidInput(
                    "\(path)input_data has \(items.count) arrays; the model has \(names.count) input(s) (\(names.joined(separator: ", ")))")
            }
            arrays = items.enumerated().map { ("\(path)input_data[\($0)]", $1) }
        } else {
            for (key, _) in members where !names.contains(key) {
                throw InferenceError.invalidInput(
                    "\(path)unknown input '\(key)'; the model's inputs are: \(names.joined(separator: ", ")) (or use \"input_data\")")
            }
            for name in names {
                guard let value = node[name] else {
                    throw InferenceError.invalidInput("\(path)missing input '\(name)'")
                }
                arrays.append(("\(path)\(name)", value))
            }
        }
        var samples: [ModelInput] = []
        var index = 0
        while index < arrays.count {
            var tensors: [[InputValue]] = []
            for (position, id) in graph.inputs.enumerated() {
                let (where_, node) = arrays[index + position]
                let shape = graph.values[id].shape
                let expected = shape.reduce(1, *)
                var values: [InputValue] = []  // grows with the file's values, never reserved from the shape
                // Flattening stops one value past the shape: a hostile file's extra values cost nothing.
                var indices: [Int] = []
                try flatten(node, path: where_, indices: &indices, limit: expected + 1, into: &values)
                guard values.count == expected else {
                    let count = values.count > expected ? "more than \(expected)" : "\(values.count)"
                    throw InferenceError.invalidInput(
                        "\(where_) has \(count) values; input '\(graph.values[id].name)' needs \(expected) (shape \(Shape.describe(shape)))")
                }
                tensors.append(values)
            }
            samples.append(ModelInput(tensors: tensors))
            index += graph.inputs.count
        }
        return samples
    }

    /// Appends the numbers of `node` in row-major order, stopping once `values` holds `limit`. The element's
    /// path (`path` and the array `indices`) is only formatted for an error message.
    static func flatten(_ node: JSONNode, path prefix: String, indices: inout [Int], limit: Int, into values: inout [InputValue]) throws {
        var path: String { prefix + indices.map { "[\($0)]" }.joined() }
        switch node {
        case .array(let items):
            for (i, item) in items.enumerated() where values.count < limit {
                indices.append(i)
                try flatten(item, path: prefix, indices: &indices, limit: limit, into: &values)
                indices.removeLast()
            }
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
