import DirectInference
import ModelGraph
import Quantization

/// Where an element (one integer of an activation tensor) lives in the circuit.
public enum ElementSource: Hashable, Sendable {
    /// Index into the public values (model inputs first, then outputs).
    case publicValue(Int)
    /// A lane: group index, lane index within the group, and which of its produced values (0: the element;
    /// 1, 2, …: a kind's extra values, e.g. Softmax's exponent).
    case lane(group: Int, index: Int, value: Int = 0)
    /// A fixed integer (a constant operand of a Concat at scale 2^s): it joins the equation's constant b[p],
    /// which the verifying key fixes.
    case constant(Int64)
}

/// The model as one system of linear equations over its elements, proved by a single fold
/// (docs/protocol.md §11, "one fold for the whole model"):
///
///     for every equation p:   Σ_e W[p][e]·value(e) + b[p] − received(p) = 0
///
/// where `received(p)` is an expression of the receiving lane's cells (2^k·q + r for a rescale lane) and
/// `value(e)` is the produced value of a lane or a public value. Every folded layer contributes one
/// equation per output (its weights, its bias, plus the rounding offset 2^(k−1)); a standalone gadget
/// receives its input through an equation with weight 1; each model output gets an equation tying its
/// element to the public output value. Equations are numbered 0, 1, … so no two share a power of ρ.
public struct LinearSystem: Sendable {
    /// A weight W[p][e] on a lane element (produced value `value` of the lane), or on a public value.
    public struct Term: Hashable, Sendable {
        public let power: Int
        public let weight: Int64
        public let value: Int

        public init(power: Int, weight: Int64, value: Int = 0) {
            self.power = power
            self.weight = weight
            self.value = value
        }
    }

    public let equationCount: Int
    /// b[p] (including the rounding offsets 2^(k−1)).
    public let constants: [Int64]
    /// For each equation, the lane that receives it (group, index, port), or nil for output equations.
    public let receivers: [(group: Int, index: Int, port: Int)?]
    /// For each equation, whether it is a **link**: a copy or tie the architecture makes (a standalone gadget's
    /// input port, Softmax's and a two-activation MatMul's copies, an output tie), whose coefficients are ±1 and
    /// fixed offsets, never a weight. The relation carries links as public constant terms (docs/protocol.md
    /// §19.9), so they cost no committed block; weights stay in blocks (private weights hide them).
    public let links: [Bool]
    /// Weights on lane elements: `laneTerms[flat lane]`, flat lane = groupStart[group] + index.
    public let laneTerms: [[Term]]
    /// Weights on public values: `publicTerms[public index]`.
    public let publicTerms: [[Term]]
    public let groupStart: [Int]
    /// The elements of every value (empty for constants and for a fused layer's pre-activation output).
    public let elements: [[ElementSource]]

