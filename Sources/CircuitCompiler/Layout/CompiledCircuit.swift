import ConstraintSystem
import FieldArithmetic
import ModelGraph
import Quantization

/// A model compiled to a circuit: the plan, the lane layout, the equations and the `Circuit` itself, with
/// the handles the witness builder and the tests need.
///
/// The model's linear part — every equation of `LinearSystem`: the layers' weights, biases and rounding
/// offsets, the links between gadgets and the ties of outputs to public values — is the circuit's committed
/// linear relation `recv = W·x` (docs/protocol.md §19): the verifying key holds commitments to W's blocks,
/// never the weights, so its size does not grow with the parameter count.
///
/// Columns (docs: Sources/CircuitCompiler/README.md):
/// - advice, phase 1: `limb0…` (each looked up in the 2^L-row range table), `free0…`, and per lane slot t the
///   produced cells `prod<t>.<v>` and the received cells `recv<t>.<p>`, which each kind's gate pins to its
///   produced and received expressions (so the relation reads plain cells: no degree beyond 3);
/// - the relation's columns (`CommittedRelationLayout`, name `clr`): fold vector `clr_u<l>`, Pρ, S (phase 2),
///   Ps, T (phase 3);
/// - fixed `table8`/`table7`, `q_range`, `one` (the constant-1 producer), one selector per gadget kind, the
///   function tables, the relation's three selectors;
/// - instance `public0…`: the model inputs (unless private) then the outputs, u − 1 values per column, each
///   bounded to the activation bits B (checked by the verifier before any algebra).
///
/// Relation indices (§19.3, run from row 0, V producer and R receiver slots per row): producer slot t·Q + v is
/// produced value v of lane slot t, slot T·Q + c the public column c (the constant 1 sits in the last public
/// column's slot just past its values, or in a slot of its own); receiver slot t·P + p is port p of lane slot t.
/// Equations no lane receives (output ties, Softmax's Σb − 1) have receivers on the rows after the lanes, whose
/// cells no gate touches: the relation itself forces them to 0. W is cut into M × N tiles per (receiver slot,
/// producer slot) pair — channel strides R′ = R and V′ = V, so a tile is consecutive rows of one slot — and each
/// non-empty tile is a committed block.
public struct CompiledCircuit: Sendable {
    public let plan: CircuitPlan
    public let layout: CircuitLayout
    public let system: LinearSystem
    public let circuit: Circuit

    public let limbs: [AdviceColumn]
    public let free: [AdviceColumn]
    /// Produced cells (slot t·Q + v) and received cells (slot t·P + p) of the lane slots.
    public let producedCells: [AdviceColumn]
    public let receivedCells: [AdviceColumn]
    /// Instance columns of the public values, `layout.publicColumnLength` values each (the last: the rest).
    public let publicValues: [InstanceColumn]
    /// The relation's columns and witness.
    public let relationLayout: CommittedRelationLayout
    /// ρ (after phase 1) and s (after phase 2) of the relation.
    public let rho: Challenge
    public let s: Challenge
    /// Selector of each kind, in `layout.kinds` order.
    public let kindSelectors: [FixedColumn]
    /// The random-point checks of the MatMuls of two activations (nil without one; docs/protocol.md §20).
    public let matMulLayout: MatMulCheckLayout?

    public var relation: LinearRelation { relationLayout.relation }

    /// `relationSplit`: the relation's M × N block size when already known (a proving key holds it:
    /// `ProvingKey.relationSplit`), which skips the search over block sizes — the search covers W once per
    /// size tried, most of a rebuild's time. nil (compile, setup, verify-key) searches. A wrong hint gives another
    /// relation, which the key check (`ProvingKey.requireMatches`) refuses.
    ///
    /// `relation`: the relation when already known — a proving key's, taken by a prover whose key says it was
    /// made from the same model, settings and compiler (`CircuitFile.rebuild(for:)`): lowering W and tiling it
    /// is most of a rebuild's time. It is used only if its shape fits this layout (its challenges, sizes and
    /// strides); otherwise the relation is lowered as without it. The key check still compares the rest.
    public init(model: QuantizedModel, options: CompileOptions = CompileOptions(), relationSplit: BlockSplit? = nil,
                relation known: LinearRelation? = nil) throws {
        let (plan, layout) = try CircuitLayout.choose(graph: model.graph, settings: model.settings, options: options)
        try self.init(plan: plan, layout: layout, model: model, relationSplit: relationSplit, relation: known)
    }

