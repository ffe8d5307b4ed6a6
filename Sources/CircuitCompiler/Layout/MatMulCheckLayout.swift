import ConstraintSystem
import FieldArithmetic

/// The random-point check of every MatMul of two activations (docs/protocol.md §20; `MatMulCheck` for the
/// stream): after phase 1 (A, B, C in the stream lanes) the challenge χ is drawn; in phase 2 four columns run
/// over the stream rows, each row folding its L lanes x_0 … x_(L−1) with the segment's ratio g (χ^n on A's
/// columns, χ on B's rows and on C):
///
/// - `mm_pow` P: 1 on a segment's first row, P(ωX) = g^L·P inside the segment;
/// - `mm_acc` Σ: the segment's running sum, Σ = Σ_t g^t·x_t on its first row, Σ(ωX) = Σ + P(ωX)·Σ_t g^t·x_t(ωX);
///   on an A segment's last row it is a_κ, on a B segment's b_κ, on C's c;
/// - `mm_hold` H: a_κ carried through B_κ's rows (H(ωX) = Σ on A_κ's last row, H(ωX) = H inside B_κ);
/// - `mm_tot` T: Σ_(κ' ≤ κ) a_κ'·b_κ' after B_κ (T(ωX) = H·Σ on B_0's last row, T + H·Σ on the later B's, kept
///   elsewhere), and T = Σ on C's last row: Σ_κ a_κ·b_κ = c, the check.
///
/// Fixed selectors (1 on the rows named): `mm_a0.<n>`/`mm_a.<n>` (first row / rows with a next row in an A segment
/// of a product with n columns), `mm_b0`/`mm_b` (the same for B and C), `mm_hold_set`, `mm_hold_keep`, `mm_mac0`,
/// `mm_mac`, `mm_keep`, `mm_check`. Gate degrees ≤ 3.
public struct MatMulCheckLayout: Sendable {
    /// Columns, selectors and next-row queries the checks add (what `CircuitLayout` counts).
    public struct Shape: Hashable, Sendable {
        public let checks: Int
        /// The distinct column counts n (each has its own pair of A-segment selectors: the ratio χ^n).
        public let columnCounts: [Int]

        public init(plan: CircuitPlan) {
            checks = plan.matMulChecks.count
            columnCounts = Array(Set(plan.matMulChecks.map(\.n))).sorted()
        }

        public var adviceColumns: Int { checks == 0 ? 0 : 4 }
        public var selectors: Int { checks == 0 ? 0 : 8 + 2 * columnCounts.count }
        public func nextQueries(streamLanes: Int) -> Int { checks == 0 ? 0 : 4 + streamLanes }
    }

    public let checks: [MatMulCheck]
    public let chi: Challenge
    public let power: AdviceColumn, sum: AdviceColumn, hold: AdviceColumn, total: AdviceColumn
    /// The stream's x cells: free column t holds lane slot t's value.
    public let cells: [AdviceColumn]
    /// First row and row count of every group (the layout's).
    let groupRows: [(start: Int, count: Int)]
    /// The phase whose columns these are (χ's phase + 1).
    public let phase: Int

