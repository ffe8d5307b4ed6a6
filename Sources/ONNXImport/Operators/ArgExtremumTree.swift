import ModelGraph

/// ArgMax / ArgMin over a row longer than the circuit's largest lane (16 elements, CircuitCompiler's
/// `ComparisonOp.maxArgRow`), imported as steps whose integers are exactly the kernel's (docs/fixed-point.md §5b):
///
///     X = the row in C chunks of S (the last chunk padded with copies of the row's last element)
///     A_c = ArgMax(X_c) (the chunk's first best index),  M_c = ReduceMax(X_c)
///     c* = ArgMax(M) (this same tree when C > 16)
///     index = Σ_c [c = c*]·(S·c + A_c)     (Equal, Cast, Mul and Add on int64: exact; summed by halving)
///
/// The first best element of the row lies in the first chunk whose maximum is the row's, at that chunk's first best
/// index; a padding copy comes after the element it copies, in the same chunk, so it never wins a tie. With
/// select_last_index the row is read reversed and the index is K − 1 − (the reversed row's first best index).
enum ArgExtremumTree {
    static let maxRow = 16
    static let int64 = NumberFormat.integer(bits: 64, signed: true)

    /// The first (last) best index along `axis` of `x` (shape `shape`), shape [outer·inner] (int64).
    static func add(_ g: inout GraphImport, _ k: inout Composition, _ x: ValueID, shape: [Int], axis: Int,
                    maximum: Bool, lastIndex: Bool) throws -> ValueID {
        let length = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *), outer = shape[..<axis].reduce(1, *), rows = outer * inner
        let chunks = (length + maxRow - 1) / maxRow, size = (length + chunks - 1) / chunks
        var sources: [Int] = []
        sources.reserveCapacity(rows * chunks * size)
        for o in 0..<rows {
            for j in 0..<chunks {
                for t in 0..<size {
                    let e = min(j * size + t, length - 1), element = lastIndex ? length - 1 - e : e
                    sources.append((o / inner) * length * inner + element * inner + o % inner)
                }
            }
        }
        let name = maximum ? "ArgMax" : "ArgMin"
        let laid = try k.add(&g, .movement(.select(try ElementSelection(
            kind: "\(name) chunks", inputShapes: [shape], outputShape: [rows, chunks, size], sources: sources))), [x])
        let within = try k.add(&g, .comparison(.argExtremum(axis: 2, keepDims: false, lastIndex: false, maximum: maximum)), [laid])
        let best = try k.add(&g, .pooling(.reduceExtremum(Reduction(axes: [2], keepDims: false, mean: false), maximum: maximum)), [laid])
        let chunk: ValueID
        if chunks > maxRow {
            chunk = try add(&g, &k, best, shape: [rows, chunks], axis: 1, maximum: maximum, lastIndex: false)
        } else {
            chunk = try k.add(&g, .comparison(.argExtremum(axis: 1, keepDims: false, lastIndex: false, maximum: maximum)), [best])
        }
        // [c = c*] as int64, times S·c + A_c, summed over c.
        let column = try k.add(&g, .reshape([rows, 1]), [chunk])
        let positions = try k.constant(&g, try Tensor(shape: [1, chunks], values: (0..<chunks).map(Double.init)))
        let selected = try k.add(&g, .comparison(.compare(.equal)), [column, positions])
        let mask = try k.add(&g, .indexing(.cast(to: int64, fromInteger: true)), [selected])
        let offsets = try k.constant(&g, try Tensor(shape: [1, chunks], values: (0..<chunks).map { Double($0 * size) }))
        let global = try k.add(&g, .indexing(.integer(.add, wrap: int64)), [within, offsets])
        let picked = try k.add(&g, .indexing(.integer(.mul, wrap: int64)), [mask, global])
        // Σ over the C columns by halving (log₂ C levels of a few nodes, C − 1 additions per row in all): columns
        // [0, h) plus [h, 2h), and an odd last column carried beside the sums.
        var current = picked, columns = chunks
        while columns > 1 {
            let half = columns / 2, width = columns
            func columnsFrom(_ start: Int) throws -> ValueID {
                try k.add(&g, .movement(.select(try ElementSelection(
                    kind: "\(name) index sum", inputShapes: [[rows, width]], outputShape: [rows, half],
                    sources: (0..<rows * half).map { ($0 / half) * width + start + $0 % half }))), [current])
            }
            var next = try k.add(&g, .indexing(.integer(.add, wrap: int64)), [try columnsFrom(0), try columnsFrom(half)])
            if columns % 2 == 1 {
                // Inputs concatenated: the sums [rows, half], then current [rows, width].
                var sources: [Int] = []
                sources.reserveCapacity(rows * (half + 1))
                for o in 0..<rows {
                    for j in 0..<half { sources.append(o * half + j) }
                    sources.append(rows * half + o * width + width - 1)
                }
                next = try k.add(&g, .movement(.select(try ElementSelection(
                    kind: "\(name) index sum", inputShapes: [[rows, half], [rows, width]], outputShape: [rows, half + 1], sources: sources))),
                    [next, current])
            }
            current = next
            columns = half + columns % 2
        }
        let sum = try k.add(&g, .reshape([rows]), [current])
        guard lastIndex else { return sum }
        let last = try k.constant(&g, try Tensor(shape: [], values: [Double(length - 1)]))
        return try k.add(&g, .indexing(.integer(.sub, wrap: int64)), [last, sum])
    }
}