    public init(plan: CircuitPlan, layout: CircuitLayout, model: QuantizedModel, relationSplit: BlockSplit? = nil,
                relation known: LinearRelation? = nil) throws {
        let system = try LinearSystem(plan: plan, model: model, structured: Set(layout.structuredConvolutions.map(\.node)))
        self.plan = plan
        self.layout = layout
        self.system = system

        var cs = ConstraintSystemBuilder()
        let limbs = (0..<layout.limbColumns).map { cs.adviceColumn("limb\($0)") }
        let free = (0..<layout.freeColumns).map { cs.adviceColumn("free\($0)") }
        // In slot order (value-major: `CircuitLayout.producerSlot`), only the values and ports each lane slot has.
        var producedCells: [AdviceColumn] = []
        var receivedCells: [AdviceColumn] = []
        for v in 0..<layout.maxProduced {
            for t in layout.producedOfSlot.indices where layout.producedOfSlot[t] > v {
                producedCells.append(cs.adviceColumn("prod\(t).\(v)"))
            }
        }
        for port in 0..<layout.maxPorts {
            for t in layout.portsOfSlot.indices where layout.portsOfSlot[t] > port {
                receivedCells.append(cs.adviceColumn("recv\(t).\(port)"))
            }
        }
        let rangeName = "range\(plan.limbBits)"
        let table = cs.fixedColumn("table\(plan.limbBits)")
        let qRange = cs.fixedColumn("q_range")
        let one = cs.fixedColumn("one")
        let kindSelectors = layout.kinds.map { cs.fixedColumn("q_" + $0.name) }
        let publicCount = plan.publicInputCount + plan.publicOutputCount
        // Every public value is a model input or output: an activation, in [−2^(B−1), 2^(B−1)) (docs/fixed-point.md
        // §3). The verifier checks that bound before any algebra (docs/protocol.md §15 step 1), which makes the
        // relation's identities over them integer identities (§16.7).
        let publicValues = (0..<layout.publicColumns).map { c in
            cs.instanceColumn("public\(c)", length: min(layout.publicColumnLength, publicCount - c * layout.publicColumnLength),
                              bits: plan.settings.activationBits)
        }
        let rho = cs.challenge("rho", afterPhase: 1)
        let s = cs.challenge("s", afterPhase: 2)

        // Range table: 0…2^L − 1 on its first rows. The zero rows below it are the value 0, itself in range.
        for v in 0..<layout.rangeTableRows { cs.setFixed(table, row: v, Int64(v)) }
        for (j, limb) in limbs.enumerated() {
            cs.addLookup(LookupArgument(name: "\(rangeName).\(j)", selector: qRange, inputs: [limb.cur], table: [table]))
        }
        cs.enable(qRange, rows: 0..<layout.laneRows)
        // Function tables, stacked: rows of table i carry tag i + 1, so the zero rows below match no lookup.
        var tableTags: [LookupTable: Int] = [:]
        var functionColumns: [FixedColumn] = []
        if !layout.functionTables.isEmpty {
            functionColumns = ["fn_tag", "fn_index", "fn_value", "fn_delta"].map { cs.fixedColumn($0) }
            var row = 0
            for (i, table) in layout.functionTables.enumerated() {
                tableTags[table] = i + 1
                for j in 0..<table.values.count {
                    cs.setFixed(functionColumns[0], row: row, Int64(i + 1))
                    cs.setFixed(functionColumns[1], row: row, table.minIndex + Int64(j))
                    cs.setFixed(functionColumns[2], row: row, table.values[j])
                    cs.setFixed(functionColumns[3], row: row, table.deltas[j])
                    row += 1
                }
            }
        }
        // Each kind: its lanes' own constraints, and the produced and received cells pinned to its expressions.
        for (k, kind) in layout.kinds.enumerated() {
            let g = kind.gadget
            var constraints: [Expression] = []
            for t in 0..<layout.lanesOfKind[k] {
                let cells = LaneCells(
                    limbs: (0..<g.limbCells).map { limbs[t * g.limbCells + $0].cur },
                    free: (0..<g.freeCells).map { free[t * g.freeCells + $0].cur })
                for (v, e) in g.allProduced(cells).enumerated() { constraints.append(producedCells[layout.producerSlot(lane: t, value: v)].cur - e) }
                for (port, e) in g.received(cells).enumerated() { constraints.append(receivedCells[layout.receiverSlot(lane: t, port: port)].cur - e) }
                constraints += g.constraints(cells)
                if let table = g.functionTable, let tag = tableTags[table] {
                    cs.addLookup(LookupArgument(name: "\(kind.name).\(t)", selector: kindSelectors[k],
                                                inputs: [Expression(Fr(UInt64(tag)))] + g.tableInputs(cells), table: functionColumns))
                }
            }
            cs.addGate(name: kind.name, selector: kindSelectors[k], constraints: constraints)
        }
        for (index, group) in plan.groups.enumerated() {
            let k = layout.kinds.firstIndex(of: group.kind)!
            let rows = layout.groupRows[index]
            cs.enable(kindSelectors[k], rows: rows.start..<(rows.start + rows.count))
        }
        cs.setFixed(one, row: layout.constantRow, Int64(1))
        matMulLayout = MatMulCheckLayout(&cs, plan: plan, layout: layout, free: free)

        // The relation: producers are the produced cells, then the public columns (the constant 1 added to the
        // last one's expression, or in its own slot); receivers the received cells.
        var producers = producedCells.map(\.cur) + publicValues.map(\.cur)
        if layout.constantSlotIsOwn {
            producers.append(one.cur)
        } else {
            producers[producers.count - 1] = producers[producers.count - 1] + one.cur
        }
        let receivers = receivedCells.map(\.cur)
        do {
            let relation: LinearRelation
            if let known, Self.fits(known.shape, layout: layout, rho: rho, s: s) {
                relation = known
            } else {
                relation = try Self.relation(plan: plan, layout: layout, system: system, model: model, rho: rho, s: s,
                                             split: relationSplit)
            }
            relationLayout = try CommittedRelationLayout(
                &cs, relation: relation, producers: producers, receivers: receivers, startRow: 0, rows: layout.runRows)
            circuit = try cs.build(log2Rows: layout.log2Rows)
        } catch let error as ConstraintSystemError {
            throw CompilerError.constraintSystem(error)
        }
        self.limbs = limbs
        self.free = free
        self.producedCells = producedCells
        self.receivedCells = receivedCells
        self.publicValues = publicValues
        self.rho = rho
        self.s = s
        self.kindSelectors = kindSelectors
    }

