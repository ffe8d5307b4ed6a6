import ConstraintSystem
import ModelGraph
import Quantization

/// Per-layer and total circuit statistics computed from the plan and layout alone — no weights quantized,
/// no witness, no keys — so `zkinfer stats` answers "does this model fit?" in seconds even for large models.
/// The totals equal `CircuitStatistics` of the built circuit (a test checks it).
public struct ModelStatistics: Sendable {
    public struct Layer: Sendable {
        public let name: String
        public let op: String
        public let outputShape: [Int]
        /// "lanes", "fused into <layer>", "wiring", "public input".
        public let realisation: String
        /// Gadget kind of the lanes (nil without lanes).
        public let gadget: String?
        public let lanes: Int
        public let rows: Int
        /// Advice cells the layer's lanes fill (range-checked and free cells).
        public let adviceCells: Int
        /// Gate constraint instances: one fold transition per row plus each lane's own constraints.
        public let gateConstraints: Int
        /// 8-bit range lookups (one per limb cell) and function-table lookups (one per lane with a table).
        public let lookups: Int
        /// Non-zero weights the verifier folds for this layer's equations.
        public let foldEntries: Int
    }

    public let layers: [Layer]
    public let lanesPerRow: Int
    /// Rows carrying lanes, plus the row closing the running sum.
    public let laneRows: Int
    public let tableRows: Int
    public let rowsUsed: Int
    public let log2Rows: Int
    public let adviceColumns: Int
    public let fixedColumns: Int
    public let challengeColumns: Int
    public let instanceColumns: Int
    public let lookupArguments: Int
    /// Stacked range checks: limb cells copied into `stackColumns` looked-up columns (0, 0: per limb column).
    public let stackedCells: Int
    public let stackColumns: Int
    public let publicInputs: Int
    public let publicOutputs: Int
    public let equations: Int
    public let foldEntries: Int
    public let proofBytes: Int
    /// Estimates (bytes), documented in Sources/CircuitCompiler/README.md; the benchmark compares them with
    /// measured sizes.
    public let estimatedProvingKeyBytes: Int
    public let estimatedProverPeakBytes: Int

    public var rowCount: Int { 1 << log2Rows }

