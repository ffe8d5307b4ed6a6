/// The two rounding rules of docs/fixed-point.md, in code. Every path (direct inference, calibration,
/// the circuit's witness) calls these and nothing else to round.
public enum FixedPoint {
    /// Accumulators and every intermediate product must satisfy |v| < 2^62 (spec §3): far below the
    /// BN254 scalar field (~2^253), and small enough that adding a rounding offset never overflows Int64.
    public static let accumulatorLimit: Int64 = 1 << 62

    /// Q_s(x) = floor(x·2^s + 1/2): round to nearest, ties toward +∞ (so −2.5 → −2, 2.5 → 3).
    /// Computed exactly: x·2^s is exact in binary floating point, and the half is added to the
    /// fractional part only, never to a possibly inexact sum. Nil for non-finite or |result| ≥ 2^62.
    @inlinable
    public static func quantize(_ x: Double, scale: Int) -> Int64? {
        guard x.isFinite else { return nil }
        let scaled = x * Double(sign: .plus, exponent: scale, significand: 1)
        guard scaled.isFinite else { return nil }
        let whole = scaled.rounded(.down)
        let fraction = scaled - whole  // exact: both are doubles within one binade step
        let rounded = fraction >= 0.5 ? whole + 1 : whole
        guard abs(rounded) < Double(accumulatorLimit) else { return nil }
        return Int64(rounded)
    }

    /// A decimal fixed-point input value·10^-decimals, quantized at scale s with the same rule as
    /// `quantize`, using exact integer arithmetic: floor((2·value·2^s + 10^d) / (2·10^d)).
    public static func quantizeDecimal(value: Int64, decimals: Int, scale: Int) -> Int64? {
        guard (0...18).contains(decimals), (0...62).contains(scale) else { return nil }
        var power: Int64 = 1
        for _ in 0..<decimals { power *= 10 }
        // 2·value·2^s may exceed 64 bits: form it as a 128-bit product.
        let doubled = value.multipliedReportingOverflow(by: 2)
        guard !doubled.overflow else { return nil }
        let shifted = doubled.partialValue.multipliedFullWidth(by: Int64(1) << scale)
        // n = shifted + 10^d; result = floor(n / (2·10^d)).
        let (sumLow, carry) = shifted.low.addingReportingOverflow(UInt64(power))
        let sumHigh = shifted.high + (carry ? 1 : 0)
        let divisor = 2 * power
        // Floor division of the 128-bit signed (sumHigh, sumLow) by a positive 64-bit divisor.
        guard let quotient = floorDivide(high: sumHigh, low: sumLow, by: divisor) else { return nil }
        guard abs(quotient) < accumulatorLimit else { return nil }
        return quotient
    }

    /// R_k(y) = floor((y + 2^(k−1)) / 2^k) with remainder r = y + 2^(k−1) − q·2^k ∈ [0, 2^k); R_0(y) = y.
    /// Rounds to nearest with ties toward +∞, like `quantize`. Requires |y| < 2^62 and 0 ≤ k ≤ 62.
    @inlinable
    public static func rescale(_ y: Int64, shift k: Int) -> (quotient: Int64, remainder: Int64) {
        guard k > 0 else { return (y, 0) }
        let offset = y + (Int64(1) << (k - 1))
        let quotient = offset >> Int64(k)  // arithmetic shift = floor division by 2^k
        return (quotient, offset - (quotient << Int64(k)))
    }

    @inlinable
    public static func dequantize(_ v: Int64, scale: Int) -> Double {
        Double(v) * Double(sign: .plus, exponent: -scale, significand: 1)
    }

    /// floor(n / d) for a 128-bit signed n and 0 < d < 2^63; nil when the quotient does not fit Int64.
    static func floorDivide(high: Int64, low: UInt64, by d: Int64) -> Int64? {
        let negative = high < 0
        // |n| as unsigned 128-bit.
        var h = UInt64(bitPattern: high), l = low
        if negative {
            l = ~l &+ 1
            h = ~h &+ (l == 0 ? 1 : 0)
        }
        let ud = UInt64(d)
        guard h < ud else { return nil }
        let (q, r) = ud.dividingFullWidth((high: h, low: l))
        if !negative { return q <= UInt64(Int64.max) ? Int64(q) : nil }
        // floor of a negative quotient: −q, or −q−1 when the division was inexact.
        let magnitude = r == 0 ? q : q + 1
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return -Int64(magnitude)
    }
}
