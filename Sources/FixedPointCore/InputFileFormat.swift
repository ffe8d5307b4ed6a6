#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

/// A model input as an input file addresses it: by name (named form) or position (EZKL form), with the
/// shape that fixes its element count.
public struct InputTensorSpec: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    /// An integer tensor (token ids, indices): its elements are taken as they are, never scaled by 2^s.
    public let isInteger: Bool

    public init(name: String, shape: [Int], isInteger: Bool = false) {
        self.name = name
        self.shape = shape
        self.isInteger = isInteger
    }

    /// Product of the dimensions (Int.max when it overflows: shapes can come from an untrusted key).
    public var elementCount: Int {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if overflow { return Int.max }
            count = product
        }
        return count
    }
}

/// Input files: EZKL style {"input_data": [[…], …]} (one array per model input, in order) or named
/// {"<input name>": […]}; arrays may be nested (they are flattened row-major). In EZKL style an input may
/// also take several consecutive arrays that add up to its elements (e.g. one per row of a batch-B input). A
/// file may also hold several samples: a top-level array of such objects, or, in EZKL style, arrays for
/// several samples one after the other.
///
/// Needs only the inputs' names and shapes, so the direct path (from the model graph) and `zkverify` (from
/// a verifying key's metadata) read the same files the same way. Errors: `QuantizationError.invalidInput` for
/// a file that is not an input file, `.inputMismatch` for one that does not fit these inputs.
public enum InputFileFormat {
    /// Input files above this size are refused before reading. The JSON tree costs ≈ 7× the file for arrays
    /// of floats, at most ≈ 25× (arrays of one-digit arrays): docs/proof-format.md, "Decoder bounds".
    public static let maximumFileBytes = 1 << 30

