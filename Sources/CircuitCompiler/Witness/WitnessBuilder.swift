import ConstraintSystem
import DirectInference
import FieldArithmetic
import ModelGraph
import Parallelism

/// A witness cell computed apart from the assignment (lanes run concurrently; cells are written afterwards).
struct LaneCell {
    let column: AdviceColumn
    let row: Int
    let value: Fr
}

/// The witness is the `DirectInference` trace laid into the lanes, plus each gadget's auxiliaries (limbs,
/// sign bits), the lanes' produced and received cells and the committed relation's columns. Nothing is recomputed: quotients and remainders come from the trace, so
/// the proved output is `zkinfer run`'s by construction; every produced value is checked against the trace.
extension CompiledCircuit {
    /// The public values in instance order: the quantized inputs (when public) then the outputs.
    public func publicValues(trace: IntegerTrace) -> [Int64] {
        let graph = plan.graph
        var values: [Int64] = []
        if plan.options.publicInput { for id in graph.inputs { values += trace.values[id] } }
        for id in graph.outputs { values += trace.values[id] }
        return values
    }

    /// Phase 1: every lane cell, the produced and received cells, and the public values.
    public func assignment(trace: IntegerTrace) throws -> Assignment {
        let graph = plan.graph
        guard trace.values.count == graph.values.count, trace.layers.count == graph.nodes.count else {
            throw CompilerError.witnessMismatch("the trace is not of this model (or was run without tracing)")
        }
        var a = Assignment(circuit: circuit)
        do {
            for (i, value) in publicValues(trace: trace).enumerated() {
                try a.set(publicValues[i / layout.publicColumnLength], row: i % layout.publicColumnLength, value)
            }
            try a.fill(limbs + free, rows: 0..<layout.laneRows, .zero)
            try a.fill(producedCells + receivedCells, rows: 0..<layout.runRows, .zero)
            let inputs = try plan.groups.indices.map { try laneInputs(group: $0, trace: trace) }
            let gadgets = plan.groups.map(\.kind.gadget)
            let written = try laneCells { g, index, out in
                let gadget = gadgets[g]
                let (laneInputs, expected) = inputs[g]
                let values = index < plan.groups[g].count ? laneInputs(index) : gadget.paddingInputs
                if index < plan.groups[g].count, let expected, gadget.producedValue(values) != expected[index] {
                    throw CompilerError.witnessMismatch(
                        "layer '\(plan.layers[plan.groups[g].layer].name)' element \(index): gadget gives \(gadget.producedValue(values)), trace \(expected[index])")
                }
                let (limbValues, freeValues) = try gadget.fieldWitness(values)
                let (row, limbCells, freeCells) = cells(group: g, index: index)
                for (cell, v) in zip(limbCells, limbValues) { out.append(LaneCell(column: cell, row: row, value: Fr(signed: v))) }
                for (cell, v) in zip(freeCells, freeValues) { out.append(LaneCell(column: cell, row: row, value: v)) }
            }
            for cell in written { try a.set(cell.column, row: cell.row, cell.value) }
            try fillLinks(&a)
        } catch let error as ConstraintSystemError {
            throw CompilerError.constraintSystem(error)
        }
        return a
    }

    /// The produced and received cells of every lane from its limb and free cells (each kind's expressions).
    /// Also for tests that rewrite a lane's cells and keep these consistent, as a cheating prover would.
    public func fillLinks(_ a: inout Assignment) throws {
        // The kind's produced and received expressions once per group, over placeholder cells (advice column i =
        // the lane's i-th cell, limbs first), then evaluated at each lane's values: building them per lane from
        // constants was most of this pass (nanogpt_block: ~0.1 s).
        let expressions = plan.groups.map { group in
            let gadget = group.kind.gadget
            let placeholders = LaneCells(limbs: (0..<gadget.limbCells).map { AdviceColumn(index: $0).cur },
                                         free: (0..<gadget.freeCells).map { AdviceColumn(index: gadget.limbCells + $0).cur })
            return (produced: gadget.allProduced(placeholders), received: gadget.received(placeholders))
        }
        let lanes = a
        let written = try laneCells { g, index, out in
            let (row, limbCells, freeCells) = cells(group: g, index: index)
            let slot = layout.placement(group: g, index: index).slot
            let values = limbCells.map { lanes.value($0, row: row) ?? .zero } + freeCells.map { lanes.value($0, row: row) ?? .zero }
            func value(_ e: Expression) -> Fr { e.evaluate(query: { values[$0.column.index] }, challenge: { _ in .zero }) }
            for (v, e) in expressions[g].produced.enumerated() {
                out.append(LaneCell(column: producedCells[layout.producerSlot(lane: slot, value: v)], row: row, value: value(e)))
            }
            for (port, e) in expressions[g].received.enumerated() {
                out.append(LaneCell(column: receivedCells[layout.receiverSlot(lane: slot, port: port)], row: row, value: value(e)))
            }
        }
        do {
            for cell in written { try a.set(cell.column, row: cell.row, cell.value) }
        } catch let error as ConstraintSystemError {
            throw CompilerError.constraintSystem(error)
        }
    }