    public init(plan: CircuitPlan, layout: CircuitLayout) {
        var layers: [Layer] = []
        var totalEntries = 0
        for (index, layer) in plan.layers.enumerated() {
            var lanes = 0, rows = 0, cells = 0, gates = 0, lookups = 0
            var gadget: String?
            let realisation: String
            switch layer.role {
            case .lanes(let g):
                let group = plan.groups[g]
                let kind = group.kind.gadget
                gadget = group.kind.name
                lanes = group.count
                rows = layout.groupRows[g].count
                cells = lanes * (kind.limbCells + kind.freeCells)
                let own = kind.constraints(LaneCells(limbs: Array(repeating: .constant(.zero), count: kind.limbCells),
                                                     free: Array(repeating: .constant(.zero), count: kind.freeCells))).count
                gates = rows + lanes * own
                lookups = lanes * (kind.limbCells + (kind.functionTable == nil ? 0 : 1))
                realisation = "lanes"
            case .fused(let target): realisation = "fused into \(plan.layers[target].name)"
            case .wiring: realisation = "wiring"
            case .publicInput: realisation = "public input"
            }
            let entries = layer.nodeIndex.map { Self.foldEntries(node: plan.graph.nodes[$0], graph: plan.graph, layer: index, plan: plan) } ?? 0
            totalEntries += entries
            layers.append(Layer(name: layer.name, op: layer.op, outputShape: layer.outputShape, realisation: realisation,
                                gadget: gadget, lanes: lanes, rows: rows, adviceCells: cells, gateConstraints: gates,
                                lookups: lookups, foldEntries: entries))
        }
        let outputs = plan.publicOutputCount
        totalEntries += 2 * outputs  // each output equation: the element and the public value
        totalEntries += layout.isStacked ? layout.laneRows + layout.stackedCells : 0  // fold_tie rows, stack cells
        self.layers = layers
        lanesPerRow = layout.lanesPerRow
        laneRows = layout.laneRows + 1
        tableRows = max(layout.rangeTableRows, layout.functionTableRows)
        rowsUsed = max(layout.closeRow + 1, tableRows, layout.publicColumnLength)
        log2Rows = layout.log2Rows
        adviceColumns = layout.adviceColumns
        fixedColumns = layout.fixedColumns
        challengeColumns = layout.challengeColumns
        instanceColumns = layout.publicColumns
        lookupArguments = layout.lookupArguments
        stackedCells = layout.stackedCells
        stackColumns = layout.stackColumns
        publicInputs = plan.publicInputCount
        publicOutputs = outputs
        equations = plan.groups.filter(\.receives).reduce(0) { $0 + $1.count * $1.kind.gadget.receivedCount } + outputs
            + layout.stackedCells
        foldEntries = totalEntries
        proofBytes = layout.proofBytes

        // Cost model. n rows, 4n on the quotient's extended coset (degree 4). Proving key: every fixed column as
        // coefficients and extended evaluations (5n scalars), the fold matrices (≈16 bytes per entry).
        // Prover peak: SRS (n affine points, 64 bytes), the key, every committed or interpolated column
        // (advice, 2 per lookup, challenge and instance columns) held as values, coefficients and extended
        // evaluations (6n scalars), the quotient's numerator and chunks (8n scalars), plus ~24 MB of process.
        let n = 1 << log2Rows
        let pk = 32 * fixedColumns * 5 * n + 16 * totalEntries
        let columns = adviceColumns + 2 * lookupArguments + challengeColumns + instanceColumns
        estimatedProvingKeyBytes = pk
        estimatedProverPeakBytes = 64 * n + pk + 32 * n * (6 * columns + 8) + 24 << 20
    }

