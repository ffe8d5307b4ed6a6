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

    /// Room for `count` more bytes, so that a large file is written without regrowing (and copying) its buffer.
    public mutating func reserve(_ count: Int) { bytes.reserveCapacity(bytes.count + count) }

    /// `count` bytes that `fill` writes in place (it gets them zeroed): bulk sections without a temporary copy.
    public mutating func raw(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        bytes.withUnsafeMutableBytes { fill(UnsafeMutableRawBufferPointer(rebasing: $0[start...])) }
    }

    /// An unsigned LEB128 varint (docs/encodings.md): 7 bits per byte, low first, high bit = more follows.
    /// The verifying key's circuit and relation sections use it for counts, indices and offsets.
    public mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A non-negative count, index or offset as a varint.
    public mutating func varint(_ v: Int) { varint(UInt64(v)) }

    /// A signed integer as a zigzag varint: 0, −1, 1, −2, … ↦ 0, 1, 2, 3, ….
    public mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    /// `varint(len) ‖ data`: the short strings (column and gate names) of the key's circuit section.
    public mutating func shortString(_ s: String) {
        let data = Array(s.utf8)
        varint(data.count)
        bytes.append(contentsOf: data)
    }

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

    /// An unsigned LEB128 varint of at most 10 bytes. Only the shortest encoding is accepted (no trailing
    /// zero groups), and a value past 2^64 − 1 is refused, so every value has exactly one encoding.
    public mutating func varint(_ what: @autoclosure () -> String) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8(what())
            let group = UInt64(byte & 0x7F)
            guard shift < 63 || (shift == 63 && group <= 1) else { throw fail("\(what()): varint exceeds 64 bits") }
            value |= group << shift
            if byte & 0x80 == 0 {
                guard byte != 0 || shift == 0 else { throw fail("\(what()): varint is not in its shortest form") }
                return value
            }
            shift += 7
        }
    }

    /// A varint count no larger than `limit`.
    public mutating func varCount(_ what: @autoclosure () -> String, limit: Int) throws -> Int {
        let v = try varint(what())
        guard v <= UInt64(limit) else { throw fail("\(what()) = \(v) exceeds the limit \(limit)") }
        return Int(v)
    }

    /// A varint index below `bound`.
    public mutating func varIndex(_ what: @autoclosure () -> String, below bound: Int) throws -> Int {
        let v = try varint(what())
        guard v < UInt64(bound) else { throw fail("\(what()) = \(v) is out of range (must be < \(bound))") }
        return Int(v)
    }

    /// A zigzag varint (`ByteWriter.zigzag`).
    public mutating func zigzag(_ what: @autoclosure () -> String) throws -> Int64 {
        let v = try varint(what())
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    /// `varint(len) ‖ UTF-8`, the length at most `limit`.
    public mutating func shortString(_ what: @autoclosure () -> String, limit: Int = 1 << 12) throws -> String {
        let length = try varCount("\(what()) length", limit: limit)
        let data = try take(length, what())
        guard let s = String(validating: data, as: UTF8.self) else { throw fail("\(what()) is not valid UTF-8") }
        return s
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