    public init?(_ cs: inout ConstraintSystemBuilder, plan: CircuitPlan, layout: CircuitLayout, free: [AdviceColumn]) {
        guard !plan.matMulChecks.isEmpty else { return nil }
        guard let k = layout.kinds.firstIndex(where: { if case .matMulStream = $0 { return true } else { return false } }) else { return nil }
        let lanes = layout.lanesOfKind[k]
        checks = plan.matMulChecks
        groupRows = layout.groupRows
        cells = Array(free.prefix(lanes))
        chi = cs.challenge("chi", afterPhase: 1)
        phase = 2
        power = cs.adviceColumn("mm_pow", phase: 2)
        sum = cs.adviceColumn("mm_acc", phase: 2)
        hold = cs.adviceColumn("mm_hold", phase: 2)
        total = cs.adviceColumn("mm_tot", phase: 2)
        let x = chi.expression
        func rowSum(_ ratio: Int, next: Bool) -> Expression {
            Expression.sum(of: cells.enumerated().map { Self.power(x, ratio * $0.offset) * (next ? $0.element.next : $0.element.cur) })
        }
        let shape = Shape(plan: plan)
        var aFirst: [Int: FixedColumn] = [:], aRun: [Int: FixedColumn] = [:]
        for n in shape.columnCounts {
            aFirst[n] = cs.fixedColumn("mm_a0.\(n)")
            aRun[n] = cs.fixedColumn("mm_a.\(n)")
            cs.addGate(name: "mm_a0.\(n)", selector: aFirst[n]!, constraints: [power.cur - 1, sum.cur - rowSum(n, next: false)])
            cs.addGate(name: "mm_a.\(n)", selector: aRun[n]!, constraints: [
                power.next - Self.power(x, n * lanes) * power.cur,
                sum.next - sum.cur - power.next * rowSum(n, next: true),
            ])
        }
        let bFirst = cs.fixedColumn("mm_b0"), bRun = cs.fixedColumn("mm_b")
        cs.addGate(name: "mm_b0", selector: bFirst, constraints: [power.cur - 1, sum.cur - rowSum(1, next: false)])
        cs.addGate(name: "mm_b", selector: bRun, constraints: [
            power.next - Self.power(x, lanes) * power.cur,
            sum.next - sum.cur - power.next * rowSum(1, next: true),
        ])
        let holdSet = cs.fixedColumn("mm_hold_set"), holdKeep = cs.fixedColumn("mm_hold_keep")
        let mac0 = cs.fixedColumn("mm_mac0"), mac = cs.fixedColumn("mm_mac")
        let keep = cs.fixedColumn("mm_keep"), check = cs.fixedColumn("mm_check")
        cs.addGate(name: "mm_hold_set", selector: holdSet, constraints: [hold.next - sum.cur])
        cs.addGate(name: "mm_hold_keep", selector: holdKeep, constraints: [hold.next - hold.cur])
        cs.addGate(name: "mm_mac0", selector: mac0, constraints: [total.next - hold.cur * sum.cur])
        cs.addGate(name: "mm_mac", selector: mac, constraints: [total.next - total.cur - hold.cur * sum.cur])
        cs.addGate(name: "mm_keep", selector: keep, constraints: [total.next - total.cur])
        cs.addGate(name: "mm_check", selector: check, constraints: [total.cur - sum.cur])

        for c in checks {
            for batch in 0..<c.batches {
                var firstMacRow = 0
                var macRows = Set<Int>()
                for s in 0..<c.segmentsPerBatch {
                    let rows = layout.groupRows[c.group(batch: batch, segment: s)]
                    let last = rows.start + rows.count - 1
                    switch c.segment(s) {
                    case .aColumn:
                        cs.enable(aFirst[c.n]!, row: rows.start)
                        cs.enable(aRun[c.n]!, rows: rows.start..<last)
                        cs.enable(holdSet, row: last)
                    case .bRow(let row):
                        cs.enable(bFirst, row: rows.start)
                        cs.enable(bRun, rows: rows.start..<last)
                        cs.enable(holdKeep, rows: rows.start..<last)
                        if row == 0 {
                            cs.enable(mac0, row: last)
                            firstMacRow = last
                        } else {
                            cs.enable(mac, row: last)
                        }
                        macRows.insert(last)
                    case .product:
                        cs.enable(bFirst, row: rows.start)
                        cs.enable(bRun, rows: rows.start..<last)
                        cs.enable(check, row: last)
                        for r in (firstMacRow + 1)..<last where !macRows.contains(r) { cs.enable(keep, row: r) }
                    }
                }
            }
        }
    }

    static func power(_ x: Expression, _ e: Int) -> Expression {
        if e == 0 { return 1 }
        if e == 1 { return x }
        let half = power(x, e / 2)
        return e % 2 == 0 ? half * half : half * half * x
    }

    /// Phase 2: the four columns from the stream cells already in `a` (so a prover that changed a stream cell
    /// computes its sums honestly from the changed value) and χ. Rows outside the streams hold 0.
    public func assign(_ a: inout Assignment, rows: Int) throws {
        guard let chi = a.challenges[chi.index] else { throw ConstraintSystemError.unknownChallenge(chi, context: "the MatMul check's witness (χ has no value yet)") }
        for row in 0..<rows {
            for column in [power, sum, hold, total] { try a.set(column, row: row, Fr.zero) }
        }
        let lanes = cells.count
        for c in checks {
            let ratios = [chi.power(UInt64(c.n)), chi]  // A's, then B's and C's
            var slotPowers: [[Fr]] = []
            for g in ratios {
                var p = [Fr](repeating: .one, count: lanes)
                for t in 1..<max(lanes, 1) { p[t] = p[t - 1] * g }
                slotPowers.append(p)
            }
            let stepPowers = ratios.map { $0.power(UInt64(lanes)) }
            for batch in 0..<c.batches {
                var held = Fr.zero, running = Fr.zero
                for s in 0..<c.segmentsPerBatch {
                    let rows = groupRows[c.group(batch: batch, segment: s)]
                    let kind: Int
                    if case .aColumn = c.segment(s) { kind = 0 } else { kind = 1 }
                    var p = Fr.one, acc = Fr.zero
                    for k in 0..<rows.count {
                        let row = rows.start + k
                        if k > 0 { p *= stepPowers[kind] }
                        var rowSum = Fr.zero
                        for t in 0..<lanes { rowSum += slotPowers[kind][t] * (a.value(cells[t], row: row) ?? .zero) }
                        acc += p * rowSum
                        try a.set(power, row: row, p)
                        try a.set(sum, row: row, acc)
                        try a.set(total, row: row, running)
                        if case .bRow = c.segment(s) { try a.set(hold, row: row, held) }
                    }
                    switch c.segment(s) {
                    case .aColumn: held = acc
                    case .bRow(let row): running = (row == 0 ? .zero : running) + held * acc
                    case .product: break
                    }
                }
            }
        }
    }
}
