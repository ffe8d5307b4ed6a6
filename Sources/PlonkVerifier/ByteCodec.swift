import BN254
import FieldArithmetic

/// Appends the encodings of docs/encodings.md: little-endian integers, `u64le`-prefixed byte strings,
/// canonical scalars, compressed points.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func u8(_ v: UInt8) { bytes.append(v) }

    public mutating func u32(_ v: UInt32) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { bytes.append(contentsOf: $0) }
    }

    public mutating func u64(_ v: UInt64) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { bytes.append(contentsOf: $0) }
    }

    public mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }

    /// A count or index (always non-negative in our structures) as u32.
    public mutating func count(_ v: Int) { u32(UInt32(v)) }

    public mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    /// `u64le(len) ‖ data`.
    public mutating func prefixed(_ data: [UInt8]) {
        u64(UInt64(data.count))
        bytes.append(contentsOf: data)
    }

    public mutating func string(_ s: String) { prefixed(Array(s.utf8)) }

    public mutating func scalar(_ s: Fr) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 32))
        bytes.withUnsafeMutableBytes { s.writeCanonical(to: $0.baseAddress! + start) }
    }

    public mutating func point(_ p: G1Affine) { bytes.append(contentsOf: p.compressed) }
    public mutating func point(_ p: G2Affine) { bytes.append(contentsOf: p.compressed) }
}

/// Reads what `ByteWriter` writes, from untrusted bytes: every read checks the remaining length first and
/// every value is validated (canonical scalars, points on the curve and in the subgroup); nothing traps.
public struct ByteReader {
    public let bytes: [UInt8]
    public private(set) var offset: Int
    /// Names the structure being read, for error messages ("proof body", "verifying key").
    let context: String

    public init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.offset = 0
        self.context = context
    }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset == bytes.count }

    public func fail(_ what: String) -> DecodingError {
        DecodingError(context: context, offset: offset, reason: what)
    }

    public mutating func take(_ n: Int, _ what: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else {
            throw fail("\(what()): needs \(n) bytes, \(remaining) left (truncated)")
        }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    public mutating func u8(_ what: @autoclosure () -> String) throws -> UInt8 { try take(1, what()).first! }

    public mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 {
        let s = try take(4, what())
        return s.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    public mutating func u64(_ what: @autoclosure () -> String) throws -> UInt64 {
        let s = try take(8, what())
        return s.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    public mutating func i64(_ what: @autoclosure () -> String) throws -> Int64 { Int64(bitPattern: try u64(what())) }

    /// A u32 count no larger than `limit` (limits keep hostile counts from allocating gigabytes).
    public mutating func count(_ what: @autoclosure () -> String, limit: Int) throws -> Int {
        let v = try u32(what())
        guard v <= limit else { throw fail("\(what()) = \(v) exceeds the limit \(limit)") }
        return Int(v)
    }

    /// A u32 index below `bound`.
    public mutating func index(_ what: @autoclosure () -> String, below bound: Int) throws -> Int {
        let v = try u32(what())
        guard Int(v) < bound else { throw fail("\(what()) = \(v) is out of range (must be < \(bound))") }
        return Int(v)
    }

    public mutating func prefixed(_ what: @autoclosure () -> String, limit: Int) throws -> [UInt8] {
        let length = try u64("\(what()) length")
        guard length <= UInt64(limit) else { throw fail("\(what()) length \(length) exceeds the limit \(limit)") }
        return Array(try take(Int(length), what()))
    }

    public mutating func string(_ what: @autoclosure () -> String, limit: Int = 1 << 12) throws -> String {
        let data = try prefixed(what(), limit: limit)
        guard let s = String(validating: data, as: UTF8.self) else { throw fail("\(what()) is not valid UTF-8") }
        return s
    }

    public mutating func scalar(_ what: @autoclosure () -> String) throws -> Fr {
        let data = try take(32, what())
        do { return try Fr(canonicalBytes: data) } catch { throw fail("\(what()): \(error)") }
    }

    public mutating func g1(_ what: @autoclosure () -> String) throws -> G1Affine {
        let data = try take(32, what())
        do { return try G1Affine(compressed: data) } catch { throw fail("\(what()): \(error)") }
    }

    public mutating func g2(_ what: @autoclosure () -> String, checkSubgroup: Bool = true) throws -> G2Affine {
        let data = try take(64, what())
        do { return try G2Affine(compressed: data, checkSubgroup: checkSubgroup) } catch { throw fail("\(what()): \(error)") }
    }

    public func requireEnd() throws {
        guard isAtEnd else { throw fail("\(remaining) trailing bytes") }
    }
}

/// Malformed bytes: where (structure and offset) and what was wrong.
public struct DecodingError: Error, Equatable, CustomStringConvertible, Sendable {
    public let context: String
    public let offset: Int
    public let reason: String

    public init(context: String, offset: Int, reason: String) {
        self.context = context
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "malformed \(context) at byte \(offset): \(reason)" }
}
