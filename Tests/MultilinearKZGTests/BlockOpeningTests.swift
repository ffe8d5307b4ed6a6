import ConstraintSystem
import FieldArithmetic
import MultilinearKZG
import Testing
import TestSupport

/// docs/protocol.md §19.5: the blocks' combined coefficient vector, read as a monomial multilinear
/// polynomial at the relation's opening point, is Σ_b c_b·K_b(ρ′, s′) — the value the verifier's claim needs.
@Suite struct BlockOpeningTests {
    @Test func combinedBlocksAtTheOpeningPointGiveTheCommittedPartOfTheClaim() throws {
        var rng = SeededRandom(seed: 29)
        let shapes: [LinearRelationShape.BlockShape] = [.init(rows: 3, columns: 4), .init(rows: 4, columns: 2), .init(rows: 1, columns: 3)]
        let blocks = try shapes.map { s in
            try WeightBlock(rows: s.rows, columns: s.columns, dense: (0..<(s.rows * s.columns)).map { _ in Int64(rng.next() % 201) - 100 })
        }
        let terms = (0..<3).map { b in
            LinearTerm(receiverOffset: b, producerOffset: 2 * b,
                       box: [BoxDimension(extent: 3, receiverStride: 5, producerStride: 7)], kernel: .block(b))
        } + [LinearTerm(receiverOffset: 0, producerOffset: 0, box: [], kernel: .diagonal(size: 2, value: 9))]
        let shape = try LinearRelationShape(
            rho: Challenge(index: 0), s: Challenge(index: 1), receiverCount: 64, producerCount: 64,
            receiverChannelStride: 3, producerChannelStride: 2, log2BlockRows: 2, log2BlockColumns: 2,
            blockShapes: shapes, terms: terms)
        let relation = try LinearRelation(shape: shape, blocks: blocks)
        let rho = rng.fr(), s = rng.fr()
        let (constant, coefficients) = shape.evaluate(rho: rho, s: s)
        let opened = MonomialMultilinear.evaluate(relation.combinedBlocks(coefficients: coefficients),
                                                  at: shape.openingPoint(rho: rho, s: s))
        #expect(constant + opened == relation.claim(rho: rho, s: s))
        #expect(constant + opened == relation.expandedClaim(rho: rho, s: s))
    }
}
