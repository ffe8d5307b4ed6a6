import FieldArithmetic
import Parallelism

/// The columns, gates and witness of docs/protocol.md §19.4 for a circuit's committed linear relation, on one
/// run of rows: the model compiler lays out its lanes, names the cells each row produces and receives, and
/// this ties them to the relation `recv = W·x`.
///
/// Layout. The run covers rows `startRow ..< startRow + rows`; its close row is `startRow + rows`. On run row
/// r (0-based within the run) the producer expressions X_0 … X_(V−1) are producers `j = r·V + l` and the
/// receiver expressions E_0 … E_(R−1) are receivers `i = r·R + e` (§19.3 with the row counted from
/// `startRow`). Producer slots past the relation's J contribute nothing (their u is 0); receiver slots past
/// its I must evaluate to 0 (W has no row for them, so the relation forces them to 0).
///
/// Columns (phases as §19.4, with p = phase(ρ)):
/// - phase p + 1: `U_l` (the fold vector u = ρᵀW in producer layout), `Pρ` (powers ρ^(R·r)), `S`;
/// - phase phase(s) + 1: `Ps` (powers s^(V·r)), `T`.
///
/// Gates, each with its own fixed selector (degrees include the selector; "deg X" is the largest producer or
/// receiver expression degree, 1 for plain cells):
///
///     <name>_start  (start row):  Pρ − 1,  S,  Ps − 1,  T                                 degree 2
///     <name>_run    (run rows):   S(ωX) − S − Σ_l U_l·X_l + Pρ·Σ_e ρ^e·E_e                degree 2 + deg X
///                                 Pρ(ωX) − ρ^R·Pρ                                         degree 2
///                                 T(ωX) − T − Ps·Σ_l s^l·U_l                              degree 3
///                                 Ps(ωX) − s^V·Ps                                         degree 2
///     <name>_close  (close row):  S,  T − Ω                                               degree 2
///
/// so with cell producers and receivers the relation costs no quotient degree beyond 3. Powers of ρ and s
/// are products of challenge nodes (degree 0). Cost per run row: V + 4 committed columns in total, no lookup.
public struct CommittedRelationLayout: Sendable {
    public let relation: LinearRelation
    public let startRow: Int
    public let rows: Int
    /// X_l and E_e.
    public let producers: [Expression]
    public let receivers: [Expression]
    /// U_l, aligned with producer slot l.
    public let foldColumns: [AdviceColumn]
    public let rhoPowers: AdviceColumn
    public let receiverSum: AdviceColumn
    public let sPowers: AdviceColumn
    public let claimSum: AdviceColumn
    public let startSelector: FixedColumn
    public let runSelector: FixedColumn
    public let closeSelector: FixedColumn
    /// p + 1 (U, Pρ, S) and phase(s) + 1 (Ps, T).
    public let foldPhase: Int
    public let closingPhase: Int

    /// V and R.
    public var producerSlots: Int { producers.count }
    public var receiverSlots: Int { receivers.count }
    public var closeRow: Int { startRow + rows }

    /// The global producer index of slot `slot` on absolute row `row` (inside the run), and the receiver's.
    public func producerIndex(row: Int, slot: Int) -> Int { (row - startRow) * producerSlots + slot }
    public func receiverIndex(row: Int, slot: Int) -> Int { (row - startRow) * receiverSlots + slot }
    /// The absolute row and slot of producer j and of receiver i.
    public func producerPosition(_ j: Int) -> (row: Int, slot: Int) { (startRow + j / producerSlots, j % producerSlots) }
    public func receiverPosition(_ i: Int) -> (row: Int, slot: Int) { (startRow + i / receiverSlots, i % receiverSlots) }

    /// Run rows needed for J producers in V slots and I receivers in R slots.
    public static func rowsNeeded(producers: Int, producerSlots: Int, receivers: Int, receiverSlots: Int) -> Int {
        max((producers + producerSlots - 1) / producerSlots, (receivers + receiverSlots - 1) / receiverSlots, 1)
    }

