import ConstraintSystem
import ModelGraph
import Quantization

/// Where every lane sits: rows and lane slots, and the column counts that follow.
///
/// Each row carries lanes of one kind only. With `lanesPerRow` = W, the circuit has K = W·(most limb cells of
/// any kind) range-checked columns and W·(most free cells) free columns, or exactly the given `LaneColumns`
/// (compiler 8: the automatic choice also tries widths between those multiples); a kind with fewer cells fits
/// more lanes in a row. Groups are placed in graph order, each starting on a fresh row, so the layout depends only
/// on the plan (deterministic). Row R (after the last lane row) closes the running sum; the 256-row range
/// table lives in a fixed column beside the lanes, so the circuit needs max(R + 1, 256) usable rows.
///
/// Range checks are either *per column* (one logUp argument on each limb column, on the lane rows) or
/// *stacked*: every limb cell of the lane rows is copied, one per row, into a few `stack` columns that alone
/// are looked up, and each copy is an equation of the fold (limb − stack cell = 0, its own power of ρ). The
/// range table forces at least 256 rows anyway, so a small model's few lane rows leave most rows empty:
/// stacking turns seven lookup arguments (each a committed multiplicity and running sum) into one or two.
public struct CircuitLayout: Sendable {
    /// Most limb and free columns a layout may have (ordinary models use tens): past it a gadget reads so many
    /// elements per lane that building the circuit would exhaust the machine long before proving.
    public static let maxAdviceColumns = 1 << 16

    public struct Placement: Hashable, Sendable {
        public let row: Int
        public let slot: Int
    }

    public let lanesPerRow: Int
    public let limbColumns: Int
    public let freeColumns: Int
    /// Lanes per row of each kind (in `kinds` order).
    public let kinds: [LaneKind]
    public let lanesOfKind: [Int]
    /// Lanes per row of each group's kind (the witness builder asks per lane; a kind's equality is not cheap).
    public let lanesOfGroup: [Int]
    /// First row and row count of each group.
    public let groupRows: [(start: Int, count: Int)]
    /// Rows carrying lanes (R); row R closes the running sum.
    public let laneRows: Int
    public let log2Rows: Int
    /// Most lanes in any row and most received equations per lane (challenge columns follow from them).
    public let maxLanes: Int
    public let maxPorts: Int
    /// Most produced values per lane (1 + a kind's extra values).
    public let maxProduced: Int

    /// Rows of the range table: 2^(plan's limb bits).
    public let rangeTableRows: Int
    /// Function tables (tags 1, 2, … in this order) stacked in the `fn_*` fixed columns, and their total rows.
    public let functionTables: [LookupTable]
    public let functionTableRows: Int
    /// Function-table lookup arguments of each kind: one per lane slot of a kind with a table, else 0.
    public let tableLookupsOfKind: [Int]

    /// Columns holding the stacked limb copies (0: range checks per limb column) and rows used in each.
    public let stackColumns: Int
    public let stackLength: Int
    /// Limb cells copied into the stack: every limb column on every lane row (padding included).
    public var stackedCells: Int { stackColumns == 0 ? 0 : laneRows * limbColumns }
    /// Where stacked cell i = row·limbColumns + column lives.
    public func stackPlace(_ i: Int) -> (column: Int, row: Int) { (i / stackLength, i % stackLength) }
    /// The row where the relation's running sums close (after the lanes, the zero receivers and the public values).
    public var closeRow: Int { runRows }

