import ConstraintSystem
import FieldArithmetic
import ModelGraph
import Quantization

/// A model compiled to a circuit: the plan, the lane layout, the equations and the `Circuit` itself, with
/// the handles the witness builder and the tests need.
///
/// Columns (docs: Sources/CircuitCompiler/README.md):
/// - advice `limb0…` (phase 1, each looked up in the 8-bit table — or, stacked, copied into `stack0…`, which
///   are), `free0…` (phase 1), `sum` (phase 2);
/// - fixed `table8` (0…255; `table7` with 7-bit limbs), `q_range` (lane rows, or the stack's rows), `q_sum` (rows 0 and the close row),
///   one selector per gadget kind, `q_sum_stack` (stack rows past the lanes);
/// - instance `public0…`: the model inputs (unless private) then the outputs, u values per column, each bounded
///   to the activation bits B (checked by the verifier before any algebra);
/// - one challenge ρ (after phase 1) and challenge columns `fold_const`, `fold_recv<t>.<port>`,
///   `fold_prod<t>.<value>` (value 0: the element; 1, …: a kind's extra produced values).
/// Gates: `sum-boundary` (sum = 0 on rows 0 and R) and one per kind: the fold transition
/// sum(next) = sum + fold_const + Σ_lanes (Σ_ports fold_recv·received + Σ_values fold_prod·produced), plus each lane's
/// own constraints. Lookups: `range8.<j>` on every limb column (or `range8.stack<k>`; `range7.…` with 7-bit limbs).
public struct CompiledCircuit: Sendable {
    public let plan: CircuitPlan
    public let layout: CircuitLayout
    public let system: LinearSystem
    public let circuit: Circuit

    public let limbs: [AdviceColumn]
    public let free: [AdviceColumn]
    public let sum: AdviceColumn
    /// The stacked limb copies (empty when range checks are per limb column).
    public let stack: [AdviceColumn]
    /// Instance columns of the public values, `layout.publicColumnLength` values each (the last: the rest).
    public let publicValues: [InstanceColumn]
    public let rho: Challenge
    /// Selector of each kind, in `layout.kinds` order.
    public let kindSelectors: [FixedColumn]

    public init(model: QuantizedModel, options: CompileOptions = CompileOptions()) throws {
        let (plan, layout) = try CircuitLayout.choose(graph: model.graph, settings: model.settings, options: options)
        try self.init(plan: plan, layout: layout, model: model)
    }

