/// Index of a value (tensor) in `ModelGraph.values`.
public typealias ValueID = Int

/// A tensor of the graph: a model input, a constant, or a node's output. Shapes are static.
public struct Value: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    /// Non-nil for constants (initializers and folded subgraphs).
    public var constant: Tensor?
    /// Integer-valued (token ids, indices): held as plain integers on the fixed-point path, never scaled by 2^s.
    public var isInteger = false

    public var elementCount: Int { shape.reduce(1, *) }
}

public struct Node: Sendable, Equatable {
    /// The node's name in the source model (or a generated one), used in every message about it.
    public var name: String
    /// The source operator type (e.g. "Gemm" for a `linear`), for messages.
    public var sourceOp: String
    public var operation: LayerOperation
    public var inputs: [ValueID]
    public var output: ValueID

    /// "'name' (Gemm)" — how errors refer to a node.
    public var label: String { "'\(name)' (\(sourceOp))" }
}

/// A static, single-sample computation graph in topological order.
/// Built only through `GraphBuilder`, which infers and checks every shape, so a `ModelGraph` value is
/// always consistent: every node's inputs precede it and its output shape follows from its inputs.
public struct ModelGraph: Sendable, Equatable {
    public internal(set) var values: [Value]
    public internal(set) var nodes: [Node]
    public internal(set) var inputs: [ValueID]
    public internal(set) var outputs: [ValueID]
    /// The name each output has in the source model (a folded node may have renamed its value).
    public internal(set) var outputNames: [String]

    public var parameterCount: Int {
        nodes.reduce(0) { $0 + $1.operation.parameterCount }
            + nodes.flatMap(\.inputs).reduce(into: Set<ValueID>()) { $0.insert($1) }
                .reduce(0) { $0 + (values[$1].constant?.count ?? 0) }
    }

    /// For each value, the nodes reading it.
    public func consumers() -> [[Int]] {
        var result = [[Int]](repeating: [], count: values.count)
        for (index, node) in nodes.enumerated() {
            for input in node.inputs where !result[input].contains(index) { result[input].append(index) }
        }
        return result
    }

    /// The node producing each value (nil for inputs and constants).
    public func producers() -> [Int?] {
        var result = [Int?](repeating: nil, count: values.count)
        for (index, node) in nodes.enumerated() { result[node.output] = index }
        return result
    }
}

/// Builds a `ModelGraph` node by node, inferring each output shape as it goes.
public struct GraphBuilder: Sendable {
    public private(set) var graph = ModelGraph(values: [], nodes: [], inputs: [], outputs: [], outputNames: [])
    private var names: [String: ValueID] = [:]
    /// Running totals checked against `GraphBudget`.
    private var activationElements = 0
    private var work = 0

    public init() {}

    public func value(named name: String) -> ValueID? { names[name] }

    @discardableResult
    public mutating func addInput(_ name: String, shape: [Int], isInteger: Bool = false) throws -> ValueID {
        let count = try Shape.elementCount(shape)
        try spend(activations: count, work: 0, what: "input '\(name)'")
        let id = try addValue(Value(name: name, shape: shape, constant: nil, isInteger: isInteger))
        graph.inputs.append(id)
        return id
    }

    @discardableResult
    public mutating func addConstant(_ name: String, _ tensor: Tensor) throws -> ValueID {
        try addValue(Value(name: name, shape: tensor.shape, constant: tensor))
    }

    /// Appends a node; its output value is named `outputName` and its shape inferred.
    @discardableResult
    public mutating func addNode(
        name: String, sourceOp: String, operation: LayerOperation, inputs: [ValueID], outputName: String
    ) throws -> ValueID {
        for input in inputs where input < 0 || input >= graph.values.count {
            throw ModelGraphError.invalidNode(node: name, op: sourceOp, reason: "input \(input) does not exist")
        }
        let shape: [Int]
        let isInteger: Bool
        do {
            let inputShapes = inputs.map { graph.values[$0].shape }
            shape = try ShapeInference.outputShape(of: operation, inputs: inputShapes)
            try Self.checkEmpty(operation, inputs: inputs.map { graph.values[$0] }, outputShape: shape)
            try ShapeInference.checkConstantOperands(operation, inputs: inputs.map { graph.values[$0] })
            isInteger = try operation.family.outputIsInteger(inputs.map { graph.values[$0].isInteger })
            try spend(activations: shape.reduce(1, *),
                      work: GraphBudget.work(of: operation, inputs: inputShapes, output: shape), what: "this node")
        } catch ModelGraphError.invalidGraph(let reason) {
            throw ModelGraphError.invalidNode(node: name, op: sourceOp, reason: reason)
        } catch let error as ModelGraphError {
            throw ModelGraphError.invalidNode(node: name, op: sourceOp, reason: error.reason)
        }
        let output = try addValue(Value(name: outputName, shape: shape, constant: nil, isInteger: isInteger))
        graph.nodes.append(Node(name: name, sourceOp: sourceOp, operation: operation, inputs: inputs, output: output))
        return output
    }