    /// `columns` (nil: `lanesPerRow` × the widest gadget's limb and free cells) must hold the widest gadget's
    /// cells; `lanesPerRow` then only names the layout (the widest gadget's lanes per row).
    public init(plan: CircuitPlan, lanesPerRow: Int, columns: LaneColumns? = nil, log2Rows requested: Int? = nil,
                stacked: Bool = false) throws {
        guard lanesPerRow >= 1 else { throw CompilerError.invalidOptions("lanes per row must be at least 1") }
        let kinds = plan.kinds
        let maxLimbs = kinds.map(\.gadget.limbCells).max() ?? 1
        let maxFree = kinds.map(\.gadget.freeCells).max() ?? 0
        let limbColumns: Int, freeColumns: Int
        if let columns {
            guard columns.limbs >= maxLimbs, columns.free >= maxFree else {
                throw CompilerError.invalidOptions(
                    "\(columns.limbs) limb and \(columns.free) free lane columns; the widest gadget needs \(maxLimbs) and \(maxFree)")
            }
            guard columns.limbs <= Self.maxAdviceColumns, columns.free <= Self.maxAdviceColumns - columns.limbs else {
                throw CompilerError.tooWide(columnsNeeded: columns.limbs > Self.maxAdviceColumns ? columns.limbs : columns.limbs + columns.free)
            }
            (limbColumns, freeColumns) = (columns.limbs, columns.free)
            self.lanesPerRow = max(1, min(maxLimbs > 0 ? columns.limbs / maxLimbs : 1, maxFree > 0 ? columns.free / maxFree : Int.max))
        } else {
            // Checked before anything is laid out: a window of 65536 positions would ask for millions of columns.
            let (columns, overflow) = lanesPerRow.multipliedReportingOverflow(by: maxLimbs + maxFree)
            guard !overflow, columns <= Self.maxAdviceColumns else { throw CompilerError.tooWide(columnsNeeded: overflow ? Int.max : columns) }
            (limbColumns, freeColumns) = (lanesPerRow * maxLimbs, lanesPerRow * maxFree)
            self.lanesPerRow = lanesPerRow
        }
        self.limbColumns = limbColumns
        self.freeColumns = freeColumns
        self.kinds = kinds
        let natural = kinds.map { kind -> Int in
            let g = kind.gadget
            var lanes = limbColumns / max(g.limbCells, 1)
            if g.freeCells > 0 { lanes = min(lanes, freeColumns / g.freeCells) }
            return max(lanes, 1)
        }
        // A MatMul stream lane is one free cell: left alone it would fill every free column of a row and widen every
        // lane slot's produced and received cells. It takes as many lanes per row as the widest other kind.
        let otherLanes = zip(kinds, natural).filter { if case .matMulStream = $0.0 { return false } else { return true } }.map(\.1).max() ?? 1
        let lanesOfKind = zip(kinds, natural).map { kind, lanes -> Int in
            if case .matMulStream = kind { return min(lanes, otherLanes) }
            return lanes
        }
        self.lanesOfKind = lanesOfKind
        matMulShape = MatMulCheckLayout.Shape(plan: plan)
        // Convolutions and the groups they read and write in channel-last bands (§19.3; public inputs are
        // checked against the column length below).
        let (bands, convolutions) = Self.convolutionBands(
            plan: plan, lanes: { kind in lanesOfKind[kinds.firstIndex(of: kind)!] }, publicColumnLength: Int.max)
        self.bands = bands
        var row = 0
        var groupRows: [(start: Int, count: Int)] = []
        lanesOfGroup = plan.groups.map { lanesOfKind[kinds.firstIndex(of: $0.kind)!] }
        for (g, group) in plan.groups.enumerated() {
            let lanes = lanesOfGroup[g]
            let rows = bands[g]?.rowsPerBand ?? (group.count + lanes - 1) / lanes
            groupRows.append((row, rows))
            row += rows
        }
        maxLanes = lanesOfKind.max() ?? 1
        maxPorts = kinds.map(\.gadget.receivedCount).max() ?? 1
        maxProduced = 1 + (kinds.map(\.gadget.extraProducedCount).max() ?? 0)
        // Lane slot t carries the produced values and ports of the kinds with more than t lanes per row only: Softmax's
        // five produced values and three ports sit in its one slot, not in every slot of the narrow kinds.
        let slotCounts = (0..<maxLanes).map { t -> (produced: Int, ports: Int) in
            let present = zip(kinds, lanesOfKind).filter { $0.1 > t }.map(\.0.gadget)
            return (1 + (present.map(\.extraProducedCount).max() ?? 0), max(t == 0 ? 1 : 0, present.map(\.receivedCount).max() ?? 0))
        }
        producedOfSlot = slotCounts.map(\.produced)
        portsOfSlot = slotCounts.map(\.ports)
        producerBase = (0..<maxProduced).reduce(into: [Int]()) { bases, v in
            bases.append((bases.last ?? 0) + (v == 0 ? 0 : slotCounts.filter { $0.produced > v - 1 }.count))
        }
        receiverBase = (0..<max(maxPorts, 1)).reduce(into: [Int]()) { bases, port in
            bases.append((bases.last ?? 0) + (port == 0 ? 0 : slotCounts.filter { $0.ports > port - 1 }.count))
        }
        functionTables = plan.functionTables
        functionTableRows = functionTables.reduce(0) { $0 + $1.values.count }
        tableLookupsOfKind = zip(kinds, lanesOfKind).map { kind, lanes in kind.gadget.functionTable == nil ? 0 : lanes }
        rangeTableRows = plan.rangeTableRows
        guard stacked == false else {
            throw CompilerError.invalidOptions(
                "stacked range checks are not available: the committed linear relation (docs/protocol.md §19) carries "
                    + "the model's equations, and limb copies are not among them; use --range-checks columns")
        }
        // Receivers that no lane holds (output ties, Softmax's Σb − 1): cells after the lanes, forced to 0 by
        // the relation.
        let zeroReceivers = Self.unreceivedEquations(plan)
        let receiverSlots = portsOfSlot.reduce(0, +)
        let zeroRows = (zeroReceivers + receiverSlots - 1) / receiverSlots
        let publicCount = plan.publicInputCount + plan.publicOutputCount
        let needed = max(row + zeroRows + 1, rangeTableRows, functionTableRows, 2)
        guard needed <= (1 << Circuit.supportedLog2Rows.upperBound) - Circuit.reservedRows else {
            throw CompilerError.tooLarge(rowsNeeded: needed)
        }
        let minimum = Circuit.minimumLog2Rows(forRows: needed)
        if let requested {
            guard requested >= minimum, Circuit.supportedLog2Rows.contains(requested) else {
                throw CompilerError.invalidOptions("2^\(requested) rows requested; the circuit needs at least 2^\(minimum)")
            }
            log2Rows = requested
        } else {
            log2Rows = minimum
        }
        // Public values fill instance columns of at most u − 1 rows each (an instance column holds its values on
        // rows 0…ℓ−1; the relation's close row must follow them), so many inputs never make the circuit taller.
        // Each instance column is one producer slot of the relation.
        let usable = (1 << log2Rows) - Circuit.reservedRows
        publicColumnLength = min(usable - 1, max(publicCount, 1))
        publicColumns = (publicCount + publicColumnLength - 1) / publicColumnLength
        let length = publicColumnLength
        structuredConvolutions = convolutions.filter { conv in
            guard case .publicValues(let first) = conv.input else { return true }
            let node = plan.graph.nodes[conv.node]
            return first / length == (first + plan.graph.values[node.inputs[0]].elementCount - 1) / length
        }
        self.groupRows = groupRows
        laneRows = row
        zeroReceiverCount = zeroReceivers
        zeroReceiverRows = zeroRows
        // The constant 1 (biases, rounding offsets): a fixed cell in the last public column's slot just past its
        // values, or a slot of its own when that column is full.
        let lastLength = publicCount - (publicColumns - 1) * publicColumnLength
        if lastLength < publicColumnLength {
            constantSlotIsOwn = false
            constantRow = lastLength
        } else {
            constantSlotIsOwn = true
            constantRow = 0
        }
        stackColumns = 0
        stackLength = 0
    }

