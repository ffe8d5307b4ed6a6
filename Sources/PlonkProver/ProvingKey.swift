import BN254
import ConstraintSystem
import FieldArithmetic
import KZG
import MSM
import Parallelism
import PlonkVerifier
import Polynomials

/// Everything the prover needs besides the witness (docs/proof-format.md §5): the verifying key, the fixed
/// and permutation polynomials (values on H and coefficients), and the part of the SRS the commitments use
/// ([τ^i]₁ and the Lagrange basis for this circuit's n), so proving never reads the SRS file.
public struct ProvingKey: Sendable {
    public static let magic: [UInt8] = Array("ZKIPKEY".utf8) + [0]
    public static let formatVersion: UInt32 = 5

    public let verifyingKey: VerifyingKey
    let domain: EvaluationDomain
    /// Fixed column values on all n rows (0 on rows ≥ u), and their coefficients.
    let fixedValues: [[Fr]]
    let fixedPolynomials: [Polynomial]
    /// σ_i on all n rows, and coefficients.
    let sigmaValues: [[Fr]]
    let sigmaPolynomials: [Polynomial]
    let powersG1: [G1Affine]
    let lagrangeG1: [G1Affine]
    /// The committed linear relation with its weights (§19): the verifying key holds only its shape and
    /// the blocks' commitments.
    public let linearRelation: LinearRelation?
    /// With private weights (§19.10): the blinding seed and the power it multiplies.
    let weightBlinding: WeightBlinding?
    /// Coset evaluations of the key's polynomials (`KeyExtensions`), read from the file or filled by the first
    /// proof; shared by copies of the key.
    let extensions: KeyCache<KeyExtensions.Columns>
    /// Window multiples of [τ^i]₁ (all n) and of the first `lagrangeTableCount` [L_i(τ)]₁ for the full-size
    /// MSMs (`FixedBaseTable`), each when it fits `FixedBaseTable.maximumKeyTableBytes`: read from the file, or
    /// made by the first proof or encoding (setup), never by a key built for its verifying key only.
    let windowTables: KeyCache<WindowTables>
    /// S_k = Σ_{i=k}^{u} [L_i(τ)]₁ for k = 0 … u: the bases of a running sum's steps (`RunningSumCommitment`),
    /// made by the first proof that needs them (u additions) and shared by every copy of the key.
    let lagrangeSuffixSums = KeyCache<[G1Affine]>()

    struct WindowTables {
        let powers: FixedBaseTable?
        let lagrange: FixedBaseTable?
    }

    var powersTable: FixedBaseTable? { windowTables.value(compute: makeWindowTables).powers }
    var lagrangeTable: FixedBaseTable? { windowTables.value(compute: makeWindowTables).lagrange }

    init(
        verifyingKey: VerifyingKey, domain: EvaluationDomain, fixedValues: [[Fr]], sigmaValues: [[Fr]],
        powersG1: [G1Affine], lagrangeG1: [G1Affine], linearRelation: LinearRelation? = nil,
        weightBlinding: WeightBlinding? = nil, extensions: KeyCache<KeyExtensions.Columns> = KeyCache(),
        windowTables: KeyCache<WindowTables> = KeyCache()
    ) {
        self.extensions = extensions
        self.verifyingKey = verifyingKey
        self.domain = domain
        self.fixedValues = fixedValues
        self.sigmaValues = sigmaValues
        // One column per task: 31 interpolations of 2^13 values were a quarter of nanoGPT's key decoding.
        let polynomials = ProverState.concurrentMap(fixedValues + sigmaValues) {
            (try? Evaluations(values: $0, domain: domain))!.interpolate()
        }
        self.fixedPolynomials = Array(polynomials[0..<fixedValues.count])
        self.sigmaPolynomials = Array(polynomials[fixedValues.count...])
        self.powersG1 = powersG1
        self.lagrangeG1 = lagrangeG1
        self.linearRelation = linearRelation
        self.weightBlinding = weightBlinding
        self.windowTables = windowTables
    }

