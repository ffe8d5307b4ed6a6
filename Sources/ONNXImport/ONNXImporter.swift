#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemSupport
import ModelGraph

/// An imported model: the graph plus what the file said about itself.
public struct ONNXModel: Sendable {
    public let graph: ModelGraph
    public let opset: Int64
    public let irVersion: Int64
    public let producer: String
}

/// ONNX file → `ModelGraph`. Reads the protobuf itself (no outside package), folds constant subgraphs,
/// removes Identity/Dropout, folds BatchNormalization into the preceding Conv/Gemm, and reports every
/// unsupported node in one error.
public enum ONNXImporter {
    /// Largest file accepted (1 GiB), and largest model once its external data is inlined; the whole file
    /// is read into memory once.
    public static let maxFileBytes = 1 << 30

    /// Imports the model file at `path`, reading external data (ONNX `data_location = EXTERNAL`, e.g.
    /// `model.onnx.data` from torch's dynamo exporter) from files inside the model's folder.
    public static func load(path: String) throws -> ONNXModel {
        try importModel(bytes: try selfContainedModel(path: path))
    }

    /// The model file's bytes with every external tensor's data inlined (`ExternalData`): the bytes a
    /// circuit file embeds and hashes. A model without external data is returned unchanged.
    public static func selfContainedModel(path: String) throws -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path, limit: maxFileBytes) } catch let error as FileSystem.Failure {
            throw ONNXImportError.unsupportedModel("cannot read \(error)")
        }
        return try selfContainedModel(bytes: bytes, path: path)
    }

    /// `selfContainedModel(path:)` for a model file already read (`bytes`, its contents; `path` locates its
    /// external data).
    public static func selfContainedModel(bytes: [UInt8], path: String) throws -> [UInt8] {
        guard bytes.count <= maxFileBytes else { throw ONNXImportError.unsupportedModel("file larger than \(maxFileBytes) bytes") }
        guard try ExternalData.hasExternalTensors(bytes) else { return bytes }
        var external = try ExternalData(modelPath: path)
        return try external.inline(bytes)
    }

    /// Imports a self-contained model from its bytes. A model with external data needs its folder: import
    /// it with `load(path:)` (or inline it with `selfContainedModel(path:)` first).
    public static func importModel(bytes: [UInt8]) throws -> ONNXModel {
        guard bytes.count <= maxFileBytes else { throw ONNXImportError.unsupportedModel("file larger than \(maxFileBytes) bytes") }
        guard !bytes.isEmpty else { throw ONNXImportError.malformedFile("the file is empty") }
        let model = try ModelProto(bytes: bytes)
        guard let graphProto = model.graph else { throw ONNXImportError.malformedFile("ModelProto has no graph") }
        guard model.irVersion >= 3 else {
            throw ONNXImportError.unsupportedModel("IR version \(model.irVersion) (need 3 or later; is this an ONNX model?)")
        }
        guard let opset = model.opsets.first(where: { $0.domain == "" || $0.domain == "ai.onnx" })?.version else {
            throw ONNXImportError.unsupportedModel("the model imports no default-domain (ai.onnx) opset")
        }
        guard SupportedOperators.acceptsOpset(opset, nodes: graphProto.nodes.map { ($0.domain, $0.opType) }) else {
            let range = "\(SupportedOperators.opsets.lowerBound)...\(SupportedOperators.opsets.upperBound)"
            throw ONNXImportError.unsupportedModel(opset > SupportedOperators.opsets.upperBound
                ? "opset \(opset) is newer than this build follows (\(range)); re-export with opset_version=\(SupportedOperators.opsets.upperBound) or lower"
                : "opset \(opset); supported \(range), and older opsets for operators unchanged since opset 1 (re-export with opset_version=13 or later)")
        }
        if model.hasFunctions {
            throw ONNXImportError.unsupportedModel("model-local functions are not supported; export with functions inlined")
        }
        var importer = GraphImport(opset: opset)
        importer.foldBudget = ConstantFolding.elementBudget(fileBytes: bytes.count)
        let graph = try importer.run(graphProto)
        return ONNXModel(graph: graph, opset: opset, irVersion: model.irVersion, producer: model.producer)
    }
}

/// What a tensor name refers to during import.
enum Slot {
    case constant(Constant)
    case value(ValueID)
    /// Produced by an unsupported node: dependants are skipped, not reported twice.
    case unknown
}

/// Thrown by a node conversion when the node is well-formed but unsupported.
struct Unsupported: Error {
    var reason: String
    var suggestion: String?
}

