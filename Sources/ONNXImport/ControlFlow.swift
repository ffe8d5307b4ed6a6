import ModelGraph

/// Static control flow, resolved at import so that the graph stays a straight line of supported operators:
///
/// - a `Loop` whose trip count and condition fold to constants is unrolled: each iteration's body nodes are
///   converted like the model's own, with every name the body defines renamed per iteration, outer-scope names
///   read as they are, loop-carried values threaded from one iteration to the next and scan outputs stacked
///   (Unsqueeze + Concat on a new axis 0, as ONNX specifies);
/// - an `If` whose condition folds to a constant is replaced by the chosen branch's nodes;
/// - sequences (`Sequences.swift`) are lists of tensor names.
///
/// Anything that depends on the model's input (a trip count, a condition) is refused by name. Unrolling is
/// bounded: each inlining of a subgraph costs its size (`size`: nodes, the names they read and write, initializers,
/// nested subgraphs included, at least 1), and at most `maxInlinedSize` is inlined per import, checked before each
/// iteration (a for-loop's whole trip count before the first), so a hostile trip count, a large untaken branch
/// inside a loop or loops nested in loops are refused (exit 2) without a hang or a large allocation.
enum ControlFlow {
    static let takesSubgraphs: Set<String> = ["Loop", "If"]
    static var resolved: Set<String> { SupportedOperators.resolved }
    static let maxInlinedSize = 1 << 20
    static let budgetDescription = "2^20 inlined nodes and names per model (iterations × the body's nodes and the names they use)"

    /// The work of inlining `graph` once: what renaming, counting readers and converting walk.
    static func size(_ graph: GraphProto) -> Int {
        var total = 1 + graph.inputs.count + graph.outputs.count + graph.initializers.count
        for node in graph.nodes {
            total += 1 + node.inputs.count + node.outputs.count
            for attribute in node.attributes { for inner in attribute.graphs { total += size(inner) } }
        }
        return total
    }

    /// The names a subgraph defines itself (not those of its nested subgraphs): renamed when it is inlined.
    static func definedNames(_ graph: GraphProto) -> Set<String> {
        var names = Set<String>()
        for input in graph.inputs where !input.name.isEmpty { names.insert(input.name) }
        for tensor in graph.initializers where !tensor.name.isEmpty { names.insert(tensor.name) }
        for node in graph.nodes { for output in node.outputs where !output.isEmpty { names.insert(output) } }
        return names
    }
}

/// A subgraph being inlined: the names it defines and the prefix they get, unique per inlining (it starts with
/// the Loop's or If's first output name, itself unique).
struct InlineScope {
    let prefix: String
    let defined: Set<String>
}

/// What static control flow keeps during one import.
struct ControlFlowState {
    /// Sequences by name: the names of their tensors, in order.
    var sequences: [String: [String]] = [:]
    /// ONNX element types where known (initializers, inputs, subgraph initializers): CastLike's target type.
    var elementTypes: [String: Int32] = [:]
    /// The subgraphs being inlined, innermost last: a name resolves to the innermost scope that defines it.
    var scopes: [InlineScope] = []
    /// Size inlined so far (`ControlFlow.maxInlinedSize`).
    var inlined = 0

    func resolve(_ name: String) -> String {
        guard !name.isEmpty else { return name }
        for scope in scopes.reversed() where scope.defined.contains(name) { return scope.prefix + name }
        return name
    }

    mutating func recordTypes(of graph: GraphProto) {
        for tensor in graph.initializers { elementTypes[resolve(tensor.name)] = tensor.dataType }
        for input in graph.inputs where input.isTensorType { elementTypes[resolve(input.name)] = input.elementType }
    }
}

extension NodeProto {
    /// A node made by the importer (scan-output stacking, ConcatFromSequence, CastLike).
    init(opType: String, name: String, inputs: [String], outputs: [String], attributes: [AttributeProto] = []) {
        self.opType = opType
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }
}

extension AttributeProto {
    init(name: String, int: Int64) {
        self.name = name
        self.kind = .int
        self.int = int
    }

    init(name: String, ints: [Int64]) {
        self.name = name
        self.kind = .ints
        self.ints = ints
    }
}

