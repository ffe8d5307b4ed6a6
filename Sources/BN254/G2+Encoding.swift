import FieldArithmetic

/// G2 encodings (docs/encodings.md): compressed 64 bytes, uncompressed 128 bytes, flags in byte 63.
/// Decoding checks subgroup membership: the twist has a large cofactor.
extension AffinePoint where Curve == G2Curve {
    public static let compressedSize = 64
    public static let uncompressedSize = 128

    public var compressed: [UInt8] {
        if isInfinity {
            var out = [UInt8](repeating: 0, count: 64)
            out[63] = PointFlags.infinity
            return out
        }
        var out = x.c0.canonicalBytes + x.c1.canonicalBytes
        if y.sign { out[63] |= PointFlags.sign }
        return out
    }

    public var uncompressed: [UInt8] {
        if isInfinity {
            var out = [UInt8](repeating: 0, count: 128)
            out[63] = PointFlags.infinity
            return out
        }
        return x.c0.canonicalBytes + x.c1.canonicalBytes + y.c0.canonicalBytes + y.c1.canonicalBytes
    }

    /// `checkSubgroup: false` only where the point can do no harm outside the subgroup: the prover reads its
    /// own key's [1]₂ and [τ]₂ but never uses them (the verifier, which does, always checks).
    public init<Bytes: Collection>(compressed bytes: Bytes, checkSubgroup: Bool = true) throws where Bytes.Element == UInt8 {
        guard let (wantSign, xBytes) = try PointFlags.read(bytes, group: "G2", length: 64, flagByte: 63, compressed: true) else {
            self = .infinity
            return
        }
        let x = Fq2(try Self.coordinate(xBytes[0..<32]), try Self.coordinate(xBytes[32..<64]))
        guard var y = (x.squared() * x + G2Curve.b).squareRoot() else { throw CurveError.notOnCurve(group: "G2") }
        if y.sign != wantSign { y = -y }
        if y.isZero && wantSign {
            throw CurveError.invalidFlags(group: "G2", detail: "sign flag set for y = 0")
        }
        self.init(uncheckedX: x, y: y)
        guard !checkSubgroup || isInSubgroup else { throw CurveError.notInSubgroup(group: "G2") }
    }

    public init<Bytes: Collection>(uncompressed bytes: Bytes) throws where Bytes.Element == UInt8 {
        guard let (_, data) = try PointFlags.read(bytes, group: "G2", length: 128, flagByte: 63, compressed: false) else {
            self = .infinity
            return
        }
        let x = Fq2(try Self.coordinate(data[0..<32]), try Self.coordinate(data[32..<64]))
        let y = Fq2(try Self.coordinate(data[64..<96]), try Self.coordinate(data[96..<128]))
        try self.init(x: x, y: y)
        guard isInSubgroup else { throw CurveError.notInSubgroup(group: "G2") }
    }

    /// [r]P = O, by plain scalar multiplication with the group order.
    public var isInSubgroup: Bool {
        if isInfinity { return true }
        let order: [UInt64] = [FrParameters.p0, FrParameters.p1, FrParameters.p2, FrParameters.p3]
        return JacobianPoint(self).multiplied(byLimbs: order).isInfinity
    }

    static func coordinate<Bytes: Collection>(_ bytes: Bytes) throws -> Fq where Bytes.Element == UInt8 {
        do { return try Fq(canonicalBytes: bytes) } catch { throw CurveError.nonCanonicalCoordinate(group: "G2") }
    }
}
