import ConstraintSystem
import FieldArithmetic

/// The binary form of a `VerifierCircuit` inside the verifying key (docs/proof-format.md §3). Decoding
/// validates every index, phase and row against the circuit's own sizes, so the verifier can index
/// without checks afterwards; expressions are limited in depth and size so hostile keys cannot exhaust
/// the stack or memory.
///
/// Bounds (docs/proof-format.md, "Decoder bounds"): every count is checked before anything is allocated
/// from it. Lists grow only as their elements are actually read, so the decoded circuit is O(body bytes)
/// (an expression node is one tag byte and ~50 bytes in memory). Fold matrices: `outputs` within the rows
/// the segment may define, `powers` at most the cells an equation can constrain (see `decodeMatrix`),
/// dense storage only as large as the bytes that remain, sparse entries 16 bytes each; the verifier's fold
/// is O(stored entries) whatever `powers` and `outputs` say (`ChallengeSegment.values`).
extension VerifierCircuit {
    /// Deeper expressions are refused (the evaluators recurse); `Expression.sum(of:)` builds balanced trees.
    public static let maximumExpressionDepth = 512
    static let maximumNodes = 1 << 20
    static let maximumItems = 1 << 24

    func encode(into w: inout ByteWriter) throws {
        w.varint(log2Rows)
        w.varint(adviceNames.count)
        for (name, phase) in zip(adviceNames, advicePhases) {
            w.shortString(name)
            w.varint(phase)
        }
        w.varint(instanceNames.count)
        for i in instanceNames.indices {
            w.shortString(instanceNames[i])
            w.varint(instanceLengths[i])
            w.varint(instanceBits[i])
        }
        w.varint(fixedNames.count)
        for name in fixedNames { w.shortString(name) }
        w.varint(challengeNames.count)
        for (name, phase) in zip(challengeNames, challengePhases) {
            w.shortString(name)
            w.varint(phase)
        }
        w.varint(challengeColumnNames.count)
        for (name, segments) in zip(challengeColumnNames, challengeSegments) {
            w.shortString(name)
            w.varint(segments.count)
            for s in segments { Self.encode(s, into: &w) }
        }
        w.varint(gates.count)
        for gate in gates {
            w.shortString(gate.name)
            w.varint(gate.selector.index)
            w.varint(gate.constraints.count)
            for c in gate.constraints { try Self.encode(c, into: &w) }
        }
        w.varint(lookups.count)
        for lookup in lookups {
            w.shortString(lookup.name)
            w.varint(lookup.selector.index)
            w.varint(lookup.inputs.count)
            for e in lookup.inputs { try Self.encode(e, into: &w) }
            for t in lookup.table { w.varint(t.index) }
            if let s = lookup.tableSelector {
                w.u8(1)
                w.varint(s.index)
            } else {
                w.u8(0)
            }
        }
        w.varint(permutationColumns.count)
        for c in permutationColumns {
            w.u8(UInt8(c.kind.rawValue))
            w.varint(c.index)
        }
    }

    static func encode(_ s: ChallengeSegment, into w: inout ByteWriter) {
        w.varint(s.challenge.index)
        w.varint(s.startRow)
        switch s.source {
        case .fold(let m):
            w.u8(0)
            encode(m, into: &w)
        case .publicFold(let m, let instance, let start):
            w.u8(1)
            encode(m, into: &w)
            w.varint(instance.index)
            w.varint(start)
        }
    }

    static func encode(_ m: FoldMatrix, into w: inout ByteWriter) {
        w.varint(m.powers)
        w.varint(m.outputs)
        switch m.storage {
        case .dense(let values):
            w.u8(0)
            for v in values { w.i64(v) }
        case .sparse(let entries):
            w.u8(1)
            w.varint(entries.count)
            for e in entries {
                w.varint(e.power)
                w.varint(e.output)
                w.i64(e.value)
            }
        }
    }

    /// Expression tags for a constant and a scaling whose value is a small integer (docs/proof-format.md §3.4):
    /// a zigzag varint instead of 32 bytes. The encoder always uses them when the value fits, so a tag 0 or 6
    /// holding a small integer is not canonical (the key's re-encoding check refuses it).
    static let smallConstantTag: UInt8 = 8
    static let smallScalingTag: UInt8 = 9

    /// The signed value of c when it is an integer of magnitude below 2^63 (c or −c canonical below 2^63).
    static func smallInteger(_ c: Fr) -> Int64? {
        let (a0, a1, a2, a3) = c.canonicalLimbs
        if a1 == 0, a2 == 0, a3 == 0, a0 <= UInt64(Int64.max) { return Int64(a0) }
        let (b0, b1, b2, b3) = (-c).canonicalLimbs
        if b1 == 0, b2 == 0, b3 == 0, b0 <= UInt64(Int64.max) { return -Int64(b0) }
        return nil
    }