struct GraphImport {
    let opset: Int64
    var builder = GraphBuilder()
    var slots: [String: Slot] = [:]
    var unsupported: [UnsupportedNode] = []
    /// Constants already added to the builder, by tensor name.
    var addedConstants: [String: ValueID] = [:]
    /// How many nodes (and graph outputs) read each tensor name: BatchNormalization folds only into a
    /// producer nobody else reads.
    var readers: [String: Int] = [:]
    /// Elements constant folding may still allocate (`ConstantFolding.elementBudget`).
    var foldBudget = Int.max
    /// Sequences, scopes and the unrolling budget of static control flow (`ControlFlow`).
    var flow = ControlFlowState()
    /// Each tensor's ONNX element type where known (`ElementTypes`).
    var elementTypes: [String: ONNXDataType] = [:]

    init(opset: Int64) { self.opset = opset }

    mutating func run(_ proto: GraphProto) throws -> ModelGraph {
        if proto.hasSparseInitializers {
            throw ONNXImportError.unsupportedModel("sparse initializers are not supported; store them dense")
        }
        for tensor in proto.initializers {
            guard !tensor.name.isEmpty else { throw ONNXImportError.malformedFile("an initializer has no name") }
            slots[tensor.name] = .constant(try tensor.decode(what: "initializer"))
            elementTypes[tensor.name] = ONNXDataType(rawValue: tensor.dataType)
        }
        for input in proto.inputs where slots[input.name] == nil {
            try addInput(input)
        }
        flow.recordTypes(of: proto)
        for node in proto.nodes { countReaders(of: node) }
        for output in proto.outputs { readers[output.name, default: 0] += 1 }

        for (index, node) in proto.nodes.enumerated() {
            try convert(node, index: index)
        }
        if !unsupported.isEmpty { throw ONNXImportError.unsupportedOperators(unsupported) }

        guard !proto.outputs.isEmpty else { throw ONNXImportError.malformedFile("the graph declares no outputs") }
        for output in proto.outputs {
            switch slots[output.name] {
            case .value(var id)?:
                do {
                    if builder.graph.inputs.contains(id) {
                        // An output that is an input (a graph of Identity or Dropout nodes): an explicit identity,
                        // so that the output is computed; proving it is refused later (nothing to prove).
                        id = try builder.addNode(name: output.name, sourceOp: "Identity", operation: .reshape(builder.graph.values[id].shape),
                                                 inputs: [id], outputName: output.name + "/identity")
                    }
                    try builder.markOutput(id, name: output.name)
                } catch let error as ModelGraphError { throw ONNXImportError.graph(error) }
            case .constant?:
                throw ONNXImportError.unsupportedModel("output '\(output.name)' is a constant; there is nothing to prove")
            case nil where flow.sequences[output.name] != nil:
                throw ONNXImportError.unsupportedModel("output '\(output.name)' is a sequence; only tensor outputs are supported")
            default:
                throw ONNXImportError.malformedFile("output '\(output.name)' is not produced by any node")
            }
        }
        do { return try builder.build() } catch let error as ModelGraphError { throw ONNXImportError.graph(error) }
    }

    mutating func addInput(_ info: ValueInfoProto) throws {
        guard info.isTensorType else {
            throw ONNXImportError.unsupportedModel("input '\(info.name)' is not a tensor (sequences, maps and optionals are not supported)")
        }
        guard let type = ONNXDataType(rawValue: info.elementType), type != .string else {
            throw ONNXImportError.unsupportedModel("input '\(info.name)' has element type \(info.elementType); only numeric inputs are supported")
        }
        // Integer inputs (token ids) stay integers on the fixed-point path; float16 is read as float.
        let isInteger = type.isInteger
        elementTypes[info.name] = type
        guard let dims = info.dims else {
            throw ONNXImportError.unsupportedModel("input '\(info.name)' has no shape; export with a fixed input shape")
        }
        var shape: [Int] = []
        for (axis, dim) in dims.enumerated() {
            switch dim {
            // 0 is an empty tensor (docs/fixed-point.md §11: moved and summed, never proved).
            case .value(let v) where v >= 0 && v <= Int64(Shape.maxElements): shape.append(Int(v))
            case .value(let v):
                throw ONNXImportError.unsupportedModel("input '\(info.name)' has dimension \(v) on axis \(axis)")
            case .parameter(let p):
                throw ONNXImportError.unsupportedModel(
                    "input '\(info.name)' has dynamic dimension '\(p)' on axis \(axis); dynamic shapes are not supported, export with a fixed shape (e.g. batch 1)")
            case .unknown:
                throw ONNXImportError.unsupportedModel(
                    "input '\(info.name)' has an unknown dimension on axis \(axis); dynamic shapes are not supported, export with a fixed shape (e.g. batch 1)")
            }
        }
        do { slots[info.name] = .value(try builder.addInput(info.name, shape: shape, isInteger: isInteger)) } catch let error as ModelGraphError {
            throw ONNXImportError.graph(error)
        }
    }

