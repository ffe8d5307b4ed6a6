import BN254
import ConstraintSystem
import FieldArithmetic

/// The verifying key's committed-linear-relation section (docs/proof-format.md §3.5, protocol §19.7): the
/// relation's shape — challenges, index ranges, channel strides, block sizes and terms, no weights — and
/// the commitment [K_b] of every weight block. It closes the key body, after the metadata, and is absent
/// (no bytes at all) for a circuit without a relation, so such keys keep their body and fingerprint.
///
/// Decoding bounds every count by its limit (`LinearRelationShape`) and by the bytes that remain before
/// allocating, validates the shape against the circuit (challenges, phases, ℓ ≤ log2 rows), and leaves the
/// canonical-bytes check to the key (it re-encodes the whole body).
extension VerifierCircuit {
    /// The expression tag of Ω (docs/proof-format.md §3.4).
    static let linearClaimTag: UInt8 = 7
    /// The section's leading tag: 1 with public weights, 2 with private ones (then the mask column follows, §19.10).
    static let linearRelationSectionTag: UInt8 = 1
    static let privateLinearRelationSectionTag: UInt8 = 2

    /// The same circuit with a relation shape (decoding attaches it after the key's metadata).
    func withLinearRelation(_ shape: LinearRelationShape?) -> VerifierCircuit {
        VerifierCircuit(
            log2Rows: log2Rows, adviceNames: adviceNames, advicePhases: advicePhases, instanceNames: instanceNames,
            instanceLengths: instanceLengths, instanceBits: instanceBits, fixedNames: fixedNames, challengeNames: challengeNames,
            challengePhases: challengePhases, challengeColumnNames: challengeColumnNames,
            challengeSegments: challengeSegments, gates: gates, lookups: lookups, permutationColumns: permutationColumns,
            linearRelationShape: shape, privateWeights: privateWeights)
    }

    /// The same circuit with (or without) private weights (§19.10).
    public func withPrivateWeights(_ p: PrivateWeights?) -> VerifierCircuit {
        VerifierCircuit(
            log2Rows: log2Rows, adviceNames: adviceNames, advicePhases: advicePhases, instanceNames: instanceNames,
            instanceLengths: instanceLengths, instanceBits: instanceBits, fixedNames: fixedNames, challengeNames: challengeNames,
            challengePhases: challengePhases, challengeColumnNames: challengeColumnNames,
            challengeSegments: challengeSegments, gates: gates, lookups: lookups, permutationColumns: permutationColumns,
            linearRelationShape: linearRelationShape, privateWeights: p)
    }

    // MARK: Encoding

    /// Writes the section (nothing without a relation). `commitments` are [K_b] in block order.
    func encodeLinearRelationSection(commitments: [G1Affine], into w: inout ByteWriter) throws {
        guard let shape = linearRelationShape else {
            guard commitments.isEmpty else { throw KeyError.circuitMismatch("block commitments without a linear relation") }
            return
        }
        guard commitments.count == shape.blockShapes.count else {
            throw KeyError.circuitMismatch("\(commitments.count) block commitments for \(shape.blockShapes.count) blocks")
        }
        if let p = privateWeights {
            w.u8(Self.privateLinearRelationSectionTag)
            w.varint(p.maskColumn)
        } else {
            w.u8(Self.linearRelationSectionTag)
        }
        w.varint(shape.rho.index)
        w.varint(shape.s.index)
        for v in [shape.receiverCount, shape.producerCount, shape.receiverChannelStride, shape.producerChannelStride] {
            w.varint(v)
        }
        w.varint(shape.log2BlockRows)
        w.varint(shape.log2BlockColumns)
        w.varint(shape.blockShapes.count)
        for b in shape.blockShapes {
            w.varint(b.rows - 1)
            w.varint(b.columns - 1)
        }
        w.varint(shape.terms.count)
        var previousBlock = 0
        for term in shape.terms {
            let kind: UInt8
            switch term.kernel {
            case .block: kind = 0
            case .diagonal: kind = 1
            case .ones: kind = 2
            }
            w.u8(kind << 4 | UInt8(term.box.count))
            w.varint(term.receiverOffset)
            w.varint(term.producerOffset)
            for d in term.box {
                w.varint(d.extent - 1)
                w.varint(d.receiverStride)
                w.varint(d.producerStride)
            }
            switch term.kernel {
            case .block(let b):
                w.zigzag(Int64(b - previousBlock))
                previousBlock = b
            case .diagonal(let size, let value):
                w.varint(size - 1)
                w.zigzag(value)
            case .ones(let rows, let columns, let value):
                w.varint(rows - 1)
                w.varint(columns - 1)
                w.zigzag(value)
            }
        }
        for c in commitments { w.point(c) }
    }

    // MARK: Decoding

    /// Bytes of the smallest block (shape and commitment) and the smallest term (header byte, offsets, block).
    static let minimumBlockBytes = 2 + 32
    static let minimumTermBytes = 4
    static let dimensionBytes = 3