    /// Equations no lane receives: one output tie per public output, one Σb − 1 per Softmax row.
    static func unreceivedEquations(_ plan: CircuitPlan) -> Int {
        var count = plan.publicOutputCount
        for group in plan.groups where group.receives {
            if case .softmax(let g) = group.kind { count += group.count / g.rowLength }
        }
        return count
    }

    /// The MatMul checks' extra columns (none without a MatMul of two activations).
    public let matMulShape: MatMulCheckLayout.Shape

    /// Receivers held by no lane, on rows `laneRows ..< laneRows + zeroReceiverRows`.
    public let zeroReceiverCount: Int
    public let zeroReceiverRows: Int
    /// Where the constant-1 producer sits (docs: CompiledCircuit).
    public let constantRow: Int
    public let constantSlotIsOwn: Bool

    // MARK: The committed linear relation's slots (docs/protocol.md §19.3)

    /// Produced values and received ports of each lane slot t (compiler 7): the most of any kind with more than t
    /// lanes per row, so a wide kind's extra values do not widen every slot.
    public let producedOfSlot: [Int]
    public let portsOfSlot: [Int]
    /// First producer (receiver) slot of value v (port p): slots are numbered value-major, so value v of lane slot t
    /// is slot `producerBase[v] + t` (the slots holding value v are a prefix of the lane slots), and value 0 (port
    /// 0) of consecutive lane slots are consecutive slots — the stride a convolution's band box steps by.
    let producerBase: [Int]
    let receiverBase: [Int]
    public func producerSlot(lane t: Int, value v: Int) -> Int { producerBase[v] + t }
    public func receiverSlot(lane t: Int, port p: Int) -> Int { receiverBase[p] + t }
    /// Producer slots of the lane slots' produced cells (Σ producedOfSlot) and receiver slots (Σ portsOfSlot).
    public var laneProducerSlots: Int { producedOfSlot.reduce(0, +) }
    /// Producer slots V: the lane slots' produced cells, one per public column, and maybe the constant's own.
    public var producerSlots: Int { laneProducerSlots + publicColumns + (constantSlotIsOwn ? 1 : 0) }
    /// Receiver slots R: the lane slots' ports.
    public var receiverSlots: Int { portsOfSlot.reduce(0, +) }
    /// Rows of the relation's run (from row 0); its close row is `runRows`.
    public var runRows: Int { max(laneRows + zeroReceiverRows, publicColumnLength, constantRow + 1, 1) }

