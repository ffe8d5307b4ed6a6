import BN254
import ConstraintSystem
import FieldArithmetic
import KZG
import PlonkVerifier
import Polynomials

/// Everything the prover needs besides the witness (docs/proof-format.md §5): the verifying key, the fixed
/// and permutation polynomials (values on H and coefficients), and the part of the SRS the commitments use
/// ([τ^i]₁ and the Lagrange basis for this circuit's n), so proving never reads the SRS file.
public struct ProvingKey: Sendable {
    public static let magic: [UInt8] = Array("ZKIPKEY".utf8) + [0]
    public static let formatVersion: UInt32 = 2

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
    /// Coset evaluations of the key's polynomials, filled by the first proof (`KeyExtensions`); shared by
    /// copies of the key.
    let extensions = KeyExtensions()

    init(
        verifyingKey: VerifyingKey, domain: EvaluationDomain, fixedValues: [[Fr]], sigmaValues: [[Fr]],
        powersG1: [G1Affine], lagrangeG1: [G1Affine], linearRelation: LinearRelation? = nil,
        weightBlinding: WeightBlinding? = nil
    ) {
        self.verifyingKey = verifyingKey
        self.domain = domain
        self.fixedValues = fixedValues
        self.sigmaValues = sigmaValues
        self.fixedPolynomials = fixedValues.map { (try? Evaluations(values: $0, domain: domain))!.interpolate() }
        self.sigmaPolynomials = sigmaValues.map { (try? Evaluations(values: $0, domain: domain))!.interpolate() }
        self.powersG1 = powersG1
        self.lagrangeG1 = lagrangeG1
        self.linearRelation = linearRelation
        self.weightBlinding = weightBlinding
    }

    public var circuit: VerifierCircuit { verifyingKey.circuit }

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
            weightBlinding: weightBlinding)
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
    /// [‖ weight blocks [‖ blinding seed (32) ‖ [τ^(2^ℓ)]₁ with private weights]], scalars canonical, points
    /// uncompressed (fast to load: no square roots).
    public var encoded: [UInt8] {
        var w = ByteWriter()
        w.raw(Self.magic)
        w.u32(Self.formatVersion)
        w.prefixed(verifyingKey.encoded)
        for column in fixedValues + sigmaValues { for v in column { w.scalar(v) } }
        for p in powersG1 + lagrangeG1 { w.raw(p.uncompressed) }
        if let relation = linearRelation { Self.encode(relation.blocks, into: &w) }
        if let b = weightBlinding {
            w.raw(b.seed)
            w.raw(b.power.uncompressed)
        }
        return w.bytes
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
            guard c.linearRelationShape == nil ? r.remaining == expected : r.remaining >= expected + blockBytes else {
                throw DecodingError(
                    context: "proving key", offset: r.offset,
                    reason: "\(r.remaining) bytes of tables, the circuit needs \(expected)")
            }
            var tables: [[Fr]] = []
            for i in 0..<columns { tables.append(try (0..<n).map { _ in try r.scalar("column \(i) value") }) }
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
            try r.requireEnd()
            let domain = try EvaluationDomain(log2Size: c.log2Rows)
            return ProvingKey(
                verifyingKey: vk, domain: domain, fixedValues: Array(tables[0..<c.fixedCount]),
                sigmaValues: Array(tables[c.fixedCount...]), powersG1: Array(points[0..<n]),
                lagrangeG1: Array(points[n...]), linearRelation: relation, weightBlinding: blinding)
        } catch let e as DecodingError {
            throw KeyError.malformed(e)
        }
    }
}
