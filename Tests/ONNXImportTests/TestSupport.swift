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
func tinyModel(opset: Int64 = 13, dims: [Int64] = [1, 4], op: String = "Relu", extraTensor: ((inout ProtoWriter) -> Void)? = nil) -> [UInt8] {
    var model = ProtoWriter()
    model.int(1, 8)
    model.message(8) { $0.string(1, ""); $0.int(2, opset) }
    model.message(7) { graph in
        graph.message(1) { node in
            node.string(1, "x"); node.string(2, "y"); node.string(3, "n0"); node.string(4, op)
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
