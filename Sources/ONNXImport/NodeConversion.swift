import ModelGraph

/// A family's translation of one ONNX operator (with at least one computed input) to graph nodes.
typealias Converter = (inout GraphImport, NodeContext) throws -> Void

/// Every operator the importer translates, by ONNX op type: the union of the families' tables in `Operators/`.
/// `SupportedOperators.computed` lists the same names (a test keeps the two equal).
enum OperatorRegistry {
    static let converters: [String: Converter] = {
        var all: [String: Converter] = [:]
        for family in [LinearImport.converters, ConvolutionImport.converters, PoolingImport.converters,
                       ArithmeticImport.converters, ActivationImport.converters, NormalizationImport.converters,
                       MovementImport.converters, IndexingImport.converters, TransformerImport.converters,
                       RecurrentImport.converters, ComparisonImport.converters, ActivationCompositionImport.converters,
                       ReductionCompositionImport.converters, SelectionImport.converters,
                       ElementaryCompositionImport.converters, NormalizationCompositionImport.converters,
                       IntegerArithmeticImport.converters] {
            all.merge(family) { first, _ in first }
        }
        return all
    }()
}

extension GraphImport {
    mutating func convertComputed(_ c: NodeContext) throws {
        if IntegerArithmeticImport.applies(self, c) { return try IntegerArithmeticImport.convert(&self, c) }
        guard let converter = OperatorRegistry.converters[c.op] else {
            throw Unsupported(reason: "operator not supported", suggestion: nil)
        }
        try converter(&self, c)
    }

    /// Adds one node reading the given inputs of `c` (constants are added to the graph once).
    @discardableResult
    mutating func add(_ c: NodeContext, _ operation: LayerOperation, _ inputIndices: [Int]) throws -> ValueID {
        var ids: [ValueID] = []
        for index in inputIndices {
            guard let slot = c.input(index) else { throw c.invalid("missing input \(index)") }
            ids.append(try graphValue(slot, name: c.node.inputs[index]))
        }
        let output = c.node.outputs[0]
        let id = try builder.addNode(name: c.name, sourceOp: c.op, operation: operation, inputs: ids, outputName: output)
        slots[output] = .value(id)
        return id
    }

    /// The shape of input `index` (constant or computed).
    func shape(_ c: NodeContext, _ index: Int) throws -> [Int] {
        guard let slot = c.input(index), let shape = c.shape(of: slot, in: builder) else { throw c.invalid("missing input \(index)") }
        return shape
    }

    func requireComputedFirst(_ c: NodeContext) throws {
        guard case .value? = c.input(0) else {
            throw Unsupported(reason: "the first input must be the computed tensor", suggestion: nil)
        }
    }

    func extraOutputsUnused(_ c: NodeContext, _ what: String) throws {
        if c.node.outputs.dropFirst().contains(where: { !$0.isEmpty && readers[$0, default: 0] > 0 }) {
            throw Unsupported(reason: "its \(what) output is used", suggestion: nil)
        }
    }
}