    /// Every sample's tensors: the elements of every input, flattened row-major, in `inputs` order. Files
    /// larger than `maximumBytes` (at most `maximumFileBytes`) are refused before reading.
    public static func load(path: String, inputs: [InputTensorSpec], maximumBytes: Int = maximumFileBytes) throws -> [[[InputValue]]] {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path, limit: min(maximumBytes, maximumFileBytes)) } catch {
            throw QuantizationError.invalidInput("cannot read \(error)")
        }
        return try parse(bytes, inputs: inputs)
    }

    public static func parse(_ bytes: [UInt8], inputs: [InputTensorSpec]) throws -> [[[InputValue]]] {
        let root: JSONNode
        do { root = try JSONReader.parse(bytes) } catch let error as JSONError { throw QuantizationError.invalidInput(error.description) }
        if case .array(let samples) = root {
            guard !samples.isEmpty else { throw QuantizationError.invalidInput("the file holds no samples") }
            return try samples.enumerated().flatMap { try parseObject($1, inputs: inputs, path: "[\($0)]") }
        }
        return try parseObject(root, inputs: inputs, path: "")
    }

    /// Q_s of every element (docs/fixed-point.md §2), each required to lie in [−2^(B−1), 2^(B−1)) (§3): the
    /// bound the verifier checks on every public value, so an honest prover never proves what no verifier
    /// would accept. An integer input (`isInteger`) takes its elements as they are; each must be an integer.
    public static func quantize(_ values: [InputValue], input name: String, settings: QuantizationSettings,
                                isInteger: Bool = false) throws -> [Int64] {
        let low = settings.activationMin, high = settings.activationMaxExclusive, scale = settings.activationScale
        var integers = [Int64](repeating: 0, count: values.count)
        for index in 0..<values.count {
            let q: Int64?
            if isInteger {
                let real = values[index].real
                guard let exact = Int64(exactly: real) else {
                    throw QuantizationError.inputMismatch(
                        "input '\(name)' is an integer tensor; element \(index) = \(real) is not an integer")
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
                    layer: "input '\(name)'", what: "element \(index) =", value: "\(values[index].real)",
                    bound: "[−2^\(settings.activationBits - 1 - settings.activationScale), 2^\(settings.activationBits - 1 - settings.activationScale)) (B = \(settings.activationBits), s = \(settings.activationScale))")
            }
            integers[index] = q
        }
        return integers
    }

    static func parseObject(_ node: JSONNode, inputs: [InputTensorSpec], path: String) throws -> [[[InputValue]]] {
        guard case .object(let members) = node else {
            throw QuantizationError.invalidInput("\(path.isEmpty ? "the file" : path) must be a JSON object, got \(node.kind)")
        }
        let names = inputs.map(\.name)
        guard !names.isEmpty else { throw QuantizationError.invalidInput("the model has no inputs") }
        if let data = node["input_data"] {
            guard case .array(let items) = data, !items.isEmpty else {
                throw QuantizationError.invalidInput("\(path)input_data must be a non-empty array of arrays")
            }
            return try consecutive(items.enumerated().map { ("\(path)input_data[\($0)]", $1) }, inputs: inputs)
        }
        for (key, _) in members where !names.contains(key) {
            throw QuantizationError.inputMismatch(
                "\(path)unknown input '\(key)'; the model's inputs are: \(names.joined(separator: ", ")) (or use \"input_data\")")
        }
        var tensors: [[InputValue]] = []
        for input in inputs {
            guard let value = node[input.name] else { throw QuantizationError.inputMismatch("\(path)missing input '\(input.name)'") }
            var values: [InputValue] = []
            var indices: [Int] = []
            try flatten(value, path: "\(path)\(input.name)", indices: &indices, limit: min(input.elementCount, Int.max - 1) + 1, into: &values)
            try checkCount(values.count, input, where: "\(path)\(input.name)")
            tensors.append(values)
        }
        return [tensors]
    }

    /// EZKL style: the arrays fill the inputs in order, sample after sample. An input takes one array holding all
    /// its values, or several consecutive arrays (e.g. one per batch row of a batch-B input) that add up to them.
    static func consecutive(_ arrays: [(String, JSONNode)], inputs: [InputTensorSpec]) throws -> [[[InputValue]]] {
        var samples: [[[InputValue]]] = []
        var index = 0
        while index < arrays.count {
            var tensors: [[InputValue]] = []
            for input in inputs {
                let expected = input.elementCount
                var values: [InputValue] = []  // grows with the file's values, never reserved from the shape
                let first = arrays[min(index, arrays.count - 1)].0
                repeat {
                    guard index < arrays.count else {
                        try checkCount(values.count, input, where: first)
                        return samples  // unreachable: the count differs
                    }
                    // Flattening stops one value past the shape: a hostile file's extra values cost nothing.
                    var indices: [Int] = []
                    try flatten(arrays[index].1, path: arrays[index].0, indices: &indices, limit: min(expected, Int.max - 1) + 1, into: &values)
                    index += 1
                } while values.count < expected
                try checkCount(values.count, input, where: values.count == expected ? first : "\(first)…")
                tensors.append(values)
            }
            samples.append(tensors)
        }
        return samples
    }

    static func checkCount(_ count: Int, _ input: InputTensorSpec, where place: String) throws {
        guard count == input.elementCount else {
            // Flattening stops one value past the shape, so a larger count only says "more".
            let shown = count > input.elementCount ? "more than \(input.elementCount)" : "\(count)"
            throw QuantizationError.inputMismatch(
                "\(place) has \(shown) values; input '\(input.name)' needs \(input.elementCount) (shape [\(input.shape.map(String.init).joined(separator: ", "))])")
        }
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
                throw QuantizationError.invalidInput("\(path): \(text) is not a finite number")
            }
            values.append(.float(x))
        case .object:
            guard case .number(let v)? = node["value"], let value = Int64(v) else {
                throw QuantizationError.invalidInput("\(path): a fixed-point value needs an integer \"value\" (64-bit)")
            }
            guard case .number(let d)? = node["decimals"], let decimals = Int(d), (0...18).contains(decimals) else {
                throw QuantizationError.invalidInput("\(path): a fixed-point value needs \"decimals\" in 0...18")
            }
            values.append(.decimal(value: value, decimals: decimals))
        default:
            throw QuantizationError.invalidInput("\(path): expected a number, got \(node.kind)")
        }
    }
}