    // MARK: Window tables of the SRS points

    /// A table's window for `rows` bases (`FixedBaseTable.keyWindow`; nil: none).
    static func tableWindow(rows: Int) -> Int? { FixedBaseTable.keyWindow(count: rows) }

    /// The tables setup makes: n·W·c doublings per table, spread over the threads.
    func makeWindowTables() -> WindowTables {
        let lagrangeCount = Self.lagrangeTableCount(circuit: circuit, fixedValues: fixedValues)
        return WindowTables(
            powers: Self.tableWindow(rows: powersG1.count).map { FixedBaseTable(bases: powersG1, window: $0) },
            lagrange: Self.tableWindow(rows: lagrangeCount).map { FixedBaseTable(bases: Array(lagrangeG1[0..<lagrangeCount]), window: $0) })
    }

    /// Bases of the Lagrange table: the power of two at or above the rows a gate or lookup selector turns on.
    /// Advice columns are padding past them, and the prover cuts a column's constant tail before its MSM,
    /// so a table over all n rows of a sparse circuit (a 4096-row embedding table beside 213 lane rows) would
    /// be loaded for MSMs of a few hundred terms that its wide window does not suit.
    static func lagrangeTableCount(circuit: VerifierCircuit, fixedValues: [[Fr]]) -> Int {
        let selectors = Set((circuit.gates.map(\.selector) + circuit.lookups.map(\.selector)).map(\.column))
        var rows = 0
        for column in selectors where column.kind == .fixed {
            if let last = fixedValues[column.index].lastIndex(where: { !$0.isZero }) { rows = max(rows, last + 1) }
        }
        guard rows > 0 else { return 0 }
        var count = 1
        while count < rows { count <<= 1 }
        return min(count, circuit.rowCount)
    }

    public var circuit: VerifierCircuit { verifyingKey.circuit }

    // MARK: The quotient's key columns (stored in the file when small enough)

    /// log₂ of the quotient round's coset: n·2^⌈log₂(D − 1)⌉ points (§7).
    var extensionLog2Size: Int {
        var extraLog = 0
        while (1 << extraLog) < circuit.quotientDegree - 1 { extraLog += 1 }
        return circuit.log2Rows + extraLog
    }

    /// The fixed columns the constraints read, in index order: those the quotient extends.
    var extendedFixedColumns: [Int] {
        Set(circuit.allQueries.map(\.column)).union(circuit.permutationColumns).filter { $0.kind == .fixed }.map(\.index).sorted()
    }

    /// Columns the file stores on the coset (the fixed ones read, σ_i, l_0, l_last, l_active).
    var extensionColumnCount: Int { extendedFixedColumns.count + sigmaValues.count + 3 }

    /// Key files store the coset columns up to this size (setup computes them once instead of every proving
    /// process; past it they are computed by the first proof, as before).
    static let maximumStoredExtensionBytes = 64 << 20

    var storesExtensions: Bool { extensionColumnCount * (32 << extensionLog2Size) <= Self.maximumStoredExtensionBytes }

    /// Coset evaluations of the fixed columns the constraints read, of σ_i, and of the row selectors l_0
    /// (row 0), l_last (row u) and l_active (rows < u) on the quotient's coset.
    func computeExtensions(_ extended: EvaluationDomain) -> KeyExtensions.Columns {
        let n = domain.size, u = circuit.usableRows
        var selectorValues = [[Fr]](repeating: [Fr](repeating: .zero, count: n), count: 3)
        selectorValues[0][0] = .one
        selectorValues[1][u] = .one
        for r in 0..<u { selectorValues[2][r] = .one }
        let selectorPolynomials = ProverState.concurrentMap(selectorValues) { Polynomial(coefficients: try! domain.inverseNTT($0)) }
        let fixed = extendedFixedColumns
        let polynomials = fixed.map { fixedPolynomials[$0] } + sigmaPolynomials + selectorPolynomials
        let values = ProverState.concurrentMap(polynomials) { try! extended.cosetNTT($0.coefficients) }
        return KeyExtensions.Columns(log2Size: extended.log2Size, fixedIndices: fixed, sigmaCount: sigmaPolynomials.count, flat: values)
    }