    /// Builds the equations of `plan` with the weights of `model` (the same graph and settings).
    /// `structured`: convolution nodes whose weights, bias and rounding offset the relation carries as structured
    /// terms (docs/protocol.md §19.9); their equations here only name their receivers.
    public init(plan: CircuitPlan, model: QuantizedModel, structured: Set<Int> = []) throws {
        var builder = Builder(plan: plan)
        let graph = plan.graph
        var elements = [[ElementSource]](repeating: [], count: graph.values.count)
        var publicOffset = 0
        for layer in plan.layers {
            guard let position = layer.inputIndex else { continue }
            let id = graph.inputs[position]
            let count = graph.values[id].elementCount
            switch layer.role {
            case .publicInput:
                elements[id] = (0..<count).map { .publicValue(publicOffset + $0) }
                publicOffset += count
            case .lanes(let group):
                elements[id] = (0..<count).map { .lane(group: group, index: $0) }
            default: break
            }
        }
        let hostsFusion = Set(plan.layers.compactMap { layer -> Int? in
            if case .fused(let target) = layer.role { return target }
            return nil
        })
        for (layerIndex, layer) in plan.layers.enumerated() {
            guard let nodeIndex = layer.nodeIndex else { continue }
            let node = graph.nodes[nodeIndex]
            switch layer.role {
            case .wiring:
                elements[node.output] = Wiring.elements(of: node, model.nodes[nodeIndex], graph: graph, elements: elements)
            case .fused(let target):
                // The fused Relu's output is the lanes of the layer it runs in.
                guard case .lanes(let group) = plan.layers[target].role else { continue }
                elements[node.output] = (0..<plan.groups[group].count).map { .lane(group: group, index: $0) }
            case .lanes(let group):
                let g = plan.groups[group]
                if let check = plan.matMulCheck(layer: layerIndex) {
                    try Self.matMul(check, outputGroup: group, shift: g.kind, a: elements[node.inputs[0]],
                                    b: elements[node.inputs[1]], layer: node.label, &builder)
                } else if g.receives {
                    if case .softmax(let gadget) = g.kind {
                        try Self.softmax(gadget, group: group, count: g.count, input: elements[node.inputs[0]],
                                         layer: node.label, &builder)
                    } else if case .embedding = g.kind {
                        // Each lane receives its key D·id + d from the fold.
                        try Equations.emit(node, model.nodes[nodeIndex], graph: graph, elements: elements,
                                           layer: node.label) { index, terms, constant in
                            try builder.equation(receiver: (group, index, 0), terms: terms, constant: constant, offset: 0,
                                                 layer: node.label)
                        }
                    } else if case .step(let gadget) = g.kind {
                        // Port p of lane i is equation i·P + p of the node's own (a comparison's a − b).
                        let p = gadget.receivedCount
                        try Equations.emit(node, model.nodes[nodeIndex], graph: graph, elements: elements,
                                           layer: node.label) { index, terms, constant in
                            try builder.equation(receiver: (group, index / p, index % p), terms: terms, constant: constant,
                                                 offset: 0, layer: node.label)
                        }
                    } else if case .integer = g.kind {
                        // Port p of lane i is equation i·P + p (IntegerLowering's linear forms of the operands).
                        let p = g.kind.gadget.receivedCount
                        try IntegerLowering.emit(node, graph: graph, settings: plan.settings, group: group,
                                                 elements: elements) { index, terms, constant in
                            try builder.equation(receiver: (group, index / p, index % p), terms: terms, constant: constant,
                                                 offset: 0, layer: node.label)
                        }
                    } else if case .rescale = g.kind, structured.contains(nodeIndex) {
                        for index in 0..<g.count {
                            try builder.equation(receiver: (group, index, 0), terms: [], constant: 0, offset: 0, layer: node.label)
                        }
                    } else if case .rescale(let gadget) = g.kind {
                        let offset: Int64 = gadget.shift > 0 ? Int64(1) << (gadget.shift - 1) : 0
                        try Equations.emit(node, model.nodes[nodeIndex], graph: graph, elements: elements,
                                           layer: node.label) { index, terms, constant in
                            try builder.equation(receiver: (group, index, 0), terms: terms, constant: constant, offset: offset,
                                                 layer: node.label)
                        }
                    } else {
                        // Standalone gadgets: port p of lane i receives one element with weight 1.
                        let ports = Equations.ports(node, graph: graph)
                        let count = g.kind.gadget.receivedCount
                        for index in 0..<g.count {
                            for port in 0..<count {
                                let (value, position) = ports(index, port)
                                try builder.equation(receiver: (group, index, port), terms: [(elements[value][position], 1)],
                                                     constant: 0, offset: 0, layer: node.label, link: true)
                            }
                        }
                    }
                }
                let produced = (0..<g.count).map { ElementSource.lane(group: group, index: $0) }
                if hostsFusion.contains(layerIndex) {
                    // The pre-activation values are read only by the fused Relu (which takes the lanes).
                    elements[node.output] = []
                } else {
                    elements[node.output] = produced
                }
            case .publicInput: break
            }
        }
        // Outputs: value(e) − public output = 0.
        var outputOffset = plan.publicInputCount
        for id in graph.outputs {
            for source in elements[id] {
                try builder.equation(receiver: nil, terms: [(source, 1), (.publicValue(outputOffset), -1)], constant: 0,
                                     offset: 0, layer: "output '\(graph.values[id].name)'", link: true)
                outputOffset += 1
            }
        }
        self.elements = elements
        (equationCount, constants, receivers, laneTerms, publicTerms, groupStart) = builder.finish()
        links = builder.links
    }

    /// Softmax's equations, per row of n lanes starting at lane f (`SoftmaxGadget`): each lane receives its
    /// element, the row's m and S (lane f's, or for lane f itself S = Σ_j e_j); and Σ_j b_j − 1 = 0, an
    /// equation no lane receives. 3n equations per row.
    static func softmax(_ gadget: SoftmaxGadget, group: Int, count: Int, input: [ElementSource], layer: String,
                        _ builder: inout Builder) throws {
        let n = gadget.rowLength
        func lane(_ index: Int, _ value: SoftmaxGadget.Produced) -> ElementSource {
            .lane(group: group, index: index, value: value.rawValue)
        }
        for first in stride(from: 0, to: count, by: n) {
            let row = first..<(first + n)
            for j in row {
                try builder.equation(receiver: (group, j, 0), terms: [(input[j], 1)], constant: 0, offset: 0, layer: layer, link: true)
                if j != first {
                    try builder.equation(receiver: (group, j, 1), terms: [(lane(first, .maximum), 1)], constant: 0, offset: 0,
                                         layer: layer, link: true)
                }
                let one: Int64 = 1
                let sumTerms = j == first ? row.map { (lane($0, .exponent), one) } : [(lane(first, .sum), one)]
                try builder.equation(receiver: (group, j, 2), terms: sumTerms, constant: 0, offset: 0, layer: layer, link: true)
            }
            try builder.equation(receiver: nil, terms: row.map { (lane($0, .bit), 1) }, constant: -1, offset: 0, layer: layer, link: true)
        }
    }

