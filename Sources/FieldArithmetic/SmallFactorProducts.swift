/// x·v for one field element x and many signed 64-bit integers v (the committed relation's weights times a
/// power of ρ or a block coefficient). `x * F(signed: v)` costs two Montgomery multiplications — one to bring
/// v into Montgomery form, one for the product; holding x·R instead makes each product one multiplication of
/// x·R by the raw integer: mont(x·R·R, |v|) = x·|v|·R, which is x·|v| in Montgomery form.
@frozen
public struct SmallFactorProducts<Parameters: MontgomeryParameters>: Sendable {
    public typealias Element = MontgomeryField<Parameters>
    /// x·R in Montgomery form (its limbs are x·R² mod p).
    @usableFromInline let scaled: Element

    @inlinable
    public init(_ x: Element) { scaled = x * Element(Parameters.rSquared) }

    /// x·v.
    @inlinable @inline(__always)
    public func times(_ v: Int64) -> Element {
        let product = scaled * Element(montgomeryLimbs: v.magnitude, 0, 0, 0)
        return v < 0 ? -product : product
    }

    /// total + x·v, subtracting for negative v (no negation).
    @inlinable @inline(__always)
    public func add(_ v: Int64, to total: inout Element) {
        let product = scaled * Element(montgomeryLimbs: v.magnitude, 0, 0, 0)
        if v < 0 { total = total - product } else { total = total + product }
    }
}