extension GraphImport {
    /// Counts every name `node` reads, including what its subgraphs read and return: BatchNormalization folds
    /// only into a producer nobody else reads, so a count that is too high only prevents a fold.
    mutating func countReaders(of node: NodeProto) {
        for name in node.inputs where !name.isEmpty { readers[flow.resolve(name), default: 0] += 1 }
        for attribute in node.attributes {
            for graph in attribute.graphs {
                for inner in graph.nodes { countReaders(of: inner) }
                for output in graph.outputs { readers[flow.resolve(output.name), default: 0] += 1 }
            }
        }
    }

    /// Loop, If, sequence operators and CastLike (`SupportedOperators.resolved`).
    mutating func resolveControlFlow(_ node: NodeProto, name: String) throws {
        for output in node.outputs where !output.isEmpty && (slots[output] != nil || flow.sequences[output] != nil) {
            throw ONNXImportError.invalidNode(node: name, op: node.opType, reason: "output '\(output)' is defined twice")
        }
        for input in node.inputs where !input.isEmpty && slots[input] == nil && flow.sequences[input] == nil {
            throw ONNXImportError.invalidNode(
                node: name, op: node.opType,
                reason: "input '\(input)' is not defined before this node (nodes must be in topological order)")
        }
        // An input made by an unsupported node: that node was reported, this one is skipped.
        if node.inputs.contains(where: { !$0.isEmpty && isUnknown($0) }) { return markUnknown(node) }
        do {
            switch node.opType {
            case "Loop": try unrollLoop(node, name: name)
            case "If": try inlineIf(node, name: name)
            case "CastLike": try castLike(node, name: name)
            default: try resolveSequenceOperator(node, name: name)
            }
        } catch let problem as Unsupported {
            unsupported.append(UnsupportedNode(opType: node.opType, nodeName: name, reason: problem.reason,
                                               suggestion: problem.suggestion ?? SupportedOperators.suggestion(for: node.opType)))
            markUnknown(node)
        }
    }

    func isUnknown(_ name: String) -> Bool {
        if case .unknown? = slots[name] { return true }
        return false
    }

    mutating func markUnknown(_ node: NodeProto) {
        for output in node.outputs where !output.isEmpty {
            slots[output] = .unknown
            flow.sequences[output] = nil
        }
    }

    /// The one value of a scalar input that must fold to a constant (trip count, condition, position); nil when
    /// the input is absent.
    func staticScalar(_ node: NodeProto, _ index: Int, _ role: String, name: String) throws -> Double? {
        guard index < node.inputs.count, !node.inputs[index].isEmpty else { return nil }
        switch slots[node.inputs[index]] {
        case .constant(let constant)?:
            guard constant.tensor.count == 1 else {
                throw ONNXImportError.invalidNode(node: name, op: node.opType,
                                                  reason: "the \(role) must hold one value, not \(constant.tensor.count)")
            }
            return constant.tensor.values[0]
        case .value?:
            throw Unsupported(
                reason: "the \(role) depends on the model's input (it does not fold to a constant); only static control flow is resolved at import",
                suggestion: nil)
        default:
            throw ONNXImportError.invalidNode(node: name, op: node.opType, reason: "the \(role) must be a tensor")
        }
    }

    /// Gives `target` the tensor or sequence that `source` names (loop-carried values, Loop and If outputs).
    mutating func alias(_ target: String, to source: String, node name: String, op: String) throws {
        if let elements = flow.sequences[source] {
            flow.sequences[target] = elements
            return
        }
        guard let slot = slots[source] else {
            throw ONNXImportError.invalidNode(node: name, op: op, reason: "'\(source)' is not produced by the subgraph or defined before it")
        }
        slots[target] = slot
        // Two names for one value: a BatchNormalization reading either must not fold into its producer.
        readers[target, default: 0] += 1
        readers[source, default: 0] += 1
        if let type = flow.elementTypes[source] { flow.elementTypes[target] = type }
    }

    /// Charges one inlining of `graph` to the import's unrolling budget. Going beyond it is an error of the model
    /// (exit 2 through the tools), like going beyond the folding budget.
    mutating func chargeInlining(_ cost: Int, node name: String, op: String) throws {
        guard cost <= ControlFlow.maxInlinedSize - flow.inlined else {
            throw ONNXImportError.invalidNode(
                node: name, op: op,
                reason: "unrolling goes beyond \(ControlFlow.budgetDescription); export with fewer iterations (e.g. a smaller fixed input) or without the loop")
        }
        flow.inlined += cost
    }