    /// Instance columns holding the public values, and the length of each (the last may hold fewer values).
    public let publicColumns: Int
    public let publicColumnLength: Int

    public func lanes(of kind: LaneKind) -> Int { lanesOfKind[kinds.firstIndex(of: kind)!] }

    /// Lane `index` of a group (0 ..< rows·lanes: the group's lanes, then its padding lanes). A banded group's
    /// lanes follow its bands (`GroupBand`); its padding lanes fill the bands' holes, then the slots past the bands, row by row.
    public func placement(group: Int, index: Int) -> Placement {
        let lanes = lanesOfGroup[group]
        if let band = bands[group] {
            let count = band.channels * band.extentA * band.extentB
            if index < count {
                let (row, slot) = band.place(index)
                return Placement(row: groupRows[group].start + row, slot: slot)
            }
            let j = index - count
            if j < band.holes {
                let (row, slot) = band.hole(j)
                return Placement(row: groupRows[group].start + row, slot: slot)
            }
            let extra = lanes - band.bands, e = j - band.holes
            return Placement(row: groupRows[group].start + e / extra, slot: band.bands + e % extra)
        }
        return Placement(row: groupRows[group].start + index / lanes, slot: index % lanes)
    }

    /// Channel-last bands of each group (nil: lanes row by row) and the convolutions emitted as structured
    /// terms (docs/protocol.md §19.9).
    public let bands: [GroupBand?]
    public let structuredConvolutions: [StructuredConvolution]

    // MARK: Shape of the resulting circuit (also what `zkinfer stats` reports without building it)

    public var isStacked: Bool { stackColumns > 0 }
    /// Rows after the lanes where only the stack's copies enter the running sum (their own gate, `sum-stack`).
    public var stackOnlyRows: Range<Int> { laneRows..<closeRow }

    /// Advice columns: limbs, free cells, the produced and received cells of the lane slots, and the relation's
    /// fold vector (one per producer slot), Pρ, S, Ps and T.
    public var adviceColumns: Int {
        limbColumns + freeColumns + laneProducerSlots + receiverSlots + producerSlots + 4 + matMulShape.adviceColumns
    }
    /// Fixed columns: the range table, the range selector, the constant-1 cell, one selector per kind,
    /// (tag, index, value, delta) when there are function tables, and the relation's three selectors.
    public var fixedColumns: Int { 3 + kinds.count + (functionTables.isEmpty ? 0 : 4) + 3 + matMulShape.selectors }
    /// One logUp argument per limb column (or per stack column), and one per lane slot of each kind with a
    /// function table.
    public var lookupArguments: Int { (isStacked ? stackColumns : limbColumns) + tableLookupsOfKind.reduce(0, +) }
    /// Committed logUp columns after §9's batching: one multiplicity per table (range, function tables) and
    /// the running sums the range lookups (inputs of degree 1) and the function-table lookups pack into.
    public var lookupColumns: (multiplicities: Int, sums: Int) {
        let range = isStacked ? stackColumns : limbColumns
        let functions = tableLookupsOfKind.reduce(0, +)
        let d = quotientDegree
        return ((range > 0 ? 1 : 0) + (functions > 0 ? 1 : 0),
                LookupSum.count(lookups: range, inputDegree: 1, quotientDegree: d)
                    + LookupSum.count(lookups: functions, inputDegree: functionInputDegree, quotientDegree: d))
    }