    /// Prefix order: tag, then children.
    static func encode(_ e: Expression, into w: inout ByteWriter, depth: Int = 0) throws {
        guard depth < maximumExpressionDepth else { throw KeyError.expressionTooDeep(maximumExpressionDepth) }
        switch e {
        case .constant(let c):
            if let small = smallInteger(c) {
                w.u8(smallConstantTag)
                w.zigzag(small)
            } else {
                w.u8(0)
                w.scalar(c)
            }
        case .query(let q):
            w.u8(1)
            w.u8(UInt8(q.column.kind.rawValue << 1 | q.rotation.rawValue))
            w.varint(q.column.index)
        case .challenge(let c):
            w.u8(2)
            w.varint(c.index)
        case .linearClaim:
            w.u8(linearClaimTag)
        case .sum(let a, let b):
            w.u8(3)
            try encode(a, into: &w, depth: depth + 1)
            try encode(b, into: &w, depth: depth + 1)
        case .product(let a, let b):
            w.u8(4)
            try encode(a, into: &w, depth: depth + 1)
            try encode(b, into: &w, depth: depth + 1)
        case .negated(let a):
            w.u8(5)
            try encode(a, into: &w, depth: depth + 1)
        case .scaled(let a, let c):
            if let small = smallInteger(c) {
                w.u8(smallScalingTag)
                w.zigzag(small)
            } else {
                w.u8(6)
                w.scalar(c)
            }
            try encode(a, into: &w, depth: depth + 1)
        }
    }

    // MARK: Decoding

    static func decode(from r: inout ByteReader) throws -> VerifierCircuit {
        let log2Rows = try r.varCount("log2 rows", limit: Circuit.supportedLog2Rows.upperBound)
        guard Circuit.supportedLog2Rows.contains(log2Rows) else {
            throw r.fail("log2 rows \(log2Rows) outside \(Circuit.supportedLog2Rows)")
        }
        let usable = (1 << log2Rows) - Circuit.reservedRows
        var adviceNames: [String] = [], advicePhases: [Int] = []
        for _ in 0..<(try r.varCount("advice columns", limit: 1 << 16)) {
            adviceNames.append(try r.shortString("advice name"))
            advicePhases.append(try phase(&r))
        }
        var instanceNames: [String] = [], instanceLengths: [Int] = [], instanceBits: [Int] = []
        for _ in 0..<(try r.varCount("instance columns", limit: 1 << 16)) {
            instanceNames.append(try r.shortString("instance name"))
            instanceLengths.append(try r.varCount("instance length", limit: usable))
            instanceBits.append(try r.varCount("instance bound bits", limit: PublicValueBound.maximumBits))
        }
        var fixedNames: [String] = []
        for _ in 0..<(try r.varCount("fixed columns", limit: 1 << 16)) { fixedNames.append(try r.shortString("fixed name")) }
        var challengeNames: [String] = [], challengePhases: [Int] = []
        for _ in 0..<(try r.varCount("challenges", limit: 1 << 16)) {
            challengeNames.append(try r.shortString("challenge name"))
            challengePhases.append(try phase(&r))
        }
        let counts = ColumnCounts(
            advice: adviceNames.count, instance: instanceNames.count, fixed: fixedNames.count,
            challenge: 0, challenges: challengeNames.count)
        // A fold weights equation p by ρ^p, and each equation constrains advice or instance cells: a consistent
        // system of affine equations in N unknowns never needs more than N + 1 of them, so more powers than
        // that cannot be meaningful (and the soundness error (powers − 1)/r stays tied to the circuit).
        let maximumPowers = min(
            Self.maximumFoldPowers, adviceNames.count * usable + instanceLengths.reduce(0, +) + 1)
        var challengeColumnNames: [String] = [], segments: [[ChallengeSegment]] = []
        let challengeColumns = try r.varCount("challenge columns", limit: 1 << 16)
        for _ in 0..<challengeColumns {
            challengeColumnNames.append(try r.shortString("challenge column name"))
            var column: [ChallengeSegment] = []
            var nextFree = 0
            for _ in 0..<(try r.varCount("segments", limit: maximumItems)) {
                let s = try decodeSegment(
                    &r, counts: counts, instanceLengths: instanceLengths, usableRows: usable, maximumPowers: maximumPowers)
                // Sorted and disjoint, inside the usable rows (reserved rows must stay 0, §3).
                guard s.startRow >= nextFree, s.startRow + s.rowCount <= usable else {
                    throw r.fail("challenge segment at row \(s.startRow) overlaps, is unsorted or leaves the usable rows")
                }
                nextFree = s.startRow + s.rowCount
                column.append(s)
            }
            segments.append(column)
        }
        var full = counts
        full.challenge = challengeColumns
        var gates: [Gate] = []
        var names = Set<String>()
        for _ in 0..<(try r.varCount("gates", limit: maximumItems)) {
            let name = try r.shortString("gate name")
            guard names.insert(name).inserted else { throw r.fail("duplicate gate or lookup name \"\(name)\"") }
            let selector = FixedColumn(index: try r.varIndex("gate selector", below: full.fixed))
            let n = try r.varCount("gate constraints", limit: maximumItems)
            guard n > 0 else { throw r.fail("gate \"\(name)\" has no constraints") }
            var constraints: [Expression] = []
            for _ in 0..<n { constraints.append(try decodeExpression(&r, counts: full)) }
            gates.append(Gate(name: name, selector: selector, constraints: constraints))
        }
        var lookups: [LookupArgument] = []
        for _ in 0..<(try r.varCount("lookups", limit: maximumItems)) {
            let name = try r.shortString("lookup name")
            guard names.insert(name).inserted else { throw r.fail("duplicate gate or lookup name \"\(name)\"") }
            let selector = FixedColumn(index: try r.varIndex("lookup selector", below: full.fixed))
            let width = try r.varCount("lookup width", limit: 1 << 10)
            guard width > 0 else { throw r.fail("lookup \"\(name)\" has no inputs") }
            var inputs: [Expression] = []
            for _ in 0..<width { inputs.append(try decodeExpression(&r, counts: full)) }
            var table: [FixedColumn] = []
            for _ in 0..<width { table.append(FixedColumn(index: try r.varIndex("table column", below: full.fixed))) }
            let hasSelector = try r.u8("table selector flag")
            guard hasSelector <= 1 else { throw r.fail("table selector flag \(hasSelector)") }
            let tableSelector = hasSelector == 1
                ? FixedColumn(index: try r.varIndex("table selector", below: full.fixed)) : nil
            lookups.append(
                LookupArgument(name: name, selector: selector, inputs: inputs, table: table, tableSelector: tableSelector))
        }
        var permutation: [Column] = []
        for _ in 0..<(try r.varCount("permutation columns", limit: 1 << 16)) {
            let column = try decodeColumn(&r, counts: full)
            guard column.kind != .challenge else { throw r.fail("a challenge column cannot be permuted") }
            guard permutation.last.map({ $0 < column }) ?? true else {
                throw r.fail("permutation columns must be sorted and distinct")
            }
            permutation.append(column)
        }
        return VerifierCircuit(
            log2Rows: log2Rows, adviceNames: adviceNames, advicePhases: advicePhases, instanceNames: instanceNames,
            instanceLengths: instanceLengths, instanceBits: instanceBits, fixedNames: fixedNames,
            challengeNames: challengeNames, challengePhases: challengePhases, challengeColumnNames: challengeColumnNames,
            challengeSegments: segments, gates: gates, lookups: lookups, permutationColumns: permutation)
    }