    /// `body(group, lane, &cells)` for every lane of every group (padding lanes included), on all threads in
    /// chunks of lanes; the cells it appends, in group and lane order, so that writing them gives the same
    /// assignment as a serial pass. The first error in that order is thrown.
    func laneCells(_ body: (Int, Int, inout [LaneCell]) throws -> Void) throws -> [LaneCell] {
        let chunk = 256
        var tasks: [(group: Int, lanes: Range<Int>)] = []
        for g in plan.groups.indices {
            let count = layout.groupRows[g].count * layout.lanesOfGroup[g]
            for start in stride(from: 0, to: count, by: chunk) { tasks.append((g, start..<min(count, start + chunk))) }
        }
        var results = [Result<[LaneCell], Error>?](repeating: nil, count: tasks.count)
        results.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(tasks: tasks.count) { t in
                out[t] = Result {
                    var cells: [LaneCell] = []
                    for index in tasks[t].lanes { try body(tasks[t].group, index, &cells) }
                    return cells
                }
            }
        }
        return try results.flatMap { try $0!.get() }
    }

    /// The trace integers of each lane of a group, and the values the lanes must produce.
    func laneInputs(group g: Int, trace: IntegerTrace) throws -> ((Int) -> [Int64], [Int64]?) {
        let graph = plan.graph
        let layer = plan.layers[plan.groups[g].layer]
        if let position = layer.inputIndex {
            let x = trace.values[graph.inputs[position]]
            return ({ [x[$0], 0] }, x)
        }
        guard let nodeIndex = layer.nodeIndex else { throw CompilerError.witnessMismatch("lane group without a layer") }
        let node = graph.nodes[nodeIndex]
        // The value the lanes produce: a fused Relu's output, else the node's own.
        let fused = plan.layers.first { if case .fused(let t) = $0.role { return t == plan.groups[g].layer } else { return false } }
        let producedID = fused.flatMap { $0.nodeIndex }.map { graph.nodes[$0].output } ?? node.output
        let expected = trace.values[producedID]
        let layerTrace = trace.layers[nodeIndex]
        let count = plan.groups[g].count
        func traced(_ arrays: [Int64]..., what: String) throws {
            guard arrays.allSatisfy({ $0.count == count }) else {
                throw CompilerError.witnessMismatch("layer \(node.label): the trace has no \(what)")
            }
        }
        let x = trace.values[node.inputs[0]]
        switch plan.groups[g].kind {
        case .rescale: break
        case .matMulStream:
            return try streamInputs(group: g, node: node, trace: trace, accumulator: layerTrace.accumulator)
        case .leakyRelu:
            try traced(layerTrace.quotient, layerTrace.remainder, what: "rescale of x·α")
            return ({ [x[$0], layerTrace.quotient[$0], layerTrace.remainder[$0]] }, expected)
        case .clip:
            return ({ [x[$0]] }, expected)
        case .step:
            if case .indexing(.cast(.bool, _)) = node.operation { return ({ [x[$0], 0] }, expected) }  // x ≠ 0 as x ∨ 0
            guard case .comparison(let op) = node.operation else { throw CompilerError.witnessMismatch("step lanes of \(node.label)") }
            return (op.stepInputs(node, graph: graph, values: trace.values, scale: plan.settings.activationScale), expected)
        case .integer:
            return (try IntegerLowering.laneInputs(node, graph: graph, settings: plan.settings,
                                                   values: trace.values), expected)
        case .argExtremum:
            let ports = Equations.ports(node, graph: graph)
            let k = plan.groups[g].kind.gadget.receivedCount
            return ({ i in [expected[i]] + (0..<k).map { x[ports(i, $0).1] } }, expected)
        case .reciprocal, .squareRoot, .exponential, .logarithm, .sine:
            return ({ [x[$0], expected[$0]] }, expected)
        case .embedding:
            // Lane i is token i / D, column i mod D: key D·id + d, value the trace's output.
            let width = Int64(node.operation.embeddingWidth ?? 1)
            return ({ i in [width * x[i / Int(width)] + Int64(i) % width, expected[i]] }, expected)
        case .maxPool:
            let ports = Equations.ports(node, graph: graph)
            let k = plan.groups[g].kind.gadget.receivedCount
            return ({ i in [expected[i]] + (0..<k).map { x[ports(i, $0).1] } }, expected)
        case .product:
            try traced(layerTrace.quotient, layerTrace.remainder, what: "rescale of the product")
            let ports = Equations.ports(node, graph: graph)
            let b = trace.values[node.inputs[1]]
            return ({ i in [x[ports(i, 0).1], b[ports(i, 1).1], layerTrace.quotient[i], layerTrace.remainder[i]] }, expected)
        case .table:
            try traced(layerTrace.quotient, layerTrace.remainder, layerTrace.tableIndex, layerTrace.interpolation,
                       layerTrace.interpolationRemainder, what: "table evaluation")
            return ({ i in
                [x[i], layerTrace.quotient[i], layerTrace.remainder[i], layerTrace.tableIndex[i], layerTrace.interpolation[i],
                 layerTrace.interpolationRemainder[i]]
            }, expected)
        case .softmax(let gadget):
            try traced(layerTrace.accumulator, layerTrace.quotient, layerTrace.remainder, layerTrace.tableIndex,
                       layerTrace.interpolation, layerTrace.interpolationRemainder, layerTrace.exponent,
                       layerTrace.divisionRemainder, what: "softmax evaluation")
            let n = gadget.rowLength
            guard layerTrace.rowMax.count * n == count, layerTrace.rowSum.count * n == count else {
                throw CompilerError.witnessMismatch("layer \(node.label): the trace has no softmax row values")
            }
            // b = 1 on the first element of each row equal to its maximum.
            var chosen = [Int64](repeating: 0, count: count)
            for row in 0..<(count / n) {
                if let j = (0..<n).first(where: { x[row * n + $0] == layerTrace.rowMax[row] }) { chosen[row * n + j] = 1 }
            }
            let t = layerTrace
            return ({ i in
                [x[i], t.rowMax[i / n], t.rowSum[i / n], t.exponent[i], expected[i], t.divisionRemainder[i], chosen[i],
                 t.accumulator[i], t.quotient[i], t.remainder[i], t.tableIndex[i], t.interpolation[i], t.interpolationRemainder[i]]
            }, expected)
        }
        guard case .rescale(let gadget) = plan.groups[g].kind else { return ({ _ in [] }, expected) }
        if node.operation == .relu {
            let x = trace.values[node.inputs[0]]
            return ({ [x[$0], 0] }, expected)
        }
        if gadget.shift == 0 {
            let y = trace.values[node.output]
            return ({ [y[$0], 0] }, expected)
        }
        guard layerTrace.shift == gadget.shift, layerTrace.quotient.count == plan.groups[g].count,
              layerTrace.remainder.count == plan.groups[g].count else {
            throw CompilerError.witnessMismatch("layer \(node.label): the trace has no rescale of \(gadget.shift) bits")
        }
        return ({ [layerTrace.quotient[$0], layerTrace.remainder[$0]] }, expected)
    }

    /// A MatMul stream group's values: its segment's elements of A or B, or C (the exact products, the accumulators
    /// `DirectInference` rescaled). Nothing is checked against them here: the phase-2 check is what binds them.
    func streamInputs(group g: Int, node: Node, trace: IntegerTrace, accumulator c: [Int64]) throws -> ((Int) -> [Int64], [Int64]?) {
        guard let check = plan.matMulChecks.first(where: { g >= $0.firstGroup && g < $0.firstGroup + $0.batches * $0.segmentsPerBatch }) else {
            throw CompilerError.witnessMismatch("stream group \(g) belongs to no MatMul")
        }
        let batch = (g - check.firstGroup) / check.segmentsPerBatch
        let a = trace.values[node.inputs[0]], b = trace.values[node.inputs[1]]
        switch check.segment((g - check.firstGroup) % check.segmentsPerBatch) {
        case .aColumn(let column):
            return ({ [a[check.aPosition(batch: batch, column: column, index: $0)]] }, nil)
        case .bRow(let row):
            return ({ [b[check.bPosition(batch: batch, row: row, index: $0)]] }, nil)
        case .product:
            let start = batch * check.m * check.n
            guard c.count == check.batches * check.m * check.n else {
                throw CompilerError.witnessMismatch("layer \(node.label): the trace has no MatMul accumulators")
            }
            return ({ [c[start + $0]] }, nil)
        }
    }

    /// The prover's phase callback: the committed relation's columns once its challenges are drawn (phase 2:
    /// u, Pρ, S after ρ; phase 3: Ps, T after s).
    public func assignPhase(_ phase: Int, _ a: inout Assignment) throws {
        do {
            try relationLayout.assign(phase: phase, &a, circuit: circuit)
            if let matMulLayout, phase == matMulLayout.phase { try matMulLayout.assign(&a, rows: layout.laneRows) }
        } catch let error as ConstraintSystemError {
            throw CompilerError.constraintSystem(error)
        }
    }

    /// Every phase after the first at given challenges (for checker tests): the produced and received cells from
    /// the lanes (as a cheating prover that rewrote lane cells would keep them), then the relation's columns at
    /// ρ and at s (`s` defaults to a value derived from ρ).
    public func assignSum(_ a: inout Assignment, rho value: Fr, s sValue: Fr? = nil) throws {
        try fillLinks(&a)
        do {
            try a.setChallenge(rho, value)
            if let matMulLayout { try a.setChallenge(matMulLayout.chi, value * value * value + Fr(11)) }
            try assignPhase(relationLayout.foldPhase, &a)
            try a.setChallenge(s, sValue ?? value * value + Fr(7))
            try assignPhase(relationLayout.closingPhase, &a)
        } catch let error as ConstraintSystemError {
            throw CompilerError.constraintSystem(error)
        }
    }

    /// The full witness at a given ρ (what the prover computes in its phases; for checker tests).
    public func witness(trace: IntegerTrace, rho value: Fr) throws -> Assignment {
        var a = try assignment(trace: trace)
        try assignSum(&a, rho: value)
        return a
    }
}