    /// The largest input degree of a function-table lookup (1 without function tables).
    var functionInputDegree: Int {
        var degree = 1
        for kind in kinds where kind.gadget.functionTable != nil {
            let g = kind.gadget
            let cells = LaneCells(limbs: (0..<g.limbCells).map { AdviceColumn(index: $0).cur },
                                  free: (0..<g.freeCells).map { AdviceColumn(index: g.limbCells + $0).cur })
            degree = max(degree, g.tableInputs(cells).map(\.degree).max() ?? 1)
        }
        return degree
    }
    /// No challenge columns: the relation's fold vector is committed advice (docs/protocol.md §19.4).
    public var challengeColumns: Int { 0 }
    /// The quotient's degree D as the circuit will choose it (`LookupSum.quotientDegree`) from d₀ and the lookups:
    /// the range lookups (inputs of degree 1) in one table, the function-table lookups in another.
    public var quotientDegree: Int {
        let range = isStacked ? stackColumns : limbColumns
        let functions = tableLookupsOfKind.reduce(0, +)
        let tables = [[Int](repeating: 1, count: range), [Int](repeating: functionInputDegree, count: functions)]
        return LookupSum.quotientDegree(constraintDegree: constraintDegree, tables: tables.filter { !$0.isEmpty }, permutationColumns: 0)
    }

    /// d₀: the largest gate or lookup degree (a range lookup on a cell is 4; a kind's own constraints, e.g.
    /// selector·s₁·s₂·f in a table lane; the relation's gates are 3).
    var constraintDegree: Int {
        var degree = 4
        for kind in kinds {
            let g = kind.gadget
            let cells = LaneCells(limbs: (0..<g.limbCells).map { AdviceColumn(index: $0).cur },
                                  free: (0..<g.freeCells).map { AdviceColumn(index: g.limbCells + $0).cur })
            let own = (g.constraints(cells) + g.received(cells) + g.allProduced(cells)).map(\.degree).max() ?? 0
            degree = max(degree, 1 + own)
            if g.functionTable != nil { degree = max(degree, 3 + (g.tableInputs(cells).map(\.degree).max() ?? 1)) }
        }
        return degree
    }

    /// Proof body bytes by docs/protocol.md §14 (no copies: P = 0; Pρ, S, Ps and T are read at the next row),
    /// plus the relation's v_com and Gemini opening (32·(3ℓ + 3), ℓ = log2 rows before the relation is lowered:
    /// `proofBytes(openingVariables:)` with the relation's own ℓ is exact).
    public var proofBytes: Int { proofBytes(openingVariables: log2Rows) }

    public func proofBytes(openingVariables ell: Int) -> Int {
        let streamLanes = kinds.firstIndex { if case .matMulStream = $0 { return true } else { return false } }.map { lanesOfKind[$0] } ?? 0
        let a = adviceColumns, aNext = 4 + matMulShape.nextQueries(streamLanes: streamLanes), f = fixedColumns, d = quotientDegree
        let (m, s) = lookupColumns
        return 32 * (2 * a + aNext + f + 2 * m + 3 * s + d + 1) + 32 * (3 * ell + 3)
    }

    public var rowCount: Int { 1 << log2Rows }