    mutating func convert(_ node: NodeProto, index: Int) throws {
        let name = node.name.isEmpty ? "\(node.opType)_\(index)" : node.name
        // A recurrent node may leave its first output (Y) unnamed when only the final states are read.
        let unnamedFirstOutput = ["LSTM", "GRU", "RNN"].contains(node.opType) && node.outputs.dropFirst().contains { !$0.isEmpty }
        guard !node.outputs.isEmpty, !node.outputs[0].isEmpty || unnamedFirstOutput else {
            throw ONNXImportError.invalidNode(node: name, op: node.opType, reason: "node has no output")
        }
        func markUnknown() { for output in node.outputs where !output.isEmpty { slots[output] = .unknown } }

        guard node.domain == "" || node.domain == "ai.onnx" else {
            unsupported.append(UnsupportedNode(
                opType: node.opType, nodeName: name, reason: "operator domain '\(node.domain)' is not supported",
                suggestion: "export with standard ONNX operators only (disable runtime-specific fusions)"))
            return markUnknown()
        }
        guard SupportedOperators.names.contains(node.opType) else {
            unsupported.append(UnsupportedNode(
                opType: node.opType, nodeName: name, reason: "operator not supported",
                suggestion: SupportedOperators.suggestion(for: node.opType)))
            return markUnknown()
        }
        if let problem = SupportedOperators.versionProblem(op: node.opType, opset: opset) {
            unsupported.append(UnsupportedNode(opType: node.opType, nodeName: name, reason: problem,
                                               suggestion: "re-export with opset_version=25"))
            return markUnknown()
        }
        if let attribute = node.attributes.first(where: {
            $0.hasUnsupportedPayload || $0.refAttrName != nil || (!$0.graphs.isEmpty && !ControlFlow.takesSubgraphs.contains(node.opType))
        }) {
            unsupported.append(UnsupportedNode(
                opType: node.opType, nodeName: name,
                reason: "attribute '\(attribute.name)' holds a subgraph, sparse tensor or reference; these are not supported",
                suggestion: nil))
            return markUnknown()
        }
        if ControlFlow.resolved.contains(node.opType) { return try resolveControlFlow(node, name: name) }
        var inputs: [Slot?] = []
        for input in node.inputs {
            if input.isEmpty { inputs.append(nil); continue }
            if slots[input] == nil, let elements = flow.sequences[input] {
                if node.opType == "Identity" {  // exporters copy sequences too
                    flow.sequences[node.outputs[0]] = elements
                    return
                }
                unsupported.append(UnsupportedNode(
                    opType: node.opType, nodeName: name,
                    reason: "input '\(input)' is a sequence; only sequence operators and ConcatFromSequence read sequences",
                    suggestion: nil))
                return markUnknown()
            }
            guard let slot = slots[input] else {
                throw ONNXImportError.invalidNode(
                    node: name, op: node.opType,
                    reason: "input '\(input)' is not defined before this node (nodes must be in topological order)")
            }
            if case .unknown = slot { return markUnknown() }
            inputs.append(slot)
        }
        for output in node.outputs where !output.isEmpty && slots[output] != nil {
            throw ONNXImportError.invalidNode(node: name, op: node.opType, reason: "output '\(output)' is defined twice")
        }
        recordElementType(node)
        var context = NodeContext(node: node, name: name, inputs: inputs, opset: opset)
        context.foldBudget = foldBudget
        do {
            if let folded = try ConstantFolding.fold(context, builder: builder) {
                if !ConstantFolding.sharesStorage.contains(node.opType) { foldBudget -= folded.tensor.count }
                slots[node.outputs[0]] = .constant(folded)
            } else if SupportedOperators.foldable.contains(node.opType) {
                throw Unsupported(reason: "\(node.opType) is supported only on constant inputs",
                                  suggestion: "simplify the model (e.g. onnx-simplifier) so this subgraph folds to a constant")
            } else {
                try convertComputed(context)
            }
        } catch let problem as Unsupported {
            unsupported.append(UnsupportedNode(opType: node.opType, nodeName: name, reason: problem.reason,
                                               suggestion: problem.suggestion ?? SupportedOperators.suggestion(for: node.opType)))
            markUnknown()
        } catch let error as ModelGraphError {
            if case .invalidNode = error { throw ONNXImportError.graph(error) }
            throw ONNXImportError.invalidNode(node: name, op: node.opType, reason: error.description)
        }
    }