    /// Converts the nodes of `graph` with the names it defines renamed by `scope`; returns its outputs' names.
    mutating func inline(_ graph: GraphProto, _ scope: InlineScope, node name: String, op: String) throws -> [String] {
        flow.scopes.append(scope)
        defer { flow.scopes.removeLast() }
        for tensor in graph.initializers {
            guard !tensor.name.isEmpty else { throw ONNXImportError.malformedFile("a subgraph initializer has no name") }
            let constant = try tensor.decode(what: "initializer")
            // Decoded once per inlining: charged to the folding budget, so that a loop cannot multiply it.
            guard constant.tensor.count <= foldBudget else {
                throw ONNXImportError.invalidNode(
                    node: name, op: op,
                    reason: "the subgraph's initializers, once per iteration, exceed \(ConstantFolding.budgetDescription)")
            }
            foldBudget -= constant.tensor.count
            slots[flow.resolve(tensor.name)] = .constant(constant)
        }
        flow.recordTypes(of: graph)
        for node in graph.nodes { countReaders(of: node) }
        let outputs = graph.outputs.map { flow.resolve($0.name) }
        for output in outputs { readers[output, default: 0] += 1 }
        for (index, node) in graph.nodes.enumerated() {
            var copy = node
            copy.inputs = node.inputs.map { flow.resolve($0) }
            copy.outputs = node.outputs.map { flow.resolve($0) }
            copy.name = scope.prefix + (node.name.isEmpty ? "\(node.opType)_\(index)" : node.name)
            try convert(copy, index: index)
        }
        return outputs
    }

    // MARK: Loop

    mutating func unrollLoop(_ node: NodeProto, name: String) throws {
        func invalid(_ reason: String) -> ONNXImportError { .invalidNode(node: name, op: "Loop", reason: reason) }
        guard let body = node.attribute("body")?.graphs.first else { throw invalid("missing attribute 'body'") }
        guard node.inputs.count >= 2 else { throw invalid("expects inputs M and cond (either may be empty)") }
        let carriedCount = node.inputs.count - 2
        let scanCount = body.outputs.count - 1 - carriedCount
        guard body.inputs.count == 2 + carriedCount, scanCount >= 0, node.outputs.count <= carriedCount + scanCount else {
            throw invalid("the body has \(body.inputs.count) inputs and \(body.outputs.count) outputs for "
                + "\(carriedCount) loop-carried values and \(node.outputs.count) outputs")
        }
        var carried = Array(node.inputs[2...])
        if carried.contains(where: \.isEmpty) { throw invalid("a loop-carried input is empty") }
        let trips = try staticScalar(node, 0, "trip count M", name: name)
        let hasCondition = !node.inputs[1].isEmpty
        var keepGoing = try staticScalar(node, 1, "loop condition", name: name).map { $0 != 0 } ?? true
        let bodySize = ControlFlow.size(body)
        if let trips {
            guard trips == trips.rounded() else { throw invalid("trip count \(trips) is not an integer") }
            // A for loop (no condition) runs exactly M times: refused before the first iteration when too long.
            if !hasCondition && Double(bodySize) * max(trips, 0) > Double(ControlFlow.maxInlinedSize - flow.inlined) {
                throw invalid("trip count \(Int64(exactly: trips) ?? .max) × body size \(bodySize) goes beyond "
                    + "\(ControlFlow.budgetDescription); export with fewer iterations (e.g. a smaller fixed input) or without the loop")
            }
        }
        var scans = [[String]](repeating: [], count: scanCount)
        let base = node.outputs.first { !$0.isEmpty } ?? name
        let reported = unsupported.count
        var iteration = 0
        while keepGoing, trips.map({ Double(iteration) < $0 }) ?? true {
            try chargeInlining(bodySize, node: name, op: "Loop")
            let scope = InlineScope(prefix: "\(base)/iteration\(iteration)/", defined: ControlFlow.definedNames(body))
            func bind(_ index: Int, _ value: Double, type: ONNXDataType) {
                let input = body.inputs[index].name
                guard !input.isEmpty else { return }
                slots[scope.prefix + input] = .constant(Constant(tensor: Tensor(scalar: value), isInteger: true))
                flow.elementTypes[scope.prefix + input] = type.rawValue
            }
            bind(0, Double(iteration), type: .int64)
            bind(1, keepGoing ? 1 : 0, type: .bool)
            for (k, value) in carried.enumerated() where !body.inputs[2 + k].name.isEmpty {
                try alias(scope.prefix + body.inputs[2 + k].name, to: value, node: name, op: "Loop")
            }
            let outputs = try inline(body, scope, node: name, op: "Loop")
            // A body node was refused: it was reported once, the loop stops here.
            if unsupported.count > reported { return markUnknown(node) }
            for output in outputs where slots[output] == nil && flow.sequences[output] == nil {
                throw invalid("body output '\(output)' is not produced by the body or defined before it")
            }
            if hasCondition {
                switch slots[outputs[0]] {
                case .constant(let constant)?:
                    guard constant.tensor.count == 1 else { throw invalid("the body's condition output must hold one value") }
                    keepGoing = constant.tensor.values[0] != 0
                case .value?:
                    throw Unsupported(reason: "the condition the body computes depends on the model's input; only loops whose "
                        + "condition folds to a constant are unrolled", suggestion: nil)
                case .unknown?: return markUnknown(node)
                case nil: throw invalid("the body's condition output is not a tensor")
                }
            }
            carried = Array(outputs[1..<(1 + carriedCount)])
            for k in 0..<scanCount { scans[k].append(outputs[1 + carriedCount + k]) }
            iteration += 1
        }
        for (k, output) in node.outputs.enumerated() where !output.isEmpty {
            if k < carriedCount {
                try alias(output, to: carried[k], node: name, op: "Loop")
                continue
            }
            let elements = scans[k - carriedCount]
            guard !elements.isEmpty else {
                throw Unsupported(reason: "the loop runs 0 times, so scan output '\(output)' is empty; empty tensors are not supported",
                                  suggestion: nil)
            }
            try stack(elements, into: output, name: "\(name)/scan\(k - carriedCount)")
        }
    }