    /// The stored (or first computed) coset columns.
    func extensionColumns() -> KeyExtensions.Columns {
        extensions.value { computeExtensions(try! EvaluationDomain(log2Size: extensionLog2Size)) }
    }

    /// log M of the committed relation's M × N blocks (nil without a relation): what a prover's circuit
    /// rebuild would otherwise search for (`CircuitFile.rebuild(relationSplit:)`).
    public var relationSplit: BlockSplit? { verifyingKey.circuit.linearRelationShape?.split }

    /// The private-weights blinding seed (nil with public weights): it salts the model hash in the key's metadata.
    public var privateWeightsSeed: [UInt8]? { weightBlinding?.seed }

    /// The same proving key with other verifying-key metadata (the compiler fills it after keygen).
    public func withMetadata(_ metadata: KeyMetadata) throws -> ProvingKey {
        ProvingKey(
            verifyingKey: try verifyingKey.withMetadata(metadata), domain: domain, fixedValues: fixedValues,
            sigmaValues: sigmaValues, powersG1: powersG1, lagrangeG1: lagrangeG1, linearRelation: linearRelation,
            weightBlinding: weightBlinding, extensions: extensions, windowTables: windowTables)
    }

    /// Throws unless `circuit` is the circuit this key was made for (structure and fixed values).
    public func requireMatches(_ circuit: Circuit) throws {
        guard VerifierCircuit(circuit).withPrivateWeights(verifyingKey.circuit.privateWeights) == verifyingKey.circuit else {
            throw KeyError.circuitMismatch("the circuit's structure differs from the key's")
        }
        let u = circuit.usableRows
        for (i, column) in circuit.fixedValues.enumerated() where Array(fixedValues[i][0..<u]) != column {
            throw KeyError.circuitMismatch("fixed column \(i) (\(circuit.fixedNames[i])) differs from the key's")
        }
        guard circuit.linearRelation == linearRelation else {
            throw KeyError.circuitMismatch("the committed linear relation's weights differ from the key's")
        }
    }

    // MARK: File

    /// magic ‖ u32 version ‖ LP(verifying key file) ‖ fixed values ‖ σ values ‖ [τ^i]₁ ‖ [L_i(τ)]₁
    /// [‖ weight blocks [‖ blinding seed (32) ‖ [τ^(2^ℓ)]₁ with private weights]] ‖ u8 stored ‖ [the quotient's
    /// coset columns], scalars canonical, points uncompressed (fast to load: no square roots); the coset columns
    /// (docs/proof-format.md §5) as Montgomery limbs.
    public var encoded: [UInt8] {
        var w = ByteWriter()
        // The whole file's size, reserved so that the buffer (tens to hundreds of MB) is never regrown and copied.
        let vk = verifyingKey.encoded
        let tables = [powersTable, lagrangeTable].reduce(0) { $0 + ($1.map { 64 * ($0.points.count - $0.count) } ?? 0) }
        let blocks = linearRelation?.blocks.reduce(0) { $0 + 4 + 16 * $1.entries.count } ?? 0
        w.reserve(vk.count + 32 * (fixedValues + sigmaValues).reduce(0) { $0 + $1.count }
                  + 64 * (powersG1.count + lagrangeG1.count) + blocks + tables
                  + (storesExtensions ? extensionColumnCount * (32 << extensionLog2Size) : 0) + 1024)
        w.raw(Self.magic)
        w.u32(Self.formatVersion)
        w.prefixed(vk)
        for column in fixedValues + sigmaValues { for v in column { w.scalar(v) } }
        for p in powersG1 + lagrangeG1 { w.raw(p.uncompressed) }
        if let relation = linearRelation { Self.encode(relation.blocks, into: &w) }
        if let b = weightBlinding {
            w.raw(b.seed)
            w.raw(b.power.uncompressed)
        }
        // The window tables, [τ^i]₁'s then [L_i(τ)]₁'s: each a u8 window (0: none), then its points past the
        // first window (those are the points above).
        for table in [powersTable, lagrangeTable] {
            w.u8(UInt8(table?.window ?? 0))
            if let table { Self.encodeTable(table, into: &w) }
        }
        // The quotient's key columns on its coset, Montgomery limbs (read back without conversions): 1 and
        // the columns, or 0 past `maximumStoredExtensionBytes`.
        guard storesExtensions else {
            w.u8(0)
            return w.bytes
        }
        w.u8(1)
        let all = extensionColumns().flat(fixedIndices: extendedFixedColumns)
        let size = 1 << extensionLog2Size
        w.raw(count: all.count * size * 32) { out in
            for (c, column) in all.enumerated() {
                for (i, v) in column.enumerated() { v.writeMontgomery(to: out.baseAddress! + 32 * (c * size + i)) }
            }
        }
        return w.bytes
    }