    /// Non-zero entries the verifier folds for a node: weights (quantized, as the key stores them), equation
    /// constants (bias plus the rounding offset) and the −1 of each received equation. Counted from shapes and
    /// weights in O(parameters + outputs·operands); exact unless a layer reads one element twice through
    /// wiring (then the circuit merges the two weights into one entry).
    static func foldEntries(node: Node, graph: ModelGraph, layer: Int, plan: CircuitPlan) -> Int {
        guard case .lanes(let g) = plan.layers[layer].role, plan.groups[g].receives else { return 0 }
        let settings = plan.settings
        let w = settings.parameterScale, s = settings.activationScale
        func nonZero(_ v: Double, _ scale: Int) -> Bool { FixedPoint.quantize(v, scale: scale) != 0 }
        let inputShape = graph.values[node.inputs[0]].shape
        let outputShape = graph.values[node.output].shape
        let outputs = outputShape.reduce(1, *)
        let shift = CircuitPlan.foldedShift(node, graph: graph, settings: settings) ?? 0
        let received = outputs
        switch node.operation {
        case .linear(let l):
            let rows = l.inputs == 0 ? 0 : graph.values[node.inputs[0]].elementCount / l.inputs
            let weights = l.weight.values.reduce(0) { $0 + (nonZero($1, w) ? 1 : 0) }
            let offset: Int64 = shift > 0 ? 1 << (shift - 1) : 0
            let bias = (0..<l.outputs).reduce(0) { total, i in
                total + ((FixedPoint.quantize(l.bias?.values[i] ?? 0, scale: s + w) ?? 1) + offset != 0 ? 1 : 0)
            }
            return rows * (weights + bias) + received
        case .conv(let conv):
            let window = Layout.Window(input: inputShape, output: outputShape, kernel: conv.kernel, strides: conv.strides,
                                       pads: conv.pads, dilations: conv.dilations)
            let validRows = (0..<window.kH).map { ky in (0..<window.outH).reduce(0) { $0 + (window.row($1, ky) != nil ? 1 : 0) } }
            let validCols = (0..<window.kW).map { kx in (0..<window.outW).reduce(0) { $0 + (window.column($1, kx) != nil ? 1 : 0) } }
            let m = conv.weight.shape[0], c = conv.weight.shape[1]
            var total = 0
            for mi in 0..<m {
                for ci in 0..<c {
                    for ky in 0..<window.kH {
                        for kx in 0..<window.kW where nonZero(conv.weight.values[((mi * c + ci) * window.kH + ky) * window.kW + kx], w) {
                            total += validRows[ky] * validCols[kx]
                        }
                    }
                }
            }
            return inputShape[0] * total + (shift > 0 ? outputs : 0) + received
        case .averagePool(let pool):
            let window = Layout.Window(input: inputShape, output: outputShape, kernel: pool.kernel, strides: pool.strides,
                                       pads: pool.pads, dilations: [1, 1])
            let divisors = Layout.averageDivisors(window, countIncludePad: pool.countIncludePad)
            var perPlane = 0
            for oy in 0..<window.outH {
                for ox in 0..<window.outW where nonZero(1 / Double(divisors[oy * window.outW + ox]), w) {
                    perPlane += window.validCount(oy, ox)
                }
            }
            return inputShape[0] * inputShape[1] * perPlane + (shift > 0 ? outputs : 0) + received
        case .globalAveragePool:
            let inner = inputShape.dropFirst(2).reduce(1, *)
            return (nonZero(1 / Double(inner), w) ? graph.values[node.inputs[0]].elementCount : 0) + (shift > 0 ? outputs : 0) + received
        case .channelAffine(let affine):
            let inner = inputShape.dropFirst(2).reduce(1, *)
            var total = 0
            for c in 0..<affine.scale.count {
                let bias = (FixedPoint.quantize(affine.shift.values[c], scale: s + w) ?? 1) + (shift > 0 ? Int64(1) << (shift - 1) : 0)
                total += inputShape[0] * inner * ((nonZero(affine.scale.values[c], w) ? 1 : 0) + (bias != 0 ? 1 : 0))
            }
            return total + received
        case .add, .sub, .sum:
            var total = 0
            let maps = node.inputs.map { Shape.broadcastIndices(from: graph.values[$0].shape, to: outputShape) }
            for i in 0..<outputs {
                var weights: [Int: Int64] = [:]  // value id × source index → weight (x − x cancels)
                var constant = 0.0
                for (position, id) in node.inputs.enumerated() {
                    let sign: Int64 = position > 0 && node.operation == .sub ? -1 : 1
                    if let tensor = graph.values[id].constant {
                        constant += Double(sign) * Double(FixedPoint.quantize(tensor.values[maps[position][i]], scale: s) ?? 1)
                    } else {
                        weights[id << 32 | maps[position][i], default: 0] += sign
                    }
                }
                total += weights.values.filter { $0 != 0 }.count + (constant != 0 ? 1 : 0)
            }
            return total + received
        case .mul where node.inputs.contains { graph.values[$0].constant != nil }, .div:
            let position = graph.values[node.inputs[0]].constant == nil ? 1 : 0
            let constant = graph.values[node.inputs[position]].constant!
            let map = Shape.broadcastIndices(from: constant.shape, to: outputShape)
            let isDiv = node.operation == .div
            let weights = (0..<outputs).reduce(0) { total, i in
                let v = constant.values[map[i]]
                return total + (nonZero(isDiv ? 1 / v : v, w) ? 1 : 0)
            }
            return weights + (shift > 0 ? outputs : 0) + received
        case .softmax:
            // Per row of n: each element (2), m for n − 1 lanes (2), S = Σe (n + 1) and S for n − 1 lanes (2),
            // Σb − 1 (n + 1).
            let n = outputShape.last ?? 1
            return outputs / n * (8 * n - 2)
        default:
            // A standalone gadget: each port's equation has the element it receives (weight 1) and the −1.
            return 2 * outputs * plan.groups[g].kind.gadget.receivedCount
        }
    }
}
