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
        let data = Array(bytes)
        guard data.count == 32 else { throw CurveError.wrongLength(group: "G1", expected: 32, actual: data.count) }
        let flags = data[31] & PointFlags.mask
        if flags & PointFlags.infinity != 0 {
            guard Self.isCanonicalInfinity(data, flagByte: 31) else {
                throw CurveError.invalidFlags(group: "G1", detail: "infinity flag with other bits set")
            }
            self = .infinity
            return
        }
        var xBytes = data
        xBytes[31] &= ~PointFlags.mask
        let x = try Self.coordinate(xBytes)
        guard var y = (x.squared() * x + G1Curve.b).squareRoot() else { throw CurveError.notOnCurve(group: "G1") }
        let wantOdd = flags & PointFlags.sign != 0
        if (y.canonicalLimbs.0 & 1 == 1) != wantOdd { y = -y }
        if y.isZero && wantOdd {
            throw CurveError.invalidFlags(group: "G1", detail: "sign flag set for y = 0")
        }
        self.init(uncheckedX: x, y: y)
    }

    public init<Bytes: Collection>(uncompressed bytes: Bytes) throws where Bytes.Element == UInt8 {
        let data = Array(bytes)
        guard data.count == 64 else { throw CurveError.wrongLength(group: "G1", expected: 64, actual: data.count) }
        let flags = data[31] & PointFlags.mask
        if flags & PointFlags.sign != 0 {
            throw CurveError.invalidFlags(group: "G1", detail: "sign flag on an uncompressed point")
        }
        if flags & PointFlags.infinity != 0 {
            guard Self.isCanonicalInfinity(data, flagByte: 31) else {
                throw CurveError.invalidFlags(group: "G1", detail: "infinity flag with other bits set")
            }
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

    static func isCanonicalInfinity(_ data: [UInt8], flagByte: Int) -> Bool {
        data.enumerated().allSatisfy { index, byte in byte == (index == flagByte ? PointFlags.infinity : 0) }
    }
}