    public init(plan: CircuitPlan, layout: CircuitLayout, model: QuantizedModel) throws {
        let system = try LinearSystem(plan: plan, model: model)
        self.plan = plan
        self.layout = layout
        self.system = system

        var cs = ConstraintSystemBuilder()
        let limbs = (0..<layout.limbColumns).map { cs.adviceColumn("limb\($0)") }
        let free = (0..<layout.freeColumns).map { cs.adviceColumn("free\($0)") }
        let sum = cs.adviceColumn("sum", phase: 2)
        let stack = (0..<layout.stackColumns).map { cs.adviceColumn("stack\($0)") }
        let rangeName = "range\(plan.limbBits)"
        let table = cs.fixedColumn("table\(plan.limbBits)")
        let qRange = cs.fixedColumn("q_range")
        let qSum = cs.fixedColumn("q_sum")
        let kindSelectors = layout.kinds.map { cs.fixedColumn("q_" + $0.name) }
        let qStackOnly = layout.stackOnlyRows.isEmpty ? nil : cs.fixedColumn("q_sum_stack")
        let publicCount = plan.publicInputCount + plan.publicOutputCount
        // Every public value is a model input or output: an activation, in [−2^(B−1), 2^(B−1)) (docs/fixed-point.md
        // §3). The verifier checks that bound before any algebra (docs/protocol.md §15 step 1), which makes the
        // public folds integer identities: no input can move along a weight matrix's kernel modulo r.
        let publicValues = (0..<layout.publicColumns).map { c in
            cs.instanceColumn("public\(c)", length: min(layout.publicColumnLength, publicCount - c * layout.publicColumnLength),
                              bits: plan.settings.activationBits)
        }
        let rho = cs.challenge("rho", afterPhase: 1)
        let constColumn = cs.challengeColumn("fold_const")
        var recv: [[ChallengeColumn]] = []
        var prod: [[ChallengeColumn]] = []
        for t in 0..<layout.maxLanes {
            recv.append((0..<layout.maxPorts).map { cs.challengeColumn("fold_recv\(t).\($0)") })
            prod.append((0..<layout.maxProduced).map { cs.challengeColumn($0 == 0 ? "fold_prod\(t)" : "fold_prod\(t).\($0)") })
        }
        let tieColumn = layout.isStacked ? cs.challengeColumn("fold_tie") : nil
        let stackFold = (0..<layout.stackColumns).map { cs.challengeColumn("fold_stack\($0)") }

        // Range table: 0…2^L − 1 on its first rows. The zero rows below it are the value 0, itself in range.
        for v in 0..<layout.rangeTableRows { cs.setFixed(table, row: v, Int64(v)) }
        if layout.isStacked {
            for (k, column) in stack.enumerated() {
                cs.addLookup(LookupArgument(name: "\(rangeName).stack\(k)", selector: qRange, inputs: [column.cur], table: [table]))
            }
        } else {
            for (j, limb) in limbs.enumerated() {
                cs.addLookup(LookupArgument(name: "\(rangeName).\(j)", selector: qRange, inputs: [limb.cur], table: [table]))
            }
        }
        // The stack's side of the copies: fold_stack<k>·stack<k> on every row of the sum. The lanes' side, on a
        // lane row r: fold_tie(r)·Σ_j ρ^j·limb_j with fold_tie(r) = ρ^(P₀ + r·J), so limb j of row r carries the
        // power P₀ + r·J + j and the stack cell holding its copy −ρ^(P₀ + r·J + j): one equation per limb cell.
        let stackTerms = zip(stack, stackFold).map { column, fold in fold.cur * column.cur }
        var tieTerms: [Expression] = []
        if let tieColumn, let last = limbs.last {
            let tied = limbs.dropLast().reversed().reduce(last.cur) { $0 * rho.expression + $1.cur }
            tieTerms.append(tieColumn.cur * tied)
        }
        // Past the lanes, fold_tie is 0 and the limb cells are empty: only the stack terms are read there.
        func minusCopies(_ e: Expression, lanes: Bool = true) -> Expression {
            (stackTerms + (lanes ? tieTerms : [])).reduce(e) { $0 - $1 }
        }
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
        cs.addGate(name: "sum-boundary", selector: qSum, constraints: [sum.cur])
        cs.enable(qSum, row: 0)
        cs.enable(qSum, row: layout.closeRow)
        cs.enable(qRange, rows: 0..<(layout.isStacked ? layout.stackLength : layout.laneRows))

        for (k, kind) in layout.kinds.enumerated() {
            let g = kind.gadget
            var transition = minusCopies(sum.next - sum.cur - constColumn.cur)
            var own: [Expression] = []
            for t in 0..<layout.lanesOfKind[k] {
                let cells = LaneCells(
                    limbs: (0..<g.limbCells).map { limbs[t * g.limbCells + $0].cur },
                    free: (0..<g.freeCells).map { free[t * g.freeCells + $0].cur })
                for (port, e) in g.received(cells).enumerated() { transition = transition - recv[t][port].cur * e }
                for (value, e) in g.allProduced(cells).enumerated() { transition = transition - prod[t][value].cur * e }
                own += g.constraints(cells)
                if let table = g.functionTable, let tag = tableTags[table] {
                    cs.addLookup(LookupArgument(name: "\(kind.name).\(t)", selector: kindSelectors[k],
                                                inputs: [Expression(Fr(UInt64(tag)))] + g.tableInputs(cells), table: functionColumns))
                }
            }
            cs.addGate(name: kind.name, selector: kindSelectors[k], constraints: [transition] + own)
        }
        for (index, group) in plan.groups.enumerated() {
            let k = layout.kinds.firstIndex(of: group.kind)!
            let rows = layout.groupRows[index]
            cs.enable(kindSelectors[k], rows: rows.start..<(rows.start + rows.count))
        }
        if let qStackOnly {
            // Past the lanes the sum only collects the stack's copies (last gate: `assignSum` relies on it).
            cs.addGate(name: "sum-stack", selector: qStackOnly, constraints: [minusCopies(sum.next - sum.cur - constColumn.cur, lanes: false)])
            cs.enable(qStackOnly, rows: layout.stackOnlyRows)
        }

        // Challenge columns: the model's equations folded at ρ, then (stacked) one copy equation per limb cell.
        let tieBase = system.equationCount
        let powers = tieBase + layout.stackedCells
        let biasEntries = system.constants.enumerated().compactMap { p, b in
            b == 0 ? nil : FoldMatrix.Entry(power: p, output: 0, value: b)
        }
        do {
            cs.defineChallengeValues(constColumn, ChallengeSegment(
                challenge: rho, startRow: 0, source: .fold(try FoldMatrix(powers: powers, outputs: 1, entries: biasEntries))))
            for (c, column) in publicValues.enumerated() {
                let first = c * layout.publicColumnLength
                let count = min(layout.publicColumnLength, publicCount - first)
                var publicEntries: [FoldMatrix.Entry] = []
                for j in 0..<count {
                    for term in system.publicTerms[first + j] {
                        publicEntries.append(FoldMatrix.Entry(power: term.power, output: j, value: term.weight))
                    }
                }
                cs.defineChallengeValues(constColumn, ChallengeSegment(
                    challenge: rho, startRow: 1 + c,
                    source: .publicFold(try FoldMatrix(powers: powers, outputs: count, entries: publicEntries),
                                        instance: column, instanceStart: 0)))
            }

            var recvEntries = [[[FoldMatrix.Entry]]](repeating: Array(repeating: [], count: layout.maxPorts), count: layout.maxLanes)
            for (p, receiver) in system.receivers.enumerated() {
                guard let receiver else { continue }
                let kind = plan.groups[receiver.group].kind
                let place = layout.placement(group: receiver.group, index: receiver.index, kind: kind)
                recvEntries[place.slot][receiver.port].append(FoldMatrix.Entry(power: p, output: place.row, value: -1))
            }
            var prodEntries = [[[FoldMatrix.Entry]]](repeating: Array(repeating: [], count: layout.maxProduced), count: layout.maxLanes)
            for (g, group) in plan.groups.enumerated() {
                for index in 0..<group.count {
                    let terms = system.laneTerms[system.groupStart[g] + index]
                    guard !terms.isEmpty else { continue }
                    let place = layout.placement(group: g, index: index, kind: group.kind)
                    for term in terms {
                        prodEntries[place.slot][term.value].append(FoldMatrix.Entry(power: term.power, output: place.row, value: term.weight))
                    }
                }
            }
            let rows = layout.laneRows
            for t in 0..<layout.maxLanes {
                for port in 0..<layout.maxPorts where !recvEntries[t][port].isEmpty {
                    cs.defineChallengeValues(recv[t][port], ChallengeSegment(
                        challenge: rho, startRow: 0,
                        source: .fold(try FoldMatrix(powers: powers, outputs: rows, entries: recvEntries[t][port]))))
                }
                for value in 0..<layout.maxProduced where !prodEntries[t][value].isEmpty {
                    cs.defineChallengeValues(prod[t][value], ChallengeSegment(
                        challenge: rho, startRow: 0,
                        source: .fold(try FoldMatrix(powers: powers, outputs: rows, entries: prodEntries[t][value]))))
                }
            }
            if let tieColumn {
                let width = layout.limbColumns
                let tieEntries = (0..<layout.laneRows).map { FoldMatrix.Entry(power: tieBase + $0 * width, output: $0, value: 1) }
                cs.defineChallengeValues(tieColumn, ChallengeSegment(
                    challenge: rho, startRow: 0,
                    source: .fold(try FoldMatrix(powers: powers, outputs: layout.laneRows, entries: tieEntries))))
                var stackEntries = [[FoldMatrix.Entry]](repeating: [], count: layout.stackColumns)
                for i in 0..<layout.stackedCells {
                    let place = layout.stackPlace(i)
                    stackEntries[place.column].append(FoldMatrix.Entry(power: tieBase + i, output: place.row, value: -1))
                }
                for (k, column) in stackFold.enumerated() {
                    cs.defineChallengeValues(column, ChallengeSegment(
                        challenge: rho, startRow: 0,
                        source: .fold(try FoldMatrix(powers: powers, outputs: layout.stackLength, entries: stackEntries[k]))))
                }
            }
            circuit = try cs.build(log2Rows: layout.log2Rows)
        } catch let error as ConstraintSystemError {
            throw CompilerError.constraintSystem(error)
        }
        self.limbs = limbs
        self.free = free
        self.sum = sum
        self.stack = stack
        self.publicValues = publicValues
        self.rho = rho
        self.kindSelectors = kindSelectors
    }

    /// The cells of a lane (for the witness builder and for tests that tamper with one).
    public func cells(group: Int, index: Int) -> (row: Int, limbs: [AdviceColumn], free: [AdviceColumn]) {
        let kind = plan.groups[group].kind
        let g = kind.gadget
        let place = layout.placement(group: group, index: index, kind: kind)
        return (place.row,
                (0..<g.limbCells).map { limbs[place.slot * g.limbCells + $0] },
                (0..<g.freeCells).map { free[place.slot * g.freeCells + $0] })
    }
}
