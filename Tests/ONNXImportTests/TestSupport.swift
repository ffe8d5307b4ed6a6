import Foundation

/// Paths of committed models and vectors, from this file's location.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let models = ["cnn_small", "mlp_deep", "mlp_mnist", "mlp_tiny"]

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }
}

/// A minimal protobuf writer for crafting (hostile) test files.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    mutating func key(_ field: Int, _ wire: Int) { varint(UInt64(field << 3 | wire)) }
    mutating func int(_ field: Int, _ value: Int64) { key(field, 0); varint(UInt64(bitPattern: value)) }
    mutating func bytesField(_ field: Int, _ payload: [UInt8]) { key(field, 2); varint(UInt64(payload.count)); bytes += payload }
    mutating func string(_ field: Int, _ text: String) { bytesField(field, Array(text.utf8)) }
    mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        build(&inner)
        bytesField(field, inner.bytes)
    }
}

/// A one-node Relu model with the given opset and input dims, for error-path tests.
/// `extraInput` names a second node input (e.g. the initializer `extraTensor` writes).
func tinyModel(opset: Int64 = 13, dims: [Int64] = [1, 4], op: String = "Relu", extraTensor: ((inout ProtoWriter) -> Void)? = nil,
               extraInput: String? = nil) -> [UInt8] {
    var model = ProtoWriter()
    model.int(1, 8)
    model.message(8) { $0.string(1, ""); $0.int(2, opset) }
    model.message(7) { graph in
        graph.message(1) { node in
            node.string(1, "x")
            if let extraInput { node.string(1, extraInput) }
            node.string(2, "y"); node.string(3, "n0"); node.string(4, op)
        }
        if let extraTensor { graph.message(5, extraTensor) }
        graph.message(11) { info in
            info.string(1, "x")
            info.message(2) { type in
                type.message(1) { tensorType in
                    tensorType.int(1, 1)
                    tensorType.message(2) { shape in for d in dims { shape.message(1) { $0.int(1, d) } } }
                }
            }
        }
        graph.message(12) { $0.string(1, "y") }
    }
    return model.bytes
}

/// An attribute of `OnnxBuilder.node`.
enum AttributeValue {
    case int(Int64), ints([Int64]), float(Float), string(String)
}

/// A small ONNX model writer for tests: float inputs, float or int64 initializers, nodes with attributes.
struct OnnxBuilder {
    var opset: Int64 = 13
    var inputs: [(name: String, dims: [Int64])] = []
    var nodes: [(op: String, inputs: [String], outputs: [String], attributes: [(String, AttributeValue)])] = []
    var initializers: [(name: String, dims: [Int64], floats: [Float]?, ints: [Int64]?)] = []
    var outputs: [String] = []
    /// Element types of inputs other than float (ONNX TensorProto.DataType numbers).
    var inputTypes: [String: Int64] = [:]
    /// Initializers of any type, given as raw_data bytes.
    var rawInitializers: [(name: String, dims: [Int64], type: Int64, bytes: [UInt8])] = []

    mutating func raw(_ name: String, _ dims: [Int64], type: Int64, _ bytes: [UInt8]) { rawInitializers.append((name, dims, type, bytes)) }
    mutating func input(_ name: String, _ dims: [Int64]) { inputs.append((name, dims)) }
    mutating func floats(_ name: String, _ dims: [Int64], _ values: [Float]) { initializers.append((name, dims, values, nil)) }
    mutating func ints(_ name: String, _ dims: [Int64], _ values: [Int64]) { initializers.append((name, dims, nil, values)) }
    mutating func node(_ op: String, _ inputs: [String], _ outputs: [String], _ attributes: [(String, AttributeValue)] = []) {
        nodes.append((op, inputs, outputs, attributes))
    }

    var bytes: [UInt8] {
        var model = ProtoWriter()
        model.int(1, 8)
        model.message(8) { $0.string(1, ""); $0.int(2, opset) }
        model.message(7) { graph in
            for (index, n) in nodes.enumerated() {
                graph.message(1) { node in
                    for i in n.inputs { node.string(1, i) }
                    for o in n.outputs { node.string(2, o) }
                    node.string(3, "\(n.op.lowercased())\(index)")
                    node.string(4, n.op)
                    for (name, value) in n.attributes {
                        node.message(5) { a in
                            a.string(1, name)
                            switch value {
                            case .int(let v): a.int(3, v); a.int(20, 2)
                            case .ints(let vs): for v in vs { a.int(8, v) }; a.int(20, 7)
                            case .float(let f):
                                a.key(2, 5); a.bytes += withUnsafeBytes(of: f.bitPattern.littleEndian, Array.init); a.int(20, 1)
                            case .string(let s): a.string(4, s); a.int(20, 3)
                            }
                        }
                    }
                }
            }
            for t in initializers {
                graph.message(5) { tensor in
                    for d in t.dims { tensor.int(1, d) }
                    tensor.int(2, t.floats != nil ? 1 : 7)
                    tensor.string(8, t.name)
                    if let floats = t.floats {
                        tensor.bytesField(9, floats.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
                    } else if let ints = t.ints {
                        tensor.bytesField(9, ints.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) })
                    }
                }
            }
            for t in rawInitializers {
                graph.message(5) { tensor in
                    for d in t.dims { tensor.int(1, d) }
                    tensor.int(2, t.type)
                    tensor.string(8, t.name)
                    tensor.bytesField(9, t.bytes)
                }
            }
            for i in inputs {
                graph.message(11) { info in
                    info.string(1, i.name)
                    info.message(2) { type in
                        type.message(1) { tensorType in
                            tensorType.int(1, inputTypes[i.name] ?? 1)
                            tensorType.message(2) { shape in for d in i.dims { shape.message(1) { $0.int(1, d) } } }
                        }
                    }
                }
            }
            for o in outputs { graph.message(12) { $0.string(1, o) } }
        }
        return model.bytes
    }
}
