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
        /// Non-zero entries of this layer's equations in the committed linear relation (weights, constants, the
        /// received −1s): the prover's and key generation's work, not the verifier's (docs/protocol.md §19).
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
    /// Proof body bytes (docs/protocol.md §14), for a key of `zkinfer setup --private-weights` when `privateWeights`
    /// (§19.10: [g] and one more Gemini fold, 128 bytes more).
    public let proofBytes: Int
    public let privateWeights: Bool
    /// log2 of the SRS powers setup needs: 2^k rows, or 2^(k+1) with private weights (the blinding power H = [τ^n]₁).
    public let srsLog2Size: Int
    /// Estimates (bytes), documented in Sources/CircuitCompiler/README.md; the scale benchmark compares them
    /// with measured sizes and peaks (bench/scale).
    public let estimatedProvingKeyBytes: Int
    /// Peak resident memory of each step's process (`zkinfer compile`, `setup`, `prove`, `zkverify`) as named
    /// terms, largest contributors first within the cost model below; the peaks are their sums.
    public struct MemoryStep: Sendable {
        public let step: String
        public let terms: [(name: String, bytes: Int)]
        public var bytes: Int { terms.reduce(0) { $0 + $1.bytes } }
    }
    public let memory: [MemoryStep]
    public var estimatedCompilePeakBytes: Int { memory[0].bytes }
    public var estimatedSetupPeakBytes: Int { memory[1].bytes }
    public var estimatedProverPeakBytes: Int { memory[2].bytes }
    public var estimatedVerifierPeakBytes: Int { memory[3].bytes }

    public var rowCount: Int { 1 << log2Rows }
    public static var privateWeightsExtraBytes: Int { ProofShape.privateWeightsExtraBytes }

    public init(plan: CircuitPlan, layout: CircuitLayout, privateWeights: Bool = false) {
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
                if let check = plan.matMulCheck(layer: index) {
                    // The random-point check's stream (one cell per lane) belongs to this layer too.
                    let streams = check.firstGroup..<(check.firstGroup + check.batches * check.segmentsPerBatch)
                    lanes += check.streamLanes
                    rows += streams.reduce(0) { $0 + layout.groupRows[$1].count }
                    cells += check.streamLanes
                    gates += streams.reduce(0) { $0 + layout.groupRows[$1].count }
                }
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
        proofBytes = layout.proofBytes + (privateWeights ? ProofShape.privateWeightsExtraBytes : 0)
        self.privateWeights = privateWeights
        srsLog2Size = layout.log2Rows + (privateWeights ? 1 : 0)

        // Cost model (bytes), fitted to peak RSS measured on circuits/ and the scale ladder (bench/scale;
        // Sources/CircuitCompiler/README.md has the table). n rows, 4n on the quotient's extended coset.
        // - process: the binary and runtime, ~14 MB whatever the model.
        // - model: importing, quantizing and building the relation costs ~108 bytes per relation entry (the
        //   ONNX tensors, their reals and integers, the equations and the blocks); compile, setup and prove all
        //   rebuild it.
        // - proving key: every fixed column as coefficients and extended evaluations (5n scalars) and the
        //   relation's blocks (≈16 bytes per entry).
        // - SRS: n affine points (64 bytes); setup reads 2n with private weights.
        // - prover columns: every committed or interpolated column (advice, 2 per lookup, challenge and
        //   instance) as values, coefficients and extended evaluations (6n scalars), the quotient's numerator
        //   and chunks (8n scalars).
        // - verifier: the process, the key's commitments and the proof (a few KB).
        let n = 1 << log2Rows
        let process = 14 << 20
        let model = 108 * totalEntries
        let pk = 32 * fixedColumns * 5 * n + 16 * totalEntries
        let columns = adviceColumns + 2 * lookupArguments + challengeColumns + instanceColumns
        estimatedProvingKeyBytes = pk
        let modelTerm = (name: "model (import, quantize, relation)", bytes: model)
        let processTerm = (name: "process", bytes: process)
        memory = [
            MemoryStep(step: "compile", terms: [modelTerm, processTerm]),
            MemoryStep(step: "setup", terms: [modelTerm, (name: "proving key", bytes: pk), (name: "SRS", bytes: 64 << srsLog2Size),
                                              processTerm]),
            MemoryStep(step: "prove", terms: [modelTerm, (name: "proving key", bytes: pk), (name: "SRS", bytes: 64 * n),
                                              (name: "columns (values, coefficients, extended)", bytes: 32 * n * 6 * columns),
                                              (name: "quotient", bytes: 32 * n * 8), processTerm]),
            MemoryStep(step: "verify", terms: [(name: "verifying key and proof", bytes: 64 * (fixedColumns + columns) + 4 * proofBytes),
                                               processTerm]),
        ]
    }

    /// Non-zero entries the verifier folds for a node: weights (quantized, as the key stores them), equation
    /// constants (bias plus the rounding offset) and the −1 of each received equation. Counted from shapes and
    /// weights in O(parameters + outputs·operands); exact unless a layer reads one element twice through
    /// wiring (then the circuit merges the two weights into one entry).
    static func foldEntries(node: Node, graph: ModelGraph, layer: Int, plan: CircuitPlan) -> Int {
        guard case .lanes(let g) = plan.layers[layer].role, plan.groups[g].receives else { return 0 }
        return node.operation.lowering.foldEntries(node, graph: graph, plan: plan, group: g)
    }
}
