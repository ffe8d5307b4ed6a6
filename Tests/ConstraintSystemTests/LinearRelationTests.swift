import FieldArithmetic
import Testing
import TestSupport
@testable import ConstraintSystem

/// The committed linear relation of docs/protocol.md §19: the verifier's claim Ω from the terms, the
/// prover's structured fold vector u = ρᵀW, and the relation a convolution's terms must describe.
@Suite struct LinearRelationTests {
    /// A random relation: a few blocks, terms of every kernel kind with 0–3 box dimensions.
    static func randomRelation(_ rng: inout SeededRandom) throws -> LinearRelation {
        let (rStride, pStride) = (Int(rng.next() % 3) + 1, Int(rng.next() % 3) + 1)
        let blockShapes = (0..<3).map { _ in LinearRelationShape.BlockShape(rows: Int(rng.next() % 4) + 1, columns: Int(rng.next() % 4) + 1) }
        let blocks = try blockShapes.map { shape in
            try WeightBlock(rows: shape.rows, columns: shape.columns,
                            dense: (0..<(shape.rows * shape.columns)).map { _ in Int64(rng.next() % 41) - 20 })
        }
        var terms: [LinearTerm] = []
        for _ in 0..<6 {
            let box = (0..<Int(rng.next() % 4)).map { _ in
                BoxDimension(extent: Int(rng.next() % 3) + 1, receiverStride: Int(rng.next() % 20), producerStride: Int(rng.next() % 20))
            }
            let kernel: TermKernel
            switch rng.next() % 3 {
            case 0: kernel = .block(Int(rng.next() % 3))
            case 1: kernel = .diagonal(size: Int(rng.next() % 3) + 1, value: Int64(rng.next() % 7) - 3)
            default: kernel = .ones(rows: Int(rng.next() % 3) + 1, columns: Int(rng.next() % 3) + 1, value: Int64(rng.next() % 7) - 3)
            }
            terms.append(LinearTerm(receiverOffset: Int(rng.next() % 10), producerOffset: Int(rng.next() % 10), box: box, kernel: kernel))
        }
        let shape = try LinearRelationShape(
            rho: Challenge(index: 0), s: Challenge(index: 1), receiverCount: 400, producerCount: 400,
            receiverChannelStride: rStride, producerChannelStride: pStride, log2BlockRows: 2, log2BlockColumns: 2,
            blockShapes: blockShapes, terms: terms)
        return try LinearRelation(shape: shape, blocks: blocks)
    }

    @Test func claimFoldVectorAndExpansionAgree() throws {
        var rng = SeededRandom(seed: 19)
        for _ in 0..<40 {
            let relation = try Self.randomRelation(&rng)
            let (rho, s) = (rng.fr(), rng.fr())
            let expanded = relation.expandedClaim(rho: rho, s: s)
            #expect(relation.claim(rho: rho, s: s) == expanded)
            // Σ_j s^j·u_j with u = ρᵀW is the same bilinear form.
            let u = relation.foldVector(rho: rho)
            var viaU = Fr.zero
            var p = Fr.one
            for value in u {
                viaU += p * value
                p *= s
            }
            #expect(viaU == expanded)
        }
    }