    /// Empty tensors (a dimension 0) have nothing to prove and no kernel sees them: a node with an empty output is
    /// computed by no kernel (its output is empty), which only data movement (Reshape, Slice, Split, Transpose,
    /// Concat…) and ReduceSum may have; an empty computed input may only give an empty output, or ReduceSum's
    /// sums of nothing (0).
    static func checkEmpty(_ operation: LayerOperation, inputs: [Value], outputShape: [Int]) throws {
        let emptyOutput = try Shape.elementCount(outputShape) == 0
        let emptyInput = inputs.contains { $0.constant == nil && $0.elementCount == 0 }
        guard emptyOutput || emptyInput else { return }
        switch operation {
        case .movement where emptyOutput: return
        case .pooling(.reduce(let r)) where !r.mean || emptyOutput: return
        default:
            if emptyOutput {
                throw ModelGraphError.shapeMismatch(
                    "output of shape \(Shape.describe(outputShape)) has no elements; empty tensors are supported only through data movement (Reshape, Slice, Split, Transpose, Concat) and ReduceSum")
            }
            throw ModelGraphError.shapeMismatch(
                "\(operation.name) of an empty tensor; empty tensors are supported only through data movement (Reshape, Slice, Split, Transpose, Concat) and ReduceSum")
        }
    }

    public mutating func markOutput(_ id: ValueID, name: String? = nil) throws {
        guard id >= 0, id < graph.values.count else { throw ModelGraphError.invalidGraph("output \(id) does not exist") }
        graph.outputs.append(id)
        graph.outputNames.append(name ?? graph.values[id].name)
    }

    /// The node that produces `value`, if any.
    public func producer(of value: ValueID) -> Node? {
        graph.nodes.last { $0.output == value }
    }

    /// Replaces the operation of the node producing `value` (e.g. to fold a BatchNormalization into a
    /// Conv). The new operation must give the same output shape.
    public mutating func replaceOperation(producing value: ValueID, with operation: LayerOperation) throws {
        guard let index = graph.nodes.lastIndex(where: { $0.output == value }) else {
            throw ModelGraphError.invalidGraph("no node produces value \(value)")
        }
        let node = graph.nodes[index]
        let shape = try ShapeInference.outputShape(of: operation, inputs: node.inputs.map { graph.values[$0].shape })
        guard shape == graph.values[value].shape else {
            throw ModelGraphError.invalidNode(node: node.name, op: node.sourceOp, reason: "replacement changes the output shape")
        }
        graph.nodes[index].operation = operation
    }

    /// The finished graph; it must have at least one input and one computed output.
    public func build() throws -> ModelGraph {
        guard !graph.inputs.isEmpty else { throw ModelGraphError.invalidGraph("the model has no inputs") }
        guard !graph.outputs.isEmpty else { throw ModelGraphError.invalidGraph("the model has no outputs") }
        for output in graph.outputs where graph.values[output].constant != nil || graph.inputs.contains(output) {
            throw ModelGraphError.invalidGraph("output '\(graph.values[output].name)' is not computed by any node")
        }
        return graph
    }

    private mutating func spend(activations: Int, work nodeWork: Int, what: String) throws {
        let (a, o1) = activationElements.addingReportingOverflow(activations)
        guard !o1, a <= GraphBudget.maxActivationElements else {
            throw ModelGraphError.invalidGraph(
                "with \(what) the model's activations exceed \(GraphBudget.maxActivationElements) values in all (ZKInfer's limit)")
        }
        let (w, o2) = work.addingReportingOverflow(nodeWork)
        guard !o2, w <= GraphBudget.maxWork else {
            throw ModelGraphError.invalidGraph("with \(what) one inference exceeds 2^33 multiply-adds (ZKInfer's limit)")
        }
        (activationElements, work) = (a, w)
    }

    private mutating func addValue(_ value: Value) throws -> ValueID {
        guard names[value.name] == nil else {
            throw ModelGraphError.invalidGraph("tensor name '\(value.name)' is defined twice")
        }
        let id = graph.values.count
        graph.values.append(value)
        names[value.name] = id
        return id
    }
}

extension ModelGraphError {
    var reason: String {
        switch self {
        case .invalidNode(_, _, let reason): return reason
        default: return description
        }
    }
}