    /// A MatMul of two activations (`MatMulCheck`): each stream lane of an operand segment receives its element of
    /// A or B (a copy); each lane of the product segment receives its own value (so the segment's padding lanes,
    /// which receive the constant 0, are the only ones forced to 0); output element (b, i, j) of the rescale lanes
    /// receives C[i, j] of batch b's product segment plus the rounding offset 2^(s−1).
    static func matMul(_ check: MatMulCheck, outputGroup: Int, shift kind: LaneKind, a: [ElementSource], b: [ElementSource],
                       layer: String, _ builder: inout Builder) throws {
        guard case .rescale(let rescale) = kind else {
            throw CompilerError.witnessMismatch("MatMul \(layer): its output lanes are not rescale lanes")
        }
        let offset: Int64 = rescale.shift > 0 ? Int64(1) << (rescale.shift - 1) : 0
        let (m, n) = (check.m, check.n)
        guard a.count > (check.aOffsets.max() ?? 0) + m * check.k - 1, b.count > (check.bOffsets.max() ?? 0) + check.k * n - 1 else {
            throw CompilerError.witnessMismatch("MatMul \(layer): its operands have no elements")
        }
        for batch in 0..<check.batches {
            for s in 0..<check.segmentsPerBatch {
                let group = check.group(batch: batch, segment: s)
                switch check.segment(s) {
                case .aColumn(let column):
                    for i in 0..<m {
                        try builder.equation(receiver: (group, i, 0), terms: [(a[check.aPosition(batch: batch, column: column, index: i)], 1)],
                                             constant: 0, offset: 0, layer: layer, link: true)
                    }
                case .bRow(let row):
                    for j in 0..<n {
                        try builder.equation(receiver: (group, j, 0), terms: [(b[check.bPosition(batch: batch, row: row, index: j)], 1)],
                                             constant: 0, offset: 0, layer: layer, link: true)
                    }
                case .product:
                    for e in 0..<(m * n) {
                        try builder.equation(receiver: (group, e, 0), terms: [(.lane(group: group, index: e), 1)], constant: 0, offset: 0,
                                             layer: layer, link: true)
                        try builder.equation(receiver: (outputGroup, batch * m * n + e, 0), terms: [(.lane(group: group, index: e), 1)],
                                             constant: 0, offset: offset, layer: layer, link: true)
                    }
                }
            }
        }
    }

    /// Accumulates equations and their terms.
    struct Builder {
        var constants: [Int64] = []
        var receivers: [(group: Int, index: Int, port: Int)?] = []
        var links: [Bool] = []
        var laneTerms: [[Term]]
        var publicTerms: [[Term]]
        let groupStart: [Int]

        init(plan: CircuitPlan) {
            var start: [Int] = []
            var total = 0
            for g in plan.groups {
                start.append(total)
                total += g.count
            }
            groupStart = start
            laneTerms = Array(repeating: [], count: total)
            publicTerms = Array(repeating: [], count: plan.publicInputCount + plan.publicOutputCount)
        }

        mutating func equation(receiver: (group: Int, index: Int, port: Int)?, terms: [(ElementSource, Int64)],
                               constant: Int64, offset: Int64, layer: String, link: Bool = false) throws {
            let p = constants.count
            var (c, overflow) = constant.addingReportingOverflow(offset)
            for (source, weight) in terms where weight != 0 {
                guard case .constant(let v) = source, !overflow else { continue }
                let product = weight.multipliedReportingOverflow(by: v)
                let sum = c.addingReportingOverflow(product.partialValue)
                (c, overflow) = (sum.partialValue, product.overflow || sum.overflow)
            }
            guard !overflow else { throw CompilerError.witnessMismatch("bias of \(layer) overflows 64 bits") }
            constants.append(c)
            receivers.append(receiver)
            // A copy of a model constant (a Concat's constant operand) carries that constant in c: not a link, so a
            // constant of the model stays inside a committed block like any weight.
            links.append(link && !terms.contains { if case .constant = $0.0 { return true } else { return false } })
            for (source, weight) in terms where weight != 0 {
                switch source {
                case .publicValue(let i): try Self.add(&publicTerms[i], p, weight, 0, layer)
                case .lane(let group, let index, let value):
                    try Self.add(&laneTerms[groupStart[group] + index], p, weight, value, layer)
                case .constant: break  // in c above
                }
            }
        }

        /// Terms of one element arrive in increasing power order, so a repeated element (x + x) is the last.
        static func add(_ terms: inout [Term], _ power: Int, _ weight: Int64, _ value: Int, _ layer: String) throws {
            if let last = terms.last, last.power == power, last.value == value {
                let (sum, overflow) = last.weight.addingReportingOverflow(weight)
                guard !overflow else { throw CompilerError.witnessMismatch("weights of \(layer) overflow 64 bits") }
                terms[terms.count - 1] = Term(power: power, weight: sum, value: value)
                if sum == 0 { terms.removeLast() }
            } else {
                terms.append(Term(power: power, weight: weight, value: value))
            }
        }

        func finish() -> (Int, [Int64], [(group: Int, index: Int, port: Int)?], [[Term]], [[Term]], [Int]) {
            (constants.count, constants, receivers, laneTerms, publicTerms, groupStart)
        }
    }
}