    struct ColumnCounts {
        var advice: Int, instance: Int, fixed: Int, challenge: Int, challenges: Int
        func count(_ kind: ColumnKind) -> Int {
            switch kind {
            case .advice: return advice
            case .instance: return instance
            case .fixed: return fixed
            case .challenge: return challenge
            }
        }
    }

    static func phase(_ r: inout ByteReader) throws -> Int {
        let p = try r.varCount("phase", limit: Circuit.supportedPhases.upperBound)
        guard p >= 1 else { throw r.fail("phase 0 (phases start at 1)") }
        return p
    }

    static func decodeColumn(_ r: inout ByteReader, counts: ColumnCounts) throws -> Column {
        let tag = try r.u8("column kind")
        guard let kind = ColumnKind(rawValue: Int(tag)) else { throw r.fail("column kind \(tag)") }
        return Column(kind: kind, index: try r.varIndex("\(kind) column index", below: counts.count(kind)))
    }

    static func decodeSegment(
        _ r: inout ByteReader, counts: ColumnCounts, instanceLengths: [Int], usableRows: Int, maximumPowers: Int
    ) throws -> ChallengeSegment {
        let challenge = Challenge(index: try r.varIndex("segment challenge", below: counts.challenges))
        let start = try r.varIndex("segment start row", below: usableRows)
        let tag = try r.u8("segment source")
        // A fold defines rows start … start + outputs − 1, which must be usable rows; a public fold reads
        // `outputs` values of one instance column (checked against that column's length below).
        let maximumOutputs = tag == 0 ? usableRows - start : instanceLengths.max() ?? 0
        let matrix = try decodeMatrix(&r, maximumPowers: maximumPowers, maximumOutputs: maximumOutputs)
        switch tag {
        case 0:
            return ChallengeSegment(challenge: challenge, startRow: start, source: .fold(matrix))
        case 1:
            let instance = try r.varIndex("public fold instance column", below: counts.instance)
            let instanceStart = try r.varCount("public fold instance start", limit: 1 << 28)
            guard instanceStart + matrix.outputs <= instanceLengths[instance] else {
                throw r.fail("public fold reads past instance column \(instance)")
            }
            return ChallengeSegment(
                challenge: challenge, startRow: start,
                source: .publicFold(matrix, instance: InstanceColumn(index: instance), instanceStart: instanceStart))
        default:
            throw r.fail("segment source \(tag)")
        }
    }

