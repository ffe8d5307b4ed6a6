import FieldArithmetic

/// The committed linear relation of docs/protocol.md §19: `recv = W·x` over global receiver indices
/// (0..<receiverCount) and producer indices (0..<producerCount), with W given as a sum of structured terms
/// whose kernels are committed weight blocks or small constants.
///
/// `LinearRelationShape` is what the verifier knows (terms, strides, block sizes — no weights);
/// `LinearRelation` adds the blocks' weights (prover, key generation, checker).
public struct LinearRelationShape: Hashable, Sendable {
    /// ρ (drawn after every producer and receiver cell) and s (drawn after the fold vector u).
    public let rho: Challenge
    public let s: Challenge
    /// I and J: every term's indices lie below these.
    public let receiverCount: Int
    public let producerCount: Int
    /// R′ and V′: the stride of a kernel's rows among receivers and of its columns among producers, the same
    /// for every term, so that every committed block is needed at the one point (ρ^R′, s^V′).
    public let receiverChannelStride: Int
    public let producerChannelStride: Int
    /// Blocks are M × N with M = 2^log2BlockRows, N = 2^log2BlockColumns.
    public let log2BlockRows: Int
    public let log2BlockColumns: Int
    /// Rows and columns of each committed block (≤ M, ≤ N).
    public let blockShapes: [BlockShape]
    public let terms: [LinearTerm]

    /// log₂ M and log₂ N of the blocks (ℓ = their sum is what the Gemini opening runs over).
    public var split: BlockSplit { BlockSplit(log2Rows: log2BlockRows, log2Columns: log2BlockColumns) }

    public struct BlockShape: Hashable, Sendable {
        public let rows: Int
        public let columns: Int
        public init(rows: Int, columns: Int) {
            self.rows = rows
            self.columns = columns
        }
    }

    /// Limits every decoder and builder enforces (docs/proof-format.md): they bound the verifier's work.
    public static let maximumIndex = 1 << 40
    public static let maximumLog2BlockSize = 24
    public static let maximumDimensions = 8
    public static let maximumTerms = 1 << 16
    public static let maximumBlocks = 1 << 16

    public init(
        rho: Challenge, s: Challenge, receiverCount: Int, producerCount: Int, receiverChannelStride: Int,
        producerChannelStride: Int, log2BlockRows: Int, log2BlockColumns: Int, blockShapes: [BlockShape],
        terms: [LinearTerm]
    ) throws {
        self.rho = rho
        self.s = s
        self.receiverCount = receiverCount
        self.producerCount = producerCount
        self.receiverChannelStride = receiverChannelStride
        self.producerChannelStride = producerChannelStride
        self.log2BlockRows = log2BlockRows
        self.log2BlockColumns = log2BlockColumns
        self.blockShapes = blockShapes
        self.terms = terms
        try validate()
    }

    public var blockRows: Int { 1 << log2BlockRows }
    public var blockColumns: Int { 1 << log2BlockColumns }
    /// ℓ: the number of variables of the opened block polynomial.
    public var openingVariables: Int { log2BlockRows + log2BlockColumns }