    /// The plan and layout for `options`; what options leave open (limb width, lanes per row, range-check
    /// layout) is chosen by the layout's cost model.
    public static func choose(graph: ModelGraph, settings: QuantizationSettings, options: CompileOptions) throws
        -> (CircuitPlan, CircuitLayout)
    {
        var best: (plan: CircuitPlan, layout: CircuitLayout)?
        var lastError: Error?
        var previous: CircuitLayout?
        for bits in options.limbBits.map({ [$0] }) ?? CompileOptions.limbBitChoices {
            // Limbs narrower than 7 bits only pay when the range table sets the circuit's height: they shrink the
            // table (2^6 rows: mlp_tiny, cnn_small, mlp_batch4) but add limb columns, so they are tried only while
            // the wider choice's height was the table's (keeps compiling large models at two plans).
            if options.limbBits == nil, bits < 7, let previous,
               Circuit.minimumLog2Rows(forRows: previous.rangeTableRows) < previous.log2Rows { break }
            let plan = try CircuitPlan(graph: graph, settings: settings, options: options, limbBits: bits)
            var layout: CircuitLayout
            do {
                let lanes = options.lanesPerRow.map { [$0] } ?? Array(CompileOptions.laneChoices)
                // Widths between the multiples of the widest gadget only when nothing was asked for.
                let columns = options.laneColumns.map { [$0] } ?? (options.lanesPerRow == nil ? widthCandidates(plan) : [])
                layout = try automatic(plan: plan, log2Rows: options.log2Rows, lanes: options.laneColumns == nil ? lanes : [],
                                       columns: columns, stacked: options.stackRangeChecks)
                // Blocks of the committed relation hold 2^(log2 rows) entries at most: a model with many weights
                // gets a taller circuit rather than a key of thousands of block commitments (docs/protocol.md
                // §19.9: at most ~maxBlockTarget blocks, so the key stays within tens of KiB).
                let wanted = minimumLog2Rows(forEntries: relationEntries(plan, structured: Set(layout.structuredConvolutions.map(\.node))))
                if options.log2Rows == nil, wanted > layout.log2Rows, Circuit.supportedLog2Rows.contains(wanted) {
                    layout = try automatic(plan: plan, log2Rows: wanted, lanes: options.laneColumns == nil ? lanes : [],
                                           columns: columns, stacked: options.stackRangeChecks)
                }
            } catch {
                lastError = error
                continue
            }
            previous = layout
            // Ties keep the first (8-bit) choice.
            if best == nil || isBetter(layout, than: best!.layout) { best = (plan, layout) }
        }
        guard let best else { throw lastError ?? CompilerError.invalidOptions("no layout fits") }
        return best
    }

    /// Blocks the automatic choice aims at: past it the circuit grows instead (each block costs the key ~34 bytes and
    /// the verifier one MSM term). 512 rather than 256: a weight-heavy MLP then keeps the height its lanes need and
    /// proves 24–27 % faster for a key of 19–27 KB (mlp_mnist, the scale ladder's MLPs; protocol.md §19.9).
    public static let maxBlockTarget = 512

    /// The smallest log2 rows whose blocks hold `entries` entries in about `maxBlockTarget` blocks.
    static func minimumLog2Rows(forEntries entries: Int) -> Int {
        var k = 1
        while (1 << k) * maxBlockTarget < entries { k += 1 }
        return k
    }

    /// Non-zero entries of the model's equations (weights, constants, received −1s), from the plan alone.
    /// `structured`: the nodes the layout emits as structured terms (their weights count once).
    static func relationEntries(_ plan: CircuitPlan, structured: Set<Int>? = nil) -> Int {
        plan.layers.indices.reduce(0) { total, index in
            total + (plan.layers[index].nodeIndex.map { node in
                ModelStatistics.foldEntries(node: plan.graph.nodes[node], graph: plan.graph, layer: index, plan: plan,
                                            structured: structured.flatMap { set in set.contains(node) ? true : nil })
            } ?? 0)
        }
    }

    /// The automatic choice's order: a proof within `proofByteBudget` first, then the lower cost; when neither fits,
    /// the smaller proof (nanogpt_block: 2 lanes per row halve the rows but double the body, 16,960 → 31,360 bytes,
    /// for ~7% less prover CPU; bench/results/2026-12-04-layout-utilisation.md).
    public static func isBetter(_ a: CircuitLayout, than b: CircuitLayout, proofByteBudget: Int = 16384) -> Bool {
        let aFits = a.proofBytes <= proofByteBudget, bFits = b.proofBytes <= proofByteBudget
        if aFits != bFits { return aFits }
        if !aFits, a.proofBytes != b.proofBytes { return a.proofBytes < b.proofBytes }
        return cost(a) < cost(b)
    }