    /// Largest `powers` of any fold matrix whatever the circuit (the largest circuit has 2^28 rows).
    static let maximumFoldPowers = 1 << 28

    /// `powers` and `outputs` are bounded before anything is read or allocated from them; dense storage
    /// must fit in the bytes that remain (8 per entry), sparse entries take 16 bytes each.
    static func decodeMatrix(_ r: inout ByteReader, maximumPowers: Int, maximumOutputs: Int) throws -> FoldMatrix {
        let powers = try r.varCount("matrix powers", limit: maximumPowers)
        let outputs = try r.varCount("matrix outputs", limit: maximumOutputs)
        let tag = try r.u8("matrix storage")
        do {
            switch tag {
            case 0:
                // Check the size against the bytes present before allocating.
                let (cells, overflow) = powers.multipliedReportingOverflow(by: outputs)
                guard !overflow, cells <= r.remaining / 8 else { throw r.fail("dense matrix \(powers)×\(outputs) is truncated") }
                var values: [Int64] = []
                values.reserveCapacity(cells)
                for _ in 0..<cells { values.append(try r.i64("matrix entry")) }
                return try FoldMatrix(powers: powers, outputs: outputs, dense: values)
            case 1:
                let n = try r.varCount("sparse entries", limit: r.remaining / 10)  // ≥ 1 + 1 + 8 bytes each
                var entries: [FoldMatrix.Entry] = []
                entries.reserveCapacity(n)
                for _ in 0..<n {
                    let p = try r.varCount("entry power", limit: 1 << 28)
                    let o = try r.varCount("entry output", limit: 1 << 28)
                    entries.append(FoldMatrix.Entry(power: p, output: o, value: try r.i64("entry value")))
                }
                return try FoldMatrix(powers: powers, outputs: outputs, entries: entries)
            default:
                throw r.fail("matrix storage \(tag)")
            }
        } catch let error as ConstraintSystemError {
            throw r.fail("\(error)")
        }
    }

    static func decodeExpression(_ r: inout ByteReader, counts: ColumnCounts) throws -> Expression {
        var nodes = 0
        return try decodeExpression(&r, counts: counts, depth: 0, nodes: &nodes)
    }

    private static func decodeExpression(_ r: inout ByteReader, counts: ColumnCounts, depth: Int, nodes: inout Int)
        throws -> Expression
    {
        guard depth < maximumExpressionDepth else { throw r.fail("expression deeper than \(maximumExpressionDepth)") }
        nodes += 1
        guard nodes <= maximumNodes else { throw r.fail("expression has more than \(maximumNodes) nodes") }
        let tag = try r.u8("expression tag")
        switch tag {
        case 0: return .constant(try r.scalar("constant"))
        case 1:
            let packed = try r.u8("column kind and rotation")
            guard let kind = ColumnKind(rawValue: Int(packed >> 1)), let rot = Rotation(rawValue: Int(packed & 1)) else {
                throw r.fail("column kind and rotation byte \(packed)")
            }
            let column = Column(kind: kind, index: try r.varIndex("\(kind) column index", below: counts.count(kind)))
            return .query(Query(column, rot))
        case 2: return .challenge(Challenge(index: try r.varIndex("challenge", below: counts.challenges)))
        case 3, 4:
            let a = try decodeExpression(&r, counts: counts, depth: depth + 1, nodes: &nodes)
            let b = try decodeExpression(&r, counts: counts, depth: depth + 1, nodes: &nodes)
            return tag == 3 ? .sum(a, b) : .product(a, b)
        case 5: return .negated(try decodeExpression(&r, counts: counts, depth: depth + 1, nodes: &nodes))
        case 6:
            let c = try r.scalar("scale")
            return .scaled(try decodeExpression(&r, counts: counts, depth: depth + 1, nodes: &nodes), c)
        case smallConstantTag: return .constant(Fr(signed: try r.zigzag("small constant")))
        case smallScalingTag:
            let c = Fr(signed: try r.zigzag("small scale"))
            return .scaled(try decodeExpression(&r, counts: counts, depth: depth + 1, nodes: &nodes), c)
        case linearClaimTag: return .linearClaim  // only with a relation: checked with the key's relation section
        default: throw r.fail("expression tag \(tag)")
        }
    }
}