    func validate() throws {
        func fail(_ reason: String) -> ConstraintSystemError { .invalidLinearRelation(reason) }
        guard rho != s else { throw fail("ρ and s must be different challenges") }
        guard (1...Self.maximumIndex).contains(receiverCount), (1...Self.maximumIndex).contains(producerCount) else {
            throw fail("index ranges \(receiverCount) × \(producerCount) outside 1…2^40")
        }
        guard (1...Self.maximumIndex).contains(receiverChannelStride),
            (1...Self.maximumIndex).contains(producerChannelStride)
        else { throw fail("channel strides must be ≥ 1") }
        guard log2BlockRows >= 0, log2BlockColumns >= 0, openingVariables >= 1,
            openingVariables <= Self.maximumLog2BlockSize
        else { throw fail("blocks of 2^\(log2BlockRows) × 2^\(log2BlockColumns) (1 ≤ ℓ ≤ \(Self.maximumLog2BlockSize))") }
        guard blockShapes.count <= Self.maximumBlocks, terms.count <= Self.maximumTerms else {
            throw fail("\(blockShapes.count) blocks and \(terms.count) terms exceed the limits")
        }
        for (b, shape) in blockShapes.enumerated() {
            guard (1...blockRows).contains(shape.rows), (1...blockColumns).contains(shape.columns) else {
                throw fail("block \(b) is \(shape.rows) × \(shape.columns), blocks hold at most \(blockRows) × \(blockColumns)")
            }
        }
        for (t, term) in terms.enumerated() {
            guard term.box.count <= Self.maximumDimensions else { throw fail("term \(t) has \(term.box.count) dimensions") }
            let (rows, columns): (Int, Int)
            switch term.kernel {
            case .block(let b):
                guard blockShapes.indices.contains(b) else { throw fail("term \(t) uses block \(b) of \(blockShapes.count)") }
                (rows, columns) = (blockShapes[b].rows, blockShapes[b].columns)
            case .diagonal(let size, _):
                guard (1...Self.maximumIndex).contains(size) else { throw fail("term \(t): diagonal of size \(size)") }
                (rows, columns) = (size, size)
            case .ones(let r, let c, _):
                guard (1...Self.maximumIndex).contains(r), (1...Self.maximumIndex).contains(c) else {
                    throw fail("term \(t): ones of \(r) × \(c)")
                }
                (rows, columns) = (r, c)
            }
            // The largest index a term touches, with every product bounded so nothing overflows.
            func last(_ offset: Int, _ strides: [Int], _ channel: Int, _ channels: Int, bound: Int, _ side: String) throws {
                guard (0..<bound).contains(offset) else { throw fail("term \(t): \(side) offset \(offset) outside 0..<\(bound)") }
                var top = offset
                for (d, dimension) in term.box.enumerated() {
                    let stride = strides[d]
                    guard dimension.extent >= 1, dimension.extent <= Self.maximumIndex, stride >= 0,
                        stride <= Self.maximumIndex
                    else { throw fail("term \(t): dimension \(d) has extent \(dimension.extent), \(side) stride \(stride)") }
                    top += stride * (dimension.extent - 1)
                    guard top < bound else { throw fail("term \(t) reaches \(side) index \(top) ≥ \(bound)") }
                }
                top += channel * (channels - 1)
                guard top < bound else { throw fail("term \(t) reaches \(side) index \(top) ≥ \(bound)") }
            }
            try last(term.receiverOffset, term.box.map(\.receiverStride), receiverChannelStride, rows, bound: receiverCount, "receiver")
            try last(term.producerOffset, term.box.map(\.producerStride), producerChannelStride, columns, bound: producerCount, "producer")
        }
    }

    // MARK: The verifier's claim (§19.6)

    /// Ω = constant + Σ_b blockCoefficients[b]·K_b(ρ′, s′): the constant terms' part of Σ ρ^i s^j W[i][j]
    /// and the factor c_b of each committed block.
    public func evaluate(rho r: Fr, s x: Fr) -> (constant: Fr, blockCoefficients: [Fr]) {
        // Every exponent of ρ and s below is an offset or stride (< 2^41): fixed-base tables make each power a
        // handful of multiplications instead of ~2·41 (the key's terms need several powers each).
        var largest = max(receiverChannelStride, producerChannelStride)
        for term in terms {
            largest = max(largest, term.receiverOffset, term.producerOffset)
            for d in term.box { largest = max(largest, d.receiverStride, d.producerStride) }
        }
        let rhoPowers = FixedBasePowers(r, largestExponent: largest, uses: 2 * terms.count + 1)
        let sPowers = FixedBasePowers(x, largestExponent: largest, uses: 2 * terms.count + 1)
        let rhoPrime = rhoPowers.power(receiverChannelStride)
        let sPrime = sPowers.power(producerChannelStride)
        // Every geometric sum G(q, n) of the proof, inverted together.
        var requests: [(q: Fr, n: Int)] = []
        for term in terms {
            for d in term.box { requests.append((rhoPowers.power(d.receiverStride) * sPowers.power(d.producerStride), d.extent)) }
            switch term.kernel {
            case .block: break
            case .diagonal(let size, _): requests.append((rhoPrime * sPrime, size))
            case .ones(let rows, let columns, _):
                requests.append((rhoPrime, rows))
                requests.append((sPrime, columns))
            }
        }
        let sums = GeometricSums.evaluate(requests)
        var next = 0
        var constant = Fr.zero
        var coefficients = [Fr](repeating: .zero, count: blockShapes.count)
        for term in terms {
            var factor = rhoPowers.power(term.receiverOffset) * sPowers.power(term.producerOffset)
            for _ in term.box {
                factor *= sums[next]
                next += 1
            }
            switch term.kernel {
            case .block(let b): coefficients[b] += factor
            case .diagonal(_, let value):
                constant += factor * Fr(signed: value) * sums[next]
                next += 1
            case .ones(_, _, let value):
                constant += factor * Fr(signed: value) * sums[next] * sums[next + 1]
                next += 2
            }
        }
        return (constant, coefficients)
    }