    /// A table's points past its first window (the bases themselves, stored above), window-major, each as
    /// x ‖ y in Montgomery limbs (the prover's own tables, read back without conversions; docs/proof-format.md §5).
    static func encodeTable(_ table: FixedBaseTable, into w: inout ByteWriter) {
        w.raw(count: (table.points.count - table.count) * 64) { out in
            for (i, p) in table.points[table.count...].enumerated() where !p.isInfinity {
                p.x.writeMontgomery(to: out.baseAddress! + 64 * i)
                p.y.writeMontgomery(to: out.baseAddress! + 64 * i + 32)
            }
        }
    }

    /// How a key stores a column's values: canonical (`writeCanonical`, the fixed and σ columns) or as Montgomery
    /// representatives (`writeMontgomery`, the stored coset columns the prover wrote for itself).
    enum ColumnEncoding { case canonical, montgomery }

    /// `columns` columns of `size` 32-byte values each in `encoding`, every value checked below the modulus, on all
    /// threads, one column per task: the key's columns are most of its decoding time (1.1M values at 2^13).
    static func parseColumns(
        _ r: inout ByteReader, columns: Int, size: Int, name: String, encoding: ColumnEncoding
    ) throws -> [[Fr]] {
        let data = try r.take(columns * size * 32, "\(name)s")
        var parsed = [[Fr]](repeating: [], count: columns)
        var firstBad = [Int](repeating: -1, count: columns)
        data.withUnsafeBytes { raw in
            parsed.withUnsafeMutableBufferPointer { out in
                firstBad.withUnsafeMutableBufferPointer { bad in
                    Parallel.forEach(tasks: columns) { c in
                        out[c] = [Fr](unsafeUninitializedCapacity: size) { values, count in
                            let start = raw.baseAddress! + 32 * c * size
                            // One loop per encoding, so each inlines its check (a closure per value cost ~50 ns).
                            switch encoding {
                            case .canonical:
                                for i in 0..<size {
                                    let v = Fr(canonicalBytesAt: start + 32 * i)
                                    if v == nil && bad[c] < 0 { bad[c] = i }
                                    (values.baseAddress! + i).initialize(to: v ?? .zero)
                                }
                            case .montgomery:
                                for i in 0..<size {
                                    let v = Fr(montgomeryBytes: start + 32 * i)
                                    if v == nil && bad[c] < 0 { bad[c] = i }
                                    (values.baseAddress! + i).initialize(to: v ?? .zero)
                                }
                            }
                            count = size
                        }
                    }
                }
            }
        }
        if let c = firstBad.firstIndex(where: { $0 >= 0 }) {
            throw r.fail("\(name) \(c) value \(firstBad[c]) is not below the modulus")
        }
        return parsed
    }

