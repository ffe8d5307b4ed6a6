import ModelGraph

/// Sequence operators, resolved at import: a sequence is the list of its tensors' names (`ControlFlowState.sequences`),
/// positions must fold to constants, and ConcatFromSequence becomes Unsqueeze/Concat nodes over the list. CastLike
/// becomes a Cast to its second input's type.
extension GraphImport {
    /// Longest sequence accepted: inserting copies the list, so this bounds the work of a loop that grows one.
    static let maxSequenceLength = 1 << 12

    mutating func resolveSequenceOperator(_ node: NodeProto, name: String) throws {
        func invalid(_ reason: String) -> ONNXImportError { .invalidNode(node: name, op: node.opType, reason: reason) }
        func sequence(_ index: Int) throws -> [String] {
            guard index < node.inputs.count, let elements = flow.sequences[node.inputs[index]] else {
                throw invalid("input \(index) must be a sequence")
            }
            return elements
        }
        func tensor(_ index: Int) throws -> String {
            guard index < node.inputs.count, !node.inputs[index].isEmpty, slots[node.inputs[index]] != nil else {
                throw invalid("input \(index) must be a tensor")
            }
            return node.inputs[index]
        }
        /// A constant position in -n..<n (or -n...n where `end` is allowed), normalized to 0...n.
        func position(_ index: Int, count: Int, allowEnd: Bool) throws -> Int? {
            guard let raw = try staticScalar(node, index, "position", name: name) else { return nil }
            let upper = allowEnd ? count : count - 1
            guard raw == raw.rounded(), raw >= Double(-count), raw <= Double(upper) else {
                throw invalid("position \(raw) is out of range for a sequence of \(count) tensors")
            }
            let p = Int(raw)
            return p < 0 ? p + count : p
        }
        let output = node.outputs[0]
        switch node.opType {
        case "SequenceEmpty":
            flow.sequences[output] = []
        case "SequenceConstruct":
            guard node.inputs.count <= Self.maxSequenceLength else { throw invalid("more than \(Self.maxSequenceLength) tensors") }
            flow.sequences[output] = try node.inputs.indices.map { try tensor($0) }
        case "SequenceInsert":
            var elements = try sequence(0)
            let element = try tensor(1)
            guard elements.count < Self.maxSequenceLength else {
                throw Unsupported(reason: "the sequence would hold more than \(Self.maxSequenceLength) tensors", suggestion: nil)
            }
            elements.insert(element, at: try position(2, count: elements.count, allowEnd: true) ?? elements.count)
            flow.sequences[output] = elements
        case "SequenceErase":
            var elements = try sequence(0)
            guard !elements.isEmpty else { throw invalid("erasing from an empty sequence") }
            elements.remove(at: try position(1, count: elements.count, allowEnd: false) ?? elements.count - 1)
            flow.sequences[output] = elements
        case "SequenceAt":
            let elements = try sequence(0)
            guard let p = try position(1, count: elements.count, allowEnd: false) else { throw invalid("missing input 'position'") }
            try alias(output, to: elements[p], node: name, op: node.opType)
        case "SequenceLength":
            let elements = try sequence(0)
            slots[output] = .constant(Constant(tensor: Tensor(scalar: Double(elements.count)), isInteger: true))
            flow.elementTypes[output] = ONNXDataType.int64.rawValue
        case "ConcatFromSequence":
            let elements = try sequence(0)
            guard !elements.isEmpty else { throw invalid("the sequence is empty; empty tensors are not supported") }
            guard let axis = node.attribute("axis")?.int else { throw invalid("missing attribute 'axis'") }
            let newAxis = node.attribute("new_axis")?.int ?? 0
            guard newAxis == 0 || newAxis == 1 else { throw invalid("new_axis must be 0 or 1") }
            if elements.contains(where: { isUnknown($0) }) { return markUnknown(node) }
            try concatenate(elements, axis: axis, newAxis: newAxis == 1, into: output, name: name)
        default:
            throw Unsupported(reason: "operator not supported", suggestion: nil)
        }
    }

    /// CastLike(x, like) = Cast(x, to: like's element type). The type is the declared one for initializers, inputs and
    /// subgraph initializers; otherwise int64 for an integer-valued tensor and float for the rest (bool and integer
    /// tensors differ only when x holds values other than 0 and 1).
    mutating func castLike(_ node: NodeProto, name: String) throws {
        guard node.inputs.count == 2, !node.inputs[0].isEmpty, !node.inputs[1].isEmpty else {
            throw ONNXImportError.invalidNode(node: name, op: node.opType, reason: "expects inputs 'input' and 'target_type'")
        }
        let like = node.inputs[1]
        let type: Int32
        if let known = flow.elementTypes[like] {
            type = known
        } else {
            switch slots[like] {
            case .constant(let constant)?: type = (constant.isInteger ? ONNXDataType.int64 : .float).rawValue
            case .value(let id)?: type = (builder.graph.values[id].isInteger ? ONNXDataType.int64 : .float).rawValue
            default: throw ONNXImportError.invalidNode(node: name, op: node.opType, reason: "'target_type' must be a tensor")
            }
        }
        let cast = NodeProto(opType: "Cast", name: name, inputs: [node.inputs[0]], outputs: node.outputs,
                             attributes: [AttributeProto(name: "to", int: Int64(type))]
                                 + node.attributes.filter { $0.name == "saturate" })
        try convert(cast, index: 0)
        if !node.outputs[0].isEmpty { flow.elementTypes[node.outputs[0]] = type }
    }
}