    /// Declares the columns, selectors and gates on `cs` and gives the circuit `relation`
    /// (`ConstraintSystemBuilder.setLinearRelation`). The relation's ρ and s must be challenges of `cs` with
    /// phase(ρ) < phase(s); every cell the producers and receivers read must be committed by then (advice of
    /// phase ≤ phase(ρ), or instance and fixed cells), and they may use no challenge of phase ≥ phase(ρ),
    /// no challenge column and not Ω.
    public init(
        _ cs: inout ConstraintSystemBuilder, relation: LinearRelation, producers: [Expression], receivers: [Expression],
        startRow: Int, rows: Int, name: String = "clr"
    ) throws {
        func fail(_ reason: String) -> ConstraintSystemError { .invalidLinearRelation("\(name): \(reason)") }
        let shape = relation.shape
        guard !producers.isEmpty, !receivers.isEmpty, rows >= 1, startRow >= 0 else {
            throw fail("needs producer and receiver slots and at least one row from a row ≥ 0")
        }
        guard shape.producerCount <= rows * producers.count, shape.receiverCount <= rows * receivers.count else {
            throw fail(
                "\(shape.producerCount) producers and \(shape.receiverCount) receivers do not fit \(rows) rows of "
                    + "\(producers.count) and \(receivers.count) slots")
        }
        guard let rhoPhase = cs.phase(of: shape.rho), let sPhase = cs.phase(of: shape.s), rhoPhase < sPhase else {
            throw fail("ρ and s must be challenges of this circuit with phase(ρ) < phase(s)")
        }
        for e in producers + receivers {
            guard !e.usesLinearClaim else { throw fail("a producer or receiver reads Ω") }
            for q in e.queries {
                switch q.column.kind {
                case .advice:
                    guard let p = cs.phase(of: AdviceColumn(index: q.column.index)), p <= rhoPhase else {
                        throw fail("\(q.column) is committed after ρ is drawn")
                    }
                case .challenge: throw fail("a producer or receiver reads challenge column \(q.column.index)")
                case .instance, .fixed: break
                }
            }
            for c in e.challenges {
                guard let p = cs.phase(of: c), p < rhoPhase else { throw fail("a producer or receiver uses \(c), not drawn before ρ") }
            }
        }
        self.relation = relation
        self.startRow = startRow
        self.rows = rows
        self.producers = producers
        self.receivers = receivers
        foldPhase = rhoPhase + 1
        closingPhase = sPhase + 1
        foldColumns = producers.indices.map { cs.adviceColumn("\(name)_u\($0)", phase: rhoPhase + 1) }
        rhoPowers = cs.adviceColumn("\(name)_rho_powers", phase: rhoPhase + 1)
        receiverSum = cs.adviceColumn("\(name)_S", phase: rhoPhase + 1)
        sPowers = cs.adviceColumn("\(name)_s_powers", phase: sPhase + 1)
        claimSum = cs.adviceColumn("\(name)_T", phase: sPhase + 1)
        startSelector = cs.fixedColumn("\(name)_q_start")
        runSelector = cs.fixedColumn("\(name)_q_run")
        closeSelector = cs.fixedColumn("\(name)_q_close")

        let rho = shape.rho.expression, s = shape.s.expression
        let (pRho, S, pS, T) = (rhoPowers, receiverSum, sPowers, claimSum)
        let produced = Expression.sum(of: zip(foldColumns, producers).map { $0.cur * $1 })
        let received = Expression.sum(of: receivers.enumerated().map { Self.power(rho, $0.offset) * $0.element })
        let folded = Expression.sum(of: foldColumns.enumerated().map { Self.power(s, $0.offset) * $0.element.cur })
        cs.addGate(name: "\(name)_start", selector: startSelector, constraints: [pRho.cur - 1, S.cur, pS.cur - 1, T.cur])
        cs.addGate(
            name: "\(name)_run", selector: runSelector,
            constraints: [
                S.next - S.cur - produced + pRho.cur * received,
                pRho.next - Self.power(rho, receivers.count) * pRho.cur,
                T.next - T.cur - pS.cur * folded,
                pS.next - Self.power(s, producers.count) * pS.cur,
            ])
        cs.addGate(name: "\(name)_close", selector: closeSelector, constraints: [S.cur, T.cur - .linearClaim])
        cs.enable(startSelector, row: startRow)
        cs.enable(runSelector, rows: startRow..<(startRow + rows))
        cs.enable(closeSelector, row: startRow + rows)
        cs.requireRows(startRow + rows + 1)
        cs.setLinearRelation(relation)
    }

    /// x^e as a product tree of depth O(log e) (1 for e = 0).
    static func power(_ x: Expression, _ e: Int) -> Expression {
        if e == 0 { return 1 }
        if e == 1 { return x }
        let half = power(x, e / 2)
        return e % 2 == 0 ? half * half : half * half * x
    }

