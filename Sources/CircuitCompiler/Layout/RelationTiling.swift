import ConstraintSystem

/// Covers the entries of W that no structured term carries with committed blocks (docs/protocol.md §19.9).
///
/// Per (receiver slot, producer slot) pair the entries are points (receiver row, producer row). A band of M rows
/// starts at the first uncovered point's row, and inside it blocks of N columns start at the first uncovered
/// column, so a block never straddles an alignment boundary it does not need. Blocks with the same weights at
/// the same relative places (a recurrent layer's steps, repeated ties) are committed once, and terms of one block
/// and box whose offsets step by a constant (Δi, Δj) become one term with one more box dimension.
///
/// Link entries (copies and ties of the architecture, `LinearSystem.links`) of a slot pair may instead be public
/// constant terms: each run of points on one diagonal (receiver row + k, producer row + k) with one value is a
/// c·diag term, merged into boxes like the block terms. A pair's links take that form when its descriptors are
/// smaller than the blocks that would cover them (regular copies: a run or a progression is one term; scattered
/// ones stay in blocks, ~128 copies per 32-byte commitment). Links are structure, never weights, so a key with
/// private weights shows nothing more.
struct RelationTiling {
    /// Entries per slot pair, summed per (row, row), sorted by (receiver row, producer row).
    let pairs: [(receiverSlot: Int, producerSlot: Int, points: [(row: Int, column: Int, weight: Int64)])]
    let receiverSlots: Int
    let producerSlots: Int
    /// The link entries as constant terms (the same for every block split).
    let linkTerms: [LinearTerm]

    init(entries: [CompiledCircuit.Entry], receiverSlots r: Int, producerSlots v: Int) throws {
        // Per slot pair, the links as constant terms when those take fewer key bytes than blocks would.
        var linksByPair: [Int: [CompiledCircuit.Entry]] = [:]
        for e in entries where e.link { linksByPair[(e.receiver % r) * v + e.producer % v, default: []].append(e) }
        var constantTerms: [LinearTerm] = []
        var tiled = entries.filter { !$0.link }
        for pair in linksByPair.keys.sorted() {
            let links = linksByPair[pair]!
            let terms = try Self.diagonalRuns(links, receiverSlots: r, producerSlots: v)
            let points = links.map { (row: $0.receiver / r, column: $0.producer / v, weight: $0.weight) }
                .sorted { ($0.row, $0.column) < ($1.row, $1.column) }
            // A block costs ≈ 34 bytes (commitment, shape) and its term ≈ 10; tiles of 2^7 × 2^7 as an estimate.
            let blockBytes = 44 * Self.tiles(points, logM: 7, logN: 7).count
            if terms.reduce(0, { $0 + 8 + 7 * $1.box.count }) <= blockBytes {
                constantTerms += terms
            } else {
                tiled += links
            }
        }
        linkTerms = Self.merged(constantTerms)
        // Sorted by (pair, receiver row · 2^32 + producer row), duplicates summed in one sweep: no hashing.
        var keyed = tiled.map { e in
            (pair: (e.receiver % r) * v + e.producer % v, key: (e.receiver / r) << 32 | (e.producer / v), weight: e.weight)
        }
        keyed.sort { ($0.pair, $0.key) < ($1.pair, $1.key) }
        var pairs: [(receiverSlot: Int, producerSlot: Int, points: [(row: Int, column: Int, weight: Int64)])] = []
        var k = 0
        while k < keyed.count {
            let (pair, key) = (keyed[k].pair, keyed[k].key)
            var sum: Int64 = 0
            while k < keyed.count, keyed[k].pair == pair, keyed[k].key == key {
                let (next, overflow) = sum.addingReportingOverflow(keyed[k].weight)
                guard !overflow else { throw CompilerError.witnessMismatch("a weight of the linear relation overflows 64 bits") }
                sum = next
                k += 1
            }
            guard sum != 0 else { continue }
            if pairs.last.map({ $0.receiverSlot * v + $0.producerSlot }) != pair { pairs.append((pair / v, pair % v, [])) }
            pairs[pairs.count - 1].points.append((row: key >> 32, column: key & 0xFFFF_FFFF, weight: sum))
        }
        self.pairs = pairs
        receiverSlots = r
        producerSlots = v
    }

    /// The blocks of one slot pair: (first receiver row, first producer row, entries relative to them).
    static func tiles(_ points: [(row: Int, column: Int, weight: Int64)], logM: Int, logN: Int)
        -> [(row: Int, column: Int, entries: [WeightBlock.Entry])]
    {
        var result: [(row: Int, column: Int, entries: [WeightBlock.Entry])] = []
        var start = 0
        while start < points.count {
            let first = points[start].row
            var end = start
            while end < points.count, points[end].row - first < 1 << logM { end += 1 }
            let band = points[start..<end].sorted { ($0.column, $0.row) < ($1.column, $1.row) }
            var k = band.startIndex
            while k < band.endIndex {
                let column = band[k].column
                var entries: [WeightBlock.Entry] = []
                while k < band.endIndex, band[k].column - column < 1 << logN {
                    entries.append(WeightBlock.Entry(row: band[k].row - first, column: band[k].column - column, value: band[k].weight))
                    k += 1
                }
                entries.sort { ($0.row, $0.column) < ($1.row, $1.column) }
                result.append((first, column, entries))
            }
            start = end
        }
        return result
    }