    /// A 2-D convolution (stride 2, padding 1, dilation 1) written as one term per tap in NHWC order must
    /// fold exactly like the dense matrix built straight from the convolution's definition.
    @Test func convolutionTermsDescribeTheConvolution() throws {
        let (cIn, cOut, k, h, w, stride, pad) = (3, 2, 3, 5, 4, 2, 1)
        let oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1
        var rng = SeededRandom(seed: 23)
        let kernel = (0..<(cOut * cIn * k * k)).map { _ in Int64(rng.next() % 31) - 15 }
        func weight(_ o: Int, _ c: Int, _ ky: Int, _ kx: Int) -> Int64 { kernel[((o * cIn + c) * k + ky) * k + kx] }
        // Dense W: receiver (y, x, o) = (y·ow + x)·cOut + o; producer (y', x', c) = (y'·w + x')·cIn + c.
        let receivers = oh * ow * cOut, producers = h * w * cIn
        var dense = [[Int64]](repeating: [Int64](repeating: 0, count: producers), count: receivers)
        for y in 0..<oh { for x in 0..<ow { for o in 0..<cOut { for ky in 0..<k { for kx in 0..<k {
            let iy = y * stride - pad + ky, ix = x * stride - pad + kx
            guard (0..<h).contains(iy), (0..<w).contains(ix) else { continue }
            for c in 0..<cIn { dense[(y * ow + x) * cOut + o][(iy * w + ix) * cIn + c] += weight(o, c, ky, kx) }
        } } } } }
        // Terms: per tap, the valid output positions form a box; the block is the tap's cOut × cIn matrix.
        var blocks: [WeightBlock] = []
        var terms: [LinearTerm] = []
        func valid(_ kOffset: Int, _ outSize: Int, _ inSize: Int) -> Range<Int> {
            let lo = (0..<outSize).first { $0 * stride - pad + kOffset >= 0 } ?? outSize
            let hi = (0..<outSize).last { $0 * stride - pad + kOffset < inSize }.map { $0 + 1 } ?? 0
            return lo..<max(lo, hi)
        }
        for ky in 0..<k {
            for kx in 0..<k {
                let ys = valid(ky, oh, h), xs = valid(kx, ow, w)
                if ys.isEmpty || xs.isEmpty { continue }
                blocks.append(try WeightBlock(rows: cOut, columns: cIn, dense: (0..<(cOut * cIn)).map { weight($0 / cIn, $0 % cIn, ky, kx) }))
                let y0 = ys.lowerBound, x0 = xs.lowerBound
                terms.append(LinearTerm(
                    receiverOffset: (y0 * ow + x0) * cOut,
                    producerOffset: ((y0 * stride - pad + ky) * w + (x0 * stride - pad + kx)) * cIn,
                    box: [BoxDimension(extent: ys.count, receiverStride: ow * cOut, producerStride: stride * w * cIn),
                          BoxDimension(extent: xs.count, receiverStride: cOut, producerStride: stride * cIn)],
                    kernel: .block(blocks.count - 1)))
            }
        }
        let shape = try LinearRelationShape(
            rho: Challenge(index: 0), s: Challenge(index: 1), receiverCount: receivers, producerCount: producers,
            receiverChannelStride: 1, producerChannelStride: 1, log2BlockRows: 1, log2BlockColumns: 2,
            blockShapes: blocks.map { .init(rows: $0.rows, columns: $0.columns) }, terms: terms)
        let relation = try LinearRelation(shape: shape, blocks: blocks)
        let rho = rng.fr(), s = rng.fr()
        var rhoPowers = [Fr](repeating: .one, count: receivers)
        for i in 1..<receivers { rhoPowers[i] = rhoPowers[i - 1] * rho }
        let expected = (0..<producers).map { j in (0..<receivers).reduce(Fr.zero) { $0 + rhoPowers[$1] * Fr(signed: dense[$1][j]) } }
        #expect(relation.foldVector(rho: rho) == expected)
        var sPower = Fr.one
        var bilinear = Fr.zero
        for j in 0..<producers {
            bilinear += sPower * expected[j]
            sPower *= s
        }
        #expect(relation.claim(rho: rho, s: s) == bilinear)
    }

    @Test func outOfRangeTermsAndBlocksAreRefused() throws {
        func shape(_ terms: [LinearTerm], blocks: [LinearRelationShape.BlockShape] = [.init(rows: 2, columns: 2)]) throws -> LinearRelationShape {
            try LinearRelationShape(
                rho: Challenge(index: 0), s: Challenge(index: 1), receiverCount: 10, producerCount: 10,
                receiverChannelStride: 1, producerChannelStride: 1, log2BlockRows: 1, log2BlockColumns: 1,
                blockShapes: blocks, terms: terms)
        }
        let box = [BoxDimension(extent: 4, receiverStride: 2, producerStride: 2)]
        // Receiver indices: offset + 2·3 (box) + 1 (the block's second row): offset 2 reaches 9, offset 3 reaches 10.
        _ = try shape([LinearTerm(receiverOffset: 2, producerOffset: 1, box: box, kernel: .block(0))])
        #expect(throws: ConstraintSystemError.self) {
            try shape([LinearTerm(receiverOffset: 3, producerOffset: 1, box: box, kernel: .block(0))])
        }
        #expect(throws: ConstraintSystemError.self) { try shape([LinearTerm(receiverOffset: 0, producerOffset: 0, box: [], kernel: .block(1))]) }
        #expect(throws: ConstraintSystemError.self) { try shape([], blocks: [.init(rows: 3, columns: 1)]) }
        #expect(throws: ConstraintSystemError.self) {
            try shape([LinearTerm(receiverOffset: 0, producerOffset: 0, box: [BoxDimension(extent: 1 << 41, receiverStride: 0, producerStride: 0)], kernel: .diagonal(size: 1, value: 1))])
        }
    }
}