    /// The point at which every block is opened: coordinates s′^(2^t) for the log N column bits, then
    /// ρ′^(2^t) for the log M row bits (a block's entry [α][γ] is coefficient α·N + γ).
    public func openingPoint(rho r: Fr, s x: Fr) -> [Fr] {
        func powers(_ base: Fr, _ count: Int) -> [Fr] {
            var out: [Fr] = []
            var p = base
            for _ in 0..<count {
                out.append(p)
                p = p.squared()
            }
            return out
        }
        return powers(x.power(UInt64(producerChannelStride)), log2BlockColumns)
            + powers(r.power(UInt64(receiverChannelStride)), log2BlockRows)
    }
}

/// One term of W (docs/protocol.md §19.3): Σ_{x ∈ box} Σ_{α,γ} K[α][γ]·e_(i₀ + Σ a_d·x_d + α·R′) ⊗ e_(j₀ + Σ b_d·x_d + γ·V′).
public struct LinearTerm: Hashable, Sendable {
    public let receiverOffset: Int
    public let producerOffset: Int
    public let box: [BoxDimension]
    public let kernel: TermKernel

    public init(receiverOffset: Int, producerOffset: Int, box: [BoxDimension], kernel: TermKernel) {
        self.receiverOffset = receiverOffset
        self.producerOffset = producerOffset
        self.box = box
        self.kernel = kernel
    }
}

public struct BoxDimension: Hashable, Sendable {
    public let extent: Int
    public let receiverStride: Int
    public let producerStride: Int

    public init(extent: Int, receiverStride: Int, producerStride: Int) {
        self.extent = extent
        self.receiverStride = receiverStride
        self.producerStride = producerStride
    }
}

public enum TermKernel: Hashable, Sendable {
    /// A committed weight block (index into the relation's blocks).
    case block(Int)
    /// value·I (size × size): copies, pooling windows, residual adds, uniform averages.
    case diagonal(size: Int, value: Int64)
    /// value everywhere (rows × columns): sums over channels, constant offsets.
    case ones(rows: Int, columns: Int, value: Int64)
}

/// A committed block's weights: sparse, sorted by (row, column), distinct, non-zero.
public struct WeightBlock: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public let row: Int
        public let column: Int
        public let value: Int64
        public init(row: Int, column: Int, value: Int64) {
            self.row = row
            self.column = column
            self.value = value
        }
    }

    public let rows: Int
    public let columns: Int
    public let entries: [Entry]

    public init(rows: Int, columns: Int, entries: [Entry]) throws {
        guard rows >= 1, columns >= 1 else { throw ConstraintSystemError.invalidLinearRelation("empty block \(rows) × \(columns)") }
        var previous: (Int, Int)? = nil
        var hasZero = false
        for e in entries {
            hasZero = hasZero || e.value == 0
            guard (0..<rows).contains(e.row), (0..<columns).contains(e.column) else {
                throw ConstraintSystemError.invalidLinearRelation("block entry (\(e.row), \(e.column)) outside \(rows) × \(columns)")
            }
            if let p = previous, !(p < (e.row, e.column)) {
                throw ConstraintSystemError.invalidLinearRelation("block entries must be sorted by (row, column) and distinct")
            }
            previous = (e.row, e.column)
        }
        self.rows = rows
        self.columns = columns
        // Keys store no zeros: their blocks are kept without a copy.
        self.entries = hasZero ? entries.filter { $0.value != 0 } : entries
    }

    /// A dense row-major block (zeros dropped).
    public init(rows: Int, columns: Int, dense values: [Int64]) throws {
        guard values.count == rows * columns else {
            throw ConstraintSystemError.invalidLinearRelation("dense block \(rows) × \(columns) needs \(rows * columns) values")
        }
        var entries: [Entry] = []
        for (k, v) in values.enumerated() where v != 0 { entries.append(Entry(row: k / columns, column: k % columns, value: v)) }
        try self.init(rows: rows, columns: columns, entries: entries)
    }

    /// K(a, b) = Σ K[α][γ]·a^α·b^γ.
    public func evaluate(rowPoint a: Fr, columnPoint b: Fr) -> Fr {
        var aPowers = [Fr](repeating: .one, count: rows)
        for i in 1..<max(rows, 1) { aPowers[i] = aPowers[i - 1] * a }
        var bPowers = [Fr](repeating: .one, count: columns)
        for i in 1..<max(columns, 1) { bPowers[i] = bPowers[i - 1] * b }
        var sum = Fr.zero
        for e in entries { sum += Fr(signed: e.value) * aPowers[e.row] * bPowers[e.column] }
        return sum
    }
}