    /// The table `encodeTable` wrote: every coordinate below q and every point on the curve ((0, 0) is the
    /// point at infinity), checked in parallel chunks; anything else is malformed.
    static func decodeTable(_ r: inout ByteReader, window: Int, bases: [G1Affine], name: String) throws -> FixedBaseTable {
        let n = bases.count
        let rest = n * (FixedBaseTable.windows(window: window) - 1)
        let data = try r.take(rest * 64, "window table of \(name)")
        var bad = [Bool](repeating: false, count: rest)
        // Filled in place (no second pass over a 5–9 MB array): the bases, then every stored multiple.
        let points = [G1Affine](unsafeUninitializedCapacity: n + rest) { out, count in
            _ = out.initialize(from: bases)
            data.withUnsafeBytes { raw in
                bad.withUnsafeMutableBufferPointer { flags in
                    Parallel.forEachChunk(of: rest, minimumChunk: 4096) { range in
                        for i in range {
                            let at = raw.baseAddress! + 64 * i
                            var point = G1Affine.infinity
                            if let x = Fq(montgomeryBytes: at), let y = Fq(montgomeryBytes: at + 32) {
                                if !(x.isZero && y.isZero) {
                                    point = G1Affine(uncheckedX: x, y: y)
                                    if !point.isOnCurve { flags[i] = true }
                                }
                            } else {
                                flags[i] = true
                            }
                            (out.baseAddress! + n + i).initialize(to: point)
                        }
                    }
                }
            }
            count = n + rest
        }
        let firstBad = bad.firstIndex(of: true) ?? Int.max
        guard firstBad == Int.max else {
            throw DecodingError(context: "proving key", offset: r.offset - rest * 64 + 64 * firstBad,
                                reason: "window table of \(name), point \(firstBad): not a curve point in Montgomery form")
        }
        return FixedBaseTable(window: window, count: n, points: points)
    }

    /// Per block: u32 count, then (u32 row, u32 column, i64 value) entries sorted by (row, column), non-zero.
    static func encode(_ blocks: [WeightBlock], into w: inout ByteWriter) {
        for block in blocks {
            w.count(block.entries.count)
            for e in block.entries {
                w.count(e.row)
                w.count(e.column)
                w.i64(e.value)
            }
        }
    }

    /// The blocks of `shape`, each bounded by its size and by the bytes left; canonical (sorted, distinct,
    /// non-zero: what the encoder writes).
    static func decodeBlocks(_ r: inout ByteReader, shape: LinearRelationShape) throws -> [WeightBlock] {
        var blocks: [WeightBlock] = []
        for (b, size) in shape.blockShapes.enumerated() {
            let count = try r.count("block \(b) entries", limit: min(size.rows * size.columns, r.remaining / 16))
            var entries: [WeightBlock.Entry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let row = try r.index("block \(b) row", below: size.rows)
                let column = try r.index("block \(b) column", below: size.columns)
                let value = try r.i64("block \(b) weight")
                guard value != 0 else { throw r.fail("block \(b) stores a zero weight") }
                entries.append(WeightBlock.Entry(row: row, column: column, value: value))
            }
            do {
                blocks.append(try WeightBlock(rows: size.rows, columns: size.columns, entries: entries))
            } catch {
                throw r.fail("block \(b): \(error)")
            }
        }
        return blocks
    }