    func cover(logM: Int, logN: Int) throws -> (blocks: [WeightBlock], terms: [LinearTerm]) {
        var blocks: [WeightBlock] = []
        var indexOf: [[WeightBlock.Entry]: Int] = [:]
        var offsets: [[(receiver: Int, producer: Int)]] = []
        for pair in pairs {
            for tile in Self.tiles(pair.points, logM: logM, logN: logN) {
                let b: Int
                if let known = indexOf[tile.entries] {
                    b = known
                } else {
                    b = blocks.count
                    indexOf[tile.entries] = b
                    blocks.append(try WeightBlock(rows: tile.entries.map(\.row).max()! + 1,
                                                  columns: tile.entries.map(\.column).max()! + 1, entries: tile.entries))
                    offsets.append([])
                }
                offsets[b].append((tile.row * receiverSlots + pair.receiverSlot, tile.column * producerSlots + pair.producerSlot))
            }
        }
        // One term per arithmetic progression of a block's offsets, then of terms with the same block and box
        // (each pass adds a box dimension: slots, tiles, operands of an elementwise layer).
        var terms: [LinearTerm] = []
        for (b, list) in offsets.enumerated() {
            for o in list { terms.append(LinearTerm(receiverOffset: o.receiver, producerOffset: o.producer, box: [], kernel: .block(b))) }
        }
        return (blocks, Self.merged(terms) + linkTerms)
    }

    /// Up to three passes of `mergeProgressions`.
    static func merged(_ terms: [LinearTerm]) -> [LinearTerm] {
        var terms = terms
        for _ in 0..<3 {
            let merged = Self.mergeProgressions(terms)
            if merged.count == terms.count { break }
            terms = merged
        }
        return terms
    }

    /// Link entries as c·diag terms: per slot pair, duplicates summed, then maximal runs along a diagonal
    /// (consecutive receiver and producer rows) with one value; a diag of size A covers (i₀ + α·R′, j₀ + α·V′),
    /// R′ and V′ being the slot counts (the relation's channel strides).
    static func diagonalRuns(_ entries: [CompiledCircuit.Entry], receiverSlots r: Int, producerSlots v: Int) throws -> [LinearTerm] {
        // Key: (pair, diagonal = producer row − receiver row, receiver row); summed in one sweep after sorting.
        var keyed = entries.map { e in
            (pair: (e.receiver % r) * v + e.producer % v, diagonal: e.producer / v - e.receiver / r, row: e.receiver / r, weight: e.weight)
        }
        keyed.sort { ($0.pair, $0.diagonal, $0.row) < ($1.pair, $1.diagonal, $1.row) }
        var points: [(pair: Int, diagonal: Int, row: Int, weight: Int64)] = []
        for e in keyed {
            if let last = points.last, last.pair == e.pair, last.diagonal == e.diagonal, last.row == e.row {
                let (sum, overflow) = last.weight.addingReportingOverflow(e.weight)
                guard !overflow else { throw CompilerError.witnessMismatch("a link of the linear relation overflows 64 bits") }
                points[points.count - 1].weight = sum
            } else {
                points.append(e)
            }
        }
        points.removeAll { $0.weight == 0 }
        var terms: [LinearTerm] = []
        var k = 0
        while k < points.count {
            let first = points[k]
            var size = 1
            while k + size < points.count, points[k + size].pair == first.pair, points[k + size].diagonal == first.diagonal,
                points[k + size].row == first.row + size, points[k + size].weight == first.weight
            { size += 1 }
            let (receiverSlot, producerSlot) = (first.pair / v, first.pair % v)
            terms.append(LinearTerm(receiverOffset: first.row * r + receiverSlot,
                                    producerOffset: (first.row + first.diagonal) * v + producerSlot, box: [],
                                    kernel: .diagonal(size: size, value: first.weight)))
            k += size
        }
        return merged(terms)
    }

    /// Terms with the same kernel and box whose offsets step by a constant (Δi, Δj) ≥ 0, in (i₀, j₀) order,
    /// become one term with one more box dimension (the sum over the box is the sum of the terms).
    static func mergeProgressions(_ terms: [LinearTerm]) -> [LinearTerm] {
        var groups: [LinearTerm: [LinearTerm]] = [:]
        var order: [LinearTerm] = []
        for t in terms {
            let key = LinearTerm(receiverOffset: 0, producerOffset: 0, box: t.box, kernel: t.kernel)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(t)
        }
        var result: [LinearTerm] = []
        for key in order {
            let sorted = groups[key]!.sorted { ($0.receiverOffset, $0.producerOffset) < ($1.receiverOffset, $1.producerOffset) }
            var k = 0
            while k < sorted.count {
                if key.box.count < LinearRelationShape.maximumDimensions, k + 1 < sorted.count {
                    let di = sorted[k + 1].receiverOffset - sorted[k].receiverOffset
                    let dj = sorted[k + 1].producerOffset - sorted[k].producerOffset
                    if di >= 0, dj >= 0, di + dj > 0 {
                        var count = 2
                        while k + count < sorted.count,
                            sorted[k + count].receiverOffset - sorted[k + count - 1].receiverOffset == di,
                            sorted[k + count].producerOffset - sorted[k + count - 1].producerOffset == dj
                        { count += 1 }
                        result.append(LinearTerm(receiverOffset: sorted[k].receiverOffset, producerOffset: sorted[k].producerOffset,
                                                 box: [BoxDimension(extent: count, receiverStride: di, producerStride: dj)] + key.box,
                                                 kernel: key.kernel))
                        k += count
                        continue
                    }
                }
                result.append(sorted[k])
                k += 1
            }
        }
        return result
    }
}