    /// Whether a known relation's shape is one this layout's lowering could have made (its challenges, index
    /// ranges, channel strides and blocks of 2 ≤ 2^ℓ ≤ rows entries); its blocks and terms are checked by
    /// `LinearRelation` and `CommittedRelationLayout`.
    static func fits(_ shape: LinearRelationShape, layout: CircuitLayout, rho: Challenge, s: Challenge) -> Bool {
        shape.rho == rho && shape.s == s && shape.receiverCount == layout.runRows * layout.receiverSlots
            && shape.producerCount == layout.runRows * layout.producerSlots
            && shape.receiverChannelStride == layout.receiverSlots && shape.producerChannelStride == layout.producerSlots
            && shape.log2BlockRows >= 0 && shape.log2BlockColumns >= 0
            && (1...layout.log2Rows).contains(shape.log2BlockRows + shape.log2BlockColumns)
    }

    /// The cells of a lane (for the witness builder and for tests that tamper with one).
    public func cells(group: Int, index: Int) -> (row: Int, limbs: [AdviceColumn], free: [AdviceColumn]) {
        let kind = plan.groups[group].kind
        let g = kind.gadget
        let place = layout.placement(group: group, index: index)
        return (place.row,
                (0..<g.limbCells).map { limbs[place.slot * g.limbCells + $0] },
                (0..<g.freeCells).map { free[place.slot * g.freeCells + $0] })
    }
}