    public static func decode(_ bytes: [UInt8]) throws -> ProvingKey {
        do {
            var r = ByteReader(bytes, context: "proving key")
            guard Array(try r.take(8, "magic")) == magic else { throw KeyError.badMagic("proving key") }
            let version = try r.u32("format version")
            guard version == formatVersion else {
                throw KeyError.unsupportedVersion(found: version, supported: formatVersion)
            }
            let vk = try VerifyingKey.decode(try r.prefixed("verifying key", limit: r.remaining), forProver: true)
            let c = vk.circuit
            let n = c.rowCount
            let columns = c.fixedCount + c.permutationColumns.count
            let expected = columns * n * 32 + 2 * n * 64
            // The weight blocks follow the tables: with a relation, at least 4 bytes per block.
            let blockBytes = 4 * (c.linearRelationShape?.blockShapes.count ?? 0)
            guard r.remaining >= expected + blockBytes + 1 else {
                throw DecodingError(
                    context: "proving key", offset: r.offset,
                    reason: "\(r.remaining) bytes of tables, the circuit needs \(expected)")
            }
            let tables = try parseColumns(&r, columns: columns, size: n, name: "column", encoding: .canonical)
            var points: [G1Affine] = []
            points.reserveCapacity(2 * n)
            for i in 0..<(2 * n) {
                let data = try r.take(64, "SRS point \(i)")
                do { points.append(try G1Affine(uncompressed: data)) } catch {
                    throw DecodingError(context: "proving key", offset: r.offset - 64, reason: "SRS point \(i): \(error)")
                }
            }
            var relation: LinearRelation? = nil
            if let shape = c.linearRelationShape {
                do {
                    relation = try LinearRelation(shape: shape, blocks: try decodeBlocks(&r, shape: shape))
                } catch let error as ConstraintSystemError {
                    throw r.fail("\(error)")
                }
            }
            var blinding: WeightBlinding? = nil
            if c.hasPrivateWeights {
                let seed = Array(try r.take(WeightBlinding.seedBytes, "weight blinding seed"))
                let data = try r.take(64, "blinding power")
                do { blinding = WeightBlinding(seed: seed, power: try G1Affine(uncompressed: data)) } catch {
                    throw DecodingError(context: "proving key", offset: r.offset - 64, reason: "blinding power: \(error)")
                }
            }
            // Each window table exists exactly when `tableWindow` gives its count one (what setup does).
            let fixedValues = Array(tables[0..<c.fixedCount])
            let lagrangeCount = lagrangeTableCount(circuit: c, fixedValues: fixedValues)
            var windowTables: [FixedBaseTable?] = []
            for (count, bases, name) in [(n, points[0..<n], "[τ^i]₁"), (lagrangeCount, points[n..<(n + lagrangeCount)], "[L_i(τ)]₁")] {
                let window = Int(try r.u8("window of the \(name) table"))
                let expected = tableWindow(rows: count) ?? 0
                guard window == expected else { throw r.fail("a \(name) table of window \(window), expected \(expected)") }
                windowTables.append(window == 0 ? nil : try decodeTable(&r, window: window, bases: Array(bases), name: name))
            }
            let stored = try r.u8("stored coset columns flag")
            let domain = try EvaluationDomain(log2Size: c.log2Rows)
            let key = ProvingKey(
                verifyingKey: vk, domain: domain, fixedValues: fixedValues,
                sigmaValues: Array(tables[c.fixedCount...]), powersG1: Array(points[0..<n]),
                lagrangeG1: Array(points[n...]), linearRelation: relation, weightBlinding: blinding)
            key.windowTables.preset(WindowTables(powers: windowTables[0], lagrange: windowTables[1]))
            // Stored exactly when small enough (what the encoder does), so one key has one encoding.
            guard stored == (key.storesExtensions ? 1 : 0) else {
                throw r.fail("stored coset columns flag \(stored), expected \(key.storesExtensions ? 1 : 0)")
            }
            if stored == 1 {
                let all = try parseColumns(&r, columns: key.extensionColumnCount, size: 1 << key.extensionLog2Size,
                                           name: "stored coset column", encoding: .montgomery)
                key.extensions.preset(KeyExtensions.Columns(
                    log2Size: key.extensionLog2Size, fixedIndices: key.extendedFixedColumns,
                    sigmaCount: key.sigmaValues.count, flat: all))
            }
            try r.requireEnd()
            return key
        } catch let e as DecodingError {
            throw KeyError.malformed(e)
        }
    }
}