    // MARK: Witness

    /// Fills this layout's columns for `phase` (call it from the prover's phase callback; other phases are
    /// ignored): in `foldPhase`, at the assignment's ρ, u = ρᵀW (`LinearRelation.foldVector`) in producer
    /// layout, Pρ and S; in `closingPhase`, at its s, Ps and T (from the u placed in the assignment). Producer
    /// and receiver values are read from `assignment` (advice, instance) and `circuit` (fixed).
    /// `foldVector` replaces u (soundness tests play a cheating prover with it); S follows it.
    public func assign(phase: Int, _ assignment: inout Assignment, circuit: Circuit, foldVector: [Fr]? = nil) throws {
        let shape = relation.shape
        let (v, r) = (producerSlots, receiverSlots)
        if phase == foldPhase {
            guard let rho = assignment.challenges[shape.rho.index] else { throw missing(shape.rho) }
            let u = foldVector ?? relation.foldVector(rho: rho)
            let rhoR = rho.power(UInt64(r))
            var rhoSlots = [Fr](repeating: .one, count: r)
            for e in 1..<max(r, 1) { rhoSlots[e] = rhoSlots[e - 1] * rho }
            // Each row's Σ u·producer and Σ ρ^e·receiver, rows in chunks on all threads (they read only cells
            // earlier phases set); then the running values in row order.
            var produced = [Fr](repeating: .zero, count: rows)
            var received = [Fr](repeating: .zero, count: rows)
            let cells = assignment
            produced.withUnsafeMutableBufferPointer { produced in
                received.withUnsafeMutableBufferPointer { received in
                    Parallel.forEachChunk(of: rows, minimumChunk: 512) { range in
                        for k in range {
                            let row = startRow + k
                            var step = Fr.zero
                            for l in 0..<v where k * v + l < u.count {
                                step += u[k * v + l] * evaluate(producers[l], row: row, cells, circuit)
                            }
                            var sum = Fr.zero
                            for e in 0..<r { sum += rhoSlots[e] * evaluate(receivers[e], row: row, cells, circuit) }
                            produced[k] = step
                            received[k] = sum
                        }
                    }
                }
            }
            var sum = Fr.zero, power = Fr.one
            for k in 0...rows {
                let row = startRow + k
                try assignment.set(rhoPowers, row: row, power)
                try assignment.set(receiverSum, row: row, sum)
                guard k < rows else { break }
                for l in 0..<v {
                    let j = k * v + l
                    try assignment.set(foldColumns[l], row: row, j < u.count ? u[j] : .zero)
                }
                sum += produced[k] - power * received[k]
                power *= rhoR
            }
        } else if phase == closingPhase {
            guard let s = assignment.challenges[shape.s.index] else { throw missing(shape.s) }
            let sV = s.power(UInt64(v))
            var sSlots = [Fr](repeating: .one, count: v)
            for l in 1..<max(v, 1) { sSlots[l] = sSlots[l - 1] * s }
            var sum = Fr.zero, power = Fr.one
            for k in 0...rows {
                let row = startRow + k
                try assignment.set(sPowers, row: row, power)
                try assignment.set(claimSum, row: row, sum)
                guard k < rows else { break }
                var folded = Fr.zero
                for l in 0..<v { folded += sSlots[l] * (assignment.value(foldColumns[l], row: row) ?? .zero) }
                sum += power * folded
                power *= sV
            }
        }
    }

    private func missing(_ c: Challenge) -> ConstraintSystemError {
        .invalidLinearRelation("the witness of the committed relation needs \(c), which has no value yet")
    }

    /// A producer or receiver expression on `row` from the assignment (unassigned cells read as 0; the
    /// checker reports them) and the circuit's fixed values.
    private func evaluate(_ e: Expression, row: Int, _ a: Assignment, _ circuit: Circuit) -> Fr {
        e.evaluate(
            query: { q in
                let r = row + q.rotation.rawValue
                let i = q.column.index
                switch q.column.kind {
                case .advice: return a.value(AdviceColumn(index: i), row: r) ?? .zero
                case .instance: return a.value(InstanceColumn(index: i), row: r) ?? .zero
                case .fixed: return circuit.fixedValue(FixedColumn(index: i), row: r)
                case .challenge: return .zero  // refused by the initializer
                }
            },
            challenge: { a.challenges[$0.index] ?? .zero })
    }
}