    /// (committed columns + fixed and instance columns + half the challenge columns) × (rows + `perColumnRows`)
    /// + committed columns × half the relation's run of rows: what the automatic choice minimises. The run term is
    /// where committed columns hold values (limbs, the relation's full-width columns); the rest of a column is
    /// zeros, which the NTTs pay for but the MSMs do not (zoo/autoencoder: 8-bit limbs on 177 lane rows prove
    /// faster than 6-bit ones on 289, both 2^9 rows). Committed columns (advice, each table's multiplicity and
    /// each batched running sum, §9) are the prover's MSM and NTT work; fixed and instance columns are read on
    /// the quotient's extended domain and held by the proving
    /// key (≈ 32·5n bytes each), so at equal committed area the shorter circuit is cheaper (LeNet-5: 2 lanes per
    /// row at 2^12 rows prove ~13% faster than 1 lane at 2^13 with the same committed area;
    /// bench/results/2026-12-04-layout-utilisation.md).
    public static func cost(_ layout: CircuitLayout) -> Double {
        let (m, s) = layout.lookupColumns
        let committed = Double(layout.adviceColumns + m + s)
        let read = Double(layout.fixedColumns + layout.publicColumns)
        let columns = committed + read + Double(layout.challengeColumns) / 2
        return columns * (Double(layout.rowCount) + perColumnRows) + committed * Double(layout.runRows) / 2
    }

    /// A column's fixed cost (its opening, evaluations, transcript items and the per-call overhead of its NTTs
    /// and MSM) in rows: what makes a 2^6-row layout with 74 advice columns slower than a 2^7-row one with 36
    /// (zoo/mlp_batch4: 68.3 vs 64.8 ms prover CPU) and conv1d_forecaster's 2^7 rows with 106 columns no faster
    /// than 2^8 with 53 (bench/results/2026-12-05-small-limbs.md).
    static let perColumnRows = 32.0

    /// The best layout of `plan` over the given lane widths and range-check layouts (both unless `stacked` is
    /// given) by `isBetter`: the cost tracks the prover's MSM and NTT work.
    /// `columns`: further widths to try after the lanes-per-row multiples (ties keep the earlier layout).
    public static func automatic(
        plan: CircuitPlan, log2Rows: Int? = nil, lanes: [Int] = Array(CompileOptions.laneChoices), columns: [LaneColumns] = [],
        stacked: Bool? = nil
    ) throws -> CircuitLayout {
        var best: CircuitLayout?
        var lastError: Error?
        let widths = lanes.map { ($0, LaneColumns?.none) } + columns.map { (1, Optional($0)) }
        for (width, exact) in widths {
            for stack in stacked.map({ [$0] }) ?? [false] {
                do {
                    let layout = try CircuitLayout(plan: plan, lanesPerRow: width, columns: exact, log2Rows: log2Rows, stacked: stack)
                    if best == nil || isBetter(layout, than: best!) { best = layout }
                } catch {
                    lastError = error
                }
            }
        }
        guard let best else { throw lastError ?? CompilerError.invalidOptions("no layout fits") }
        return best
    }

    /// Widths between the multiples of the widest gadget that the automatic choice also tries: for each kind with
    /// limbs, n·(its limb cells) limb columns (n ≤ 16, within 1…16 widest lanes: the widths where that kind gains a
    /// lane), with the free columns every kind's lanes of that width need (never fewer than the widest gadget's).
    /// A MatMul stream lane (free cells only) takes what is left, as in `init`.
    static func widthCandidates(_ plan: CircuitPlan) -> [LaneColumns] {
        let gadgets = plan.kinds.map(\.gadget)
        let maxLimbs = gadgets.map(\.limbCells).max() ?? 0, maxFree = gadgets.map(\.freeCells).max() ?? 0
        guard maxLimbs > 0 else { return [] }
        var limbWidths = Set<Int>()
        for g in gadgets where g.limbCells > 0 {
            for n in 1...16 where n * g.limbCells >= maxLimbs && n * g.limbCells <= 16 * maxLimbs { limbWidths.insert(n * g.limbCells) }
        }
        return limbWidths.sorted().compactMap { limbs in
            let free = gadgets.filter { $0.limbCells > 0 }.map { (limbs / $0.limbCells) * $0.freeCells }.max() ?? 0
            let columns = LaneColumns(limbs: limbs, free: max(free, maxFree))
            // The multiples themselves are the lanes-per-row layouts.
            return limbs % maxLimbs == 0 && columns.free == (limbs / maxLimbs) * maxFree ? nil : columns
        }
    }
}