/// The one hot loop of dense layers: a dot product of Doubles with eight independent accumulators
/// (explicit SIMD, so it vectorises without reassociation flags). Used by the float path, and by the
/// integer path when every partial sum is an integer below 2^53 and therefore exact in a Double.
public enum DotProduct {
    @inlinable
    public static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var lanes = SIMD8<Double>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 8 <= count {
            let va = ra.loadUnaligned(fromByteOffset: i * 8, as: SIMD8<Double>.self)
            let vb = rb.loadUnaligned(fromByteOffset: i * 8, as: SIMD8<Double>.self)
            lanes += va * vb
            i += 8
        }
        var total = lanes.sum()
        while i < count {
            total += a[i] * b[i]
            i += 1
        }
        return total
    }
}