    /// A scan output: the iterations' tensors stacked on a new axis 0.
    mutating func stack(_ elements: [String], into output: String, name: String) throws {
        var shapes: [[Int]] = []
        for element in elements {
            switch slots[element] {
            case .constant(let constant)?: shapes.append(constant.tensor.shape)
            case .value(let id)?: shapes.append(builder.graph.values[id].shape)
            case .unknown?: slots[output] = .unknown; return
            case nil: throw Unsupported(reason: "scan output '\(output)' is a sequence; scan outputs must be tensors", suggestion: nil)
            }
        }
        if let first = shapes.first, let other = shapes.first(where: { $0 != first }) {
            throw Unsupported(reason: "scan output '\(output)' has shape \(Shape.describe(first)) in one iteration and "
                + "\(Shape.describe(other)) in another; they must agree to be stacked", suggestion: nil)
        }
        try concatenate(elements, axis: 0, newAxis: true, into: output, name: name)
    }

    /// Concatenates the tensors named `elements` on `axis` (a new axis there when `newAxis`) into `output`, by
    /// Unsqueeze and Concat nodes converted like the model's own (folded when every element is a constant).
    mutating func concatenate(_ elements: [String], axis: Int64, newAxis: Bool, into output: String, name: String) throws {
        var parts = elements
        if newAxis {
            let axes = output + "/axes"
            if opset >= 13 {
                slots[axes] = .constant(Constant(tensor: try Tensor(shape: [1], values: [Double(axis)]), isInteger: true))
            }
            parts = []
            for (i, element) in elements.enumerated() {
                let part = elements.count == 1 ? output : "\(output)/\(i)"
                let unsqueeze = opset >= 13
                    ? NodeProto(opType: "Unsqueeze", name: "\(name)/unsqueeze\(i)", inputs: [element, axes], outputs: [part])
                    : NodeProto(opType: "Unsqueeze", name: "\(name)/unsqueeze\(i)", inputs: [element], outputs: [part],
                                attributes: [AttributeProto(name: "axes", ints: [axis])])
                try convert(unsqueeze, index: 0)
                parts.append(part)
            }
            if elements.count == 1 { return }
        } else if elements.count == 1 {
            return try alias(output, to: elements[0], node: name, op: "Concat")
        }
        try convert(NodeProto(opType: "Concat", name: name, inputs: parts, outputs: [output],
                              attributes: [AttributeProto(name: "axis", int: axis)]), index: 0)
    }

    // MARK: If

