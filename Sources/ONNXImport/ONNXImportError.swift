import ModelGraph

/// A node the importer cannot translate, with the reason and, where one exists, a suggested rewrite.
public struct UnsupportedNode: Sendable, Equatable, CustomStringConvertible {
    public var opType: String
    public var nodeName: String
    public var reason: String
    public var suggestion: String?

    public var description: String {
        var text = "\(opType) node '\(nodeName)': \(reason)"
        if let suggestion { text += " (suggestion: \(suggestion))" }
        return text
    }
}

public enum ONNXImportError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The bytes are not a well-formed ONNX protobuf.
    case malformedFile(String)
    /// Well-formed but outside what ZKInfer supports (external data, opset, dynamic shapes, batch > 1…).
    case unsupportedModel(String)
    /// Every node that cannot be imported, in one list.
    case unsupportedOperators([UnsupportedNode])
    /// A node whose attributes or inputs are inconsistent: node name, op type, reason.
    case invalidNode(node: String, op: String, reason: String)
    case graph(ModelGraphError)

    public var description: String {
        switch self {
        case .malformedFile(let reason): return "malformed ONNX file: \(reason)"
        case .unsupportedModel(let reason): return "unsupported model: \(reason)"
        case .unsupportedOperators(let nodes):
            let list = nodes.map { "  - \($0)" }.joined(separator: "\n")
            return "\(nodes.count) unsupported node(s):\n\(list)\nsupported operators: "
                + SupportedOperators.names.sorted().joined(separator: ", ")
        case .invalidNode(let node, let op, let reason): return "node '\(node)' (\(op)): \(reason)"
        case .graph(let error): return error.description
        }
    }
}