    /// Reads the section if bytes remain; returns the circuit with its relation shape and the block
    /// commitments. Without a section, a circuit whose constraints read Ω is refused.
    func decodeLinearRelationSection(_ r: inout ByteReader) throws -> (VerifierCircuit, [G1Affine]) {
        guard !r.isAtEnd else {
            guard !usesLinearClaim else { throw r.fail("a constraint reads Ω but the key has no linear relation") }
            return (self, [])
        }
        let tag = try r.u8("linear relation section tag")
        guard tag == Self.linearRelationSectionTag || tag == Self.privateLinearRelationSectionTag else {
            throw r.fail("section tag \(tag)")
        }
        let mask: Int? =
            try tag == Self.privateLinearRelationSectionTag ? r.varIndex("private weights' mask column", below: adviceCount) : nil
        let rho = try r.varIndex("ρ challenge", below: challengeNames.count)
        let s = try r.varIndex("s challenge", below: challengeNames.count)
        guard challengePhases[rho] < challengePhases[s] else {
            throw r.fail("s (phase \(challengePhases[s])) must be drawn after ρ (phase \(challengePhases[rho]))")
        }
        // Sizes are varints of at most 2^40; those that must be ≥ 1 are stored minus one.
        func size(_ what: String, minimum: Int = 0) throws -> Int {
            let v = try r.varint(what)
            guard v >= UInt64(minimum), v <= UInt64(LinearRelationShape.maximumIndex) else {
                throw r.fail("\(what) = \(v) outside \(minimum)…2^40")
            }
            return Int(v)
        }
        func positive(_ what: String) throws -> Int { try size(what, minimum: 0) + 1 }
        let receivers = try size("receiver count", minimum: 1), producers = try size("producer count", minimum: 1)
        let receiverStride = try size("receiver channel stride", minimum: 1)
        let producerStride = try size("producer channel stride", minimum: 1)
        let log2Rows = try r.varCount("log2 block rows", limit: LinearRelationShape.maximumLog2BlockSize)
        let log2Columns = try r.varCount("log2 block columns", limit: LinearRelationShape.maximumLog2BlockSize)
        guard log2Rows + log2Columns <= self.log2Rows else {
            throw r.fail("blocks of 2^\(log2Rows + log2Columns) weights exceed the circuit's 2^\(self.log2Rows) powers of τ")
        }
        let blockCount = try r.varCount(
            "blocks", limit: min(LinearRelationShape.maximumBlocks, r.remaining / Self.minimumBlockBytes))
        var blocks: [LinearRelationShape.BlockShape] = []
        blocks.reserveCapacity(blockCount)
        for b in 0..<blockCount {
            let rows = try r.varCount("block \(b) rows − 1", limit: (1 << log2Rows) - 1) + 1
            let columns = try r.varCount("block \(b) columns − 1", limit: (1 << log2Columns) - 1) + 1
            blocks.append(.init(rows: rows, columns: columns))
        }
        let termCount = try r.varCount(
            "terms", limit: min(LinearRelationShape.maximumTerms, r.remaining / Self.minimumTermBytes))
        var terms: [LinearTerm] = []
        terms.reserveCapacity(termCount)
        var previousBlock = 0
        for t in 0..<termCount {
            let header = try r.u8("term \(t) kernel and dimensions")
            let kind = header >> 4, dimensions = Int(header & 0x0F)
            guard dimensions <= LinearRelationShape.maximumDimensions, dimensions <= r.remaining / Self.dimensionBytes else {
                throw r.fail("term \(t) has \(dimensions) dimensions (at most \(LinearRelationShape.maximumDimensions))")
            }
            let receiverOffset = try size("term \(t) receiver offset")
            let producerOffset = try size("term \(t) producer offset")
            var box: [BoxDimension] = []
            for d in 0..<dimensions {
                box.append(
                    BoxDimension(
                        extent: try positive("term \(t) extent \(d) − 1"),
                        receiverStride: try size("term \(t) receiver stride \(d)"),
                        producerStride: try size("term \(t) producer stride \(d)")))
            }
            let kernel: TermKernel
            switch kind {
            case 0:
                // The block index is stored as the difference from the previous block term's.
                let step = try r.zigzag("term \(t) block step")
                let (b, overflow) = Int64(previousBlock).addingReportingOverflow(step)
                guard !overflow, b >= 0, b < Int64(blockCount) else {
                    throw r.fail("term \(t) block \(previousBlock) + \(step) is out of range (must be < \(blockCount))")
                }
                previousBlock = Int(b)
                kernel = .block(previousBlock)
            case 1: kernel = .diagonal(size: try positive("term \(t) diagonal size − 1"), value: try r.zigzag("term \(t) value"))
            case 2:
                kernel = .ones(
                    rows: try positive("term \(t) rows − 1"), columns: try positive("term \(t) columns − 1"),
                    value: try r.zigzag("term \(t) value"))
            default: throw r.fail("term \(t) kernel kind \(kind)")
            }
            terms.append(LinearTerm(receiverOffset: receiverOffset, producerOffset: producerOffset, box: box, kernel: kernel))
        }
        let shape: LinearRelationShape
        do {
            shape = try LinearRelationShape(
                rho: Challenge(index: rho), s: Challenge(index: s), receiverCount: receivers, producerCount: producers,
                receiverChannelStride: receiverStride, producerChannelStride: producerStride, log2BlockRows: log2Rows,
                log2BlockColumns: log2Columns, blockShapes: blocks, terms: terms)
        } catch let error as ConstraintSystemError {
            throw r.fail("\(error)")
        }
        var commitments: [G1Affine] = []
        commitments.reserveCapacity(blockCount)
        for b in 0..<blockCount { commitments.append(try r.g1("block commitment \(b)")) }
        let circuit = withLinearRelation(shape).withPrivateWeights(mask.map(PrivateWeights.init(maskColumn:)))
        if let p = circuit.privateWeights {
            do { try circuit.validatePrivateWeights(p) } catch let error as KeyError { throw r.fail("\(error)") }
        }
        return (circuit, commitments)
    }
}