/// The shape plus the weights: what key generation commits to and what the prover and checker use.
public struct LinearRelation: Hashable, Sendable {
    public let shape: LinearRelationShape
    public let blocks: [WeightBlock]

    public init(shape: LinearRelationShape, blocks: [WeightBlock]) throws {
        guard blocks.count == shape.blockShapes.count,
            zip(blocks, shape.blockShapes).allSatisfy({ $0.rows == $1.rows && $0.columns == $1.columns })
        else { throw ConstraintSystemError.invalidLinearRelation("blocks do not match the shape's block sizes") }
        self.shape = shape
        self.blocks = blocks
    }

    /// Ω computed from the weights themselves (the checker's value; the verifier gets the block part from
    /// the opening instead).
    public func claim(rho r: Fr, s x: Fr) -> Fr {
        let (constant, coefficients) = shape.evaluate(rho: r, s: x)
        let a = r.power(UInt64(shape.receiverChannelStride)), b = x.power(UInt64(shape.producerChannelStride))
        var total = constant
        for (block, c) in zip(blocks, coefficients) where !c.isZero { total += c * block.evaluate(rowPoint: a, columnPoint: b) }
        return total
    }

    /// The block coefficient vector f = Σ_b c_b·k_b (length M·N, entry [α][γ] at α·N + γ) that the Gemini
    /// proof opens.
    public func combinedBlocks(coefficients: [Fr]) -> [Fr] {
        var f = [Fr](repeating: .zero, count: shape.blockRows * shape.blockColumns)
        let n = shape.blockColumns
        for (block, c) in zip(blocks, coefficients) where !c.isZero {
            // One Montgomery multiplication per weight (no separate conversion of the integer).
            let factor = SmallFactorProducts(c)
            f.withUnsafeMutableBufferPointer { out in
                for e in block.entries { factor.add(e.value, to: &out[e.row &* n &+ e.column]) }
            }
        }
        return f
    }

    /// u* = ρᵀW (length J): per term, the kernel folded over its rows once (per parameter), then scattered
    /// over the box (per box point and kernel column) — never per (row, column, box point).
    public func foldVector(rho r: Fr) -> [Fr] {
        var u = [Fr](repeating: .zero, count: shape.producerCount)
        let rhoPrime = r.power(UInt64(shape.receiverChannelStride))
        for term in shape.terms {
            // K'[γ] = Σ_α ρ′^α·K[α][γ], with the column stride V′ applied when scattering.
            let folded: [(column: Int, value: Fr)]
            switch term.kernel {
            case .block(let b):
                let block = blocks[b]
                // ρ′^α held as products by small integers: one Montgomery multiplication per weight.
                var powers = [SmallFactorProducts<FrParameters>]()
                powers.reserveCapacity(block.rows)
                var p = Fr.one
                for _ in 0..<block.rows {
                    powers.append(SmallFactorProducts(p))
                    p *= rhoPrime
                }
                var columns = [Fr](repeating: .zero, count: block.columns)
                columns.withUnsafeMutableBufferPointer { out in
                    for e in block.entries { powers[e.row].add(e.value, to: &out[e.column]) }
                }
                folded = columns.enumerated().compactMap { $1.isZero ? nil : ($0, $1) }
            case .diagonal(let size, let value):
                var p = Fr(signed: value)
                folded = (0..<size).map { k in
                    defer { p *= rhoPrime }
                    return (k, p)
                }
            case .ones(let rows, let columns, let value):
                let total = Fr(signed: value) * GeometricSums.evaluate([(rhoPrime, rows)])[0]
                folded = (0..<columns).map { ($0, total) }
            }
            if folded.isEmpty { continue }
            let v = shape.producerChannelStride
            forEachBoxPoint(term.box, weightBase: r, offset: term.receiverOffset) { weight, producerStep in
                let base = term.producerOffset + producerStep
                for (column, value) in folded { u[base + column * v] += weight * value }
            }
        }
        return u
    }

    /// Σ_{i,j} ρ^i·s^j·W[i][j] by expanding every term entry by entry: a reference for tests (small only).
    public func expandedClaim(rho r: Fr, s x: Fr) -> Fr {
        var total = Fr.zero
        for term in shape.terms {
            let entries: [(Int, Int, Int64)]
            switch term.kernel {
            case .block(let b): entries = blocks[b].entries.map { ($0.row, $0.column, $0.value) }
            case .diagonal(let size, let value): entries = (0..<size).map { ($0, $0, value) }
            case .ones(let rows, let columns, let value): entries = (0..<(rows * columns)).map { ($0 / columns, $0 % columns, value) }
            }
            forEachBoxPoint(term.box) { receiverStep, producerStep in
                for (a, c, value) in entries {
                    let i = term.receiverOffset + receiverStep + a * shape.receiverChannelStride
                    let j = term.producerOffset + producerStep + c * shape.producerChannelStride
                    total += Fr(signed: value) * r.power(UInt64(i)) * x.power(UInt64(j))
                }
            }
        }
        return total
    }
}

