import FieldArithmetic

/// G1 encodings (docs/encodings.md): compressed 32 bytes, uncompressed 64 bytes, little-endian
/// coordinates, flags in the top bits of byte 31.
extension AffinePoint where Curve == G1Curve {
    public static let compressedSize = 32
    public static let uncompressedSize = 64

    public var compressed: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        if isInfinity {
            out[31] = PointFlags.infinity
            return out
        }
        out = x.canonicalBytes
        if y.canonicalLimbs.0 & 1 == 1 { out[31] |= PointFlags.sign }
        return out
    }

    public var uncompressed: [UInt8] {
        if isInfinity {
            var out = [UInt8](repeating: 0, count: 64)
            out[31] = PointFlags.infinity
            return out
        }
        return x.canonicalBytes + y.canonicalBytes
    }

    public init<Bytes: Collection>(compressed bytes: Bytes) throws where Bytes.Element == UInt8 {
        guard let (wantOdd, xBytes) = try PointFlags.read(bytes, group: "G1", length: 32, flagByte: 31, compressed: true) else {
            self = .infinity
            return
        }
        let x = try Self.coordinate(xBytes)
        guard var y = (x.squared() * x + G1Curve.b).squareRoot() else { throw CurveError.notOnCurve(group: "G1") }
        if (y.canonicalLimbs.0 & 1 == 1) != wantOdd { y = -y }
        if y.isZero && wantOdd {
            throw CurveError.invalidFlags(group: "G1", detail: "sign flag set for y = 0")
        }
        self.init(uncheckedX: x, y: y)
    }

    public init<Bytes: Collection>(uncompressed bytes: Bytes) throws where Bytes.Element == UInt8 {
        guard let (_, data) = try PointFlags.read(bytes, group: "G1", length: 64, flagByte: 31, compressed: false) else {
            self = .infinity
            return
        }
        let x = try Self.coordinate(data[0..<32])
        let y = try Self.coordinate(data[32..<64])
        try self.init(x: x, y: y)
    }

    static func coordinate<Bytes: Collection>(_ bytes: Bytes) throws -> Fq where Bytes.Element == UInt8 {
        do { return try Fq(canonicalBytes: bytes) } catch { throw CurveError.nonCanonicalCoordinate(group: "G1") }
    }
}
