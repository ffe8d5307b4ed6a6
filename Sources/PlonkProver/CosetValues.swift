import FieldArithmetic

/// A polynomial's values on the quotient's coset (`onFull`) or on its half-size sub-coset (the even points of
/// the full one, since both use the shift g): what `computeQuotient` reads when it sums the numerator's
/// low-degree terms on the half-size coset.
struct CosetValues {
    let values: [Fr]
    let onFull: Bool

    init(_ values: [Fr], onFull: Bool) {
        self.values = values
        self.onFull = onFull
    }

    /// The points `range` of a coset `stride` times sparser than the full one (1: the full one, 2: the half), each
    /// moved on by `shift` points modulo `size` (the next row: size / n points on).
    func block(_ range: Range<Int>, stride: Int, shiftedBy shift: Int = 0, wrappingAt size: Int = 0) -> [Fr] {
        let step = onFull ? stride : 1
        if step == 1 && shift == 0 { return Array(values[range]) }
        return values.withUnsafeBufferPointer { v in
            range.map { i in v[(shift == 0 ? i : (i + shift) & (size - 1)) * step] }
        }
    }
}
