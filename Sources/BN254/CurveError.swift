/// Why bytes could not be read as a curve point (docs/encodings.md).
public enum CurveError: Error, Equatable, CustomStringConvertible, Sendable {
    case wrongLength(group: String, expected: Int, actual: Int)
    case nonCanonicalCoordinate(group: String)
    case invalidFlags(group: String, detail: String)
    case notOnCurve(group: String)
    case notInSubgroup(group: String)

    public var description: String {
        switch self {
        case .wrongLength(let group, let expected, let actual):
            return "\(group) point encoding must be \(expected) bytes, got \(actual)"
        case .nonCanonicalCoordinate(let group):
            return "\(group) point has a coordinate ≥ the field modulus"
        case .invalidFlags(let group, let detail):
            return "\(group) point encoding has invalid flag bits: \(detail)"
        case .notOnCurve(let group):
            return "\(group) point is not on the curve"
        case .notInSubgroup(let group):
            return "\(group) point is not in the prime-order subgroup"
        }
    }
}

/// Flag bits in the top of a point encoding's last coordinate byte.
enum PointFlags {
    static let infinity: UInt8 = 0x80
    static let sign: UInt8 = 0x40
    static let mask: UInt8 = 0xC0

    /// The checks every point decoder starts with (docs/encodings.md), in the order length → flags:
    /// returns nil for the canonical point at infinity, otherwise the sign flag and the bytes with the flag
    /// bits cleared. Uncompressed encodings must not carry the sign flag.
    static func read(
        _ bytes: some Collection<UInt8>, group: String, length: Int, flagByte: Int, compressed: Bool
    ) throws -> (sign: Bool, coordinates: [UInt8])? {
        var data = Array(bytes)
        guard data.count == length else { throw CurveError.wrongLength(group: group, expected: length, actual: data.count) }
        let flags = data[flagByte] & mask
        if !compressed && flags & sign != 0 {
            throw CurveError.invalidFlags(group: group, detail: "sign flag on an uncompressed point")
        }
        if flags & infinity != 0 {
            let canonical = data.enumerated().allSatisfy { index, byte in byte == (index == flagByte ? infinity : 0) }
            guard canonical else { throw CurveError.invalidFlags(group: group, detail: "infinity flag with other bits set") }
            return nil
        }
        data[flagByte] &= ~mask
        return (flags & sign != 0, data)
    }
}