    /// Adds (once) a constant to the graph so a computed node can read it.
    mutating func graphValue(_ slot: Slot, name: String) throws -> ValueID {
        switch slot {
        case .value(let id): return id
        case .constant(let constant):
            if let id = addedConstants[name] { return id }
            let id = try builder.addConstant(name, constant.tensor)
            addedConstants[name] = id
            return id
        case .unknown: throw Unsupported(reason: "input produced by an unsupported node", suggestion: nil)
        }
    }
}

/// A node being converted, with its resolved inputs and attribute accessors.
struct NodeContext {
    let node: NodeProto
    let name: String
    let inputs: [Slot?]
    let opset: Int64
    /// Elements a folded result may have (checked before it is allocated).
    var foldBudget = Int.max

    var op: String { node.opType }

    /// Refuses to fold a result of `count` elements beyond the import's remaining folding budget.
    func reserve(_ count: Int) throws {
        guard count <= foldBudget else {
            throw invalid("folding this node would create \(count) constant elements; the model may fold at most \(ConstantFolding.budgetDescription) in total")
        }
    }

    func invalid(_ reason: String) -> ONNXImportError { .invalidNode(node: name, op: op, reason: reason) }

    func int(_ attribute: String, default value: Int64) throws -> Int64 {
        guard let a = node.attribute(attribute) else { return value }
        guard let i = a.int else { throw invalid("attribute '\(attribute)' must be an integer") }
        return i
    }

    func float(_ attribute: String, default value: Double) throws -> Double {
        guard let a = node.attribute(attribute) else { return value }
        guard let f = a.float else { throw invalid("attribute '\(attribute)' must be a float") }
        return Double(f)
    }

    func ints(_ attribute: String) -> [Int64]? { node.attribute(attribute).map(\.ints) }

    /// An attribute list of small non-negative integers (kernel sizes, strides, pads).
    func sizes(_ attribute: String, count: Int, default value: [Int]) throws -> [Int] {
        guard let raw = ints(attribute) else { return value }
        guard raw.count == count, raw.allSatisfy({ $0 >= 0 && $0 <= 1 << 16 }) else {
            throw invalid("attribute '\(attribute)' must be \(count) integers in 0...65536, got \(raw)")
        }
        return raw.map { Int($0) }
    }

    /// Input `index` when present.
    func input(_ index: Int) -> Slot? { index < inputs.count ? inputs[index] : nil }

    func constantInput(_ index: Int, _ role: String) throws -> Constant {
        switch input(index) {
        case .constant(let c)?: return c
        case nil: throw invalid("missing \(role) input")
        default: throw Unsupported(reason: "the \(role) must be a constant (initializer)", suggestion: nil)
        }
    }

    func optionalConstant(_ index: Int, _ role: String) throws -> Constant? {
        guard input(index) != nil else { return nil }
        return try constantInput(index, role)
    }

    /// Input 0, which must be present (a node may list no inputs, or an empty name).
    func firstInput() throws -> Slot {
        guard let slot = input(0) else { throw invalid("missing input 0") }
        return slot
    }

    /// The shape of input 0.
    func firstInputShape(in builder: GraphBuilder) throws -> [Int] {
        guard let shape = shape(of: try firstInput(), in: builder) else { throw invalid("missing input 0") }
        return shape
    }

    func shape(of slot: Slot, in builder: GraphBuilder) -> [Int]? {
        switch slot {
        case .constant(let c): return c.tensor.shape
        case .value(let id): return builder.graph.values[id].shape
        case .unknown: return nil
        }
    }

    /// A constant holding a list of integers (axes, shapes), which must be exact and in range.
    func integerList(_ constant: Constant, _ role: String) throws -> [Int] {
        try constant.tensor.values.map { v in
            guard v == v.rounded(), abs(v) <= Double(1 << 40) else { throw invalid("\(role) must be integers, got \(v)") }
            return Int(v)
        }
    }
}