/// Visits every point of a box in odometer order, passing (Σ a_d·x_d, Σ b_d·x_d).
func forEachBoxPoint(_ box: [BoxDimension], _ body: (Int, Int) -> Void) {
    if box.isEmpty {
        body(0, 0)
        return
    }
    var index = [Int](repeating: 0, count: box.count)
    var receiver = 0, producer = 0
    while true {
        body(receiver, producer)
        var d = box.count - 1
        while d >= 0 {
            index[d] += 1
            receiver += box[d].receiverStride
            producer += box[d].producerStride
            if index[d] < box[d].extent { break }
            receiver -= box[d].receiverStride * box[d].extent
            producer -= box[d].producerStride * box[d].extent
            index[d] = 0
            d -= 1
        }
        if d < 0 { return }
    }
}

/// Visits every point of a box in odometer order, passing (ρ^(offset + Σ a_d·x_d), Σ b_d·x_d): the weight
/// is kept by one multiplication per step (and one per carry), not an exponentiation per point.
func forEachBoxPoint(_ box: [BoxDimension], weightBase r: Fr, offset: Int, _ body: (Fr, Int) -> Void) {
    let steps = box.map { r.power(UInt64($0.receiverStride)) }
    var rewinds = zip(steps, box).map { $0.power(UInt64($1.extent)) }
    Fr.batchInvert(&rewinds)
    var weight = r.power(UInt64(offset))
    var index = [Int](repeating: 0, count: box.count)
    var producer = 0
    while true {
        body(weight, producer)
        var d = box.count - 1
        while d >= 0 {
            index[d] += 1
            weight *= steps[d]
            producer += box[d].producerStride
            if index[d] < box[d].extent { break }
            weight *= rewinds[d]
            producer -= box[d].producerStride * box[d].extent
            index[d] = 0
            d -= 1
        }
        if d < 0 { return }
    }
}

/// base^e for many exponents e < 2^bits: a table of base^(d·2^(w·k)) for every w-bit digit d and position k, so a
/// power is one multiplication per non-zero digit. The window w is 8 bits when the table pays for itself (more
/// than ~64 powers), else 4 bits.
struct FixedBasePowers {
    let window: Int
    let table: [[Fr]]

    init(_ base: Fr, largestExponent: Int, uses: Int) {
        let bits = max(1, Int.bitWidth - largestExponent.leadingZeroBitCount)
        window = uses > 64 ? 8 : 4
        var rows: [[Fr]] = []
        var step = base  // base^(2^(w·k))
        for _ in 0..<((bits + window - 1) / window) {
            var row = [Fr.one]
            row.reserveCapacity(1 << window)
            for _ in 1..<(1 << window) { row.append(row[row.count - 1] * step) }
            step = row[row.count - 1] * step
            rows.append(row)
        }
        table = rows
    }

    /// base^e for 0 ≤ e < 2^(window·rows).
    func power(_ e: Int) -> Fr {
        var result = Fr.one
        var rest = e, k = 0
        let mask = (1 << window) - 1
        while rest > 0 {
            let digit = rest & mask
            if digit != 0 { result *= table[k][digit] }
            rest >>= window
            k += 1
        }
        return result
    }
}

/// G(q, n) = Σ_{x<n} q^x for many (q, n) with one batch inversion: (q^n − 1)/(q − 1), or n when q = 1.
enum GeometricSums {
    static func evaluate(_ requests: [(q: Fr, n: Int)]) -> [Fr] {
        var denominators = requests.map { $0.q == .one ? Fr.one : $0.q - .one }
        Fr.batchInvert(&denominators)
        return zip(requests, denominators).map { request, inverse in
            request.q == .one ? Fr(UInt64(request.n)) : (request.q.power(UInt64(request.n)) - .one) * inverse
        }
    }
}

/// The M × N block size of a relation, M = 2^log2Rows, N = 2^log2Columns: what a proving key tells a rebuild so
/// that it does not search for it again (`CompiledCircuit.init(relationSplit:)`).
public struct BlockSplit: Hashable, Sendable {
    public let log2Rows: Int
    public let log2Columns: Int
    public init(log2Rows: Int, log2Columns: Int) {
        self.log2Rows = log2Rows
        self.log2Columns = log2Columns
    }
    public var variables: Int { log2Rows + log2Columns }
}
