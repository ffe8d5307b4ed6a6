import ConstraintSystem
import ModelGraph
import MSM
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
    /// The lane columns (range-checked limb columns and free columns; `LaneColumns`).
    public let limbColumns: Int
    public let freeColumns: Int
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
    /// Committed logUp columns after docs/protocol.md §9's batching: multiplicities (one per table) plus running sums.
    public let lookupColumns: Int
    /// Stacked range checks: limb cells copied into `stackColumns` looked-up columns (0, 0: per limb column).
    public let stackedCells: Int
    public let stackColumns: Int
    public let publicInputs: Int
    public let publicOutputs: Int
    public let equations: Int
    public let foldEntries: Int
    /// The part of `foldEntries` in structured convolutions (each weight once: cheap to build); the rest is tiled
    /// into blocks entry by entry (`RelationTiling`), which dominates compile's and setup's memory.
    public let structuredEntries: Int
    /// Weights and constants of the graph, and elements of every computed value (inputs included).
    public let parameters: Int
    public let activations: Int
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

    /// The statistics of a compiled circuit: exact proof bytes (its relation's Gemini ℓ, §19.9).
    public init(compiled: CompiledCircuit, privateWeights: Bool = false) {
        self.init(plan: compiled.plan, layout: compiled.layout, privateWeights: privateWeights,
                  openingVariables: compiled.relation.shape.openingVariables)
    }

    /// `openingVariables`: the relation's ℓ when known; before lowering, ℓ = log2 rows (an upper bound).
    public init(plan: CircuitPlan, layout: CircuitLayout, privateWeights: Bool = false, openingVariables: Int? = nil) {
        var layers: [Layer] = []
        var totalEntries = 0, structuredTotal = 0
        let structuredNodes = Set(layout.structuredConvolutions.map(\.node))
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
            let entries = layer.nodeIndex.map {
                Self.foldEntries(node: plan.graph.nodes[$0], graph: plan.graph, layer: index, plan: plan,
                                 structured: structuredNodes.contains($0))
            } ?? 0
            totalEntries += entries
            if let n = layer.nodeIndex, structuredNodes.contains(n) { structuredTotal += entries }
            layers.append(Layer(name: layer.name, op: layer.op, outputShape: layer.outputShape, realisation: realisation,
                                gadget: gadget, lanes: lanes, rows: rows, adviceCells: cells, gateConstraints: gates,
                                lookups: lookups, foldEntries: entries))
        }
        let outputs = plan.publicOutputCount
        totalEntries += 2 * outputs  // each output equation: the element and the public value
        self.layers = layers
        lanesPerRow = layout.lanesPerRow
        limbColumns = layout.limbColumns
        freeColumns = layout.freeColumns
        laneRows = layout.laneRows + 1
        tableRows = max(layout.rangeTableRows, layout.functionTableRows)
        rowsUsed = max(layout.closeRow + 1, tableRows, layout.publicColumnLength)
        log2Rows = layout.log2Rows
        adviceColumns = layout.adviceColumns
        fixedColumns = layout.fixedColumns
        challengeColumns = layout.challengeColumns
        instanceColumns = layout.publicColumns
        lookupArguments = layout.lookupArguments
        lookupColumns = layout.lookupColumns.multiplicities + layout.lookupColumns.sums
        stackedCells = layout.stackedCells
        stackColumns = layout.stackColumns
        publicInputs = plan.publicInputCount
        publicOutputs = outputs
        equations = plan.groups.filter(\.receives).reduce(0) { $0 + $1.count * $1.kind.gadget.receivedCount } + outputs
            + layout.stackedCells
        foldEntries = totalEntries
        structuredEntries = structuredTotal
        parameters = plan.graph.parameterCount + plan.graph.values.reduce(0) { $0 + ($1.constant?.count ?? 0) }
        activations = plan.graph.values.reduce(0) { $0 + ($1.constant == nil ? $1.elementCount : 0) }
        proofBytes = layout.proofBytes(openingVariables: openingVariables ?? layout.log2Rows) + (privateWeights ? ProofShape.privateWeightsExtraBytes : 0)
        self.privateWeights = privateWeights
        srsLog2Size = layout.log2Rows + (privateWeights ? 1 : 0)

        // Cost model (bytes), fitted to the peak RSS of every step on the scale ladder and circuits/ (bench/results/
        // 2026-12-04-memory-estimates.md has the table: within 1.15× of every measured compile, setup and prove
        // peak). n rows; a scalar is 32 bytes.
        // - process: the binary and runtime, ~17 MB whatever the model (zkverify ~15 MB).
        // - circuit: the fixed columns' values (n scalars each), built by every step but verify.
        // - relation tiling: every entry outside a structured convolution goes through `RelationTiling` (its
        //   per-slot-pair lists, the candidate covers of the split search, the blocks): ~140 bytes per entry at
        //   compile's peak. A structured convolution's weights are counted once, as parameters.
        // - parameters: the ONNX tensors, their reals and integers, the weight blocks: ~28 bytes each.
        // - activations: each computed element's source, equation and receiver (and the trace): ~120 bytes.
        // - proving key: the fixed columns as coefficients and on the 4n coset (4n scalars each; the n values are
        //   the circuit's), the relation's blocks (≈16 bytes per entry) and the window tables; setup also holds
        //   the whole encoded file before writing it.
        // - SRS: n affine points (64 bytes); setup reads 2n with private weights.
        // - prover columns: every committed or interpolated column (advice, the batched logUp columns, challenge, instance)
        //   as values, coefficients, extended evaluations and the opening's copies (≈8n scalars), the quotient's
        //   numerator and chunks (8n scalars). The prover rebuilds the model with the key's split (no search):
        //   ~70% of compile's model terms.
        let n = 1 << log2Rows
        let process = 17 << 20
        let tiled = max(0, totalEntries - structuredTotal)
        let circuitBytes = 32 * n * fixedColumns
        let relationBytes = 140 * tiled, parameterBytes = 28 * parameters, activationBytes = 120 * activations
        let pkExtended = 32 * 4 * n * fixedColumns
        // The window tables of the SRS points (proving key format 4): all n powers, and the Lagrange points up to
        // the power of two at or above the lane rows (`ProvingKey.lagrangeTableCount` reads the selectors).
        var lagrangeRows = 1
        while lagrangeRows < layout.laneRows + 1 { lagrangeRows <<= 1 }
        let tableBytes = [n, min(n, lagrangeRows)].reduce(0) { sum, rows in
            sum + (FixedBaseTable.keyWindow(count: rows).map { 64 * rows * FixedBaseTable.windows(window: $0) } ?? 0)
        }
        let pk = 32 * fixedColumns * 5 * n + 16 * totalEntries + tableBytes
        let columns = adviceColumns + lookupColumns + challengeColumns + instanceColumns
        estimatedProvingKeyBytes = pk
        let processTerm = (name: "process", bytes: process)
        let model: [(name: String, bytes: Int)] = [
            (name: "relation tiling (\(tiled) entries outside structured convolutions)", bytes: relationBytes),
            (name: "activations (\(activations) elements)", bytes: activationBytes),
            (name: "parameters (\(parameters))", bytes: parameterBytes),
            (name: "circuit (fixed columns)", bytes: circuitBytes),
        ]
        let rebuilt = (name: "model rebuilt (relation, activations, parameters)",
                       bytes: (relationBytes + activationBytes + parameterBytes) * 7 / 10)
        memory = [
            MemoryStep(step: "compile", terms: model + [processTerm]),
            MemoryStep(step: "setup", terms: model + [(name: "proving key (fixed columns extended)", bytes: pkExtended),
                                                      (name: "window tables", bytes: tableBytes),
                                                      (name: "proving key file (encoded)", bytes: pk),
                                                      (name: "SRS", bytes: 64 << srsLog2Size), processTerm]),
            MemoryStep(step: "prove", terms: [rebuilt, (name: "circuit (fixed columns)", bytes: circuitBytes),
                                              (name: "proving key", bytes: pkExtended + 16 * totalEntries + tableBytes),
                                              (name: "SRS", bytes: 64 * n),
                                              (name: "columns (values, coefficients, extended)", bytes: 32 * n * 8 * columns),
                                              (name: "quotient", bytes: 32 * n * 8), processTerm]),
            MemoryStep(step: "verify", terms: [(name: "verifying key and proof", bytes: 64 * (fixedColumns + columns) + 4 * proofBytes),
                                               (name: "process", bytes: 15 << 20)]),
        ]
    }

    /// Non-zero entries the verifier folds for a node: weights (quantized, as the key stores them), equation
    /// constants (bias plus the rounding offset) and the −1 of each received equation. Counted from shapes and
    /// weights in O(parameters + outputs·operands); exact unless a layer reads one element twice through
    /// wiring (then the circuit merges the two weights into one entry).
    /// `structured`: whether the layout emits a convolution as structured terms (nil: guessed from its shapes).
    static func foldEntries(node: Node, graph: ModelGraph, layer: Int, plan: CircuitPlan, structured: Bool? = nil) -> Int {
        guard case .lanes(let g) = plan.layers[layer].role, plan.groups[g].receives else { return 0 }
        if case .convolution(let op) = node.operation {
            return op.foldEntries(node, graph: graph, plan: plan, structured: structured)
        }
        if case .linear(let op) = node.operation, structured == true {
            // A linear layer over tokens as structured terms (compiler 10): each weight once, a bias entry per output
            // channel, the outputs' receivers.
            let w = plan.settings.parameterScale
            return op.weight.values.reduce(0) { $0 + (FoldCount.nonZero($1, w) ? 1 : 0) } + op.outputs
                + graph.values[node.output].elementCount
        }
        return node.operation.lowering.foldEntries(node, graph: graph, plan: plan, group: g)
    }
}
