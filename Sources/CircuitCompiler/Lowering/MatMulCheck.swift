import ModelGraph

/// A MatMul of two activations, C = A·B per batch (m×k · k×n), proved by a random-point check instead of a cell
/// per multiply (docs/protocol.md §20). Its elements run through a *stream* of `MatMulStreamGadget` lanes, one
/// lane group per segment so that each segment starts on a fresh row; per batch the segments are
///
///     A[·,0], B[0,·], A[·,1], B[1,·], …, A[·,k−1], B[k−1,·], C (row-major, m·n)
///
/// and the check after the phase that commits them is Σ_κ a_κ·b_κ = c with, at the challenge χ,
/// a_κ = Σ_i χ^(n·i)·A[i,κ], b_κ = Σ_j χ^j·B[κ,j], c = Σ_{i,j} χ^(n·i+j)·C[i,j]. The output's rescale lanes
/// read C from the stream (R_s(C), docs/fixed-point.md §6c), so C costs no other cell.
public struct MatMulCheck: Hashable, Sendable {
    /// The plan's layer of the MatMul (its output's rescale lanes are that layer's group).
    public let layer: Int
    public let m: Int, k: Int, n: Int
    /// Per batch position of the output: offsets of its [m, k] block in A and its [k, n] block in B.
    public let aOffsets: [Int], bOffsets: [Int]
    /// The first stream group; batch b's segments are groups `firstGroup + b·(2k + 1) + s`, s < 2k + 1.
    public let firstGroup: Int

    public var batches: Int { aOffsets.count }
    public var segmentsPerBatch: Int { 2 * k + 1 }

    public enum Segment: Hashable, Sendable {
        /// Column κ of A (m elements, weights χ^(n·i)).
        case aColumn(Int)
        /// Row κ of B (n elements, weights χ^j).
        case bRow(Int)
        /// C, row-major (m·n elements, weights χ^(n·i+j)).
        case product
    }

    public func segment(_ s: Int) -> Segment { s == 2 * k ? .product : (s % 2 == 0 ? .aColumn(s / 2) : .bRow(s / 2)) }

    public func group(batch: Int, segment s: Int) -> Int { firstGroup + batch * segmentsPerBatch + s }

    public func length(_ segment: Segment) -> Int {
        switch segment {
        case .aColumn: return m
        case .bRow: return n
        case .product: return m * n
        }
    }

    /// The flat positions in A (first) or B of the elements of an operand segment, in stream order.
    public func aPosition(batch: Int, column: Int, index i: Int) -> Int { aOffsets[batch] + i * k + column }
    public func bPosition(batch: Int, row: Int, index j: Int) -> Int { bOffsets[batch] + row * n + j }

    /// Stream lanes of one product (the cost: O(k·(m + n) + m·n) per batch, never m·k·n).
    public var streamLanes: Int { batches * (k * (m + n) + m * n) }
}
