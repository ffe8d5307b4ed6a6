/// Errors of graph construction and shape inference. Messages name the node when one is involved.
public enum ModelGraphError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidTensor(String)
    case shapeMismatch(String)
    /// A node's inputs do not fit its operation: node name, op, reason.
    case invalidNode(node: String, op: String, reason: String)
    case invalidGraph(String)

    public var description: String {
        switch self {
        case .invalidTensor(let reason): return "invalid tensor: \(reason)"
        case .shapeMismatch(let reason): return "shape mismatch: \(reason)"
        case .invalidNode(let node, let op, let reason): return "node '\(node)' (\(op)): \(reason)"
        case .invalidGraph(let reason): return "invalid graph: \(reason)"
        }
    }
}