    mutating func inlineIf(_ node: NodeProto, name: String) throws {
        func invalid(_ reason: String) -> ONNXImportError { .invalidNode(node: name, op: "If", reason: reason) }
        guard let thenBranch = node.attribute("then_branch")?.graphs.first,
              let elseBranch = node.attribute("else_branch")?.graphs.first else {
            throw invalid("missing attribute 'then_branch' or 'else_branch'")
        }
        if node.inputs.count > 0, case .value(let condition)? = slots[node.inputs[0]] {
            return try selectIf(node, name: name, condition: condition, then: thenBranch, else: elseBranch)
        }
        guard let condition = try staticScalar(node, 0, "condition", name: name) else { throw invalid("missing input 'cond'") }
        let taken = condition != 0
        let branch = taken ? thenBranch : elseBranch
        guard branch.inputs.isEmpty else { throw invalid("a branch declares inputs; If branches take none") }
        guard branch.outputs.count == node.outputs.count else {
            throw invalid("the \(taken ? "then" : "else") branch has \(branch.outputs.count) outputs for \(node.outputs.count)")
        }
        try chargeInlining(ControlFlow.size(branch), node: name, op: "If")
        let reported = unsupported.count
        let base = node.outputs.first { !$0.isEmpty } ?? name
        let scope = InlineScope(prefix: "\(base)/\(taken ? "then" : "else")/", defined: ControlFlow.definedNames(branch))
        let outputs = try inline(branch, scope, node: name, op: "If")
        if unsupported.count > reported { return markUnknown(node) }
        for (target, source) in zip(node.outputs, outputs) where !target.isEmpty {
            try alias(target, to: source, node: name, op: "If")
        }
    }

    /// An If whose condition depends on the model's input: both branches are inlined and each output is
    /// Where(cond, then, else) (docs/fixed-point.md §6c: Y + Cast(cond)·(X − Y), exact for a 0/1 condition), so
    /// both branches are always computed. Only branches whose outputs are tensors of equal shapes are selected.
    mutating func selectIf(_ node: NodeProto, name: String, condition: ValueID, then thenBranch: GraphProto,
                           else elseBranch: GraphProto) throws {
        func invalid(_ reason: String) -> ONNXImportError { .invalidNode(node: name, op: "If", reason: reason) }
        let count = builder.graph.values[condition].elementCount
        guard count == 1 else { throw invalid("the condition must hold one value, not \(count)") }
        for (branch, side) in [(thenBranch, "then"), (elseBranch, "else")] {
            guard branch.inputs.isEmpty else { throw invalid("a branch declares inputs; If branches take none") }
            guard branch.outputs.count == node.outputs.count else {
                throw invalid("the \(side) branch has \(branch.outputs.count) outputs for \(node.outputs.count)")
            }
        }
        try chargeInlining(ControlFlow.size(thenBranch), node: name, op: "If")
        try chargeInlining(ControlFlow.size(elseBranch), node: name, op: "If")
        let reported = unsupported.count
        let base = node.outputs.first { !$0.isEmpty } ?? name
        let thenOutputs = try inline(thenBranch, InlineScope(prefix: "\(base)/then/", defined: ControlFlow.definedNames(thenBranch)),
                                     node: name, op: "If")
        let elseOutputs = try inline(elseBranch, InlineScope(prefix: "\(base)/else/", defined: ControlFlow.definedNames(elseBranch)),
                                     node: name, op: "If")
        if unsupported.count > reported { return markUnknown(node) }
        for (index, target) in node.outputs.enumerated() where !target.isEmpty {
            let (a, b) = (thenOutputs[index], elseOutputs[index])
            guard flow.sequences[a] == nil, flow.sequences[b] == nil, let aSlot = slots[a], let bSlot = slots[b] else {
                throw Unsupported(reason: "the condition depends on the model's input and output \(index) is not a tensor in both branches; only tensors of equal shapes are selected", suggestion: nil)
            }
            let shapes = [aSlot, bSlot].map { slot -> [Int]? in
                switch slot {
                case .constant(let k): return k.tensor.shape
                case .value(let id): return builder.graph.values[id].shape
                case .unknown: return nil
                }
            }
            guard let first = shapes[0], first == shapes[1] else {
                throw Unsupported(reason: "the condition depends on the model's input and the branches' output \(index) differ in shape; only tensors of equal shapes are selected", suggestion: nil)
            }
            try convert(NodeProto(opType: "Where", name: name, inputs: [node.inputs[0], a, b], outputs: [target]), index: 0)
        }
    }
}
