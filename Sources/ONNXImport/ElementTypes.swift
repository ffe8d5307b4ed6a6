import ModelGraph

/// The ONNX element type of each tensor name, as far as the import can tell: graph inputs and initializers carry
/// theirs, Cast, Shape and comparisons make theirs, and every other supported operator keeps its first input's
/// (its data input's for Where). Integer arithmetic wraps onto it (`integerFormat`).
extension GraphImport {
    mutating func recordElementType(_ node: NodeProto) {
        guard let output = node.outputs.first, !output.isEmpty else { return }
        let type: ONNXDataType?
        switch node.opType {
        case "Cast": type = node.attribute("to")?.int.flatMap { ONNXDataType(rawValue: Int32(clamping: $0)) }
        case "CastLike": type = node.inputs.count > 1 ? elementTypes[node.inputs[1]] : nil
        case "Shape", "Size", "ArgMax", "ArgMin": type = .int64
        case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor": type = .bool
        case "OneHot": type = node.inputs.count > 2 ? elementTypes[node.inputs[2]] : nil
        case "Where": type = node.inputs.count > 1 ? elementTypes[node.inputs[1]] : nil
        case "Constant", "ConstantOfShape":
            if let t = node.attribute("value")?.tensor { type = ONNXDataType(rawValue: t.dataType) }
            else if node.attribute("value_int") != nil || node.attribute("value_ints") != nil { type = .int64 }
            else { type = .float }
        default: type = node.inputs.first.flatMap { elementTypes[$0] }
        }
        if let type { elementTypes[output] = type }
    }

    /// The integer format arithmetic on tensor `name` wraps onto (int64 when the type is unknown).
    func integerFormat(of name: String) -> NumberFormat {
        let format = elementTypes[name]?.format(saturate: true) ?? .integer(bits: 64, signed: true)
        if case .integer = format { return format }
        return .integer(bits: 64, signed: true)
    }
}
