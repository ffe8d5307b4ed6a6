import ConstraintSystem

/// Covers the entries of W that no structured term carries with committed blocks (docs/protocol.md §19.9).
///
/// Per (receiver slot, producer slot) pair the entries are points (receiver row, producer row). A band of M rows
/// starts at the first uncovered point's row, and inside it blocks of N columns start at the first uncovered
/// column, so a block never straddles an alignment boundary it does not need. Blocks with the same weights at
/// the same relative places (a recurrent layer's steps, repeated ties) are committed once, and the terms of one
/// block whose offsets step by a constant (Δi, Δj) become one term with a one-dimensional box.
struct RelationTiling {
    /// Entries per slot pair, summed per (row, row), sorted by (receiver row, producer row).
    let pairs: [(receiverSlot: Int, producerSlot: Int, points: [(row: Int, column: Int, weight: Int64)])]
    let receiverSlots: Int
    let producerSlots: Int

    init(entries: [CompiledCircuit.Entry], receiverSlots r: Int, producerSlots v: Int) throws {
        var grouped: [Int: [Int: Int64]] = [:]  // pair → (receiver row · 2^32 + producer row) → weight
        for e in entries {
            let pair = (e.receiver % r) * v + e.producer % v
            let key = (e.receiver / r) << 32 | (e.producer / v)
            let (sum, overflow) = grouped[pair, default: [:]][key, default: 0].addingReportingOverflow(e.weight)
            guard !overflow else { throw CompilerError.witnessMismatch("a weight of the linear relation overflows 64 bits") }
            grouped[pair, default: [:]][key] = sum
        }
        pairs = grouped.keys.sorted().compactMap { pair in
            let points = grouped[pair]!.filter { $0.value != 0 }.sorted { $0.key < $1.key }
                .map { (row: $0.key >> 32, column: $0.key & 0xFFFF_FFFF, weight: $0.value) }
            return points.isEmpty ? nil : (pair / v, pair % v, points)
        }
        receiverSlots = r
        producerSlots = v
    }

    /// The blocks of one slot pair: (first receiver row, first producer row, entries relative to them).
    func tiles(_ points: [(row: Int, column: Int, weight: Int64)], logM: Int, logN: Int)
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
            for tile in tiles(pair.points, logM: logM, logN: logN) {
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
        // One term per arithmetic progression of a block's offsets (sorted; strides must be ≥ 0).
        var terms: [LinearTerm] = []
        for (b, list) in offsets.enumerated() {
            let sorted = list.sorted { ($0.receiver, $0.producer) < ($1.receiver, $1.producer) }
            var k = 0
            while k < sorted.count {
                var count = 1
                if k + 1 < sorted.count {
                    let (di, dj) = (sorted[k + 1].receiver - sorted[k].receiver, sorted[k + 1].producer - sorted[k].producer)
                    if di >= 0, dj >= 0, di + dj > 0 {
                        count = 2
                        while k + count < sorted.count, sorted[k + count].receiver - sorted[k + count - 1].receiver == di,
                            sorted[k + count].producer - sorted[k + count - 1].producer == dj
                        { count += 1 }
                        terms.append(LinearTerm(receiverOffset: sorted[k].receiver, producerOffset: sorted[k].producer,
                                                box: [BoxDimension(extent: count, receiverStride: di, producerStride: dj)],
                                                kernel: .block(b)))
                        k += count
                        continue
                    }
                }
                terms.append(LinearTerm(receiverOffset: sorted[k].receiver, producerOffset: sorted[k].producer, box: [],
                                        kernel: .block(b)))
                k += 1
            }
        }
        return (blocks, terms)
    }
}
